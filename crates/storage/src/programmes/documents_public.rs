//! The public side of the library: which documents the public may find
//! (public, in force or expired), their relations (implements, replaces;
//! "replaced by" read backwards), and what the public pages read. Every
//! change is audited and recorded for the search index.

use antq_core::DomainError;
use serde::Serialize;
use serde_json::json;

use super::{files, get, load, require_edit, Document, FileInfo};
use crate::accounts::access::Actor;
use crate::audit::{self, Change};
use crate::db::Db;
use crate::error::{StorageError, StorageResult};
use crate::portal::changes::{self, ItemKind};

/// How one document relates to another.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum RelationKind {
    Implements,
    Replaces,
}

impl RelationKind {
    pub fn code(self) -> &'static str {
        match self {
            RelationKind::Implements => "implements",
            RelationKind::Replaces => "replaces",
        }
    }

    pub fn parse(s: &str) -> Result<RelationKind, DomainError> {
        match s {
            "implements" => Ok(RelationKind::Implements),
            "replaces" => Ok(RelationKind::Replaces),
            _ => Err(DomainError::invalid(format!(
                "Quan hệ \u{201C}{s}\u{201D} không có; chọn \u{201C}thực hiện\u{201D} hoặc \u{201C}thay thế\u{201D}"
            ))),
        }
    }

    /// "Thực hiện", or read backwards "Được thực hiện bởi".
    pub fn word_vi(self, backwards: bool) -> &'static str {
        match (self, backwards) {
            (RelationKind::Implements, false) => "Thực hiện",
            (RelationKind::Implements, true) => "Được thực hiện bởi",
            (RelationKind::Replaces, false) => "Thay thế",
            (RelationKind::Replaces, true) => "Được thay thế bởi",
        }
    }
}

/// A related document as a page lists it.
#[derive(Debug, Clone, Serialize)]
pub struct Related {
    pub kind: RelationKind,
    /// Read backwards: the other document implements or replaces this one.
    pub backwards: bool,
    pub id: i64,
    pub title: String,
    pub subject: String,
    pub public: bool,
}

impl Related {
    pub fn word_vi(&self) -> &'static str {
        self.kind.word_vi(self.backwards)
    }
}

/// An article that cites a document.
#[derive(Debug, Clone, Serialize)]
pub struct CitingArticle {
    pub headline: String,
    pub url: String,
    pub published_at: Option<String>,
}

/// A public document with what its page shows.
#[derive(Debug, Clone, Serialize)]
pub struct PublicDocument {
    pub doc: Document,
    pub in_force: bool,
    pub relations: Vec<Related>,
    pub articles: Vec<CitingArticle>,
}

/// Whether a document is public, and in force.
pub async fn public_state(db: &Db, id: i64) -> StorageResult<(bool, bool)> {
    let row: Option<(i64, i64)> =
        sqlx::query_as("SELECT public, in_force FROM documents WHERE id = $1")
            .bind(id)
            .fetch_optional(db.pool())
            .await?;
    let (p, f) = row.ok_or_else(|| StorageError::not_found(format!("văn bản số {id}")))?;
    Ok((p == 1, f == 1))
}

/// Show a document to the public or not, in force or expired (audited).
pub async fn set_public(
    db: &Db,
    actor: &Actor,
    id: i64,
    public: bool,
    in_force: bool,
) -> StorageResult<()> {
    let doc = get(db, actor, id).await?;
    require_edit(db, actor, doc.unit_id).await?;
    let before = public_state(db, id).await?;
    let who = actor.who();
    db.write(|mut tx| {
        let who = &who;
        async move {
            sqlx::query("UPDATE documents SET public = $1, in_force = $2 WHERE id = $3")
                .bind(i64::from(public))
                .bind(i64::from(in_force))
                .bind(id)
                .execute(tx.conn())
                .await?;
            audit::append(
                &mut tx,
                Change {
                    who,
                    action: "document.publish",
                    entity: "document",
                    entity_id: id.to_string(),
                    unit_id: doc.unit_id,
                    before: Some(json!({"public": before.0, "in_force": before.1})),
                    after: Some(json!({"public": public, "in_force": in_force})),
                },
            )
            .await?;
            changes::record(&mut tx, ItemKind::Document, id).await?;
            tx.commit().await
        }
    })
    .await
}

/// Record that `id` implements or replaces `related_id` (audited); a
/// replaced document is no longer in force.
pub async fn add_relation(
    db: &Db,
    actor: &Actor,
    id: i64,
    related_id: i64,
    kind: RelationKind,
) -> StorageResult<()> {
    if id == related_id {
        return Err(DomainError::invalid("Văn bản không thể liên quan đến chính nó").into());
    }
    let doc = get(db, actor, id).await?;
    require_edit(db, actor, doc.unit_id).await?;
    let other = get(db, actor, related_id).await?;
    if kind == RelationKind::Replaces {
        require_edit(db, actor, other.unit_id).await?;
    }
    let exists: Option<i64> = sqlx::query_scalar(
        "SELECT 1 FROM document_relations WHERE document_id = $1 AND related_id = $2 AND kind = $3",
    )
    .bind(id)
    .bind(related_id)
    .bind(kind.code())
    .fetch_optional(db.pool())
    .await?;
    if exists.is_some() {
        return Ok(());
    }
    let who = actor.who();
    db.write(|mut tx| {
        let who = &who;
        async move {
            sqlx::query(
                "INSERT INTO document_relations (document_id, related_id, kind) VALUES ($1, $2, $3)",
            )
            .bind(id)
            .bind(related_id)
            .bind(kind.code())
            .execute(tx.conn())
            .await?;
            if kind == RelationKind::Replaces {
                sqlx::query("UPDATE documents SET in_force = 0 WHERE id = $1")
                    .bind(related_id)
                    .execute(tx.conn())
                    .await?;
            }
            audit::append(
                &mut tx,
                Change {
                    who,
                    action: "document.relate",
                    entity: "document",
                    entity_id: id.to_string(),
                    unit_id: doc.unit_id,
                    before: None,
                    after: Some(json!({"related_id": related_id, "kind": kind.code()})),
                },
            )
            .await?;
            changes::record(&mut tx, ItemKind::Document, id).await?;
            changes::record(&mut tx, ItemKind::Document, related_id).await?;
            tx.commit().await
        }
    })
    .await
}

/// Remove a relation (audited).
pub async fn remove_relation(
    db: &Db,
    actor: &Actor,
    id: i64,
    related_id: i64,
    kind: RelationKind,
) -> StorageResult<()> {
    let doc = get(db, actor, id).await?;
    require_edit(db, actor, doc.unit_id).await?;
    let who = actor.who();
    db.write(|mut tx| {
        let who = &who;
        async move {
            let n = sqlx::query(
                "DELETE FROM document_relations WHERE document_id = $1 AND related_id = $2 AND kind = $3",
            )
            .bind(id)
            .bind(related_id)
            .bind(kind.code())
            .execute(tx.conn())
            .await?
            .rows_affected();
            if n == 0 {
                return Err(StorageError::not_found("quan hệ giữa hai văn bản"));
            }
            audit::append(
                &mut tx,
                Change {
                    who,
                    action: "document.unrelate",
                    entity: "document",
                    entity_id: id.to_string(),
                    unit_id: doc.unit_id,
                    before: Some(json!({"related_id": related_id, "kind": kind.code()})),
                    after: None,
                },
            )
            .await?;
            changes::record(&mut tx, ItemKind::Document, id).await?;
            changes::record(&mut tx, ItemKind::Document, related_id).await?;
            tx.commit().await
        }
    })
    .await
}

/// The relations of a document, both ways.
pub async fn relations(db: &Db, id: i64) -> StorageResult<Vec<Related>> {
    let rows: Vec<(i64, String, bool)> = sqlx::query_as::<_, (i64, String, i64)>(
        "SELECT related_id, kind, 0 FROM document_relations WHERE document_id = $1 \
         UNION ALL SELECT document_id, kind, 1 FROM document_relations WHERE related_id = $1",
    )
    .bind(id)
    .fetch_all(db.pool())
    .await?
    .into_iter()
    .map(|(i, k, b)| (i, k, b == 1))
    .collect();
    let mut out = Vec::with_capacity(rows.len());
    for (other, kind, backwards) in rows {
        let Some(d) = load(db, other).await? else {
            continue;
        };
        let (public, _) = public_state(db, other).await?;
        out.push(Related {
            kind: RelationKind::parse(&kind)?,
            backwards,
            id: other,
            title: d.title(),
            subject: d.subject,
            public,
        });
    }
    Ok(out)
}

/// A public document with its relations (public ones only) and the
/// published articles that cite it; any other is not found.
pub async fn public_get(db: &Db, id: i64) -> StorageResult<PublicDocument> {
    let not_found = || StorageError::not_found(format!("văn bản số {id}"));
    let (public, in_force) = public_state(db, id).await.map_err(|_| not_found())?;
    if !public {
        return Err(not_found());
    }
    let doc = load(db, id).await?.ok_or_else(not_found)?;
    let relations = relations(db, id)
        .await?
        .into_iter()
        .filter(|r| r.public)
        .collect();
    let rows: Vec<(String, String, Option<String>)> = sqlx::query_as(
        "SELECT a.headline, a.slug, a.published_at FROM article_documents ad \
         JOIN articles a ON a.id = ad.article_id \
         WHERE ad.document_id = $1 AND a.state = 'published' ORDER BY a.published_at DESC",
    )
    .bind(id)
    .fetch_all(db.pool())
    .await?;
    let articles = rows
        .into_iter()
        .map(|(headline, slug, published_at)| CitingArticle {
            headline,
            url: format!("/tin-tuc/{slug}"),
            published_at,
        })
        .collect();
    Ok(PublicDocument {
        doc,
        in_force,
        relations,
        articles,
    })
}

/// A file of a public document, with its bytes (others: not found).
pub async fn public_file(
    db: &Db,
    document_id: i64,
    file_id: i64,
) -> StorageResult<(FileInfo, Vec<u8>)> {
    let (public, _) = public_state(db, document_id)
        .await
        .map_err(|_| StorageError::not_found(format!("tệp số {file_id}")))?;
    if !public {
        return Err(StorageError::not_found(format!("tệp số {file_id}")));
    }
    files::read(db, document_id, file_id).await
}
