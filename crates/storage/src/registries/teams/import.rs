//! Recording many teams at once (an imported register), all or nothing:
//! every team is checked first (errors prefixed with where it came from),
//! then all are written in one transaction with multi-row INSERTs (500
//! teams a statement), with one audit row per unit.

use std::collections::{BTreeMap, HashMap};

use antq_core::auth::Action;
use antq_core::dates;
use antq_core::text;
use serde_json::json;

use super::{check_fields, NewTeam};
use crate::accounts::access::{self, Actor};
use crate::audit::{self, Change, Who};
use crate::db::Db;
use crate::error::{StorageError, StorageResult};

/// Teams one INSERT statement writes (13 values each).
const CHUNK: usize = 500;

/// Record many teams, all or nothing (`dry_run`: check only). Each item
/// carries its label ("Tổ chức quần chúng, dòng 7"). Returns how many teams
/// were (or would be) written.
pub async fn create_many(
    db: &Db,
    actor: Option<&Actor>,
    items: &[(String, NewTeam)],
    dry_run: bool,
) -> StorageResult<usize> {
    if items.len() > antq_core::registries::teams::limits::IMPORT_ROWS {
        return Err(super::invalid(format!(
            "Một lần nhập tối đa {} tổ",
            text::format_int(antq_core::registries::teams::limits::IMPORT_ROWS as i64)
        )));
    }
    let kinds: HashMap<i64, bool> = super::kinds(db)
        .await?
        .into_iter()
        .map(|k| (k.id, k.active))
        .collect();
    let mut allowed: HashMap<i64, bool> = HashMap::new();
    let mut errors = Vec::new();
    for (label, t) in items {
        if let Err(e) = check_fields(t) {
            errors.push(format!("{label}: {e}"));
        }
        match kinds.get(&t.kind_id) {
            None => errors.push(format!("{label}: không có loại tổ chức số {}", t.kind_id)),
            Some(false) => errors.push(format!("{label}: loại tổ chức này đã ngừng dùng")),
            _ => {}
        }
        if t.area_id.is_some() || t.model_id.is_some() {
            if let Err(e) = super::check_refs(db, t).await {
                errors.push(format!("{label}: {e}"));
            }
        }
        if let Some(a) = actor {
            let ok = match allowed.get(&t.unit_id) {
                Some(ok) => *ok,
                None => {
                    let ok = access::can(db, a, Action::EditRecords, t.unit_id).await?;
                    allowed.insert(t.unit_id, ok);
                    ok
                }
            };
            if !ok {
                errors.push(format!(
                    "{label}: không có quyền ghi tổ chức của đơn vị này"
                ));
            }
        }
    }
    if !errors.is_empty() {
        return Err(StorageError::Rejected(errors));
    }
    let who = actor.map(Actor::who).unwrap_or_else(Who::system);
    let now = dates::timestamp(dates::now_utc());
    let mut tx = db.begin_write().await?;
    let before: i64 = sqlx::query_scalar("SELECT COALESCE(MAX(id), 0) FROM teams")
        .fetch_one(tx.conn())
        .await?;
    for chunk in items.chunks(CHUNK) {
        let mut sql = String::from(
            "INSERT INTO teams (unit_id, area_id, kind_id, name, search_key, established_on, dissolved_on, \
             leader, model_id, notes, created_by, created_at, updated_at) VALUES ",
        );
        for i in 0..chunk.len() {
            let b = i * 12;
            if i > 0 {
                sql.push_str(", ");
            }
            sql.push('(');
            for j in 1..=12 {
                sql.push_str(&format!("${}, ", b + j));
            }
            sql.push_str(&format!("${})", b + 12));
        }
        let mut q = sqlx::query(&sql);
        for (_, t) in chunk {
            q = q
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
                .bind(&now);
        }
        q.execute(tx.conn()).await?;
    }
    // The new ids in insertion order (writers that audit are serialised by
    // `begin_write`, so nobody else inserted teams meanwhile).
    let ids: Vec<i64> = sqlx::query_scalar("SELECT id FROM teams WHERE id > $1 ORDER BY id")
        .bind(before)
        .fetch_all(tx.conn())
        .await?;
    if ids.len() != items.len() {
        return Err(StorageError::Conflict(
            "Sổ tổ chức đang được ghi từ nơi khác, xin thử lại".into(),
        ));
    }
    let counts: Vec<(i64, String, i64)> = items
        .iter()
        .zip(&ids)
        .filter_map(|((_, t), id)| t.members.map(|m| (*id, dates::iso(t.established_on), m)))
        .collect();
    for chunk in counts.chunks(CHUNK * 2) {
        let mut sql =
            String::from("INSERT INTO team_member_counts (team_id, on_date, members) VALUES ");
        for i in 0..chunk.len() {
            if i > 0 {
                sql.push_str(", ");
            }
            sql.push_str(&format!("(${}, ${}, ${})", i * 3 + 1, i * 3 + 2, i * 3 + 3));
        }
        let mut q = sqlx::query(&sql);
        for (id, on, m) in chunk {
            q = q.bind(*id).bind(on).bind(*m);
        }
        q.execute(tx.conn()).await?;
    }
    let mut per_unit: BTreeMap<i64, Vec<i64>> = BTreeMap::new();
    for ((_, t), id) in items.iter().zip(&ids) {
        per_unit.entry(t.unit_id).or_default().push(*id);
    }
    let changes: Vec<Change> = per_unit
        .into_iter()
        .map(|(uid, list)| Change {
            who: &who,
            action: "team.import",
            entity: "team",
            entity_id: format!("{}-{}", list[0], list[list.len() - 1]),
            unit_id: Some(uid),
            before: None,
            after: Some(json!({"teams": list.len(), "ids": list})),
        })
        .collect();
    audit::append_many(&mut tx, changes).await?;
    if !dry_run {
        tx.commit().await?;
    }
    Ok(items.len())
}
