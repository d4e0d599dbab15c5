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
/// indicator catalogue, and the derived tables. Idempotent; run at every
/// start. On PostgreSQL the whole of it holds an advisory lock on a
/// connection of its own: nodes started together take turns (the first
/// does the work, the others find it done); the lock goes with the
/// connection if the process dies.
pub async fn prepare(db: &Db) -> StorageResult<()> {
    const PREPARE_LOCK: i64 = 0x616e_7471_7072_6570; // "antqprep"
    let mut held = None;
    if db.backend() == Backend::Postgres {
        let mut conn = db.pool().acquire().await?;
        sqlx::query("SELECT pg_advisory_lock($1)")
            .bind(PREPARE_LOCK)
            .execute(&mut *conn)
            .await?;
        held = Some(conn);
    }
    let done = prepare_steps(db).await;
    if let Some(mut conn) = held {
        let _ = sqlx::query("SELECT pg_advisory_unlock($1)")
            .bind(PREPARE_LOCK)
            .execute(&mut *conn)
            .await;
    }
    done
}

async fn prepare_steps(db: &Db) -> StorageResult<()> {
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
