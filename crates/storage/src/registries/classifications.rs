//! Movement classification (QĐ 510/QĐ-BCA-V05): score-sheet templates per
//! subject kind, self-scoring, review by the level above, bands by
//! configured thresholds, deadlines. Schema: `schema_v11_classifications.sql`.
//!
//! The workflow: the unit opens a sheet for a subject (itself if a commune,
//! one of its residential areas, or one of its agencies, enterprises and
//! schools) and scores it item by item with evidence (draft), then submits
//! it; the level strictly above the subject reviews it, changing any score
//! with a reason, and decides: the band follows the reviewed total and the
//! configured thresholds. A commune is reviewed by a grant strictly above
//! it (the province); an area or an organisation, which sits below its
//! unit, by the police or Front of its unit or above. Every step is audited.
//! (Owned by the classifications work of issue 13.)

#[path = "classifications_demo.rs"]
mod demo_rows;
#[path = "classifications_late.rs"]
mod late_and_import;
#[path = "classifications_scoring.rs"]
mod scoring;
#[path = "classifications_templates.rs"]
pub mod templates;

use antq_core::auth::{Action, Role};
use antq_core::dates::{self, Date};
use antq_core::registries::classifications::{
    band, limits, Band, Deadlines, State, SubjectKind, Thresholds,
};
use antq_core::text;
use antq_core::DomainError;
use serde::Serialize;
use serde_json::json;
use sqlx::Row;

use super::settings::{self, Rule};
use crate::accounts::access::{self, Actor};
use crate::audit::{self, Change, Who};
use crate::db::{Db, WriteTx};
use crate::error::{StorageError, StorageResult};

pub use demo_rows::demo;
pub use late_and_import::{import_scores, late, ImportRow, Late};
pub use scoring::{check_scores, decide, review, set_scores, submit, ReviewIn, ScoreIn};
use scoring::{decide_tx, review_tx, scorer, write_scores_tx};
pub use templates::{template, template_for, Item, ItemIn, Template};

/// The band thresholds (tenths of a point).
pub const BANDS: Rule = Rule {
    key: "classifications.bands",
    meaning: "Điểm thấp nhất (phần mười điểm) của các mức Xuất sắc, Khá, Trung bình; dưới mức Trung bình là Yếu. Mặc định 90 / 70 / 50 điểm: ngưỡng thường dùng, chưa đối chiếu được với Quyết định 510/QĐ-BCA-V05 (chưa xác nhận).",
    default: r#"{"xuat_sac":900,"kha":700,"trung_binh":500}"#,
};

/// The deadlines of the review, per subject kind ([day, month]).
pub const DEADLINES: Rule = Rule {
    key: "classifications.deadlines",
    meaning: "Hạn hoàn thành đánh giá, phân loại (ngày, tháng): khu dân cư trước 20/11; xã, cơ quan, doanh nghiệp, cơ sở giáo dục trước 30/11 (Điều 11 Quyết định 510/QĐ-BCA-V05, theo bản tóm tắt).",
    default: r#"{"khu_dan_cu":[20,11],"xa":[30,11],"co_quan":[30,11]}"#,
};

/// The rules of this registry.
pub const RULES: [Rule; 2] = [BANDS, DEADLINES];

/// Seed the score-sheet templates (idempotent).
pub async fn seed_if_empty(db: &Db) -> StorageResult<()> {
    templates::seed_if_empty(db).await
}

pub async fn thresholds(db: &Db) -> StorageResult<Thresholds> {
    settings::get(db, &BANDS).await
}

pub async fn deadlines(db: &Db) -> StorageResult<Deadlines> {
    settings::get(db, &DEADLINES).await
}

/// Change the band thresholds (national administrators; audited).
pub async fn set_thresholds(db: &Db, actor: Option<&Actor>, t: &Thresholds) -> StorageResult<()> {
    t.check()?;
    settings::set(db, &national(actor)?, &BANDS, t).await
}

/// Change the deadlines (national administrators; audited).
pub async fn set_deadlines(db: &Db, actor: Option<&Actor>, d: &Deadlines) -> StorageResult<()> {
    d.check()?;
    settings::set(db, &national(actor)?, &DEADLINES, d).await
}

fn national(actor: Option<&Actor>) -> StorageResult<Who> {
    match actor {
        Some(a) if a.is_national(Action::EditCatalogue) => Ok(a.who()),
        Some(_) => Err(StorageError::Forbidden),
        None => Ok(Who::system()),
    }
}

/// What is classified.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Subject {
    /// A commune (xã, phường, đặc khu), by unit id.
    Commune(i64),
    /// A residential area, by id.
    Area(i64),
    /// An agency, enterprise or school, by organisation id.
    Organisation(i64),
}

/// A unit as a classification names it.
#[derive(Debug, Clone, Serialize)]
pub struct UnitRef {
    #[serde(skip)]
    pub id: i64,
    pub code: String,
    pub name: String,
}

/// One subject's classification of one year.
#[derive(Debug, Clone, Serialize)]
pub struct Classification {
    pub id: i64,
    pub template_id: i64,
    pub year: i32,
    pub kind: SubjectKind,
    pub unit: UnitRef,
    pub area_id: Option<i64>,
    pub organisation_id: Option<i64>,
    pub subject: String,
    pub state: State,
    pub self_points: Option<i64>,
    pub reviewed_points: Option<i64>,
    pub band: Option<Band>,
    pub submitted_at: Option<String>,
    pub decided_by: String,
    pub decided_at: Option<String>,
    pub created_by: String,
}

/// The scores of one item.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Line {
    pub item_id: i64,
    pub self_points: Option<i64>,
    pub evidence: String,
    pub reviewed_points: Option<i64>,
    pub reason: String,
}

/// A classification with its template and its scores item by item.
#[derive(Debug, Clone, Serialize)]
pub struct Sheet {
    pub classification: Classification,
    pub template: Template,
    pub lines: Vec<Line>,
}

impl Sheet {
    pub fn line(&self, item_id: i64) -> Option<&Line> {
        self.lines.iter().find(|l| l.item_id == item_id)
    }

    /// An item's points (self or reviewed): its own, or its sub-items' sum.
    pub fn points(&self, item_id: i64, reviewed: bool) -> Option<i64> {
        let pick = |l: &Line| {
            if reviewed {
                l.reviewed_points
            } else {
                l.self_points
            }
        };
        if self.template.is_leaf(item_id) {
            self.line(item_id).and_then(pick)
        } else {
            let kids: Vec<Option<i64>> = self
                .template
                .children(item_id)
                .map(|c| self.line(c.id).and_then(pick))
                .collect();
            if kids.iter().all(Option::is_none) {
                None
            } else {
                Some(kids.into_iter().flatten().sum())
            }
        }
    }
}

fn invalid(msg: String) -> StorageError {
    DomainError::invalid(msg).into()
}

fn what(id: i64) -> String {
    format!("phiếu phân loại phong trào số {id}")
}

const COLUMNS: &str = "c.id, c.template_id, c.year, c.subject_kind, c.unit_id, u.code, u.name, \
    c.area_id, c.organisation_id, c.subject_name, c.state, c.self_tenths, c.reviewed_tenths, \
    c.band, c.submitted_at, c.decided_by, c.decided_at, c.created_by";

fn from_row(r: &sqlx::any::AnyRow) -> StorageResult<Classification> {
    let year: i64 = r.get(2);
    let band: String = r.get(13);
    Ok(Classification {
        id: r.get(0),
        template_id: r.get(1),
        year: year as i32,
        kind: SubjectKind::parse(&r.get::<String, _>(3))?,
        unit: UnitRef {
            id: r.get(4),
            code: r.get(5),
            name: r.get(6),
        },
        area_id: r.get(7),
        organisation_id: r.get(8),
        subject: r.get(9),
        state: State::parse(&r.get::<String, _>(10))?,
        self_points: r.get(11),
        reviewed_points: r.get(12),
        band: if band.is_empty() {
            None
        } else {
            Some(Band::parse(&band)?)
        },
        submitted_at: r.get(14),
        decided_by: r.get(15),
        decided_at: r.get(16),
        created_by: r.get(17),
    })
}

async fn load(db: &Db, cond: &str, limit: usize) -> StorageResult<Vec<Classification>> {
    let rows = sqlx::query(&format!(
        "SELECT {COLUMNS} FROM classifications c JOIN units u ON u.id = c.unit_id \
         WHERE {cond} ORDER BY c.year DESC, u.code, c.subject_kind, c.subject_name, c.id LIMIT {limit}"
    ))
    .fetch_all(db.pool())
    .await?;
    rows.iter().map(from_row).collect()
}

/// The most classifications one list returns.
pub const MAX_LISTED: usize = 5_000;

/// Which classifications to list.
#[derive(Debug, Clone, Default)]
pub struct Filter {
    /// Of this unit's subtree, with the older units it absorbed (lineage).
    pub unit_id: Option<i64>,
    pub year: Option<i32>,
    pub kind: Option<SubjectKind>,
    pub band: Option<Band>,
}

fn filter_sql(actor: Option<&Actor>, f: &Filter) -> String {
    // Ids, years and codes are integers or fixed words: safe in the SQL.
    let mut conds = vec![match actor {
        Some(a) => a.scope_sql(Action::Read, "c.unit_id"),
        None => "1 = 1".to_string(),
    }];
    if let Some(id) = f.unit_id {
        conds.push(format!(
            "c.unit_id IN (SELECT descendant_id FROM unit_scope WHERE ancestor_id = {id})"
        ));
    }
    if let Some(y) = f.year {
        conds.push(format!("c.year = {y}"));
    }
    if let Some(k) = f.kind {
        conds.push(format!("c.subject_kind = '{}'", k.code()));
    }
    if let Some(b) = f.band {
        conds.push(format!("c.band = '{}'", b.code()));
    }
    conds.join(" AND ")
}

/// The classifications the actor may read (all for `None`).
pub async fn list(
    db: &Db,
    actor: Option<&Actor>,
    f: &Filter,
) -> StorageResult<Vec<Classification>> {
    load(db, &filter_sql(actor, f), MAX_LISTED).await
}

/// Counts of decided classifications by kind and band.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Count {
    pub kind: SubjectKind,
    pub band: Band,
    pub count: i64,
}

/// Decided classifications by kind and band (the kinds and bands with none left out).
pub async fn summary(db: &Db, actor: Option<&Actor>, f: &Filter) -> StorageResult<Vec<Count>> {
    let rows: Vec<(String, String, i64)> = sqlx::query_as(&format!(
        "SELECT c.subject_kind, c.band, COUNT(*) FROM classifications c \
         WHERE {} AND c.state = 'decided' GROUP BY c.subject_kind, c.band",
        filter_sql(actor, f)
    ))
    .fetch_all(db.pool())
    .await?;
    let mut out = Vec::new();
    for (k, b, n) in rows {
        out.push(Count {
            kind: SubjectKind::parse(&k)?,
            band: Band::parse(&b)?,
            count: n,
        });
    }
    out.sort_by_key(|c| (c.kind, c.band));
    Ok(out)
}

/// One classification the caller may read (outside their units: not found).
pub async fn get(db: &Db, actor: Option<&Actor>, id: i64) -> StorageResult<Classification> {
    let c = load(db, &format!("c.id = {id}"), 1)
        .await?
        .pop()
        .ok_or_else(|| StorageError::not_found(what(id)))?;
    if let Some(a) = actor {
        access::require_visible(db, a, Action::Read, c.unit.id, || what(id)).await?;
    }
    Ok(c)
}

/// A classification with its template and scores.
pub async fn sheet(db: &Db, actor: Option<&Actor>, id: i64) -> StorageResult<Sheet> {
    let c = get(db, actor, id).await?;
    let t = template(db, c.template_id).await?;
    let rows = sqlx::query(
        "SELECT item_id, self_tenths, evidence, reviewed_tenths, reason FROM classification_scores \
         WHERE classification_id = $1",
    )
    .bind(id)
    .fetch_all(db.pool())
    .await?;
    let lines = rows
        .iter()
        .map(|r| Line {
            item_id: r.get(0),
            self_points: r.get(1),
            evidence: r.get(2),
            reviewed_points: r.get(3),
            reason: r.get(4),
        })
        .collect();
    Ok(Sheet {
        classification: c,
        template: t,
        lines,
    })
}

/// May the actor score (and submit) this subject? Its unit's police or
/// Front, or an administrator, or any of the levels above.
pub async fn may_score(db: &Db, actor: &Actor, c: &Classification) -> StorageResult<bool> {
    access::can(db, actor, Action::EditRecords, c.unit.id).await
}

/// May the actor review and decide? The level strictly above the subject:
/// above the commune for a commune; the police or Front of the unit (or
/// above) for one of its areas or organisations.
pub async fn may_review(db: &Db, actor: &Actor, c: &Classification) -> StorageResult<bool> {
    // An area's or an organisation's sheet is reviewed at its own unit:
    // whoever made, scored or submitted it never reviews it.
    let at_own_unit = matches!(c.kind, SubjectKind::KhuDanCu | SubjectKind::CoQuan);
    let own: i64 = if !at_own_unit {
        0
    } else {
        sqlx::query_scalar(
        "SELECT COUNT(*) FROM audit_log WHERE entity = 'classification' AND entity_id = $1 \
         AND actor = $2 AND action IN ('classification.create', 'classification.score', 'classification.submit')",
    )
    .bind(c.id.to_string())
    .bind(&actor.username)
    .fetch_one(db.pool())
    .await?
    };
    if own > 0 || (at_own_unit && c.created_by == actor.username) {
        return Ok(false);
    }
    match c.kind {
        SubjectKind::Xa => Ok(
            access::can(db, actor, Action::Approve(Role::Police), c.unit.id).await?
                || access::can(db, actor, Action::Approve(Role::Front), c.unit.id).await?,
        ),
        SubjectKind::KhuDanCu | SubjectKind::CoQuan => {
            access::can(
                db,
                &actor.with_roles(&[Role::Police, Role::Front]),
                Action::EditRecords,
                c.unit.id,
            )
            .await
        }
    }
}

/// The kind, unit, name and key of a subject; refused if it cannot be classified.
async fn resolve_subject(
    db: &Db,
    s: Subject,
) -> StorageResult<(SubjectKind, i64, Option<i64>, Option<i64>, String, String)> {
    match s {
        Subject::Commune(id) => {
            let u = crate::units::by_id(db, id).await?;
            if u.level != antq_core::units::Level::Commune {
                return Err(invalid(format!(
                    "{} không phải đơn vị cấp xã; chỉ xã, phường, đặc khu, khu dân cư, cơ quan, doanh nghiệp, cơ sở giáo dục được phân loại phong trào",
                    u.name
                )));
            }
            Ok((
                SubjectKind::Xa,
                u.id,
                None,
                None,
                u.name,
                format!("xa:{id}"),
            ))
        }
        Subject::Area(id) => {
            let row: Option<(i64, String)> =
                sqlx::query_as("SELECT unit_id, name FROM areas WHERE id = $1")
                    .bind(id)
                    .fetch_optional(db.pool())
                    .await?;
            let (unit, name) =
                row.ok_or_else(|| StorageError::not_found(format!("khu dân cư số {id}")))?;
            Ok((
                SubjectKind::KhuDanCu,
                unit,
                Some(id),
                None,
                name,
                format!("khu_dan_cu:{id}"),
            ))
        }
        Subject::Organisation(id) => {
            let row: Option<(i64, String, String)> =
                sqlx::query_as("SELECT unit_id, kind, name FROM organisations WHERE id = $1")
                    .bind(id)
                    .fetch_optional(db.pool())
                    .await?;
            let (unit, kind, name) =
                row.ok_or_else(|| StorageError::not_found(format!("cơ quan, tổ chức số {id}")))?;
            if !matches!(kind.as_str(), "agency" | "enterprise" | "school") {
                return Err(invalid(format!(
                    "{name} không phải cơ quan, doanh nghiệp hay cơ sở giáo dục nên không chấm điểm phân loại phong trào"
                )));
            }
            Ok((
                SubjectKind::CoQuan,
                unit,
                None,
                Some(id),
                name,
                format!("co_quan:{id}"),
            ))
        }
    }
}

/// Open a classification of a subject for a year, on the template of that
/// year (the unit's police or Front; audited). Returns its id.
pub async fn create(db: &Db, actor: Option<&Actor>, s: Subject, year: i32) -> StorageResult<i64> {
    if !(2000..=2100).contains(&year) {
        return Err(invalid(format!("Năm {year} không hợp lệ")));
    }
    let (kind, unit_id, area_id, org_id, name, key) = resolve_subject(db, s).await?;
    let who = match actor {
        Some(a) => {
            access::require(db, a, Action::EditRecords, unit_id).await?;
            a.who()
        }
        None => Who::system(),
    };
    let t = template_for(db, kind, year).await?;
    let mut tx = db.begin_write().await?;
    let id = insert_tx(
        &mut tx,
        &who,
        &t,
        year,
        (kind, unit_id, area_id, org_id, &name, &key),
    )
    .await?;
    tx.commit().await?;
    Ok(id)
}

type SubjectRow<'a> = (SubjectKind, i64, Option<i64>, Option<i64>, &'a str, &'a str);

async fn insert_tx(
    tx: &mut WriteTx,
    who: &Who,
    t: &Template,
    year: i32,
    s: SubjectRow<'_>,
) -> StorageResult<i64> {
    let (kind, unit_id, area_id, org_id, name, key) = s;
    let now = dates::timestamp(dates::now_utc());
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO classifications (template_id, year, subject_kind, unit_id, area_id, organisation_id, \
         subject_name, subject_key, state, band, decided_by, created_by, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'draft', '', '', $9, $10, $10) RETURNING id",
    )
    .bind(t.id)
    .bind(i64::from(year))
    .bind(kind.code())
    .bind(unit_id)
    .bind(area_id)
    .bind(org_id)
    .bind(name)
    .bind(key)
    .bind(&who.name)
    .bind(&now)
    .fetch_one(tx.conn())
    .await
    .map_err(|e| {
        StorageError::unique_as_conflict(
            e,
            format!("{name} đã có phiếu phân loại phong trào năm {year}"),
        )
    })?;
    audit_tx(
        tx,
        who,
        "classification.create",
        id,
        unit_id,
        None,
        json!({"kind": kind.code(), "subject": name, "year": year, "template": t.id}),
    )
    .await?;
    Ok(id)
}

async fn audit_tx(
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
            entity: "classification",
            entity_id: id.to_string(),
            unit_id: Some(unit_id),
            before,
            after: Some(after),
        },
    )
    .await?;
    Ok(())
}
