//! The award catalogue: forms, offices and which office may give which form
//! (`/khen-thuong/danh-muc`, `/api/v1/awards/catalogue`). Everyone signed in
//! reads it; national administrators change it (audited, in storage).

use antq_core::programmes::awards::OfficeLevel;
use antq_core::programmes::Body;
use antq_storage::programmes::awards as store;
use askama::Template;
use axum::extract::State;
use axum::response::Response;
use axum::Form as FormBody;
use serde::Deserialize;
use serde_json::{json, Value};

use crate::auth::{ApiUser, PageUser};
use crate::error::{ApiResult, Failure, PageResult};
use crate::extract::Json;
use crate::pages::{render, Chrome};
use crate::state::AppState;

async fn catalogue_json(state: &AppState) -> Result<Value, Failure> {
    let db = &state.db;
    Ok(json!({
        "forms": store::forms(db).await?,
        "offices": store::offices(db).await?,
        "rules": store::rules(db).await?,
    }))
}

/// `GET /api/v1/awards/catalogue`.
pub async fn api_get(State(state): State<AppState>, ApiUser(_): ApiUser) -> ApiResult<Json<Value>> {
    Ok(Json(catalogue_json(&state).await?))
}

#[derive(Deserialize)]
pub struct RuleIn {
    office: String,
    form: String,
    #[serde(default)]
    basis: String,
}

async fn ids(state: &AppState, office: &str, form: &str) -> Result<(i64, i64), Failure> {
    let o = store::office_named(&state.db, office)
        .await?
        .ok_or_else(|| {
            Failure::not_found(format!("cơ quan khen thưởng \u{201C}{office}\u{201D}"))
        })?;
    let f = store::form_named(&state.db, form).await?.ok_or_else(|| {
        Failure::not_found(format!("hình thức khen thưởng \u{201C}{form}\u{201D}"))
    })?;
    Ok((o.id, f.id))
}

/// `POST /api/v1/awards/catalogue/rules`: allow an office to give a form.
pub async fn api_set_rule(
    State(state): State<AppState>,
    ApiUser(ctx): ApiUser,
    Json(b): Json<RuleIn>,
) -> ApiResult<Json<Value>> {
    let (o, f) = ids(&state, &b.office, &b.form).await?;
    store::set_rule(&state.db, &ctx.actor, o, f, &b.basis).await?;
    Ok(Json(catalogue_json(&state).await?))
}

/// `DELETE /api/v1/awards/catalogue/rules`: withdraw it.
pub async fn api_remove_rule(
    State(state): State<AppState>,
    ApiUser(ctx): ApiUser,
    Json(b): Json<RuleIn>,
) -> ApiResult<Json<Value>> {
    let (o, f) = ids(&state, &b.office, &b.form).await?;
    store::remove_rule(&state.db, &ctx.actor, o, f).await?;
    Ok(Json(catalogue_json(&state).await?))
}

#[derive(Deserialize, Default)]
pub struct FormIn {
    code: String,
    name: String,
    #[serde(default)]
    indicator: Option<String>,
    #[serde(default)]
    inactive: Option<String>,
}

#[derive(Deserialize, Default)]
pub struct OfficeIn {
    code: String,
    name: String,
    level: String,
    body: String,
    #[serde(default)]
    inactive: Option<String>,
}

fn off(v: &Option<String>) -> bool {
    v.as_deref().is_some_and(|s| !s.is_empty() && s != "false")
}

async fn save_form(
    state: &AppState,
    ctx: &crate::auth::AuthContext,
    b: &FormIn,
) -> Result<(), Failure> {
    let active = !off(&b.inactive);
    Ok(store::save_form(
        &state.db,
        &ctx.actor,
        &b.code,
        &b.name,
        b.indicator.as_deref(),
        active,
    )
    .await?)
}

async fn save_office(
    state: &AppState,
    ctx: &crate::auth::AuthContext,
    b: &OfficeIn,
) -> Result<(), Failure> {
    let (level, body) = (OfficeLevel::parse(&b.level)?, Body::parse(&b.body)?);
    let active = !off(&b.inactive);
    Ok(store::save_office(&state.db, &ctx.actor, &b.code, &b.name, level, body, active).await?)
}

/// `POST /api/v1/awards/catalogue/forms`: add or change a form (by code).
pub async fn api_save_form(
    State(state): State<AppState>,
    ApiUser(ctx): ApiUser,
    Json(b): Json<FormIn>,
) -> ApiResult<Json<Value>> {
    save_form(&state, &ctx, &b).await?;
    Ok(Json(catalogue_json(&state).await?))
}

/// `POST /api/v1/awards/catalogue/offices`: add or change an office (by code).
pub async fn api_save_office(
    State(state): State<AppState>,
    ApiUser(ctx): ApiUser,
    Json(b): Json<OfficeIn>,
) -> ApiResult<Json<Value>> {
    save_office(&state, &ctx, &b).await?;
    Ok(Json(catalogue_json(&state).await?))
}

#[derive(Template)]
#[template(path = "programmes/awards/catalogue.html")]
struct CataloguePage {
    c: Chrome,
    forms: Vec<store::Form>,
    /// (code, name, level in words, body in words, active)
    offices: Vec<(String, String, &'static str, &'static str, bool)>,
    rules: Vec<store::Rule>,
    editable: bool,
}

/// `GET /khen-thuong/danh-muc`.
pub async fn page(
    State(state): State<AppState>,
    c: Chrome,
    PageUser(ctx): PageUser,
) -> PageResult<Response> {
    let db = &state.db;
    let offices = store::offices(db)
        .await?
        .into_iter()
        .map(|o| {
            (
                o.code,
                o.name,
                o.level.word_vi(),
                o.body.word_vi(),
                o.active,
            )
        })
        .collect();
    render(CataloguePage {
        forms: store::forms(db).await?,
        offices,
        rules: store::rules(db).await?,
        editable: ctx
            .actor
            .is_national(antq_core::auth::Action::EditCatalogue),
        c,
    })
}

const BACK: &str = "/khen-thuong/danh-muc";

#[derive(Deserialize)]
pub struct RulePageIn {
    office: String,
    form: String,
    #[serde(default)]
    basis: String,
    #[serde(default)]
    remove: Option<String>,
}

/// `POST /khen-thuong/danh-muc/quy-dinh`: allow or withdraw a rule.
pub async fn page_rule(
    State(state): State<AppState>,
    PageUser(ctx): PageUser,
    FormBody(b): FormBody<RulePageIn>,
) -> Response {
    let r = async {
        let (o, f) = ids(&state, &b.office, &b.form).await?;
        if b.remove.is_some() {
            store::remove_rule(&state.db, &ctx.actor, o, f).await?;
        } else {
            store::set_rule(&state.db, &ctx.actor, o, f, &b.basis).await?;
        }
        Ok::<(), Failure>(())
    }
    .await;
    crate::pages::outcome(r, BACK, "msg.saved", BACK)
}

/// `POST /khen-thuong/danh-muc/hinh-thuc`.
pub async fn page_form(
    State(state): State<AppState>,
    PageUser(ctx): PageUser,
    FormBody(b): FormBody<FormIn>,
) -> Response {
    crate::pages::outcome(save_form(&state, &ctx, &b).await, BACK, "msg.saved", BACK)
}

/// `POST /khen-thuong/danh-muc/co-quan`.
pub async fn page_office(
    State(state): State<AppState>,
    PageUser(ctx): PageUser,
    FormBody(b): FormBody<OfficeIn>,
) -> Response {
    crate::pages::outcome(save_office(&state, &ctx, &b).await, BACK, "msg.saved", BACK)
}
