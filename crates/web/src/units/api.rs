//! Units (public), and the areas and organisations of a unit (by grant).

use antq_core::units::Level;
use antq_storage::units::{self, Linked, Unit, UnitQuery};
use axum::extract::State;
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

use crate::auth::ApiUser;
use crate::error::ApiResult;
use crate::extract::{Json, Path, Query};
use crate::state::AppState;

#[derive(Deserialize)]
pub struct ListParams {
    level: Option<String>,
    at: Option<String>,
    parent: Option<String>,
    q: Option<String>,
    limit: Option<i64>,
}

pub async fn list(
    State(state): State<AppState>,
    Query(p): Query<ListParams>,
) -> ApiResult<Json<Vec<Unit>>> {
    let at = crate::units::service::date_or_today(p.at.as_deref())?;
    let level = p.level.as_deref().map(str::parse::<Level>).transpose()?;
    let parent_id = match p.parent.as_deref().filter(|s| !s.is_empty()) {
        Some(code) => Some(crate::units::service::unit_at(&state, code, at).await?.id),
        None => None,
    };
    let list = units::list(
        &state.db,
        &UnitQuery {
            at,
            level,
            parent_id,
            q: p.q,
            limit: p.limit,
        },
    )
    .await?;
    Ok(Json(list))
}

#[derive(Deserialize)]
pub struct AtParam {
    at: Option<String>,
}

#[derive(Serialize)]
pub struct UnitDetail {
    #[serde(flatten)]
    unit: Unit,
    parent_name: Option<String>,
    predecessors: Vec<Linked>,
    successors: Vec<Linked>,
}

pub async fn show(
    State(state): State<AppState>,
    Path(code): Path<String>,
    Query(p): Query<AtParam>,
) -> ApiResult<Json<UnitDetail>> {
    let at = crate::units::service::date_or_today(p.at.as_deref())?;
    let unit = crate::units::service::unit_at(&state, &code, at).await?;
    let parent_name = match unit.parent_id {
        Some(id) => Some(units::by_id(&state.db, id).await?.name),
        None => None,
    };
    let predecessors = units::predecessors(&state.db, unit.id).await?;
    let successors = units::successors(&state.db, unit.id).await?;
    Ok(Json(UnitDetail {
        unit,
        parent_name,
        predecessors,
        successors,
    }))
}

pub async fn list_areas(
    State(state): State<AppState>,
    ApiUser(ctx): ApiUser,
    Path(code): Path<String>,
    Query(p): Query<AtParam>,
) -> ApiResult<Json<Value>> {
    let at = crate::units::service::date_or_today(p.at.as_deref())?;
    let (unit, areas) = crate::units::service::list_areas(&state, &ctx.actor, &code, at).await?;
    Ok(Json(
        json!({"unit": unit.code, "unit_name": unit.name, "areas": areas}),
    ))
}

#[derive(Deserialize)]
pub struct NewNamed {
    name: String,
    kind: String,
}

pub async fn create_area(
    State(state): State<AppState>,
    ApiUser(ctx): ApiUser,
    Path(code): Path<String>,
    Json(body): Json<NewNamed>,
) -> ApiResult<(StatusCode, Json<Value>)> {
    let area =
        crate::units::service::create_area(&state, &ctx.actor, &code, &body.kind, &body.name)
            .await?;
    Ok((StatusCode::CREATED, Json(json!(area))))
}

pub async fn list_orgs(
    State(state): State<AppState>,
    ApiUser(ctx): ApiUser,
    Path(code): Path<String>,
    Query(p): Query<AtParam>,
) -> ApiResult<Json<Value>> {
    let at = crate::units::service::date_or_today(p.at.as_deref())?;
    let (unit, orgs) = crate::units::service::list_orgs(&state, &ctx.actor, &code, at).await?;
    Ok(Json(
        json!({"unit": unit.code, "unit_name": unit.name, "organisations": orgs}),
    ))
}

pub async fn create_org(
    State(state): State<AppState>,
    ApiUser(ctx): ApiUser,
    Path(code): Path<String>,
    Json(body): Json<NewNamed>,
) -> ApiResult<(StatusCode, Json<Value>)> {
    let org = crate::units::service::create_org(&state, &ctx.actor, &code, &body.kind, &body.name)
        .await?;
    Ok((StatusCode::CREATED, Json(json!(org))))
}
