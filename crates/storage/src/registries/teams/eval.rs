//! The yearly evaluation of teams (HD 01/HD-BCA-V05): a batch for one unit
//! and year, all or nothing, every problem listed. The quota ("xuất sắc" at
//! most 20% of "tốt") is kept per evaluating unit (the unit a team belongs
//! to) and year, counting what is already recorded together with the batch.

use std::collections::BTreeMap;

use antq_core::dates::{self, Date};
use antq_core::registries::teams::{
    check_outcome, check_quota, limits, Level, NotRated, Outcome, TeamFacts,
};
use antq_core::text;
use serde::Serialize;
use serde_json::json;
use sqlx::Row;

use super::{invalid, may_evaluate, rules};
use crate::accounts::access::Actor;
use crate::audit::{self, Change, Who};
use crate::db::Db;
use crate::error::{StorageError, StorageResult};

/// One team's outcome in a batch.
#[derive(Debug, Clone)]
pub struct Rating {
    pub team_id: i64,
    pub outcome: Outcome,
    pub notes: String,
}

/// An evaluation as stored.
#[derive(Debug, Clone, Serialize)]
pub struct Evaluation {
    pub team_id: i64,
    pub year: i32,
    /// Level code, or None when not rated.
    pub level: Option<String>,
    pub leader_level: Option<String>,
    /// Reason code when not rated.
    pub not_rated: Option<String>,
    pub notes: String,
    pub decided_by: String,
    pub decided_at: String,
}

fn evaluation(r: &sqlx::any::AnyRow) -> Evaluation {
    let opt = |s: String| Some(s).filter(|s| !s.is_empty());
    let year: i64 = r.get(1);
    Evaluation {
        team_id: r.get(0),
        year: year as i32,
        level: opt(r.get(2)),
        leader_level: opt(r.get(3)),
        not_rated: opt(r.get(4)),
        notes: r.get(5),
        decided_by: r.get(6),
        decided_at: r.get(7),
    }
}

const COLS: &str =
    "e.team_id, e.year, e.level, e.leader_level, e.not_rated, e.notes, e.decided_by, e.decided_at";

/// A team's evaluations, newest first.
pub async fn evaluations_of_team(db: &Db, team_id: i64) -> StorageResult<Vec<Evaluation>> {
    let rows = sqlx::query(&format!(
        "SELECT {COLS} FROM team_evaluations e WHERE e.team_id = $1 ORDER BY e.year DESC"
    ))
    .bind(team_id)
    .fetch_all(db.pool())
    .await?;
    Ok(rows.iter().map(evaluation).collect())
}

/// A team of a unit for the evaluation page: the team and its evaluation of the year.
#[derive(Debug, Clone, Serialize)]
pub struct UnitEvaluation {
    pub team_id: i64,
    pub name: String,
    pub unit_name: String,
    pub kind_name: String,
    pub established_on: String,
    pub dissolved_on: Option<String>,
    pub leader: String,
    pub evaluation: Option<Evaluation>,
}

/// The teams of a unit's subtree (as it was, or through lineage) that
/// existed during evaluation year `year`, each with its evaluation of that
/// year. Checked: the actor may read the unit.
pub async fn evaluations_of_unit(
    db: &Db,
    actor: Option<&Actor>,
    unit_id: i64,
    year: i32,
) -> StorageResult<Vec<UnitEvaluation>> {
    if let Some(a) = actor {
        crate::accounts::access::require(db, a, antq_core::auth::Action::Read, unit_id).await?;
    }
    let (start, end) = period(year)?;
    let rows = sqlx::query(&format!(
        "SELECT t.id, t.name, u.name, k.name, t.established_on, t.dissolved_on, t.leader, \
         e.team_id, e.year, e.level, e.leader_level, e.not_rated, e.notes, e.decided_by, e.decided_at \
         FROM teams t JOIN units u ON u.id = t.unit_id JOIN team_kinds k ON k.id = t.kind_id \
         LEFT JOIN team_evaluations e ON e.team_id = t.id AND e.year = $3 \
         WHERE (SELECT m.current_id FROM unit_data_map m WHERE m.unit_id = t.unit_id) \
               IN (SELECT descendant_id FROM unit_tree WHERE ancestor_id = {unit_id}) \
           AND t.established_on <= $1 AND (t.dissolved_on IS NULL OR t.dissolved_on >= $2) \
         ORDER BY u.code, t.search_key, t.id LIMIT {}",
        limits::BATCH
    ))
    .bind(dates::iso(end))
    .bind(dates::iso(start))
    .bind(i64::from(year))
    .fetch_all(db.pool())
    .await?;
    Ok(rows
        .iter()
        .map(|r| {
            let has: Option<i64> = r.get(7);
            UnitEvaluation {
                team_id: r.get(0),
                name: r.get(1),
                unit_name: r.get(2),
                kind_name: r.get(3),
                established_on: r.get(4),
                dissolved_on: r.get(5),
                leader: r.get(6),
                evaluation: has.map(|_| {
                    let opt = |s: String| Some(s).filter(|s| !s.is_empty());
                    let y: i64 = r.get(8);
                    Evaluation {
                        team_id: r.get(0),
                        year: y as i32,
                        level: opt(r.get(9)),
                        leader_level: opt(r.get(10)),
                        not_rated: opt(r.get(11)),
                        notes: r.get(12),
                        decided_by: r.get(13),
                        decided_at: r.get(14),
                    }
                }),
            }
        })
        .collect())
}

fn period(year: i32) -> StorageResult<(Date, Date)> {
    if !(2000..=2100).contains(&year) {
        return Err(invalid(format!(
            "Năm đánh giá {year} phải từ 2000 đến 2100"
        )));
    }
    antq_core::registries::teams::evaluation_period(year)
        .ok_or_else(|| invalid(format!("Năm đánh giá {year} không hợp lệ")))
}

struct Facts {
    unit_id: i64,
    unit_name: String,
    facts: TeamFacts,
}

/// Record the evaluations of a batch (one unit, one year), all or nothing:
/// every team's outcome is checked (it existed that year, 9 months, leader
/// not above the team), the police of the team's unit or above decides, and
/// the quota holds in every evaluating unit counting the recorded
/// evaluations of its other teams. A batch replaces the teams' evaluations
/// of that year. Every problem is listed (`StorageError::Rejected`).
pub async fn evaluate(
    db: &Db,
    actor: Option<&Actor>,
    unit_id: i64,
    year: i32,
    ratings: &[Rating],
) -> StorageResult<usize> {
    period(year)?;
    if ratings.is_empty() {
        return Err(invalid("Chưa có tổ nào được đánh giá".into()));
    }
    if ratings.len() > limits::BATCH {
        return Err(invalid(format!(
            "Một lần đánh giá tối đa {} tổ",
            text::format_int(limits::BATCH as i64)
        )));
    }
    let r = rules(db).await?;
    let mut errors = Vec::new();
    let mut facts: BTreeMap<i64, Facts> = BTreeMap::new();
    let mut outside = std::collections::HashSet::new();
    let ids: Vec<i64> = ratings.iter().map(|x| x.team_id).collect();
    for chunk in ids.chunks(500) {
        let rows = sqlx::query(&format!(
            "SELECT t.id, t.unit_id, u.name, t.name, t.established_on, t.dissolved_on, \
             (SELECT COUNT(*) FROM unit_tree x WHERE x.ancestor_id = {unit_id} \
               AND x.descendant_id = (SELECT m.current_id FROM unit_data_map m WHERE m.unit_id = t.unit_id)) \
             FROM teams t JOIN units u ON u.id = t.unit_id WHERE t.id IN ({})",
            crate::db::id_list(chunk)
        ))
        .fetch_all(db.pool())
        .await?;
        for row in &rows {
            let inside: i64 = row.get(6);
            let id: i64 = row.get(0);
            let name: String = row.get(3);
            if inside == 0 {
                // Named only as a number: a team outside the unit may be outside the caller's units too.
                errors.push(format!(
                    "Không tìm thấy tổ chức số {id} trong đơn vị đang đánh giá"
                ));
                outside.insert(id);
                continue;
            }
            let established: String = row.get(4);
            let dissolved: Option<String> = row.get(5);
            facts.insert(
                id,
                Facts {
                    unit_id: row.get(1),
                    unit_name: row.get(2),
                    facts: TeamFacts {
                        name,
                        established: dates::parse_date(&established)?,
                        dissolved: dissolved.as_deref().map(dates::parse_date).transpose()?,
                    },
                },
            );
        }
    }
    let mut seen = std::collections::HashSet::new();
    for x in ratings {
        if !seen.insert(x.team_id) {
            errors.push(format!("Tổ số {} được đánh giá hai lần", x.team_id));
            continue;
        }
        if let Err(e) = text::check_len("Ghi chú", &x.notes, limits::REASON) {
            errors.push(e.to_string());
        }
        let Some(f) = facts.get(&x.team_id) else {
            if !outside.contains(&x.team_id) {
                errors.push(format!("Không tìm thấy tổ chức số {}", x.team_id));
            }
            continue;
        };
        if let Some(a) = actor {
            if !may_evaluate(db, a, f.unit_id).await? {
                errors.push(format!(
                    "{}: chỉ Công an {} hoặc cấp trên mới đánh giá, xếp loại tổ",
                    f.facts.name, f.unit_name
                ));
                continue;
            }
        }
        if let Err(e) = check_outcome(&f.facts, year, &x.outcome, &r) {
            errors.push(e);
        }
    }
    // The quota, per evaluating unit: recorded levels of the unit's other
    // teams that year, with the batch's.
    let mut by_unit: BTreeMap<i64, (String, Vec<Level>)> = BTreeMap::new();
    for x in ratings {
        if let (Some(f), Outcome::Rated { level, .. }) = (facts.get(&x.team_id), x.outcome) {
            by_unit
                .entry(f.unit_id)
                .or_insert_with(|| (f.unit_name.clone(), Vec::new()))
                .1
                .push(level);
        }
    }
    for (uid, (uname, levels)) in &mut by_unit {
        let recorded: Vec<(i64, String)> = sqlx::query_as(
            "SELECT e.team_id, e.level FROM team_evaluations e JOIN teams t ON t.id = e.team_id \
             WHERE t.unit_id = $1 AND e.year = $2 AND e.level <> ''",
        )
        .bind(*uid)
        .bind(i64::from(year))
        .fetch_all(db.pool())
        .await?;
        for (tid, code) in recorded {
            if !seen.contains(&tid) {
                levels.push(Level::parse(&code)?);
            }
        }
        if let Some(msg) = check_quota(levels, &r) {
            errors.push(format!("{uname}, năm đánh giá {year}: {msg}"));
        }
    }
    if !errors.is_empty() {
        return Err(StorageError::Rejected(errors));
    }
    let who = actor.map(Actor::who).unwrap_or_else(Who::system);
    let now = dates::timestamp(dates::now_utc());
    let (who, now, facts) = (&who, &now, &facts);
    db.write(|mut tx| async move {
        for chunk in ratings.chunks(200) {
            sqlx::query(&format!(
                "DELETE FROM team_evaluations WHERE year = {year} AND team_id IN ({})",
                crate::db::id_list(&chunk.iter().map(|x| x.team_id).collect::<Vec<_>>())
            ))
            .execute(tx.conn())
            .await?;
            let mut sql = String::from(
                "INSERT INTO team_evaluations (team_id, year, level, leader_level, not_rated, notes, decided_by, decided_at) VALUES ",
            );
            for i in 0..chunk.len() {
                let b = i * 8;
                if i > 0 {
                    sql.push_str(", ");
                }
                sql.push_str(&format!(
                    "(${}, ${}, ${}, ${}, ${}, ${}, ${}, ${})",
                    b + 1,
                    b + 2,
                    b + 3,
                    b + 4,
                    b + 5,
                    b + 6,
                    b + 7,
                    b + 8
                ));
            }
            let mut q = sqlx::query(&sql);
            for x in chunk {
                let (level, leader, not_rated) = codes(&x.outcome);
                q = q
                    .bind(x.team_id)
                    .bind(i64::from(year))
                    .bind(level)
                    .bind(leader)
                    .bind(not_rated)
                    .bind(text::clean(&x.notes))
                    .bind(&who.name)
                    .bind(now);
            }
            q.execute(tx.conn()).await?;
        }
        let mut per_unit: BTreeMap<i64, Vec<serde_json::Value>> = BTreeMap::new();
        for x in ratings {
            let (level, leader, not_rated) = codes(&x.outcome);
            per_unit
                .entry(facts[&x.team_id].unit_id)
                .or_default()
                .push(json!({"team": x.team_id, "level": level, "leader_level": leader, "not_rated": not_rated}));
        }
        let changes: Vec<Change> = per_unit
            .into_iter()
            .map(|(uid, list)| Change {
                who,
                action: "team.evaluate",
                entity: "team_evaluation",
                entity_id: format!("{uid}:{year}"),
                unit_id: Some(uid),
                before: None,
                after: Some(json!({"year": year, "teams": list})),
            })
            .collect();
        audit::append_many(&mut tx, changes).await?;
        tx.commit().await?;
        Ok(())
    })
    .await?;
    Ok(ratings.len())
}

fn codes(o: &Outcome) -> (&'static str, &'static str, &'static str) {
    match o {
        Outcome::Rated { level, leader } => (level.code(), leader.map_or("", |l| l.code()), ""),
        Outcome::NotRated(n) => ("", "", n.code()),
    }
}

/// The words of a stored evaluation: level, leader's level, or the reason.
pub fn words(e: &Evaluation, min_months: u32) -> (String, String) {
    let level = match (&e.level, &e.not_rated) {
        (Some(l), _) => Level::parse(l)
            .map(|l| l.word_vi().to_string())
            .unwrap_or_default(),
        (None, Some(n)) => NotRated::parse(n)
            .map(|n| n.word_vi(min_months))
            .unwrap_or_default(),
        _ => String::new(),
    };
    let leader = e
        .leader_level
        .as_deref()
        .and_then(|l| Level::parse(l).ok())
        .map(|l| l.word_vi().to_string())
        .unwrap_or_default();
    (level, leader)
}
