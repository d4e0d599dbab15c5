//! Saves written together (group commit). A save's transaction is short
//! and most of its time is the commit's flush to disk, during which every
//! other writer waits (SQLite has one writer; on PostgreSQL every audited
//! writer waits at the audit head). So saves that arrive while others are
//! being written are queued, and one task writes each queue in one
//! transaction, each save inside a savepoint of its own: a save refused
//! (a locked report, a bad value) is rolled back alone and answered with
//! its error, the others are committed together, with one flush. A save is
//! answered only once its transaction has committed, as before.

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

/// One save to write, and where to answer.
struct Job {
    who: Who,
    form: Form,
    unit: Unit,
    period: String,
    inputs: Vec<ValueInput>,
    answer: oneshot::Sender<StorageResult<Written>>,
}

/// The queue of saves of one database, and its writer.
#[derive(Clone)]
pub(crate) struct SaveQueue {
    jobs: mpsc::Sender<Job>,
}

impl SaveQueue {
    /// Start the writer of `db`'s saves. It ends when the last
    /// [`SaveQueue`] is dropped (`db` must not hold one).
    pub(crate) fn start(db: Db) -> SaveQueue {
        let (jobs, queued) = mpsc::channel(QUEUE);
        tokio::spawn(write_queued(db, queued));
        SaveQueue { jobs }
    }

    /// Write `inputs` into the report (creating it as a draft), committed
    /// with the saves queued beside it.
    pub(crate) async fn save(
        &self,
        who: &Who,
        form: &Form,
        unit: &Unit,
        period: &str,
        inputs: &[ValueInput],
    ) -> StorageResult<Written> {
        let (answer, answered) = oneshot::channel();
        let job = Job {
            who: who.clone(),
            form: form.clone(),
            unit: unit.clone(),
            period: period.to_string(),
            inputs: inputs.to_vec(),
            answer,
        };
        if self.jobs.send(job).await.is_err() {
            return Err(stopped());
        }
        answered.await.unwrap_or_else(|_| Err(stopped()))
    }
}

/// The writer stopped (the database is being closed) or its batch
/// panicked before answering: nothing is acknowledged, the caller may retry.
fn stopped() -> StorageError {
    StorageError::Busy
}

/// The writer: takes what is queued (up to [`MAX_BATCH`]) and writes it,
/// each batch on a task of its own so that a panic fails its saves (their
/// callers are told) and not the writer.
async fn write_queued(db: Db, mut queued: mpsc::Receiver<Job>) {
    while let Some(first) = queued.recv().await {
        let mut batch = vec![first];
        while batch.len() < MAX_BATCH {
            match queued.try_recv() {
                Ok(job) => batch.push(job),
                Err(_) => break,
            }
        }
        let _ = tokio::spawn(write_batch(db.clone(), batch)).await;
    }
}

/// Write a batch in one transaction, each save in a savepoint; answer each
/// save after the commit. If the transaction itself fails, each save is
/// written again alone and answered with its own outcome (writing the same
/// values again changes nothing).
async fn write_batch(db: Db, batch: Vec<Job>) {
    let together = if batch.len() == 1 {
        Err(None)
    } else {
        write_together(&db, &batch).await.map_err(Some)
    };
    match together {
        Ok(outcomes) => {
            for (job, outcome) in batch.into_iter().zip(outcomes) {
                let _ = job.answer.send(outcome);
            }
        }
        Err(e) => {
            if let Some(e) = e {
                tracing::warn!(error = %e, saves = batch.len(), "saves written one by one");
            }
            for job in batch {
                let outcome = write_alone(&db, &job).await;
                let _ = job.answer.send(outcome);
            }
        }
    }
}

async fn write_alone(db: &Db, job: &Job) -> StorageResult<Written> {
    db.write(|mut tx| async move {
        let written = apply_values(
            &mut tx,
            &job.who,
            &job.form,
            &job.unit,
            &job.period,
            &job.inputs,
        )
        .await?;
        tx.commit().await?;
        Ok(written)
    })
    .await
}

/// Every save of the batch in one transaction, each in a savepoint: the
/// outcome of each, once committed. A conflict with another transaction
/// (PostgreSQL) fails the whole batch, which [`Db::write`] runs again.
async fn write_together(db: &Db, batch: &[Job]) -> StorageResult<Vec<StorageResult<Written>>> {
    db.write(|mut tx| async move {
        let mut outcomes = Vec::with_capacity(batch.len());
        for job in batch {
            run(&mut tx, "SAVEPOINT save").await?;
            let outcome = apply_values(
                &mut tx,
                &job.who,
                &job.form,
                &job.unit,
                &job.period,
                &job.inputs,
            )
            .await;
            match outcome {
                Err(e) if is_transient(&e) => return Err(e),
                Err(_) => run(&mut tx, "ROLLBACK TO SAVEPOINT save").await?,
                Ok(_) => {}
            }
            run(&mut tx, "RELEASE SAVEPOINT save").await?;
            outcomes.push(outcome);
        }
        tx.commit().await?;
        tracing::debug!(saves = outcomes.len(), "saves committed together");
        Ok(outcomes)
    })
    .await
}

async fn run(tx: &mut crate::WriteTx, sql: &str) -> StorageResult<()> {
    sqlx::query(sql).execute(tx.conn()).await?;
    Ok(())
}
