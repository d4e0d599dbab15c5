//! Movement classification (QĐ 510/QĐ-BCA-V05): score-sheet templates per
//! subject kind, self-scoring, review by the level above, bands by
//! configured thresholds, deadlines: pages under `/phan-loai-phong-trao`,
//! API under `/api/v1`. Input is parsed here; access is checked by storage
//! through the one policy. (Owned by the classifications work of issue 13.)

pub mod api;
pub mod excel;
pub mod excel_pages;
pub mod pages;
pub mod sheet;
pub mod templates;
pub mod words;

use antq_core::dates::{self, Date};
use antq_core::registries::classifications::{format_points, points_of_number, Band, SubjectKind};
use antq_core::units::UnitCode;
use antq_storage::accounts::access::{self, Actor};
use antq_storage::registries::classifications::{
    self as store, Classification, Filter, ReviewIn, ScoreIn, Sheet, Subject,
};
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

/// A year as typed: 2000 – 2100.
pub fn parse_year(s: &str) -> Result<i32, Failure> {
    match s.trim().parse::<i32>() {
        Ok(y) if (2000..=2100).contains(&y) => Ok(y),
        _ => Err(unprocessable(format!(
            "Năm \u{201C}{}\u{201D} không hợp lệ (từ 2000 đến 2100)",
            s.trim()
        ))),
    }
}

/// The unit of a code for a year: today's unit, or the one of that year
/// (an old province such as "87" before the 2025 reorganisation).
pub async fn unit_for(db: &Db, code: &str, year: Option<i32>) -> Result<Unit, Failure> {
    let code = UnitCode::parse(code.trim())?;
    if let Some(u) = units::find_at(db, &code, dates::today()).await? {
        return Ok(u);
    }
    if let Some(d) = year.and_then(|y| Date::from_ymd_opt(y, 12, 31)) {
        if let Some(u) = units::find_at(db, &code, d).await? {
            return Ok(u);
        }
    }
    Ok(units::get_at(db, &code, dates::today()).await?)
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
    pub band: Option<String>,
}

fn some(s: &Option<String>) -> Option<&str> {
    s.as_deref().map(str::trim).filter(|s| !s.is_empty())
}

/// The filter of a query; the unit must be one the actor may read.
pub async fn filter(
    db: &Db,
    actor: Option<&Actor>,
    q: &ListQuery,
) -> Result<(Filter, Option<Unit>), Failure> {
    let year = some(&q.year).map(parse_year).transpose()?;
    let unit = match some(&q.unit) {
        Some(code) => {
            let u = unit_for(db, code, year).await?;
            if let Some(a) = actor {
                access::require(db, a, antq_core::auth::Action::Read, u.id).await?;
            }
            Some(u)
        }
        None => None,
    };
    let kind = some(&q.kind)
        .map(SubjectKind::parse)
        .transpose()
        .map_err(|e| unprocessable(e.to_string()))?;
    let band = some(&q.band)
        .map(Band::parse)
        .transpose()
        .map_err(|e| unprocessable(e.to_string()))?;
    Ok((
        Filter {
            unit_id: unit.as_ref().map(|u| u.id),
            year,
            kind,
            band,
        },
        unit,
    ))
}

/// Points (tenths) as a JSON number (9.5).
fn num(p: Option<i64>) -> Value {
    match p {
        Some(t) if t % 10 == 0 => json!(t / 10),
        Some(t) => json!(t as f64 / 10.0),
        None => Value::Null,
    }
}

/// Points for a page: "9,5", or a dash.
pub fn shown(p: Option<i64>) -> String {
    p.map(format_points).unwrap_or_else(|| "–".into())
}

/// A classification as the API lists it.
pub fn item_json(c: &Classification) -> Value {
    json!({
        "id": c.id,
        "year": c.year,
        "unit": c.unit.code,
        "unit_name": c.unit.name,
        "kind": c.kind.code(),
        "kind_name": c.kind.word_vi(),
        "subject": c.subject,
        "area_id": c.area_id,
        "organisation_id": c.organisation_id,
        "state": c.state.code(),
        "state_name": c.state.word_vi(),
        "self_points": num(c.self_points),
        "reviewed_points": num(c.reviewed_points),
        "band": c.band.map(Band::code),
        "band_name": c.band.map(Band::word_vi),
    })
}

/// A score sheet as the API gives it: the classification with its items.
pub fn sheet_json(sh: &Sheet, may_score: bool, may_review: bool) -> Value {
    let mut v = item_json(&sh.classification);
    let items: Vec<Value> = sh
        .template
        .items
        .iter()
        .map(|i| {
            let line = sh.line(i.id);
            json!({
                "id": i.id,
                "parent_id": i.parent_id,
                "label": i.label,
                "text": i.text,
                "max_points": num(Some(i.max)),
                "scored": sh.template.is_leaf(i.id),
                "self_points": num(sh.points(i.id, false)),
                "evidence": line.map(|l| l.evidence.clone()).unwrap_or_default(),
                "reviewed_points": num(sh.points(i.id, true)),
                "reason": line.map(|l| l.reason.clone()).unwrap_or_default(),
            })
        })
        .collect();
    v["template"] = json!({
        "id": sh.template.id,
        "title": sh.template.title,
        "year_from": sh.template.year_from,
    });
    v["items"] = json!(items);
    v["submitted_at"] = json!(sh.classification.submitted_at);
    v["decided_at"] = json!(sh.classification.decided_at);
    v["may_score"] = json!(may_score);
    v["may_review"] = json!(may_review);
    v
}

/// A sheet with what the actor may do to it.
pub async fn sheet_for(db: &Db, actor: &Actor, id: i64) -> Result<(Sheet, bool, bool), Failure> {
    let sh = store::sheet(db, Some(actor), id).await?;
    let may_score = store::may_score(db, actor, &sh.classification).await?;
    let may_review = store::may_review(db, actor, &sh.classification).await?;
    Ok((sh, may_score, may_review))
}

/// A new classification as sent: the year, the unit, the kind, and the
/// area or organisation for those kinds.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct NewIn {
    pub year: i64,
    pub unit: String,
    pub kind: String,
    #[serde(default)]
    pub area_id: Option<i64>,
    #[serde(default)]
    pub organisation_id: Option<i64>,
}

/// Open a classification; returns its id.
pub async fn create(db: &Db, actor: &Actor, n: &NewIn) -> Result<i64, Failure> {
    let year = parse_year(&n.year.to_string())?;
    let kind = SubjectKind::parse(&n.kind).map_err(|e| unprocessable(e.to_string()))?;
    let unit = unit_for(db, &n.unit, Some(year)).await?;
    let subject = match kind {
        SubjectKind::Xa => Subject::Commune(unit.id),
        SubjectKind::KhuDanCu => {
            let id = n
                .area_id
                .ok_or_else(|| unprocessable("Chưa chọn khu dân cư (area_id)"))?;
            if !units::areas::list(db, unit.id)
                .await?
                .iter()
                .any(|a| a.id == id)
            {
                return Err(unprocessable(format!(
                    "Khu dân cư số {id} không thuộc {}",
                    unit.name
                )));
            }
            Subject::Area(id)
        }
        SubjectKind::CoQuan => {
            let id = n.organisation_id.ok_or_else(|| {
                unprocessable("Chưa chọn cơ quan, doanh nghiệp, cơ sở giáo dục (organisation_id)")
            })?;
            if !units::orgs::list(db, unit.id)
                .await?
                .iter()
                .any(|o| o.id == id)
            {
                return Err(unprocessable(format!(
                    "Cơ quan, tổ chức số {id} không thuộc {}",
                    unit.name
                )));
            }
            Subject::Organisation(id)
        }
    };
    Ok(store::create(db, Some(actor), subject, year).await?)
}

/// Points as sent in JSON (9.5), as tenths; refused with the item named.
fn points_in(x: f64, item: i64) -> Result<i64, Failure> {
    points_of_number(x).map_err(|e| unprocessable(format!("Mục số {item}: {e}")))
}

/// One self-score as sent.
#[derive(Debug, Clone, Deserialize)]
pub struct ScoreJson {
    pub item_id: i64,
    #[serde(default)]
    pub points: Option<f64>,
    #[serde(default)]
    pub evidence: String,
}

/// One reviewed score as sent.
#[derive(Debug, Clone, Deserialize)]
pub struct ReviewJson {
    pub item_id: i64,
    pub points: f64,
    #[serde(default)]
    pub reason: String,
}

/// The most scores one request may carry.
pub const MAX_SCORES: usize = antq_core::registries::classifications::limits::MAX_ITEMS;

pub fn scores_in(v: &[ScoreJson]) -> Result<Vec<ScoreIn>, Failure> {
    if v.len() > MAX_SCORES {
        return Err(unprocessable(format!("Quá {MAX_SCORES} mục điểm")));
    }
    v.iter()
        .map(|s| {
            Ok(ScoreIn {
                item_id: s.item_id,
                points: s.points.map(|p| points_in(p, s.item_id)).transpose()?,
                evidence: s.evidence.clone(),
            })
        })
        .collect()
}

pub fn reviews_in(v: &[ReviewJson]) -> Result<Vec<ReviewIn>, Failure> {
    if v.len() > MAX_SCORES {
        return Err(unprocessable(format!("Quá {MAX_SCORES} mục điểm")));
    }
    v.iter()
        .map(|s| {
            Ok(ReviewIn {
                item_id: s.item_id,
                points: points_in(s.points, s.item_id)?,
                reason: s.reason.clone(),
            })
        })
        .collect()
}

/// Band counts per kind (and all kinds), as the API and the page give them.
pub struct KindCounts {
    pub kind: Option<SubjectKind>,
    pub counts: [i64; 4],
}

impl KindCounts {
    pub fn total(&self) -> i64 {
        self.counts.iter().sum()
    }
}

/// The counts of decided classifications, kind by kind then all together.
pub async fn counts(
    db: &Db,
    actor: Option<&Actor>,
    f: &Filter,
) -> Result<Vec<KindCounts>, Failure> {
    let rows = store::summary(db, actor, f).await?;
    let mut out: Vec<KindCounts> = SubjectKind::ALL
        .iter()
        .map(|k| KindCounts {
            kind: Some(*k),
            counts: [0; 4],
        })
        .collect();
    let mut all = KindCounts {
        kind: None,
        counts: [0; 4],
    };
    for r in rows {
        let b = Band::ALL.iter().position(|b| *b == r.band).unwrap_or(3);
        if let Some(k) = out.iter_mut().find(|k| k.kind == Some(r.kind)) {
            k.counts[b] += r.count;
        }
        all.counts[b] += r.count;
    }
    out.push(all);
    Ok(out)
}
