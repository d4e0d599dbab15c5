-- Registries of the movement (issue 13): the rules an administrator may
-- change, one row per key (values as JSON text). Each registry seeds its
-- own keys with the common value as default; rules marked unconfirmed in
-- domain.md live here, never as constants.
CREATE TABLE registry_settings (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL,
    note TEXT NOT NULL DEFAULT '',
    updated_by TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
