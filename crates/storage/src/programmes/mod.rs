//! The events behind the figures (issue 12): the document library and its
//! search (`documents`), coordination programmes and plans (`plans`),
//! conferences and events (`conferences`), the award register and its
//! proposal → decision workflow (`awards`), the counts read from the award
//! register (`award_counts`), the programme that covers a review's stage
//! (`coverage`), and the figures the registries give to
//! analytics and reviews (`figures`). Schema: `schema_v10.sql`.

pub mod award_counts;
pub mod awards;
pub mod conferences;
pub mod coverage;
pub mod documents;
pub mod figures;
pub mod plans;

use crate::db::Db;
use crate::error::StorageResult;

/// Seed what every database starts with: the national programme 09 and its
/// successor, the award forms, offices and the rules between them.
/// Idempotent; run at every start by `crate::prepare`.
pub async fn seed_if_empty(db: &Db) -> StorageResult<()> {
    documents::seed_if_empty(db).await?;
    awards::seed_if_empty(db).await?;
    Ok(())
}
