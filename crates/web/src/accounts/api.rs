//! Logging in and out, the caller, and the caller's API tokens.

use antq_storage::accounts::sessions;
use axum::extract::State;
use axum::http::header::SET_COOKIE;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{AppendHeaders, IntoResponse, Response};
use serde::Deserialize;
use serde_json::json;

use crate::auth::{cookie, over_tls, session_cookie, ApiUser, ClientAddr};
use crate::error::{ApiError, ApiResult, Failure};
use crate::extract::{Json, Path};
use crate::state::AppState;
use crate::throttle::{device_cookie, DEVICE_COOKIE};

#[derive(Deserialize)]
pub struct Credentials {
    username: String,
    password: String,
}

/// `POST /api/v1/session`: sets the session cookie and answers with the
/// CSRF token that later cookie-authenticated writes must send.
pub async fn login(
    State(state): State<AppState>,
    ClientAddr(addr): ClientAddr,
    headers: HeaderMap,
    Json(c): Json<Credentials>,
) -> ApiResult<Response> {
    let device = cookie(&headers, DEVICE_COOKIE);
    let done =
        crate::accounts::service::login(&state, &c.username, &c.password, &addr, device.as_deref())
            .await?;
    let secure = over_tls(&headers, &state.config);
    let session = session_cookie(&done.session.id, secure, None);
    let device = device_cookie(&done.device, secure, state.throttle.limits().trust_for);
    Ok((
        AppendHeaders([(SET_COOKIE, session), (SET_COOKIE, device)]),
        Json(json!({"username": c.username.trim().to_ascii_lowercase(), "csrf_token": done.session.csrf_token})),
    )
        .into_response())
}

/// `DELETE /api/v1/session`.
pub async fn logout(
    State(state): State<AppState>,
    ApiUser(ctx): ApiUser,
    headers: HeaderMap,
) -> ApiResult<Response> {
    if let Some(id) = &ctx.session_id {
        sessions::delete(&state.db, &ctx.actor.who(), id).await?;
        state.tips.keyring.drop_officer(id);
    }
    let secure = over_tls(&headers, &state.config);
    Ok((
        StatusCode::NO_CONTENT,
        [(SET_COOKIE, session_cookie("", secure, Some(0)))],
    )
        .into_response())
}

/// `GET /api/v1/me`: who the caller is and what they hold.
pub async fn me(ApiUser(ctx): ApiUser) -> Json<serde_json::Value> {
    Json(json!({
        "username": ctx.actor.username,
        "display_name": ctx.actor.display_name,
        "grants": ctx.actor.grants,
        "csrf_token": ctx.csrf_token,
    }))
}

#[derive(Deserialize, Default)]
pub struct NewToken {
    #[serde(default)]
    name: Option<String>,
}

pub async fn create_token(
    State(state): State<AppState>,
    ApiUser(ctx): ApiUser,
    body: Option<Json<NewToken>>,
) -> ApiResult<(StatusCode, Json<serde_json::Value>)> {
    let name = body.and_then(|b| b.0.name).unwrap_or_default();
    let (id, token) =
        sessions::create_token(&state.db, &ctx.actor.who(), ctx.actor.user_id, &name).await?;
    Ok((
        StatusCode::CREATED,
        Json(json!({"id": id, "token": token, "note": "Mã chỉ hiển thị một lần; hãy lưu lại."})),
    ))
}

pub async fn list_tokens(
    State(state): State<AppState>,
    ApiUser(ctx): ApiUser,
) -> ApiResult<Json<serde_json::Value>> {
    let tokens = sessions::list_tokens(&state.db, ctx.actor.user_id).await?;
    Ok(Json(json!(tokens)))
}

pub async fn revoke_token(
    State(state): State<AppState>,
    ApiUser(ctx): ApiUser,
    Path(id): Path<i64>,
) -> ApiResult<StatusCode> {
    sessions::revoke_token(&state.db, &ctx.actor.who(), ctx.actor.user_id, id)
        .await
        .map_err(|e| ApiError(Failure::from(e)))?;
    Ok(StatusCode::NO_CONTENT)
}
