//! One cluster taken out for the competent unit: the identifier (masked)
//! with its counts across the country and the categories of its tips, and
//! the tips that report it *within the actor's units* — their numbers,
//! days, units, categories and states; never what a tip says nor anything
//! about who sent it. Tips outside the actor's units are only counted.
//! Taking a cluster out is an access: audited (`tip_cluster.export`, with
//! the numbers of the tips listed).

use antq_core::auth::Action;
use serde_json::json;

use crate::accounts::access::Actor;
use crate::audit::{self, Change};
use crate::db::Db;
use crate::error::{StorageError, StorageResult};
use crate::tips::clusters::{self, Cluster};
use crate::tips::inbox::{self, TipRow};

/// Most tips one export lists (the count above them is exact).
pub const MAX_TIPS: i64 = 5_000;

/// A cluster as exported.
#[derive(Debug, Clone)]
pub struct ClusterExport {
    pub cluster: Cluster,
    /// Codes of the categories of the tips counted, in no special order.
    pub categories: Vec<String>,
    /// The tips within the actor's units, oldest first.
    pub tips: Vec<TipRow>,
}

/// The hash a cluster's key names (64 hex digits), or "not found".
fn hash_of(key: &str) -> StorageResult<Vec<u8>> {
    let not_found = || StorageError::not_found("cụm định danh này");
    if key.len() != 64 {
        return Err(not_found());
    }
    hex::decode(key).map_err(|_| not_found())
}

/// The cluster with this key, as the actor may see it (not found unless
/// the identifier is reported in one of the actor's tips), audited as an
/// export in `format` (`xlsx`, `csv`).
pub async fn export(
    db: &Db,
    actor: &Actor,
    key: &str,
    format: &str,
) -> StorageResult<ClusterExport> {
    let hash = hash_of(key)?;
    let cluster = clusters::one(db, actor, &hash)
        .await?
        .ok_or_else(|| StorageError::not_found("cụm định danh này"))?;
    let scope_t = actor.scope_sql(Action::HandleTips, "t.unit_id");
    let categories: Vec<String> = sqlx::query_scalar(&format!(
        "SELECT DISTINCT t.category_code FROM tip_identifiers i JOIN tips t ON t.id = i.tip_id \
         WHERE i.hash = $1 AND t.destroyed_on IS NULL \
           AND (t.concerns_unit_id IS NULL OR {scope_t})"
    ))
    .bind(&hash)
    .fetch_all(db.pool())
    .await?;
    let tips = inbox::listed_with_identifier(db, actor, &hash, MAX_TIPS).await?;
    let ids: Vec<i64> = tips.iter().map(|t| t.id).collect();
    let who = actor.who();
    let after = json!({
        "format": format,
        "kind": cluster.kind,
        "display": cluster.display,
        "tips": cluster.tips,
        "tips_listed": ids,
    });
    let (who, after, key) = (&who, &after, key);
    db.write(|mut tx| async move {
        audit::append(
            &mut tx,
            Change {
                who,
                action: "tip_cluster.export",
                entity: "tip_cluster",
                entity_id: key.to_string(),
                unit_id: None,
                before: None,
                after: Some(after.clone()),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(())
    })
    .await?;
    Ok(ClusterExport {
        cluster,
        categories,
        tips,
    })
}
