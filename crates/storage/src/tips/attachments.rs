//! Attachments of a tip: pictures the tipster sends with the tip or later
//! (their metadata stripped before they come here, by `antq_office::images`),
//! sealed with the tip's key together with their media type. Never served
//! back to the public; an officer's opening of one is audited.

use antq_vault::{SecretKey, TipKey};
use serde::Serialize;
use serde_json::json;

use crate::accounts::access::Actor;
use crate::audit;
use crate::db::{Db, WriteTx};
use crate::error::{StorageError, StorageResult};
use crate::tips::inbox::{act, tip_key, visible};
use crate::tips::receive::ATTACHMENT_AAD;

/// The largest attachment, in bytes.
pub const MAX_BYTES: usize = 5 * 1024 * 1024;
/// The most attachments with one submission (the tip or a later message).
pub const MAX_PER_SUBMISSION: usize = 5;
/// The most bytes of attachments with one submission.
pub const MAX_TOTAL_BYTES: usize = 15 * 1024 * 1024;
/// The most attachments a tip keeps.
pub const MAX_PER_TIP: i64 = 20;

/// A picture ready to seal: its media type and bytes (metadata stripped).
#[derive(Clone)]
pub struct Attachment {
    pub media_type: String,
    pub bytes: Vec<u8>,
}

/// Only the type and size: the bytes are tip content.
impl std::fmt::Debug for Attachment {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "Attachment({}, {} bytes)",
            self.media_type,
            self.bytes.len()
        )
    }
}

/// Check the count and sizes of a submission's attachments.
pub fn check(attachments: &[Attachment]) -> Result<(), antq_core::DomainError> {
    if attachments.len() > MAX_PER_SUBMISSION {
        return Err(antq_core::DomainError::invalid(format!(
            "Mỗi lần gửi kèm tối đa {MAX_PER_SUBMISSION} ảnh"
        )));
    }
    let total: usize = attachments.iter().map(|a| a.bytes.len()).sum();
    if attachments.iter().any(|a| a.bytes.len() > MAX_BYTES) || total > MAX_TOTAL_BYTES {
        return Err(antq_core::DomainError::invalid(format!(
            "Mỗi ảnh tối đa {} MB, tổng cộng tối đa {} MB",
            MAX_BYTES / 1024 / 1024,
            MAX_TOTAL_BYTES / 1024 / 1024
        )));
    }
    Ok(())
}

/// Seal and store attachments of a tip (inside the caller's transaction).
pub(crate) async fn insert(
    tx: &mut WriteTx,
    tip_id: i64,
    message_id: Option<i64>,
    key: &TipKey,
    attachments: &[Attachment],
) -> StorageResult<()> {
    let have: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM tip_attachments WHERE tip_id = $1")
        .bind(tip_id)
        .fetch_one(tx.conn())
        .await?;
    if have + attachments.len() as i64 > MAX_PER_TIP {
        return Err(antq_core::DomainError::invalid(format!(
            "Mỗi tin báo giữ tối đa {MAX_PER_TIP} ảnh"
        ))
        .into());
    }
    for a in attachments {
        let mut plain = Vec::with_capacity(a.bytes.len() + 64);
        plain.extend_from_slice(a.media_type.as_bytes());
        plain.push(0);
        plain.extend_from_slice(&a.bytes);
        sqlx::query(
            "INSERT INTO tip_attachments (tip_id, message_id, size, body) VALUES ($1, $2, $3, $4)",
        )
        .bind(tip_id)
        .bind(message_id)
        .bind(a.bytes.len() as i64)
        .bind(antq_vault::seal(key, &plain, ATTACHMENT_AAD))
        .execute(tx.conn())
        .await?;
    }
    Ok(())
}

/// An attachment as listed with its tip.
#[derive(Debug, Clone, Serialize)]
pub struct Listed {
    pub id: i64,
    pub size: i64,
    pub message_id: Option<i64>,
}

/// The attachments of a tip (no content).
pub async fn list(db: &Db, tip_id: i64) -> StorageResult<Vec<Listed>> {
    let rows: Vec<(i64, i64, Option<i64>)> = sqlx::query_as(
        "SELECT id, size, message_id FROM tip_attachments WHERE tip_id = $1 ORDER BY id",
    )
    .bind(tip_id)
    .fetch_all(db.pool())
    .await?;
    Ok(rows
        .into_iter()
        .map(|(id, size, message_id)| Listed {
            id,
            size,
            message_id,
        })
        .collect())
}

/// Open an attachment for an officer who may handle the tip (audited).
pub async fn open(
    db: &Db,
    actor: &Actor,
    tip_id: i64,
    id: i64,
    secret: &SecretKey,
) -> StorageResult<Attachment> {
    let tip = visible(db, actor, tip_id).await?;
    let body: Vec<u8> =
        sqlx::query_scalar("SELECT body FROM tip_attachments WHERE id = $1 AND tip_id = $2")
            .bind(id)
            .bind(tip_id)
            .fetch_optional(db.pool())
            .await?
            .ok_or_else(|| StorageError::not_found(format!("tệp đính kèm số {id}")))?;
    let key = tip_key(db, actor, tip_id, secret).await?;
    let plain = antq_vault::open(&key, &body, ATTACHMENT_AAD)
        .map_err(|e| StorageError::Conflict(e.to_string()))?;
    let cut = plain
        .iter()
        .position(|b| *b == 0)
        .ok_or_else(|| StorageError::Conflict("Tệp đính kèm hỏng".into()))?;
    let media_type = String::from_utf8_lossy(&plain[..cut]).into_owned();
    let bytes = plain[cut + 1..].to_vec();
    let who = actor.who();
    let (who, unit_id) = (&who, tip.unit_id);
    db.write(|mut tx| async move {
        let after = json!({"attachment_id": id});
        audit::append(&mut tx, act(who, "tip.attachment", tip_id, unit_id, after)).await?;
        tx.commit().await?;
        Ok(())
    })
    .await?;
    Ok(Attachment { media_type, bytes })
}
