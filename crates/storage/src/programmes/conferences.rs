//! Conferences and events: organisers, attendees, the programmes reviewed
//! and plans signed, the reviews presented, photos, and what the press
//! draft is written from. Access is the holding unit's: `Action::Read` to
//! see, `Action::EditRecords` to record or change; a conference outside the
//! caller's units is "not found", as a missing one.

#[path = "conferences_demo.rs"]
pub mod demo;
#[path = "conferences_input.rs"]
mod input;
#[path = "conferences_photos.rs"]
pub mod photos;
#[path = "conferences_press.rs"]
mod press;
#[path = "conferences_write.rs"]
mod write;

use antq_core::auth::Action;
pub use antq_core::programmes::conferences::{Attendee, ConferenceKind};
use antq_core::programmes::Body;
use serde::Serialize;
use sqlx::Row;

use crate::accounts::access::{self, Actor};
use crate::db::Db;
use crate::error::{StorageError, StorageResult};
use crate::statistics::analytics::MapMode;

pub use input::{ConferenceInput, OrganiserInput, Role, MAX_ATTENDEES, MAX_ORGANISERS};
pub use press::press_input;
pub use write::{create, update};

/// An organiser as stored: a unit's body, or a body by name.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Organiser {
    pub unit_id: Option<i64>,
    pub unit_code: Option<String>,
    pub body: Body,
    /// As printed: "Công an tỉnh Điện Biên".
    pub name: String,
}

/// A programme reviewed or a plan signed at the conference.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LinkedProgramme {
    pub id: i64,
    pub role: Role,
    pub title: String,
    /// The document's reference ("09/CTr-BCA-MTTW"), if it has one.
    pub reference: Option<String>,
}

/// A review presented at the conference.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LinkedReview {
    pub id: i64,
    pub unit_name: String,
    pub from: i32,
    pub to: i32,
    pub issue_date: String,
}

/// A conference with everything recorded about it.
#[derive(Debug, Clone, Serialize)]
pub struct Conference {
    pub id: i64,
    pub kind: ConferenceKind,
    pub title: String,
    pub held_on: String,
    pub place: String,
    #[serde(skip)]
    pub unit_id: i64,
    pub unit_code: String,
    pub unit_name: String,
    pub stage_from: Option<i32>,
    pub stage_to: Option<i32>,
    pub attendance: Option<i64>,
    pub notes: String,
    pub organisers: Vec<Organiser>,
    pub attendees: Vec<Attendee>,
    pub programmes: Vec<LinkedProgramme>,
    pub reviews: Vec<LinkedReview>,
    pub photos: Vec<photos::PhotoInfo>,
    pub created_by: String,
    pub created_at: String,
    pub updated_at: String,
}

/// A conference in a list.
#[derive(Debug, Clone, Serialize)]
pub struct Summary {
    pub id: i64,
    pub kind: ConferenceKind,
    pub title: String,
    pub held_on: String,
    pub place: String,
    pub unit_code: String,
    pub unit_name: String,
    pub stage_from: Option<i32>,
    pub stage_to: Option<i32>,
}

/// Which conferences to list.
#[derive(Debug, Clone, Copy)]
pub struct Filter<'a> {
    /// A unit's subtree (as it was, or with older units gathered into
    /// today's through lineage: `MapMode::Current`); `None`: every unit the
    /// caller may read.
    pub unit: Option<(i64, MapMode)>,
    /// Years of `held_on`, inclusive.
    pub from: Option<i32>,
    pub to: Option<i32>,
    pub kind: Option<ConferenceKind>,
    /// Words of the title (accent-insensitive).
    pub q: Option<&'a str>,
}

/// The most conferences a list returns.
pub const LIST_LIMIT: i64 = 500;

fn not_found(id: i64) -> StorageError {
    StorageError::not_found(format!("hội nghị số {id}"))
}

/// The holding unit of a conference, or "not found".
async fn unit_of(db: &Db, id: i64) -> StorageResult<i64> {
    sqlx::query_scalar("SELECT unit_id FROM conferences WHERE id = $1")
        .bind(id)
        .fetch_optional(db.pool())
        .await?
        .ok_or_else(|| not_found(id))
}

/// Access to a conference: `action` over its holding unit; no read access
/// means "not found"; read access without `action` means forbidden.
pub async fn require(db: &Db, actor: &Actor, action: Action, id: i64) -> StorageResult<i64> {
    let unit_id = unit_of(db, id).await?;
    access::require_visible(db, actor, Action::Read, unit_id, || {
        format!("hội nghị số {id}")
    })
    .await?;
    if action != Action::Read {
        access::require(db, actor, action, unit_id).await?;
    }
    Ok(unit_id)
}

/// May the caller change this conference?
pub async fn may_edit(db: &Db, actor: &Actor, unit_id: i64) -> StorageResult<bool> {
    access::can(db, actor, Action::EditRecords, unit_id).await
}

/// A conference the caller may read.
pub async fn get(db: &Db, actor: &Actor, id: i64) -> StorageResult<Conference> {
    require(db, actor, Action::Read, id).await?;
    read(db, id).await
}

/// A conference, with no access check (the callers above check).
pub(crate) async fn read(db: &Db, id: i64) -> StorageResult<Conference> {
    let r = sqlx::query(
        "SELECT c.id, c.kind, c.title, c.held_on, c.place, c.unit_id, u.code, u.name, \
         c.stage_from, c.stage_to, c.attendance, c.notes, c.created_by, c.created_at, c.updated_at \
         FROM conferences c JOIN units u ON u.id = c.unit_id WHERE c.id = $1",
    )
    .bind(id)
    .fetch_optional(db.pool())
    .await?
    .ok_or_else(|| not_found(id))?;
    Ok(Conference {
        id: r.get(0),
        kind: ConferenceKind::parse(&r.get::<String, _>(1))?,
        title: r.get(2),
        held_on: r.get(3),
        place: r.get(4),
        unit_id: r.get(5),
        unit_code: r.get(6),
        unit_name: r.get(7),
        stage_from: r.get::<Option<i64>, _>(8).map(|y| y as i32),
        stage_to: r.get::<Option<i64>, _>(9).map(|y| y as i32),
        attendance: r.get(10),
        notes: r.get(11),
        created_by: r.get(12),
        created_at: r.get(13),
        updated_at: r.get(14),
        organisers: organisers(db, id).await?,
        attendees: attendees(db, id).await?,
        programmes: programmes(db, id).await?,
        reviews: reviews(db, id).await?,
        photos: photos::list(db, id).await?,
    })
}

async fn organisers(db: &Db, id: i64) -> StorageResult<Vec<Organiser>> {
    let rows = sqlx::query(
        "SELECT o.unit_id, u.code, o.body, o.name FROM conference_organisers o \
         LEFT JOIN units u ON u.id = o.unit_id WHERE o.conference_id = $1 ORDER BY o.position",
    )
    .bind(id)
    .fetch_all(db.pool())
    .await?;
    rows.iter()
        .map(|r| {
            Ok(Organiser {
                unit_id: r.get(0),
                unit_code: r.get(1),
                body: Body::parse(&r.get::<String, _>(2))?,
                name: r.get(3),
            })
        })
        .collect()
}

async fn attendees(db: &Db, id: i64) -> StorageResult<Vec<Attendee>> {
    let rows = sqlx::query(
        "SELECT rank_title, name, office, body FROM conference_attendees \
         WHERE conference_id = $1 ORDER BY position, id",
    )
    .bind(id)
    .fetch_all(db.pool())
    .await?;
    Ok(rows
        .iter()
        .map(|r| Attendee {
            rank_title: r.get(0),
            name: r.get(1),
            office: r.get(2),
            body: r.get(3),
        })
        .collect())
}

async fn programmes(db: &Db, id: i64) -> StorageResult<Vec<LinkedProgramme>> {
    let rows = sqlx::query(
        "SELECT p.id, cp.role, p.title, d.reference FROM conference_programmes cp \
         JOIN programmes p ON p.id = cp.programme_id \
         LEFT JOIN documents d ON d.id = p.document_id \
         WHERE cp.conference_id = $1 ORDER BY cp.role DESC, p.id",
    )
    .bind(id)
    .fetch_all(db.pool())
    .await?;
    rows.iter()
        .map(|r| {
            Ok(LinkedProgramme {
                id: r.get(0),
                role: Role::parse(&r.get::<String, _>(1))?,
                title: r.get(2),
                reference: r.get(3),
            })
        })
        .collect()
}

async fn reviews(db: &Db, id: i64) -> StorageResult<Vec<LinkedReview>> {
    let rows = sqlx::query(
        "SELECT v.id, u.name, v.period_from, v.period_to, v.issue_date FROM conference_reviews cr \
         JOIN reviews v ON v.id = cr.review_id JOIN units u ON u.id = v.unit_id \
         WHERE cr.conference_id = $1 ORDER BY v.id",
    )
    .bind(id)
    .fetch_all(db.pool())
    .await?;
    Ok(rows
        .iter()
        .map(|r| LinkedReview {
            id: r.get(0),
            unit_name: r.get(1),
            from: r.get::<i64, _>(2) as i32,
            to: r.get::<i64, _>(3) as i32,
            issue_date: r.get(4),
        })
        .collect())
}

/// The WHERE clause of a listing and its bound texts.
fn conditions(actor: &Actor, f: &Filter<'_>) -> (String, Vec<String>) {
    let mut conds = vec![actor.scope_sql(Action::Read, "c.unit_id")];
    let mut binds: Vec<String> = Vec::new();
    let arg = |v: String, binds: &mut Vec<String>| {
        binds.push(v);
        format!("${}", binds.len())
    };
    if let Some((unit_id, map)) = f.unit {
        // Ids are integers: written into the SQL safely.
        let subject = match map {
            MapMode::Historical => "c.unit_id".to_string(),
            MapMode::Current => {
                "(SELECT m.current_id FROM unit_data_map m WHERE m.unit_id = c.unit_id)".into()
            }
        };
        conds.push(format!(
            "{subject} IN (SELECT descendant_id FROM unit_tree WHERE ancestor_id = {unit_id})"
        ));
    }
    if let Some(y) = f.from {
        let p = arg(format!("{y:04}-01-01"), &mut binds);
        conds.push(format!("c.held_on >= {p}"));
    }
    if let Some(y) = f.to {
        let p = arg(format!("{y:04}-12-31"), &mut binds);
        conds.push(format!("c.held_on <= {p}"));
    }
    if let Some(k) = f.kind {
        let p = arg(k.code().to_string(), &mut binds);
        conds.push(format!("c.kind = {p}"));
    }
    if let Some(q) =
        f.q.map(antq_core::text::fold)
            .filter(|q| !q.trim().is_empty())
    {
        let p = arg(format!("%{}%", q.trim()), &mut binds);
        conds.push(format!("c.search_key LIKE {p}"));
    }
    (conds.join(" AND "), binds)
}

/// How many conferences the caller may read match (the list shows at most `LIST_LIMIT`).
pub async fn count(db: &Db, actor: &Actor, f: Filter<'_>) -> StorageResult<i64> {
    let (conds, binds) = conditions(actor, &f);
    let sql = format!("SELECT COUNT(*) FROM conferences c WHERE {conds}");
    let mut q = sqlx::query_scalar(&sql);
    for b in binds {
        q = q.bind(b);
    }
    Ok(q.fetch_one(db.pool()).await?)
}

/// The conferences the caller may read, newest first (at most `LIST_LIMIT`).
pub async fn list(db: &Db, actor: &Actor, f: Filter<'_>) -> StorageResult<Vec<Summary>> {
    let (conds, binds) = conditions(actor, &f);
    let sql = format!(
        "SELECT c.id, c.kind, c.title, c.held_on, c.place, u.code, u.name, c.stage_from, c.stage_to \
         FROM conferences c JOIN units u ON u.id = c.unit_id WHERE {conds} \
         ORDER BY c.held_on DESC, c.id DESC LIMIT {LIST_LIMIT}"
    );
    let mut q = sqlx::query(&sql);
    for b in binds {
        q = q.bind(b);
    }
    let rows = q.fetch_all(db.pool()).await?;
    rows.iter()
        .map(|r| {
            Ok(Summary {
                id: r.get(0),
                kind: ConferenceKind::parse(&r.get::<String, _>(1))?,
                title: r.get(2),
                held_on: r.get(3),
                place: r.get(4),
                unit_code: r.get(5),
                unit_name: r.get(6),
                stage_from: r.get::<Option<i64>, _>(7).map(|y| y as i32),
                stage_to: r.get::<Option<i64>, _>(8).map(|y| y as i32),
            })
        })
        .collect()
}

/// The programmes and plans one may link, for a form's choice: (id, kind,
/// title, reference), national ones and those of units the caller may read.
pub async fn programme_choices(
    db: &Db,
    actor: &Actor,
) -> StorageResult<Vec<(i64, String, String, Option<String>)>> {
    let scope = actor.scope_sql(Action::Read, "p.unit_id");
    let rows = sqlx::query(&format!(
        "SELECT p.id, p.kind, p.title, d.reference FROM programmes p \
         LEFT JOIN documents d ON d.id = p.document_id \
         WHERE p.unit_id IS NULL OR {scope} ORDER BY p.signed_on DESC, p.id LIMIT 500"
    ))
    .fetch_all(db.pool())
    .await?;
    Ok(rows
        .iter()
        .map(|r| (r.get(0), r.get(1), r.get(2), r.get(3)))
        .collect())
}
