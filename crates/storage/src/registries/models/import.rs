//! Recording an imported register of models: every row checked first (each
//! error prefixed with where the row came from), then all written in one
//! transaction with batched inserts, or none.

use std::collections::HashMap;

use antq_core::dates::{self, Date};
use antq_core::registries::models::{check_day, check_name, limits, ModelState};
use antq_core::text;
use serde_json::json;

use super::{editor, list_types, NewModel};
use crate::accounts::access::{self, Actor};
use crate::audit::{self, Change, Who};
use crate::batch::{insert_rows, Val};
use crate::db::Db;
use crate::error::{StorageError, StorageResult};

/// One row of an imported register.
#[derive(Debug, Clone)]
pub struct ImportRow {
    /// Where it came from ("Sổ mô hình, dòng 7"), to prefix its errors.
    pub label: String,
    pub model: NewModel,
    /// Its latest state and that state's day, when not just "mới".
    pub state: Option<(ModelState, Date)>,
    /// The row of the same import it replicates (an export read back),
    /// instead of `model.replicates_id`.
    pub replicates_row: Option<usize>,
}

/// Does following the in-file replication links from row `at` come back to it?
fn in_cycle(rows: &[ImportRow], at: usize) -> bool {
    let mut next = rows[at].replicates_row;
    for _ in 0..rows.len() {
        match next {
            Some(k) if k == at => return true,
            Some(k) => next = rows.get(k).and_then(|r| r.replicates_row),
            None => return false,
        }
    }
    true
}

/// Write many models at once, all or nothing; returns how many were (or,
/// on a dry run, would be) written.
pub async fn create_many(
    db: &Db,
    actor: Option<&Actor>,
    rows: &[ImportRow],
    dry_run: bool,
) -> StorageResult<usize> {
    if rows.len() > limits::MAX_IMPORT_ROWS {
        return Err(StorageError::Rejected(vec![format!(
            "Tệp có {} mô hình, vượt giới hạn {} mô hình một lần nhập",
            text::format_int(rows.len() as i64),
            text::format_int(limits::MAX_IMPORT_ROWS as i64)
        )]));
    }
    let types: HashMap<i64, bool> = list_types(db, true)
        .await?
        .into_iter()
        .map(|t| (t.id, t.active))
        .collect();
    let today = dates::today();
    let mut may: HashMap<i64, bool> = HashMap::new();
    let mut may_read: HashMap<i64, bool> = HashMap::new();
    let mut errors = Vec::new();
    // Each model as checked, its state, and the row it replicates.
    let mut checked: Vec<(NewModel, &ImportRow)> = Vec::with_capacity(rows.len());
    for (at, r) in rows.iter().enumerate() {
        let m = &r.model;
        let before = errors.len();
        let mut err = |e: String| errors.push(format!("{}: {e}", r.label));
        let name = match check_name("Tên mô hình", &m.name) {
            Ok(n) => n,
            Err(e) => {
                err(e.to_string());
                String::new()
            }
        };
        match types.get(&m.type_id) {
            None => err(format!("không có loại mô hình số {}", m.type_id)),
            Some(false) => err("loại mô hình đã ngừng dùng".into()),
            Some(true) => {}
        }
        if let Err(e) = check_day("Ngày bắt đầu", m.started_on, today) {
            err(e.to_string());
        }
        let notes = text::clean(&m.notes);
        let rating = text::clean(&m.rating);
        if let Err(e) = text::check_len("Ghi chú", &notes, limits::NOTES) {
            err(e.to_string());
        }
        if let Err(e) = text::check_len("Xếp loại", &rating, limits::RATING) {
            err(e.to_string());
        }
        if let Some((s, d)) = r.state {
            if s == ModelState::Moi {
                // Nothing to add: a model starts new.
            } else if d < m.started_on {
                err(format!(
                    "ngày trạng thái {} trước ngày bắt đầu {}",
                    dates::format_vi(d),
                    dates::format_vi(m.started_on)
                ));
            } else if let Err(e) = check_day("Ngày trạng thái", d, today) {
                err(e.to_string());
            }
        }
        if let Some(x) = m.replicates_id {
            let mut found: Option<(String, i64)> =
                sqlx::query_as("SELECT started_on, unit_id FROM models WHERE id = $1")
                    .bind(x)
                    .fetch_optional(db.pool())
                    .await?;
            // A model the importer may not read is, to them, one that does not exist.
            if let (Some(a), Some((_, unit))) = (actor, &found) {
                let unit = *unit;
                let readable = match may_read.get(&unit) {
                    Some(ok) => *ok,
                    None => {
                        let ok = access::can(db, a, antq_core::auth::Action::Read, unit).await?;
                        may_read.insert(unit, ok);
                        ok
                    }
                };
                if !readable {
                    found = None;
                }
            }
            match found.map(|(s, _)| s) {
                None => err(format!("không có mô hình số {x} để nhân rộng")),
                Some(s) if s > dates::iso(m.started_on) => err(format!(
                    "mô hình số {x} bắt đầu sau ngày bắt đầu của bản nhân rộng"
                )),
                Some(_) => {}
            }
        }
        if let Some(k) = r.replicates_row {
            match rows.get(k) {
                _ if m.replicates_id.is_some() => {
                    err("một mô hình chỉ nhân rộng từ một mô hình".into())
                }
                Some(o) if k != at && !in_cycle(rows, at) => {
                    if o.model.started_on > m.started_on {
                        err(format!(
                            "mô hình được nhân rộng ({}) bắt đầu sau ngày bắt đầu của bản nhân rộng",
                            o.label
                        ));
                    }
                }
                Some(o) if k != at => err(format!(
                    "nhân rộng vòng quanh: {} lại nhân rộng từ dòng này",
                    o.label
                )),
                _ => err("mô hình nhân rộng không chỉ tới một dòng khác của tệp".into()),
            }
        }
        if let Some(a) = actor {
            let ok = match may.get(&m.unit_id) {
                Some(ok) => *ok,
                None => {
                    let ok = access::can(
                        db,
                        &editor(a),
                        antq_core::auth::Action::EditRecords,
                        m.unit_id,
                    )
                    .await?;
                    may.insert(m.unit_id, ok);
                    ok
                }
            };
            if !ok {
                err("không có quyền ghi mô hình của đơn vị này".into());
            }
        }
        if errors.len() == before {
            checked.push((
                NewModel {
                    name,
                    notes,
                    rating,
                    ..m.clone()
                },
                r,
            ));
        }
    }
    if !errors.is_empty() {
        return Err(StorageError::Rejected(errors));
    }
    if dry_run {
        return Ok(checked.len());
    }
    let who = actor.map(Actor::who).unwrap_or_else(Who::system);
    let now = dates::timestamp(dates::now_utc());
    let (who, now, checked) = (&who, &now, &checked);
    db.write(|mut tx| async move {
        let first = crate::units::next_id(&mut tx, "models").await?;
        let mut models = Vec::with_capacity(checked.len());
        let mut events = Vec::with_capacity(checked.len() * 2);
        let mut changes = Vec::with_capacity(checked.len());
        for (i, (m, r)) in checked.iter().enumerate() {
            let id = first + i as i64;
            let st = &r.state;
            // Every row was checked: row k of the file is model first + k.
            let replicates = m
                .replicates_id
                .or(r.replicates_row.map(|k| first + k as i64));
            let started = dates::iso(m.started_on);
            let (state, dissolved) = match st {
                Some((s, d)) if *s != ModelState::Moi => {
                    (*s, (*s == ModelState::GiaiThe).then(|| dates::iso(*d)))
                }
                _ => (ModelState::Moi, None),
            };
            models.push(vec![
                Val::Int(id),
                Val::Int(m.unit_id),
                Val::OptInt(m.area_id),
                Val::Int(m.type_id),
                Val::Text(m.name.clone()),
                Val::Text(text::fold(&m.name)),
                Val::Bytes(text::sort_key(&m.name)),
                Val::Text(started.clone()),
                Val::OptText(dissolved),
                Val::OptInt(replicates),
                Val::Str(state.code()),
                Val::Text(m.rating.clone()),
                Val::OptInt(m.rated_year),
                Val::Text(m.notes.clone()),
                Val::Text(who.name.clone()),
                Val::Text(now.clone()),
                Val::Text(now.clone()),
            ]);
            let event = |s: ModelState, d: String| {
                vec![
                    Val::Int(id),
                    Val::Str(s.code()),
                    Val::Text(d),
                    Val::Str(""),
                    Val::Text(who.name.clone()),
                    Val::Text(now.clone()),
                ]
            };
            events.push(event(ModelState::Moi, started));
            if let Some((s, d)) = st {
                if *s != ModelState::Moi {
                    events.push(event(*s, dates::iso(*d)));
                }
            }
            changes.push(Change {
                who,
                action: "model.import",
                entity: "model",
                entity_id: id.to_string(),
                unit_id: Some(m.unit_id),
                before: None,
                after: Some(json!({
                    "name": m.name, "type_id": m.type_id, "started_on": dates::iso(m.started_on),
                    "replicates_id": replicates, "state": state.code(),
                })),
            });
        }
        insert_rows(
            &mut tx,
            "models",
            &[
                "id",
                "unit_id",
                "area_id",
                "type_id",
                "name",
                "search_key",
                "sort_key",
                "started_on",
                "dissolved_on",
                "replicates_id",
                "state",
                "rating",
                "rated_year",
                "notes",
                "created_by",
                "created_at",
                "updated_at",
            ],
            models,
        )
        .await?;
        let backend = tx.backend();
        crate::units::sync_sequence(&mut tx, backend, "models").await?;
        insert_rows(
            &mut tx,
            "model_events",
            &[
                "model_id",
                "state",
                "on_date",
                "note",
                "created_by",
                "created_at",
            ],
            events,
        )
        .await?;
        audit::append_many(&mut tx, changes).await?;
        tx.commit().await?;
        Ok(checked.len())
    })
    .await
}

/// The day each model entered its present state (its latest event in that
/// state), ISO, for the export: a model's state and its day read back as
/// the import expects them.
pub async fn state_days(db: &Db, ids: &[i64]) -> StorageResult<HashMap<i64, String>> {
    let mut out = HashMap::with_capacity(ids.len());
    for chunk in ids.chunks(500) {
        let marks: Vec<String> = (1..=chunk.len()).map(|i| format!("${i}")).collect();
        let sql = format!(
            "SELECT e.model_id, MAX(e.on_date) FROM model_events e JOIN models m ON m.id = e.model_id \
             WHERE e.state = m.state AND e.model_id IN ({}) GROUP BY e.model_id",
            marks.join(", ")
        );
        let mut q = sqlx::query_as::<_, (i64, String)>(&sql);
        for id in chunk {
            q = q.bind(*id);
        }
        out.extend(q.fetch_all(db.pool()).await?);
    }
    Ok(out)
}
