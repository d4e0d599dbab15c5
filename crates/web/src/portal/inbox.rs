//! The editors' inbox ("Thư gửi ban biên tập"): `/bien-tap/thu` lists the
//! messages of one state with the counts of every state, `/bien-tap/thu/{id}`
//! shows one (opening a new one marks it "đã xem") with the contact to
//! answer by; plain forms record the answer, archive, mark as spam, put
//! back, or turn the message into an article draft (the editors' article
//! page `/bien-tap/bai/{id}`). Access and audit are storage's
//! (`portal::messages`): officers with the editor roles on the message's
//! unit or above.

use antq_storage::portal::messages::{self, State as MsgState};
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::header::{CONTENT_DISPOSITION, CONTENT_TYPE};
use axum::http::HeaderValue;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Form, Router};
use serde::Deserialize;

use crate::auth::PageUser;
use crate::error::{Failure, PageResult};
use crate::pages::{date_vi, done_text, failed, render, Chrome};
use crate::state::AppState;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/bien-tap/thu", get(list))
        .route("/bien-tap/thu/{id}", get(show))
        .route("/bien-tap/thu/{id}/tep", get(file))
        .route("/bien-tap/thu/{id}/tra-loi", post(answer))
        .route("/bien-tap/thu/{id}/trang-thai", post(set_state))
        .route("/bien-tap/thu/{id}/tao-bai", post(draft))
        // What readers wrote (names, phone numbers) is never kept by a cache.
        .route_layer(axum::middleware::from_fn(crate::tips::pages::no_store))
}

/// A state's slug in the inbox's address.
fn slug(s: MsgState) -> &'static str {
    match s {
        MsgState::New => "moi",
        MsgState::Seen => "da-xem",
        MsgState::Answered => "da-tra-loi",
        MsgState::Archived => "luu-tru",
        MsgState::Spam => "rac",
    }
}

fn of_slug(s: &str) -> Option<MsgState> {
    MsgState::ALL.into_iter().find(|k| slug(*k) == s)
}

pub struct Tab {
    pub href: String,
    pub label: &'static str,
    pub count: String,
    pub current: bool,
}

pub struct RowView {
    pub href: String,
    pub subject: String,
    pub kind: &'static str,
    pub unit: String,
    pub from: String,
    pub day: String,
    pub attachment: bool,
}

#[derive(Template)]
#[template(path = "portal/inbox.html")]
struct ListPage {
    c: Chrome,
    tabs: Vec<Tab>,
    state_label: &'static str,
    rows: Vec<RowView>,
    page: i64,
    prev: Option<String>,
    next: Option<String>,
}

#[derive(Deserialize)]
struct ListQuery {
    #[serde(rename = "trang-thai")]
    state: Option<String>,
    trang: Option<i64>,
}

async fn list(
    State(state): State<AppState>,
    PageUser(ctx): PageUser,
    c: Chrome,
    Query(q): Query<ListQuery>,
) -> PageResult<Response> {
    let st = q
        .state
        .as_deref()
        .and_then(of_slug)
        .unwrap_or(MsgState::New);
    let page = q.trang.unwrap_or(1).clamp(1, 10_000);
    let counts = messages::counts(&state.db, &ctx.actor).await?;
    let rows = messages::list(&state.db, &ctx.actor, st, page).await?;
    let href = |p: i64| format!("/bien-tap/thu?trang-thai={}&trang={p}", slug(st));
    let full = rows.len() as i64 == messages::PAGE_SIZE;
    render(ListPage {
        tabs: counts
            .iter()
            .map(|(s, n)| Tab {
                href: format!("/bien-tap/thu?trang-thai={}", slug(*s)),
                label: s.label_vi(),
                count: antq_core::text::format_int(*n),
                current: *s == st,
            })
            .collect(),
        state_label: st.label_vi(),
        rows: rows
            .into_iter()
            .map(|m| RowView {
                href: format!("/bien-tap/thu/{}", m.id),
                subject: m.subject,
                kind: m.kind.label_vi(),
                unit: m.unit_name,
                from: if m.name.is_empty() {
                    "(không ghi tên)".into()
                } else {
                    m.name
                },
                day: date_vi(Some(&m.received_on)).unwrap_or_default(),
                attachment: m.has_attachment,
            })
            .collect(),
        page,
        prev: (page > 1).then(|| href(page - 1)),
        next: full.then(|| href(page + 1)),
        c,
    })
}

#[derive(Template)]
#[template(path = "portal/inbox_message.html")]
struct MessagePage {
    c: Chrome,
    m: messages::Message,
    kind: &'static str,
    state_label: &'static str,
    day: String,
    answered_at: String,
    back: String,
    paragraphs: Vec<String>,
    /// The answer recorded, a paragraph a line.
    answer: Vec<String>,
    max_answer: usize,
}

/// A text as typed, a paragraph a line (blank lines dropped).
fn paragraphs(text: &str) -> Vec<String> {
    text.lines()
        .map(|p| p.trim().to_string())
        .filter(|p| !p.is_empty())
        .collect()
}

async fn show(
    State(state): State<AppState>,
    PageUser(ctx): PageUser,
    c: Chrome,
    Path(id): Path<i64>,
) -> PageResult<Response> {
    let m = messages::open(&state.db, &ctx.actor, id).await?;
    render(MessagePage {
        c,
        kind: m.kind.label_vi(),
        state_label: m.state.label_vi(),
        day: date_vi(Some(&m.received_on)).unwrap_or_default(),
        answered_at: date_vi(m.answered_at.as_deref().map(|s| &s[..s.len().min(10)]))
            .unwrap_or_default(),
        back: format!("/bien-tap/thu?trang-thai={}", slug(m.state)),
        paragraphs: paragraphs(&m.body),
        answer: paragraphs(&m.answer),
        max_answer: messages::MAX_ANSWER,
        m,
    })
}

async fn file(
    State(state): State<AppState>,
    PageUser(ctx): PageUser,
    Path(id): Path<i64>,
) -> PageResult<Response> {
    let Some((name, media, bytes)) = messages::attachment(&state.db, &ctx.actor, id).await? else {
        return Err(Failure::not_found(format!("tệp kèm thư số {id}")).into());
    };
    let media = HeaderValue::from_str(&media)
        .unwrap_or_else(|_| HeaderValue::from_static("application/octet-stream"));
    Ok((
        [
            (CONTENT_TYPE, media),
            (
                CONTENT_DISPOSITION,
                crate::statistics::content_disposition(
                    crate::statistics::Disposition::Attachment,
                    &name,
                ),
            ),
        ],
        bytes,
    )
        .into_response())
}

/// After a refused form: back to the message with the reason, except when
/// the message is not the actor's to see (answered 403 or 404 at once).
fn back(to: &str, e: antq_storage::StorageError) -> Response {
    let f: Failure = e.into();
    if matches!(
        f.status,
        axum::http::StatusCode::FORBIDDEN | axum::http::StatusCode::NOT_FOUND
    ) {
        crate::error::PageError(f).into_response()
    } else {
        failed(to, f)
    }
}

#[derive(Deserialize)]
struct AnswerForm {
    answer: String,
}

async fn answer(
    State(state): State<AppState>,
    PageUser(ctx): PageUser,
    Path(id): Path<i64>,
    Form(f): Form<AnswerForm>,
) -> Response {
    let to = format!("/bien-tap/thu/{id}");
    match messages::answer(&state.db, &ctx.actor, id, &f.answer).await {
        Ok(_) => done_text(
            &to,
            "Đã ghi nội dung trả lời; thư chuyển sang \"Đã trả lời\"",
        ),
        Err(e) => back(&to, e),
    }
}

#[derive(Deserialize)]
struct StateForm {
    to: String,
}

async fn set_state(
    State(state): State<AppState>,
    PageUser(ctx): PageUser,
    Path(id): Path<i64>,
    Form(f): Form<StateForm>,
) -> Response {
    let to = format!("/bien-tap/thu/{id}");
    let Some(st) = of_slug(f.to.trim()) else {
        return failed(&to, Failure::bad_request("Không có trạng thái thư này"));
    };
    match messages::set_state(&state.db, &ctx.actor, id, st).await {
        Ok(m) => done_text(
            &to,
            &format!("Đã chuyển thư sang \"{}\"", m.state.label_vi()),
        ),
        Err(e) => back(&to, e),
    }
}

async fn draft(
    State(state): State<AppState>,
    PageUser(ctx): PageUser,
    Path(id): Path<i64>,
) -> Response {
    match messages::to_draft(&state.db, &ctx.actor, id).await {
        Ok(article) => done_text(
            &format!("/bien-tap/bai/{article}"),
            "Đã tạo bài viết nháp từ thư gửi ban biên tập",
        ),
        Err(e) => back(&format!("/bien-tap/thu/{id}"), e),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_state_has_a_slug_read_back() {
        for s in MsgState::ALL {
            assert_eq!(of_slug(slug(s)), Some(s));
        }
        assert_eq!(of_slug("moi-nhat"), None);
    }
}
