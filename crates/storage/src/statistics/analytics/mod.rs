//! Rollups over any indicators × a unit's subtree × a range of years, by
//! year, half, quarter, month or child unit — computed from the stored values
//! at query time, so a value saved a millisecond ago is in the answer.
//!
//! `map=current` gathers the data of older units into today's units through
//! lineage (`unit_data_map`); `map=historical` answers for units as they were.
//!
//! Award and event indicators take the registers' counts where a unit keeps
//! them (`programmes::figures`): the register's figure replaces the form's
//! for the same reporting unit and year, never added to it, and every row
//! says its `source`. Other indicators read nothing more.

use std::collections::{BTreeMap, HashMap};

use antq_core::indicators::{Aggregation, Qualifier};
use antq_core::periods::{Period, YearRange};
use serde::Serialize;
use sqlx::Row as _;

use crate::db::Db;
use crate::error::StorageResult;
use crate::statistics::catalogue::Indicator;
use crate::units::Unit;
use antq_core::units::Level;

mod from_rollups;
mod options;
use from_rollups::from_rollups;
pub use options::{option_totals, option_totals_from_reports};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum By {
    Year,
    Half,
    Quarter,
    Month,
    Child,
    /// Child unit × year: the national table by province and year.
    ChildYear,
}

impl std::str::FromStr for By {
    type Err = antq_core::DomainError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "year" => Ok(By::Year),
            "half" => Ok(By::Half),
            "quarter" => Ok(By::Quarter),
            "month" => Ok(By::Month),
            "child" => Ok(By::Child),
            "child_year" => Ok(By::ChildYear),
            _ => Err(antq_core::DomainError::invalid(format!(
                "Không có cách chia \"{s}\": chọn theo năm (year), 6 tháng (half), quý (quarter), tháng (month), đơn vị trực thuộc (child) hoặc đơn vị trực thuộc theo năm (child_year)"
            ))),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MapMode {
    Current,
    Historical,
}

impl std::str::FromStr for MapMode {
    type Err = antq_core::DomainError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "current" => Ok(MapMode::Current),
            "historical" => Ok(MapMode::Historical),
            _ => Err(antq_core::DomainError::invalid(format!(
                "\"{s}\" không phải cách quy đổi (current, historical)"
            ))),
        }
    }
}

pub struct Query<'a> {
    pub indicators: &'a [Indicator],
    /// All indicators (to find a ratio's parts).
    pub catalogue: &'a [Indicator],
    pub unit: &'a Unit,
    pub range: YearRange,
    pub by: Option<By>,
    pub map: MapMode,
    pub approved_only: bool,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Row {
    pub indicator: String,
    pub unit: String,
    pub unit_name: String,
    pub period: String,
    /// In the indicator's unit (a ratio in percent); null when no data.
    pub value: Option<f64>,
    pub qualifier: Option<Qualifier>,
    /// The part of `value` from reports not yet approved (when they are included).
    pub unapproved: f64,
    pub flags: Vec<String>,
    /// Where the figure came from: the forms, a register, or both.
    pub source: antq_core::programmes::FigureSource,
    /// When both: the figure of the forms alone (as reported).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub form_value: Option<f64>,
    /// When both: the figure of the registers alone.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub register_value: Option<f64>,
    /// Beside `nguon_tin` / `nguon_tin_gia_tri`: the tips received through
    /// antq's channel by the same unit in the same period (the reported
    /// figure also counts other channels, so it stays the figure).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub channel_value: Option<f64>,
}

/// Where a fact comes from: a form, or a register (alone, or replacing the
/// form of the same reporting unit and year, with or without a difference).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Origin {
    Form,
    Register,
    Paired { differs: bool },
}

/// One stored value (or one register count) as the rollup sees it.
#[derive(Debug, Clone)]
pub(crate) struct Fact {
    pub(crate) indicator_id: i64,
    pub(crate) source_unit: i64,
    /// The unit it counts for (`source_unit`, or today's unit under `map=current`).
    pub(crate) subject: i64,
    pub(crate) period: Period,
    pub(crate) period_end: String,
    pub(crate) approved: bool,
    pub(crate) milli: i64,
    pub(crate) qualifier: Qualifier,
    pub(crate) split: bool,
    pub(crate) child: Option<i64>,
    pub(crate) origin: Origin,
}

#[derive(Debug, Clone, Default)]
pub(crate) struct Acc {
    pub(crate) milli: i64,
    pub(crate) unapproved: i64,
    qualifier: Option<Qualifier>,
    split: bool,
    coarser: bool,
    /// For stocks: per source unit, the latest (period_end, milli, approved, qualifier).
    latest: HashMap<i64, (String, i64, bool, Qualifier)>,
    any: bool,
    /// Form values counted in (a register count is not one).
    pub(crate) n: i64,
    /// A register count is in; one replaced a form value; they differed.
    pub(crate) register: bool,
    pub(crate) both: bool,
    pub(crate) differs: bool,
}

impl Acc {
    pub(crate) fn add(&mut self, f: &Fact, agg: Aggregation, coarser: bool) {
        self.any = true;
        match f.origin {
            Origin::Form => self.n += 1,
            Origin::Register => self.register = true,
            Origin::Paired { differs } => {
                self.register = true;
                self.both = true;
                self.differs |= differs;
            }
        }
        self.split |= f.split;
        self.coarser |= coarser;
        match agg {
            Aggregation::Latest => {
                let e = self
                    .latest
                    .entry(f.source_unit)
                    .or_insert_with(|| (String::new(), 0, true, Qualifier::Exact));
                if f.period_end > e.0 {
                    *e = (f.period_end.clone(), f.milli, f.approved, f.qualifier);
                } else if f.period_end == e.0 {
                    // Breakdown options of the same report add up.
                    e.1 += f.milli;
                    e.2 &= f.approved;
                    e.3 = e.3.combine(f.qualifier);
                }
            }
            _ => {
                self.milli += f.milli;
                if !f.approved {
                    self.unapproved += f.milli;
                }
                self.qualifier = Some(
                    self.qualifier
                        .unwrap_or(Qualifier::Exact)
                        .combine(f.qualifier),
                );
            }
        }
    }

    /// Add pre-summed values (from the rollups).
    fn add_sum(
        &mut self,
        milli: i64,
        n: i64,
        approved: bool,
        [more, nearly, about]: [i64; 3],
        split: i64,
    ) {
        self.any |= n > 0;
        self.n += n;
        self.milli += milli;
        if !approved {
            self.unapproved += milli;
        }
        self.split |= split > 0;
        let mut q = self.qualifier.unwrap_or(Qualifier::Exact);
        for (count, kind) in [
            (more, Qualifier::MoreThan),
            (nearly, Qualifier::Nearly),
            (about, Qualifier::About),
        ] {
            if count > 0 {
                q = q.combine(kind);
            }
        }
        self.qualifier = Some(q);
    }

    fn finish(&mut self, agg: Aggregation) {
        if agg == Aggregation::Latest {
            for (_, (_, m, approved, q)) in self.latest.drain() {
                self.milli += m;
                if !approved {
                    self.unapproved += m;
                }
                self.qualifier = Some(self.qualifier.unwrap_or(Qualifier::Exact).combine(q));
            }
        }
    }
}

/// The unit each value counts for (itself, or its place in today's map),
/// and the approval condition, as SQL over `r` (reports) and `m` (the map).
fn subject_and_approval(q: &Query<'_>) -> (&'static str, &'static str) {
    (
        match q.map {
            MapMode::Historical => "r.unit_id",
            MapMode::Current => "m.current_id",
        },
        if q.approved_only {
            "AND r.state = 'approved'"
        } else {
            ""
        },
    )
}

/// `AND r.period IN (…)` for a list of period codes (validated codes: digits, `S`, `Q`).
pub(crate) fn period_filter(periods: Option<&[String]>) -> String {
    match periods {
        None => String::new(),
        Some(list) => {
            let codes: Vec<String> = list
                .iter()
                .filter(|c| {
                    c.chars()
                        .all(|ch| ch.is_ascii_digit() || ch == 'S' || ch == 'Q')
                })
                .map(|c| format!("'{c}'"))
                .collect();
            if codes.is_empty() {
                // No period: nothing matches (never `IN ()`, which PostgreSQL refuses).
                return "AND 1 = 0".to_string();
            }
            format!("AND r.period IN ({})", codes.join(", "))
        }
    }
}

async fn facts(
    db: &Db,
    q: &Query<'_>,
    ids: &[i64],
    periods: Option<&[String]>,
) -> StorageResult<Vec<Fact>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let (subject, approved) = subject_and_approval(q);
    let sql = format!(
        "SELECT r.unit_id, r.period, r.period_end, r.state, m.split, \
                (SELECT c.id FROM unit_tree t JOIN units c ON c.id = t.ancestor_id \
                  WHERE t.descendant_id = {subject} AND c.parent_id = $1), b.body, {subject} \
         FROM reports r \
         JOIN report_values b ON b.report_id = r.id \
         JOIN unit_data_map m ON m.unit_id = r.unit_id \
         WHERE r.period_year BETWEEN $2 AND $3 {approved} {within} \
           AND {subject} IN (SELECT descendant_id FROM unit_tree WHERE ancestor_id = $1)",
        within = period_filter(periods)
    );
    let rows = sqlx::query(&sql)
        .bind(q.unit.id)
        .bind(i64::from(q.range.from))
        .bind(i64::from(q.range.to))
        .fetch_all(db.pool())
        .await?;
    let mut facts = Vec::new();
    for r in &rows {
        let period: String = r.get(1);
        let period = Period::parse(&period)?;
        let period_end: String = r.get(2);
        let state: String = r.get(3);
        let split: i64 = r.get(4);
        let child: Option<i64> = r.get(5);
        let body: Vec<u8> = r.get(6);
        let subject_id: i64 = r.get(7);
        for e in crate::statistics::report_values::entries(&body)? {
            let e = e?;
            if !ids.contains(&e.indicator_id) {
                continue;
            }
            facts.push(Fact {
                indicator_id: e.indicator_id,
                source_unit: r.get(0),
                subject: subject_id,
                period,
                period_end: period_end.clone(),
                approved: state == "approved",
                milli: e.milli,
                qualifier: e.qualifier,
                split: q.map == MapMode::Current && split != 0,
                child,
                origin: Origin::Form,
            });
        }
    }
    Ok(facts)
}

/// The group a fact falls in, and whether its period is coarser than asked.
pub(crate) fn group_of(f: &Fact, by: Option<By>, range: &YearRange) -> (String, bool) {
    label_of(&f.period, by, range)
}

/// The group a period falls in, and whether it is coarser than asked.
fn label_of(period: &Period, by: Option<By>, range: &YearRange) -> (String, bool) {
    let y = period.year;
    match by {
        None => (range.code(), false),
        Some(By::Year) => (y.to_string(), false),
        Some(By::Half) => match period.half() {
            Some(h) => (format!("{y}S{h}"), false),
            None => (y.to_string(), true),
        },
        Some(By::Quarter) => match period.quarter() {
            Some(qn) => (format!("{y}Q{qn}"), false),
            None => (y.to_string(), true),
        },
        Some(By::Month) => match period.month() {
            Some(m) => (format!("{y}{m:02}"), false),
            None => (y.to_string(), true),
        },
        Some(By::Child) => (range.code(), false),
        Some(By::ChildYear) => (y.to_string(), false),
    }
}

/// The most distinct indicators one rollup request may ask for.
pub const MAX_INDICATORS: usize = 50;
/// The most result cells (unit × period × indicator) one rollup request may ask for.
pub const MAX_CELLS: u64 = 200_000;

/// Refuse more than [`MAX_INDICATORS`] distinct indicators, naming the limit.
pub fn check_indicator_count(n: usize) -> Result<(), antq_core::DomainError> {
    if n > MAX_INDICATORS {
        return Err(antq_core::DomainError::invalid(format!(
            "Yêu cầu có {} chỉ tiêu, tối đa {}",
            antq_core::text::format_int(n as i64),
            antq_core::text::format_int(MAX_INDICATORS as i64)
        )));
    }
    Ok(())
}

/// The number of result cells a rollup may produce at most: rows (the unit,
/// or each of its `children`) × periods in the range × indicators asked.
pub fn planned_cells(q: &Query<'_>, children: u64) -> u64 {
    let years = (i64::from(q.range.to) - i64::from(q.range.from) + 1).max(1) as u64;
    let (units, periods) = match q.by {
        None | Some(By::Year) => (1, years),
        Some(By::Half) => (1, years * 2),
        Some(By::Quarter) => (1, years * 4),
        Some(By::Month) => (1, years * 12),
        Some(By::Child) => (children.max(1), 1),
        Some(By::ChildYear) => (children.max(1), years),
    };
    units
        .saturating_mul(periods)
        .saturating_mul(q.indicators.len().max(1) as u64)
}

/// Check a request's size before running it: at most [`MAX_INDICATORS`]
/// indicators and [`MAX_CELLS`] result cells, else a Vietnamese message
/// that names the limit (the caller answers 422).
pub async fn check_size(db: &Db, q: &Query<'_>) -> StorageResult<()> {
    check_indicator_count(q.indicators.len())?;
    let children: i64 = if matches!(q.by, Some(By::Child) | Some(By::ChildYear)) {
        sqlx::query_scalar("SELECT COUNT(*) FROM units WHERE parent_id = $1")
            .bind(q.unit.id)
            .fetch_one(db.pool())
            .await?
    } else {
        1
    };
    let cells = planned_cells(q, children.max(0) as u64);
    if cells > MAX_CELLS {
        return Err(antq_core::DomainError::invalid(format!(
            "Yêu cầu có {} ô kết quả (đơn vị × kỳ × chỉ tiêu), tối đa {}; hãy chọn ít chỉ tiêu hơn, khoảng năm ngắn hơn hoặc cách chia thô hơn",
            antq_core::text::format_int(cells.min(i64::MAX as u64) as i64),
            antq_core::text::format_int(MAX_CELLS as i64)
        ))
        .into());
    }
    Ok(())
}

/// Run a rollup.
pub async fn run(db: &Db, q: &Query<'_>) -> StorageResult<Vec<Row>> {
    run_within(db, q, None).await
}

/// Run a rollup over only the reports of the given periods (a half-year
/// review: the half, its quarters and months), from the values themselves.
pub async fn run_within(
    db: &Db,
    q: &Query<'_>,
    periods: Option<&[String]>,
) -> StorageResult<Vec<Row>> {
    let mut out = rollup(db, q, periods, Sources::All).await?;
    both_values(db, q, periods, &mut out).await?;
    crate::tips::figures::beside(db, q, &mut out).await?;
    // Distinct counts (model types) come from the registers themselves.
    for ind in q.indicators {
        if crate::registries::figures::is_distinct_feed(ind) && periods.is_none() {
            out.extend(
                crate::registries::figures::distinct_rows(db, q, ind, &names_of(db, q).await?)
                    .await?,
            );
        }
    }
    Ok(out)
}

/// Which facts a rollup reads: everything (a register's count replacing
/// the form of the same unit and year), or one side alone (to show both
/// figures of a row whose source is both).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Sources {
    All,
    FormsOnly,
    RegistersOnly,
}

/// A row made of forms and registers shows each side's own figure too:
/// the same rollup over the forms alone and over the registers alone, for
/// the indicators with such rows.
async fn both_values(
    db: &Db,
    q: &Query<'_>,
    periods: Option<&[String]>,
    out: &mut [Row],
) -> StorageResult<()> {
    let mut codes: Vec<&str> = out
        .iter()
        .filter(|r| r.source == antq_core::programmes::FigureSource::Both)
        .map(|r| r.indicator.as_str())
        .collect();
    if codes.is_empty() {
        return Ok(());
    }
    codes.sort_unstable();
    codes.dedup();
    let subset: Vec<Indicator> = q
        .indicators
        .iter()
        .filter(|i| codes.contains(&i.code.as_str()))
        .cloned()
        .collect();
    let sub = Query {
        indicators: &subset,
        catalogue: q.catalogue,
        unit: q.unit,
        range: q.range,
        by: q.by,
        map: q.map,
        approved_only: q.approved_only,
    };
    let key = |r: &Row| (r.indicator.clone(), r.unit.clone(), r.period.clone());
    let side = |rows: Vec<Row>| -> HashMap<(String, String, String), Option<f64>> {
        rows.iter().map(|r| (key(r), r.value)).collect()
    };
    let form_rows = rollup(db, &sub, periods, Sources::FormsOnly).await?;
    // The forms' figures that could not be broken down into the periods
    // asked (a yearly report, by quarter): (indicator, unit, year).
    let whole_years: std::collections::HashSet<(String, String, String)> = form_rows
        .iter()
        .filter(|r| r.flags.iter().any(|f| f == "period_not_broken_down"))
        .map(key)
        .collect();
    let forms = side(form_rows);
    let registers = side(rollup(db, &sub, periods, Sources::RegistersOnly).await?);
    for row in out
        .iter_mut()
        .filter(|r| r.source == antq_core::programmes::FigureSource::Both)
    {
        let k = key(row);
        let year = row.period.get(..4).unwrap_or_default().to_string();
        let form_whole_year = !forms.contains_key(&k)
            && whole_years.contains(&(row.indicator.clone(), row.unit.clone(), year));
        // The report's figure is for the whole year: not a figure of this
        // quarter or month (it is not shown as if the report said 0).
        row.form_value = if form_whole_year {
            None
        } else {
            Some(forms.get(&k).copied().flatten().unwrap_or(0.0))
        };
        row.register_value = Some(registers.get(&k).copied().flatten().unwrap_or(0.0));
    }
    Ok(())
}

/// The names of the asked unit and, for by=child, of its children.
async fn names_of(db: &Db, q: &Query<'_>) -> StorageResult<HashMap<i64, (String, String)>> {
    let mut names: HashMap<i64, (String, String)> = HashMap::new();
    names.insert(q.unit.id, (q.unit.code.clone(), q.unit.name.clone()));
    if matches!(q.by, Some(By::Child) | Some(By::ChildYear)) {
        let rows = sqlx::query("SELECT id, code, name FROM units WHERE parent_id = $1")
            .bind(q.unit.id)
            .fetch_all(db.pool())
            .await?;
        for r in rows {
            names.insert(r.get(0), (r.get(1), r.get(2)));
        }
    }
    Ok(names)
}

/// The rows of a rollup over the chosen sources.
async fn rollup(
    db: &Db,
    q: &Query<'_>,
    periods: Option<&[String]>,
    sources: Sources,
) -> StorageResult<Vec<Row>> {
    // Stored indicators needed: those asked, and the parts of asked ratios.
    let mut needed: Vec<&Indicator> = Vec::new();
    for i in q.indicators {
        if i.aggregation == Aggregation::Ratio {
            for part in [&i.numerator, &i.denominator].into_iter().flatten() {
                if let Some(p) = q.catalogue.iter().find(|c| &c.code == part) {
                    needed.push(p);
                }
            }
        } else {
            needed.push(i);
        }
    }
    needed.sort_by_key(|i| i.id);
    needed.dedup_by_key(|i| i.id);
    // Flows come from the rollups; stocks from the values themselves.
    // Halves, quarters and months come from the rollups too, except for a
    // commune (no node of its own: its few hundred reports are read).
    let fast_by = periods.is_none()
        && match q.by {
            None | Some(By::Year) | Some(By::Child) | Some(By::ChildYear) => true,
            Some(By::Half) | Some(By::Quarter) | Some(By::Month) => q.unit.level != Level::Commune,
        };
    let (fast, raw): (Vec<&Indicator>, Vec<&Indicator>) = needed
        .iter()
        .partition(|i| fast_by && i.aggregation == Aggregation::Sum);
    let raw_ids: Vec<i64> = raw.iter().map(|i| i.id).collect();
    let fast_ids: Vec<i64> = fast.iter().map(|i| i.id).collect();
    // Register counts (awards, events) only when an indicator they feed is asked.
    let registered = match sources {
        Sources::FormsOnly => None,
        _ => crate::programmes::figures::gather(db, q, &needed, periods).await?,
    };
    let (mut facts, mut pre) = match sources {
        Sources::RegistersOnly => (Vec::new(), BTreeMap::new()),
        _ => (
            facts(db, q, &raw_ids, periods).await?,
            from_rollups(db, q, &fast_ids).await?,
        ),
    };
    if let Some(reg) = &registered {
        crate::programmes::figures::apply(reg, q, &fast_ids, &mut facts, &mut pre);
    }
    let names = names_of(db, q).await?;

    // (indicator id, group label, unit id) → accumulator
    let mut accs: BTreeMap<(i64, String, i64), Acc> = BTreeMap::new();
    let agg_of: HashMap<i64, Aggregation> = needed.iter().map(|i| (i.id, i.aggregation)).collect();
    for f in &facts {
        let (label, coarser) = group_of(f, q.by, &q.range);
        let unit = match q.by {
            Some(By::Child) | Some(By::ChildYear) => f.child.unwrap_or(q.unit.id),
            _ => q.unit.id,
        };
        let agg = agg_of
            .get(&f.indicator_id)
            .copied()
            .unwrap_or(Aggregation::Sum);
        accs.entry((f.indicator_id, label, unit))
            .or_default()
            .add(f, agg, coarser);
    }
    for ((iid, _, _), acc) in accs.iter_mut() {
        acc.finish(agg_of.get(iid).copied().unwrap_or(Aggregation::Sum));
    }
    accs.extend(pre);

    let mut groups: Vec<(String, i64)> = accs.keys().map(|(_, g, u)| (g.clone(), *u)).collect();
    groups.sort();
    groups.dedup();
    let mut out = Vec::new();
    for ind in q.indicators {
        for (label, unit) in &groups {
            let (code, name) = names.get(unit).cloned().unwrap_or_default();
            let row = if ind.aggregation == Aggregation::Ratio {
                let part = |c: &Option<String>| {
                    c.as_ref()
                        .and_then(|c| q.catalogue.iter().find(|i| &i.code == c))
                        .and_then(|i| accs.get(&(i.id, label.clone(), *unit)))
                };
                let (num, den) = (part(&ind.numerator), part(&ind.denominator));
                let Some(den) = den.filter(|d| d.milli > 0) else {
                    continue;
                };
                let num_milli = num.map(|n| n.milli).unwrap_or(0);
                let mut flags = Vec::new();
                if den.split || num.is_some_and(|n| n.split) {
                    flags.push("includes_split_units".to_string());
                }
                if den.unapproved > 0 || num.is_some_and(|n| n.unapproved > 0) {
                    flags.push("includes_unapproved".to_string());
                }
                let qual = den
                    .qualifier
                    .unwrap_or(Qualifier::Exact)
                    .combine(num.and_then(|n| n.qualifier).unwrap_or(Qualifier::Exact));
                let source = crate::programmes::figures::source_of(&[Some(den), num]);
                crate::programmes::figures::flag(&[Some(den), num], &mut flags);
                Row {
                    indicator: ind.code.clone(),
                    unit: code,
                    unit_name: name,
                    period: label.clone(),
                    value: Some((num_milli as f64 / den.milli as f64 * 1000.0).round() / 10.0),
                    qualifier: qual.non_exact(),
                    unapproved: 0.0,
                    flags,
                    source,
                    form_value: None,
                    register_value: None,
                    channel_value: None,
                }
            } else {
                let Some(acc) = accs.get(&(ind.id, label.clone(), *unit)) else {
                    continue;
                };
                let mut flags = Vec::new();
                if acc.split {
                    flags.push("includes_split_units".to_string());
                }
                if acc.unapproved > 0 {
                    flags.push("includes_unapproved".to_string());
                }
                if acc.coarser {
                    flags.push("period_not_broken_down".to_string());
                }
                crate::programmes::figures::flag(&[Some(acc)], &mut flags);
                Row {
                    indicator: ind.code.clone(),
                    unit: code,
                    unit_name: name,
                    period: label.clone(),
                    value: acc.any.then_some(acc.milli as f64 / 1000.0),
                    qualifier: acc.qualifier.and_then(Qualifier::non_exact),
                    unapproved: acc.unapproved as f64 / 1000.0,
                    flags,
                    source: crate::programmes::figures::source_of(&[Some(acc)]),
                    form_value: None,
                    register_value: None,
                    channel_value: None,
                }
            };
            out.push(row);
        }
    }
    Ok(out)
}
