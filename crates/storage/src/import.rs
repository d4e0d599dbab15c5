//! Importing values from files (long CSV, Excel templates, DHIS2
//! dataValueSets), all or nothing: every row is checked first and **every**
//! problem is reported with its place; only a clean file is written, in one
//! transaction. A dry run reports what would change and writes nothing.

use std::collections::HashMap;

use antq_core::auth::Action;
use antq_core::dates::{self, Date};
use antq_core::indicators::{parse_number, Qualifier, SCALE};
use antq_core::periods::Period;
use antq_core::units::UnitCode;
use serde::Serialize;

use crate::access::{self, Actor};
use crate::audit::Who;
use crate::catalogue::{self, Form};
use crate::db::Db;
use crate::error::{StorageError, StorageResult};
use crate::reports::{self, Changes, ValueInput};
use crate::units::{self, Unit};

pub use antq_core::imports::{ImportRow, RawValue};

#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct ImportSummary {
    pub dry_run: bool,
    pub rows: usize,
    pub reports: usize,
    #[serde(flatten)]
    pub changes: Changes,
}

struct Target {
    form: Form,
    unit: Unit,
    period: String,
}

/// Check every row, then (unless `dry_run`) write them all in one transaction.
/// With an actor, each unit must be one the actor enters data for.
pub async fn run(
    db: &Db,
    actor: Option<&Actor>,
    who: &Who,
    rows: Vec<ImportRow>,
    dry_run: bool,
) -> StorageResult<ImportSummary> {
    let started = std::time::Instant::now();
    let mut errors: Vec<String> = Vec::new();
    let mut forms: HashMap<String, Form> = HashMap::new();
    for (code, _) in catalogue::form_codes(db).await? {
        forms.insert(code.clone(), catalogue::form(db, &code).await?);
    }
    let mut unit_cache: HashMap<(String, Date), Option<Unit>> = HashMap::new();
    let mut allowed: HashMap<(i64, String), bool> = HashMap::new();
    // (form, unit id, period) → inputs; and the first place of each key, for duplicates.
    let mut groups: Vec<(Target, Vec<ValueInput>)> = Vec::new();
    let mut index: HashMap<(String, i64, String), usize> = HashMap::new();
    let mut seen: HashMap<(String, i64, String, String), String> = HashMap::new();
    let n = rows.len();

    // Look every unit up once, a few hundred codes per query: the version
    // valid on the last day of each row's period.
    let mut wanted: HashMap<Date, Vec<UnitCode>> = HashMap::new();
    for row in &rows {
        let (Ok(period), Ok(code)) = (Period::parse(&row.period), UnitCode::parse(&row.unit))
        else {
            continue;
        };
        let form = match &row.form {
            Some(code) => forms.get(code),
            None => {
                let base = row.key.split('.').next().unwrap_or_default();
                forms.values().find(|f| {
                    f.period_type == period.kind && f.indicators.iter().any(|i| i.code == base)
                })
            }
        };
        if let Some(Ok((_, _, end))) = form.map(|f| reports::check_period(f, &row.period)) {
            if let std::collections::hash_map::Entry::Vacant(e) =
                unit_cache.entry((code.as_str().to_string(), end))
            {
                e.insert(None);
                wanted.entry(end).or_default().push(code);
            }
        }
    }
    for (end, codes) in wanted {
        let found = units::find_many_at(db, &codes, end).await?;
        for c in codes {
            unit_cache.insert(
                (c.as_str().to_string(), end),
                found.get(c.as_str()).cloned(),
            );
        }
    }

    for row in rows {
        let here = &row.place;
        let period = match Period::parse(&row.period) {
            Ok(p) => p,
            Err(e) => {
                errors.push(format!("{here}: {e}"));
                continue;
            }
        };
        let form = match &row.form {
            Some(code) => match forms.get(code) {
                Some(f) => f,
                None => {
                    errors.push(format!("{here}: biểu mẫu \"{code}\" không có"));
                    continue;
                }
            },
            None => {
                let base = row.key.split('.').next().unwrap_or_default();
                match forms.values().find(|f| {
                    f.period_type == period.kind && f.indicators.iter().any(|i| i.code == base)
                }) {
                    Some(f) => f,
                    None => {
                        errors.push(format!(
                            "{here}: không có biểu mẫu nào báo cáo chỉ tiêu \"{}\" theo kỳ {}",
                            row.key,
                            period.code()
                        ));
                        continue;
                    }
                }
            }
        };
        let end = match reports::check_period(form, &row.period) {
            Ok((_, _, end)) => end,
            Err(e) => {
                errors.push(format!("{here}: {e}"));
                continue;
            }
        };
        let code = match UnitCode::parse(&row.unit) {
            Ok(c) => c,
            Err(e) => {
                errors.push(format!("{here}: {e}"));
                continue;
            }
        };
        let cache_key = (code.as_str().to_string(), end);
        if !unit_cache.contains_key(&cache_key) {
            let u = units::find_at(db, &code, end).await?;
            unit_cache.insert(cache_key.clone(), u);
        }
        let Some(unit) = unit_cache[&cache_key].clone() else {
            let other = units::versions(db, &code).await?;
            errors.push(if other.is_empty() {
                format!("{here}: mã đơn vị \"{code}\" không có")
            } else {
                format!(
                    "{here}: mã đơn vị \"{code}\" không có hiệu lực vào ngày {} (cuối kỳ {})",
                    dates::format_vi(end),
                    period.code()
                )
            });
            continue;
        };
        if let Err(e) = reports::check_unit(form, &unit) {
            errors.push(format!("{here}: {e}"));
            continue;
        }
        if let Some(actor) = actor {
            let k = (unit.id, form.code.clone());
            if !allowed.contains_key(&k) {
                let ok =
                    access::can(db, actor, Action::EnterData(form.owner_role), unit.id).await?;
                allowed.insert(k.clone(), ok);
            }
            if !allowed[&k] {
                errors.push(format!(
                    "{here}: không có quyền nhập số liệu biểu {} cho {}",
                    form.code, unit.name
                ));
                continue;
            }
        }
        let (indicator, option) = match row.key.trim().split_once('.') {
            Some((i, o)) if o.is_empty() || i.is_empty() => {
                errors.push(format!("{here}: \"{}\" không phải mã chỉ tiêu", row.key));
                continue;
            }
            Some((i, o)) => (i.to_string(), o.to_string()),
            None => (row.key.trim().to_string(), String::new()),
        };
        let dup_key = (
            form.code.clone(),
            unit.id,
            period.code(),
            format!("{indicator}.{option}"),
        );
        if let Some(first) = seen.get(&dup_key) {
            errors.push(format!(
                "{here}: trùng với {first} (cùng đơn vị, kỳ và chỉ tiêu)"
            ));
            continue;
        }
        seen.insert(dup_key, here.clone());
        let qualifier_given = if row.qualifier.trim().is_empty() {
            None
        } else {
            match row.qualifier.parse::<Qualifier>() {
                Ok(q) => Some(q),
                Err(e) => {
                    errors.push(format!("{here}: {e}"));
                    continue;
                }
            }
        };
        let value = match &row.value {
            RawValue::Number(x) if !x.is_finite() || x.abs() > 9e12 => {
                errors.push(format!("{here}: \"{x}\" không phải số hợp lệ"));
                continue;
            }
            RawValue::Number(x) => Some(((x * SCALE as f64).round() as i64, Qualifier::Exact)),
            RawValue::Text(t) if t.trim().is_empty() => None,
            RawValue::Text(t) => match parse_number(t) {
                Ok(n) => Some((n.milli, n.qualifier)),
                Err(e) => {
                    errors.push(format!("{here}: {e}"));
                    continue;
                }
            },
        };
        let comment = Some(row.comment.clone()).filter(|c| !c.trim().is_empty());
        let input = ValueInput {
            indicator,
            option,
            value: value.map(|(m, q)| (m, qualifier_given.unwrap_or(q), comment)),
        };
        for e in reports::check_inputs(form, std::slice::from_ref(&input)) {
            errors.push(format!("{here}: {e}"));
        }
        let gk = (form.code.clone(), unit.id, period.code());
        let gi = *index.entry(gk).or_insert_with(|| {
            groups.push((
                Target {
                    form: form.clone(),
                    unit: unit.clone(),
                    period: period.code(),
                },
                Vec::new(),
            ));
            groups.len() - 1
        });
        groups[gi].1.push(input);
    }

    // Locked reports are refused before anything is written.
    let items: Vec<reports::Item<'_>> = groups
        .iter()
        .map(|(t, inputs)| reports::Item {
            form: &t.form,
            unit: &t.unit,
            period: &t.period,
            inputs,
        })
        .collect();
    let checked = started.elapsed();
    let mut tx = db.begin_write().await?;
    let found = reports::existing(&mut tx, &items).await?;
    for (t, _) in &groups {
        if let Some((_, state)) = found.get(&(t.form.id, t.unit.id, t.period.clone())) {
            if !state.editable() {
                errors.push(format!(
                    "báo cáo {} kỳ {} của {} đang ở trạng thái \"{}\": các giá trị của nó không được ghi",
                    t.form.code,
                    t.period,
                    t.unit.name,
                    state.label_vi()
                ));
            }
        }
    }
    if !errors.is_empty() {
        return Err(StorageError::Rejected(errors));
    }
    let changes = reports::apply_many(&mut tx, who, &items).await?;
    tracing::info!(
        rows = n,
        reports = groups.len(),
        checked_ms = checked.as_millis() as u64,
        written_ms = (started.elapsed() - checked).as_millis() as u64,
        dry_run,
        "import"
    );
    if !dry_run {
        tx.commit().await?;
    }
    Ok(ImportSummary {
        dry_run,
        rows: n,
        reports: groups.len(),
        changes,
    })
}
