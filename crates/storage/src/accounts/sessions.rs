//! Login sessions (cookie) and API tokens (bearer). Only SHA-256 digests of
//! session ids and tokens are stored.

use antq_core::auth::{self, secret_digest};
use antq_core::dates;
use chrono::{DateTime, Duration, Utc};
use serde::Serialize;
use serde_json::json;
use sqlx::Row;

use crate::audit::{self, Change, Who};
use crate::db::Db;
use crate::error::{StorageError, StorageResult};

/// A new session: the id goes into the cookie, the CSRF token into forms.
#[derive(Debug, Clone)]
pub struct NewSession {
    pub id: String,
    pub csrf_token: String,
}

/// A live session, with the name of its user (read with it: one statement).
/// Only [`load`] makes one (after the checks it stands for).
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct Session {
    pub user_id: i64,
    pub csrf_token: String,
    pub username: String,
    pub display_name: String,
}

/// Start a session for a user who just proved their password (audited).
/// Every login gets a fresh id, so an id planted before login is useless.
pub async fn create(db: &Db, who: &Who) -> StorageResult<NewSession> {
    let user_id = who.id.ok_or(StorageError::Forbidden)?;
    let id = auth::random_secret();
    let csrf_token = auth::random_secret();
    let now = dates::timestamp(dates::now_utc());
    let mut tx = db.begin_write().await?;
    sqlx::query(
        "INSERT INTO sessions (id_hash, user_id, csrf_token, created_at, last_seen_at) VALUES ($1, $2, $3, $4, $4)",
    )
    .bind(secret_digest(&id))
    .bind(user_id)
    .bind(&csrf_token)
    .bind(&now)
    .execute(tx.conn())
    .await?;
    audit::append(
        &mut tx,
        Change {
            who,
            action: "session.login",
            entity: "user",
            entity_id: user_id.to_string(),
            unit_id: None,
            before: None,
            after: None,
        },
    )
    .await?;
    tx.commit().await?;
    Ok(NewSession { id, csrf_token })
}

fn parse_ts(s: &str) -> Option<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(s)
        .ok()
        .map(|t| t.with_timezone(&Utc))
}

/// The session behind a cookie value, if it is live and its user is not
/// disabled. A session ends after `idle` without requests, and after
/// `absolute` in any case.
pub async fn load(
    db: &Db,
    id: &str,
    idle: Duration,
    absolute: Duration,
) -> StorageResult<Option<Session>> {
    let digest = secret_digest(id);
    let row = sqlx::query(
        "SELECT s.user_id, s.csrf_token, s.created_at, s.last_seen_at, u.username, u.display_name \
         FROM sessions s JOIN users u ON u.id = s.user_id AND u.disabled = 0 WHERE s.id_hash = $1",
    )
    .bind(&digest)
    .fetch_optional(db.pool())
    .await?;
    let Some(row) = row else { return Ok(None) };
    let now = dates::now_utc();
    let created = parse_ts(&row.get::<String, _>(2));
    let seen = parse_ts(&row.get::<String, _>(3));
    let (Some(created), Some(seen)) = (created, seen) else {
        return Ok(None);
    };
    if now - seen > idle || now - created > absolute {
        let mut tx = db.begin_unaudited().await?;
        sqlx::query("DELETE FROM sessions WHERE id_hash = $1")
            .bind(&digest)
            .execute(tx.conn())
            .await?;
        tx.commit().await?;
        return Ok(None);
    }
    // Record activity at most once a minute, not on every request.
    if now - seen > Duration::seconds(60) {
        let mut tx = db.begin_unaudited().await?;
        sqlx::query("UPDATE sessions SET last_seen_at = $1 WHERE id_hash = $2")
            .bind(dates::timestamp(now))
            .bind(&digest)
            .execute(tx.conn())
            .await?;
        tx.commit().await?;
    }
    Ok(Some(Session {
        user_id: row.get(0),
        csrf_token: row.get(1),
        username: row.get(4),
        display_name: row.get(5),
    }))
}

/// End a session (audited).
pub async fn delete(db: &Db, who: &Who, id: &str) -> StorageResult<()> {
    let mut tx = db.begin_write().await?;
    let n = sqlx::query("DELETE FROM sessions WHERE id_hash = $1")
        .bind(secret_digest(id))
        .execute(tx.conn())
        .await?
        .rows_affected();
    if n > 0 {
        audit::append(
            &mut tx,
            Change {
                who,
                action: "session.logout",
                entity: "user",
                entity_id: who.id.map(|i| i.to_string()).unwrap_or_default(),
                unit_id: None,
                before: None,
                after: None,
            },
        )
        .await?;
    }
    tx.commit().await?;
    Ok(())
}

/// An API token as listed to its owner (never the token itself).
#[derive(Debug, Clone, Serialize)]
pub struct Token {
    pub id: i64,
    pub name: String,
    pub created_at: String,
    pub last_used_at: Option<String>,
    pub revoked_at: Option<String>,
}

/// Create an API token for a user (audited). The token is returned once.
pub async fn create_token(
    db: &Db,
    who: &Who,
    user_id: i64,
    name: &str,
) -> StorageResult<(i64, String)> {
    let token = auth::new_api_token();
    let name = antq_core::text::clean(name);
    antq_core::text::check_len(
        "Tên mã truy cập",
        &name,
        antq_core::text::limits::TOKEN_NAME,
    )?;
    let name = if name.is_empty() {
        "API".to_string()
    } else {
        name
    };
    let mut tx = db.begin_write().await?;
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO api_tokens (user_id, name, token_hash, created_at) VALUES ($1, $2, $3, $4) RETURNING id",
    )
    .bind(user_id)
    .bind(&name)
    .bind(secret_digest(&token))
    .bind(dates::timestamp(dates::now_utc()))
    .fetch_one(tx.conn())
    .await?;
    audit::append(
        &mut tx,
        Change {
            who,
            action: "token.create",
            entity: "api_token",
            entity_id: id.to_string(),
            unit_id: None,
            before: None,
            after: Some(json!({"user_id": user_id, "name": name})),
        },
    )
    .await?;
    tx.commit().await?;
    Ok((id, token))
}

pub async fn list_tokens(db: &Db, user_id: i64) -> StorageResult<Vec<Token>> {
    let rows = sqlx::query(
        "SELECT id, name, created_at, last_used_at, revoked_at FROM api_tokens WHERE user_id = $1 ORDER BY id DESC",
    )
    .bind(user_id)
    .fetch_all(db.pool())
    .await?;
    Ok(rows
        .iter()
        .map(|r| Token {
            id: r.get(0),
            name: r.get(1),
            created_at: r.get(2),
            last_used_at: r.get(3),
            revoked_at: r.get(4),
        })
        .collect())
}

/// Revoke one of the owner's tokens (audited). Another user's token is "not found".
pub async fn revoke_token(db: &Db, who: &Who, owner_id: i64, token_id: i64) -> StorageResult<()> {
    let mut tx = db.begin_write().await?;
    let n = sqlx::query(
        "UPDATE api_tokens SET revoked_at = $1 WHERE id = $2 AND user_id = $3 AND revoked_at IS NULL",
    )
    .bind(dates::timestamp(dates::now_utc()))
    .bind(token_id)
    .bind(owner_id)
    .execute(tx.conn())
    .await?
    .rows_affected();
    if n == 0 {
        return Err(StorageError::not_found(format!("mã truy cập #{token_id}")));
    }
    audit::append(
        &mut tx,
        Change {
            who,
            action: "token.revoke",
            entity: "api_token",
            entity_id: token_id.to_string(),
            unit_id: None,
            before: None,
            after: Some(json!({"revoked": true})),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// The user behind a bearer token, if it is live.
pub async fn user_for_token(db: &Db, token: &str) -> StorageResult<Option<i64>> {
    let digest = secret_digest(token.trim());
    let row = sqlx::query("SELECT id, user_id, last_used_at FROM api_tokens WHERE token_hash = $1 AND revoked_at IS NULL")
        .bind(&digest)
        .fetch_optional(db.pool())
        .await?;
    let Some(row) = row else { return Ok(None) };
    let now = dates::now_utc();
    let last: Option<String> = row.get(2);
    if last
        .as_deref()
        .and_then(parse_ts)
        .is_none_or(|t| now - t > Duration::seconds(60))
    {
        let mut tx = db.begin_unaudited().await?;
        sqlx::query("UPDATE api_tokens SET last_used_at = $1 WHERE id = $2")
            .bind(dates::timestamp(now))
            .bind(row.get::<i64, _>(0))
            .execute(tx.conn())
            .await?;
        tx.commit().await?;
    }
    Ok(Some(row.get(1)))
}
