//! The connection pool and write transactions.

use std::sync::Arc;
use std::time::Duration;

use sqlx::any::{AnyConnectOptions, AnyPoolOptions};
use sqlx::{Any, AnyPool, ConnectOptions, Executor, Transaction};
use tokio::sync::{Mutex, OwnedMutexGuard};

use crate::error::{StorageError, StorageResult};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

impl Backend {
    pub fn from_url(url: &str) -> Option<Backend> {
        if url.starts_with("sqlite:") {
            Some(Backend::Sqlite)
        } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            Some(Backend::Postgres)
        } else {
            None
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Backend::Sqlite => "SQLite",
            Backend::Postgres => "PostgreSQL",
        }
    }
}

/// The database. Cheap to clone.
#[derive(Clone)]
pub struct Db {
    pool: AnyPool,
    backend: Backend,
    /// SQLite allows one writer; taking writes in turn inside the process
    /// avoids "database is locked" when two read-then-write transactions meet.
    write_lock: Arc<Mutex<()>>,
    /// The catalogue as this process last read it (shared by the clones).
    catalogue: Arc<crate::statistics::catalogue_cache::CatalogueCache>,
    /// Where saves are queued to be committed together; `None` in the
    /// clone its writer holds (so the writer ends with the last handle).
    saves: Option<crate::statistics::reports::SaveQueue>,
}

impl std::fmt::Debug for Db {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Db")
            .field("backend", &self.backend)
            .finish()
    }
}

/// A transaction that changes data. Commit it, or it rolls back when dropped.
pub struct WriteTx {
    pub tx: Transaction<'static, Any>,
    backend: Backend,
    _guard: Option<OwnedMutexGuard<()>>,
}

impl WriteTx {
    pub fn backend(&self) -> Backend {
        self.backend
    }

    /// The connection to run statements on.
    pub fn conn(&mut self) -> &mut sqlx::AnyConnection {
        &mut self.tx
    }

    pub async fn commit(self) -> StorageResult<()> {
        self.tx.commit().await?;
        Ok(())
    }

    /// Roll back now, releasing the audit head (PostgreSQL) and the write
    /// lock (SQLite) at once rather than when the connection is next used.
    pub async fn rollback(self) -> StorageResult<()> {
        self.tx.rollback().await?;
        Ok(())
    }
}

impl Db {
    /// Connect to `sqlite://path` or `postgres://...`. SQLite databases are
    /// created if missing and run in WAL mode with `synchronous = FULL`, so an
    /// acknowledged commit survives a power cut.
    pub async fn connect(url: &str) -> StorageResult<Db> {
        sqlx::any::install_default_drivers();
        let backend = Backend::from_url(url).ok_or_else(|| {
            crate::StorageError::Invalid(antq_core::DomainError::invalid(
                "địa chỉ cơ sở dữ liệu phải bắt đầu bằng sqlite: hoặc postgres://",
            ))
        })?;
        let url = match backend {
            Backend::Sqlite if !url.contains("mode=") => {
                let sep = if url.contains('?') { '&' } else { '?' };
                format!("{url}{sep}mode=rwc")
            }
            _ => url.to_string(),
        };
        let options: AnyConnectOptions = url.parse()?;
        let options = options
            .log_statements(tracing::log::LevelFilter::Trace)
            .log_slow_statements(tracing::log::LevelFilter::Warn, Duration::from_secs(30));
        let max = match backend {
            Backend::Sqlite => 8,
            Backend::Postgres => 16,
        };
        let pool = AnyPoolOptions::new()
            .max_connections(max)
            .acquire_timeout(Duration::from_secs(15))
            .after_connect(move |conn, _| {
                Box::pin(async move {
                    if backend == Backend::Sqlite {
                        conn.execute(
                            "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; PRAGMA cache_size = -65536; PRAGMA temp_store = MEMORY; \
                             PRAGMA foreign_keys = ON; PRAGMA busy_timeout = 10000;",
                        )
                        .await?;
                    }
                    Ok(())
                })
            })
            .connect_with(options)
            .await?;
        let mut db = Db {
            pool,
            backend,
            write_lock: Arc::new(Mutex::new(())),
            catalogue: Arc::default(),
            saves: None,
        };
        db.saves = Some(crate::statistics::reports::SaveQueue::start(db.clone()));
        Ok(db)
    }

    pub fn backend(&self) -> Backend {
        self.backend
    }

    pub fn pool(&self) -> &AnyPool {
        &self.pool
    }

    /// How many saves this process committed in batches of more than one
    /// (see `statistics::reports::saves`).
    pub fn saves_committed_together(&self) -> u64 {
        self.saves.as_ref().map_or(0, |q| q.committed_together())
    }

    /// The queue of saves (see `statistics::reports::saves`); `None` in
    /// the queue's own writer.
    pub(crate) fn saves(&self) -> Option<&crate::statistics::reports::SaveQueue> {
        self.saves.as_ref()
    }

    pub(crate) fn catalogue_cache(&self) -> &crate::statistics::catalogue_cache::CatalogueCache {
        &self.catalogue
    }

    /// Run a write transaction: begun by [`Db::begin_write`] (the audit
    /// head locked first), handed to `f`, which commits it (or drops it to
    /// roll back, as a dry run does). A transaction that meets a deadlock or
    /// a serialization failure (PostgreSQL rolled all of it back) is run
    /// again from the start, up to [`MAX_ATTEMPTS`] times with a short
    /// jittered pause: nothing of a failed attempt was applied, so nothing
    /// is applied twice. Every other error is returned at once.
    ///
    /// `f` must not have effects outside the transaction that a second run
    /// would repeat.
    pub async fn write<T, F, Fut>(&self, f: F) -> StorageResult<T>
    where
        F: FnMut(WriteTx) -> Fut,
        Fut: std::future::Future<Output = StorageResult<T>>,
    {
        self.run(true, f).await
    }

    /// [`Db::write`] for a transaction that never appends to the audit log
    /// (begun by [`Db::begin_unaudited`]): retried the same way.
    pub async fn write_unaudited<T, F, Fut>(&self, f: F) -> StorageResult<T>
    where
        F: FnMut(WriteTx) -> Fut,
        Fut: std::future::Future<Output = StorageResult<T>>,
    {
        self.run(false, f).await
    }

    async fn run<T, F, Fut>(&self, audited: bool, mut f: F) -> StorageResult<T>
    where
        F: FnMut(WriteTx) -> Fut,
        Fut: std::future::Future<Output = StorageResult<T>>,
    {
        let mut attempt = 1;
        loop {
            let tx = if audited {
                self.begin_write().await?
            } else {
                self.begin_unaudited().await?
            };
            match f(tx).await {
                Err(e) if attempt < MAX_ATTEMPTS && is_transient(&e) => {
                    let pause = backoff(attempt);
                    tracing::warn!(attempt, pause_ms = pause.as_millis() as u64, error = %e, "write transaction retried");
                    tokio::time::sleep(pause).await;
                    attempt += 1;
                }
                r => return r,
            }
        }
    }

    /// Begin a transaction that will write. On PostgreSQL its first
    /// statement locks the audit chain's head row, before any other row:
    /// every writer that audits (nearly all do) then takes its locks in one
    /// order (the head, then report rows by id, then rollup rows in key
    /// order), so two writers can wait for each other but never deadlock.
    /// Saves committed together (`statistics::reports::saves`) lock their
    /// rows save after save: safe because the head, taken first, already
    /// makes every audited writer wait for the batch.
    /// SQLite takes the in-process write lock instead. Prefer [`Db::write`],
    /// which also retries.
    pub async fn begin_write(&self) -> StorageResult<WriteTx> {
        let mut tx = self.begin_unaudited().await?;
        if self.backend == Backend::Postgres {
            sqlx::query("SELECT last_id FROM audit_head WHERE id = 1 FOR UPDATE")
                .fetch_optional(tx.conn())
                .await?;
        }
        Ok(tx)
    }

    /// Begin a transaction that writes but never appends to the audit log
    /// (migrations, which run before the log exists; a session's last
    /// activity), without waiting for the audit head.
    pub async fn begin_unaudited(&self) -> StorageResult<WriteTx> {
        let guard = match self.backend {
            Backend::Sqlite => Some(self.write_lock.clone().lock_owned().await),
            Backend::Postgres => None,
        };
        let tx = self.pool.begin().await?;
        Ok(WriteTx {
            tx,
            backend: self.backend,
            _guard: guard,
        })
    }

    /// Is the database reachable?
    pub async fn ping(&self) -> StorageResult<()> {
        sqlx::query("SELECT 1").execute(&self.pool).await?;
        Ok(())
    }

    pub async fn close(&self) {
        self.pool.close().await;
    }
}

/// How many times [`Db::write`] runs a transaction that keeps meeting
/// deadlocks or serialization failures.
pub const MAX_ATTEMPTS: u32 = 5;

/// Did the database refuse the transaction because of another one running
/// at the same time (PostgreSQL `40P01` deadlock detected, `40001`
/// serialization failure; SQLite busy, which another process writing the
/// same file can still cause)? Classified by code, never by message.
pub fn is_transient(e: &StorageError) -> bool {
    match e {
        StorageError::Database(sqlx::Error::Database(db)) => matches!(
            db.code().as_deref(),
            // SQLITE_BUSY, SQLITE_BUSY_RECOVERY, SQLITE_BUSY_SNAPSHOT.
            Some("40P01" | "40001" | "5" | "261" | "517")
        ),
        _ => false,
    }
}

/// The pause before attempt `attempt + 1`: 10, 20, 40, 80 ms, each plus up
/// to as much again at random, so writers that met do not meet again.
fn backoff(attempt: u32) -> Duration {
    let base = 10u64 << (attempt - 1).min(6);
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.subsec_nanos())
        .unwrap_or(0);
    // A cheap spread: the clock's nanoseconds mixed (splitmix-style).
    let mut x = u64::from(nanos) ^ 0x9E37_79B9_7F4A_7C15;
    x = (x ^ (x >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    x ^= x >> 27;
    Duration::from_millis(base + x % (base + 1))
}

/// Ids as a literal SQL list (`1, 2, 3`): integers from the database, so
/// safe to inline, and the planners then read the key once per id. An
/// empty list gives `NULL`, so `IN (NULL)` matches nothing instead of
/// `IN ()`, which PostgreSQL refuses.
pub(crate) fn id_list(ids: &[i64]) -> String {
    if ids.is_empty() {
        return "NULL".to_string();
    }
    ids.iter()
        .map(i64::to_string)
        .collect::<Vec<_>>()
        .join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_empty_list_matches_nothing_yet_parses() {
        assert_eq!(id_list(&[]), "NULL");
        assert_eq!(id_list(&[3, 1]), "3, 1");
    }

    #[test]
    fn pauses_grow_and_stay_bounded() {
        for attempt in 1..MAX_ATTEMPTS {
            let p = backoff(attempt).as_millis() as u64;
            let base = 10u64 << (attempt - 1);
            assert!((base..=2 * base).contains(&p), "{attempt}: {p}");
        }
    }

    #[test]
    fn only_conflicts_between_transactions_are_retried() {
        assert!(!is_transient(&StorageError::Conflict("x".into())));
        assert!(!is_transient(&StorageError::Database(
            sqlx::Error::RowNotFound
        )));
    }
}
