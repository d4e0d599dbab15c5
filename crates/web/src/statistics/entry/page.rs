//! The data entry page as shown: its rows (with what a post carried laid
//! over them), the messages tied to their cells, the report's history and
//! comments.

use std::collections::HashMap;

use antq_core::dates;
use antq_core::indicators::{format_milli, format_qualified, parse_number, Qualifier};
use antq_core::periods::Period;
use antq_core::validation::Severity;
use antq_storage::statistics::catalogue::Form;
use antq_storage::statistics::reports::{HistoryEvent, ReportView};
use antq_storage::units::Unit;
use askama::Template;
use axum::http::StatusCode;
use axum::response::Response;

use super::Overlay;
use crate::error::PageResult;
use crate::pages::{render, Chrome};
use crate::state::AppState;
use crate::statistics;

/// One row of the entry form: what its cells show. On a re-render after a
/// post, the text as typed (never what the database holds).
pub struct EntryRow {
    pub key: String,
    pub group: String,
    pub name: String,
    pub unit: String,
    /// The value's text in its input.
    pub value: String,
    /// Read-only: the value in words ("hơn 4.378").
    pub shown: String,
    pub qualifier: String,
    pub comment: String,
    pub first_of_group: bool,
    /// Why the cell is not saved (or the rule it breaks), naming the indicator by its label.
    pub error: String,
    /// Whether the qualifier and note are shown unfolded.
    pub more_open: bool,
}

impl EntryRow {
    pub fn invalid(&self) -> bool {
        !self.error.is_empty()
    }
}

pub struct Issue {
    pub error: bool,
    pub message: String,
    /// The cells the message is about (`v-KEY` ids without the prefix), space-separated.
    pub keys: String,
    /// The first of them, for a link to the cell.
    pub first: String,
}

/// One step of a report's history.
pub struct HistoryRow {
    pub at: String,
    pub who: String,
    pub what: String,
    pub comment: String,
    pub kind: &'static str,
}

#[derive(Template)]
#[template(path = "data/entry.html")]
struct EntryPage {
    c: Chrome,
    form_name: String,
    unit_code: String,
    unit_name: String,
    period_words: String,
    deadline: String,
    state: String,
    state_label: String,
    /// The commune's form to type into (not for an approver above it).
    edit: bool,
    /// Read-only because the caller approves this report from above.
    approver_view: bool,
    can_approve: bool,
    rows: Vec<EntryRow>,
    issues: Vec<Issue>,
    qualifiers: Vec<(&'static str, &'static str)>,
    base: String,
    comments: Vec<CommentRow>,
    can_comment: bool,
    history: Vec<HistoryRow>,
    /// What the last post did, on a re-render: (is an error, text).
    notice: Option<(bool, String)>,
}

pub struct CommentRow {
    pub author: String,
    pub role: &'static str,
    pub body: String,
    pub at: String,
}

/// The label of a value's key on the form: the indicator's name, with the
/// option's for a breakdown ("Khen thưởng – Tập thể"). A key that is not on
/// the form is named as a cell, quoted.
fn key_label(form: &Form, key: &str) -> String {
    let (code, option) = key.split_once('.').unwrap_or((key, ""));
    let Some(ind) = form.indicators.iter().find(|i| i.code == code) else {
        return format!("Ô «{key}»");
    };
    match ind.options.iter().find(|o| o.code == option) {
        Some(o) if !option.is_empty() => format!("{} – {}", ind.name_vi, o.name_vi),
        _ => ind.name_vi.clone(),
    }
}

/// The first row's key of an indicator (where a rule's message is shown).
fn first_key(form: &Form, code: &str) -> Option<String> {
    let ind = form.indicators.iter().find(|i| i.code == code)?;
    Some(match ind.options.first() {
        Some(o) => format!("{}.{}", ind.code, o.code),
        None => ind.code.clone(),
    })
}

/// "«Label»: message", the message starting as written.
fn cell_message(form: &Form, key: &str, message: &str) -> String {
    format!("«{}»: {message}", key_label(form, key))
}

/// The rule checks as messages, each tied to the cells of its indicators.
/// `blocking`: the warnings that stop a submission are shown as such.
pub(super) fn rule_issues(c: &Chrome, form: &Form, view: &ReportView) -> Vec<Issue> {
    view.validation
        .iter()
        .map(|v| {
            let keys: Vec<String> = v
                .indicators
                .iter()
                .filter_map(|i| first_key(form, i))
                .collect();
            Issue {
                error: v.severity == Severity::Error,
                message: format!(
                    "{}: {}",
                    c.t(match v.severity {
                        Severity::Error => "entry.rule_error",
                        Severity::Warning if v.explained => "entry.rule_warning_explained",
                        Severity::Warning => "entry.rule_warning",
                    }),
                    v.message
                ),
                first: keys.first().cloned().unwrap_or_default(),
                keys: keys.join(" "),
            }
        })
        .collect()
}

/// Cell problems (key → message with the label) as issues, in form order.
pub(super) fn cell_issues(form: &Form, cells: &[(String, String)]) -> Vec<Issue> {
    cells
        .iter()
        .map(|(k, m)| Issue {
            error: true,
            message: cell_message(form, k, m),
            keys: k.clone(),
            first: k.clone(),
        })
        .collect()
}

fn entry_rows(form: &Form, view: &ReportView) -> Vec<EntryRow> {
    let groups: HashMap<&str, &str> = antq_core::indicators::GROUPS
        .iter()
        .map(|(k, vi, _)| (*k, *vi))
        .collect();
    let mut rows = Vec::new();
    let mut last_group = String::new();
    for ind in &form.indicators {
        let keys: Vec<(String, String)> = if ind.options.is_empty() {
            vec![(ind.code.clone(), ind.name_vi.clone())]
        } else {
            ind.options
                .iter()
                .map(|o| {
                    (
                        format!("{}.{}", ind.code, o.code),
                        format!("{} – {}", ind.name_vi, o.name_vi),
                    )
                })
                .collect()
        };
        for (key, name) in keys {
            let v = view.values.get(&key);
            let qualifier = v.map(|v| v.qualifier).unwrap_or(Qualifier::Exact);
            let comment = v.and_then(|v| v.comment.clone()).unwrap_or_default();
            rows.push(EntryRow {
                first_of_group: last_group != ind.group,
                group: groups
                    .get(ind.group.as_str())
                    .copied()
                    .unwrap_or("")
                    .to_string(),
                key: key.clone(),
                name,
                unit: ind.unit.clone(),
                value: v.map(|v| format_milli(v.milli)).unwrap_or_default(),
                shown: v
                    .map(|v| format_qualified(v.milli, v.qualifier))
                    .unwrap_or_default(),
                more_open: qualifier != Qualifier::Exact || !comment.is_empty(),
                qualifier: qualifier.as_str().to_string(),
                comment,
                error: String::new(),
            });
            last_group = ind.group.clone();
        }
    }
    rows
}

fn history_rows(c: &Chrome, unit: &Unit, events: &[HistoryEvent]) -> Vec<HistoryRow> {
    events
        .iter()
        .map(|e| {
            let (key, kind) = match e.action.as_str() {
                "report.create" => ("entry.step.create", "create"),
                "report.submit" => ("entry.step.submit", "submit"),
                "report.return" => ("entry.step.return", "return"),
                "report.approve" => ("entry.step.approve", "approve"),
                _ => ("entry.step.reopen", "reopen"),
            };
            HistoryRow {
                at: dates::format_timestamp_vi(&e.at),
                who: match &e.actor_name {
                    Some(n) => format!("{n} ({})", e.actor),
                    None if e.actor == "system" => c.t("entry.system").to_string(),
                    None => e.actor.clone(),
                },
                what: c.t(key).replace("{unit}", &lower_first(&unit.name)),
                comment: e.comment.clone().unwrap_or_default(),
                kind,
            }
        })
        .collect()
}

/// "Xã Mường Phăng" → "xã Mường Phăng", as a unit's name reads mid-sentence.
pub(super) fn lower_first(s: &str) -> String {
    let mut chars = s.chars();
    match chars.next() {
        Some(f) => f.to_lowercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// The entry page, from the database, overlaid with what a post carried.
#[allow(clippy::too_many_arguments)]
pub(super) async fn entry_page(
    state: &AppState,
    c: Chrome,
    actor: &antq_storage::accounts::access::Actor,
    form: &Form,
    unit: &Unit,
    view: ReportView,
    overlay: Overlay<'_>,
    status: StatusCode,
) -> PageResult<Response> {
    let (can_enter, can_approve) = statistics::rights(state, actor, form, unit).await?;
    let editable = matches!(view.state.as_str(), "not_started" | "draft" | "returned");
    // An officer above who may approve reads the report; the unit enters it.
    let edit = editable && can_enter && !can_approve;
    let can_comment =
        view.state != "not_started" && statistics::can_comment(state, actor, unit).await?;
    let history = statistics::history(state, form, unit, &view.period).await?;
    let comments = view
        .comments
        .iter()
        .map(|k| CommentRow {
            author: k.author.clone(),
            role: c.role_label(k.role),
            body: k.body.clone(),
            at: dates::format_timestamp_vi(&k.created_at),
        })
        .collect();
    let fmt = |d: &str| {
        dates::parse_date(d)
            .map(dates::format_vi)
            .unwrap_or_default()
    };
    let period_words = match Period::parse(&view.period) {
        Ok(p) if c.lang_code() == "en" => format!(
            "{} ({} – {})",
            p.words_en(),
            fmt(&view.period_start),
            fmt(&view.period_end)
        ),
        Ok(p) => p.words_with_dates_vi(form.calendar),
        Err(_) => view.period.clone(),
    };
    let mut rows = entry_rows(form, &view);
    if let Some(p) = overlay.posted {
        for r in rows.iter_mut() {
            if let Some((v, q, note)) = p.typed.get(&r.key) {
                r.value = v.clone();
                // A qualifier in the text ("hơn 300") wins over the control.
                r.qualifier = parse_number(v)
                    .ok()
                    .map(|n| n.qualifier)
                    .filter(|q| *q != Qualifier::Exact)
                    .or_else(|| q.parse::<Qualifier>().ok())
                    .unwrap_or(Qualifier::Exact)
                    .as_str()
                    .to_string();
                r.comment = note.clone();
                r.more_open = r.qualifier != "exact" || !r.comment.is_empty();
            }
        }
    }
    let mut issues = cell_issues(form, &overlay.cells);
    let rules = rule_issues(&c, form, &view);
    for (k, m) in &overlay.cells {
        if let Some(r) = rows.iter_mut().find(|r| &r.key == k) {
            r.error = cell_message(form, k, m);
        }
    }
    for (issue, v) in rules.iter().zip(&view.validation) {
        let blocks = v.severity == Severity::Error || (overlay.submitting && !v.explained);
        if !blocks {
            continue;
        }
        for k in issue.keys.split_whitespace() {
            if let Some(r) = rows.iter_mut().find(|r| r.key == k && r.error.is_empty()) {
                r.error = v.message.clone();
            }
        }
    }
    issues.extend(rules);
    let mut res = render(EntryPage {
        form_name: form.name_vi.clone(),
        unit_code: unit.code.clone(),
        unit_name: unit.name.clone(),
        period_words,
        deadline: fmt(&view.deadline),
        state_label: antq_core::words::report_state_vi(&view.state).to_string(),
        edit,
        approver_view: can_approve && !edit,
        can_approve,
        rows,
        issues,
        qualifiers: qualifiers(&c),
        base: format!("/so-lieu/{}/{}/{}", form.code, unit.code, view.period),
        comments,
        can_comment,
        history: history_rows(&c, unit, &history),
        notice: overlay.notice,
        state: view.state,
        c,
    })?;
    *res.status_mut() = status;
    Ok(res)
}

fn qualifiers(c: &Chrome) -> Vec<(&'static str, &'static str)> {
    vec![
        ("exact", c.t("entry.q.exact")),
        ("more_than", c.t("entry.q.more_than")),
        ("nearly", c.t("entry.q.nearly")),
        ("about", c.t("entry.q.about")),
    ]
}
