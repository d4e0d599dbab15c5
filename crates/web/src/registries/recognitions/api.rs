//! The JSON API of the recognition register (described in `openapi.json` beside this file).

use antq_core::registries::recognitions::SubjectKind;
use antq_storage::registries::recognitions::{self as store, CheckInput, CriterionInput};
use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::{get, post};
use axum::Router;
use serde::Deserialize;
use serde_json::{json, Value};

use super::{detail_json, item_json, unprocessable, DecideIn, ListQuery, RegisterIn};
use crate::auth::ApiUser;
use crate::error::ApiResult;
use crate::extract::{Json, Path, Query};
use crate::state::AppState;

/// The API routes (under `/api/v1`).
pub fn routes(_upload_limit: usize) -> Router<AppState> {
    Router::new()
        .route("/recognitions", get(list).post(create))
        .route("/recognitions/summary", get(summary))
        .route("/recognitions/criteria", get(criteria).post(save_criterion))
        .route("/recognitions/rules", get(get_rules).post(set_rules))
        .route(
            "/recognitions/organisations/{id}/class",
            post(set_org_class),
        )
        .route("/recognitions/{id}", get(show))
        .route("/recognitions/{id}/checks", post(checks))
        .route("/recognitions/{id}/decide", post(decide))
}

/// `GET /api/v1/recognitions?unit=&year=&kind=&state=`.
pub async fn list(
    State(state): State<AppState>,
    ApiUser(ctx): ApiUser,
    Query(q): Query<ListQuery>,
) -> ApiResult<Json<Value>> {
    let f = super::filter(&state.db, Some(&ctx.actor), &q).await?;
    let items = store::list(&state.db, Some(&ctx.actor), &f).await?;
    Ok(Json(json!({
        "items": items.iter().map(item_json).collect::<Vec<_>>(),
        "total": items.len(),
    })))
}

#[derive(Deserialize)]
pub struct SummaryQuery {
    #[serde(default)]
    unit: Option<String>,
    #[serde(default)]
    year: Option<String>,
}

/// `GET /api/v1/recognitions/summary?unit=&year=`.
pub async fn summary(
    State(state): State<AppState>,
    ApiUser(ctx): ApiUser,
    Query(q): Query<SummaryQuery>,
) -> ApiResult<Json<Value>> {
    let unit = q
        .unit
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .ok_or_else(|| unprocessable("Chưa có mã đơn vị (unit)"))?;
    let year = super::parse_year(q.year.as_deref().unwrap_or(""))?;
    Ok(Json(
        super::summary_json(&state.db, Some(&ctx.actor), unit, year).await?,
    ))
}

/// `GET /api/v1/recognitions/{id}`.
pub async fn show(
    State(state): State<AppState>,
    ApiUser(ctx): ApiUser,
    Path(id): Path<i64>,
) -> ApiResult<Json<Value>> {
    let r = store::get(&state.db, Some(&ctx.actor), id).await?;
    Ok(Json(detail_json(&state.db, Some(&ctx.actor), &r).await?))
}

/// `POST /api/v1/recognitions`: register a subject for a year.
pub async fn create(
    State(state): State<AppState>,
    ApiUser(ctx): ApiUser,
    Json(b): Json<RegisterIn>,
) -> ApiResult<(StatusCode, Json<Value>)> {
    let id = super::register(&state.db, &ctx.actor, &b).await?;
    let r = store::get(&state.db, Some(&ctx.actor), id).await?;
    Ok((
        StatusCode::CREATED,
        Json(detail_json(&state.db, Some(&ctx.actor), &r).await?),
    ))
}

#[derive(Deserialize)]
pub struct CheckIn {
    criterion_id: i64,
    met: bool,
    #[serde(default)]
    note: String,
}

#[derive(Deserialize)]
pub struct ChecksBody {
    checks: Vec<CheckIn>,
}

/// `POST /api/v1/recognitions/{id}/checks`.
pub async fn checks(
    State(state): State<AppState>,
    ApiUser(ctx): ApiUser,
    Path(id): Path<i64>,
    Json(b): Json<ChecksBody>,
) -> ApiResult<Json<Value>> {
    let list: Vec<CheckInput> = b
        .checks
        .into_iter()
        .map(|c| CheckInput {
            criterion_id: c.criterion_id,
            met: c.met,
            note: c.note,
        })
        .collect();
    let r = store::set_checks(&state.db, Some(&ctx.actor), id, &list).await?;
    Ok(Json(detail_json(&state.db, Some(&ctx.actor), &r).await?))
}

/// `POST /api/v1/recognitions/{id}/decide`.
pub async fn decide(
    State(state): State<AppState>,
    ApiUser(ctx): ApiUser,
    Path(id): Path<i64>,
    Json(b): Json<DecideIn>,
) -> ApiResult<Json<Value>> {
    let r = super::decide(&state.db, &ctx.actor, id, &b).await?;
    Ok(Json(detail_json(&state.db, Some(&ctx.actor), &r).await?))
}

#[derive(Deserialize)]
pub struct CriteriaQuery {
    #[serde(default)]
    kind: Option<String>,
    #[serde(default)]
    year: Option<String>,
}

/// `GET /api/v1/recognitions/criteria?kind=&year=`: the checklist in force
/// (with both), else every version.
pub async fn criteria(
    State(state): State<AppState>,
    ApiUser(_): ApiUser,
    Query(q): Query<CriteriaQuery>,
) -> ApiResult<Json<Value>> {
    let kind = q
        .kind
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(SubjectKind::parse)
        .transpose()
        .map_err(|e| unprocessable(e.to_string()))?;
    let year = q
        .year
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(super::parse_year)
        .transpose()?;
    let list = match (kind, year) {
        (Some(k), Some(y)) => store::criteria_of_year(&state.db, k, y).await?,
        _ => store::criteria(&state.db)
            .await?
            .into_iter()
            .filter(|c| kind.is_none_or(|k| c.kind == k))
            .collect(),
    };
    Ok(Json(json!({
        "items": list.iter().map(criterion_json).collect::<Vec<_>>(),
        "total": list.len(),
    })))
}

fn criterion_json(c: &store::Criterion) -> Value {
    json!({"id": c.id, "kind": c.kind.code(), "kind_name": c.kind.word_vi(), "year_from": c.year_from,
        "position": c.position, "text": c.text, "note": c.note, "active": c.active})
}

#[derive(Deserialize)]
pub struct CriterionBody {
    #[serde(default)]
    id: Option<i64>,
    kind: String,
    year_from: i64,
    position: i64,
    text: String,
    #[serde(default)]
    note: String,
    #[serde(default = "yes")]
    active: bool,
}

fn yes() -> bool {
    true
}

/// `POST /api/v1/recognitions/criteria`: add or change a criterion (national administrators).
pub async fn save_criterion(
    State(state): State<AppState>,
    ApiUser(ctx): ApiUser,
    Json(b): Json<CriterionBody>,
) -> ApiResult<Json<Value>> {
    let input = CriterionInput {
        id: b.id,
        kind: SubjectKind::parse(&b.kind).map_err(|e| unprocessable(e.to_string()))?,
        year_from: i32::try_from(b.year_from).map_err(|_| unprocessable("Năm không hợp lệ"))?,
        position: b.position,
        text: b.text,
        note: b.note,
        active: b.active,
    };
    let c = store::save_criterion(&state.db, &ctx.actor, &input).await?;
    Ok(Json(criterion_json(&c)))
}

async fn rules_json(db: &antq_storage::Db) -> Result<Value, crate::error::Failure> {
    Ok(json!({
        "commune_threshold": store::threshold(db).await?,
        "window": store::window(db).await?,
        "exclusions": store::exclusions(db).await?,
    }))
}

/// `GET /api/v1/recognitions/rules`: the rules in force.
pub async fn get_rules(
    State(state): State<AppState>,
    ApiUser(_): ApiUser,
) -> ApiResult<Json<Value>> {
    Ok(Json(rules_json(&state.db).await?))
}

#[derive(Deserialize)]
pub struct RulesBody {
    #[serde(default)]
    commune_threshold: Option<f64>,
    #[serde(default)]
    window: Option<antq_core::registries::recognitions::Window>,
    #[serde(default)]
    exclusions: Option<Vec<antq_core::registries::recognitions::Exclusion>>,
}

/// `POST /api/v1/recognitions/rules`: change the rules given (national administrators; audited).
pub async fn set_rules(
    State(state): State<AppState>,
    ApiUser(ctx): ApiUser,
    Json(b): Json<RulesBody>,
) -> ApiResult<Json<Value>> {
    if let Some(t) = b.commune_threshold {
        store::set_threshold(&state.db, &ctx.actor, t).await?;
    }
    if let Some(w) = &b.window {
        store::set_window(&state.db, &ctx.actor, w).await?;
    }
    if let Some(e) = &b.exclusions {
        store::set_exclusions(&state.db, &ctx.actor, e).await?;
    }
    Ok(Json(rules_json(&state.db).await?))
}

#[derive(Deserialize)]
pub struct ClassBody {
    #[serde(default)]
    sub_kind: String,
}

/// `POST /api/v1/recognitions/organisations/{id}/class`: mark an
/// organisation's sub-kind (e.g. a small enterprise, excluded), or clear it.
pub async fn set_org_class(
    State(state): State<AppState>,
    ApiUser(ctx): ApiUser,
    Path(id): Path<i64>,
    Json(b): Json<ClassBody>,
) -> ApiResult<Json<Value>> {
    store::set_org_class(&state.db, Some(&ctx.actor), id, &b.sub_kind).await?;
    Ok(Json(
        json!({"organisation_id": id, "sub_kind": b.sub_kind.trim()}),
    ))
}
