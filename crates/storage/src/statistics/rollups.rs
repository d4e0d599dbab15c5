//! Rollups maintained on write: `rollup_year` holds, for every ancestor of
//! every reporting unit (as it was, and in today's map), the yearly sums of
//! each indicator split by approval; `rollup_part` the same sums by the
//! reports' own period within the year (half, quarter or month; a yearly
//! report's share is the year's sum less its parts). Every value change and
//! every approval moves the sums in the same transaction, so a query reads
//! a few hundred pre-added rows instead of every value, and is never stale.
//! `rollup_option` keeps the yearly sums of each breakdown option
//! (`kt_bang_khen.tap_the`) for the same nodes (reviews list them).

use antq_core::indicators::Qualifier;
use antq_core::periods::{Period, PeriodType};

use crate::batch::{upsert_rows, Val};
use crate::db::WriteTx;
use crate::error::StorageResult;

/// The contribution of one stored value (or of its removal, negated).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Contribution {
    pub milli: i64,
    pub n: i64,
    pub more: i64,
    pub nearly: i64,
    pub about: i64,
}

impl Contribution {
    pub fn of(milli: i64, q: Qualifier) -> Contribution {
        Contribution {
            milli,
            n: 1,
            more: i64::from(q == Qualifier::MoreThan),
            nearly: i64::from(q == Qualifier::Nearly),
            about: i64::from(q == Qualifier::About),
        }
    }

    pub fn minus(self, o: Contribution) -> Contribution {
        Contribution {
            milli: self.milli - o.milli,
            n: self.n - o.n,
            more: self.more - o.more,
            nearly: self.nearly - o.nearly,
            about: self.about - o.about,
        }
    }

    pub fn negate(self) -> Contribution {
        Contribution::default().minus(self)
    }

    fn is_zero(&self) -> bool {
        *self == Contribution::default()
    }
}

/// A report's period within its year as `rollup_part` keys it: month `m`
/// is `m` (1–12), quarter `q` is `20 + q`, half `h` is `30 + h`; a whole
/// year is 0 and has no part row.
pub fn part_of(p: &Period) -> i64 {
    let i = i64::from(p.index);
    match p.kind {
        PeriodType::Year => 0,
        PeriodType::Month => i,
        PeriodType::Quarter => 20 + i,
        PeriodType::Half => 30 + i,
    }
}

/// The period a `rollup_part` key stands for (None for 0 or an unknown part).
pub fn period_of_part(year: i32, part: i64) -> Option<Period> {
    let (kind, index) = match part {
        1..=12 => (PeriodType::Month, part),
        21..=24 => (PeriodType::Quarter, part - 20),
        31..=32 => (PeriodType::Half, part - 30),
        _ => return None,
    };
    Period::new(year, kind, index as u8).ok()
}

/// Which ancestors `t` of a unit hold its sums (as it was, or in today's
/// map): all but communes. A commune's yearly sums are its own reports'
/// values, and in today's map those of the older units mapped into it (a
/// few hundred reports, read directly by `analytics`); leaving them out
/// cuts the rollup rows an import writes fivefold.
const NOT_COMMUNE: &str =
    "NOT EXISTS (SELECT 1 FROM units lu WHERE lu.id = t.ancestor_id AND lu.level = 'commune')";

/// The nodes a report's values are added into: (node, map kind, split),
/// as it was and in today's map, in one query.
async fn nodes(tx: &mut WriteTx, unit_id: i64) -> StorageResult<Vec<(i64, &'static str, i64)>> {
    let rows: Vec<(i64, i64, i64)> = sqlx::query_as(&format!(
        "SELECT t.ancestor_id, 1, 0 FROM unit_tree t WHERE t.descendant_id = $1 AND {NOT_COMMUNE} \
         UNION ALL \
         SELECT t.ancestor_id, 0, m.split FROM unit_data_map m JOIN unit_tree t ON t.descendant_id = m.current_id \
         WHERE m.unit_id = $1 AND {NOT_COMMUNE}"
    ))
    .bind(unit_id)
    .fetch_all(tx.conn())
    .await?;
    Ok(rows
        .into_iter()
        .map(|(n, hist, split)| (n, if hist == 1 { "h" } else { "c" }, split))
        .collect())
}

/// A breakdown option's change in a report: indicator, option code, and
/// the change (a value of `kt_bang_khen.tap_the` also counts in its
/// indicator's change).
pub(crate) type OptionChange = (i64, String, Contribution);

/// Add `add` to the option's change in `changes` (one entry per indicator
/// and option: PostgreSQL refuses an upsert that touches one row twice).
pub(crate) fn add_option_change(
    changes: &mut Vec<OptionChange>,
    ind: i64,
    option: &str,
    add: Contribution,
) {
    match changes
        .iter_mut()
        .find(|(i, o, _)| *i == ind && o == option)
    {
        Some((_, _, c)) => *c = c.minus(add.negate()),
        None => changes.push((ind, option.to_string(), add)),
    }
}

/// Add the changes of several indicators of one unit and period: one
/// statement for the year's sums, one for the part's (see [`part_of`]),
/// one for the options' when a breakdown option changed.
pub async fn add_many(
    tx: &mut WriteTx,
    unit_id: i64,
    period: &Period,
    approved: bool,
    changes: &[(i64, Contribution)],
    options: &[OptionChange],
) -> StorageResult<()> {
    let (year, part) = (i64::from(period.year), part_of(period));
    let changes: Vec<&(i64, Contribution)> = changes.iter().filter(|(_, c)| !c.is_zero()).collect();
    // An award moved from one recipient to the other changes its options
    // and not its indicator's sum: the options are written all the same.
    let options: Vec<&OptionChange> = options.iter().filter(|(_, _, c)| !c.is_zero()).collect();
    if changes.is_empty() && options.is_empty() {
        return Ok(());
    }
    let nodes = nodes(tx, unit_id).await?;
    // The options' rows in key order (see below).
    let mut option_sums: std::collections::BTreeMap<OptionKey, Contribution> = Default::default();
    for (node, kind, _) in &nodes {
        for (ind, option, c) in &options {
            let e = option_sums
                .entry((*node, *kind == "h", *ind, year, approved, option.clone()))
                .or_default();
            *e = e.minus(c.negate());
        }
    }
    // In key order (node, map kind, indicator), as every writer of rollup
    // rows takes them: two writers then lock shared rows in the same order.
    let mut keyed = Vec::new();
    for (node, kind, split) in nodes {
        for (ind, c) in &changes {
            keyed.push(((node, kind, *ind), split, *c));
        }
    }
    keyed.sort_unstable_by_key(|(k, _, _)| *k);
    let mut rows = BulkRows::default();
    for ((node, kind, ind), split, c) in keyed {
        let split = if split != 0 { c.n } else { 0 };
        let r = row_values(node, kind == "h", ind, year, approved, c, split);
        if part != 0 {
            let mut with_part = r.clone();
            with_part.push(Val::Int(part));
            rows.part.push(with_part);
        }
        rows.year.push(r);
    }
    rows.option = option_rows(option_sums);
    write_bulk(tx, rows).await
}

/// The columns of `rollup_part`; those of `rollup_year` are the same but the part.
const PART_COLUMNS: &[&str] = &[
    "indicator_id",
    "node_id",
    "map_kind",
    "period_year",
    "approved",
    "sum_milli",
    "n_values",
    "n_more",
    "n_nearly",
    "n_about",
    "n_split",
    "period_part",
];

const COLUMNS: &[&str] = PART_COLUMNS.split_at(PART_COLUMNS.len() - 1).0;

/// The columns of `rollup_option`.
const OPTION_COLUMNS: &[&str] = &[
    "indicator_id",
    "node_id",
    "map_kind",
    "period_year",
    "approved",
    "option_code",
    "sum_milli",
    "n_values",
    "n_more",
    "n_nearly",
    "n_about",
];

/// The sums of a row of `rollup_year` or `rollup_part`; those of
/// `rollup_option` are the same but the split count.
const SUMS: &[&str] = &[
    "sum_milli",
    "n_values",
    "n_more",
    "n_nearly",
    "n_about",
    "n_split",
];

/// Add the rows' sums (`sums`) to those already in `table` (keyed by `key`).
fn on_conflict(table: &str, key: &str, sums: &[&str]) -> String {
    let add = sums
        .iter()
        .map(|c| format!("{c} = {table}.{c} + excluded.{c}"))
        .collect::<Vec<_>>()
        .join(", ");
    format!("ON CONFLICT ({key}) DO UPDATE SET {add}")
}

/// Move all of a report's values between the approved and unapproved sums.
pub async fn move_report(tx: &mut WriteTx, report_id: i64, to_approved: bool) -> StorageResult<()> {
    let (unit_id, period): (i64, String) =
        sqlx::query_as("SELECT unit_id, period FROM reports WHERE id = $1")
            .bind(report_id)
            .fetch_one(tx.conn())
            .await?;
    let period = Period::parse(&period)?;
    let values = crate::statistics::report_values::read(tx.conn(), report_id).await?;
    // One contribution per indicator: the options of a breakdown
    // (`kt_bang_khen.tap_the`, `.ca_nhan`) share their indicator's rollup
    // row, and PostgreSQL refuses an upsert that touches one row twice.
    let mut by_indicator: std::collections::BTreeMap<i64, Contribution> = Default::default();
    let mut options = Vec::new();
    for v in values {
        let c = Contribution::of(v.milli, v.qualifier);
        let e = by_indicator.entry(v.indicator_id).or_default();
        *e = e.minus(c.negate());
        if !v.option.is_empty() {
            add_option_change(&mut options, v.indicator_id, &v.option, c);
        }
    }
    let moved: Vec<(i64, Contribution)> = by_indicator.into_iter().collect();
    let removed: Vec<(i64, Contribution)> = moved.iter().map(|(i, c)| (*i, c.negate())).collect();
    let options_removed: Vec<OptionChange> = options
        .iter()
        .map(|(i, o, c)| (*i, o.clone(), c.negate()))
        .collect();
    add_many(
        tx,
        unit_id,
        &period,
        !to_approved,
        &removed,
        &options_removed,
    )
    .await?;
    add_many(tx, unit_id, &period, to_approved, &moved, &options).await
}

/// Recompute every rollup from the stored values (after a bulk load, a
/// change to the units, or to repair), one year at a time: the year's
/// reports are read a few thousand at a time, their values summed per node
/// in memory, and the year's rows written before the next year is read. So
/// memory holds one year's sums (every node, indicator and part of it), not
/// the whole history's.
pub async fn rebuild(tx: &mut WriteTx) -> StorageResult<()> {
    rebuild_tables(tx, &["rollup_year", "rollup_part", "rollup_option"]).await
}

/// [`rebuild`] of some of the rollup tables only: migration 17 made
/// `rollup_part` before `rollup_option` existed (migration 21), which
/// rebuilds only its own.
pub(crate) async fn rebuild_tables(tx: &mut WriteTx, tables: &[&str]) -> StorageResult<()> {
    debug_assert!(
        tables
            .iter()
            .all(|t| ["rollup_year", "rollup_part", "rollup_option"].contains(t)),
        "unknown rollup table in {tables:?}"
    );
    for table in tables {
        sqlx::query(&format!("DELETE FROM {table}"))
            .execute(tx.conn())
            .await?;
    }
    let years: Vec<i64> =
        sqlx::query_scalar("SELECT DISTINCT period_year FROM reports ORDER BY period_year")
            .fetch_all(tx.conn())
            .await?;
    for year in years {
        let sums = sums_of_year(tx, year).await?;
        // Each row inserted once, never updated.
        let mut rows = rows_of(sums);
        for (table, kept) in [
            ("rollup_year", &mut rows.year),
            ("rollup_part", &mut rows.part),
            ("rollup_option", &mut rows.option),
        ] {
            if !tables.contains(&table) {
                kept.clear();
            }
        }
        write_bulk(tx, rows).await?;
    }
    Ok(())
}

/// The sums of one year's reports, per node.
async fn sums_of_year(tx: &mut WriteTx, year: i64) -> StorageResult<Sums> {
    let mut sums = Sums::default();
    let mut after = 0i64;
    loop {
        let rows: Vec<(i64, i64, String, String, Vec<u8>)> = sqlx::query_as(
            "SELECT r.id, r.unit_id, r.period, r.state, b.body FROM reports r \
             JOIN report_values b ON b.report_id = r.id \
             WHERE r.id > $1 AND r.period_year = $2 ORDER BY r.id LIMIT 5000",
        )
        .bind(after)
        .bind(year)
        .fetch_all(tx.conn())
        .await?;
        let Some(last) = rows.last() else {
            break;
        };
        after = last.0;
        let mut items = Vec::with_capacity(rows.len());
        for (_, unit_id, period, state, body) in &rows {
            let period = Period::parse(period)?;
            let (mut changes, mut options) = (Vec::new(), Vec::new());
            for e in crate::statistics::report_values::entries(body)? {
                let e = e?;
                let c = Contribution::of(e.milli, e.qualifier);
                changes.push((e.indicator_id, c));
                if !e.option.is_empty() {
                    options.push((e.indicator_id, e.option.to_string(), c));
                }
            }
            items.push(UnitYearChanges {
                unit_id: *unit_id,
                year: i64::from(period.year),
                part: part_of(&period),
                approved: state == "approved",
                changes,
                options,
            });
        }
        let nodes = bulk_nodes(tx, &items).await?;
        add_to_sums(&items, &nodes, &mut sums);
    }
    Ok(sums)
}

/// The changes of one unit and period (a report's values).
pub struct UnitYearChanges {
    pub unit_id: i64,
    pub year: i64,
    /// The report's period within the year ([`part_of`]; 0 for a year).
    pub part: i64,
    /// Whether the report is approved (an import writes drafts).
    pub approved: bool,
    pub changes: Vec<(i64, Contribution)>,
    /// The breakdown options' changes (also counted in `changes`).
    pub options: Vec<OptionChange>,
}

/// Add the changes of many reports at once (imports): the changes are first
/// summed per unit, period and indicator,
/// the nodes of every unit read in a few queries, the sums spread over the
/// nodes in memory, and written in multi-row upserts.
pub async fn add_bulk(tx: &mut WriteTx, items: &[UnitYearChanges]) -> StorageResult<()> {
    let nodes = bulk_nodes(tx, items).await?;
    write_bulk(tx, bulk_rows(items, &nodes)).await
}

/// unit → its nodes: (node, historical?, split)
pub(crate) type Nodes = rustc_hash::FxHashMap<i64, Vec<(i64, bool, i64)>>;

/// The nodes of every unit of the items.
pub(crate) async fn bulk_nodes(
    tx: &mut WriteTx,
    items: &[UnitYearChanges],
) -> StorageResult<Nodes> {
    let mut units: Vec<i64> = items.iter().map(|i| i.unit_id).collect();
    units.sort_unstable();
    units.dedup();
    nodes_of_units(tx, &units).await
}

/// The nodes of some units (sorted, distinct).
async fn nodes_of_units(tx: &mut WriteTx, units: &[i64]) -> StorageResult<Nodes> {
    let mut nodes_of = Nodes::default();
    for chunk in units.chunks(500) {
        let list = crate::db::id_list(chunk);
        let hist: Vec<(i64, i64)> = sqlx::query_as(&format!(
            "SELECT t.descendant_id, t.ancestor_id FROM unit_tree t WHERE t.descendant_id IN ({list}) AND {NOT_COMMUNE}"
        ))
        .fetch_all(tx.conn())
        .await?;
        for (u, n) in hist {
            nodes_of.entry(u).or_default().push((n, true, 0));
        }
        let cur: Vec<(i64, i64, i64)> = sqlx::query_as(&format!(
            "SELECT m.unit_id, t.ancestor_id, m.split FROM unit_data_map m \
             JOIN unit_tree t ON t.descendant_id = m.current_id WHERE m.unit_id IN ({list}) AND {NOT_COMMUNE}"
        ))
        .fetch_all(tx.conn())
        .await?;
        for (u, n, split) in cur {
            nodes_of.entry(u).or_default().push((n, false, split));
        }
    }
    Ok(nodes_of)
}

/// A rollup row's key: node, historical?, indicator, year, approved, part
/// (approval before part: a year's rows are then next to each other).
type NodeKey = (i64, bool, i64, i64, bool, i64);

/// The rollup rows the items add (pure computation: an import runs it
/// beside the writing of its values).
pub(crate) fn bulk_rows(items: &[UnitYearChanges], nodes_of: &Nodes) -> BulkRows {
    let mut sums = Sums::default();
    add_to_sums(items, nodes_of, &mut sums);
    rows_of(sums)
}

/// An option's rollup row's key: node, historical?, indicator, year,
/// approved, option.
type OptionKey = (i64, bool, i64, i64, bool, String);

/// Sums per rollup row: (sum, count of values from split units), and per
/// option's row.
#[derive(Default)]
struct Sums {
    /// By the report's period within the year (part 0: whole years).
    by_part: rustc_hash::FxHashMap<NodeKey, (Contribution, i64)>,
    options: rustc_hash::FxHashMap<OptionKey, Contribution>,
}

impl Sums {
    fn len(&self) -> usize {
        self.by_part.len() + self.options.len()
    }

    fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// Rollup sums gathered over several bulk writes of one transaction (the
/// chunks of a streamed import) and written now and then: the national
/// and provincial rows that every chunk of a file touches are then written
/// once per [`PendingSums::write`], not once per chunk. The units' nodes
/// are kept too: a file names the same units chunk after chunk, and no
/// unit moves while the transaction runs (audited writers take turns: one
/// writer on SQLite, the audit head's row lock on PostgreSQL).
#[derive(Default)]
pub(crate) struct PendingSums {
    sums: Sums,
    nodes: Nodes,
}

impl PendingSums {
    pub(crate) fn add(&mut self, items: &[UnitYearChanges], nodes_of: &Nodes) {
        add_to_sums(items, nodes_of, &mut self.sums);
    }

    /// Rollup rows waiting.
    pub(crate) fn len(&self) -> usize {
        self.sums.len()
    }

    /// The nodes of the items' units ([`bulk_nodes`]), asked of the
    /// database only for units not met before in this transaction.
    pub(crate) async fn nodes(
        &mut self,
        tx: &mut WriteTx,
        items: &[UnitYearChanges],
    ) -> StorageResult<Nodes> {
        let mut missing: Vec<i64> = items
            .iter()
            .map(|i| i.unit_id)
            .filter(|u| !self.nodes.contains_key(u))
            .collect();
        missing.sort_unstable();
        missing.dedup();
        if !missing.is_empty() {
            let mut found = nodes_of_units(tx, &missing).await?;
            for u in missing {
                self.nodes.insert(u, found.remove(&u).unwrap_or_default());
            }
        }
        let mut out = Nodes::default();
        for i in items {
            out.entry(i.unit_id)
                .or_insert_with(|| self.nodes[&i.unit_id].clone());
        }
        Ok(out)
    }

    /// Write the sums gathered (in the transaction they were gathered in).
    pub(crate) async fn write(&mut self, tx: &mut WriteTx) -> StorageResult<()> {
        let sums = std::mem::take(&mut self.sums);
        if sums.is_empty() {
            return Ok(());
        }
        let (n, at) = (sums.len(), std::time::Instant::now());
        let rows = tokio::task::spawn_blocking(move || rows_of(sums))
            .await
            .expect("rollup rows computation");
        write_bulk(tx, rows).await?;
        tracing::debug!(
            rows = n,
            ms = at.elapsed().as_millis() as u64,
            "rollup sums written"
        );
        Ok(())
    }
}

/// Spread the items' changes over their units' nodes, into `sums`.
fn add_to_sums(items: &[UnitYearChanges], nodes_of: &Nodes, sums: &mut Sums) {
    use rustc_hash::FxHashMap;
    // (unit, year, part, approved, indicator) → sum
    let mut by_unit: FxHashMap<(i64, i64, i64, bool, i64), Contribution> = FxHashMap::default();
    for item in items {
        for (ind, c) in &item.changes {
            if c.is_zero() {
                continue;
            }
            let e = by_unit
                .entry((item.unit_id, item.year, item.part, item.approved, *ind))
                .or_default();
            *e = e.minus(c.negate());
        }
    }
    sums.by_part.reserve(by_unit.len());
    for item in items {
        for (ind, option, c) in &item.options {
            if c.is_zero() {
                continue;
            }
            for (node, hist, _) in nodes_of.get(&item.unit_id).into_iter().flatten() {
                let e = sums
                    .options
                    .entry((*node, *hist, *ind, item.year, item.approved, option.clone()))
                    .or_default();
                *e = e.minus(c.negate());
            }
        }
    }
    for ((unit, year, part, approved, ind), c) in by_unit {
        for (node, hist, split) in nodes_of.get(&unit).into_iter().flatten() {
            let e = sums
                .by_part
                .entry((*node, *hist, ind, year, approved, part))
                .or_insert((Contribution::default(), 0));
            e.0 = e.0.minus(c.negate());
            if *split != 0 {
                e.1 += c.n;
            }
        }
    }
}

/// The rows a bulk write adds to `rollup_year`, `rollup_part` and `rollup_option`.
#[derive(Default)]
pub(crate) struct BulkRows {
    year: Vec<Vec<Val>>,
    part: Vec<Vec<Val>>,
    option: Vec<Vec<Val>>,
}

/// One row's values, in [`COLUMNS`] order (then the part, for `rollup_part`).
fn row_values(
    node: i64,
    hist: bool,
    ind: i64,
    year: i64,
    approved: bool,
    c: Contribution,
    split: i64,
) -> Vec<Val> {
    vec![
        Val::Int(ind),
        Val::Int(node),
        Val::Str(if hist { "h" } else { "c" }),
        Val::Int(year),
        Val::Int(i64::from(approved)),
        Val::Int(c.milli),
        Val::Int(c.n),
        Val::Int(c.more),
        Val::Int(c.nearly),
        Val::Int(c.about),
        Val::Int(split),
    ]
}

/// The rows to write for `sums`, in key order: the parts as they are, and
/// the years as the sum of their parts and whole-year reports.
fn rows_of(sums: Sums) -> BulkRows {
    let Sums { by_part, options } = sums;
    let mut keys: Vec<NodeKey> = by_part.keys().copied().collect();
    // In key order: the upserts then walk the B-tree forwards.
    keys.sort_unstable();
    let mut out = BulkRows {
        option: option_rows(options.into_iter().collect()),
        ..BulkRows::default()
    };
    // The year row being summed: its key (node, historical?, indicator,
    // year, approved) and (sum, split).
    type YearSum = ((i64, bool, i64, i64, bool), (Contribution, i64));
    let mut year: Option<YearSum> = None;
    let flush = |year: Option<YearSum>, out: &mut BulkRows| {
        if let Some(((node, hist, ind, y, approved), (c, split))) = year {
            if !c.is_zero() || split != 0 {
                out.year
                    .push(row_values(node, hist, ind, y, approved, c, split));
            }
        }
    };
    for k in keys {
        let (c, split) = by_part[&k];
        let (node, hist, ind, y, approved, part) = k;
        let year_key = (node, hist, ind, y, approved);
        match &mut year {
            Some((key, (sum, s))) if *key == year_key => {
                *sum = sum.minus(c.negate());
                *s += split;
            }
            _ => {
                flush(year.take(), &mut out);
                year = Some((year_key, (c, split)));
            }
        }
        if part != 0 && (!c.is_zero() || split != 0) {
            let mut r = row_values(node, hist, ind, y, approved, c, split);
            r.push(Val::Int(part));
            out.part.push(r);
        }
    }
    flush(year, &mut out);
    out
}

/// The rows of `rollup_option` for its sums, in key order (node, map
/// kind, indicator, year, approved, option), none for a zero sum.
fn option_rows(sums: std::collections::BTreeMap<OptionKey, Contribution>) -> Vec<Vec<Val>> {
    sums.into_iter()
        .filter(|(_, c)| !c.is_zero())
        .map(|((node, hist, ind, year, approved, option), c)| {
            vec![
                Val::Int(ind),
                Val::Int(node),
                Val::Str(if hist { "h" } else { "c" }),
                Val::Int(year),
                Val::Int(i64::from(approved)),
                Val::Text(option),
                Val::Int(c.milli),
                Val::Int(c.n),
                Val::Int(c.more),
                Val::Int(c.nearly),
                Val::Int(c.about),
            ]
        })
        .collect()
}

/// Write rows made by [`bulk_rows`]: parts, years, then options, each in
/// key order (the order every writer locks rollup rows in).
pub(crate) async fn write_bulk(tx: &mut WriteTx, rows: BulkRows) -> StorageResult<()> {
    let part_key = "node_id, map_kind, indicator_id, period_year, period_part, approved";
    let year_key = "node_id, map_kind, indicator_id, period_year, approved";
    let (part_conflict, year_conflict) = (
        on_conflict("rollup_part", part_key, SUMS),
        on_conflict("rollup_year", year_key, SUMS),
    );
    upsert_rows(tx, "rollup_part", PART_COLUMNS, rows.part, &part_conflict).await?;
    upsert_rows(tx, "rollup_year", COLUMNS, rows.year, &year_conflict).await?;
    let option_key = "node_id, map_kind, indicator_id, period_year, approved, option_code";
    let option_conflict = on_conflict("rollup_option", option_key, &SUMS[..SUMS.len() - 1]);
    upsert_rows(
        tx,
        "rollup_option",
        OPTION_COLUMNS,
        rows.option,
        &option_conflict,
    )
    .await
}
