//! Administrators change the catalogue: rename indicators, add indicators
//! (with a designed breakdown) and forms, add and remove validation rules.
//! Every change is audited.

use antq_core::auth::Role;
use antq_core::breakdowns::{self, Dimension};
use antq_core::indicators::{Aggregation, IndicatorCode, ValueType};
use antq_core::periods::{Calendar, PeriodType};
use antq_core::units::Level;
use antq_core::validation::{self, Expr};
use antq_core::DomainError;
use serde_json::json;

use crate::audit::{self, Change, Who};
use crate::db::Db;
use crate::error::{StorageError, StorageResult};
use crate::statistics::catalogue::{form, indicators, indicators_by_code, Indicator};

/// What an administrator may change of an indicator (its code, type and
/// aggregation stay: stored values depend on them). Read as is from the
/// API's JSON and the page's form.
#[derive(Debug, Clone, serde::Deserialize)]
pub struct IndicatorEdit {
    pub name_vi: String,
    pub name_en: String,
    pub unit: String,
}

/// Change an indicator's names and unit of measure (audited).
pub async fn update_indicator(
    db: &Db,
    who: &Who,
    code: &str,
    edit: IndicatorEdit,
) -> StorageResult<Indicator> {
    let before = indicators_by_code(db, &[code.to_string()]).await?.remove(0);
    let (vi, en, unit) = (
        clean_name(&edit.name_vi, "tên tiếng Việt")?,
        clean_name(&edit.name_en, "tên tiếng Anh")?,
        clean_name(&edit.unit, "đơn vị tính")?,
    );
    let (vi, en, unit, before) = (&vi, &en, &unit, &before);
    db.write(|mut tx| async move {
        sqlx::query("UPDATE indicators SET name_vi = $1, name_en = $2, unit = $3 WHERE id = $4")
            .bind(vi)
            .bind(en)
            .bind(unit)
            .bind(before.id)
            .execute(tx.conn())
            .await?;
        audit::append(
            &mut tx,
            Change {
                who,
                action: "indicator.update",
                entity: "indicator",
                entity_id: code.to_string(),
                unit_id: None,
                before: Some(
                    json!({"name_vi": before.name_vi, "name_en": before.name_en, "unit": before.unit}),
                ),
                after: Some(json!({"name_vi": vi, "name_en": en, "unit": unit})),
            },
        )
        .await?;
        tx.commit().await
    })
    .await?;
    Ok(indicators_by_code(db, &[code.to_string()]).await?.remove(0))
}

/// A validation rule as an administrator writes it (the API's JSON and the page's form).
#[derive(Debug, Clone, serde::Deserialize)]
pub struct RuleInput {
    pub code: String,
    pub left: String,
    pub operator: String,
    pub right: String,
    #[serde(default)]
    pub missing: String,
    pub severity: String,
    pub message: String,
}

/// Add a validation rule to a form (audited). Every indicator it names must be on the form.
pub async fn add_rule(db: &Db, who: &Who, form_code: &str, r: RuleInput) -> StorageResult<()> {
    let form = form(db, form_code).await?;
    let code = antq_core::indicators::IndicatorCode::parse(&r.code)?;
    let left = Expr::parse(&r.left)?;
    let right = Expr::parse(&r.right)?;
    let op: validation::Operator = r.operator.parse()?;
    let missing: validation::MissingStrategy = if r.missing.trim().is_empty() {
        validation::MissingStrategy::SkipIfAnyMissing
    } else {
        r.missing.parse()?
    };
    let severity: validation::Severity = r.severity.parse()?;
    let message = antq_core::text::clean(&r.message);
    antq_core::text::check_len(
        "Thông báo của quy tắc",
        &message,
        antq_core::text::limits::CATALOGUE_NAME,
    )?;
    if message.is_empty() {
        return Err(
            antq_core::DomainError::invalid("quy tắc cần một thông báo cho người nhập").into(),
        );
    }
    let unknown: Vec<String> = left
        .indicators()
        .chain(right.indicators())
        .filter(|c| !form.indicators.iter().any(|i| i.code == c.as_str()))
        .map(|c| c.as_str().to_string())
        .collect();
    if !unknown.is_empty() {
        return Err(antq_core::DomainError::invalid(format!(
            "biểu {} không có chỉ tiêu {}",
            form.code,
            unknown.join(", ")
        ))
        .into());
    }
    let (form, code, left, right, message) = (&form, &code, &left, &right, &message);
    db.write(|mut tx| async move {
        sqlx::query(
            "INSERT INTO validation_rules (form_id, code, left_expr, operator, right_expr, missing, severity, message_vi) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        )
        .bind(form.id)
        .bind(code.as_str())
        .bind(left.text())
        .bind(op.as_str())
        .bind(right.text())
        .bind(missing.as_str())
        .bind(severity.as_str())
        .bind(message)
        .execute(tx.conn())
        .await
        .map_err(|e| StorageError::unique_as_conflict(e, format!("biểu {} đã có quy tắc {}", form.code, code)))?;
        audit::append(
            &mut tx,
            Change {
                who,
                action: "rule.create",
                entity: "validation_rule",
                entity_id: format!("{}/{}", form.code, code),
                unit_id: None,
                before: None,
                after: Some(json!({"left": left.text(), "operator": op.as_str(), "right": right.text(),
                                   "missing": missing.as_str(), "severity": severity.as_str(), "message": message})),
            },
        )
        .await?;
        tx.commit().await
    })
    .await?;
    Ok(())
}

/// Remove a validation rule from a form (audited).
pub async fn delete_rule(
    db: &Db,
    who: &Who,
    form_code: &str,
    rule_code: &str,
) -> StorageResult<()> {
    let form = form(db, form_code).await?;
    let rule = form
        .rules
        .iter()
        .find(|r| r.code == rule_code)
        .ok_or_else(|| {
            StorageError::not_found(format!("quy tắc {rule_code} của biểu {form_code}"))
        })?;
    let form = &form;
    db.write(|mut tx| async move {
        sqlx::query("DELETE FROM validation_rules WHERE form_id = $1 AND code = $2")
            .bind(form.id)
            .bind(rule_code)
            .execute(tx.conn())
            .await?;
        audit::append(
            &mut tx,
            Change {
                who,
                action: "rule.delete",
                entity: "validation_rule",
                entity_id: format!("{}/{}", form.code, rule_code),
                unit_id: None,
                before: Some(json!({"left": rule.left.text(), "operator": rule.op.as_str(), "right": rule.right.text(),
                                    "severity": rule.severity.as_str(), "message": rule.message_vi})),
                after: None,
            },
        )
        .await?;
        tx.commit().await
    })
    .await?;
    Ok(())
}

/// A name of the catalogue, cleaned: not empty, at most
/// [`limits::CATALOGUE_NAME`](antq_core::text::limits::CATALOGUE_NAME) characters.
fn clean_name(s: &str, what: &str) -> StorageResult<String> {
    let c = antq_core::text::clean(s);
    if c.is_empty() {
        return Err(DomainError::invalid(format!("{what} không được để trống")).into());
    }
    antq_core::text::check_len(
        &capitalised(what),
        &c,
        antq_core::text::limits::CATALOGUE_NAME,
    )?;
    Ok(c)
}

/// "tên tiếng Việt" → "Tên tiếng Việt", to start a sentence.
fn capitalised(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

/// The Vietnamese and English names of a new indicator or form (the English
/// one defaults to the Vietnamese); problems are added to `problems`.
fn names(
    vi: &str,
    en: &str,
    problems: &mut Vec<String>,
) -> (Result<String, ()>, Result<String, ()>) {
    let vi = clean_name(vi, "tên tiếng Việt").map_err(|e| problems.push(e.to_string()));
    let en = if en.trim().is_empty() {
        vi.clone()
    } else {
        clean_name(en, "tên tiếng Anh").map_err(|e| problems.push(e.to_string()))
    };
    (vi, en)
}

/// A new indicator as an administrator designs it.
#[derive(Debug, Clone, Default)]
pub struct NewIndicator {
    pub code: String,
    pub name_vi: String,
    pub name_en: String,
    pub unit: String,
    pub group: String,
    pub value_type: String,
    pub aggregation: String,
    /// For a ratio: the numerator and denominator codes.
    pub numerator: String,
    pub denominator: String,
    /// The breakdown's dimensions (empty: a single value).
    pub breakdown: Vec<Dimension>,
    /// The forms it is added to (at the end).
    pub forms: Vec<String>,
}

/// Add an indicator to the catalogue (audited), with its breakdown and on the forms named.
pub async fn create_indicator(db: &Db, who: &Who, n: NewIndicator) -> StorageResult<Indicator> {
    let mut problems = Vec::new();
    let code = IndicatorCode::parse(&n.code).map_err(|e| problems.push(e.to_string()));
    let (name_vi, name_en) = names(&n.name_vi, &n.name_en, &mut problems);
    let unit = clean_name(&n.unit, "đơn vị tính").map_err(|e| problems.push(e.to_string()));
    let group = n.group.trim().to_string();
    if !antq_core::indicators::GROUPS.iter().any(|g| g.0 == group) {
        problems.push(format!("\"{group}\" không phải nhóm chỉ tiêu"));
    }
    let value_type: Result<ValueType, _> = n
        .value_type
        .parse()
        .map_err(|e: DomainError| problems.push(e.to_string()));
    let aggregation: Result<Aggregation, _> = n
        .aggregation
        .parse()
        .map_err(|e: DomainError| problems.push(e.to_string()));
    let all = indicators(db).await?;
    if let Ok(c) = &code {
        if all.iter().any(|i| i.code == c.as_str()) {
            problems.push(format!("đã có chỉ tiêu {c}"));
        }
    }
    let mut ratio_ids = None;
    match aggregation {
        Ok(Aggregation::Ratio) => {
            let find = |c: &str, what: &str, problems: &mut Vec<String>| match all
                .iter()
                .find(|i| i.code == c.trim())
            {
                Some(i) if i.aggregation != Aggregation::Ratio => Some(i.id),
                Some(_) => {
                    problems.push(format!("{what} {c} là một tỷ lệ"));
                    None
                }
                None => {
                    problems.push(format!("{what}: không có chỉ tiêu \"{c}\""));
                    None
                }
            };
            let num = find(&n.numerator, "tử số", &mut problems);
            let den = find(&n.denominator, "mẫu số", &mut problems);
            if let (Some(a), Some(b)) = (num, den) {
                ratio_ids = Some((a, b));
            }
            if !n.breakdown.is_empty() {
                problems.push("tỷ lệ được tính từ hai chỉ tiêu khác, không phân tổ".into());
            }
            if !n.forms.is_empty() {
                problems.push("tỷ lệ không được nhập trên biểu (luôn được tính)".into());
            }
        }
        Ok(Aggregation::Distinct) => problems.push(
            "chỉ tiêu đếm riêng (distinct) được lấy từ các sổ đăng ký, không tạo ở đây".into(),
        ),
        _ => {}
    }
    let breakdown = if n.breakdown.is_empty() {
        None
    } else {
        breakdowns::design(&n.breakdown)
            .map_err(|e| problems.push(format!("phân tổ: {e}")))
            .ok()
    };
    let mut form_ids = Vec::new();
    for f in &n.forms {
        match form(db, f.trim()).await {
            Ok(f) => form_ids.push((f.id, f.code)),
            Err(StorageError::NotFound(_)) => problems.push(format!("không có biểu mẫu \"{f}\"")),
            Err(e) => return Err(e),
        }
    }
    if !problems.is_empty() {
        return Err(DomainError::invalid(problems.join("; ")).into());
    }
    let (code, name_vi, name_en, unit, value_type, aggregation) = (
        code.unwrap(),
        name_vi.unwrap(),
        name_en.unwrap(),
        unit.unwrap(),
        value_type.unwrap(),
        aggregation.unwrap(),
    );
    let mut tx = db.begin_write().await?;
    let set_id = match &breakdown {
        None => None,
        Some(b) => {
            let id: i64 = sqlx::query_scalar(
                "INSERT INTO category_sets (code, name_vi, name_en) VALUES ($1, $2, $3) RETURNING id",
            )
            .bind(format!("bd_{code}"))
            .bind(&b.name_vi)
            .bind(&b.name_en)
            .fetch_one(tx.conn())
            .await?;
            for (pos, c) in b.combinations.iter().enumerate() {
                sqlx::query(
                    "INSERT INTO category_options (set_id, code, name_vi, name_en, position) VALUES ($1, $2, $3, $4, $5)",
                )
                .bind(id)
                .bind(&c.code)
                .bind(&c.name_vi)
                .bind(&c.name_en)
                .bind(pos as i64)
                .execute(tx.conn())
                .await?;
            }
            Some(id)
        }
    };
    let position: i64 =
        sqlx::query_scalar("SELECT CAST(COALESCE(MAX(position), 0) + 1 AS BIGINT) FROM indicators")
            .fetch_one(tx.conn())
            .await?;
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO indicators (code, name_vi, name_en, unit, grp, value_type, aggregation, \
         numerator_id, denominator_id, category_set_id, position) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING id",
    )
    .bind(code.as_str())
    .bind(&name_vi)
    .bind(&name_en)
    .bind(&unit)
    .bind(&group)
    .bind(value_type.as_str())
    .bind(aggregation.as_str())
    .bind(ratio_ids.map(|r| r.0))
    .bind(ratio_ids.map(|r| r.1))
    .bind(set_id)
    .bind(position)
    .fetch_one(tx.conn())
    .await
    .map_err(|e| StorageError::unique_as_conflict(e, format!("đã có chỉ tiêu {code}")))?;
    for (form_id, _) in &form_ids {
        add_to_form(&mut tx, *form_id, id).await?;
    }
    audit::append(
        &mut tx,
        Change {
            who,
            action: "indicator.create",
            entity: "indicator",
            entity_id: code.to_string(),
            unit_id: None,
            before: None,
            after: Some(json!({
                "name_vi": name_vi, "name_en": name_en, "unit": unit, "group": group,
                "value_type": value_type.as_str(), "aggregation": aggregation.as_str(),
                "numerator": n.numerator.trim(), "denominator": n.denominator.trim(),
                "breakdown": breakdown.as_ref().map(|b| b.combinations.iter().map(|c| c.code.clone()).collect::<Vec<_>>()),
                "forms": form_ids.iter().map(|f| f.1.clone()).collect::<Vec<_>>(),
            })),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(indicators_by_code(db, &[code.to_string()]).await?.remove(0))
}

async fn add_to_form(
    tx: &mut crate::WriteTx,
    form_id: i64,
    indicator_id: i64,
) -> StorageResult<()> {
    let position: i64 = sqlx::query_scalar(
        "SELECT CAST(COALESCE(MAX(position), 0) + 1 AS BIGINT) FROM form_indicators WHERE form_id = $1",
    )
    .bind(form_id)
    .fetch_one(tx.conn())
    .await?;
    sqlx::query(
        "INSERT INTO form_indicators (form_id, indicator_id, position) VALUES ($1, $2, $3)",
    )
    .bind(form_id)
    .bind(indicator_id)
    .bind(position)
    .execute(tx.conn())
    .await?;
    Ok(())
}

/// A form code: 3 to 40 characters of lowercase ASCII letters, digits, `-`, `_`.
fn form_code(s: &str) -> Result<String, DomainError> {
    let s = s.trim();
    if (3..=40).contains(&s.len())
        && s.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-' || b == b'_')
        && s.as_bytes()[0].is_ascii_lowercase()
    {
        Ok(s.to_string())
    } else {
        Err(DomainError::invalid(format!(
            "\"{s}\" không phải mã biểu mẫu (chữ thường không dấu, số, \"-\", 3–40 ký tự)"
        )))
    }
}

/// A new form as an administrator designs it.
#[derive(Debug, Clone, Default)]
pub struct NewForm {
    pub code: String,
    pub name_vi: String,
    pub name_en: String,
    pub period_type: String,
    pub calendar: String,
    pub owner_role: String,
    pub levels: Vec<String>,
    pub deadline_days: i64,
    pub indicators: Vec<String>,
}

/// Add a form (audited): its period type and calendar, owner, reporting levels, deadline and indicators.
pub async fn create_form(db: &Db, who: &Who, n: NewForm) -> StorageResult<()> {
    let mut problems = Vec::new();
    let code = form_code(&n.code).map_err(|e| problems.push(e.to_string()));
    let (name_vi, name_en) = names(&n.name_vi, &n.name_en, &mut problems);
    let period_type: Result<PeriodType, _> = n
        .period_type
        .parse()
        .map_err(|e: DomainError| problems.push(e.to_string()));
    let calendar: Result<Calendar, _> = n
        .calendar
        .parse()
        .map_err(|e: DomainError| problems.push(e.to_string()));
    let owner = match n.owner_role.parse::<Role>() {
        Ok(r @ (Role::Police | Role::Front)) => Some(r),
        _ => {
            problems.push("biểu mẫu thuộc về công an (police) hoặc mặt trận (front)".into());
            None
        }
    };
    let mut levels = Vec::new();
    for l in &n.levels {
        match l.parse::<Level>() {
            Ok(Level::Nation) | Err(_) => problems.push(format!("\"{l}\" không phải cấp báo cáo")),
            Ok(l) if !levels.contains(&l) => levels.push(l),
            Ok(_) => {}
        }
    }
    if levels.is_empty() {
        problems.push("chọn ít nhất một cấp báo cáo".into());
    }
    if !(0..=366).contains(&n.deadline_days) {
        problems.push("hạn nộp là từ 0 đến 366 ngày sau kỳ".into());
    }
    let all = indicators(db).await?;
    let mut members = Vec::new();
    for c in &n.indicators {
        match all.iter().find(|i| i.code == c.trim()) {
            Some(i) if i.aggregation == Aggregation::Ratio => {
                problems.push(format!("{c} là tỷ lệ, luôn được tính, không nhập"))
            }
            Some(i) if antq_core::indicators::register_only(&i.code) => problems.push(format!(
                "{c} được tính từ sổ theo dõi, không nhập trên biểu"
            )),
            Some(i) if !members.contains(&i.id) => members.push(i.id),
            Some(_) => {}
            None => problems.push(format!("không có chỉ tiêu \"{c}\"")),
        }
    }
    if members.is_empty() {
        problems.push("biểu mẫu cần ít nhất một chỉ tiêu".into());
    }
    if let Ok(c) = &code {
        if form(db, c).await.is_ok() {
            problems.push(format!("đã có biểu mẫu {c}"));
        }
    }
    if !problems.is_empty() {
        return Err(DomainError::invalid(problems.join("; ")).into());
    }
    let (code, name_vi, name_en, period_type, calendar, owner) = (
        code.unwrap(),
        name_vi.unwrap(),
        name_en.unwrap(),
        period_type.unwrap(),
        calendar.unwrap(),
        owner.unwrap(),
    );
    let level_text = levels
        .iter()
        .map(|l| l.as_str())
        .collect::<Vec<_>>()
        .join(",");
    let mut tx = db.begin_write().await?;
    let form_id: i64 = sqlx::query_scalar(
        "INSERT INTO forms (code, name_vi, name_en, period_type, calendar, owner_role, levels, deadline_days) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
    )
    .bind(&code)
    .bind(&name_vi)
    .bind(&name_en)
    .bind(period_type.as_str())
    .bind(calendar.as_str())
    .bind(owner.as_str())
    .bind(&level_text)
    .bind(n.deadline_days)
    .fetch_one(tx.conn())
    .await
    .map_err(|e| StorageError::unique_as_conflict(e, format!("đã có biểu mẫu {code}")))?;
    for id in &members {
        add_to_form(&mut tx, form_id, *id).await?;
    }
    audit::append(
        &mut tx,
        Change {
            who,
            action: "form.create",
            entity: "form",
            entity_id: code.clone(),
            unit_id: None,
            before: None,
            after: Some(json!({
                "name_vi": name_vi, "name_en": name_en, "period_type": period_type.as_str(),
                "calendar": calendar.as_str(), "owner_role": owner.as_str(), "levels": level_text,
                "deadline_days": n.deadline_days, "indicators": n.indicators,
            })),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(())
}
