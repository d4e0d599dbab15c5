//! An officer's changes to the whole report around the figures: its title,
//! sections, signature blocks and "Nơi nhận", saved in one transaction and
//! audited. Any change of the text removes the approvals already given:
//! a signed text that changes must be approved again.

use antq_core::dates;
use antq_core::reviews::document::{check_sections, Section, MAX_HEADING_CHARS};
use antq_core::reviews::signing::{check_recipients, Side, Signer};
use antq_core::reviews::Owner;
use antq_core::{text, DomainError};
use serde_json::json;

use super::{approvals, get, json_err, Review};
use crate::audit::{self, Change, Who};
use crate::db::{Backend, Db};
use crate::error::{StorageError, StorageResult};

/// What an officer changes; `None` leaves a part as it is. An empty title,
/// an empty list of signers or of recipients goes back to the default.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct DocumentChange {
    /// The `updated_at` of the review the officer read: a change made
    /// since by someone else is not overwritten (409).
    pub version: Option<String>,
    pub title: Option<String>,
    pub sections: Option<Vec<Section>>,
    pub signers: Option<Vec<Signer>>,
    pub recipients: Option<Vec<String>>,
}

/// The columns as read: title, sections, signers, recipients, updated at.
type Columns = (
    Option<String>,
    Option<String>,
    Option<String>,
    Option<String>,
    String,
);

/// The four stored columns (JSON text, NULL for the default).
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
struct Stored {
    title: Option<String>,
    sections: Option<String>,
    signers: Option<String>,
    recipients: Option<String>,
}

/// The signature blocks of a review of `owner`: one per side that issues it.
fn checked_signers(owner: Owner, signers: Vec<Signer>) -> StorageResult<Vec<Signer>> {
    let sides = Side::of(owner);
    let signers = signers
        .into_iter()
        .map(Signer::checked)
        .collect::<Result<Vec<_>, DomainError>>()?;
    let mut ordered = Vec::new();
    for side in sides {
        let mut of_side = signers.iter().filter(|s| s.side == *side);
        match (of_side.next(), of_side.next()) {
            (Some(s), None) => ordered.push(s.clone()),
            (None, _) => {
                return Err(
                    DomainError::invalid(format!("Thiếu người ký của {}", side.label_vi())).into(),
                )
            }
            (Some(_), Some(_)) => {
                return Err(DomainError::invalid(format!(
                    "Mỗi bên ký một lần: có nhiều người ký của {}",
                    side.label_vi()
                ))
                .into())
            }
        }
    }
    if let Some(other) = signers.iter().find(|s| !sides.contains(&s.side)) {
        return Err(DomainError::invalid(format!(
            "Báo cáo do {} ban hành không có chữ ký của {}",
            owner.label_vi(),
            other.side.label_vi()
        ))
        .into());
    }
    Ok(ordered)
}

/// What "back to the default" and "as it was" mean for one review.
struct Defaults {
    /// The register's blocks today (or the decree's defaults).
    signers: Vec<Signer>,
    /// The "Nơi nhận" of the unit's level.
    recipients: Vec<String>,
}

/// The columns after the change, checked. Posting back what the review
/// already shows changes nothing (so no approval is lost); an empty list
/// of signers takes the register's blocks as they are now, kept with the
/// review so a later change of the register never alters it.
fn next_columns(
    owner: Owner,
    before: &Stored,
    c: DocumentChange,
    defaults: &Defaults,
) -> StorageResult<Stored> {
    let mut next = before.clone();
    if let Some(t) = c.title {
        text::check_printable("Tên báo cáo (trích yếu)", &t)?;
        let t = text::clean(&t);
        text::check_len("Tên báo cáo (trích yếu)", &t, MAX_HEADING_CHARS)?;
        next.title = (!t.is_empty()).then_some(t);
    }
    if let Some(s) = c.sections {
        next.sections = Some(to_json(&check_sections(s)?)?);
    }
    if let Some(s) = c.signers {
        let s = if s.is_empty() {
            defaults.signers.clone()
        } else {
            checked_signers(owner, s)?
        };
        next.signers = if before.signers.is_none() && s == defaults.signers {
            None
        } else {
            Some(to_json(&s)?)
        };
    }
    if let Some(r) = c.recipients {
        let r = check_recipients(&r)?;
        next.recipients = if r.is_empty() || r == defaults.recipients {
            None
        } else {
            Some(to_json(&r)?)
        };
    }
    Ok(next)
}

/// Refuse a change made on a text someone else has changed since.
pub(super) fn check_version(expected: Option<&str>, stored: &str) -> StorageResult<()> {
    match expected {
        Some(v) if !v.is_empty() && v != stored => Err(StorageError::Conflict(format!(
            "Báo cáo vừa được sửa lúc {} sau khi bạn mở: xin tải lại trang, đọc lại rồi làm tiếp",
            dates::format_timestamp_vi(stored)
        ))),
        _ => Ok(()),
    }
}

fn to_json<T: serde::Serialize>(v: &T) -> StorageResult<String> {
    serde_json::to_string(v).map_err(json_err)
}

/// Save an officer's title, sections, signers and recipients of review `id`
/// in one transaction (audited); the approvals given to the old text go.
pub async fn save_document(
    db: &Db,
    who: &Who,
    id: i64,
    change: DocumentChange,
) -> StorageResult<Review> {
    // Checked before any transaction (not found, invalid) ...
    let review = get(db, id).await?;
    let (owner, unit_id) = (review.owner, review.unit_id);
    let defaults = Defaults {
        signers: super::signers::for_owner(db, unit_id, owner, &review.snapshot).await?,
        recipients: antq_core::reviews::signing::default_recipients(&review.snapshot, owner),
    };
    let defaults = &defaults;
    let change = &change;
    let now = dates::timestamp(dates::now_utc());
    let now = &now;
    db.write(|mut tx| async move {
        // ... and applied to the row as it is inside the transaction.
        let lock = match tx.backend() {
            Backend::Postgres => " FOR UPDATE",
            Backend::Sqlite => "",
        };
        let row: Option<Columns> =
            sqlx::query_as(&format!(
                "SELECT title, sections, signers, recipients, updated_at FROM reviews WHERE id = $1{lock}"
            ))
            .bind(id)
            .fetch_optional(tx.conn())
            .await?;
        let (title, sections, signers, recipients, updated_at) =
            row.ok_or_else(|| StorageError::not_found(format!("báo cáo tổng kết số {id}")))?;
        check_version(change.version.as_deref(), &updated_at)?;
        let before = Stored {
            title,
            sections,
            signers,
            recipients,
        };
        let next = next_columns(owner, &before, change.clone(), defaults)?;
        if next == before {
            return Ok(());
        }
        sqlx::query(
            "UPDATE reviews SET title = $1, sections = $2, signers = $3, recipients = $4, updated_at = $5 \
             WHERE id = $6",
        )
        .bind(&next.title)
        .bind(&next.sections)
        .bind(&next.signers)
        .bind(&next.recipients)
        .bind(now)
        .bind(id)
        .execute(tx.conn())
        .await?;
        let cleared = approvals::clear(&mut tx, id).await?;
        audit::append(
            &mut tx,
            Change {
                who,
                action: "review.document",
                entity: "review",
                entity_id: id.to_string(),
                unit_id: Some(unit_id),
                before: Some(parsed(&before)?),
                after: Some(json!({
                    "document": parsed(&next)?,
                    "approvals_cleared": cleared,
                    "note": if cleared.is_empty() { "" } else {
                        "Nội dung đã thay đổi: các bên phải duyệt lại"
                    },
                })),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(())
    })
    .await?;
    get(db, id).await
}

/// The stored columns as JSON values (not JSON text inside JSON).
fn parsed(s: &Stored) -> StorageResult<serde_json::Value> {
    let v = |t: &Option<String>| -> StorageResult<serde_json::Value> {
        match t {
            Some(t) => serde_json::from_str(t).map_err(json_err),
            None => Ok(serde_json::Value::Null),
        }
    };
    Ok(json!({
        "title": s.title,
        "sections": v(&s.sections)?,
        "signers": v(&s.signers)?,
        "recipients": v(&s.recipients)?,
    }))
}
