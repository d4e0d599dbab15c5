//! Comments on a report: the police and the Front of the unit or above leave
//! remarks on it (the Front reads the police's reports and comments on them).
//! A comment is kept for good and audited; it never changes the report.

use antq_core::auth::{Action, Role};
use antq_core::dates;
use serde::Serialize;
use serde_json::json;
use sqlx::Row;

use crate::accounts::access::{self, Actor};
use crate::audit::{self, Change};
use crate::db::Db;
use crate::error::{StorageError, StorageResult};
use crate::statistics::catalogue::Form;
use crate::statistics::reports;
use crate::units::Unit;

/// The longest comment, in characters.
pub const MAX_CHARS: usize = antq_core::text::limits::REPORT_COMMENT;

#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Comment {
    pub id: i64,
    pub author: String,
    pub role: Role,
    pub body: String,
    pub created_at: String,
}

/// A report's comments, oldest first.
pub async fn of_report(db: &Db, report_id: i64) -> StorageResult<Vec<Comment>> {
    sqlx::query(
        "SELECT id, author, author_role, body, created_at FROM report_comments \
         WHERE report_id = $1 ORDER BY id",
    )
    .bind(report_id)
    .fetch_all(db.pool())
    .await?
    .iter()
    .map(|r| {
        Ok(Comment {
            id: r.get(0),
            author: r.get(1),
            role: r.get::<String, _>(2).parse()?,
            body: r.get(3),
            created_at: r.get(4),
        })
    })
    .collect()
}

/// Add a comment to a report that has been started (audited). The actor
/// needs a police or Front grant on the unit or above.
pub async fn add(
    db: &Db,
    actor: &Actor,
    form: &Form,
    unit: &Unit,
    period: &str,
    body: &str,
) -> StorageResult<Comment> {
    let role = access::require_role(db, actor, Action::Comment, unit.id).await?;
    antq_core::text::check_len("Ý kiến", body.trim(), MAX_CHARS)?;
    let body = antq_core::text::nfc(body.trim());
    if body.is_empty() {
        return Err(antq_core::DomainError::invalid("Ý kiến không được để trống").into());
    }
    let (p, _, _) = reports::check_period(form, period)?;
    let report_id = reports::report_id(db, form, unit, &p)
        .await?
        .ok_or_else(|| {
            StorageError::Conflict(format!(
                "{} chưa nhập số liệu biểu \"{}\" {}: chưa có gì để góp ý",
                unit.name,
                form.name_vi,
                reports::period_words(form, &p)
            ))
        })?;
    let now = dates::timestamp(dates::now_utc());
    let (who, body_ref, now_ref) = (actor.who(), &body, &now);
    let id = db
        .write(|mut tx| {
            let who = &who;
            async move {
                let id: i64 = sqlx::query_scalar(
            "INSERT INTO report_comments (report_id, author, author_role, body, created_at) \
             VALUES ($1, $2, $3, $4, $5) RETURNING id",
        )
        .bind(report_id)
        .bind(&actor.username)
        .bind(role.as_str())
        .bind(body_ref)
        .bind(now_ref)
        .fetch_one(tx.conn())
        .await?;
                audit::append(
                    &mut tx,
                    Change {
                        who,
                        action: "report.comment",
                        entity: "report",
                        entity_id: report_id.to_string(),
                        unit_id: Some(unit.id),
                        before: None,
                        after: Some(
                            json!({"comment_id": id, "role": role.as_str(), "body": body_ref}),
                        ),
                    },
                )
                .await?;
                tx.commit().await?;
                Ok(id)
            }
        })
        .await?;
    Ok(Comment {
        id,
        author: actor.username.clone(),
        role,
        body,
        created_at: now,
    })
}
