//! Administration pages: users and grants, lineage links, the audit log.

use antq_core::auth::Role;
use antq_core::dates;
use antq_core::units::{Level, Share};
use antq_storage::audit::AuditFilter;
use antq_storage::units;
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::Response;
use axum::Form;
use serde::Deserialize;

use crate::accounts::service::UserForm;
use crate::auth::PageUser;
use crate::error::PageResult;
use crate::pages::{outcome, render, Chrome};
use crate::state::AppState;
use crate::units::pages::{level_label, validity_text};

pub struct GrantRow {
    pub id: i64,
    pub role: &'static str,
    pub unit: String,
    pub unit_code: String,
}

pub struct UserRow {
    pub id: i64,
    pub username: String,
    pub display_name: String,
    pub disabled: bool,
    pub created: String,
    pub grants: Vec<GrantRow>,
}

fn user_row(c: &Chrome, u: antq_storage::accounts::users::User) -> UserRow {
    UserRow {
        id: u.id,
        created: dates::format_timestamp_vi(&u.created_at),
        grants: u
            .grants
            .iter()
            .map(|g| GrantRow {
                id: g.id,
                role: c.role_label(g.role),
                unit: if g.unit_level == Level::Nation {
                    c.t("units.country").to_string()
                } else {
                    format!(
                        "{} ({})",
                        g.unit_name,
                        validity_text(c, g.unit_valid_from.as_deref(), g.unit_valid_to.as_deref())
                    )
                },
                unit_code: g.unit_code.clone(),
            })
            .collect(),
        username: u.username,
        display_name: u.display_name,
        disabled: u.disabled,
    }
}

fn roles(c: &Chrome) -> Vec<(&'static str, &'static str)> {
    Role::ALL
        .iter()
        .map(|r| (r.as_str(), c.role_label(*r)))
        .collect()
}

#[derive(Template)]
#[template(path = "admin/users.html")]
struct UsersPage {
    c: Chrome,
    users: Vec<UserRow>,
    roles: Vec<(&'static str, &'static str)>,
}

pub async fn users(
    State(state): State<AppState>,
    c: Chrome,
    PageUser(ctx): PageUser,
) -> PageResult<Response> {
    let list = crate::accounts::service::list_users(&state, &ctx.actor).await?;
    render(UsersPage {
        users: list.into_iter().map(|u| user_row(&c, u)).collect(),
        roles: roles(&c),
        c,
    })
}

#[derive(Deserialize)]
pub struct NewUserForm {
    username: String,
    #[serde(default)]
    display_name: String,
    password: String,
    role: String,
    unit: String,
}

pub async fn create_user(
    State(state): State<AppState>,
    PageUser(ctx): PageUser,
    Form(f): Form<NewUserForm>,
) -> Response {
    let result = crate::accounts::service::create_user(
        &state,
        &ctx.actor,
        UserForm {
            username: &f.username,
            display_name: &f.display_name,
            password: &f.password,
            role: &f.role,
            unit_code: &f.unit,
            unit_at: None,
        },
    )
    .await;
    match result {
        Ok(id) => crate::pages::done(&format!("/quan-tri/nguoi-dung/{id}"), "msg.created"),
        Err(e) => crate::pages::failed("/quan-tri/nguoi-dung", e),
    }
}

#[derive(Template)]
#[template(path = "admin/user.html")]
struct UserPage {
    c: Chrome,
    user: UserRow,
    roles: Vec<(&'static str, &'static str)>,
    is_self: bool,
}

pub async fn user(
    State(state): State<AppState>,
    c: Chrome,
    PageUser(ctx): PageUser,
    Path(id): Path<i64>,
) -> PageResult<Response> {
    let u = crate::accounts::service::get_user(&state, &ctx.actor, id).await?;
    render(UserPage {
        user: user_row(&c, u),
        roles: roles(&c),
        is_self: id == ctx.actor.user_id,
        c,
    })
}

pub async fn disable_user(
    State(state): State<AppState>,
    PageUser(ctx): PageUser,
    Path(id): Path<i64>,
) -> Response {
    let to = format!("/quan-tri/nguoi-dung/{id}");
    outcome(
        crate::accounts::service::set_user_disabled(&state, &ctx.actor, id, true).await,
        &to,
        "msg.saved",
        &to,
    )
}

pub async fn enable_user(
    State(state): State<AppState>,
    PageUser(ctx): PageUser,
    Path(id): Path<i64>,
) -> Response {
    let to = format!("/quan-tri/nguoi-dung/{id}");
    outcome(
        crate::accounts::service::set_user_disabled(&state, &ctx.actor, id, false).await,
        &to,
        "msg.saved",
        &to,
    )
}

#[derive(Deserialize)]
pub struct GrantForm {
    role: String,
    unit: String,
    #[serde(default)]
    at: Option<String>,
}

pub async fn add_grant(
    State(state): State<AppState>,
    PageUser(ctx): PageUser,
    Path(id): Path<i64>,
    Form(f): Form<GrantForm>,
) -> Response {
    let to = format!("/quan-tri/nguoi-dung/{id}");
    let result = crate::accounts::service::add_grant(
        &state,
        &ctx.actor,
        id,
        &f.role,
        &f.unit,
        f.at.as_deref(),
    )
    .await;
    outcome(result, &to, "msg.saved", &to)
}

pub async fn remove_grant(
    State(state): State<AppState>,
    PageUser(ctx): PageUser,
    Path(id): Path<i64>,
) -> Response {
    match crate::accounts::service::remove_grant(&state, &ctx.actor, id).await {
        Ok(user_id) => {
            crate::pages::done(&format!("/quan-tri/nguoi-dung/{user_id}"), "msg.deleted")
        }
        Err(e) => crate::pages::failed("/quan-tri/nguoi-dung", e),
    }
}

pub struct LinkEdit {
    pub id: i64,
    pub other_code: String,
    pub other_name: String,
    pub other_validity: String,
    pub other_href: String,
    pub share: String,
    pub note: String,
}

#[derive(Template)]
#[template(path = "admin/lineage.html")]
struct LineagePage {
    c: Chrome,
    code: String,
    at: String,
    found: Option<(String, String, String)>,
    /// Predecessors, then successors, each with its heading.
    sections: Vec<(&'static str, Vec<LinkEdit>)>,
    shares: Vec<(&'static str, &'static str)>,
}

#[derive(Deserialize, Default)]
pub struct LineageParams {
    code: Option<String>,
    at: Option<String>,
}

pub async fn lineage(
    State(state): State<AppState>,
    c: Chrome,
    PageUser(ctx): PageUser,
    Query(p): Query<LineageParams>,
) -> PageResult<Response> {
    crate::accounts::service::require_some_admin(&ctx.actor)?;
    let at = crate::units::service::date_or_today(p.at.as_deref())?;
    let code = p.code.unwrap_or_default().trim().to_string();
    let mut found = None;
    let (mut predecessors, mut successors) = (Vec::new(), Vec::new());
    if !code.is_empty() {
        let unit = crate::units::service::unit_at(&state, &code, at).await?;
        let edit = |l: &units::Linked| LinkEdit {
            id: l.link_id,
            other_code: l.code.clone(),
            other_name: l.name.clone(),
            other_validity: validity_text(&c, l.valid_from.as_deref(), l.valid_to.as_deref()),
            other_href: format!(
                "/quan-tri/ke-thua?code={}&at={}",
                l.code,
                l.valid_to
                    .clone()
                    .or(l.valid_from.clone())
                    .unwrap_or_else(|| dates::iso(at))
            ),
            share: l.share.as_str().to_string(),
            note: l.note.clone().unwrap_or_default(),
        };
        predecessors = units::predecessors(&state.db, unit.id)
            .await?
            .iter()
            .map(edit)
            .collect();
        successors = units::successors(&state.db, unit.id)
            .await?
            .iter()
            .map(edit)
            .collect();
        found = Some((
            unit.name.clone(),
            level_label(&c, unit.level).to_string(),
            validity_text(&c, unit.valid_from.as_deref(), unit.valid_to.as_deref()),
        ));
    }
    let shares = [Share::Whole, Share::PartPrimary, Share::Part]
        .iter()
        .map(|s| {
            (
                s.as_str(),
                c.t(match s {
                    Share::Whole => "share.whole",
                    Share::Part => "share.part",
                    Share::PartPrimary => "share.part_primary",
                }),
            )
        })
        .collect();
    render(LineagePage {
        code,
        at: dates::iso(at),
        found,
        sections: vec![
            (c.t("units.predecessors"), predecessors),
            (c.t("units.successors"), successors),
        ],
        shares,
        c,
    })
}

#[derive(Deserialize)]
pub struct NewLinkForm {
    predecessor: String,
    predecessor_date: String,
    successor: String,
    successor_date: String,
    share: String,
    #[serde(default)]
    note: Option<String>,
}

pub async fn add_link(
    State(state): State<AppState>,
    PageUser(ctx): PageUser,
    Form(f): Form<NewLinkForm>,
) -> Response {
    let result = crate::units::service::add_link(
        &state,
        &ctx.actor,
        (&f.predecessor, &f.predecessor_date),
        (&f.successor, &f.successor_date),
        &f.share,
        f.note,
    )
    .await;
    let to = match antq_core::units::UnitCode::parse(&f.successor) {
        Ok(code) => match dates::parse_date(&f.successor_date) {
            Ok(d) => format!("/quan-tri/ke-thua?code={code}&at={}", dates::iso(d)),
            Err(_) => format!("/quan-tri/ke-thua?code={code}"),
        },
        Err(_) => "/quan-tri/ke-thua".to_string(),
    };
    outcome(result, &to, "msg.created", &to)
}

#[derive(Deserialize)]
pub struct LinkForm {
    share: String,
    #[serde(default)]
    note: Option<String>,
}

fn lineage_page_of(link: &units::Link) -> String {
    format!(
        "/quan-tri/ke-thua?code={}&at={}",
        link.successor.code,
        link.successor
            .valid_from
            .clone()
            .unwrap_or_else(|| dates::iso(dates::today()))
    )
}

pub async fn update_link(
    State(state): State<AppState>,
    PageUser(ctx): PageUser,
    Path(id): Path<i64>,
    Form(f): Form<LinkForm>,
) -> Response {
    match crate::units::service::update_link(&state, &ctx.actor, id, &f.share, f.note).await {
        Ok(link) => crate::pages::done(&lineage_page_of(&link), "msg.saved"),
        Err(e) => crate::pages::failed("/quan-tri/ke-thua", e),
    }
}

pub async fn delete_link(
    State(state): State<AppState>,
    PageUser(ctx): PageUser,
    Path(id): Path<i64>,
) -> Response {
    let back = match crate::units::service::get_link(&state, &ctx.actor, id).await {
        Ok(link) => lineage_page_of(&link),
        Err(e) => return crate::pages::failed("/quan-tri/ke-thua", e),
    };
    outcome(
        crate::units::service::delete_link(&state, &ctx.actor, id).await,
        &back,
        "msg.deleted",
        &back,
    )
}

pub struct AuditRow {
    pub id: i64,
    pub at: String,
    pub actor: String,
    pub action: &'static str,
    pub object: crate::admin::service::ObjectLink,
    pub unit: String,
    pub unit_href: Option<String>,
    pub lines: Vec<crate::admin::service::ChangeLine>,
}

#[derive(Template)]
#[template(path = "admin/audit.html")]
struct AuditPage {
    c: Chrome,
    rows: Vec<AuditRow>,
    user: String,
    /// The actions by their Vietnamese names, and the one chosen.
    actions: Vec<&'static str>,
    action: String,
    from: String,
    to: String,
    older_href: Option<String>,
}

/// The audit log in words: actions named in Vietnamese, each change as a
/// table, links to the object; filtered by action (a select of names) and
/// by part of a username.
pub async fn audit(
    State(state): State<AppState>,
    c: Chrome,
    PageUser(ctx): PageUser,
    Query(q): Query<crate::admin::service::AuditQuery>,
) -> PageResult<Response> {
    let filter = AuditFilter {
        limit: 100,
        ..q.filter()?
    };
    let shown = |v: &Option<String>| v.clone().unwrap_or_default();
    let (user, from, to) = (
        shown(&filter.actor_part),
        shown(&filter.from),
        shown(&filter.to),
    );
    // The action as chosen: its Vietnamese name (never its code).
    let action = filter
        .action
        .as_deref()
        .map(|a| antq_core::words::audit_action_vi(a).to_string())
        .unwrap_or_default();
    let entries = crate::admin::service::audit_log(&state, &ctx.actor, &filter).await?;
    let older_href = (entries.len() == 100).then(|| {
        let last = entries.last().map(|e| e.id).unwrap_or(0);
        format!(
            "/quan-tri/nhat-ky?user={}&action={}&from={}&to={}&before_id={last}",
            crate::auth::urlencode(&user),
            crate::auth::urlencode(&action),
            crate::auth::urlencode(&from),
            crate::auth::urlencode(&to)
        )
    });
    let names = crate::admin::service::Names::load(&state, &entries).await?;
    let rows = entries
        .iter()
        .map(|e| AuditRow {
            id: e.id,
            at: dates::format_timestamp_vi(&e.at),
            actor: e.actor.clone(),
            action: antq_core::words::audit_action_vi(&e.action),
            object: names.object(e),
            unit: e.unit_name.clone().unwrap_or_default(),
            unit_href: e.unit_code.as_ref().map(|c| format!("/don-vi/{c}")),
            lines: names.change(e),
        })
        .collect();
    let mut actions: Vec<&'static str> = antq_core::words::AUDIT_ACTIONS
        .iter()
        .map(|(_, vi, _)| *vi)
        .collect();
    actions.sort_unstable_by_key(|a| antq_core::text::fold(a));
    render(AuditPage {
        c,
        rows,
        user,
        actions,
        action,
        from,
        to,
        older_href,
    })
}
