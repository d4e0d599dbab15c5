-- Failed logins of accounts, shared by every node of one database: the
-- limit on guesses at one account holds across nodes. `account` is a keyed
-- hash of the username; rows older than the throttle's window are deleted.
CREATE TABLE login_failures (
    id {pk},
    account TEXT NOT NULL,
    at TEXT NOT NULL
);
CREATE INDEX login_failures_account_at ON login_failures (account, at);
CREATE INDEX login_failures_at ON login_failures (at);
-- Proof-of-work challenges used up (tips, messages to the editors), shared by
-- every node: a challenge is spent once whichever node answers. `challenge`
-- is a hash of the token; rows are deleted once the token has expired.
CREATE TABLE used_challenges (
    challenge TEXT PRIMARY KEY,
    expires_at BIGINT NOT NULL
);
CREATE INDEX used_challenges_expires ON used_challenges (expires_at);
