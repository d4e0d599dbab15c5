//! Photos of a conference with captions and credits. The caller strips
//! their metadata first (`antq_office::images`); here they are checked
//! again by content (JPEG or PNG only), bounded in size and number, stored
//! with their SHA-256, served only to those who may read the conference,
//! and every addition and removal audited.

use antq_core::auth::Action;
use antq_core::dates;
use antq_core::programmes::conferences::photo_digest;
use antq_core::text::{check_len, clean, format_int};
use antq_core::DomainError;
use serde::Serialize;
use serde_json::json;
use sqlx::Row;

use super::require;
use crate::accounts::access::Actor;
use crate::audit::{self, Change};
use crate::db::Db;
use crate::error::{StorageError, StorageResult};

/// The largest photo kept (bytes).
pub const MAX_PHOTO_BYTES: usize = 5 * 1024 * 1024;
/// The most photos of one conference.
pub const MAX_PHOTOS: i64 = 30;
const CAPTION: usize = 1_000;
const CREDIT: usize = 200;

/// A photo as listed (without its bytes).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PhotoInfo {
    pub id: i64,
    pub position: i64,
    pub caption: String,
    pub credit: String,
    pub media_type: String,
    pub size: i64,
    pub sha256: String,
}

/// A new photo: its picture (metadata already stripped) and words.
pub struct NewPhoto<'a> {
    pub bytes: &'a [u8],
    pub caption: &'a str,
    pub credit: &'a str,
}

const PNG_SIGNATURE: &[u8] = b"\x89PNG\r\n\x1a\n";

/// The media type by content: JPEG or PNG, else an error; and a picture
/// that still carries metadata (EXIF/GPS, XMP, IPTC, comments; PNG text,
/// time or EXIF chunks) is refused: nothing of it may reach storage.
fn media_type(b: &[u8]) -> Result<&'static str, DomainError> {
    let (media, metadata) = if b.starts_with(&[0xFF, 0xD8, 0xFF]) {
        ("image/jpeg", jpeg_metadata(b))
    } else if b.starts_with(PNG_SIGNATURE) {
        ("image/png", png_metadata(b))
    } else {
        return Err(DomainError::invalid("Tệp không phải ảnh JPEG hoặc PNG"));
    };
    if metadata {
        return Err(DomainError::invalid(
            "Ảnh còn thông tin kèm theo (EXIF, vị trí GPS, chú thích); cần xóa trước khi lưu",
        ));
    }
    Ok(media)
}

/// Does a JPEG carry a metadata segment (APP1, APP3–APP13, APP15, COM)
/// before its image data? (What `antq_office::images` strips.)
fn jpeg_metadata(b: &[u8]) -> bool {
    let mut i = 2;
    while i + 4 <= b.len() && b[i] == 0xFF {
        let marker = b[i + 1];
        if matches!(marker, 0xE1 | 0xE3..=0xED | 0xEF | 0xFE) {
            return true;
        }
        if marker == 0xDA || marker == 0xD9 {
            return false;
        }
        if marker == 0xFF || marker == 0x01 || (0xD0..=0xD7).contains(&marker) {
            i += if marker == 0xFF { 1 } else { 2 };
            continue;
        }
        i += 2 + usize::from(u16::from_be_bytes([b[i + 2], b[i + 3]]));
    }
    false
}

/// Does a PNG carry a text, time or EXIF chunk?
fn png_metadata(b: &[u8]) -> bool {
    let mut i = PNG_SIGNATURE.len();
    while i + 8 <= b.len() {
        let len = u32::from_be_bytes([b[i], b[i + 1], b[i + 2], b[i + 3]]) as usize;
        if matches!(
            &b[i + 4..i + 8],
            b"tEXt" | b"zTXt" | b"iTXt" | b"eXIf" | b"tIME"
        ) {
            return true;
        }
        i = i.saturating_add(12).saturating_add(len);
    }
    false
}

pub(crate) async fn list(db: &Db, conference_id: i64) -> StorageResult<Vec<PhotoInfo>> {
    let rows = sqlx::query(
        "SELECT id, position, caption, credit, media_type, size, sha256 FROM conference_photos \
         WHERE conference_id = $1 ORDER BY position, id",
    )
    .bind(conference_id)
    .fetch_all(db.pool())
    .await?;
    Ok(rows
        .iter()
        .map(|r| PhotoInfo {
            id: r.get(0),
            position: r.get(1),
            caption: r.get(2),
            credit: r.get(3),
            media_type: r.get(4),
            size: r.get(5),
            sha256: r.get(6),
        })
        .collect())
}

/// Keep a photo of a conference (audited).
pub async fn add(
    db: &Db,
    actor: &Actor,
    conference_id: i64,
    p: NewPhoto<'_>,
) -> StorageResult<PhotoInfo> {
    let unit_id = require(db, actor, Action::EditRecords, conference_id).await?;
    if p.bytes.len() > MAX_PHOTO_BYTES {
        return Err(DomainError::invalid(format!(
            "Ảnh nặng {} byte, vượt giới hạn {} byte (5 MB)",
            format_int(p.bytes.len() as i64),
            format_int(MAX_PHOTO_BYTES as i64)
        ))
        .into());
    }
    let media = media_type(p.bytes)?;
    let caption = clean(p.caption).trim().to_string();
    let credit = clean(p.credit).trim().to_string();
    check_len("Chú thích ảnh", &caption, CAPTION)?;
    check_len("Nguồn ảnh", &credit, CREDIT)?;
    if caption.is_empty() {
        return Err(DomainError::invalid("Ảnh cần có chú thích").into());
    }
    let sha = photo_digest(p.bytes);
    let who = actor.who();
    let now = dates::timestamp(dates::now_utc());
    let (who, now, caption, credit, sha) = (&who, &now, &caption, &credit, &sha);
    let bytes = p.bytes;
    let (id, position) = db
        .write(|mut tx| async move {
            let (n, last): (i64, Option<i64>) = sqlx::query_as(
                "SELECT COUNT(*), MAX(position) FROM conference_photos WHERE conference_id = $1",
            )
            .bind(conference_id)
            .fetch_one(tx.conn())
            .await?;
            if n >= MAX_PHOTOS {
                return Err(DomainError::invalid(format!(
                    "Hội nghị đã có {n} ảnh, nhiều nhất {MAX_PHOTOS} ảnh"
                ))
                .into());
            }
            let position = last.map_or(0, |l| l + 1);
            let id: i64 = sqlx::query_scalar(
                "INSERT INTO conference_photos (conference_id, position, caption, credit, media_type, \
                 size, sha256, body, created_by, created_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id",
            )
            .bind(conference_id)
            .bind(position)
            .bind(caption)
            .bind(credit)
            .bind(media)
            .bind(bytes.len() as i64)
            .bind(sha)
            .bind(bytes.to_vec())
            .bind(&who.name)
            .bind(now)
            .fetch_one(tx.conn())
            .await?;
            audit::append(
                &mut tx,
                Change {
                    who,
                    action: "conference.photo_add",
                    entity: "conference",
                    entity_id: conference_id.to_string(),
                    unit_id: Some(unit_id),
                    before: None,
                    after: Some(json!({"photo": id, "caption": caption, "credit": credit,
                        "media_type": media, "size": bytes.len(), "sha256": sha})),
                },
            )
            .await?;
            tx.commit().await?;
            Ok((id, position))
        })
        .await?;
    Ok(PhotoInfo {
        id,
        position,
        caption: caption.clone(),
        credit: credit.clone(),
        media_type: media.to_string(),
        size: bytes.len() as i64,
        sha256: sha.clone(),
    })
}

fn photo_not_found(id: i64) -> StorageError {
    StorageError::not_found(format!("ảnh số {id}"))
}

/// A photo's media type and bytes, for one who may read the conference.
pub async fn body(
    db: &Db,
    actor: &Actor,
    conference_id: i64,
    photo_id: i64,
) -> StorageResult<(String, Vec<u8>)> {
    require(db, actor, Action::Read, conference_id).await?;
    sqlx::query_as(
        "SELECT media_type, body FROM conference_photos WHERE id = $1 AND conference_id = $2",
    )
    .bind(photo_id)
    .bind(conference_id)
    .fetch_optional(db.pool())
    .await?
    .ok_or_else(|| photo_not_found(photo_id))
}

/// Remove a photo (audited).
pub async fn remove(
    db: &Db,
    actor: &Actor,
    conference_id: i64,
    photo_id: i64,
) -> StorageResult<()> {
    let unit_id = require(db, actor, Action::EditRecords, conference_id).await?;
    let who = actor.who();
    let who = &who;
    db.write(|mut tx| async move {
        let row: Option<(String, String)> = sqlx::query_as(
            "SELECT caption, sha256 FROM conference_photos WHERE id = $1 AND conference_id = $2",
        )
        .bind(photo_id)
        .bind(conference_id)
        .fetch_optional(tx.conn())
        .await?;
        let (caption, sha) = row.ok_or_else(|| photo_not_found(photo_id))?;
        sqlx::query("DELETE FROM conference_photos WHERE id = $1")
            .bind(photo_id)
            .execute(tx.conn())
            .await?;
        audit::append(
            &mut tx,
            Change {
                who,
                action: "conference.photo_remove",
                entity: "conference",
                entity_id: conference_id.to_string(),
                unit_id: Some(unit_id),
                before: Some(json!({"photo": photo_id, "caption": caption, "sha256": sha})),
                after: None,
            },
        )
        .await?;
        tx.commit().await?;
        Ok(())
    })
    .await
}
