//! Users and their grants.

use antq_core::auth::{self, NewPassword, Role, Username};
use antq_core::dates;
use antq_core::text;
use antq_core::units::Level;
use serde::Serialize;
use serde_json::json;
use sqlx::Row;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, OnceLock};
use tokio::sync::Semaphore;

use crate::accounts::access::{Actor, Grant};
use crate::audit::{self, Change, Who};
use crate::db::Db;
use crate::error::{StorageError, StorageResult};

/// A user as listed to administrators (never with the password hash).
#[derive(Debug, Clone, Serialize)]
pub struct User {
    pub id: i64,
    pub username: String,
    pub display_name: String,
    pub disabled: bool,
    pub created_at: String,
    pub grants: Vec<Grant>,
}

/// What it takes to create a user.
#[derive(Debug)]
pub struct NewUser {
    pub username: Username,
    pub display_name: String,
    pub password: NewPassword,
    pub grants: Vec<(Role, i64)>,
}

/// Argon2 work allowed at once: each hash or verification holds 19 MiB and
/// a core for a few tens of milliseconds, so a burst of logins (or of new
/// passwords) waits its turn instead of taking the server's memory.
pub struct Argon2Slots {
    slots: Arc<Semaphore>,
    limit: usize,
    in_flight: Arc<AtomicUsize>,
    peak: Arc<AtomicUsize>,
}

impl Argon2Slots {
    pub fn new(limit: usize) -> Self {
        let limit = limit.max(1);
        Argon2Slots {
            slots: Arc::new(Semaphore::new(limit)),
            limit,
            in_flight: Arc::new(AtomicUsize::new(0)),
            peak: Arc::new(AtomicUsize::new(0)),
        }
    }

    /// The process-wide slots: twice the number of cores.
    pub fn global() -> &'static Argon2Slots {
        static GLOBAL: OnceLock<Argon2Slots> = OnceLock::new();
        GLOBAL.get_or_init(|| {
            let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
            Argon2Slots::new(cores * 2)
        })
    }

    pub fn limit(&self) -> usize {
        self.limit
    }

    /// The most Argon2 computations seen running at once.
    pub fn peak(&self) -> usize {
        self.peak.load(Ordering::Relaxed)
    }

    /// Run `work` on the blocking pool once a slot is free, waiting at most
    /// [`ARGON2_WAIT`] for one (else [`StorageError::Busy`]).
    pub async fn run<T: Send + 'static>(
        &self,
        work: impl FnOnce() -> T + Send + 'static,
    ) -> StorageResult<T> {
        self.run_within(ARGON2_WAIT, work).await
    }

    /// [`Argon2Slots::run`] with its own bound on the wait. The slot moves
    /// into the blocking work: a caller that goes away (a client that
    /// aborts its login) does not free it while the hash still runs.
    pub async fn run_within<T: Send + 'static>(
        &self,
        wait: std::time::Duration,
        work: impl FnOnce() -> T + Send + 'static,
    ) -> StorageResult<T> {
        let permit = tokio::time::timeout(wait, self.slots.clone().acquire_owned())
            .await
            .map_err(|_| StorageError::Busy)?
            .expect("the semaphore is never closed");
        let in_flight = self.in_flight.clone();
        let peak = self.peak.clone();
        let out = tokio::task::spawn_blocking(move || {
            let now = in_flight.fetch_add(1, Ordering::SeqCst) + 1;
            peak.fetch_max(now, Ordering::SeqCst);
            let out = work();
            in_flight.fetch_sub(1, Ordering::SeqCst);
            drop(permit);
            out
        })
        .await;
        Ok(out.expect("Argon2 does not panic"))
    }
}

/// How long a login or a new password waits for an Argon2 slot before the
/// server answers that it is busy (503).
pub const ARGON2_WAIT: std::time::Duration = std::time::Duration::from_secs(5);

async fn hash(password: NewPassword) -> StorageResult<String> {
    Argon2Slots::global()
        .run(move || auth::hash_password(&password))
        .await
}

/// Check a password against a stored hash (or the dummy hash for an unknown
/// user), off the async runtime and within the Argon2 slots. No slot within
/// [`ARGON2_WAIT`]: [`StorageError::Busy`].
pub async fn verify_password(password: String, phc: String) -> StorageResult<bool> {
    Argon2Slots::global()
        .run(move || auth::verify_password(&password, &phc))
        .await
}

pub async fn grants_of(db: &Db, user_id: i64) -> StorageResult<Vec<Grant>> {
    let rows = sqlx::query(
        "SELECT g.id, g.role, g.unit_id, u.code, u.name, u.level, u.valid_from, u.valid_to \
         FROM grants g JOIN units u ON u.id = g.unit_id WHERE g.user_id = $1 \
         ORDER BY g.role, u.sort_key, u.code",
    )
    .bind(user_id)
    .fetch_all(db.pool())
    .await?;
    Ok(rows
        .iter()
        .map(|r| {
            let role: String = r.get(1);
            let level: String = r.get(5);
            Grant {
                id: r.get(0),
                role: role.parse().unwrap_or(Role::Viewer),
                unit_id: r.get(2),
                unit_code: r.get(3),
                unit_name: r.get(4),
                unit_level: level.parse().unwrap_or(Level::Commune),
                unit_valid_from: r.get(6),
                unit_valid_to: r.get(7),
            }
        })
        .collect())
}

/// Create a user with grants (audited). The password is hashed with Argon2id.
pub async fn create(db: &Db, who: &Who, new: NewUser) -> StorageResult<i64> {
    let display_name = text::clean(&new.display_name);
    text::check_len("Họ tên", &display_name, text::limits::NAME)?;
    let display_name = if display_name.is_empty() {
        new.username.as_str().to_string()
    } else {
        display_name
    };
    let mut grants_after = Vec::new();
    for (role, unit_id) in &new.grants {
        let unit = crate::units::by_id(db, *unit_id).await?;
        grants_after
            .push(json!({"role": role.as_str(), "unit": unit.code, "unit_name": unit.name}));
    }
    let password_hash = hash(new.password).await?;
    let now = dates::timestamp(dates::now_utc());
    let mut tx = db.begin_write().await?;
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO users (username, display_name, password_hash, disabled, created_at, password_changed_at) \
         VALUES ($1, $2, $3, 0, $4, $4) RETURNING id",
    )
    .bind(new.username.as_str())
    .bind(&display_name)
    .bind(&password_hash)
    .bind(&now)
    .fetch_one(tx.conn())
    .await
    .map_err(|e| StorageError::unique_as_conflict(e, format!("tên đăng nhập \"{}\" đã có", new.username)))?;
    let mut first_unit = None;
    for (role, unit_id) in &new.grants {
        sqlx::query(
            "INSERT INTO grants (user_id, role, unit_id, created_at) VALUES ($1, $2, $3, $4)",
        )
        .bind(id)
        .bind(role.as_str())
        .bind(unit_id)
        .bind(&now)
        .execute(tx.conn())
        .await
        .map_err(|e| StorageError::unique_as_conflict(e, "quyền này đã được cấp"))?;
        first_unit.get_or_insert(*unit_id);
    }
    audit::append(
        &mut tx,
        Change {
            who,
            action: "user.create",
            entity: "user",
            entity_id: id.to_string(),
            unit_id: first_unit,
            before: None,
            after: Some(json!({
                "username": new.username.as_str(),
                "display_name": display_name,
                "grants": grants_after,
            })),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(id)
}

/// The user's id and password hash, for logging in; `None` if unknown or disabled.
pub async fn login_secret(db: &Db, username: &str) -> StorageResult<Option<(i64, String)>> {
    let row =
        sqlx::query("SELECT id, password_hash FROM users WHERE username = $1 AND disabled = 0")
            .bind(username.trim().to_ascii_lowercase())
            .fetch_optional(db.pool())
            .await?;
    Ok(row.map(|r| (r.get(0), r.get(1))))
}

/// The actor for a user id, or `None` when the user is unknown or disabled.
pub async fn actor(db: &Db, user_id: i64) -> StorageResult<Option<Actor>> {
    let row =
        sqlx::query("SELECT username, display_name FROM users WHERE id = $1 AND disabled = 0")
            .bind(user_id)
            .fetch_optional(db.pool())
            .await?;
    let Some(row) = row else { return Ok(None) };
    Ok(Some(Actor {
        user_id,
        username: row.get(0),
        display_name: row.get(1),
        grants: grants_of(db, user_id).await?,
    }))
}

/// The actor of a live session (its user read with it: only the grants are read here).
pub async fn actor_of_session(db: &Db, session: &super::sessions::Session) -> StorageResult<Actor> {
    Ok(Actor {
        user_id: session.user_id,
        username: session.username.clone(),
        display_name: session.display_name.clone(),
        grants: grants_of(db, session.user_id).await?,
    })
}

pub async fn find_by_username(db: &Db, username: &str) -> StorageResult<Option<i64>> {
    Ok(
        sqlx::query_scalar("SELECT id FROM users WHERE username = $1")
            .bind(username.trim().to_ascii_lowercase())
            .fetch_optional(db.pool())
            .await?,
    )
}

pub async fn get(db: &Db, id: i64) -> StorageResult<User> {
    let row = sqlx::query(
        "SELECT id, username, display_name, disabled, created_at FROM users WHERE id = $1",
    )
    .bind(id)
    .fetch_optional(db.pool())
    .await?
    .ok_or_else(|| StorageError::not_found(format!("người dùng #{id}")))?;
    let disabled: i64 = row.get(3);
    Ok(User {
        id: row.get(0),
        username: row.get(1),
        display_name: row.get(2),
        disabled: disabled != 0,
        created_at: row.get(4),
        grants: grants_of(db, id).await?,
    })
}

/// Every user, by username (for the command line).
pub async fn list_all(db: &Db) -> StorageResult<Vec<User>> {
    users_by(db, "SELECT id FROM users ORDER BY username").await
}

async fn users_by(db: &Db, id_sql: &str) -> StorageResult<Vec<User>> {
    let ids: Vec<i64> = sqlx::query_scalar(id_sql).fetch_all(db.pool()).await?;
    let mut users = Vec::with_capacity(ids.len());
    for id in ids {
        users.push(get(db, id).await?);
    }
    Ok(users)
}

/// The users the actor may administer, by username.
pub async fn list_manageable(db: &Db, actor: &Actor) -> StorageResult<Vec<User>> {
    let sql = if actor.is_national(antq_core::auth::Action::ManageUsers) {
        "SELECT id FROM users ORDER BY username".to_string()
    } else {
        let inside = actor.scope_sql(antq_core::auth::Action::ManageUsers, "g.unit_id");
        format!(
            "SELECT u.id FROM users u \
             WHERE EXISTS (SELECT 1 FROM grants g WHERE g.user_id = u.id) \
               AND NOT EXISTS (SELECT 1 FROM grants g WHERE g.user_id = u.id AND NOT ({inside})) \
             ORDER BY u.username"
        )
    };
    users_by(db, &sql).await
}

/// End every session of the user and revoke every live API token (inside
/// the caller's transaction); the number of tokens revoked. A revoked token
/// stays revoked: re-enabling the user does not bring it back.
async fn end_sessions_and_tokens(tx: &mut crate::WriteTx, user_id: i64) -> StorageResult<u64> {
    sqlx::query("DELETE FROM sessions WHERE user_id = $1")
        .bind(user_id)
        .execute(tx.conn())
        .await?;
    Ok(sqlx::query(
        "UPDATE api_tokens SET revoked_at = $1 WHERE user_id = $2 AND revoked_at IS NULL",
    )
    .bind(dates::timestamp(dates::now_utc()))
    .bind(user_id)
    .execute(tx.conn())
    .await?
    .rows_affected())
}

/// Disable or re-enable a user (audited). Disabling ends the user's sessions
/// and revokes their API tokens; re-enabling brings neither back.
pub async fn set_disabled(db: &Db, who: &Who, id: i64, disabled: bool) -> StorageResult<()> {
    let before = get(db, id).await?;
    let mut tx = db.begin_write().await?;
    sqlx::query("UPDATE users SET disabled = $1 WHERE id = $2")
        .bind(i64::from(disabled))
        .bind(id)
        .execute(tx.conn())
        .await?;
    let revoked = if disabled {
        end_sessions_and_tokens(&mut tx, id).await?
    } else {
        0
    };
    audit::append(
        &mut tx,
        Change {
            who,
            action: if disabled {
                "user.disable"
            } else {
                "user.enable"
            },
            entity: "user",
            entity_id: id.to_string(),
            unit_id: before.grants.first().map(|g| g.unit_id),
            before: Some(json!({"username": before.username, "disabled": before.disabled})),
            after: Some(if disabled {
                json!({"username": before.username, "disabled": true, "tokens_revoked": revoked})
            } else {
                json!({"username": before.username, "disabled": false})
            }),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Give a user a role over a unit (audited).
pub async fn add_grant(
    db: &Db,
    who: &Who,
    user_id: i64,
    role: Role,
    unit_id: i64,
) -> StorageResult<i64> {
    let user = get(db, user_id).await?;
    let unit = crate::units::by_id(db, unit_id).await?;
    let mut tx = db.begin_write().await?;
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO grants (user_id, role, unit_id, created_at) VALUES ($1, $2, $3, $4) RETURNING id",
    )
    .bind(user_id)
    .bind(role.as_str())
    .bind(unit_id)
    .bind(dates::timestamp(dates::now_utc()))
    .fetch_one(tx.conn())
    .await
    .map_err(|e| StorageError::unique_as_conflict(e, "quyền này đã được cấp"))?;
    audit::append(
        &mut tx,
        Change {
            who,
            action: "grant.add",
            entity: "grant",
            entity_id: id.to_string(),
            unit_id: Some(unit_id),
            before: None,
            after: Some(json!({"user": user.username, "role": role.as_str(), "unit": unit.code, "unit_name": unit.name})),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(id)
}

/// Look up one grant (for checking who may remove it).
pub async fn grant(db: &Db, grant_id: i64) -> StorageResult<(i64, Grant)> {
    let user_id: i64 = sqlx::query_scalar("SELECT user_id FROM grants WHERE id = $1")
        .bind(grant_id)
        .fetch_optional(db.pool())
        .await?
        .ok_or_else(|| StorageError::not_found(format!("quyền #{grant_id}")))?;
    let g = grants_of(db, user_id)
        .await?
        .into_iter()
        .find(|g| g.id == grant_id)
        .ok_or_else(|| StorageError::not_found(format!("quyền #{grant_id}")))?;
    Ok((user_id, g))
}

/// Take a grant away (audited).
pub async fn remove_grant(db: &Db, who: &Who, grant_id: i64) -> StorageResult<()> {
    let (user_id, g) = grant(db, grant_id).await?;
    let user = get(db, user_id).await?;
    let mut tx = db.begin_write().await?;
    sqlx::query("DELETE FROM grants WHERE id = $1")
        .bind(grant_id)
        .execute(tx.conn())
        .await?;
    audit::append(
        &mut tx,
        Change {
            who,
            action: "grant.remove",
            entity: "grant",
            entity_id: grant_id.to_string(),
            unit_id: Some(g.unit_id),
            before: Some(json!({"user": user.username, "role": g.role.as_str(), "unit": g.unit_code, "unit_name": g.unit_name})),
            after: None,
        },
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Set a new password (audited, without the password). Ends the user's
/// sessions and revokes their API tokens: whoever held the old secrets
/// holds nothing any more.
pub async fn set_password(
    db: &Db,
    who: &Who,
    user_id: i64,
    password: NewPassword,
) -> StorageResult<()> {
    let user = get(db, user_id).await?;
    let password_hash = hash(password).await?;
    let mut tx = db.begin_write().await?;
    sqlx::query("UPDATE users SET password_hash = $1, password_changed_at = $2 WHERE id = $3")
        .bind(&password_hash)
        .bind(dates::timestamp(dates::now_utc()))
        .bind(user_id)
        .execute(tx.conn())
        .await?;
    let revoked = end_sessions_and_tokens(&mut tx, user_id).await?;
    audit::append(
        &mut tx,
        Change {
            who,
            action: "user.password",
            entity: "user",
            entity_id: user_id.to_string(),
            unit_id: user.grants.first().map(|g| g.unit_id),
            before: None,
            after: Some(json!({"username": user.username, "password": "changed", "tokens_revoked": revoked})),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(())
}
