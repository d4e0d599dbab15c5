//! An editor's rewrite of a review's narrative (audited); the figures stay.

use std::collections::BTreeMap;

use antq_core::dates;
use antq_core::reviews::Paragraph;
use serde_json::json;

use super::{get, json_err, Review};
use crate::audit::{self, Change, Who};
use crate::db::Db;
use crate::error::{StorageError, StorageResult};

/// Replace the narrative's texts (by group) with an editor's (audited).
/// Headings and groups stay; an empty text removes that paragraph.
pub async fn edit_narrative(
    db: &Db,
    who: &Who,
    id: i64,
    texts: &BTreeMap<String, String>,
) -> StorageResult<Review> {
    // Refused early (not found, too long) without a transaction ...
    let review = get(db, id).await?;
    if merged(&review.narrative, texts)? == review.narrative {
        return Ok(review);
    }
    let now = dates::timestamp(dates::now_utc());
    let (now, unit_id) = (&now, review.unit_id);
    db.write(|mut tx| async move {
        // ... and applied to the narrative as it is inside the transaction
        // (locked on PostgreSQL), so two editors of different groups do
        // not undo each other's work.
        let lock = match tx.backend() {
            crate::db::Backend::Postgres => " FOR UPDATE",
            crate::db::Backend::Sqlite => "",
        };
        let stored: String = sqlx::query_scalar(&format!(
            "SELECT narrative FROM reviews WHERE id = $1{lock}"
        ))
        .bind(id)
        .fetch_optional(tx.conn())
        .await?
        .ok_or_else(|| StorageError::not_found(format!("báo cáo tổng kết số {id}")))?;
        let before: Vec<Paragraph> = serde_json::from_str(&stored).map_err(json_err)?;
        let next = merged(&before, texts)?;
        if next == before {
            return Ok(());
        }
        sqlx::query("UPDATE reviews SET narrative = $1, edited = 1, updated_at = $2 WHERE id = $3")
            .bind(serde_json::to_string(&next).map_err(json_err)?)
            .bind(now)
            .bind(id)
            .execute(tx.conn())
            .await?;
        super::approvals::clear_audited(&mut tx, who, id, unit_id, "Lời văn đã thay đổi").await?;
        audit::append(
            &mut tx,
            Change {
                who,
                action: "review.edit",
                entity: "review",
                entity_id: id.to_string(),
                unit_id: Some(unit_id),
                before: Some(json!(before)),
                after: Some(json!(next)),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(())
    })
    .await?;
    get(db, id).await
}

/// The narrative with an editor's texts (by group) in place of its own.
fn merged(
    narrative: &[Paragraph],
    texts: &BTreeMap<String, String>,
) -> StorageResult<Vec<Paragraph>> {
    let mut next = Vec::new();
    for p in narrative {
        let text = match texts.get(&p.group) {
            Some(t) => antq_core::text::nfc(t.trim()),
            None => p.text.clone(),
        };
        antq_core::text::check_len(
            &format!("Đoạn \"{}\"", p.heading),
            &text,
            antq_core::text::limits::NARRATIVE,
        )?;
        if !text.is_empty() {
            next.push(Paragraph { text, ..p.clone() });
        }
    }
    Ok(next)
}
