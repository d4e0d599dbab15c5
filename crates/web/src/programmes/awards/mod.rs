//! The award register, proposals and decisions (/khen-thuong; /api/v1/awards):
//! the operations behind the pages, the API and the CLI. Input is parsed
//! here into domain types; access is checked by storage through the one
//! policy. (Owned by the awards work of issue 12.)

pub mod api;
pub mod catalogue;
pub mod new_page;
pub mod pages;
pub mod register;
pub mod views;

use antq_core::dates::{self, Date};
use antq_core::periods::YearRange;
use antq_core::programmes::awards::{parse_reference, AwardState, NewRecipient};
use antq_core::units::UnitCode;
use antq_storage::accounts::access::{self, Actor};
use antq_storage::programmes::award_counts::{self, Scope};
use antq_storage::programmes::awards::{self as store, Award, Decision, Filter, NewAward};
use antq_storage::statistics::analytics::MapMode;
use antq_storage::{units, Db};
use axum::http::StatusCode;
use serde::Deserialize;
use serde_json::{json, Value};

use crate::error::Failure;

/// One recipient as typed or sent: kind (tap_the | ca_nhan or the words),
/// name, position, body; `unit`: the code of the unit it is, if one.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct RecipientIn {
    #[serde(default)]
    pub kind: String,
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub office: String,
    #[serde(default)]
    pub body: String,
    #[serde(default)]
    pub unit: Option<String>,
    #[serde(default)]
    pub organisation_id: Option<i64>,
}

/// A new award as typed or sent. Units are codes (taken at the proposal's
/// or decision's date); form and office are codes or names.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct AwardIn {
    pub form: String,
    pub office: String,
    pub unit: String,
    pub issuer_unit: String,
    #[serde(default)]
    pub reason: String,
    #[serde(default)]
    pub conference_id: Option<i64>,
    #[serde(default)]
    pub recipients: Vec<RecipientIn>,
    /// For a decided award recorded directly: its number and date.
    #[serde(default)]
    pub decision: Option<String>,
    #[serde(default)]
    pub date: Option<String>,
}

fn unprocessable(msg: impl Into<String>) -> Failure {
    Failure::new(axum::http::StatusCode::UNPROCESSABLE_ENTITY, msg)
}

/// A date typed (dd/mm/yyyy or ISO); required.
pub fn parse_day(s: Option<&str>, label: &str) -> Result<Date, Failure> {
    match s.map(str::trim).filter(|s| !s.is_empty()) {
        Some(s) => Ok(dates::parse_input_date(s)?),
        None => Err(unprocessable(format!("Chưa có {label}"))),
    }
}

/// A decision from its number and date.
pub fn decision(reference: Option<&str>, date: Option<&str>) -> Result<Decision, Failure> {
    Ok(Decision {
        reference: parse_reference(reference.unwrap_or(""))?,
        date: parse_day(date, "ngày quyết định")?,
    })
}

async fn unit_id(db: &Db, code: &str, at: Date) -> Result<i64, Failure> {
    let code = UnitCode::parse(code.trim())?;
    Ok(units::get_at(db, &code, at).await?.id)
}

/// Turn what was typed or sent into a new award (units taken at `at`).
pub async fn parse_award(db: &Db, a: &AwardIn, at: Date) -> Result<NewAward, Failure> {
    let form = store::form_named(db, &a.form).await?.ok_or_else(|| {
        unprocessable(format!(
            "Không có hình thức khen thưởng \u{201C}{}\u{201D}",
            a.form.trim()
        ))
    })?;
    let office = store::office_named(db, &a.office).await?.ok_or_else(|| {
        unprocessable(format!(
            "Không có cơ quan khen thưởng \u{201C}{}\u{201D}",
            a.office.trim()
        ))
    })?;
    antq_core::programmes::awards::check_recipient_count(a.recipients.len())?;
    let mut recipients = Vec::with_capacity(a.recipients.len());
    for (i, r) in a.recipients.iter().enumerate() {
        let mut n = NewRecipient::parse(&r.kind, &r.name, &r.office, &r.body)
            .map_err(|e| unprocessable(format!("Người nhận thứ {}: {e}", i + 1)))?;
        if let Some(code) = r.unit.as_deref().filter(|s| !s.trim().is_empty()) {
            n.unit_id = Some(unit_id(db, code, at).await?);
        }
        n.organisation_id = r.organisation_id;
        recipients.push(n);
    }
    let reason = antq_core::text::clean(&a.reason);
    Ok(NewAward {
        form_id: form.id,
        office_id: office.id,
        unit_id: unit_id(db, &a.unit, at).await?,
        issuer_unit_id: unit_id(db, &a.issuer_unit, at).await?,
        reason,
        conference_id: a.conference_id,
        recipients,
        proposed_on: dates::today().min(at),
    })
}

/// Propose (no decision) or record (with a decision) an award; returns its id.
pub async fn create(db: &Db, actor: Option<&Actor>, a: &AwardIn) -> Result<i64, Failure> {
    let has_decision = a.decision.as_deref().is_some_and(|s| !s.trim().is_empty())
        || a.date.as_deref().is_some_and(|s| !s.trim().is_empty());
    if has_decision {
        let d = decision(a.decision.as_deref(), a.date.as_deref())?;
        let new = parse_award(db, a, d.date).await?;
        Ok(store::record(db, actor, &new, &d).await?)
    } else {
        let new = parse_award(db, a, dates::today()).await?;
        Ok(store::propose(db, actor, &new).await?)
    }
}

/// The register's query: a unit (code, at a date, map mode), years, filters.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct RegisterQuery {
    #[serde(default)]
    pub unit: Option<String>,
    #[serde(default)]
    pub at: Option<String>,
    #[serde(default)]
    pub map: Option<String>,
    #[serde(default)]
    pub from: Option<String>,
    #[serde(default)]
    pub to: Option<String>,
    #[serde(default)]
    pub form: Option<String>,
    #[serde(default)]
    pub office: Option<String>,
    #[serde(default)]
    pub state: Option<String>,
    /// Only the awards presented at this conference.
    #[serde(default)]
    pub conference: Option<i64>,
}

fn some(s: &Option<String>) -> Option<&str> {
    s.as_deref().map(str::trim).filter(|s| !s.is_empty())
}

/// The unit of a query (which the actor must be allowed to read) and its map mode.
async fn query_unit(
    db: &Db,
    actor: Option<&Actor>,
    q: &RegisterQuery,
) -> Result<Option<(i64, MapMode)>, Failure> {
    let Some(code) = some(&q.unit) else {
        return Ok(None);
    };
    let map: MapMode = some(&q.map).unwrap_or("current").parse()?;
    let at = crate::units::service::date_or_today(q.at.as_deref())?;
    let unit = units::get_at(db, &UnitCode::parse(code)?, at).await?;
    if let Some(a) = actor {
        access::require(db, a, antq_core::auth::Action::Read, unit.id).await?;
    }
    Ok(Some((unit.id, map)))
}

fn years(q: &RegisterQuery) -> Result<Option<YearRange>, Failure> {
    match (some(&q.from), some(&q.to)) {
        (None, None) => Ok(None),
        (Some(f), t) => Ok(Some(YearRange::parse(f, t)?)),
        (None, Some(t)) => Ok(Some(YearRange::parse(t, Some(t))?)),
    }
}

/// The filter of a register query.
pub async fn filter(db: &Db, actor: Option<&Actor>, q: &RegisterQuery) -> Result<Filter, Failure> {
    let form_id = match some(&q.form) {
        Some(f) => Some(
            store::form_named(db, f)
                .await?
                .ok_or_else(|| {
                    unprocessable(format!(
                        "Không có hình thức khen thưởng \u{201C}{f}\u{201D}"
                    ))
                })?
                .id,
        ),
        None => None,
    };
    let office_id = match some(&q.office) {
        Some(o) => Some(
            store::office_named(db, o)
                .await?
                .ok_or_else(|| {
                    unprocessable(format!("Không có cơ quan khen thưởng \u{201C}{o}\u{201D}"))
                })?
                .id,
        ),
        None => None,
    };
    Ok(Filter {
        unit: query_unit(db, actor, q).await?,
        years: years(q)?,
        form_id,
        office_id,
        state: some(&q.state).map(AwardState::parse).transpose()?,
        conference_id: q.conference,
    })
}

/// The awards of the register the actor may read.
pub async fn list(
    db: &Db,
    actor: Option<&Actor>,
    q: &RegisterQuery,
) -> Result<Vec<Award>, Failure> {
    let f = filter(db, actor, q).await?;
    Ok(store::list(db, actor, &f).await?)
}

/// Counts by form × issuer × recipient kind over a unit's subtree and years.
pub async fn summary(db: &Db, actor: Option<&Actor>, q: &RegisterQuery) -> Result<Value, Failure> {
    let Some((unit_id, map)) = query_unit(db, actor, q).await? else {
        return Err(Failure::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "Thiếu tham số unit (mã đơn vị)",
        ));
    };
    let Some(range) = years(q)? else {
        return Err(Failure::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "Thiếu tham số from (năm đầu)",
        ));
    };
    let rows = award_counts::counts(
        db,
        Scope::Unit {
            unit_id,
            range,
            map,
        },
    )
    .await?;
    let rows: Vec<Value> = award_counts::over_years(&rows)
        .into_iter()
        .map(|c| json!({"form": c.form, "issuer": c.issuer, "recipient_kind": c.recipient_kind, "count": c.count}))
        .collect();
    Ok(json!({ "rows": rows }))
}

/// An award as the API gives it.
pub fn award_json(a: &Award) -> Value {
    json!({
        "id": a.id,
        "form": a.form.name,
        "form_code": a.form.code,
        "issuer": a.office.name,
        "issuer_code": a.office.code,
        "issuer_unit": {"code": a.issuer_unit.code, "name": a.issuer_unit.name},
        "issuer_words": a.issuer_words(),
        "unit": {"code": a.unit.code, "name": a.unit.name},
        "state": a.state.code(),
        "year": a.year,
        "proposed_on": a.proposed_on,
        "decision": a.decision_reference,
        "date": a.decided_on,
        "reason": a.reason,
        "conference_id": a.conference_id,
        "recipients": a.recipients.iter().map(|r| json!({
            "id": r.id, "kind": r.kind, "name": r.name, "office": r.office, "body": r.body,
            "state": r.state, "unit_id": r.unit_id, "organisation_id": r.organisation_id,
        })).collect::<Vec<_>>(),
    })
}

/// Decide a proposal: accept the listed recipients (all when `None`).
pub async fn decide(
    db: &Db,
    actor: Option<&Actor>,
    id: i64,
    accepted: Option<Vec<i64>>,
    reference: Option<&str>,
    date: Option<&str>,
) -> Result<Award, Failure> {
    let d = decision(reference, date)?;
    let accepted = match accepted {
        Some(v) => v,
        None => store::get(db, actor, id)
            .await?
            .recipients
            .iter()
            .map(|r| r.id)
            .collect(),
    };
    if accepted.len() > antq_core::programmes::awards::limits::MAX_RECIPIENTS {
        return Err(unprocessable("Danh sách người được khen quá dài"));
    }
    Ok(store::decide(db, actor, id, &accepted, &d).await?)
}
