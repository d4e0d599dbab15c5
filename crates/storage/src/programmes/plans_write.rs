//! Recording and changing programmes and plans, audited.

use antq_core::dates::{self, Date};
use antq_core::programmes::documents::{ProgrammeKind, ProgrammeState};
use antq_core::programmes::Body;
use antq_core::text;
use antq_core::DomainError;
use serde::Serialize;
use serde_json::json;

use super::{load, not_found, read as get, Programme};
use crate::accounts::access::Actor;
use crate::audit::{self, Change, Who};
use crate::db::{Db, WriteTx};
use crate::error::{StorageError, StorageResult};
use crate::programmes::documents::{self as documents, require_edit};

/// How many parties and items a programme may list.
pub const MAX_PARTIES: usize = 20;
pub const MAX_ITEMS: usize = 100;

/// A party: a unit's body (its name may be left empty: "Công an tỉnh
/// Điện Biên" is made from the unit), or another organisation by name.
#[derive(Debug, Clone, Serialize)]
pub struct PartyInput {
    pub unit_id: Option<i64>,
    pub body: Body,
    pub name: String,
}

/// An item and the party responsible (an index into the parties).
#[derive(Debug, Clone, Serialize)]
pub struct ItemInput {
    pub content: String,
    pub party: Option<usize>,
}

/// A programme or plan to record.
#[derive(Debug, Clone, Serialize)]
pub struct PlanInput {
    pub document_id: Option<i64>,
    pub kind: ProgrammeKind,
    pub title: String,
    pub unit_id: Option<i64>,
    pub signed_on: Option<Date>,
    pub stage_from: Option<i64>,
    pub stage_to: Option<i64>,
    pub implements_id: Option<i64>,
    pub state: ProgrammeState,
    pub replaced_by_id: Option<i64>,
    pub ended_on: Option<Date>,
    pub notes: String,
    pub parties: Vec<PartyInput>,
    pub items: Vec<ItemInput>,
}

impl PlanInput {
    /// Clean every text and refuse what is empty, too long or inconsistent.
    pub fn check(mut self) -> Result<PlanInput, DomainError> {
        self.title = text::clean(&self.title);
        if self.title.is_empty() {
            return Err(DomainError::invalid(
                "Tên chương trình, kế hoạch đang để trống",
            ));
        }
        text::check_len("Tên chương trình, kế hoạch", &self.title, 500)?;
        self.notes = text::nfc(self.notes.trim());
        text::check_len("Ghi chú", &self.notes, text::limits::NOTE)?;
        for y in [self.stage_from, self.stage_to].into_iter().flatten() {
            if !(1945..=2100).contains(&y) {
                return Err(DomainError::invalid(format!(
                    "Năm {y} của giai đoạn không hợp lệ"
                )));
            }
        }
        if let (Some(a), Some(b)) = (self.stage_from, self.stage_to) {
            if a > b {
                return Err(DomainError::invalid(format!(
                    "Giai đoạn bắt đầu năm {a} sau năm kết thúc {b}"
                )));
            }
        }
        if self.parties.len() > MAX_PARTIES {
            return Err(DomainError::invalid(format!(
                "Có {} bên tham gia, nhiều nhất là {MAX_PARTIES}",
                self.parties.len()
            )));
        }
        for p in &mut self.parties {
            p.name = text::clean(&p.name);
            if p.name.is_empty() && p.unit_id.is_none() {
                return Err(DomainError::invalid(
                    "Mỗi bên tham gia cần một đơn vị hoặc một tên cơ quan",
                ));
            }
            text::check_len("Tên bên tham gia", &p.name, text::limits::NAME)?;
        }
        self.items.retain(|i| !i.content.trim().is_empty());
        if self.items.len() > MAX_ITEMS {
            return Err(DomainError::invalid(format!(
                "Có {} nội dung, nhiều nhất là {MAX_ITEMS}",
                self.items.len()
            )));
        }
        for i in &mut self.items {
            i.content = text::clean(&i.content);
            text::check_len("Nội dung", &i.content, 2_000)?;
            if i.party.is_some_and(|p| p >= self.parties.len()) {
                return Err(DomainError::invalid(format!(
                    "Nội dung \u{201C}{}\u{201D} giao cho một bên không có trong danh sách",
                    i.content
                )));
            }
        }
        if self.state != ProgrammeState::Replaced {
            self.replaced_by_id = None;
        }
        if self.state != ProgrammeState::Ended {
            self.ended_on = None;
        }
        Ok(self)
    }

    fn search_key(&self) -> String {
        let mut parts = vec![self.title.clone(), self.kind.word_vi().to_string()];
        parts.extend(self.parties.iter().map(|p| p.name.clone()));
        text::fold(&parts.join(" "))
    }
}

/// Check the ids the input points to: the document and programmes must
/// exist and be readable; a programme implements or is replaced by another.
async fn check_links(
    db: &Db,
    actor: &Actor,
    id: Option<i64>,
    input: &PlanInput,
) -> StorageResult<()> {
    if let Some(d) = input.document_id {
        documents::get(db, actor, d).await?;
    }
    for other in [input.implements_id, input.replaced_by_id]
        .into_iter()
        .flatten()
    {
        if Some(other) == id {
            return Err(DomainError::invalid(
                "Một chương trình không thể thực hiện hay thay thế chính nó",
            )
            .into());
        }
        get(db, actor, other).await?;
    }
    Ok(())
}

/// Fill the empty names of unit parties from the unit: "Công an tỉnh Điện Biên".
async fn name_parties(db: &Db, input: &mut PlanInput) -> StorageResult<()> {
    for p in &mut input.parties {
        if let (true, Some(u)) = (p.name.is_empty(), p.unit_id) {
            let name: Option<String> = sqlx::query_scalar("SELECT name FROM units WHERE id = $1")
                .bind(u)
                .fetch_optional(db.pool())
                .await?;
            let name = name.ok_or_else(|| StorageError::not_found(format!("đơn vị số {u}")))?;
            let mut chars = name.chars();
            let lower: String = chars
                .next()
                .map(|c| c.to_lowercase().chain(chars).collect())
                .unwrap_or_default();
            p.name = format!("{} {lower}", p.body.word_vi());
        }
    }
    Ok(())
}

/// Record a new programme or plan (audited).
pub async fn create(db: &Db, actor: &Actor, input: PlanInput) -> StorageResult<Programme> {
    let mut input = input.check()?;
    require_edit(db, actor, input.unit_id).await?;
    check_links(db, actor, None, &input).await?;
    name_parties(db, &mut input).await?;
    let who = actor.who();
    let id = db
        .write(|mut tx| {
            let (input, who) = (&input, &who);
            async move {
                let id = insert(&mut tx, who, input).await?;
                tx.commit().await?;
                Ok(id)
            }
        })
        .await?;
    load(db, id).await?.ok_or_else(|| not_found(id))
}

/// Insert a programme with its parties and items, audited, in the caller's transaction.
pub(crate) async fn insert(tx: &mut WriteTx, who: &Who, input: &PlanInput) -> StorageResult<i64> {
    let now = dates::timestamp(dates::now_utc());
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO programmes (document_id, kind, title, unit_id, signed_on, stage_from, \
         stage_to, implements_id, state, replaced_by_id, ended_on, notes, search_key, created_by, \
         created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, \
         $14, $15, $15) RETURNING id",
    )
    .bind(input.document_id)
    .bind(input.kind.code())
    .bind(&input.title)
    .bind(input.unit_id)
    .bind(input.signed_on.map(dates::iso))
    .bind(input.stage_from)
    .bind(input.stage_to)
    .bind(input.implements_id)
    .bind(input.state.code())
    .bind(input.replaced_by_id)
    .bind(input.ended_on.map(dates::iso))
    .bind(&input.notes)
    .bind(input.search_key())
    .bind(&who.name)
    .bind(&now)
    .fetch_one(tx.conn())
    .await?;
    write_lists(tx, id, input).await?;
    audit_change(tx, who, "programme.create", id, None, input).await?;
    Ok(id)
}

async fn audit_change(
    tx: &mut WriteTx,
    who: &Who,
    action: &str,
    id: i64,
    before: Option<serde_json::Value>,
    input: &PlanInput,
) -> StorageResult<()> {
    audit::append(
        tx,
        Change {
            who,
            action,
            entity: "programme",
            entity_id: id.to_string(),
            unit_id: input.unit_id,
            before,
            after: Some(json!(input)),
        },
    )
    .await?;
    Ok(())
}

async fn write_lists(tx: &mut WriteTx, id: i64, input: &PlanInput) -> StorageResult<()> {
    sqlx::query("DELETE FROM programme_items WHERE programme_id = $1")
        .bind(id)
        .execute(tx.conn())
        .await?;
    sqlx::query("DELETE FROM programme_parties WHERE programme_id = $1")
        .bind(id)
        .execute(tx.conn())
        .await?;
    let mut party_ids = Vec::with_capacity(input.parties.len());
    for (i, p) in input.parties.iter().enumerate() {
        let pid: i64 = sqlx::query_scalar(
            "INSERT INTO programme_parties (programme_id, position, unit_id, body, name) \
             VALUES ($1, $2, $3, $4, $5) RETURNING id",
        )
        .bind(id)
        .bind(i as i64 + 1)
        .bind(p.unit_id)
        .bind(p.body.code())
        .bind(&p.name)
        .fetch_one(tx.conn())
        .await?;
        party_ids.push(pid);
    }
    for (i, item) in input.items.iter().enumerate() {
        sqlx::query(
            "INSERT INTO programme_items (programme_id, position, content, party_id) \
             VALUES ($1, $2, $3, $4)",
        )
        .bind(id)
        .bind(i as i64 + 1)
        .bind(&item.content)
        .bind(item.party.map(|p| party_ids[p]))
        .execute(tx.conn())
        .await?;
    }
    Ok(())
}

/// Change a programme or plan (audited, with what it was before).
pub async fn update(db: &Db, actor: &Actor, id: i64, input: PlanInput) -> StorageResult<Programme> {
    let mut input = input.check()?;
    let before = get(db, actor, id).await?;
    require_edit(db, actor, before.unit_id).await?;
    require_edit(db, actor, input.unit_id).await?;
    check_links(db, actor, Some(id), &input).await?;
    name_parties(db, &mut input).await?;
    let who = actor.who();
    db.write(|mut tx| {
        let (input, who, before) = (&input, &who, &before);
        async move {
            let now = dates::timestamp(dates::now_utc());
            sqlx::query(
                "UPDATE programmes SET document_id = $1, kind = $2, title = $3, unit_id = $4, \
                 signed_on = $5, stage_from = $6, stage_to = $7, implements_id = $8, state = $9, \
                 replaced_by_id = $10, ended_on = $11, notes = $12, search_key = $13, \
                 updated_at = $14 WHERE id = $15",
            )
            .bind(input.document_id)
            .bind(input.kind.code())
            .bind(&input.title)
            .bind(input.unit_id)
            .bind(input.signed_on.map(dates::iso))
            .bind(input.stage_from)
            .bind(input.stage_to)
            .bind(input.implements_id)
            .bind(input.state.code())
            .bind(input.replaced_by_id)
            .bind(input.ended_on.map(dates::iso))
            .bind(&input.notes)
            .bind(input.search_key())
            .bind(&now)
            .bind(id)
            .execute(tx.conn())
            .await?;
            write_lists(&mut tx, id, input).await?;
            audit_change(
                &mut tx,
                who,
                "programme.update",
                id,
                Some(json!(before)),
                input,
            )
            .await?;
            tx.commit().await
        }
    })
    .await?;
    load(db, id).await?.ok_or_else(|| not_found(id))
}
