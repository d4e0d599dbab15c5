//! Grassroots security organisations and teams: kinds as data, teams with
//! members over time, the yearly evaluation with its quota and leader rules
//! (HD 01/HD-BCA-V05). Schema: `schema_v11_teams.sql`. (Owned by the teams
//! work of issue 13.)
//!
//! Access: police, Front and administrators edit the teams of the units in
//! their grant's subtree (`Action::EditRecords`); evaluations are decided by
//! the **police** of the team's unit or above (a police grant whose subtree
//! holds the team's unit); viewers read. Kinds and rules: national
//! administrators. Every write is audited in its transaction.

use antq_core::auth::{Action, Role};
use antq_core::dates::{self, Date};
use antq_core::registries::teams::{limits, Rounding, Rules};
use antq_core::text;
use serde::Serialize;
use serde_json::json;
use sqlx::Row;

use super::settings::{self, Rule};
use crate::accounts::access::{self, Actor};
use crate::audit::{self, Change, Who};
use crate::db::{Db, WriteTx};
use crate::error::{StorageError, StorageResult};

mod eval;
mod import;
mod list;

pub use eval::{
    evaluate, evaluations_of_unit, words as evaluation_words, Evaluation, Rating, UnitEvaluation,
};
pub use import::create_many;
pub use list::{get, list, totals_by_kind, Filter, KindTotal, Team, TeamDetail};

/// "xuất sắc" at most this percentage of the base.
pub const RULE_QUOTA_PERCENT: Rule = Rule {
    key: "teams.excellent_quota_percent",
    meaning: "Tỷ lệ tối đa tổ \u{201C}hoàn thành xuất sắc nhiệm vụ\u{201D} so với số tổ \u{201C}hoàn thành tốt nhiệm vụ\u{201D} (%)",
    default: "20",
};
/// Months of operation at the evaluation year's end below which a team is not rated.
pub const RULE_MIN_MONTHS: Rule = Rule {
    key: "teams.min_months",
    meaning: "Số tháng hoạt động tối thiểu để được xếp loại",
    default: "9",
};
/// floor | nearest | ceil.
pub const RULE_ROUNDING: Rule = Rule {
    key: "teams.quota_rounding",
    meaning: "Cách làm tròn số tổ xuất sắc tối đa (floor: làm tròn xuống, nearest: gần nhất, ceil: làm tròn lên)",
    default: "\"floor\"",
};
/// Whether the base counts the excellent teams too.
pub const RULE_BASE_INCLUDES_EXCELLENT: Rule = Rule {
    key: "teams.quota_base_includes_excellent",
    meaning: "Số tổ \u{201C}tốt\u{201D} làm căn cứ tính tỷ lệ có tính cả tổ xuất sắc không",
    default: "false",
};

/// Every rule of this registry.
pub const RULES: [Rule; 4] = [
    RULE_QUOTA_PERCENT,
    RULE_MIN_MONTHS,
    RULE_ROUNDING,
    RULE_BASE_INCLUDES_EXCELLENT,
];

/// The evaluation rules in force.
pub async fn rules(db: &Db) -> StorageResult<Rules> {
    let percent: u32 = settings::get(db, &RULE_QUOTA_PERCENT).await?;
    let months: u32 = settings::get(db, &RULE_MIN_MONTHS).await?;
    let rounding: String = settings::get(db, &RULE_ROUNDING).await?;
    let inclusive: bool = settings::get(db, &RULE_BASE_INCLUDES_EXCELLENT).await?;
    Ok(Rules {
        quota_percent: percent.min(100),
        rounding: Rounding::parse(&rounding)?,
        base_includes_excellent: inclusive,
        min_months: months.min(24),
    })
}

/// Change the evaluation rules (national administrators; all or none, audited per key).
pub async fn set_rules(db: &Db, actor: &Actor, r: &Rules) -> StorageResult<()> {
    require_national(actor)?;
    if r.quota_percent > 100 || r.min_months > 24 {
        return Err(invalid(
            "Tỷ lệ phải từ 0 đến 100%, số tháng từ 0 đến 24".into(),
        ));
    }
    let rounding = match r.rounding {
        Rounding::Floor => "floor",
        Rounding::Nearest => "nearest",
        Rounding::Ceil => "ceil",
    };
    let values = [
        (
            &RULE_QUOTA_PERCENT,
            settings::json_of(&RULE_QUOTA_PERCENT, &r.quota_percent)?,
        ),
        (
            &RULE_MIN_MONTHS,
            settings::json_of(&RULE_MIN_MONTHS, &r.min_months)?,
        ),
        (
            &RULE_ROUNDING,
            settings::json_of(&RULE_ROUNDING, &rounding)?,
        ),
        (
            &RULE_BASE_INCLUDES_EXCELLENT,
            settings::json_of(&RULE_BASE_INCLUDES_EXCELLENT, &r.base_includes_excellent)?,
        ),
    ];
    settings::set_all(db, &actor.who(), &values).await?;
    Ok(())
}

pub(super) fn invalid(msg: String) -> StorageError {
    antq_core::DomainError::invalid(msg).into()
}

fn require_national(actor: &Actor) -> StorageResult<()> {
    if actor.is_national(Action::EditCatalogue) {
        Ok(())
    } else {
        Err(StorageError::Forbidden)
    }
}

/// A kind of organisation or team.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Kind {
    pub id: i64,
    pub name: String,
    /// Counted among the "tổ chức quần chúng bảo vệ ANTT ở cơ sở".
    pub mass_org: bool,
    pub active: bool,
}

/// Seed the kinds once (idempotent: a kind already there by name stays).
pub async fn seed_if_empty(db: &Db) -> StorageResult<()> {
    let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM team_kinds")
        .fetch_one(db.pool())
        .await?;
    if n > 0 {
        return Ok(());
    }
    let now = dates::timestamp(dates::now_utc());
    let mut tx = db.begin_unaudited().await?;
    for name in antq_core::registries::teams::SEEDED_KINDS {
        sqlx::query(
            "INSERT INTO team_kinds (name, search_key, mass_org, active, created_by, created_at, updated_at) \
             VALUES ($1, $2, 1, 1, 'system', $3, $3)",
        )
        .bind(name)
        .bind(text::fold(name))
        .bind(&now)
        .execute(tx.conn())
        .await?;
    }
    tx.commit().await?;
    Ok(())
}

/// Every kind, in Vietnamese order.
pub async fn kinds(db: &Db) -> StorageResult<Vec<Kind>> {
    let rows = sqlx::query("SELECT id, name, mass_org, active FROM team_kinds")
        .fetch_all(db.pool())
        .await?;
    let mut out: Vec<Kind> = rows
        .iter()
        .map(|r| Kind {
            id: r.get(0),
            name: r.get(1),
            mass_org: r.get::<i64, _>(2) != 0,
            active: r.get::<i64, _>(3) != 0,
        })
        .collect();
    out.sort_by(|a, b| {
        (a.name == "Khác")
            .cmp(&(b.name == "Khác"))
            .then_with(|| text::compare(&a.name, &b.name))
    });
    Ok(out)
}

/// A kind by its id or its name (any case, tones optional).
pub async fn kind_named(db: &Db, s: &str) -> StorageResult<Option<Kind>> {
    let all = kinds(db).await?;
    let t = s.trim();
    if let Ok(id) = t.parse::<i64>() {
        return Ok(all.into_iter().find(|k| k.id == id));
    }
    let f = text::fold(t);
    Ok(all.into_iter().find(|k| text::fold(&k.name) == f))
}

/// Add (`id` None) or change a kind: rename, mass_org, active (national
/// administrators; audited).
pub async fn save_kind(
    db: &Db,
    actor: &Actor,
    id: Option<i64>,
    name: &str,
    mass_org: bool,
    active: bool,
) -> StorageResult<Kind> {
    require_national(actor)?;
    let name = text::clean(name);
    if name.is_empty() {
        return Err(invalid("Chưa có tên loại tổ chức".into()));
    }
    text::check_len("Tên loại tổ chức", &name, limits::KIND_NAME)?;
    let key = text::fold(&name);
    let all = kinds(db).await?;
    if let Some(other) = all
        .iter()
        .find(|k| text::fold(&k.name) == key && Some(k.id) != id)
    {
        return Err(StorageError::Conflict(format!(
            "Đã có loại \u{201C}{}\u{201D}",
            other.name
        )));
    }
    let before = match id {
        Some(i) => Some(
            all.iter()
                .find(|k| k.id == i)
                .cloned()
                .ok_or_else(|| StorageError::not_found(format!("loại tổ chức số {i}")))?,
        ),
        None => None,
    };
    let who = actor.who();
    let now = dates::timestamp(dates::now_utc());
    let (name, key, now, who, before) = (&name, &key, &now, &who, &before);
    let new_id = db
        .write(|mut tx| async move {
            let kid = match id {
                Some(i) => {
                    sqlx::query(
                        "UPDATE team_kinds SET name = $2, search_key = $3, mass_org = $4, active = $5, updated_at = $6 WHERE id = $1",
                    )
                    .bind(i)
                    .bind(name)
                    .bind(key)
                    .bind(i64::from(mass_org))
                    .bind(i64::from(active))
                    .bind(now)
                    .execute(tx.conn())
                    .await?;
                    i
                }
                None => {
                    sqlx::query_scalar(
                        "INSERT INTO team_kinds (name, search_key, mass_org, active, created_by, created_at, updated_at) \
                         VALUES ($1, $2, $3, $4, $5, $6, $6) RETURNING id",
                    )
                    .bind(name)
                    .bind(key)
                    .bind(i64::from(mass_org))
                    .bind(i64::from(active))
                    .bind(&who.name)
                    .bind(now)
                    .fetch_one(tx.conn())
                    .await?
                }
            };
            audit::append(
                &mut tx,
                Change {
                    who,
                    action: "team_kind.save",
                    entity: "team_kind",
                    entity_id: kid.to_string(),
                    unit_id: None,
                    before: before.as_ref().map(|b| json!(b)),
                    after: Some(json!({"name": name, "mass_org": mass_org, "active": active})),
                },
            )
            .await?;
            tx.commit().await?;
            Ok(kid)
        })
        .await?;
    Ok(Kind {
        id: new_id,
        name: name.clone(),
        mass_org,
        active,
    })
}

/// A new team, as typed or imported.
#[derive(Debug, Clone, Serialize)]
pub struct NewTeam {
    pub kind_id: i64,
    pub unit_id: i64,
    pub area_id: Option<i64>,
    pub name: String,
    pub established_on: Date,
    pub dissolved_on: Option<Date>,
    pub leader: String,
    /// Members from the day it was established (if known).
    pub members: Option<i64>,
    pub model_id: Option<i64>,
    pub notes: String,
}

/// Check a team's own fields (no database): lengths, dates, members.
pub fn check_fields(t: &NewTeam) -> Result<(), antq_core::DomainError> {
    if t.name.trim().is_empty() {
        return Err(antq_core::DomainError::invalid("Chưa có tên tổ chức"));
    }
    text::check_len("Tên tổ chức", &t.name, limits::NAME)?;
    text::check_len("Tổ trưởng", &t.leader, limits::LEADER)?;
    text::check_len("Ghi chú", &t.notes, limits::NOTES)?;
    if t.established_on > dates::today() {
        return Err(antq_core::DomainError::invalid(format!(
            "Ngày thành lập {} sau ngày hôm nay",
            dates::format_vi(t.established_on)
        )));
    }
    if let Some(d) = t.dissolved_on {
        if d <= t.established_on {
            return Err(antq_core::DomainError::invalid(format!(
                "Ngày giải thể {} phải sau ngày thành lập {}",
                dates::format_vi(d),
                dates::format_vi(t.established_on)
            )));
        }
    }
    if let Some(m) = t.members {
        check_members(m)?;
    }
    Ok(())
}

pub(super) fn check_members(m: i64) -> Result<(), antq_core::DomainError> {
    if !(0..=limits::MEMBERS).contains(&m) {
        return Err(antq_core::DomainError::invalid(format!(
            "Số thành viên {} phải từ 0 đến {}",
            text::format_int(m),
            text::format_int(limits::MEMBERS)
        )));
    }
    Ok(())
}

/// Check the references of a team: its kind (active), area of its unit, model.
pub(super) async fn check_refs(db: &Db, t: &NewTeam) -> StorageResult<()> {
    let kind: Option<i64> = sqlx::query_scalar("SELECT active FROM team_kinds WHERE id = $1")
        .bind(t.kind_id)
        .fetch_optional(db.pool())
        .await?;
    match kind {
        None => {
            return Err(StorageError::not_found(format!(
                "loại tổ chức số {}",
                t.kind_id
            )))
        }
        Some(0) => return Err(invalid("Loại tổ chức này đã ngừng dùng".into())),
        _ => {}
    }
    if let Some(a) = t.area_id {
        let unit: Option<i64> = sqlx::query_scalar("SELECT unit_id FROM areas WHERE id = $1")
            .bind(a)
            .fetch_optional(db.pool())
            .await?;
        if unit != Some(t.unit_id) {
            return Err(invalid(format!(
                "Khu dân cư số {a} không thuộc đơn vị của tổ"
            )));
        }
    }
    if let Some(m) = t.model_id {
        // A model of the team's own tree, or of a unit above it (never a
        // model elsewhere, whose name the caller may not read).
        let found: Option<i64> = sqlx::query_scalar(
            "SELECT x.id FROM models x WHERE x.id = $1 AND ( \
               x.unit_id IN (SELECT descendant_id FROM unit_scope WHERE ancestor_id = $2) \
               OR $2 IN (SELECT descendant_id FROM unit_scope WHERE ancestor_id = x.unit_id))",
        )
        .bind(m)
        .bind(t.unit_id)
        .fetch_optional(db.pool())
        .await?;
        if found.is_none() {
            return Err(invalid(format!(
                "Không có mô hình số {m} trong đơn vị của tổ hoặc cấp trên"
            )));
        }
    }
    Ok(())
}

/// May the actor edit the teams of this unit?
pub async fn may_edit(db: &Db, actor: &Actor, unit_id: i64) -> StorageResult<bool> {
    access::can(db, actor, Action::EditRecords, unit_id).await
}

/// May the actor evaluate the teams of this unit (its police or above)?
pub async fn may_evaluate(db: &Db, actor: &Actor, unit_id: i64) -> StorageResult<bool> {
    access::can(
        db,
        &actor.with_roles(&[Role::Police]),
        Action::EditRecords,
        unit_id,
    )
    .await
}

/// Register a team (audited). Returns its id.
pub async fn create(db: &Db, actor: Option<&Actor>, t: &NewTeam) -> StorageResult<i64> {
    check_fields(t)?;
    check_refs(db, t).await?;
    let who = match actor {
        Some(a) => {
            access::require(db, a, Action::EditRecords, t.unit_id).await?;
            a.who()
        }
        None => Who::system(),
    };
    let (who, now) = (&who, &dates::timestamp(dates::now_utc()));
    db.write(|mut tx| async move {
        let id = insert_tx(&mut tx, who, t, now).await?;
        audit::append(
            &mut tx,
            Change {
                who,
                action: "team.create",
                entity: "team",
                entity_id: id.to_string(),
                unit_id: Some(t.unit_id),
                before: None,
                after: Some(json!(t)),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(id)
    })
    .await
}

async fn insert_tx(tx: &mut WriteTx, who: &Who, t: &NewTeam, now: &str) -> StorageResult<i64> {
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO teams (unit_id, area_id, kind_id, name, search_key, established_on, dissolved_on, \
         leader, model_id, notes, created_by, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $12) RETURNING id",
    )
    .bind(t.unit_id)
    .bind(t.area_id)
    .bind(t.kind_id)
    .bind(&t.name)
    .bind(text::fold(&t.name))
    .bind(dates::iso(t.established_on))
    .bind(t.dissolved_on.map(dates::iso))
    .bind(&t.leader)
    .bind(t.model_id)
    .bind(&t.notes)
    .bind(&who.name)
    .bind(now)
    .fetch_one(tx.conn())
    .await?;
    if let Some(m) = t.members {
        sqlx::query(
            "INSERT INTO team_member_counts (team_id, on_date, members) VALUES ($1, $2, $3)",
        )
        .bind(id)
        .bind(dates::iso(t.established_on))
        .bind(m)
        .execute(tx.conn())
        .await?;
    }
    Ok(id)
}

/// What may change on a team after it is registered.
#[derive(Debug, Clone, Serialize, Default)]
pub struct TeamChange {
    pub name: Option<String>,
    pub leader: Option<String>,
    /// `Some(None)` clears the dissolution.
    pub dissolved_on: Option<Option<Date>>,
    pub model_id: Option<Option<i64>>,
    pub notes: Option<String>,
}

/// Change a team (name, leader, dissolution, model, notes; audited).
pub async fn update(db: &Db, actor: Option<&Actor>, id: i64, c: &TeamChange) -> StorageResult<()> {
    let d = get(db, actor, id, None).await?;
    let t = &d.team;
    if let Some(a) = actor {
        access::require(db, a, Action::EditRecords, t.unit.id).await?;
    }
    let established = dates::parse_date(&t.established_on)?;
    let merged = NewTeam {
        kind_id: t.kind_id,
        unit_id: t.unit.id,
        area_id: t.area_id,
        name: c
            .name
            .clone()
            .map(|s| text::clean(&s))
            .unwrap_or(t.name.clone()),
        established_on: established,
        dissolved_on: match c.dissolved_on {
            Some(x) => x,
            None => t
                .dissolved_on
                .as_deref()
                .map(dates::parse_date)
                .transpose()?,
        },
        leader: c
            .leader
            .clone()
            .map(|s| text::clean(&s))
            .unwrap_or(t.leader.clone()),
        members: None,
        model_id: match c.model_id {
            Some(x) => x,
            None => t.model_id,
        },
        notes: c.notes.clone().unwrap_or(t.notes.clone()),
    };
    check_fields(&merged)?;
    check_refs(db, &merged).await?;
    let who = actor.map(Actor::who).unwrap_or_else(Who::system);
    let (who, merged, now) = (&who, &merged, &dates::timestamp(dates::now_utc()));
    let before = json!({"name": t.name, "leader": t.leader, "dissolved_on": t.dissolved_on, "model_id": t.model_id, "notes": t.notes});
    let before = &before;
    db.write(|mut tx| async move {
        sqlx::query(
            "UPDATE teams SET name = $2, search_key = $3, leader = $4, dissolved_on = $5, model_id = $6, notes = $7, updated_at = $8 WHERE id = $1",
        )
        .bind(id)
        .bind(&merged.name)
        .bind(text::fold(&merged.name))
        .bind(&merged.leader)
        .bind(merged.dissolved_on.map(dates::iso))
        .bind(merged.model_id)
        .bind(&merged.notes)
        .bind(now)
        .execute(tx.conn())
        .await?;
        audit::append(
            &mut tx,
            Change {
                who,
                action: "team.update",
                entity: "team",
                entity_id: id.to_string(),
                unit_id: Some(merged.unit_id),
                before: Some(before.clone()),
                after: Some(json!({"name": merged.name, "leader": merged.leader, "dissolved_on": merged.dissolved_on, "model_id": merged.model_id, "notes": merged.notes})),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(())
    })
    .await
}

/// A named member.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Member {
    pub name: String,
    pub position: String,
    pub joined_on: Option<String>,
    pub left_on: Option<String>,
}

/// Record the members of a team from a day on: the count, and optionally
/// named members to add (audited).
pub async fn set_members(
    db: &Db,
    actor: Option<&Actor>,
    id: i64,
    on: Date,
    count: i64,
    named: &[Member],
) -> StorageResult<()> {
    let d = get(db, actor, id, None).await?;
    if let Some(a) = actor {
        access::require(db, a, Action::EditRecords, d.team.unit.id).await?;
    }
    check_members(count)?;
    let established = dates::parse_date(&d.team.established_on)?;
    if on < established {
        return Err(invalid(format!(
            "Ngày {} trước ngày thành lập tổ {}",
            dates::format_vi(on),
            dates::format_vi(established)
        )));
    }
    if on > dates::today() {
        return Err(invalid(format!(
            "Ngày {} sau ngày hôm nay",
            dates::format_vi(on)
        )));
    }
    if named.len() > limits::NAMED_MEMBERS {
        return Err(invalid(format!(
            "Một lần ghi tối đa {} thành viên",
            limits::NAMED_MEMBERS
        )));
    }
    for m in named {
        if m.name.trim().is_empty() {
            return Err(invalid("Thành viên chưa có họ tên".into()));
        }
        text::check_len("Họ tên thành viên", &m.name, limits::LEADER)?;
        text::check_len("Chức vụ", &m.position, limits::LEADER)?;
    }
    let who = actor.map(Actor::who).unwrap_or_else(Who::system);
    let (who, unit_id) = (&who, d.team.unit.id);
    let on_iso = dates::iso(on);
    let on_iso = &on_iso;
    db.write(|mut tx| async move {
        sqlx::query("DELETE FROM team_member_counts WHERE team_id = $1 AND on_date = $2")
            .bind(id)
            .bind(on_iso)
            .execute(tx.conn())
            .await?;
        sqlx::query("INSERT INTO team_member_counts (team_id, on_date, members) VALUES ($1, $2, $3)")
            .bind(id)
            .bind(on_iso)
            .bind(count)
            .execute(tx.conn())
            .await?;
        for m in named {
            sqlx::query(
                "INSERT INTO team_members (team_id, name, position, joined_on, left_on) VALUES ($1, $2, $3, $4, $5)",
            )
            .bind(id)
            .bind(text::clean(&m.name))
            .bind(text::clean(&m.position))
            .bind(m.joined_on.clone().unwrap_or_else(|| on_iso.clone()))
            .bind(m.left_on.clone())
            .execute(tx.conn())
            .await?;
        }
        audit::append(
            &mut tx,
            Change {
                who,
                action: "team.members",
                entity: "team",
                entity_id: id.to_string(),
                unit_id: Some(unit_id),
                before: None,
                after: Some(json!({"on": on_iso, "members": count, "named": named})),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(())
    })
    .await
}
