//! DHIS2's `dataValueSets` over the API: what an export selects (repeated
//! `dataSet`, `orgUnit`, `period`; `startDate`/`endDate`; `children`;
//! `periodMapping`), and the `ImportSummary` an import answers with, on
//! success and on refusal.

use antq_core::auth::Action;
use antq_core::dates::{self, Date};
use antq_core::units::UnitCode;
use antq_office::dhis2::{PeriodMapping, MAPPING_NEEDED};
use antq_storage::accounts::access::{self, Actor};
use antq_storage::statistics::catalogue;
use antq_storage::statistics::export::{self, Selection};
use antq_storage::statistics::import::ImportSummary;
use antq_storage::units;
use axum::http::StatusCode;
use serde_json::{json, Value};

use crate::error::Failure;
use crate::statistics::Download;

/// At most this many values of one repeated parameter.
const MAX_REPEATED: usize = 100;

/// The parameters of `GET /api/v1/dataValueSets`.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct ExportQuery {
    pub data_sets: Vec<String>,
    pub org_units: Vec<String>,
    pub periods: Vec<String>,
    pub start: Option<Date>,
    pub end: Option<Date>,
    pub children: bool,
    pub mapping: Option<PeriodMapping>,
}

fn bad(message: impl Into<String>) -> Failure {
    Failure::new(StatusCode::UNPROCESSABLE_ENTITY, message)
}

impl ExportQuery {
    /// Read a query string; repeated parameters add up, other DHIS2
    /// parameters (`idScheme`, …) are ignored.
    pub fn parse(query: &str) -> Result<ExportQuery, Failure> {
        let mut q = ExportQuery::default();
        for (k, v) in form_urlencoded::parse(query.as_bytes()) {
            let v = v.trim().to_string();
            let list = match k.as_ref() {
                "dataSet" => &mut q.data_sets,
                "orgUnit" => &mut q.org_units,
                "period" => &mut q.periods,
                "startDate" => {
                    q.start = Some(date(&k, &v)?);
                    continue;
                }
                "endDate" => {
                    q.end = Some(date(&k, &v)?);
                    continue;
                }
                "children" => {
                    q.children = match v.as_str() {
                        "true" => true,
                        "false" | "" => false,
                        _ => {
                            return Err(bad(format!(
                                "Tham số children phải là true hoặc false, không phải \"{v}\""
                            )))
                        }
                    };
                    continue;
                }
                "periodMapping" => {
                    q.mapping = Some(PeriodMapping::parse(&v).ok_or_else(|| {
                        bad(format!(
                            "Tham số periodMapping không nhận \"{v}\" (chỉ có sameCode)"
                        ))
                    })?);
                    continue;
                }
                _ => continue,
            };
            if list.len() >= MAX_REPEATED {
                return Err(bad(format!("Tham số {k} lặp lại quá {MAX_REPEATED} lần")));
            }
            if v.is_empty() || v.len() > 40 {
                return Err(bad(format!("Giá trị \"{v}\" của {k} không hợp lệ")));
            }
            list.push(v);
        }
        if q.data_sets.is_empty() || q.org_units.is_empty() {
            return Err(bad("Cần ít nhất một dataSet và một orgUnit"));
        }
        match (q.start, q.end) {
            (Some(a), Some(b)) if a > b => {
                return Err(bad("Tham số startDate phải trước hoặc bằng endDate"))
            }
            (Some(_), None) | (None, Some(_)) => return Err(bad("Cần cả startDate và endDate")),
            (None, None) if q.periods.is_empty() => {
                return Err(bad("Cần period hoặc startDate và endDate"))
            }
            _ => {}
        }
        Ok(q)
    }
}

fn date(name: &str, v: &str) -> Result<Date, Failure> {
    dates::parse_date(v).map_err(|_| bad(format!("{name} \"{v}\" không phải ngày dạng YYYY-MM-DD")))
}

/// The values a query selects, as a dataValueSet. Every unit must be one
/// the actor reads; values outside the actor's scope are left out.
pub async fn export(
    db: &antq_storage::Db,
    actor: Option<&Actor>,
    q: &ExportQuery,
) -> Result<Download, Failure> {
    let Some(mapping) = q.mapping else {
        return Err(bad(MAPPING_NEEDED));
    };
    let mut forms = Vec::with_capacity(q.data_sets.len());
    for code in &q.data_sets {
        forms.push(catalogue::form(db, code).await?);
    }
    let mut selected = Vec::new();
    for code in &q.org_units {
        let code = UnitCode::parse(code)?;
        let versions = units::versions(db, &code).await?;
        let Some(latest) = versions.last() else {
            return Err(Failure::new(
                StatusCode::NOT_FOUND,
                format!("Mã đơn vị \"{code}\" không có"),
            ));
        };
        if let Some(actor) = actor {
            access::require(db, actor, Action::Read, latest.id).await?;
        }
        if q.children {
            selected.extend(versions.into_iter().map(|u| (u, true)));
        } else {
            selected.push((latest.clone(), false));
        }
    }
    let scope = match actor {
        Some(actor) => actor.scope_sql(Action::Read, "r.unit_id"),
        None => "1 = 1".to_string(),
    };
    let values = export::select(
        db,
        &Selection {
            forms: &forms,
            units: &selected,
            periods: &q.periods,
            dates: q.start.zip(q.end),
            scope_sql: &scope,
        },
    )
    .await?;
    let form = (forms.len() == 1).then(|| forms[0].code.as_str());
    Ok(Download {
        bytes: antq_office::dhis2::write(form, &values, mapping),
        content_type: "application/json",
        filename: "dataValueSets.json".into(),
    })
}

/// The `ImportSummary` of an import that was written (or dry run).
pub fn summary(s: &ImportSummary) -> Value {
    let c = &s.changes;
    let description = if s.dry_run {
        format!(
            "Chạy thử: {} giá trị đọc được, không có gì được ghi",
            s.rows
        )
    } else {
        format!("Đã nhập {} giá trị vào {} báo cáo", s.rows, s.reports)
    };
    json!({
        "responseType": "ImportSummary",
        "status": "SUCCESS",
        "description": description,
        "dryRun": s.dry_run,
        "importCount": {
            "imported": c.values_new,
            "updated": c.values_changed,
            "ignored": c.values_unchanged,
            "deleted": c.values_cleared
        },
        "conflicts": []
    })
}

/// The `ImportSummary` of a refused set: nothing written, every value
/// ignored, every problem a conflict (`object`: where, `value`: what);
/// with `error` and `errors`, it is also the API's error answer.
pub fn refused(f: &Failure, values: Option<usize>) -> Value {
    let messages: Vec<&str> = if f.errors.is_empty() {
        vec![f.message.as_str()]
    } else {
        f.errors.iter().map(String::as_str).collect()
    };
    let conflicts: Vec<Value> = messages
        .iter()
        .map(|m| match m.split_once(": ") {
            Some((place, what)) if place.starts_with("dataValues[") => {
                json!({"object": place, "value": what})
            }
            _ => json!({"object": "dataValueSet", "value": m}),
        })
        .collect();
    let description = format!(
        "Tệp không được nhập, không giá trị nào được ghi: {} lỗi",
        conflicts.len()
    );
    // `error` and `errors` too: the body is also the API's error answer.
    json!({
        "error": description,
        "errors": messages,
        "responseType": "ImportSummary",
        "status": "ERROR",
        "description": description,
        "importCount": {
            "imported": 0,
            "updated": 0,
            "ignored": values.unwrap_or(0),
            "deleted": 0
        },
        "conflicts": conflicts
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn repeated_parameters_add_up() {
        let q = ExportQuery::parse(
            "dataSet=antq-nam&orgUnit=11&orgUnit=03325&period=2025&period=2026&children=true&periodMapping=sameCode&idScheme=CODE",
        )
        .unwrap();
        assert_eq!(q.org_units, ["11", "03325"]);
        assert_eq!(q.periods, ["2025", "2026"]);
        assert!(q.children);
        assert_eq!(q.mapping, Some(PeriodMapping::SameCode));
        let q = ExportQuery::parse("dataSet=a&orgUnit=11&startDate=2025-01-01&endDate=2026-12-31")
            .unwrap();
        assert_eq!(q.start.unwrap().to_string(), "2025-01-01");
        for bad in [
            "orgUnit=11&period=2026",
            "dataSet=a&orgUnit=11",
            "dataSet=a&orgUnit=11&startDate=2026-01-01",
            "dataSet=a&orgUnit=11&startDate=2026-02-01&endDate=2026-01-01",
            "dataSet=a&orgUnit=11&startDate=2026",
            "dataSet=a&orgUnit=11&period=2026&children=yes",
            "dataSet=a&orgUnit=11&period=2026&periodMapping=calendar",
        ] {
            assert!(ExportQuery::parse(bad).is_err(), "{bad}");
        }
        let many = "dataSet=a&orgUnit=11".to_string() + &"&period=2026".repeat(101);
        assert!(ExportQuery::parse(&many).is_err());
    }

    #[test]
    fn a_refusal_lists_every_conflict() {
        let f = Failure {
            status: StatusCode::UNPROCESSABLE_ENTITY,
            message: "x".into(),
            errors: vec![
                "dataValues[0]: \"abc\" không phải số".into(),
                "báo cáo antq-nam kỳ 2026 đã duyệt".into(),
            ],
        };
        let v = refused(&f, Some(3));
        assert_eq!(v["status"], "ERROR");
        assert_eq!(v["responseType"], "ImportSummary");
        assert_eq!(v["importCount"]["ignored"], 3);
        assert_eq!(v["conflicts"][0]["object"], "dataValues[0]");
        assert_eq!(v["conflicts"][0]["value"], "\"abc\" không phải số");
        assert_eq!(v["conflicts"][1]["object"], "dataValueSet");
        assert_eq!(v["errors"].as_array().unwrap().len(), 2);
        assert!(v["error"]
            .as_str()
            .unwrap()
            .starts_with("Tệp không được nhập"));
    }
}
