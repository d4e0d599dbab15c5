//! Deciding a recognition: who may, the decision's number, date and
//! issuer, recognised or not.

use super::*;

/// May the actor decide on this record? (`decider` says who.)
pub async fn may_decide(db: &Db, actor: &Actor, r: &Recognition) -> StorageResult<bool> {
    let cond = match decider(r.kind) {
        Decider::OwnUnitOrAbove => actor
            .with_roles(&[Role::Police, Role::Front])
            .scope_sql(Action::EditRecords, "u.id"),
        Decider::StrictlyAbove => format!(
            "({} OR {})",
            actor.scope_sql(Action::Approve(Role::Police), "u.id"),
            actor.scope_sql(Action::Approve(Role::Front), "u.id")
        ),
    };
    let found: Option<i64> = sqlx::query_scalar(&format!(
        "SELECT u.id FROM units u WHERE u.id = $1 AND {cond}"
    ))
    .bind(r.unit.id)
    .fetch_optional(db.pool())
    .await?;
    Ok(found.is_some())
}

/// Everything a decision needs checked: the record's checklist (all met to
/// recognise) and, for a commune, the share of its areas recognised.
async fn check_decision_on(
    db: &Db,
    r: &Recognition,
    d: &Decision,
    checklist_required: bool,
) -> StorageResult<()> {
    check_decision(d.recognised, &d.number, &d.issuer, &d.reason)?;
    text::check_len(
        "Lý do công nhận dưới ngưỡng",
        &d.override_reason,
        rules::MAX_REASON,
    )?;
    let reg = dates::parse_date(&r.registered_on)?;
    if d.date < reg {
        return Err(DomainError::invalid(format!(
            "Ngày quyết định {} trước ngày đăng ký {}",
            dates::format_vi(d.date),
            dates::format_vi(reg)
        ))
        .into());
    }
    if d.date.year() > r.year + 1 || d.date > dates::today() {
        return Err(DomainError::invalid(format!(
            "Ngày quyết định {} không hợp lệ cho năm {} (muộn nhất là năm sau, không sau hôm nay)",
            dates::format_vi(d.date),
            r.year
        ))
        .into());
    }
    if !d.recognised {
        return Ok(());
    }
    if checklist_required {
        let list = checklist(db, r).await?;
        let missing: Vec<String> = list
            .iter()
            .filter(|c| c.met != Some(true))
            .map(|c| c.position.to_string())
            .collect();
        if !missing.is_empty() {
            return Err(DomainError::invalid(format!(
                "Chưa đạt hoặc chưa đánh giá tiêu chí {}: chưa công nhận được",
                missing.join(", ")
            ))
            .into());
        }
    }
    if r.kind == SubjectKind::Xa {
        let s = commune_share(db, r.unit.id, r.year).await?;
        if s.below() && d.override_reason.trim().is_empty() {
            return Err(DomainError::invalid(format!(
                "Năm {} mới có {}/{} khu dân cư của {} được công nhận ({}), dưới ngưỡng {}%: ghi lý do nếu vẫn công nhận",
                r.year,
                text::format_int(s.recognised),
                text::format_int(s.total),
                r.subject,
                rules::share_text(s.recognised, s.total),
                text::format_decimal(s.threshold, 1)
            ))
            .into());
        }
    }
    Ok(())
}

/// Decide on a record (audited): recognised or not, with the decision's
/// number, date and issuer; the reason when not.
pub async fn decide(
    db: &Db,
    actor: Option<&Actor>,
    id: i64,
    d: &Decision,
) -> StorageResult<Recognition> {
    let r = get(db, actor, id).await?;
    if let Some(a) = actor {
        if !may_decide(db, a, &r).await? {
            return Err(StorageError::Forbidden);
        }
    }
    if r.state.decided() {
        return Err(StorageError::Conflict(format!(
            "Hồ sơ của {} năm {} đã có quyết định",
            r.subject, r.year
        )));
    }
    check_decision_on(db, &r, d, true).await?;
    let who = actor.map(Actor::who).unwrap_or_else(Who::system);
    let now = dates::timestamp(dates::now_utc());
    let state = if d.recognised {
        RecognitionState::Recognised
    } else {
        RecognitionState::NotRecognised
    };
    let (who, now, r_ref) = (&who, &now, &r);
    db.write(|mut tx| async move {
        sqlx::query(
            "UPDATE recognitions SET state = $1, decision_number = $2, decision_date = $3, \
             decision_issuer = $4, reason = $5, override_reason = $6, updated_at = $7 WHERE id = $8",
        )
        .bind(state.code())
        .bind(d.number.trim())
        .bind(dates::iso(d.date))
        .bind(d.issuer.trim())
        .bind(d.reason.trim())
        .bind(d.override_reason.trim())
        .bind(now)
        .bind(id)
        .execute(tx.conn())
        .await?;
        audit::append(
            &mut tx,
            Change {
                who,
                action: "recognition.decide",
                entity: "recognition",
                entity_id: id.to_string(),
                unit_id: Some(r_ref.unit.id),
                before: Some(json!({"state": r_ref.state.code()})),
                after: Some(json!({
                    "state": state.code(), "number": d.number.trim(), "date": dates::iso(d.date),
                    "issuer": d.issuer.trim(), "reason": d.reason.trim(),
                    "override_reason": d.override_reason.trim(),
                })),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(())
    })
    .await?;
    get(db, None, id).await
}
