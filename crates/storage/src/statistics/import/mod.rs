//! Importing values from files (long CSV, Excel templates, DHIS2
//! dataValueSets), all or nothing: every row is checked first and **every**
//! problem is reported with its place; only a clean file is written, in one
//! transaction. A dry run reports what would change and writes nothing.

use std::collections::HashMap;

use rustc_hash::{FxHashMap, FxHashSet};

use antq_core::auth::Action;
use antq_core::dates::{self, Date};
use antq_core::imports::NumberStyle;
use antq_core::indicators::{Qualifier, SCALE};
use antq_core::periods::{Period, PeriodType};
use antq_core::units::UnitCode;
use serde::Serialize;

use crate::accounts::access::{self, Actor};
use crate::audit::Who;
use crate::db::Db;
use crate::error::{StorageError, StorageResult};
use crate::statistics::catalogue::{self, Form};
use crate::statistics::reports::{self, Changes, ValueInput};
use crate::units::{self, Unit};
use crate::WriteTx;

mod stream;
pub use stream::run_stream;
use stream::Given;

pub use antq_core::imports::{ErrorList, ImportRow, ImportRows, RawValue, RowRef, ValueRef};

#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct ImportSummary {
    pub dry_run: bool,
    pub rows: usize,
    pub reports: usize,
    #[serde(flatten)]
    pub changes: Changes,
}

/// Rows between two yields to the runtime while checking a file.
const YIELD_EVERY: usize = 8_192;

/// Why a row's form or period did not resolve; the message is written only
/// when the error is listed.
#[derive(Clone, Copy)]
enum Unresolved {
    Period,
    Form,
    NoForm(Period),
    FormPeriod(u32),
    /// The period starts after the last day reports may be opened.
    NotStarted(u32, Date),
}

impl Unresolved {
    fn message(self, row: &RowRef<'_>, forms: &[Form]) -> String {
        match self {
            Unresolved::Period => Period::parse(row.period)
                .err()
                .map(|e| e.to_string())
                .unwrap_or_default(),
            Unresolved::Form => format!("biểu mẫu \"{}\" không có", row.form.unwrap_or_default()),
            Unresolved::NoForm(period) => format!(
                "không có biểu mẫu nào báo cáo chỉ tiêu \"{}\" theo kỳ {}",
                row.key,
                period.code()
            ),
            Unresolved::FormPeriod(form) => {
                reports::check_period(&forms[form as usize], row.period)
                    .err()
                    .map(|e| e.to_string())
                    .unwrap_or_default()
            }
            Unresolved::NotStarted(form, opens_until) => {
                let form = &forms[form as usize];
                match reports::check_period(form, row.period) {
                    Ok((p, start, _)) => format!(
                        "Chưa đến kỳ báo cáo: {} bắt đầu ngày {}; hôm nay chỉ nhập được các kỳ bắt đầu từ ngày {} trở về trước",
                        p.words_with_dates_vi(form.calendar),
                        antq_core::dates::format_vi(start),
                        antq_core::dates::format_vi(opens_until)
                    ),
                    Err(e) => e.to_string(),
                }
            }
        }
    }
}

/// One report an import writes. The form is an index into the import's
/// `forms`, never a copy: a form carries its rules and indicators, and an
/// import may touch thousands of reports.
struct Target {
    form_ix: usize,
    unit: Unit,
    period: String,
    /// The period, parsed (the report's key in [`Given`]).
    parsed: Period,
}

/// The groups of rows one chunk of a file writes: a report, its values.
type Groups = Vec<(Target, Vec<ValueInput>)>;

/// Check every row, then (unless `dry_run`) write them all in one transaction.
/// With an actor, each unit must be one the actor enters data for.
///
/// What many rows share is checked once: the form of an indicator and period
/// type, a period for a form, a unit code at a date, a form for a unit, the
/// actor's right; each row still gets its own message with its own place.
///
/// `rows` are those a reader made ([`ImportRows`], compact), or a vector of
/// [`ImportRow`]s (tests, small imports).
pub async fn run(
    db: &Db,
    actor: Option<&Actor>,
    who: &Who,
    rows: impl Into<ImportRows>,
    dry_run: bool,
) -> StorageResult<ImportSummary> {
    run_rows(db, actor, who, rows.into(), dry_run, None).await
}

/// [`run`] for people at work: a period that starts after `opens_until`
/// (today plus the early-entry margin) is refused row by row, as the entry
/// page refuses it.
pub async fn run_opening(
    db: &Db,
    actor: Option<&Actor>,
    who: &Who,
    rows: impl Into<ImportRows>,
    dry_run: bool,
    opens_until: Date,
) -> StorageResult<ImportSummary> {
    run_rows(db, actor, who, rows.into(), dry_run, Some(opens_until)).await
}

async fn run_rows(
    db: &Db,
    actor: Option<&Actor>,
    who: &Who,
    rows: ImportRows,
    dry_run: bool,
    opens_until: Option<Date>,
) -> StorageResult<ImportSummary> {
    let started = std::time::Instant::now();
    let forms = load_forms(db).await?;
    let n = rows.len();
    let mut file = FileCheck::new(&forms, opens_until);
    let groups = file.check(db, actor, &rows).await?;
    let checked = started.elapsed();
    let (changes, written) = write_groups(
        db,
        who,
        &forms,
        &groups,
        file.errors,
        rows,
        dry_run,
        started,
    )
    .await?;
    tracing::info!(
        rows = n,
        reports = groups.len(),
        checked_ms = checked.as_millis() as u64,
        written_ms = (written - checked).as_millis() as u64,
        committed_ms = (started.elapsed() - written).as_millis() as u64,
        dry_run,
        "import"
    );
    let reports = groups.len();
    std::thread::spawn(move || drop(groups));
    Ok(ImportSummary {
        dry_run,
        rows: n,
        reports,
        changes,
    })
}

/// What the check of a file keeps from one chunk to the next: the errors,
/// the units looked up, the keys each report was given.
struct FileCheck<'f> {
    forms: &'f [Form],
    opens_until: Option<Date>,
    errors: ErrorList,
    /// Unit code → its versions (none: no such code), looked up once.
    versions: HashMap<String, Vec<Unit>>,
    given: Given,
    rows: usize,
}

impl<'f> FileCheck<'f> {
    fn new(forms: &'f [Form], opens_until: Option<Date>) -> FileCheck<'f> {
        FileCheck {
            forms,
            opens_until,
            errors: ErrorList::new(),
            versions: HashMap::new(),
            given: Given::default(),
            rows: 0,
        }
    }

    /// Check the rows of one chunk: the reports they write with their
    /// values; every problem is added to the errors.
    async fn check(
        &mut self,
        db: &Db,
        actor: Option<&Actor>,
        rows: &ImportRows,
    ) -> StorageResult<Groups> {
        self.rows += rows.len();
        let Resolved { resolved, wanted } = resolve_rows(rows, self.forms, self.opens_until).await;
        let units_at = units_at_ends(db, &wanted, &mut self.versions).await?;
        drop(wanted);
        let mut grouping = Grouping {
            errors: std::mem::take(&mut self.errors),
            ..Grouping::default()
        };
        for (row_no, (row, res)) in rows.iter().zip(resolved).enumerate() {
            if row_no % YIELD_EVERY == YIELD_EVERY - 1 {
                tokio::task::yield_now().await;
            }
            grouping
                .add(
                    db,
                    actor,
                    self.forms,
                    &units_at,
                    rows,
                    row_no,
                    row,
                    res,
                    &mut self.given,
                )
                .await?;
        }
        let Grouping { errors, groups, .. } = grouping;
        self.errors = errors;
        Ok(groups)
    }
}

/// Every form of the catalogue, with its indicators and rules.
async fn load_forms(db: &Db) -> StorageResult<Vec<Form>> {
    let mut forms: Vec<Form> = Vec::new();
    for (code, _) in catalogue::form_codes(db).await? {
        forms.push(catalogue::form(db, &code).await?);
    }
    Ok(forms)
}

/// What the first pass found: the form, period and last day of each row
/// (20 bytes a row), and the (unit code, last day) pairs to look up.
struct Resolved<'r> {
    resolved: Vec<Result<(u32, Period, Date), Unresolved>>,
    wanted: FxHashSet<(&'r str, Date)>,
}

/// Pass 1: the form of each row (named, or the one reporting its indicator
/// by its period type) and its period. Only what parses is remembered; a
/// row that does not resolve keeps a small reason, and its message is
/// written only if it will be listed, so a file of garbage costs no string
/// per row.
/// A period with its first and last day.
type PeriodDates = (Period, Date, Date);

async fn resolve_rows<'r>(
    rows: &'r ImportRows,
    forms: &[Form],
    opens_until: Option<Date>,
) -> Resolved<'r> {
    let form_by_code: FxHashMap<&str, usize> = forms
        .iter()
        .enumerate()
        .map(|(i, f)| (f.code.as_str(), i))
        .collect();
    let mut parsed_periods: FxHashMap<&str, Period> = FxHashMap::default();
    let mut implied_form: FxHashMap<(&str, PeriodType), Option<usize>> = FxHashMap::default();
    // Period checks per (form, period): (period, first and last day), or
    // `None` if refused.
    let mut checked_periods: FxHashMap<(usize, &str), Option<PeriodDates>> = FxHashMap::default();
    let mut out = Resolved {
        resolved: Vec::with_capacity(rows.len()),
        wanted: FxHashSet::default(),
    };
    for (row_no, row) in rows.iter().enumerate() {
        if row_no % YIELD_EVERY == YIELD_EVERY - 1 {
            // A large file does not keep this worker from other requests.
            tokio::task::yield_now().await;
        }
        let period = match parsed_periods.get(row.period) {
            Some(p) => *p,
            None => match Period::parse(row.period) {
                Ok(p) => {
                    parsed_periods.insert(row.period, p);
                    p
                }
                Err(_) => {
                    out.resolved.push(Err(Unresolved::Period));
                    continue;
                }
            },
        };
        let form = match form_of(&row, period, forms, &form_by_code, &mut implied_form) {
            Ok(f) => f,
            Err(why) => {
                out.resolved.push(Err(why));
                continue;
            }
        };
        let checked = *checked_periods
            .entry((form, row.period))
            .or_insert_with(|| reports::check_period(&forms[form], row.period).ok());
        match checked {
            Some((_, start, _)) if opens_until.is_some_and(|last| start > last) => {
                let last = opens_until.expect("checked just above");
                out.resolved
                    .push(Err(Unresolved::NotStarted(form as u32, last)));
            }
            Some((p, _, end)) => {
                out.wanted.insert((row.unit, end));
                out.resolved.push(Ok((form as u32, p, end)));
            }
            None => out.resolved.push(Err(Unresolved::FormPeriod(form as u32))),
        }
    }
    out
}

/// The form of a row: named, or the one reporting its indicator by the
/// period's type (remembered per indicator and type).
fn form_of<'r>(
    row: &RowRef<'r>,
    period: Period,
    forms: &[Form],
    form_by_code: &FxHashMap<&str, usize>,
    implied_form: &mut FxHashMap<(&'r str, PeriodType), Option<usize>>,
) -> Result<usize, Unresolved> {
    match row.form {
        Some(code) => form_by_code.get(code).copied().ok_or(Unresolved::Form),
        None => {
            let base = row.key.split('.').next().unwrap_or_default();
            let found = *implied_form.entry((base, period.kind)).or_insert_with(|| {
                forms.iter().position(|f| {
                    f.period_type == period.kind && f.indicators.iter().any(|i| i.code == base)
                })
            });
            found.ok_or(Unresolved::NoForm(period))
        }
    }
}

/// Every unit looked up once (for a streamed file, once for the whole
/// file: `versions` remembers them), a few hundred codes per query: the
/// version valid on the last day of each row's period. Only distinct codes get a
/// string of their own (a code has at most five digits, so a file of
/// garbage cannot make many), and only units found are kept per day.
async fn units_at_ends(
    db: &Db,
    wanted: &FxHashSet<(&str, Date)>,
    versions: &mut HashMap<String, Vec<Unit>>,
) -> StorageResult<HashMap<Date, HashMap<String, Unit>>> {
    let mut distinct: Vec<UnitCode> = wanted
        .iter()
        .map(|(u, _)| u.trim())
        .collect::<FxHashSet<&str>>()
        .into_iter()
        .filter_map(|c| UnitCode::parse(c).ok())
        .filter(|c| !versions.contains_key(c.as_str()))
        .collect();
    distinct.sort_by(|a, b| a.as_str().cmp(b.as_str()));
    distinct.dedup_by(|a, b| a.as_str() == b.as_str());
    let mut found = units::versions_many(db, &distinct).await?;
    for code in distinct {
        let v = found.remove(code.as_str()).unwrap_or_default();
        versions.insert(code.as_str().to_string(), v);
    }
    let versions = &*versions;
    let mut units_at: HashMap<Date, HashMap<String, Unit>> = HashMap::new();
    for &(unit, end) in wanted {
        let Ok(code) = UnitCode::parse(unit) else {
            continue;
        };
        let found = versions
            .get(code.as_str())
            .and_then(|v| v.iter().find(|u| u.valid_on(end)));
        let entry = units_at.entry(end).or_default();
        if let Some(v) = found {
            entry.insert(code.as_str().to_string(), v.clone());
        }
    }
    Ok(units_at)
}

/// Pass 2: rows gathered into the reports they write, with every error.
#[derive(Default)]
struct Grouping<'r> {
    errors: ErrorList,
    /// (unit text, last day) → the message for a code not found.
    unit_errors: FxHashMap<(&'r str, Date), String>,
    unit_checks: FxHashMap<(usize, i64), Result<(), String>>,
    allowed: HashMap<(i64, usize), bool>,
    groups: Groups,
    /// (form, unit id, period) → group.
    index: FxHashMap<(usize, i64, Period), usize>,
    /// Per group: key → first row (a small map each, sized for the form).
    seen: Vec<FxHashMap<&'r str, usize>>,
    /// The group of the previous row: consecutive rows of a file mostly
    /// belong to the same report, which then needs no look-up at all.
    last: Option<(usize, &'r str, Period, usize)>,
}

impl<'r> Grouping<'r> {
    /// One row: its report, then its value.
    #[allow(clippy::too_many_arguments)]
    async fn add(
        &mut self,
        db: &Db,
        actor: Option<&Actor>,
        forms: &[Form],
        units_at: &HashMap<Date, HashMap<String, Unit>>,
        rows: &'r ImportRows,
        row_no: usize,
        row: RowRef<'r>,
        res: Result<(u32, Period, Date), Unresolved>,
        given: &mut Given,
    ) -> StorageResult<()> {
        let here = &row.place;
        let (form_ix, period, end) = match res {
            Ok(r) => r,
            Err(why) => {
                self.errors
                    .push_with(|| format!("{here}: {}", why.message(&row, forms)));
                return Ok(());
            }
        };
        let form_ix = form_ix as usize;
        let same = self
            .last
            .filter(|(f, u, p, _)| *f == form_ix && *u == row.unit && *p == period);
        let gi = match same {
            Some((_, _, _, gi)) => gi,
            None => match self
                .group_of(db, actor, forms, units_at, &row, form_ix, period, end)
                .await?
            {
                Some(gi) => gi,
                None => return Ok(()),
            },
        };
        self.value(&forms[form_ix], rows, row_no, row, gi, given);
        Ok(())
    }

    /// The report of a row not in the previous row's: its unit at the
    /// period's end, the unit's right to the form, the actor's right.
    /// `None` when refused (the error is listed).
    #[allow(clippy::too_many_arguments)]
    async fn group_of(
        &mut self,
        db: &Db,
        actor: Option<&Actor>,
        forms: &[Form],
        units_at: &HashMap<Date, HashMap<String, Unit>>,
        row: &RowRef<'r>,
        form_ix: usize,
        period: Period,
        end: Date,
    ) -> StorageResult<Option<usize>> {
        let here = &row.place;
        let form = &forms[form_ix];
        let code = match UnitCode::parse(row.unit) {
            Ok(c) => c,
            Err(e) => {
                self.errors.push_with(|| format!("{here}: {e}"));
                return Ok(None);
            }
        };
        let Some(unit) = units_at.get(&end).and_then(|m| m.get(code.as_str())) else {
            self.unknown_unit(db, row, &code, period, end).await?;
            return Ok(None);
        };
        if let Err(e) = self
            .unit_checks
            .entry((form_ix, unit.id))
            .or_insert_with(|| reports::check_unit(form, unit).map_err(|e| e.to_string()))
        {
            self.errors.push_with(|| format!("{here}: {e}"));
            return Ok(None);
        }
        if !self.may_enter(db, actor, form, form_ix, unit).await? {
            self.errors.push_with(|| {
                format!(
                    "{here}: không có quyền nhập số liệu biểu {} cho {}",
                    form.code, unit.name
                )
            });
            return Ok(None);
        }
        let groups = &mut self.groups;
        let gi = *self
            .index
            .entry((form_ix, unit.id, period))
            .or_insert_with(|| {
                groups.push((
                    Target {
                        form_ix,
                        unit: unit.clone(),
                        period: period.code(),
                        parsed: period,
                    },
                    Vec::new(),
                ));
                groups.len() - 1
            });
        self.last = Some((form_ix, row.unit, period, gi));
        Ok(Some(gi))
    }

    /// Whether the actor (if any) enters data of the form for the unit
    /// (asked once per unit and form).
    async fn may_enter(
        &mut self,
        db: &Db,
        actor: Option<&Actor>,
        form: &Form,
        form_ix: usize,
        unit: &Unit,
    ) -> StorageResult<bool> {
        let Some(actor) = actor else {
            return Ok(true);
        };
        let k = (unit.id, form_ix);
        if let Some(ok) = self.allowed.get(&k) {
            return Ok(*ok);
        }
        let ok = access::can(db, actor, Action::EnterData(form.owner_role), unit.id).await?;
        self.allowed.insert(k, ok);
        Ok(ok)
    }

    /// A unit code with no version on the period's last day: listed with
    /// why (no such code, or not valid then); past the listed errors,
    /// counted without a look-up.
    async fn unknown_unit(
        &mut self,
        db: &Db,
        row: &RowRef<'r>,
        code: &UnitCode,
        period: Period,
        end: Date,
    ) -> StorageResult<()> {
        let here = &row.place;
        if self.errors.is_full() {
            self.errors.add_unlisted(1);
            return Ok(());
        }
        let message = match self.unit_errors.get(&(row.unit, end)) {
            Some(m) => m.clone(),
            None => {
                let other = units::versions(db, code).await?;
                let m = if other.is_empty() {
                    format!("mã đơn vị \"{code}\" không có")
                } else {
                    format!(
                        "mã đơn vị \"{code}\" không có hiệu lực vào ngày {} (cuối kỳ {})",
                        dates::format_vi(end),
                        period.code()
                    )
                };
                self.unit_errors.insert((row.unit, end), m.clone());
                m
            }
        };
        self.errors.push_with(|| format!("{here}: {message}"));
        Ok(())
    }

    /// A row's value in its report: its key (once per report), qualifier
    /// and figure, checked against the form.
    fn value(
        &mut self,
        form: &Form,
        rows: &ImportRows,
        row_no: usize,
        row: RowRef<'r>,
        gi: usize,
        given: &mut Given,
    ) {
        let here = &row.place;
        let key = row.key.trim();
        let (indicator, option) = match key.split_once('.') {
            Some((i, o)) if o.is_empty() || i.is_empty() => {
                self.errors
                    .push_with(|| format!("{here}: \"{}\" không phải mã chỉ tiêu", row.key));
                return;
            }
            Some((i, o)) => (i.to_string(), o.to_string()),
            None => (key.to_string(), String::new()),
        };
        if self.seen.len() <= gi {
            self.seen.resize_with(gi + 1, || {
                let mut m = FxHashMap::default();
                m.reserve(form.indicators.iter().map(|i| i.options.len().max(1)).sum());
                m
            });
        }
        if let Some(first) = self.seen[gi].get(key) {
            self.errors.push_with(|| {
                format!(
                    "{here}: trùng với {} (cùng đơn vị, kỳ và chỉ tiêu)",
                    rows.get(*first).place
                )
            });
            return;
        }
        self.seen[gi].insert(key, row_no);
        let target = &self.groups[gi].0;
        if !given.mark(target.form_ix, form, target.unit.id, target.parsed, key) {
            // Given in an earlier chunk of a streamed file.
            self.errors.push_with(|| {
                format!("{here}: trùng với một dòng trước đó của tệp (cùng đơn vị, kỳ và chỉ tiêu)")
            });
            return;
        }
        let Some((qualifier_given, value)) = self.figure(&row, rows.numbers()) else {
            return;
        };
        let comment = (!row.comment.trim().is_empty()).then(|| row.comment.to_string());
        let input = ValueInput {
            indicator,
            option,
            value: value.map(|(m, q)| (m, qualifier_given.unwrap_or(q), comment)),
        };
        for e in reports::check_inputs(form, std::slice::from_ref(&input)) {
            self.errors.push_with(|| format!("{here}: {e}"));
        }
        self.groups[gi].1.push(input);
    }

    /// A row's qualifier column and figure, read in the file's number
    /// style (none when empty: the value is cleared); `None` when either
    /// is refused (the error is listed).
    #[allow(clippy::type_complexity)]
    fn figure(
        &mut self,
        row: &RowRef<'_>,
        numbers: NumberStyle,
    ) -> Option<(Option<Qualifier>, Option<(i64, Qualifier)>)> {
        let here = &row.place;
        let qualifier_given = if row.qualifier.trim().is_empty() {
            None
        } else {
            match row.qualifier.parse::<Qualifier>() {
                Ok(q) => Some(q),
                Err(e) => {
                    self.errors.push_with(|| format!("{here}: {e}"));
                    return None;
                }
            }
        };
        let value = match row.value {
            ValueRef::Number(x) if !x.is_finite() || x.abs() > 9e12 => {
                self.errors
                    .push_with(|| format!("{here}: \"{x}\" không phải số hợp lệ"));
                return None;
            }
            ValueRef::Number(x) => Some(((x * SCALE as f64).round() as i64, Qualifier::Exact)),
            ValueRef::Text(t) if t.trim().is_empty() => None,
            ValueRef::Text(t) => match numbers.parse(t) {
                Ok(n) => Some((n.milli, n.qualifier)),
                Err(e) => {
                    self.errors.push_with(|| format!("{here}: {e}"));
                    return None;
                }
            },
        };
        Some((qualifier_given, value))
    }
}

/// The write: locked reports are refused before anything is written, then
/// every report in one transaction (committed unless `dry_run`). Run again
/// from the start if the database rolls it back for a deadlock
/// (`Db::write`): the file is freed on the first attempt only. Returns the
/// changes and when the writing ended.
#[allow(clippy::too_many_arguments)]
async fn write_groups(
    db: &Db,
    who: &Who,
    forms: &[Form],
    groups: &[(Target, Vec<ValueInput>)],
    errors: ErrorList,
    rows: ImportRows,
    dry_run: bool,
    started: std::time::Instant,
) -> StorageResult<(Changes, std::time::Duration)> {
    let mut leftovers: Option<Box<dyn std::any::Any + Send>> = Some(Box::new(rows));
    let errors_ref = &errors;
    db.write(|mut tx| {
        let leftovers = leftovers.take().unwrap_or_else(|| Box::new(()));
        async move {
            let mut errors = errors_ref.clone();
            let changes = write_chunk(&mut tx, who, forms, groups, &mut errors, leftovers).await?;
            if !errors.is_empty() {
                return Err(StorageError::Rejected(errors.into_vec()));
            }
            let written = started.elapsed();
            if !dry_run {
                tx.commit().await?;
            }
            Ok((changes, written))
        }
    })
    .await
}

/// Write the reports of a file in the import's transaction. A locked
/// report is added to the errors; once the file has an error nothing is
/// written (the transaction will be rolled back), but locked reports are
/// still named. `leftovers` (the parsed rows) are freed on another thread
/// while the values are written.
async fn write_chunk(
    tx: &mut WriteTx,
    who: &Who,
    forms: &[Form],
    groups: &[(Target, Vec<ValueInput>)],
    errors: &mut ErrorList,
    leftovers: Box<dyn std::any::Any + Send>,
) -> StorageResult<Changes> {
    let (items, found) = refuse_locked(tx.conn(), forms, groups, errors).await?;
    if !errors.is_empty() || items.is_empty() {
        return Ok(Changes::default());
    }
    reports::apply_many(tx, who, &items, found, leftovers, None).await
}

/// The reports of `groups` as items to write, and those that exist; each
/// one locked (submitted or approved) is named in `errors`.
async fn refuse_locked<'g>(
    conn: &mut sqlx::AnyConnection,
    forms: &'g [Form],
    groups: &'g [(Target, Vec<ValueInput>)],
    errors: &mut ErrorList,
) -> StorageResult<(Vec<reports::Item<'g>>, reports::Found)> {
    let items: Vec<reports::Item<'_>> = groups
        .iter()
        .map(|(t, inputs)| reports::Item {
            form: &forms[t.form_ix],
            unit: &t.unit,
            period: &t.period,
            inputs,
        })
        .collect();
    if items.is_empty() {
        return Ok((items, Default::default()));
    }
    let found = reports::existing(conn, &items).await?;
    for (t, _) in groups {
        let form = &forms[t.form_ix];
        if let Some((_, state)) = found.get(&(form.id, t.unit.id, t.period.clone())) {
            if !state.editable() {
                errors.push_with(|| {
                    format!(
                        "Báo cáo \"{}\" {} của {} đang ở trạng thái \"{}\": các giá trị của nó không được ghi",
                        form.name_vi,
                        t.parsed.words_vi().to_lowercase(),
                        t.unit.name,
                        state.label_vi()
                    )
                });
            }
        }
    }
    Ok((items, found))
}
