//! The catalogue over the API: indicators, forms and their validation
//! rules; national administrators add and change them (audited).

use axum::extract::State;
use axum::http::StatusCode;
use serde::Deserialize;
use serde_json::{json, Value};

use crate::auth::ApiUser;
use crate::catalogue;
use crate::error::ApiResult;
use crate::extract::{Json, Path, Query};
use crate::state::AppState;
use antq_storage::statistics::catalogue_edit::{IndicatorEdit, NewForm, NewIndicator, RuleInput};

pub async fn indicators(
    State(state): State<AppState>,
    ApiUser(_): ApiUser,
) -> ApiResult<Json<Value>> {
    Ok(Json(json!(catalogue::indicators(&state).await?)))
}

pub async fn form(
    State(state): State<AppState>,
    ApiUser(_): ApiUser,
    Path(code): Path<String>,
) -> ApiResult<Json<Value>> {
    let form = antq_storage::statistics::catalogue::form(&state.db, &code).await?;
    Ok(Json(form_json(&form)))
}

fn form_json(form: &antq_storage::statistics::catalogue::Form) -> Value {
    let rules: Vec<Value> = form
        .rules
        .iter()
        .map(|r| {
            json!({"code": r.code, "left": r.left.text(), "operator": r.op.as_str(), "right": r.right.text(),
                   "missing": r.missing.as_str(), "severity": r.severity.as_str(), "message": r.message_vi})
        })
        .collect();
    let mut v = json!(form);
    v["rules"] = json!(rules);
    v
}

/// `GET /api/v1/forms`: every form with its indicators and rules.
pub async fn forms(State(state): State<AppState>, ApiUser(_): ApiUser) -> ApiResult<Json<Value>> {
    let forms = catalogue::forms(&state).await?;
    Ok(Json(json!(forms.iter().map(form_json).collect::<Vec<_>>())))
}

#[derive(Deserialize)]
pub struct NewIndicatorBody {
    code: String,
    name_vi: String,
    #[serde(default)]
    name_en: String,
    unit: String,
    group: String,
    value_type: String,
    aggregation: String,
    #[serde(default)]
    numerator: String,
    #[serde(default)]
    denominator: String,
    /// Dimensions as `{"name": "Giới tính", "options": ["Nam", "Nữ"]}`.
    #[serde(default)]
    breakdown: Vec<DimensionBody>,
    #[serde(default)]
    forms: Vec<String>,
}

#[derive(Deserialize)]
pub struct DimensionBody {
    name: String,
    options: Vec<String>,
}

fn dimensions(b: Vec<DimensionBody>) -> Vec<antq_core::breakdowns::Dimension> {
    b.into_iter()
        .map(|d| antq_core::breakdowns::Dimension {
            name: antq_core::text::clean(&d.name),
            options: d
                .options
                .iter()
                .map(|o| antq_core::text::clean(o))
                .collect(),
        })
        .collect()
}

/// `POST /api/v1/indicators` (national administrators, audited).
pub async fn create_indicator(
    State(state): State<AppState>,
    ApiUser(ctx): ApiUser,
    Json(b): Json<NewIndicatorBody>,
) -> ApiResult<(StatusCode, Json<Value>)> {
    let n = NewIndicator {
        code: b.code,
        name_vi: b.name_vi,
        name_en: b.name_en,
        unit: b.unit,
        group: b.group,
        value_type: b.value_type,
        aggregation: b.aggregation,
        numerator: b.numerator,
        denominator: b.denominator,
        breakdown: dimensions(b.breakdown),
        forms: b.forms,
    };
    let ind = catalogue::create_indicator(&state, &ctx.actor, n).await?;
    Ok((StatusCode::CREATED, Json(json!(ind))))
}

#[derive(Deserialize)]
pub struct PreviewParams {
    /// One dimension per line: `Giới tính: Nam, Nữ`.
    dimensions: String,
}

/// `GET /api/v1/breakdowns/preview?dimensions=…`: the combinations a
/// breakdown would give, their number and the cap, before creating it.
pub async fn preview(
    ApiUser(_): ApiUser,
    Query(p): Query<PreviewParams>,
) -> ApiResult<Json<Value>> {
    let (count, result) = catalogue::preview(&p.dimensions);
    Ok(Json(match result {
        Ok(b) => json!({
            "count": count, "max": antq_core::indicators::MAX_COMBINATIONS, "ok": true,
            "combinations": b.combinations.iter()
                .map(|c| json!({"code": c.code, "name_vi": c.name_vi, "name_en": c.name_en}))
                .collect::<Vec<_>>(),
        }),
        Err(e) => json!({
            "count": count, "max": antq_core::indicators::MAX_COMBINATIONS, "ok": false, "error": e,
        }),
    }))
}

/// `PUT /api/v1/indicators/{code}`: national administrators rename an indicator (audited).
pub async fn update_indicator(
    State(state): State<AppState>,
    ApiUser(ctx): ApiUser,
    Path(code): Path<String>,
    Json(edit): Json<IndicatorEdit>,
) -> ApiResult<Json<Value>> {
    let ind = catalogue::update_indicator(&state, &ctx.actor, &code, edit).await?;
    Ok(Json(json!(ind)))
}

#[derive(Deserialize)]
pub struct NewFormBody {
    code: String,
    name_vi: String,
    #[serde(default)]
    name_en: String,
    period_type: String,
    calendar: String,
    owner_role: String,
    levels: Vec<String>,
    deadline_days: i64,
    indicators: Vec<String>,
}

/// `POST /api/v1/forms` (national administrators, audited).
pub async fn create_form(
    State(state): State<AppState>,
    ApiUser(ctx): ApiUser,
    Json(b): Json<NewFormBody>,
) -> ApiResult<(StatusCode, Json<Value>)> {
    let code = b.code.trim().to_string();
    let n = NewForm {
        code: b.code,
        name_vi: b.name_vi,
        name_en: b.name_en,
        period_type: b.period_type,
        calendar: b.calendar,
        owner_role: b.owner_role,
        levels: b.levels,
        deadline_days: b.deadline_days,
        indicators: b.indicators,
    };
    catalogue::create_form(&state, &ctx.actor, n).await?;
    let form = antq_storage::statistics::catalogue::form(&state.db, &code).await?;
    Ok((StatusCode::CREATED, Json(form_json(&form))))
}

/// `POST /api/v1/forms/{code}/rules`: national administrators add a validation rule (audited).
pub async fn add_rule(
    State(state): State<AppState>,
    ApiUser(ctx): ApiUser,
    Path(form): Path<String>,
    Json(input): Json<RuleInput>,
) -> ApiResult<(StatusCode, Json<Value>)> {
    let code = input.code.clone();
    catalogue::add_rule(&state, &ctx.actor, &form, input).await?;
    Ok((
        StatusCode::CREATED,
        Json(json!({"form": form, "code": code})),
    ))
}

/// `DELETE /api/v1/forms/{code}/rules/{rule}` (audited).
pub async fn delete_rule(
    State(state): State<AppState>,
    ApiUser(ctx): ApiUser,
    Path((form, rule)): Path<(String, String)>,
) -> ApiResult<StatusCode> {
    catalogue::delete_rule(&state, &ctx.actor, &form, &rule).await?;
    Ok(StatusCode::NO_CONTENT)
}
