-- The catalogue's version: one row, its number moved by every change to the
-- catalogue's tables (the triggers beside this file).
CREATE TABLE catalogue_version (
    id BIGINT PRIMARY KEY,
    n BIGINT NOT NULL
);
INSERT INTO catalogue_version (id, n) VALUES (1, 1);
