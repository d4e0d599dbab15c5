-- Issue 14: the whole report. A review keeps its own title, sections,
-- signature blocks and "Nơi nhận" (NULL: the default), and how complete
-- its data was when built (NULL for reviews built before).
ALTER TABLE reviews ADD COLUMN title TEXT;
ALTER TABLE reviews ADD COLUMN sections TEXT;
ALTER TABLE reviews ADD COLUMN signers TEXT;
ALTER TABLE reviews ADD COLUMN recipients TEXT;
ALTER TABLE reviews ADD COLUMN coverage TEXT;

-- Each side that issues a review approves its text; a joint review is
-- final when both have. Any change of the text removes the approvals.
CREATE TABLE review_approvals (
    review_id BIGINT NOT NULL REFERENCES reviews(id),
    side TEXT NOT NULL,
    approved_by TEXT NOT NULL,
    approved_at TEXT NOT NULL,
    PRIMARY KEY (review_id, side)
);

-- The sections a new review starts from: the national default of each
-- kind (owner_key 0, unit_id NULL) and a province's own copy (owner_key =
-- unit_id). The key never holds a NULL, so it is unique on both databases.
CREATE TABLE review_templates (
    kind TEXT NOT NULL,
    owner_key BIGINT NOT NULL,
    unit_id BIGINT REFERENCES units(id),
    sections TEXT NOT NULL,
    updated_by TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    PRIMARY KEY (kind, owner_key)
);

-- The register of who signs for each body (kept by an administrator).
CREATE TABLE review_signers (
    id {pk},
    unit_id BIGINT NOT NULL REFERENCES units(id),
    side TEXT NOT NULL,
    authority TEXT NOT NULL,
    for_whom TEXT NOT NULL DEFAULT '',
    position TEXT NOT NULL,
    rank TEXT NOT NULL DEFAULT '',
    name TEXT NOT NULL DEFAULT '',
    sort BIGINT NOT NULL DEFAULT 0,
    active BIGINT NOT NULL DEFAULT 1,
    updated_by TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX review_signers_unit ON review_signers (unit_id, side, active, sort);
