//! Reading stored values out: for files (long CSV, DHIS2) and for
//! prefilled Excel templates.

use antq_core::imports::ExportValue;
use antq_core::periods::YearRange;
use sqlx::Row;

use crate::catalogue::Form;
use crate::db::Db;
use crate::error::StorageResult;
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
        "SELECT u.code, r.period, i.code, v.option_code, v.value_milli, v.qualifier, v.comment \
         FROM data_values v JOIN reports r ON r.id = v.report_id JOIN units u ON u.id = r.unit_id \
         JOIN indicators i ON i.id = v.indicator_id \
         WHERE r.form_id = $1 AND r.period_year BETWEEN $2 AND $3 \
           AND r.unit_id IN (SELECT descendant_id FROM unit_tree WHERE ancestor_id = $4) \
           AND ({scope_sql}) \
         ORDER BY r.period, u.code, i.position, v.option_code"
    ))
    .bind(form.id)
    .bind(i64::from(range.from))
    .bind(i64::from(range.to))
    .bind(parent.id)
    .fetch_all(db.pool())
    .await?;
    Ok(rows
        .iter()
        .map(|r| {
            let option: String = r.get(3);
            let ind: String = r.get(2);
            ExportValue {
                form: form.code.clone(),
                unit: r.get(0),
                period: r.get(1),
                key: if option.is_empty() {
                    ind
                } else {
                    format!("{ind}.{option}")
                },
                milli: r.get(4),
                qualifier: r.get(5),
                comment: r.get(6),
            }
        })
        .collect())
}
