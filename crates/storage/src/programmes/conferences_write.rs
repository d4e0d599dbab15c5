//! Recording and changing a conference (audited, in one transaction): the
//! conference, its organisers, attendees, linked programmes and reviews.

use antq_core::auth::Action;
use antq_core::dates;
use antq_core::programmes::Body;
use antq_core::units::Level;
use serde_json::{json, Value};

use super::input::{ConferenceInput, OrganiserInput, Role};
use super::{read, require, Conference};
use crate::accounts::access::{self, Actor};
use crate::audit::{self, Change};
use crate::db::{Db, WriteTx};
use crate::error::{StorageError, StorageResult};
use crate::units;

/// The printed name of a unit's body: "Công an tỉnh Điện Biên", "Ban
/// Thường trực Ủy ban MTTQ Việt Nam tỉnh Điện Biên", "Bộ Công an".
fn body_name(body: Body, unit: &units::Unit) -> String {
    let place = {
        let mut chars = unit.name.chars();
        match chars.next() {
            Some(c) => c.to_lowercase().chain(chars).collect::<String>(),
            None => String::new(),
        }
    };
    match (body, unit.level) {
        (Body::CongAn, Level::Nation) => "Bộ Công an".into(),
        (Body::Mttq, Level::Nation) => "Ban Thường trực Ủy ban Trung ương MTTQ Việt Nam".into(),
        (Body::Ubnd, Level::Nation) => "Chính phủ".into(),
        (Body::CongAn, _) => format!("Công an {place}"),
        (Body::Mttq, _) => format!("Ban Thường trực Ủy ban MTTQ Việt Nam {place}"),
        (Body::Ubnd, _) | (Body::Khac, _) => format!("Ủy ban nhân dân {place}"),
    }
}

/// The organisers with their names (made from the unit's where empty).
async fn named(db: &Db, organisers: &[OrganiserInput]) -> StorageResult<Vec<OrganiserInput>> {
    let mut out = Vec::new();
    for o in organisers {
        let mut o = o.clone();
        if let Some(id) = o.unit_id {
            let unit = units::by_id(db, id).await?;
            if o.name.is_empty() {
                o.name = body_name(o.body, &unit);
            }
        }
        out.push(o);
    }
    Ok(out)
}

/// Linked programmes must exist; linked reviews must be of the holding
/// unit's subtree (or of older units under it), or of the unit that covers
/// the holding unit today (today's province reviewing the stage the old
/// province lived).
async fn check_links(db: &Db, actor: Option<&Actor>, c: &ConferenceInput) -> StorageResult<()> {
    for id in c.reviewed.iter().chain(&c.signed) {
        let found = match actor {
            // A programme the caller may not read is, to them, one that does not exist.
            Some(x) => match crate::programmes::plans::read(db, x, *id).await {
                Ok(_) => true,
                Err(StorageError::NotFound(_)) => false,
                Err(e) => return Err(e),
            },
            None => crate::programmes::plans::load(db, *id).await?.is_some(),
        };
        if !found {
            return Err(antq_core::DomainError::invalid(format!(
                "Không có chương trình, kế hoạch số {id}"
            ))
            .into());
        }
    }
    // An organiser that is a unit: the holding unit's own tree or above it.
    for o in &c.organisers {
        let Some(u) = o.unit_id else { continue };
        let related: Option<i64> = sqlx::query_scalar(
            "SELECT descendant_id FROM unit_scope WHERE (ancestor_id = $1 AND descendant_id = $2) \
             OR (ancestor_id = $2 AND descendant_id = $1)",
        )
        .bind(c.unit_id)
        .bind(u)
        .fetch_optional(db.pool())
        .await?;
        if related.is_none() {
            return Err(antq_core::DomainError::invalid(format!(
                "{} không thuộc đơn vị tổ chức hội nghị hoặc cấp trên của đơn vị đó",
                o.name
            ))
            .into());
        }
    }
    for id in &c.reviews {
        let found: Option<i64> = sqlx::query_scalar(
            "SELECT id FROM reviews WHERE id = $1 AND (unit_id IN \
             (SELECT descendant_id FROM unit_scope WHERE ancestor_id = $2) \
             OR $2 IN (SELECT descendant_id FROM unit_scope WHERE ancestor_id = reviews.unit_id))",
        )
        .bind(id)
        .bind(c.unit_id)
        .fetch_optional(db.pool())
        .await?;
        if found.is_none() {
            return Err(antq_core::DomainError::invalid(format!(
                "Báo cáo tổng kết số {id} không phải của đơn vị tổ chức hội nghị"
            ))
            .into());
        }
    }
    Ok(())
}

fn audit_json(c: &ConferenceInput) -> Value {
    json!({
        "kind": c.kind.code(), "title": c.title, "held_on": dates::iso(c.held_on),
        "place": c.place, "unit_id": c.unit_id, "stage": c.stage, "attendance": c.attendance,
        "notes": c.notes,
        "organisers": c.organisers.iter().map(|o| json!({"unit_id": o.unit_id, "body": o.body.code(), "name": o.name})).collect::<Vec<_>>(),
        "attendees": c.attendees, "reviewed": c.reviewed, "signed": c.signed, "reviews": c.reviews,
    })
}

/// Checked, and allowed to `actor` (none: antq itself, for the demo).
async fn prepare(
    db: &Db,
    actor: Option<&Actor>,
    c: ConferenceInput,
) -> StorageResult<ConferenceInput> {
    let mut c = c.checked()?;
    if let Some(actor) = actor {
        access::require(db, actor, Action::EditRecords, c.unit_id).await?;
    }
    c.organisers = named(db, &c.organisers).await?;
    check_links(db, actor, &c).await?;
    Ok(c)
}

/// Record a conference (audited); returns it.
pub async fn create(db: &Db, actor: &Actor, c: ConferenceInput) -> StorageResult<Conference> {
    let c = prepare(db, Some(actor), c).await?;
    insert(db, &actor.who(), &c).await
}

/// Record a conference as antq itself (the demo), audited as the system.
pub(crate) async fn create_as_system(db: &Db, c: ConferenceInput) -> StorageResult<Conference> {
    let c = prepare(db, None, c).await?;
    insert(db, &crate::audit::Who::system(), &c).await
}

async fn insert(
    db: &Db,
    who: &crate::audit::Who,
    c: &ConferenceInput,
) -> StorageResult<Conference> {
    let now = dates::timestamp(dates::now_utc());
    let now = &now;
    let id = db
        .write(|mut tx| async move {
            let id: i64 = sqlx::query_scalar(
                "INSERT INTO conferences (kind, title, held_on, place, unit_id, stage_from, \
                 stage_to, attendance, notes, search_key, created_by, created_at, updated_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $12) RETURNING id",
            )
            .bind(c.kind.code())
            .bind(&c.title)
            .bind(dates::iso(c.held_on))
            .bind(&c.place)
            .bind(c.unit_id)
            .bind(c.stage.map(|s| i64::from(s.0)))
            .bind(c.stage.map(|s| i64::from(s.1)))
            .bind(c.attendance)
            .bind(&c.notes)
            .bind(c.search_key())
            .bind(&who.name)
            .bind(now)
            .fetch_one(tx.conn())
            .await?;
            write_children(&mut tx, id, c).await?;
            audit::append(
                &mut tx,
                Change {
                    who,
                    action: "conference.create",
                    entity: "conference",
                    entity_id: id.to_string(),
                    unit_id: Some(c.unit_id),
                    before: None,
                    after: Some(audit_json(c)),
                },
            )
            .await?;
            tx.commit().await?;
            Ok(id)
        })
        .await?;
    crate::reviews::refresh_conference(db, who, id).await?;
    read(db, id).await
}

/// Change a conference (audited): every field and list replaced. Moving it
/// to another unit needs the right to record in both.
pub async fn update(
    db: &Db,
    actor: &Actor,
    id: i64,
    c: ConferenceInput,
) -> StorageResult<Conference> {
    require(db, actor, Action::EditRecords, id).await?;
    let c = prepare(db, Some(actor), c).await?;
    let before = read(db, id).await?;
    let who = actor.who();
    let now = dates::timestamp(dates::now_utc());
    let (c, who, now, before) = (&c, &who, &now, &before);
    db.write(|mut tx| async move {
        let n = sqlx::query(
            "UPDATE conferences SET kind = $1, title = $2, held_on = $3, place = $4, unit_id = $5, \
             stage_from = $6, stage_to = $7, attendance = $8, notes = $9, search_key = $10, \
             updated_at = $11 WHERE id = $12",
        )
        .bind(c.kind.code())
        .bind(&c.title)
        .bind(dates::iso(c.held_on))
        .bind(&c.place)
        .bind(c.unit_id)
        .bind(c.stage.map(|s| i64::from(s.0)))
        .bind(c.stage.map(|s| i64::from(s.1)))
        .bind(c.attendance)
        .bind(&c.notes)
        .bind(c.search_key())
        .bind(now)
        .bind(id)
        .execute(tx.conn())
        .await?
        .rows_affected();
        if n == 0 {
            return Err(StorageError::not_found(format!("hội nghị số {id}")));
        }
        for table in [
            "conference_organisers",
            "conference_attendees",
            "conference_programmes",
            "conference_reviews",
        ] {
            sqlx::query(&format!("DELETE FROM {table} WHERE conference_id = $1"))
                .bind(id)
                .execute(tx.conn())
                .await?;
        }
        write_children(&mut tx, id, c).await?;
        audit::append(
            &mut tx,
            Change {
                who,
                action: "conference.update",
                entity: "conference",
                entity_id: id.to_string(),
                unit_id: Some(c.unit_id),
                before: Some(json!(before)),
                after: Some(audit_json(c)),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(())
    })
    .await?;
    crate::reviews::refresh_conference(db, who, id).await?;
    read(db, id).await
}

async fn write_children(tx: &mut WriteTx, id: i64, c: &ConferenceInput) -> StorageResult<()> {
    for (pos, o) in c.organisers.iter().enumerate() {
        sqlx::query(
            "INSERT INTO conference_organisers (conference_id, position, unit_id, body, name) \
             VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(id)
        .bind(pos as i64)
        .bind(o.unit_id)
        .bind(o.body.code())
        .bind(&o.name)
        .execute(tx.conn())
        .await?;
    }
    for (pos, a) in c.attendees.iter().enumerate() {
        sqlx::query(
            "INSERT INTO conference_attendees (conference_id, position, rank_title, name, office, body) \
             VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(id)
        .bind(pos as i64)
        .bind(&a.rank_title)
        .bind(&a.name)
        .bind(&a.office)
        .bind(&a.body)
        .execute(tx.conn())
        .await?;
    }
    let links = c
        .reviewed
        .iter()
        .map(|p| (p, Role::Reviews))
        .chain(c.signed.iter().map(|p| (p, Role::Signed)));
    for (programme, role) in links {
        sqlx::query(
            "INSERT INTO conference_programmes (conference_id, programme_id, role) VALUES ($1, $2, $3)",
        )
        .bind(id)
        .bind(programme)
        .bind(role.code())
        .execute(tx.conn())
        .await?;
    }
    for review in &c.reviews {
        sqlx::query("INSERT INTO conference_reviews (conference_id, review_id) VALUES ($1, $2)")
            .bind(id)
            .bind(review)
            .execute(tx.conn())
            .await?;
    }
    Ok(())
}
