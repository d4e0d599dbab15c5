//! Proof-of-work challenges used up, in the database: the web layer keeps
//! its own list in memory too, but only this one is seen by every node.

use sha2::{Digest, Sha256};

use crate::db::Db;
use crate::error::StorageResult;

/// Spend `token` (valid until `expires_at`, seconds since 1970): true the
/// first time, false if any node spent it before. Expired rows go first.
pub async fn spend(db: &Db, token: &str, expires_at: i64, now: i64) -> StorageResult<bool> {
    let challenge = hex::encode(Sha256::digest(token.as_bytes()));
    db.write_unaudited(|mut tx| {
        let challenge = challenge.clone();
        async move {
            sqlx::query("DELETE FROM used_challenges WHERE expires_at < $1")
                .bind(now)
                .execute(tx.conn())
                .await?;
            let done = sqlx::query(
                "INSERT INTO used_challenges (challenge, expires_at) VALUES ($1, $2) \
                 ON CONFLICT (challenge) DO NOTHING",
            )
            .bind(&challenge)
            .bind(expires_at)
            .execute(tx.conn())
            .await?;
            tx.commit().await?;
            Ok(done.rows_affected() == 1)
        }
    })
    .await
}
