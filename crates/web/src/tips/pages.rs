//! The public tip pages, without an account (phone first, working without
//! JavaScript): the channel's front page, a category's questionnaire and
//! its receipt, the receipt form and the tipster's conversation. Every
//! route is quiet (nothing logged), answered `Cache-Control: no-store`, and
//! sets no cookie but the receipt session's.

use antq_core::tips::categories::Category;
use antq_storage::tips::{categories, tipster};
use askama::Template;
use axum::extract::{DefaultBodyLimit, Query, Request, State};
use axum::http::header::{CACHE_CONTROL, SET_COOKIE};
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::middleware::{self, Next};
use axum::response::{AppendHeaders, Html, IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Router};
use serde::Deserialize;

use super::api::{tipster_cookie, TIPSTER_COOKIE};
use super::desk::Challenge;
use super::form::{fields, kinds, new_tip, question_views, typed_of, QuestionView, Typed, ID_ROWS};
use super::service::{self, Work};
use super::uploads::{TipForm, FORM_BODY_LIMIT};
use super::views::{content_view, ContentView};
use crate::auth::{cookie, over_tls};
use crate::error::{Failure, PageResult};
use crate::pages::{date_vi, Chrome};
use crate::state::AppState;
use crate::units::pages::UnitPicker;

/// The public routes, quiet and never cached.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/tin-bao", get(index))
        .route(
            "/tin-bao/gui",
            get(form)
                .post(submit)
                .layer(DefaultBodyLimit::max(FORM_BODY_LIMIT))
                .layer(middleware::from_fn(super::uploads::bounded)),
        )
        .route("/tin-bao/theo-doi", get(follow).post(follow_open))
        .route(
            "/tin-bao/trao-doi",
            get(conversation)
                .post(add)
                .layer(DefaultBodyLimit::max(FORM_BODY_LIMIT))
                .layer(middleware::from_fn(super::uploads::bounded)),
        )
        .route("/tin-bao/thoat", post(leave))
        .route_layer(middleware::from_fn(no_store))
        .route_layer(middleware::from_fn(crate::tips::quiet))
}

/// Answer `Cache-Control: no-store` (tips and keys are never cached).
pub(crate) async fn no_store(req: Request, next: Next) -> Response {
    let mut res = next.run(req).await;
    res.headers_mut()
        .insert(CACHE_CONTROL, HeaderValue::from_static("no-store"));
    res
}

fn page<T: Template>(status: StatusCode, t: T) -> PageResult<Response> {
    Ok((status, Html(t.render()?)).into_response())
}

fn now() -> i64 {
    antq_core::dates::now_utc().timestamp()
}

#[derive(Template)]
#[template(path = "tips/index.html")]
struct IndexPage {
    c: Chrome,
    cats: Vec<Category>,
    left: bool,
}

#[derive(Deserialize)]
struct IndexQuery {
    #[serde(rename = "da-thoat")]
    left: Option<String>,
}

async fn index(
    State(state): State<AppState>,
    c: Chrome,
    Query(q): Query<IndexQuery>,
) -> PageResult<Response> {
    let cats = categories::active(&state.db).await?;
    page(
        StatusCode::OK,
        IndexPage {
            c,
            cats,
            left: q.left.is_some(),
        },
    )
}

#[derive(Template)]
#[template(path = "tips/form.html")]
struct FormPage {
    c: Chrome,
    cat: Category,
    questions: Vec<QuestionView>,
    picker: UnitPicker,
    t: Typed,
    kinds: Vec<(&'static str, &'static str)>,
    ch: Challenge,
    error: String,
    errors: Vec<String>,
    max_files: usize,
    max_mb: usize,
}

fn form_page(
    state: &AppState,
    c: Chrome,
    cat: Category,
    t: Typed,
    err: Option<Failure>,
) -> PageResult<Response> {
    form_page_with(state, c, cat, t, err, None)
}

/// The form, keeping the challenge it was sent with while that is still
/// good (`token`): a form without JavaScript does not wait again.
fn form_page_with(
    state: &AppState,
    c: Chrome,
    cat: Category,
    mut t: Typed,
    err: Option<Failure>,
    token: Option<&str>,
) -> PageResult<Response> {
    let picker = UnitPicker::new(
        &c,
        "unit",
        "tip-unit",
        "Xã, phường nơi xảy ra vụ việc (gõ tên để chọn)",
    )
    .typed(&t.unit, &t.unit_pick);
    t.ids.resize(ID_ROWS, (String::new(), String::new()));
    let (status, error, errors) = match err {
        Some(f) => (f.status, f.message, f.errors),
        None => (StatusCode::OK, String::new(), Vec::new()),
    };
    page(
        status,
        FormPage {
            questions: question_views(&cat, &t),
            ch: token
                .and_then(|tk| state.tips.resume(tk, now()))
                .unwrap_or_else(|| state.tips.challenge(now(), false)),
            c,
            cat,
            picker,
            t,
            kinds: kinds(),
            error,
            errors,
            max_files: antq_storage::tips::attachments::MAX_PER_SUBMISSION,
            max_mb: antq_storage::tips::attachments::MAX_BYTES / 1024 / 1024,
        },
    )
}

#[derive(Deserialize)]
struct FormQuery {
    loai: Option<String>,
}

async fn category(state: &AppState, code: &str) -> Result<Category, Failure> {
    let code = code.trim();
    if code.is_empty() || code.len() > 40 {
        return Err(Failure::new(
            StatusCode::NOT_FOUND,
            "Chưa chọn loại tin báo: xin quay lại trang Tin báo và chọn một loại",
        ));
    }
    match categories::get(&state.db, code).await {
        Ok(c) if c.active => Ok(c),
        _ => Err(Failure::new(
            StatusCode::NOT_FOUND,
            "Không có loại tin báo này: xin quay lại trang Tin báo và chọn một loại",
        )),
    }
}

async fn form(
    State(state): State<AppState>,
    c: Chrome,
    Query(q): Query<FormQuery>,
) -> PageResult<Response> {
    let cat = category(&state, q.loai.as_deref().unwrap_or_default()).await?;
    form_page(&state, c, cat, Typed::default(), None)
}

#[derive(Template)]
#[template(path = "tips/receipt.html")]
struct ReceiptPage {
    c: Chrome,
    groups: Vec<String>,
    digits: String,
}

async fn submit(State(state): State<AppState>, c: Chrome, sent: TipForm) -> PageResult<Response> {
    let f = fields(sent.fields)?;
    let cat = category(&state, f.get("category").map(String::as_str).unwrap_or("")).await?;
    let t = typed_of(&cat, &f);
    if let Some(e) = sent.refused {
        let token = f.get("challenge").cloned().unwrap_or_default();
        return form_page_with(&state, c, cat, t, Some(e), Some(&token));
    }
    let today = antq_core::dates::today();
    let unit = match crate::units::service::resolve_unit(&state, &t.unit, Some(&t.unit_pick), today)
        .await
    {
        Ok(u) => u,
        Err(e) => return form_page(&state, c, cat, t, Some(e)),
    };
    let token = f.get("challenge").cloned().unwrap_or_default();
    let nonce = f
        .get("nonce")
        .and_then(|n| n.trim().parse().ok())
        .unwrap_or(0);
    let tip = new_tip(&cat, &t, unit.code.clone());
    let work = Work {
        token: &token,
        nonce,
    };
    match service::submit(&state, tip, sent.files, work).await {
        Ok(receipt) => {
            let digits = receipt.as_str().to_string();
            let groups = digits
                .as_bytes()
                .chunks(4)
                .map(|g| String::from_utf8_lossy(g).into_owned())
                .collect();
            page(StatusCode::CREATED, ReceiptPage { c, groups, digits })
        }
        Err(e) => {
            let t = Typed {
                unit: unit.name.clone(),
                unit_pick: unit.code.clone(),
                ..t
            };
            form_page_with(&state, c, cat, t, Some(e), Some(&token))
        }
    }
}

#[derive(Template)]
#[template(path = "tips/follow.html")]
struct FollowPage {
    c: Chrome,
    ch: Challenge,
    receipt: String,
    error: String,
}

fn follow_page(
    state: &AppState,
    c: Chrome,
    receipt: String,
    err: Option<Failure>,
) -> PageResult<Response> {
    let (status, error) = match err {
        Some(f) => (f.status, f.message),
        None => (StatusCode::OK, String::new()),
    };
    page(
        status,
        FollowPage {
            c,
            ch: state.tips.challenge(now(), false),
            receipt,
            error,
        },
    )
}

async fn follow(State(state): State<AppState>, c: Chrome) -> PageResult<Response> {
    follow_page(&state, c, String::new(), None)
}

#[derive(Deserialize)]
struct FollowForm {
    receipt: String,
    challenge: String,
    nonce: Option<String>,
}

async fn follow_open(
    State(state): State<AppState>,
    c: Chrome,
    headers: HeaderMap,
    Form(f): Form<FollowForm>,
) -> PageResult<Response> {
    let nonce = f
        .nonce
        .as_deref()
        .and_then(|n| n.trim().parse().ok())
        .unwrap_or(0);
    let receipt: String = f.receipt.chars().take(64).collect();
    let work = Work {
        token: &f.challenge,
        nonce,
    };
    match service::open_session(&state, &receipt, work).await {
        Ok((id, _)) => {
            let secure = over_tls(&headers, &state.config);
            Ok((
                AppendHeaders([(SET_COOKIE, tipster_cookie(&id, secure, None))]),
                Redirect::to("/tin-bao/trao-doi"),
            )
                .into_response())
        }
        Err(e) => follow_page(&state, c, receipt, Some(e)),
    }
}

/// A message of the conversation as the tipster sees it.
pub struct MessageView {
    /// "Câu hỏi của cán bộ", "Trả lời của cán bộ", "Bạn đã gửi".
    pub who: &'static str,
    pub class: &'static str,
    pub day: String,
    pub text: String,
}

#[derive(Template)]
#[template(path = "tips/tipster.html")]
struct TipsterPage {
    c: Chrome,
    received: String,
    open: bool,
    content: ContentView,
    messages: Vec<MessageView>,
    token: String,
    text: String,
    error: String,
    sent: bool,
}

#[derive(Deserialize)]
struct ConversationQuery {
    #[serde(rename = "da-gui")]
    sent: Option<String>,
}

async fn conversation_page(
    state: &AppState,
    c: Chrome,
    s: &crate::tips::keyring::TipsterSession,
    text: String,
    err: Option<Failure>,
    sent: bool,
) -> PageResult<Response> {
    let view = tipster::view(&state.db, s.tip_id, &s.key).await?;
    let cats = categories::list(&state.db).await?;
    let messages = view
        .messages
        .iter()
        .map(|m| MessageView {
            who: match (m.author.as_str(), m.kind.as_str()) {
                ("tipster", _) => "Bạn đã gửi",
                (_, "question") => "Câu hỏi của cán bộ",
                _ => "Trả lời của cán bộ",
            },
            class: match (m.author.as_str(), m.kind.as_str()) {
                ("tipster", _) => "msg mine",
                (_, "question") => "msg question",
                _ => "msg reply",
            },
            day: date_vi(Some(&m.on_day)).unwrap_or_default(),
            text: m.text.clone(),
        })
        .collect();
    let (status, error) = match err {
        Some(f) => (f.status, f.message),
        None => (StatusCode::OK, String::new()),
    };
    page(
        status,
        TipsterPage {
            c,
            received: date_vi(Some(&view.received_on)).unwrap_or_default(),
            open: view.open,
            content: content_view(&cats, &view.content),
            messages,
            token: s.csrf.clone(),
            text,
            error,
            sent,
        },
    )
}

async fn conversation(
    State(state): State<AppState>,
    c: Chrome,
    headers: HeaderMap,
    Query(q): Query<ConversationQuery>,
) -> PageResult<Response> {
    match service::tipster_session(&state, cookie(&headers, TIPSTER_COOKIE).as_deref()) {
        Ok(s) => conversation_page(&state, c, &s, String::new(), None, q.sent.is_some()).await,
        Err(e) => follow_page(&state, c, String::new(), Some(e)),
    }
}

fn wrong_token() -> Failure {
    Failure::new(
        StatusCode::FORBIDDEN,
        "Mã chống giả mạo của phiên theo dõi không đúng: xin tải lại trang",
    )
}

async fn add(
    State(state): State<AppState>,
    c: Chrome,
    headers: HeaderMap,
    sent: TipForm,
) -> PageResult<Response> {
    let f = fields(sent.fields)?;
    let get = |k: &str| f.get(k).cloned().unwrap_or_default();
    let s = match service::tipster_session(&state, cookie(&headers, TIPSTER_COOKIE).as_deref()) {
        Ok(s) => s,
        Err(e) => return follow_page(&state, c, String::new(), Some(e)),
    };
    let text: String = get("text").chars().take(20_000).collect();
    if !crate::csrf::same(&get("tip_token"), &s.csrf) {
        return conversation_page(&state, c, &s, text, Some(wrong_token()), false).await;
    }
    if let Some(e) = sent.refused {
        return conversation_page(&state, c, &s, text, Some(e), false).await;
    }
    match service::tipster_add(&state, &s, &text, sent.files).await {
        Ok(()) => Ok(Redirect::to("/tin-bao/trao-doi?da-gui=1").into_response()),
        Err(e) => conversation_page(&state, c, &s, text, Some(e), false).await,
    }
}

#[derive(Deserialize)]
struct LeaveForm {
    tip_token: Option<String>,
}

async fn leave(
    State(state): State<AppState>,
    headers: HeaderMap,
    Form(f): Form<LeaveForm>,
) -> PageResult<Response> {
    if let Some(id) = cookie(&headers, TIPSTER_COOKIE) {
        if let Some(s) = state.tips.keyring.tipster(&id) {
            if !crate::csrf::same(f.tip_token.as_deref().unwrap_or(""), &s.csrf) {
                return Err(wrong_token().into());
            }
        }
        state.tips.keyring.close_tipster(&id);
    }
    let secure = over_tls(&headers, &state.config);
    Ok((
        AppendHeaders([(SET_COOKIE, tipster_cookie("", secure, Some(0)))]),
        Redirect::to("/tin-bao?da-thoat=1"),
    )
        .into_response())
}
