//! Reports: entering values, the workflow (submit, approve, return,
//! reopen) with validation, and completeness for a parent unit.

use std::collections::HashMap;

use antq_core::dates::{self, Date};
use antq_core::indicators::{check_value, format_milli, Qualifier};
use antq_core::periods::Period;
use antq_core::reports::{ReportState, Transition};
use antq_core::validation::{Severity, Violation};
use serde::Serialize;
use serde_json::json;
use sqlx::Row;

use crate::audit::{self, Change, Who};
use crate::batch::Val;
use crate::db::Db;
use crate::error::{StorageError, StorageResult};
use crate::statistics::catalogue::Form;
use crate::statistics::report_values::StoredValue;
use crate::statistics::rollups::Contribution;
use crate::units::{self, Unit, UnitQuery};

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

struct ReportRow {
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
    row.map(|r| {
        Ok(ReportRow {
            id: r.get(0),
            state: r.get::<String, _>(1).parse()?,
            return_comment: r.get(2),
            changed_at: r.get(3),
            changed_by: r.get(4),
        })
    })
    .transpose()
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

/// The period a form may be reported for, with its dates; the unit reporting
/// it is the version valid on the last day.
pub fn check_period(form: &Form, period: &str) -> StorageResult<(Period, Date, Date)> {
    let p = Period::parse(period)?;
    if p.kind != form.period_type {
        return Err(antq_core::DomainError::invalid(format!(
            "biểu {} báo cáo theo kỳ {}, không theo kỳ {}",
            form.code,
            form.period_type.as_str(),
            p.kind.as_str()
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
    let mut codes: HashMap<i64, String> = form
        .indicators
        .iter()
        .map(|i| (i.id, i.code.clone()))
        .collect();
    if stored.iter().any(|v| !codes.contains_key(&v.indicator_id)) {
        codes = sqlx::query_as("SELECT id, code FROM indicators")
            .fetch_all(&mut *conn)
            .await?
            .into_iter()
            .collect();
    }
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
    form.rules
        .iter()
        .filter_map(|r| r.check(&totals, &commented))
        .collect()
}

/// The report of a form for a unit and period (an empty one if not started).
pub async fn view(db: &Db, form: &Form, unit: &Unit, period: &str) -> StorageResult<ReportView> {
    let (p, start, end) = check_period(form, period)?;
    let row = find(db, form, unit, &p).await?;
    let values = match &row {
        Some(r) => values_of(db, form, r.id).await?,
        None => HashMap::new(),
    };
    let validation = validate(form, &values);
    let comments = match &row {
        Some(r) => crate::statistics::comments::of_report(db, r.id).await?,
        None => Vec::new(),
    };
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
        state_changed_by: row.as_ref().map(|r| r.changed_by.clone()),
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

/// What writing values changed.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Changes {
    pub reports_created: usize,
    pub values_new: usize,
    pub values_changed: usize,
    pub values_cleared: usize,
    pub values_unchanged: usize,
}

impl Changes {
    pub fn add(&mut self, o: Changes) {
        self.reports_created += o.reports_created;
        self.values_new += o.values_new;
        self.values_changed += o.values_changed;
        self.values_cleared += o.values_cleared;
        self.values_unchanged += o.values_unchanged;
    }
}

/// The state of a report, if it exists (inside a transaction).
pub(crate) async fn state_in(
    tx: &mut crate::WriteTx,
    form: &Form,
    unit: &Unit,
    period: &Period,
) -> StorageResult<Option<(i64, ReportState)>> {
    // PostgreSQL: the report row stays locked until the transaction ends, so
    // a value written and a concurrent approval cannot cross.
    let lock = match tx.backend() {
        crate::db::Backend::Postgres => " FOR UPDATE",
        crate::db::Backend::Sqlite => "",
    };
    let row = sqlx::query(&format!(
        "SELECT id, state FROM reports WHERE form_id = $1 AND unit_id = $2 AND period = $3{lock}"
    ))
    .bind(form.id)
    .bind(unit.id)
    .bind(period.code())
    .fetch_optional(tx.conn())
    .await?;
    row.map(|r| Ok((r.get::<i64, _>(0), r.get::<String, _>(1).parse()?)))
        .transpose()
}

fn locked_message(form: &Form, unit: &Unit, period: &Period, state: ReportState) -> String {
    format!(
        "báo cáo {} kỳ {} của {} đang ở trạng thái \"{}\": không sửa được{}",
        form.code,
        period.code(),
        unit.name,
        state.label_vi(),
        if state == ReportState::Approved {
            " cho tới khi cấp trên mở lại"
        } else {
            " khi chờ cấp trên duyệt"
        }
    )
}

/// Write checked values into a report inside a transaction, creating the
/// report as a draft if needed; audited value by value. Refuses a report that
/// is submitted or approved.
pub(crate) async fn apply_values(
    tx: &mut crate::WriteTx,
    who: &Who,
    form: &Form,
    unit: &Unit,
    period: &str,
    inputs: &[ValueInput],
) -> StorageResult<Changes> {
    let (p, start, end) = check_period(form, period)?;
    let mut changes = Changes::default();
    let now = dates::timestamp(dates::now_utc());
    let report_id = match state_in(tx, form, unit, &p).await? {
        Some((id, state)) => {
            if !state.editable() {
                return Err(StorageError::Conflict(locked_message(
                    form, unit, &p, state,
                )));
            }
            id
        }
        None => {
            let id: i64 = sqlx::query_scalar(
                "INSERT INTO reports (form_id, unit_id, period, period_year, period_start, period_end, state, \
                 state_changed_at, state_changed_by, created_at) VALUES ($1, $2, $3, $4, $5, $6, 'draft', $7, $8, $7) RETURNING id",
            )
            .bind(form.id)
            .bind(unit.id)
            .bind(p.code())
            .bind(i64::from(p.year))
            .bind(dates::iso(start))
            .bind(dates::iso(end))
            .bind(&now)
            .bind(&who.name)
            .fetch_one(tx.conn())
            .await?;
            audit::append(
                tx,
                Change {
                    who,
                    action: "report.create",
                    entity: "report",
                    entity_id: id.to_string(),
                    unit_id: Some(unit.id),
                    before: None,
                    after: Some(json!({"form": form.code, "unit": unit.code, "period": p.code(), "state": "draft"})),
                },
            )
            .await?;
            changes.reports_created += 1;
            id
        }
    };
    // Read the report's values once, compute every change, then write them
    // in a few statements: the values, the rollups, one audit row.
    let fresh = changes.reports_created > 0;
    let old = if fresh {
        OldValues::default()
    } else {
        old_values(crate::statistics::report_values::read(tx.conn(), report_id).await?)
    };
    let index = IndicatorIndex::of(form);
    let mut plan = plan(&index, report_id, &old, inputs)?;
    changes.add(plan.changes);
    if plan.is_empty() {
        return Ok(changes);
    }
    let body = plan.body(old);
    crate::statistics::report_values::write(tx, vec![body], fresh, &now, &who.name).await?;
    crate::statistics::rollups::add_many(tx, unit.id, i64::from(p.year), false, &plan.deltas)
        .await?;
    audit::append_text_many(tx, vec![plan.audit(who, unit)]).await?;
    Ok(changes)
}

/// A report's values by (indicator, option): (thousandths, qualifier, comment).
type OldValues = HashMap<(i64, String), (i64, Qualifier, Option<String>)>;

fn old_values(values: Vec<StoredValue>) -> OldValues {
    values
        .into_iter()
        .map(|v| {
            (
                (v.indicator_id, v.option),
                (v.milli, v.qualifier, v.comment),
            )
        })
        .collect()
}

/// What writing inputs into one report changes: the values to set and
/// clear, the rollup deltas by indicator, the audit's before and after
/// (written straight as JSON text: an import builds one per report).
struct Plan {
    report_id: i64,
    upserts: Vec<StoredValue>,
    deletes: Vec<(i64, String)>,
    deltas: Vec<(i64, Contribution)>,
    before: String,
    after: String,
    /// Whether any changed key had a value before.
    had_before: bool,
    changes: Changes,
}

impl Plan {
    fn is_empty(&self) -> bool {
        self.after.is_empty()
    }

    /// The report's values after the change: `old` with the plan applied
    /// (the plan's values are taken).
    fn body(&mut self, mut old: OldValues) -> crate::statistics::report_values::Body {
        let upserts = std::mem::take(&mut self.upserts);
        let values = if old.is_empty() {
            upserts
        } else {
            for k in self.deletes.drain(..) {
                old.remove(&k);
            }
            for v in upserts {
                old.insert(
                    (v.indicator_id, v.option),
                    (v.milli, v.qualifier, v.comment),
                );
            }
            old.into_iter()
                .map(
                    |((indicator_id, option), (milli, qualifier, comment))| StoredValue {
                        indicator_id,
                        option,
                        milli,
                        qualifier,
                        comment,
                    },
                )
                .collect()
        };
        crate::statistics::report_values::Body {
            report_id: self.report_id,
            values,
        }
    }

    fn audit<'a>(self, who: &'a Who, unit: &Unit) -> audit::TextChange<'a> {
        audit::TextChange {
            who,
            action: "value.set",
            entity: "report",
            entity_id: self.report_id.to_string(),
            unit_id: Some(unit.id),
            before: self.had_before.then(|| self.before + "}"),
            after: Some(self.after + "}"),
        }
    }
}

/// Append `s` as a JSON string.
fn push_json_str(out: &mut String, s: &str) {
    use std::fmt::Write;
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if (c as u32) < 0x20 => {
                let _ = write!(out, "\\u{:04x}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

/// A figure as the audit shows it ("4.378", "64,5"), appended as a JSON string.
fn push_json_milli(out: &mut String, m: i64) {
    if m % antq_core::indicators::SCALE != 0 {
        return push_json_str(out, &format_milli(m));
    }
    // Whole numbers, the usual case, without an intermediate string.
    let n = m / antq_core::indicators::SCALE;
    let mut digits = [0u8; 20];
    let mut len = 0;
    let mut rest = n.unsigned_abs();
    loop {
        digits[len] = b'0' + (rest % 10) as u8;
        len += 1;
        rest /= 10;
        if rest == 0 {
            break;
        }
    }
    out.push('"');
    if n < 0 {
        out.push('-');
    }
    for i in (0..len).rev() {
        out.push(char::from(digits[i]));
        if i > 0 && i % 3 == 0 {
            out.push('.');
        }
    }
    out.push('"');
}

/// Append `"key":value` to an audit object being built (the key is the
/// indicator's code, `code.option` for a breakdown): an exact value without
/// comment as its figure (`"tt_buoi":"4.378"`), any other as
/// `{"value","qualifier","comment"}`, a cleared or absent one as `null`.
fn push_audit_entry(
    out: &mut String,
    (code, option): (&str, &str),
    v: Option<(i64, &str, Option<&str>)>,
) {
    out.push(if out.is_empty() { '{' } else { ',' });
    if option.is_empty() {
        push_json_str(out, code);
    } else {
        push_json_str(out, &key(code, option));
    }
    out.push(':');
    match v {
        None => out.push_str("null"),
        Some((m, "exact", None)) => push_json_milli(out, m),
        Some((m, q, c)) => {
            out.push_str("{\"value\":");
            push_json_milli(out, m);
            out.push_str(",\"qualifier\":");
            push_json_str(out, q);
            out.push_str(",\"comment\":");
            match c {
                Some(c) => push_json_str(out, c),
                None => out.push_str("null"),
            }
            out.push('}');
        }
    }
}

#[cfg(test)]
mod audit_text_tests {
    use super::*;

    #[test]
    fn audit_figures_read_as_the_vietnamese_format() {
        for m in [
            0,
            9_000,
            4_378_000,
            1_000_000_000,
            -12_345_000,
            64_500,
            3_048_210_000,
        ] {
            let mut out = String::new();
            push_json_milli(&mut out, m);
            assert_eq!(out, format!("\"{}\"", format_milli(m)), "{m}");
        }
        let mut out = String::new();
        push_audit_entry(
            &mut out,
            ("tt_luot", ""),
            Some((4_378_000, "more_than", Some("ước \"tính\""))),
        );
        push_audit_entry(
            &mut out,
            ("kt_bang_khen", "tap_the"),
            Some((2_000, "exact", None)),
        );
        push_audit_entry(&mut out, ("tt_buoi", ""), None);
        out.push('}');
        let v: serde_json::Value = serde_json::from_str(&out).unwrap();
        assert_eq!(v["tt_luot"]["value"], "4.378");
        assert_eq!(v["tt_luot"]["qualifier"], "more_than");
        assert_eq!(v["tt_luot"]["comment"], "ước \"tính\"");
        assert_eq!(v["kt_bang_khen.tap_the"], "2");
        assert!(v["tt_buoi"].is_null());
    }
}

/// A form's indicators by code, built once per form for a bulk write.
pub(crate) struct IndicatorIndex<'a>(HashMap<&'a str, &'a crate::statistics::catalogue::Indicator>);

impl<'a> IndicatorIndex<'a> {
    pub(crate) fn of(form: &'a Form) -> IndicatorIndex<'a> {
        IndicatorIndex(
            form.indicators
                .iter()
                .map(|i| (i.code.as_str(), i))
                .collect(),
        )
    }
}

fn plan(
    form: &IndicatorIndex<'_>,
    report_id: i64,
    old_values: &OldValues,
    inputs: &[ValueInput],
) -> StorageResult<Plan> {
    let contribution =
        |v: Option<(i64, Qualifier)>| v.map(|(m, q)| Contribution::of(m, q)).unwrap_or_default();
    let mut plan = Plan {
        report_id,
        upserts: Vec::with_capacity(inputs.len()),
        deletes: Vec::new(),
        deltas: Vec::new(),
        before: String::new(),
        after: String::new(),
        had_before: false,
        changes: Changes::default(),
    };
    for input in inputs {
        let ind = *form
            .0
            .get(input.indicator.as_str())
            .ok_or_else(|| StorageError::not_found(format!("chỉ tiêu {}", input.indicator)))?;
        // A new report (every report of most imports) has nothing to look up.
        let old = if old_values.is_empty() {
            None
        } else {
            old_values.get(&(ind.id, input.option.clone()))
        };
        let new_comment = input.value.as_ref().and_then(|(_, _, c)| {
            c.as_ref()
                .map(|c| antq_core::text::nfc(c.trim()))
                .filter(|c| !c.is_empty())
        });
        let new = input.value.as_ref().map(|(m, q, _)| (*m, *q));
        let old_parsed = old.map(|(m, q, _)| (*m, *q));
        let same = match (old, &new) {
            (None, None) => true,
            (Some((om, oq, oc)), Some((m, q))) => om == m && oq == q && *oc == new_comment,
            _ => false,
        };
        if same {
            plan.changes.values_unchanged += 1;
            continue;
        }
        let delta = contribution(new).minus(contribution(old_parsed));
        match plan.deltas.iter_mut().find(|(i, _)| *i == ind.id) {
            Some((_, d)) => *d = d.minus(delta.negate()),
            None => plan.deltas.push((ind.id, delta)),
        }
        let k = (ind.code.as_str(), input.option.as_str());
        plan.had_before |= old.is_some();
        if !old_values.is_empty() {
            push_audit_entry(
                &mut plan.before,
                k,
                old.map(|(m, q, c)| (*m, q.as_str(), c.as_deref())),
            );
        }
        push_audit_entry(
            &mut plan.after,
            k,
            new.map(|(m, q)| (m, q.as_str(), new_comment.as_deref())),
        );
        match new {
            Some((m, q)) => {
                if old.is_some() {
                    plan.changes.values_changed += 1;
                } else {
                    plan.changes.values_new += 1;
                }
                plan.upserts.push(StoredValue {
                    indicator_id: ind.id,
                    option: input.option.clone(),
                    milli: m,
                    qualifier: q,
                    comment: new_comment,
                });
            }
            None => {
                plan.changes.values_cleared += 1;
                plan.deletes.push((ind.id, input.option.clone()));
            }
        }
    }
    Ok(plan)
}

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

/// The reports that exist among the items: (form, unit, period) → (id, state).
pub(crate) async fn existing(
    tx: &mut crate::WriteTx,
    items: &[Item<'_>],
) -> StorageResult<HashMap<(i64, i64, String), (i64, ReportState)>> {
    let mut by_form: HashMap<i64, Vec<String>> = HashMap::new();
    for it in items {
        let periods = by_form.entry(it.form.id).or_default();
        if !periods.iter().any(|p| p == it.period) {
            periods.push(it.period.to_string());
        }
    }
    let mut out = HashMap::new();
    for (form_id, periods) in by_form {
        for chunk in periods.chunks(200) {
            let marks = (0..chunk.len())
                .map(|i| format!("${}", i + 2))
                .collect::<Vec<_>>()
                .join(", ");
            let sql = format!(
                "SELECT id, unit_id, period, state FROM reports WHERE form_id = $1 AND period IN ({marks})"
            );
            let mut q = sqlx::query_as::<_, (i64, i64, String, String)>(&sql).bind(form_id);
            for p in chunk {
                q = q.bind(p.clone());
            }
            for (id, unit, period, state) in q.fetch_all(tx.conn()).await? {
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
pub(crate) async fn apply_many(
    tx: &mut crate::WriteTx,
    who: &Who,
    items: &[Item<'_>],
    mut found: HashMap<(i64, i64, String), (i64, ReportState)>,
    leftovers: Box<dyn std::any::Any + Send>,
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
                "created_at",
            ],
            new_rows,
        )
        .await?;
        changes.reports_created += created.len();
    }
    phases.lap("reports");
    // A report created here is audited in one row: its creation and its
    // values (`"values"`, added below); a report that existed gets a
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
    let mut old_by_report = crate::statistics::report_values::read_many(tx.conn(), &older).await?;
    phases.lap("old_values");
    let (mut fresh_bodies, mut changed_bodies) = (Vec::new(), Vec::new());
    let mut rollups = Vec::with_capacity(items.len());
    let mut indexes: HashMap<i64, IndicatorIndex<'_>> = HashMap::new();
    for (it, id) in items.iter().zip(&ids) {
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
            changes: std::mem::take(&mut plan.deltas),
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
    phases.lap("plan");
    // The rollup sums and the audit hashes are computed on another thread
    // while this one writes the values (SQLite writes on its own thread).
    let nodes = crate::statistics::rollups::bulk_nodes(tx, &rollups).await?;
    let head = audit::reserve(tx, audits.len()).await?;
    let records = head.records(audits);
    let side = tokio::task::spawn_blocking(move || {
        let rollup_rows = crate::statistics::rollups::bulk_rows(&rollups, &nodes);
        let chained = audit::chain(records);
        drop(leftovers);
        (rollup_rows, chained)
    });
    crate::statistics::report_values::write(tx, fresh_bodies, true, &now, &who.name).await?;
    crate::statistics::report_values::write(tx, changed_bodies, false, &now, &who.name).await?;
    phases.lap("values");
    let (rollup_rows, audit_rows) = side.await.expect("rollup and audit computation");
    phases.lap("side");
    crate::statistics::rollups::write_bulk(tx, rollup_rows).await?;
    phases.lap("rollups");
    audit::write_chained(tx, audit_rows).await?;
    phases.lap("audit");
    tracing::info!(phases = %phases, "bulk write");
    Ok(changes)
}

/// Set values of a draft or returned report (creating it), audited value by
/// value. A submitted or approved report is refused with the reason.
pub async fn put_values(
    db: &Db,
    who: &Who,
    form: &Form,
    unit: &Unit,
    period: &str,
    inputs: Vec<ValueInput>,
) -> StorageResult<ReportView> {
    check_period(form, period)?;
    check_unit(form, unit)?;
    let errors = check_inputs(form, &inputs);
    if !errors.is_empty() {
        return Err(StorageError::Rejected(errors));
    }
    let inputs = &inputs[..];
    db.write(|mut tx| async move {
        apply_values(&mut tx, who, form, unit, period, inputs).await?;
        tx.commit().await
    })
    .await?;
    view(db, form, unit, period).await
}

/// Move a report through the workflow (audited). Submitting checks the
/// form's rules: errors block, and warnings need a comment on a value involved.
pub async fn transition(
    db: &Db,
    who: &Who,
    form: &Form,
    unit: &Unit,
    period: &str,
    t: Transition,
    comment: Option<String>,
) -> StorageResult<ReportView> {
    let (p, _, _) = check_period(form, period)?;
    let Some(row) = find(db, form, unit, &p).await? else {
        return Err(StorageError::Conflict(format!(
            "{} chưa nhập số liệu biểu {} kỳ {}",
            unit.name,
            form.code,
            p.code()
        )));
    };
    let next = t
        .apply(row.state)
        .map_err(|e| StorageError::Conflict(e.to_string()))?;
    if let Some(c) = &comment {
        let label = if t == Transition::Return {
            "Lý do trả lại"
        } else {
            "Ghi chú"
        };
        antq_core::text::check_len(label, c.trim(), antq_core::text::limits::RETURN_REASON)?;
    }
    let comment = comment
        .map(|c| antq_core::text::nfc(c.trim()))
        .filter(|c| !c.is_empty());
    if t == Transition::Return && comment.is_none() {
        return Err(antq_core::DomainError::invalid("trả lại báo cáo cần ghi rõ lý do").into());
    }
    let comment = comment.as_deref();
    let row = &row;
    db.write(|mut tx| async move {
        // The state again, inside the transaction (locked on PostgreSQL):
        // two approvers acting at once must not both move the rollups.
        let state_now = state_in(&mut tx, form, unit, &p).await?.map(|(_, s)| s);
        if state_now != Some(row.state) {
            return Err(StorageError::Conflict(format!(
                "báo cáo {} kỳ {} của {} vừa được chuyển sang trạng thái \"{}\": hãy tải lại",
                form.code,
                p.code(),
                unit.name,
                state_now.map_or("chưa nhập", |s| s.label_vi())
            )));
        }
        // The rules are checked on the values as they are in this
        // transaction: a value saved between a read and the write cannot
        // slip a broken rule through.
        if t == Transition::Submit {
            let values = values_in(tx.conn(), form, row.id).await?;
            let blocking: Vec<String> = validate(form, &values)
                .iter()
                .filter(|v| v.severity == Severity::Error || !v.explained)
                .map(|v| match v.severity {
                    Severity::Error => format!("lỗi: {}", v.message),
                    Severity::Warning => {
                        format!("cảnh báo cần ghi chú giải thích: {}", v.message)
                    }
                })
                .collect();
            if !blocking.is_empty() {
                return Err(StorageError::Rejected(blocking));
            }
        }
        let now = dates::timestamp(dates::now_utc());
        sqlx::query(
            "UPDATE reports SET state = $1, state_changed_at = $2, state_changed_by = $3, \
             return_comment = CASE WHEN $4 IS NULL THEN return_comment ELSE $4 END WHERE id = $5",
        )
        .bind(next.as_str())
        .bind(&now)
        .bind(&who.name)
        .bind(comment)
        .bind(row.id)
        .execute(tx.conn())
        .await?;
        let was = row.state == ReportState::Approved;
        let is = next == ReportState::Approved;
        if was != is {
            crate::statistics::rollups::move_report(&mut tx, row.id, is).await?;
        }
        audit::append(
            &mut tx,
            Change {
                who,
                action: match t {
                    Transition::Submit => "report.submit",
                    Transition::Approve => "report.approve",
                    Transition::Return => "report.return",
                    Transition::Reopen => "report.reopen",
                },
                entity: "report",
                entity_id: row.id.to_string(),
                unit_id: Some(unit.id),
                before: Some(json!({"state": row.state.as_str()})),
                after: Some(json!({"state": next.as_str(), "comment": comment})),
            },
        )
        .await?;
        tx.commit().await
    })
    .await?;
    view(db, form, unit, period).await
}

/// One reporting unit's status for a period.
#[derive(Debug, Clone, Serialize)]
pub struct UnitStatus {
    pub unit: String,
    pub unit_name: String,
    /// not_started, draft, submitted, approved, returned
    pub state: String,
    pub late: bool,
    pub changed_at: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Completeness {
    pub form: String,
    pub unit: String,
    pub unit_name: String,
    pub period: String,
    pub deadline: String,
    pub total: usize,
    /// Counts by state (and `late`).
    pub counts: HashMap<String, usize>,
    /// Share of the units in each state, 0–100.
    pub percent: HashMap<String, f64>,
    pub units: Vec<UnitStatus>,
}

/// The units that report a form for a period under `parent` (the versions
/// valid on its last day, the parent first if it reports too).
pub async fn reporting_units(
    db: &Db,
    form: &Form,
    parent: &Unit,
    period: &str,
) -> StorageResult<Vec<Unit>> {
    let (_, _, end) = check_period(form, period)?;
    let mut out = Vec::new();
    if form.levels.contains(&parent.level) {
        out.push(parent.clone());
    }
    for level in &form.levels {
        if *level == parent.level {
            continue;
        }
        out.extend(
            units::list(
                db,
                &UnitQuery {
                    at: end,
                    level: Some(*level),
                    parent_id: Some(parent.id),
                    q: None,
                    limit: None,
                },
            )
            .await?,
        );
    }
    Ok(out)
}

/// Which units under `parent` report the form for the period (the versions
/// valid at its end, at the form's levels, the parent included), and how far each is.
pub async fn completeness(
    db: &Db,
    form: &Form,
    parent: &Unit,
    period: &str,
    today: Date,
) -> StorageResult<Completeness> {
    let (p, _, end) = check_period(form, period)?;
    let deadline = end + chrono::Duration::days(form.deadline_days);
    let reporting = reporting_units(db, form, parent, period).await?;
    let rows = sqlx::query(
        "SELECT r.unit_id, r.state, r.state_changed_at FROM reports r \
         WHERE r.form_id = $1 AND r.period = $2 \
         AND r.unit_id IN (SELECT descendant_id FROM unit_tree WHERE ancestor_id = $3)",
    )
    .bind(form.id)
    .bind(p.code())
    .bind(parent.id)
    .fetch_all(db.pool())
    .await?;
    let states: HashMap<i64, (String, String)> = rows
        .iter()
        .map(|r| (r.get(0), (r.get(1), r.get(2))))
        .collect();
    let overdue = today > deadline;
    let mut counts: HashMap<String, usize> = HashMap::new();
    let units: Vec<UnitStatus> = reporting
        .iter()
        .map(|u| {
            let (state, changed_at) = match states.get(&u.id) {
                Some((s, at)) => (s.clone(), Some(at.clone())),
                None => ("not_started".to_string(), None),
            };
            let late = overdue && !matches!(state.as_str(), "submitted" | "approved");
            *counts.entry(state.clone()).or_default() += 1;
            if late {
                *counts.entry("late".into()).or_default() += 1;
            }
            UnitStatus {
                unit: u.code.clone(),
                unit_name: u.name.clone(),
                state,
                late,
                changed_at,
            }
        })
        .collect();
    let total = units.len();
    let percent = counts
        .iter()
        .map(|(k, v)| {
            (
                k.clone(),
                if total == 0 {
                    0.0
                } else {
                    (*v as f64) * 100.0 / total as f64
                },
            )
        })
        .collect();
    Ok(Completeness {
        form: form.code.clone(),
        unit: parent.code.clone(),
        unit_name: parent.name.clone(),
        period: p.code(),
        deadline: dates::iso(deadline),
        total,
        counts,
        percent,
        units,
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
