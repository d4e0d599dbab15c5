//! Listing models: the units one may read, a unit's subtree as it was and
//! the older units whose data map into it today (so today's Điện Biên
//! lists the models of its old communes), and the figure filter shared with
//! analytics (new and replicated by the reporting year they started, in
//! operation at the end of a year, their distinct types).

use antq_core::auth::Action;
use antq_core::dates::{self, Date};
use antq_core::registries::models::{Count, ModelState};
use antq_core::registries::{year_end, year_start};
use antq_core::text;
use serde::Serialize;
use sqlx::Row;

use super::{Model, UnitRef};
use crate::accounts::access::Actor;
use crate::db::Db;
use crate::error::{StorageError, StorageResult};

/// Which models of a unit: its subtree as it was, plus the units whose
/// data map into that subtree today (`unit_data_map`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ModelScope {
    pub unit_id: i64,
}

/// Which models to list. Every filter is optional.
#[derive(Debug, Clone, Default)]
pub struct Filter {
    pub unit: Option<ModelScope>,
    /// The figure: what it counts, over the years `from..=to`.
    pub count: Option<(Count, i32, i32)>,
    /// Only the models in operation on this day.
    pub active_on: Option<Date>,
    pub type_id: Option<i64>,
    pub state: Option<ModelState>,
    /// Words of the name (accent-insensitive).
    pub q: Option<String>,
    pub limit: usize,
    pub offset: usize,
}

/// A type with how many models of it a figure lists.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct TypeCount {
    pub type_id: i64,
    pub name: String,
    pub count: i64,
}

/// The SQL condition on `mo` (models) for a unit's scope: ids are integers.
pub fn scope_sql(s: ModelScope) -> String {
    let id = s.unit_id;
    format!(
        "(mo.unit_id IN (SELECT descendant_id FROM unit_tree WHERE ancestor_id = {id}) \
         OR mo.unit_id IN (SELECT m.unit_id FROM unit_data_map m \
             WHERE m.current_id IN (SELECT descendant_id FROM unit_tree WHERE ancestor_id = {id})))"
    )
}

/// The SQL condition of a figure (the counting rule of the figures).
pub fn count_sql(count: Count, from: i32, to: i32) -> StorageResult<String> {
    let bad = || StorageError::Invalid(antq_core::DomainError::invalid("Năm không hợp lệ"));
    let end = dates::iso(year_end(to).ok_or_else(bad)?);
    Ok(match count {
        Count::Moi | Count::NhanRong => {
            let start = dates::iso(year_start(from).ok_or_else(bad)?);
            let link = if count == Count::Moi {
                "mo.replicates_id IS NULL"
            } else {
                "mo.replicates_id IS NOT NULL"
            };
            format!("{link} AND mo.started_on >= '{start}' AND mo.started_on <= '{end}'")
        }
        Count::HienCo | Count::Loai => active_sql(&end),
    })
}

/// In operation on an ISO day (a validated date, safe in the SQL).
fn active_sql(day: &str) -> String {
    format!("mo.started_on <= '{day}' AND (mo.dissolved_on IS NULL OR mo.dissolved_on > '{day}')")
}

/// The conditions of a filter and the search pattern to bind as `$1`.
fn conditions(actor: Option<&Actor>, f: &Filter) -> StorageResult<(String, String)> {
    let mut conds = vec![match actor {
        Some(a) => a.scope_sql(Action::Read, "mo.unit_id"),
        None => "1 = 1".to_string(),
    }];
    if let Some(s) = f.unit {
        conds.push(scope_sql(s));
    }
    if let Some((c, from, to)) = f.count {
        conds.push(count_sql(c, from, to)?);
    }
    if let Some(d) = f.active_on {
        conds.push(active_sql(&dates::iso(d)));
    }
    if let Some(t) = f.type_id {
        conds.push(format!("mo.type_id = {t}"));
    }
    if let Some(s) = f.state {
        conds.push(format!("mo.state = '{}'", s.code()));
    }
    let pattern = match f.q.as_deref().map(text::fold).filter(|q| !q.is_empty()) {
        Some(q) => {
            conds.push("mo.search_key LIKE $1 ESCAPE '\\'".into());
            format!("%{}%", crate::audit::escape_like(&q))
        }
        None => {
            conds.push("$1 = $1".into());
            String::new()
        }
    };
    Ok((conds.join(" AND "), pattern))
}

/// The models the actor may read that match, in Vietnamese order of their
/// names, one page of them, and how many match in all.
pub async fn list(db: &Db, actor: Option<&Actor>, f: &Filter) -> StorageResult<(Vec<Model>, i64)> {
    let (cond, pattern) = conditions(actor, f)?;
    let total: i64 = sqlx::query_scalar(&format!("SELECT COUNT(*) FROM models mo WHERE {cond}"))
        .bind(&pattern)
        .fetch_one(db.pool())
        .await?;
    let items = load(db, &cond, &pattern, f.limit, f.offset).await?;
    Ok((items, total))
}

/// The distinct types of the models that match, each with its count, in
/// Vietnamese order (the `loai` figure: a distinct count, never summed).
pub async fn type_counts(
    db: &Db,
    actor: Option<&Actor>,
    f: &Filter,
) -> StorageResult<Vec<TypeCount>> {
    let (cond, pattern) = conditions(actor, f)?;
    let rows: Vec<(i64, String, i64)> = sqlx::query_as(&format!(
        "SELECT t.id, t.name, COUNT(*) FROM models mo JOIN model_types t ON t.id = mo.type_id \
         WHERE {cond} GROUP BY t.id, t.name, t.sort_key ORDER BY t.sort_key, t.id"
    ))
    .bind(&pattern)
    .fetch_all(db.pool())
    .await?;
    Ok(rows
        .into_iter()
        .map(|(type_id, name, count)| TypeCount {
            type_id,
            name,
            count,
        })
        .collect())
}

/// Models matching an SQL condition on `mo` (with `$1` bound to `pattern`
/// when the condition uses it).
pub(super) async fn load(
    db: &Db,
    cond: &str,
    pattern: &str,
    limit: usize,
    offset: usize,
) -> StorageResult<Vec<Model>> {
    let uses = cond.contains("$1");
    let sql = format!(
        "SELECT mo.id, mo.name, mo.type_id, t.name, u.id, u.code, u.name, mo.area_id, a.name, \
         mo.started_on, mo.dissolved_on, mo.replicates_id, r.name, mo.state, mo.rating, mo.rated_year, mo.notes \
         FROM models mo JOIN model_types t ON t.id = mo.type_id JOIN units u ON u.id = mo.unit_id \
         LEFT JOIN areas a ON a.id = mo.area_id LEFT JOIN models r ON r.id = mo.replicates_id \
         WHERE {cond} ORDER BY mo.sort_key, mo.id LIMIT {limit} OFFSET {offset}"
    );
    let mut q = sqlx::query(&sql);
    if uses {
        q = q.bind(pattern);
    }
    let rows = q.fetch_all(db.pool()).await?;
    rows.iter()
        .map(|r| {
            Ok(Model {
                id: r.get(0),
                name: r.get(1),
                type_id: r.get(2),
                type_name: r.get(3),
                unit: UnitRef {
                    id: r.get(4),
                    code: r.get(5),
                    name: r.get(6),
                },
                area_id: r.get(7),
                area_name: r.get(8),
                started_on: r.get(9),
                dissolved_on: r.get(10),
                replicates_id: r.get(11),
                replicates_name: r.get(12),
                state: ModelState::parse(&r.get::<String, _>(13))?,
                rating: r.get(14),
                rated_year: r.get(15),
                notes: r.get(16),
            })
        })
        .collect()
}
