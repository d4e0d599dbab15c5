//! Files read as a stream (`antq import` of a long CSV file of any size):
//! checked and written chunk after chunk in one transaction, and what the
//! check keeps across chunks to refuse a key given twice.

use std::sync::Arc;

use rustc_hash::FxHashMap;
use tracing::Instrument;

use antq_core::imports::{Chunk, ErrorList, ImportRows, MAX_LISTED_ERRORS};
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
/// all or nothing: at the first chunk with an error the transaction is
/// rolled back (other writers need not wait), and the rest of the file is
/// still checked outside it, every error listed with its place. A key given twice for one report is
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
    let forms = Arc::new(load_forms(db).await?);
    let summary = db
        .write(|mut tx| {
            let checker = Checker::start(db, &forms, open());
            let forms = &forms;
            async move {
                let (file, changes) = match write_chunks(&mut tx, who, forms, checker).await? {
                    Written::Clean { file, changes } => (file, changes),
                    Written::Refused {
                        mut errors,
                        checker,
                    } => {
                        // Other writers need not wait while the rest of a
                        // refused file is checked. A rollback that fails
                        // leaves the connection to end it; the refusal
                        // stands either way.
                        if let Err(e) = tx.rollback().await {
                            tracing::warn!(error = %e, "rollback of a refused import");
                        }
                        list_the_rest(db, forms, checker, &mut errors).await?;
                        return Err(StorageError::Rejected(errors.into_vec()));
                    }
                };
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
                    reports: file.reports,
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

/// A chunk checked: its reports with their values, its rows, its errors
/// (the reader's and the check's).
struct Checked {
    groups: Groups,
    rows: ImportRows,
    errors: ErrorList,
}

/// What the check of the whole file counted.
struct Checks {
    rows: usize,
    reports: usize,
}

/// The check of a streamed file, on a task of its own: it checks each chunk
/// while the writer writes the one before (both are work for a core; the
/// database's thread is a third) and hands every chunk on with its errors.
/// It takes a chunk from the reader only once the writer has taken the one
/// before, so memory follows the chunk. The errors listed are counted
/// across chunks: past [`MAX_LISTED_ERRORS`] they are only counted.
struct Checker {
    checked: tokio::sync::mpsc::Receiver<Checked>,
    task: tokio::task::JoinHandle<StorageResult<Checks>>,
}

impl Checker {
    fn start(
        db: &Db,
        forms: &Arc<Vec<Form>>,
        mut chunks: tokio::sync::mpsc::Receiver<Chunk>,
    ) -> Checker {
        let (send, checked) = tokio::sync::mpsc::channel(1);
        let (db, forms) = (db.clone(), Arc::clone(forms));
        let task = async move {
            let mut file = FileCheck::new(&forms, None);
            let (mut waited, started) = (std::time::Duration::ZERO, std::time::Instant::now());
            let mut listed = 0;
            loop {
                // A writer gone has failed: its error is the answer.
                let Ok(slot) = send.reserve().await else {
                    break;
                };
                let at = std::time::Instant::now();
                let next = chunks.recv().await;
                waited += at.elapsed();
                let Some(chunk) = next else {
                    // The reader stopped before the end of the file.
                    return Err(StorageError::Rejected(vec![
                        "Tệp không đọc được đến hết nên không có gì được ghi; xin thử lại".into(),
                    ]));
                };
                file.errors = ErrorList::with_cap(MAX_LISTED_ERRORS.saturating_sub(listed));
                file.errors.extend(chunk.errors);
                let groups = file.check(&db, None, &chunk.rows).await?;
                let errors = std::mem::take(&mut file.errors);
                listed += errors.listed().len();
                slot.send(Checked {
                    groups,
                    rows: chunk.rows,
                    errors,
                });
                if chunk.last {
                    break;
                }
            }
            tracing::info!(
                waited_ms = waited.as_millis() as u64,
                total_ms = started.elapsed().as_millis() as u64,
                "import chunks checked"
            );
            Ok(Checks {
                rows: file.rows,
                reports: file.given.reports.len(),
            })
        };
        Checker {
            checked,
            task: tokio::spawn(task.in_current_span()),
        }
    }

    /// The check's counts once every chunk has been handed on; a check that
    /// failed (the reader stopped, the database) gives its error.
    async fn finish(mut self) -> StorageResult<Checks> {
        match (&mut self.task).await {
            Ok(checks) => checks,
            Err(e) if e.is_panic() => std::panic::resume_unwind(e.into_panic()),
            Err(_) => Err(StorageError::Rejected(vec![
                "Việc kiểm tra tệp bị dừng giữa chừng nên không có gì được ghi; xin thử lại".into(),
            ])),
        }
    }
}

impl Drop for Checker {
    /// A write that failed stops the check too (the rest of the file is
    /// not read for nothing).
    fn drop(&mut self) {
        self.task.abort();
    }
}

/// What [`write_chunks`] came to.
enum Written {
    /// Every chunk was clean and is written, rollups too.
    Clean { file: Checks, changes: Changes },
    /// A chunk had an error (listed, with its reports found locked): from
    /// it on nothing was written, and `checker` goes on with the rest.
    Refused { errors: ErrorList, checker: Checker },
}

/// The chunks the checker hands on, in order, written in one transaction
/// while every chunk up to them is clean, the rollup sums gathered and
/// written every [`PENDING_ROLLUP_ROWS`] rows and at the end. At the first
/// chunk with an error (the check's, or a report found locked, approved
/// since) it stops and hands the checker back: the caller rolls back
/// before the rest of the file is looked at.
async fn write_chunks(
    tx: &mut WriteTx,
    who: &Who,
    forms: &[Form],
    mut checker: Checker,
) -> StorageResult<Written> {
    let mut changes = Changes::default();
    let mut sums = PendingSums::default();
    let started = std::time::Instant::now();
    while let Some(chunk) = checker.checked.recv().await {
        let mut errors = chunk.errors;
        let (items, found) = refuse_locked(tx.conn(), forms, &chunk.groups, &mut errors).await?;
        if !errors.is_empty() {
            return Ok(Written::Refused { errors, checker });
        }
        if items.is_empty() {
            continue;
        }
        let leftovers = Box::new(chunk.rows);
        let written =
            reports::apply_many(tx, who, &items, found, leftovers, Some(&mut sums)).await?;
        changes.add(written);
        if sums.len() > PENDING_ROLLUP_ROWS {
            sums.write(tx).await?;
        }
    }
    let file = checker.finish().await?;
    sums.write(tx).await?;
    tracing::info!(
        total_ms = started.elapsed().as_millis() as u64,
        "import chunks written"
    );
    Ok(Written::Clean { file, changes })
}

/// The rest of a refused file, outside any transaction: each chunk's
/// errors, then its reports found locked, added to `errors` in the file's
/// order (past the listed ones, only counted).
async fn list_the_rest(
    db: &Db,
    forms: &[Form],
    mut checker: Checker,
    errors: &mut ErrorList,
) -> StorageResult<()> {
    let mut conn = db.pool().acquire().await?;
    while let Some(chunk) = checker.checked.recv().await {
        errors.extend(chunk.errors);
        refuse_locked(&mut conn, forms, &chunk.groups, errors).await?;
    }
    checker.finish().await?;
    Ok(())
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
