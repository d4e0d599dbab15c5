//! Writing many reports' values at once (imports): a handful of multi-row
//! statements whatever the number of reports.

use std::collections::HashMap;

use antq_core::dates;
use antq_core::periods::Period;
use antq_core::reports::ReportState;

use crate::audit::{self, Who};
use crate::batch::Val;
use crate::error::{StorageError, StorageResult};
use crate::statistics::catalogue::Form;
use crate::statistics::report_values;
use crate::units::Unit;

use super::*;

use super::write::{locked_message, old_values, plan, push_json_str, IndicatorIndex};

/// Ids for `n` new reports: from the sequence on PostgreSQL (safe beside
/// other writers); past the highest ever given on SQLite, whose one writer
/// at a time is this transaction (AUTOINCREMENT then moves past them).
async fn new_ids(tx: &mut crate::WriteTx, n: usize) -> StorageResult<Vec<i64>> {
    match tx.backend() {
        crate::db::Backend::Postgres => Ok(sqlx::query_scalar(
            "SELECT nextval(pg_get_serial_sequence('reports', 'id')) FROM generate_series(1, $1)",
        )
        .bind(n as i64)
        .fetch_all(tx.conn())
        .await?),
        crate::db::Backend::Sqlite => {
            let last: i64 = sqlx::query_scalar(
                "SELECT MAX(n) FROM (SELECT COALESCE(MAX(id), 0) AS n FROM reports \
                 UNION ALL SELECT COALESCE(MAX(seq), 0) FROM sqlite_sequence WHERE name = 'reports')",
            )
            .fetch_one(tx.conn())
            .await?;
            Ok((last + 1..=last + n as i64).collect())
        }
    }
}

/// PostgreSQL: lock the rows of reports about to be written to, and check
/// they are still editable (an approval may have come in since they were
/// read). SQLite writes one transaction at a time: nothing to do.
async fn lock_editable(tx: &mut crate::WriteTx, ids: &[i64]) -> StorageResult<()> {
    if tx.backend() != crate::db::Backend::Postgres {
        return Ok(());
    }
    for chunk in ids.chunks(500) {
        let list = crate::db::id_list(chunk);
        let states: Vec<(i64, String)> = sqlx::query_as(&format!(
            "SELECT id, state FROM reports WHERE id IN ({list}) ORDER BY id FOR UPDATE"
        ))
        .fetch_all(tx.conn())
        .await?;
        for (id, state) in states {
            let state: ReportState = state.parse()?;
            if !state.editable() {
                return Err(StorageError::Conflict(format!(
                    "báo cáo số {id} vừa chuyển sang trạng thái \"{}\": không sửa được",
                    state.label_vi()
                )));
            }
        }
    }
    Ok(())
}

/// One report's inputs in a bulk write.
pub(crate) struct Item<'a> {
    pub form: &'a Form,
    pub unit: &'a Unit,
    pub period: &'a str,
    pub inputs: &'a [ValueInput],
}

/// The reports that exist among some items: (form, unit, period) → (id, state).
pub(crate) type Found = HashMap<(i64, i64, String), (i64, ReportState)>;

/// The reports that exist among the items, read on `conn`: the writing
/// transaction when [`apply_many`] is to be given them (what it writes
/// must be what was read), any connection when they are only listed. A
/// form's reports are asked
/// by period, and by unit too when the items name a few hundred units (a
/// chunk of a streamed file), so a chunk does not read every report of its
/// periods.
pub(crate) async fn existing(
    conn: &mut sqlx::AnyConnection,
    items: &[Item<'_>],
) -> StorageResult<Found> {
    let mut by_form: HashMap<i64, (Vec<String>, Vec<i64>)> = HashMap::new();
    for it in items {
        let (periods, units) = by_form.entry(it.form.id).or_default();
        if !periods.iter().any(|p| p == it.period) {
            periods.push(it.period.to_string());
        }
        units.push(it.unit.id);
    }
    let mut out = HashMap::new();
    for (form_id, (periods, mut units)) in by_form {
        units.sort_unstable();
        units.dedup();
        let by_unit = units.len() <= 1_000;
        for chunk in periods.chunks(200) {
            let marks = (0..chunk.len())
                .map(|i| format!("${}", i + 2))
                .collect::<Vec<_>>()
                .join(", ");
            let unit_filter = if by_unit {
                format!("AND unit_id IN ({})", crate::db::id_list(&units))
            } else {
                String::new()
            };
            let sql = format!(
                "SELECT id, unit_id, period, state FROM reports WHERE form_id = $1 AND period IN ({marks}) {unit_filter}"
            );
            let mut q = sqlx::query_as::<_, (i64, i64, String, String)>(&sql).bind(form_id);
            for p in chunk {
                q = q.bind(p.clone());
            }
            for (id, unit, period, state) in q.fetch_all(&mut *conn).await? {
                out.insert((form_id, unit, period), (id, state.parse()?));
            }
        }
    }
    Ok(out)
}

/// Write many reports' values at once (imports), creating draft reports as
/// needed: a handful of multi-row statements whatever the number of
/// reports, one audit row per report created and per report changed, the
/// rollups moved in one upsert. The caller has refused locked reports.
/// `found` is what [`existing`] said of the items, in this transaction.
/// `leftovers` (the caller's parsed file) is freed on the side thread while
/// the values are written: millions of small strings take a while to free.
/// With `pending`, the rollup sums are added to it for the caller to write
/// before the transaction ends, instead of being written here.
pub(crate) async fn apply_many(
    tx: &mut crate::WriteTx,
    who: &Who,
    items: &[Item<'_>],
    mut found: HashMap<(i64, i64, String), (i64, ReportState)>,
    leftovers: Box<dyn std::any::Any + Send>,
    mut pending: Option<&mut crate::statistics::rollups::PendingSums>,
) -> StorageResult<Changes> {
    let now = dates::timestamp(dates::now_utc());
    let mut changes = Changes::default();
    let mut phases = Phases::new();
    let mut new_rows = Vec::new();
    let mut created = Vec::new();
    for it in items {
        let k = (it.form.id, it.unit.id, it.period.to_string());
        if let Some((_, state)) = found.get(&k) {
            if !state.editable() {
                let p = Period::parse(it.period)?;
                return Err(StorageError::Conflict(locked_message(
                    it.form, it.unit, &p, *state,
                )));
            }
            continue;
        }
        let (p, start, end) = check_period(it.form, it.period)?;
        new_rows.push(vec![
            Val::Int(it.form.id),
            Val::Int(it.unit.id),
            Val::Text(p.code()),
            Val::Int(i64::from(p.year)),
            Val::Text(dates::iso(start)),
            Val::Text(dates::iso(end)),
            Val::Text("draft".into()),
            Val::Text(now.clone()),
            Val::Text(who.name.clone()),
            Val::Text(now.clone()),
        ]);
        created.push(it);
    }
    if !new_rows.is_empty() {
        // The new reports' ids, chosen here: no need to read them back.
        let ids = new_ids(tx, new_rows.len()).await?;
        for ((row, id), it) in new_rows.iter_mut().zip(&ids).zip(&created) {
            row.insert(0, Val::Int(*id));
            found.insert(
                (it.form.id, it.unit.id, it.period.to_string()),
                (*id, ReportState::Draft),
            );
        }
        changes.reports_created += created.len();
    }
    // A report created here is audited in one row: its creation and its
    // values (`"values"`, added by the plan); a report that existed gets a
    // `value.set` row with the values before and after.
    let mut audits = Vec::new();
    let mut create_row: HashMap<i64, usize> = HashMap::with_capacity(created.len());
    for it in &created {
        let id = found[&(it.form.id, it.unit.id, it.period.to_string())].0;
        create_row.insert(id, audits.len());
        let mut after = String::from("{\"form\":");
        push_json_str(&mut after, &it.form.code);
        after.push_str(",\"period\":");
        push_json_str(&mut after, it.period);
        after.push_str(",\"state\":\"draft\",\"unit\":");
        push_json_str(&mut after, &it.unit.code);
        after.push('}');
        audits.push(audit::TextChange {
            who,
            action: "report.create",
            entity: "report",
            entity_id: id.to_string(),
            unit_id: Some(it.unit.id),
            before: None,
            after: Some(after),
        });
    }
    // The values already there, for every report written to.
    let ids: Vec<i64> = items
        .iter()
        .map(|it| found[&(it.form.id, it.unit.id, it.period.to_string())].0)
        .collect();
    // The reports that existed, in id order (two imports then lock the
    // reports they share in the same order).
    let mut older: Vec<i64> = ids
        .iter()
        .copied()
        .filter(|id| !create_row.contains_key(id))
        .collect();
    older.sort_unstable();
    lock_editable(tx, &older).await?;
    let old_by_report = report_values::read_many(tx.conn(), &older).await?;
    phases.lap("old_values");
    // The new reports are inserted while the values are planned: the plan
    // is work for this thread, the insert for the database's, and the plan
    // yields now and then so the insert's next statement goes out.
    let insert = async {
        if new_rows.is_empty() {
            return Ok(());
        }
        crate::batch::insert_rows(tx, "reports", REPORT_COLUMNS, new_rows).await
    };
    let planned = plan_many(
        who,
        items,
        &ids,
        old_by_report,
        &create_row,
        &mut audits,
        &now,
    );
    let (inserted, planned) = tokio::join!(insert, planned);
    inserted?;
    let Planned {
        changes: planned_changes,
        fresh_rows,
        changed_rows,
        rollups,
    } = planned?;
    changes.add(planned_changes);
    phases.lap("reports_and_plan");
    // The rollup sums and the audit hashes are computed on another thread
    // while this one writes the values (SQLite writes on its own thread).
    let nodes = match pending.as_deref_mut() {
        Some(pending) => pending.nodes(tx, &rollups).await?,
        None => crate::statistics::rollups::bulk_nodes(tx, &rollups).await?,
    };
    let head = audit::reserve(tx, audits.len()).await?;
    let records = head.records(audits);
    let gathered = pending.as_deref_mut().map(std::mem::take);
    let side = tokio::task::spawn_blocking(move || {
        let rollup_rows = match gathered {
            Some(mut sums) => {
                sums.add(&rollups, &nodes);
                Err(sums)
            }
            None => Ok(crate::statistics::rollups::bulk_rows(&rollups, &nodes)),
        };
        let chained = audit::chain(records);
        drop(leftovers);
        (rollup_rows, chained)
    });
    report_values::write_rows(tx, fresh_rows, true).await?;
    report_values::write_rows(tx, changed_rows, false).await?;
    phases.lap("values");
    let (rollup_rows, audit_rows) = side.await.expect("rollup and audit computation");
    phases.lap("side");
    match rollup_rows {
        Ok(rows) => crate::statistics::rollups::write_bulk(tx, rows).await?,
        Err(sums) => *pending.expect("sums gathered for the caller") = sums,
    }
    phases.lap("rollups");
    audit::write_chained(tx, audit_rows).await?;
    phases.lap("audit");
    tracing::info!(phases = %phases, "bulk write");
    Ok(changes)
}

/// The columns of a new report's row, in the order `apply_many` binds them.
const REPORT_COLUMNS: &[&str] = &[
    "id",
    "form_id",
    "unit_id",
    "period",
    "period_year",
    "period_start",
    "period_end",
    "state",
    "state_changed_at",
    "state_changed_by",
    "created_at",
];

/// Reports planned between two yields of [`plan_many`].
const PLAN_YIELD_EVERY: usize = 128;

/// What the plan of a bulk write gives: the changes counted, the
/// `report_values` rows to write (of reports created here, and of reports
/// that existed), the rollup changes.
struct Planned {
    changes: Changes,
    fresh_rows: Vec<Vec<Val>>,
    changed_rows: Vec<Vec<Val>>,
    rollups: Vec<crate::statistics::rollups::UnitYearChanges>,
}

/// Plan every report's write (pure computation): its new values checked
/// against its old ones, its rows, its rollup changes and its audit row
/// (the creation's row of a report created here gets its values). It
/// yields every [`PLAN_YIELD_EVERY`] reports to what runs beside it.
async fn plan_many<'w>(
    who: &'w Who,
    items: &[Item<'_>],
    ids: &[i64],
    mut old_by_report: HashMap<i64, Vec<report_values::StoredValue>>,
    create_row: &HashMap<i64, usize>,
    audits: &mut Vec<audit::TextChange<'w>>,
    now: &str,
) -> StorageResult<Planned> {
    let mut changes = Changes::default();
    let (mut fresh_bodies, mut changed_bodies) = (Vec::new(), Vec::new());
    let mut rollups = Vec::with_capacity(items.len());
    let mut indexes: HashMap<i64, IndicatorIndex<'_>> = HashMap::new();
    for (n, (it, id)) in items.iter().zip(ids).enumerate() {
        if n % PLAN_YIELD_EVERY == PLAN_YIELD_EVERY - 1 {
            tokio::task::yield_now().await;
        }
        let p = Period::parse(it.period)?;
        let old = old_values(old_by_report.remove(id).unwrap_or_default());
        let index = indexes
            .entry(it.form.id)
            .or_insert_with(|| IndicatorIndex::of(it.form));
        let mut plan = plan(index, *id, &old, it.inputs)?;
        changes.add(plan.changes);
        if plan.is_empty() {
            continue;
        }
        if create_row.contains_key(id) {
            fresh_bodies.push(plan.body(old));
        } else {
            changed_bodies.push(plan.body(old));
        }
        rollups.push(crate::statistics::rollups::UnitYearChanges {
            approved: false,
            unit_id: it.unit.id,
            year: i64::from(p.year),
            part: crate::statistics::rollups::part_of(&p),
            changes: std::mem::take(&mut plan.deltas),
            options: std::mem::take(&mut plan.option_deltas),
        });
        match create_row.get(id) {
            Some(&row) => {
                let after = audits[row].after.as_mut().expect("a creation has an after");
                after.pop();
                after.push_str(",\"values\":");
                after.push_str(&plan.after);
                after.push_str("}}");
            }
            None => audits.push(plan.audit(who, it.unit)),
        }
    }
    Ok(Planned {
        changes,
        fresh_rows: report_values::rows(fresh_bodies, now, &who.name),
        changed_rows: report_values::rows(changed_bodies, now, &who.name),
        rollups,
    })
}

/// Wall time of the phases of a bulk write, for the log.
struct Phases {
    at: std::time::Instant,
    laps: Vec<(&'static str, std::time::Duration)>,
}

impl Phases {
    fn new() -> Phases {
        Phases {
            at: std::time::Instant::now(),
            laps: Vec::new(),
        }
    }

    fn lap(&mut self, name: &'static str) {
        self.laps.push((name, self.at.elapsed()));
        self.at = std::time::Instant::now();
    }
}

impl std::fmt::Display for Phases {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        for (i, (name, d)) in self.laps.iter().enumerate() {
            if i > 0 {
                f.write_str(" ")?;
            }
            write!(f, "{name}={}ms", d.as_millis())?;
        }
        Ok(())
    }
}
