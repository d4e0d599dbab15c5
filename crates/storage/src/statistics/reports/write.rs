//! Saving one report's values: the plan of what changes, the values, the
//! rollups and one audit row, in one transaction.

use std::collections::HashMap;

use antq_core::dates;
use antq_core::indicators::{format_milli, Qualifier};
use antq_core::periods::Period;
use antq_core::reports::ReportState;
use serde::Serialize;
use serde_json::json;
use sqlx::Row;

use crate::audit::{self, Change, Who};
use crate::db::Db;
use crate::error::{StorageError, StorageResult};
use crate::statistics::catalogue::Form;
use crate::statistics::report_values::StoredValue;
use crate::statistics::rollups::Contribution;
use crate::units::Unit;

use super::*;

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

/// A report's row, if it exists (inside a transaction).
pub(crate) async fn state_in(
    tx: &mut crate::WriteTx,
    form: &Form,
    unit: &Unit,
    period: &Period,
) -> StorageResult<Option<ReportRow>> {
    // PostgreSQL: the report row stays locked until the transaction ends, so
    // a value written and a concurrent approval cannot cross.
    let lock = match tx.backend() {
        crate::db::Backend::Postgres => " FOR UPDATE",
        crate::db::Backend::Sqlite => "",
    };
    let row = sqlx::query(&format!(
        "SELECT id, state, return_comment, state_changed_at, state_changed_by FROM reports \
         WHERE form_id = $1 AND unit_id = $2 AND period = $3{lock}"
    ))
    .bind(form.id)
    .bind(unit.id)
    .bind(period.code())
    .fetch_optional(tx.conn())
    .await?;
    row.as_ref().map(ReportRow::from_row).transpose()
}

/// A report's row and its values, if it exists (inside a transaction; one
/// statement: this is the path of every save). On PostgreSQL the report row
/// is locked as [`state_in`] locks it, but the values come from the
/// statement's snapshot, taken before any wait for that lock: they are
/// current only because every writer of `report_values` audits, and so
/// takes the audit head first (`Db::begin_write`), which orders the saves
/// of one report one after the other. A writer of values that did not take
/// the head would have to read the values after the lock.
async fn row_and_values_in(
    tx: &mut crate::WriteTx,
    form: &Form,
    unit: &Unit,
    period: &Period,
) -> StorageResult<Option<(ReportRow, Vec<StoredValue>)>> {
    let lock = match tx.backend() {
        crate::db::Backend::Postgres => " FOR UPDATE OF r",
        crate::db::Backend::Sqlite => "",
    };
    let row = sqlx::query(&format!(
        "SELECT r.id, r.state, r.return_comment, r.state_changed_at, r.state_changed_by, v.body \
         FROM reports r LEFT JOIN report_values v ON v.report_id = r.id \
         WHERE r.form_id = $1 AND r.unit_id = $2 AND r.period = $3{lock}"
    ))
    .bind(form.id)
    .bind(unit.id)
    .bind(period.code())
    .fetch_optional(tx.conn())
    .await?;
    row.map(|r| {
        let body: Option<Vec<u8>> = r.get(5);
        Ok((
            ReportRow::from_row(&r)?,
            body.map_or(Ok(Vec::new()), |b| {
                crate::statistics::report_values::decode(&b)
            })?,
        ))
    })
    .transpose()
}

pub(super) fn locked_message(
    form: &Form,
    unit: &Unit,
    period: &Period,
    state: ReportState,
) -> String {
    format!(
        "Báo cáo \"{}\" {} của {} đang ở trạng thái \"{}\": không sửa được{}",
        form.name_vi,
        crate::statistics::reports::period_words(form, period),
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
) -> StorageResult<Written> {
    let (p, start, end) = check_period(form, period)?;
    let mut changes = Changes::default();
    let now = dates::timestamp(dates::now_utc());
    let (row, old) = match row_and_values_in(tx, form, unit, &p).await? {
        Some((row, values)) => {
            if !row.state.editable() {
                return Err(StorageError::Conflict(locked_message(
                    form, unit, &p, row.state,
                )));
            }
            (row, old_values(values))
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
            let row = ReportRow {
                id,
                state: ReportState::Draft,
                return_comment: None,
                changed_at: now.clone(),
                changed_by: who.name.clone(),
            };
            (row, OldValues::default())
        }
    };
    // The report's values were read with it; compute every change, then
    // write them in a few statements: the values, the rollups, one audit row.
    let fresh = changes.reports_created > 0;
    let index = IndicatorIndex::of(form);
    let mut plan = plan(&index, row.id, &old, inputs)?;
    changes.add(plan.changes);
    if plan.is_empty() {
        return Ok(Written {
            row,
            values: stored(old),
            created: fresh,
            changes,
        });
    }
    let body = plan.body(old);
    let values = body.values.clone();
    crate::statistics::report_values::write(tx, vec![body], fresh, &now, &who.name).await?;
    crate::statistics::rollups::add_many(tx, unit.id, &p, false, &plan.deltas, &plan.option_deltas)
        .await?;
    audit::append_text_many(tx, vec![plan.audit(who, unit)]).await?;
    Ok(Written {
        row,
        values,
        created: fresh,
        changes,
    })
}

/// [`apply_values`], committed with the saves queued beside it (see
/// `reports::saves`).
async fn write_values(
    db: &Db,
    who: &Who,
    form: &Form,
    unit: &Unit,
    period: &str,
    inputs: &[ValueInput],
) -> StorageResult<Written> {
    let save = super::saves::Save {
        who: who.clone(),
        form: form.clone(),
        unit: unit.clone(),
        period: period.to_string(),
        inputs: inputs.to_vec(),
    };
    match db.saves() {
        Some(queue) => queue.save(save).await,
        None => super::saves::write_alone(db.clone(), std::sync::Arc::new(save)).await,
    }
}

/// What a save wrote: the report's row and all its values after the save
/// (the answer is built from them, not read again), whether the save
/// created the report, and what changed.
pub(crate) struct Written {
    pub(super) row: ReportRow,
    pub(super) values: Vec<StoredValue>,
    pub(super) created: bool,
    pub(crate) changes: Changes,
}

/// Values by key back into their stored form.
fn stored(values: OldValues) -> Vec<StoredValue> {
    values
        .into_iter()
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
}

/// A report's values by (indicator, option): (thousandths, qualifier, comment).
pub(super) type OldValues = HashMap<(i64, String), (i64, Qualifier, Option<String>)>;

pub(super) fn old_values(values: Vec<StoredValue>) -> OldValues {
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
pub(super) struct Plan {
    report_id: i64,
    upserts: Vec<StoredValue>,
    deletes: Vec<(i64, String)>,
    pub(super) deltas: Vec<(i64, Contribution)>,
    /// The breakdown options' deltas (also in `deltas`).
    pub(super) option_deltas: Vec<crate::statistics::rollups::OptionChange>,
    before: String,
    pub(super) after: String,
    /// Whether any changed key had a value before.
    had_before: bool,
    pub(super) changes: Changes,
}

impl Plan {
    pub(super) fn is_empty(&self) -> bool {
        self.after.is_empty()
    }

    /// The report's values after the change: `old` with the plan applied
    /// (the plan's values are taken).
    pub(super) fn body(&mut self, mut old: OldValues) -> crate::statistics::report_values::Body {
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
            stored(old)
        };
        crate::statistics::report_values::Body {
            report_id: self.report_id,
            values,
        }
    }

    pub(super) fn audit<'a>(self, who: &'a Who, unit: &Unit) -> audit::TextChange<'a> {
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
pub(super) fn push_json_str(out: &mut String, s: &str) {
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

pub(super) fn plan(
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
        option_deltas: Vec::new(),
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
        if !input.option.is_empty() {
            crate::statistics::rollups::add_option_change(
                &mut plan.option_deltas,
                ind.id,
                &input.option,
                delta,
            );
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
    let written = write_values(db, who, form, unit, period, inputs).await?;
    view_written(db, form, unit, period, written).await
}

/// A value that could not be saved: its key (`code`, or `code.option` for a
/// breakdown) and why, in words (without the key: the page names the cell).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CellProblem {
    pub key: String,
    pub message: String,
}

/// What a save of every valid value did.
#[derive(Debug, Clone)]
pub struct PartialSave {
    pub view: ReportView,
    pub changes: Changes,
    /// The values not saved, in the order given.
    pub problems: Vec<CellProblem>,
}

/// Why one value cannot be saved, if it cannot.
fn cell_problem(form: &Form, input: &ValueInput) -> Option<String> {
    let Some(ind) = form.indicators.iter().find(|i| i.code == input.indicator) else {
        return Some(format!("chỉ tiêu không có trong biểu {}", form.name_vi));
    };
    let option_ok = if ind.options.is_empty() {
        input.option.is_empty()
    } else {
        ind.options.iter().any(|o| o.code == input.option)
    };
    if !option_ok {
        return Some("nhóm phân tổ không có trong biểu".to_string());
    }
    let (milli, _, comment) = input.value.as_ref()?;
    if let Err(e) = check_value(*milli, ind.value_type) {
        return Some(e.to_string());
    }
    comment.as_ref().and_then(|c| {
        antq_core::text::check_len("Ghi chú", c.trim(), antq_core::text::limits::VALUE_COMMENT)
            .err()
            .map(|e| e.to_string())
    })
}

/// Save every valid value of a draft or returned report (creating it), and
/// report the others cell by cell: one bad value never costs the good ones.
/// A value given twice is a problem of its second copy. A submitted or
/// approved report is still refused whole, with the reason.
pub async fn put_valid_values(
    db: &Db,
    who: &Who,
    form: &Form,
    unit: &Unit,
    period: &str,
    inputs: Vec<ValueInput>,
) -> StorageResult<PartialSave> {
    check_period(form, period)?;
    check_unit(form, unit)?;
    let mut problems = Vec::new();
    let mut valid = Vec::with_capacity(inputs.len());
    let mut seen = std::collections::HashSet::new();
    for input in inputs {
        let k = key(&input.indicator, &input.option);
        if !seen.insert(k.clone()) {
            problems.push(CellProblem {
                key: k,
                message: "giá trị được gửi hai lần".to_string(),
            });
            continue;
        }
        match cell_problem(form, &input) {
            Some(message) => problems.push(CellProblem { key: k, message }),
            None => valid.push(input),
        }
    }
    if valid.is_empty() {
        return Ok(PartialSave {
            view: view(db, form, unit, period).await?,
            changes: Changes::default(),
            problems,
        });
    }
    let valid = &valid[..];
    let written = write_values(db, who, form, unit, period, valid).await?;
    let changes = written.changes;
    Ok(PartialSave {
        view: view_written(db, form, unit, period, written).await?,
        changes,
        problems,
    })
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
