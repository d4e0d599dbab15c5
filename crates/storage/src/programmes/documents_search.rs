//! The one search of the document library ("Tìm kiếm văn bản"), used by the
//! pages, the API and, later, the portal. Ranked: the exact reference or an
//! alias first, then references that start with the text, then documents
//! whose kind, subject, issuers or references hold every word of the text
//! (accent-insensitive); within a rank, the newest first.

use antq_core::programmes::documents::{reference_key, DocKind};
use antq_core::text;
use serde::Serialize;

use super::{fill, from_row, Document, Reader, COLUMNS};
use crate::audit::escape_like;
use crate::batch::{bind_val, Val};
use crate::db::Db;
use crate::error::StorageResult;

/// What to look for. Empty fields do not filter.
#[derive(Debug, Clone, Default)]
pub struct DocQuery {
    pub q: Option<String>,
    pub kind: Option<DocKind>,
    /// Words of an issuer's name ("bo cong an").
    pub issuer: Option<String>,
    pub year: Option<i64>,
    /// At most 100; 20 when not given.
    pub limit: Option<i64>,
    pub offset: Option<i64>,
    /// Who reads (default: antq itself, everything; pages and the API set `Reader::User`).
    pub reader: Reader,
}

/// One page of results and how many there are in all.
#[derive(Debug, Clone, Serialize)]
pub struct DocPage {
    pub items: Vec<Document>,
    pub total: i64,
}

/// The longest search text, in characters.
pub const MAX_QUERY: usize = 200;

/// Search the documents `query.reader` may read.
pub async fn search(db: &Db, query: &DocQuery) -> StorageResult<DocPage> {
    let mut binds: Vec<Val> = Vec::new();
    let mut next = |v: Val| {
        binds.push(v);
        format!("${}", binds.len())
    };
    let mut conds = vec![query.reader.condition("d.unit_id")];
    let mut rank = String::new();
    if let Some(q) = query
        .q
        .as_deref()
        .map(text::clean)
        .filter(|q| !q.is_empty())
    {
        text::check_len("Nội dung tìm kiếm", &q, MAX_QUERY)?;
        let key = reference_key(&q);
        let exact = next(Val::Text(key.clone()));
        let prefix = next(Val::Text(format!("{}%", escape_like(&key))));
        let words: Vec<String> = text::fold(&q)
            .split_whitespace()
            .take(12)
            .map(|w| {
                let p = next(Val::Text(format!("%{}%", escape_like(w))));
                format!("d.search_key LIKE {p} ESCAPE '\\'")
            })
            .collect();
        let is_exact = format!(
            "(d.reference_key = {exact} OR EXISTS (SELECT 1 FROM document_aliases a \
             WHERE a.document_id = d.id AND a.reference_key = {exact}))"
        );
        let is_prefix = format!(
            "(d.reference_key LIKE {prefix} ESCAPE '\\' OR EXISTS (SELECT 1 FROM document_aliases a \
             WHERE a.document_id = d.id AND a.reference_key LIKE {prefix} ESCAPE '\\'))"
        );
        let all_words = format!("({})", words.join(" AND "));
        rank = format!("CASE WHEN {is_exact} THEN 0 WHEN {is_prefix} THEN 1 ELSE 2 END, ");
        conds.push(format!("({is_exact} OR {is_prefix} OR {all_words})"));
    }
    if let Some(kind) = query.kind {
        let p = next(Val::Str(kind.code()));
        conds.push(format!("d.kind = {p}"));
    }
    if let Some(issuer) = query
        .issuer
        .as_deref()
        .map(text::fold)
        .filter(|s| !s.is_empty())
    {
        text::check_len("Cơ quan ban hành", &issuer, MAX_QUERY)?;
        let p = next(Val::Text(format!("%{}%", escape_like(&issuer))));
        conds.push(format!(
            "EXISTS (SELECT 1 FROM document_issuers i WHERE i.document_id = d.id \
             AND i.name_key LIKE {p} ESCAPE '\\')"
        ));
    }
    if let Some(year) = query.year {
        let p = next(Val::Int(year));
        conds.push(format!("d.year = {p}"));
    }
    let filter = conds.join(" AND ");
    let count_sql = format!("SELECT COUNT(*) FROM documents d WHERE {filter}");
    let mut count = sqlx::query_scalar::<_, i64>(&count_sql);
    for b in binds.iter().cloned() {
        count = match b {
            Val::Int(i) => count.bind(i),
            Val::Str(s) => count.bind(s),
            Val::Text(s) => count.bind(s),
            _ => count,
        };
    }
    let total = count.fetch_one(db.pool()).await?;
    let limit = query.limit.unwrap_or(20).clamp(1, 100);
    let offset = query.offset.unwrap_or(0).clamp(0, 1_000_000);
    let sql = format!(
        "SELECT {COLUMNS} FROM documents d LEFT JOIN units u ON u.id = d.unit_id \
         WHERE {filter} ORDER BY {rank}CASE WHEN d.issued_on IS NULL THEN 1 ELSE 0 END, \
         d.issued_on DESC, d.year DESC, d.id DESC LIMIT {limit} OFFSET {offset}"
    );
    let mut q = sqlx::query(&sql);
    for b in binds {
        q = bind_val(q, b);
    }
    let rows = q.fetch_all(db.pool()).await?;
    let mut items = rows
        .iter()
        .map(from_row)
        .collect::<StorageResult<Vec<_>>>()?;
    fill(db, &mut items).await?;
    Ok(DocPage { items, total })
}
