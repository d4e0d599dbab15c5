//! The JSON API of the documents registry (described in `openapi.json` beside this file):
//! `GET/POST /api/v1/documents`, `GET /api/v1/documents/{id}`,
//! `GET/POST /api/v1/programmes`, `GET /api/v1/programmes/{id}`.

use antq_core::programmes::documents::DocKind;
use antq_storage::programmes::documents::{self, DocQuery, Reader};
use antq_storage::programmes::plans::{self as store, PlanQuery};
use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::get;
use axum::Router;
use serde::Deserialize;
use serde_json::{json, Value};

use super::plans::{plan_input, ItemFields, PartyFields, PlanFields};
use super::views::{doc_detail_json, doc_json, programme_json};
use super::{doc_input, optional_year, DocFields};
use crate::auth::ApiUser;
use crate::error::{ApiResult, Failure};
use crate::extract::{Json, Path, Query};
use crate::state::AppState;

/// The API routes (under `/api/v1`); `upload_limit` bounds the bodies of upload routes.
pub fn routes(_upload_limit: usize) -> Router<AppState> {
    Router::new()
        .route("/documents", get(list).post(create))
        .route("/documents/{id}", get(show))
        .merge(super::publish::api_routes())
        .route("/programmes", get(programmes).post(create_programme))
        .route("/programmes/{id}", get(programme))
}

#[derive(Deserialize, Default)]
pub struct SearchParams {
    q: Option<String>,
    kind: Option<String>,
    issuer: Option<String>,
    year: Option<String>,
    limit: Option<i64>,
    offset: Option<i64>,
}

/// The query of the search, parsed (shared with the search page).
pub fn doc_query(
    q: Option<String>,
    kind: Option<&str>,
    issuer: Option<String>,
    year: Option<&str>,
) -> Result<DocQuery, Failure> {
    let kind = match kind.map(str::trim).filter(|k| !k.is_empty()) {
        Some(k) => Some(DocKind::parse(k)?),
        None => None,
    };
    Ok(DocQuery {
        q,
        kind,
        issuer,
        year: optional_year(year.unwrap_or(""), "Năm")?,
        limit: None,
        offset: None,
        reader: Reader::Public,
    })
}

/// `GET /api/v1/documents?q=&kind=&issuer=&year=`: ranked, the exact reference or alias first.
pub async fn list(
    State(state): State<AppState>,
    ApiUser(ctx): ApiUser,
    Query(p): Query<SearchParams>,
) -> ApiResult<Json<Value>> {
    let mut q = doc_query(p.q, p.kind.as_deref(), p.issuer, p.year.as_deref())?;
    if p.limit.is_some_and(|l| !(1..=100).contains(&l)) {
        return Err(Failure::bad_request("Tham số limit phải từ 1 đến 100").into());
    }
    if p.offset.is_some_and(|o| !(0..=100_000).contains(&o)) {
        return Err(Failure::bad_request("Tham số offset phải từ 0 đến 100.000").into());
    }
    q.limit = p.limit;
    q.offset = p.offset;
    q.reader = Reader::User(ctx.actor.clone());
    let page = documents::search(&state.db, &q).await?;
    Ok(Json(json!({
        "items": page.items.iter().map(doc_json).collect::<Vec<_>>(),
        "total": page.total,
    })))
}

/// `GET /api/v1/documents/{id}`.
pub async fn show(
    State(state): State<AppState>,
    ApiUser(ctx): ApiUser,
    Path(id): Path<i64>,
) -> ApiResult<Json<Value>> {
    let d = documents::get(&state.db, &ctx.actor, id).await?;
    let used = store::for_document(&state.db, &ctx.actor, id).await?;
    Ok(Json(doc_detail_json(&d, &used)))
}

#[derive(Deserialize)]
pub struct AliasBody {
    reference: String,
    #[serde(default)]
    note: String,
}

#[derive(Deserialize)]
pub struct DocBody {
    #[serde(default)]
    kind: String,
    #[serde(default)]
    reference: String,
    #[serde(default)]
    year: Option<i64>,
    #[serde(default)]
    date: String,
    subject: String,
    #[serde(default)]
    issuers: Vec<String>,
    #[serde(default)]
    aliases: Vec<AliasBody>,
    #[serde(default)]
    as_written: String,
    /// The owning unit's code; absent: national.
    #[serde(default)]
    unit: String,
}

/// `POST /api/v1/documents` (audited): 422 with the reason for a bad reference.
pub async fn create(
    State(state): State<AppState>,
    ApiUser(ctx): ApiUser,
    Json(b): Json<DocBody>,
) -> ApiResult<(StatusCode, Json<Value>)> {
    let fields = DocFields {
        kind: b.kind,
        reference: b.reference,
        year: b.year.map(|y| y.to_string()).unwrap_or_default(),
        date: b.date,
        subject: b.subject,
        issuers: b.issuers,
        aliases: b
            .aliases
            .into_iter()
            .map(|a| (a.reference, a.note))
            .collect(),
        as_written: b.as_written,
        unit: b.unit,
        unit_pick: String::new(),
    };
    let input = doc_input(&state, &fields).await.map_err(Failure::from)?;
    let d = documents::create(&state.db, &ctx.actor, input).await?;
    Ok((StatusCode::CREATED, Json(doc_detail_json(&d, &[]))))
}

#[derive(Deserialize, Default)]
pub struct ProgrammeParams {
    /// A unit's code: only its plans.
    unit: Option<String>,
    state: Option<String>,
    year: Option<String>,
}

/// `GET /api/v1/programmes`: national first, then by unit.
pub async fn programmes(
    State(state): State<AppState>,
    ApiUser(ctx): ApiUser,
    Query(p): Query<ProgrammeParams>,
) -> ApiResult<Json<Value>> {
    let unit = super::optional_unit(&state, p.unit.as_deref().unwrap_or(""), "").await?;
    let q = PlanQuery {
        unit_id: unit.map(|u| u.id),
        // On the API a state is named or left out (an empty one is refused).
        state: match p.state.as_deref() {
            Some(s) => Some(antq_core::programmes::documents::ProgrammeState::parse(s)?),
            None => None,
        },
        covering_year: optional_year(p.year.as_deref().unwrap_or(""), "Năm")?,
        reader: Reader::User(ctx.actor.clone()),
        ..PlanQuery::default()
    };
    let list = store::list(&state.db, &q).await?;
    Ok(Json(
        json!({"items": list.iter().map(programme_json).collect::<Vec<_>>()}),
    ))
}

/// `GET /api/v1/programmes/{id}`.
pub async fn programme(
    State(state): State<AppState>,
    ApiUser(ctx): ApiUser,
    Path(id): Path<i64>,
) -> ApiResult<Json<Value>> {
    let p = store::read(&state.db, &ctx.actor, id).await?;
    Ok(Json(programme_json(&p)))
}

#[derive(Deserialize)]
pub struct PartyBody {
    #[serde(default)]
    unit: String,
    #[serde(default)]
    body: String,
    #[serde(default)]
    name: String,
}

#[derive(Deserialize)]
pub struct ItemBody {
    content: String,
    /// The responsible party's number in `parties` (1, 2, …).
    #[serde(default)]
    party: Option<usize>,
}

#[derive(Deserialize)]
pub struct ProgrammeBody {
    kind: String,
    title: String,
    #[serde(default)]
    document_id: Option<i64>,
    #[serde(default)]
    reference: String,
    #[serde(default)]
    unit: String,
    #[serde(default)]
    signed_on: String,
    #[serde(default)]
    stage_from: Option<i64>,
    #[serde(default)]
    stage_to: Option<i64>,
    #[serde(default)]
    implements_id: Option<i64>,
    #[serde(default)]
    state: String,
    #[serde(default)]
    replaced_by_id: Option<i64>,
    #[serde(default)]
    ended_on: String,
    #[serde(default)]
    notes: String,
    #[serde(default)]
    parties: Vec<PartyBody>,
    #[serde(default)]
    items: Vec<ItemBody>,
}

fn opt(v: Option<i64>) -> String {
    v.map(|x| x.to_string()).unwrap_or_default()
}

/// `POST /api/v1/programmes` (audited).
pub async fn create_programme(
    State(state): State<AppState>,
    ApiUser(ctx): ApiUser,
    Json(b): Json<ProgrammeBody>,
) -> ApiResult<(StatusCode, Json<Value>)> {
    let fields = PlanFields {
        kind: b.kind,
        title: b.title,
        document_id: b.document_id,
        reference: b.reference,
        unit: b.unit,
        unit_pick: String::new(),
        signed_on: b.signed_on,
        stage_from: opt(b.stage_from),
        stage_to: opt(b.stage_to),
        implements: opt(b.implements_id),
        state: b.state,
        replaced_by: opt(b.replaced_by_id),
        ended_on: b.ended_on,
        notes: b.notes,
        parties: b
            .parties
            .into_iter()
            .map(|p| PartyFields {
                unit: p.unit,
                unit_pick: String::new(),
                body: p.body,
                name: p.name,
            })
            .collect(),
        items: b
            .items
            .into_iter()
            .map(|i| ItemFields {
                content: i.content,
                party: i.party.map(|p| p.to_string()).unwrap_or_default(),
            })
            .collect(),
    };
    let input = plan_input(&state, &ctx.actor, &fields)
        .await
        .map_err(Failure::from)?;
    let p = store::create(&state.db, &ctx.actor, input).await?;
    Ok((StatusCode::CREATED, Json(programme_json(&p))))
}
