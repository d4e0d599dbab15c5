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

/// The last path segments of routes that only take a POST: a login that
/// was asked for by one of them goes back to the page the form was on
/// (`/so-lieu/…/2026/luu` → `/so-lieu/…/2026`), never to a 405.
const POST_ONLY: &[&str] = &["luu", "buoc", "y-kien", "thu-hoi", "dang-xuat"];

/// Where to go after logging in: `next` if it is a local page that answers
/// a GET, its page if it is a form's target.
pub fn page_after_login(next: Option<&str>) -> String {
    let next = safe_next(next);
    let path = next.split(['?', '#']).next().unwrap_or("/");
    match path.rsplit_once('/') {
        Some((page, last)) if POST_ONLY.contains(&last) => {
            if page.is_empty() {
                "/".to_string()
            } else {
                page.to_string()
            }
        }
        _ => next,
    }
}

/// The answer to an htmx request whose session has ended: 401, a short
/// Vietnamese message with a link back through the login to the page the
/// request came from (htmx's `HX-Current-URL`), and no swap.
pub fn session_ended(headers: &HeaderMap) -> Response {
    let page = headers
        .get("hx-current-url")
        .and_then(|v| v.to_str().ok())
        .and_then(|u| u.split_once("://").map(|(_, rest)| rest))
        .and_then(|rest| rest.find('/').map(|i| &rest[i..]))
        .unwrap_or("/");
    let next = page_after_login(Some(page));
    let body = format!(
        "<p class=\"flash err\" role=\"alert\" id=\"session-ended\">Phiên đăng nhập đã hết. \
         <a href=\"/dang-nhap?next={}\">Đăng nhập lại</a></p>",
        crate::auth::urlencode(&next)
    );
    (
        axum::http::StatusCode::UNAUTHORIZED,
        [
            ("hx-reswap", "none"),
            ("content-type", "text/html; charset=utf-8"),
        ],
        body,
    )
        .into_response()
}

pub async fn form(
    c: Chrome,
    MaybeUser(user): MaybeUser,
    Query(p): Query<NextParam>,
) -> PageResult<Response> {
    let next = page_after_login(p.next.as_deref());
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
    let next = page_after_login(f.next.as_deref());
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
            state.tips.keyring.drop_officer(id);
        }
    }
    let secure = over_tls(&headers, &state.config);
    let mut res = done("/", "msg.logged_out");
    if let Ok(v) = session_cookie("", secure, Some(0)).parse() {
        res.headers_mut().append(SET_COOKIE, v);
    }
    Ok(res)
}

#[cfg(test)]
mod tests {
    use super::page_after_login;

    #[test]
    fn logins_never_land_on_a_form_target() {
        assert_eq!(
            page_after_login(Some("/so-lieu/antq-nam/03325/2026/luu")),
            "/so-lieu/antq-nam/03325/2026"
        );
        assert_eq!(
            page_after_login(Some("/so-lieu/antq-nam/03325/2026/buoc?x=1")),
            "/so-lieu/antq-nam/03325/2026"
        );
        assert_eq!(page_after_login(Some("/dang-xuat")), "/");
        assert_eq!(
            page_after_login(Some("/so-lieu/antq-nam/03325/2026")),
            "/so-lieu/antq-nam/03325/2026"
        );
        assert_eq!(page_after_login(Some("/don-vi?q=luu")), "/don-vi?q=luu");
        assert_eq!(page_after_login(Some("//evil.example/luu")), "/");
    }
}
