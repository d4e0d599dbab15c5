//! Failed logins counted in the database, so that the limit on guesses at
//! one account holds however many nodes answer (the web layer's throttle
//! keeps its finer counters in each process's memory).

use antq_core::dates;

use crate::db::Db;
use crate::error::StorageResult;

/// Failures of `account` (a keyed hash) at or after `since` (a timestamp).
pub async fn count_since(db: &Db, account: &str, since: &str) -> StorageResult<i64> {
    Ok(
        sqlx::query_scalar("SELECT COUNT(*) FROM login_failures WHERE account = $1 AND at >= $2")
            .bind(account)
            .bind(since)
            .fetch_one(db.pool())
            .await?,
    )
}

/// Record one failure of `account` now, and forget every account's
/// failures older than `since`.
pub async fn record(db: &Db, account: &str, since: &str) -> StorageResult<()> {
    let account = account.to_string();
    let since = since.to_string();
    db.write_unaudited(|mut tx| {
        let (account, since) = (account.clone(), since.clone());
        async move {
            sqlx::query("DELETE FROM login_failures WHERE at < $1")
                .bind(&since)
                .execute(tx.conn())
                .await?;
            sqlx::query("INSERT INTO login_failures (account, at) VALUES ($1, $2)")
                .bind(&account)
                .bind(dates::timestamp(dates::now_utc()))
                .execute(tx.conn())
                .await?;
            tx.commit().await
        }
    })
    .await
}
