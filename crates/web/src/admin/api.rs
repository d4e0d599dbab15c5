//! Administration: users and grants, lineage links, the audit log.

use axum::extract::State;
use axum::http::StatusCode;
use serde::Deserialize;
use serde_json::{json, Value};

use crate::accounts::service::UserForm;
use crate::auth::ApiUser;
use crate::error::ApiResult;
use crate::extract::{Json, Path, Query};
use crate::state::AppState;

pub async fn list_users(
    State(state): State<AppState>,
    ApiUser(ctx): ApiUser,
) -> ApiResult<Json<Value>> {
    Ok(Json(json!(
        crate::accounts::service::list_users(&state, &ctx.actor).await?
    )))
}

pub async fn get_user(
    State(state): State<AppState>,
    ApiUser(ctx): ApiUser,
    Path(id): Path<i64>,
) -> ApiResult<Json<Value>> {
    Ok(Json(json!(
        crate::accounts::service::get_user(&state, &ctx.actor, id).await?
    )))
}

#[derive(Deserialize)]
pub struct NewUserBody {
    username: String,
    #[serde(default)]
    display_name: String,
    password: String,
    role: String,
    unit: String,
    #[serde(default)]
    at: Option<String>,
}

pub async fn create_user(
    State(state): State<AppState>,
    ApiUser(ctx): ApiUser,
    Json(b): Json<NewUserBody>,
) -> ApiResult<(StatusCode, Json<Value>)> {
    let id = crate::accounts::service::create_user(
        &state,
        &ctx.actor,
        UserForm {
            username: &b.username,
            display_name: &b.display_name,
            password: &b.password,
            role: &b.role,
            unit_code: &b.unit,
            unit_at: b.at.as_deref(),
        },
    )
    .await?;
    let user = crate::accounts::service::get_user(&state, &ctx.actor, id).await?;
    Ok((StatusCode::CREATED, Json(json!(user))))
}

pub async fn disable_user(
    State(state): State<AppState>,
    ApiUser(ctx): ApiUser,
    Path(id): Path<i64>,
) -> ApiResult<StatusCode> {
    crate::accounts::service::set_user_disabled(&state, &ctx.actor, id, true).await?;
    Ok(StatusCode::NO_CONTENT)
}

pub async fn enable_user(
    State(state): State<AppState>,
    ApiUser(ctx): ApiUser,
    Path(id): Path<i64>,
) -> ApiResult<StatusCode> {
    crate::accounts::service::set_user_disabled(&state, &ctx.actor, id, false).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Deserialize)]
pub struct GrantBody {
    role: String,
    unit: String,
    #[serde(default)]
    at: Option<String>,
}

pub async fn add_grant(
    State(state): State<AppState>,
    ApiUser(ctx): ApiUser,
    Path(id): Path<i64>,
    Json(b): Json<GrantBody>,
) -> ApiResult<(StatusCode, Json<Value>)> {
    let grant_id = crate::accounts::service::add_grant(
        &state,
        &ctx.actor,
        id,
        &b.role,
        &b.unit,
        b.at.as_deref(),
    )
    .await?;
    Ok((StatusCode::CREATED, Json(json!({"id": grant_id}))))
}

pub async fn remove_grant(
    State(state): State<AppState>,
    ApiUser(ctx): ApiUser,
    Path(id): Path<i64>,
) -> ApiResult<StatusCode> {
    crate::accounts::service::remove_grant(&state, &ctx.actor, id).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Deserialize)]
pub struct NewLinkBody {
    predecessor: String,
    predecessor_date: String,
    successor: String,
    successor_date: String,
    share: String,
    #[serde(default)]
    note: Option<String>,
}

pub async fn add_link(
    State(state): State<AppState>,
    ApiUser(ctx): ApiUser,
    Json(b): Json<NewLinkBody>,
) -> ApiResult<(StatusCode, Json<Value>)> {
    let id = crate::units::service::add_link(
        &state,
        &ctx.actor,
        (&b.predecessor, &b.predecessor_date),
        (&b.successor, &b.successor_date),
        &b.share,
        b.note,
    )
    .await?;
    Ok((
        StatusCode::CREATED,
        Json(json!(
            crate::units::service::get_link(&state, &ctx.actor, id).await?
        )),
    ))
}

pub async fn get_link(
    State(state): State<AppState>,
    ApiUser(ctx): ApiUser,
    Path(id): Path<i64>,
) -> ApiResult<Json<Value>> {
    Ok(Json(json!(
        crate::units::service::get_link(&state, &ctx.actor, id).await?
    )))
}

#[derive(Deserialize)]
pub struct LinkBody {
    share: String,
    #[serde(default)]
    note: Option<String>,
}

pub async fn update_link(
    State(state): State<AppState>,
    ApiUser(ctx): ApiUser,
    Path(id): Path<i64>,
    Json(b): Json<LinkBody>,
) -> ApiResult<Json<Value>> {
    Ok(Json(json!(
        crate::units::service::update_link(&state, &ctx.actor, id, &b.share, b.note).await?
    )))
}

pub async fn delete_link(
    State(state): State<AppState>,
    ApiUser(ctx): ApiUser,
    Path(id): Path<i64>,
) -> ApiResult<StatusCode> {
    crate::units::service::delete_link(&state, &ctx.actor, id).await?;
    Ok(StatusCode::NO_CONTENT)
}

pub async fn audit(
    State(state): State<AppState>,
    ApiUser(ctx): ApiUser,
    Query(q): Query<crate::admin::service::AuditQuery>,
) -> ApiResult<Json<Value>> {
    Ok(Json(json!(
        crate::admin::service::audit_log(&state, &ctx.actor, &q.filter()?).await?
    )))
}
