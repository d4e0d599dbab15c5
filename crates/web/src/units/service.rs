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
use axum::http::StatusCode;

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

/// A unit as the picker offers it: its name, and where it lies ("Huyện
/// Điện Biên, Tỉnh Điện Biên") so that units of the same name can be told apart.
#[derive(Debug, Clone)]
pub struct PickOption {
    pub code: String,
    pub name: String,
    pub context: String,
}

/// The most options the picker lists.
pub const PICK_LIMIT: i64 = 20;
/// The longest text the picker or a unit field accepts.
pub const PICK_TEXT_MAX: usize = 200;

/// Where each unit lies: its parent and grandparent names (the nation left
/// out), found in two look-ups whatever the number of units.
pub async fn describe(
    state: &AppState,
    list: &[Unit],
    at: Date,
) -> Result<Vec<PickOption>, Failure> {
    let codes = |it: &mut dyn Iterator<Item = Option<&String>>| -> Vec<UnitCode> {
        let mut v: Vec<UnitCode> = it
            .flatten()
            .filter(|c| c.as_str() != antq_core::units::NATION_CODE)
            .filter_map(|c| UnitCode::parse(c).ok())
            .collect();
        v.sort_by(|a, b| a.as_str().cmp(b.as_str()));
        v.dedup();
        v
    };
    let parents = units::find_many_at(
        &state.db,
        &codes(&mut list.iter().map(|u| u.parent_code.as_ref())),
        at,
    )
    .await?;
    let grandparents = units::find_many_at(
        &state.db,
        &codes(&mut parents.values().map(|u| u.parent_code.as_ref())),
        at,
    )
    .await?;
    Ok(list
        .iter()
        .map(|u| {
            let mut path = Vec::new();
            if let Some(p) = u.parent_code.as_ref().and_then(|c| parents.get(c)) {
                path.push(p.name.clone());
                if let Some(g) = p.parent_code.as_ref().and_then(|c| grandparents.get(c)) {
                    path.push(g.name.clone());
                }
            }
            PickOption {
                code: u.code.clone(),
                name: if u.level == antq_core::units::Level::Nation {
                    "Cả nước".to_string()
                } else {
                    u.name.clone()
                },
                context: path.join(", "),
            }
        })
        .collect())
}

fn check_text(text: &str) -> Result<&str, Failure> {
    let text = text.trim();
    if text.chars().count() > PICK_TEXT_MAX || text.chars().any(char::is_control) {
        return Err(Failure::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            format!(
            "Tên hoặc mã đơn vị quá dài (tối đa {PICK_TEXT_MAX} ký tự) hoặc có ký tự điều khiển"
        ),
        ));
    }
    Ok(text)
}

/// The picker's options for a text typed: units valid at the date whose
/// name contains it (accent- and case-insensitive), or whose code starts with it.
pub async fn pick_options(state: &AppState, q: &str, at: Date) -> Result<Vec<PickOption>, Failure> {
    let q = check_text(q)?;
    if q.is_empty() {
        return Ok(Vec::new());
    }
    let list = units::list(
        &state.db,
        &units::UnitQuery {
            at,
            level: None,
            parent_id: None,
            q: Some(q.to_string()),
            limit: Some(PICK_LIMIT),
        },
    )
    .await?;
    describe(state, &list, at).await
}

/// "Xã Châu Thành (Tỉnh Tây Ninh, mã 25585)".
pub fn option_words(o: &PickOption) -> String {
    if o.context.is_empty() {
        format!("{} (mã {})", o.name, o.code)
    } else {
        format!("{} ({}, mã {})", o.name, o.context, o.code)
    }
}

/// The unit a person chose in a unit field: the code the picker kept
/// (`picked`) when the text still shows that unit's name, else a code
/// typed, a text ending in "(mã 25585)" or "(25585)", or an exact name
/// (accent-insensitive). A name several units share is refused with the
/// list of them, each with its province.
pub async fn resolve_unit(
    state: &AppState,
    text: &str,
    picked: Option<&str>,
    at: Date,
) -> Result<Unit, Failure> {
    let text = check_text(text)?;
    let picked = picked.map(str::trim).filter(|p| !p.is_empty());
    if let Some(code) = picked {
        if let Ok(code) = UnitCode::parse(code) {
            if let Some(u) = units::find_at(&state.db, &code, at).await? {
                let folded = antq_core::text::fold(text);
                if text.is_empty()
                    || folded == antq_core::text::fold(&u.name)
                    || (u.level == antq_core::units::Level::Nation
                        && folded == antq_core::text::fold("Cả nước"))
                {
                    return Ok(u);
                }
            }
        }
    }
    if text.is_empty() {
        return Err(Failure::new(
            axum::http::StatusCode::UNPROCESSABLE_ENTITY,
            "Chưa chọn đơn vị: gõ tên (ví dụ \"Điện Biên\") hoặc mã đơn vị",
        ));
    }
    // A code, alone or at the end in brackets.
    let tail = text
        .strip_suffix(')')
        .and_then(|t| t.rsplit_once('('))
        .and_then(|(_, c)| c.rsplit(|ch: char| ch.is_whitespace() || ch == ',').next());
    for candidate in [Some(text), tail].into_iter().flatten() {
        let is_code = candidate.eq_ignore_ascii_case(antq_core::units::NATION_CODE)
            || (!candidate.is_empty() && candidate.bytes().all(|b| b.is_ascii_digit()));
        if is_code {
            let code = UnitCode::parse(candidate)?;
            return Ok(units::get_at(&state.db, &code, at).await?);
        }
    }
    let folded = antq_core::text::fold(text);
    if folded == antq_core::text::fold("Cả nước") {
        return unit_at(state, antq_core::units::NATION_CODE, at).await;
    }
    let found = units::list(
        &state.db,
        &units::UnitQuery {
            at,
            level: None,
            parent_id: None,
            q: Some(text.to_string()),
            limit: Some(500),
        },
    )
    .await?;
    let exact: Vec<Unit> = found
        .iter()
        .filter(|u| {
            antq_core::text::fold(&u.name) == folded
                || antq_core::text::fold(&u.short_name) == folded
        })
        .cloned()
        .collect();
    match exact.len() {
        1 => Ok(exact.into_iter().next().expect("one")),
        0 => {
            let near = describe(state, &found[..found.len().min(10)], at).await?;
            let mut f = Failure::new(
                axum::http::StatusCode::UNPROCESSABLE_ENTITY,
                format!(
                    "Không tìm thấy đơn vị nào tên \"{text}\" vào ngày {}",
                    dates::format_vi(at)
                ),
            );
            if !near.is_empty() {
                f.message.push_str("; có thể là một trong các đơn vị sau");
                f.errors = near.iter().map(option_words).collect();
            }
            Err(f)
        }
        n => {
            let all = describe(state, &exact, at).await?;
            let mut f = Failure::new(
                axum::http::StatusCode::UNPROCESSABLE_ENTITY,
                format!(
                    "Có {n} đơn vị tên \"{}\"; xin chọn một trong danh sách hoặc gõ mã đơn vị",
                    exact[0].name
                ),
            );
            f.errors = all.iter().map(option_words).collect();
            Err(f)
        }
    }
}

/// The unit a user works for: the unit of their first grant (a national
/// administrator: the whole country).
pub async fn own_unit(
    state: &AppState,
    actor: &Actor,
    at: Date,
) -> Result<Option<PickOption>, Failure> {
    let Some(g) = actor.grants.first() else {
        return Ok(None);
    };
    let unit = match units::find_at(&state.db, &UnitCode::parse(&g.unit_code)?, at).await? {
        Some(u) => u,
        None => return Ok(None),
    };
    Ok(describe(state, &[unit], at).await?.into_iter().next())
}

/// The code of a unit field whose unit is taken at a date of its own (a
/// review's): a code typed goes on unchanged, a name is looked up at the
/// given date (ISO or dd/mm/yyyy), else at the end of the years `from`–`to`
/// (14/12 of the last year, or today if that is later).
pub async fn code_of_field(
    state: &AppState,
    text: &str,
    picked: &str,
    at: &str,
    from: &str,
    to: &str,
) -> Result<String, Failure> {
    let t = check_text(text)?;
    let is_code = t.eq_ignore_ascii_case(antq_core::units::NATION_CODE)
        || (!t.is_empty() && t.bytes().all(|b| b.is_ascii_digit()));
    if is_code && picked.trim().is_empty() {
        return Ok(t.to_string());
    }
    let date = match at.trim() {
        "" => {
            // The stage's last reporting day: 14/12 of a year, 14/06 for
            // the first half ("2026S1").
            let end = [to, from].iter().find_map(|y| {
                antq_core::periods::Period::parse(y)
                    .and_then(|p| p.dates(antq_core::periods::Calendar::Reporting))
                    .ok()
                    .map(|d| d.1)
            });
            match end {
                Some(d) if d < dates::today() => d,
                _ => dates::today(),
            }
        }
        s => dates::parse_input_date(s)?,
    };
    Ok(resolve_unit(state, text, Some(picked), date).await?.code)
}
