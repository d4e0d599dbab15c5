//! Reading awards: one, or the register of the units one may read, through
//! a unit's subtree as it was or gathered into today's units by lineage.

use antq_core::auth::Action;
use antq_core::periods::YearRange;
use antq_core::programmes::awards::{AwardState, RecipientKind};
use sqlx::Row;

use super::awards_register::{Award, Recipient, UnitRef};
use super::{forms, offices};
use crate::accounts::access::Actor;
use crate::db::Db;
use crate::error::{StorageError, StorageResult};
use crate::statistics::analytics::MapMode;

/// The most awards one list returns.
pub const MAX_LISTED: usize = 2_000;

/// Which awards to list. Every filter is optional.
#[derive(Debug, Clone, Default)]
pub struct Filter {
    /// Awards of this unit's subtree (as it was, or through lineage).
    pub unit: Option<(i64, MapMode)>,
    pub years: Option<YearRange>,
    pub form_id: Option<i64>,
    pub office_id: Option<i64>,
    pub state: Option<AwardState>,
    pub conference_id: Option<i64>,
}

/// The awards the actor may read (all for `None`), newest first.
pub async fn list(db: &Db, actor: Option<&Actor>, f: &Filter) -> StorageResult<Vec<Award>> {
    // Ids and codes below are integers or fixed words: safe in the SQL.
    let mut conds = vec![match actor {
        Some(a) => a.scope_sql(Action::Read, "a.unit_id"),
        None => "1 = 1".to_string(),
    }];
    if let Some((id, map)) = f.unit {
        let subject = match map {
            MapMode::Historical => "a.unit_id",
            MapMode::Current => {
                "(SELECT m.current_id FROM unit_data_map m WHERE m.unit_id = a.unit_id)"
            }
        };
        conds.push(format!(
            "{subject} IN (SELECT descendant_id FROM unit_tree WHERE ancestor_id = {id})"
        ));
    }
    if let Some(r) = f.years {
        conds.push(format!("a.year BETWEEN {} AND {}", r.from, r.to));
    }
    if let Some(x) = f.form_id {
        conds.push(format!("a.form_id = {x}"));
    }
    if let Some(x) = f.office_id {
        conds.push(format!("a.office_id = {x}"));
    }
    if let Some(s) = f.state {
        conds.push(format!("a.state = '{}'", s.code()));
    }
    if let Some(x) = f.conference_id {
        conds.push(format!("a.conference_id = {x}"));
    }
    load(db, &conds.join(" AND "), MAX_LISTED).await
}

/// Awards matching an SQL condition on `a` (awards), with their recipients.
pub(super) async fn load(db: &Db, cond: &str, limit: usize) -> StorageResult<Vec<Award>> {
    let rows = sqlx::query(&format!(
        "SELECT a.id, a.form_id, a.office_id, a.unit_id, u.code, u.name, a.issuer_unit_id, i.code, i.name, \
         a.state, a.year, a.proposed_on, a.decision_reference, a.decided_on, a.reason, a.conference_id, a.created_by \
         FROM awards a JOIN units u ON u.id = a.unit_id JOIN units i ON i.id = a.issuer_unit_id \
         WHERE {cond} ORDER BY a.year DESC, COALESCE(a.decided_on, a.proposed_on) DESC, a.id DESC LIMIT {limit}"
    ))
    .fetch_all(db.pool())
    .await?;
    if rows.is_empty() {
        return Ok(Vec::new());
    }
    let (all_forms, all_offices) = (forms(db).await?, offices(db).await?);
    let mut out = Vec::with_capacity(rows.len());
    for r in &rows {
        let (form_id, office_id): (i64, i64) = (r.get(1), r.get(2));
        let form = all_forms.iter().find(|f| f.id == form_id).cloned();
        let office = all_offices.iter().find(|o| o.id == office_id).cloned();
        let (Some(form), Some(office)) = (form, office) else {
            return Err(StorageError::not_found(
                "hình thức hoặc cơ quan khen thưởng",
            ));
        };
        let year: i64 = r.get(10);
        out.push(Award {
            id: r.get(0),
            form,
            office,
            unit: UnitRef {
                id: r.get(3),
                code: r.get(4),
                name: r.get(5),
            },
            issuer_unit: UnitRef {
                id: r.get(6),
                code: r.get(7),
                name: r.get(8),
            },
            state: AwardState::parse(&r.get::<String, _>(9))?,
            year: year as i32,
            proposed_on: r.get(11),
            decision_reference: r.get(12),
            decided_on: r.get(13),
            reason: r.get(14),
            conference_id: r.get(15),
            created_by: r.get(16),
            recipients: Vec::new(),
        });
    }
    attach_recipients(db, &mut out).await?;
    Ok(out)
}

async fn attach_recipients(db: &Db, awards: &mut [Award]) -> StorageResult<()> {
    let ids: Vec<i64> = awards.iter().map(|a| a.id).collect();
    for chunk in ids.chunks(500) {
        let rows = sqlx::query(&format!(
            "SELECT award_id, id, kind, name, unit_id, organisation_id, office, body, state \
             FROM award_recipients WHERE award_id IN ({}) ORDER BY award_id, position",
            crate::db::id_list(chunk)
        ))
        .fetch_all(db.pool())
        .await?;
        for r in &rows {
            let award_id: i64 = r.get(0);
            let rec = Recipient {
                id: r.get(1),
                kind: RecipientKind::parse(&r.get::<String, _>(2))?,
                name: r.get(3),
                unit_id: r.get(4),
                organisation_id: r.get(5),
                office: r.get(6),
                body: r.get(7),
                state: r.get(8),
            };
            if let Some(a) = awards.iter_mut().find(|a| a.id == award_id) {
                a.recipients.push(rec);
            }
        }
    }
    Ok(())
}

/// A conference's title and date (ISO), for the award it was presented
/// at; none when it does not exist or the caller may not read it.
pub async fn conference_title(
    db: &Db,
    actor: &Actor,
    id: i64,
) -> StorageResult<Option<(String, String)>> {
    match crate::programmes::conferences::require(db, actor, Action::Read, id).await {
        Ok(_) => {}
        Err(StorageError::NotFound(_)) | Err(StorageError::Forbidden) => return Ok(None),
        Err(e) => return Err(e),
    }
    Ok(
        sqlx::query_as("SELECT title, held_on FROM conferences WHERE id = $1")
            .bind(id)
            .fetch_optional(db.pool())
            .await?,
    )
}
