//! The public side of a document, set by its editors: shown to the public
//! or not, in force or expired, and its relations to other documents
//! (implements, replaces). On the document's page (`/van-ban/{id}`) and in
//! the API; every change audited by the storage and followed by the
//! public search.

use antq_storage::programmes::documents::{self, RelationKind};
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::{delete, post, put};
use axum::{Form, Router};
use serde::Deserialize;
use serde_json::{json, Value};

use crate::auth::{ApiUser, PageUser};
use crate::error::{ApiResult, Failure};
use crate::extract::{Json, Path};
use crate::state::AppState;

pub fn page_routes() -> Router<AppState> {
    Router::new()
        .route("/van-ban/{id}/cong-khai", post(set_public_page))
        .route("/van-ban/{id}/lien-quan", post(relate_page))
        .route("/van-ban/{id}/lien-quan/xoa", post(unrelate_page))
}

pub fn api_routes() -> Router<AppState> {
    Router::new()
        .route("/documents/{id}/public", put(set_public_api))
        .route("/documents/{id}/relations", post(relate_api))
        .route(
            "/documents/{id}/relations/{related}/{kind}",
            delete(unrelate_api),
        )
}

#[derive(Deserialize)]
pub struct PublicForm {
    #[serde(default)]
    public: Option<String>,
    #[serde(default)]
    in_force: Option<String>,
}

/// `POST /van-ban/{id}/cong-khai`: the two checkboxes.
async fn set_public_page(
    State(state): State<AppState>,
    PageUser(ctx): PageUser,
    Path(id): Path<i64>,
    Form(f): Form<PublicForm>,
) -> Response {
    let to = format!("/van-ban/{id}");
    let r = documents::set_public(
        &state.db,
        &ctx.actor,
        id,
        f.public.is_some(),
        f.in_force.is_some(),
    )
    .await
    .map_err(Failure::from);
    crate::pages::outcome(r, &to, "msg.saved", &to)
}

#[derive(Deserialize)]
pub struct RelateForm {
    #[serde(default)]
    kind: String,
    /// The other document's reference (or an alias), or its number in antq.
    #[serde(default)]
    other: String,
}

/// The other document: by its reference or alias, or by its id.
async fn other_id(state: &AppState, other: &str) -> Result<i64, Failure> {
    let other = antq_core::text::clean(other);
    antq_core::text::check_len("Văn bản liên quan", &other, 100)?;
    if other.is_empty() {
        return Err(Failure::from(antq_core::DomainError::invalid(
            "Chưa nhập số, ký hiệu của văn bản liên quan",
        )));
    }
    if let Ok(id) = other.parse::<i64>() {
        return Ok(id);
    }
    documents::by_reference(&state.db, &other)
        .await?
        .map(|d| d.id)
        .ok_or_else(|| Failure::not_found(format!("văn bản \u{201C}{other}\u{201D}")))
}

/// `POST /van-ban/{id}/lien-quan`.
async fn relate_page(
    State(state): State<AppState>,
    PageUser(ctx): PageUser,
    Path(id): Path<i64>,
    Form(f): Form<RelateForm>,
) -> Response {
    let to = format!("/van-ban/{id}");
    let r = async {
        let kind = RelationKind::parse(&f.kind)?;
        let other = other_id(&state, &f.other).await?;
        documents::add_relation(&state.db, &ctx.actor, id, other, kind).await?;
        Ok::<_, Failure>(())
    }
    .await;
    crate::pages::outcome(r, &to, "msg.saved", &to)
}

#[derive(Deserialize)]
pub struct UnrelateForm {
    kind: String,
    related: i64,
}

/// `POST /van-ban/{id}/lien-quan/xoa`.
async fn unrelate_page(
    State(state): State<AppState>,
    PageUser(ctx): PageUser,
    Path(id): Path<i64>,
    Form(f): Form<UnrelateForm>,
) -> Response {
    let to = format!("/van-ban/{id}");
    let r = async {
        let kind = RelationKind::parse(&f.kind)?;
        documents::remove_relation(&state.db, &ctx.actor, id, f.related, kind).await?;
        Ok::<_, Failure>(())
    }
    .await;
    crate::pages::outcome(r, &to, "msg.saved", &to)
}

#[derive(Deserialize)]
pub struct PublicBody {
    public: bool,
    #[serde(default = "yes")]
    in_force: bool,
}

fn yes() -> bool {
    true
}

/// `PUT /api/v1/documents/{id}/public` `{"public": true, "in_force": true}`.
async fn set_public_api(
    State(state): State<AppState>,
    ApiUser(ctx): ApiUser,
    Path(id): Path<i64>,
    Json(b): Json<PublicBody>,
) -> ApiResult<Json<Value>> {
    documents::set_public(&state.db, &ctx.actor, id, b.public, b.in_force).await?;
    Ok(Json(
        json!({"id": id, "public": b.public, "in_force": b.in_force}),
    ))
}

#[derive(Deserialize)]
pub struct RelationBody {
    related_id: i64,
    kind: String,
}

/// `POST /api/v1/documents/{id}/relations` `{"related_id": 3, "kind": "implements|replaces"}`.
async fn relate_api(
    State(state): State<AppState>,
    ApiUser(ctx): ApiUser,
    Path(id): Path<i64>,
    Json(b): Json<RelationBody>,
) -> ApiResult<(StatusCode, Json<Value>)> {
    let kind = RelationKind::parse(&b.kind).map_err(Failure::from)?;
    documents::add_relation(&state.db, &ctx.actor, id, b.related_id, kind).await?;
    Ok((
        StatusCode::CREATED,
        Json(json!({"document_id": id, "related_id": b.related_id, "kind": kind.code()})),
    ))
}

/// `DELETE /api/v1/documents/{id}/relations/{related}/{kind}`.
async fn unrelate_api(
    State(state): State<AppState>,
    ApiUser(ctx): ApiUser,
    Path((id, related, kind)): Path<(i64, i64, String)>,
) -> ApiResult<StatusCode> {
    let kind = RelationKind::parse(&kind).map_err(Failure::from)?;
    documents::remove_relation(&state.db, &ctx.actor, id, related, kind).await?;
    Ok(StatusCode::NO_CONTENT)
}
