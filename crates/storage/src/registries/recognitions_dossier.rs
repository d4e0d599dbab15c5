//! A recognition's dossier: the criteria checked for the subject and the
//! documents attached, while the recognition is still open.

use super::*;

async fn require_open(db: &Db, actor: Option<&Actor>, id: i64) -> StorageResult<Recognition> {
    let r = get(db, actor, id).await?;
    if let Some(a) = actor {
        access::require(db, a, Action::EditRecords, r.unit.id).await?;
    }
    if r.state.decided() {
        return Err(StorageError::Conflict(format!(
            "Hồ sơ của {} năm {} đã có quyết định, không sửa được",
            r.subject, r.year
        )));
    }
    Ok(r)
}

/// Record the checklist (met or not, with a note), replacing the criteria
/// given (audited). Only the criteria of the record's kind and year.
pub async fn set_checks(
    db: &Db,
    actor: Option<&Actor>,
    id: i64,
    checks: &[CheckInput],
) -> StorageResult<Recognition> {
    let r = require_open(db, actor, id).await?;
    let valid = criteria_of_year(db, r.kind, r.year).await?;
    if checks.is_empty() || checks.len() > 100 {
        return Err(DomainError::invalid("Chưa đánh giá tiêu chí nào").into());
    }
    for c in checks {
        if !valid.iter().any(|v| v.id == c.criterion_id) {
            return Err(DomainError::invalid(format!(
                "Tiêu chí số {} không áp dụng cho {} năm {}",
                c.criterion_id,
                r.kind.word_vi().to_lowercase(),
                r.year
            ))
            .into());
        }
        text::check_len("Ghi chú", &c.note, rules::MAX_NOTE)?;
    }
    let who = actor.map(Actor::who).unwrap_or_else(Who::system);
    let now = dates::timestamp(dates::now_utc());
    let (who, now, r_ref) = (&who, &now, &r);
    db.write(|mut tx| async move {
        for c in checks {
            sqlx::query("DELETE FROM recognition_checks WHERE recognition_id = $1 AND criterion_id = $2")
                .bind(id)
                .bind(c.criterion_id)
                .execute(tx.conn())
                .await?;
            sqlx::query(
                "INSERT INTO recognition_checks (recognition_id, criterion_id, met, note) VALUES ($1, $2, $3, $4)",
            )
            .bind(id)
            .bind(c.criterion_id)
            .bind(i64::from(c.met))
            .bind(text::clean(&c.note))
            .execute(tx.conn())
            .await?;
        }
        sqlx::query("UPDATE recognitions SET state = $1, updated_at = $2 WHERE id = $3")
            .bind(RecognitionState::Dossier.code())
            .bind(now)
            .bind(id)
            .execute(tx.conn())
            .await?;
        audit::append(
            &mut tx,
            Change {
                who,
                action: "recognition.check",
                entity: "recognition",
                entity_id: id.to_string(),
                unit_id: Some(r_ref.unit.id),
                before: None,
                after: Some(json!(checks
                    .iter()
                    .map(|c| json!({"criterion": c.criterion_id, "met": c.met, "note": c.note}))
                    .collect::<Vec<_>>())),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(())
    })
    .await?;
    get(db, None, id).await
}

/// One criterion of a record with how it was checked.
#[derive(Debug, Clone, Serialize)]
pub struct CheckRow {
    pub criterion_id: i64,
    pub position: i64,
    pub text: String,
    pub note: String,
    pub met: Option<bool>,
    pub check_note: String,
}

/// The checklist of a record: every criterion of its kind and year.
pub async fn checklist(db: &Db, r: &Recognition) -> StorageResult<Vec<CheckRow>> {
    let crit = criteria_of_year(db, r.kind, r.year).await?;
    let done: Vec<(i64, i64, String)> = sqlx::query_as(
        "SELECT criterion_id, met, note FROM recognition_checks WHERE recognition_id = $1",
    )
    .bind(r.id)
    .fetch_all(db.pool())
    .await?;
    Ok(crit
        .into_iter()
        .map(|c| {
            let d = done.iter().find(|d| d.0 == c.id);
            CheckRow {
                criterion_id: c.id,
                position: c.position,
                text: c.text,
                note: c.note,
                met: d.map(|d| d.1 != 0),
                check_note: d.map(|d| d.2.clone()).unwrap_or_default(),
            }
        })
        .collect())
}

/// A document of a dossier.
#[derive(Debug, Clone, Serialize)]
pub struct FileInfo {
    pub id: i64,
    pub name: String,
    pub content_type: String,
    pub size: i64,
    pub sha256: String,
    pub created_at: String,
}

pub async fn files(db: &Db, recognition_id: i64) -> StorageResult<Vec<FileInfo>> {
    let rows: Vec<(i64, String, String, i64, String, String)> = sqlx::query_as(
        "SELECT id, name, content_type, size, sha256, created_at FROM recognition_files \
         WHERE recognition_id = $1 ORDER BY id",
    )
    .bind(recognition_id)
    .fetch_all(db.pool())
    .await?;
    Ok(rows
        .into_iter()
        .map(
            |(id, name, content_type, size, sha256, created_at)| FileInfo {
                id,
                name,
                content_type,
                size,
                sha256,
                created_at,
            },
        )
        .collect())
}

/// Attach a document to a dossier (audited): PDF, DOCX, JPEG or PNG by
/// content, at most `MAX_FILE_BYTES`, `MAX_FILES` a dossier, kept by its SHA-256.
pub async fn attach(
    db: &Db,
    actor: Option<&Actor>,
    id: i64,
    name: &str,
    bytes: &[u8],
) -> StorageResult<FileInfo> {
    let r = require_open(db, actor, id).await?;
    if bytes.is_empty() {
        return Err(DomainError::invalid("Tệp rỗng").into());
    }
    if bytes.len() > rules::MAX_FILE_BYTES {
        return Err(DomainError::invalid(format!(
            "Tệp lớn {} byte, vượt giới hạn {} byte",
            text::format_int(bytes.len() as i64),
            text::format_int(rules::MAX_FILE_BYTES as i64)
        ))
        .into());
    }
    let content_type = rules::sniff_document(bytes)?;
    let mut name = text::clean(name.rsplit(['/', '\\']).next().unwrap_or(""));
    if name.is_empty() {
        name = format!("ho-so-{id}");
    }
    text::check_len("Tên tệp", &name, 200)?;
    let sha = antq_core::programmes::documents::sha256_hex(bytes);
    let who = actor.map(Actor::who).unwrap_or_else(Who::system);
    let now = dates::timestamp(dates::now_utc());
    let (who, now, name_ref, sha_ref, unit_id) = (&who, &now, &name, &sha, r.unit.id);
    let file_id = db
        .write(|mut tx| async move {
            let (count,): (i64,) =
                sqlx::query_as("SELECT COUNT(*) FROM recognition_files WHERE recognition_id = $1")
                    .bind(id)
                    .fetch_one(tx.conn())
                    .await?;
            if count >= rules::MAX_FILES {
                return Err(DomainError::invalid(format!(
                    "Hồ sơ đã có {} tệp, tối đa {} tệp",
                    count,
                    rules::MAX_FILES
                ))
                .into());
            }
            let fid: i64 = sqlx::query_scalar(
                "INSERT INTO recognition_files (recognition_id, name, content_type, sha256, size, bytes, created_by, created_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
            )
            .bind(id)
            .bind(name_ref)
            .bind(content_type)
            .bind(sha_ref)
            .bind(bytes.len() as i64)
            .bind(bytes)
            .bind(&who.name)
            .bind(now)
            .fetch_one(tx.conn())
            .await
            .map_err(|e| StorageError::unique_as_conflict(e, "Tệp này đã có trong hồ sơ"))?;
            sqlx::query("UPDATE recognitions SET state = $1, updated_at = $2 WHERE id = $3")
                .bind(RecognitionState::Dossier.code())
                .bind(now)
                .bind(id)
                .execute(tx.conn())
                .await?;
            audit::append(
                &mut tx,
                Change {
                    who,
                    action: "recognition.file",
                    entity: "recognition",
                    entity_id: id.to_string(),
                    unit_id: Some(unit_id),
                    before: None,
                    after: Some(json!({"file": fid, "name": name_ref, "type": content_type, "sha256": sha_ref, "size": bytes.len()})),
                },
            )
            .await?;
            tx.commit().await?;
            Ok(fid)
        })
        .await?;
    Ok(FileInfo {
        id: file_id,
        name,
        content_type: content_type.to_string(),
        size: bytes.len() as i64,
        sha256: sha,
        created_at: now.clone(),
    })
}

/// A document's name, type and bytes (the record must be readable).
pub async fn file(
    db: &Db,
    actor: Option<&Actor>,
    id: i64,
    file_id: i64,
) -> StorageResult<(String, String, Vec<u8>)> {
    get(db, actor, id).await?;
    sqlx::query_as(
        "SELECT name, content_type, bytes FROM recognition_files WHERE id = $1 AND recognition_id = $2",
    )
    .bind(file_id)
    .bind(id)
    .fetch_optional(db.pool())
    .await?
    .ok_or_else(|| StorageError::not_found(format!("tệp số {file_id}")))
}
