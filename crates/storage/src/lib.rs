//! antq's storage: one schema on SQLite (embedded, the default) and
//! PostgreSQL (production). SQL is written once with `$N` placeholders and
//! portable types; the few dialect differences (DDL types, triggers, sequence
//! resets) are branches in this crate and nowhere else.

pub mod accounts;
pub mod audit;
pub mod backup;
pub mod batch;
pub mod db;
pub mod demo;
pub mod error;
pub mod migrations;
pub mod portal;
pub mod programmes;
pub mod registries;
pub mod reviews;
pub mod search;
pub mod statistics;
pub mod testing;
pub mod tips;
pub mod units;

pub use db::{Backend, Db, WriteTx};

/// Bring a database up to date: migrations, the official units, the
/// indicator catalogue, and the derived tables. Idempotent; run at every start.
pub async fn prepare(db: &Db) -> StorageResult<()> {
    migrations::run(db).await?;
    units::admin_units::load_official_if_empty(db).await?;
    statistics::catalogue::seed_if_empty(db).await?;
    programmes::seed_if_empty(db).await?;
    registries::seed_if_empty(db).await?;
    tips::categories::seed_if_empty(db).await?;
    units::ensure_data_map(db).await?;
    Ok(())
}
pub use error::{StorageError, StorageResult};
