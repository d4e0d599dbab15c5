//! The account operations behind both the pages and the API: login, users
//! and their grants. Each checks access through the one policy
//! (`antq_storage::accounts::access`) and calls storage.

use antq_core::auth::{self as core_auth, Action, NewPassword, Role, Username};
use antq_storage::accounts::access::{self, Actor};
use antq_storage::accounts::login_failures;
use antq_storage::accounts::sessions::{self, NewSession};
use antq_storage::accounts::users;
use antq_storage::audit::{self};
use axum::http::StatusCode;

use crate::error::Failure;
use crate::state::AppState;
use crate::units::service::{date_or_today, unit_for};

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
            state
                .metrics
                .count(crate::ops::metrics::Event::ThrottledLogin);
            return Err(Failure::new(StatusCode::TOO_MANY_REQUESTS, wait.message()));
        }
    };
    // Guesses at this account, and strangers' guesses from this address,
    // through every node of the database: a stranger past a shared limit
    // waits like one past this node's.
    let shared = SharedFailures::new(state, username, addr);
    if attempt.source() == crate::throttle::Source::Unknown && shared.exceeded().await? {
        tracing::warn!(
            addr,
            "login throttled: failures of the account or address on all nodes"
        );
        state
            .metrics
            .count(crate::ops::metrics::Event::ThrottledLogin);
        return Err(Failure::new(
            StatusCode::TOO_MANY_REQUESTS,
            crate::throttle::Wait(state.throttle.limits().window).message(),
        ));
    }
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
            if let Some(actor) = users::actor(&state.db, id).await? {
                crate::tips::service::unlock_at_login(state, &actor, &session.id, password).await;
            }
            Ok(LoggedIn { session, device })
        }
        _ => {
            let source = attempt.source();
            attempt.failed();
            shared
                .record(source == crate::throttle::Source::Unknown)
                .await?;
            tracing::info!(addr, ?source, "login failed");
            Err(Failure::new(
                StatusCode::UNAUTHORIZED,
                "tên đăng nhập hoặc mật khẩu không đúng",
            ))
        }
    }
}

/// Failed logins as every node sees them (the database's
/// `login_failures`): of the account, under the throttle's
/// `per_account_global` limit, and strangers' from the address, under its
/// `per_address` limit.
struct SharedFailures<'a> {
    state: &'a AppState,
    /// Keyed hashes of the username as typed (trimmed, lower case, at most
    /// 64 characters) and of the address: the same on every node that
    /// shares the tips secret.
    account: String,
    address: String,
}

impl<'a> SharedFailures<'a> {
    fn new(state: &'a AppState, username: &str, addr: &str) -> Self {
        let name: String = username.trim().to_lowercase().chars().take(64).collect();
        // An IPv6 client is counted by its /64 (one subscriber's block:
        // the addresses inside it are free to rotate).
        let addr: String = match addr.parse::<std::net::IpAddr>() {
            Ok(std::net::IpAddr::V6(v6)) => {
                let s = v6.segments();
                format!("{:x}:{:x}:{:x}:{:x}::/64", s[0], s[1], s[2], s[3])
            }
            _ => addr.chars().take(64).collect(),
        };
        SharedFailures {
            state,
            account: Self::keyed(state, b"antq login failures\0", &name),
            address: Self::keyed(state, b"antq login failures by address\0", &addr),
        }
    }

    fn keyed(state: &AppState, tag: &[u8], what: &str) -> String {
        use sha2::{Digest, Sha256};
        let mut h = Sha256::new();
        h.update(tag);
        h.update(state.config.tips.secret);
        h.update(what.as_bytes());
        hex::encode(&h.finalize()[..16])
    }

    fn since(&self) -> String {
        let window = self.state.throttle.limits().window;
        let since = antq_core::dates::now_utc()
            - chrono::Duration::from_std(window).unwrap_or(chrono::Duration::minutes(15));
        antq_core::dates::timestamp(since)
    }

    async fn exceeded(&self) -> Result<bool, Failure> {
        let (account, address) = login_failures::counts_since(
            &self.state.db,
            &self.account,
            Some(&self.address),
            &self.since(),
        )
        .await?;
        let limits = self.state.throttle.limits();
        Ok(account >= i64::from(limits.per_account_global)
            || address >= i64::from(limits.per_address))
    }

    /// Record a failure; a stranger's (`from_stranger`) counts against the
    /// address too.
    async fn record(&self, from_stranger: bool) -> Result<(), Failure> {
        let address = from_stranger.then_some(self.address.as_str());
        login_failures::record(&self.state.db, &self.account, address, &self.since()).await?;
        Ok(())
    }
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

/// The unit code of a form's unit field (a name or a code typed, or the
/// code the picker kept), at the date given or today.
pub async fn resolve_form_unit(
    state: &AppState,
    text: &str,
    picked: &str,
    at: Option<&str>,
) -> Result<String, Failure> {
    let at = date_or_today(at)?;
    Ok(
        crate::units::service::resolve_unit(state, text, Some(picked), at)
            .await?
            .code,
    )
}
