//! Movement classification (QĐ 510/QĐ-BCA-V05): score-sheet templates per subject kind, self-scoring, review by the level above, bands by configured thresholds, deadlines.
//! Schema: `schema_v11_classifications.sql`. (Owned by the classifications work of issue 13.)

use crate::db::Db;
use crate::error::StorageResult;

/// Seed this registry's starting data once (idempotent).
pub async fn seed_if_empty(_db: &Db) -> StorageResult<()> {
    Ok(())
}
