//! The schema, as one list of migrations for both databases. Each migration
//! is portable SQL with two type placeholders (`{pk}` for an auto-numbered
//! BIGINT key, `{blob}` for bytes), plus the few statements that only exist
//! in one dialect (triggers). Applied in order, each in its own transaction,
//! and recorded in `schema_migrations`.

mod convert;

use sqlx::Row;

use crate::db::{Backend, Db};
use crate::error::StorageResult;

pub struct Migration {
    pub version: i64,
    pub name: &'static str,
    pub portable: &'static str,
    pub sqlite: &'static str,
    pub postgres: &'static str,
    /// A step in Rust after the SQL (data the SQL cannot convert).
    pub convert: Convert,
}

/// Data conversions written in Rust.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Convert {
    None,
    /// v7: `data_values` rows into one `report_values` row per report.
    PackValues,
    /// v8: every `report_values` row's `doc` written from its bytes.
    ValuesDoc,
    /// v17: the rollups built again from the reports (`rollup_part` filled).
    RebuildRollups,
    /// v21: `rollup_option` filled from the reports.
    RebuildOptionRollups,
}

pub const MIGRATIONS: &[Migration] = &[
    Migration {
        version: 1,
        name: "units, accounts, audit",
        portable: r#"
CREATE TABLE units (
    id {pk},
    code TEXT NOT NULL,
    level TEXT NOT NULL,
    kind TEXT NOT NULL,
    name TEXT NOT NULL,
    short_name TEXT NOT NULL,
    parent_id BIGINT REFERENCES units(id),
    valid_from TEXT,
    valid_to TEXT,
    search_key TEXT NOT NULL,
    sort_key {blob} NOT NULL
);
CREATE INDEX units_code ON units (code);
CREATE INDEX units_parent ON units (parent_id);
CREATE INDEX units_level_sort ON units (level, sort_key);

-- Every (ancestor, descendant) pair of the unit tree, the unit itself at depth 0.
CREATE TABLE unit_tree (
    ancestor_id BIGINT NOT NULL REFERENCES units(id),
    descendant_id BIGINT NOT NULL REFERENCES units(id),
    depth BIGINT NOT NULL,
    PRIMARY KEY (ancestor_id, descendant_id)
);
CREATE INDEX unit_tree_descendant ON unit_tree (descendant_id);

-- Lineage: which older unit versions went into which newer ones.
CREATE TABLE unit_links (
    id {pk},
    predecessor_id BIGINT NOT NULL REFERENCES units(id),
    successor_id BIGINT NOT NULL REFERENCES units(id),
    share TEXT NOT NULL,
    note TEXT,
    UNIQUE (predecessor_id, successor_id)
);
CREATE INDEX unit_links_successor ON unit_links (successor_id);

-- What a grant on `ancestor_id` covers: its subtree, and the older units that
-- lie under it through lineage. Derived from unit_tree and unit_links.
CREATE TABLE unit_scope (
    ancestor_id BIGINT NOT NULL REFERENCES units(id),
    descendant_id BIGINT NOT NULL REFERENCES units(id),
    PRIMARY KEY (ancestor_id, descendant_id)
);
CREATE INDEX unit_scope_descendant ON unit_scope (descendant_id);

-- Residential areas below a commune (thôn, tổ dân phố, khu dân cư).
CREATE TABLE areas (
    id {pk},
    unit_id BIGINT NOT NULL REFERENCES units(id),
    kind TEXT NOT NULL,
    name TEXT NOT NULL,
    search_key TEXT NOT NULL,
    sort_key {blob} NOT NULL,
    created_at TEXT NOT NULL,
    UNIQUE (unit_id, kind, search_key)
);

-- Organisations attached to a unit: its police and Front committee,
-- agencies, enterprises, schools.
CREATE TABLE organisations (
    id {pk},
    unit_id BIGINT NOT NULL REFERENCES units(id),
    kind TEXT NOT NULL,
    name TEXT NOT NULL,
    search_key TEXT NOT NULL,
    sort_key {blob} NOT NULL,
    created_at TEXT NOT NULL,
    UNIQUE (unit_id, kind, search_key)
);

CREATE TABLE users (
    id {pk},
    username TEXT NOT NULL UNIQUE,
    display_name TEXT NOT NULL,
    password_hash TEXT NOT NULL,
    disabled BIGINT NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL,
    password_changed_at TEXT NOT NULL
);

CREATE TABLE grants (
    id {pk},
    user_id BIGINT NOT NULL REFERENCES users(id),
    role TEXT NOT NULL,
    unit_id BIGINT NOT NULL REFERENCES units(id),
    created_at TEXT NOT NULL,
    UNIQUE (user_id, role, unit_id)
);
CREATE INDEX grants_unit ON grants (unit_id);

CREATE TABLE sessions (
    id_hash TEXT PRIMARY KEY,
    user_id BIGINT NOT NULL REFERENCES users(id),
    csrf_token TEXT NOT NULL,
    created_at TEXT NOT NULL,
    last_seen_at TEXT NOT NULL
);
CREATE INDEX sessions_user ON sessions (user_id);

CREATE TABLE api_tokens (
    id {pk},
    user_id BIGINT NOT NULL REFERENCES users(id),
    name TEXT NOT NULL,
    token_hash TEXT NOT NULL UNIQUE,
    created_at TEXT NOT NULL,
    last_used_at TEXT,
    revoked_at TEXT
);

-- Append-only and hash-chained; triggers forbid UPDATE and DELETE.
CREATE TABLE audit_log (
    id BIGINT PRIMARY KEY,
    at TEXT NOT NULL,
    actor_id BIGINT,
    actor TEXT NOT NULL,
    action TEXT NOT NULL,
    entity TEXT NOT NULL,
    entity_id TEXT NOT NULL,
    unit_id BIGINT,
    before_json TEXT,
    after_json TEXT,
    prev_hash TEXT NOT NULL,
    hash TEXT NOT NULL
);
CREATE INDEX audit_log_unit ON audit_log (unit_id);
CREATE INDEX audit_log_entity ON audit_log (entity, entity_id);

-- The chain's head: the last id and hash. Appending locks this row first,
-- which orders concurrent appends on both databases.
CREATE TABLE audit_head (
    id BIGINT PRIMARY KEY,
    last_id BIGINT NOT NULL,
    last_hash TEXT NOT NULL
);
INSERT INTO audit_head (id, last_id, last_hash)
VALUES (1, 0, '0000000000000000000000000000000000000000000000000000000000000000');
"#,
        sqlite: r#"
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
"#,
        postgres: r#"
CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'audit_log is append-only';
END
$$;
CREATE TRIGGER audit_log_no_update_delete BEFORE UPDATE OR DELETE ON audit_log
    FOR EACH ROW EXECUTE FUNCTION audit_log_append_only();
CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
    FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only();
"#,
        convert: Convert::None,
    },
    Migration {
        version: 2,
        name: "movement statistics: indicators, forms, reports, values",
        portable: r#"
CREATE TABLE category_sets (
    id {pk},
    code TEXT NOT NULL UNIQUE,
    name_vi TEXT NOT NULL,
    name_en TEXT NOT NULL
);
CREATE TABLE category_options (
    id {pk},
    set_id BIGINT NOT NULL REFERENCES category_sets(id),
    code TEXT NOT NULL,
    name_vi TEXT NOT NULL,
    name_en TEXT NOT NULL,
    position BIGINT NOT NULL,
    UNIQUE (set_id, code)
);
CREATE TABLE indicators (
    id {pk},
    code TEXT NOT NULL UNIQUE,
    name_vi TEXT NOT NULL,
    name_en TEXT NOT NULL,
    unit TEXT NOT NULL,
    grp TEXT NOT NULL,
    value_type TEXT NOT NULL,
    aggregation TEXT NOT NULL,
    numerator_id BIGINT REFERENCES indicators(id),
    denominator_id BIGINT REFERENCES indicators(id),
    category_set_id BIGINT REFERENCES category_sets(id),
    position BIGINT NOT NULL
);
CREATE TABLE forms (
    id {pk},
    code TEXT NOT NULL UNIQUE,
    name_vi TEXT NOT NULL,
    name_en TEXT NOT NULL,
    period_type TEXT NOT NULL,
    calendar TEXT NOT NULL,
    owner_role TEXT NOT NULL,
    levels TEXT NOT NULL,
    deadline_days BIGINT NOT NULL
);
CREATE TABLE form_indicators (
    form_id BIGINT NOT NULL REFERENCES forms(id),
    indicator_id BIGINT NOT NULL REFERENCES indicators(id),
    position BIGINT NOT NULL,
    PRIMARY KEY (form_id, indicator_id)
);
CREATE TABLE validation_rules (
    id {pk},
    form_id BIGINT NOT NULL REFERENCES forms(id),
    code TEXT NOT NULL,
    left_expr TEXT NOT NULL,
    operator TEXT NOT NULL,
    right_expr TEXT NOT NULL,
    missing TEXT NOT NULL,
    severity TEXT NOT NULL,
    message_vi TEXT NOT NULL,
    UNIQUE (form_id, code)
);
-- One form, one unit (the version valid at the period's end), one period.
CREATE TABLE reports (
    id {pk},
    form_id BIGINT NOT NULL REFERENCES forms(id),
    unit_id BIGINT NOT NULL REFERENCES units(id),
    period TEXT NOT NULL,
    period_year BIGINT NOT NULL,
    period_start TEXT NOT NULL,
    period_end TEXT NOT NULL,
    state TEXT NOT NULL,
    state_changed_at TEXT NOT NULL,
    state_changed_by TEXT NOT NULL,
    return_comment TEXT,
    created_at TEXT NOT NULL,
    UNIQUE (form_id, unit_id, period)
);
CREATE INDEX reports_unit_year ON reports (unit_id, period_year);
CREATE INDEX reports_form_period ON reports (form_id, period);
-- Values in thousandths; `option` is the breakdown ('' when none).
CREATE TABLE data_values (
    report_id BIGINT NOT NULL REFERENCES reports(id),
    indicator_id BIGINT NOT NULL REFERENCES indicators(id),
    option_code TEXT NOT NULL,
    value_milli BIGINT NOT NULL,
    qualifier TEXT NOT NULL,
    comment TEXT,
    updated_at TEXT NOT NULL,
    updated_by TEXT NOT NULL,
    PRIMARY KEY (report_id, indicator_id, option_code)
);
CREATE INDEX data_values_indicator ON data_values (indicator_id);
-- Where each unit's data goes in today's map: itself when current, else
-- its whole/part_primary successor (or, without one, its parent's target).
CREATE TABLE unit_data_map (
    unit_id BIGINT PRIMARY KEY REFERENCES units(id),
    current_id BIGINT NOT NULL REFERENCES units(id),
    split BIGINT NOT NULL
);
CREATE INDEX unit_data_map_current ON unit_data_map (current_id);
"#,
        sqlite: "",
        postgres: "",
        convert: Convert::None,
    },
    Migration {
        version: 3,
        name: "rollups maintained on write",
        portable: r#"
-- Yearly sums of every value, already added up the unit tree: for each
-- ancestor (`node_id`) of the reporting unit as it was (`map_kind` 'h') and
-- of its place in today's map ('c'), by indicator, year and approval.
-- Updated in the same transaction as every value and state change.
CREATE TABLE rollup_year (
    indicator_id BIGINT NOT NULL REFERENCES indicators(id),
    node_id BIGINT NOT NULL REFERENCES units(id),
    map_kind TEXT NOT NULL,
    period_year BIGINT NOT NULL,
    approved BIGINT NOT NULL,
    sum_milli BIGINT NOT NULL,
    n_values BIGINT NOT NULL,
    n_more BIGINT NOT NULL,
    n_nearly BIGINT NOT NULL,
    n_about BIGINT NOT NULL,
    n_split BIGINT NOT NULL,
    PRIMARY KEY (node_id, map_kind, indicator_id, period_year, approved)
);
"#,
        sqlite: "",
        postgres: "",
        convert: Convert::None,
    },
    Migration {
        version: 4,
        name: "comments on reports",
        portable: r#"
-- Remarks on a report by the police and the Front of the unit or above
-- (the Front reads and comments on the police's reports). Never edited.
CREATE TABLE report_comments (
    id {pk},
    report_id BIGINT NOT NULL REFERENCES reports(id),
    author TEXT NOT NULL,
    author_role TEXT NOT NULL,
    body TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE INDEX report_comments_report ON report_comments (report_id, id);
"#,
        sqlite: "",
        postgres: "",
        convert: Convert::None,
    },
    Migration {
        version: 5,
        name: "reviews",
        portable: r#"
-- A review (sơ kết, tổng kết) keeps the figures it was built from
-- (snapshot, JSON) and its narrative as edited, so it reprints identically.
CREATE TABLE reviews (
    id {pk},
    unit_id BIGINT NOT NULL REFERENCES units(id),
    owner TEXT NOT NULL,
    period_from BIGINT NOT NULL,
    period_to BIGINT NOT NULL,
    half BIGINT,
    issue_date TEXT NOT NULL,
    snapshot TEXT NOT NULL,
    narrative TEXT NOT NULL,
    edited BIGINT NOT NULL,
    created_by TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX reviews_unit ON reviews (unit_id);
"#,
        sqlite: "",
        postgres: "",
        convert: Convert::None,
    },
    Migration {
        version: 6,
        name: "values stored by their key",
        // Values and rollups are only ever found through their primary key
        // (a report's values, a node's sums), so the index by indicator is
        // dropped, and SQLite keeps both tables as the B-tree of their key
        // (WITHOUT ROWID) instead of a row table plus a key index: half the
        // writes per value, and imports twice as fast.
        // A commune's own yearly sums as it was are read from its values
        // (`rollups::NOT_COMMUNE`), so those rollup rows go.
        portable: "DROP INDEX data_values_indicator;
DELETE FROM rollup_year WHERE map_kind = 'h' AND node_id IN (SELECT id FROM units WHERE level = 'commune');",
        sqlite: r#"
CREATE TABLE data_values_by_key (
    report_id BIGINT NOT NULL REFERENCES reports(id),
    indicator_id BIGINT NOT NULL REFERENCES indicators(id),
    option_code TEXT NOT NULL,
    value_milli BIGINT NOT NULL,
    qualifier TEXT NOT NULL,
    comment TEXT,
    updated_at TEXT NOT NULL,
    updated_by TEXT NOT NULL,
    PRIMARY KEY (report_id, indicator_id, option_code)
) WITHOUT ROWID;
INSERT INTO data_values_by_key SELECT report_id, indicator_id, option_code, value_milli, qualifier, comment,
    updated_at, updated_by FROM data_values;
DROP TABLE data_values;
ALTER TABLE data_values_by_key RENAME TO data_values;
CREATE TABLE rollup_year_by_key (
    indicator_id BIGINT NOT NULL REFERENCES indicators(id),
    node_id BIGINT NOT NULL REFERENCES units(id),
    map_kind TEXT NOT NULL,
    period_year BIGINT NOT NULL,
    approved BIGINT NOT NULL,
    sum_milli BIGINT NOT NULL,
    n_values BIGINT NOT NULL,
    n_more BIGINT NOT NULL,
    n_nearly BIGINT NOT NULL,
    n_about BIGINT NOT NULL,
    n_split BIGINT NOT NULL,
    PRIMARY KEY (node_id, map_kind, indicator_id, period_year, approved)
) WITHOUT ROWID;
INSERT INTO rollup_year_by_key SELECT indicator_id, node_id, map_kind, period_year, approved, sum_milli, n_values,
    n_more, n_nearly, n_about, n_split FROM rollup_year;
DROP TABLE rollup_year;
ALTER TABLE rollup_year_by_key RENAME TO rollup_year;
"#,
        postgres: "",
        convert: Convert::None,
    },
    Migration {
        version: 7,
        name: "a report's values in one row",
        // One row per report holding all its values (`report_values`)
        // instead of one row per value: imports write 40 times fewer rows.
        // A commune of today's sums are read from its reports too, like a
        // commune as it was (`rollups::NOT_COMMUNE`), so those rollup rows go.
        portable: "DELETE FROM rollup_year WHERE map_kind = 'c' AND node_id IN (SELECT id FROM units WHERE level = 'commune');",
        sqlite: "CREATE TABLE report_values (
    report_id INTEGER PRIMARY KEY REFERENCES reports(id),
    body BLOB NOT NULL,
    n_values BIGINT NOT NULL,
    updated_at TEXT NOT NULL,
    updated_by TEXT NOT NULL
);",
        // PostgreSQL: rollup rows are updated at every save; free room on
        // each page lets the update stay on the page (HOT) instead of adding
        // an index entry and a dead row every time.
        postgres: "CREATE TABLE report_values (
    report_id BIGINT PRIMARY KEY REFERENCES reports(id),
    body BYTEA NOT NULL,
    n_values BIGINT NOT NULL,
    updated_at TEXT NOT NULL,
    updated_by TEXT NOT NULL
);
ALTER TABLE rollup_year SET (fillfactor = 70);",
        convert: Convert::PackValues,
    },
    Migration {
        version: 8,
        name: "values open to SQL: antq_values",
        // Each report's values also as JSON text (`doc`, written with the
        // bytes by `report_values::row`), and a read-only view with one row
        // per value for sqlite3, psql, DuckDB or Metabase. A view over a
        // join cannot be written to on either database. See
        // docs/machine-data.md. SQLite: CROSS JOIN keeps each report's JSON
        // read once, then each value's indicator found by its key (left to
        // itself the planner read the JSON once per indicator).
        portable: "ALTER TABLE report_values ADD COLUMN doc TEXT NOT NULL DEFAULT '[]';",
        sqlite: r#"CREATE VIEW antq_values AS
SELECT u.code AS unit_code,
       u.name AS unit_name,
       r.period AS period,
       r.period_start AS period_start,
       r.period_end AS period_end,
       f.code AS form,
       i.code AS indicator,
       json_extract(e.value, '$[1]') AS option,
       json_extract(e.value, '$[2]') AS value,
       CAST(ROUND(json_extract(e.value, '$[2]') * 1000) AS INTEGER) AS value_milli,
       CASE json_extract(e.value, '$[3]') WHEN 0 THEN 'exact' WHEN 1 THEN 'more_than'
            WHEN 2 THEN 'nearly' ELSE 'about' END AS qualifier,
       json_extract(e.value, '$[4]') AS comment,
       r.state AS report_state
FROM report_values b
JOIN reports r ON r.id = b.report_id
JOIN units u ON u.id = r.unit_id
JOIN forms f ON f.id = r.form_id
CROSS JOIN json_each(b.doc) e
CROSS JOIN indicators i
WHERE i.id = json_extract(e.value, '$[0]');"#,
        postgres: r#"CREATE VIEW antq_values AS
SELECT u.code AS unit_code,
       u.name AS unit_name,
       r.period AS period,
       CAST(r.period_start AS DATE) AS period_start,
       CAST(r.period_end AS DATE) AS period_end,
       f.code AS form,
       i.code AS indicator,
       e.v ->> 1 AS option,
       trim_scale(CAST(e.v ->> 2 AS NUMERIC)) AS value,
       CAST(CAST(e.v ->> 2 AS NUMERIC) * 1000 AS BIGINT) AS value_milli,
       CASE e.v ->> 3 WHEN '0' THEN 'exact' WHEN '1' THEN 'more_than'
            WHEN '2' THEN 'nearly' ELSE 'about' END AS qualifier,
       e.v ->> 4 AS comment,
       r.state AS report_state
FROM report_values b
JOIN reports r ON r.id = b.report_id
JOIN units u ON u.id = r.unit_id
JOIN forms f ON f.id = r.form_id
CROSS JOIN LATERAL jsonb_array_elements(CAST(b.doc AS JSONB)) AS e(v)
JOIN indicators i ON i.id = CAST(e.v ->> 0 AS BIGINT);"#,
        convert: Convert::ValuesDoc,
    },
    Migration {
        version: 9,
        name: "reports waiting for approval",
        // The home page's "waiting for my approval" reads the submitted
        // reports of a form, earliest deadline first.
        portable: "CREATE INDEX reports_form_state ON reports (form_id, state, period_end);",
        sqlite: "",
        postgres: "",
        convert: Convert::None,
    },
    Migration {
        version: 10,
        name: "documents, programmes, conferences, awards",
        portable: include_str!("../programmes/schema_v10.sql"),
        sqlite: "",
        postgres: "",
        convert: Convert::None,
    },
    Migration {
        version: 11,
        name: "registries: models, teams, recognitions, classifications",
        // One file per registry (each owned by its module), applied as one version.
        portable: concat!(
            include_str!("../registries/schema_v11_settings.sql"),
            include_str!("../registries/schema_v11_models.sql"),
            include_str!("../registries/schema_v11_teams.sql"),
            include_str!("../registries/schema_v11_recognitions.sql"),
            include_str!("../registries/schema_v11_classifications.sql"),
        ),
        sqlite: "",
        postgres: "",
        convert: Convert::None,
    },
    Migration {
        version: 12,
        name: "weapons by unit of measure",
        // Guns (khẩu), rounds (viên), explosives (kg) and support tools
        // (cái) as four indicators, right after the old mixed
        // `vk_giao_nop` (kept for the data typed before), in the catalogue
        // and in every form that has it. A new database gets them from the
        // seed (its catalogue is empty here, so nothing is inserted).
        portable: include_str!("../statistics/schema_v12_weapons.sql"),
        sqlite: "",
        postgres: "",
        convert: Convert::None,
    },
    Migration {
        version: 13,
        name: "reviews: the whole report (sections, signers, approvals, templates)",
        portable: include_str!("../reviews/schema_v13.sql"),
        sqlite: "",
        postgres: "",
        convert: Convert::None,
    },
    Migration {
        version: 14,
        name: "citizen information (tin báo), sealed",
        portable: include_str!("../tips/schema_v14.sql"),
        sqlite: "",
        postgres: "",
        convert: Convert::None,
    },
    Migration {
        version: 15,
        name: "public portal: articles, editors' inbox, public documents, open data, search changes",
        portable: include_str!("../portal/schema_v15.sql"),
        sqlite: "",
        postgres: "",
        convert: Convert::None,
    },
    Migration {
        version: 16,
        name: "failed logins and used challenges shared by the nodes of one database",
        portable: include_str!("../accounts/schema_v16.sql"),
        sqlite: "",
        postgres: "",
        convert: Convert::None,
    },
    Migration {
        version: 17,
        name: "rollups by half, quarter and month",
        // `rollup_year`'s sums again by the reports' period within the year
        // (`rollups::part_of`), so quarters and months answer national
        // queries from a few thousand rows instead of every report.
        portable: r#"
CREATE TABLE rollup_part (
    indicator_id BIGINT NOT NULL REFERENCES indicators(id),
    node_id BIGINT NOT NULL REFERENCES units(id),
    map_kind TEXT NOT NULL,
    period_year BIGINT NOT NULL,
    period_part BIGINT NOT NULL,
    approved BIGINT NOT NULL,
    sum_milli BIGINT NOT NULL,
    n_values BIGINT NOT NULL,
    n_more BIGINT NOT NULL,
    n_nearly BIGINT NOT NULL,
    n_about BIGINT NOT NULL,
    n_split BIGINT NOT NULL,
    PRIMARY KEY (node_id, map_kind, indicator_id, period_year, period_part, approved)
) {rollup_storage};
"#,
        sqlite: "",
        postgres: "",
        convert: Convert::RebuildRollups,
    },
    Migration {
        version: 18,
        name: "login limits by address and tips per minute shared by the nodes",
        portable: include_str!("../accounts/schema_v18.sql"),
        sqlite: "",
        postgres: "",
        convert: Convert::None,
    },
    Migration {
        version: 19,
        name: "a version number of the catalogue, moved by every change to it",
        // Each node keeps the catalogue it read (`statistics::catalogue_cache`)
        // with this number, and reads it again when the number has moved:
        // triggers move it whoever changes the catalogue (a node, the
        // command line, a later migration). A later migration that rebuilds
        // one of these tables on SQLite (new table, copy, drop, rename)
        // drops its triggers: it must create them again (the catalogue
        // tests count them).
        portable: include_str!("../statistics/schema_v19_catalogue_version.sql"),
        sqlite: include_str!("../statistics/schema_v19_triggers_sqlite.sql"),
        postgres: include_str!("../statistics/schema_v19_triggers_postgres.sql"),
        convert: Convert::None,
    },
    Migration {
        version: 20,
        name: "reports by year",
        // `rollups::rebuild` reads the reports a year at a time.
        portable: "CREATE INDEX reports_year ON reports (period_year, id);",
        sqlite: "",
        postgres: "",
        convert: Convert::None,
    },
    Migration {
        version: 21,
        name: "rollups by breakdown option",
        // The yearly sums of each breakdown option (`kt_bang_khen.tap_the`)
        // for the nodes of `rollup_year`, so a review of the nation lists
        // its options from a few hundred rows instead of every report.
        portable: include_str!("../statistics/schema_v21_rollup_option.sql"),
        sqlite: "",
        postgres: "",
        convert: Convert::RebuildOptionRollups,
    },
];

fn render(sql: &str, backend: Backend) -> String {
    // A rollup table: SQLite keeps it as the B-tree of its key; PostgreSQL
    // leaves room in each page so its many updates stay in place.
    let (pk, blob, rollup_storage) = match backend {
        Backend::Sqlite => ("INTEGER PRIMARY KEY AUTOINCREMENT", "BLOB", "WITHOUT ROWID"),
        Backend::Postgres => ("BIGSERIAL PRIMARY KEY", "BYTEA", "WITH (fillfactor = 70)"),
    };
    sql.replace("{pk}", pk)
        .replace("{blob}", blob)
        .replace("{rollup_storage}", rollup_storage)
}

/// Apply every migration not applied yet. Returns the versions applied.
pub async fn run(db: &Db) -> StorageResult<Vec<i64>> {
    run_until(db, i64::MAX).await
}

/// Key of the PostgreSQL advisory lock taken by each migration's
/// transaction: of two nodes starting at once, one migrates while the
/// other waits, then finds the work done.
const MIGRATION_LOCK: i64 = 0x0061_6e74_716d_6967; // "antqmig"

/// Hold the migration lock until `tx` ends (PostgreSQL); SQLite's
/// transactions already take turns.
async fn lock(tx: &mut crate::db::WriteTx) -> StorageResult<()> {
    if tx.backend() == Backend::Postgres {
        sqlx::query("SELECT pg_advisory_xact_lock($1)")
            .bind(MIGRATION_LOCK)
            .execute(tx.conn())
            .await?;
    }
    Ok(())
}

/// The newest schema version this binary knows.
pub fn latest() -> i64 {
    MIGRATIONS.iter().map(|m| m.version).max().unwrap_or(0)
}

/// Versions this binary knows that the database has not applied (all of
/// them for an empty database): `/readyz` is not ready while any remain.
pub async fn pending(db: &Db) -> StorageResult<Vec<i64>> {
    let applied: Vec<i64> = match sqlx::query("SELECT version FROM schema_migrations")
        .fetch_all(db.pool())
        .await
    {
        Ok(rows) => rows.iter().map(|r| r.get::<i64, _>(0)).collect(),
        // No table yet: nothing applied.
        Err(sqlx::Error::Database(_)) => Vec::new(),
        Err(e) => return Err(e.into()),
    };
    Ok(MIGRATIONS
        .iter()
        .map(|m| m.version)
        .filter(|v| !applied.contains(v))
        .collect())
}

/// Apply the migrations not applied yet up to version `last` (tests of a
/// migration start from the schema before it). Each runs in one
/// transaction with its `schema_migrations` row: one interrupted (a crash,
/// a power cut) leaves the database at the version before, and the next
/// start runs it again. On PostgreSQL each takes [`MIGRATION_LOCK`], and
/// skips a version another node applied while it waited.
pub async fn run_until(db: &Db, last: i64) -> StorageResult<Vec<i64>> {
    let mut tx = db.begin_unaudited().await?;
    lock(&mut tx).await?;
    sqlx::raw_sql(
        "CREATE TABLE IF NOT EXISTS schema_migrations (
            version BIGINT PRIMARY KEY,
            name TEXT NOT NULL,
            applied_at TEXT NOT NULL
        )",
    )
    .execute(tx.conn())
    .await?;
    tx.commit().await?;
    let applied: Vec<i64> = sqlx::query("SELECT version FROM schema_migrations")
        .fetch_all(db.pool())
        .await?
        .iter()
        .map(|r| r.get::<i64, _>(0))
        .collect();
    let mut done = Vec::new();
    for m in MIGRATIONS
        .iter()
        .filter(|m| !applied.contains(&m.version) && m.version <= last)
    {
        let mut tx = db.begin_unaudited().await?;
        lock(&mut tx).await?;
        let since = sqlx::query("SELECT 1 FROM schema_migrations WHERE version = $1")
            .bind(m.version)
            .fetch_optional(tx.conn())
            .await?;
        if since.is_some() {
            // Another node applied it while this one waited for the lock.
            continue;
        }
        let specific = match db.backend() {
            Backend::Sqlite => m.sqlite,
            Backend::Postgres => m.postgres,
        };
        let sql = render(m.portable, db.backend());
        if !sql.trim().is_empty() {
            sqlx::raw_sql(&sql).execute(tx.conn()).await?;
        }
        if !specific.is_empty() {
            sqlx::raw_sql(specific).execute(tx.conn()).await?;
        }
        match m.convert {
            Convert::None => {}
            Convert::PackValues => convert::pack_values(&mut tx).await?,
            Convert::ValuesDoc => convert::values_doc(&mut tx).await?,
            // Only the tables that exist at that version: a database
            // migrated from before v17 gets `rollup_option` at v21.
            Convert::RebuildRollups => {
                crate::statistics::rollups::rebuild_tables(&mut tx, &["rollup_year", "rollup_part"])
                    .await?
            }
            Convert::RebuildOptionRollups => {
                crate::statistics::rollups::rebuild_tables(&mut tx, &["rollup_option"]).await?
            }
        }
        sqlx::query(
            "INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)",
        )
        .bind(m.version)
        .bind(m.name)
        .bind(antq_core::dates::timestamp(antq_core::dates::now_utc()))
        .execute(tx.conn())
        .await?;
        tx.commit().await?;
        tracing::info!(version = m.version, name = m.name, "migration applied");
        done.push(m.version);
    }
    Ok(done)
}
