//! Reviews over the API: build, read, edit the narrative, compare with
//! today's data, download as Word, Excel or HTML. The document around the
//! figures (title, sections, signers, approvals) and the registers behind
//! it are in `api_document`.

use std::collections::BTreeMap;

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use serde::Deserialize;
use serde_json::{json, Value};

use crate::auth::ApiUser;
use crate::error::ApiResult;
use crate::extract::{Json, Path, Query};
use crate::reviews::{self, ReviewParams};
use crate::state::AppState;

pub async fn list(State(state): State<AppState>, ApiUser(ctx): ApiUser) -> ApiResult<Json<Value>> {
    Ok(Json(json!(reviews::list(&state.db, &ctx.actor).await?)))
}

#[derive(Deserialize)]
pub struct NewBody {
    unit: String,
    from: String,
    #[serde(default)]
    to: Option<String>,
    #[serde(default)]
    at: Option<String>,
    owner: String,
    #[serde(default)]
    issue_date: Option<String>,
    /// The programme the title names: its id, "none", or absent (the covering one).
    #[serde(default)]
    programme: Option<Value>,
}

/// `POST /api/v1/reviews`: build a review from the approved data and keep it.
pub async fn create(
    State(state): State<AppState>,
    ApiUser(ctx): ApiUser,
    Json(b): Json<NewBody>,
) -> ApiResult<(StatusCode, Json<Value>)> {
    let programme = match &b.programme {
        None | Some(Value::Null) => None,
        Some(Value::Number(n)) => Some(n.to_string()),
        Some(Value::String(s)) => Some(s.clone()),
        Some(_) => {
            return Err(crate::error::Failure::bad_request(
                "Chương trình, kế hoạch là số của chương trình hoặc \"none\"",
            )
            .into())
        }
    };
    let id = reviews::create_choosing(
        &state.db,
        Some(&ctx.actor),
        ReviewParams {
            unit: &b.unit,
            at: b.at.as_deref(),
            from: &b.from,
            to: b.to.as_deref(),
            owner: &b.owner,
            issue_date: b.issue_date.as_deref(),
        },
        programme.as_deref(),
    )
    .await?;
    let r = reviews::get(&state.db, Some(&ctx.actor), id).await?;
    Ok((StatusCode::CREATED, Json(review_json(&r))))
}

/// A review as the API gives it: as stored, with its header, and its
/// title, signers and recipients resolved (the officer's or the default),
/// its state (draft, approvals, final) and warnings.
pub(super) fn review_json(r: &antq_storage::reviews::Review) -> Value {
    let h = reviews::header(r);
    let mut v = json!(r);
    v["chosen"] = json!({"title": r.title.is_some(), "recipients": r.recipients.is_some()});
    v["title"] = json!(h.title);
    v["signers"] = json!(h.signers);
    v["recipients"] = json!(h.recipients);
    v["state"] = json!({
        "draft": r.draft().is_some(),
        "approvals": r.approvals,
        "final": r.is_final(),
    });
    v["draft_reason"] = json!(r.draft());
    v["date_warning"] = json!(reviews::date_warning(r));
    v["header"] = json!(h);
    v
}

pub async fn get(
    State(state): State<AppState>,
    ApiUser(ctx): ApiUser,
    Path(id): Path<i64>,
) -> ApiResult<Json<Value>> {
    let r = reviews::get(&state.db, Some(&ctx.actor), id).await?;
    Ok(Json(review_json(&r)))
}

#[derive(Deserialize)]
pub struct NarrativeBody {
    /// By group code: the new text (empty removes the paragraph).
    texts: BTreeMap<String, String>,
}

/// `PUT /api/v1/reviews/{id}/narrative` (audited).
pub async fn edit(
    State(state): State<AppState>,
    ApiUser(ctx): ApiUser,
    Path(id): Path<i64>,
    Json(b): Json<NarrativeBody>,
) -> ApiResult<Json<Value>> {
    let r = reviews::edit(&state.db, &ctx.actor, id, &b.texts).await?;
    Ok(Json(review_json(&r)))
}

/// `GET /api/v1/reviews/{id}/changes`: figures that differ from today's data.
pub async fn changes(
    State(state): State<AppState>,
    ApiUser(ctx): ApiUser,
    Path(id): Path<i64>,
) -> ApiResult<Json<Value>> {
    let (r, now, diff) = reviews::changes(&state.db, Some(&ctx.actor), id).await?;
    Ok(Json(json!({
        "review": r.id,
        "built_at": r.snapshot.built_at,
        "now": now.built_at,
        "changes": diff,
    })))
}

#[derive(Deserialize)]
pub struct ExportParams {
    format: String,
}

/// `GET /api/v1/reviews/{id}/export?format=docx|xlsx|html`.
pub async fn export(
    State(state): State<AppState>,
    ApiUser(ctx): ApiUser,
    Path(id): Path<i64>,
    Query(p): Query<ExportParams>,
) -> ApiResult<Response> {
    let r = reviews::get(&state.db, Some(&ctx.actor), id).await?;
    let d = reviews::render(&r, &p.format)?;
    Ok(d.into_response())
}
