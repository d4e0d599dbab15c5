//! Grassroots security organisations and teams: kinds as data, teams with
//! members over time, the yearly evaluation with its quota and leader rules
//! (HD 01/HD-BCA-V05): pages under `/to-chuc-quan-chung`, API under
//! `/api/v1`. Input is parsed here into domain types; access is checked by
//! storage through the one policy. (Owned by the teams work of issue 13.)

pub mod api;
pub mod evaluation;
pub mod excel;
pub mod excel_pages;
pub mod kinds;
pub mod pages;
pub mod register;
pub mod words;

use antq_core::dates::{self, Date};
use antq_core::registries::teams::{limits, Level, NotRated, Outcome};
use antq_core::units::UnitCode;
use antq_storage::accounts::access::{self, Actor};
use antq_storage::registries::teams::{self as store, Filter, NewTeam, Rating, Team, TeamDetail};
use antq_storage::statistics::analytics::MapMode;
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
pub fn api_routes(_upload_limit: usize) -> Router<AppState> {
    api::routes()
}

pub(crate) fn unprocessable(msg: impl Into<String>) -> Failure {
    Failure::new(StatusCode::UNPROCESSABLE_ENTITY, msg)
}

fn some(s: &Option<String>) -> Option<&str> {
    s.as_deref().map(str::trim).filter(|s| !s.is_empty())
}

/// A date typed (dd/mm/yyyy or ISO), optional.
pub fn parse_day(s: Option<&str>) -> Result<Option<Date>, Failure> {
    match s.map(str::trim).filter(|s| !s.is_empty()) {
        Some(s) => Ok(Some(dates::parse_input_date(s)?)),
        None => Ok(None),
    }
}

/// A new team as typed or sent. `unit`: a code (taken at the day it was
/// established); `kind`: a kind's id or name; `area`: the name of one of the
/// unit's residential areas.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct TeamIn {
    #[serde(default)]
    pub kind: String,
    #[serde(default)]
    pub unit: String,
    #[serde(default)]
    pub area: Option<String>,
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub established_on: String,
    #[serde(default)]
    pub dissolved_on: Option<String>,
    #[serde(default)]
    pub leader: String,
    #[serde(default)]
    pub members: Option<i64>,
    #[serde(default)]
    pub model_id: Option<i64>,
    #[serde(default)]
    pub notes: String,
}

/// A unit by code at a day (else today).
pub async fn unit_at(db: &Db, code: &str, at: Date) -> Result<units::Unit, Failure> {
    let code = UnitCode::parse(code.trim())?;
    match units::find_at(db, &code, at).await? {
        Some(u) => Ok(u),
        None => Ok(units::get_at(db, &code, dates::today()).await?),
    }
}

/// The area of a unit by name (accent-insensitive).
pub async fn area_named(db: &Db, unit_id: i64, name: &str) -> Result<i64, Failure> {
    let f = antq_core::text::fold(name);
    let areas = units::areas::list(db, unit_id).await?;
    areas
        .iter()
        .find(|a| antq_core::text::fold(&a.name) == f)
        .map(|a| a.id)
        .ok_or_else(|| {
            unprocessable(format!(
                "Đơn vị không có khu dân cư \u{201C}{}\u{201D}",
                name.trim()
            ))
        })
}

/// Turn what was typed or sent into a new team.
pub async fn parse_team(db: &Db, t: &TeamIn) -> Result<NewTeam, Failure> {
    let established = parse_day(Some(&t.established_on))?
        .ok_or_else(|| unprocessable("Chưa có ngày thành lập"))?;
    let dissolved = parse_day(t.dissolved_on.as_deref())?;
    if t.kind.trim().is_empty() {
        return Err(unprocessable("Chưa chọn loại tổ chức"));
    }
    let kind = store::kind_named(db, &t.kind).await?.ok_or_else(|| {
        unprocessable(format!(
            "Không có loại tổ chức \u{201C}{}\u{201D}",
            t.kind.trim()
        ))
    })?;
    if t.unit.trim().is_empty() {
        return Err(unprocessable("Chưa chọn đơn vị"));
    }
    let unit = unit_at(db, &t.unit, established).await?;
    let area_id = match some(&t.area) {
        Some(a) => Some(area_named(db, unit.id, a).await?),
        None => None,
    };
    antq_core::text::check_len("Tên tổ chức", &t.name, limits::NAME)?;
    Ok(NewTeam {
        kind_id: kind.id,
        unit_id: unit.id,
        area_id,
        name: antq_core::text::clean(&t.name),
        established_on: established,
        dissolved_on: dissolved,
        leader: antq_core::text::clean(&t.leader),
        members: t.members,
        model_id: t.model_id,
        notes: antq_core::text::clean(&t.notes),
    })
}

/// Register a team; returns its id.
pub async fn create(db: &Db, actor: Option<&Actor>, t: &TeamIn) -> Result<i64, Failure> {
    let new = parse_team(db, t).await?;
    Ok(store::create(db, actor, &new).await?)
}

/// The list's query (API and page).
#[derive(Debug, Clone, Default, Deserialize)]
pub struct ListQuery {
    #[serde(default)]
    pub unit: Option<String>,
    #[serde(default)]
    pub at: Option<String>,
    #[serde(default)]
    pub kind: Option<String>,
    #[serde(default)]
    pub mass_org: Option<String>,
    #[serde(default)]
    pub q: Option<String>,
    #[serde(default)]
    pub map: Option<String>,
    #[serde(default)]
    pub limit: Option<i64>,
    #[serde(default)]
    pub offset: Option<i64>,
}

/// The filter of a list query; the unit must be one the actor may read.
pub async fn filter(db: &Db, actor: Option<&Actor>, q: &ListQuery) -> Result<Filter, Failure> {
    let at = parse_day(q.at.as_deref())?;
    // The mapping is checked even without a unit.
    let _: MapMode = some(&q.map).unwrap_or("current").parse()?;
    let unit = match some(&q.unit) {
        Some(code) => {
            // Today's unit gathers the older units it absorbed (map=current);
            // a unit that no longer exists is read as it was at `at`.
            let mut map: MapMode = some(&q.map).unwrap_or("current").parse()?;
            let parsed = UnitCode::parse(code)?;
            let today = match map {
                MapMode::Current => units::find_at(db, &parsed, dates::today()).await?,
                MapMode::Historical => None,
            };
            let u = match today {
                Some(u) => u,
                None => {
                    map = MapMode::Historical;
                    unit_at(db, code, at.unwrap_or_else(dates::today)).await?
                }
            };
            if let Some(a) = actor {
                access::require(db, a, antq_core::auth::Action::Read, u.id).await?;
            }
            Some((u.id, map))
        }
        None => None,
    };
    let kind_id = match some(&q.kind) {
        Some(k) => Some(
            store::kind_named(db, k)
                .await?
                .ok_or_else(|| unprocessable(format!("Không có loại tổ chức \u{201C}{k}\u{201D}")))?
                .id,
        ),
        None => None,
    };
    let mass_org = match some(&q.mass_org) {
        None => None,
        Some("1") | Some("true") => Some(true),
        Some("0") | Some("false") => Some(false),
        Some(other) => {
            return Err(unprocessable(format!(
                "mass_org phải là 1 hoặc 0, không phải \u{201C}{other}\u{201D}"
            )))
        }
    };
    if let Some(s) = some(&q.q) {
        antq_core::text::check_len("Từ tìm", s, 200)?;
    }
    let limit = q.limit.unwrap_or(100);
    if !(1..=1000).contains(&limit) {
        return Err(unprocessable("limit phải từ 1 đến 1000"));
    }
    let offset = q.offset.unwrap_or(0);
    if !(0..=1_000_000).contains(&offset) {
        return Err(unprocessable("offset phải từ 0 đến 1.000.000"));
    }
    Ok(Filter {
        unit,
        at,
        kind_id,
        mass_org,
        q: some(&q.q).map(str::to_string),
        limit: limit as usize,
        offset: offset as usize,
    })
}

/// A team as the API lists it.
pub fn team_json(t: &Team) -> Value {
    json!({
        "id": t.id,
        "name": t.name,
        "unit": t.unit.code,
        "unit_name": t.unit.name,
        "area": t.area_name,
        "kind": t.kind_id,
        "kind_name": t.kind_name,
        "mass_org": t.mass_org,
        "established_on": t.established_on,
        "dissolved_on": t.dissolved_on,
        "members": t.members,
        "leader": t.leader,
        "model_id": t.model_id,
        "model_name": t.model_name,
    })
}

/// A team with its history.
pub fn detail_json(d: &TeamDetail) -> Value {
    let mut v = team_json(&d.team);
    v["notes"] = json!(d.team.notes);
    v["member_history"] = d
        .member_history
        .iter()
        .map(|(on, n)| json!({"from": on, "members": n}))
        .collect();
    v["named_members"] = json!(d.named);
    v["evaluations"] = d
        .evaluations
        .iter()
        .map(|e| {
            json!({"year": e.year, "level": e.level, "leader_level": e.leader_level,
                   "not_rated": e.not_rated, "notes": e.notes})
        })
        .collect();
    v
}

/// One team's outcome as sent: a level (with its leader's), or a reason.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct RatingIn {
    pub team_id: i64,
    #[serde(default)]
    pub level: Option<String>,
    #[serde(default)]
    pub leader_level: Option<String>,
    #[serde(default)]
    pub not_rated: Option<String>,
    #[serde(default)]
    pub notes: String,
}

/// A batch: a unit (code), an evaluation year, the teams' outcomes.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct BatchIn {
    pub unit: String,
    pub year: i32,
    #[serde(default)]
    pub items: Vec<RatingIn>,
}

/// Parse the outcomes; every problem is listed.
pub fn parse_ratings(items: &[RatingIn]) -> Result<Vec<Rating>, Failure> {
    if items.len() > limits::BATCH {
        return Err(unprocessable(format!(
            "Một lần đánh giá tối đa {} tổ",
            antq_core::text::format_int(limits::BATCH as i64)
        )));
    }
    let mut out = Vec::new();
    let mut errors = Vec::new();
    for (i, r) in items.iter().enumerate() {
        let label = format!("Tổ thứ {} (số {})", i + 1, r.team_id);
        let outcome = match (some(&r.level), some(&r.not_rated)) {
            (Some(_), Some(_)) => Err(format!(
                "{label}: chọn mức xếp loại hoặc lý do không xếp loại, không chọn cả hai"
            )),
            (None, None) => Err(format!(
                "{label}: chưa có mức xếp loại hoặc lý do không xếp loại"
            )),
            (Some(l), None) => Level::parse(l)
                .and_then(|level| {
                    let leader = some(&r.leader_level).map(Level::parse).transpose()?;
                    Ok(Outcome::Rated { level, leader })
                })
                .map_err(|e| format!("{label}: {e}")),
            (None, Some(n)) => {
                if some(&r.leader_level).is_some() {
                    Err(format!(
                        "{label}: tổ không xếp loại thì không xếp loại tổ trưởng"
                    ))
                } else {
                    NotRated::parse(n)
                        .map(Outcome::NotRated)
                        .map_err(|e| format!("{label}: {e}"))
                }
            }
        };
        match outcome {
            Ok(o) => out.push(Rating {
                team_id: r.team_id,
                outcome: o,
                notes: r.notes.clone(),
            }),
            Err(e) => errors.push(e),
        }
    }
    if errors.is_empty() {
        Ok(out)
    } else {
        Err(antq_storage::StorageError::Rejected(errors).into())
    }
}

/// Record a batch of evaluations (all or nothing).
pub async fn evaluate(db: &Db, actor: Option<&Actor>, b: &BatchIn) -> Result<usize, Failure> {
    let ratings = parse_ratings(&b.items)?;
    let end = antq_core::registries::teams::evaluation_period(b.year)
        .map(|(_, e)| e)
        .unwrap_or_else(dates::today);
    let unit = unit_at(db, &b.unit, end.min(dates::today())).await?;
    if let Some(a) = actor {
        access::require(db, a, antq_core::auth::Action::Read, unit.id).await?;
    }
    Ok(store::evaluate(db, actor, unit.id, b.year, &ratings).await?)
}

/// "4.378 tổ chức quần chúng bảo vệ ANTT ở cơ sở hoạt động ngày 14/12/2023".
pub fn count_words(n: i64, mass_org: bool, at: Option<Date>) -> String {
    let what = if mass_org {
        "tổ chức quần chúng bảo vệ ANTT ở cơ sở"
    } else {
        "tổ chức, tổ"
    };
    match at {
        Some(d) => format!(
            "{} {what} hoạt động ngày {}",
            antq_core::text::format_int(n),
            dates::format_vi(d)
        ),
        None => format!("{} {what}", antq_core::text::format_int(n)),
    }
}
