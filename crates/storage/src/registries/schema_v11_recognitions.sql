-- Safety-standard recognition ("An toàn về an ninh, trật tự", TT 124/2021).
-- Subject kinds: khu_dan_cu (an area), xa (a commune), co_quan,
-- doanh_nghiep, co_so_giao_duc (an organisation of the unit).
-- The criteria checklist per subject kind, versioned by year: the
-- criteria of a year are those of the greatest `year_from` not after it.
-- `note` says where a criterion is worded generally (unconfirmed).
CREATE TABLE recognition_criteria (
    id {pk},
    subject_kind TEXT NOT NULL,
    year_from BIGINT NOT NULL,
    position BIGINT NOT NULL,
    text TEXT NOT NULL,
    note TEXT NOT NULL DEFAULT '',
    active BIGINT NOT NULL DEFAULT 1,
    updated_by TEXT NOT NULL DEFAULT 'system',
    updated_at TEXT NOT NULL DEFAULT ''
);
CREATE INDEX recognition_criteria_kind ON recognition_criteria (subject_kind, year_from);

-- One subject's registration of one year, its dossier and the decision.
-- `state`: registered | dossier | recognised | not_recognised.
-- `subject_key`: "a<area id>", "u<unit id>" or "o<organisation id>", one
-- registration per subject, kind and year.
CREATE TABLE recognitions (
    id {pk},
    year BIGINT NOT NULL,
    subject_kind TEXT NOT NULL,
    unit_id BIGINT NOT NULL REFERENCES units(id),
    area_id BIGINT REFERENCES areas(id),
    organisation_id BIGINT REFERENCES organisations(id),
    subject_key TEXT NOT NULL,
    subject_name TEXT NOT NULL,
    registered_on TEXT NOT NULL,
    state TEXT NOT NULL,
    decision_number TEXT NOT NULL DEFAULT '',
    decision_date TEXT,
    decision_issuer TEXT NOT NULL DEFAULT '',
    reason TEXT NOT NULL DEFAULT '',
    override_reason TEXT NOT NULL DEFAULT '',
    created_by TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    UNIQUE (year, subject_kind, subject_key)
);
CREATE INDEX recognitions_unit ON recognitions (unit_id, year);
CREATE INDEX recognitions_year ON recognitions (year, subject_kind);

-- The checklist as assessed.
CREATE TABLE recognition_checks (
    recognition_id BIGINT NOT NULL REFERENCES recognitions(id),
    criterion_id BIGINT NOT NULL REFERENCES recognition_criteria(id),
    met BIGINT NOT NULL,
    note TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (recognition_id, criterion_id)
);

-- The dossier's documents, by content.
CREATE TABLE recognition_files (
    id {pk},
    recognition_id BIGINT NOT NULL REFERENCES recognitions(id),
    name TEXT NOT NULL,
    content_type TEXT NOT NULL,
    sha256 TEXT NOT NULL,
    size BIGINT NOT NULL,
    bytes {blob} NOT NULL,
    created_by TEXT NOT NULL,
    created_at TEXT NOT NULL,
    UNIQUE (recognition_id, sha256)
);
CREATE INDEX recognition_files_recognition ON recognition_files (recognition_id);

-- The sub-kind of an organisation where its name does not tell it (a small
-- enterprise): one of the `recognitions.exclusions` sub-kinds, or any code.
CREATE TABLE recognition_org_classes (
    organisation_id BIGINT PRIMARY KEY REFERENCES organisations(id),
    sub_kind TEXT NOT NULL,
    updated_by TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
