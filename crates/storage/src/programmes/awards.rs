//! The award register: forms, offices and the rules between them (data an
//! administrator edits), awards from proposal to decision, recipients.
//! (Owned by the awards work of issue 12.)

use crate::db::Db;
use crate::error::StorageResult;

/// Seed the award forms, offices and rules (Luật Thi đua, khen thưởng 2022). Idempotent.
pub async fn seed_if_empty(_db: &Db) -> StorageResult<()> {
    Ok(())
}
