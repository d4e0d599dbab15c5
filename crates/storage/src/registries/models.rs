//! Models ("mô hình") and exemplary cases: the national model-type taxonomy, a unit's models with their states, sites and teams, replication as a link, exemplary cases (HD 22/HD-BCA-V05).
//! Schema: `schema_v11_models.sql`. (Owned by the models work of issue 13.)

use crate::db::Db;
use crate::error::StorageResult;

/// Seed this registry's starting data once (idempotent).
pub async fn seed_if_empty(_db: &Db) -> StorageResult<()> {
    Ok(())
}
