//! The unit browser (a tree at a chosen date, and accent-insensitive search)
//! and a unit's page with its lineage, areas and organisations.

use antq_core::auth::Action;
use antq_core::dates::{self, Date};
use antq_core::units::{AreaKind, Level, OrgKind, Share, UnitCode};
use antq_storage::units::{self, Linked, Unit, UnitQuery};
use antq_storage::{accounts::access, units::areas, units::orgs};
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::Response;
use axum::Form;
use serde::Deserialize;

use crate::auth::{MaybeUser, PageUser};
use crate::error::{PageError, PageResult};
use crate::pages::{date_vi, outcome, render, Chrome};
use crate::state::AppState;

/// "01/07/2025 – nay", "trước khi có dữ liệu – 30/06/2025".
pub fn validity_text(c: &Chrome, from: Option<&str>, to: Option<&str>) -> String {
    let from = date_vi(from).unwrap_or_else(|| c.t("units.since_records").to_string());
    let to = date_vi(to).unwrap_or_else(|| c.t("units.still_valid").to_string());
    format!("{from} – {to}")
}

pub fn level_label(c: &Chrome, level: Level) -> &'static str {
    c.t(match level {
        Level::Nation => "level.nation",
        Level::Province => "level.province",
        Level::District => "level.district",
        Level::Commune => "level.commune",
    })
}

fn share_label(c: &Chrome, share: Share) -> &'static str {
    c.t(match share {
        Share::Whole => "share.whole",
        Share::Part => "share.part",
        Share::PartPrimary => "share.part_primary",
    })
}

/// A unit as a row of a list.
pub struct UnitRow {
    pub code: String,
    pub name: String,
    pub kind: String,
    pub level: &'static str,
    pub validity: String,
    pub href: String,
    /// A commune: nothing lies below it in the tree.
    pub leaf: bool,
    /// Where it lies ("Huyện Điện Biên, Tỉnh Điện Biên"); filled for search results.
    pub parent: String,
}

/// The date a link to a unit version should carry: a day it was valid.
fn valid_day(u_from: Option<&str>, u_to: Option<&str>, at: Date) -> String {
    let from = u_from.and_then(|d| dates::parse_date(d).ok());
    let to = u_to.and_then(|d| dates::parse_date(d).ok());
    let day = match (from, to) {
        (_, Some(t)) if at > t => t,
        (Some(f), _) if at < f => f,
        _ => at,
    };
    dates::iso(day)
}

fn row(c: &Chrome, u: &Unit, at: Date) -> UnitRow {
    let day = valid_day(u.valid_from.as_deref(), u.valid_to.as_deref(), at);
    UnitRow {
        code: u.code.clone(),
        name: if u.level == Level::Nation {
            c.t("units.country").to_string()
        } else {
            u.name.clone()
        },
        kind: u.kind.clone(),
        level: level_label(c, u.level),
        validity: validity_text(c, u.valid_from.as_deref(), u.valid_to.as_deref()),
        href: format!("/don-vi/{}?at={day}", u.code),
        leaf: u.level == Level::Commune,
        parent: String::new(),
    }
}

pub struct LinkRow {
    pub code: String,
    pub name: String,
    pub share: &'static str,
    pub validity: String,
    pub href: String,
    pub note: String,
}

fn link_row(c: &Chrome, l: &Linked, at: Date) -> LinkRow {
    let day = valid_day(l.valid_from.as_deref(), l.valid_to.as_deref(), at);
    LinkRow {
        code: l.code.clone(),
        name: l.name.clone(),
        share: share_label(c, l.share),
        validity: validity_text(c, l.valid_from.as_deref(), l.valid_to.as_deref()),
        href: format!("/don-vi/{}?at={day}", l.code),
        note: l.note.clone().unwrap_or_default(),
    }
}

#[derive(Deserialize, Default)]
pub struct BrowseParams {
    at: Option<String>,
    q: Option<String>,
    level: Option<String>,
    parent: Option<String>,
}

struct Browse {
    at: Date,
    q: String,
    level: String,
    parent: Option<Unit>,
    rows: Vec<UnitRow>,
}

async fn browse(state: &AppState, c: &Chrome, p: BrowseParams) -> PageResult<Browse> {
    let at = crate::units::service::date_or_today(p.at.as_deref())?;
    let q = p.q.unwrap_or_default().trim().to_string();
    let level_text = p.level.unwrap_or_default();
    let level = match level_text.as_str() {
        "" => None,
        l => Some(l.parse::<Level>()?),
    };
    let parent = match p.parent.as_deref().filter(|s| !s.is_empty()) {
        Some(code) => Some(crate::units::service::unit_at(state, code, at).await?),
        None => None,
    };
    let list = if q.is_empty() && level.is_none() {
        let root = match &parent {
            Some(u) => u.id,
            None => {
                crate::units::service::unit_at(state, antq_core::units::NATION_CODE, at)
                    .await?
                    .id
            }
        };
        units::list(
            &state.db,
            &UnitQuery {
                at,
                level: None,
                parent_id: Some(root),
                q: None,
                limit: None,
            },
        )
        .await?
    } else {
        units::list(
            &state.db,
            &UnitQuery {
                at,
                level,
                parent_id: parent.as_ref().map(|u| u.id),
                q: Some(q.clone()).filter(|q| !q.is_empty()),
                limit: Some(300),
            },
        )
        .await?
    };
    let mut rows: Vec<UnitRow> = list.iter().map(|u| row(c, u, at)).collect();
    if !q.is_empty() || level.is_some() {
        let described = crate::units::service::describe(state, &list, at).await?;
        for (r, d) in rows.iter_mut().zip(described) {
            r.parent = d.context;
        }
    }
    Ok(Browse {
        at,
        q,
        level: level_text,
        rows,
        parent,
    })
}

#[derive(Template)]
#[template(path = "units/browser.html")]
struct BrowserPage {
    c: Chrome,
    at: String,
    at_vi: String,
    q: String,
    level: String,
    parent_code: String,
    crumbs: Vec<UnitRow>,
    heading: String,
    rows: Vec<UnitRow>,
    searching: bool,
}

/// The unit browser. Asked by htmx while the user types (`HX-Request`),
/// it answers with the result list alone, and htmx puts the page's URL
/// (`/don-vi?q=…`) in the history, so the back button and a reload show
/// the same search; a history restore gets the whole page.
pub async fn browser(
    State(state): State<AppState>,
    c: Chrome,
    headers: axum::http::HeaderMap,
    Query(p): Query<BrowseParams>,
) -> PageResult<Response> {
    let b = browse(&state, &c, p).await?;
    if headers.contains_key("hx-request") && !headers.contains_key("hx-history-restore-request") {
        let mut res = render(ResultsPartial {
            c,
            at_vi: dates::format_vi(b.at),
            rows: b.rows,
        })?;
        res.headers_mut().insert(
            axum::http::header::VARY,
            axum::http::HeaderValue::from_static("HX-Request"),
        );
        return Ok(res);
    }
    let mut crumbs = Vec::new();
    if let Some(parent) = &b.parent {
        for a in units::ancestors(&state.db, parent.id).await? {
            crumbs.push(row(&c, &a, b.at));
        }
        crumbs.push(row(&c, parent, b.at));
    }
    let searching = !b.q.is_empty() || !b.level.is_empty();
    let heading = match &b.parent {
        Some(p) => p.name.clone(),
        None => c.t("units.country").to_string(),
    };
    let mut res = render(BrowserPage {
        at: dates::iso(b.at),
        at_vi: dates::format_vi(b.at),
        q: b.q,
        level: b.level,
        parent_code: b
            .parent
            .as_ref()
            .map(|u| u.code.clone())
            .unwrap_or_default(),
        crumbs,
        heading,
        rows: b.rows,
        searching,
        c,
    })?;
    res.headers_mut().insert(
        axum::http::header::VARY,
        axum::http::HeaderValue::from_static("HX-Request"),
    );
    Ok(res)
}

#[derive(Template)]
#[template(path = "units/results.html")]
struct ResultsPartial {
    c: Chrome,
    at_vi: String,
    rows: Vec<UnitRow>,
}

/// The result list alone, for htmx to swap in while the user types.
pub async fn search_results(
    State(state): State<AppState>,
    c: Chrome,
    Query(p): Query<BrowseParams>,
) -> PageResult<Response> {
    let b = browse(&state, &c, p).await?;
    render(ResultsPartial {
        c,
        at_vi: dates::format_vi(b.at),
        rows: b.rows,
    })
}

pub struct AreaRow {
    pub kind: String,
    pub name: String,
}

#[derive(Template)]
#[template(path = "units/show.html")]
struct UnitPage {
    c: Chrome,
    at: String,
    at_vi: String,
    unit: UnitRow,
    level: Level,
    crumbs: Vec<UnitRow>,
    predecessors: Vec<LinkRow>,
    successors: Vec<LinkRow>,
    children: Vec<UnitRow>,
    versions: Vec<UnitRow>,
    signed_in: bool,
    can_read: bool,
    can_edit: bool,
    areas: Vec<AreaRow>,
    orgs: Vec<AreaRow>,
    area_kinds: Vec<&'static str>,
    org_kinds: Vec<(&'static str, &'static str)>,
}

pub async fn show(
    State(state): State<AppState>,
    c: Chrome,
    MaybeUser(user): MaybeUser,
    Path(code): Path<String>,
    Query(p): Query<BrowseParams>,
) -> PageResult<Response> {
    let at = crate::units::service::date_or_today(p.at.as_deref())?;
    let parsed = UnitCode::parse(&code).map_err(PageError::from)?;
    let versions = units::versions(&state.db, &parsed).await?;
    let unit = match units::find_at(&state.db, &parsed, at).await? {
        Some(u) => u,
        None => match versions.last() {
            // No version at that date: show the latest one, dated accordingly.
            Some(v) => v.clone(),
            None => {
                return Err(PageError(crate::error::Failure::not_found(format!(
                    "đơn vị mã {code}"
                ))))
            }
        },
    };
    let at = dates::parse_date(&valid_day(
        unit.valid_from.as_deref(),
        unit.valid_to.as_deref(),
        at,
    ))
    .unwrap_or(at);
    let crumbs = units::ancestors(&state.db, unit.id)
        .await?
        .iter()
        .map(|a| row(&c, a, at))
        .collect();
    let predecessors = units::predecessors(&state.db, unit.id).await?;
    let successors = units::successors(&state.db, unit.id).await?;
    let children = units::list(
        &state.db,
        &UnitQuery {
            at,
            level: None,
            parent_id: Some(unit.id),
            q: None,
            limit: None,
        },
    )
    .await?;
    let (can_read, can_edit) = match &user {
        Some(ctx) => (
            access::can(&state.db, &ctx.actor, Action::Read, unit.id).await?,
            access::can(&state.db, &ctx.actor, Action::EditAreas, unit.id).await?,
        ),
        None => (false, false),
    };
    let (area_list, org_list) = if can_read {
        (
            areas::list(&state.db, unit.id)
                .await?
                .into_iter()
                .map(|a| AreaRow {
                    kind: a.kind,
                    name: a.name,
                })
                .collect(),
            orgs::list(&state.db, unit.id)
                .await?
                .into_iter()
                .map(|o| AreaRow {
                    kind: o
                        .kind
                        .parse::<OrgKind>()
                        .map(|k| k.label_vi().to_string())
                        .unwrap_or(o.kind),
                    name: o.name,
                })
                .collect(),
        )
    } else {
        (Vec::new(), Vec::new())
    };
    render(UnitPage {
        at: dates::iso(at),
        at_vi: dates::format_vi(at),
        level: unit.level,
        unit: row(&c, &unit, at),
        crumbs,
        predecessors: predecessors.iter().map(|l| link_row(&c, l, at)).collect(),
        successors: successors.iter().map(|l| link_row(&c, l, at)).collect(),
        children: children.iter().map(|u| row(&c, u, at)).collect(),
        versions: versions.iter().map(|u| row(&c, u, at)).collect(),
        signed_in: user.is_some(),
        can_read,
        can_edit,
        areas: area_list,
        orgs: org_list,
        area_kinds: AreaKind::ALL.iter().map(|k| k.as_str()).collect(),
        org_kinds: [OrgKind::Agency, OrgKind::Enterprise, OrgKind::School]
            .iter()
            .map(|k| (k.as_str(), k.label_vi()))
            .collect(),
        c,
    })
}

/// The unit page to return to (a parsed code, so nothing odd reaches a header).
fn back_to(code: &str) -> String {
    UnitCode::parse(code)
        .map(|c| format!("/don-vi/{c}"))
        .unwrap_or_else(|_| "/don-vi".into())
}

#[derive(Deserialize)]
pub struct NamedForm {
    kind: String,
    name: String,
}

pub async fn add_area(
    State(state): State<AppState>,
    PageUser(ctx): PageUser,
    Path(code): Path<String>,
    Form(f): Form<NamedForm>,
) -> Response {
    let back = back_to(&code);
    outcome(
        crate::units::service::create_area(&state, &ctx.actor, &code, &f.kind, &f.name).await,
        &back,
        "msg.created",
        &back,
    )
}

pub async fn add_org(
    State(state): State<AppState>,
    PageUser(ctx): PageUser,
    Path(code): Path<String>,
    Form(f): Form<NamedForm>,
) -> Response {
    let back = back_to(&code);
    outcome(
        crate::units::service::create_org(&state, &ctx.actor, &code, &f.kind, &f.name).await,
        &back,
        "msg.created",
        &back,
    )
}

/// The unit picker of a form (`units/picker.html`): a text field that
/// accepts a name or a code, a hidden field with the code of the unit
/// picked, and a list of options that `static/picker.js` fills as one
/// types (from `/don-vi/chon`). Without JavaScript the text alone is sent
/// and the server resolves it (`service::resolve_unit`).
#[derive(Template, Clone)]
#[template(path = "units/picker.html")]
pub struct UnitPicker {
    /// The field's name; the picked code travels as `{name}_pick`.
    pub name: &'static str,
    pub id: String,
    pub label: String,
    pub placeholder: String,
    pub text: String,
    pub code: String,
    pub hint: String,
    pub required: bool,
    /// The date the options are valid at (ISO), empty for today.
    pub at: String,
    /// The words the script writes: "mã", "Không tìm thấy đơn vị nào", "đơn vị".
    pub word_code: &'static str,
    pub word_none: &'static str,
    pub word_units: &'static str,
}

/// "Tỉnh Điện Biên · mã 11" under a picked unit.
pub fn hint_of(o: &crate::units::service::PickOption) -> String {
    if o.context.is_empty() {
        format!("Mã {}", o.code)
    } else {
        format!("{} · mã {}", o.context, o.code)
    }
}

impl UnitPicker {
    /// An empty picker.
    pub fn new(c: &Chrome, name: &'static str, id: &str, label: &str) -> Self {
        UnitPicker {
            name,
            id: id.to_string(),
            label: label.to_string(),
            placeholder: c.t("picker.placeholder").to_string(),
            text: String::new(),
            code: String::new(),
            hint: String::new(),
            required: true,
            at: String::new(),
            word_code: c.t("picker.word_code"),
            word_none: c.t("picker.word_none"),
            word_units: c.t("picker.word_units"),
        }
    }

    /// Showing a unit.
    pub fn with(mut self, o: Option<&crate::units::service::PickOption>) -> Self {
        if let Some(o) = o {
            self.text = o.name.clone();
            self.code = o.code.clone();
            self.hint = hint_of(o);
        }
        self
    }

    /// Showing what was typed (a form shown again after an error).
    pub fn typed(mut self, text: &str, code: &str) -> Self {
        self.text = text.to_string();
        self.code = code.to_string();
        self
    }

    pub fn optional(mut self) -> Self {
        self.required = false;
        self
    }

    pub fn at(mut self, at: &str) -> Self {
        self.at = at.to_string();
        self
    }

    /// The picker showing the user's own unit (their first grant's).
    pub async fn own(
        state: &AppState,
        c: &Chrome,
        actor: &antq_storage::accounts::access::Actor,
        name: &'static str,
        id: &str,
        label: &str,
    ) -> PageResult<Self> {
        let own = crate::units::service::own_unit(state, actor, dates::today()).await?;
        Ok(UnitPicker::new(c, name, id, label).with(own.as_ref()))
    }
}

#[derive(Deserialize, Default)]
pub struct PickParams {
    q: Option<String>,
    at: Option<String>,
    id: Option<String>,
}

#[derive(Template)]
#[template(path = "units/options.html")]
struct PickOptions {
    id: String,
    empty: &'static str,
    options: Vec<crate::units::service::PickOption>,
}

/// `/don-vi/chon?q=…`: the picker's options as list items (HTML fragment).
pub async fn pick(
    State(state): State<AppState>,
    c: Chrome,
    Query(p): Query<PickParams>,
) -> PageResult<Response> {
    let at = crate::units::service::date_or_today(p.at.as_deref())?;
    let options =
        crate::units::service::pick_options(&state, p.q.as_deref().unwrap_or_default(), at).await?;
    // The field's id names the options; only letters, digits, '-' and '_'.
    let id: String =
        p.id.unwrap_or_default()
            .chars()
            .filter(|ch| ch.is_ascii_alphanumeric() || *ch == '-' || *ch == '_')
            .take(40)
            .collect();
    render(PickOptions {
        id: if id.is_empty() { "unit".into() } else { id },
        empty: c.t("picker.none"),
        options,
    })
}
