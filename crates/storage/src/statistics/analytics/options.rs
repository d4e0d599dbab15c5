//! Totals of breakdown options (the reviews' awards by recipient): from
//! `rollup_option` above the commune over whole years, else from the
//! reports.

use std::collections::BTreeMap;

use antq_core::indicators::{Aggregation, Qualifier};
use antq_core::units::Level;

use super::{from_rollups, period_filter, subject_and_approval, Query};
use crate::db::Db;
use crate::error::StorageResult;
use crate::statistics::catalogue::Indicator;

/// Totals of a breakdown's options for the whole range (indicator code,
/// option code, thousandths, any qualifier), on the same subtree and
/// approval rules as [`run`]. Read from `rollup_option` for a unit above
/// the commune over whole years; from the reports for a commune or for
/// some periods only (`periods`).
pub async fn option_totals(
    db: &Db,
    q: &Query<'_>,
    periods: Option<&[String]>,
) -> StorageResult<Vec<(String, String, i64, Option<Qualifier>)>> {
    let from_reports = periods.is_some() || q.unit.level == Level::Commune;
    option_totals_read(db, q, periods, from_reports).await
}

/// [`option_totals`] summed from the reports whatever the unit (tests and
/// benchmarks compare it with the rollups).
#[doc(hidden)]
pub async fn option_totals_from_reports(
    db: &Db,
    q: &Query<'_>,
    periods: Option<&[String]>,
) -> StorageResult<Vec<(String, String, i64, Option<Qualifier>)>> {
    option_totals_read(db, q, periods, true).await
}

/// (indicator, option) → [sum, more, nearly, about]
pub(super) type OptionSums = BTreeMap<(i64, String), [i64; 4]>;

async fn option_totals_read(
    db: &Db,
    q: &Query<'_>,
    periods: Option<&[String]>,
    from_reports: bool,
) -> StorageResult<Vec<(String, String, i64, Option<Qualifier>)>> {
    let with_options: Vec<&Indicator> = q
        .indicators
        .iter()
        .filter(|i| !i.options.is_empty() && i.aggregation == Aggregation::Sum)
        .collect();
    if with_options.is_empty() {
        return Ok(Vec::new());
    }
    let mut sums = if from_reports {
        option_sums_from_reports(db, q, &with_options, periods).await?
    } else {
        from_rollups::option_sums(db, q, &with_options).await?
    };
    // The register's counts replace the forms of the same unit and year, as in [`run`].
    if let Some(reg) = crate::programmes::figures::gather(db, q, &with_options, periods).await? {
        for f in &reg.replaced_forms {
            if let Some(s) = sums.get_mut(&(f.indicator_id, f.option.clone())) {
                s[0] -= f.milli;
            }
        }
        for c in reg.cells.iter().filter(|c| !c.option.is_empty()) {
            sums.entry((c.indicator_id, c.option.clone())).or_default()[0] += c.milli;
        }
    }
    let rows = sums
        .into_iter()
        .map(|((id, option), [milli, more, nearly, about])| {
            (id, option, milli, more, nearly, about)
        });
    Ok(rows
        .filter_map(|(id, option, milli, more, nearly, about)| {
            let ind = with_options.iter().find(|i| i.id == id)?;
            // Mixed qualifiers combine as the rollups do ("hơn" and "gần" make "khoảng").
            let qualifier = [
                (more, Qualifier::MoreThan),
                (nearly, Qualifier::Nearly),
                (about, Qualifier::About),
            ]
            .into_iter()
            .filter(|(n, _)| *n > 0)
            .fold(Qualifier::Exact, |acc, (_, q)| acc.combine(q))
            .non_exact();
            Some((ind.code.clone(), option, milli, qualifier))
        })
        .collect())
}

/// The options' sums read from every report of the subtree and range.
async fn option_sums_from_reports(
    db: &Db,
    q: &Query<'_>,
    with_options: &[&Indicator],
    periods: Option<&[String]>,
) -> StorageResult<OptionSums> {
    let (subject, approved) = subject_and_approval(q);
    let sql = format!(
        "SELECT b.body FROM reports r JOIN report_values b ON b.report_id = r.id \
         JOIN unit_data_map m ON m.unit_id = r.unit_id \
         WHERE r.period_year BETWEEN $2 AND $3 {approved} {within} \
           AND {subject} IN (SELECT descendant_id FROM unit_tree WHERE ancestor_id = $1)",
        within = period_filter(periods)
    );
    let bodies: Vec<Vec<u8>> = sqlx::query_scalar(&sql)
        .bind(q.unit.id)
        .bind(i64::from(q.range.from))
        .bind(i64::from(q.range.to))
        .fetch_all(db.pool())
        .await?;
    let mut sums = OptionSums::new();
    for body in &bodies {
        for e in crate::statistics::report_values::entries(body)? {
            let e = e?;
            if e.option.is_empty() || !with_options.iter().any(|i| i.id == e.indicator_id) {
                continue;
            }
            let s = sums
                .entry((e.indicator_id, e.option.to_string()))
                .or_default();
            s[0] += e.milli;
            match e.qualifier {
                Qualifier::MoreThan => s[1] += 1,
                Qualifier::Nearly => s[2] += 1,
                Qualifier::About => s[3] += 1,
                Qualifier::Exact => {}
            }
        }
    }
    Ok(sums)
}
