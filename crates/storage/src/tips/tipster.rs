//! The tipster's side, with the receipt only: the receipt opens the tip's
//! key (sealed by a key derived from it), the tipster reads the replies
//! and questions and adds information. Nothing is recorded of the tipster
//! but what they write and the day they wrote it; new information
//! postpones the tip's destruction.

use antq_core::dates;
use antq_core::tips::receipt::Receipt;
use antq_core::tips::states::{destroy_on, TipState};
use antq_core::tips::submission::TipContent;
use antq_vault::{Keyed, TipKey};
use serde::Serialize;

use crate::accounts::users::Argon2Slots;
use crate::db::Db;
use crate::error::{StorageError, StorageResult};
use crate::tips::inbox::{messages, Message};
use crate::tips::receive::{CONTENT_AAD, MESSAGE_AAD};

/// The most messages a tipster may add to one tip.
pub const MAX_TIPSTER_MESSAGES: i64 = 100;

/// Open a tip with its receipt: its id and key, or `None` when no tip has
/// this receipt (or it was destroyed). The key derivation is slow on
/// purpose; callers throttle attempts.
pub async fn open_with_receipt(
    db: &Db,
    keyed: &Keyed,
    receipt: &Receipt,
) -> StorageResult<Option<(i64, TipKey)>> {
    let hash = keyed.receipt(receipt.as_str()).to_vec();
    let row: Option<(i64, Option<Vec<u8>>)> = sqlx::query_as(
        "SELECT id, tipster_key FROM tips WHERE receipt_hash = $1 AND destroyed_on IS NULL",
    )
    .bind(hash)
    .fetch_optional(db.pool())
    .await?;
    let Some((id, Some(sealed))) = row else {
        return Ok(None);
    };
    let digits = receipt.as_str().to_string();
    let key = Argon2Slots::global()
        .run(move || antq_vault::unlock_tip_key(&sealed, &digits))
        .await?
        .map_err(|e| StorageError::Conflict(e.to_string()))?;
    Ok(Some((id, key)))
}

/// What the tipster sees of their tip.
#[derive(Debug, Clone, Serialize)]
pub struct TipsterView {
    pub received_on: String,
    /// Only whether it is still being looked at or closed, in words.
    pub open: bool,
    pub content: TipContent,
    pub messages: Vec<Message>,
}

/// The tipster's view, and the officers' messages marked as seen.
pub async fn view(db: &Db, id: i64, key: &TipKey) -> StorageResult<TipsterView> {
    let (received_on, state, content): (String, String, Option<Vec<u8>>) =
        sqlx::query_as("SELECT received_on, state, content FROM tips WHERE id = $1")
            .bind(id)
            .fetch_optional(db.pool())
            .await?
            .ok_or_else(|| StorageError::not_found("tin báo"))?;
    let plain = antq_vault::open(key, &content.unwrap_or_default(), CONTENT_AAD)
        .map_err(|e| StorageError::Conflict(e.to_string()))?;
    let content: TipContent =
        serde_json::from_slice(&plain).map_err(|e| StorageError::Conflict(e.to_string()))?;
    let messages = messages(db, id, key, false).await?;
    db.write_unaudited(|mut tx| async move {
        sqlx::query(
            "UPDATE tip_messages SET seen_by_tipster = 1 WHERE tip_id = $1 AND author = 'officer'",
        )
        .bind(id)
        .execute(tx.conn())
        .await?;
        tx.commit().await?;
        Ok(())
    })
    .await?;
    Ok(TipsterView {
        received_on,
        open: !state.parse::<TipState>()?.is_closed(),
        content,
        messages,
    })
}

/// The tipster adds information or answers a question. Not audited (see
/// `receive`); the tip records the day, and a closed tip's destruction
/// is postponed by its retention period from today.
pub async fn add(db: &Db, id: i64, key: &TipKey, text: &str) -> StorageResult<()> {
    add_with(db, id, key, text, &[]).await
}

/// [`add`] with pictures (their metadata already stripped).
pub async fn add_with(
    db: &Db,
    id: i64,
    key: &TipKey,
    text: &str,
    attachments: &[crate::tips::attachments::Attachment],
) -> StorageResult<()> {
    crate::tips::attachments::check(attachments)?;
    let text = crate::tips::handling::check_message(text)?;
    let body = antq_vault::seal(key, text.as_bytes(), MESSAGE_AAD);
    let today = dates::today();
    let (category, destroy): (String, Option<String>) =
        sqlx::query_as("SELECT category_code, destroy_on FROM tips WHERE id = $1")
            .bind(id)
            .fetch_one(db.pool())
            .await?;
    let postponed = match destroy {
        Some(_) => {
            let days = crate::tips::categories::get(db, &category)
                .await?
                .retention_days;
            Some(destroy_on(today, days).to_string())
        }
        None => None,
    };
    let (body, day, postponed) = (&body, &today.to_string(), &postponed);
    db.write_unaudited(|mut tx| async move {
        let n: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM tip_messages WHERE tip_id = $1 AND author = 'tipster'",
        )
        .bind(id)
        .fetch_one(tx.conn())
        .await?;
        if n >= MAX_TIPSTER_MESSAGES {
            return Err(StorageError::Conflict(format!(
                "Mỗi tin báo nhận tối đa {MAX_TIPSTER_MESSAGES} lần bổ sung: xin gửi một tin báo mới"
            )));
        }
        let mid: i64 = sqlx::query_scalar(
            "INSERT INTO tip_messages (tip_id, author, user_id, kind, body, on_day) \
             VALUES ($1, 'tipster', NULL, 'message', $2, $3) RETURNING id",
        )
        .bind(id)
        .bind(body.clone())
        .bind(day)
        .fetch_one(tx.conn())
        .await?;
        crate::tips::attachments::insert(&mut tx, id, Some(mid), key, attachments).await?;
        sqlx::query(
            "UPDATE tips SET tipster_on = $1, destroy_on = COALESCE($2, destroy_on), version = version + 1 WHERE id = $3",
        )
        .bind(day)
        .bind(postponed)
        .bind(id)
        .execute(tx.conn())
        .await?;
        tx.commit().await?;
        Ok(())
    })
    .await
}
