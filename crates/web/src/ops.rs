//! The operations behind both the pages and the API: each parses what the
//! request said into domain values, checks access through the one policy
//! (`antq_storage::accounts::access`), and calls storage. Pages and API handlers only
//! translate HTTP to these calls and back.

use antq_core::auth::{self as core_auth, Action, NewPassword, Role, Username};
use antq_core::dates::{self, Date};
use antq_core::units::{AreaKind, Name, OrgKind, Share, UnitCode};
use antq_storage::accounts::access::{self, Actor};
use antq_storage::accounts::sessions::{self, NewSession};
use antq_storage::accounts::users;
use antq_storage::audit::{self, AuditEntry, AuditFilter};
use antq_storage::units::areas::{self, Area};
use antq_storage::units::orgs::{self, Organisation};
use antq_storage::units::{self, Unit};
use axum::http::StatusCode;

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

/// A successful login: the session, and the device secret for the device
/// cookie (`throttle::DEVICE_COOKIE`).
pub struct LoggedIn {
    pub session: NewSession,
    pub device: String,
}

/// Check a username and password (with throttling) and start a session.
/// The attempt is reserved before the password is checked, so concurrent
/// guesses cannot get past the limit; `device` is the device cookie the
/// browser sent, which lets its owner past the limits strangers meet
/// (`throttle`).
pub async fn login(
    state: &AppState,
    username: &str,
    password: &str,
    addr: &str,
    device: Option<&str>,
) -> Result<LoggedIn, Failure> {
    let attempt = match state.throttle.reserve(username, addr, device) {
        Ok(a) => a,
        Err(wait) => {
            tracing::warn!(addr, "login throttled");
            return Err(Failure::new(StatusCode::TOO_MANY_REQUESTS, wait.message()));
        }
    };
    // A name that cannot be a username is not looked up (it may be huge),
    // but costs the same check as any other.
    let secret = match Username::parse(username) {
        Ok(name) => users::login_secret(&state.db, name.as_str()).await?,
        Err(_) => None,
    };
    let (user_id, hash) = match secret {
        Some((id, hash)) => (Some(id), hash),
        None => (None, core_auth::dummy_password_hash().to_string()),
    };
    let ok = users::verify_password(password.to_string(), hash).await?;
    match (user_id, ok) {
        (Some(id), true) => {
            let name = username.trim().to_ascii_lowercase();
            let session = sessions::create(&state.db, &audit::Who::user(id, &name)).await?;
            let device = attempt.succeeded();
            Ok(LoggedIn { session, device })
        }
        _ => {
            let source = attempt.source();
            attempt.failed();
            tracing::info!(addr, ?source, "login failed");
            Err(Failure::new(
                StatusCode::UNAUTHORIZED,
                "tên đăng nhập hoặc mật khẩu không đúng",
            ))
        }
    }
}

/// A unit the actor may act on, or 403/404.
async fn unit_for(
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

/// Does the actor administer anything at all?
pub fn require_some_admin(actor: &Actor) -> Result<(), Failure> {
    if actor.has_role(Role::Admin) {
        Ok(())
    } else {
        Err(Failure::forbidden())
    }
}

/// A user the actor may administer, or 404 (their existence is not revealed).
async fn manageable_user(
    state: &AppState,
    actor: &Actor,
    user_id: i64,
) -> Result<users::User, Failure> {
    require_some_admin(actor)?;
    let user = users::get(&state.db, user_id).await?;
    if access::can_manage_user(&state.db, actor, user_id).await? {
        Ok(user)
    } else {
        Err(Failure::not_found(format!("người dùng #{user_id}")))
    }
}

pub async fn list_users(state: &AppState, actor: &Actor) -> Result<Vec<users::User>, Failure> {
    require_some_admin(actor)?;
    Ok(users::list_manageable(&state.db, actor).await?)
}

pub async fn get_user(
    state: &AppState,
    actor: &Actor,
    user_id: i64,
) -> Result<users::User, Failure> {
    manageable_user(state, actor, user_id).await
}

/// What an administrator fills in to create a user.
pub struct UserForm<'a> {
    pub username: &'a str,
    pub display_name: &'a str,
    pub password: &'a str,
    pub role: &'a str,
    pub unit_code: &'a str,
    pub unit_at: Option<&'a str>,
}

pub async fn create_user(
    state: &AppState,
    actor: &Actor,
    form: UserForm<'_>,
) -> Result<i64, Failure> {
    require_some_admin(actor)?;
    let username = Username::parse(form.username)?;
    let password = NewPassword::parse(form.password)?;
    let role: Role = form.role.parse()?;
    let at = date_or_today(form.unit_at)?;
    let unit = unit_for(state, actor, Action::ManageUsers, form.unit_code, at).await?;
    Ok(users::create(
        &state.db,
        &actor.who(),
        users::NewUser {
            username,
            display_name: form.display_name.to_string(),
            password,
            grants: vec![(role, unit.id)],
        },
    )
    .await?)
}

pub async fn set_user_disabled(
    state: &AppState,
    actor: &Actor,
    user_id: i64,
    disabled: bool,
) -> Result<(), Failure> {
    manageable_user(state, actor, user_id).await?;
    if disabled && user_id == actor.user_id {
        return Err(Failure::new(
            axum::http::StatusCode::UNPROCESSABLE_ENTITY,
            "Không thể tự khóa tài khoản của chính mình",
        ));
    }
    Ok(users::set_disabled(&state.db, &actor.who(), user_id, disabled).await?)
}

pub async fn add_grant(
    state: &AppState,
    actor: &Actor,
    user_id: i64,
    role: &str,
    unit_code: &str,
    at: Option<&str>,
) -> Result<i64, Failure> {
    manageable_user(state, actor, user_id).await?;
    let role: Role = role.parse()?;
    let unit = unit_for(
        state,
        actor,
        Action::ManageUsers,
        unit_code,
        date_or_today(at)?,
    )
    .await?;
    Ok(users::add_grant(&state.db, &actor.who(), user_id, role, unit.id).await?)
}

pub async fn remove_grant(state: &AppState, actor: &Actor, grant_id: i64) -> Result<i64, Failure> {
    require_some_admin(actor)?;
    let (user_id, grant) = users::grant(&state.db, grant_id).await?;
    // A grant outside the actor's users or units is "not found", as a missing one.
    let what = || format!("quyền #{grant_id}");
    if !access::can_manage_user(&state.db, actor, user_id).await? {
        return Err(Failure::not_found(what()));
    }
    access::require_visible(&state.db, actor, Action::ManageUsers, grant.unit_id, what).await?;
    users::remove_grant(&state.db, &actor.who(), grant_id).await?;
    Ok(user_id)
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

/// The audit log's filters as a request gives them (API query or page form).
#[derive(Debug, Clone, Default, serde::Deserialize)]
pub struct AuditQuery {
    pub actor: Option<String>,
    pub action: Option<String>,
    pub entity: Option<String>,
    pub entity_id: Option<String>,
    pub from: Option<String>,
    pub to: Option<String>,
    pub before_id: Option<i64>,
    pub limit: Option<i64>,
}

impl AuditQuery {
    /// Trimmed, with dates parsed (either form) and stored as ISO.
    pub fn filter(&self) -> Result<AuditFilter, Failure> {
        let some = |s: &Option<String>| {
            s.as_ref()
                .map(|v| v.trim().to_string())
                .filter(|v| !v.is_empty())
        };
        let date = |s: &Option<String>| -> Result<Option<String>, Failure> {
            Ok(match some(s) {
                Some(d) => Some(dates::iso(dates::parse_date(&d)?)),
                None => None,
            })
        };
        Ok(AuditFilter {
            actor: some(&self.actor),
            action: some(&self.action),
            entity: some(&self.entity),
            entity_id: some(&self.entity_id),
            from: date(&self.from)?,
            to: date(&self.to)?,
            before_id: self.before_id,
            limit: self.limit.unwrap_or(100),
        })
    }
}

pub async fn audit_log(
    state: &AppState,
    actor: &Actor,
    filter: &AuditFilter,
) -> Result<Vec<AuditEntry>, Failure> {
    require_some_admin(actor)?;
    let scope = actor.scope_sql(Action::ReadAudit, "a.unit_id");
    Ok(audit::list(&state.db, &scope, filter).await?)
}
