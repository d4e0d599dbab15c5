//! The JSON API of the awards registry (described in `openapi.json` beside this file).

use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::{get, post};
use axum::Router;
use serde::Deserialize;
use serde_json::{json, Value};

use super::{award_json, AwardIn, RegisterQuery};
use crate::auth::ApiUser;
use crate::error::ApiResult;
use crate::extract::{Json, Path, Query};
use crate::state::AppState;

/// The API routes (under `/api/v1`); `upload_limit` bounds the bodies of upload routes.
pub fn routes(_upload_limit: usize) -> Router<AppState> {
    Router::new()
        .route("/awards", get(list).post(create))
        .route("/awards/summary", get(summary))
        .route("/awards/catalogue", get(super::catalogue::api_get))
        .route(
            "/awards/catalogue/rules",
            post(super::catalogue::api_set_rule).delete(super::catalogue::api_remove_rule),
        )
        .route(
            "/awards/catalogue/forms",
            post(super::catalogue::api_save_form),
        )
        .route(
            "/awards/catalogue/offices",
            post(super::catalogue::api_save_office),
        )
        .route("/awards/{id}", get(show))
        .route("/awards/{id}/decide", post(decide))
        .route("/awards/{id}/refuse", post(refuse))
}

/// `GET /api/v1/awards?unit=&from=&to=`: the register the caller may read.
pub async fn list(
    State(state): State<AppState>,
    ApiUser(ctx): ApiUser,
    Query(q): Query<RegisterQuery>,
) -> ApiResult<Json<Value>> {
    // On the API a state is named or left out: an empty one is no state
    // (the page's "all" sends it empty; the page is not the API).
    if let Some(s) = &q.state {
        antq_core::programmes::awards::AwardState::parse(s)?;
    }
    let items = super::list(&state.db, Some(&ctx.actor), &q).await?;
    Ok(Json(
        json!({"items": items.iter().map(award_json).collect::<Vec<_>>()}),
    ))
}

/// `GET /api/v1/awards/summary?unit=&from=&to=`: counts by form, issuer, recipient kind.
pub async fn summary(
    State(state): State<AppState>,
    ApiUser(ctx): ApiUser,
    Query(q): Query<RegisterQuery>,
) -> ApiResult<Json<Value>> {
    Ok(Json(super::summary(&state.db, Some(&ctx.actor), &q).await?))
}

/// `GET /api/v1/awards/{id}`.
pub async fn show(
    State(state): State<AppState>,
    ApiUser(ctx): ApiUser,
    Path(id): Path<i64>,
) -> ApiResult<Json<Value>> {
    let a = antq_storage::programmes::awards::get(&state.db, Some(&ctx.actor), id).await?;
    Ok(Json(award_json(&a)))
}

/// `POST /api/v1/awards`: propose an award, or record a decided one (with `decision` and `date`).
pub async fn create(
    State(state): State<AppState>,
    ApiUser(ctx): ApiUser,
    Json(b): Json<AwardIn>,
) -> ApiResult<(StatusCode, Json<Value>)> {
    let id = super::create(&state.db, Some(&ctx.actor), &b).await?;
    let a = antq_storage::programmes::awards::get(&state.db, Some(&ctx.actor), id).await?;
    Ok((StatusCode::CREATED, Json(award_json(&a))))
}

#[derive(Deserialize)]
pub struct DecideBody {
    /// Ids of the recipients accepted; absent: all of them.
    #[serde(default)]
    accepted: Option<Vec<i64>>,
    decision: String,
    date: String,
}

/// `POST /api/v1/awards/{id}/decide`.
pub async fn decide(
    State(state): State<AppState>,
    ApiUser(ctx): ApiUser,
    Path(id): Path<i64>,
    Json(b): Json<DecideBody>,
) -> ApiResult<Json<Value>> {
    let a = super::decide(
        &state.db,
        Some(&ctx.actor),
        id,
        b.accepted,
        Some(&b.decision),
        Some(&b.date),
    )
    .await?;
    Ok(Json(award_json(&a)))
}

#[derive(Deserialize)]
pub struct RefuseBody {
    #[serde(default)]
    reason: String,
}

/// `POST /api/v1/awards/{id}/refuse`.
pub async fn refuse(
    State(state): State<AppState>,
    ApiUser(ctx): ApiUser,
    Path(id): Path<i64>,
    Json(b): Json<RefuseBody>,
) -> ApiResult<Json<Value>> {
    let a = antq_storage::programmes::awards::refuse(&state.db, Some(&ctx.actor), id, &b.reason)
        .await?;
    Ok(Json(award_json(&a)))
}
