//! Files kept with a document: PDF or DOCX, recognised by their content,
//! bounded in size, with their SHA-256; every attachment audited.

use antq_core::dates;
use antq_core::programmes::documents::{sha256_hex, sniff_file, MAX_FILE_BYTES};
use antq_core::text;
use antq_core::DomainError;
use serde::Serialize;
use serde_json::json;

use super::{get, require_edit};
use crate::accounts::access::Actor;
use crate::audit::{self, Change, Who};
use crate::db::{Db, WriteTx};
use crate::error::{StorageError, StorageResult};
use crate::portal::changes::{self, ItemKind};

/// How many files one document may keep.
pub const MAX_FILES: i64 = 20;

/// A file row with its bytes: id, name, media type, size, SHA-256, created at, body.
type FileRow = (i64, String, String, i64, String, String, Vec<u8>);

/// A file's description (its bytes are read by [`file`]).
#[derive(Debug, Clone, Serialize)]
pub struct FileInfo {
    pub id: i64,
    pub name: String,
    pub media_type: String,
    pub size: i64,
    pub sha256: String,
    pub created_at: String,
}

pub(crate) async fn list(db: &Db, document_id: i64) -> StorageResult<Vec<FileInfo>> {
    let rows: Vec<(i64, String, String, i64, String, String)> = sqlx::query_as(
        "SELECT id, name, media_type, size, sha256, created_at FROM document_files \
         WHERE document_id = $1 ORDER BY id",
    )
    .bind(document_id)
    .fetch_all(db.pool())
    .await?;
    Ok(rows
        .into_iter()
        .map(
            |(id, name, media_type, size, sha256, created_at)| FileInfo {
                id,
                name,
                media_type,
                size,
                sha256,
                created_at,
            },
        )
        .collect())
}

/// Keep a file with a document (audited). The name is only shown; what the
/// file is comes from its content.
pub async fn attach(
    db: &Db,
    actor: &Actor,
    document_id: i64,
    name: &str,
    bytes: &[u8],
) -> StorageResult<FileInfo> {
    let doc = get(db, actor, document_id).await?;
    require_edit(db, actor, doc.unit_id).await?;
    if bytes.len() > MAX_FILE_BYTES {
        return Err(DomainError::invalid(format!(
            "Tệp lớn {} byte, vượt giới hạn {} byte",
            text::format_int(bytes.len() as i64),
            text::format_int(MAX_FILE_BYTES as i64)
        ))
        .into());
    }
    let media_type = sniff_file(bytes)?;
    let mut name = text::clean(name.rsplit(['/', '\\']).next().unwrap_or(""));
    if name.is_empty() {
        name = format!("van-ban-{document_id}");
    }
    text::check_len("Tên tệp", &name, text::limits::NAME)?;
    let sha = sha256_hex(bytes);
    let who = actor.who();
    let now = dates::timestamp(dates::now_utc());
    // Reading a PDF may take seconds: off the async workers.
    let owned = bytes.to_vec();
    let text = tokio::task::spawn_blocking(move || super::file_text::extract(media_type, &owned))
        .await
        .unwrap_or(None);
    let id = db
        .write(|mut tx| {
            let (name, sha, who, now, text) = (&name, &sha, &who, &now, &text);
            async move {
                let id = store(
                    &mut tx,
                    who,
                    NewFile {
                        document_id,
                        unit_id: doc.unit_id,
                        name,
                        media_type,
                        sha,
                        bytes,
                        text: text.as_deref(),
                        now,
                    },
                )
                .await?;
                tx.commit().await?;
                Ok(id)
            }
        })
        .await?;
    Ok(FileInfo {
        id,
        name,
        media_type: media_type.into(),
        size: bytes.len() as i64,
        sha256: sha,
        created_at: now,
    })
}

/// A file of a document the actor may read, with its bytes.
pub async fn file(
    db: &Db,
    actor: &Actor,
    document_id: i64,
    file_id: i64,
) -> StorageResult<(FileInfo, Vec<u8>)> {
    get(db, actor, document_id).await?;
    read(db, document_id, file_id).await
}

/// A file of a document with its bytes, without access checks.
pub(crate) async fn read(
    db: &Db,
    document_id: i64,
    file_id: i64,
) -> StorageResult<(FileInfo, Vec<u8>)> {
    let row: Option<FileRow> = sqlx::query_as(
        "SELECT id, name, media_type, size, sha256, created_at, body FROM document_files \
         WHERE id = $1 AND document_id = $2",
    )
    .bind(file_id)
    .bind(document_id)
    .fetch_optional(db.pool())
    .await?;
    let (id, name, media_type, size, sha256, created_at, body) =
        row.ok_or_else(|| StorageError::not_found(format!("tệp số {file_id}")))?;
    Ok((
        FileInfo {
            id,
            name,
            media_type,
            size,
            sha256,
            created_at,
        },
        body,
    ))
}

/// A file to keep, checked by the caller.
pub(crate) struct NewFile<'a> {
    pub document_id: i64,
    pub unit_id: Option<i64>,
    pub name: &'a str,
    pub media_type: &'a str,
    pub sha: &'a str,
    pub bytes: &'a [u8],
    /// Its extracted text, kept for the public search.
    pub text: Option<&'a str>,
    pub now: &'a str,
}

/// Keep a file (and its text) in the caller's transaction: audited, and
/// recorded for the search index.
pub(crate) async fn store(tx: &mut WriteTx, who: &Who, f: NewFile<'_>) -> StorageResult<i64> {
    let count: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM document_files WHERE document_id = $1")
            .bind(f.document_id)
            .fetch_one(tx.conn())
            .await?;
    if count >= MAX_FILES {
        return Err(StorageError::Conflict(format!(
            "Văn bản đã có {MAX_FILES} tệp, không thêm được nữa"
        )));
    }
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO document_files (document_id, name, media_type, size, sha256, \
         body, created_by, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) \
         RETURNING id",
    )
    .bind(f.document_id)
    .bind(f.name)
    .bind(f.media_type)
    .bind(f.bytes.len() as i64)
    .bind(f.sha)
    .bind(f.bytes.to_vec())
    .bind(&who.name)
    .bind(f.now)
    .fetch_one(tx.conn())
    .await?;
    if let Some(text) = f.text {
        sqlx::query(
            "INSERT INTO document_texts (file_id, document_id, body, extracted_at) \
             VALUES ($1, $2, $3, $4)",
        )
        .bind(id)
        .bind(f.document_id)
        .bind(text)
        .bind(f.now)
        .execute(tx.conn())
        .await?;
    }
    audit::append(
        tx,
        Change {
            who,
            action: "document.attach",
            entity: "document",
            entity_id: f.document_id.to_string(),
            unit_id: f.unit_id,
            before: None,
            after: Some(
                json!({"file_id": id, "name": f.name, "media_type": f.media_type,
                "size": f.bytes.len(), "sha256": f.sha,
                "text_chars": f.text.map(|t| t.chars().count())}),
            ),
        },
    )
    .await?;
    changes::record(tx, ItemKind::Document, f.document_id).await?;
    Ok(id)
}
