//! The JSON API of the teams register (described in `openapi.json` beside this file).

use antq_storage::registries::teams as store;
use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::{get, post};
use axum::Router;
use serde::Deserialize;
use serde_json::{json, Value};

use super::{detail_json, team_json, BatchIn, ListQuery, TeamIn};
use crate::auth::ApiUser;
use crate::error::ApiResult;
use crate::extract::{Json, Path, Query};
use crate::state::AppState;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/teams", get(list).post(create))
        .route("/teams/evaluations", post(evaluate))
        .route("/teams/{id}", get(show))
        .route("/teams/{id}/members", post(members))
        .route("/team-kinds", get(kinds).post(save_kind))
}

/// `GET /api/v1/teams?unit=&at=&kind=&mass_org=&q=&limit=&offset=`.
pub async fn list(
    State(state): State<AppState>,
    ApiUser(ctx): ApiUser,
    Query(q): Query<ListQuery>,
) -> ApiResult<Json<Value>> {
    let f = super::filter(&state.db, Some(&ctx.actor), &q).await?;
    let (items, total) = store::list(&state.db, Some(&ctx.actor), &f).await?;
    Ok(Json(json!({
        "items": items.iter().map(team_json).collect::<Vec<_>>(),
        "total": total,
    })))
}

#[derive(Deserialize, Default)]
pub struct ShowQuery {
    #[serde(default)]
    at: Option<String>,
}

/// `GET /api/v1/teams/{id}[?at=]`.
pub async fn show(
    State(state): State<AppState>,
    ApiUser(ctx): ApiUser,
    Path(id): Path<i64>,
    Query(q): Query<ShowQuery>,
) -> ApiResult<Json<Value>> {
    let at = super::parse_day(q.at.as_deref())?;
    let d = store::get(&state.db, Some(&ctx.actor), id, at).await?;
    Ok(Json(detail_json(&d)))
}

/// `POST /api/v1/teams`.
pub async fn create(
    State(state): State<AppState>,
    ApiUser(ctx): ApiUser,
    Json(b): Json<TeamIn>,
) -> ApiResult<(StatusCode, Json<Value>)> {
    let id = super::create(&state.db, Some(&ctx.actor), &b).await?;
    let d = store::get(&state.db, Some(&ctx.actor), id, None).await?;
    Ok((StatusCode::CREATED, Json(detail_json(&d))))
}

#[derive(Deserialize)]
pub struct MembersBody {
    /// From this day on (dd/mm/yyyy or ISO).
    on: String,
    members: i64,
    #[serde(default)]
    named: Vec<NamedIn>,
}

#[derive(Deserialize)]
pub struct NamedIn {
    name: String,
    #[serde(default)]
    position: String,
}

/// `POST /api/v1/teams/{id}/members`: the count from a day on (and named members).
pub async fn members(
    State(state): State<AppState>,
    ApiUser(ctx): ApiUser,
    Path(id): Path<i64>,
    Json(b): Json<MembersBody>,
) -> ApiResult<Json<Value>> {
    let on = super::parse_day(Some(&b.on))?.ok_or_else(|| super::unprocessable("Chưa có ngày"))?;
    let named: Vec<store::Member> = b
        .named
        .iter()
        .map(|m| store::Member {
            name: m.name.clone(),
            position: m.position.clone(),
            joined_on: None,
            left_on: None,
        })
        .collect();
    store::set_members(&state.db, Some(&ctx.actor), id, on, b.members, &named).await?;
    let d = store::get(&state.db, Some(&ctx.actor), id, None).await?;
    Ok(Json(detail_json(&d)))
}

/// `POST /api/v1/teams/evaluations`: a unit's evaluations of a year, all or nothing.
pub async fn evaluate(
    State(state): State<AppState>,
    ApiUser(ctx): ApiUser,
    Json(b): Json<BatchIn>,
) -> ApiResult<Json<Value>> {
    let n = super::evaluate(&state.db, Some(&ctx.actor), &b).await?;
    Ok(Json(json!({"evaluated": n, "year": b.year})))
}

/// `GET /api/v1/team-kinds`.
pub async fn kinds(State(state): State<AppState>, ApiUser(_): ApiUser) -> ApiResult<Json<Value>> {
    let k = store::kinds(&state.db).await?;
    Ok(Json(json!({ "items": k })))
}

#[derive(Deserialize)]
pub struct KindBody {
    #[serde(default)]
    id: Option<i64>,
    name: String,
    #[serde(default = "yes")]
    mass_org: bool,
    #[serde(default = "yes")]
    active: bool,
}

fn yes() -> bool {
    true
}

/// `POST /api/v1/team-kinds`: add (no id) or change a kind (national administrators).
pub async fn save_kind(
    State(state): State<AppState>,
    ApiUser(ctx): ApiUser,
    Json(b): Json<KindBody>,
) -> ApiResult<Json<Value>> {
    let k = store::save_kind(&state.db, &ctx.actor, b.id, &b.name, b.mass_org, b.active).await?;
    Ok(Json(json!(k)))
}
