//! What the index holds, read from the database: public documents (with
//! their aliases and the extracted text of their files) and published
//! articles. Anything else is "gone" and is removed from the index.

use antq_core::programmes::documents::DocKind;
use sqlx::Row;

use crate::db::Db;
use crate::error::StorageResult;
use crate::portal::changes::ItemKind;
use crate::programmes::documents;

/// One searchable item.
#[derive(Debug, Clone)]
pub struct Item {
    pub kind: ItemKind,
    pub id: i64,
    /// What a result shows as its title.
    pub title: String,
    /// The subject of a document, the lead of an article: weighed like the title.
    pub lead: String,
    /// The rest of the text (full text of files, the article's body).
    pub body: String,
    pub url: String,
    /// ISO date (issued on, published on).
    pub date: Option<String>,
    /// A line under the title (issuers, topic).
    pub meta: String,
    /// A document's reference and aliases, matched as whole keys and by prefix.
    pub references: Vec<String>,
    pub doc_kind: Option<String>,
    pub issuers: Vec<String>,
    pub year: Option<i64>,
    pub in_force: Option<bool>,
}

/// The index key of an item: "document:12".
pub fn key(kind: ItemKind, id: i64) -> String {
    format!("{}:{id}", kind.code())
}

/// The ids of everything that belongs in the index, by kind.
pub async fn all_ids(db: &Db, kind: ItemKind) -> StorageResult<Vec<i64>> {
    let sql = match kind {
        ItemKind::Document => "SELECT id FROM documents WHERE public = 1 ORDER BY id",
        ItemKind::Article => "SELECT id FROM articles WHERE state = 'published' ORDER BY id",
    };
    Ok(sqlx::query_scalar(sql).fetch_all(db.pool()).await?)
}

/// The items among these ids that belong in the index (the others are gone).
pub async fn load(db: &Db, kind: ItemKind, ids: &[i64]) -> StorageResult<Vec<Item>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    match kind {
        ItemKind::Document => load_documents(db, ids).await,
        ItemKind::Article => load_articles(db, ids).await,
    }
}

async fn load_documents(db: &Db, ids: &[i64]) -> StorageResult<Vec<Item>> {
    let list = crate::db::id_list(ids);
    let rows = sqlx::query(&format!(
        "SELECT d.id, d.kind, d.number, d.year, d.symbol, d.reference, d.issued_on, \
         d.subject, d.as_written, d.unit_id, u.name, u.code, d.in_force \
         FROM documents d LEFT JOIN units u ON u.id = d.unit_id \
         WHERE d.public = 1 AND d.id IN ({list}) ORDER BY d.id"
    ))
    .fetch_all(db.pool())
    .await?;
    let mut docs = Vec::with_capacity(rows.len());
    let mut in_force = Vec::with_capacity(rows.len());
    for r in &rows {
        docs.push(documents::from_row(r)?);
        in_force.push(r.get::<i64, _>(12) == 1);
    }
    documents::fill(db, &mut docs).await?;
    let texts: Vec<(i64, String)> = if docs.is_empty() {
        Vec::new()
    } else {
        let list = crate::db::id_list(&docs.iter().map(|d| d.id).collect::<Vec<_>>());
        sqlx::query_as(&format!(
            "SELECT document_id, body FROM document_texts WHERE document_id IN ({list}) \
             ORDER BY document_id, file_id"
        ))
        .fetch_all(db.pool())
        .await?
    };
    Ok(docs
        .into_iter()
        .zip(in_force)
        .map(|(d, in_force)| {
            let mut references: Vec<String> = d.reference.iter().cloned().collect();
            references.extend(d.aliases.iter().map(|a| a.reference.clone()));
            let body = texts
                .iter()
                .filter(|(id, _)| *id == d.id)
                .map(|(_, t)| t.as_str())
                .collect::<Vec<_>>()
                .join("\n\n");
            Item {
                kind: ItemKind::Document,
                id: d.id,
                title: d.title(),
                lead: d.subject.clone(),
                body,
                url: format!("/van-ban-cong-khai/{}", d.id),
                date: d.issued_on.clone(),
                meta: d.issuers.join("; "),
                references,
                doc_kind: Some(d.kind.code().to_string()),
                issuers: d.issuers.clone(),
                year: d.year,
                in_force: Some(in_force),
            }
        })
        .collect())
}

type ArticleRow = (
    i64,
    String,
    String,
    String,
    String,
    String,
    String,
    Option<String>,
);

async fn load_articles(db: &Db, ids: &[i64]) -> StorageResult<Vec<Item>> {
    let list = crate::db::id_list(ids);
    let rows: Vec<ArticleRow> = sqlx::query_as(&format!(
        "SELECT id, slug, headline, lead, body, tags, topic, published_at FROM articles \
         WHERE state = 'published' AND id IN ({list}) ORDER BY id"
    ))
    .fetch_all(db.pool())
    .await?;
    Ok(rows
        .into_iter()
        .map(
            |(id, slug, headline, lead, body, tags, topic, published_at)| Item {
                kind: ItemKind::Article,
                id,
                title: headline,
                lead,
                body: if tags.is_empty() {
                    body
                } else {
                    format!("{body}\n\n{tags}")
                },
                url: format!("/tin-tuc/{slug}"),
                date: published_at.map(|t| t.chars().take(10).collect()),
                meta: antq_core::portal::Topic::parse(&topic)
                    .map_or(topic.clone(), |t| t.label_vi().to_string()),
                references: Vec::new(),
                doc_kind: None,
                issuers: Vec::new(),
                year: None,
                in_force: None,
            },
        )
        .collect())
}

/// The Vietnamese name of a document kind code (for filters and pages).
pub fn doc_kind_word(code: &str) -> Option<&'static str> {
    DocKind::parse(code).ok().map(|k| k.word_vi())
}
