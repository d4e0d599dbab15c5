//! Organisations attached to a unit: its police and Front committee (created
//! with the official units), and the agencies, enterprises and schools it
//! registers.

use antq_core::dates;
use antq_core::text;
use antq_core::units::{Name, OrgKind};
use serde::Serialize;
use serde_json::json;
use sqlx::Row;

use crate::audit::{self, Change, Who};
use crate::db::Db;
use crate::error::{StorageError, StorageResult};
use crate::units::Unit;

#[derive(Debug, Clone, Serialize)]
pub struct Organisation {
    pub id: i64,
    pub kind: String,
    pub name: String,
}

pub async fn list(db: &Db, unit_id: i64) -> StorageResult<Vec<Organisation>> {
    let rows = sqlx::query(
        "SELECT id, kind, name FROM organisations WHERE unit_id = $1 \
         ORDER BY CASE kind WHEN 'police' THEN 0 WHEN 'front_committee' THEN 1 ELSE 2 END, sort_key, id",
    )
    .bind(unit_id)
    .fetch_all(db.pool())
    .await?;
    Ok(rows
        .iter()
        .map(|r| Organisation {
            id: r.get(0),
            kind: r.get(1),
            name: r.get(2),
        })
        .collect())
}

/// Register an organisation in a unit (audited).
pub async fn create(
    db: &Db,
    who: &Who,
    unit: &Unit,
    kind: OrgKind,
    name: &Name,
) -> StorageResult<Organisation> {
    let mut tx = db.begin_write().await?;
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO organisations (unit_id, kind, name, search_key, sort_key, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
    )
    .bind(unit.id)
    .bind(kind.as_str())
    .bind(name.as_str())
    .bind(text::fold(name.as_str()))
    .bind(text::sort_key(name.as_str()))
    .bind(dates::timestamp(dates::now_utc()))
    .fetch_one(tx.conn())
    .await
    .map_err(|e| {
        StorageError::unique_as_conflict(
            e,
            format!("\"{}\" đã có trong {}", name.as_str(), unit.name),
        )
    })?;
    audit::append(
        &mut tx,
        Change {
            who,
            action: "organisation.create",
            entity: "organisation",
            entity_id: id.to_string(),
            unit_id: Some(unit.id),
            before: None,
            after: Some(json!({"unit": unit.code, "kind": kind.as_str(), "name": name.as_str()})),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(Organisation {
        id,
        kind: kind.as_str().to_string(),
        name: name.as_str().to_string(),
    })
}
