//! Counts in fixed windows kept in the database, so that a limit such as
//! "tips accepted per minute" holds for the whole system however many nodes
//! answer (a count in one process's memory would multiply by the nodes).

use crate::db::Db;
use crate::error::StorageResult;

/// Count one under `name` in the window starting at `window_start` if fewer
/// than `max` were counted there: true if counted, false if the window is
/// full. Windows before `window_start` are deleted. Two nodes counting at
/// once never both take the last place (one statement decides).
pub async fn take(db: &Db, name: &str, window_start: i64, max: u32) -> StorageResult<bool> {
    if max == 0 {
        return Ok(false);
    }
    let name = name.to_string();
    db.write_unaudited(|mut tx| {
        let name = name.clone();
        async move {
            sqlx::query("DELETE FROM window_counts WHERE name = $1 AND window_start < $2")
                .bind(&name)
                .bind(window_start)
                .execute(tx.conn())
                .await?;
            let counted: Option<i64> = sqlx::query_scalar(
                "INSERT INTO window_counts (name, window_start, n) VALUES ($1, $2, 1) \
                 ON CONFLICT (name, window_start) DO UPDATE SET n = window_counts.n + 1 \
                 WHERE window_counts.n < $3 RETURNING n",
            )
            .bind(&name)
            .bind(window_start)
            .bind(i64::from(max))
            .fetch_optional(tx.conn())
            .await?;
            tx.commit().await?;
            Ok(counted.is_some())
        }
    })
    .await
}

/// Forget every count of a window that started before `window_start`
/// (while serving, each minute: what is kept says nothing of when the
/// tips came beyond the current minute).
pub async fn forget_before(db: &Db, window_start: i64) -> StorageResult<()> {
    db.write_unaudited(|mut tx| async move {
        sqlx::query("DELETE FROM window_counts WHERE window_start < $1")
            .bind(window_start)
            .execute(tx.conn())
            .await?;
        tx.commit().await
    })
    .await
}
