//! The figures `nguon_tin` (information received from citizens) and
//! `nguon_tin_gia_tri` (of which valuable) of a unit and a span of days,
//! counted from the tips its police handle (never from their content). A
//! tip routed past the unit it implicates counts where it is handled.

use std::collections::HashMap;

use antq_core::periods::{Calendar, Period};
use chrono::NaiveDate;

use crate::db::Db;
use crate::error::StorageResult;
use crate::statistics::analytics::{Query, Row};

/// (received, valuable) tips handled in the unit's subtree, received
/// between `from` and `to` (inclusive). A tip judged valuable counts as
/// valuable also once closed (and after its content was destroyed).
pub async fn counts(
    db: &Db,
    unit_id: i64,
    from: NaiveDate,
    to: NaiveDate,
) -> StorageResult<(i64, i64)> {
    let (all, valuable): (i64, i64) = sqlx::query_as(
        "SELECT COUNT(*), CAST(COALESCE(SUM(t.valued), 0) AS BIGINT) \
         FROM tips t WHERE t.unit_id IN (SELECT descendant_id FROM unit_scope WHERE ancestor_id = $1) \
         AND t.received_on >= $2 AND t.received_on <= $3",
    )
    .bind(unit_id)
    .bind(from.to_string())
    .bind(to.to_string())
    .fetch_one(db.pool())
    .await?;
    Ok((all, valuable))
}

/// The indicators the tip channel stands beside.
pub const CHANNEL_FEEDS: [&str; 2] = ["nguon_tin", "nguon_tin_gia_tri"];

/// Put beside each reported `nguon_tin` / `nguon_tin_gia_tri` figure the
/// count of tips received through antq's channel by the same unit in the
/// same period (`channel_value`): beside, never instead, for the reported
/// figure also counts what came by telephone, by letter or in person.
/// Periods that ended before the first tip ever received are left alone
/// (the channel did not exist then).
pub async fn beside(db: &Db, q: &Query<'_>, rows: &mut [Row]) -> StorageResult<()> {
    if !rows
        .iter()
        .any(|r| CHANNEL_FEEDS.contains(&r.indicator.as_str()))
    {
        return Ok(());
    }
    let first: Option<String> = sqlx::query_scalar("SELECT MIN(received_on) FROM tips")
        .fetch_one(db.pool())
        .await?;
    let Some(first) = first.and_then(|d| d.parse::<NaiveDate>().ok()) else {
        return Ok(());
    };
    let mut ids: HashMap<String, i64> =
        sqlx::query_as::<_, (String, i64)>("SELECT code, id FROM units WHERE parent_id = $1")
            .bind(q.unit.id)
            .fetch_all(db.pool())
            .await?
            .into_iter()
            .collect();
    ids.insert(q.unit.code.clone(), q.unit.id);
    let mut known: HashMap<(i64, NaiveDate, NaiveDate), (i64, i64)> = HashMap::new();
    for row in rows
        .iter_mut()
        .filter(|r| CHANNEL_FEEDS.contains(&r.indicator.as_str()))
    {
        let (Some(&unit_id), Ok(period)) = (ids.get(&row.unit), Period::parse(&row.period)) else {
            continue;
        };
        let Ok((from, to)) = period.dates(Calendar::Reporting) else {
            continue;
        };
        if to < first {
            continue;
        }
        let (all, valuable) = match known.get(&(unit_id, from, to)) {
            Some(c) => *c,
            None => {
                let c = counts(db, unit_id, from, to).await?;
                known.insert((unit_id, from, to), c);
                c
            }
        };
        let n = if row.indicator == CHANNEL_FEEDS[0] {
            all
        } else {
            valuable
        };
        row.channel_value = Some(n as f64);
    }
    Ok(())
}
