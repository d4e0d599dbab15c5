//! The registries of the movement (issue 13): models and exemplary cases
//! (`models`), grassroots organisations and teams (`teams`), the
//! safety-standard recognition (`recognitions`), the movement
//! classification (`classifications`), the rules an administrator may
//! change (`settings`), and the figures the registers give to analytics
//! (`figures`). Schema: `schema_v11_*.sql`, one file per registry.

pub mod classifications;
pub mod figures;
pub mod models;
pub mod recognitions;
pub mod settings;
pub mod teams;

use crate::db::Db;
use crate::error::StorageResult;

/// Seed what every database starts with (model types, team kinds,
/// criteria, score-sheet templates, default rules). Idempotent; run at
/// every start by `crate::prepare`.
pub async fn seed_if_empty(db: &Db) -> StorageResult<()> {
    figures::ensure_indicators(db).await?;
    models::seed_if_empty(db).await?;
    teams::seed_if_empty(db).await?;
    recognitions::seed_if_empty(db).await?;
    classifications::seed_if_empty(db).await?;
    Ok(())
}
