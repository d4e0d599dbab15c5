//! The login and logout pages.

use antq_storage::accounts::sessions;
use askama::Template;
use axum::extract::{Query, State};
use axum::http::header::SET_COOKIE;
use axum::http::HeaderMap;
use axum::response::{AppendHeaders, IntoResponse, Redirect, Response};
use axum::Form;
use serde::Deserialize;

use crate::auth::{cookie, over_tls, safe_next, session_cookie, ClientAddr, MaybeUser};
use crate::error::PageResult;
use crate::pages::{done, render, Chrome};
use crate::state::AppState;
use crate::throttle::{device_cookie, DEVICE_COOKIE};

#[derive(Template)]
#[template(path = "login.html")]
struct LoginPage {
    c: Chrome,
    next: String,
    username: String,
    error: Option<String>,
}

#[derive(Deserialize)]
pub struct NextParam {
    next: Option<String>,
}

pub async fn form(
    c: Chrome,
    MaybeUser(user): MaybeUser,
    Query(p): Query<NextParam>,
) -> PageResult<Response> {
    let next = safe_next(p.next.as_deref());
    if user.is_some() {
        return Ok(Redirect::to(&next).into_response());
    }
    render(LoginPage {
        c,
        next,
        username: String::new(),
        error: None,
    })
}

#[derive(Deserialize)]
pub struct LoginForm {
    username: String,
    password: String,
    next: Option<String>,
}

pub async fn submit(
    State(state): State<AppState>,
    c: Chrome,
    ClientAddr(addr): ClientAddr,
    headers: HeaderMap,
    Form(f): Form<LoginForm>,
) -> PageResult<Response> {
    let next = safe_next(f.next.as_deref());
    let device = cookie(&headers, DEVICE_COOKIE);
    match crate::accounts::service::login(
        &state,
        &f.username,
        &f.password,
        &addr,
        device.as_deref(),
    )
    .await
    {
        Ok(done) => {
            let secure = over_tls(&headers, &state.config);
            let session = session_cookie(&done.session.id, secure, None);
            let device = device_cookie(&done.device, secure, state.throttle.limits().trust_for);
            Ok((
                AppendHeaders([(SET_COOKIE, session), (SET_COOKIE, device)]),
                Redirect::to(&next),
            )
                .into_response())
        }
        Err(e) => {
            let status = e.status;
            let mut res = render(LoginPage {
                c,
                next,
                username: f.username,
                error: Some(e.message),
            })?;
            *res.status_mut() = status;
            Ok(res)
        }
    }
}

pub async fn logout(
    State(state): State<AppState>,
    MaybeUser(user): MaybeUser,
    headers: HeaderMap,
) -> PageResult<Response> {
    if let Some(ctx) = user {
        if let Some(id) = &ctx.session_id {
            sessions::delete(&state.db, &ctx.actor.who(), id).await?;
        }
    }
    let secure = over_tls(&headers, &state.config);
    let mut res = done("/", "msg.logged_out");
    if let Ok(v) = session_cookie("", secure, Some(0)).parse() {
        res.headers_mut().append(SET_COOKIE, v);
    }
    Ok(res)
}
