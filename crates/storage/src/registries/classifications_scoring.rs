//! Scoring a classification sheet: the unit's self-scores with evidence,
//! submission, the review by the level above (a changed score needs a
//! reason), and the decision of the band by the configured thresholds.

use super::*;
/// A self-score as typed: item, points (tenths; `None` clears), evidence.
#[derive(Debug, Clone, Default)]
pub struct ScoreIn {
    pub item_id: i64,
    pub points: Option<i64>,
    pub evidence: String,
}

/// A reviewed score: item, points (tenths), the reason when it differs from the self-score.
#[derive(Debug, Clone, Default)]
pub struct ReviewIn {
    pub item_id: i64,
    pub points: i64,
    pub reason: String,
}

fn check_item(t: &Template, item_id: i64, points: Option<i64>) -> Result<&Item, String> {
    let item = t
        .item(item_id)
        .ok_or_else(|| format!("mục số {item_id} không có trong mẫu bảng chấm điểm"))?;
    if !t.is_leaf(item_id) {
        return Err(format!(
            "mục {} có các ý nhỏ: chấm điểm từng ý, tổng của mục được cộng từ các ý",
            item.label
        ));
    }
    if let Some(p) = points {
        if p < 0 {
            return Err(format!("mục {}: điểm không được âm", item.label));
        }
        if p > item.max {
            return Err(format!(
                "mục {}: {} điểm vượt điểm chuẩn {} điểm",
                item.label,
                antq_core::registries::classifications::format_points(p),
                antq_core::registries::classifications::format_points(item.max)
            ));
        }
    }
    Ok(item)
}

/// Check self-scores against a sheet (draft; each within its item's
/// maximum); errors as "mục 4.1: …" prefixed by `place(i)` when given.
pub fn check_scores(
    sh: &Sheet,
    scores: &[ScoreIn],
    place: &dyn Fn(usize) -> String,
) -> Vec<String> {
    let mut errors = Vec::new();
    for (i, s) in scores.iter().enumerate() {
        if let Err(e) = check_item(&sh.template, s.item_id, s.points) {
            errors.push(format!("{}{e}", place(i)));
        }
        if let Err(e) = text::check_len("Minh chứng", &s.evidence, limits::EVIDENCE) {
            errors.push(format!("{}{e}", place(i)));
        }
    }
    errors
}

fn in_state(c: &Classification, states: &[State], doing: &str) -> StorageResult<()> {
    if states.contains(&c.state) {
        Ok(())
    } else {
        Err(StorageError::Conflict(format!(
            "Phiếu phân loại số {} đang ở trạng thái \u{201C}{}\u{201D} nên không {doing} được",
            c.id,
            c.state.word_vi().to_lowercase()
        )))
    }
}

pub(super) async fn scorer(
    db: &Db,
    actor: Option<&Actor>,
    c: &Classification,
) -> StorageResult<Who> {
    match actor {
        Some(a) => {
            if may_score(db, a, c).await? {
                Ok(a.who())
            } else {
                Err(StorageError::Forbidden)
            }
        }
        None => Ok(Who::system()),
    }
}

async fn reviewer(db: &Db, actor: Option<&Actor>, c: &Classification) -> StorageResult<Who> {
    match actor {
        Some(a) => {
            if may_review(db, a, c).await? {
                Ok(a.who())
            } else {
                Err(StorageError::Forbidden)
            }
        }
        None => Ok(Who::system()),
    }
}

/// Self-score items (draft only; each within its maximum; audited).
pub async fn set_scores(
    db: &Db,
    actor: Option<&Actor>,
    id: i64,
    scores: &[ScoreIn],
) -> StorageResult<Sheet> {
    let sh = sheet(db, actor, id).await?;
    let c = &sh.classification;
    let who = scorer(db, actor, c).await?;
    in_state(c, &[State::Draft], "tự chấm điểm")?;
    let errors = check_scores(&sh, scores, &|_| String::new());
    if let Some(first) = errors.first() {
        return Err(invalid(capital(first)));
    }
    let mut tx = db.begin_write().await?;
    write_scores_tx(&mut tx, &who, &sh, scores).await?;
    tx.commit().await?;
    sheet(db, None, id).await
}

fn capital(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().collect::<String>() + c.as_str(),
        None => String::new(),
    }
}

pub(crate) async fn write_scores_tx(
    tx: &mut WriteTx,
    who: &Who,
    sh: &Sheet,
    scores: &[ScoreIn],
) -> StorageResult<()> {
    let id = sh.classification.id;
    for s in scores {
        let evidence = text::clean(&s.evidence);
        let exists = sh.line(s.item_id).is_some();
        if exists {
            sqlx::query(
                "UPDATE classification_scores SET self_tenths = $3, evidence = $4 \
                 WHERE classification_id = $1 AND item_id = $2",
            )
            .bind(id)
            .bind(s.item_id)
            .bind(s.points)
            .bind(&evidence)
            .execute(tx.conn())
            .await?;
        } else {
            sqlx::query(
                "INSERT INTO classification_scores (classification_id, item_id, self_tenths, evidence, reason) \
                 VALUES ($1, $2, $3, $4, '')",
            )
            .bind(id)
            .bind(s.item_id)
            .bind(s.points)
            .bind(&evidence)
            .execute(tx.conn())
            .await?;
        }
    }
    let total: Option<i64> = sqlx::query_scalar(
        "SELECT CAST(SUM(self_tenths) AS BIGINT) FROM classification_scores WHERE classification_id = $1",
    )
    .bind(id)
    .fetch_one(tx.conn())
    .await?;
    sqlx::query("UPDATE classifications SET self_tenths = $2, updated_at = $3 WHERE id = $1")
        .bind(id)
        .bind(total)
        .bind(dates::timestamp(dates::now_utc()))
        .execute(tx.conn())
        .await?;
    let after = json!({
        "scores": scores.iter().map(|s| json!({"item": s.item_id, "points": s.points, "evidence": s.evidence})).collect::<Vec<_>>(),
        "self_total": total,
    });
    audit_tx(
        tx,
        who,
        "classification.score",
        id,
        sh.classification.unit.id,
        Some(json!({"self_total": sh.classification.self_points})),
        after,
    )
    .await
}

/// Send the self-scored sheet to the level above (every item scored; audited).
pub async fn submit(db: &Db, actor: Option<&Actor>, id: i64) -> StorageResult<Sheet> {
    let sh = sheet(db, actor, id).await?;
    let c = &sh.classification;
    let who = scorer(db, actor, c).await?;
    in_state(c, &[State::Draft], "gửi")?;
    let missing: Vec<String> = sh
        .template
        .leaves()
        .iter()
        .filter(|i| sh.line(i.id).and_then(|l| l.self_points).is_none())
        .map(|i| i.label.clone())
        .collect();
    if !missing.is_empty() {
        return Err(invalid(format!(
            "Chưa tự chấm điểm mục {}; chấm đủ các mục rồi mới gửi cấp trên",
            missing.join(", ")
        )));
    }
    let now = dates::timestamp(dates::now_utc());
    let mut tx = db.begin_write().await?;
    sqlx::query(
        "UPDATE classifications SET state = 'submitted', submitted_at = $2, updated_at = $2 WHERE id = $1",
    )
    .bind(id)
    .bind(&now)
    .execute(tx.conn())
    .await?;
    audit_tx(
        &mut tx,
        &who,
        "classification.submit",
        id,
        c.unit.id,
        Some(json!({"state": c.state.code()})),
        json!({"state": "submitted", "self_total": c.self_points}),
    )
    .await?;
    tx.commit().await?;
    sheet(db, None, id).await
}

/// The level above scores items again (submitted or reviewed; each within
/// its maximum; a score that differs from the self-score needs a reason).
/// Items it does not name keep the self-score. Audited.
pub async fn review(
    db: &Db,
    actor: Option<&Actor>,
    id: i64,
    changes: &[ReviewIn],
) -> StorageResult<Sheet> {
    let sh = sheet(db, actor, id).await?;
    let c = &sh.classification;
    let who = reviewer(db, actor, c).await?;
    in_state(c, &[State::Submitted, State::Reviewed], "chấm lại")?;
    for r in changes {
        let item = check_item(&sh.template, r.item_id, Some(r.points))
            .map_err(|e| invalid(capital(&e)))?;
        let reason = text::clean(&r.reason);
        text::check_len("Lý do", &reason, limits::REASON)?;
        let own = sh.line(r.item_id).and_then(|l| l.self_points);
        if own != Some(r.points) && reason.is_empty() {
            return Err(invalid(format!(
                "Mục {}: cấp trên chấm khác điểm tự chấm thì phải ghi lý do",
                item.label
            )));
        }
    }
    let mut tx = db.begin_write().await?;
    review_tx(&mut tx, &who, &sh, changes).await?;
    tx.commit().await?;
    sheet(db, None, id).await
}

pub(super) async fn review_tx(
    tx: &mut WriteTx,
    who: &Who,
    sh: &Sheet,
    changes: &[ReviewIn],
) -> StorageResult<()> {
    let id = sh.classification.id;
    // The first review starts from the self-scores.
    sqlx::query(
        "UPDATE classification_scores SET reviewed_tenths = self_tenths \
         WHERE classification_id = $1 AND reviewed_tenths IS NULL",
    )
    .bind(id)
    .execute(tx.conn())
    .await?;
    for r in changes {
        let reason = text::clean(&r.reason);
        if sh.line(r.item_id).is_some() {
            sqlx::query(
                "UPDATE classification_scores SET reviewed_tenths = $3, reason = $4 \
                 WHERE classification_id = $1 AND item_id = $2",
            )
            .bind(id)
            .bind(r.item_id)
            .bind(r.points)
            .bind(&reason)
            .execute(tx.conn())
            .await?;
        } else {
            sqlx::query(
                "INSERT INTO classification_scores (classification_id, item_id, evidence, reviewed_tenths, reason) \
                 VALUES ($1, $2, '', $3, $4)",
            )
            .bind(id)
            .bind(r.item_id)
            .bind(r.points)
            .bind(&reason)
            .execute(tx.conn())
            .await?;
        }
    }
    let total: Option<i64> = sqlx::query_scalar(
        "SELECT CAST(SUM(reviewed_tenths) AS BIGINT) FROM classification_scores WHERE classification_id = $1",
    )
    .bind(id)
    .fetch_one(tx.conn())
    .await?;
    sqlx::query(
        "UPDATE classifications SET state = 'reviewed', reviewed_tenths = $2, updated_at = $3 WHERE id = $1",
    )
    .bind(id)
    .bind(total.unwrap_or(0))
    .bind(dates::timestamp(dates::now_utc()))
    .execute(tx.conn())
    .await?;
    let after = json!({
        "changes": changes.iter().map(|r| json!({"item": r.item_id, "points": r.points, "reason": r.reason})).collect::<Vec<_>>(),
        "reviewed_total": total,
    });
    audit_tx(
        tx,
        who,
        "classification.review",
        id,
        sh.classification.unit.id,
        Some(json!({"reviewed_total": sh.classification.reviewed_points})),
        after,
    )
    .await
}

/// Decide the band (submitted or reviewed): it follows the reviewed total
/// (the self-scores when the level above changed none) and the configured
/// thresholds, never typed. Audited.
pub async fn decide(db: &Db, actor: Option<&Actor>, id: i64) -> StorageResult<Sheet> {
    let sh = sheet(db, actor, id).await?;
    let who = reviewer(db, actor, &sh.classification).await?;
    in_state(
        &sh.classification,
        &[State::Submitted, State::Reviewed],
        "xếp loại",
    )?;
    let t = thresholds(db).await?;
    let mut tx = db.begin_write().await?;
    decide_tx(&mut tx, &who, &sh, &t, &dates::timestamp(dates::now_utc())).await?;
    tx.commit().await?;
    sheet(db, None, id).await
}

pub(super) async fn decide_tx(
    tx: &mut WriteTx,
    who: &Who,
    sh: &Sheet,
    t: &Thresholds,
    at: &str,
) -> StorageResult<Band> {
    let c = &sh.classification;
    if c.state == State::Submitted {
        review_tx(tx, who, sh, &[]).await?;
    }
    let total: Option<i64> = sqlx::query_scalar(
        "SELECT CAST(SUM(reviewed_tenths) AS BIGINT) FROM classification_scores WHERE classification_id = $1",
    )
    .bind(c.id)
    .fetch_one(tx.conn())
    .await?;
    let total = total.unwrap_or(0);
    let b = band(total, t);
    sqlx::query(
        "UPDATE classifications SET state = 'decided', reviewed_tenths = $2, band = $3, decided_by = $4, \
         decided_at = $5, updated_at = $5 WHERE id = $1",
    )
    .bind(c.id)
    .bind(total)
    .bind(b.code())
    .bind(&who.name)
    .bind(at)
    .execute(tx.conn())
    .await?;
    audit_tx(
        tx,
        who,
        "classification.decide",
        c.id,
        c.unit.id,
        Some(json!({"state": c.state.code()})),
        json!({"reviewed_total": total, "band": b.code(), "thresholds": t}),
    )
    .await?;
    Ok(b)
}
