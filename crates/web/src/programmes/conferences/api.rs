//! The JSON API of the conferences registry (described in `openapi.json` beside this file).

use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::get;
use axum::Router;
use serde::Deserialize;
use serde_json::{json, Value};

use super::{ConferenceParams, ListParams};
use crate::auth::ApiUser;
use crate::error::ApiResult;
use crate::extract::{Json, Path, Query};
use crate::state::AppState;

/// The API routes (under `/api/v1`); `upload_limit` bounds the bodies of upload routes.
pub fn routes(_upload_limit: usize) -> Router<AppState> {
    Router::new()
        .route("/conferences", get(list).post(create))
        .route("/conferences/{id}", get(one).put(update))
        .route("/conferences/{id}/press-draft", get(press_draft))
}

/// `GET /api/v1/conferences?unit=CODE&from=YYYY&to=YYYY&kind=&map=`.
async fn list(
    State(state): State<AppState>,
    ApiUser(ctx): ApiUser,
    Query(p): Query<ListParams>,
) -> ApiResult<Json<Value>> {
    let unit = super::list_unit(&state, &p).await?;
    let (items, total) = super::list(&state, &ctx.actor, &p, unit.as_ref()).await?;
    Ok(Json(json!({
        "unit": unit.as_ref().map(|u| &u.code),
        "total": total,
        "items": items,
    })))
}

async fn conference_json(
    state: &AppState,
    c: &antq_storage::programmes::conferences::Conference,
) -> ApiResult<Value> {
    let awards = super::awards(state, c.id).await?;
    let mut v = json!(c);
    v["awards"] = json!(awards);
    v["awards_sentence"] = json!(antq_core::programmes::awards::awards_sentence(&awards));
    Ok(v)
}

/// `GET /api/v1/conferences/{id}`.
async fn one(
    State(state): State<AppState>,
    ApiUser(ctx): ApiUser,
    Path(id): Path<i64>,
) -> ApiResult<Json<Value>> {
    let c = super::get(&state, &ctx.actor, id).await?;
    Ok(Json(conference_json(&state, &c).await?))
}

/// `POST /api/v1/conferences` (audited).
async fn create(
    State(state): State<AppState>,
    ApiUser(ctx): ApiUser,
    Json(p): Json<ConferenceParams>,
) -> ApiResult<(StatusCode, Json<Value>)> {
    let c = super::create(&state, &ctx.actor, &p).await?;
    Ok((
        StatusCode::CREATED,
        Json(conference_json(&state, &c).await?),
    ))
}

/// `PUT /api/v1/conferences/{id}` (audited): everything replaced.
async fn update(
    State(state): State<AppState>,
    ApiUser(ctx): ApiUser,
    Path(id): Path<i64>,
    Json(p): Json<ConferenceParams>,
) -> ApiResult<Json<Value>> {
    let c = super::update(&state, &ctx.actor, id, &p).await?;
    Ok(Json(conference_json(&state, &c).await?))
}

#[derive(Deserialize)]
struct DraftParams {
    author: Option<String>,
}

/// `GET /api/v1/conferences/{id}/press-draft?author=T.L`.
async fn press_draft(
    State(state): State<AppState>,
    ApiUser(ctx): ApiUser,
    Path(id): Path<i64>,
    Query(p): Query<DraftParams>,
) -> ApiResult<Json<Value>> {
    let d = super::draft(&state, &ctx.actor, id, p.author.as_deref().unwrap_or("")).await?;
    Ok(Json(json!(d)))
}
