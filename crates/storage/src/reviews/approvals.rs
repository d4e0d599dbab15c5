//! Each side that issues a review approves its text; a review is final when
//! every side of its owner has (both the police and the Front for a joint
//! one). A draft (data not complete) is never approved, and any change of
//! the text removes the approvals given to the old text.

use antq_core::dates;
use antq_core::reviews::signing::Side;
use antq_core::DomainError;
use serde::Serialize;
use serde_json::json;
use sqlx::Row as _;

use super::{get, Review};
use crate::audit::{self, Change, Who};
use crate::db::{Db, WriteTx};
use crate::error::{StorageError, StorageResult};

/// One side's approval of a review's text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Approval {
    pub side: Side,
    /// The user who approved.
    pub by: String,
    /// When (UTC timestamp).
    pub at: String,
}

/// The approvals of a review, in the order of its sides.
pub(super) async fn of_review(db: &Db, id: i64) -> StorageResult<Vec<Approval>> {
    let rows = sqlx::query(
        "SELECT side, approved_by, approved_at FROM review_approvals WHERE review_id = $1",
    )
    .bind(id)
    .fetch_all(db.pool())
    .await?;
    let mut v = rows
        .iter()
        .map(|r| {
            Ok(Approval {
                side: Side::parse(&r.get::<String, _>(0))?,
                by: r.get(1),
                at: r.get(2),
            })
        })
        .collect::<StorageResult<Vec<_>>>()?;
    v.sort_by_key(|a| a.side != Side::Police);
    Ok(v)
}

/// Remove a review's approvals inside `tx` (its text changed); returns the
/// sides whose approval was removed, for the audit.
pub(super) async fn clear(tx: &mut WriteTx, id: i64) -> StorageResult<Vec<String>> {
    let mut sides: Vec<String> =
        sqlx::query_scalar("SELECT side FROM review_approvals WHERE review_id = $1")
            .bind(id)
            .fetch_all(tx.conn())
            .await?;
    sides.sort();
    if !sides.is_empty() {
        sqlx::query("DELETE FROM review_approvals WHERE review_id = $1")
            .bind(id)
            .execute(tx.conn())
            .await?;
    }
    Ok(sides)
}

/// `side` approves review `id` (audited). Refused for a side that does not
/// issue the review and for a draft, with the reason. Approving twice
/// changes nothing.
pub async fn approve(db: &Db, who: &Who, id: i64, side: Side) -> StorageResult<Review> {
    approve_read(db, who, id, side, None).await
}

/// [`approve`] the text as the approver read it: `version` is the review's
/// `updated_at` on their screen; a change made since is refused (409), so
/// an approval never lands on a text its approver did not see. The
/// signature blocks a review still takes from the register are kept with
/// it from now on: a later change of the register never alters an
/// approved text.
pub async fn approve_read(
    db: &Db,
    who: &Who,
    id: i64,
    side: Side,
    version: Option<&str>,
) -> StorageResult<Review> {
    let review = get(db, id).await?;
    if !Side::of(review.owner).contains(&side) {
        return Err(DomainError::invalid(format!(
            "Báo cáo này do {} ban hành, {} không duyệt báo cáo này",
            review.owner.label_vi(),
            side.label_vi()
        ))
        .into());
    }
    if let Some(reason) = review.draft() {
        return Err(DomainError::invalid(format!(
            "Chưa thể duyệt: báo cáo còn là dự thảo. {reason}"
        ))
        .into());
    }
    if review.approvals.iter().any(|a| a.side == side) {
        return Ok(review);
    }
    let now = dates::timestamp(dates::now_utc());
    let sides = Side::of(review.owner);
    let already: Vec<Side> = review.approvals.iter().map(|a| a.side).collect();
    let final_now = sides.iter().all(|s| *s == side || already.contains(s));
    let (now, unit_id) = (&now, review.unit_id);
    let signers = serde_json::to_string(&review.signers).map_err(super::json_err)?;
    let signers = &signers;
    db.write(|mut tx| async move {
        let lock = match tx.backend() {
            crate::db::Backend::Postgres => " FOR UPDATE",
            crate::db::Backend::Sqlite => "",
        };
        let stored: Option<String> = sqlx::query_scalar(&format!(
            "SELECT updated_at FROM reviews WHERE id = $1{lock}"
        ))
        .bind(id)
        .fetch_optional(tx.conn())
        .await?;
        let stored =
            stored.ok_or_else(|| StorageError::not_found(format!("báo cáo tổng kết số {id}")))?;
        super::document::check_version(version, &stored)?;
        sqlx::query("UPDATE reviews SET signers = $1 WHERE id = $2 AND signers IS NULL")
            .bind(signers)
            .bind(id)
            .execute(tx.conn())
            .await?;
        let done = sqlx::query(
            "INSERT INTO review_approvals (review_id, side, approved_by, approved_at) \
             VALUES ($1, $2, $3, $4) ON CONFLICT (review_id, side) DO NOTHING",
        )
        .bind(id)
        .bind(side.code())
        .bind(&who.name)
        .bind(now)
        .execute(tx.conn())
        .await?;
        if done.rows_affected() == 0 {
            return Ok(());
        }
        audit::append(
            &mut tx,
            Change {
                who,
                action: "review.approve",
                entity: "review",
                entity_id: id.to_string(),
                unit_id: Some(unit_id),
                before: None,
                after: Some(json!({"side": side.code(), "final": final_now})),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(())
    })
    .await?;
    get(db, id).await
}

/// [`clear`], and say so in the audit log (`why`: what changed) when an
/// approval was removed.
pub(super) async fn clear_audited(
    tx: &mut WriteTx,
    who: &Who,
    id: i64,
    unit_id: i64,
    why: &str,
) -> StorageResult<()> {
    let cleared = clear(tx, id).await?;
    if cleared.is_empty() {
        return Ok(());
    }
    audit::append(
        tx,
        Change {
            who,
            action: "review.unapprove",
            entity: "review",
            entity_id: id.to_string(),
            unit_id: Some(unit_id),
            before: Some(json!({"approved": cleared})),
            after: Some(json!({"reason": format!("{why}: các bên phải duyệt lại")})),
        },
    )
    .await?;
    Ok(())
}
