//! Failed logins counted in the database, so that the limits on guesses at
//! one account, and from one address by strangers, hold however many nodes
//! answer (the web layer's throttle keeps its finer counters in each
//! process's memory).

use antq_core::dates;

use crate::db::Db;
use crate::error::StorageResult;

/// Failures at or after `since` (a timestamp): of `account` (a keyed hash),
/// and from `address` (a keyed hash; 0 when None).
pub async fn counts_since(
    db: &Db,
    account: &str,
    address: Option<&str>,
    since: &str,
) -> StorageResult<(i64, i64)> {
    Ok(sqlx::query_as(
        "SELECT (SELECT COUNT(*) FROM login_failures WHERE account = $1 AND at >= $3), \
                (SELECT COUNT(*) FROM login_failures WHERE address = $2 AND at >= $3)",
    )
    .bind(account)
    .bind(address)
    .bind(since)
    .fetch_one(db.pool())
    .await?)
}

/// Record one failure of `account` now (from `address`, for a stranger's
/// attempt), and forget every failure older than `since`.
pub async fn record(
    db: &Db,
    account: &str,
    address: Option<&str>,
    since: &str,
) -> StorageResult<()> {
    let account = account.to_string();
    let address = address.map(str::to_string);
    let since = since.to_string();
    db.write_unaudited(|mut tx| {
        let (account, address, since) = (account.clone(), address.clone(), since.clone());
        async move {
            sqlx::query("DELETE FROM login_failures WHERE at < $1")
                .bind(&since)
                .execute(tx.conn())
                .await?;
            sqlx::query("INSERT INTO login_failures (account, address, at) VALUES ($1, $2, $3)")
                .bind(&account)
                .bind(&address)
                .bind(dates::timestamp(dates::now_utc()))
                .execute(tx.conn())
                .await?;
            tx.commit().await
        }
    })
    .await
}
