-- Models ("mô hình") and exemplary cases (HD 22/HD-BCA-V05).
-- The national taxonomy of model types, kept as data.
CREATE TABLE model_types (
    id {pk},
    name TEXT NOT NULL,
    search_key TEXT NOT NULL UNIQUE,
    sort_key {blob} NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    active BIGINT NOT NULL DEFAULT 1,
    created_by TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);

-- A model of a unit (and residential area). `replicates_id`: the model it
-- replicates (a replication is itself a model, counted as "nhân rộng" in
-- the year it started; one without is "mới"). Active from `started_on`
-- until `dissolved_on`. `state`: its latest state (moi | cung_co |
-- nhan_rong | giai_the); the history is in `model_events`.
-- The figures read unit_id, type_id, started_on, dissolved_on, replicates_id.
CREATE TABLE models (
    id {pk},
    unit_id BIGINT NOT NULL REFERENCES units(id),
    area_id BIGINT REFERENCES areas(id),
    type_id BIGINT NOT NULL REFERENCES model_types(id),
    name TEXT NOT NULL,
    search_key TEXT NOT NULL,
    sort_key {blob} NOT NULL,
    started_on TEXT NOT NULL,
    dissolved_on TEXT,
    replicates_id BIGINT REFERENCES models(id),
    state TEXT NOT NULL,
    rating TEXT NOT NULL DEFAULT '',
    rated_year BIGINT,
    notes TEXT NOT NULL DEFAULT '',
    created_by TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX models_unit ON models (unit_id, started_on);
CREATE INDEX models_type ON models (type_id);
CREATE INDEX models_replicates ON models (replicates_id);

-- A model's states over time.
CREATE TABLE model_events (
    id {pk},
    model_id BIGINT NOT NULL REFERENCES models(id),
    state TEXT NOT NULL,
    on_date TEXT NOT NULL,
    note TEXT NOT NULL DEFAULT '',
    created_by TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE INDEX model_events_model ON model_events (model_id, on_date);

-- The sites ("điểm") where a model is applied, with the teams ("tổ") and
-- members running it there.
CREATE TABLE model_sites (
    id {pk},
    model_id BIGINT NOT NULL REFERENCES models(id),
    unit_id BIGINT NOT NULL REFERENCES units(id),
    area_id BIGINT REFERENCES areas(id),
    name TEXT NOT NULL,
    started_on TEXT,
    ended_on TEXT,
    teams BIGINT,
    members BIGINT
);
CREATE INDEX model_sites_model ON model_sites (model_id);

-- An exemplary case ("điển hình tiên tiến"): a collective or an individual
-- (`kind`: tap_the | ca_nhan), with its recognition.
CREATE TABLE exemplary_cases (
    id {pk},
    unit_id BIGINT NOT NULL REFERENCES units(id),
    kind TEXT NOT NULL,
    name TEXT NOT NULL,
    search_key TEXT NOT NULL,
    sort_key {blob} NOT NULL,
    model_id BIGINT REFERENCES models(id),
    recognised_on TEXT,
    recognition TEXT NOT NULL DEFAULT '',
    notes TEXT NOT NULL DEFAULT '',
    created_by TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX exemplary_cases_unit ON exemplary_cases (unit_id);
