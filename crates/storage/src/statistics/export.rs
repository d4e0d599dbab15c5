//! Reading stored values out: for files (long CSV, DHIS2) and for
//! prefilled Excel templates.

use std::collections::HashMap;

use antq_core::imports::ExportValue;
use antq_core::periods::YearRange;
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
        "SELECT u.code, r.period, b.body \
         FROM reports r JOIN report_values b ON b.report_id = r.id JOIN units u ON u.id = r.unit_id \
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
    // Indicators in catalogue order (position), then options by code.
    let indicators: HashMap<i64, (i64, String)> =
        sqlx::query_as::<_, (i64, i64, String)>("SELECT id, position, code FROM indicators")
            .fetch_all(db.pool())
            .await?
            .into_iter()
            .map(|(id, position, code)| (id, (position, code)))
            .collect();
    let mut out = Vec::new();
    for r in &rows {
        let body: Vec<u8> = r.get(2);
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
                form: form.code.clone(),
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
