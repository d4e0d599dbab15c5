//! Coordination programmes and plans: their document, parties, stage,
//! what they implement, content items and state.
//! (Owned by the documents work of issue 12.)
//!
//! Access as for documents: national programmes (no unit) are read by every
//! signed-in user, a unit's plans by those who may `Read` it; editing needs
//! `EditRecords` over the unit, or a national grant.

#[path = "plans_write.rs"]
mod write;

pub(crate) use write::insert as write_insert;
pub use write::{create, update, ItemInput, PartyInput, PlanInput};

use antq_core::auth::Action;
use antq_core::programmes::documents::{ProgrammeKind, ProgrammeState};
use antq_core::programmes::Body;
use serde::Serialize;
use sqlx::Row;

use crate::accounts::access::Actor;
use crate::db::Db;
use crate::error::{StorageError, StorageResult};
use crate::programmes::documents::{can_read, Reader};

/// A party to a programme: a unit's body, or another organisation by name.
#[derive(Debug, Clone, Serialize)]
pub struct Party {
    pub id: i64,
    pub unit_id: Option<i64>,
    pub unit_code: Option<String>,
    pub unit_name: Option<String>,
    pub body: Body,
    pub name: String,
}

/// An obligation of the programme and who is responsible for it.
#[derive(Debug, Clone, Serialize)]
pub struct Item {
    pub id: i64,
    pub content: String,
    pub party_id: Option<i64>,
    pub party_name: Option<String>,
}

/// Another programme named by its title (what a plan implements, its successor).
#[derive(Debug, Clone, Serialize)]
pub struct ProgrammeLink {
    pub id: i64,
    pub title: String,
}

/// A programme or plan as read.
#[derive(Debug, Clone, Serialize)]
pub struct Programme {
    pub id: i64,
    pub document_id: Option<i64>,
    /// The document's printed reference, None while unknown.
    pub reference: Option<String>,
    pub kind: ProgrammeKind,
    pub title: String,
    pub unit_id: Option<i64>,
    pub unit_code: Option<String>,
    pub unit_name: Option<String>,
    /// ISO date.
    pub signed_on: Option<String>,
    pub stage_from: Option<i64>,
    pub stage_to: Option<i64>,
    pub implements: Option<ProgrammeLink>,
    pub implemented_by: Vec<ProgrammeLink>,
    pub state: ProgrammeState,
    pub replaced_by: Option<ProgrammeLink>,
    pub ended_on: Option<String>,
    pub notes: String,
    pub parties: Vec<Party>,
    pub items: Vec<Item>,
}

impl Programme {
    /// "2013 – 2023", "từ 2023", or empty.
    pub fn stage(&self) -> String {
        match (self.stage_from, self.stage_to) {
            (Some(a), Some(b)) => format!("{a} – {b}"),
            (Some(a), None) => format!("từ {a}"),
            (None, Some(b)) => format!("đến {b}"),
            (None, None) => String::new(),
        }
    }
}

/// Which programmes to list.
#[derive(Debug, Clone, Default)]
pub struct PlanQuery {
    /// Only this unit's plans (None: all the reader may read).
    pub unit_id: Option<i64>,
    /// Only national programmes.
    pub national_only: bool,
    pub state: Option<ProgrammeState>,
    pub kind: Option<ProgrammeKind>,
    /// Only those that cover this year.
    pub covering_year: Option<i64>,
    /// Who reads (default: antq itself, everything; pages and the API set `Reader::User`).
    pub reader: Reader,
}

fn not_found(id: i64) -> StorageError {
    StorageError::not_found(format!("chương trình, kế hoạch số {id}"))
}

const COLUMNS: &str = "p.id, p.document_id, d.reference, p.kind, p.title, p.unit_id, u.name, \
     p.signed_on, p.stage_from, p.stage_to, p.implements_id, i.title, p.state, \
     p.replaced_by_id, r.title, p.ended_on, p.notes, u.code";
const FROM: &str = "programmes p LEFT JOIN documents d ON d.id = p.document_id \
     LEFT JOIN units u ON u.id = p.unit_id LEFT JOIN programmes i ON i.id = p.implements_id \
     LEFT JOIN programmes r ON r.id = p.replaced_by_id";

fn link(id: Option<i64>, title: Option<String>) -> Option<ProgrammeLink> {
    Some(ProgrammeLink {
        id: id?,
        title: title.unwrap_or_default(),
    })
}

fn from_row(r: &sqlx::any::AnyRow) -> StorageResult<Programme> {
    let kind: String = r.get(3);
    let state: String = r.get(12);
    Ok(Programme {
        id: r.get(0),
        document_id: r.get(1),
        reference: r.get(2),
        kind: ProgrammeKind::parse(&kind)?,
        title: r.get(4),
        unit_id: r.get(5),
        unit_name: r.get(6),
        unit_code: r.get(17),
        signed_on: r.get(7),
        stage_from: r.get(8),
        stage_to: r.get(9),
        implements: link(r.get(10), r.get(11)),
        implemented_by: Vec::new(),
        state: ProgrammeState::parse(&state)?,
        replaced_by: link(r.get(13), r.get(14)),
        ended_on: r.get(15),
        notes: r.get(16),
        parties: Vec::new(),
        items: Vec::new(),
    })
}

/// A programme without access checks (for other registries that hold its id).
pub async fn load(db: &Db, id: i64) -> StorageResult<Option<Programme>> {
    let row = sqlx::query(&format!("SELECT {COLUMNS} FROM {FROM} WHERE p.id = $1"))
        .bind(id)
        .fetch_optional(db.pool())
        .await?;
    let Some(row) = row else { return Ok(None) };
    let mut p = from_row(&row)?;
    fill(db, &mut p).await?;
    Ok(Some(p))
}

/// A programme, without access checks (for other registries that hold its id).
pub async fn get(db: &Db, id: i64) -> StorageResult<Programme> {
    load(db, id).await?.ok_or_else(|| not_found(id))
}

/// The programmes of the document with this reference or alias ("09/CTr-BCA-MTTW",
/// "09/Ctr-BCA-TTTW"), without access checks: how other registries find programme 09.
pub async fn by_reference(db: &Db, reference: &str) -> StorageResult<Vec<Programme>> {
    let Some(doc) = crate::programmes::documents::by_reference(db, reference).await? else {
        return Ok(Vec::new());
    };
    let ids: Vec<i64> =
        sqlx::query_scalar("SELECT id FROM programmes WHERE document_id = $1 ORDER BY id")
            .bind(doc.id)
            .fetch_all(db.pool())
            .await?;
    let mut out = Vec::with_capacity(ids.len());
    for id in ids {
        out.push(get(db, id).await?);
    }
    Ok(out)
}

/// A programme the actor may read (otherwise not found, like a missing one).
pub async fn read(db: &Db, actor: &Actor, id: i64) -> StorageResult<Programme> {
    let mut p = load(db, id).await?.ok_or_else(|| not_found(id))?;
    if !can_read(db, actor, p.unit_id).await? {
        return Err(not_found(id));
    }
    // The plans implementing it that the reader may read, no others.
    let mut visible = Vec::with_capacity(p.implemented_by.len());
    for link in std::mem::take(&mut p.implemented_by) {
        let unit: Option<i64> = sqlx::query_scalar("SELECT unit_id FROM programmes WHERE id = $1")
            .bind(link.id)
            .fetch_one(db.pool())
            .await?;
        if can_read(db, actor, unit).await? {
            visible.push(link);
        }
    }
    p.implemented_by = visible;
    Ok(p)
}

async fn fill(db: &Db, p: &mut Programme) -> StorageResult<()> {
    let parties = sqlx::query(
        "SELECT pp.id, pp.unit_id, u.name, pp.body, pp.name, u.code FROM programme_parties pp \
         LEFT JOIN units u ON u.id = pp.unit_id WHERE pp.programme_id = $1 ORDER BY pp.position",
    )
    .bind(p.id)
    .fetch_all(db.pool())
    .await?;
    for r in &parties {
        let body: String = r.get(3);
        p.parties.push(Party {
            id: r.get(0),
            unit_id: r.get(1),
            unit_name: r.get(2),
            unit_code: r.get(5),
            body: Body::parse(&body)?,
            name: r.get(4),
        });
    }
    let items: Vec<(i64, String, Option<i64>)> = sqlx::query_as(
        "SELECT id, content, party_id FROM programme_items WHERE programme_id = $1 ORDER BY position",
    )
    .bind(p.id)
    .fetch_all(db.pool())
    .await?;
    p.items = items
        .into_iter()
        .map(|(id, content, party_id)| Item {
            id,
            content,
            party_name: party_id
                .and_then(|pid| p.parties.iter().find(|x| x.id == pid))
                .map(|x| x.name.clone()),
            party_id,
        })
        .collect();
    let by: Vec<(i64, String)> = sqlx::query_as(
        "SELECT id, title FROM programmes WHERE implements_id = $1 ORDER BY stage_from, id",
    )
    .bind(p.id)
    .fetch_all(db.pool())
    .await?;
    p.implemented_by = by
        .into_iter()
        .map(|(id, title)| ProgrammeLink { id, title })
        .collect();
    Ok(())
}

/// The programmes `query.reader` may read: national first, then by unit in
/// Vietnamese collation order; within each, the latest stage first.
pub async fn list(db: &Db, query: &PlanQuery) -> StorageResult<Vec<Programme>> {
    let mut conds = vec![query.reader.condition("p.unit_id")];
    if let Some(u) = query.unit_id {
        conds.push(format!("p.unit_id = {u}"));
    }
    if query.national_only {
        conds.push("p.unit_id IS NULL".into());
    }
    if let Some(s) = query.state {
        conds.push(format!("p.state = '{}'", s.code()));
    }
    if let Some(k) = query.kind {
        conds.push(format!("p.kind = '{}'", k.code()));
    }
    if let Some(y) = query.covering_year {
        conds.push(format!(
            "(p.stage_from IS NULL OR p.stage_from <= {y}) AND (p.stage_to IS NULL OR p.stage_to >= {y})"
        ));
    }
    let rows = sqlx::query(&format!(
        "SELECT {COLUMNS} FROM {FROM} WHERE {} ORDER BY CASE WHEN p.unit_id IS NULL THEN 0 ELSE 1 END, \
         u.sort_key, p.stage_from DESC, p.id",
        conds.join(" AND ")
    ))
    .fetch_all(db.pool())
    .await?;
    let mut out = Vec::with_capacity(rows.len());
    for r in &rows {
        let mut p = from_row(r)?;
        fill(db, &mut p).await?;
        out.push(p);
    }
    Ok(out)
}

/// The programmes that use a document (for the document's page).
pub async fn for_document(
    db: &Db,
    actor: &Actor,
    document_id: i64,
) -> StorageResult<Vec<ProgrammeLink>> {
    let rows: Vec<(i64, String)> = sqlx::query_as(&format!(
        "SELECT p.id, p.title FROM programmes p WHERE p.document_id = $1 AND (p.unit_id IS NULL OR {}) \
         ORDER BY p.id",
        actor.scope_sql(Action::Read, "p.unit_id")
    ))
    .bind(document_id)
    .fetch_all(db.pool())
    .await?;
    Ok(rows
        .into_iter()
        .map(|(id, title)| ProgrammeLink { id, title })
        .collect())
}
