//! Reading stored values out: for files (long CSV, DHIS2) and for
//! prefilled Excel templates.

use std::collections::HashMap;

use antq_core::dates::Date;
use antq_core::imports::ExportValue;
use antq_core::periods::YearRange;
use sqlx::any::AnyRow;
use sqlx::Row;

use crate::db::Db;
use crate::error::StorageResult;
use crate::statistics::catalogue::Form;
use crate::units::Unit;

/// Values of a form for the units under `parent` (as it is in the tree), in
/// a range of years, limited by `scope_sql` (a condition on `r.unit_id`).
pub async fn values(
    db: &Db,
    form: &Form,
    parent: &Unit,
    range: YearRange,
    scope_sql: &str,
) -> StorageResult<Vec<ExportValue>> {
    let rows = sqlx::query(&format!(
        "SELECT u.code, r.period, b.body, f.code \
         FROM reports r JOIN report_values b ON b.report_id = r.id JOIN units u ON u.id = r.unit_id \
         JOIN forms f ON f.id = r.form_id \
         WHERE r.form_id = $1 AND r.period_year BETWEEN $2 AND $3 \
           AND r.unit_id IN (SELECT descendant_id FROM unit_tree WHERE ancestor_id = $4) \
           AND ({scope_sql}) \
         ORDER BY r.period, u.code"
    ))
    .bind(form.id)
    .bind(i64::from(range.from))
    .bind(i64::from(range.to))
    .bind(parent.id)
    .fetch_all(db.pool())
    .await?;
    decode_rows(db, &rows).await
}

/// What a DHIS2 `dataValueSets` export asks for: forms (`dataSet`), units
/// (`orgUnit`, with their descendants when `children=true`), and periods
/// (`period` codes, or every period lying between `startDate` and
/// `endDate`: starting on or after the one, ending on or before the other).
pub struct Selection<'a> {
    pub forms: &'a [Form],
    /// Each unit, and whether the units under it count too. Without, the
    /// unit's code selects its reports (of every version of the code).
    pub units: &'a [(Unit, bool)],
    pub periods: &'a [String],
    pub dates: Option<(Date, Date)>,
    /// A condition on `r.unit_id` (the reader's scope).
    pub scope_sql: &'a str,
}

/// The values a [`Selection`] names, by period, unit, then indicator.
pub async fn select(db: &Db, s: &Selection<'_>) -> StorageResult<Vec<ExportValue>> {
    let form_ids: Vec<i64> = s.forms.iter().map(|f| f.id).collect();
    let under: Vec<i64> = s.units.iter().filter(|u| u.1).map(|u| u.0.id).collect();
    let own: Vec<&str> = s
        .units
        .iter()
        .filter(|u| !u.1)
        .map(|u| u.0.code.as_str())
        .collect();
    // Parameters: unit codes, then periods, then the two dates.
    let mut n = 0;
    let mut marks = |k: usize| {
        let m: Vec<String> = (0..k).map(|i| format!("${}", n + i + 1)).collect();
        n += k;
        if m.is_empty() {
            "NULL".to_string()
        } else {
            m.join(", ")
        }
    };
    let own_marks = marks(own.len());
    let period_marks = marks(s.periods.len());
    let dates_sql = match s.dates {
        Some(_) => {
            let m = marks(2);
            let (a, b) = m.split_once(", ").unwrap_or_default();
            format!("(r.period_start >= {a} AND r.period_end <= {b})")
        }
        None => "1 = 0".to_string(),
    };
    let sql = format!(
        "SELECT u.code, r.period, b.body, f.code \
         FROM reports r JOIN report_values b ON b.report_id = r.id JOIN units u ON u.id = r.unit_id \
         JOIN forms f ON f.id = r.form_id \
         WHERE r.form_id IN ({forms}) \
           AND (u.code IN ({own_marks}) \
                OR r.unit_id IN (SELECT descendant_id FROM unit_tree WHERE ancestor_id IN ({under}))) \
           AND (r.period IN ({period_marks}) OR {dates_sql}) \
           AND ({scope}) \
         ORDER BY r.period, u.code, f.code",
        forms = crate::db::id_list(&form_ids),
        under = crate::db::id_list(&under),
        scope = s.scope_sql,
    );
    let mut q = sqlx::query(&sql);
    for c in &own {
        q = q.bind(*c);
    }
    for p in s.periods {
        q = q.bind(p.as_str());
    }
    if let Some((a, b)) = s.dates {
        q = q.bind(a.format("%Y-%m-%d").to_string());
        q = q.bind(b.format("%Y-%m-%d").to_string());
    }
    let rows = q.fetch_all(db.pool()).await?;
    decode_rows(db, &rows).await
}

/// Rows of (unit code, period, body, form code) as values: indicators in
/// catalogue order (position), then options by code.
async fn decode_rows(db: &Db, rows: &[AnyRow]) -> StorageResult<Vec<ExportValue>> {
    let indicators: HashMap<i64, (i64, String)> =
        sqlx::query_as::<_, (i64, i64, String)>("SELECT id, position, code FROM indicators")
            .fetch_all(db.pool())
            .await?
            .into_iter()
            .map(|(id, position, code)| (id, (position, code)))
            .collect();
    let mut out = Vec::new();
    for r in rows {
        let body: Vec<u8> = r.get(2);
        let form: String = r.get(3);
        let mut values = crate::statistics::report_values::decode(&body)?;
        values.sort_by_cached_key(|v| {
            let position = indicators.get(&v.indicator_id).map_or(i64::MAX, |i| i.0);
            (position, v.option.clone())
        });
        for v in values {
            let Some((_, ind)) = indicators.get(&v.indicator_id) else {
                continue;
            };
            out.push(ExportValue {
                form: form.clone(),
                unit: r.get(0),
                period: r.get(1),
                key: if v.option.is_empty() {
                    ind.clone()
                } else {
                    format!("{ind}.{}", v.option)
                },
                milli: v.milli,
                qualifier: v.qualifier.as_str().to_string(),
                comment: v.comment,
            });
        }
    }
    Ok(out)
}
