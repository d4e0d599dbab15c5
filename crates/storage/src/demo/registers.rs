//! The demo's registers of models and grassroots organisations, planned
//! together with the forms so that each reporting unit's yearly figures
//! (`mh_moi`, `mh_nhan_rong`, `mh_hien_co`, `tcqc_so`) equal the counts of
//! its register: new and replicated models are the forms' flows, models
//! in operation follow from them (with models begun before 2013 and a few
//! dissolved in 2020), organisations are established and dissolved to
//! follow the forms' stocks. Điện Biên's models at the end of 2023 are of
//! 44 types; the provinces share some types, so the nation's distinct
//! count is smaller than the sum of theirs. Names are plainly fictional.

use std::collections::HashMap;

use antq_core::dates;

use crate::batch::{insert_rows, Val};
use crate::db::WriteTx;
use crate::error::StorageResult;
use crate::units::{next_id, sync_sequence, Unit};

/// Values by (unit index, year, indicator) — the demo's grid.
pub(super) type Grid = HashMap<(usize, i32, &'static str), i64>;

pub(super) const FIRST_YEAR: i32 = 2013;
/// The last year the demo's old units report (and keep registers for).
pub(super) const LAST_YEAR: i32 = 2024;

/// One planned model: its unit, the reporting year it started (`None`:
/// before 2013), whether it replicates another, the year it was dissolved.
#[derive(Debug, Clone)]
pub(super) struct PlannedModel {
    pub unit: usize,
    pub started: Option<i32>,
    pub replicates: bool,
    pub dissolved: Option<i32>,
    pub type_index: usize,
}

/// One planned organisation: its unit, the year it was established
/// (`None`: before 2013) and dissolved.
#[derive(Debug, Clone)]
pub(super) struct PlannedTeam {
    pub unit: usize,
    pub established: Option<i32>,
    pub dissolved: Option<i32>,
}

/// A province's registers, planned.
#[derive(Debug, Clone, Default)]
pub(super) struct Plan {
    pub models: Vec<PlannedModel>,
    pub teams: Vec<PlannedTeam>,
}

/// How a province's model types are chosen: `types` distinct types from
/// `offset` in the national list (so provinces overlap).
#[derive(Debug, Clone, Copy)]
pub(super) struct Types {
    pub offset: usize,
    pub count: usize,
}

fn active_at(started: Option<i32>, dissolved: Option<i32>, year: i32) -> bool {
    started.is_none_or(|s| s <= year) && dissolved.is_none_or(|d| d > year)
}

/// Plan a province's registers from its grid: `flows` (new and replicated
/// models per unit and year, 2013 – 2024) as they are; `active_2023` the
/// models in operation at the end of 2023; `teams` the organisations per
/// unit and year (followed exactly); `base_weights` spread the models
/// begun before 2013 over the units.
pub(super) fn plan(
    units: usize,
    grid: &Grid,
    active_2023: i64,
    base_weights: &[f64],
    types: Types,
) -> Plan {
    let mut models = Vec::new();
    let started: i64 = (FIRST_YEAR..=2023)
        .flat_map(|y| (0..units).map(move |u| (u, y)))
        .map(|(u, y)| {
            grid.get(&(u, y, "mh_moi")).copied().unwrap_or(0)
                + grid.get(&(u, y, "mh_nhan_rong")).copied().unwrap_or(0)
        })
        .sum();
    let base = (active_2023 - started).max(0);
    for (u, n) in super::demo_data::allocate(base, base_weights)
        .into_iter()
        .enumerate()
    {
        for _ in 0..n {
            models.push(PlannedModel {
                unit: u,
                started: None,
                replicates: false,
                dissolved: None,
                type_index: 0,
            });
        }
    }
    for y in FIRST_YEAR..=LAST_YEAR {
        for u in 0..units {
            for (code, replicates) in [("mh_moi", false), ("mh_nhan_rong", true)] {
                for _ in 0..grid.get(&(u, y, code)).copied().unwrap_or(0) {
                    models.push(PlannedModel {
                        unit: u,
                        started: Some(y),
                        replicates,
                        dissolved: None,
                        type_index: 0,
                    });
                }
            }
        }
    }
    // More begun than in operation at the end of 2023: the earliest go in 2020.
    let mut surplus = (started + base - active_2023).max(0);
    for m in models.iter_mut() {
        if surplus == 0 {
            break;
        }
        if m.started.is_none_or(|s| s <= 2019) {
            m.dissolved = Some(2020);
            surplus -= 1;
        }
    }
    // Types: the models in operation at the end of 2023 take every type of
    // the province's range once, then round again; the others follow on.
    let mut k = 0;
    for m in models
        .iter_mut()
        .filter(|m| active_at(m.started, m.dissolved, 2023))
    {
        m.type_index = types.offset + k % types.count;
        k += 1;
    }
    for m in models
        .iter_mut()
        .filter(|m| !active_at(m.started, m.dissolved, 2023))
    {
        m.type_index = types.offset + k % types.count;
        k += 1;
    }
    let mut teams: Vec<PlannedTeam> = Vec::new();
    for u in 0..units {
        let mut alive: Vec<usize> = Vec::new();
        for y in FIRST_YEAR..=LAST_YEAR {
            let want = grid.get(&(u, y, "tcqc_so")).copied().unwrap_or(0).max(0) as usize;
            while alive.len() < want {
                alive.push(teams.len());
                teams.push(PlannedTeam {
                    unit: u,
                    established: (y > FIRST_YEAR).then_some(y),
                    dissolved: None,
                });
            }
            while alive.len() > want {
                let t = alive.pop().expect("more alive than wanted");
                teams[t].dissolved = Some(y);
            }
        }
    }
    Plan { models, teams }
}

impl Plan {
    /// The forms' figures of a unit and year, as the register counts them.
    pub(super) fn figures(&self, unit: usize, year: i32) -> [(&'static str, i64); 4] {
        let models = self.models.iter().filter(|m| m.unit == unit);
        let (mut new, mut replicated, mut active) = (0, 0, 0);
        for m in models {
            if m.started == Some(year) {
                if m.replicates {
                    replicated += 1;
                } else {
                    new += 1;
                }
            }
            if active_at(m.started, m.dissolved, year) {
                active += 1;
            }
        }
        let teams = self
            .teams
            .iter()
            .filter(|t| t.unit == unit && active_at(t.established, t.dissolved, year))
            .count() as i64;
        [
            ("mh_moi", new),
            ("mh_nhan_rong", replicated),
            ("mh_hien_co", active),
            ("tcqc_so", teams),
        ]
    }
}

/// A day of reporting year `year` (never 15–31/12, which belong to the next).
fn day_in(year: i32, n: usize) -> String {
    let month = 1 + (n * 7) % 11;
    let day = 1 + (n * 13) % 28;
    format!("{year:04}-{month:02}-{day:02}")
}

/// The national model types and mass-organisation kinds the demo uses,
/// adding plainly named ones where the lists are shorter than needed.
async fn ids(
    tx: &mut WriteTx,
    table: &str,
    extra: &str,
    needed: usize,
    now: &str,
    name: impl Fn(usize) -> String,
) -> StorageResult<Vec<i64>> {
    let mut ids: Vec<i64> = sqlx::query_scalar(&format!(
        "SELECT id FROM {table} WHERE active = 1 {extra} ORDER BY id"
    ))
    .fetch_all(tx.conn())
    .await?;
    while ids.len() < needed {
        let n = ids.len() + 1;
        let label = name(n);
        let id: i64 = if table == "model_types" {
            sqlx::query_scalar(
                "INSERT INTO model_types (name, search_key, sort_key, created_by, created_at, updated_at) \
                 VALUES ($1, $2, $3, 'demo', $4, $4) RETURNING id",
            )
            .bind(&label)
            .bind(antq_core::text::fold(&label))
            .bind(antq_core::text::sort_key(&label))
            .bind(now)
            .fetch_one(tx.conn())
            .await?
        } else {
            sqlx::query_scalar(&format!(
                "INSERT INTO {table} (name, search_key, created_by, created_at, updated_at) \
                 VALUES ($1, $2, 'demo', $3, $3) RETURNING id"
            ))
            .bind(&label)
            .bind(antq_core::text::fold(&label))
            .bind(now)
            .fetch_one(tx.conn())
            .await?
        };
        ids.push(id);
    }
    Ok(ids)
}

/// Write a province's planned registers for its units (as they were).
pub(super) async fn write(
    tx: &mut WriteTx,
    backend: crate::Backend,
    units: &[Unit],
    plan: &Plan,
) -> StorageResult<(usize, usize)> {
    let now = dates::timestamp(dates::now_utc());
    let needed = plan
        .models
        .iter()
        .map(|m| m.type_index + 1)
        .max()
        .unwrap_or(0);
    let types = ids(tx, "model_types", "", needed, &now, |n| {
        format!("Mô hình minh họa số {n}")
    })
    .await?;
    let type_names: HashMap<i64, String> =
        sqlx::query_as::<_, (i64, String)>("SELECT id, name FROM model_types")
            .fetch_all(tx.conn())
            .await?
            .into_iter()
            .collect();
    let kinds = ids(tx, "team_kinds", "AND mass_org = 1", 1, &now, |_| {
        "Tổ bảo vệ an ninh, trật tự ở cơ sở".to_string()
    })
    .await?;
    let kind_names: HashMap<i64, String> =
        sqlx::query_as::<_, (i64, String)>("SELECT id, name FROM team_kinds")
            .fetch_all(tx.conn())
            .await?
            .into_iter()
            .collect();
    let first = next_id(tx, "models").await?;
    let mut rows = Vec::with_capacity(plan.models.len());
    // A replication replicates an earlier model of its type where there is
    // one (else any earlier one).
    let mut originals: Vec<(i64, i64)> = Vec::new();
    for (i, m) in plan.models.iter().enumerate() {
        let id = first + i as i64;
        let unit = &units[m.unit];
        let type_id = types[m.type_index];
        let started = match m.started {
            Some(y) => day_in(y, i),
            None => day_in(2008 + (i % 5) as i32, i),
        };
        let replicates = if m.replicates && !originals.is_empty() {
            let same: Vec<i64> = originals
                .iter()
                .filter(|(_, t)| *t == type_id)
                .map(|(o, _)| *o)
                .collect();
            Some(match same.as_slice() {
                [] => originals[i % originals.len()].0,
                s => s[i % s.len()],
            })
        } else {
            None
        };
        if !m.replicates {
            originals.push((id, type_id));
        }
        let state = match (m.dissolved, replicates) {
            (Some(_), _) => "giai_the",
            (None, Some(_)) => "nhan_rong",
            (None, None) => "moi",
        };
        let name = format!(
            "{} – {}",
            type_names.get(&type_id).map_or("Mô hình", String::as_str),
            unit.name
        );
        rows.push(vec![
            Val::Int(id),
            Val::Int(unit.id),
            Val::Int(type_id),
            Val::Text(antq_core::text::fold(&name)),
            Val::Bytes(antq_core::text::sort_key(&name)),
            Val::Text(name),
            Val::Text(started),
            Val::OptText(m.dissolved.map(|y| format!("{y:04}-06-30"))),
            Val::OptInt(replicates),
            Val::Str(state),
            Val::Str("demo"),
            Val::Text(now.clone()),
            Val::Text(now.clone()),
        ]);
    }
    let n_models = rows.len();
    insert_rows(
        tx,
        "models",
        &[
            "id",
            "unit_id",
            "type_id",
            "search_key",
            "sort_key",
            "name",
            "started_on",
            "dissolved_on",
            "replicates_id",
            "state",
            "created_by",
            "created_at",
            "updated_at",
        ],
        rows,
    )
    .await?;
    sync_sequence(tx, backend, "models").await?;
    let mut rows = Vec::with_capacity(plan.teams.len());
    let mut members = Vec::with_capacity(plan.teams.len());
    let mut per_unit: HashMap<(usize, i64), usize> = HashMap::new();
    let first_team = next_id(tx, "teams").await?;
    for (i, t) in plan.teams.iter().enumerate() {
        let unit = &units[t.unit];
        let kind = kinds[i % kinds.len()];
        let n = per_unit.entry((t.unit, kind)).or_default();
        *n += 1;
        let kind_name = kind_names.get(&kind).map_or("Tổ", String::as_str);
        let name = format!("{kind_name} số {n} – {}", unit.name);
        let established = match t.established {
            Some(y) => day_in(y, i),
            None => day_in(2005 + (i % 8) as i32, i),
        };
        let id = first_team + i as i64;
        // Members from the day it was established: 5 to 14.
        members.push(vec![
            Val::Int(id),
            Val::Text(established.clone()),
            Val::Int(5 + (i % 10) as i64),
        ]);
        rows.push(vec![
            Val::Int(id),
            Val::Int(unit.id),
            Val::Int(kind),
            Val::Text(antq_core::text::fold(&name)),
            Val::Text(name),
            Val::Text(established),
            Val::OptText(t.dissolved.map(|y| format!("{y:04}-06-30"))),
            Val::Str("demo"),
            Val::Text(now.clone()),
            Val::Text(now.clone()),
        ]);
    }
    let n_teams = rows.len();
    insert_rows(
        tx,
        "teams",
        &[
            "id",
            "unit_id",
            "kind_id",
            "search_key",
            "name",
            "established_on",
            "dissolved_on",
            "created_by",
            "created_at",
            "updated_at",
        ],
        rows,
    )
    .await?;
    sync_sequence(tx, backend, "teams").await?;
    insert_rows(
        tx,
        "team_member_counts",
        &["team_id", "on_date", "members"],
        members,
    )
    .await?;
    Ok((n_models, n_teams))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_plan_gives_back_the_forms_flows_and_reaches_the_stock() {
        let mut grid = Grid::new();
        for y in FIRST_YEAR..=LAST_YEAR {
            grid.insert((0, y, "mh_moi"), i64::from(y % 2));
            grid.insert((1, y, "mh_nhan_rong"), i64::from(y % 3 == 0));
            grid.insert((0, y, "tcqc_so"), i64::from(y - 2000));
            grid.insert((1, y, "tcqc_so"), if y < 2020 { 5 } else { 3 });
        }
        let plan = plan(
            2,
            &grid,
            20,
            &[1.0, 1.0],
            Types {
                offset: 3,
                count: 4,
            },
        );
        for y in FIRST_YEAR..=LAST_YEAR {
            for u in 0..2 {
                let f = plan.figures(u, y);
                assert_eq!(f[0].1, grid.get(&(u, y, "mh_moi")).copied().unwrap_or(0));
                assert_eq!(
                    f[1].1,
                    grid.get(&(u, y, "mh_nhan_rong")).copied().unwrap_or(0)
                );
                assert_eq!(f[3].1, grid[&(u, y, "tcqc_so")], "teams {u} {y}");
            }
        }
        let active: i64 = (0..2).map(|u| plan.figures(u, 2023)[2].1).sum();
        assert_eq!(active, 20);
        let mut types: Vec<usize> = plan
            .models
            .iter()
            .filter(|m| active_at(m.started, m.dissolved, 2023))
            .map(|m| m.type_index)
            .collect();
        types.sort_unstable();
        types.dedup();
        assert_eq!(types, vec![3, 4, 5, 6]);
    }
}
