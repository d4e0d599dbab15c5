//! The figures `nguon_tin` (information received from citizens) and
//! `nguon_tin_gia_tri` (of which valuable) of a unit and a span of days,
//! counted from the tips its police handle (never from their content). A
//! tip routed past the unit it implicates counts where it is handled.

use chrono::NaiveDate;

use crate::db::Db;
use crate::error::StorageResult;

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
