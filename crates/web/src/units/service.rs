//! The unit operations behind both the pages and the API: a unit at a date,
//! residential areas and organisations, lineage links. Each checks access
//! through the one policy (`antq_storage::accounts::access`) and calls storage.

use antq_core::auth::Action;
use antq_core::dates::{self, Date};
use antq_core::units::{AreaKind, Name, OrgKind, Share, UnitCode};
use antq_storage::accounts::access::{self, Actor};
use antq_storage::units::areas::{self, Area};
use antq_storage::units::orgs::{self, Organisation};
use antq_storage::units::{self, Unit};

use crate::accounts::service::require_some_admin;
use crate::error::Failure;
use crate::state::AppState;

/// A date from a query string, or today in Vietnam.
pub fn date_or_today(s: Option<&str>) -> Result<Date, Failure> {
    match s.map(str::trim).filter(|s| !s.is_empty()) {
        Some(s) => Ok(dates::parse_input_date(s)?),
        None => Ok(dates::today()),
    }
}

/// The unit with this code at the date.
pub async fn unit_at(state: &AppState, code: &str, at: Date) -> Result<Unit, Failure> {
    let code = UnitCode::parse(code)?;
    Ok(units::get_at(&state.db, &code, at).await?)
}

/// A unit the actor may act on, or 403/404.
pub(crate) async fn unit_for(
    state: &AppState,
    actor: &Actor,
    action: Action,
    code: &str,
    at: Date,
) -> Result<Unit, Failure> {
    let unit = unit_at(state, code, at).await?;
    access::require(&state.db, actor, action, unit.id).await?;
    Ok(unit)
}

pub async fn list_areas(
    state: &AppState,
    actor: &Actor,
    code: &str,
    at: Date,
) -> Result<(Unit, Vec<Area>), Failure> {
    let unit = unit_for(state, actor, Action::Read, code, at).await?;
    let list = areas::list(&state.db, unit.id).await?;
    Ok((unit, list))
}

pub async fn create_area(
    state: &AppState,
    actor: &Actor,
    code: &str,
    kind: &str,
    name: &str,
) -> Result<Area, Failure> {
    let unit = unit_for(state, actor, Action::EditAreas, code, dates::today()).await?;
    let kind: AreaKind = kind.parse()?;
    let name = Name::parse(name)?;
    Ok(areas::create(&state.db, &actor.who(), &unit, kind, &name).await?)
}

pub async fn list_orgs(
    state: &AppState,
    actor: &Actor,
    code: &str,
    at: Date,
) -> Result<(Unit, Vec<Organisation>), Failure> {
    let unit = unit_for(state, actor, Action::Read, code, at).await?;
    let list = orgs::list(&state.db, unit.id).await?;
    Ok((unit, list))
}

pub async fn create_org(
    state: &AppState,
    actor: &Actor,
    code: &str,
    kind: &str,
    name: &str,
) -> Result<Organisation, Failure> {
    let unit = unit_for(state, actor, Action::EditAreas, code, dates::today()).await?;
    let kind: OrgKind = kind.parse()?;
    let name = Name::parse(name)?;
    Ok(orgs::create(&state.db, &actor.who(), &unit, kind, &name).await?)
}

/// Lineage links may be changed by administrators whose units hold both ends.
async fn require_link_rights(
    state: &AppState,
    actor: &Actor,
    pred: i64,
    succ: i64,
) -> Result<(), Failure> {
    access::require(&state.db, actor, Action::EditUnits, pred).await?;
    access::require(&state.db, actor, Action::EditUnits, succ).await?;
    Ok(())
}

/// `require_link_rights` for a link addressed by its id: outside the actor's
/// units it is "not found", as a missing id.
async fn require_link_visible(
    state: &AppState,
    actor: &Actor,
    link: &units::Link,
) -> Result<(), Failure> {
    let what = || format!("liên kết kế thừa #{}", link.id);
    for unit in [link.predecessor.id, link.successor.id] {
        access::require_visible(&state.db, actor, Action::EditUnits, unit, what).await?;
    }
    Ok(())
}

pub async fn add_link(
    state: &AppState,
    actor: &Actor,
    pred: (&str, &str),
    succ: (&str, &str),
    share: &str,
    note: Option<String>,
) -> Result<i64, Failure> {
    require_some_admin(actor)?;
    let p = unit_at(state, pred.0, dates::parse_date(pred.1)?).await?;
    let s = unit_at(state, succ.0, dates::parse_date(succ.1)?).await?;
    require_link_rights(state, actor, p.id, s.id).await?;
    let share: Share = share.parse()?;
    Ok(units::add_link(&state.db, &actor.who(), p.id, s.id, share, note).await?)
}

pub async fn get_link(state: &AppState, actor: &Actor, id: i64) -> Result<units::Link, Failure> {
    require_some_admin(actor)?;
    let link = units::link_by_id(&state.db, id).await?;
    require_link_visible(state, actor, &link).await?;
    Ok(link)
}

pub async fn update_link(
    state: &AppState,
    actor: &Actor,
    id: i64,
    share: &str,
    note: Option<String>,
) -> Result<units::Link, Failure> {
    get_link(state, actor, id).await?;
    let share: Share = share.parse()?;
    units::update_link(&state.db, &actor.who(), id, share, note).await?;
    Ok(units::link_by_id(&state.db, id).await?)
}

pub async fn delete_link(state: &AppState, actor: &Actor, id: i64) -> Result<(), Failure> {
    get_link(state, actor, id).await?;
    Ok(units::delete_link(&state.db, &actor.who(), id).await?)
}
