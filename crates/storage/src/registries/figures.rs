//! The figures the registers give to analytics: models new and replicated
//! (flows, in the reporting year they started), models in operation and
//! grassroots organisations (stocks at 14/12 of each year), and the number
//! of distinct model types (a distinct count over the subtree, never
//! summed: a type present in two merged provinces counts once).
//!
//! Flows and stocks become register cells (`programmes::figures::register`)
//! and are paired with the forms there: where a unit reports a figure and
//! keeps the register too, the register's stands and the row says so.
//! Distinct counts are rows of their own ([`distinct_rows`]).

use std::collections::HashMap;

#[path = "figures_assessments.rs"]
pub mod assessments;

use antq_core::indicators::Aggregation;
use antq_core::programmes::FigureSource;
use antq_core::registries::{reporting_year, year_end, year_start};

use crate::db::Db;
use crate::error::StorageResult;
use crate::programmes::figures::register::{fold, Grouped, RegCell};
use crate::statistics::analytics::{By, MapMode, Query, Row};
use crate::statistics::catalogue::Indicator;
use crate::units::Unit;

/// Models without a link, by the year they started ("xây dựng mới").
pub const NEW_MODELS: &str = "mh_moi";
/// Models replicating another, by the year they started ("nhân rộng").
pub const REPLICATED_MODELS: &str = "mh_nhan_rong";
/// Models in operation at the end of the year.
pub const ACTIVE_MODELS: &str = "mh_hien_co";
/// Distinct types of the models in operation at the end of the year.
pub const MODEL_TYPES: &str = "mh_loai_so";
/// Grassroots mass organisations in operation at the end of the year.
pub const MASS_ORGS: &str = "tcqc_so";

/// The indicators the registries feed as cells (flows and stocks), the
/// recognition and classification figures among them (`assessments`).
pub const CELL_FEEDS: [&str; 11] = [
    NEW_MODELS,
    REPLICATED_MODELS,
    ACTIVE_MODELS,
    MASS_ORGS,
    assessments::FEEDS[0],
    assessments::FEEDS[1],
    assessments::FEEDS[2],
    assessments::FEEDS[3],
    assessments::FEEDS[4],
    assessments::FEEDS[5],
    assessments::FEEDS[6],
];

/// Does a registry feed this indicator (as cells or as a distinct count)?
pub fn feeds(i: &Indicator) -> bool {
    CELL_FEEDS.contains(&i.code.as_str()) || is_distinct_feed(i)
}

/// Is this the distinct count of model types?
pub fn is_distinct_feed(i: &Indicator) -> bool {
    i.code == MODEL_TYPES && i.aggregation == Aggregation::Distinct
}

fn subject_sql(map: MapMode) -> &'static str {
    match map {
        MapMode::Historical => "x.unit_id",
        MapMode::Current => "m.current_id",
    }
}

/// `WITH y(year, day) AS (VALUES (2013, '2013-12-14'), …)`: the end of each
/// year of the range (years and dates are made here, never from input).
fn year_ends(from: i32, to: i32) -> String {
    let rows: Vec<String> = (from..=to)
        .filter_map(|y| year_end(y).map(|d| format!("({y}, '{}')", antq_core::dates::iso(d))))
        .collect();
    format!("WITH y(year, day) AS (VALUES {})", rows.join(", "))
}

/// The register cells of the asked flow and stock indicators.
pub async fn cells(db: &Db, q: &Query<'_>, fed: &[&Indicator]) -> StorageResult<Vec<RegCell>> {
    let id = |code: &str| fed.iter().find(|i| i.code == code).map(|i| i.id);
    let mut rows: Vec<Grouped> = Vec::new();
    for (code, replicates) in [(NEW_MODELS, false), (REPLICATED_MODELS, true)] {
        if let Some(ind) = id(code) {
            rows.extend(started(db, q, ind, replicates).await?);
        }
    }
    if let Some(ind) = id(ACTIVE_MODELS) {
        rows.extend(stock(db, q, ind, "models", "x.started_on", "").await?);
    }
    if let Some(ind) = id(MASS_ORGS) {
        let mass = "AND x.kind_id IN (SELECT id FROM team_kinds WHERE mass_org = 1)";
        rows.extend(stock(db, q, ind, "teams", "x.established_on", mass).await?);
    }
    rows.extend(assessments::rows(db, q, fed).await?);
    Ok(fold(rows))
}

/// Models started in the range, new or replicating, by day.
async fn started(
    db: &Db,
    q: &Query<'_>,
    ind: i64,
    replicates: bool,
) -> StorageResult<Vec<Grouped>> {
    let (Some(first), Some(last)) = (year_start(q.range.from), year_end(q.range.to)) else {
        return Ok(Vec::new());
    };
    let subject = subject_sql(q.map);
    let link = if replicates {
        "x.replicates_id IS NOT NULL"
    } else {
        "x.replicates_id IS NULL"
    };
    let sql = format!(
        "SELECT {subject}, t.ancestor_id, t.depth, x.started_on, COUNT(*) \
         FROM models x \
         JOIN unit_data_map m ON m.unit_id = x.unit_id \
         JOIN unit_tree t ON t.descendant_id = {subject} \
         WHERE {link} AND x.started_on >= $2 AND x.started_on <= $3 \
           AND t.ancestor_id IN (SELECT descendant_id FROM unit_tree WHERE ancestor_id = $1) \
         GROUP BY {subject}, t.ancestor_id, t.depth, x.started_on"
    );
    let found: Vec<(i64, i64, i64, String, i64)> = sqlx::query_as(&sql)
        .bind(q.unit.id)
        .bind(antq_core::dates::iso(first))
        .bind(antq_core::dates::iso(last))
        .fetch_all(db.pool())
        .await?;
    Ok(found
        .into_iter()
        .filter_map(|(s, a, d, on, n)| {
            let date = antq_core::dates::parse_date(&on).ok()?;
            let month = chrono::Datelike::month(&date) as u8;
            Some((
                ind,
                s,
                a,
                d,
                reporting_year(date),
                Some(month),
                String::new(),
                n * 1000,
            ))
        })
        .collect())
}

/// A stock at the end of each year of the range (`table`: models or
/// teams, both ended by `dissolved_on`): the records begun by then, counting those not yet ended (0 for a unit whose records all
/// ended, so its latest figure is 0, not an older one).
async fn stock(
    db: &Db,
    q: &Query<'_>,
    ind: i64,
    table: &str,
    begun: &str,
    extra: &str,
) -> StorageResult<Vec<Grouped>> {
    let subject = subject_sql(q.map);
    let sql = format!(
        "{years} \
         SELECT {subject}, t.ancestor_id, t.depth, y.year, \
                CAST(SUM(CASE WHEN x.dissolved_on IS NULL OR x.dissolved_on > y.day THEN 1 ELSE 0 END) AS BIGINT) \
         FROM {table} x \
         JOIN y ON {begun} <= y.day \
         JOIN units ux ON ux.id = x.unit_id AND (ux.valid_to IS NULL OR ux.valid_to >= y.day) \
         JOIN unit_data_map m ON m.unit_id = x.unit_id \
         JOIN unit_tree t ON t.descendant_id = {subject} \
         WHERE t.ancestor_id IN (SELECT descendant_id FROM unit_tree WHERE ancestor_id = $1) {extra} \
         GROUP BY {subject}, t.ancestor_id, t.depth, y.year",
        years = year_ends(q.range.from, q.range.to)
    );
    let found: Vec<(i64, i64, i64, i64, i64)> = sqlx::query_as(&sql)
        .bind(q.unit.id)
        .fetch_all(db.pool())
        .await?;
    Ok(found
        .into_iter()
        .map(|(s, a, d, y, n)| (ind, s, a, d, y as i32, None, String::new(), n * 1000))
        .collect())
}

/// The rows of the distinct count of model types: at the end of the range
/// (or of each year, by year), for the unit (or each child), over the
/// models in operation then.
pub async fn distinct_rows(
    db: &Db,
    q: &Query<'_>,
    ind: &Indicator,
    names: &HashMap<i64, (String, String)>,
) -> StorageResult<Vec<Row>> {
    let by_year = !matches!(q.by, None | Some(By::Child));
    let coarser = matches!(q.by, Some(By::Half) | Some(By::Quarter) | Some(By::Month));
    let by_child = matches!(q.by, Some(By::Child) | Some(By::ChildYear));
    let from = if by_year { q.range.from } else { q.range.to };
    let subject = subject_sql(q.map);
    let group = if by_child {
        format!(
            "COALESCE((SELECT c.id FROM unit_tree ct JOIN units c ON c.id = ct.ancestor_id \
              WHERE ct.descendant_id = {subject} AND c.parent_id = $1), $1)"
        )
    } else {
        "$1".to_string()
    };
    let sql = format!(
        "{years} \
         SELECT g, year, COUNT(DISTINCT type_id) FROM ( \
           SELECT {group} AS g, y.year AS year, x.type_id AS type_id \
           FROM models x \
           JOIN y ON x.started_on <= y.day AND (x.dissolved_on IS NULL OR x.dissolved_on > y.day) \
           JOIN units ux ON ux.id = x.unit_id AND (ux.valid_to IS NULL OR ux.valid_to >= y.day) \
           JOIN unit_data_map m ON m.unit_id = x.unit_id \
           WHERE {subject} IN (SELECT descendant_id FROM unit_tree WHERE ancestor_id = $1) \
         ) k GROUP BY g, year",
        years = year_ends(from, q.range.to)
    );
    let found: Vec<(i64, i64, i64)> = sqlx::query_as(&sql)
        .bind(q.unit.id)
        .fetch_all(db.pool())
        .await?;
    let mut rows: Vec<Row> = found
        .into_iter()
        .map(|(unit, year, n)| {
            let (code, name) = names.get(&unit).cloned().unwrap_or_default();
            Row {
                indicator: ind.code.clone(),
                unit: code,
                unit_name: name,
                period: if by_year {
                    year.to_string()
                } else {
                    q.range.code()
                },
                value: Some(n as f64),
                qualifier: None,
                unapproved: 0.0,
                flags: if coarser {
                    vec!["period_not_broken_down".to_string()]
                } else {
                    Vec::new()
                },
                source: FigureSource::Register,
                form_value: None,
                register_value: None,
                channel_value: None,
            }
        })
        .collect();
    rows.sort_by(|a, b| (&a.period, &a.unit).cmp(&(&b.period, &b.unit)));
    Ok(rows)
}

/// The distinct model types in operation at the end of `year` in a unit's
/// subtree (and lineage under `map=current`): the figure behind a page's
/// "44 loại mô hình".
pub async fn model_types_at(db: &Db, unit: &Unit, year: i32, map: MapMode) -> StorageResult<i64> {
    let Some(day) = year_end(year) else {
        return Ok(0);
    };
    let subject = subject_sql(map);
    let sql = format!(
        "SELECT COUNT(DISTINCT x.type_id) FROM models x \
         JOIN units ux ON ux.id = x.unit_id AND (ux.valid_to IS NULL OR ux.valid_to >= $2) \
         JOIN unit_data_map m ON m.unit_id = x.unit_id \
         WHERE x.started_on <= $2 AND (x.dissolved_on IS NULL OR x.dissolved_on > $2) \
           AND {subject} IN (SELECT descendant_id FROM unit_tree WHERE ancestor_id = $1)"
    );
    Ok(sqlx::query_scalar(&sql)
        .bind(unit.id)
        .bind(antq_core::dates::iso(day))
        .fetch_one(db.pool())
        .await?)
}

/// Give a catalogue made before the registries the indicators computed
/// from them (a new database has them from the seed): the distinct count
/// of model types, the recognition and classification figures and their
/// ratio (after its parts). Each addition audited; idempotent.
pub async fn ensure_indicators(db: &Db) -> StorageResult<()> {
    let existing: Vec<String> = sqlx::query_scalar("SELECT code FROM indicators")
        .fetch_all(db.pool())
        .await?;
    let mut missing: Vec<&antq_core::indicators::IndicatorSeed> =
        antq_core::indicators::REGISTER_ONLY
            .iter()
            .filter(|c| !existing.iter().any(|e| e == *c))
            .filter_map(|c| antq_core::indicators::seed(c))
            .collect();
    if missing.is_empty() {
        return Ok(());
    }
    // Ratios after their parts.
    missing.sort_by_key(|s| s.ratio.is_some());
    let mut tx = db.begin_write().await?;
    for seed in missing {
        let position: i64 = sqlx::query_scalar(
            "SELECT CAST(COALESCE(MAX(position), 0) + 1 AS BIGINT) FROM indicators",
        )
        .fetch_one(tx.conn())
        .await?;
        let (num, den) = match seed.ratio {
            Some((n, d)) => {
                let id_of = |code: &str| {
                    sqlx::query_scalar::<_, i64>("SELECT id FROM indicators WHERE code = $1")
                        .bind(code.to_string())
                };
                (
                    id_of(n).fetch_optional(tx.conn()).await?,
                    id_of(d).fetch_optional(tx.conn()).await?,
                )
            }
            None => (None, None),
        };
        sqlx::query(
            "INSERT INTO indicators (code, name_vi, name_en, unit, grp, value_type, aggregation, position, numerator_id, denominator_id) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
        )
        .bind(seed.code)
        .bind(seed.name_vi)
        .bind(seed.name_en)
        .bind(seed.unit)
        .bind(seed.group)
        .bind(seed.value_type.as_str())
        .bind(seed.aggregation.as_str())
        .bind(position)
        .bind(num)
        .bind(den)
        .execute(tx.conn())
        .await?;
        crate::audit::append(
            &mut tx,
            crate::audit::Change {
                who: &crate::audit::Who::system(),
                action: "indicator.create",
                entity: "indicator",
                entity_id: seed.code.to_string(),
                unit_id: None,
                before: None,
                after: Some(serde_json::json!({
                    "code": seed.code,
                    "group": seed.group,
                    "aggregation": seed.aggregation.as_str(),
                    "ratio": seed.ratio,
                })),
            },
        )
        .await?;
    }
    tx.commit().await?;
    Ok(())
}
