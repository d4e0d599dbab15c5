//! The JSON API of the models register (described in `openapi.json` beside this file).

use antq_storage::registries::models as store;
use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::{get, post};
use axum::Router;
use serde::Deserialize;
use serde_json::{json, Value};

use super::{
    case_json, model_json, record_json, CaseIn, CaseQuery, ListQuery, ModelIn, ReplicaIn, StateIn,
};
use crate::auth::ApiUser;
use crate::error::ApiResult;
use crate::extract::{Json, Path, Query};
use crate::state::AppState;

/// The API routes (under `/api/v1`).
pub fn routes(_upload_limit: usize) -> Router<AppState> {
    Router::new()
        .route("/models", get(list).post(create))
        .route("/models/{id}", get(show))
        .route("/models/{id}/replicate", post(replicate))
        .route("/models/{id}/state", post(change_state))
        .route("/model-types", get(types).post(save_type))
        .route("/exemplary-cases", get(cases).post(create_case))
}

/// `GET /api/v1/models?unit=&at=&from=&to=&count=&type=&state=&q=&limit=&offset=`.
pub async fn list(
    State(state): State<AppState>,
    ApiUser(ctx): ApiUser,
    Query(q): Query<ListQuery>,
) -> ApiResult<Json<Value>> {
    let l = super::list(&state.db, Some(&ctx.actor), &q).await?;
    let mut v = json!({
        "items": l.items.iter().map(model_json).collect::<Vec<_>>(),
        "total": l.total,
    });
    if let Some(s) = l.sentence {
        v["sentence"] = json!(s);
    }
    if let Some(t) = l.types {
        v["types"] = json!(t
            .iter()
            .map(|t| json!({"type": t.type_id, "type_name": t.name, "count": t.count}))
            .collect::<Vec<_>>());
    }
    Ok(Json(v))
}

/// `GET /api/v1/models/{id}`.
pub async fn show(
    State(state): State<AppState>,
    ApiUser(ctx): ApiUser,
    Path(id): Path<i64>,
) -> ApiResult<Json<Value>> {
    let r = store::get(&state.db, Some(&ctx.actor), id).await?;
    Ok(Json(record_json(&r)))
}

/// `POST /api/v1/models`.
pub async fn create(
    State(state): State<AppState>,
    ApiUser(ctx): ApiUser,
    Json(b): Json<ModelIn>,
) -> ApiResult<(StatusCode, Json<Value>)> {
    let id = super::create(&state.db, Some(&ctx.actor), &b).await?;
    let r = store::get(&state.db, Some(&ctx.actor), id).await?;
    Ok((StatusCode::CREATED, Json(record_json(&r))))
}

/// `POST /api/v1/models/{id}/replicate`: the new model.
pub async fn replicate(
    State(state): State<AppState>,
    ApiUser(ctx): ApiUser,
    Path(id): Path<i64>,
    Json(b): Json<ReplicaIn>,
) -> ApiResult<(StatusCode, Json<Value>)> {
    let new = super::replicate(&state.db, Some(&ctx.actor), id, &b).await?;
    let r = store::get(&state.db, Some(&ctx.actor), new).await?;
    Ok((StatusCode::CREATED, Json(record_json(&r))))
}

/// `POST /api/v1/models/{id}/state`.
pub async fn change_state(
    State(state): State<AppState>,
    ApiUser(ctx): ApiUser,
    Path(id): Path<i64>,
    Json(b): Json<StateIn>,
) -> ApiResult<Json<Value>> {
    let r = super::change_state(&state.db, Some(&ctx.actor), id, &b).await?;
    Ok(Json(record_json(&r)))
}

#[derive(Deserialize, Default)]
pub struct TypesQuery {
    /// Also the types no longer in use.
    #[serde(default)]
    all: Option<bool>,
}

/// `GET /api/v1/model-types[?all=true]`.
pub async fn types(
    State(state): State<AppState>,
    ApiUser(_ctx): ApiUser,
    Query(q): Query<TypesQuery>,
) -> ApiResult<Json<Value>> {
    let t = store::list_types(&state.db, q.all.unwrap_or(false)).await?;
    Ok(Json(json!({"items": t, "total": t.len()})))
}

#[derive(Deserialize, Default)]
pub struct TypeIn {
    #[serde(default)]
    id: Option<i64>,
    #[serde(default)]
    name: String,
    #[serde(default)]
    description: Option<String>,
    #[serde(default)]
    active: Option<bool>,
}

/// `POST /api/v1/model-types`: add (no id; 201) or change (with id) a type.
pub async fn save_type(
    State(state): State<AppState>,
    ApiUser(ctx): ApiUser,
    Json(b): Json<TypeIn>,
) -> ApiResult<(StatusCode, Json<Value>)> {
    let t = store::save_type(
        &state.db,
        &ctx.actor,
        b.id,
        &b.name,
        b.description.as_deref().unwrap_or(""),
        b.active.unwrap_or(true),
    )
    .await?;
    let status = if b.id.is_some() {
        StatusCode::OK
    } else {
        StatusCode::CREATED
    };
    Ok((status, Json(json!(t))))
}

/// `GET /api/v1/exemplary-cases?unit=&kind=&limit=&offset=`.
pub async fn cases(
    State(state): State<AppState>,
    ApiUser(ctx): ApiUser,
    Query(q): Query<CaseQuery>,
) -> ApiResult<Json<Value>> {
    let (items, total) = super::list_cases(&state.db, Some(&ctx.actor), &q).await?;
    Ok(Json(json!({
        "items": items.iter().map(case_json).collect::<Vec<_>>(),
        "total": total,
    })))
}

/// `POST /api/v1/exemplary-cases`.
pub async fn create_case(
    State(state): State<AppState>,
    ApiUser(ctx): ApiUser,
    Json(b): Json<CaseIn>,
) -> ApiResult<(StatusCode, Json<Value>)> {
    let id = super::create_case(&state.db, Some(&ctx.actor), &b).await?;
    let c = case_json(&store::get_case(&state.db, id).await?);
    Ok((StatusCode::CREATED, Json(c)))
}
