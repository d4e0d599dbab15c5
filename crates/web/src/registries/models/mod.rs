//! Models ("mô hình") and exemplary cases: the national model-type taxonomy, a unit's models with their states, sites and teams, replication as a link, exemplary cases (HD 22/HD-BCA-V05): pages under `/mo-hinh`, API under `/api/v1`.
//! (Owned by the models work of issue 13.)
//!
//! Input is parsed here into domain types; access is checked by storage
//! through the one policy. The pages, the API and the CLI share these
//! operations.

pub mod api;
pub mod cases;
pub mod excel;
pub mod excel_pages;
pub mod pages;
pub mod taxonomy;
pub mod words;

use antq_core::dates::{self, Date};
use antq_core::registries::models::{limits, CaseKind, Count, ModelState};
use antq_core::units::UnitCode;
use antq_storage::accounts::access::{self, Actor};
use antq_storage::registries::models::{
    self as store, Case, CaseFilter, Filter, Model, ModelRecord, ModelScope, NewCase, NewModel,
    Replica, TypeCount,
};
use antq_storage::{units, Db};
use axum::http::StatusCode;
use axum::Router;
use serde::Deserialize;
use serde_json::{json, Value};

use crate::error::Failure;
use crate::state::AppState;

/// The page routes (`upload_limit` bounds the bodies of upload routes).
pub fn page_routes(upload_limit: usize) -> Router<AppState> {
    pages::routes(upload_limit)
}

/// The API routes (under `/api/v1`).
pub fn api_routes(upload_limit: usize) -> Router<AppState> {
    api::routes(upload_limit)
}

pub(crate) fn unprocessable(msg: impl Into<String>) -> Failure {
    Failure::new(StatusCode::UNPROCESSABLE_ENTITY, msg)
}

fn some(s: &Option<String>) -> Option<&str> {
    s.as_deref().map(str::trim).filter(|s| !s.is_empty())
}

/// A date typed (dd/mm/yyyy or ISO); required.
pub fn parse_day(s: Option<&str>, label: &str) -> Result<Date, Failure> {
    match s.map(str::trim).filter(|s| !s.is_empty()) {
        Some(s) => Ok(dates::parse_input_date(s)?),
        None => Err(unprocessable(format!("Chưa có {label}"))),
    }
}

/// A year typed: four digits, 1945 to 2100.
pub fn parse_year(s: &str, label: &str) -> Result<i32, Failure> {
    match s.trim().parse::<i32>() {
        Ok(y) if (1945..=2100).contains(&y) => Ok(y),
        _ => Err(unprocessable(format!(
            "{label} \u{201C}{}\u{201D} không hợp lệ: ghi năm từ 1945 đến 2100",
            s.trim()
        ))),
    }
}

/// A unit by its code at a day.
pub async fn unit_id(db: &Db, code: &str, at: Date) -> Result<i64, Failure> {
    let code = UnitCode::parse(code.trim())?;
    Ok(units::get_at(db, &code, at).await?.id)
}

/// A type by id or name; unknown: 422.
pub async fn type_id(db: &Db, s: &str) -> Result<i64, Failure> {
    store::type_named(db, s)
        .await?
        .map(|t| t.id)
        .ok_or_else(|| {
            unprocessable(format!(
                "Không có loại mô hình \u{201C}{}\u{201D}",
                s.trim()
            ))
        })
}

/// A residential area of a unit by its name (accent-insensitive) or id;
/// empty: none.
pub async fn area_named(db: &Db, unit_id: i64, s: &str) -> Result<Option<i64>, Failure> {
    let s = s.trim();
    if s.is_empty() {
        return Ok(None);
    }
    let key = antq_core::text::fold(s);
    let areas = antq_storage::units::areas::list(db, unit_id).await?;
    areas
        .iter()
        .find(|a| a.id.to_string() == s || antq_core::text::fold(&a.name) == key)
        .map(|a| Some(a.id))
        .ok_or_else(|| {
            let names: Vec<&str> = areas.iter().take(20).map(|a| a.name.as_str()).collect();
            unprocessable(if names.is_empty() {
                format!("Đơn vị chưa có khu dân cư nào; không có \u{201C}{s}\u{201D}")
            } else {
                format!(
                    "Đơn vị không có khu dân cư \u{201C}{s}\u{201D}; có: {}",
                    names.join(", ")
                )
            })
        })
}

/// The list's query: a unit (code, read at `at` or today), the figure
/// (`count` over `from`–`to`), a type, a state, words, a page.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct ListQuery {
    #[serde(default)]
    pub unit: Option<String>,
    #[serde(default)]
    pub at: Option<String>,
    #[serde(default)]
    pub from: Option<String>,
    #[serde(default)]
    pub to: Option<String>,
    #[serde(default)]
    pub count: Option<String>,
    #[serde(default, rename = "type")]
    pub type_: Option<String>,
    #[serde(default)]
    pub state: Option<String>,
    #[serde(default)]
    pub q: Option<String>,
    #[serde(default)]
    pub limit: Option<i64>,
    #[serde(default)]
    pub offset: Option<i64>,
}

/// What a list found: the page of models, the total, the types for `loai`,
/// and the sentence saying what a figure lists.
pub struct Listed {
    pub items: Vec<Model>,
    pub total: i64,
    pub types: Option<Vec<TypeCount>>,
    pub sentence: Option<String>,
    /// The unit asked (code, name).
    pub unit: Option<(String, String)>,
}

/// Turn a query into a filter (the unit must be one the actor reads).
pub async fn filter(
    db: &Db,
    actor: Option<&Actor>,
    q: &ListQuery,
) -> Result<(Filter, Option<(String, String)>), Failure> {
    let at = match some(&q.at) {
        Some(s) => Some(dates::parse_input_date(s)?),
        None => None,
    };
    let unit = match some(&q.unit) {
        Some(code) => {
            let u =
                units::get_at(db, &UnitCode::parse(code)?, at.unwrap_or_else(dates::today)).await?;
            if let Some(a) = actor {
                access::require(db, a, antq_core::auth::Action::Read, u.id).await?;
            }
            Some(u)
        }
        None => None,
    };
    // Years are checked even when no count asks for them.
    for (y, label) in [(&q.from, "Năm đầu"), (&q.to, "Năm cuối")] {
        if let Some(y) = some(y) {
            parse_year(y, label)?;
        }
    }
    let count = match some(&q.count) {
        Some(c) => {
            let c = Count::parse(c)?;
            let to = match (some(&q.to), some(&q.from)) {
                (Some(t), _) | (None, Some(t)) => parse_year(t, "Năm cuối")?,
                (None, None) => {
                    return Err(unprocessable("Thiếu năm: ghi to (năm cuối) cho cách đếm"))
                }
            };
            let from = match some(&q.from) {
                Some(f) => parse_year(f, "Năm đầu")?,
                None => to,
            };
            if from > to {
                return Err(unprocessable(format!("Năm đầu {from} sau năm cuối {to}")));
            }
            Some((c, from, to))
        }
        None => None,
    };
    let type_id = match some(&q.type_) {
        Some(t) => Some(type_id(db, t).await?),
        None => None,
    };
    let limit = q.limit.unwrap_or(50);
    if !(1..=limits::MAX_PAGE as i64).contains(&limit) {
        return Err(unprocessable(format!(
            "limit phải từ 1 đến {}",
            limits::MAX_PAGE
        )));
    }
    let offset = q.offset.unwrap_or(0);
    if !(0..=1_000_000).contains(&offset) {
        return Err(unprocessable("offset phải từ 0 đến 1.000.000"));
    }
    let words = some(&q.q).map(str::to_string);
    if let Some(w) = &words {
        antq_core::text::check_len("Từ khóa", w, 200)?;
    }
    let f = Filter {
        unit: unit.as_ref().map(|u| ModelScope { unit_id: u.id }),
        count,
        active_on: if count.is_none() { at } else { None },
        type_id,
        state: some(&q.state).map(ModelState::from_code).transpose()?,
        q: words,
        limit: limit as usize,
        offset: offset as usize,
    };
    Ok((f, unit.map(|u| (u.code, u.name))))
}

/// List the models of a query.
pub async fn list(db: &Db, actor: Option<&Actor>, q: &ListQuery) -> Result<Listed, Failure> {
    let (f, unit) = filter(db, actor, q).await?;
    let (items, total) = store::list(db, actor, &f).await?;
    let types = match f.count {
        Some((Count::Loai, ..)) => Some(store::type_counts(db, actor, &f).await?),
        _ => None,
    };
    let sentence = f.count.map(|(c, from, to)| {
        let name = unit
            .as_ref()
            .map(|u| u.1.clone())
            .unwrap_or_else(|| "các đơn vị được xem".to_string());
        let n = match (&types, c) {
            (Some(t), Count::Loai) => t.len() as i64,
            _ => total,
        };
        antq_core::registries::models::figure_sentence(c, from, to, &name, n)
    });
    Ok(Listed {
        items,
        total,
        types,
        sentence,
        unit,
    })
}

/// A model as the API lists it.
pub fn model_json(m: &Model) -> Value {
    json!({
        "id": m.id,
        "name": m.name,
        "unit": m.unit.code,
        "unit_name": m.unit.name,
        "type": m.type_id,
        "type_name": m.type_name,
        "area": m.area_id,
        "area_name": m.area_name,
        "started_on": m.started_on,
        "dissolved_on": m.dissolved_on,
        "state": m.state.code(),
        "replicates": m.replicates_id,
        "replicates_name": m.replicates_name,
        "rating": m.rating,
        "rated_year": m.rated_year,
        "notes": m.notes,
    })
}

/// A model with its history, sites and replications.
pub fn record_json(r: &ModelRecord) -> Value {
    let mut v = model_json(&r.model);
    v["events"] = json!(r
        .events
        .iter()
        .map(|e| json!({"state": e.state.code(), "on_date": e.on_date, "note": e.note}))
        .collect::<Vec<_>>());
    v["sites"] =
        json!(r
        .sites
        .iter()
        .map(|s| json!({"id": s.id, "unit": s.unit.code, "unit_name": s.unit.name, "name": s.name,
            "started_on": s.started_on, "teams": s.teams, "members": s.members}))
        .collect::<Vec<_>>());
    v["replications"] = json!(r.replications.iter().map(model_json).collect::<Vec<_>>());
    v
}

/// A new model as sent: the unit by code (read at the day it started), the
/// type by id or name.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct ModelIn {
    #[serde(default)]
    pub name: String,
    #[serde(default, rename = "type")]
    pub type_: Value,
    #[serde(default)]
    pub unit: String,
    #[serde(default)]
    pub area: Option<i64>,
    /// The area by its name (the pages), when `area` is not given.
    #[serde(default, skip)]
    pub area_name: String,
    #[serde(default)]
    pub started_on: Option<String>,
    #[serde(default)]
    pub rating: Option<String>,
    #[serde(default)]
    pub rated_year: Option<i64>,
    #[serde(default)]
    pub notes: Option<String>,
}

fn value_text(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        Value::Number(n) => n.to_string(),
        _ => String::new(),
    }
}

/// Register a model; returns its id.
pub async fn create(db: &Db, actor: Option<&Actor>, m: &ModelIn) -> Result<i64, Failure> {
    let started = parse_day(m.started_on.as_deref(), "ngày bắt đầu")?;
    let t = value_text(&m.type_);
    if t.trim().is_empty() {
        return Err(unprocessable("Chưa chọn loại mô hình"));
    }
    if m.unit.trim().is_empty() {
        return Err(unprocessable("Chưa chọn đơn vị"));
    }
    let unit_id = unit_id(db, &m.unit, started).await?;
    let area_id = match m.area {
        Some(a) => Some(a),
        None => area_named(db, unit_id, &m.area_name).await?,
    };
    let new = NewModel {
        name: m.name.clone(),
        type_id: type_id(db, &t).await?,
        unit_id,
        area_id,
        started_on: started,
        rating: m.rating.clone().unwrap_or_default(),
        rated_year: m.rated_year,
        notes: m.notes.clone().unwrap_or_default(),
        replicates_id: None,
    };
    Ok(store::create(db, actor, &new).await?)
}

/// A replication as sent: where (unit code, area), from when, and
/// optionally another name or type.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct ReplicaIn {
    #[serde(default)]
    pub unit: String,
    #[serde(default)]
    pub area: Option<i64>,
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default, rename = "type")]
    pub type_: Value,
    #[serde(default)]
    pub started_on: Option<String>,
    #[serde(default)]
    pub notes: Option<String>,
}

/// Replicate a model; returns the new model's id.
pub async fn replicate(
    db: &Db,
    actor: Option<&Actor>,
    id: i64,
    r: &ReplicaIn,
) -> Result<i64, Failure> {
    // The original first, so an id outside one's units answers 404.
    store::get(db, actor, id).await?;
    let started = parse_day(r.started_on.as_deref(), "ngày nhân rộng")?;
    if r.unit.trim().is_empty() {
        return Err(unprocessable("Chưa chọn đơn vị nhân rộng"));
    }
    let t = value_text(&r.type_);
    let type_id = match t.trim() {
        "" => None,
        t => Some(type_id(db, t).await?),
    };
    let rep = Replica {
        unit_id: unit_id(db, &r.unit, started).await?,
        area_id: r.area,
        name: r.name.clone(),
        type_id,
        started_on: started,
        notes: r.notes.clone().unwrap_or_default(),
    };
    Ok(store::replicate(db, actor, id, &rep).await?)
}

/// A state change as sent.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct StateIn {
    #[serde(default)]
    pub state: String,
    #[serde(default)]
    pub date: Option<String>,
    #[serde(default)]
    pub note: Option<String>,
}

/// Record a state of a model.
pub async fn change_state(
    db: &Db,
    actor: Option<&Actor>,
    id: i64,
    s: &StateIn,
) -> Result<ModelRecord, Failure> {
    store::get(db, actor, id).await?;
    let state = ModelState::from_code(&s.state)?;
    let on = parse_day(s.date.as_deref(), "ngày")?;
    Ok(store::change_state(db, actor, id, state, on, s.note.as_deref().unwrap_or("")).await?)
}

/// An exemplary case as sent.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct CaseIn {
    #[serde(default)]
    pub unit: String,
    #[serde(default)]
    pub kind: String,
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub model_id: Option<i64>,
    #[serde(default)]
    pub recognised_on: Option<String>,
    #[serde(default)]
    pub recognition: Option<String>,
    #[serde(default)]
    pub notes: Option<String>,
}

/// Record an exemplary case; returns its id.
pub async fn create_case(db: &Db, actor: Option<&Actor>, c: &CaseIn) -> Result<i64, Failure> {
    let kind = CaseKind::from_code(&c.kind)?;
    let recognised_on = match c
        .recognised_on
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
    {
        Some(s) => Some(dates::parse_input_date(s)?),
        None => None,
    };
    if c.unit.trim().is_empty() {
        return Err(unprocessable("Chưa chọn đơn vị"));
    }
    let new = NewCase {
        unit_id: unit_id(db, &c.unit, recognised_on.unwrap_or_else(dates::today)).await?,
        kind,
        name: c.name.clone(),
        model_id: c.model_id,
        recognised_on,
        recognition: c.recognition.clone().unwrap_or_default(),
        notes: c.notes.clone().unwrap_or_default(),
    };
    Ok(store::create_case(db, actor, &new).await?)
}

/// The cases' query.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct CaseQuery {
    #[serde(default)]
    pub unit: Option<String>,
    #[serde(default)]
    pub kind: Option<String>,
    #[serde(default)]
    pub limit: Option<i64>,
    #[serde(default)]
    pub offset: Option<i64>,
}

/// The cases of a query.
pub async fn list_cases(
    db: &Db,
    actor: Option<&Actor>,
    q: &CaseQuery,
) -> Result<(Vec<Case>, i64), Failure> {
    let unit = match some(&q.unit) {
        Some(code) => {
            let u = units::get_at(db, &UnitCode::parse(code)?, dates::today()).await?;
            if let Some(a) = actor {
                access::require(db, a, antq_core::auth::Action::Read, u.id).await?;
            }
            Some(ModelScope { unit_id: u.id })
        }
        None => None,
    };
    let limit = q.limit.unwrap_or(50);
    if !(1..=limits::MAX_PAGE as i64).contains(&limit) {
        return Err(unprocessable(format!(
            "limit phải từ 1 đến {}",
            limits::MAX_PAGE
        )));
    }
    let offset = q.offset.unwrap_or(0);
    if !(0..=1_000_000).contains(&offset) {
        return Err(unprocessable("offset phải từ 0 đến 1.000.000"));
    }
    let f = CaseFilter {
        unit,
        kind: some(&q.kind).map(CaseKind::from_code).transpose()?,
        limit: limit as usize,
        offset: offset as usize,
    };
    Ok(store::list_cases(db, actor, &f).await?)
}

pub fn case_json(c: &Case) -> Value {
    json!({
        "id": c.id, "unit": c.unit.code, "unit_name": c.unit.name, "kind": c.kind.code(),
        "name": c.name, "model_id": c.model_id, "model_name": c.model_name,
        "recognised_on": c.recognised_on, "recognition": c.recognition, "notes": c.notes,
    })
}
