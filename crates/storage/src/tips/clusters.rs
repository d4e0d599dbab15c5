//! The cyberspace picture: a scam identifier (a phone number, a bank
//! account, a web address…) reported in several tips, seen together. Only
//! keyed hashes and a masked form are stored, so identifiers match without
//! being kept in clear. An officer sees the identifiers reported in the
//! tips of their units, each once with its counts across the whole country
//! (counts only, never the other tips nor who reported them); a tip that
//! implicates a unit is counted only for those who may handle it.

use antq_core::auth::Action;
use antq_core::tips::identifiers::IdentifierKind;
use serde::Serialize;

use crate::accounts::access::Actor;
use crate::db::Db;
use crate::error::StorageResult;

/// One identifier and where it was reported.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Cluster {
    pub kind: IdentifierKind,
    /// Masked: "09x xxx x567".
    pub display: String,
    /// Tips that report it.
    pub tips: i64,
    /// Of which in the caller's units.
    pub tips_here: i64,
    /// Communes (or other units) where it happened.
    pub units: i64,
    pub provinces: i64,
    pub first_seen: String,
    pub last_seen: String,
    /// The hash, as hex: the cluster's address for its export.
    pub key: String,
}

/// kind, masked, tips, tips here, units, provinces, first, last, hash.
type ClusterRow = (String, String, i64, i64, i64, i64, String, String, Vec<u8>);

/// The clusters seen in the actor's units (optionally only under `unit_id`),
/// most reported first; `min_tips` drops identifiers reported fewer times.
pub async fn clusters(
    db: &Db,
    actor: &Actor,
    unit_id: Option<i64>,
    min_tips: i64,
    limit: i64,
) -> StorageResult<Vec<Cluster>> {
    query(db, actor, unit_id, min_tips, limit, None).await
}

/// The cluster of one identifier (by its hash), if the actor sees it:
/// reported in at least one tip of the actor's units.
pub async fn one(db: &Db, actor: &Actor, hash: &[u8]) -> StorageResult<Option<Cluster>> {
    Ok(query(db, actor, None, 1, 1, Some(hash)).await?.pop())
}

async fn query(
    db: &Db,
    actor: &Actor,
    unit_id: Option<i64>,
    min_tips: i64,
    limit: i64,
    hash: Option<&[u8]>,
) -> StorageResult<Vec<Cluster>> {
    let scope = actor.scope_sql(Action::HandleTips, "t2.unit_id");
    let scope_t = actor.scope_sql(Action::HandleTips, "t.unit_id");
    let only = if hash.is_some() {
        "AND i2.hash = $4"
    } else {
        ""
    };
    let sql = format!(
        "SELECT i.kind, MIN(i.masked), COUNT(DISTINCT i.tip_id), \
                COUNT(DISTINCT CASE WHEN {scope_t} THEN i.tip_id END), \
                COUNT(DISTINCT t.place_unit_id), COUNT(DISTINCT p.ancestor_id), \
                MIN(t.received_on), MAX(t.received_on), i.hash \
         FROM tip_identifiers i JOIN tips t ON t.id = i.tip_id \
         LEFT JOIN (SELECT ut.descendant_id, ut.ancestor_id FROM unit_tree ut \
                    JOIN units pu ON pu.id = ut.ancestor_id WHERE pu.level = 'province') p \
                ON p.descendant_id = t.place_unit_id \
         WHERE t.destroyed_on IS NULL \
           AND (t.concerns_unit_id IS NULL OR {scope_t}) \
           AND i.hash IN (SELECT i2.hash FROM tip_identifiers i2 JOIN tips t2 ON t2.id = i2.tip_id \
                          WHERE t2.destroyed_on IS NULL AND ({scope}) {only} \
                          AND ($1 IS NULL OR t2.unit_id IN (SELECT descendant_id FROM unit_scope WHERE ancestor_id = $1))) \
         GROUP BY i.kind, i.hash \
         HAVING COUNT(DISTINCT i.tip_id) >= $2 \
         ORDER BY COUNT(DISTINCT i.tip_id) DESC, MAX(t.received_on) DESC LIMIT $3"
    );
    let mut q = sqlx::query_as::<_, ClusterRow>(&sql)
        .bind(unit_id)
        .bind(min_tips.max(1))
        .bind(limit.clamp(1, 500));
    if let Some(h) = hash {
        q = q.bind(h.to_vec());
    }
    let rows = q.fetch_all(db.pool()).await?;
    rows.into_iter()
        .map(
            |(kind, display, tips, here, units, provinces, first, last, hash)| {
                Ok(Cluster {
                    kind: kind.parse()?,
                    display,
                    tips,
                    tips_here: here,
                    units,
                    provinces,
                    first_seen: first,
                    last_seen: last,
                    key: hex::encode(hash),
                })
            },
        )
        .collect()
}
