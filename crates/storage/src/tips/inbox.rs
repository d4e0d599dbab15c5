//! The officers' side: the tips a unit's police handle, listed without
//! their content, and one tip opened with the officer's key — every
//! opening audited, and the log of openings shown with the tip. Access is
//! the one policy's (`Action::HandleTips`, by unit subtree): the unit a
//! tip implicates is below the unit that handles it, so its officers see
//! nothing of it — not in lists, counts or clusters, and a direct address
//! answers "not found".

use antq_core::auth::Action;
use antq_core::tips::states::TipState;
use antq_core::tips::submission::TipContent;
use antq_vault::{SecretKey, TipKey};
use serde::Serialize;
use sqlx::Row as _;

use crate::accounts::access::{self, Actor};
use crate::audit::{self, Change};
use crate::db::Db;
use crate::error::{StorageError, StorageResult};
use crate::tips::receive::{insert_wrap, CONTENT_AAD, MESSAGE_AAD};

/// A tip in a list: what it is about and where, never what it says.
#[derive(Debug, Clone, Serialize)]
pub struct TipRow {
    pub id: i64,
    pub category: String,
    pub place_unit: String,
    pub unit_id: i64,
    pub unit: String,
    pub state: TipState,
    pub received_on: String,
    pub tipster_on: String,
    pub assigned_to: Option<String>,
    /// It was routed here past the unit where it happened.
    pub concerns_place: bool,
    pub legal_hold: bool,
    pub destroy_on: Option<String>,
    pub version: i64,
}

/// Which tips to list.
#[derive(Debug, Clone, Default)]
pub struct TipFilter {
    pub state: Option<TipState>,
    /// Only tips handled in this unit's subtree.
    pub unit_id: Option<i64>,
    pub before_id: Option<i64>,
    pub limit: i64,
}

const ROW: &str = "t.id, t.category_code, pu.name, t.unit_id, u.name, t.state, t.received_on, \
    t.tipster_on, us.display_name, t.concerns_unit_id, t.legal_hold, t.destroy_on, t.version \
    FROM tips t JOIN units pu ON pu.id = t.place_unit_id JOIN units u ON u.id = t.unit_id \
    LEFT JOIN users us ON us.id = t.assigned_to";

fn row(r: &sqlx::any::AnyRow) -> StorageResult<TipRow> {
    Ok(TipRow {
        id: r.get(0),
        category: r.get(1),
        place_unit: r.get(2),
        unit_id: r.get(3),
        unit: r.get(4),
        state: r.get::<String, _>(5).parse()?,
        received_on: r.get(6),
        tipster_on: r.get(7),
        assigned_to: r.get(8),
        concerns_place: r.get::<Option<i64>, _>(9).is_some(),
        legal_hold: r.get::<i64, _>(10) != 0,
        destroy_on: r.get(11),
        version: r.get(12),
    })
}

/// The tips the actor may handle, newest first.
pub async fn list(db: &Db, actor: &Actor, f: &TipFilter) -> StorageResult<Vec<TipRow>> {
    let scope = actor.scope_sql(Action::HandleTips, "t.unit_id");
    let rows = sqlx::query(&format!(
        "SELECT {ROW} WHERE ({scope}) AND t.destroyed_on IS NULL \
         AND ($1 IS NULL OR t.state = $1) \
         AND ($2 IS NULL OR t.unit_id IN (SELECT descendant_id FROM unit_scope WHERE ancestor_id = $2)) \
         AND ($3 IS NULL OR t.id < $3) \
         ORDER BY t.id DESC LIMIT $4"
    ))
    .bind(f.state.map(|s| s.as_str()))
    .bind(f.unit_id)
    .bind(f.before_id)
    .bind(f.limit.clamp(1, 200))
    .fetch_all(db.pool())
    .await?;
    rows.iter().map(row).collect()
}

/// The tips the actor may handle that report the identifier with this
/// hash, oldest first (at most `limit`).
pub async fn listed_with_identifier(
    db: &Db,
    actor: &Actor,
    hash: &[u8],
    limit: i64,
) -> StorageResult<Vec<TipRow>> {
    let scope = actor.scope_sql(Action::HandleTips, "t.unit_id");
    let rows = sqlx::query(&format!(
        "SELECT {ROW} WHERE ({scope}) AND t.destroyed_on IS NULL \
         AND t.id IN (SELECT tip_id FROM tip_identifiers WHERE hash = $1) \
         ORDER BY t.received_on, t.id LIMIT $2"
    ))
    .bind(hash.to_vec())
    .bind(limit.clamp(1, 10_000))
    .fetch_all(db.pool())
    .await?;
    rows.iter().map(row).collect()
}

/// How many tips the actor may handle are in each state.
pub async fn counts(db: &Db, actor: &Actor) -> StorageResult<Vec<(TipState, i64)>> {
    let scope = actor.scope_sql(Action::HandleTips, "t.unit_id");
    let rows: Vec<(String, i64)> = sqlx::query_as(&format!(
        "SELECT t.state, COUNT(*) FROM tips t WHERE ({scope}) AND t.destroyed_on IS NULL GROUP BY t.state"
    ))
    .fetch_all(db.pool())
    .await?;
    let mut out = Vec::new();
    for state in TipState::ALL {
        let n = rows
            .iter()
            .find(|(s, _)| s == state.as_str())
            .map_or(0, |r| r.1);
        out.push((state, n));
    }
    Ok(out)
}

/// One tip's row, if the actor may handle it; otherwise "not found", as
/// for a tip that does not exist.
pub async fn visible(db: &Db, actor: &Actor, id: i64) -> StorageResult<TipRow> {
    let what = || format!("tin báo số {id}");
    let r = sqlx::query(&format!(
        "SELECT {ROW} WHERE t.id = $1 AND t.destroyed_on IS NULL"
    ))
    .bind(id)
    .fetch_optional(db.pool())
    .await?
    .ok_or_else(|| StorageError::not_found(what()))?;
    let tip = row(&r)?;
    access::require_visible(db, actor, Action::HandleTips, tip.unit_id, what).await?;
    Ok(tip)
}

/// A message of a tip's conversation, or an officer's internal note.
#[derive(Debug, Clone, Serialize)]
pub struct Message {
    pub id: i64,
    /// `tipster` or `officer`.
    pub author: String,
    pub officer: Option<String>,
    /// `message`, `question` (to the tipster) or `note` (internal).
    pub kind: String,
    pub text: String,
    pub on_day: String,
}

/// Someone who opened the tip, and when.
#[derive(Debug, Clone, Serialize)]
pub struct Reading {
    pub at: String,
    pub who: String,
}

/// A tip as an officer reads it.
#[derive(Debug, Clone, Serialize)]
pub struct OpenTip {
    pub tip: TipRow,
    pub content: TipContent,
    pub messages: Vec<Message>,
    /// The pictures sent with it (opened one by one, each opening audited).
    pub attachments: Vec<crate::tips::attachments::Listed>,
    pub readings: Vec<Reading>,
}

/// The tip's key, unwrapped with the officer's key.
pub(crate) async fn tip_key(
    db: &Db,
    actor: &Actor,
    id: i64,
    secret: &SecretKey,
) -> StorageResult<TipKey> {
    let wrapped: Option<Vec<u8>> =
        sqlx::query_scalar("SELECT wrapped FROM tip_keys WHERE tip_id = $1 AND user_id = $2")
            .bind(id)
            .bind(actor.user_id)
            .fetch_optional(db.pool())
            .await?;
    let wrapped = wrapped.ok_or_else(|| {
        StorageError::Conflict(
            "Tin báo này đến trước khi đồng chí có khóa đọc: khi một cán bộ đã đọc được mở tin, khóa sẽ được chia sẻ cho đồng chí".into(),
        )
    })?;
    antq_vault::unwrap(&wrapped, secret).map_err(|e| StorageError::Conflict(e.to_string()))
}

/// Open a tip with the officer's key (audited as a reading). The tip's key
/// is then also wrapped for every officer who may read the tip and had no
/// wrap of it (a new officer, a new key).
pub async fn open(db: &Db, actor: &Actor, id: i64, secret: &SecretKey) -> StorageResult<OpenTip> {
    let tip = visible(db, actor, id).await?;
    let key = tip_key(db, actor, id, secret).await?;
    let sealed: Option<Vec<u8>> = sqlx::query_scalar("SELECT content FROM tips WHERE id = $1")
        .bind(id)
        .fetch_one(db.pool())
        .await?;
    let plain = antq_vault::open(&key, &sealed.unwrap_or_default(), CONTENT_AAD)
        .map_err(|e| StorageError::Conflict(e.to_string()))?;
    let content: TipContent =
        serde_json::from_slice(&plain).map_err(|e| StorageError::Conflict(e.to_string()))?;
    let messages = messages(db, id, &key, true).await?;
    let who = actor.who();
    let (unit_id, key_ref, who) = (tip.unit_id, &key, &who);
    db.write(|mut tx| async move {
        audit::append(
            &mut tx,
            Change {
                who,
                action: "tip.read",
                entity: "tip",
                entity_id: id.to_string(),
                unit_id: Some(unit_id),
                before: None,
                after: None,
            },
        )
        .await?;
        share_key(&mut tx, id, unit_id, key_ref).await?;
        tx.commit().await?;
        Ok(())
    })
    .await?;
    let readings = readings(db, id).await?;
    let attachments = crate::tips::attachments::list(db, id).await?;
    Ok(OpenTip {
        tip,
        content,
        messages,
        attachments,
        readings,
    })
}

/// Wrap the tip's key for every reader of `unit_id` who has none.
pub(crate) async fn share_key(
    tx: &mut crate::db::WriteTx,
    id: i64,
    unit_id: i64,
    key: &TipKey,
) -> StorageResult<usize> {
    let readers = crate::tips::keys::readers_of(tx, unit_id).await?;
    let have: Vec<i64> = sqlx::query_scalar("SELECT user_id FROM tip_keys WHERE tip_id = $1")
        .bind(id)
        .fetch_all(tx.conn())
        .await?;
    let mut n = 0;
    for (user_id, public) in readers.iter().filter(|(u, _)| !have.contains(u)) {
        insert_wrap(tx, id, *user_id, antq_vault::wrap(key, public)).await?;
        n += 1;
    }
    Ok(n)
}

/// The tip's messages, opened; internal notes only for officers.
pub(crate) async fn messages(
    db: &Db,
    id: i64,
    key: &TipKey,
    with_notes: bool,
) -> StorageResult<Vec<Message>> {
    let rows = sqlx::query(
        "SELECT m.id, m.author, us.display_name, m.kind, m.body, m.on_day FROM tip_messages m \
         LEFT JOIN users us ON us.id = m.user_id WHERE m.tip_id = $1 ORDER BY m.id",
    )
    .bind(id)
    .fetch_all(db.pool())
    .await?;
    let mut out = Vec::new();
    for r in rows {
        let kind: String = r.get(3);
        if kind == "note" && !with_notes {
            continue;
        }
        let body: Vec<u8> = r.get(4);
        let text = antq_vault::open(key, &body, MESSAGE_AAD)
            .map_err(|e| StorageError::Conflict(e.to_string()))?;
        out.push(Message {
            id: r.get(0),
            author: r.get(1),
            officer: if with_notes { r.get(2) } else { None },
            kind,
            text: String::from_utf8_lossy(&text).into_owned(),
            on_day: r.get(5),
        });
    }
    Ok(out)
}

/// Who opened the tip, from the audit chain.
pub async fn readings(db: &Db, id: i64) -> StorageResult<Vec<Reading>> {
    let rows: Vec<(String, String)> = sqlx::query_as(
        "SELECT at, actor FROM audit_log WHERE entity = 'tip' AND entity_id = $1 AND action = 'tip.read' \
         ORDER BY id DESC LIMIT 200",
    )
    .bind(id.to_string())
    .fetch_all(db.pool())
    .await?;
    Ok(rows
        .into_iter()
        .map(|(at, who)| Reading { at, who })
        .collect())
}

/// The audit's word for an act on a tip, with no content.
pub(crate) fn act<'a>(
    who: &'a crate::audit::Who,
    action: &'a str,
    id: i64,
    unit_id: i64,
    after: serde_json::Value,
) -> Change<'a> {
    Change {
        who,
        action,
        entity: "tip",
        entity_id: id.to_string(),
        unit_id: Some(unit_id),
        before: None,
        after: Some(after),
    }
}
