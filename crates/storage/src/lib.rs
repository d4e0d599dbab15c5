//! antq's storage: one schema on SQLite (embedded, the default) and
//! PostgreSQL (production). SQL is written once with `$N` placeholders and
//! portable types; the few dialect differences (DDL types, triggers, sequence
//! resets) are branches in this crate and nowhere else.

pub mod access;
pub mod admin_units;
pub mod areas;
pub mod audit;
pub mod batch;
pub mod db;
pub mod demo;
pub mod error;
pub mod migrations;
pub mod orgs;
pub mod sessions;
pub mod testing;
pub mod units;
pub mod users;

pub use db::{Backend, Db, WriteTx};
pub use error::{StorageError, StorageResult};
