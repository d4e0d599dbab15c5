//! Grassroots security organisations and teams: kinds as data, teams with members over time, the yearly evaluation with its quota and leader rules (HD 01/HD-BCA-V05).
//! Schema: `schema_v11_teams.sql`. (Owned by the teams work of issue 13.)

use crate::db::Db;
use crate::error::StorageResult;

/// Seed this registry's starting data once (idempotent).
pub async fn seed_if_empty(_db: &Db) -> StorageResult<()> {
    Ok(())
}
