//! What officers do with a tip: move it through its states, assign it,
//! write to the tipster (a reply or a question) or an internal note,
//! transfer it to another unit (its key then wrapped for the new readers),
//! and hold it from destruction. Every act is audited, never with content.

use antq_core::auth::Action;
use antq_core::dates;
use antq_core::tips::states::{can_move, destroy_on, TipState};
use antq_core::DomainError;
use antq_vault::SecretKey;
use serde_json::json;

use crate::accounts::access::{self, Actor};
use crate::audit;
use crate::db::Db;
use crate::error::{StorageError, StorageResult};
use crate::tips::inbox::{act, share_key, tip_key, visible, TipRow};
use crate::tips::receive::MESSAGE_AAD;

/// The longest message or note, in characters.
pub const MAX_MESSAGE: usize = 5_000;

fn today() -> chrono::NaiveDate {
    dates::today()
}

/// Refuse a change made on an older view of the tip (409).
fn check_version(tip: &TipRow, version: Option<i64>) -> StorageResult<()> {
    match version {
        Some(v) if v != tip.version => Err(StorageError::Conflict(
            "Tin báo vừa được cán bộ khác cập nhật: xin tải lại trang rồi làm lại".into(),
        )),
        _ => Ok(()),
    }
}

async fn retention_days(db: &Db, category: &str) -> StorageResult<u32> {
    let cat = crate::tips::categories::get(db, category).await?;
    Ok(cat.retention_days)
}

/// Move a tip to another state. Closing it starts its retention period;
/// reopening it stops it.
pub async fn set_state(
    db: &Db,
    actor: &Actor,
    id: i64,
    to: TipState,
    version: Option<i64>,
) -> StorageResult<TipRow> {
    let tip = visible(db, actor, id).await?;
    check_version(&tip, version)?;
    if tip.state == to {
        return Ok(tip);
    }
    if to == TipState::Transferred {
        return Err(DomainError::invalid(
            "Để chuyển tin báo sang đơn vị khác, dùng chức năng \"Chuyển đơn vị\"",
        )
        .into());
    }
    if !can_move(tip.state, to) {
        return Err(DomainError::invalid(format!(
            "Không chuyển được tin báo từ \"{}\" sang \"{}\"",
            tip.state.label_vi(),
            to.label_vi()
        ))
        .into());
    }
    let (closed_on, destroy) = if to.is_closed() {
        let days = retention_days(db, &tip.category).await?;
        (
            Some(today().to_string()),
            Some(destroy_on(today(), days).to_string()),
        )
    } else {
        (None, None)
    };
    let who = actor.who();
    let (who, tip_ref, closed_on, destroy) = (&who, &tip, &closed_on, &destroy);
    db.write(|mut tx| async move {
        // Judged valuable: counted so even once closed; judged of no
        // value: no longer.
        sqlx::query(
            "UPDATE tips SET state = $1, closed_on = $2, destroy_on = $3, \
             valued = CASE WHEN $1 = $5 THEN 1 WHEN $1 = $6 THEN 0 ELSE valued END, \
             version = version + 1 WHERE id = $4",
        )
        .bind(to.as_str())
        .bind(closed_on)
        .bind(destroy)
        .bind(id)
        .bind(TipState::Valuable.as_str())
        .bind(TipState::NotValuable.as_str())
        .execute(tx.conn())
        .await?;
        let after =
            json!({"from": tip_ref.state.as_str(), "to": to.as_str(), "destroy_on": destroy});
        audit::append(&mut tx, act(who, "tip.state", id, tip_ref.unit_id, after)).await?;
        tx.commit().await?;
        Ok(())
    })
    .await?;
    visible(db, actor, id).await
}

/// Give the tip to an officer who may handle it (or to nobody).
pub async fn assign(
    db: &Db,
    actor: &Actor,
    id: i64,
    user_id: Option<i64>,
    version: Option<i64>,
) -> StorageResult<TipRow> {
    let tip = visible(db, actor, id).await?;
    check_version(&tip, version)?;
    if let Some(user_id) = user_id {
        let officer = crate::accounts::users::actor(db, user_id)
            .await?
            .ok_or_else(|| StorageError::not_found(format!("người dùng số {user_id}")))?;
        if !access::can(db, &officer, Action::HandleTips, tip.unit_id).await? {
            return Err(DomainError::invalid(
                "Chỉ giao được cho cán bộ Công an được xử lý tin báo của đơn vị này",
            )
            .into());
        }
    }
    let who = actor.who();
    let (who, unit_id) = (&who, tip.unit_id);
    db.write(|mut tx| async move {
        sqlx::query("UPDATE tips SET assigned_to = $1, version = version + 1 WHERE id = $2")
            .bind(user_id)
            .bind(id)
            .execute(tx.conn())
            .await?;
        audit::append(
            &mut tx,
            act(who, "tip.assign", id, unit_id, json!({"user_id": user_id})),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    })
    .await?;
    visible(db, actor, id).await
}

/// What an officer writes on a tip.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OfficerWriting {
    /// An answer the tipster reads with the receipt.
    Reply,
    /// A question the tipster is asked to answer.
    Question,
    /// A note for the officers only.
    Note,
}

impl OfficerWriting {
    pub fn as_str(self) -> &'static str {
        match self {
            OfficerWriting::Reply => "message",
            OfficerWriting::Question => "question",
            OfficerWriting::Note => "note",
        }
    }

    pub fn parse(s: &str) -> Result<OfficerWriting, DomainError> {
        match s {
            "message" | "reply" => Ok(OfficerWriting::Reply),
            "question" => Ok(OfficerWriting::Question),
            "note" => Ok(OfficerWriting::Note),
            _ => Err(DomainError::invalid(
                "Chọn trả lời người báo tin, đặt câu hỏi hoặc ghi chú nội bộ",
            )),
        }
    }
}

/// Check a message's text: not empty, bounded, printable, NFC.
pub fn check_message(text: &str) -> Result<String, DomainError> {
    let text = antq_core::text::nfc(text.trim());
    if text.is_empty() {
        return Err(DomainError::invalid("Nội dung trống"));
    }
    antq_core::text::check_len("Nội dung", &text, MAX_MESSAGE)?;
    antq_core::text::check_printable("Nội dung", &text)?;
    Ok(text)
}

/// Write on a tip (sealed with its key).
pub async fn write(
    db: &Db,
    actor: &Actor,
    id: i64,
    secret: &SecretKey,
    kind: OfficerWriting,
    text: &str,
) -> StorageResult<i64> {
    let text = check_message(text)?;
    let tip = visible(db, actor, id).await?;
    let key = tip_key(db, actor, id, secret).await?;
    let body = antq_vault::seal(&key, text.as_bytes(), MESSAGE_AAD);
    let who = actor.who();
    let (who, body, unit_id, day) = (&who, &body, tip.unit_id, &today().to_string());
    db.write(|mut tx| async move {
        let mid: i64 = sqlx::query_scalar(
            "INSERT INTO tip_messages (tip_id, author, user_id, kind, body, on_day) \
             VALUES ($1, 'officer', $2, $3, $4, $5) RETURNING id",
        )
        .bind(id)
        .bind(who.id)
        .bind(kind.as_str())
        .bind(body.clone())
        .bind(day)
        .fetch_one(tx.conn())
        .await?;
        sqlx::query("UPDATE tips SET version = version + 1 WHERE id = $1")
            .bind(id)
            .execute(tx.conn())
            .await?;
        let after = json!({"kind": kind.as_str(), "message_id": mid});
        audit::append(&mut tx, act(who, "tip.write", id, unit_id, after)).await?;
        tx.commit().await?;
        Ok(mid)
    })
    .await
}

/// Transfer a tip to another unit in force (the province taking over a
/// commune's tip, or a unit elsewhere): its key is wrapped for the new
/// unit's readers, and the receiving unit works it as a new tip (the
/// transfer stays in the history). Never to the unit the tip implicates,
/// nor below it.
pub async fn transfer(
    db: &Db,
    actor: &Actor,
    id: i64,
    secret: &SecretKey,
    to_unit_id: i64,
    version: Option<i64>,
) -> StorageResult<()> {
    let tip = visible(db, actor, id).await?;
    check_version(&tip, version)?;
    let key = tip_key(db, actor, id, secret).await?;
    let (concerns, valid_to): (Option<i64>, Option<String>) = sqlx::query_as(
        "SELECT t.concerns_unit_id, u.valid_to FROM tips t, units u WHERE t.id = $1 AND u.id = $2",
    )
    .bind(id)
    .bind(to_unit_id)
    .fetch_optional(db.pool())
    .await?
    .ok_or_else(|| StorageError::not_found("đơn vị nhận"))?;
    if valid_to.is_some() {
        return Err(DomainError::invalid("Đơn vị nhận không còn (đã sáp nhập)").into());
    }
    if to_unit_id == tip.unit_id {
        return Err(DomainError::invalid("Tin báo đang do chính đơn vị này xử lý").into());
    }
    if let Some(concerns) = concerns {
        let below: Option<i64> = sqlx::query_scalar(
            "SELECT descendant_id FROM unit_scope WHERE ancestor_id = $1 AND descendant_id = $2",
        )
        .bind(concerns)
        .bind(to_unit_id)
        .fetch_optional(db.pool())
        .await?;
        if below.is_some() {
            return Err(DomainError::invalid(
                "Tin báo liên quan đến cán bộ của đơn vị này: không chuyển về đơn vị đó",
            )
            .into());
        }
    }
    let who = actor.who();
    let (who, key, from) = (&who, &key, tip.unit_id);
    db.write(|mut tx| async move {
        // The receiving unit works it from the start.
        sqlx::query(
            "UPDATE tips SET unit_id = $1, state = $2, assigned_to = NULL, closed_on = NULL, \
             destroy_on = NULL, valued = 0, version = version + 1 WHERE id = $3",
        )
        .bind(to_unit_id)
        .bind(TipState::New.as_str())
        .bind(id)
        .execute(tx.conn())
        .await?;
        let shared = share_key(&mut tx, id, to_unit_id, key).await?;
        withdraw_key(&mut tx, id, to_unit_id).await?;
        let after = json!({"from_unit_id": from, "to_unit_id": to_unit_id, "new_readers": shared});
        // Audited on both units: the old one sees where it went.
        audit::append(&mut tx, act(who, "tip.transfer", id, from, after.clone())).await?;
        audit::append(&mut tx, act(who, "tip.transfer", id, to_unit_id, after)).await?;
        tx.commit().await?;
        Ok(())
    })
    .await
}

/// After a transfer: only the new unit's readers keep the tip's key (the
/// officers of the unit it left, who no longer see it, lose their copy).
/// Refused when nobody there could read it.
async fn withdraw_key(tx: &mut crate::db::WriteTx, id: i64, unit_id: i64) -> StorageResult<()> {
    let readers: Vec<i64> = crate::tips::keys::readers_of(tx, unit_id)
        .await?
        .into_iter()
        .map(|(user_id, _)| user_id)
        .collect();
    if readers.is_empty() {
        return Err(StorageError::Conflict(
            "Đơn vị nhận chưa có cán bộ Công an nào đọc được tin báo: chưa chuyển được".into(),
        ));
    }
    sqlx::query(&format!(
        "DELETE FROM tip_keys WHERE tip_id = $1 AND user_id NOT IN ({})",
        crate::db::id_list(&readers)
    ))
    .bind(id)
    .execute(tx.conn())
    .await?;
    Ok(())
}

/// Put a legal hold on a tip (never destroyed while held) or lift it.
pub async fn hold(db: &Db, actor: &Actor, id: i64, on: bool) -> StorageResult<TipRow> {
    let tip = visible(db, actor, id).await?;
    let who = actor.who();
    let (who, unit_id) = (&who, tip.unit_id);
    db.write(|mut tx| async move {
        sqlx::query("UPDATE tips SET legal_hold = $1, version = version + 1 WHERE id = $2")
            .bind(i64::from(on))
            .bind(id)
            .execute(tx.conn())
            .await?;
        audit::append(
            &mut tx,
            act(who, "tip.hold", id, unit_id, json!({"hold": on})),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    })
    .await?;
    visible(db, actor, id).await
}
