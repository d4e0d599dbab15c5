//! The figures the registries give to analytics: counts from the award
//! register (accepted recipients of decided awards, by the form's
//! indicator and the recipient kind) and from the events (Ngày hội sites,
//! forums and their attendance), per unit and year, paired with the
//! reported form values of the same unit and year.
//!
//! Pairing: a register count of a unit belongs to its *reporting unit* for
//! the year: the nearest unit at or above it (within the asked subtree)
//! that reported the indicator in a form that year, else the unit itself.
//! Where the reporting unit reported and the register counts too, the
//! register's figure replaces the form's (never both added), and the pair
//! is marked so the analytics row says `both` and flags any difference.

use std::collections::{BTreeMap, HashMap};

use antq_core::indicators::Aggregation;
use antq_core::periods::Period;

use crate::db::Db;
use crate::error::StorageResult;
use crate::statistics::analytics::{period_filter, MapMode, Query};
use crate::statistics::catalogue::Indicator;

/// The catalogue group whose indicators the award register feeds (through
/// `award_forms.indicator`).
pub const AWARD_GROUP: &str = "khen_thuong";

/// What an event indicator counts: (indicator, conference kind, attendance?).
pub const EVENT_FEEDS: [(&str, &str, bool); 3] = [
    ("ngay_hoi", "ngay_hoi", false),
    ("dd_so", "dien_dan", false),
    ("dd_luot", "dien_dan", true),
];

/// Does a register feed this indicator?
pub fn is_register_fed(i: &Indicator) -> bool {
    i.aggregation != Aggregation::Ratio
        && i.aggregation != Aggregation::Distinct
        && (i.group == AWARD_GROUP
            || EVENT_FEEDS.iter().any(|(c, _, _)| *c == i.code)
            || crate::registries::figures::CELL_FEEDS.contains(&i.code.as_str()))
}

/// One count of a register for one unit, year (and month when known) and option.
#[derive(Debug, Clone)]
pub struct RegCell {
    pub indicator_id: i64,
    /// The unit it counts for (as it was, or today's unit under `map=current`).
    pub subject: i64,
    /// The child of the asked unit it lies under (None: the unit itself).
    pub child: Option<i64>,
    pub year: i32,
    pub month: Option<u8>,
    /// `tap_the` / `ca_nhan` for awards, empty for events.
    pub option: String,
    pub milli: i64,
    /// The units at or above `subject` within the asked subtree, with how
    /// far above it they are (0: itself), nearest first.
    pub(crate) candidates: Vec<(i64, i64)>,
}

impl RegCell {
    /// The period it falls in: its month when known, else its year.
    pub fn period(&self) -> Period {
        self.month
            .and_then(|m| Period::new(self.year, antq_core::periods::PeriodType::Month, m).ok())
            .unwrap_or_else(|| Period::year(self.year))
    }
}

/// One reported value of a unit that also has register counts.
#[derive(Debug, Clone)]
pub struct FormFact {
    pub indicator_id: i64,
    pub subject: i64,
    pub child: Option<i64>,
    pub period: Period,
    pub approved: bool,
    pub milli: i64,
    pub option: String,
}

/// The register counts of a request, paired with the forms.
#[derive(Debug, Clone, Default)]
pub struct Registered {
    pub cells: Vec<RegCell>,
    /// The form values the register replaces (reporting unit, year and
    /// indicator with register counts).
    pub replaced_forms: Vec<FormFact>,
    /// (reporting unit, year, indicator) → (register, form) in thousandths,
    /// for the pairs where both exist.
    pub both: HashMap<(i64, i32, i64), (i64, i64)>,
    /// The reporting unit each cell was paired with (index as `cells`).
    pub reporting: Vec<i64>,
}

impl Registered {
    /// Is this (subject, year, indicator) a pair where the register replaces the form?
    pub fn replaces(&self, subject: i64, year: i32, indicator_id: i64) -> bool {
        self.both.contains_key(&(subject, year, indicator_id))
    }
}

fn subject_sql(map: MapMode) -> &'static str {
    match map {
        MapMode::Historical => "x.unit_id",
        MapMode::Current => "m.current_id",
    }
}

/// Quote validated indicator codes (`[a-z0-9_]`) for an `IN` list.
fn code_list(codes: &[&str]) -> String {
    let safe: Vec<String> = codes
        .iter()
        .filter(|c| {
            !c.is_empty()
                && c.chars()
                    .all(|ch| ch.is_ascii_lowercase() || ch.is_ascii_digit() || ch == '_')
        })
        .map(|c| format!("'{c}'"))
        .collect();
    if safe.is_empty() {
        "NULL".into()
    } else {
        safe.join(", ")
    }
}

/// Is a register cell inside the asked periods (a half-year review)?
fn within(cell: &RegCell, periods: Option<&[String]>) -> bool {
    let Some(list) = periods else { return true };
    let p = cell.period();
    let mut codes = vec![Period::year(cell.year).code()];
    if p.month().is_some() {
        let m = p.index;
        codes.push(p.code());
        codes.push(format!("{}Q{}", cell.year, (m - 1) / 3 + 1));
        codes.push(format!("{}S{}", cell.year, (m - 1) / 6 + 1));
    }
    list.iter().any(|c| codes.contains(c))
}

type Key = (i64, i64, i32, Option<u8>, String);
/// indicator, subject, ancestor, depth, year, month, option, thousandths
pub(crate) type Grouped = (i64, i64, i64, i64, i32, Option<u8>, String, i64);
/// indicator code, subject, ancestor, depth, year, decided on, recipient kind, count
type AwardRow = (String, i64, i64, i64, i64, Option<String>, String, i64);
/// kind, subject, ancestor, depth, held on, count, attendance, counted attendances
type EventRow = (String, i64, i64, i64, String, i64, i64, i64);
/// subject, period, state, child, values
type FormRow = (i64, String, String, Option<i64>, Vec<u8>);

/// Fold grouped rows (indicator, subject, ancestor, depth, year, month,
/// option, milli) into cells with their candidates. Each ancestor repeats
/// the same records, so a cell adds up the rows of its first ancestor only
/// (several days of one month are several rows of one cell).
pub(crate) fn fold(rows: Vec<Grouped>) -> Vec<RegCell> {
    let mut cells: BTreeMap<Key, RegCell> = BTreeMap::new();
    for (ind, subject, ancestor, depth, year, month, option, milli) in rows {
        let c = cells
            .entry((ind, subject, year, month, option.clone()))
            .or_insert_with(|| RegCell {
                indicator_id: ind,
                subject,
                child: None,
                year,
                month,
                option,
                milli: 0,
                candidates: vec![(ancestor, depth)],
            });
        if c.candidates[0].0 == ancestor {
            c.milli += milli;
        } else if !c.candidates.iter().any(|(a, _)| *a == ancestor) {
            c.candidates.push((ancestor, depth));
        }
    }
    let mut out: Vec<RegCell> = cells.into_values().collect();
    for c in &mut out {
        c.candidates.sort_by_key(|(_, d)| *d);
        // The deepest candidate is the asked unit; the one above it, its child.
        let n = c.candidates.len();
        c.child = (n >= 2).then(|| c.candidates[n - 2].0);
    }
    out
}

/// The award register's counts for the asked award indicators: one grouped query.
async fn award_cells(db: &Db, q: &Query<'_>, fed: &[&Indicator]) -> StorageResult<Vec<RegCell>> {
    let codes: Vec<&str> = fed
        .iter()
        .filter(|i| i.group == AWARD_GROUP)
        .map(|i| i.code.as_str())
        .collect();
    if codes.is_empty() {
        return Ok(Vec::new());
    }
    let subject = subject_sql(q.map);
    let sql = format!(
        "SELECT f.indicator, {subject}, t.ancestor_id, t.depth, x.year, x.decided_on, r.kind, COUNT(*) \
         FROM awards x \
         JOIN award_recipients r ON r.award_id = x.id \
         JOIN award_forms f ON f.id = x.form_id \
         JOIN unit_data_map m ON m.unit_id = x.unit_id \
         JOIN unit_tree t ON t.descendant_id = {subject} \
         WHERE x.state = 'decided' AND r.state = 'accepted' AND f.indicator IN ({codes}) \
           AND x.year BETWEEN $2 AND $3 \
           AND t.ancestor_id IN (SELECT descendant_id FROM unit_tree WHERE ancestor_id = $1) \
         GROUP BY f.indicator, {subject}, t.ancestor_id, t.depth, x.year, x.decided_on, r.kind",
        codes = code_list(&codes)
    );
    let rows: Vec<AwardRow> = sqlx::query_as(&sql)
        .bind(q.unit.id)
        .bind(i64::from(q.range.from))
        .bind(i64::from(q.range.to))
        .fetch_all(db.pool())
        .await?;
    let id_of: HashMap<&str, i64> = fed.iter().map(|i| (i.code.as_str(), i.id)).collect();
    Ok(fold(
        rows.into_iter()
            .filter_map(|(code, s, a, d, year, decided, kind, n)| {
                let ind = *id_of.get(code.as_str())?;
                // The decision's month, when its date is known and in its year.
                let month = decided
                    .filter(|d| d.get(..4) == Some(year.to_string().as_str()))
                    .and_then(|d| d.get(5..7).and_then(|m| m.parse::<u8>().ok()));
                Some((ind, s, a, d, year as i32, month, kind, n * 1000))
            })
            .collect(),
    ))
}

/// The reporting year of a date (15/12 starts the next year), and its month.
fn reporting_year(date: &str) -> Option<(i32, u8)> {
    let y: i32 = date.get(..4)?.parse().ok()?;
    let m: u8 = date.get(5..7)?.parse().ok()?;
    let d: u8 = date.get(8..10)?.parse().ok()?;
    Some(if m == 12 && d >= 15 {
        (y + 1, m)
    } else {
        (y, m)
    })
}

/// The events' counts (and attendance) for the asked event indicators.
async fn event_cells(db: &Db, q: &Query<'_>, fed: &[&Indicator]) -> StorageResult<Vec<RegCell>> {
    let feeds: Vec<(i64, &str, bool)> = EVENT_FEEDS
        .iter()
        .filter_map(|(code, kind, attendance)| {
            let i = fed.iter().find(|i| i.code == *code)?;
            Some((i.id, *kind, *attendance))
        })
        .collect();
    if feeds.is_empty() {
        return Ok(Vec::new());
    }
    let kinds: Vec<&str> = feeds.iter().map(|(_, k, _)| *k).collect();
    let subject = subject_sql(q.map);
    // Reporting years: from 15/12 of the year before `from` to 14/12 of `to`.
    let sql = format!(
        "SELECT x.kind, {subject}, t.ancestor_id, t.depth, x.held_on, COUNT(*), \
                CAST(COALESCE(SUM(x.attendance), 0) AS BIGINT), COUNT(x.attendance) \
         FROM conferences x \
         JOIN unit_data_map m ON m.unit_id = x.unit_id \
         JOIN unit_tree t ON t.descendant_id = {subject} \
         WHERE x.kind IN ({kinds}) AND x.held_on >= $2 AND x.held_on <= $3 \
           AND t.ancestor_id IN (SELECT descendant_id FROM unit_tree WHERE ancestor_id = $1) \
         GROUP BY x.kind, {subject}, t.ancestor_id, t.depth, x.held_on",
        kinds = code_list(&kinds)
    );
    let rows: Vec<EventRow> = sqlx::query_as(&sql)
        .bind(q.unit.id)
        .bind(format!("{}-12-15", q.range.from - 1))
        .bind(format!("{}-12-14", q.range.to))
        .fetch_all(db.pool())
        .await?;
    let mut out = Vec::new();
    for (kind, s, a, d, held_on, n, attendance, with_attendance) in rows {
        let Some((year, month)) = reporting_year(&held_on) else {
            continue;
        };
        for (ind, k, counts_attendance) in &feeds {
            if *k != kind {
                continue;
            }
            let milli = match counts_attendance {
                false => n * 1000,
                true if with_attendance > 0 => attendance * 1000,
                true => continue,
            };
            out.push((*ind, s, a, d, year, Some(month), String::new(), milli));
        }
    }
    Ok(fold(out))
}

/// The reported values of the candidate units for the register-fed
/// indicators, on the request's approval and period rules.
async fn form_facts(
    db: &Db,
    q: &Query<'_>,
    ids: &[i64],
    units: &[i64],
    periods: Option<&[String]>,
) -> StorageResult<Vec<FormFact>> {
    let subject = match q.map {
        MapMode::Historical => "r.unit_id",
        MapMode::Current => "m.current_id",
    };
    let approved = if q.approved_only {
        "AND r.state = 'approved'"
    } else {
        ""
    };
    let sql = format!(
        "SELECT {subject}, r.period, r.state, \
                (SELECT c.id FROM unit_tree t JOIN units c ON c.id = t.ancestor_id \
                  WHERE t.descendant_id = {subject} AND c.parent_id = $1), b.body \
         FROM reports r JOIN report_values b ON b.report_id = r.id \
         JOIN unit_data_map m ON m.unit_id = r.unit_id \
         WHERE {subject} IN ({units}) AND r.period_year BETWEEN $2 AND $3 {approved} {within}",
        units = crate::db::id_list(units),
        within = period_filter(periods)
    );
    let rows: Vec<FormRow> = sqlx::query_as(&sql)
        .bind(q.unit.id)
        .bind(i64::from(q.range.from))
        .bind(i64::from(q.range.to))
        .fetch_all(db.pool())
        .await?;
    let mut out = Vec::new();
    for (s, period, state, child, body) in &rows {
        let period = Period::parse(period)?;
        for e in crate::statistics::report_values::entries(body)? {
            let e = e?;
            if ids.contains(&e.indicator_id) {
                out.push(FormFact {
                    indicator_id: e.indicator_id,
                    subject: *s,
                    child: *child,
                    period,
                    approved: state == "approved",
                    milli: e.milli,
                    option: e.option.to_string(),
                });
            }
        }
    }
    Ok(out)
}

/// The register counts for a request, paired with the forms; `None` (and
/// no query at all) when no asked indicator is fed by a register.
pub async fn gather(
    db: &Db,
    q: &Query<'_>,
    needed: &[&Indicator],
    periods: Option<&[String]>,
) -> StorageResult<Option<Registered>> {
    let fed: Vec<&Indicator> = needed
        .iter()
        .copied()
        .filter(|i| is_register_fed(i))
        .collect();
    if fed.is_empty() {
        return Ok(None);
    }
    let mut cells = award_cells(db, q, &fed).await?;
    cells.extend(event_cells(db, q, &fed).await?);
    cells.extend(crate::registries::figures::cells(db, q, &fed).await?);
    cells.retain(|c| within(c, periods));
    if cells.is_empty() {
        return Ok(None);
    }
    let mut units: Vec<i64> = cells
        .iter()
        .flat_map(|c| c.candidates.iter().map(|(a, _)| *a))
        .collect();
    units.sort_unstable();
    units.dedup();
    // Indicators never on a form (recognitions, classification bands) have
    // no reported values to pair with.
    let ids: Vec<i64> = fed
        .iter()
        .filter(|i| !antq_core::indicators::register_only(&i.code))
        .map(|i| i.id)
        .collect();
    let forms = if ids.is_empty() {
        Vec::new()
    } else {
        form_facts(db, q, &ids, &units, periods).await?
    };
    Ok(Some(pair(cells, forms)))
}

/// Pair each register cell with its reporting unit and keep the form
/// values it replaces.
fn pair(cells: Vec<RegCell>, forms: Vec<FormFact>) -> Registered {
    // (unit, year, indicator) → form total
    let mut reported: HashMap<(i64, i32, i64), i64> = HashMap::new();
    for f in &forms {
        *reported
            .entry((f.subject, f.period.year, f.indicator_id))
            .or_default() += f.milli;
    }
    let mut reporting = Vec::with_capacity(cells.len());
    let mut both: HashMap<(i64, i32, i64), (i64, i64)> = HashMap::new();
    for c in &cells {
        let rho = c
            .candidates
            .iter()
            .find(|(a, _)| reported.contains_key(&(*a, c.year, c.indicator_id)))
            .map(|(a, _)| *a);
        reporting.push(rho.unwrap_or(c.subject));
        if let Some(rho) = rho {
            let form = reported[&(rho, c.year, c.indicator_id)];
            both.entry((rho, c.year, c.indicator_id))
                .or_insert((0, form))
                .0 += c.milli;
        }
    }
    let replaced_forms = forms
        .into_iter()
        .filter(|f| both.contains_key(&(f.subject, f.period.year, f.indicator_id)))
        .collect();
    Registered {
        cells,
        replaced_forms,
        both,
        reporting,
    }
}
