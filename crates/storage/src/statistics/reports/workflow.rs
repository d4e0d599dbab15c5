//! Moving a report through the workflow: submit, approve, return, reopen.

use antq_core::dates;
use antq_core::reports::{ReportState, Transition};
use antq_core::validation::Severity;
use serde_json::json;

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
            "{} chưa nhập số liệu biểu {} kỳ {}",
            unit.name,
            form.code,
            p.code()
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
        let state_now = state_in(&mut tx, form, unit, &p).await?.map(|(_, s)| s);
        if state_now != Some(row.state) {
            return Err(StorageError::Conflict(format!(
                "báo cáo {} kỳ {} của {} vừa được chuyển sang trạng thái \"{}\": hãy tải lại",
                form.code,
                p.code(),
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
