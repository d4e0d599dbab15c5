//! What backups need from the database itself: a consistent copy of a
//! SQLite database taken while it serves, whether a database is empty (a
//! restore refuses to overwrite data), and a fingerprint of its contents
//! to compare a restored copy with its original. Running `pg_dump` and
//! `pg_restore` for PostgreSQL is the binary's work (`antq backup`).

use std::path::Path;

use sqlx::Row;

use crate::db::{Backend, Db};
use crate::error::{StorageError, StorageResult};

/// Copy a SQLite database into `to` (which must not exist) with `VACUUM
/// INTO`: one read transaction, so the copy is the database as it was at
/// one moment, taken while others keep writing (readers and the writer
/// are not stopped in WAL mode). The copy is compact and whole.
pub async fn sqlite_copy(db: &Db, to: &Path) -> StorageResult<()> {
    if db.backend() != Backend::Sqlite {
        return Err(StorageError::Invalid(antq_core::DomainError::invalid(
            "chỉ sao lưu SQLite bằng VACUUM INTO",
        )));
    }
    let path = to.to_str().ok_or_else(|| {
        StorageError::Invalid(antq_core::DomainError::invalid(
            "đường dẫn tệp sao lưu phải là UTF-8",
        ))
    })?;
    sqlx::query("VACUUM INTO $1")
        .bind(path)
        .execute(db.pool())
        .await?;
    Ok(())
}

/// Does the database hold no table at all (a restore may go into it)?
pub async fn is_empty(db: &Db) -> StorageResult<bool> {
    let sql = match db.backend() {
        Backend::Sqlite => {
            "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
        }
        Backend::Postgres => {
            "SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = current_schema()"
        }
    };
    let n: i64 = sqlx::query(sql).fetch_one(db.pool()).await?.get(0);
    Ok(n == 0)
}

/// A database's contents in a few numbers: two databases with the same
/// fingerprint hold the same audit chain and the same values.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fingerprint {
    /// Rows of the audit log, and the hash of the last one.
    pub audit_rows: i64,
    pub audit_head: Option<String>,
    pub reports: i64,
    /// Reports by state ("draft", "submitted", "approved", …).
    pub reports_by_state: Vec<(String, i64)>,
    /// The packed values of every report, hashed in report order.
    pub values_hash: String,
}

pub async fn fingerprint(db: &Db) -> StorageResult<Fingerprint> {
    use sha2::{Digest, Sha256};
    let audit_rows: i64 = sqlx::query("SELECT COUNT(*) FROM audit_log")
        .fetch_one(db.pool())
        .await?
        .get(0);
    let audit_head: Option<String> =
        sqlx::query("SELECT hash FROM audit_log ORDER BY id DESC LIMIT 1")
            .fetch_optional(db.pool())
            .await?
            .map(|r| r.get(0));
    let reports_by_state: Vec<(String, i64)> =
        sqlx::query("SELECT state, COUNT(*) FROM reports GROUP BY state ORDER BY state")
            .fetch_all(db.pool())
            .await?
            .iter()
            .map(|r| (r.get(0), r.get(1)))
            .collect();
    let reports = reports_by_state.iter().map(|(_, n)| n).sum();
    let mut hasher = Sha256::new();
    let mut after = 0i64;
    loop {
        let rows = sqlx::query(
            "SELECT report_id, body FROM report_values WHERE report_id > $1 ORDER BY report_id LIMIT 2000",
        )
        .bind(after)
        .fetch_all(db.pool())
        .await?;
        let Some(last) = rows.last() else { break };
        after = last.get(0);
        for r in &rows {
            let id: i64 = r.get(0);
            let body: Vec<u8> = r.get(1);
            hasher.update(id.to_le_bytes());
            hasher.update((body.len() as u64).to_le_bytes());
            hasher.update(body);
        }
    }
    Ok(Fingerprint {
        audit_rows,
        audit_head,
        reports,
        reports_by_state,
        values_hash: hex::encode(hasher.finalize()),
    })
}
