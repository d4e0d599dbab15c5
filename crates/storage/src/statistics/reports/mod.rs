//! Reports: entering values, the workflow (submit, approve, return,
//! reopen) with validation, and completeness for a parent unit.
//!
//! This module reads a report and checks inputs; `write` saves one report's
//! values, `bulk` many reports' (imports), `workflow` moves a report through
//! its states, `completeness` answers "who has reported" for a parent unit.

mod bulk;
mod completeness;
mod saves;
mod workflow;
mod write;

pub(crate) use bulk::{apply_many, existing, Found, Item};
pub use completeness::{completeness, reporting_units, Completeness, UnitStatus};
pub(crate) use saves::SaveQueue;
pub use workflow::{history, transition, HistoryEvent};
pub(crate) use write::state_in;
pub use write::{put_valid_values, put_values, CellProblem, Changes, PartialSave};

use std::collections::HashMap;

use antq_core::dates::{self, Date};
use antq_core::indicators::{check_value, Qualifier};
use antq_core::periods::Period;
use antq_core::reports::ReportState;
use antq_core::validation::Violation;
use serde::Serialize;
use sqlx::Row;

use crate::batch::Val;
use crate::db::Db;
use crate::error::{StorageError, StorageResult};
use crate::statistics::catalogue::Form;
use crate::units::Unit;

/// One value of a report.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Value {
    /// The value in the indicator's unit (decimals allowed).
    pub value: f64,
    #[serde(skip)]
    pub milli: i64,
    pub qualifier: Qualifier,
    pub comment: Option<String>,
}

/// A report as the API and the entry page show it.
#[derive(Debug, Clone, Serialize)]
pub struct ReportView {
    pub form: String,
    pub unit: String,
    pub unit_name: String,
    pub period: String,
    pub period_start: String,
    pub period_end: String,
    /// `not_started` when nothing was entered yet.
    pub state: String,
    pub return_comment: Option<String>,
    pub state_changed_at: Option<String>,
    pub state_changed_by: Option<String>,
    /// By indicator code; a breakdown's values under `code.option`.
    pub values: HashMap<String, Value>,
    pub validation: Vec<Violation>,
    pub deadline: String,
    /// Remarks by the police and the Front, oldest first.
    pub comments: Vec<crate::statistics::comments::Comment>,
}

/// A value to set: `None` clears it.
#[derive(Debug, Clone)]
pub struct ValueInput {
    pub indicator: String,
    pub option: String,
    pub value: Option<(i64, Qualifier, Option<String>)>,
}

fn key(indicator: &str, option: &str) -> String {
    if option.is_empty() {
        indicator.to_string()
    } else {
        format!("{indicator}.{option}")
    }
}

pub(crate) struct ReportRow {
    id: i64,
    state: ReportState,
    return_comment: Option<String>,
    changed_at: String,
    changed_by: String,
}

async fn find(
    db: &Db,
    form: &Form,
    unit: &Unit,
    period: &Period,
) -> StorageResult<Option<ReportRow>> {
    let row = sqlx::query(
        "SELECT id, state, return_comment, state_changed_at, state_changed_by FROM reports \
         WHERE form_id = $1 AND unit_id = $2 AND period = $3",
    )
    .bind(form.id)
    .bind(unit.id)
    .bind(period.code())
    .fetch_optional(db.pool())
    .await?;
    row.as_ref().map(ReportRow::from_row).transpose()
}

impl ReportRow {
    /// A row whose first columns are `id, state, return_comment,
    /// state_changed_at, state_changed_by`.
    pub(super) fn from_row(r: &sqlx::any::AnyRow) -> StorageResult<ReportRow> {
        Ok(ReportRow {
            id: r.get(0),
            state: r.get::<String, _>(1).parse()?,
            return_comment: r.get(2),
            changed_at: r.get(3),
            changed_by: r.get(4),
        })
    }
}

/// The id of a started report.
pub(crate) async fn report_id(
    db: &Db,
    form: &Form,
    unit: &Unit,
    period: &Period,
) -> StorageResult<Option<i64>> {
    Ok(find(db, form, unit, period).await?.map(|r| r.id))
}

/// The period as a sentence says it: "năm 2026", "6 tháng đầu năm 2026".
pub fn period_words(_form: &Form, period: &Period) -> String {
    let w = period.words_vi();
    let mut c = w.chars();
    match c.next() {
        Some(first) => first.to_lowercase().chain(c).collect(),
        None => w,
    }
}

/// The period a form may be reported for, with its dates; the unit reporting
/// it is the version valid on the last day.
pub fn check_period(form: &Form, period: &str) -> StorageResult<(Period, Date, Date)> {
    let p = Period::parse(period)?;
    if p.kind != form.period_type {
        return Err(antq_core::DomainError::invalid(format!(
            "Biểu \"{}\" báo cáo theo kỳ {}, không theo kỳ {} ({})",
            form.name_vi,
            antq_core::words::period_type_vi(form.period_type),
            antq_core::words::period_type_vi(p.kind),
            p.words_vi()
        ))
        .into());
    }
    let (start, end) = p.dates(form.calendar)?;
    Ok((p, start, end))
}

/// Does the form apply to this unit?
pub fn check_unit(form: &Form, unit: &Unit) -> StorageResult<()> {
    if form.levels.contains(&unit.level) {
        Ok(())
    } else {
        Err(antq_core::DomainError::invalid(format!(
            "{} không báo cáo biểu {} (chỉ {})",
            unit.name,
            form.code,
            form.levels
                .iter()
                .map(|l| l.label_vi())
                .collect::<Vec<_>>()
                .join(", ")
        ))
        .into())
    }
}

/// A report's values by key. The codes come from the form, and from the
/// catalogue only for an indicator since taken out of the form.
async fn values_of(db: &Db, form: &Form, report_id: i64) -> StorageResult<HashMap<String, Value>> {
    let mut conn = db.pool().acquire().await?;
    values_in(&mut conn, form, report_id).await
}

/// [`values_of`] on a given connection (inside a transaction).
async fn values_in(
    conn: &mut sqlx::AnyConnection,
    form: &Form,
    report_id: i64,
) -> StorageResult<HashMap<String, Value>> {
    let stored = crate::statistics::report_values::read(&mut *conn, report_id).await?;
    let codes = if left_the_form(form, &stored) {
        every_code(&mut *conn).await?
    } else {
        form_codes(form)
    };
    keyed(stored, &codes)
}

/// The codes of the form's indicators, by id.
fn form_codes(form: &Form) -> HashMap<i64, String> {
    form.indicators
        .iter()
        .map(|i| (i.id, i.code.clone()))
        .collect()
}

/// Whether a stored value belongs to an indicator no longer in the form.
fn left_the_form(form: &Form, stored: &[crate::statistics::report_values::StoredValue]) -> bool {
    stored
        .iter()
        .any(|v| !form.indicators.iter().any(|i| i.id == v.indicator_id))
}

/// The codes of every indicator in the catalogue, by id.
async fn every_code(conn: &mut sqlx::AnyConnection) -> StorageResult<HashMap<i64, String>> {
    Ok(sqlx::query_as("SELECT id, code FROM indicators")
        .fetch_all(conn)
        .await?
        .into_iter()
        .collect())
}

/// Stored values by key (`code`, or `code.option`).
fn keyed(
    stored: Vec<crate::statistics::report_values::StoredValue>,
    codes: &HashMap<i64, String>,
) -> StorageResult<HashMap<String, Value>> {
    stored
        .into_iter()
        .map(|v| {
            let code = codes
                .get(&v.indicator_id)
                .ok_or_else(|| StorageError::not_found(format!("chỉ tiêu {}", v.indicator_id)))?;
            Ok((
                key(code, &v.option),
                Value {
                    value: v.milli as f64 / 1000.0,
                    milli: v.milli,
                    qualifier: v.qualifier,
                    comment: v.comment,
                },
            ))
        })
        .collect()
}

/// Check the form's rules against values (breakdowns summed per indicator).
pub fn validate(form: &Form, values: &HashMap<String, Value>) -> Vec<Violation> {
    let mut totals: HashMap<String, i64> = HashMap::new();
    let mut commented = Vec::new();
    for (k, v) in values {
        let code = k.split('.').next().unwrap_or(k).to_string();
        *totals.entry(code.clone()).or_default() += v.milli;
        if v.comment.as_deref().is_some_and(|c| !c.trim().is_empty()) {
            commented.push(code);
        }
    }
    let label = |code: &str| {
        form.indicators
            .iter()
            .find(|i| i.code == code)
            .map(|i| i.name_vi.clone())
            .unwrap_or_else(|| code.to_string())
    };
    form.rules
        .iter()
        .filter_map(|r| r.check_labelled(&totals, &commented, &label))
        .collect()
}

/// The report of a form for a unit and period (an empty one if not started).
pub async fn view(db: &Db, form: &Form, unit: &Unit, period: &str) -> StorageResult<ReportView> {
    let dated = check_period(form, period)?;
    let row = find(db, form, unit, &dated.0).await?;
    let values = match &row {
        Some(r) => values_of(db, form, r.id).await?,
        None => HashMap::new(),
    };
    let comments = match &row {
        Some(r) => crate::statistics::comments::of_report(db, r.id).await?,
        None => Vec::new(),
    };
    view_of(form, unit, dated, row, values, comments)
}

/// The view of a report a save has just written, from what the save read
/// and wrote in its transaction: only the report's comments are read (none
/// when the save created the report).
pub(super) async fn view_written(
    db: &Db,
    form: &Form,
    unit: &Unit,
    period: &str,
    written: write::Written,
) -> StorageResult<ReportView> {
    let codes = if left_the_form(form, &written.values) {
        let mut conn = db.pool().acquire().await?;
        every_code(&mut conn).await?
    } else {
        form_codes(form)
    };
    let values = keyed(written.values, &codes)?;
    let comments = if written.created {
        Vec::new()
    } else {
        crate::statistics::comments::of_report(db, written.row.id).await?
    };
    view_of(
        form,
        unit,
        check_period(form, period)?,
        Some(written.row),
        values,
        comments,
    )
}

fn view_of(
    form: &Form,
    unit: &Unit,
    (p, start, end): (Period, Date, Date),
    row: Option<ReportRow>,
    values: HashMap<String, Value>,
    comments: Vec<crate::statistics::comments::Comment>,
) -> StorageResult<ReportView> {
    let validation = validate(form, &values);
    Ok(ReportView {
        form: form.code.clone(),
        unit: unit.code.clone(),
        unit_name: unit.name.clone(),
        period: p.code(),
        period_start: dates::iso(start),
        period_end: dates::iso(end),
        state: row
            .as_ref()
            .map(|r| r.state.as_str())
            .unwrap_or("not_started")
            .to_string(),
        return_comment: row.as_ref().and_then(|r| r.return_comment.clone()),
        state_changed_at: row.as_ref().map(|r| r.changed_at.clone()),
        state_changed_by: row.map(|r| r.changed_by),
        values,
        validation,
        deadline: dates::iso(end + chrono::Duration::days(form.deadline_days)),
        comments,
    })
}

/// Load many reports and their values at once (demo and benchmark data),
/// without per-value audit rows or rollups: the caller writes one audit row
/// and rebuilds the rollups. Report rows: id, form, unit, period, year, start,
/// end, state, changed at, changed by, return comment, created at. Value rows:
/// [`crate::statistics::report_values::row`].
pub(crate) async fn bulk_insert(
    tx: &mut crate::WriteTx,
    reports: Vec<Vec<Val>>,
    values: Vec<Vec<Val>>,
) -> StorageResult<()> {
    crate::batch::insert_rows(
        tx,
        "reports",
        &[
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
            "return_comment",
            "created_at",
        ],
        reports,
    )
    .await?;
    crate::batch::insert_rows(
        tx,
        "report_values",
        crate::statistics::report_values::COLUMNS,
        values,
    )
    .await
}

/// Problems with values to set, each as a message (empty: all fine). A
/// value given twice (`tt_buoi` and `tt_buoi.`) is refused.
pub fn check_inputs(form: &Form, inputs: &[ValueInput]) -> Vec<String> {
    let mut errors = Vec::new();
    // (An import checks one input at a time and finds repeats itself.)
    let mut seen = std::collections::HashSet::new();
    for input in inputs {
        if inputs.len() > 1 && !seen.insert((input.indicator.as_str(), input.option.as_str())) {
            errors.push(format!(
                "{} được nhập hai lần",
                key(&input.indicator, &input.option)
            ));
            continue;
        }
        let Some(ind) = form.indicators.iter().find(|i| i.code == input.indicator) else {
            errors.push(format!(
                "chỉ tiêu \"{}\" không có trong biểu {}",
                input.indicator, form.code
            ));
            continue;
        };
        let option_ok = if ind.options.is_empty() {
            input.option.is_empty()
        } else {
            ind.options.iter().any(|o| o.code == input.option)
        };
        if !option_ok {
            errors.push(if ind.options.is_empty() {
                format!("chỉ tiêu {} không chia theo nhóm", ind.code)
            } else {
                format!(
                    "chỉ tiêu {} cần nhóm: {}",
                    ind.code,
                    ind.options
                        .iter()
                        .map(|o| o.code.as_str())
                        .collect::<Vec<_>>()
                        .join(", ")
                )
            });
        }
        if let Some((milli, _, comment)) = &input.value {
            if let Err(e) = check_value(*milli, ind.value_type) {
                errors.push(format!("{}: {e}", key(&ind.code, &input.option)));
            }
            if let Some(c) = comment {
                if let Err(e) = antq_core::text::check_len(
                    &format!("Ghi chú của {}", key(&ind.code, &input.option)),
                    c.trim(),
                    antq_core::text::limits::VALUE_COMMENT,
                ) {
                    errors.push(e.to_string());
                }
            }
        }
    }
    errors
}
