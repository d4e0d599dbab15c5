//! The tips over the JSON API (described in `openapi.json` beside this
//! file). Public, without an account: `GET /public/tips/categories`,
//! `GET /public/tips/challenge`, `POST /public/tips` (→ the receipt, once),
//! `POST|DELETE /public/tips/session` (the receipt session's cookie),
//! `GET|POST /public/tips/messages`. Officers: `GET /tips`, `GET /tips/{id}`
//! (a reading, audited), `POST /tips/{id}/state|assign|messages|transfer|hold`,
//! `GET /tips/clusters`, `GET /tips/clusters/{key}/export`
//! ([`super::cluster_export`]), `GET /tips/counts`, `POST /tips/key` (open the key),
//! `POST /tips/key/recovery` (a recovery code, shown once). National
//! administrators: `GET /tips/categories`, `PUT /tips/categories/{code}`
//! ([`super::category_api`]).

use std::collections::BTreeMap;

use antq_core::tips::submission::NewTip;
use antq_storage::tips::{categories, clusters, handling, inbox, keys};
use axum::extract::State;
use axum::http::header::SET_COOKIE;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{AppendHeaders, IntoResponse, Response};
use axum::routing::{get, post};
use axum::Router;
use serde::Deserialize;
use serde_json::{json, Value};

use super::service::{self, Work};
use super::uploads::AttachmentBody;
use crate::auth::{cookie, over_tls, ApiUser};
use crate::error::{ApiResult, Failure};
use crate::extract::{Json, Path, Query};
use crate::state::AppState;

/// The tipster's session cookie (the only cookie the public side sets).
pub const TIPSTER_COOKIE: &str = "antq_tip";

/// The largest body of a public tip without its pictures (text, answers,
/// identifiers).
pub const PUBLIC_BODY_LIMIT: usize = 256 * 1024;

pub fn routes() -> Router<AppState> {
    let with_pictures = axum::extract::DefaultBodyLimit::max(super::uploads::API_BODY_LIMIT);
    // Nothing a public tip route does reaches the logs.
    let public = Router::new()
        .route("/public/tips/categories", get(public_categories))
        .route("/public/tips/challenge", get(challenge))
        .route(
            "/public/tips",
            post(submit)
                .layer(with_pictures)
                .layer(axum::middleware::from_fn(super::uploads::bounded)),
        )
        .route(
            "/public/tips/session",
            post(open_session).delete(close_session),
        )
        .route(
            "/public/tips/messages",
            get(tipster_view)
                .post(tipster_add)
                .layer(with_pictures)
                .layer(axum::middleware::from_fn(super::uploads::bounded)),
        )
        .layer(axum::middleware::from_fn(super::quiet));
    Router::new()
        .merge(public)
        .merge(super::category_api::routes())
        .merge(super::cluster_export::api_routes())
        .route("/tips", get(list))
        .route("/tips/counts", get(counts))
        .route("/tips/clusters", get(cluster_list))
        .route("/tips/key", post(unlock_key))
        .route("/tips/key/recovery", post(recovery_code))
        .route("/tips/{id}", get(show))
        .route("/tips/{id}/attachments/{picture}", get(picture))
        .route("/tips/{id}/state", post(set_state))
        .route("/tips/{id}/assign", post(assign))
        .route("/tips/{id}/messages", post(write))
        .route("/tips/{id}/transfer", post(transfer))
        .route("/tips/{id}/hold", post(hold))
}

async fn public_categories(State(state): State<AppState>) -> ApiResult<Json<Value>> {
    Ok(Json(json!({"items": categories::active(&state.db).await?})))
}

#[derive(Deserialize)]
struct ChallengeQuery {
    /// `false`: a form without JavaScript (wait instead of work).
    script: Option<bool>,
}

async fn challenge(
    State(state): State<AppState>,
    Query(q): Query<ChallengeQuery>,
) -> ApiResult<Response> {
    let c = state.tips.challenge(
        antq_core::dates::now_utc().timestamp(),
        q.script.unwrap_or(true),
    );
    Ok(([("cache-control", "no-store")], Json(c)).into_response())
}

#[derive(Deserialize)]
struct IdentifierBody {
    kind: String,
    value: String,
}

/// A tip as the API takes it.
#[derive(Deserialize)]
struct TipBody {
    challenge: String,
    nonce: u64,
    category: String,
    unit_code: String,
    area: Option<String>,
    place: Option<String>,
    happened: Option<String>,
    text: String,
    #[serde(default)]
    answers: BTreeMap<String, String>,
    #[serde(default)]
    identifiers: Vec<IdentifierBody>,
    #[serde(default)]
    concerns_local_officers: bool,
    contact: Option<String>,
    /// Pictures (JPEG or PNG, base64).
    #[serde(default)]
    attachments: Vec<AttachmentBody>,
}

async fn submit(State(state): State<AppState>, Json(b): Json<TipBody>) -> ApiResult<Response> {
    let tip = NewTip {
        category: b.category,
        unit_code: b.unit_code,
        area: b.area,
        place: b.place,
        happened: b.happened,
        text: b.text,
        answers: b.answers.into_iter().collect(),
        identifiers: b
            .identifiers
            .into_iter()
            .map(|i| (i.kind, i.value))
            .collect(),
        concerns_local_officers: b.concerns_local_officers,
        contact: b.contact,
    };
    let work = Work {
        token: &b.challenge,
        nonce: b.nonce,
    };
    // The work is checked before any picture is decoded.
    state.tips.verify(
        work.token,
        work.nonce,
        antq_core::dates::now_utc().timestamp(),
    )?;
    let files = super::uploads::decode(b.attachments)?;
    let receipt = service::submit(&state, tip, files, work).await?;
    Ok((
        StatusCode::CREATED,
        [("cache-control", "no-store")],
        Json(json!({"receipt": receipt.grouped()})),
    )
        .into_response())
}

#[derive(Deserialize)]
struct SessionBody {
    receipt: String,
    challenge: String,
    nonce: u64,
}

/// The tipster's cookie: HttpOnly, SameSite=Strict, for the session only.
pub fn tipster_cookie(value: &str, secure: bool, max_age: Option<i64>) -> String {
    let mut c = format!("{TIPSTER_COOKIE}={value}; Path=/; HttpOnly; SameSite=Strict");
    if secure {
        c.push_str("; Secure");
    }
    if let Some(age) = max_age {
        c.push_str(&format!("; Max-Age={age}"));
    }
    c
}

async fn open_session(
    State(state): State<AppState>,
    headers: HeaderMap,
    Json(b): Json<SessionBody>,
) -> ApiResult<Response> {
    let work = Work {
        token: &b.challenge,
        nonce: b.nonce,
    };
    let (id, csrf) = service::open_session(&state, &b.receipt, work).await?;
    let secure = over_tls(&headers, &state.config);
    Ok((
        AppendHeaders([(SET_COOKIE, tipster_cookie(&id, secure, None))]),
        Json(json!({"csrf_token": csrf})),
    )
        .into_response())
}

async fn close_session(State(state): State<AppState>, headers: HeaderMap) -> ApiResult<Response> {
    if let Some(id) = cookie(&headers, TIPSTER_COOKIE) {
        state.tips.keyring.close_tipster(&id);
    }
    let secure = over_tls(&headers, &state.config);
    Ok((
        StatusCode::NO_CONTENT,
        AppendHeaders([(SET_COOKIE, tipster_cookie("", secure, Some(0)))]),
    )
        .into_response())
}

async fn tipster_view(State(state): State<AppState>, headers: HeaderMap) -> ApiResult<Response> {
    let s = service::tipster_session(&state, cookie(&headers, TIPSTER_COOKIE).as_deref())?;
    let view = antq_storage::tips::tipster::view(&state.db, s.tip_id, &s.key).await?;
    Ok(([("cache-control", "no-store")], Json(view)).into_response())
}

#[derive(Deserialize)]
struct TextBody {
    text: String,
    #[serde(default)]
    attachments: Vec<AttachmentBody>,
}

async fn tipster_add(
    State(state): State<AppState>,
    headers: HeaderMap,
    Json(b): Json<TextBody>,
) -> ApiResult<Response> {
    let s = service::tipster_session(&state, cookie(&headers, TIPSTER_COOKIE).as_deref())?;
    let given = headers
        .get(crate::csrf::HEADER)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    if !crate::csrf::same(given, &s.csrf) {
        return Err(Failure::new(
            StatusCode::FORBIDDEN,
            "Mã chống giả mạo của phiên theo dõi không đúng",
        )
        .into());
    }
    let files = super::uploads::decode(b.attachments)?;
    service::tipster_add(&state, &s, &b.text, files).await?;
    Ok(StatusCode::NO_CONTENT.into_response())
}

#[derive(Deserialize)]
struct ListQuery {
    state: Option<String>,
    unit: Option<String>,
    before: Option<i64>,
    limit: Option<i64>,
}

async fn list(
    State(state): State<AppState>,
    ApiUser(ctx): ApiUser,
    Query(q): Query<ListQuery>,
) -> ApiResult<Json<Value>> {
    service::require_police(&ctx)?;
    let filter = inbox::TipFilter {
        state: service::state_param(q.state.as_deref())?,
        unit_id: service::unit_filter(&state, &ctx.actor, q.unit.as_deref()).await?,
        before_id: q.before,
        limit: q.limit.unwrap_or(50),
    };
    let items = inbox::list(&state.db, &ctx.actor, &filter).await?;
    Ok(Json(json!({ "items": items })))
}

async fn counts(State(state): State<AppState>, ApiUser(ctx): ApiUser) -> ApiResult<Json<Value>> {
    service::require_police(&ctx)?;
    let counts = inbox::counts(&state.db, &ctx.actor).await?;
    let items: Vec<Value> = counts
        .into_iter()
        .map(|(s, n)| json!({"state": s.as_str(), "label": s.label_vi(), "tips": n}))
        .collect();
    Ok(Json(json!({ "items": items })))
}

#[derive(Deserialize)]
struct ClusterQuery {
    unit: Option<String>,
    min_tips: Option<i64>,
}

async fn cluster_list(
    State(state): State<AppState>,
    ApiUser(ctx): ApiUser,
    Query(q): Query<ClusterQuery>,
) -> ApiResult<Json<Value>> {
    service::require_police(&ctx)?;
    let unit = service::unit_filter(&state, &ctx.actor, q.unit.as_deref()).await?;
    let items =
        clusters::clusters(&state.db, &ctx.actor, unit, q.min_tips.unwrap_or(1), 200).await?;
    Ok(Json(json!({ "items": items })))
}

#[derive(Deserialize)]
struct UnlockBody {
    password: String,
    old_password: Option<String>,
    recovery_code: Option<String>,
}

async fn unlock_key(
    State(state): State<AppState>,
    ApiUser(ctx): ApiUser,
    Json(b): Json<UnlockBody>,
) -> ApiResult<StatusCode> {
    let recovery = match (b.old_password, b.recovery_code) {
        (Some(old), _) if !old.is_empty() => Some(keys::Recovery::OldPassword(old)),
        (_, Some(code)) if !code.trim().is_empty() => Some(keys::Recovery::Code(
            antq_vault::RecoveryCode::parse(&code)
                .map_err(|e| Failure::new(StatusCode::UNPROCESSABLE_ENTITY, e.to_string()))?,
        )),
        _ => None,
    };
    service::unlock(&state, &ctx, &b.password, recovery).await?;
    Ok(StatusCode::NO_CONTENT)
}

async fn recovery_code(
    State(state): State<AppState>,
    ApiUser(ctx): ApiUser,
) -> ApiResult<Response> {
    let secret = service::officer_key(&state, &ctx)?;
    let code =
        keys::new_recovery_code(&state.db, &ctx.actor.who(), ctx.actor.user_id, &secret).await?;
    Ok((
        [("cache-control", "no-store")],
        Json(json!({"recovery_code": code.display()})),
    )
        .into_response())
}

async fn show(
    State(state): State<AppState>,
    ApiUser(ctx): ApiUser,
    Path(id): Path<i64>,
) -> ApiResult<Response> {
    let tip = service::open_tip(&state, &ctx, id).await?;
    Ok(([("cache-control", "no-store")], Json(tip)).into_response())
}

async fn picture(
    State(state): State<AppState>,
    ApiUser(ctx): ApiUser,
    Path((id, picture)): Path<(i64, i64)>,
) -> ApiResult<Response> {
    let a = service::open_picture(&state, &ctx, id, picture).await?;
    Ok(service::picture_response(a, id, picture))
}

#[derive(Deserialize)]
struct StateBody {
    state: String,
    version: Option<i64>,
}

async fn set_state(
    State(state): State<AppState>,
    ApiUser(ctx): ApiUser,
    Path(id): Path<i64>,
    Json(b): Json<StateBody>,
) -> ApiResult<Json<inbox::TipRow>> {
    let to = service::state_param(Some(&b.state))?
        .ok_or_else(|| Failure::new(StatusCode::UNPROCESSABLE_ENTITY, "Chưa chọn trạng thái"))?;
    Ok(Json(
        handling::set_state(&state.db, &ctx.actor, id, to, b.version).await?,
    ))
}

#[derive(Deserialize)]
struct AssignBody {
    user_id: Option<i64>,
    version: Option<i64>,
}

async fn assign(
    State(state): State<AppState>,
    ApiUser(ctx): ApiUser,
    Path(id): Path<i64>,
    Json(b): Json<AssignBody>,
) -> ApiResult<Json<inbox::TipRow>> {
    Ok(Json(
        handling::assign(&state.db, &ctx.actor, id, b.user_id, b.version).await?,
    ))
}

#[derive(Deserialize)]
struct WriteBody {
    kind: String,
    text: String,
}

async fn write(
    State(state): State<AppState>,
    ApiUser(ctx): ApiUser,
    Path(id): Path<i64>,
    Json(b): Json<WriteBody>,
) -> ApiResult<Response> {
    let mid = service::write(&state, &ctx, id, &b.kind, &b.text).await?;
    Ok((StatusCode::CREATED, Json(json!({"id": mid}))).into_response())
}

#[derive(Deserialize)]
struct TransferBody {
    unit: String,
    version: Option<i64>,
}

async fn transfer(
    State(state): State<AppState>,
    ApiUser(ctx): ApiUser,
    Path(id): Path<i64>,
    Json(b): Json<TransferBody>,
) -> ApiResult<StatusCode> {
    service::transfer(&state, &ctx, id, &b.unit, b.version).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Deserialize)]
struct HoldBody {
    hold: bool,
}

async fn hold(
    State(state): State<AppState>,
    ApiUser(ctx): ApiUser,
    Path(id): Path<i64>,
    Json(b): Json<HoldBody>,
) -> ApiResult<Json<inbox::TipRow>> {
    Ok(Json(
        handling::hold(&state.db, &ctx.actor, id, b.hold).await?,
    ))
}
