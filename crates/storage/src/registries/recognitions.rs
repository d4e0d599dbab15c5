//! Safety-standard recognition ("An toàn về an ninh, trật tự", TT 124/2021/TT-BCA): registration, dossier, criteria checklist and decision per subject and year.
//! Schema: `schema_v11_recognitions.sql`. (Owned by the recognitions work of issue 13.)
//!
//! Access: a record is read by grants whose scope holds its unit (`Read`),
//! registered and filed by those who may `EditRecords` there (police, Front,
//! administrators), decided as `antq_core::registries::recognitions::decider`
//! says (police or Front). Ids outside one's units are "not found".

#[path = "recognitions_criteria.rs"]
mod criteria_impl;
#[path = "recognitions_decide.rs"]
mod decide_impl;
#[path = "recognitions_demo.rs"]
mod demo_impl;
#[path = "recognitions_dossier.rs"]
mod dossier_impl;
#[path = "recognitions_import.rs"]
mod import_impl;
#[path = "recognitions_summary.rs"]
pub(crate) mod summary_impl;

pub use criteria_impl::{criteria, criteria_of_year, save_criterion, Criterion, CriterionInput};
pub use decide_impl::{decide, may_decide};
pub use demo_impl::demo;
pub use dossier_impl::{attach, checklist, file, files, set_checks, CheckRow, FileInfo};
pub use import_impl::{
    export_rows, import, read_csv, write_csv, ImportRow, HEADS, MAX_ROWS, SHEET,
};
pub use summary_impl::{commune_share, summary, AreaShare, KindSummary, Scope};

use antq_core::auth::{Action, Role};
use antq_core::dates::{self, Date};
use antq_core::registries::recognitions::{
    self as rules, check_decision, check_year, decider, Decider, Exclusion, RecognitionState,
    SubjectKind, Window,
};
use antq_core::text;
use antq_core::DomainError;
use chrono::Datelike;
use serde::Serialize;
use serde_json::json;
use sqlx::Row;

use crate::accounts::access::{self, Actor};
use crate::audit::{self, Change, Who};
use crate::db::{Db, WriteTx};
use crate::error::{StorageError, StorageResult};
use crate::registries::settings::{self, Rule};
use crate::statistics::analytics::MapMode;

/// Organisation sub-kinds excluded from the standard (TT 124: small and
/// micro enterprises, primary schools, kindergartens and crèches,
/// armed-forces units), each with the name prefixes that tell it.
pub const RULE_EXCLUSIONS: Rule = Rule {
    key: "recognitions.exclusions",
    meaning: "An toàn về ANTT: các loại cơ quan, doanh nghiệp, cơ sở giáo dục không thuộc diện xét (doanh nghiệp nhỏ và siêu nhỏ, trường tiểu học, mầm non, nhà trẻ, đơn vị vũ trang)",
    default: rules::DEFAULT_EXCLUSIONS,
};

/// The share of a commune's residential areas that must be recognised the
/// same year for the commune to be (percent). 70 under TT 23/2012;
/// unconfirmed for TT 124 (domain.md §1.3).
pub const RULE_COMMUNE_THRESHOLD: Rule = Rule {
    key: "recognitions.commune_threshold",
    meaning: "An toàn về ANTT: tỷ lệ khu dân cư của xã được công nhận cùng năm để xã được xét (%; 70% theo TT 23/2012, chưa xác nhận với TT 124)",
    default: "70",
};

/// The registration window of each year (first quarter by default).
pub const RULE_WINDOW: Rule = Rule {
    key: "recognitions.window",
    meaning: "An toàn về ANTT: thời hạn đăng ký trong năm (dd/mm đến dd/mm; mặc định quý I)",
    default: r#"{"from":"01/01","to":"31/03"}"#,
};

pub const RULES: [Rule; 3] = [RULE_EXCLUSIONS, RULE_COMMUNE_THRESHOLD, RULE_WINDOW];

/// The most records one list returns.
pub const MAX_LISTED: usize = 5_000;

pub async fn exclusions(db: &Db) -> StorageResult<Vec<Exclusion>> {
    settings::get(db, &RULE_EXCLUSIONS).await
}

pub async fn threshold(db: &Db) -> StorageResult<f64> {
    settings::get(db, &RULE_COMMUNE_THRESHOLD).await
}

pub async fn window(db: &Db) -> StorageResult<Window> {
    settings::get(db, &RULE_WINDOW).await
}

/// Change the exclusions (national administrators; audited).
pub async fn set_exclusions(db: &Db, actor: &Actor, list: &[Exclusion]) -> StorageResult<()> {
    require_national_admin(actor)?;
    rules::check_exclusions(list)?;
    settings::set(db, &actor.who(), &RULE_EXCLUSIONS, &list).await
}

/// Change the commune threshold in percent (national administrators; audited).
pub async fn set_threshold(db: &Db, actor: &Actor, percent: f64) -> StorageResult<()> {
    require_national_admin(actor)?;
    if !(0.0..=100.0).contains(&percent) {
        return Err(DomainError::invalid("Tỷ lệ phải từ 0 đến 100%").into());
    }
    settings::set(db, &actor.who(), &RULE_COMMUNE_THRESHOLD, &percent).await
}

/// Change the registration window (national administrators; audited).
pub async fn set_window(db: &Db, actor: &Actor, w: &Window) -> StorageResult<()> {
    require_national_admin(actor)?;
    w.check()?;
    settings::set(db, &actor.who(), &RULE_WINDOW, w).await
}

pub(crate) fn require_national_admin(actor: &Actor) -> StorageResult<()> {
    if actor.is_national(Action::EditCatalogue) {
        Ok(())
    } else {
        Err(StorageError::Forbidden)
    }
}

/// Seed this registry's starting data once (idempotent): the criteria.
pub async fn seed_if_empty(db: &Db) -> StorageResult<()> {
    criteria_impl::seed_if_empty(db).await
}

/// A unit as a record names it.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct UnitRef {
    pub id: i64,
    pub code: String,
    pub name: String,
}

/// One subject's recognition of one year.
#[derive(Debug, Clone, Serialize)]
pub struct Recognition {
    pub id: i64,
    pub year: i32,
    pub kind: SubjectKind,
    pub unit: UnitRef,
    pub area_id: Option<i64>,
    pub organisation_id: Option<i64>,
    pub subject: String,
    /// ISO date.
    pub registered_on: String,
    pub state: RecognitionState,
    pub decision_number: String,
    pub decision_date: Option<String>,
    pub decision_issuer: String,
    pub reason: String,
    pub override_reason: String,
    pub created_by: String,
}

/// What is registered: the subject (an area, the commune, an organisation).
#[derive(Debug, Clone)]
pub struct NewRecognition {
    pub year: i32,
    pub kind: SubjectKind,
    /// The unit: the commune of an area or the commune itself, the unit of an organisation.
    pub unit_id: i64,
    pub area_id: Option<i64>,
    pub organisation_id: Option<i64>,
    pub registered_on: Date,
    /// Register outside the window (an administrator of the unit only).
    pub override_window: bool,
}

/// A decision on a recognition.
#[derive(Debug, Clone)]
pub struct Decision {
    pub recognised: bool,
    pub number: String,
    pub date: Date,
    pub issuer: String,
    /// Why not (required when not recognised).
    pub reason: String,
    /// Why a commune is recognised below the threshold of its areas.
    pub override_reason: String,
}

/// One criterion as checked.
#[derive(Debug, Clone)]
pub struct CheckInput {
    pub criterion_id: i64,
    pub met: bool,
    pub note: String,
}

const COLUMNS: &str = "r.id, r.year, r.subject_kind, r.unit_id, u.code, u.name, r.area_id, \
    r.organisation_id, r.subject_name, r.registered_on, r.state, r.decision_number, \
    r.decision_date, r.decision_issuer, r.reason, r.override_reason, r.created_by";

fn from_row(r: &sqlx::any::AnyRow) -> StorageResult<Recognition> {
    let year: i64 = r.get(1);
    Ok(Recognition {
        id: r.get(0),
        year: year as i32,
        kind: SubjectKind::parse(&r.get::<String, _>(2))?,
        unit: UnitRef {
            id: r.get(3),
            code: r.get(4),
            name: r.get(5),
        },
        area_id: r.get(6),
        organisation_id: r.get(7),
        subject: r.get(8),
        registered_on: r.get(9),
        state: RecognitionState::parse(&r.get::<String, _>(10))?,
        decision_number: r.get(11),
        decision_date: r.get(12),
        decision_issuer: r.get(13),
        reason: r.get(14),
        override_reason: r.get(15),
        created_by: r.get(16),
    })
}

async fn load(db: &Db, cond: &str, limit: usize) -> StorageResult<Vec<Recognition>> {
    let rows = sqlx::query(&format!(
        "SELECT {COLUMNS} FROM recognitions r JOIN units u ON u.id = r.unit_id WHERE {cond} \
         ORDER BY r.year DESC, u.code, r.subject_kind, r.subject_name, r.id LIMIT {limit}"
    ))
    .fetch_all(db.pool())
    .await?;
    rows.iter().map(from_row).collect()
}

fn not_found(id: i64) -> StorageError {
    StorageError::not_found(format!("hồ sơ An toàn về ANTT số {id}"))
}

/// A record the actor may read (`None`: antq itself); else not found.
pub async fn get(db: &Db, actor: Option<&Actor>, id: i64) -> StorageResult<Recognition> {
    let r = load(db, &format!("r.id = {id}"), 1)
        .await?
        .pop()
        .ok_or_else(|| not_found(id))?;
    if let Some(a) = actor {
        access::require_visible(db, a, Action::Read, r.unit.id, || {
            format!("hồ sơ An toàn về ANTT số {id}")
        })
        .await?;
    }
    Ok(r)
}

/// The SQL condition "r.unit_id lies in the subtree of `unit_id`", as the
/// tree was (historical) or gathered into today's units by lineage.
pub(crate) fn subtree_sql(column: &str, unit_id: i64, map: MapMode) -> String {
    let subject = match map {
        MapMode::Historical => column.to_string(),
        MapMode::Current => {
            format!("(SELECT m.current_id FROM unit_data_map m WHERE m.unit_id = {column})")
        }
    };
    format!("{subject} IN (SELECT descendant_id FROM unit_tree WHERE ancestor_id = {unit_id})")
}

/// Which records to list.
#[derive(Debug, Clone, Default)]
pub struct Filter {
    pub unit: Option<(i64, MapMode)>,
    pub year: Option<i32>,
    pub kind: Option<SubjectKind>,
    pub state: Option<RecognitionState>,
}

/// The records the actor may read (all for `None`), by year, unit, kind, name.
pub async fn list(db: &Db, actor: Option<&Actor>, f: &Filter) -> StorageResult<Vec<Recognition>> {
    // Ids, years and codes below are integers or fixed words: safe in the SQL.
    let mut conds = vec![match actor {
        Some(a) => a.scope_sql(Action::Read, "r.unit_id"),
        None => "1 = 1".to_string(),
    }];
    if let Some((id, map)) = f.unit {
        conds.push(subtree_sql("r.unit_id", id, map));
    }
    if let Some(y) = f.year {
        conds.push(format!("r.year = {y}"));
    }
    if let Some(k) = f.kind {
        conds.push(format!("r.subject_kind = '{}'", k.code()));
    }
    if let Some(s) = f.state {
        conds.push(format!("r.state = '{}'", s.code()));
    }
    load(db, &conds.join(" AND "), MAX_LISTED).await
}

/// The subject of a registration: its key and name, checked against the kind and unit.
async fn subject_of(db: &Db, n: &NewRecognition) -> StorageResult<(String, String)> {
    let unit = crate::units::by_id(db, n.unit_id).await?;
    match n.kind {
        SubjectKind::KhuDanCu => {
            let area_id = n
                .area_id
                .ok_or_else(|| DomainError::invalid("Chưa chọn khu dân cư"))?;
            let row: Option<(i64, String)> =
                sqlx::query_as("SELECT unit_id, name FROM areas WHERE id = $1")
                    .bind(area_id)
                    .fetch_optional(db.pool())
                    .await?;
            match row {
                Some((u, name)) if u == unit.id => Ok((format!("a{area_id}"), name)),
                _ => Err(DomainError::invalid(format!(
                    "Khu dân cư đã chọn không thuộc {}",
                    unit.name
                ))
                .into()),
            }
        }
        SubjectKind::Xa => {
            if unit.level != antq_core::units::Level::Commune {
                return Err(DomainError::invalid(format!(
                    "{} không phải đơn vị cấp xã",
                    unit.name
                ))
                .into());
            }
            Ok((format!("u{}", unit.id), unit.name.clone()))
        }
        kind => {
            let org_id = n.organisation_id.ok_or_else(|| {
                DomainError::invalid("Chưa chọn cơ quan, doanh nghiệp, trường học")
            })?;
            let row: Option<(i64, String, String)> =
                sqlx::query_as("SELECT unit_id, kind, name FROM organisations WHERE id = $1")
                    .bind(org_id)
                    .fetch_optional(db.pool())
                    .await?;
            let Some((u, org_kind, name)) = row.filter(|r| r.0 == unit.id) else {
                return Err(DomainError::invalid(format!(
                    "Tổ chức đã chọn không thuộc {}",
                    unit.name
                ))
                .into());
            };
            if kind.org_kind() != Some(org_kind.as_str()) {
                return Err(DomainError::invalid(format!(
                    "{name} không phải {}",
                    kind.word_vi().to_lowercase()
                ))
                .into());
            }
            let marked = org_class(db, org_id).await?;
            if let Some(e) =
                rules::sub_kind_of(&exclusions(db).await?, &org_kind, &name, marked.as_deref())
                    .filter(|e| e.excluded)
            {
                return Err(DomainError::invalid(format!(
                    "{name} ({}) không thuộc diện xét An toàn về ANTT",
                    e.name.to_lowercase()
                ))
                .into());
            }
            let _ = u;
            Ok((format!("o{org_id}"), name))
        }
    }
}

async fn org_class(db: &Db, org_id: i64) -> StorageResult<Option<String>> {
    Ok(sqlx::query_scalar(
        "SELECT sub_kind FROM recognition_org_classes WHERE organisation_id = $1",
    )
    .bind(org_id)
    .fetch_optional(db.pool())
    .await?)
}

/// Mark an organisation's sub-kind (a small enterprise…); empty clears it (audited).
pub async fn set_org_class(
    db: &Db,
    actor: Option<&Actor>,
    org_id: i64,
    sub_kind: &str,
) -> StorageResult<()> {
    let unit_id: i64 = sqlx::query_scalar("SELECT unit_id FROM organisations WHERE id = $1")
        .bind(org_id)
        .fetch_optional(db.pool())
        .await?
        .ok_or_else(|| StorageError::not_found(format!("tổ chức số {org_id}")))?;
    if let Some(a) = actor {
        access::require(db, a, Action::EditAreas, unit_id).await?;
    }
    let sub_kind = sub_kind.trim().to_string();
    text::check_len("Phân loại", &sub_kind, 40)?;
    let who = actor.map(Actor::who).unwrap_or_else(Who::system);
    let now = dates::timestamp(dates::now_utc());
    let (who, sub_kind, now) = (&who, &sub_kind, &now);
    db.write(|mut tx| async move {
        let before: Option<String> = sqlx::query_scalar(
            "SELECT sub_kind FROM recognition_org_classes WHERE organisation_id = $1",
        )
        .bind(org_id)
        .fetch_optional(tx.conn())
        .await?;
        sqlx::query("DELETE FROM recognition_org_classes WHERE organisation_id = $1")
            .bind(org_id)
            .execute(tx.conn())
            .await?;
        if !sub_kind.is_empty() {
            sqlx::query(
                "INSERT INTO recognition_org_classes (organisation_id, sub_kind, updated_by, updated_at) \
                 VALUES ($1, $2, $3, $4)",
            )
            .bind(org_id)
            .bind(sub_kind)
            .bind(&who.name)
            .bind(now)
            .execute(tx.conn())
            .await?;
        }
        audit::append(
            &mut tx,
            Change {
                who,
                action: "recognition_org_class.save",
                entity: "organisation",
                entity_id: org_id.to_string(),
                unit_id: Some(unit_id),
                before: before.map(|b| json!(b)),
                after: Some(json!(sub_kind)),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(())
    })
    .await
}

/// May the actor override the window for this unit? Administrators of it only.
async fn may_override(db: &Db, actor: Option<&Actor>, unit_id: i64) -> StorageResult<bool> {
    match actor {
        None => Ok(true),
        Some(a) => {
            access::can(
                db,
                &a.with_roles(&[Role::Admin]),
                Action::EditRecords,
                unit_id,
            )
            .await
        }
    }
}

/// Everything a registration needs checked before it is written: the
/// subject's key and name.
pub(crate) async fn check_new(
    db: &Db,
    actor: Option<&Actor>,
    n: &NewRecognition,
    check_window: bool,
) -> StorageResult<(String, String)> {
    check_year(n.year)?;
    if let Some(a) = actor {
        access::require(db, a, Action::EditRecords, n.unit_id).await?;
    }
    let (key, name) = subject_of(db, n).await?;
    let w = window(db).await?;
    if check_window && !w.contains(n.year, n.registered_on) {
        if !n.override_window {
            return Err(DomainError::invalid(format!(
                "Ngày {} ngoài thời hạn đăng ký năm {} ({}); quản trị viên của đơn vị có thể cho đăng ký muộn",
                dates::format_vi(n.registered_on),
                n.year,
                w.text(n.year)
            ))
            .into());
        }
        if !may_override(db, actor, n.unit_id).await? {
            return Err(DomainError::invalid(format!(
                "Chỉ quản trị viên của đơn vị mới cho đăng ký ngoài thời hạn ({})",
                w.text(n.year)
            ))
            .into());
        }
    }
    let exists: Option<i64> = sqlx::query_scalar(
        "SELECT id FROM recognitions WHERE year = $1 AND subject_kind = $2 AND subject_key = $3",
    )
    .bind(i64::from(n.year))
    .bind(n.kind.code())
    .bind(&key)
    .fetch_optional(db.pool())
    .await?;
    if exists.is_some() {
        return Err(StorageError::Conflict(format!(
            "{name} đã đăng ký năm {}",
            n.year
        )));
    }
    Ok((key, name))
}

/// Write a checked registration (and its decision, for an imported record).
pub(crate) async fn insert_tx(
    tx: &mut WriteTx,
    who: &Who,
    n: &NewRecognition,
    key: &str,
    name: &str,
    decision: Option<&Decision>,
) -> StorageResult<i64> {
    let now = dates::timestamp(dates::now_utc());
    let state = match decision {
        None => RecognitionState::Registered,
        Some(d) if d.recognised => RecognitionState::Recognised,
        Some(_) => RecognitionState::NotRecognised,
    };
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO recognitions (year, subject_kind, unit_id, area_id, organisation_id, subject_key, \
         subject_name, registered_on, state, decision_number, decision_date, decision_issuer, reason, \
         override_reason, created_by, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $16) RETURNING id",
    )
    .bind(i64::from(n.year))
    .bind(n.kind.code())
    .bind(n.unit_id)
    .bind(n.area_id)
    .bind(n.organisation_id)
    .bind(key)
    .bind(name)
    .bind(dates::iso(n.registered_on))
    .bind(state.code())
    .bind(decision.map(|d| d.number.trim().to_string()).unwrap_or_default())
    .bind(decision.map(|d| dates::iso(d.date)))
    .bind(decision.map(|d| d.issuer.trim().to_string()).unwrap_or_default())
    .bind(decision.map(|d| d.reason.trim().to_string()).unwrap_or_default())
    .bind(decision.map(|d| d.override_reason.trim().to_string()).unwrap_or_default())
    .bind(&who.name)
    .bind(&now)
    .fetch_one(tx.conn())
    .await
    .map_err(|e| StorageError::unique_as_conflict(e, format!("{name} đã đăng ký năm {}", n.year)))?;
    audit::append(
        tx,
        Change {
            who,
            action: "recognition.register",
            entity: "recognition",
            entity_id: id.to_string(),
            unit_id: Some(n.unit_id),
            before: None,
            after: Some(json!({
                "year": n.year, "kind": n.kind.code(), "subject": name,
                "registered_on": dates::iso(n.registered_on),
                "override_window": n.override_window,
                "decision": decision.map(|d| json!({"recognised": d.recognised, "number": d.number, "date": dates::iso(d.date)})),
            })),
        },
    )
    .await?;
    Ok(id)
}

/// Register a subject for a year (audited). Outside the window only with
/// `override_window`, by an administrator of the unit.
pub async fn register(db: &Db, actor: Option<&Actor>, n: &NewRecognition) -> StorageResult<i64> {
    let (key, name) = check_new(db, actor, n, true).await?;
    let who = actor.map(Actor::who).unwrap_or_else(Who::system);
    let (who, key, name) = (&who, &key, &name);
    db.write(|mut tx| async move {
        let id = insert_tx(&mut tx, who, n, key, name, None).await?;
        tx.commit().await?;
        Ok(id)
    })
    .await
}
