//! The conferences and events, press drafts (/hoi-nghi; /api/v1/conferences):
//! the operations behind the pages and the API, each checking access
//! through the one policy (in `antq_storage::programmes::conferences`).

pub mod api;
mod form;
pub mod pages;
mod photos;
mod show;

use antq_core::auth::Action;
use antq_core::dates::{self, Date};
use antq_core::programmes::conferences::{press_draft, Attendee, ConferenceKind, PressDraft};
use antq_core::programmes::Body;
use antq_core::units::UnitCode;
use antq_storage::accounts::access::{self, Actor};
use antq_storage::programmes::award_counts::{self, Scope};
use antq_storage::programmes::conferences::{
    self as store, Conference, ConferenceInput, Filter, OrganiserInput, Summary,
};
use antq_storage::statistics::analytics::MapMode;
use antq_storage::units;
use axum::http::StatusCode;
use serde::Deserialize;

use crate::error::Failure;
use crate::state::AppState;

/// An organiser as sent: a unit (code, taken at the conference's date) and
/// its body, or a body by name.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct OrganiserParams {
    #[serde(default)]
    pub unit: Option<String>,
    #[serde(default = "default_body")]
    pub body: String,
    #[serde(default)]
    pub name: String,
}

fn default_body() -> String {
    "khac".into()
}

/// An attendee as sent.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct AttendeeParams {
    #[serde(default)]
    pub rank_title: String,
    pub name: String,
    #[serde(default)]
    pub office: String,
    #[serde(default)]
    pub body: String,
}

/// A conference as sent by the API or the form (before parsing).
#[derive(Debug, Clone, Default, Deserialize)]
pub struct ConferenceParams {
    pub kind: String,
    pub title: String,
    /// ISO or dd/mm/yyyy.
    pub held_on: String,
    #[serde(default)]
    pub place: String,
    /// The holding unit's code (taken at `held_on`).
    pub unit: String,
    #[serde(default)]
    pub stage_from: Option<i32>,
    #[serde(default)]
    pub stage_to: Option<i32>,
    #[serde(default)]
    pub attendance: Option<i64>,
    #[serde(default)]
    pub notes: String,
    #[serde(default)]
    pub organisers: Vec<OrganiserParams>,
    #[serde(default)]
    pub attendees: Vec<AttendeeParams>,
    /// Programmes it reviews (ids).
    #[serde(default)]
    pub reviewed_programmes: Vec<i64>,
    /// Plans signed there (ids).
    #[serde(default)]
    pub signed_plans: Vec<i64>,
    /// antq reviews presented there (ids).
    #[serde(default)]
    pub reviews: Vec<i64>,
}

async fn unit_at(state: &AppState, code: &str, at: Date) -> Result<units::Unit, Failure> {
    Ok(units::get_at(&state.db, &UnitCode::parse(code.trim())?, at).await?)
}

/// The parsed input; a unit given by code is taken at the conference's date.
pub async fn parse(state: &AppState, p: &ConferenceParams) -> Result<ConferenceInput, Failure> {
    let kind = ConferenceKind::parse(&p.kind)?;
    let held_on = dates::parse_input_date(p.held_on.trim())?;
    if p.organisers.len() > store::MAX_ORGANISERS || p.attendees.len() > store::MAX_ATTENDEES {
        return Err(Failure::new(
            axum::http::StatusCode::UNPROCESSABLE_ENTITY,
            format!(
                "Nhiều nhất {} đơn vị tổ chức và {} đại biểu",
                store::MAX_ORGANISERS,
                store::MAX_ATTENDEES
            ),
        ));
    }
    let unit = unit_at(state, &p.unit, held_on).await?;
    let mut organisers = Vec::new();
    for o in &p.organisers {
        let unit_id = match o.unit.as_deref().map(str::trim).filter(|u| !u.is_empty()) {
            Some(code) => Some(unit_at(state, code, held_on).await?.id),
            None => None,
        };
        organisers.push(OrganiserInput {
            unit_id,
            body: Body::parse(&o.body)?,
            name: o.name.clone(),
        });
    }
    let stage = match (p.stage_from, p.stage_to) {
        (Some(f), Some(t)) => Some((f, t)),
        (Some(f), None) => Some((f, f)),
        (None, Some(_)) => {
            return Err(Failure::new(
                axum::http::StatusCode::UNPROCESSABLE_ENTITY,
                "Giai đoạn cần năm đầu",
            ))
        }
        (None, None) => None,
    };
    Ok(ConferenceInput {
        kind,
        title: p.title.clone(),
        held_on,
        place: p.place.clone(),
        unit_id: unit.id,
        stage,
        attendance: p.attendance,
        notes: p.notes.clone(),
        organisers,
        attendees: p
            .attendees
            .iter()
            .map(|a| Attendee {
                rank_title: a.rank_title.clone(),
                name: a.name.clone(),
                office: a.office.clone(),
                body: a.body.clone(),
            })
            .collect(),
        reviewed: p.reviewed_programmes.clone(),
        signed: p.signed_plans.clone(),
        reviews: p.reviews.clone(),
    })
}

pub async fn create(
    state: &AppState,
    actor: &Actor,
    p: &ConferenceParams,
) -> Result<Conference, Failure> {
    let input = parse(state, p).await?;
    Ok(store::create(&state.db, actor, input).await?)
}

pub async fn update(
    state: &AppState,
    actor: &Actor,
    id: i64,
    p: &ConferenceParams,
) -> Result<Conference, Failure> {
    // Not found (or outside one's units) before anything sent is looked at.
    store::require(&state.db, actor, Action::Read, id).await?;
    let input = parse(state, p).await?;
    Ok(store::update(&state.db, actor, id, input).await?)
}

pub async fn get(state: &AppState, actor: &Actor, id: i64) -> Result<Conference, Failure> {
    Ok(store::get(&state.db, actor, id).await?)
}

/// What to list, as asked.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct ListParams {
    pub unit: Option<String>,
    pub at: Option<String>,
    pub from: Option<String>,
    pub to: Option<String>,
    pub kind: Option<String>,
    pub map: Option<String>,
    pub q: Option<String>,
}

fn year(s: Option<&str>, name: &str) -> Result<Option<i32>, Failure> {
    match s.map(str::trim).filter(|s| !s.is_empty()) {
        None => Ok(None),
        Some(y) => match y.parse::<i32>() {
            Ok(n) if (1945..=2100).contains(&n) => Ok(Some(n)),
            _ => Err(Failure::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                format!("Tham số {name} phải là một năm (ví dụ 2023), không phải \"{y}\""),
            )),
        },
    }
}

/// The conferences of a unit's subtree and lineage (or of every unit the
/// caller may read), by years and kind (newest first, at most
/// `LIST_LIMIT`), and how many match in all.
pub async fn list(
    state: &AppState,
    actor: &Actor,
    p: &ListParams,
    unit: Option<&units::Unit>,
) -> Result<(Vec<Summary>, i64), Failure> {
    let map: MapMode = p.map.as_deref().unwrap_or("current").parse()?;
    if let Some(u) = unit {
        access::require(&state.db, actor, Action::Read, u.id).await?;
    }
    let kind = match p.kind.as_deref().map(str::trim).filter(|k| !k.is_empty()) {
        Some(k) => Some(ConferenceKind::parse(k)?),
        None => None,
    };
    let q = p.q.as_deref().map(str::trim).filter(|q| !q.is_empty());
    if let Some(q) = q {
        antq_core::text::check_len("Từ khóa", q, 200)?;
    }
    let filter = Filter {
        unit: unit.map(|u| (u.id, map)),
        from: year(p.from.as_deref(), "from")?,
        to: year(p.to.as_deref(), "to")?,
        kind,
        q,
    };
    let items = store::list(&state.db, actor, filter).await?;
    let total = store::count(&state.db, actor, filter).await?;
    Ok((items, total))
}

/// A unit given by its code in a list's parameters, at `at` (default today).
pub async fn list_unit(state: &AppState, p: &ListParams) -> Result<Option<units::Unit>, Failure> {
    match p.unit.as_deref().map(str::trim).filter(|u| !u.is_empty()) {
        None => Ok(None),
        Some(code) => {
            let at = crate::units::service::date_or_today(p.at.as_deref())?;
            Ok(Some(unit_at(state, code, at).await?))
        }
    }
}

/// The press draft of a conference (`author`: initials; empty: the caller's).
pub async fn draft(
    state: &AppState,
    actor: &Actor,
    id: i64,
    author: &str,
) -> Result<PressDraft, Failure> {
    antq_core::text::check_len("Tên tác giả", author, 40)?;
    let input = store::press_input(&state.db, actor, id, author).await?;
    Ok(press_draft(&input))
}

/// The awards given at the conference, by issuer, form and recipient kind.
pub async fn awards(
    state: &AppState,
    id: i64,
) -> Result<Vec<antq_core::programmes::awards::AwardCount>, Failure> {
    let rows = award_counts::counts(&state.db, Scope::Conference(id)).await?;
    Ok(award_counts::over_years(&rows))
}
