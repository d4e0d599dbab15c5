//! Statistics pages: data entry for one form, unit and
//! period (drafts saved as you type, validation shown at once), the
//! workflow buttons.
//!
//! The page as shown (its rows, the messages at their cells, the history
//! and the comments) is in `page`; the handlers, the reading of a posted
//! form and the workflow steps are here.

pub mod page;

use std::collections::{HashMap, HashSet};

use antq_core::dates;
use antq_core::indicators::{parse_number, Qualifier};
use antq_core::reports::Transition;
use antq_storage::statistics::catalogue::Form;
use antq_storage::statistics::reports::{self, Changes, ValueInput};
use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::Form as FormBody;

use self::page::{cell_issues, entry_page, lower_first, rule_issues, Issue};
use crate::auth::PageUser;
use crate::error::{Failure, PageResult};
use crate::pages::{render, Chrome};
use crate::state::AppState;
use crate::statistics;

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
