//! The connection pool and write transactions.

use std::sync::Arc;
use std::time::Duration;

use sqlx::any::{AnyConnectOptions, AnyPoolOptions};
use sqlx::{Any, AnyPool, ConnectOptions, Executor, Transaction};
use tokio::sync::{Mutex, OwnedMutexGuard};

use crate::error::StorageResult;

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
        Ok(Db {
            pool,
            backend,
            write_lock: Arc::new(Mutex::new(())),
        })
    }

    pub fn backend(&self) -> Backend {
        self.backend
    }

    pub fn pool(&self) -> &AnyPool {
        &self.pool
    }

    /// Begin a transaction that will write.
    pub async fn begin_write(&self) -> StorageResult<WriteTx> {
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

/// Ids as a literal SQL list (`1, 2, 3`): integers from the database, so
/// safe to inline, and the planners then read the key once per id.
pub(crate) fn id_list(ids: &[i64]) -> String {
    ids.iter()
        .map(i64::to_string)
        .collect::<Vec<_>>()
        .join(", ")
}
