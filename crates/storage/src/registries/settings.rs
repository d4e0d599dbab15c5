//! The registries' rules an administrator may change (thresholds, quotas,
//! deadlines, exclusions), one JSON value per key in `registry_settings`.
//! Each rule has a default (the common value, marked unconfirmed in
//! domain.md where it is); reading a key never set gives the default, and
//! every change is audited.

use antq_core::DomainError;
use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::json;

use crate::audit::{self, Change, Who};
use crate::db::Db;
use crate::error::{StorageError, StorageResult};

/// A rule: its key, what it means (Vietnamese), and its default as JSON.
#[derive(Debug, Clone, Copy)]
pub struct Rule {
    pub key: &'static str,
    pub meaning: &'static str,
    pub default: &'static str,
}

/// The value of a rule: the stored one, else its default.
pub async fn get<T: DeserializeOwned>(db: &Db, rule: &Rule) -> StorageResult<T> {
    let stored: Option<String> =
        sqlx::query_scalar("SELECT value FROM registry_settings WHERE key = $1")
            .bind(rule.key)
            .fetch_optional(db.pool())
            .await?;
    let text = stored.as_deref().unwrap_or(rule.default);
    serde_json::from_str(text).map_err(|e| {
        StorageError::Invalid(DomainError::invalid(format!(
            "quy định {} không đọc được: {e}",
            rule.key
        )))
    })
}

/// Change a rule (audited).
pub async fn set<T: Serialize>(db: &Db, who: &Who, rule: &Rule, value: &T) -> StorageResult<()> {
    set_all(db, who, &[(rule, json_of(rule, value)?)]).await
}

/// A rule's value as stored (JSON text).
pub fn json_of<T: Serialize>(rule: &Rule, value: &T) -> StorageResult<String> {
    serde_json::to_string(value).map_err(|e| {
        StorageError::Invalid(DomainError::invalid(format!("quy định {}: {e}", rule.key)))
    })
}

/// Change several rules at once, all or none (each audited).
pub async fn set_all(db: &Db, who: &Who, values: &[(&Rule, String)]) -> StorageResult<()> {
    let now = antq_core::dates::timestamp(antq_core::dates::now_utc());
    let now = &now;
    db.write(|mut tx| async move {
        for (rule, text) in values {
            let before: Option<String> =
                sqlx::query_scalar("SELECT value FROM registry_settings WHERE key = $1")
                    .bind(rule.key)
                    .fetch_optional(tx.conn())
                    .await?;
            if before.is_some() {
                sqlx::query(
                    "UPDATE registry_settings SET value = $1, updated_by = $2, updated_at = $3 WHERE key = $4",
                )
                .bind(text)
                .bind(&who.name)
                .bind(now)
                .bind(rule.key)
                .execute(tx.conn())
                .await?;
            } else {
                sqlx::query(
                    "INSERT INTO registry_settings (key, value, note, updated_by, updated_at) VALUES ($1, $2, $3, $4, $5)",
                )
                .bind(rule.key)
                .bind(text)
                .bind(rule.meaning)
                .bind(&who.name)
                .bind(now)
                .execute(tx.conn())
                .await?;
            }
            audit::append(
                &mut tx,
                Change {
                    who,
                    action: "registry_setting.save",
                    entity: "registry_setting",
                    entity_id: rule.key.to_string(),
                    unit_id: None,
                    before: before.map(|b| json!(b)),
                    after: Some(json!(text)),
                },
            )
            .await?;
        }
        tx.commit().await?;
        Ok(())
    })
    .await
}
