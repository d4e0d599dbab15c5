//! Destruction after retention: a closed tip whose retention period has
//! passed, and that no legal hold keeps, loses its content, its keys, its
//! messages, attachments and identifiers; the row stays, with the day of
//! destruction, so the figures and the record that a destruction happened
//! remain (audited).

use chrono::NaiveDate;
use serde_json::json;

use crate::audit::{self, Who};
use crate::db::Db;
use crate::error::StorageResult;
use crate::tips::inbox::act;

/// Destroy every tip due on or before `today`. Returns how many.
pub async fn sweep(db: &Db, today: NaiveDate) -> StorageResult<usize> {
    let day = today.to_string();
    let due: Vec<(i64, i64)> = sqlx::query_as(
        "SELECT id, unit_id FROM tips WHERE destroyed_on IS NULL AND legal_hold = 0 \
         AND destroy_on IS NOT NULL AND destroy_on <= $1 ORDER BY id LIMIT 1000",
    )
    .bind(&day)
    .fetch_all(db.pool())
    .await?;
    let who = Who::system();
    let mut destroyed = 0;
    for (id, unit_id) in &due {
        let (id, unit_id, who, day) = (*id, *unit_id, &who, &day);
        let done = db.write(|mut tx| async move {
            for table in ["tip_keys", "tip_escrow_keys", "tip_attachments", "tip_identifiers"] {
                sqlx::query(&format!("DELETE FROM {table} WHERE tip_id = $1"))
                    .bind(id)
                    .execute(tx.conn())
                    .await?;
            }
            sqlx::query("DELETE FROM tip_messages WHERE tip_id = $1")
                .bind(id)
                .execute(tx.conn())
                .await?;
            // Re-checked here: a hold or new information since the list.
            let n = sqlx::query(
                "UPDATE tips SET content = NULL, tipster_key = NULL, destroyed_on = $1, version = version + 1 \
                 WHERE id = $2 AND legal_hold = 0 AND destroy_on <= $1 AND destroyed_on IS NULL",
            )
            .bind(day)
            .bind(id)
            .execute(tx.conn())
            .await?
            .rows_affected();
            if n == 0 {
                // Rolled back: held or postponed since the list was read.
                return Ok(false);
            }
            audit::append(&mut tx, act(who, "tip.destroy", id, unit_id, json!({"on": day}))).await?;
            tx.commit().await?;
            Ok(true)
        })
        .await?;
        if done {
            destroyed += 1;
        }
    }
    Ok(destroyed)
}
