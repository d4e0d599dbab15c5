-- Movement classification (QĐ 510/QĐ-BCA-V05): score sheets as templates
-- per subject kind (khu_dan_cu | xa | co_quan), versioned by year; points
-- in tenths (100 points = 1000).
CREATE TABLE score_templates (
    id {pk},
    subject_kind TEXT NOT NULL,
    year_from BIGINT NOT NULL,
    title TEXT NOT NULL,
    note TEXT NOT NULL DEFAULT '',
    created_by TEXT NOT NULL,
    created_at TEXT NOT NULL,
    UNIQUE (subject_kind, year_from)
);

CREATE TABLE score_items (
    id {pk},
    template_id BIGINT NOT NULL REFERENCES score_templates(id),
    parent_id BIGINT REFERENCES score_items(id),
    position BIGINT NOT NULL,
    label TEXT NOT NULL,
    text TEXT NOT NULL,
    max_tenths BIGINT NOT NULL
);
CREATE INDEX score_items_template ON score_items (template_id, position);

-- One subject's classification of one year. `state`: draft | submitted |
-- reviewed | decided. `band`: xuat_sac | kha | trung_binh | yeu.
CREATE TABLE classifications (
    id {pk},
    template_id BIGINT NOT NULL REFERENCES score_templates(id),
    year BIGINT NOT NULL,
    subject_kind TEXT NOT NULL,
    unit_id BIGINT NOT NULL REFERENCES units(id),
    area_id BIGINT REFERENCES areas(id),
    organisation_id BIGINT REFERENCES organisations(id),
    subject_name TEXT NOT NULL,
    -- "xa:ID", "khu_dan_cu:ID" (area), "co_quan:ID" (organisation): one
    -- sheet per subject and year.
    subject_key TEXT NOT NULL,
    state TEXT NOT NULL,
    self_tenths BIGINT,
    reviewed_tenths BIGINT,
    band TEXT NOT NULL DEFAULT '',
    submitted_at TEXT,
    decided_by TEXT NOT NULL DEFAULT '',
    decided_at TEXT,
    created_by TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE UNIQUE INDEX classifications_subject ON classifications (subject_key, year);
CREATE INDEX classifications_unit ON classifications (unit_id, year);
CREATE INDEX classifications_year ON classifications (year, subject_kind);

-- The points item by item: the unit's own with its evidence, the level
-- above's with its reason.
CREATE TABLE classification_scores (
    classification_id BIGINT NOT NULL REFERENCES classifications(id),
    item_id BIGINT NOT NULL REFERENCES score_items(id),
    self_tenths BIGINT,
    evidence TEXT NOT NULL DEFAULT '',
    reviewed_tenths BIGINT,
    reason TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (classification_id, item_id)
);
