//! Registering a model, changing it, its states over time, its sites, and
//! replication (a new model linked to the one it replicates). Every write
//! is audited in its own transaction.

use antq_core::auth::Action;
use antq_core::dates::{self, Date};
use antq_core::registries::models::{check_day, check_name, limits, ModelState};
use antq_core::text;
use serde::Serialize;
use serde_json::json;

use super::{
    check_area, editor, invalid, list, require_edit, type_by_id, unit_ref, Model, UnitRef,
};
use crate::accounts::access::{self, Actor};
use crate::audit::{self, Change, Who};
use crate::db::{Db, WriteTx};
use crate::error::{StorageError, StorageResult};

/// A model to register.
#[derive(Debug, Clone)]
pub struct NewModel {
    pub name: String,
    pub type_id: i64,
    pub unit_id: i64,
    pub area_id: Option<i64>,
    pub started_on: Date,
    pub rating: String,
    pub rated_year: Option<i64>,
    pub notes: String,
    /// The model it replicates (an imported replication).
    pub replicates_id: Option<i64>,
}

/// What may be changed on a model (its unit and its history stay).
#[derive(Debug, Clone)]
pub struct Edit {
    pub name: String,
    pub type_id: i64,
    pub area_id: Option<i64>,
    pub rating: String,
    pub rated_year: Option<i64>,
    pub notes: String,
}

/// A replication: where, and from when; name and type default to the original's.
#[derive(Debug, Clone)]
pub struct Replica {
    pub unit_id: i64,
    pub area_id: Option<i64>,
    pub name: Option<String>,
    pub type_id: Option<i64>,
    pub started_on: Date,
    pub notes: String,
}

/// A site ("điểm") where a model is applied, with its teams and members.
#[derive(Debug, Clone)]
pub struct NewSite {
    pub unit_id: i64,
    pub area_id: Option<i64>,
    pub name: String,
    pub started_on: Option<Date>,
    pub teams: Option<i64>,
    pub members: Option<i64>,
}

/// A state of a model's history.
#[derive(Debug, Clone, Serialize)]
pub struct Event {
    pub state: ModelState,
    pub on_date: String,
    pub note: String,
    pub created_by: String,
}

/// A site as stored.
#[derive(Debug, Clone, Serialize)]
pub struct Site {
    pub id: i64,
    pub unit: UnitRef,
    pub name: String,
    pub started_on: Option<String>,
    pub ended_on: Option<String>,
    pub teams: Option<i64>,
    pub members: Option<i64>,
}

/// A model with its history, sites and replications (both ways).
#[derive(Debug, Clone, Serialize)]
pub struct ModelRecord {
    pub model: Model,
    pub events: Vec<Event>,
    pub sites: Vec<Site>,
    /// The models that replicate this one.
    pub replications: Vec<Model>,
    pub created_by: String,
}

fn check_fields(rating: &str, rated_year: Option<i64>, notes: &str) -> StorageResult<()> {
    text::check_len("Xếp loại", rating, limits::RATING)?;
    text::check_len("Ghi chú", notes, limits::NOTES)?;
    if let Some(y) = rated_year {
        let this = i64::from(chrono::Datelike::year(&dates::today()));
        if !(1990..=this).contains(&y) {
            return Err(invalid(format!(
                "Năm xếp loại {y} không hợp lệ (từ 1990 đến {this})"
            )));
        }
    }
    Ok(())
}

/// Check a new model against the taxonomy, the tree and the calendar.
pub(super) async fn check_new(db: &Db, m: &NewModel) -> StorageResult<NewModel> {
    let name = check_name("Tên mô hình", &m.name)?;
    let t = type_by_id(db, m.type_id).await?;
    if !t.active {
        return Err(invalid(format!(
            "Loại mô hình \u{201C}{}\u{201D} đã ngừng dùng",
            t.name
        )));
    }
    check_day("Ngày bắt đầu", m.started_on, dates::today())?;
    crate::units::by_id(db, m.unit_id).await?;
    check_area(db, m.unit_id, m.area_id).await?;
    let rating = text::clean(&m.rating);
    let notes = text::clean(&m.notes);
    check_fields(&rating, m.rated_year, &notes)?;
    if let Some(r) = m.replicates_id {
        let found: Option<String> =
            sqlx::query_scalar("SELECT started_on FROM models WHERE id = $1")
                .bind(r)
                .fetch_optional(db.pool())
                .await?;
        match found {
            None => return Err(StorageError::not_found(format!("mô hình số {r}"))),
            Some(s) if s > dates::iso(m.started_on) => {
                return Err(invalid(format!(
                    "Mô hình được nhân rộng bắt đầu ngày {}, sau ngày bắt đầu của bản nhân rộng",
                    dates::format_vi(dates::parse_date(&s)?)
                )))
            }
            Some(_) => {}
        }
    }
    Ok(NewModel {
        name,
        rating,
        notes,
        ..m.clone()
    })
}

/// Insert a checked model with its first event (no audit: the caller's).
pub(super) async fn insert_tx(
    tx: &mut WriteTx,
    who: &Who,
    m: &NewModel,
    note: &str,
) -> StorageResult<i64> {
    let now = dates::timestamp(dates::now_utc());
    let started = dates::iso(m.started_on);
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO models (unit_id, area_id, type_id, name, search_key, sort_key, started_on, dissolved_on, \
         replicates_id, state, rating, rated_year, notes, created_by, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, NULL, $8, 'moi', $9, $10, $11, $12, $13, $13) RETURNING id",
    )
    .bind(m.unit_id)
    .bind(m.area_id)
    .bind(m.type_id)
    .bind(&m.name)
    .bind(text::fold(&m.name))
    .bind(text::sort_key(&m.name))
    .bind(&started)
    .bind(m.replicates_id)
    .bind(&m.rating)
    .bind(m.rated_year)
    .bind(&m.notes)
    .bind(&who.name)
    .bind(&now)
    .fetch_one(tx.conn())
    .await?;
    sqlx::query(
        "INSERT INTO model_events (model_id, state, on_date, note, created_by, created_at) VALUES ($1, 'moi', $2, $3, $4, $5)",
    )
    .bind(id)
    .bind(&started)
    .bind(note)
    .bind(&who.name)
    .bind(&now)
    .execute(tx.conn())
    .await?;
    Ok(id)
}

fn model_json(m: &NewModel) -> serde_json::Value {
    json!({
        "name": m.name, "type_id": m.type_id, "unit_id": m.unit_id, "area_id": m.area_id,
        "started_on": dates::iso(m.started_on), "replicates_id": m.replicates_id,
        "rating": m.rating, "rated_year": m.rated_year, "notes": m.notes,
    })
}

async fn audit_model(
    tx: &mut WriteTx,
    who: &Who,
    action: &str,
    id: i64,
    unit_id: i64,
    before: Option<serde_json::Value>,
    after: serde_json::Value,
) -> StorageResult<()> {
    audit::append(
        tx,
        Change {
            who,
            action,
            entity: "model",
            entity_id: id.to_string(),
            unit_id: Some(unit_id),
            before,
            after: Some(after),
        },
    )
    .await?;
    Ok(())
}

/// Register a model (the police or the Front of its unit or above; audited).
pub async fn create(db: &Db, actor: Option<&Actor>, m: &NewModel) -> StorageResult<i64> {
    let m = check_new(db, m).await?;
    let who = match actor {
        Some(a) => {
            require_edit(db, a, m.unit_id).await?;
            if let Some(r) = m.replicates_id {
                get(db, Some(a), r).await?;
            }
            a.who()
        }
        None => Who::system(),
    };
    let (m, who) = (&m, &who);
    db.write(|mut tx| async move {
        let id = insert_tx(&mut tx, who, m, "").await?;
        audit_model(
            &mut tx,
            who,
            "model.create",
            id,
            m.unit_id,
            None,
            model_json(m),
        )
        .await?;
        tx.commit().await?;
        Ok(id)
    })
    .await
}

/// One model the caller may read (outside their units: not found), with
/// its history, sites and replications.
pub async fn get(db: &Db, actor: Option<&Actor>, id: i64) -> StorageResult<ModelRecord> {
    let what = || format!("mô hình số {id}");
    let mut found = list::load(db, &format!("mo.id = {id}"), "", 1, 0).await?;
    let model = found.pop().ok_or_else(|| StorageError::not_found(what()))?;
    if let Some(a) = actor {
        access::require_visible(db, a, Action::Read, model.unit.id, what).await?;
    }
    let events: Vec<(String, String, String, String)> = sqlx::query_as(
        "SELECT state, on_date, note, created_by FROM model_events WHERE model_id = $1 ORDER BY on_date, id",
    )
    .bind(id)
    .fetch_all(db.pool())
    .await?;
    let events = events
        .into_iter()
        .map(|(s, d, n, c)| {
            Ok(Event {
                state: ModelState::parse(&s)?,
                on_date: d,
                note: n,
                created_by: c,
            })
        })
        .collect::<StorageResult<Vec<_>>>()?;
    type SiteRow = (
        i64,
        i64,
        String,
        String,
        String,
        Option<String>,
        Option<String>,
        Option<i64>,
        Option<i64>,
    );
    let sites: Vec<SiteRow> = sqlx::query_as(
        "SELECT s.id, u.id, u.code, u.name, s.name, s.started_on, s.ended_on, s.teams, s.members \
         FROM model_sites s JOIN units u ON u.id = s.unit_id WHERE s.model_id = $1 ORDER BY s.id",
    )
    .bind(id)
    .fetch_all(db.pool())
    .await?;
    let sites = sites
        .into_iter()
        .map(|r| Site {
            id: r.0,
            unit: UnitRef {
                id: r.1,
                code: r.2,
                name: r.3,
            },
            name: r.4,
            started_on: r.5,
            ended_on: r.6,
            teams: r.7,
            members: r.8,
        })
        .collect();
    let scope = match actor {
        Some(a) => a.scope_sql(Action::Read, "mo.unit_id"),
        None => "1 = 1".into(),
    };
    let replications = list::load(
        db,
        &format!("mo.replicates_id = {id} AND {scope}"),
        "",
        limits::MAX_PAGE,
        0,
    )
    .await?;
    let created_by: String = sqlx::query_scalar("SELECT created_by FROM models WHERE id = $1")
        .bind(id)
        .fetch_one(db.pool())
        .await?;
    Ok(ModelRecord {
        model,
        events,
        sites,
        replications,
        created_by,
    })
}

/// May the actor change this model?
pub async fn may_edit(db: &Db, actor: &Actor, m: &Model) -> StorageResult<bool> {
    access::can(db, &editor(actor), Action::EditRecords, m.unit.id).await
}

/// A model the actor may change (visible first, so others' ids stay hidden).
async fn editable(db: &Db, actor: Option<&Actor>, id: i64) -> StorageResult<(ModelRecord, Who)> {
    let r = get(db, actor, id).await?;
    let who = match actor {
        Some(a) => {
            require_edit(db, a, r.model.unit.id).await?;
            a.who()
        }
        None => Who::system(),
    };
    Ok((r, who))
}

/// Change a model's name, type, area, rating and notes (audited).
pub async fn update(
    db: &Db,
    actor: Option<&Actor>,
    id: i64,
    e: &Edit,
) -> StorageResult<ModelRecord> {
    let (r, who) = editable(db, actor, id).await?;
    let name = check_name("Tên mô hình", &e.name)?;
    let t = type_by_id(db, e.type_id).await?;
    if !t.active && t.id != r.model.type_id {
        return Err(invalid(format!(
            "Loại mô hình \u{201C}{}\u{201D} đã ngừng dùng",
            t.name
        )));
    }
    check_area(db, r.model.unit.id, e.area_id).await?;
    let rating = text::clean(&e.rating);
    let notes = text::clean(&e.notes);
    check_fields(&rating, e.rated_year, &notes)?;
    let now = dates::timestamp(dates::now_utc());
    let before = json!({
        "name": r.model.name, "type_id": r.model.type_id, "area_id": r.model.area_id,
        "rating": r.model.rating, "rated_year": r.model.rated_year, "notes": r.model.notes,
    });
    let after = json!({
        "name": name, "type_id": e.type_id, "area_id": e.area_id,
        "rating": rating, "rated_year": e.rated_year, "notes": notes,
    });
    let unit_id = r.model.unit.id;
    let (who, name, rating, notes, now, before, after) =
        (&who, &name, &rating, &notes, &now, &before, &after);
    db.write(|mut tx| async move {
        sqlx::query(
            "UPDATE models SET name = $1, search_key = $2, sort_key = $3, type_id = $4, area_id = $5, \
             rating = $6, rated_year = $7, notes = $8, updated_at = $9 WHERE id = $10",
        )
        .bind(name)
        .bind(text::fold(name))
        .bind(text::sort_key(name))
        .bind(e.type_id)
        .bind(e.area_id)
        .bind(rating)
        .bind(e.rated_year)
        .bind(notes)
        .bind(now)
        .bind(id)
        .execute(tx.conn())
        .await?;
        audit_model(&mut tx, who, "model.update", id, unit_id, Some(before.clone()), after.clone()).await?;
        tx.commit().await
    })
    .await?;
    get(db, actor, id).await
}

/// Record a state of a model on a day (củng cố, nhân rộng, giải thể): not
/// before its start nor its last state, not after today; a dissolution
/// sets `dissolved_on` and ends the model's life (audited).
pub async fn change_state(
    db: &Db,
    actor: Option<&Actor>,
    id: i64,
    state: ModelState,
    on: Date,
    note: &str,
) -> StorageResult<ModelRecord> {
    let (r, who) = editable(db, actor, id).await?;
    r.model.state.check_next(state)?;
    check_day("Ngày", on, dates::today())?;
    let last = r
        .events
        .iter()
        .map(|e| e.on_date.as_str())
        .max()
        .unwrap_or(r.model.started_on.as_str())
        .max(r.model.started_on.as_str())
        .to_string();
    if dates::iso(on) < last {
        return Err(invalid(format!(
            "Ngày {} trước ngày {} của trạng thái gần nhất của mô hình",
            dates::format_vi(on),
            dates::format_vi(dates::parse_date(&last)?)
        )));
    }
    let note = text::clean(note);
    text::check_len("Ghi chú", &note, limits::NOTES)?;
    let now = dates::timestamp(dates::now_utc());
    let day = dates::iso(on);
    let unit_id = r.model.unit.id;
    let before = json!({"state": r.model.state.code()});
    let (who, note, now, day, before) = (&who, &note, &now, &day, &before);
    db.write(|mut tx| async move {
        sqlx::query(
            "INSERT INTO model_events (model_id, state, on_date, note, created_by, created_at) VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(id)
        .bind(state.code())
        .bind(day)
        .bind(note)
        .bind(&who.name)
        .bind(now)
        .execute(tx.conn())
        .await?;
        let dissolved = (state == ModelState::GiaiThe).then(|| day.clone());
        sqlx::query(
            "UPDATE models SET state = $1, dissolved_on = COALESCE($2, dissolved_on), updated_at = $3 WHERE id = $4",
        )
        .bind(state.code())
        .bind(dissolved)
        .bind(now)
        .bind(id)
        .execute(tx.conn())
        .await?;
        audit_model(
            &mut tx,
            who,
            "model.state",
            id,
            unit_id,
            Some(before.clone()),
            json!({"state": state.code(), "on": day, "note": note}),
        )
        .await?;
        tx.commit().await
    })
    .await?;
    get(db, actor, id).await
}

/// Replicate a model: a new model at another unit (or area), of the same
/// type and name unless told otherwise, linked to the original, which
/// records "nhân rộng" on that day. The original must be visible to the
/// actor and in operation that day; the new unit must be one the actor
/// edits (audited). Returns the new model's id.
pub async fn replicate(db: &Db, actor: Option<&Actor>, id: i64, r: &Replica) -> StorageResult<i64> {
    let orig = get(db, actor, id).await?;
    let day = dates::iso(r.started_on);
    if day < orig.model.started_on {
        return Err(invalid(format!(
            "Ngày nhân rộng {} trước ngày bắt đầu {} của mô hình",
            dates::format_vi(r.started_on),
            dates::format_vi(dates::parse_date(&orig.model.started_on)?)
        )));
    }
    if let Some(d) = &orig.model.dissolved_on {
        if *d <= day {
            return Err(invalid(format!(
                "Mô hình đã giải thể ngày {}, không nhân rộng được sau ngày đó",
                dates::format_vi(dates::parse_date(d)?)
            )));
        }
    }
    let new = NewModel {
        name: r
            .name
            .clone()
            .filter(|s| !s.trim().is_empty())
            .unwrap_or_else(|| orig.model.name.clone()),
        type_id: r.type_id.unwrap_or(orig.model.type_id),
        unit_id: r.unit_id,
        area_id: r.area_id,
        started_on: r.started_on,
        rating: String::new(),
        rated_year: None,
        notes: r.notes.clone(),
        replicates_id: Some(id),
    };
    let new = check_new(db, &new).await?;
    let who = match actor {
        Some(a) => {
            require_edit(db, a, new.unit_id).await?;
            a.who()
        }
        None => Who::system(),
    };
    let target = unit_ref(db, new.unit_id).await?;
    let note_new = format!(
        "Nhân rộng từ mô hình \u{201C}{}\u{201D} của {}",
        orig.model.name, orig.model.unit.name
    );
    let note_orig = format!("Nhân rộng tại {}", target.name);
    let last = orig
        .events
        .iter()
        .map(|e| e.on_date.clone())
        .max()
        .unwrap_or_default();
    let orig_state = orig.model.state;
    let now = dates::timestamp(dates::now_utc());
    let (who, new, note_new, note_orig, now, day, last) =
        (&who, &new, &note_new, &note_orig, &now, &day, &last);
    db.write(|mut tx| async move {
        let new_id = insert_tx(&mut tx, who, new, note_new).await?;
        sqlx::query(
            "INSERT INTO model_events (model_id, state, on_date, note, created_by, created_at) VALUES ($1, 'nhan_rong', $2, $3, $4, $5)",
        )
        .bind(id)
        .bind(day)
        .bind(note_orig)
        .bind(&who.name)
        .bind(now)
        .execute(tx.conn())
        .await?;
        if *day >= *last && orig_state != ModelState::GiaiThe {
            sqlx::query("UPDATE models SET state = 'nhan_rong', updated_at = $1 WHERE id = $2")
                .bind(now)
                .bind(id)
                .execute(tx.conn())
                .await?;
        }
        let mut after = model_json(new);
        after["replicates_id"] = json!(id);
        audit_model(&mut tx, who, "model.replicate", new_id, new.unit_id, None, after).await?;
        tx.commit().await?;
        Ok(new_id)
    })
    .await
}

/// Add a site where the model is applied, with its teams and members (audited).
pub async fn add_site(
    db: &Db,
    actor: Option<&Actor>,
    id: i64,
    s: &NewSite,
) -> StorageResult<ModelRecord> {
    let (r, who) = editable(db, actor, id).await?;
    let name = check_name("Tên điểm", &s.name)?;
    crate::units::by_id(db, s.unit_id).await?;
    check_area(db, s.unit_id, s.area_id).await?;
    if let Some(a) = actor {
        require_edit(db, a, s.unit_id).await?;
    }
    for (label, v) in [("Số tổ", s.teams), ("Số thành viên", s.members)] {
        if let Some(v) = v {
            if !(0..=limits::MAX_COUNT).contains(&v) {
                return Err(invalid(format!("{label} {v} không hợp lệ")));
            }
        }
    }
    if let Some(d) = s.started_on {
        check_day("Ngày bắt đầu của điểm", d, dates::today())?;
    }
    let unit_id = r.model.unit.id;
    let (who, name) = (&who, &name);
    db.write(|mut tx| async move {
        let site: i64 = sqlx::query_scalar(
            "INSERT INTO model_sites (model_id, unit_id, area_id, name, started_on, ended_on, teams, members) \
             VALUES ($1, $2, $3, $4, $5, NULL, $6, $7) RETURNING id",
        )
        .bind(id)
        .bind(s.unit_id)
        .bind(s.area_id)
        .bind(name)
        .bind(s.started_on.map(dates::iso))
        .bind(s.teams)
        .bind(s.members)
        .fetch_one(tx.conn())
        .await?;
        audit::append(
            &mut tx,
            Change {
                who,
                action: "model_site.add",
                entity: "model",
                entity_id: id.to_string(),
                unit_id: Some(unit_id),
                before: None,
                after: Some(json!({"site": site, "name": name, "unit_id": s.unit_id, "teams": s.teams, "members": s.members})),
            },
        )
        .await?;
        tx.commit().await
    })
    .await?;
    get(db, actor, id).await
}
