//! Safety-standard recognition ("An toàn về an ninh, trật tự", TT 124/2021/TT-BCA): registration, dossier, criteria checklist and decision per subject and year: pages under `/an-toan-antt`, API under `/api/v1`.
//! (Owned by the recognitions work of issue 13.)
//!
//! Input is parsed here into the storage's types; access is checked by
//! storage through the one policy.

pub mod api;
pub mod criteria;
pub mod excel_pages;
pub mod pages;
pub mod record;
pub mod words;

use antq_core::auth::Action;
use antq_core::dates::{self, Date};
use antq_core::registries::recognitions::{RecognitionState, SubjectKind};
use antq_core::text;
use antq_core::units::UnitCode;
use antq_storage::accounts::access::{self, Actor};
use antq_storage::registries::recognitions::{self as store, Filter, Recognition, Scope};
use antq_storage::statistics::analytics::MapMode;
use antq_storage::units::{self, Unit};
use antq_storage::Db;
use axum::http::StatusCode;
use axum::Router;
use serde::Deserialize;
use serde_json::{json, Value};

use crate::error::Failure;
use crate::state::AppState;

/// The page routes (`upload_limit` bounds the bodies of upload routes).
pub fn page_routes(upload_limit: usize) -> Router<AppState> {
    pages::routes(upload_limit)
}

/// The API routes (under `/api/v1`).
pub fn api_routes(upload_limit: usize) -> Router<AppState> {
    api::routes(upload_limit)
}

pub(crate) fn unprocessable(msg: impl Into<String>) -> Failure {
    Failure::new(StatusCode::UNPROCESSABLE_ENTITY, msg)
}

/// A year as sent: 2012 to 2100.
pub fn parse_year(s: &str) -> Result<i32, Failure> {
    let t = s.trim();
    t.parse::<i32>()
        .ok()
        .filter(|y| antq_core::registries::recognitions::check_year(*y).is_ok())
        .ok_or_else(|| unprocessable(format!("Năm \u{201C}{t}\u{201D} không hợp lệ (2012–2100)")))
}

/// The unit of a list or summary: the code as today (its subtree gathered
/// through lineage), or, for a code no longer in use, as on the year's
/// last day (its subtree as it was). The actor must be able to read it.
pub async fn scope_of(
    db: &Db,
    actor: Option<&Actor>,
    code: &str,
    year: Option<i32>,
) -> Result<(Unit, Scope), Failure> {
    let code = UnitCode::parse(code.trim())?;
    let (unit, map) = match units::find_at(db, &code, dates::today()).await? {
        Some(u) => (u, MapMode::Current),
        None => {
            let at = year
                .and_then(antq_core::registries::year_end)
                .unwrap_or_else(dates::today);
            (units::get_at(db, &code, at).await?, MapMode::Historical)
        }
    };
    if let Some(a) = actor {
        access::require(db, a, Action::Read, unit.id).await?;
    }
    let scope = Scope {
        unit_id: unit.id,
        map,
    };
    Ok((unit, scope))
}

/// The list's query.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct ListQuery {
    #[serde(default)]
    pub unit: Option<String>,
    #[serde(default)]
    pub year: Option<String>,
    #[serde(default)]
    pub kind: Option<String>,
    #[serde(default)]
    pub state: Option<String>,
}

fn some(s: &Option<String>) -> Option<&str> {
    s.as_deref().map(str::trim).filter(|s| !s.is_empty())
}

/// The filter of a list query.
pub async fn filter(db: &Db, actor: Option<&Actor>, q: &ListQuery) -> Result<Filter, Failure> {
    let year = some(&q.year).map(parse_year).transpose()?;
    let unit = match some(&q.unit) {
        Some(code) => {
            let (_, s) = scope_of(db, actor, code, year).await?;
            Some((s.unit_id, s.map))
        }
        None => None,
    };
    Ok(Filter {
        unit,
        year,
        kind: some(&q.kind)
            .map(SubjectKind::parse)
            .transpose()
            .map_err(|e| unprocessable(e.to_string()))?,
        state: some(&q.state)
            .map(RecognitionState::parse)
            .transpose()
            .map_err(|e| unprocessable(e.to_string()))?,
    })
}

/// A record as a list item.
pub fn item_json(r: &Recognition) -> Value {
    json!({
        "id": r.id,
        "year": r.year,
        "unit": r.unit.code,
        "unit_name": r.unit.name,
        "kind": r.kind.code(),
        "kind_name": r.kind.word_vi(),
        "subject": r.subject,
        "registered_on": r.registered_on,
        "state": r.state.code(),
        "state_name": r.state.word_vi(),
        "decision_number": r.decision_number,
        "decision_date": r.decision_date,
    })
}

/// A record with its dossier, checklist and decision.
pub async fn detail_json(
    db: &Db,
    actor: Option<&Actor>,
    r: &Recognition,
) -> Result<Value, Failure> {
    let mut v = item_json(r);
    let checks = store::checklist(db, r).await?;
    let files = store::files(db, r.id).await?;
    v["decision_issuer"] = json!(r.decision_issuer);
    v["reason"] = json!(r.reason);
    v["override_reason"] = json!(r.override_reason);
    v["checks"] = json!(checks
        .iter()
        .map(
            |c| json!({"criterion_id": c.criterion_id, "position": c.position, "text": c.text,
            "note": c.note, "met": c.met, "check_note": c.check_note})
        )
        .collect::<Vec<_>>());
    v["files"] = json!(files
        .iter()
        .map(|f| json!({"id": f.id, "name": f.name, "content_type": f.content_type, "size": f.size, "sha256": f.sha256}))
        .collect::<Vec<_>>());
    if r.kind == SubjectKind::Xa {
        let s = store::commune_share(db, r.unit.id, r.year).await?;
        v["areas_share"] = json!({"recognised": s.recognised, "total": s.total,
            "share_text": s.text(), "threshold": s.threshold, "below": s.below()});
    }
    v["may_decide"] = json!(match actor {
        Some(a) => !r.state.decided() && store::may_decide(db, a, r).await?,
        None => false,
    });
    Ok(v)
}

/// A registration as typed or sent: the unit by code (at the registration
/// date), the subject by id or by name within the unit.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct RegisterIn {
    pub year: i64,
    pub kind: String,
    pub unit: String,
    #[serde(default)]
    pub area_id: Option<i64>,
    #[serde(default)]
    pub organisation_id: Option<i64>,
    /// The area's or organisation's name (instead of its id).
    #[serde(default)]
    pub subject: Option<String>,
    /// dd/mm/yyyy or ISO; today when absent.
    #[serde(default)]
    pub registered_on: Option<String>,
    #[serde(default)]
    pub override_window: bool,
}

/// Register; returns the new record's id.
pub async fn register(db: &Db, actor: &Actor, b: &RegisterIn) -> Result<i64, Failure> {
    let year = i32::try_from(b.year)
        .ok()
        .filter(|y| antq_core::registries::recognitions::check_year(*y).is_ok())
        .ok_or_else(|| unprocessable(format!("Năm {} không hợp lệ (2012–2100)", b.year)))?;
    let kind = SubjectKind::parse(&b.kind).map_err(|e| unprocessable(e.to_string()))?;
    let on = match b
        .registered_on
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
    {
        Some(s) => dates::parse_input_date(s).map_err(|e| unprocessable(e.to_string()))?,
        None => dates::today(),
    };
    let unit = unit_at(db, &b.unit, on).await?;
    let (mut area_id, mut organisation_id) = (b.area_id, b.organisation_id);
    let name = b.subject.as_deref().map(text::clean).unwrap_or_default();
    text::check_len("Tên", &name, 300).map_err(|e| unprocessable(e.to_string()))?;
    if !name.is_empty() {
        match kind {
            SubjectKind::KhuDanCu if area_id.is_none() => {
                area_id = Some(
                    units::areas::list(db, unit.id)
                        .await?
                        .into_iter()
                        .find(|a| text::fold(&a.name) == text::fold(&name))
                        .ok_or_else(|| {
                            unprocessable(format!(
                                "{} không có khu dân cư \u{201C}{name}\u{201D}",
                                unit.name
                            ))
                        })?
                        .id,
                )
            }
            k if k.org_kind().is_some() && organisation_id.is_none() => {
                organisation_id = Some(
                    units::orgs::list(db, unit.id)
                        .await?
                        .into_iter()
                        .find(|o| {
                            Some(o.kind.as_str()) == k.org_kind()
                                && text::fold(&o.name) == text::fold(&name)
                        })
                        .ok_or_else(|| {
                            unprocessable(format!(
                                "{} không có {} \u{201C}{name}\u{201D}",
                                unit.name,
                                k.word_vi().to_lowercase()
                            ))
                        })?
                        .id,
                )
            }
            _ => {}
        }
    }
    Ok(store::register(
        db,
        Some(actor),
        &store::NewRecognition {
            year,
            kind,
            unit_id: unit.id,
            area_id,
            organisation_id,
            registered_on: on,
            override_window: b.override_window,
        },
    )
    .await?)
}

async fn unit_at(db: &Db, code: &str, at: Date) -> Result<Unit, Failure> {
    let code = UnitCode::parse(code.trim()).map_err(|e| unprocessable(e.to_string()))?;
    units::find_at(db, &code, at).await?.ok_or_else(|| {
        unprocessable(format!(
            "Không có đơn vị mã {code} vào ngày {}",
            dates::format_vi(at)
        ))
    })
}

/// A decision as typed or sent.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct DecideIn {
    pub recognised: bool,
    #[serde(default)]
    pub decision_number: String,
    #[serde(default)]
    pub decision_date: String,
    #[serde(default)]
    pub issuer: String,
    #[serde(default)]
    pub reason: String,
    #[serde(default)]
    pub override_reason: String,
}

pub async fn decide(db: &Db, actor: &Actor, id: i64, b: &DecideIn) -> Result<Recognition, Failure> {
    let date = match b.decision_date.trim() {
        "" => return Err(unprocessable("Chưa có ngày quyết định")),
        s => dates::parse_input_date(s).map_err(|e| unprocessable(e.to_string()))?,
    };
    Ok(store::decide(
        db,
        Some(actor),
        id,
        &store::Decision {
            recognised: b.recognised,
            number: text::clean(&b.decision_number),
            date,
            issuer: text::clean(&b.issuer),
            reason: text::clean(&b.reason),
            override_reason: text::clean(&b.override_reason),
        },
    )
    .await?)
}

/// The summary as JSON.
pub async fn summary_json(
    db: &Db,
    actor: Option<&Actor>,
    code: &str,
    year: i32,
) -> Result<Value, Failure> {
    let (unit, scope) = scope_of(db, actor, code, Some(year)).await?;
    let rows = store::summary(db, scope, year).await?;
    Ok(json!({
        "unit": unit.code,
        "unit_name": unit.name,
        "year": year,
        "items": rows.iter().map(|k| json!({
            "kind": k.kind.code(),
            "kind_name": k.kind.word_vi(),
            "registered": k.registered,
            "recognised": k.recognised,
            "eligible": k.eligible,
            "share": k.share,
            "share_text": antq_core::registries::recognitions::share_text(k.recognised, k.eligible),
        })).collect::<Vec<_>>(),
    }))
}
