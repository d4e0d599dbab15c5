//! Recording an imported register: every award checked first, then all
//! written in one transaction, or none.

use super::awards_register::{
    check_decision, check_new, insert_tx, require_decider, Decision, NewAward,
};
use crate::accounts::access::Actor;
use crate::audit::Who;
use crate::db::Db;
use crate::error::{StorageError, StorageResult};

/// Record many decided awards at once (an imported register), all or
/// nothing: every award is checked first and each error is prefixed with
/// its label (where it came from); then all are written in one transaction,
/// or none when `dry_run`. Returns how many awards were (or would be) written.
pub async fn record_many(
    db: &Db,
    actor: Option<&Actor>,
    items: &[(String, NewAward, Decision)],
    dry_run: bool,
) -> StorageResult<usize> {
    let mut errors = Vec::new();
    let mut checked = Vec::with_capacity(items.len());
    for (label, a, d) in items {
        let r = async {
            check_decision(d)?;
            let (f, o) = check_new(db, actor, a).await?;
            if let Some(x) = actor {
                require_decider(db, x, &o, a.issuer_unit_id).await?;
            }
            Ok::<_, StorageError>((f, o))
        }
        .await;
        match r {
            Ok(fo) => checked.push((a, d, fo)),
            Err(StorageError::Forbidden) => errors.push(format!(
                "{label}: không có quyền ghi quyết định của cơ quan này"
            )),
            Err(StorageError::Database(e)) => return Err(StorageError::Database(e)),
            Err(e) => errors.push(format!("{label}: {e}")),
        }
    }
    if !errors.is_empty() {
        return Err(StorageError::Rejected(errors));
    }
    let who = actor.map(Actor::who).unwrap_or_else(Who::system);
    let mut tx = db.begin_write().await?;
    for (a, d, (f, o)) in &checked {
        insert_tx(&mut tx, &who, a, f, o, Some(d)).await?;
    }
    if !dry_run {
        tx.commit().await?;
    }
    Ok(checked.len())
}
