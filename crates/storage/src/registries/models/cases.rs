//! Exemplary cases ("điển hình tiên tiến"): a collective or an individual
//! of a unit, maybe of a model, with its recognition (audited).

use antq_core::auth::Action;
use antq_core::dates::{self, Date};
use antq_core::registries::models::{check_day, check_name, limits, CaseKind};
use antq_core::text;
use serde::Serialize;
use serde_json::json;
use sqlx::Row;

use super::list::{scope_sql, ModelScope};
use super::{require_edit, UnitRef};
use crate::accounts::access::Actor;
use crate::audit::{self, Change, Who};
use crate::db::Db;
use crate::error::StorageResult;

/// An exemplary case to record.
#[derive(Debug, Clone)]
pub struct NewCase {
    pub unit_id: i64,
    pub kind: CaseKind,
    pub name: String,
    pub model_id: Option<i64>,
    pub recognised_on: Option<Date>,
    pub recognition: String,
    pub notes: String,
}

/// An exemplary case as stored.
#[derive(Debug, Clone, Serialize)]
pub struct Case {
    pub id: i64,
    pub unit: UnitRef,
    pub kind: CaseKind,
    pub name: String,
    pub model_id: Option<i64>,
    pub model_name: Option<String>,
    pub recognised_on: Option<String>,
    pub recognition: String,
    pub notes: String,
}

/// Which cases to list.
#[derive(Debug, Clone, Default)]
pub struct CaseFilter {
    pub unit: Option<ModelScope>,
    pub kind: Option<CaseKind>,
    pub limit: usize,
    pub offset: usize,
}

/// Record an exemplary case (the police or the Front of its unit; audited).
pub async fn create_case(db: &Db, actor: Option<&Actor>, c: &NewCase) -> StorageResult<i64> {
    let name = check_name("Tên tập thể hoặc họ tên", &c.name)?;
    let recognition = text::clean(&c.recognition);
    let notes = text::clean(&c.notes);
    text::check_len("Nội dung công nhận", &recognition, limits::NOTES)?;
    text::check_len("Ghi chú", &notes, limits::NOTES)?;
    if let Some(d) = c.recognised_on {
        check_day("Ngày công nhận", d, dates::today())?;
    }
    crate::units::by_id(db, c.unit_id).await?;
    if let Some(m) = c.model_id {
        super::get(db, actor, m).await?;
    }
    let who = match actor {
        Some(a) => {
            require_edit(db, a, c.unit_id).await?;
            a.who()
        }
        None => Who::system(),
    };
    let now = dates::timestamp(dates::now_utc());
    let (who, name, recognition, notes, now) = (&who, &name, &recognition, &notes, &now);
    db.write(|mut tx| async move {
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO exemplary_cases (unit_id, kind, name, search_key, sort_key, model_id, recognised_on, \
             recognition, notes, created_by, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $11) RETURNING id",
        )
        .bind(c.unit_id)
        .bind(c.kind.code())
        .bind(name)
        .bind(text::fold(name))
        .bind(text::sort_key(name))
        .bind(c.model_id)
        .bind(c.recognised_on.map(dates::iso))
        .bind(recognition)
        .bind(notes)
        .bind(&who.name)
        .bind(now)
        .fetch_one(tx.conn())
        .await?;
        audit::append(
            &mut tx,
            Change {
                who,
                action: "exemplary_case.create",
                entity: "exemplary_case",
                entity_id: id.to_string(),
                unit_id: Some(c.unit_id),
                before: None,
                after: Some(json!({
                    "kind": c.kind.code(), "name": name, "model_id": c.model_id,
                    "recognised_on": c.recognised_on.map(dates::iso), "recognition": recognition,
                })),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(id)
    })
    .await
}

/// The cases the actor may read, newest recognition first, one page, and the total.
pub async fn list_cases(
    db: &Db,
    actor: Option<&Actor>,
    f: &CaseFilter,
) -> StorageResult<(Vec<Case>, i64)> {
    let mut conds = vec![match actor {
        Some(a) => a.scope_sql(Action::Read, "mo.unit_id"),
        None => "1 = 1".to_string(),
    }];
    if let Some(s) = f.unit {
        conds.push(scope_sql(s));
    }
    if let Some(k) = f.kind {
        conds.push(format!("mo.kind = '{}'", k.code()));
    }
    // `mo` names the cases here, so the model scope's SQL applies as is.
    let cond = conds.join(" AND ");
    let total: i64 = sqlx::query_scalar(&format!(
        "SELECT COUNT(*) FROM exemplary_cases mo WHERE {cond}"
    ))
    .fetch_one(db.pool())
    .await?;
    let items = load(db, &cond, f.limit, f.offset).await?;
    Ok((items, total))
}

/// One case (no access check: the caller's).
pub async fn get_case(db: &Db, id: i64) -> StorageResult<Case> {
    load(db, &format!("mo.id = {id}"), 1, 0)
        .await?
        .pop()
        .ok_or_else(|| {
            crate::error::StorageError::not_found(format!("điển hình tiên tiến số {id}"))
        })
}

async fn load(db: &Db, cond: &str, limit: usize, offset: usize) -> StorageResult<Vec<Case>> {
    let rows = sqlx::query(&format!(
        "SELECT mo.id, u.id, u.code, u.name, mo.kind, mo.name, mo.model_id, m.name, mo.recognised_on, mo.recognition, mo.notes \
         FROM exemplary_cases mo JOIN units u ON u.id = mo.unit_id LEFT JOIN models m ON m.id = mo.model_id \
         WHERE {cond} ORDER BY COALESCE(mo.recognised_on, '') DESC, mo.sort_key, mo.id LIMIT {} OFFSET {}",
        limit, offset
    ))
    .fetch_all(db.pool())
    .await?;
    let items = rows
        .iter()
        .map(|r| {
            Ok(Case {
                id: r.get(0),
                unit: UnitRef {
                    id: r.get(1),
                    code: r.get(2),
                    name: r.get(3),
                },
                kind: CaseKind::parse(&r.get::<String, _>(4))?,
                name: r.get(5),
                model_id: r.get(6),
                model_name: r.get(7),
                recognised_on: r.get(8),
                recognition: r.get(9),
                notes: r.get(10),
            })
        })
        .collect::<StorageResult<Vec<_>>>()?;
    Ok(items)
}
