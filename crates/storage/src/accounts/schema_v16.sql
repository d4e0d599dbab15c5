-- Failed logins of accounts, shared by every node of one database: the
-- limit on guesses at one account holds across nodes. `account` is a keyed
-- hash of the username; rows older than the throttle's window are deleted.
CREATE TABLE login_failures (
    id {pk},
    account TEXT NOT NULL,
    at TEXT NOT NULL
);
CREATE INDEX login_failures_account_at ON login_failures (account, at);
