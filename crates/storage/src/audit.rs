//! The audit log: every change appends a hash-chained row in the same
//! transaction as the change itself.

use antq_core::audit::{verify_chain_from, AuditRecord, ChainBreak};
use antq_core::dates;
use serde::Serialize;
use serde_json::Value;
use sqlx::any::AnyRow;
use sqlx::Row;

use crate::batch::Val;
use crate::db::{Db, WriteTx};
use crate::error::StorageResult;

/// Who made a change.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Who {
    pub id: Option<i64>,
    pub name: String,
}

impl Who {
    /// antq itself (migrations, loading the official units, the demo).
    pub fn system() -> Who {
        Who {
            id: None,
            name: "system".into(),
        }
    }

    pub fn user(id: i64, name: &str) -> Who {
        Who {
            id: Some(id),
            name: name.to_string(),
        }
    }
}

/// One change to record.
pub struct Change<'a> {
    pub who: &'a Who,
    pub action: &'a str,
    pub entity: &'a str,
    pub entity_id: String,
    pub unit_id: Option<i64>,
    pub before: Option<Value>,
    pub after: Option<Value>,
}

/// Append a row to the chain, inside the caller's transaction.
pub async fn append(tx: &mut WriteTx, change: Change<'_>) -> StorageResult<i64> {
    append_many(tx, vec![change]).await
}

/// A change whose before and after are already JSON text (bulk writes
/// build it directly instead of through `serde_json::Value`).
pub(crate) struct TextChange<'a> {
    pub who: &'a Who,
    pub action: &'a str,
    pub entity: &'a str,
    pub entity_id: String,
    pub unit_id: Option<i64>,
    pub before: Option<String>,
    pub after: Option<String>,
}

impl<'a> From<Change<'a>> for TextChange<'a> {
    fn from(c: Change<'a>) -> TextChange<'a> {
        TextChange {
            who: c.who,
            action: c.action,
            entity: c.entity,
            entity_id: c.entity_id,
            unit_id: c.unit_id,
            before: c.before.map(|v| v.to_string()),
            after: c.after.map(|v| v.to_string()),
        }
    }
}

impl TextChange<'_> {
    fn record(self, id: i64, at: String, prev_hash: String) -> AuditRecord {
        AuditRecord {
            id,
            at,
            actor_id: self.who.id,
            actor: self.who.name.clone(),
            action: self.action.to_string(),
            entity: self.entity.to_string(),
            entity_id: self.entity_id,
            unit_id: self.unit_id,
            before: self.before,
            after: self.after,
            prev_hash,
        }
    }
}

/// Append rows to the chain (a bulk import: one row per report), inside
/// the caller's transaction: the head is taken once, which takes its lock
/// (a row lock on PostgreSQL, the write lock on SQLite) so concurrent
/// appends form one chain; the hashes are chained in memory and the rows
/// written in batches. Returns the id of the last row.
pub async fn append_many(tx: &mut WriteTx, changes: Vec<Change<'_>>) -> StorageResult<i64> {
    append_text_many(tx, changes.into_iter().map(TextChange::from).collect()).await
}

/// [`append_many`] for changes already written as JSON text.
pub(crate) async fn append_text_many(
    tx: &mut WriteTx,
    changes: Vec<TextChange<'_>>,
) -> StorageResult<i64> {
    if changes.is_empty() {
        return Ok(0);
    }
    let head = reserve(tx, changes.len()).await?;
    let last = head.last_id;
    let records = head.records(changes);
    write_chained(tx, chain(records)).await?;
    Ok(last)
}

/// The place of `n` rows reserved at the head of the chain.
pub(crate) struct Reserved {
    last_id: i64,
    n: i64,
    prev_hash: String,
    at: String,
}

/// Take `n` ids at the head of the chain (which takes its lock: a row lock
/// on PostgreSQL, the write lock on SQLite, so concurrent appends form one
/// chain) and the hash the first of them follows.
pub(crate) async fn reserve(tx: &mut WriteTx, n: usize) -> StorageResult<Reserved> {
    let n = n as i64;
    let head = sqlx::query(
        "UPDATE audit_head SET last_id = last_id + $1 WHERE id = 1 RETURNING last_id, last_hash",
    )
    .bind(n)
    .fetch_one(tx.conn())
    .await?;
    Ok(Reserved {
        last_id: head.get(0),
        n,
        prev_hash: head.get(1),
        at: dates::timestamp(dates::now_utc()),
    })
}

impl Reserved {
    /// The records of the changes, numbered; their hashes are set by [`chain`].
    pub(crate) fn records(&self, changes: Vec<TextChange<'_>>) -> (String, Vec<AuditRecord>) {
        debug_assert_eq!(changes.len() as i64, self.n);
        let first = self.last_id - self.n + 1;
        let records = changes
            .into_iter()
            .enumerate()
            .map(|(i, c)| c.record(first + i as i64, self.at.clone(), String::new()))
            .collect();
        (self.prev_hash.clone(), records)
    }
}

/// Hash the records in order, each over the previous one's hash (pure
/// computation: an import runs it beside its other writes). Returns the
/// rows to insert and the new head hash.
pub(crate) fn chain(
    (mut prev_hash, records): (String, Vec<AuditRecord>),
) -> (Vec<Vec<Val>>, String) {
    let mut rows = Vec::with_capacity(records.len());
    for mut rec in records {
        rec.prev_hash = prev_hash;
        let hash = rec.compute_hash();
        prev_hash = hash.clone();
        rows.push(vec![
            Val::Int(rec.id),
            Val::Text(rec.at),
            Val::OptInt(rec.actor_id),
            Val::Text(rec.actor),
            Val::Text(rec.action),
            Val::Text(rec.entity),
            Val::Text(rec.entity_id),
            Val::OptInt(rec.unit_id),
            Val::OptText(rec.before),
            Val::OptText(rec.after),
            Val::Text(rec.prev_hash),
            Val::Text(hash),
        ]);
    }
    (rows, prev_hash)
}

/// Write chained rows and move the head's hash to the last of them.
pub(crate) async fn write_chained(
    tx: &mut WriteTx,
    (rows, last_hash): (Vec<Vec<Val>>, String),
) -> StorageResult<()> {
    crate::batch::insert_rows(
        tx,
        "audit_log",
        &[
            "id",
            "at",
            "actor_id",
            "actor",
            "action",
            "entity",
            "entity_id",
            "unit_id",
            "before_json",
            "after_json",
            "prev_hash",
            "hash",
        ],
        rows,
    )
    .await?;
    sqlx::query("UPDATE audit_head SET last_hash = $1 WHERE id = 1")
        .bind(&last_hash)
        .execute(tx.conn())
        .await?;
    Ok(())
}

const COLUMNS: &str = "id, at, actor_id, actor, action, entity, entity_id, unit_id, before_json, after_json, prev_hash, hash";

fn record(row: &AnyRow) -> (AuditRecord, String) {
    (
        AuditRecord {
            id: row.get(0),
            at: row.get(1),
            actor_id: row.get(2),
            actor: row.get(3),
            action: row.get(4),
            entity: row.get(5),
            entity_id: row.get(6),
            unit_id: row.get(7),
            before: row.get(8),
            after: row.get(9),
            prev_hash: row.get(10),
        },
        row.get(11),
    )
}

/// The result of walking the whole chain.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verification {
    Intact { rows: usize },
    Broken(ChainBreak),
}

/// Walk the chain from the first row, in pages, and check every hash and the head.
pub async fn verify(db: &Db) -> StorageResult<Verification> {
    let mut after_id = 0i64;
    let mut prev = antq_core::audit::GENESIS_HASH.to_string();
    let mut total = 0usize;
    loop {
        let rows = sqlx::query(&format!(
            "SELECT {COLUMNS} FROM audit_log WHERE id > $1 ORDER BY id LIMIT 5000"
        ))
        .bind(after_id)
        .fetch_all(db.pool())
        .await?;
        if rows.is_empty() {
            break;
        }
        let page: Vec<(AuditRecord, String)> = rows.iter().map(record).collect();
        match verify_chain_from(&prev, page.iter().map(|(r, h)| (r, h.as_str()))) {
            Ok((n, head)) => {
                total += n;
                prev = head;
            }
            Err(b) => return Ok(Verification::Broken(b)),
        }
        after_id = page.last().map(|(r, _)| r.id).unwrap_or(after_id);
    }
    let head = sqlx::query("SELECT last_id, last_hash FROM audit_head WHERE id = 1")
        .fetch_one(db.pool())
        .await?;
    let (last_id, last_hash): (i64, String) = (head.get(0), head.get(1));
    if last_id != after_id || last_hash != prev {
        return Ok(Verification::Broken(ChainBreak::HeadMismatch {
            last_id: (after_id > 0).then_some(after_id),
        }));
    }
    Ok(Verification::Intact { rows: total })
}

/// An audit row as shown to an administrator.
#[derive(Debug, Clone, Serialize)]
pub struct AuditEntry {
    pub id: i64,
    pub at: String,
    pub actor: String,
    pub action: String,
    pub entity: String,
    pub entity_id: String,
    pub unit_id: Option<i64>,
    pub unit_name: Option<String>,
    pub unit_code: Option<String>,
    pub before: Option<Value>,
    pub after: Option<Value>,
}

/// What to show of the log.
#[derive(Debug, Clone, Default)]
pub struct AuditFilter {
    pub actor: Option<String>,
    /// Part of a username, any case (`phang` finds `ca.muongphang`).
    pub actor_part: Option<String>,
    /// An action or the start of one: `user` finds `user.create`, `user.disable`...
    pub action: Option<String>,
    pub entity: Option<String>,
    pub entity_id: Option<String>,
    /// Only rows at or after this ISO date.
    pub from: Option<String>,
    /// Only rows before the end of this ISO date.
    pub to: Option<String>,
    /// Rows with an id below this (paging back in time).
    pub before_id: Option<i64>,
    pub limit: i64,
}

/// Rows of the log the caller may read (`scope` is an SQL condition on
/// `audit_log.unit_id` from `access::Scope`), newest first.
pub async fn list(db: &Db, scope_sql: &str, f: &AuditFilter) -> StorageResult<Vec<AuditEntry>> {
    let like = |s: &Option<String>| s.as_ref().map(|v| format!("{}%", escape_like(v)));
    let rows = sqlx::query(&format!(
        "SELECT a.id, a.at, a.actor, a.action, a.entity, a.entity_id, a.unit_id, u.name, \
                a.before_json, a.after_json, u.code \
         FROM audit_log a LEFT JOIN units u ON u.id = a.unit_id \
         WHERE ({scope_sql}) \
           AND ($1 IS NULL OR a.actor = $1) \
           AND ($2 IS NULL OR a.action LIKE $2 ESCAPE '\\') \
           AND ($3 IS NULL OR a.entity = $3) \
           AND ($4 IS NULL OR a.entity_id = $4) \
           AND ($5 IS NULL OR a.at >= $5) \
           AND ($6 IS NULL OR a.at < $6) \
           AND ($7 IS NULL OR a.id < $7) \
           AND ($9 IS NULL OR LOWER(a.actor) LIKE $9 ESCAPE '\\') \
         ORDER BY a.id DESC LIMIT $8"
    ))
    .bind(f.actor.clone())
    .bind(like(&f.action))
    .bind(f.entity.clone())
    .bind(f.entity_id.clone())
    .bind(f.from.clone())
    .bind(f.to.as_ref().map(|d| format!("{d}T99")))
    .bind(f.before_id)
    .bind(f.limit.clamp(1, 500))
    .bind(
        f.actor_part
            .as_ref()
            .map(|v| format!("%{}%", escape_like(&v.to_lowercase()))),
    )
    .fetch_all(db.pool())
    .await?;
    Ok(rows
        .iter()
        .map(|r| {
            let json = |s: Option<String>| s.and_then(|s| serde_json::from_str(&s).ok());
            AuditEntry {
                id: r.get(0),
                at: r.get(1),
                actor: r.get(2),
                action: r.get(3),
                entity: r.get(4),
                entity_id: r.get(5),
                unit_id: r.get(6),
                unit_name: r.get(7),
                unit_code: r.get(10),
                before: json(r.get(8)),
                after: json(r.get(9)),
            }
        })
        .collect())
}

/// Where the audited reports are: by report id, (form code, unit code,
/// period code), for links to their entry pages. At most 500 ids.
pub async fn report_places(
    db: &Db,
    ids: &[i64],
) -> StorageResult<std::collections::HashMap<i64, (String, String, String)>> {
    let mut ids: Vec<i64> = ids.to_vec();
    ids.sort_unstable();
    ids.dedup();
    ids.truncate(500);
    if ids.is_empty() {
        return Ok(Default::default());
    }
    let rows = sqlx::query(&format!(
        "SELECT r.id, f.code, u.code, r.period FROM reports r \
         JOIN forms f ON f.id = r.form_id JOIN units u ON u.id = r.unit_id \
         WHERE r.id IN ({})",
        crate::db::id_list(&ids)
    ))
    .fetch_all(db.pool())
    .await?;
    Ok(rows
        .iter()
        .map(|r| (r.get(0), (r.get(1), r.get(2), r.get(3))))
        .collect())
}

/// Escape `%`, `_` and `\` for a `LIKE ... ESCAPE '\'` pattern.
pub fn escape_like(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if matches!(c, '%' | '_' | '\\') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}
