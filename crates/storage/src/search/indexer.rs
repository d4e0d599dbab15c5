//! Keeping the index current: a full rebuild from the database when the
//! index is missing or ahead of the change log (a restored database), then
//! the changes after the last one applied, every second or so.

use std::collections::HashSet;
use std::time::Duration;

use super::{items, Search};
use crate::db::Db;
use crate::error::{StorageError, StorageResult};
use crate::portal::changes::{self, ItemKind};

/// Items read from the database at once.
const BATCH: usize = 500;

async fn blocking<T: Send + 'static>(
    f: impl FnOnce() -> StorageResult<T> + Send + 'static,
) -> StorageResult<T> {
    tokio::task::spawn_blocking(f)
        .await
        .map_err(|e| StorageError::Index(e.to_string()))?
}

/// Rebuild the whole index from the database; returns the items indexed.
pub async fn rebuild(db: &Db, search: &Search) -> StorageResult<usize> {
    // The change log's end first: a change made while we read is applied again after.
    let last = changes::last(db).await?;
    search.clear()?;
    let mut count = 0;
    for kind in [ItemKind::Document, ItemKind::Article] {
        let ids = items::all_ids(db, kind).await?;
        for chunk in ids.chunks(BATCH) {
            let batch = items::load(db, kind, chunk).await?;
            count += batch.len();
            let s = search.clone();
            blocking(move || s.add(&batch)).await?;
        }
    }
    let s = search.clone();
    blocking(move || s.apply(&[], &[], last)).await?;
    tracing::info!(items = count, "search index rebuilt");
    Ok(count)
}

/// Apply the changes after the last one the index holds (at most `limit`);
/// returns how many changes were read.
pub async fn step(db: &Db, search: &Search, limit: i64) -> StorageResult<usize> {
    let applied = search.applied()?.unwrap_or(0);
    let changes = changes::since(db, applied, limit).await?;
    let Some(&(last, _, _)) = changes.last() else {
        return Ok(0);
    };
    let wanted: HashSet<(ItemKind, i64)> = changes.iter().map(|&(_, k, id)| (k, id)).collect();
    let mut found = Vec::new();
    for kind in [ItemKind::Document, ItemKind::Article] {
        let ids: Vec<i64> = wanted
            .iter()
            .filter(|(k, _)| *k == kind)
            .map(|&(_, id)| id)
            .collect();
        found.extend(items::load(db, kind, &ids).await?);
    }
    let gone: Vec<(ItemKind, i64)> = wanted
        .into_iter()
        .filter(|(k, id)| !found.iter().any(|i| i.kind == *k && i.id == *id))
        .collect();
    let n = changes.len();
    let s = search.clone();
    blocking(move || s.apply(&gone, &found, last)).await?;
    Ok(n)
}

/// Bring the index up to date: rebuilt when it was never filled or is
/// ahead of the database, else the pending changes applied.
pub async fn catch_up(db: &Db, search: &Search) -> StorageResult<()> {
    let last = changes::last(db).await?;
    match search.applied()? {
        Some(applied) if applied <= last => {
            while step(db, search, 1_000).await? > 0 {}
            Ok(())
        }
        _ => rebuild(db, search).await.map(|_| ()),
    }
}

/// Follow the change log for as long as the process runs.
pub async fn follow(db: Db, search: Search, every: Duration) {
    loop {
        if db.pool().is_closed() {
            return;
        }
        if let Err(e) = catch_up(&db, &search).await {
            if db.pool().is_closed() {
                return;
            }
            tracing::error!(error = %e, "search index: catching up failed");
        }
        tokio::time::sleep(every).await;
    }
}
