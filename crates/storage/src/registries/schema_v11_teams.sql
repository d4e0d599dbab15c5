-- Grassroots security organisations and teams (HD 01/HD-BCA-V05).
-- Kinds as data; `mass_org` = 1: counted among the "tổ chức quần chúng
-- bảo vệ ANTT ở cơ sở" (indicator tcqc_so).
CREATE TABLE team_kinds (
    id {pk},
    name TEXT NOT NULL,
    search_key TEXT NOT NULL UNIQUE,
    mass_org BIGINT NOT NULL DEFAULT 1,
    active BIGINT NOT NULL DEFAULT 1,
    created_by TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);

-- An organisation or team of a unit (and residential area), active from
-- `established_on` until `dissolved_on`; `model_id`: the model it runs.
-- The figures read unit_id, kind_id, established_on, dissolved_on.
CREATE TABLE teams (
    id {pk},
    unit_id BIGINT NOT NULL REFERENCES units(id),
    area_id BIGINT REFERENCES areas(id),
    kind_id BIGINT NOT NULL REFERENCES team_kinds(id),
    name TEXT NOT NULL,
    search_key TEXT NOT NULL,
    established_on TEXT NOT NULL,
    dissolved_on TEXT,
    leader TEXT NOT NULL DEFAULT '',
    model_id BIGINT REFERENCES models(id),
    notes TEXT NOT NULL DEFAULT '',
    created_by TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX teams_unit ON teams (unit_id, established_on);
CREATE INDEX teams_kind ON teams (kind_id);

-- Members over time: the count from a date on.
CREATE TABLE team_member_counts (
    team_id BIGINT NOT NULL REFERENCES teams(id),
    on_date TEXT NOT NULL,
    members BIGINT NOT NULL,
    PRIMARY KEY (team_id, on_date)
);

-- Named members (optional).
CREATE TABLE team_members (
    id {pk},
    team_id BIGINT NOT NULL REFERENCES teams(id),
    name TEXT NOT NULL,
    position TEXT NOT NULL DEFAULT '',
    joined_on TEXT,
    left_on TEXT
);
CREATE INDEX team_members_team ON team_members (team_id);

-- The yearly evaluation (year: 15/11 of the year before → 14/11).
-- `level`: xuat_sac | tot | hoan_thanh | khong_hoan_thanh, or empty with
-- `not_rated` saying why (under 9 months, under complaint).
CREATE TABLE team_evaluations (
    id {pk},
    team_id BIGINT NOT NULL REFERENCES teams(id),
    year BIGINT NOT NULL,
    level TEXT NOT NULL DEFAULT '',
    leader_level TEXT NOT NULL DEFAULT '',
    not_rated TEXT NOT NULL DEFAULT '',
    notes TEXT NOT NULL DEFAULT '',
    decided_by TEXT NOT NULL,
    decided_at TEXT NOT NULL,
    UNIQUE (team_id, year)
);
CREATE INDEX team_evaluations_year ON team_evaluations (year);
