//! Residential areas a commune registers below itself (thôn, tổ dân phố, ...).

use antq_core::dates;
use antq_core::text;
use antq_core::units::{AreaKind, Level, Name};
use serde::Serialize;
use serde_json::json;
use sqlx::Row;

use crate::audit::{self, Change, Who};
use crate::db::Db;
use crate::error::{StorageError, StorageResult};
use crate::units::Unit;

#[derive(Debug, Clone, Serialize)]
pub struct Area {
    pub id: i64,
    pub name: String,
    pub kind: String,
    pub created_at: String,
}

/// A commune's areas in Vietnamese collation order.
pub async fn list(db: &Db, unit_id: i64) -> StorageResult<Vec<Area>> {
    let rows = sqlx::query(
        "SELECT id, name, kind, created_at FROM areas WHERE unit_id = $1 ORDER BY sort_key, id",
    )
    .bind(unit_id)
    .fetch_all(db.pool())
    .await?;
    Ok(rows
        .iter()
        .map(|r| Area {
            id: r.get(0),
            name: r.get(1),
            kind: r.get(2),
            created_at: r.get(3),
        })
        .collect())
}

/// Register an area in a commune (audited). The same kind and name twice is a conflict.
pub async fn create(
    db: &Db,
    who: &Who,
    unit: &Unit,
    kind: AreaKind,
    name: &Name,
) -> StorageResult<Area> {
    if unit.level != Level::Commune {
        return Err(antq_core::DomainError::invalid(
            "chỉ đơn vị cấp xã mới đăng ký thôn, tổ dân phố, khu dân cư",
        )
        .into());
    }
    let now = dates::timestamp(dates::now_utc());
    let mut tx = db.begin_write().await?;
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO areas (unit_id, kind, name, search_key, sort_key, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
    )
    .bind(unit.id)
    .bind(kind.as_str())
    .bind(name.as_str())
    .bind(text::fold(name.as_str()))
    .bind(text::sort_key(name.as_str()))
    .bind(&now)
    .fetch_one(tx.conn())
    .await
    .map_err(|e| {
        StorageError::unique_as_conflict(
            e,
            format!(
                "{} \"{}\" đã có trong {}",
                kind.as_str(),
                name.as_str(),
                unit.name
            ),
        )
    })?;
    audit::append(
        &mut tx,
        Change {
            who,
            action: "area.create",
            entity: "area",
            entity_id: id.to_string(),
            unit_id: Some(unit.id),
            before: None,
            after: Some(json!({"unit": unit.code, "kind": kind.as_str(), "name": name.as_str()})),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(Area {
        id,
        name: name.as_str().to_string(),
        kind: kind.as_str().to_string(),
        created_at: now,
    })
}
