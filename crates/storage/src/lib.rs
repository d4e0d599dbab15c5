//! antq's storage: one schema on SQLite (embedded, the default) and
//! PostgreSQL (production). SQL is written once with `$N` placeholders and
//! portable types; the few dialect differences (DDL types, triggers, sequence
//! resets) are branches in this crate and nowhere else.

pub mod access;
pub mod admin_units;
pub mod analytics;
pub mod areas;
pub mod audit;
pub mod batch;
pub mod catalogue;
pub mod catalogue_edit;
pub mod comments;
pub mod db;
pub mod demo;
pub mod demo_data;
pub mod error;
pub mod export;
pub mod import;
pub mod migrations;
pub mod orgs;
pub mod report_values;
pub mod reports;
pub mod reviews;
pub mod rollups;
pub mod sessions;
pub mod synthetic;
pub mod testing;
pub mod units;
pub mod users;

pub use db::{Backend, Db, WriteTx};

/// Bring a database up to date: migrations, the official units, the
/// indicator catalogue, and the derived tables. Idempotent; run at every start.
pub async fn prepare(db: &Db) -> StorageResult<()> {
    migrations::run(db).await?;
    admin_units::load_official_if_empty(db).await?;
    catalogue::seed_if_empty(db).await?;
    units::ensure_data_map(db).await?;
    Ok(())
}
pub use error::{StorageError, StorageResult};
