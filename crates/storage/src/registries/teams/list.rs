//! Reading teams: one with its history, or the register of the units one
//! may read, through a unit's subtree as it was or gathered into today's
//! units by lineage (so today's Điện Biên includes its old communes).

use antq_core::auth::Action;
use antq_core::dates::{self, Date};
use serde::Serialize;
use sqlx::Row;

use super::eval::{evaluations_of_team, Evaluation};
use super::Member;
use crate::accounts::access::{self, Actor};
use crate::db::Db;
use crate::error::{StorageError, StorageResult};
use crate::statistics::analytics::MapMode;

/// The most teams one page of a list returns.
pub const MAX_LISTED: usize = 1_000;

/// A unit as a team names it.
#[derive(Debug, Clone, Serialize)]
pub struct UnitRef {
    #[serde(skip)]
    pub id: i64,
    pub code: String,
    pub name: String,
}

/// A team as listed: its members are the count at the asked day.
#[derive(Debug, Clone, Serialize)]
pub struct Team {
    pub id: i64,
    pub unit: UnitRef,
    pub area_id: Option<i64>,
    pub area_name: Option<String>,
    pub kind_id: i64,
    pub kind_name: String,
    pub mass_org: bool,
    pub name: String,
    pub established_on: String,
    pub dissolved_on: Option<String>,
    pub leader: String,
    pub model_id: Option<i64>,
    pub model_name: Option<String>,
    pub notes: String,
    pub members: Option<i64>,
}

/// A team with its history.
#[derive(Debug, Clone, Serialize)]
pub struct TeamDetail {
    pub team: Team,
    /// (from day, count), oldest first.
    pub member_history: Vec<(String, i64)>,
    pub named: Vec<Member>,
    pub evaluations: Vec<Evaluation>,
}

/// Which teams to list. Every filter is optional.
#[derive(Debug, Clone, Default)]
pub struct Filter {
    /// Teams of this unit's subtree (as it was, or through lineage).
    pub unit: Option<(i64, MapMode)>,
    /// Only the teams active at this day (and members counted at it).
    pub at: Option<Date>,
    pub kind_id: Option<i64>,
    /// Only kinds counted (or not) among the mass organisations.
    pub mass_org: Option<bool>,
    /// Words of the name (folded).
    pub q: Option<String>,
    pub limit: usize,
    pub offset: usize,
}

/// The members of team `t` at the day bound as `$1`.
const MEMBERS_AT: &str = "(SELECT c.members FROM team_member_counts c WHERE c.team_id = t.id \
     AND c.on_date <= $1 ORDER BY c.on_date DESC LIMIT 1)";

/// The SQL condition of a filter (ids are integers; `q` is bound as `$2`).
fn condition(actor: Option<&Actor>, f: &Filter) -> String {
    let mut conds = vec![match actor {
        Some(a) => a.scope_sql(Action::Read, "t.unit_id"),
        None => "1 = 1".to_string(),
    }];
    if let Some((id, map)) = f.unit {
        let subject = match map {
            MapMode::Historical => "t.unit_id",
            MapMode::Current => {
                "(SELECT m.current_id FROM unit_data_map m WHERE m.unit_id = t.unit_id)"
            }
        };
        conds.push(format!(
            "{subject} IN (SELECT descendant_id FROM unit_tree WHERE ancestor_id = {id})"
        ));
    }
    if f.at.is_some() {
        conds.push(
            "t.established_on <= $1 AND (t.dissolved_on IS NULL OR t.dissolved_on > $1)".into(),
        );
    }
    if let Some(k) = f.kind_id {
        conds.push(format!("t.kind_id = {k}"));
    }
    if let Some(m) = f.mass_org {
        conds.push(format!("k.mass_org = {}", i64::from(m)));
    }
    if f.q.is_some() {
        conds.push("t.search_key LIKE $2 ESCAPE '\\'".into());
    }
    conds.join(" AND ")
}

fn like(f: &Filter) -> String {
    match &f.q {
        Some(q) => format!("%{}%", crate::audit::escape_like(&antq_core::text::fold(q))),
        None => "%".into(),
    }
}

fn day(f: &Filter) -> String {
    dates::iso(f.at.unwrap_or_else(dates::today))
}

const SELECT: &str =
    "SELECT t.id, t.unit_id, u.code, u.name, t.area_id, a.name, t.kind_id, k.name, k.mass_org, \
     t.name, t.established_on, t.dissolved_on, t.leader, t.model_id, mo.name, t.notes";

fn from() -> String {
    "FROM teams t JOIN units u ON u.id = t.unit_id JOIN team_kinds k ON k.id = t.kind_id \
     LEFT JOIN areas a ON a.id = t.area_id LEFT JOIN models mo ON mo.id = t.model_id"
        .into()
}

fn team(r: &sqlx::any::AnyRow) -> Team {
    Team {
        id: r.get(0),
        unit: UnitRef {
            id: r.get(1),
            code: r.get(2),
            name: r.get(3),
        },
        area_id: r.get(4),
        area_name: r.get(5),
        kind_id: r.get(6),
        kind_name: r.get(7),
        mass_org: r.get::<i64, _>(8) != 0,
        name: r.get(9),
        established_on: r.get(10),
        dissolved_on: r.get(11),
        leader: r.get(12),
        model_id: r.get(13),
        model_name: r.get(14),
        notes: r.get(15),
        members: r.get(16),
    }
}

/// The teams the actor may read (all for `None`), a page of them, and how
/// many match in all.
pub async fn list(db: &Db, actor: Option<&Actor>, f: &Filter) -> StorageResult<(Vec<Team>, i64)> {
    let cond = condition(actor, f);
    let (day, like) = (day(f), like(f));
    let total: i64 = sqlx::query_scalar(&format!(
        "SELECT COUNT(*) {} WHERE {cond} AND $1 = $1 AND $2 = $2",
        from()
    ))
    .bind(&day)
    .bind(&like)
    .fetch_one(db.pool())
    .await?;
    let limit = f.limit.clamp(1, MAX_LISTED);
    let rows = sqlx::query(&format!(
        "{SELECT}, {MEMBERS_AT} {} WHERE {cond} AND $2 = $2 \
         ORDER BY u.code, t.search_key, t.id LIMIT {limit} OFFSET {}",
        from(),
        f.offset
    ))
    .bind(&day)
    .bind(&like)
    .fetch_all(db.pool())
    .await?;
    Ok((rows.iter().map(team).collect(), total))
}

/// Teams and members by kind over a filter (no paging).
#[derive(Debug, Clone, Serialize)]
pub struct KindTotal {
    pub kind_id: i64,
    pub kind_name: String,
    pub mass_org: bool,
    pub teams: i64,
    pub members: i64,
}

/// Totals by kind of the teams a filter gives.
pub async fn totals_by_kind(
    db: &Db,
    actor: Option<&Actor>,
    f: &Filter,
) -> StorageResult<Vec<KindTotal>> {
    let cond = condition(actor, f);
    let rows = sqlx::query(&format!(
        "SELECT t.kind_id, k.name, k.mass_org, COUNT(*), \
         CAST(COALESCE(SUM(COALESCE({MEMBERS_AT}, 0)), 0) AS BIGINT) {} \
         WHERE {cond} AND $2 = $2 GROUP BY t.kind_id, k.name, k.mass_org",
        from()
    ))
    .bind(day(f))
    .bind(like(f))
    .fetch_all(db.pool())
    .await?;
    let mut out: Vec<KindTotal> = rows
        .iter()
        .map(|r| KindTotal {
            kind_id: r.get(0),
            kind_name: r.get(1),
            mass_org: r.get::<i64, _>(2) != 0,
            teams: r.get(3),
            members: r.get(4),
        })
        .collect();
    out.sort_by(|a, b| antq_core::text::compare(&a.kind_name, &b.kind_name));
    Ok(out)
}

/// One team the caller may read (outside their units: not found), with its
/// members counted at `at` (today when None) and its history.
pub async fn get(
    db: &Db,
    actor: Option<&Actor>,
    id: i64,
    at: Option<Date>,
) -> StorageResult<TeamDetail> {
    let what = || format!("tổ chức số {id}");
    let day = dates::iso(at.unwrap_or_else(dates::today));
    let row = sqlx::query(&format!(
        "{SELECT}, {MEMBERS_AT} {} WHERE t.id = $2",
        from()
    ))
    .bind(&day)
    .bind(id)
    .fetch_optional(db.pool())
    .await?
    .ok_or_else(|| StorageError::not_found(what()))?;
    let team = team(&row);
    if let Some(x) = actor {
        access::require_visible(db, x, Action::Read, team.unit.id, what).await?;
    }
    let member_history: Vec<(String, i64)> = sqlx::query_as(
        "SELECT on_date, members FROM team_member_counts WHERE team_id = $1 ORDER BY on_date",
    )
    .bind(id)
    .fetch_all(db.pool())
    .await?;
    let named = sqlx::query(
        "SELECT name, position, joined_on, left_on FROM team_members WHERE team_id = $1 ORDER BY id",
    )
    .bind(id)
    .fetch_all(db.pool())
    .await?
    .iter()
    .map(|r| Member {
        name: r.get(0),
        position: r.get(1),
        joined_on: r.get(2),
        left_on: r.get(3),
    })
    .collect();
    let evaluations = evaluations_of_team(db, id).await?;
    Ok(TeamDetail {
        team,
        member_history,
        named,
        evaluations,
    })
}
