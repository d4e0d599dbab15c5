//! The JSON API of the movement classification (described in `openapi.json`
//! beside this file).

use antq_core::registries::classifications::{format_points, Band};
use antq_storage::registries::classifications::{self as store, templates};
use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::{get, post, put};
use axum::Router;
use serde::Deserialize;
use serde_json::{json, Value};

use super::{filter, item_json, sheet_for, sheet_json, ListQuery, NewIn, ReviewJson, ScoreJson};
use crate::auth::ApiUser;
use crate::error::ApiResult;
use crate::extract::{Json, Path, Query};
use crate::state::AppState;

pub fn routes(_upload_limit: usize) -> Router<AppState> {
    Router::new()
        .route("/classifications", get(list).post(create))
        .route("/classifications/summary", get(summary))
        .route("/classifications/{id}", get(show))
        .route("/classifications/{id}/scores", put(scores))
        .route("/classifications/{id}/submit", post(submit))
        .route("/classifications/{id}/review", post(review))
        .route("/classifications/{id}/decide", post(decide))
        .route("/score-templates", get(score_templates))
}

/// `GET /api/v1/classifications?unit=&year=&kind=&band=`.
pub async fn list(
    State(state): State<AppState>,
    ApiUser(ctx): ApiUser,
    Query(q): Query<ListQuery>,
) -> ApiResult<Json<Value>> {
    let (f, _) = filter(&state.db, Some(&ctx.actor), &q).await?;
    let items = store::list(&state.db, Some(&ctx.actor), &f).await?;
    Ok(Json(json!({
        "items": items.iter().map(item_json).collect::<Vec<_>>(),
        "total": items.len(),
    })))
}

/// `GET /api/v1/classifications/summary?unit=&year=`: band counts per kind, and the late.
pub async fn summary(
    State(state): State<AppState>,
    ApiUser(ctx): ApiUser,
    Query(q): Query<ListQuery>,
) -> ApiResult<Json<Value>> {
    let (f, unit) = filter(&state.db, Some(&ctx.actor), &q).await?;
    let (Some(unit), Some(year)) = (unit, f.year) else {
        return Err(super::unprocessable("Thiếu tham số unit (mã đơn vị) hoặc year (năm)").into());
    };
    let counts = super::counts(&state.db, Some(&ctx.actor), &f).await?;
    let kinds: Vec<Value> = counts
        .iter()
        .filter_map(|k| {
            k.kind.map(|kind| {
                json!({
                    "kind": kind.code(),
                    "kind_name": kind.word_vi(),
                    "xuat_sac": k.counts[0],
                    "kha": k.counts[1],
                    "trung_binh": k.counts[2],
                    "yeu": k.counts[3],
                    "total": k.total(),
                })
            })
        })
        .collect();
    let all = counts.last().map(|k| k.counts).unwrap_or([0; 4]);
    let late = store::late(
        &state.db,
        Some(&ctx.actor),
        unit.id,
        year,
        antq_core::dates::today(),
    )
    .await?;
    Ok(Json(json!({
        "unit": unit.code,
        "unit_name": unit.name,
        "year": year,
        "kinds": kinds,
        "bands": Band::ALL.iter().enumerate().map(|(i, b)| json!({
            "band": b.code(), "band_name": b.word_vi(), "count": all[i],
        })).collect::<Vec<_>>(),
        "late": late.iter().map(|l| json!({
            "kind": l.kind.code(), "kind_name": l.kind.word_vi(), "subject": l.subject,
            "unit": l.unit.code, "unit_name": l.unit.name, "deadline": l.deadline,
            "id": l.classification_id,
        })).collect::<Vec<_>>(),
    })))
}

/// `GET /api/v1/classifications/{id}`: the score sheet.
pub async fn show(
    State(state): State<AppState>,
    ApiUser(ctx): ApiUser,
    Path(id): Path<i64>,
) -> ApiResult<Json<Value>> {
    let (sh, s, r) = sheet_for(&state.db, &ctx.actor, id).await?;
    Ok(Json(sheet_json(&sh, s, r)))
}

/// `POST /api/v1/classifications`: open a sheet.
pub async fn create(
    State(state): State<AppState>,
    ApiUser(ctx): ApiUser,
    Json(b): Json<NewIn>,
) -> ApiResult<(StatusCode, Json<Value>)> {
    let id = super::create(&state.db, &ctx.actor, &b).await?;
    let (sh, s, r) = sheet_for(&state.db, &ctx.actor, id).await?;
    Ok((StatusCode::CREATED, Json(sheet_json(&sh, s, r))))
}

#[derive(Deserialize)]
pub struct ScoresBody {
    scores: Vec<ScoreJson>,
}

/// `PUT /api/v1/classifications/{id}/scores`: the unit's own scores.
pub async fn scores(
    State(state): State<AppState>,
    ApiUser(ctx): ApiUser,
    Path(id): Path<i64>,
    Json(b): Json<ScoresBody>,
) -> ApiResult<Json<Value>> {
    let scores = super::scores_in(&b.scores)?;
    store::set_scores(&state.db, Some(&ctx.actor), id, &scores).await?;
    let (sh, s, r) = sheet_for(&state.db, &ctx.actor, id).await?;
    Ok(Json(sheet_json(&sh, s, r)))
}

/// `POST /api/v1/classifications/{id}/submit`.
pub async fn submit(
    State(state): State<AppState>,
    ApiUser(ctx): ApiUser,
    Path(id): Path<i64>,
) -> ApiResult<Json<Value>> {
    store::submit(&state.db, Some(&ctx.actor), id).await?;
    let (sh, s, r) = sheet_for(&state.db, &ctx.actor, id).await?;
    Ok(Json(sheet_json(&sh, s, r)))
}

#[derive(Deserialize)]
pub struct ReviewBody {
    #[serde(default)]
    scores: Vec<ReviewJson>,
}

/// `POST /api/v1/classifications/{id}/review`: the level above's scores.
pub async fn review(
    State(state): State<AppState>,
    ApiUser(ctx): ApiUser,
    Path(id): Path<i64>,
    Json(b): Json<ReviewBody>,
) -> ApiResult<Json<Value>> {
    let changes = super::reviews_in(&b.scores)?;
    store::review(&state.db, Some(&ctx.actor), id, &changes).await?;
    let (sh, s, r) = sheet_for(&state.db, &ctx.actor, id).await?;
    Ok(Json(sheet_json(&sh, s, r)))
}

/// `POST /api/v1/classifications/{id}/decide`: the band from the reviewed total.
pub async fn decide(
    State(state): State<AppState>,
    ApiUser(ctx): ApiUser,
    Path(id): Path<i64>,
) -> ApiResult<Json<Value>> {
    store::decide(&state.db, Some(&ctx.actor), id).await?;
    let (sh, s, r) = sheet_for(&state.db, &ctx.actor, id).await?;
    Ok(Json(sheet_json(&sh, s, r)))
}

/// `GET /api/v1/score-templates`: the templates, the thresholds and the deadlines.
pub async fn score_templates(
    State(state): State<AppState>,
    ApiUser(_ctx): ApiUser,
) -> ApiResult<Json<Value>> {
    let all = templates::templates(&state.db).await?;
    let t = store::thresholds(&state.db).await?;
    let d = store::deadlines(&state.db).await?;
    let items: Vec<Value> = all
        .iter()
        .map(|t| {
            json!({
                "id": t.id,
                "kind": t.kind.code(),
                "kind_name": t.kind.word_vi(),
                "year_from": t.year_from,
                "title": t.title,
                "note": t.note,
                "used": t.used,
                "items": t.items.iter().map(|i| json!({
                    "id": i.id, "parent_id": i.parent_id, "label": i.label, "text": i.text,
                    "max_points": super::num(Some(i.max)),
                })).collect::<Vec<_>>(),
            })
        })
        .collect();
    Ok(Json(json!({
        "items": items,
        "total": all.len(),
        "thresholds": {
            "xuat_sac": super::num(Some(t.xuat_sac)),
            "kha": super::num(Some(t.kha)),
            "trung_binh": super::num(Some(t.trung_binh)),
            "text": format!("Xuất sắc từ {} điểm, Khá từ {}, Trung bình từ {}, dưới {} là Yếu",
                format_points(t.xuat_sac), format_points(t.kha), format_points(t.trung_binh), format_points(t.trung_binh)),
        },
        "deadlines": {
            "khu_dan_cu": format!("{:02}/{:02}", d.khu_dan_cu.0, d.khu_dan_cu.1),
            "xa": format!("{:02}/{:02}", d.xa.0, d.xa.1),
            "co_quan": format!("{:02}/{:02}", d.co_quan.0, d.co_quan.1),
        },
    })))
}
