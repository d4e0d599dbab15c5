//! Statistics over the API: reports (`/data/{form}/{unit}/{period}`),
//! completeness, rollups, and the catalogue.

use antq_core::reports::Transition;
use axum::extract::State;
use serde::Deserialize;
use serde_json::{json, Value};

use crate::auth::ApiUser;
use crate::error::{ApiError, ApiResult, Failure};
use crate::extract::{Json, Path, Query};
use crate::state::AppState;
use crate::statistics::{self, RollupParams};

pub async fn get(
    State(state): State<AppState>,
    ApiUser(ctx): ApiUser,
    Path((form, unit, period)): Path<(String, String, String)>,
) -> ApiResult<Json<Value>> {
    let (_, _, view) = statistics::view(&state, &ctx.actor, &form, &unit, &period).await?;
    Ok(Json(json!(view)))
}

#[derive(Deserialize)]
pub struct PutBody {
    values: serde_json::Map<String, Value>,
}

pub async fn put(
    State(state): State<AppState>,
    ApiUser(ctx): ApiUser,
    Path((form, unit, period)): Path<(String, String, String)>,
    Json(body): Json<PutBody>,
) -> ApiResult<Json<Value>> {
    // Access first: a caller who may not enter this report learns nothing
    // from its values, and none of them is read.
    let (form, unit) = statistics::entry_target(&state, &ctx.actor, &form, &unit, &period).await?;
    let limit = statistics::value_slots(&form) + statistics::SAVE_MARGIN;
    if body.values.len() > limit {
        return Err(ApiError(statistics::too_many_values(
            body.values.len(),
            limit,
            &form,
            "giá trị",
        )));
    }
    let mut inputs = Vec::new();
    let mut errors = Vec::new();
    for (k, v) in &body.values {
        match statistics::parse_value(k, v) {
            Ok(i) => inputs.push(i),
            Err(e) => errors.push(e),
        }
    }
    if !errors.is_empty() {
        return Err(ApiError::from(antq_storage::StorageError::Rejected(errors)));
    }
    let view = statistics::put_checked(&state, &ctx.actor, &form, &unit, &period, inputs).await?;
    Ok(Json(json!(view)))
}

#[derive(Deserialize, Default)]
pub struct CommentBody {
    #[serde(default)]
    comment: Option<String>,
}

async fn step(
    state: AppState,
    ctx: crate::auth::AuthContext,
    (form, unit, period): (String, String, String),
    t: Transition,
    body: Option<Json<CommentBody>>,
) -> ApiResult<Json<Value>> {
    let comment = body.and_then(|b| b.0.comment);
    let view =
        statistics::transition(&state, &ctx.actor, &form, &unit, &period, t, comment).await?;
    Ok(Json(json!(view)))
}

#[derive(Deserialize)]
pub struct RemarkBody {
    body: String,
}

/// `POST …/comments`: the police or the Front of the unit or above comments on a report (audited).
pub async fn comment(
    State(state): State<AppState>,
    ApiUser(ctx): ApiUser,
    Path((form, unit, period)): Path<(String, String, String)>,
    Json(b): Json<RemarkBody>,
) -> ApiResult<(axum::http::StatusCode, Json<Value>)> {
    let c = statistics::comment(&state, &ctx.actor, &form, &unit, &period, &b.body).await?;
    Ok((axum::http::StatusCode::CREATED, Json(json!(c))))
}

pub async fn submit(
    State(state): State<AppState>,
    ApiUser(ctx): ApiUser,
    Path(p): Path<(String, String, String)>,
    body: Option<Json<CommentBody>>,
) -> ApiResult<Json<Value>> {
    step(state, ctx, p, Transition::Submit, body).await
}

pub async fn approve(
    State(state): State<AppState>,
    ApiUser(ctx): ApiUser,
    Path(p): Path<(String, String, String)>,
    body: Option<Json<CommentBody>>,
) -> ApiResult<Json<Value>> {
    step(state, ctx, p, Transition::Approve, body).await
}

pub async fn return_(
    State(state): State<AppState>,
    ApiUser(ctx): ApiUser,
    Path(p): Path<(String, String, String)>,
    body: Option<Json<CommentBody>>,
) -> ApiResult<Json<Value>> {
    step(state, ctx, p, Transition::Return, body).await
}

pub async fn reopen(
    State(state): State<AppState>,
    ApiUser(ctx): ApiUser,
    Path(p): Path<(String, String, String)>,
    body: Option<Json<CommentBody>>,
) -> ApiResult<Json<Value>> {
    step(state, ctx, p, Transition::Reopen, body).await
}

pub async fn completeness(
    State(state): State<AppState>,
    ApiUser(ctx): ApiUser,
    Path((form, unit, period)): Path<(String, String, String)>,
) -> ApiResult<Json<Value>> {
    Ok(Json(json!(
        statistics::completeness(&state, &ctx.actor, &form, &unit, &period).await?
    )))
}

#[derive(Deserialize)]
pub struct AnalyticsParams {
    indicators: Option<String>,
    unit: Option<String>,
    at: Option<String>,
    from: Option<String>,
    to: Option<String>,
    by: Option<String>,
    map: Option<String>,
    approved_only: Option<bool>,
}

pub async fn analytics(
    State(state): State<AppState>,
    ApiUser(ctx): ApiUser,
    Query(p): Query<AnalyticsParams>,
) -> ApiResult<Json<Value>> {
    let need = |v: Option<String>, name: &str| {
        v.ok_or_else(|| Failure::bad_request(format!("thiếu tham số {name}")))
    };
    let params = RollupParams {
        indicators: need(p.indicators, "indicators")?,
        unit: need(p.unit, "unit")?,
        at: p.at,
        from: need(p.from, "from")?,
        to: p.to,
        by: p.by,
        map: p.map,
        approved_only: p.approved_only,
    };
    let r = statistics::rollup(&state, &ctx.actor, &params).await?;
    Ok(Json(json!({
        "unit": r.unit.code,
        "unit_name": r.unit.name,
        "range": r.range.code(),
        "map": match r.map { antq_storage::statistics::analytics::MapMode::Current => "current", _ => "historical" },
        "approved_only": r.approved_only,
        "rows": r.rows,
    })))
}

#[derive(Deserialize)]
pub struct ImportParams {
    format: Option<String>,
    #[serde(default)]
    dry_run: bool,
}

fn format_of(
    p: Option<&str>,
    headers: &axum::http::HeaderMap,
) -> Result<antq_office::files::Format, Failure> {
    use antq_office::files::Format;
    if let Some(f) = p {
        return Format::guess(f).ok_or_else(|| {
            Failure::bad_request(format!("định dạng \"{f}\" không hỗ trợ (csv, xlsx, dhis2)"))
        });
    }
    let ct = headers
        .get(axum::http::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    if ct.starts_with("text/csv") {
        Ok(Format::Csv)
    } else if ct.starts_with("application/json") {
        Ok(Format::Dhis2)
    } else if ct.contains("spreadsheetml") || ct.contains("excel") {
        Ok(Format::Xlsx)
    } else {
        Err(Failure::new(
            axum::http::StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "Cần ?format=csv|xlsx|dhis2 hoặc Content-Type tương ứng",
        ))
    }
}

/// `POST /api/v1/import`: a file in the body, all or nothing. The account,
/// the declared length and an import slot are checked before the body is
/// read, so waiting or refused uploads never sit in memory.
pub async fn import(
    State(state): State<AppState>,
    ApiUser(ctx): ApiUser,
    Query(p): Query<ImportParams>,
    headers: axum::http::HeaderMap,
    body: axum::body::Body,
) -> ApiResult<Json<Value>> {
    let format = format_of(p.format.as_deref(), &headers)?;
    let permit = statistics::admit_upload(&state, &ctx.actor, &headers).await?;
    let body = statistics::read_upload(&state, body).await?;
    let summary =
        statistics::import_upload(&state, &ctx.actor, permit, format, body, p.dry_run).await?;
    Ok(Json(json!(summary)))
}

#[derive(Deserialize)]
pub struct DvsParams {
    #[serde(default, rename = "dryRun")]
    dry_run: bool,
}

/// `POST /api/v1/dataValueSets`: DHIS2's endpoint, codes as identifiers,
/// all or nothing. The answer is DHIS2's `ImportSummary`: 200 with status
/// `SUCCESS`, or 409 with status `ERROR` and every problem in `conflicts`
/// when the set is refused (nothing is written). Limits (413, 429) and
/// access to the endpoint (401, 403) answer as every API error does.
pub async fn data_value_sets_in(
    State(state): State<AppState>,
    ApiUser(ctx): ApiUser,
    Query(p): Query<DvsParams>,
    headers: axum::http::HeaderMap,
    body: axum::body::Body,
) -> ApiResult<(axum::http::StatusCode, Json<Value>)> {
    let permit = statistics::admit_upload(&state, &ctx.actor, &headers).await?;
    let body = statistics::read_upload(&state, body).await?;
    let kept = body.clone();
    match statistics::import_upload(
        &state,
        &ctx.actor,
        permit,
        antq_office::files::Format::Dhis2,
        body,
        p.dry_run,
    )
    .await
    {
        Ok(s) => Ok((
            axum::http::StatusCode::OK,
            Json(statistics::dhis2::summary(&s)),
        )),
        Err(f) if f.status == axum::http::StatusCode::UNPROCESSABLE_ENTITY => Ok((
            axum::http::StatusCode::CONFLICT,
            Json(statistics::dhis2::refused(
                &f,
                antq_office::dhis2::count_values(&kept),
            )),
        )),
        Err(f) => Err(ApiError(f)),
    }
}

/// `GET /api/v1/dataValueSets?dataSet=&orgUnit=&period=&periodMapping=sameCode`:
/// repeated `dataSet`, `orgUnit` and `period` add up; `startDate` and
/// `endDate` select the periods lying between them; `children=true` adds
/// the units under each `orgUnit`. antq's periods are not DHIS2's calendar
/// periods, so `periodMapping` must be given (see `antq_office::dhis2`).
pub async fn data_value_sets_out(
    State(state): State<AppState>,
    ApiUser(ctx): ApiUser,
    axum::extract::RawQuery(query): axum::extract::RawQuery,
) -> ApiResult<axum::response::Response> {
    let q = statistics::dhis2::ExportQuery::parse(query.as_deref().unwrap_or_default())?;
    let d = statistics::dhis2::export(&state.db, Some(&ctx.actor), &q).await?;
    Ok(download(d))
}

#[derive(Deserialize)]
pub struct ExportParams {
    from: String,
    to: Option<String>,
    format: Option<String>,
    #[serde(rename = "periodMapping")]
    period_mapping: Option<String>,
}

/// The period mapping a DHIS2 export asks for (required: antq's periods
/// are not DHIS2's).
pub fn period_mapping(p: Option<&str>) -> Result<antq_office::dhis2::PeriodMapping, Failure> {
    use antq_office::dhis2::{PeriodMapping, MAPPING_NEEDED};
    match p {
        None => Err(Failure::new(
            axum::http::StatusCode::UNPROCESSABLE_ENTITY,
            MAPPING_NEEDED,
        )),
        Some(m) => PeriodMapping::parse(m).ok_or_else(|| {
            Failure::new(
                axum::http::StatusCode::UNPROCESSABLE_ENTITY,
                format!("periodMapping \"{m}\" không có (chỉ có sameCode)"),
            )
        }),
    }
}

pub async fn export(
    State(state): State<AppState>,
    ApiUser(ctx): ApiUser,
    Path((form, unit)): Path<(String, String)>,
    Query(p): Query<ExportParams>,
) -> ApiResult<axum::response::Response> {
    let dhis2 = match p.format.as_deref() {
        None | Some("csv") => None,
        Some("dhis2") | Some("json") => Some(period_mapping(p.period_mapping.as_deref())?),
        Some(other) => {
            return Err(ApiError(Failure::bad_request(format!(
                "Định dạng \"{other}\" không hỗ trợ (csv, dhis2)"
            ))))
        }
    };
    let d = statistics::export(
        &state.db,
        Some(&ctx.actor),
        &form,
        &unit,
        &p.from,
        p.to.as_deref(),
        dhis2,
    )
    .await?;
    Ok(download(d))
}

pub async fn template(
    State(state): State<AppState>,
    ApiUser(ctx): ApiUser,
    Path((form, unit, period)): Path<(String, String, String)>,
) -> ApiResult<axum::response::Response> {
    Ok(download(
        statistics::template(&state.db, Some(&ctx.actor), &form, &unit, &period).await?,
    ))
}

/// A file as an attachment; its `Content-Disposition` is made in one place
/// ([`statistics::content_disposition`]).
pub fn download(d: statistics::Download) -> axum::response::Response {
    d.into_response()
}
