//! Files read as a stream (`antq import` of a long CSV file of any size):
//! checked and written chunk after chunk in one transaction, and what the
//! check keeps across chunks to refuse a key given twice.

use rustc_hash::FxHashMap;

use antq_core::imports::{Chunk, ErrorList, ImportRows};
use antq_core::periods::Period;

use super::{load_forms, refuse_locked, FileCheck, Groups, ImportSummary};
use crate::audit::Who;
use crate::db::Db;
use crate::error::{StorageError, StorageResult};
use crate::statistics::catalogue::Form;
use crate::statistics::reports::{self, Changes};
use crate::statistics::rollups::PendingSums;
use crate::WriteTx;

/// Rollup rows a streamed import gathers before writing them (about 100
/// bytes each): a national file sorted by period touches the same
/// provincial and national rows chunk after chunk.
const PENDING_ROLLUP_ROWS: usize = 50_000;

/// [`run`] for a file of any size read as a stream (`antq import` of a
/// long CSV file): each chunk is checked, then written, in one transaction
/// for the whole file, so memory follows the chunk and not the file. Still
/// all or nothing: once a chunk has an error nothing more is written, the
/// rest of the file is still checked (every error listed with its place),
/// and the transaction is rolled back. A key given twice for one report is
/// refused even when the two rows are in different chunks.
///
/// `open` starts reading the file and hands its chunks over a channel; it
/// is called again if PostgreSQL rolls the transaction back for a deadlock
/// and the import is run again from the start. The last chunk is marked
/// (`Chunk::last`): a channel closed before it (the reader failed) refuses
/// the file. No actor: the trusted command line.
pub async fn run_stream<F>(
    db: &Db,
    who: &Who,
    mut open: F,
    dry_run: bool,
) -> StorageResult<ImportSummary>
where
    F: FnMut() -> tokio::sync::mpsc::Receiver<Chunk>,
{
    let started = std::time::Instant::now();
    let forms = load_forms(db).await?;
    let forms = &forms;
    let summary = db
        .write(|mut tx| {
            let mut chunks = open();
            async move {
                let (file, changes) = stream_chunks(&mut tx, db, who, forms, &mut chunks).await?;
                if !file.errors.is_empty() {
                    return Err(StorageError::Rejected(file.errors.into_vec()));
                }
                if file.rows == 0 {
                    return Err(StorageError::Rejected(vec![
                        "Tệp không có giá trị nào để nhập".into(),
                    ]));
                }
                if !dry_run {
                    tx.commit().await?;
                }
                Ok(ImportSummary {
                    dry_run,
                    rows: file.rows,
                    reports: file.given.reports.len(),
                    changes,
                })
            }
        })
        .await?;
    tracing::info!(
        rows = summary.rows,
        reports = summary.reports,
        total_ms = started.elapsed().as_millis() as u64,
        dry_run,
        "import (streamed)"
    );
    Ok(summary)
}

/// The chunks of a streamed file, each checked while the one before it is
/// written (the writing mostly waits for the database, the checking is
/// work for this thread). Once the file has an error nothing more is
/// written, but every chunk is still checked. Returns the check (its
/// errors, rows, reports) and what was written.
async fn stream_chunks<'f>(
    tx: &mut WriteTx,
    db: &Db,
    who: &Who,
    forms: &'f [Form],
    chunks: &mut tokio::sync::mpsc::Receiver<Chunk>,
) -> StorageResult<(FileCheck<'f>, Changes)> {
    let mut file = FileCheck::new(forms, None);
    let mut changes = Changes::default();
    let mut sums = PendingSums::default();
    let (mut waited, started) = (std::time::Duration::ZERO, std::time::Instant::now());
    // The chunk checked last, to write.
    let mut checked: Option<(Groups, ImportRows)> = None;
    let mut ended = false;
    loop {
        let at = std::time::Instant::now();
        let next = if ended { None } else { chunks.recv().await };
        waited += at.elapsed();
        match &next {
            Some(chunk) => ended = chunk.last,
            None if !ended => {
                // The reader stopped before the end of the file.
                return Err(StorageError::Rejected(vec![
                    "Tệp không đọc được đến hết nên không có gì được ghi; xin thử lại".into(),
                ]));
            }
            None => {}
        }
        if next.is_none() && checked.is_none() {
            break;
        }
        // Whether every chunk up to the one to write is clean.
        let clean = file.errors.is_empty();
        let mut locked = ErrorList::new();
        let to_write = checked.take();
        let (check, write) = tokio::join!(
            async {
                let Some(chunk) = next else {
                    return Ok(None);
                };
                file.errors.extend(chunk.errors);
                let groups = file.check(db, None, &chunk.rows).await?;
                Ok::<_, StorageError>(Some((groups, chunk.rows)))
            },
            async {
                let Some((groups, rows)) = to_write else {
                    return Ok(Changes::default());
                };
                let (items, found) = refuse_locked(tx, forms, &groups, &mut locked).await?;
                if !clean || !locked.is_empty() || items.is_empty() {
                    return Ok(Changes::default());
                }
                let changes =
                    reports::apply_many(tx, who, &items, found, Box::new(rows), Some(&mut sums))
                        .await?;
                if sums.len() > PENDING_ROLLUP_ROWS {
                    sums.write(tx).await?;
                }
                Ok::<_, StorageError>(changes)
            }
        );
        checked = check?;
        changes.add(write?);
        file.errors.extend(locked);
    }
    if file.errors.is_empty() {
        sums.write(tx).await?;
    }
    tracing::info!(
        waited_ms = waited.as_millis() as u64,
        total_ms = started.elapsed().as_millis() as u64,
        "import chunks"
    );
    Ok((file, changes))
}

/// The keys each report of a file was given so far, one bit a key by its
/// place in the form (a few bytes a report): a key given twice is refused
/// even when the two rows are far apart in a streamed file.
#[derive(Default)]
pub(super) struct Given {
    /// Per form: key ("code", or "code.option" for a breakdown) → bit.
    bits: FxHashMap<usize, FxHashMap<String, u32>>,
    /// (form, unit id, period) → the bits set.
    reports: FxHashMap<(usize, i64, Period), Box<[u64]>>,
}

impl Given {
    /// Mark `key` given in the report; `false` if it already was. A key
    /// the form does not have is refused by the form's check, not here.
    pub(super) fn mark(
        &mut self,
        form_ix: usize,
        form: &Form,
        unit: i64,
        period: Period,
        key: &str,
    ) -> bool {
        let bits = self.bits.entry(form_ix).or_insert_with(|| key_bits(form));
        let Some(&bit) = bits.get(key) else {
            return true;
        };
        let words = bits.len().div_ceil(64);
        let set = self
            .reports
            .entry((form_ix, unit, period))
            .or_insert_with(|| vec![0; words].into_boxed_slice());
        let (word, mask) = ((bit / 64) as usize, 1u64 << (bit % 64));
        let was = set[word] & mask != 0;
        set[word] |= mask;
        !was
    }
}

/// Every key of a form, numbered.
fn key_bits(form: &Form) -> FxHashMap<String, u32> {
    let mut keys = FxHashMap::default();
    for ind in &form.indicators {
        if ind.options.is_empty() {
            keys.insert(ind.code.clone(), keys.len() as u32);
        }
        for o in &ind.options {
            keys.insert(format!("{}.{}", ind.code, o.code), keys.len() as u32);
        }
    }
    keys
}
