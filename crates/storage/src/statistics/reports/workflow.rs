//! Moving a report through the workflow: submit, approve, return, reopen.

use antq_core::dates;
use antq_core::reports::{ReportState, Transition};
use antq_core::validation::Severity;
use serde::Serialize;
use serde_json::json;
use sqlx::Row;

use crate::audit::{self, Change, Who};
use crate::db::Db;
use crate::error::{StorageError, StorageResult};
use crate::statistics::catalogue::Form;
use crate::units::Unit;

use super::*;

/// Move a report through the workflow (audited). Submitting checks the
/// form's rules: errors block, and warnings need a comment on a value involved.
pub async fn transition(
    db: &Db,
    who: &Who,
    form: &Form,
    unit: &Unit,
    period: &str,
    t: Transition,
    comment: Option<String>,
) -> StorageResult<ReportView> {
    let (p, _, _) = check_period(form, period)?;
    let Some(row) = find(db, form, unit, &p).await? else {
        return Err(StorageError::Conflict(format!(
            "{} chưa nhập số liệu biểu \"{}\" {}",
            unit.name,
            form.name_vi,
            period_words(form, &p)
        )));
    };
    let next = t
        .apply(row.state)
        .map_err(|e| StorageError::Conflict(e.to_string()))?;
    if let Some(c) = &comment {
        let label = if t == Transition::Return {
            "Lý do trả lại"
        } else {
            "Ghi chú"
        };
        antq_core::text::check_len(label, c.trim(), antq_core::text::limits::RETURN_REASON)?;
    }
    let comment = comment
        .map(|c| antq_core::text::nfc(c.trim()))
        .filter(|c| !c.is_empty());
    if t == Transition::Return && comment.is_none() {
        return Err(antq_core::DomainError::invalid("trả lại báo cáo cần ghi rõ lý do").into());
    }
    let comment = comment.as_deref();
    let row = &row;
    db.write(|mut tx| async move {
        // The state again, inside the transaction (locked on PostgreSQL):
        // two approvers acting at once must not both move the rollups.
        let state_now = state_in(&mut tx, form, unit, &p).await?.map(|r| r.state);
        if state_now != Some(row.state) {
            return Err(StorageError::Conflict(format!(
                "Báo cáo \"{}\" {} của {} vừa được chuyển sang trạng thái \"{}\": hãy tải lại",
                form.name_vi,
                period_words(form, &p),
                unit.name,
                state_now.map_or("chưa nhập", |s| s.label_vi())
            )));
        }
        // The rules are checked on the values as they are in this
        // transaction: a value saved between a read and the write cannot
        // slip a broken rule through.
        if t == Transition::Submit {
            let values = values_in(tx.conn(), form, row.id).await?;
            let blocking: Vec<String> = validate(form, &values)
                .iter()
                .filter(|v| v.severity == Severity::Error || !v.explained)
                .map(|v| match v.severity {
                    Severity::Error => format!("lỗi: {}", v.message),
                    Severity::Warning => {
                        format!("cảnh báo cần ghi chú giải thích: {}", v.message)
                    }
                })
                .collect();
            if !blocking.is_empty() {
                return Err(StorageError::Rejected(blocking));
            }
        }
        let now = dates::timestamp(dates::now_utc());
        sqlx::query(
            "UPDATE reports SET state = $1, state_changed_at = $2, state_changed_by = $3, \
             return_comment = CASE WHEN $4 IS NULL THEN return_comment ELSE $4 END WHERE id = $5",
        )
        .bind(next.as_str())
        .bind(&now)
        .bind(&who.name)
        .bind(comment)
        .bind(row.id)
        .execute(tx.conn())
        .await?;
        let was = row.state == ReportState::Approved;
        let is = next == ReportState::Approved;
        if was != is {
            crate::statistics::rollups::move_report(&mut tx, row.id, is).await?;
        }
        audit::append(
            &mut tx,
            Change {
                who,
                action: match t {
                    Transition::Submit => "report.submit",
                    Transition::Approve => "report.approve",
                    Transition::Return => "report.return",
                    Transition::Reopen => "report.reopen",
                },
                entity: "report",
                entity_id: row.id.to_string(),
                unit_id: Some(unit.id),
                before: Some(json!({"state": row.state.as_str()})),
                after: Some(json!({"state": next.as_str(), "comment": comment})),
            },
        )
        .await?;
        tx.commit().await
    })
    .await?;
    view(db, form, unit, period).await
}

/// One step in a report's life, from the audit log: created, submitted,
/// returned (with the reason), approved, reopened.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct HistoryEvent {
    /// `report.create`, `report.submit`, `report.return`, `report.approve`, `report.reopen`.
    pub action: String,
    /// The audit timestamp (UTC, ISO).
    pub at: String,
    pub actor: String,
    /// The actor's display name, when the account still exists.
    pub actor_name: Option<String>,
    /// The reason given for a return, or the note of a reopening.
    pub comment: Option<String>,
}

/// The steps of a report, oldest first (empty when it was never started).
/// Reports loaded in bulk (the demo) have no step rows: their last change,
/// kept on the report, stands for them.
pub async fn history(
    db: &Db,
    form: &Form,
    unit: &Unit,
    period: &str,
) -> StorageResult<Vec<HistoryEvent>> {
    let (p, _, _) = check_period(form, period)?;
    let Some(row) = find(db, form, unit, &p).await? else {
        return Ok(Vec::new());
    };
    let rows = sqlx::query(
        "SELECT a.action, a.at, a.actor, us.display_name, a.after_json FROM audit_log a \
         LEFT JOIN users us ON us.id = a.actor_id \
         WHERE a.entity = 'report' AND a.entity_id = $1 AND a.action IN \
         ('report.create', 'report.submit', 'report.return', 'report.approve', 'report.reopen') \
         ORDER BY a.id LIMIT 500",
    )
    .bind(row.id.to_string())
    .fetch_all(db.pool())
    .await?;
    let mut out: Vec<HistoryEvent> = rows
        .iter()
        .map(|r| {
            let after: Option<String> = r.get(4);
            let comment = after
                .and_then(|a| serde_json::from_str::<serde_json::Value>(&a).ok())
                .and_then(|a| a.get("comment")?.as_str().map(str::to_string));
            HistoryEvent {
                action: r.get(0),
                at: r.get(1),
                actor: r.get(2),
                actor_name: r.get(3),
                comment,
            }
        })
        .collect();
    if out.is_empty() {
        let action = match row.state {
            ReportState::Draft => "report.create",
            ReportState::Submitted => "report.submit",
            ReportState::Approved => "report.approve",
            ReportState::Returned => "report.return",
        };
        let actor_name = sqlx::query_scalar("SELECT display_name FROM users WHERE username = $1")
            .bind(&row.changed_by)
            .fetch_optional(db.pool())
            .await?;
        out.push(HistoryEvent {
            action: action.to_string(),
            at: row.changed_at.clone(),
            actor: row.changed_by.clone(),
            actor_name,
            comment: row.return_comment.clone(),
        });
    }
    Ok(out)
}
