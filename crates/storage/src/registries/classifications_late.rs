//! The subjects late for a year's deadline, and self-scores imported from
//! a file (all or nothing, every error by its place).

use super::*;
/// A subject late for the year: its deadline passed and no sheet was sent.
#[derive(Debug, Clone, Serialize)]
pub struct Late {
    pub kind: SubjectKind,
    pub subject: String,
    pub unit: UnitRef,
    pub deadline: String,
    /// Its sheet, when one was opened (still a draft).
    pub classification_id: Option<i64>,
}

/// Subjects of the unit's subtree not submitted by the deadline of the
/// year ("Chưa hoàn thành đúng hạn"), as of `today`: sheets still in draft
/// after their kind's deadline, and the communes (valid at the deadline)
/// that opened no sheet at all.
pub async fn late(
    db: &Db,
    actor: Option<&Actor>,
    unit_id: i64,
    year: i32,
    today: Date,
) -> StorageResult<Vec<Late>> {
    let d = deadlines(db).await?;
    let mut out = Vec::new();
    let f = Filter {
        unit_id: Some(unit_id),
        year: Some(year),
        ..Filter::default()
    };
    let sheets = list(db, actor, &f).await?;
    for c in sheets.iter().filter(|c| c.state == State::Draft) {
        if let Some(dl) = d.of(c.kind, year).filter(|dl| today > *dl) {
            out.push(Late {
                kind: c.kind,
                subject: c.subject.clone(),
                unit: c.unit.clone(),
                deadline: dates::iso(dl),
                classification_id: Some(c.id),
            });
        }
    }
    if let Some(dl) = d.of(SubjectKind::Xa, year).filter(|dl| today > *dl) {
        let at = dates::iso(dl);
        let scope = match actor {
            Some(a) => a.scope_sql(Action::Read, "u.id"),
            None => "1 = 1".into(),
        };
        let rows: Vec<(i64, String, String)> = sqlx::query_as(&format!(
            "SELECT u.id, u.code, u.name FROM units u WHERE u.level = 'commune' AND {scope} \
             AND u.id IN (SELECT descendant_id FROM unit_scope WHERE ancestor_id = $1) \
             AND (u.valid_from IS NULL OR u.valid_from <= $2) AND (u.valid_to IS NULL OR u.valid_to >= $2) \
             AND NOT EXISTS (SELECT 1 FROM classifications c WHERE c.subject_key = 'xa:' || CAST(u.id AS TEXT) AND c.year = $3) \
             ORDER BY u.code LIMIT {MAX_LISTED}"
        ))
        .bind(unit_id)
        .bind(&at)
        .bind(i64::from(year))
        .fetch_all(db.pool())
        .await?;
        for (id, code, name) in rows {
            out.push(Late {
                kind: SubjectKind::Xa,
                subject: name.clone(),
                unit: UnitRef { id, code, name },
                deadline: at.clone(),
                classification_id: None,
            });
        }
    }
    out.sort_by(|a, b| (a.kind, &a.unit.code, &a.subject).cmp(&(b.kind, &b.unit.code, &b.subject)));
    Ok(out)
}

/// One self-score of an import: where it is in the file, the sheet, the
/// item, the points and the evidence.
#[derive(Debug, Clone)]
pub struct ImportRow {
    pub place: String,
    pub classification_id: i64,
    pub item_id: i64,
    pub points: i64,
    pub evidence: String,
}

/// Import self-scores, all or nothing: every row is checked (the sheet
/// exists and the caller may score it, it is a draft, the item is one of
/// its template's, the points within the maximum) and every error named
/// by its place; on a dry run nothing is written. Returns the sheets touched.
pub async fn import_scores(
    db: &Db,
    actor: Option<&Actor>,
    rows: &[ImportRow],
    dry_run: bool,
) -> StorageResult<usize> {
    if rows.len() > limits::MAX_IMPORT_ROWS {
        return Err(invalid(format!(
            "Tệp có {} dòng điểm, quá giới hạn {} dòng",
            rows.len(),
            limits::MAX_IMPORT_ROWS
        )));
    }
    let mut errors = Vec::new();
    let mut sheets: Vec<(Sheet, Who, Vec<ScoreIn>)> = Vec::new();
    let mut seen = std::collections::HashSet::new();
    for r in rows {
        if !seen.insert((r.classification_id, r.item_id)) {
            errors.push(format!("{}: mục này đã có ở một dòng trước", r.place));
            continue;
        }
        let pos = match sheets
            .iter()
            .position(|(s, ..)| s.classification.id == r.classification_id)
        {
            Some(p) => Some(p),
            None => match sheet(db, actor, r.classification_id).await {
                Ok(sh) => {
                    let who = match scorer(db, actor, &sh.classification).await {
                        Ok(w) => w,
                        Err(_) => {
                            errors.push(format!(
                                "{}: không có quyền chấm điểm phiếu số {}",
                                r.place, r.classification_id
                            ));
                            continue;
                        }
                    };
                    if sh.classification.state != State::Draft {
                        errors.push(format!(
                            "{}: phiếu số {} đang ở trạng thái \u{201C}{}\u{201D}, không tự chấm được nữa",
                            r.place,
                            r.classification_id,
                            sh.classification.state.word_vi().to_lowercase()
                        ));
                        continue;
                    }
                    sheets.push((sh, who, Vec::new()));
                    Some(sheets.len() - 1)
                }
                Err(StorageError::NotFound(_)) | Err(StorageError::Forbidden) => {
                    errors.push(format!(
                        "{}: không có phiếu phân loại số {}",
                        r.place, r.classification_id
                    ));
                    None
                }
                Err(e) => return Err(e),
            },
        };
        let Some(p) = pos else { continue };
        let s = ScoreIn {
            item_id: r.item_id,
            points: Some(r.points),
            evidence: r.evidence.clone(),
        };
        let errs = check_scores(&sheets[p].0, std::slice::from_ref(&s), &|_| {
            format!("{}: ", r.place)
        });
        if errs.is_empty() {
            sheets[p].2.push(s);
        } else {
            errors.extend(errs);
        }
    }
    if !errors.is_empty() {
        return Err(StorageError::Rejected(errors));
    }
    let n = sheets.len();
    let mut tx = db.begin_write().await?;
    for (sh, who, scores) in &sheets {
        write_scores_tx(&mut tx, who, sh, scores).await?;
    }
    if dry_run {
        drop(tx);
    } else {
        tx.commit().await?;
    }
    Ok(n)
}
