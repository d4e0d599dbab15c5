//! The change log the search index follows: every write that changes what
//! the public may find (an article published or withdrawn, a document made
//! public or changed) records its kind and id here, in its own transaction.
//! Each node's indexer reads the log from the last id it applied, so every
//! node catches up within seconds, and a crash loses nothing (the index is
//! rebuilt from the database when it is behind or missing).

use crate::db::{Db, WriteTx};
use crate::error::StorageResult;

/// What changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ItemKind {
    Article,
    Document,
}

impl ItemKind {
    pub fn code(self) -> &'static str {
        match self {
            ItemKind::Article => "article",
            ItemKind::Document => "document",
        }
    }

    pub fn parse(code: &str) -> Option<ItemKind> {
        match code {
            "article" => Some(ItemKind::Article),
            "document" => Some(ItemKind::Document),
            _ => None,
        }
    }
}

/// Record that an item changed (inside the write that changes it).
pub async fn record(tx: &mut WriteTx, kind: ItemKind, id: i64) -> StorageResult<()> {
    sqlx::query("INSERT INTO search_changes (kind, item_id, changed_at) VALUES ($1, $2, $3)")
        .bind(kind.code())
        .bind(id)
        .bind(antq_core::dates::timestamp(antq_core::dates::now_utc()))
        .execute(tx.conn())
        .await?;
    Ok(())
}

/// The changes after `after`, oldest first, at most `limit`.
pub async fn since(db: &Db, after: i64, limit: i64) -> StorageResult<Vec<(i64, ItemKind, i64)>> {
    let rows: Vec<(i64, String, i64)> = sqlx::query_as(
        "SELECT id, kind, item_id FROM search_changes WHERE id > $1 ORDER BY id LIMIT $2",
    )
    .bind(after)
    .bind(limit)
    .fetch_all(db.pool())
    .await?;
    Ok(rows
        .into_iter()
        .filter_map(|(id, k, item)| ItemKind::parse(&k).map(|k| (id, k, item)))
        .collect())
}

/// The id of the last change (0 when none).
pub async fn last(db: &Db) -> StorageResult<i64> {
    let id: Option<i64> = sqlx::query_scalar("SELECT MAX(id) FROM search_changes")
        .fetch_one(db.pool())
        .await?;
    Ok(id.unwrap_or(0))
}
