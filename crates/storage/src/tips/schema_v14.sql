-- Issue 15: citizen information ("tin báo"). Everything a tipster wrote
-- (answers, text, contact, identifiers, attachments, messages) is stored
-- only sealed with the tip's own key (XChaCha20-Poly1305); that key is
-- stored only wrapped for each officer who may read the tip (a sealed
-- box to the officer's public key). Times of citizen acts are days only.

-- Each officer's key pair: the public key, and the private key sealed by
-- a key derived from the password (and, once the officer asks for one,
-- by a recovery code shown once).
CREATE TABLE officer_keys (
    user_id BIGINT PRIMARY KEY REFERENCES users(id),
    public_key {blob} NOT NULL,
    by_password {blob} NOT NULL,
    by_recovery {blob},
    created_on TEXT NOT NULL,
    updated_on TEXT NOT NULL
);

-- The escrow key an administrator may switch on knowingly: while one is
-- active, every new tip's key is also wrapped for it. Its private key is
-- never stored: it is shown once to be kept offline.
CREATE TABLE tip_escrow (
    id {pk},
    public_key {blob} NOT NULL,
    active BIGINT NOT NULL,
    switched_on_by TEXT NOT NULL,
    switched_on TEXT NOT NULL,
    switched_off TEXT
);

-- Categories and their questionnaires (JSON of antq_core::tips::Category).
CREATE TABLE tip_categories (
    id {pk},
    code TEXT NOT NULL UNIQUE,
    body TEXT NOT NULL,
    active BIGINT NOT NULL DEFAULT 1,
    sort BIGINT NOT NULL DEFAULT 0,
    updated_by TEXT NOT NULL,
    updated_at TEXT NOT NULL
);

-- A tip. `unit_id` is the unit whose police handle it now; `place_unit_id`
-- where it happened; `concerns_unit_id` the unit it implicates (it is then
-- handled above that unit, and that unit never sees it). `receipt_hash` is
-- a keyed hash of the receipt digits; `tipster_key` the tip's key sealed
-- by a key derived from the receipt (Argon2id), so the tipster reads the
-- replies. `content` and the keys are NULL once destroyed. `valued` is 1
-- once an officer judged the tip valuable, and stays 1 when the tip is
-- then closed (it counts in `nguon_tin_gia_tri` for good).
CREATE TABLE tips (
    id {pk},
    receipt_hash {blob} NOT NULL UNIQUE,
    category_code TEXT NOT NULL,
    place_unit_id BIGINT NOT NULL REFERENCES units(id),
    unit_id BIGINT NOT NULL REFERENCES units(id),
    concerns_unit_id BIGINT REFERENCES units(id),
    state TEXT NOT NULL,
    assigned_to BIGINT REFERENCES users(id),
    content {blob},
    tipster_key {blob},
    received_on TEXT NOT NULL,
    tipster_on TEXT NOT NULL,
    closed_on TEXT,
    destroy_on TEXT,
    legal_hold BIGINT NOT NULL DEFAULT 0,
    valued BIGINT NOT NULL DEFAULT 0,
    destroyed_on TEXT,
    version BIGINT NOT NULL DEFAULT 1
);
CREATE INDEX tips_unit_state ON tips (unit_id, state);
CREATE INDEX tips_place_day ON tips (place_unit_id, received_on);
CREATE INDEX tips_destroy ON tips (destroy_on);

-- The tip's key, wrapped for each officer who may read it.
CREATE TABLE tip_keys (
    tip_id BIGINT NOT NULL REFERENCES tips(id),
    user_id BIGINT NOT NULL REFERENCES users(id),
    wrapped {blob} NOT NULL,
    PRIMARY KEY (tip_id, user_id)
);
CREATE INDEX tip_keys_user ON tip_keys (user_id);

-- The tip's key wrapped for the escrow key active when it came.
CREATE TABLE tip_escrow_keys (
    tip_id BIGINT NOT NULL REFERENCES tips(id),
    escrow_id BIGINT NOT NULL REFERENCES tip_escrow(id),
    wrapped {blob} NOT NULL,
    PRIMARY KEY (tip_id, escrow_id)
);

-- Messages between the tipster and the officers, and the officers'
-- internal notes (never shown to the tipster), sealed with the tip's key.
CREATE TABLE tip_messages (
    id {pk},
    tip_id BIGINT NOT NULL REFERENCES tips(id),
    author TEXT NOT NULL,
    user_id BIGINT REFERENCES users(id),
    kind TEXT NOT NULL,
    body {blob} NOT NULL,
    on_day TEXT NOT NULL,
    seen_by_tipster BIGINT NOT NULL DEFAULT 0
);
CREATE INDEX tip_messages_tip ON tip_messages (tip_id, id);

-- Attachments, sealed (name, type and bytes), metadata stripped before.
CREATE TABLE tip_attachments (
    id {pk},
    tip_id BIGINT NOT NULL REFERENCES tips(id),
    message_id BIGINT REFERENCES tip_messages(id),
    size BIGINT NOT NULL,
    body {blob} NOT NULL
);
CREATE INDEX tip_attachments_tip ON tip_attachments (tip_id);

-- Scam identifiers as keyed hashes (HMAC with the server's secret) and a
-- masked form for display ("09x xxx x567"): equal identifiers match
-- without being stored in clear.
CREATE TABLE tip_identifiers (
    tip_id BIGINT NOT NULL REFERENCES tips(id),
    kind TEXT NOT NULL,
    hash {blob} NOT NULL,
    masked TEXT NOT NULL,
    PRIMARY KEY (tip_id, kind, hash)
);
CREATE INDEX tip_identifiers_hash ON tip_identifiers (hash);
