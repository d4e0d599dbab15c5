//! Safety-standard recognition ("An toàn về an ninh, trật tự", TT 124/2021/TT-BCA): registration, dossier, criteria checklist and decision per subject and year.
//! Schema: `schema_v11_recognitions.sql`. (Owned by the recognitions work of issue 13.)

use crate::db::Db;
use crate::error::StorageResult;

/// Seed this registry's starting data once (idempotent).
pub async fn seed_if_empty(_db: &Db) -> StorageResult<()> {
    Ok(())
}
