//! Statistics pages: data entry for one form, unit and
//! period (drafts saved as you type, validation shown at once), the
//! workflow buttons.

use std::collections::{HashMap, HashSet};

use antq_core::dates;
use antq_core::indicators::{format_milli, format_qualified, parse_number, Qualifier};
use antq_core::periods::Period;
use antq_core::reports::Transition;
use antq_core::validation::Severity;
use antq_storage::statistics::catalogue::Form;
use antq_storage::statistics::reports::{self, Changes, HistoryEvent, ReportView, ValueInput};
use antq_storage::units::Unit;
use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::Form as FormBody;

use crate::auth::PageUser;
use crate::error::{Failure, PageResult};
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

#[derive(Template)]
#[template(path = "data/validation.html")]
struct ValidationPartial {
    c: Chrome,
    issues: Vec<Issue>,
    saved_at: String,
    notice: Option<(bool, String)>,
    state: String,
    state_label: String,
    /// The cells this save could not save (space-separated keys), for
    /// entry.js: only the others leave the browser's store.
    unsaved: String,
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
fn rule_issues(c: &Chrome, form: &Form, view: &ReportView) -> Vec<Issue> {
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
fn cell_issues(form: &Form, cells: &[(String, String)]) -> Vec<Issue> {
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

/// The fields of an entry form as posted: the text of every cell, the
/// values that could be read, and the cells that could not.
#[derive(Default)]
struct Posted {
    /// By key: (value text, qualifier, note) exactly as typed.
    typed: HashMap<String, (String, String, String)>,
    inputs: Vec<ValueInput>,
    /// Cells that could not be read: (key, why).
    unreadable: Vec<(String, String)>,
    /// `submit` when "Gửi lên cấp trên" was pressed.
    intent: String,
}

/// What happened to a post, for the page shown after it.
struct Overlay<'a> {
    posted: Option<&'a Posted>,
    cells: Vec<(String, String)>,
    notice: Option<(bool, String)>,
    /// Also show the warnings that block a submission at their cells.
    submitting: bool,
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
fn lower_first(s: &str) -> String {
    let mut chars = s.chars();
    match chars.next() {
        Some(f) => f.to_lowercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// The entry page, from the database, overlaid with what a post carried.
#[allow(clippy::too_many_arguments)]
async fn entry_page(
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

pub async fn entry(
    State(state): State<AppState>,
    c: Chrome,
    PageUser(ctx): PageUser,
    Path((form, unit, period)): Path<(String, String, String)>,
) -> PageResult<Response> {
    let (form, unit, view) = statistics::view(&state, &ctx.actor, &form, &unit, &period).await?;
    let overlay = Overlay {
        posted: None,
        cells: Vec::new(),
        notice: None,
        submitting: false,
    };
    entry_page(
        &state,
        c,
        &ctx.actor,
        &form,
        &unit,
        view,
        overlay,
        StatusCode::OK,
    )
    .await
}

/// The largest entry-form body accepted (`/so-lieu/…/luu`); more is 413.
/// Read by the handler itself, after the access check, with this limit.
pub const FORM_BODY_LIMIT: usize = 1024 * 1024;

/// The number of fields in a urlencoded body, counted without decoding any.
fn count_fields(body: &[u8]) -> usize {
    body.split(|b| *b == b'&').filter(|f| !f.is_empty()).count()
}

/// Read the entry form's fields (`v:KEY`, `q:KEY`, `c:KEY`, `intent`). The
/// body is decoded once, into maps by key: the work is linear in its size.
/// Before decoding, the number of fields is capped by what the form could
/// carry (three fields per value, and a small margin): 413 beyond. A field
/// sent twice, or a number that cannot be read, is a problem of its cell
/// only: the other cells are still read.
fn read_form(body: &[u8], form: &Form) -> Result<Posted, Failure> {
    let limit = 3 * statistics::value_slots(form) + statistics::SAVE_MARGIN;
    let n = count_fields(body);
    if n > limit {
        return Err(statistics::too_many_values(n, limit, form, "trường"));
    }
    let mut order: Vec<String> = Vec::new();
    let mut posted = Posted::default();
    let mut repeated: HashSet<String> = HashSet::new();
    let mut seen: HashSet<(u8, String)> = HashSet::new();
    for (k, v) in form_urlencoded::parse(body) {
        if k == "intent" {
            posted.intent = v.into_owned();
            continue;
        }
        let (slot, key) = if let Some(key) = k.strip_prefix("v:") {
            (0, key)
        } else if let Some(key) = k.strip_prefix("q:") {
            (1, key)
        } else if let Some(key) = k.strip_prefix("c:") {
            (2, key)
        } else {
            continue;
        };
        let entry = posted.typed.entry(key.to_string()).or_insert_with(|| {
            order.push(key.to_string());
            (String::new(), String::new(), String::new())
        });
        let field = match slot {
            0 => &mut entry.0,
            1 => &mut entry.1,
            _ => &mut entry.2,
        };
        if !seen.insert((slot, key.to_string())) {
            repeated.insert(key.to_string());
        }
        *field = antq_core::text::nfc(&v);
    }
    for key in order {
        let Some((raw, q, note)) = posted.typed.get(&key) else {
            continue;
        };
        if repeated.contains(&key) {
            posted
                .unreadable
                .push((key.clone(), "ô được gửi hai lần".to_string()));
            continue;
        }
        let (indicator, option) = match key.split_once('.') {
            Some((i, o)) => (i.to_string(), o.to_string()),
            None => (key.clone(), String::new()),
        };
        let comment = Some(note.clone()).filter(|s| !s.trim().is_empty());
        let value = if raw.trim().is_empty() {
            None
        } else {
            match parse_number(raw) {
                Ok(n) => {
                    let chosen = q.parse::<Qualifier>().unwrap_or(Qualifier::Exact);
                    let q = if n.qualifier != Qualifier::Exact {
                        n.qualifier
                    } else {
                        chosen
                    };
                    Some((n.milli, q, comment))
                }
                Err(e) => {
                    posted.unreadable.push((key.clone(), e.to_string()));
                    continue;
                }
            }
        };
        posted.inputs.push(ValueInput {
            indicator,
            option,
            value,
        });
    }
    Ok(posted)
}

/// "Đã lưu 3 giá trị" (or that nothing changed).
fn saved_words(c: &Chrome, changes: &Changes) -> String {
    let n = changes.values_new + changes.values_changed + changes.values_cleared;
    if n == 0 {
        c.t("entry.saved_none").to_string()
    } else {
        c.t("entry.saved_n")
            .replace("{n}", &antq_core::text::format_int(n as i64))
    }
}

/// Save the draft: every readable value is saved, even when another cell
/// is not. From htmx (as the person types): answer with the checks panel,
/// the cells' problems and the state badge. From a plain form ("Lưu nháp",
/// Enter, "Gửi lên cấp trên" without or with JavaScript): when a cell is
/// wrong, the page again, built from what was posted, so no typed text is
/// lost; otherwise back to the page with what happened. "Gửi lên cấp trên"
/// saves first, then submits only if nothing is wrong. Who may enter the
/// report is checked before the body is read; a caller without the right,
/// or a body larger than the form could be, gets an error page (403/404,
/// 413) rather than a message on the entry page.
pub async fn save(
    State(state): State<AppState>,
    c: Chrome,
    PageUser(ctx): PageUser,
    headers: axum::http::HeaderMap,
    Path((form, unit, period)): Path<(String, String, String)>,
    body: axum::body::Body,
) -> PageResult<Response> {
    let back = safe_back(&format!("/so-lieu/{form}/{unit}/{period}"));
    let (form, unit) = statistics::entry_target(&state, &ctx.actor, &form, &unit, &period).await?;
    let is_form = headers
        .get(axum::http::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/x-www-form-urlencoded"));
    if !is_form {
        return Err(Failure::new(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "Nội dung gửi lên phải là biểu mẫu (application/x-www-form-urlencoded)",
        )
        .into());
    }
    // Only the length limit is reported as such; a client that goes away
    // or stalls mid-body gets a plain 400.
    let body = statistics::read_limited(body, FORM_BODY_LIMIT)
        .await
        .map_err(|e| match e {
            None => Failure::new(
                StatusCode::PAYLOAD_TOO_LARGE,
                format!(
                    "Nội dung gửi lên vượt giới hạn {} byte của một lần lưu",
                    antq_core::text::format_int(FORM_BODY_LIMIT as i64)
                ),
            ),
            Some(e) => {
                tracing::debug!(error = %e, "entry form body unreadable");
                Failure::bad_request("Không đọc được nội dung gửi lên")
            }
        })?;
    let posted = read_form(&body, &form)?;
    let from_htmx = headers.contains_key("hx-request");
    let submitting = !from_htmx && posted.intent == "submit";
    let saved = statistics::put_partial(
        &state,
        &ctx.actor,
        &form,
        &unit,
        &period,
        posted.inputs.clone(),
    )
    .await;
    let saved = match saved {
        Ok(s) => s,
        // Refused whole (a report sent up or approved meanwhile): nothing
        // saved, the typed text kept on the page.
        Err(e) => {
            let mut message = e.message.clone();
            if !e.errors.is_empty() {
                message = format!(
                    "{message}: {}",
                    crate::pages::error_lines(&e.errors).join("; ")
                );
            }
            let message = format!("{} {}", c.t("entry.not_saved"), message);
            if from_htmx {
                // The error's status (409 when the report was sent up or
                // approved meanwhile): entry.js swaps the message in and
                // keeps the typed entries, since nothing was saved.
                let mut res = render(ValidationPartial {
                    issues: Vec::new(),
                    saved_at: String::new(),
                    notice: Some((true, message)),
                    state: String::new(),
                    state_label: String::new(),
                    unsaved: String::new(),
                    c,
                })?;
                *res.status_mut() = e.status;
                return Ok(res);
            }
            let view = reports::view(&state.db, &form, &unit, &period)
                .await
                .map_err(Failure::from)?;
            let overlay = Overlay {
                posted: Some(&posted),
                cells: Vec::new(),
                notice: Some((true, message)),
                submitting: false,
            };
            return entry_page(&state, c, &ctx.actor, &form, &unit, view, overlay, e.status).await;
        }
    };
    let mut cells = posted.unreadable.clone();
    cells.extend(saved.problems.into_iter().map(|p| (p.key, p.message)));
    let done = saved_words(&c, &saved.changes);
    if from_htmx {
        let mut issues = cell_issues(&form, &cells);
        issues.extend(rule_issues(&c, &form, &saved.view));
        let notice = (!cells.is_empty()).then(|| {
            (
                true,
                c.t("entry.cells_unsaved")
                    .replace("{n}", &antq_core::text::format_int(cells.len() as i64)),
            )
        });
        let unsaved = cells
            .iter()
            .map(|(k, _)| k.as_str())
            .collect::<Vec<_>>()
            .join(" ");
        return render(ValidationPartial {
            issues,
            saved_at: dates::format_timestamp_vi(&dates::timestamp(dates::now_utc())),
            notice,
            unsaved,
            state_label: antq_core::words::report_state_vi(&saved.view.state).to_string(),
            state: saved.view.state,
            c,
        });
    }
    if cells.is_empty() && !submitting {
        return Ok(crate::pages::done_text(&back, &done));
    }
    if cells.is_empty() {
        let submitted = statistics::transition(
            &state,
            &ctx.actor,
            &form.code,
            &unit.code,
            &period,
            Transition::Submit,
            None,
        )
        .await;
        match submitted {
            Ok(_) => return Ok(crate::pages::done_text(&back, c.t("entry.done.submit"))),
            Err(e) => {
                let view = reports::view(&state.db, &form, &unit, &period)
                    .await
                    .map_err(Failure::from)?;
                let why = if e.errors.is_empty() {
                    e.message.clone()
                } else {
                    c.t("entry.submit_blocked_rules").to_string()
                };
                let overlay = Overlay {
                    posted: Some(&posted),
                    cells: Vec::new(),
                    notice: Some((
                        true,
                        format!("{done}. {} {why}", c.t("entry.not_submitted")),
                    )),
                    submitting: true,
                };
                return entry_page(
                    &state,
                    c,
                    &ctx.actor,
                    &form,
                    &unit,
                    view,
                    overlay,
                    StatusCode::UNPROCESSABLE_ENTITY,
                )
                .await;
            }
        }
    }
    let unsaved = c
        .t("entry.cells_unsaved")
        .replace("{n}", &antq_core::text::format_int(cells.len() as i64));
    let notice = if submitting {
        format!("{done}. {} {unsaved}", c.t("entry.not_submitted"))
    } else {
        format!("{done}. {unsaved}")
    };
    let overlay = Overlay {
        posted: Some(&posted),
        cells,
        notice: Some((true, notice)),
        submitting,
    };
    entry_page(
        &state,
        c,
        &ctx.actor,
        &form,
        &unit,
        saved.view,
        overlay,
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await
}

fn safe_back(path: &str) -> String {
    if path
        .chars()
        .all(|ch| ch.is_ascii_alphanumeric() || "/-_.".contains(ch))
    {
        path.to_string()
    } else {
        "/so-lieu".to_string()
    }
}

#[derive(serde::Deserialize)]
pub struct StepForm {
    action: String,
    #[serde(default)]
    comment: Option<String>,
}

/// Submit, approve, return or reopen from the page; the message says which
/// ("Đã trả lại xã Mường Phăng").
pub async fn step(
    State(state): State<AppState>,
    c: Chrome,
    PageUser(ctx): PageUser,
    Path((form, unit, period)): Path<(String, String, String)>,
    FormBody(f): FormBody<StepForm>,
) -> Response {
    let back = safe_back(&format!("/so-lieu/{form}/{unit}/{period}"));
    let (t, key) = match f.action.as_str() {
        "submit" => (Transition::Submit, "entry.done.submit"),
        "approve" => (Transition::Approve, "entry.done.approve"),
        "return" => (Transition::Return, "entry.done.return"),
        "reopen" => (Transition::Reopen, "entry.done.reopen"),
        _ => return crate::pages::failed(&back, Failure::bad_request("Thao tác không hợp lệ")),
    };
    match statistics::transition(&state, &ctx.actor, &form, &unit, &period, t, f.comment).await {
        Ok(view) => crate::pages::done_text(
            &back,
            &c.t(key).replace("{unit}", &lower_first(&view.unit_name)),
        ),
        Err(e) => crate::pages::failed(&back, e),
    }
}

#[derive(serde::Deserialize)]
pub struct RemarkForm {
    body: String,
}

/// The police or the Front add a comment to a report.
pub async fn comment(
    State(state): State<AppState>,
    c: Chrome,
    PageUser(ctx): PageUser,
    Path((form, unit, period)): Path<(String, String, String)>,
    FormBody(f): FormBody<RemarkForm>,
) -> Response {
    let back = safe_back(&format!("/so-lieu/{form}/{unit}/{period}"));
    let result = statistics::comment(&state, &ctx.actor, &form, &unit, &period, &f.body).await;
    match result {
        Ok(_) => crate::pages::done_text(&format!("{back}#y-kien"), c.t("entry.done.comment")),
        Err(e) => crate::pages::failed(&back, e),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_are_counted_without_decoding() {
        assert_eq!(count_fields(b""), 0);
        assert_eq!(count_fields(b"a=1"), 1);
        assert_eq!(count_fields(b"a=1&&b=2&"), 2);
        assert_eq!(count_fields(b"v%3Ax=1&c%3Ax=%26"), 2);
    }
}
