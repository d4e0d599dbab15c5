//! A register of documents written all or nothing: every row is checked
//! first (its texts, its reference not already in the library nor twice in
//! the file), then all are written in one transaction, or none.

use antq_core::programmes::documents::reference_key;

use super::{insert, DocInput};
use crate::audit::Who;
use crate::db::Db;
use crate::error::{StorageError, StorageResult};

/// The most rows one register may hold.
pub const MAX_ROWS: usize = 10_000;

/// What an import did (or, in a dry run, would do).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportSummary {
    pub created: usize,
    pub dry_run: bool,
}

/// Write the rows (each with its place in the file: "dòng 3"), all or none.
pub async fn import(
    db: &Db,
    who: &Who,
    rows: Vec<(String, DocInput)>,
    dry_run: bool,
) -> StorageResult<ImportSummary> {
    if rows.len() > MAX_ROWS {
        return Err(StorageError::Rejected(vec![format!(
            "Tệp có {} văn bản, nhiều nhất là {}",
            antq_core::text::format_int(rows.len() as i64),
            antq_core::text::format_int(MAX_ROWS as i64)
        )]));
    }
    let mut errors = Vec::new();
    let mut checked = Vec::with_capacity(rows.len());
    let mut seen: Vec<(String, String)> = Vec::new();
    for (place, input) in rows {
        let input = match input.check() {
            Ok(i) => i,
            Err(e) => {
                errors.push(format!("{place}: {e}"));
                continue;
            }
        };
        let mut keys: Vec<String> = input
            .aliases
            .iter()
            .map(|a| reference_key(&a.reference))
            .collect();
        keys.extend(
            input
                .reference
                .as_ref()
                .map(|r| reference_key(&r.to_string())),
        );
        for key in keys {
            if let Some((_, first)) = seen.iter().find(|(k, _)| *k == key) {
                errors.push(format!("{place}: số, ký hiệu đã có ở {first} của tệp"));
            } else if let Some(id) = existing(db, &key).await? {
                errors.push(format!(
                    "{place}: số, ký hiệu đã có trong thư viện (văn bản số {id})"
                ));
            } else {
                seen.push((key, place.clone()));
            }
        }
        // A reference and its alias may both point at one document: say it once.
        errors.dedup();
        checked.push(input);
    }
    if !errors.is_empty() {
        return Err(StorageError::Rejected(errors));
    }
    let created = checked.len();
    db.write(|mut tx| {
        let checked = &checked;
        async move {
            for input in checked {
                insert(&mut tx, who, input).await?;
            }
            if dry_run {
                drop(tx);
                Ok(())
            } else {
                tx.commit().await
            }
        }
    })
    .await?;
    Ok(ImportSummary { created, dry_run })
}

async fn existing(db: &Db, key: &str) -> StorageResult<Option<i64>> {
    Ok(sqlx::query_scalar(
        "SELECT id FROM documents WHERE reference_key = $1 \
         UNION SELECT document_id FROM document_aliases WHERE reference_key = $1",
    )
    .bind(key)
    .fetch_optional(db.pool())
    .await?)
}
