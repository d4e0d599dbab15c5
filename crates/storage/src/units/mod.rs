//! Administrative units: versions valid over intervals, the tree at a date,
//! lineage between versions, and the derived tables (`unit_tree`,
//! `unit_scope`) that answer "what lies under this unit" in one indexed look-up.

pub mod admin_units;
pub mod areas;
pub mod history;
pub mod orgs;

use antq_core::dates::{self, Date};
use antq_core::text;
use antq_core::units::{Level, Share, UnitCode, UnitKind, Validity};
use serde::Serialize;
use serde_json::json;
use sqlx::any::AnyRow;
use sqlx::Row;

use crate::audit::{self, Change, Who};
use crate::batch::{insert_rows, Val};
use crate::db::{Db, WriteTx};
use crate::error::{StorageError, StorageResult};

/// A unit version.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Unit {
    #[serde(skip)]
    pub id: i64,
    pub code: String,
    pub name: String,
    pub short_name: String,
    pub kind: String,
    pub level: Level,
    pub parent_code: Option<String>,
    #[serde(skip)]
    pub parent_id: Option<i64>,
    pub valid_from: Option<String>,
    pub valid_to: Option<String>,
}

impl Unit {
    pub fn validity(&self) -> Validity {
        let parse = |s: &Option<String>| s.as_deref().and_then(|d| dates::parse_date(d).ok());
        Validity {
            from: parse(&self.valid_from),
            to: parse(&self.valid_to),
        }
    }
}

pub(crate) const UNIT_COLUMNS: &str = "u.id, u.code, u.name, u.short_name, u.kind, u.level, \
    p.code, u.parent_id, u.valid_from, u.valid_to";
pub(crate) const UNIT_FROM: &str = "units u LEFT JOIN units p ON p.id = u.parent_id";
/// The condition "u is valid at $1".
pub(crate) const VALID_AT: &str =
    "(u.valid_from IS NULL OR u.valid_from <= $1) AND (u.valid_to IS NULL OR u.valid_to >= $1)";
const LEVEL_RANK: &str = "CASE u.level WHEN 'nation' THEN 0 WHEN 'province' THEN 1 \
    WHEN 'district' THEN 2 ELSE 3 END";

pub(crate) fn unit_from_row(r: &AnyRow) -> Unit {
    let level: String = r.get(5);
    Unit {
        id: r.get(0),
        code: r.get(1),
        name: r.get(2),
        short_name: r.get(3),
        kind: r.get(4),
        level: level.parse().unwrap_or(Level::Commune),
        parent_code: r.get(6),
        parent_id: r.get(7),
        valid_from: r.get(8),
        valid_to: r.get(9),
    }
}

/// The version of `code` valid at `at`.
pub async fn find_at(db: &Db, code: &UnitCode, at: Date) -> StorageResult<Option<Unit>> {
    let row = sqlx::query(&format!(
        "SELECT {UNIT_COLUMNS} FROM {UNIT_FROM} WHERE u.code = $2 AND {VALID_AT}"
    ))
    .bind(dates::iso(at))
    .bind(code.as_str())
    .fetch_optional(db.pool())
    .await?;
    Ok(row.as_ref().map(unit_from_row))
}

/// The versions of many codes valid at `at` (codes that have none are absent).
pub async fn find_many_at(
    db: &Db,
    codes: &[UnitCode],
    at: Date,
) -> StorageResult<std::collections::HashMap<String, Unit>> {
    let mut out = std::collections::HashMap::new();
    for chunk in codes.chunks(500) {
        let marks = (0..chunk.len())
            .map(|i| format!("${}", i + 2))
            .collect::<Vec<_>>()
            .join(", ");
        let sql = format!(
            "SELECT {UNIT_COLUMNS} FROM {UNIT_FROM} WHERE u.code IN ({marks}) AND {VALID_AT}"
        );
        let mut q = sqlx::query(&sql).bind(dates::iso(at));
        for c in chunk {
            q = q.bind(c.as_str());
        }
        for r in q.fetch_all(db.pool()).await? {
            let u = unit_from_row(&r);
            out.insert(u.code.clone(), u);
        }
    }
    Ok(out)
}

/// Every version of each of `codes`, by code (an import looks each code up
/// once, then picks the version valid at each period's end in memory).
pub async fn versions_many(
    db: &Db,
    codes: &[UnitCode],
) -> StorageResult<std::collections::HashMap<String, Vec<Unit>>> {
    let mut out: std::collections::HashMap<String, Vec<Unit>> = std::collections::HashMap::new();
    for chunk in codes.chunks(500) {
        // Codes are parsed (digits, or VN), so they can be written into the
        // statement: no per-code parameter to bind.
        let list = chunk
            .iter()
            .map(|c| format!("'{}'", c.as_str()))
            .collect::<Vec<_>>()
            .join(", ");
        let sql = format!("SELECT {UNIT_COLUMNS} FROM {UNIT_FROM} WHERE u.code IN ({list})");
        for r in sqlx::query(&sql).fetch_all(db.pool()).await? {
            let u = unit_from_row(&r);
            out.entry(u.code.clone()).or_default().push(u);
        }
    }
    Ok(out)
}

impl Unit {
    /// Is this version valid on `day` (as `VALID_AT` says in SQL)?
    pub fn valid_on(&self, day: Date) -> bool {
        let d = dates::iso(day);
        self.valid_from.as_deref().is_none_or(|f| f <= d.as_str())
            && self.valid_to.as_deref().is_none_or(|t| t >= d.as_str())
    }
}

/// Like `find_at`, but a missing unit is an error that says which code and date.
pub async fn get_at(db: &Db, code: &UnitCode, at: Date) -> StorageResult<Unit> {
    find_at(db, code, at).await?.ok_or_else(|| {
        StorageError::not_found(format!(
            "đơn vị mã {code} vào ngày {}",
            dates::format_vi(at)
        ))
    })
}

pub async fn by_id(db: &Db, id: i64) -> StorageResult<Unit> {
    let row = sqlx::query(&format!(
        "SELECT {UNIT_COLUMNS} FROM {UNIT_FROM} WHERE u.id = $1"
    ))
    .bind(id)
    .fetch_optional(db.pool())
    .await?;
    row.as_ref()
        .map(unit_from_row)
        .ok_or_else(|| StorageError::not_found(format!("đơn vị #{id}")))
}

/// Every version that ever had this code, oldest first.
pub async fn versions(db: &Db, code: &UnitCode) -> StorageResult<Vec<Unit>> {
    let rows = sqlx::query(&format!(
        "SELECT {UNIT_COLUMNS} FROM {UNIT_FROM} WHERE u.code = $1 \
         ORDER BY COALESCE(u.valid_from, '0000')"
    ))
    .bind(code.as_str())
    .fetch_all(db.pool())
    .await?;
    Ok(rows.iter().map(unit_from_row).collect())
}

/// A list of units at a date.
#[derive(Debug, Clone)]
pub struct UnitQuery {
    pub at: Date,
    pub level: Option<Level>,
    /// With `level`: the units of that level anywhere under the parent.
    /// Without: the parent's direct children.
    pub parent_id: Option<i64>,
    /// Accent- and case-insensitive text (or the start of a code).
    pub q: Option<String>,
    pub limit: Option<i64>,
}

/// Units valid at the date, province before district before commune, each
/// level in Vietnamese collation order.
pub async fn list(db: &Db, query: &UnitQuery) -> StorageResult<Vec<Unit>> {
    let mut conds = vec![VALID_AT.to_string()];
    let mut binds: Vec<Val> = vec![Val::Text(dates::iso(query.at))];
    let next = |v: Val, binds: &mut Vec<Val>| {
        binds.push(v);
        format!("${}", binds.len())
    };
    if let Some(level) = query.level {
        let p = next(Val::Text(level.as_str().into()), &mut binds);
        conds.push(format!("u.level = {p}"));
    }
    if let Some(parent) = query.parent_id {
        let p = next(Val::Int(parent), &mut binds);
        if query.level.is_some() {
            conds.push(format!(
                "u.id IN (SELECT descendant_id FROM unit_tree WHERE ancestor_id = {p} AND depth > 0)"
            ));
        } else {
            conds.push(format!("u.parent_id = {p}"));
        }
    }
    if let Some(q) = query.q.as_deref().map(str::trim).filter(|q| !q.is_empty()) {
        if q.bytes().all(|b| b.is_ascii_digit()) {
            let p = next(Val::Text(format!("{q}%")), &mut binds);
            conds.push(format!("u.code LIKE {p}"));
        } else {
            let folded = audit::escape_like(&text::fold(q));
            let p = next(Val::Text(format!("%{folded}%")), &mut binds);
            conds.push(format!("u.search_key LIKE {p} ESCAPE '\\'"));
        }
    }
    let limit = query
        .limit
        .map(|l| format!(" LIMIT {}", l.clamp(1, 20_000)))
        .unwrap_or_default();
    let sql = format!(
        "SELECT {UNIT_COLUMNS} FROM {UNIT_FROM} WHERE {} ORDER BY {LEVEL_RANK}, u.sort_key, u.code{limit}",
        conds.join(" AND ")
    );
    let mut q = sqlx::query(&sql);
    for b in binds {
        q = crate::batch::bind_val(q, b);
    }
    let rows = q.fetch_all(db.pool()).await?;
    Ok(rows.iter().map(unit_from_row).collect())
}

/// The unit's ancestors, the root first (not the unit itself).
pub async fn ancestors(db: &Db, id: i64) -> StorageResult<Vec<Unit>> {
    let rows = sqlx::query(&format!(
        "SELECT {UNIT_COLUMNS} FROM unit_tree t JOIN units u ON u.id = t.ancestor_id \
         LEFT JOIN units p ON p.id = u.parent_id \
         WHERE t.descendant_id = $1 AND t.depth > 0 ORDER BY t.depth DESC"
    ))
    .bind(id)
    .fetch_all(db.pool())
    .await?;
    Ok(rows.iter().map(unit_from_row).collect())
}

/// A lineage link seen from one side.
#[derive(Debug, Clone, Serialize)]
pub struct Linked {
    #[serde(skip)]
    pub link_id: i64,
    pub code: String,
    pub name: String,
    pub level: Level,
    pub share: Share,
    pub valid_from: Option<String>,
    pub valid_to: Option<String>,
    pub note: Option<String>,
    #[serde(skip)]
    pub unit_id: i64,
}

async fn linked(db: &Db, id: i64, this_side: &str, other_side: &str) -> StorageResult<Vec<Linked>> {
    let rows = sqlx::query(&format!(
        "SELECT l.id, u.code, u.name, u.level, l.share, u.valid_from, u.valid_to, l.note, u.id \
         FROM unit_links l JOIN units u ON u.id = l.{other_side} \
         WHERE l.{this_side} = $1 ORDER BY u.sort_key, u.code"
    ))
    .bind(id)
    .fetch_all(db.pool())
    .await?;
    Ok(rows
        .iter()
        .map(|r| {
            let level: String = r.get(3);
            let share: String = r.get(4);
            Linked {
                link_id: r.get(0),
                code: r.get(1),
                name: r.get(2),
                level: level.parse().unwrap_or(Level::Commune),
                share: share.parse().unwrap_or(Share::Whole),
                valid_from: r.get(5),
                valid_to: r.get(6),
                note: r.get(7),
                unit_id: r.get(8),
            }
        })
        .collect())
}

/// The older versions that went into this unit.
pub async fn predecessors(db: &Db, id: i64) -> StorageResult<Vec<Linked>> {
    linked(db, id, "successor_id", "predecessor_id").await
}

/// The newer versions this unit went into.
pub async fn successors(db: &Db, id: i64) -> StorageResult<Vec<Linked>> {
    linked(db, id, "predecessor_id", "successor_id").await
}

/// A lineage link with both ends.
#[derive(Debug, Clone, Serialize)]
pub struct Link {
    pub id: i64,
    pub predecessor: Unit,
    pub successor: Unit,
    pub share: Share,
    pub note: Option<String>,
}

pub async fn link_by_id(db: &Db, id: i64) -> StorageResult<Link> {
    let row = sqlx::query(
        "SELECT predecessor_id, successor_id, share, note FROM unit_links WHERE id = $1",
    )
    .bind(id)
    .fetch_optional(db.pool())
    .await?
    .ok_or_else(|| StorageError::not_found(format!("liên kết kế thừa #{id}")))?;
    let share: String = row.get(2);
    Ok(Link {
        id,
        predecessor: by_id(db, row.get(0)).await?,
        successor: by_id(db, row.get(1)).await?,
        share: share.parse()?,
        note: row.get(3),
    })
}

fn link_json(pred: &Unit, succ: &Unit, share: Share, note: &Option<String>) -> serde_json::Value {
    json!({
        "predecessor": {"code": pred.code, "name": pred.name, "valid_to": pred.valid_to},
        "successor": {"code": succ.code, "name": succ.name, "valid_from": succ.valid_from},
        "share": share.as_str(),
        "note": note,
    })
}

/// Add a lineage link (audited). The predecessor must end before the successor starts.
pub async fn add_link(
    db: &Db,
    who: &Who,
    predecessor_id: i64,
    successor_id: i64,
    share: Share,
    note: Option<String>,
) -> StorageResult<i64> {
    let pred = by_id(db, predecessor_id).await?;
    let succ = by_id(db, successor_id).await?;
    check_link_order(&pred, &succ)?;
    let note = note.map(|n| text::clean(&n)).filter(|n| !n.is_empty());
    if let Some(n) = &note {
        text::check_len("Ghi chú", n, text::limits::NOTE)?;
    }
    let mut tx = db.begin_write().await?;
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO unit_links (predecessor_id, successor_id, share, note) VALUES ($1, $2, $3, $4) RETURNING id",
    )
    .bind(predecessor_id)
    .bind(successor_id)
    .bind(share.as_str())
    .bind(note.clone())
    .fetch_one(tx.conn())
    .await
    .map_err(|e| StorageError::unique_as_conflict(e, "liên kết kế thừa này đã có"))?;
    audit::append(
        &mut tx,
        Change {
            who,
            action: "lineage.add",
            entity: "unit_link",
            entity_id: id.to_string(),
            unit_id: Some(successor_id),
            before: None,
            after: Some(link_json(&pred, &succ, share, &note)),
        },
    )
    .await?;
    rebuild_scope(&mut tx).await?;
    rebuild_data_map(&mut tx).await?;
    crate::statistics::rollups::rebuild(&mut tx).await?;
    tx.commit().await?;
    Ok(id)
}

fn check_link_order(pred: &Unit, succ: &Unit) -> StorageResult<()> {
    if pred.id == succ.id {
        return Err(
            antq_core::DomainError::invalid("một đơn vị không thể kế thừa chính nó").into(),
        );
    }
    match (&pred.valid_to, &succ.valid_from) {
        (Some(to), Some(from)) if to < from => Ok(()),
        _ => Err(antq_core::DomainError::invalid(format!(
            "{} ({}) phải hết hiệu lực trước khi {} ({}) bắt đầu",
            pred.name, pred.code, succ.name, succ.code
        ))
        .into()),
    }
}

/// Change a link's share or note (audited).
pub async fn update_link(
    db: &Db,
    who: &Who,
    id: i64,
    share: Share,
    note: Option<String>,
) -> StorageResult<()> {
    let old = link_by_id(db, id).await?;
    let note = note.map(|n| text::clean(&n)).filter(|n| !n.is_empty());
    if let Some(n) = &note {
        text::check_len("Ghi chú", n, text::limits::NOTE)?;
    }
    let mut tx = db.begin_write().await?;
    sqlx::query("UPDATE unit_links SET share = $1, note = $2 WHERE id = $3")
        .bind(share.as_str())
        .bind(note.clone())
        .bind(id)
        .execute(tx.conn())
        .await?;
    audit::append(
        &mut tx,
        Change {
            who,
            action: "lineage.update",
            entity: "unit_link",
            entity_id: id.to_string(),
            unit_id: Some(old.successor.id),
            before: Some(link_json(
                &old.predecessor,
                &old.successor,
                old.share,
                &old.note,
            )),
            after: Some(link_json(&old.predecessor, &old.successor, share, &note)),
        },
    )
    .await?;
    rebuild_data_map(&mut tx).await?;
    crate::statistics::rollups::rebuild(&mut tx).await?;
    tx.commit().await?;
    Ok(())
}

/// Remove a link (audited).
pub async fn delete_link(db: &Db, who: &Who, id: i64) -> StorageResult<()> {
    let old = link_by_id(db, id).await?;
    let mut tx = db.begin_write().await?;
    sqlx::query("DELETE FROM unit_links WHERE id = $1")
        .bind(id)
        .execute(tx.conn())
        .await?;
    audit::append(
        &mut tx,
        Change {
            who,
            action: "lineage.delete",
            entity: "unit_link",
            entity_id: id.to_string(),
            unit_id: Some(old.successor.id),
            before: Some(link_json(
                &old.predecessor,
                &old.successor,
                old.share,
                &old.note,
            )),
            after: None,
        },
    )
    .await?;
    rebuild_scope(&mut tx).await?;
    rebuild_data_map(&mut tx).await?;
    crate::statistics::rollups::rebuild(&mut tx).await?;
    tx.commit().await?;
    Ok(())
}

/// Recompute `unit_tree` (every ancestor/descendant pair) from the parent links.
pub async fn rebuild_tree(tx: &mut WriteTx) -> StorageResult<()> {
    sqlx::query("DELETE FROM unit_tree")
        .execute(tx.conn())
        .await?;
    sqlx::query(
        "INSERT INTO unit_tree (ancestor_id, descendant_id, depth) \
         WITH RECURSIVE t (ancestor_id, descendant_id, depth) AS ( \
             SELECT id, id, 0 FROM units \
             UNION ALL \
             SELECT u.parent_id, t.descendant_id, t.depth + 1 \
             FROM t JOIN units u ON u.id = t.ancestor_id WHERE u.parent_id IS NOT NULL \
         ) SELECT ancestor_id, descendant_id, depth FROM t",
    )
    .execute(tx.conn())
    .await?;
    Ok(())
}

/// Recompute `unit_scope`: what a grant on each unit covers. It starts as the
/// subtree and grows, until nothing changes, by the subtrees of the
/// predecessors of every unit it covers (so a grant on today's Đồng Tháp
/// covers old Đồng Tháp and old Tiền Giang with their districts and communes,
/// and through them any older versions imported later).
pub async fn rebuild_scope(tx: &mut WriteTx) -> StorageResult<()> {
    sqlx::query("DELETE FROM unit_scope")
        .execute(tx.conn())
        .await?;
    sqlx::query("INSERT INTO unit_scope (ancestor_id, descendant_id) SELECT ancestor_id, descendant_id FROM unit_tree")
        .execute(tx.conn())
        .await?;
    for _ in 0..64 {
        let added = sqlx::query(
            "INSERT INTO unit_scope (ancestor_id, descendant_id) \
             SELECT DISTINCT s.ancestor_id, t.descendant_id \
             FROM unit_scope s \
             JOIN unit_links l ON l.successor_id = s.descendant_id \
             JOIN unit_tree t ON t.ancestor_id = l.predecessor_id \
             WHERE NOT EXISTS (SELECT 1 FROM unit_scope x \
                               WHERE x.ancestor_id = s.ancestor_id AND x.descendant_id = t.descendant_id)",
        )
        .execute(tx.conn())
        .await?
        .rows_affected();
        if added == 0 {
            return Ok(());
        }
    }
    Err(StorageError::Conflict(
        "chuỗi kế thừa đơn vị quá sâu (có vòng lặp?)".into(),
    ))
}

/// A unit version to insert, with its id chosen by the caller.
pub(crate) struct NewUnit {
    pub id: i64,
    pub code: String,
    pub level: Level,
    pub kind: UnitKind,
    pub name: String,
    pub short_name: String,
    pub parent_id: Option<i64>,
    pub valid_from: Option<Date>,
    pub valid_to: Option<Date>,
}

pub(crate) async fn insert_units(tx: &mut WriteTx, units: Vec<NewUnit>) -> StorageResult<()> {
    let rows = units
        .into_iter()
        .map(|u| {
            let name = text::nfc(&u.name);
            vec![
                Val::Int(u.id),
                Val::Text(u.code),
                Val::Text(u.level.as_str().into()),
                Val::Text(u.kind.as_str().into()),
                Val::Text(text::fold(&name)),
                Val::Bytes(text::sort_key(&u.short_name)),
                Val::Text(name),
                Val::Text(text::nfc(&u.short_name)),
                Val::OptInt(u.parent_id),
                Val::OptText(u.valid_from.map(dates::iso)),
                Val::OptText(u.valid_to.map(dates::iso)),
            ]
        })
        .collect();
    insert_rows(
        tx,
        "units",
        &[
            "id",
            "code",
            "level",
            "kind",
            "search_key",
            "sort_key",
            "name",
            "short_name",
            "parent_id",
            "valid_from",
            "valid_to",
        ],
        rows,
    )
    .await
}

/// The next free id of a table (ids are chosen by antq when loading in bulk).
pub(crate) async fn next_id(tx: &mut WriteTx, table: &str) -> StorageResult<i64> {
    let max: Option<i64> = sqlx::query_scalar(&format!("SELECT MAX(id) FROM {table}"))
        .fetch_one(tx.conn())
        .await?;
    Ok(max.unwrap_or(0) + 1)
}

/// After rows were inserted with explicit ids, move PostgreSQL's sequence
/// past them (SQLite's AUTOINCREMENT follows by itself).
pub(crate) async fn sync_sequence(
    tx: &mut WriteTx,
    backend: crate::Backend,
    table: &str,
) -> StorageResult<()> {
    if backend == crate::Backend::Postgres {
        sqlx::query(&format!(
            "SELECT CAST(setval(pg_get_serial_sequence('{table}', 'id'), \
             (SELECT COALESCE(MAX(id), 0) + 1 FROM {table}), false) AS BIGINT)"
        ))
        .execute(tx.conn())
        .await?;
    }
    Ok(())
}

/// Recompute `unit_data_map`: for every unit, the current unit its data
/// belongs to in today's map, and whether a split lies on the way.
pub async fn rebuild_data_map(tx: &mut WriteTx) -> StorageResult<()> {
    use std::collections::HashMap;
    let units: Vec<(i64, Option<i64>, Option<String>)> =
        sqlx::query_as("SELECT id, parent_id, valid_to FROM units")
            .fetch_all(tx.conn())
            .await?;
    let links: Vec<(i64, i64, String)> =
        sqlx::query_as("SELECT predecessor_id, successor_id, share FROM unit_links")
            .fetch_all(tx.conn())
            .await?;
    let info: HashMap<i64, (Option<i64>, bool)> = units
        .iter()
        .map(|(id, p, to)| (*id, (*p, to.is_none())))
        .collect();
    let mut successors: HashMap<i64, Vec<(i64, Share)>> = HashMap::new();
    for (p, s, share) in links {
        successors
            .entry(p)
            .or_default()
            .push((s, share.parse().unwrap_or(Share::Part)));
    }
    fn target(
        id: i64,
        info: &HashMap<i64, (Option<i64>, bool)>,
        successors: &HashMap<i64, Vec<(i64, Share)>>,
        memo: &mut HashMap<i64, (i64, bool)>,
        depth: usize,
    ) -> (i64, bool) {
        if let Some(t) = memo.get(&id) {
            return *t;
        }
        let (parent, current) = info.get(&id).copied().unwrap_or((None, true));
        let result = if current || depth > 32 {
            (id, false)
        } else if let Some(list) = successors.get(&id) {
            let pick = list
                .iter()
                .find(|(_, s)| *s == Share::Whole)
                .or_else(|| list.iter().find(|(_, s)| *s == Share::PartPrimary))
                .or_else(|| list.first())
                .copied()
                .expect("a non-empty list");
            let (t, split) = target(pick.0, info, successors, memo, depth + 1);
            (t, split || pick.1 != Share::Whole)
        } else if let Some(p) = parent {
            target(p, info, successors, memo, depth + 1)
        } else {
            (id, false)
        };
        memo.insert(id, result);
        result
    }
    let mut memo = HashMap::new();
    let rows: Vec<Vec<Val>> = units
        .iter()
        .map(|(id, _, _)| {
            let (t, split) = target(*id, &info, &successors, &mut memo, 0);
            vec![Val::Int(*id), Val::Int(t), Val::Int(i64::from(split))]
        })
        .collect();
    sqlx::query("DELETE FROM unit_data_map")
        .execute(tx.conn())
        .await?;
    insert_rows(
        tx,
        "unit_data_map",
        &["unit_id", "current_id", "split"],
        rows,
    )
    .await
}

/// Build the data map if it is missing (a database migrated from before it existed).
pub async fn ensure_data_map(db: &Db) -> StorageResult<()> {
    let (units, mapped): (i64, i64) =
        sqlx::query_as("SELECT (SELECT COUNT(*) FROM units), (SELECT COUNT(*) FROM unit_data_map)")
            .fetch_one(db.pool())
            .await?;
    if units > 0 && mapped != units {
        let mut tx = db.begin_write().await?;
        rebuild_data_map(&mut tx).await?;
        crate::statistics::rollups::rebuild(&mut tx).await?;
        tx.commit().await?;
    }
    Ok(())
}
