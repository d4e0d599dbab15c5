-- Failed logins from an unknown device or address also keep a keyed hash of
-- the address, so the limit on guesses from one address holds across nodes.
ALTER TABLE login_failures ADD COLUMN address TEXT;
CREATE INDEX login_failures_address_at ON login_failures (address, at);
-- Counts in fixed windows shared by every node (`tips::rate`: the tips and
-- messages to the editors accepted in one minute). Old windows are deleted.
CREATE TABLE window_counts (
    name TEXT NOT NULL,
    window_start BIGINT NOT NULL,
    n BIGINT NOT NULL,
    PRIMARY KEY (name, window_start)
);
