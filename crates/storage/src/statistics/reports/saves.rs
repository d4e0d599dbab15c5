//! Saves written together (group commit). A save's transaction is short
//! and most of its time is the commit's flush to disk, during which every
//! other writer waits (SQLite has one writer; on PostgreSQL every audited
//! writer waits at the audit head). So saves that arrive while others are
//! being written are queued, and one task writes each queue in one
//! transaction, each save inside a savepoint of its own: a save refused
//! (a locked report, a bad value) is rolled back alone and answered with
//! its error, the others are committed together, with one flush. A save is
//! answered only once its transaction has committed, as before.

use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Arc;

use tokio::sync::{mpsc, oneshot};

use super::write::{apply_values, Written};
use super::ValueInput;
use crate::audit::Who;
use crate::db::{is_transient, Db};
use crate::error::{StorageError, StorageResult};
use crate::statistics::catalogue::Form;
use crate::units::Unit;

/// The most saves one transaction writes.
const MAX_BATCH: usize = 64;

/// Saves waiting for the writer, at most; a caller past it waits its turn.
const QUEUE: usize = 1_024;

/// One save: what [`apply_values`] is given.
pub(super) struct Save {
    pub(super) who: Who,
    pub(super) form: Form,
    pub(super) unit: Unit,
    pub(super) period: String,
    pub(super) inputs: Vec<ValueInput>,
}

impl Save {
    /// Write it in `tx` ([`apply_values`]).
    async fn apply(&self, tx: &mut crate::WriteTx) -> StorageResult<Written> {
        apply_values(
            tx,
            &self.who,
            &self.form,
            &self.unit,
            &self.period,
            &self.inputs,
        )
        .await
    }
}

/// A save queued, and where to answer.
struct Job {
    save: Arc<Save>,
    answer: oneshot::Sender<StorageResult<Written>>,
}

/// The queue of saves of one database, and its writer.
#[derive(Clone)]
pub(crate) struct SaveQueue {
    jobs: mpsc::Sender<Job>,
    /// Saves committed in a batch of more than one, since the start.
    together: Arc<AtomicU64>,
}

impl SaveQueue {
    /// Start the writer of `db`'s saves. It ends when the last
    /// [`SaveQueue`] is dropped (`db` must not hold one).
    pub(crate) fn start(db: Db) -> SaveQueue {
        let (jobs, queued) = mpsc::channel(QUEUE);
        let together = Arc::new(AtomicU64::new(0));
        tokio::spawn(write_queued(db, queued, Arc::clone(&together)));
        SaveQueue { jobs, together }
    }

    /// Saves committed in a batch of more than one since the start.
    pub(crate) fn committed_together(&self) -> u64 {
        self.together.load(Ordering::Relaxed)
    }

    /// Write the save, committed with the saves queued beside it. A caller
    /// that stops waiting before its save is taken (its request timed out)
    /// is skipped: nothing was acknowledged to it.
    pub(super) async fn save(&self, save: Save) -> StorageResult<Written> {
        let (answer, answered) = oneshot::channel();
        let job = Job {
            save: Arc::new(save),
            answer,
        };
        if self.jobs.send(job).await.is_err() {
            return Err(StorageError::Busy);
        }
        answered.await.unwrap_or(Err(StorageError::Busy))
    }
}

/// What writing a batch together came to.
enum Together {
    /// Committed: each save's outcome, in order.
    Committed(Vec<StorageResult<Written>>),
    /// Nothing was committed, and each save may be written alone.
    WriteAlone,
    /// Whether the batch was committed is not known (the commit's answer
    /// was lost), or the database is out of reach: every save is told to
    /// try again (saving the same values again changes nothing more).
    Unknown,
}

/// The writer: takes what is queued (up to [`MAX_BATCH`]) and writes it.
/// Each batch, and each save written alone, runs on a task of its own so
/// that a panic fails only its own work, never the writer; after a batch
/// panicked, its saves are written one by one.
async fn write_queued(db: Db, mut queued: mpsc::Receiver<Job>, counted: Arc<AtomicU64>) {
    while let Some(first) = queued.recv().await {
        let mut batch = vec![first];
        while batch.len() < MAX_BATCH {
            match queued.try_recv() {
                Ok(job) => batch.push(job),
                Err(_) => break,
            }
        }
        batch.retain(|job| !job.answer.is_closed());
        let together = match batch.len() {
            0 => continue,
            1 => Together::WriteAlone,
            _ => {
                let saves = batch.iter().map(|job| Arc::clone(&job.save)).collect();
                tokio::spawn(write_together(db.clone(), saves))
                    .await
                    .unwrap_or(Together::WriteAlone)
            }
        };
        match together {
            Together::Committed(outcomes) => {
                let saved = outcomes.iter().filter(|o| o.is_ok()).count();
                counted.fetch_add(saved as u64, Ordering::Relaxed);
                for (job, outcome) in batch.into_iter().zip(outcomes) {
                    let _ = job.answer.send(outcome);
                }
            }
            Together::Unknown => {
                for job in batch {
                    let _ = job.answer.send(Err(StorageError::Busy));
                }
            }
            Together::WriteAlone => {
                for job in batch {
                    if job.answer.is_closed() {
                        continue;
                    }
                    let outcome = tokio::spawn(write_alone(db.clone(), job.save))
                        .await
                        .unwrap_or(Err(StorageError::Busy));
                    let _ = job.answer.send(outcome);
                }
            }
        }
    }
}

/// One save in a transaction of its own, committed.
pub(super) async fn write_alone(db: Db, save: Arc<Save>) -> StorageResult<Written> {
    let save = &save;
    db.write(|mut tx| async move {
        let written = save.apply(&mut tx).await?;
        tx.commit().await?;
        Ok(written)
    })
    .await
}

/// Every save in one transaction, each in a savepoint, committed: the
/// outcome of each. A conflict with another transaction (PostgreSQL) runs
/// the whole batch again ([`Db::write`]).
async fn write_together(db: Db, saves: Vec<Arc<Save>>) -> Together {
    let committing = AtomicBool::new(false);
    let (saves, committing) = (&saves, &committing);
    let together = db
        .write(|mut tx| async move {
            committing.store(false, Ordering::Relaxed);
            let mut outcomes = Vec::with_capacity(saves.len());
            for save in saves {
                run(&mut tx, "SAVEPOINT save").await?;
                let outcome = save.apply(&mut tx).await;
                match outcome {
                    Err(e) if is_transient(&e) => return Err(e),
                    Err(_) => run(&mut tx, "ROLLBACK TO SAVEPOINT save").await?,
                    Ok(_) => {}
                }
                run(&mut tx, "RELEASE SAVEPOINT save").await?;
                outcomes.push(outcome);
            }
            committing.store(true, Ordering::Relaxed);
            tx.commit().await?;
            tracing::debug!(saves = outcomes.len(), "saves committed together");
            Ok(outcomes)
        })
        .await;
    match together {
        Ok(outcomes) => Together::Committed(outcomes),
        Err(e) => {
            tracing::warn!(error = %e, saves = saves.len(), "saves not committed together");
            let out_of_reach = matches!(
                e,
                StorageError::Database(
                    sqlx::Error::PoolTimedOut | sqlx::Error::PoolClosed | sqlx::Error::Io(_)
                )
            );
            if committing.load(Ordering::Relaxed) || out_of_reach {
                Together::Unknown
            } else {
                Together::WriteAlone
            }
        }
    }
}

async fn run(tx: &mut crate::WriteTx, sql: &str) -> StorageResult<()> {
    sqlx::query(sql).execute(tx.conn()).await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use antq_core::indicators::Qualifier;

    fn input(code: &str, n: i64) -> ValueInput {
        ValueInput {
            indicator: code.into(),
            option: String::new(),
            value: Some((n * 1000, Qualifier::Exact, None)),
        }
    }

    async fn count(db: &Db, sql: &str) -> i64 {
        sqlx::query_scalar(sql).fetch_one(db.pool()).await.unwrap()
    }

    /// A save that fails after it has written (its new report inserted and
    /// audited, then an indicator the form lacks) is undone to its
    /// savepoint: the saves before and after it are committed, it leaves
    /// no report, no audit row and the chain's head where it was.
    async fn a_failed_save_is_undone_alone(db: Db) {
        let form = crate::statistics::catalogue::form(&db, "antq-nam")
            .await
            .unwrap();
        let at = antq_core::dates::parse_date("2020-12-14").unwrap();
        let mut saves = Vec::new();
        for (code, inputs) in [
            ("03127", vec![input("tt_buoi", 3)]),
            ("03130", vec![input("tt_buoi", 4), input("khong_co", 1)]),
            ("03133", vec![input("tt_luot", 5)]),
        ] {
            let code = antq_core::units::UnitCode::parse(code).unwrap();
            let unit = crate::units::get_at(&db, &code, at).await.unwrap();
            saves.push(Arc::new(Save {
                who: Who::user(1, "can_bo"),
                form: form.clone(),
                unit,
                period: "2020".into(),
                inputs,
            }));
        }
        let audited_before = count(&db, "SELECT COUNT(*) FROM audit_log").await;
        let Together::Committed(outcomes) = write_together(db.clone(), saves).await else {
            panic!("the batch was not committed");
        };
        assert!(outcomes[0].is_ok() && outcomes[2].is_ok());
        assert!(
            matches!(outcomes[1], Err(StorageError::NotFound(_))),
            "{:?}",
            outcomes[1].as_ref().err()
        );
        assert_eq!(count(&db, "SELECT COUNT(*) FROM reports").await, 2);
        // Two saves, each a report created and its values set.
        let audited = count(&db, "SELECT COUNT(*) FROM audit_log").await;
        assert_eq!(audited - audited_before, 4);
        assert_eq!(
            count(&db, "SELECT last_id FROM audit_head WHERE id = 1").await,
            count(&db, "SELECT MAX(id) FROM audit_log").await
        );
        assert!(matches!(
            crate::audit::verify(&db).await.unwrap(),
            crate::audit::Verification::Intact { .. }
        ));
        crate::testing::assert_rollups_equal_rebuild(&db, "after a save undone alone").await;
    }

    #[tokio::test]
    async fn a_failed_save_is_undone_alone_on_sqlite() {
        let t = crate::testing::TestDb::sqlite();
        a_failed_save_is_undone_alone(t.ready().await).await;
    }

    #[tokio::test]
    async fn a_failed_save_is_undone_alone_on_postgres() {
        let Some(server) = crate::testing::postgres_url() else {
            eprintln!("skipped: ANTQ_TEST_DATABASE_URL is not set, so the PostgreSQL savepoint test did not run");
            return;
        };
        let t = crate::testing::TestDb::postgres(&server).await;
        a_failed_save_is_undone_alone(t.ready().await).await;
    }
}
