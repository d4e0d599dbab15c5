//! The audit log's operations behind both the page and the API.

use antq_core::auth::Action;
use antq_core::dates::{self};
use antq_storage::accounts::access::Actor;
use antq_storage::audit::{self, AuditEntry, AuditFilter};

use crate::error::Failure;
use crate::state::AppState;

use crate::accounts::service::require_some_admin;

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
