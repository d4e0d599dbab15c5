//! Synthetic national data for benchmarks: a quarterly form of 40
//! indicators reported by every legacy commune from 2016 to mid-2025 and by
//! every current commune after (about 15 million values at scale 1), loaded
//! in bulk, approved, with the rollups rebuilt.

use std::time::{Duration, Instant};

use antq_core::auth::Role;
use antq_core::dates;
use antq_core::periods::{Calendar, Period, PeriodType};
use antq_core::units::Level;

use antq_core::indicators::Qualifier;

use crate::batch::Val;
use crate::db::{id_list, Db};
use crate::error::{StorageError, StorageResult};
use crate::statistics::report_values::StoredValue;
use crate::units::{next_id, sync_sequence};

pub const FORM: &str = "bench-quy";
pub const INDICATORS: usize = 40;

/// What a load did and how long it took.
#[derive(Debug, Clone, Copy)]
pub struct Generated {
    pub reports: usize,
    pub values: usize,
    pub insert: Duration,
    pub rollups: Duration,
}

fn rng(mut x: u64) -> u64 {
    x = x.wrapping_add(0x9E37_79B9_7F4A_7C15);
    x = (x ^ (x >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    x = (x ^ (x >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    x ^ (x >> 31)
}

/// Create the benchmark form and its indicators if missing; returns (form id, indicator ids).
async fn ensure_form(db: &Db) -> StorageResult<(i64, Vec<i64>)> {
    if let Some(id) = sqlx::query_scalar::<_, i64>("SELECT id FROM forms WHERE code = $1")
        .bind(FORM)
        .fetch_optional(db.pool())
        .await?
    {
        let ids: Vec<i64> = sqlx::query_scalar(
            "SELECT indicator_id FROM form_indicators WHERE form_id = $1 ORDER BY position",
        )
        .bind(id)
        .fetch_all(db.pool())
        .await?;
        return Ok((id, ids));
    }
    let mut tx = db.begin_write().await?;
    let form_id: i64 = sqlx::query_scalar(
        "INSERT INTO forms (code, name_vi, name_en, period_type, calendar, owner_role, levels, deadline_days) \
         VALUES ($1, 'Biểu thử tải (quý)', 'Benchmark form (quarterly)', $2, $3, $4, 'commune', 10) RETURNING id",
    )
    .bind(FORM)
    .bind(PeriodType::Quarter.as_str())
    .bind(Calendar::Calendar.as_str())
    .bind(Role::Police.as_str())
    .fetch_one(tx.conn())
    .await?;
    let mut ids = Vec::new();
    for i in 1..=INDICATORS {
        let code = format!("bench_{i:02}");
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO indicators (code, name_vi, name_en, unit, grp, value_type, aggregation, position) \
             VALUES ($1, $2, $3, 'lượt', 'tuyen_truyen', 'integer', 'sum', $4) RETURNING id",
        )
        .bind(&code)
        .bind(format!("Chỉ tiêu thử tải {i}"))
        .bind(format!("Benchmark indicator {i}"))
        .bind(1000 + i as i64)
        .fetch_one(tx.conn())
        .await?;
        sqlx::query(
            "INSERT INTO form_indicators (form_id, indicator_id, position) VALUES ($1, $2, $3)",
        )
        .bind(form_id)
        .bind(id)
        .bind(i as i64)
        .execute(tx.conn())
        .await?;
        ids.push(id);
    }
    tx.commit().await?;
    Ok((form_id, ids))
}

/// Load the synthetic data. `every`: take one commune in `every` (1 = all).
/// `progress` is called with the number of values written so far.
pub async fn generate(
    db: &Db,
    every: usize,
    mut progress: impl FnMut(usize),
) -> StorageResult<Generated> {
    let (form_id, indicators) = ensure_form(db).await?;
    let legacy: Vec<i64> = sqlx::query_scalar(
        "SELECT id FROM units WHERE level = $1 AND valid_to = '2025-06-30' ORDER BY id",
    )
    .bind(Level::Commune.as_str())
    .fetch_all(db.pool())
    .await?;
    let current: Vec<i64> = sqlx::query_scalar(
        "SELECT id FROM units WHERE level = $1 AND valid_to IS NULL ORDER BY id",
    )
    .bind(Level::Commune.as_str())
    .fetch_all(db.pool())
    .await?;
    let every = every.max(1);
    let mut quarters: Vec<(Period, bool)> = Vec::new();
    for year in 2016..=2026 {
        for q in 1..=4u8 {
            let p = Period::new(year, PeriodType::Quarter, q)?;
            let legacy_era = year < 2025 || (year == 2025 && q <= 2);
            quarters.push((p, legacy_era));
        }
    }
    // The baseline's table: the same values one row per value, as a plain
    // system would store them (`baseline_by_year`).
    sqlx::raw_sql(
        "CREATE TABLE IF NOT EXISTS bench_raw_values (report_id BIGINT NOT NULL, \
         indicator_id BIGINT NOT NULL, value_milli BIGINT NOT NULL, PRIMARY KEY (report_id, indicator_id)); \
         CREATE INDEX IF NOT EXISTS bench_raw_values_indicator ON bench_raw_values (indicator_id)",
    )
    .execute(db.pool())
    .await?;
    let started = Instant::now();
    let mut raw_time = Duration::ZERO;
    let mut written = 0usize;
    let mut reports = 0usize;
    let now = dates::timestamp(dates::now_utc());
    let mut next_report = {
        let mut tx = db.begin_write().await?;
        let n = next_id(&mut tx, "reports").await?;
        tx.commit().await?;
        n
    };
    for (p, legacy_era) in &quarters {
        let units = if *legacy_era { &legacy } else { &current };
        let (start, end) = p.dates(Calendar::Calendar)?;
        let mut report_rows = Vec::new();
        let mut value_rows = Vec::new();
        let mut raw_rows = Vec::new();
        for (n, unit) in units.iter().enumerate().filter(|(n, _)| n % every == 0) {
            let id = next_report;
            next_report += 1;
            report_rows.push(vec![
                Val::Int(id),
                Val::Int(form_id),
                Val::Int(*unit),
                Val::Text(p.code()),
                Val::Int(i64::from(p.year)),
                Val::Text(dates::iso(start)),
                Val::Text(dates::iso(end)),
                Val::Text("approved".into()),
                Val::Text(now.clone()),
                Val::Text("bench".into()),
                Val::OptText(None),
                Val::Text(now.clone()),
            ]);
            let mut values = Vec::with_capacity(indicators.len());
            for (k, ind) in indicators.iter().enumerate() {
                let r = rng((*unit as u64) << 20
                    ^ (p.year as u64) << 8
                    ^ (p.index as u64) << 4
                    ^ k as u64
                    ^ n as u64);
                let milli = ((r % 200) as i64) * 1000;
                values.push(StoredValue {
                    indicator_id: *ind,
                    option: String::new(),
                    milli,
                    qualifier: Qualifier::Exact,
                    comment: None,
                });
                raw_rows.push(vec![Val::Int(id), Val::Int(*ind), Val::Int(milli)]);
            }
            written += values.len();
            value_rows.push(crate::statistics::report_values::row(
                id,
                &mut values,
                &now,
                "bench",
            ));
        }
        reports += report_rows.len();
        let mut tx = db.begin_write().await?;
        crate::statistics::reports::bulk_insert(&mut tx, report_rows, value_rows).await?;
        tx.commit().await?;
        let t = Instant::now();
        let mut tx = db.begin_write().await?;
        crate::batch::insert_rows(
            &mut tx,
            "bench_raw_values",
            &["report_id", "indicator_id", "value_milli"],
            raw_rows,
        )
        .await?;
        tx.commit().await?;
        raw_time += t.elapsed();
        progress(written);
    }
    let insert = started.elapsed() - raw_time;
    let t = Instant::now();
    let mut tx = db.begin_write().await?;
    sync_sequence(&mut tx, db.backend(), "reports").await?;
    crate::statistics::rollups::rebuild(&mut tx).await?;
    tx.commit().await?;
    sqlx::query("ANALYZE").execute(db.pool()).await?;
    Ok(Generated {
        reports,
        values: written,
        insert,
        rollups: t.elapsed(),
    })
}

/// The synthetic values of the communes under some of today's provinces
/// (or the nation), as a long CSV to import: the legacy communes whose data
/// now belongs there from 2016 to 2025Q2, today's communes after. Whole
/// provinces keep the real shape of the data (several legacy communes per
/// commune of today). Returns the file and its number of values.
pub async fn import_csv(db: &Db, units: &[i64]) -> StorageResult<(Vec<u8>, usize)> {
    let mut out = Vec::new();
    let n = write_csv(db, units, &mut out).await?;
    Ok((out, n))
}

/// [`import_csv`] written to `out` as it is made (the national file is
/// about 520 MB): the number of values.
pub async fn write_csv<W: std::io::Write>(
    db: &Db,
    units: &[i64],
    out: &mut W,
) -> StorageResult<usize> {
    let (_, indicators) = ensure_form(db).await?;
    let codes: Vec<String> = sqlx::query_scalar(&format!(
        "SELECT code FROM indicators WHERE id IN ({}) ORDER BY position",
        id_list(&indicators)
    ))
    .fetch_all(db.pool())
    .await?;
    let list = id_list(units);
    let legacy: Vec<(i64, String)> = sqlx::query_as(&format!(
        "SELECT DISTINCT u.id, u.code FROM units u JOIN unit_data_map m ON m.unit_id = u.id \
         JOIN unit_tree t ON t.descendant_id = m.current_id \
         WHERE t.ancestor_id IN ({list}) AND u.level = $1 AND u.valid_to = '2025-06-30' ORDER BY u.id"
    ))
    .bind(Level::Commune.as_str())
    .fetch_all(db.pool())
    .await?;
    let current: Vec<(i64, String)> = sqlx::query_as(&format!(
        "SELECT DISTINCT u.id, u.code FROM units u JOIN unit_tree t ON t.descendant_id = u.id \
         WHERE t.ancestor_id IN ({list}) AND u.level = $1 AND u.valid_to IS NULL ORDER BY u.id"
    ))
    .bind(Level::Commune.as_str())
    .fetch_all(db.pool())
    .await?;
    let io = |e: std::io::Error| StorageError::Conflict(format!("không ghi được tệp: {e}"));
    out.write_all(b"unit,period,indicator,value,qualifier,comment\n")
        .map_err(io)?;
    let mut n = 0usize;
    for year in 2016..=2026 {
        for q in 1..=4u8 {
            let p = Period::new(year, PeriodType::Quarter, q)?;
            let legacy_era = year < 2025 || (year == 2025 && q <= 2);
            let units = if legacy_era { &legacy } else { &current };
            let code = p.code();
            for (unit, unit_code) in units {
                for (k, ind) in codes.iter().enumerate() {
                    let r =
                        rng((*unit as u64) << 20 ^ (year as u64) << 8 ^ (q as u64) << 4 ^ k as u64);
                    writeln!(out, "{unit_code},{code},{ind},{},exact,", r % 200).map_err(io)?;
                    n += 1;
                }
            }
        }
    }
    Ok(n)
}

/// The number of stored values.
pub async fn count_values(db: &Db) -> StorageResult<i64> {
    Ok(
        sqlx::query_scalar("SELECT CAST(COALESCE(SUM(n_values), 0) AS BIGINT) FROM report_values")
            .fetch_one(db.pool())
            .await?,
    )
}

/// The baseline: a plain indexed GROUP BY over the raw values (one row per
/// value in `bench_raw_values`, written beside antq's own rows), for a unit's
/// subtree in today's map, by indicator and year (approved only).
pub async fn baseline_by_year(
    db: &Db,
    unit_id: i64,
    indicators: &[i64],
    from: i32,
    to: i32,
) -> StorageResult<Vec<(i64, i64, i64)>> {
    let sql = format!(
        "SELECT v.indicator_id, r.period_year, CAST(SUM(v.value_milli) AS BIGINT) FROM bench_raw_values v \
         JOIN reports r ON r.id = v.report_id JOIN unit_data_map m ON m.unit_id = r.unit_id \
         JOIN unit_tree t ON t.descendant_id = m.current_id \
         WHERE t.ancestor_id = $1 AND v.indicator_id IN ({}) AND r.period_year BETWEEN $2 AND $3 \
           AND r.state = 'approved' GROUP BY v.indicator_id, r.period_year",
        id_list(indicators)
    );
    Ok(sqlx::query_as(&sql)
        .bind(unit_id)
        .bind(i64::from(from))
        .bind(i64::from(to))
        .fetch_all(db.pool())
        .await?)
}

/// The baseline for the national table: by indicator, child unit and year.
pub async fn baseline_by_child_year(
    db: &Db,
    unit_id: i64,
    indicators: &[i64],
    from: i32,
    to: i32,
) -> StorageResult<Vec<(i64, i64, i64, i64)>> {
    let sql = format!(
        "SELECT v.indicator_id, t.ancestor_id, r.period_year, CAST(SUM(v.value_milli) AS BIGINT) FROM bench_raw_values v \
         JOIN reports r ON r.id = v.report_id JOIN unit_data_map m ON m.unit_id = r.unit_id \
         JOIN unit_tree t ON t.descendant_id = m.current_id \
         WHERE t.ancestor_id IN (SELECT id FROM units WHERE parent_id = $1) \
           AND v.indicator_id IN ({}) AND r.period_year BETWEEN $2 AND $3 \
           AND r.state = 'approved' GROUP BY v.indicator_id, t.ancestor_id, r.period_year",
        id_list(indicators)
    );
    Ok(sqlx::query_as(&sql)
        .bind(unit_id)
        .bind(i64::from(from))
        .bind(i64::from(to))
        .fetch_all(db.pool())
        .await?)
}
