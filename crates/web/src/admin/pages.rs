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

/// The roles from the least privileged (the default of a form) to the most.
fn roles(c: &Chrome) -> Vec<(&'static str, &'static str)> {
    [
        Role::Viewer,
        Role::Editor,
        Role::Reviewer,
        Role::Front,
        Role::Police,
        Role::Admin,
    ]
    .iter()
    .map(|r| (r.as_str(), c.role_label(*r)))
    .collect()
}

/// The role a new user or grant starts with: the least privileged.
pub const DEFAULT_ROLE: Role = Role::Viewer;

/// What the create-user form shows: empty, or what was typed before an error
/// (never the password).
#[derive(Default)]
pub struct UserFormView {
    pub username: String,
    pub display_name: String,
    pub role: String,
    pub error: String,
    pub errors: Vec<String>,
}

#[derive(Template)]
#[template(path = "admin/users.html")]
struct UsersPage {
    c: Chrome,
    users: Vec<UserRow>,
    roles: Vec<(&'static str, &'static str)>,
    form: UserFormView,
    picker: crate::units::pages::UnitPicker,
}

async fn users_page(
    state: &AppState,
    c: Chrome,
    actor: &antq_storage::accounts::access::Actor,
    form: UserFormView,
    typed_unit: Option<(&str, &str)>,
) -> PageResult<Response> {
    let list = crate::accounts::service::list_users(state, actor).await?;
    let picker = match typed_unit {
        Some((text, code)) => {
            crate::units::pages::UnitPicker::new(&c, "unit", "new-user-unit", c.t("picker.unit"))
                .typed(text, code)
        }
        None => {
            crate::units::pages::UnitPicker::own(
                state,
                &c,
                actor,
                "unit",
                "new-user-unit",
                c.t("picker.unit"),
            )
            .await?
        }
    };
    render(UsersPage {
        users: list.into_iter().map(|u| user_row(&c, u)).collect(),
        roles: roles(&c),
        form: UserFormView {
            role: if form.role.is_empty() {
                DEFAULT_ROLE.as_str().to_string()
            } else {
                form.role
            },
            ..form
        },
        picker,
        c,
    })
}

pub async fn users(
    State(state): State<AppState>,
    c: Chrome,
    PageUser(ctx): PageUser,
) -> PageResult<Response> {
    users_page(&state, c, &ctx.actor, UserFormView::default(), None).await
}

#[derive(Deserialize)]
pub struct NewUserForm {
    #[serde(default)]
    username: String,
    #[serde(default)]
    display_name: String,
    #[serde(default)]
    password: String,
    #[serde(default)]
    role: String,
    #[serde(default)]
    unit: String,
    #[serde(default)]
    unit_pick: String,
}

/// Create a user; on an error the form comes back with what was typed
/// (except the password) and the message, under 422.
pub async fn create_user(
    State(state): State<AppState>,
    c: Chrome,
    PageUser(ctx): PageUser,
    Form(f): Form<NewUserForm>,
) -> PageResult<Response> {
    let result = match crate::accounts::service::resolve_form_unit(
        &state,
        &f.unit,
        &f.unit_pick,
        None,
    )
    .await
    {
        Ok(code) => {
            crate::accounts::service::create_user(
                &state,
                &ctx.actor,
                UserForm {
                    username: &f.username,
                    display_name: &f.display_name,
                    password: &f.password,
                    role: &f.role,
                    unit_code: &code,
                    unit_at: None,
                },
            )
            .await
        }
        Err(e) => Err(e),
    };
    match result {
        Ok(id) => Ok(crate::pages::done(
            &format!("/quan-tri/nguoi-dung/{id}"),
            "msg.created",
        )),
        Err(e) => {
            let status = e.status;
            let mut res = users_page(
                &state,
                c,
                &ctx.actor,
                UserFormView {
                    username: f.username.clone(),
                    display_name: f.display_name.clone(),
                    role: f.role.clone(),
                    error: crate::error::capitalised(&e.message),
                    errors: crate::pages::error_lines(&e.errors),
                },
                Some((&f.unit, &f.unit_pick)),
            )
            .await?;
            *res.status_mut() = if status.is_client_error() {
                status
            } else {
                axum::http::StatusCode::UNPROCESSABLE_ENTITY
            };
            Ok(res)
        }
    }
}

#[derive(Template)]
#[template(path = "admin/user.html")]
struct UserPage {
    c: Chrome,
    user: UserRow,
    roles: Vec<(&'static str, &'static str)>,
    is_self: bool,
    picker: crate::units::pages::UnitPicker,
    /// The grant form: the role and date chosen, an error.
    grant_role: String,
    grant_at: String,
    error: String,
    errors: Vec<String>,
}

async fn user_page(
    state: &AppState,
    c: Chrome,
    actor: &antq_storage::accounts::access::Actor,
    id: i64,
    typed: Option<(&GrantForm, crate::error::Failure)>,
) -> PageResult<Response> {
    let u = crate::accounts::service::get_user(state, actor, id).await?;
    let label = c.t("picker.unit");
    let (picker, grant_role, grant_at, error, errors) = match typed {
        Some((f, e)) => (
            crate::units::pages::UnitPicker::new(&c, "unit", "grant-unit", label)
                .typed(&f.unit, &f.unit_pick),
            f.role.clone(),
            f.at.clone().unwrap_or_default(),
            crate::error::capitalised(&e.message),
            crate::pages::error_lines(&e.errors),
        ),
        None => (
            crate::units::pages::UnitPicker::own(state, &c, actor, "unit", "grant-unit", label)
                .await?,
            DEFAULT_ROLE.as_str().to_string(),
            String::new(),
            String::new(),
            Vec::new(),
        ),
    };
    render(UserPage {
        user: user_row(&c, u),
        roles: roles(&c),
        is_self: id == actor.user_id,
        picker,
        grant_role,
        grant_at,
        error,
        errors,
        c,
    })
}

pub async fn user(
    State(state): State<AppState>,
    c: Chrome,
    PageUser(ctx): PageUser,
    Path(id): Path<i64>,
) -> PageResult<Response> {
    user_page(&state, c, &ctx.actor, id, None).await
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
    #[serde(default)]
    role: String,
    #[serde(default)]
    unit: String,
    #[serde(default)]
    unit_pick: String,
    #[serde(default)]
    at: Option<String>,
}

/// Add a grant; on an error the user's page comes back with the form as
/// typed and the message, under 422.
pub async fn add_grant(
    State(state): State<AppState>,
    c: Chrome,
    PageUser(ctx): PageUser,
    Path(id): Path<i64>,
    Form(f): Form<GrantForm>,
) -> PageResult<Response> {
    let at = f.at.as_deref().filter(|a| !a.trim().is_empty());
    let result = match crate::accounts::service::resolve_form_unit(
        &state,
        &f.unit,
        &f.unit_pick,
        at,
    )
    .await
    {
        Ok(code) => {
            crate::accounts::service::add_grant(&state, &ctx.actor, id, &f.role, &code, at).await
        }
        Err(e) => Err(e),
    };
    match result {
        Ok(_) => Ok(crate::pages::done(
            &format!("/quan-tri/nguoi-dung/{id}"),
            "msg.saved",
        )),
        Err(e) => {
            let status = if e.status.is_client_error() {
                e.status
            } else {
                axum::http::StatusCode::UNPROCESSABLE_ENTITY
            };
            let mut res = user_page(&state, c, &ctx.actor, id, Some((&f, e))).await?;
            *res.status_mut() = status;
            Ok(res)
        }
    }
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
    lookup: crate::units::pages::UnitPicker,
    predecessor: crate::units::pages::UnitPicker,
    successor: crate::units::pages::UnitPicker,
    /// The add form as typed (after an error) or its defaults.
    add: NewLinkForm,
    add_open: bool,
    error: String,
    errors: Vec<String>,
}

#[derive(Deserialize, Default)]
pub struct LineageParams {
    code: Option<String>,
    code_pick: Option<String>,
    at: Option<String>,
}

pub async fn lineage(
    State(state): State<AppState>,
    c: Chrome,
    PageUser(ctx): PageUser,
    Query(p): Query<LineageParams>,
) -> PageResult<Response> {
    lineage_page(&state, c, &ctx.actor, p, None).await
}

async fn lineage_page(
    state: &AppState,
    c: Chrome,
    actor: &antq_storage::accounts::access::Actor,
    p: LineageParams,
    typed: Option<(NewLinkForm, crate::error::Failure)>,
) -> PageResult<Response> {
    crate::accounts::service::require_some_admin(actor)?;
    let at = crate::units::service::date_or_today(p.at.as_deref())?;
    let text = p.code.unwrap_or_default().trim().to_string();
    let pick = p.code_pick.unwrap_or_default();
    let mut found = None;
    let mut code = String::new();
    let (mut predecessors, mut successors) = (Vec::new(), Vec::new());
    let mut lookup =
        crate::units::pages::UnitPicker::new(&c, "code", "lineage-code", c.t("picker.unit"))
            .at(&dates::iso(at));
    if !text.is_empty() || !pick.is_empty() {
        let unit = crate::units::service::resolve_unit(state, &text, Some(&pick), at).await?;
        code = unit.code.clone();
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
        let described = crate::units::service::describe(state, &[unit], at).await?;
        lookup = lookup.with(described.first());
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
    let (add, add_open, error, errors) = match typed {
        Some((f, e)) => (
            f,
            true,
            crate::error::capitalised(&e.message),
            crate::pages::error_lines(&e.errors),
        ),
        None => (
            NewLinkForm {
                predecessor: String::new(),
                predecessor_pick: String::new(),
                predecessor_date: "2025-06-30".into(),
                successor: found.as_ref().map(|f| f.0.clone()).unwrap_or_default(),
                successor_pick: code.clone(),
                successor_date: "2025-07-01".into(),
                share: Share::Whole.as_str().into(),
                note: None,
            },
            false,
            String::new(),
            Vec::new(),
        ),
    };
    let predecessor = crate::units::pages::UnitPicker::new(
        &c,
        "predecessor",
        "link-predecessor",
        c.t("lineage.predecessor"),
    )
    .typed(&add.predecessor, &add.predecessor_pick)
    .at(&add.predecessor_date);
    let successor = crate::units::pages::UnitPicker::new(
        &c,
        "successor",
        "link-successor",
        c.t("lineage.successor"),
    )
    .typed(&add.successor, &add.successor_pick)
    .at(&add.successor_date);
    render(LineagePage {
        code,
        at: dates::iso(at),
        found,
        sections: vec![
            (c.t("units.predecessors"), predecessors),
            (c.t("units.successors"), successors),
        ],
        shares,
        lookup,
        predecessor,
        successor,
        add,
        add_open,
        error,
        errors,
        c,
    })
}

#[derive(Deserialize, Default)]
pub struct NewLinkForm {
    #[serde(default)]
    predecessor: String,
    #[serde(default)]
    predecessor_pick: String,
    #[serde(default)]
    predecessor_date: String,
    #[serde(default)]
    successor: String,
    #[serde(default)]
    successor_pick: String,
    #[serde(default)]
    successor_date: String,
    #[serde(default)]
    share: String,
    #[serde(default)]
    note: Option<String>,
}

/// Add a lineage link; on an error the page comes back with the form as
/// typed and the message, under 422.
pub async fn add_link(
    State(state): State<AppState>,
    c: Chrome,
    PageUser(ctx): PageUser,
    Form(f): Form<NewLinkForm>,
) -> PageResult<Response> {
    let resolve = |text: String, pick: String, date: String| {
        let state = state.clone();
        async move {
            let at = dates::parse_input_date(&date)?;
            crate::units::service::resolve_unit(&state, &text, Some(&pick), at)
                .await
                .map(|u| u.code)
        }
    };
    let result = async {
        let pred = resolve(
            f.predecessor.clone(),
            f.predecessor_pick.clone(),
            f.predecessor_date.clone(),
        )
        .await?;
        let succ = resolve(
            f.successor.clone(),
            f.successor_pick.clone(),
            f.successor_date.clone(),
        )
        .await?;
        let id = crate::units::service::add_link(
            &state,
            &ctx.actor,
            (&pred, &f.predecessor_date),
            (&succ, &f.successor_date),
            &f.share,
            f.note.clone().filter(|n| !n.trim().is_empty()),
        )
        .await?;
        Ok::<_, crate::error::Failure>((id, succ))
    }
    .await;
    match result {
        Ok((_, succ)) => {
            let to = match dates::parse_input_date(&f.successor_date) {
                Ok(d) => format!("/quan-tri/ke-thua?code={succ}&at={}", dates::iso(d)),
                Err(_) => format!("/quan-tri/ke-thua?code={succ}"),
            };
            Ok(crate::pages::done(&to, "msg.created"))
        }
        Err(e) => {
            let status = if e.status.is_client_error() {
                e.status
            } else {
                axum::http::StatusCode::UNPROCESSABLE_ENTITY
            };
            let mut res = lineage_page(
                &state,
                c,
                &ctx.actor,
                LineageParams::default(),
                Some((f, e)),
            )
            .await?;
            *res.status_mut() = status;
            Ok(res)
        }
    }
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
    let mut actions: Vec<&'static str> = antq_core::words::audit_actions()
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
