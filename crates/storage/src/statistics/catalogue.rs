//! The catalogue of indicators, breakdowns, forms and validation rules,
//! seeded on first start from `antq_core::indicators` and `::validation`.

use std::collections::HashMap;
use std::sync::Arc;

use antq_core::auth::Role;
use antq_core::indicators::{self, Aggregation, ValueType};
use antq_core::periods::{Calendar, PeriodType};
use antq_core::units::Level;
use antq_core::validation::{self, Expr, Rule};
use serde::Serialize;
use serde_json::json;
use sqlx::Row;

use crate::audit::{self, Change, Who};
use crate::db::Db;
use crate::error::{StorageError, StorageResult};
use crate::statistics::catalogue_cache;

#[derive(Debug, Clone, Serialize)]
pub struct CategoryOption {
    pub code: String,
    pub name_vi: String,
    pub name_en: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct Indicator {
    #[serde(skip)]
    pub id: i64,
    pub code: String,
    pub name_vi: String,
    pub name_en: String,
    pub unit: String,
    pub group: String,
    pub value_type: ValueType,
    pub aggregation: Aggregation,
    pub numerator: Option<String>,
    pub denominator: Option<String>,
    /// The breakdown options (empty: a single value).
    pub options: Vec<CategoryOption>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Form {
    #[serde(skip)]
    pub id: i64,
    pub code: String,
    pub name_vi: String,
    pub name_en: String,
    pub period_type: PeriodType,
    pub calendar: Calendar,
    pub owner_role: Role,
    pub levels: Vec<Level>,
    pub deadline_days: i64,
    pub indicators: Vec<Indicator>,
    #[serde(skip)]
    pub rules: Vec<Rule>,
}

/// The forms seeded on first start.
const FORMS: &[(&str, &str, &str, PeriodType, u8)] = &[
    (
        "antq-nam",
        "Biểu tổng hợp kết quả phong trào Toàn dân bảo vệ ANTQ (năm)",
        "Yearly results of the All People Protect National Security movement",
        PeriodType::Year,
        15,
    ),
    (
        "antq-6t",
        "Biểu tổng hợp kết quả phong trào Toàn dân bảo vệ ANTQ (6 tháng)",
        "Half-yearly results of the All People Protect National Security movement",
        PeriodType::Half,
        10,
    ),
];

/// Seed the catalogue if it is empty. Idempotent.
pub async fn seed_if_empty(db: &Db) -> StorageResult<bool> {
    let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM indicators")
        .fetch_one(db.pool())
        .await?;
    if n > 0 {
        return Ok(false);
    }
    let mut tx = db.begin_write().await?;
    let mut set_ids = HashMap::new();
    for c in indicators::CATEGORIES {
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO category_sets (code, name_vi, name_en) VALUES ($1, $2, $3) RETURNING id",
        )
        .bind(c.code)
        .bind(c.name_vi)
        .bind(c.name_en)
        .fetch_one(tx.conn())
        .await?;
        for (pos, (code, vi, en)) in c.options.iter().enumerate() {
            sqlx::query(
                "INSERT INTO category_options (set_id, code, name_vi, name_en, position) VALUES ($1, $2, $3, $4, $5)",
            )
            .bind(id)
            .bind(*code)
            .bind(*vi)
            .bind(*en)
            .bind(pos as i64)
            .execute(tx.conn())
            .await?;
        }
        set_ids.insert(c.code, id);
    }
    let mut ids = HashMap::new();
    for (pos, i) in indicators::INDICATORS.iter().enumerate() {
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO indicators (code, name_vi, name_en, unit, grp, value_type, aggregation, category_set_id, position) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id",
        )
        .bind(i.code)
        .bind(i.name_vi)
        .bind(i.name_en)
        .bind(i.unit)
        .bind(i.group)
        .bind(i.value_type.as_str())
        .bind(i.aggregation.as_str())
        .bind(i.category.map(|c| set_ids[c]))
        .bind(pos as i64)
        .fetch_one(tx.conn())
        .await?;
        ids.insert(i.code, id);
    }
    for i in indicators::INDICATORS {
        if let Some((num, den)) = i.ratio {
            sqlx::query(
                "UPDATE indicators SET numerator_id = $1, denominator_id = $2 WHERE id = $3",
            )
            .bind(ids[num])
            .bind(ids[den])
            .bind(ids[i.code])
            .execute(tx.conn())
            .await?;
        }
    }
    for (code, name_vi, name_en, period_type, deadline) in FORMS {
        let form_id: i64 = sqlx::query_scalar(
            "INSERT INTO forms (code, name_vi, name_en, period_type, calendar, owner_role, levels, deadline_days) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
        )
        .bind(*code)
        .bind(*name_vi)
        .bind(*name_en)
        .bind(period_type.as_str())
        .bind(Calendar::Reporting.as_str())
        .bind(Role::Police.as_str())
        .bind("province,commune")
        .bind(i64::from(*deadline))
        .fetch_one(tx.conn())
        .await?;
        let stored = indicators::INDICATORS
            .iter()
            .filter(|i| !matches!(i.aggregation, Aggregation::Ratio | Aggregation::Distinct))
            .filter(|i| !indicators::register_only(i.code));
        for (pos, i) in stored.enumerate() {
            sqlx::query(
                "INSERT INTO form_indicators (form_id, indicator_id, position) VALUES ($1, $2, $3)",
            )
            .bind(form_id)
            .bind(ids[i.code])
            .bind(pos as i64)
            .execute(tx.conn())
            .await?;
        }
        for (rcode, l, op, r, sev, msg) in validation::SEED_RULES {
            sqlx::query(
                "INSERT INTO validation_rules (form_id, code, left_expr, operator, right_expr, missing, severity, message_vi) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
            )
            .bind(form_id)
            .bind(*rcode)
            .bind(*l)
            .bind(*op)
            .bind(*r)
            .bind("skip_if_any_missing")
            .bind(*sev)
            .bind(*msg)
            .execute(tx.conn())
            .await?;
        }
    }
    audit::append(
        &mut tx,
        Change {
            who: &Who::system(),
            action: "catalogue.seed",
            entity: "catalogue",
            entity_id: "antq".into(),
            unit_id: None,
            before: None,
            after: Some(json!({
                "indicators": indicators::INDICATORS.len(),
                "forms": FORMS.iter().map(|f| f.0).collect::<Vec<_>>(),
            })),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(true)
}

/// Every indicator, in catalogue order.
pub async fn indicators(db: &Db) -> StorageResult<Vec<Indicator>> {
    Ok(indicators_now(db, catalogue_cache::version(db).await)
        .await?
        .as_ref()
        .clone())
}

/// The indicators at the catalogue's `version` (kept, or read and kept).
async fn indicators_now(db: &Db, version: Option<i64>) -> StorageResult<Arc<Vec<Indicator>>> {
    if let Some(all) = version.and_then(|v| db.catalogue_cache().indicators(v)) {
        return Ok(all);
    }
    let all = Arc::new(read_indicators(db).await?);
    if let Some(v) = unchanged(db, version).await {
        db.catalogue_cache().keep_indicators(v, all.clone());
    }
    Ok(all)
}

async fn read_indicators(db: &Db) -> StorageResult<Vec<Indicator>> {
    let options = sqlx::query(
        "SELECT s.id, o.code, o.name_vi, o.name_en FROM category_options o JOIN category_sets s ON s.id = o.set_id \
         ORDER BY o.position",
    )
    .fetch_all(db.pool())
    .await?;
    let mut by_set: HashMap<i64, Vec<CategoryOption>> = HashMap::new();
    for r in &options {
        by_set.entry(r.get(0)).or_default().push(CategoryOption {
            code: r.get(1),
            name_vi: r.get(2),
            name_en: r.get(3),
        });
    }
    let rows = sqlx::query(
        "SELECT i.id, i.code, i.name_vi, i.name_en, i.unit, i.grp, i.value_type, i.aggregation, \
                n.code, d.code, i.category_set_id \
         FROM indicators i LEFT JOIN indicators n ON n.id = i.numerator_id \
         LEFT JOIN indicators d ON d.id = i.denominator_id ORDER BY i.position, i.id",
    )
    .fetch_all(db.pool())
    .await?;
    rows.iter()
        .map(|r| {
            let vt: String = r.get(6);
            let agg: String = r.get(7);
            let set: Option<i64> = r.get(10);
            Ok(Indicator {
                id: r.get(0),
                code: r.get(1),
                name_vi: r.get(2),
                name_en: r.get(3),
                unit: r.get(4),
                group: r.get(5),
                value_type: vt.parse()?,
                aggregation: agg.parse()?,
                numerator: r.get(8),
                denominator: r.get(9),
                options: set
                    .and_then(|s| by_set.get(&s).cloned())
                    .unwrap_or_default(),
            })
        })
        .collect()
}

/// Look indicators up by code, in the order asked; unknown codes are an error naming them.
pub async fn indicators_by_code(db: &Db, codes: &[String]) -> StorageResult<Vec<Indicator>> {
    let all = indicators(db).await?;
    let mut out = Vec::new();
    let mut unknown = Vec::new();
    for c in codes {
        match all.iter().find(|i| &i.code == c) {
            Some(i) => out.push(i.clone()),
            None => unknown.push(c.clone()),
        }
    }
    if !unknown.is_empty() {
        return Err(StorageError::not_found(format!(
            "chỉ tiêu {}",
            unknown.join(", ")
        )));
    }
    Ok(out)
}

pub async fn form(db: &Db, code: &str) -> StorageResult<Form> {
    let version = catalogue_cache::version(db).await;
    if let Some(form) = version.and_then(|v| db.catalogue_cache().form(v, code)) {
        return Ok(form.as_ref().clone());
    }
    let form = read_form(db, code, version).await?;
    if let Some(v) = unchanged(db, version).await {
        db.catalogue_cache().keep_form(v, Arc::new(form.clone()));
    }
    Ok(form)
}

/// The version read before reading the catalogue, if it has not moved
/// since: what was read in between is that version whole, and may be kept.
async fn unchanged(db: &Db, before: Option<i64>) -> Option<i64> {
    let v = before?;
    (catalogue_cache::version(db).await == Some(v)).then_some(v)
}

async fn read_form(db: &Db, code: &str, version: Option<i64>) -> StorageResult<Form> {
    let row = sqlx::query(
        "SELECT id, code, name_vi, name_en, period_type, calendar, owner_role, levels, deadline_days FROM forms WHERE code = $1",
    )
    .bind(code)
    .fetch_optional(db.pool())
    .await?
    .ok_or_else(|| StorageError::not_found(format!("biểu mẫu {code}")))?;
    let id: i64 = row.get(0);
    let member_ids: Vec<i64> = sqlx::query_scalar(
        "SELECT indicator_id FROM form_indicators WHERE form_id = $1 ORDER BY position",
    )
    .bind(id)
    .fetch_all(db.pool())
    .await?;
    let all = indicators_now(db, version).await?;
    let form_indicators = member_ids
        .iter()
        .filter_map(|mid| all.iter().find(|i| i.id == *mid).cloned())
        .collect();
    let rules = sqlx::query(
        "SELECT code, left_expr, operator, right_expr, missing, severity, message_vi FROM validation_rules \
         WHERE form_id = $1 ORDER BY id",
    )
    .bind(id)
    .fetch_all(db.pool())
    .await?
    .iter()
    .map(|r| {
        Ok(Rule {
            code: r.get(0),
            left: Expr::parse(&r.get::<String, _>(1))?,
            op: r.get::<String, _>(2).parse()?,
            right: Expr::parse(&r.get::<String, _>(3))?,
            missing: r.get::<String, _>(4).parse()?,
            severity: r.get::<String, _>(5).parse()?,
            message_vi: r.get(6),
        })
    })
    .collect::<StorageResult<Vec<_>>>()?;
    let levels: String = row.get(7);
    Ok(Form {
        id,
        code: row.get(1),
        name_vi: row.get(2),
        name_en: row.get(3),
        period_type: row.get::<String, _>(4).parse()?,
        calendar: row.get::<String, _>(5).parse()?,
        owner_role: row.get::<String, _>(6).parse()?,
        levels: levels.split(',').filter_map(|l| l.parse().ok()).collect(),
        deadline_days: row.get(8),
        indicators: form_indicators,
        rules,
    })
}

/// The forms, by code.
pub async fn form_codes(db: &Db) -> StorageResult<Vec<(String, String)>> {
    Ok(
        sqlx::query_as("SELECT code, name_vi FROM forms ORDER BY code")
            .fetch_all(db.pool())
            .await?,
    )
}
