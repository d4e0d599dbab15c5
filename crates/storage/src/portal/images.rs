//! An article's pictures: each kept in a few widths (resized and stripped
//! of metadata by the caller, `antq_office::resize`), with a caption and a
//! credit; served publicly only while the article is published.

use antq_core::auth::Action;
use antq_core::dates;
use antq_core::text::{check_len, clean};
use antq_core::DomainError;
use serde::Serialize;
use serde_json::json;

use super::articles::get;
use super::changes::{self, ItemKind};
use crate::accounts::access::{self, Actor};
use crate::audit::{self, Change};
use crate::db::Db;
use crate::error::{StorageError, StorageResult};

/// The most pictures of one article.
pub const MAX_IMAGES: i64 = 20;
/// The largest stored width of one picture (bytes), all widths together.
pub const MAX_BYTES: usize = 8 * 1024 * 1024;

#[derive(Debug, Clone, Serialize)]
pub struct ImageInfo {
    pub id: i64,
    pub position: i64,
    pub caption: String,
    pub credit: String,
}

/// A picture in its widths: (width, height, bytes).
pub struct NewImage<'a> {
    pub media_type: &'static str,
    pub sizes: Vec<(u32, u32, Vec<u8>)>,
    pub caption: &'a str,
    pub credit: &'a str,
}

pub async fn list(db: &Db, article_id: i64) -> StorageResult<Vec<ImageInfo>> {
    let rows: Vec<(i64, i64, String, String)> = sqlx::query_as(
        "SELECT id, position, caption, credit FROM article_images WHERE article_id = $1 \
         ORDER BY position, id",
    )
    .bind(article_id)
    .fetch_all(db.pool())
    .await?;
    Ok(rows
        .into_iter()
        .map(|(id, position, caption, credit)| ImageInfo {
            id,
            position,
            caption,
            credit,
        })
        .collect())
}

/// The article, when the actor may change its pictures: editors while it
/// is a draft (or returned, unpublished), reviewers at any time.
async fn changeable(
    db: &Db,
    actor: &Actor,
    article_id: i64,
    what: &str,
) -> StorageResult<crate::portal::articles::Article> {
    let a = get(db, actor, article_id).await?;
    let reviewer = access::can(db, actor, Action::PublishArticles, a.unit_id).await?;
    if !a.state.editable() && !reviewer {
        return Err(DomainError::invalid(format!(
            "Bài viết đang ở trạng thái \"{}\" nên không {what} được",
            a.state.label_vi()
        ))
        .into());
    }
    Ok(a)
}

/// A picture's caption (required: screen readers read it) and credit, as
/// typed, cleaned and bounded; the credit without a leading "Ảnh:".
fn caption_and_credit(caption: &str, credit: &str) -> Result<(String, String), DomainError> {
    let caption = clean(caption);
    let credit = antq_core::portal::article::credit_of(&clean(credit));
    check_len("Chú thích ảnh", &caption, 1_000)?;
    check_len("Nguồn ảnh", &credit, 200)?;
    if caption.is_empty() {
        return Err(DomainError::invalid(
            "Ảnh cần có chú thích (người đọc khiếm thị nghe chú thích này)",
        ));
    }
    Ok((caption, credit))
}

/// What to do with a picture already in an article.
#[derive(Debug, Clone, Copy)]
pub enum ImageChange<'a> {
    /// A new caption and credit.
    Caption { caption: &'a str, credit: &'a str },
    /// Take it out of the article (its "[ảnh N]" in the text then shows nothing).
    Remove,
}

/// Change a picture's caption and credit, or remove it (audited; the
/// public side follows when the article is published).
pub async fn change(
    db: &Db,
    actor: &Actor,
    article_id: i64,
    image_id: i64,
    to: ImageChange<'_>,
) -> StorageResult<()> {
    // The article as the actor may see it, and the picture in it, first:
    // another article's picture is not found, whatever the state.
    get(db, actor, article_id).await?;
    let before = list(db, article_id)
        .await?
        .into_iter()
        .find(|i| i.id == image_id)
        .ok_or_else(|| StorageError::NotFound(format!("ảnh số {image_id} của bài viết")))?;
    let a = changeable(db, actor, article_id, "sửa ảnh").await?;
    let after = match to {
        ImageChange::Caption { caption, credit } => Some(caption_and_credit(caption, credit)?),
        ImageChange::Remove => None,
    };
    let who = actor.who();
    let now = dates::timestamp(dates::now_utc());
    let published = a.state == antq_core::portal::ArticleState::Published;
    let ctx = (&who, &before, &after, &now);
    db.write(|mut tx| async move {
        let (who, before, after, now) = ctx;
        match after {
            Some((caption, credit)) => {
                sqlx::query("UPDATE article_images SET caption = $1, credit = $2 WHERE id = $3")
                    .bind(caption)
                    .bind(credit)
                    .bind(image_id)
                    .execute(tx.conn())
                    .await?;
            }
            None => {
                sqlx::query("DELETE FROM article_image_sizes WHERE image_id = $1")
                    .bind(image_id)
                    .execute(tx.conn())
                    .await?;
                sqlx::query("DELETE FROM article_images WHERE id = $1")
                    .bind(image_id)
                    .execute(tx.conn())
                    .await?;
            }
        }
        audit::append(
            &mut tx,
            Change {
                who,
                action: if after.is_some() {
                    "article.image_caption"
                } else {
                    "article.image_remove"
                },
                entity: "article",
                entity_id: article_id.to_string(),
                unit_id: Some(a.unit_id),
                before: Some(json!({"image": image_id, "position": before.position,
                    "caption": before.caption, "credit": before.credit})),
                after: after.as_ref().map(|(caption, credit)| {
                    json!({"image": image_id, "caption": caption, "credit": credit})
                }),
            },
        )
        .await?;
        if published {
            touch(&mut tx, article_id, now).await?;
        }
        tx.commit().await?;
        Ok(())
    })
    .await
}

/// A published article's pictures changed: readers' copies are out of date
/// (its Last-Modified moves) and the search follows.
async fn touch(tx: &mut crate::db::WriteTx, article_id: i64, now: &str) -> StorageResult<()> {
    sqlx::query("UPDATE articles SET updated_at = $1 WHERE id = $2")
        .bind(now)
        .bind(article_id)
        .execute(tx.conn())
        .await?;
    changes::record(tx, ItemKind::Article, article_id).await
}

/// Add a picture to an article editors may still change (audited).
pub async fn add(
    db: &Db,
    actor: &Actor,
    article_id: i64,
    img: NewImage<'_>,
) -> StorageResult<ImageInfo> {
    let a = changeable(db, actor, article_id, "thêm ảnh").await?;
    let total: usize = img.sizes.iter().map(|s| s.2.len()).sum();
    if total > MAX_BYTES || img.sizes.is_empty() {
        return Err(DomainError::invalid("Ảnh sau khi thu nhỏ vẫn quá lớn (quá 8 MB)").into());
    }
    let (caption, credit) = caption_and_credit(img.caption, img.credit)?;
    let who = actor.who();
    let now = dates::timestamp(dates::now_utc());
    let (who, now, caption, credit, sizes) = (&who, &now, &caption, &credit, &img.sizes);
    let media = img.media_type;
    let published = a.state == antq_core::portal::ArticleState::Published;
    let (id, position) = db
        .write(|mut tx| async move {
            let (n, last): (i64, Option<i64>) = sqlx::query_as(
                "SELECT COUNT(*), MAX(position) FROM article_images WHERE article_id = $1",
            )
            .bind(article_id)
            .fetch_one(tx.conn())
            .await?;
            if n >= MAX_IMAGES {
                return Err(DomainError::invalid(format!(
                    "Bài viết đã có {n} ảnh, nhiều nhất {MAX_IMAGES} ảnh"
                ))
                .into());
            }
            let position = last.map_or(1, |l| l + 1);
            let id: i64 = sqlx::query_scalar(
                "INSERT INTO article_images (article_id, position, caption, credit, media_type, created_at) \
                 VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
            )
            .bind(article_id)
            .bind(position)
            .bind(caption)
            .bind(credit)
            .bind(media)
            .bind(now)
            .fetch_one(tx.conn())
            .await?;
            for (w, h, bytes) in sizes {
                sqlx::query(
                    "INSERT INTO article_image_sizes (image_id, width, height, body) VALUES ($1, $2, $3, $4)",
                )
                .bind(id)
                .bind(i64::from(*w))
                .bind(i64::from(*h))
                .bind(bytes.clone())
                .execute(tx.conn())
                .await?;
            }
            audit::append(
                &mut tx,
                Change {
                    who,
                    action: "article.image_add",
                    entity: "article",
                    entity_id: article_id.to_string(),
                    unit_id: Some(a.unit_id),
                    before: None,
                    after: Some(json!({"image": id, "position": position, "caption": caption,
                        "credit": credit, "media_type": media})),
                },
            )
            .await?;
            if published {
                touch(&mut tx, article_id, now).await?;
            }
            tx.commit().await?;
            Ok((id, position))
        })
        .await?;
    Ok(ImageInfo {
        id,
        position,
        caption: caption.clone(),
        credit: credit.clone(),
    })
}

/// A picture's bytes at a width, and its media type, when `visible` says
/// the article may be seen: the public only while it is published.
async fn body_if(
    db: &Db,
    image_id: i64,
    width: u32,
    published_only: bool,
) -> StorageResult<Option<(i64, String, Vec<u8>)>> {
    let cond = if published_only {
        " AND a.state = 'published'"
    } else {
        ""
    };
    let row: Option<(i64, String, Vec<u8>)> = sqlx::query_as(&format!(
        "SELECT a.unit_id, i.media_type, s.body FROM article_image_sizes s \
         JOIN article_images i ON i.id = s.image_id JOIN articles a ON a.id = i.article_id \
         WHERE s.image_id = $1 AND s.width = $2{cond}"
    ))
    .bind(image_id)
    .bind(i64::from(width))
    .fetch_optional(db.pool())
    .await?;
    Ok(row)
}

/// A published article's picture (the public's).
pub async fn public_body(
    db: &Db,
    image_id: i64,
    width: u32,
) -> StorageResult<Option<(String, Vec<u8>)>> {
    Ok(body_if(db, image_id, width, true)
        .await?
        .map(|(_, m, b)| (m, b)))
}

/// Any article's picture, for its editors (a preview).
pub async fn officer_body(
    db: &Db,
    actor: &Actor,
    image_id: i64,
    width: u32,
) -> StorageResult<(String, Vec<u8>)> {
    let missing = || StorageError::NotFound(format!("ảnh số {image_id}"));
    let (unit, media, body) = body_if(db, image_id, width, false)
        .await?
        .ok_or_else(missing)?;
    if !access::can(db, actor, Action::EditArticles, unit).await? {
        return Err(missing());
    }
    Ok((media, body))
}
