//! Statistics pages: data entry for one form, unit and
//! period (drafts saved as you type, validation shown at once), the
//! workflow buttons.

use std::collections::{HashMap, HashSet};

use antq_core::dates;
use antq_core::indicators::{format_milli, parse_number, Qualifier};
use antq_core::reports::Transition;
use antq_core::validation::Severity;
use antq_storage::statistics::catalogue::Form;
use antq_storage::statistics::reports::{ReportView, ValueInput};
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

/// One input row of the entry form.
pub struct EntryRow {
    pub key: String,
    pub group: String,
    pub name: String,
    pub unit: String,
    pub value: String,
    pub qualifier: String,
    pub comment: String,
    pub first_of_group: bool,
}

pub struct Issue {
    pub error: bool,
    pub message: String,
}

#[derive(Template)]
#[template(path = "data/entry.html")]
struct EntryPage {
    c: Chrome,
    form_code: String,
    form_name: String,
    unit_code: String,
    unit_name: String,
    period: String,
    dates_text: String,
    deadline: String,
    state: String,
    state_label: String,
    return_comment: String,
    editable: bool,
    can_enter: bool,
    can_approve: bool,
    rows: Vec<EntryRow>,
    issues: Vec<Issue>,
    qualifiers: Vec<(&'static str, &'static str)>,
    base: String,
    comments: Vec<CommentRow>,
    can_comment: bool,
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
}

fn state_label(state: &str) -> &'static str {
    match state {
        "draft" => "Đang nhập",
        "submitted" => "Đã gửi, chờ duyệt",
        "approved" => "Đã duyệt",
        "returned" => "Bị trả lại",
        _ => "Chưa nhập",
    }
}

fn issues(view: &ReportView) -> Vec<Issue> {
    view.validation
        .iter()
        .map(|v| Issue {
            error: v.severity == Severity::Error,
            message: match v.severity {
                Severity::Error => format!("Lỗi: {}", v.message),
                Severity::Warning if v.explained => {
                    format!("Cảnh báo (đã có ghi chú): {}", v.message)
                }
                Severity::Warning => format!("Cảnh báo, cần ghi chú giải thích: {}", v.message),
            },
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
                qualifier: v
                    .map(|v| v.qualifier.as_str())
                    .unwrap_or("exact")
                    .to_string(),
                comment: v.and_then(|v| v.comment.clone()).unwrap_or_default(),
            });
            last_group = ind.group.clone();
        }
    }
    rows
}

pub async fn entry(
    State(state): State<AppState>,
    c: Chrome,
    PageUser(ctx): PageUser,
    Path((form, unit, period)): Path<(String, String, String)>,
) -> PageResult<Response> {
    let (form, unit, view) = statistics::view(&state, &ctx.actor, &form, &unit, &period).await?;
    let (can_enter, can_approve) = statistics::rights(&state, &ctx.actor, &form, &unit).await?;
    let editable = matches!(view.state.as_str(), "not_started" | "draft" | "returned");
    let can_comment =
        view.state != "not_started" && statistics::can_comment(&state, &ctx.actor, &unit).await?;
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
    render(EntryPage {
        form_code: form.code.clone(),
        form_name: form.name_vi.clone(),
        unit_code: unit.code.clone(),
        unit_name: unit.name.clone(),
        period: view.period.clone(),
        dates_text: format!("{} – {}", fmt(&view.period_start), fmt(&view.period_end)),
        deadline: fmt(&view.deadline),
        state_label: state_label(&view.state).to_string(),
        return_comment: view.return_comment.clone().unwrap_or_default(),
        editable,
        can_enter,
        can_approve,
        rows: entry_rows(&form, &view),
        issues: issues(&view),
        qualifiers: vec![
            ("exact", "chính xác"),
            ("more_than", "hơn"),
            ("nearly", "gần"),
            ("about", "khoảng"),
        ],
        base: format!("/so-lieu/{}/{}/{}", form.code, unit.code, view.period),
        comments,
        can_comment,
        state: view.state,
        c,
    })
}

/// The largest entry-form body accepted (`/so-lieu/…/luu`); more is 413.
/// Read by the handler itself, after the access check, with this limit.
pub const FORM_BODY_LIMIT: usize = 1024 * 1024;

/// The number of fields in a urlencoded body, counted without decoding any.
fn count_fields(body: &[u8]) -> usize {
    body.split(|b| *b == b'&').filter(|f| !f.is_empty()).count()
}

/// Read the entry form's fields (`v:KEY`, `q:KEY`, `c:KEY`) into values.
/// The body is decoded once, into maps by key: the work is linear in its
/// size. Before decoding, the number of fields is capped by what the form
/// could carry (three fields per value, and a small margin): 413 beyond.
/// A field sent twice is refused (never one of the two chosen silently);
/// every unreadable number is reported at once.
fn read_form(body: &[u8], form: &Form) -> Result<Vec<ValueInput>, Failure> {
    let limit = 3 * statistics::value_slots(form) + statistics::SAVE_MARGIN;
    let n = count_fields(body);
    if n > limit {
        return Err(statistics::too_many_values(n, limit, form, "trường"));
    }
    let mut values: Vec<(String, String)> = Vec::new();
    let mut seen: HashSet<String> = HashSet::new();
    let mut qualifiers: HashMap<String, String> = HashMap::new();
    let mut comments: HashMap<String, String> = HashMap::new();
    let mut errors = Vec::new();
    for (k, v) in form_urlencoded::parse(body) {
        let repeated = if let Some(key) = k.strip_prefix("v:") {
            let fresh = seen.insert(key.to_string());
            if fresh {
                values.push((key.to_string(), v.into_owned()));
            }
            !fresh
        } else if let Some(key) = k.strip_prefix("q:") {
            qualifiers.insert(key.to_string(), v.into_owned()).is_some()
        } else if let Some(key) = k.strip_prefix("c:") {
            comments.insert(key.to_string(), v.into_owned()).is_some()
        } else {
            false
        };
        if repeated {
            errors.push(format!("trường {k} được gửi hai lần"));
        }
    }
    let mut inputs = Vec::with_capacity(values.len());
    for (key, raw) in values {
        let (indicator, option) = match key.split_once('.') {
            Some((i, o)) => (i.to_string(), o.to_string()),
            None => (key.clone(), String::new()),
        };
        let comment = comments.remove(&key).filter(|s| !s.trim().is_empty());
        let value = if raw.trim().is_empty() {
            None
        } else {
            match parse_number(&raw) {
                Ok(n) => {
                    let chosen = qualifiers
                        .get(&key)
                        .and_then(|q| q.parse::<Qualifier>().ok())
                        .unwrap_or(Qualifier::Exact);
                    let q = if n.qualifier != Qualifier::Exact {
                        n.qualifier
                    } else {
                        chosen
                    };
                    Some((n.milli, q, comment))
                }
                Err(e) => {
                    errors.push(format!("{key}: {e}"));
                    continue;
                }
            }
        };
        inputs.push(ValueInput {
            indicator,
            option,
            value,
        });
    }
    if errors.is_empty() {
        Ok(inputs)
    } else {
        Err(antq_storage::StorageError::Rejected(errors).into())
    }
}

/// Save the draft. From htmx (as the person types): answer with the
/// validation panel; from a plain form: go back to the page. Who may enter
/// the report is checked before the body is read; a caller without the
/// right, or a body larger than the form could be, gets an error page
/// (403/404, 413) rather than a message on the entry page.
pub async fn save(
    State(state): State<AppState>,
    c: Chrome,
    PageUser(ctx): PageUser,
    headers: axum::http::HeaderMap,
    Path((form, unit, period)): Path<(String, String, String)>,
    body: axum::body::Body,
) -> PageResult<Response> {
    let back = format!("/so-lieu/{form}/{unit}/{period}");
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
    let result = match read_form(&body, &form) {
        Ok(inputs) => {
            statistics::put_checked(&state, &ctx.actor, &form, &unit, &period, inputs).await
        }
        Err(e) if e.status == StatusCode::PAYLOAD_TOO_LARGE => return Err(e.into()),
        Err(e) => Err(e),
    };
    let from_htmx = headers.contains_key("hx-request");
    match (result, from_htmx) {
        (Ok(view), true) => render(ValidationPartial {
            issues: issues(&view),
            saved_at: dates::format_timestamp_vi(&dates::timestamp(dates::now_utc())),
            c,
        }),
        (Err(e), true) => {
            let mut list = vec![Issue {
                error: true,
                message: e.message.clone(),
            }];
            list.extend(
                crate::pages::error_lines(&e.errors)
                    .into_iter()
                    .map(|m| Issue {
                        error: true,
                        message: m,
                    }),
            );
            render(ValidationPartial {
                issues: list,
                saved_at: String::new(),
                c,
            })
        }
        (Ok(_), false) => Ok(crate::pages::done(&safe_back(&back), "msg.saved")),
        (Err(e), false) => Ok(crate::pages::failed(&safe_back(&back), e)),
    }
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

/// Submit, approve, return or reopen from the page.
pub async fn step(
    State(state): State<AppState>,
    PageUser(ctx): PageUser,
    Path((form, unit, period)): Path<(String, String, String)>,
    FormBody(f): FormBody<StepForm>,
) -> Response {
    let back = safe_back(&format!("/so-lieu/{form}/{unit}/{period}"));
    let t = match f.action.as_str() {
        "submit" => Transition::Submit,
        "approve" => Transition::Approve,
        "return" => Transition::Return,
        "reopen" => Transition::Reopen,
        _ => return crate::pages::failed(&back, Failure::bad_request("hành động không hợp lệ")),
    };
    let result =
        statistics::transition(&state, &ctx.actor, &form, &unit, &period, t, f.comment).await;
    crate::pages::outcome(result, &back, "msg.saved", &back)
}

#[derive(serde::Deserialize)]
pub struct RemarkForm {
    body: String,
}

/// The police or the Front add a comment to a report.
pub async fn comment(
    State(state): State<AppState>,
    PageUser(ctx): PageUser,
    Path((form, unit, period)): Path<(String, String, String)>,
    FormBody(f): FormBody<RemarkForm>,
) -> Response {
    let back = safe_back(&format!("/so-lieu/{form}/{unit}/{period}"));
    let result = statistics::comment(&state, &ctx.actor, &form, &unit, &period, &f.body).await;
    crate::pages::outcome(result, &format!("{back}#y-kien"), "msg.saved", &back)
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
