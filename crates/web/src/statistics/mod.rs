//! The operations behind the statistics pages and API: reports of a form
//! for a unit and period, the workflow, completeness, and rollups. Each
//! checks access through the one policy, then calls storage.

pub mod analysis;
pub mod api;
pub mod channel;
pub mod dhis2;
pub mod entry;
pub mod files;
pub mod uploads;
pub mod worklist;

pub use uploads::{
    admit_upload, import, import_upload, import_with, read_limited, read_upload, too_large_or,
    ImportPermit,
};

use antq_core::auth::Action;
use antq_core::dates;
use antq_core::indicators::{parse_machine_number, Qualifier, SCALE};
use antq_core::periods::YearRange;
use antq_core::reports::Transition;
use antq_core::units::UnitCode;
use antq_storage::accounts::access::{self, Actor};
use antq_storage::statistics::analytics::{self, By, MapMode};
use antq_storage::statistics::catalogue::{self, Form};
use antq_storage::statistics::reports::{self, Completeness, ReportView, ValueInput};
use antq_storage::units::{self, Unit};
use serde_json::Value;

use crate::error::Failure;
use crate::ops::metrics::Event;
use crate::state::AppState;

/// The form, and the unit that reports it for the period (the version valid
/// on the period's last day: `82` for 2020 is Tiền Giang, for 2026 Đồng Tháp).
pub async fn form_unit(
    state: &AppState,
    form: &str,
    code: &str,
    period: &str,
) -> Result<(Form, Unit), Failure> {
    let form = catalogue::form(&state.db, form).await?;
    // Only periods that have started (or open within the early-entry margin).
    let (_, _, end) = antq_storage::statistics::worklist::check_started(
        &form,
        period,
        dates::today(),
        state.config.early_entry_days,
    )?;
    let unit = units::get_at(&state.db, &UnitCode::parse(code)?, end).await?;
    Ok((form, unit))
}

pub async fn view(
    state: &AppState,
    actor: &Actor,
    form: &str,
    code: &str,
    period: &str,
) -> Result<(Form, Unit, ReportView), Failure> {
    let (form, unit) = form_unit(state, form, code, period).await?;
    access::require(&state.db, actor, Action::Read, unit.id).await?;
    let view = reports::view(&state.db, &form, &unit, period).await?;
    Ok((form, unit, view))
}

/// Comment on a report (the policy sits in `comments::add`: police or Front of the unit or above).
pub async fn comment(
    state: &AppState,
    actor: &Actor,
    form: &str,
    code: &str,
    period: &str,
    body: &str,
) -> Result<antq_storage::statistics::comments::Comment, Failure> {
    let (form, unit) = form_unit(state, form, code, period).await?;
    Ok(
        antq_storage::statistics::comments::add(&state.db, actor, &form, &unit, period, body)
            .await?,
    )
}

/// May the caller comment on the unit's reports?
pub async fn can_comment(state: &AppState, actor: &Actor, unit: &Unit) -> Result<bool, Failure> {
    Ok(access::can(&state.db, actor, Action::Comment, unit.id).await?)
}

/// What the caller may do with a report: (enter and submit, approve/return/reopen).
pub async fn rights(
    state: &AppState,
    actor: &Actor,
    form: &Form,
    unit: &Unit,
) -> Result<(bool, bool), Failure> {
    Ok((
        access::can(
            &state.db,
            actor,
            Action::EnterData(form.owner_role),
            unit.id,
        )
        .await?,
        access::can(&state.db, actor, Action::Approve(form.owner_role), unit.id).await?,
    ))
}

/// One value as sent: a number, a number string as programs write it
/// ("4378", "2.5"; Vietnamese ones only where they cannot mean anything
/// else: "64,5", "hơn 32.000"; "4.378" is refused as ambiguous), `null` to
/// clear, or `{"value", "qualifier", "comment"}`.
pub fn parse_value(key: &str, v: &Value) -> Result<ValueInput, String> {
    let (indicator, option) = match key.split_once('.') {
        Some((i, o)) => (i.to_string(), o.to_string()),
        None => (key.to_string(), String::new()),
    };
    let number = |v: &Value| -> Result<Option<(i64, Qualifier)>, String> {
        match v {
            Value::Null => Ok(None),
            Value::Number(n) => n
                .as_f64()
                .filter(|x| x.is_finite() && x.abs() < 9e12)
                .map(|x| Some(((x * SCALE as f64).round() as i64, Qualifier::Exact)))
                .ok_or_else(|| format!("{key}: \"{n}\" không phải số hợp lệ")),
            Value::String(s) if s.trim().is_empty() => Ok(None),
            Value::String(s) => parse_machine_number(s)
                .map(|t| Some((t.milli, t.qualifier)))
                .map_err(|e| format!("{key}: {e}")),
            other => Err(format!("{key}: {other} không phải số")),
        }
    };
    let value = match v {
        Value::Object(o) => {
            let n = number(o.get("value").unwrap_or(&Value::Null))?;
            let qualifier = match o.get("qualifier") {
                None | Some(Value::Null) => None,
                Some(Value::String(q)) => {
                    Some(q.parse::<Qualifier>().map_err(|e| format!("{key}: {e}"))?)
                }
                Some(other) => return Err(format!("{key}: qualifier {other} không hợp lệ")),
            };
            let comment = match o.get("comment") {
                None | Some(Value::Null) => None,
                Some(Value::String(c)) => Some(c.clone()),
                Some(other) => return Err(format!("{key}: comment {other} phải là chuỗi")),
            };
            n.map(|(m, q)| (m, qualifier.unwrap_or(q), comment))
        }
        other => number(other)?.map(|(m, q)| (m, q, None)),
    };
    Ok(ValueInput {
        indicator,
        option,
        value,
    })
}

pub async fn put(
    state: &AppState,
    actor: &Actor,
    form: &str,
    code: &str,
    period: &str,
    inputs: Vec<ValueInput>,
) -> Result<ReportView, Failure> {
    let (form, unit) = entry_target(state, actor, form, code, period).await?;
    put_checked(state, actor, &form, &unit, period, inputs).await
}

/// The form and unit of a report the caller may enter data into; checked
/// before a save's values are even read (403/404 otherwise).
pub async fn entry_target(
    state: &AppState,
    actor: &Actor,
    form: &str,
    code: &str,
    period: &str,
) -> Result<(Form, Unit), Failure> {
    let (form, unit) = form_unit(state, form, code, period).await?;
    access::require(
        &state.db,
        actor,
        Action::EnterData(form.owner_role),
        unit.id,
    )
    .await?;
    Ok((form, unit))
}

/// The number of values a form has (one per indicator, or per option of a
/// breakdown): what one save may carry at most.
pub fn value_slots(form: &Form) -> usize {
    form.indicators.iter().map(|i| i.options.len().max(1)).sum()
}

/// Fields a save may carry beyond its form's values (the CSRF token, buttons).
pub const SAVE_MARGIN: usize = 16;

/// A save carrying more values (or fields) than its form could: refused whole
/// with 413, before any of them is read.
/// `what` names what was counted ("trường" for a form's fields, "giá trị" for the API's values).
pub fn too_many_values(given: usize, limit: usize, form: &Form, what: &str) -> Failure {
    Failure::new(
        axum::http::StatusCode::PAYLOAD_TOO_LARGE,
        format!(
            "Yêu cầu có {} {what}, vượt giới hạn {} {what} của biểu {}",
            antq_core::text::format_int(given as i64),
            antq_core::text::format_int(limit as i64),
            form.code
        ),
    )
}

/// Save values into a report found by [`entry_target`] (access checked).
pub async fn put_checked(
    state: &AppState,
    actor: &Actor,
    form: &Form,
    unit: &Unit,
    period: &str,
    inputs: Vec<ValueInput>,
) -> Result<ReportView, Failure> {
    let view = reports::put_values(&state.db, &actor.who(), form, unit, period, inputs).await?;
    state.metrics.count(Event::Save);
    Ok(view)
}

/// Save every valid value (access checked by [`entry_target`]); the others
/// come back cell by cell.
pub async fn put_partial(
    state: &AppState,
    actor: &Actor,
    form: &Form,
    unit: &Unit,
    period: &str,
    inputs: Vec<ValueInput>,
) -> Result<reports::PartialSave, Failure> {
    let saved =
        reports::put_valid_values(&state.db, &actor.who(), form, unit, period, inputs).await?;
    state.metrics.count(Event::Save);
    Ok(saved)
}

/// A report's steps (read access is checked by [`view`] first).
pub async fn history(
    state: &AppState,
    form: &Form,
    unit: &Unit,
    period: &str,
) -> Result<Vec<reports::HistoryEvent>, Failure> {
    Ok(reports::history(&state.db, form, unit, period).await?)
}

pub async fn transition(
    state: &AppState,
    actor: &Actor,
    form: &str,
    code: &str,
    period: &str,
    t: Transition,
    comment: Option<String>,
) -> Result<ReportView, Failure> {
    let (form, unit) = form_unit(state, form, code, period).await?;
    let action = if t.by_approver() {
        Action::Approve(form.owner_role)
    } else {
        Action::EnterData(form.owner_role)
    };
    access::require(&state.db, actor, action, unit.id).await?;
    let view =
        reports::transition(&state.db, &actor.who(), &form, &unit, period, t, comment).await?;
    match t {
        Transition::Submit => state.metrics.count(Event::Submission),
        Transition::Approve => state.metrics.count(Event::Approval),
        Transition::Return | Transition::Reopen => {}
    }
    Ok(view)
}

pub async fn completeness(
    state: &AppState,
    actor: &Actor,
    form: &str,
    code: &str,
    period: &str,
) -> Result<Completeness, Failure> {
    let (form, unit) = form_unit(state, form, code, period).await?;
    access::require(&state.db, actor, Action::Read, unit.id).await?;
    Ok(reports::completeness(&state.db, &form, &unit, period, dates::today()).await?)
}

/// A rollup request as it comes from the API or the pivot page.
#[derive(Debug, Clone, Default)]
pub struct RollupParams {
    pub indicators: String,
    pub unit: String,
    pub at: Option<String>,
    pub from: String,
    pub to: Option<String>,
    pub by: Option<String>,
    pub map: Option<String>,
    pub approved_only: Option<bool>,
}

pub struct Rollup {
    pub unit: Unit,
    pub range: YearRange,
    pub approved_only: bool,
    pub map: MapMode,
    pub indicators: Vec<catalogue::Indicator>,
    pub rows: Vec<analytics::Row>,
}

pub async fn rollup(state: &AppState, actor: &Actor, p: &RollupParams) -> Result<Rollup, Failure> {
    // Each indicator once, in the order first asked; at most MAX_INDICATORS.
    let mut seen = std::collections::HashSet::new();
    let codes: Vec<String> = p
        .indicators
        .split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty() && seen.insert(*s))
        .map(str::to_string)
        .collect();
    analytics::check_indicator_count(codes.len())?;
    if codes.is_empty() {
        return Err(Failure::bad_request(
            "cần ít nhất một chỉ tiêu (indicators=tt_buoi,tt_luot)",
        ));
    }
    let map: MapMode = p.map.as_deref().unwrap_or("current").parse()?;
    let at = crate::units::service::date_or_today(p.at.as_deref())?;
    let unit = units::get_at(&state.db, &UnitCode::parse(&p.unit)?, at).await?;
    access::require(&state.db, actor, Action::Read, unit.id).await?;
    let range = YearRange::parse(&p.from, p.to.as_deref())?;
    let by: Option<By> =
        p.by.as_deref()
            .filter(|b| !b.is_empty())
            .map(str::parse)
            .transpose()?;
    let catalogue = catalogue::indicators(&state.db).await?;
    let indicators = catalogue::indicators_by_code(&state.db, &codes).await?;
    // A commune sees its own figures as entered; above it, totals count
    // only approved reports unless asked otherwise.
    let approved_only = p
        .approved_only
        .unwrap_or(unit.level != antq_core::units::Level::Commune);
    let query = analytics::Query {
        indicators: &indicators,
        catalogue: &catalogue,
        unit: &unit,
        range,
        by,
        map,
        approved_only,
    };
    // The size of the answer is known before any value is read.
    analytics::check_size(&state.reader, &query).await?;
    let mut rows = analytics::run(&state.reader, &query).await?;
    // How many tips came (and how many were judged valuable) is the
    // police's to know, as the tips themselves are.
    if !actor.has_role(antq_core::auth::Role::Police) {
        for r in &mut rows {
            r.channel_value = None;
        }
    }
    Ok(Rollup {
        unit,
        range,
        approved_only,
        map,
        indicators,
        rows,
    })
}

/// A file to download.
pub struct Download {
    pub bytes: Vec<u8>,
    pub content_type: &'static str,
    pub filename: String,
}

pub const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

/// A part of a file's name taken from what was asked (a unit's code, a
/// year): its ASCII letters and digits, at most 12.
pub fn name_part(asked: &str) -> String {
    asked
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .take(12)
        .collect()
}

impl Download {
    /// An Excel workbook as an HTTP answer, saved as `filename`.
    pub fn xlsx(bytes: Vec<u8>, filename: String) -> axum::response::Response {
        Download {
            bytes,
            content_type: XLSX,
            filename,
        }
        .into_response()
    }

    /// The file as an HTTP answer, saved under its name (see [`content_disposition`]).
    pub fn into_response(self) -> axum::response::Response {
        self.respond(Disposition::Attachment)
    }

    /// The file as an HTTP answer, attached or shown in the browser.
    pub fn respond(self, how: Disposition) -> axum::response::Response {
        use axum::http::header::{CONTENT_DISPOSITION, CONTENT_TYPE};
        use axum::http::HeaderValue;
        use axum::response::IntoResponse;
        (
            [
                (CONTENT_TYPE, HeaderValue::from_static(self.content_type)),
                (
                    CONTENT_DISPOSITION,
                    content_disposition(how, &self.filename),
                ),
            ],
            self.bytes,
        )
            .into_response()
    }
}

/// Whether a download is saved or shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Disposition {
    Attachment,
    Inline,
}

/// The one place a `Content-Disposition` header is made (RFC 6266): an
/// ASCII `filename="…"` for old clients (accents folded, anything but
/// letters, digits, `.`, `-` and `_` replaced by `_`), and when the name is
/// not plain ASCII, `filename*=UTF-8''…` (RFC 5987, percent-encoded). Control
/// characters, quotes and path separators never reach the header, so any
/// name gives a valid header value. Names should still be built from
/// validated parts (codes, parsed years, a fixed stem), never raw query text.
pub fn content_disposition(how: Disposition, filename: &str) -> axum::http::HeaderValue {
    const MAX_CHARS: usize = 150;
    let clean: String = antq_core::text::nfc(filename)
        .chars()
        .map(|ch| match ch {
            '/' | '\\' | '"' => '_',
            c if c.is_control() => '_',
            c => c,
        })
        .take(MAX_CHARS)
        .collect();
    let clean = clean.trim().trim_start_matches('.');
    let clean = if clean.is_empty() { "tai-ve" } else { clean };
    let mut ascii = String::with_capacity(clean.len());
    for ch in clean.chars() {
        // Fold accents char by char, so case and length stay as they were.
        let folded = antq_core::text::fold(&ch.to_string());
        let folded = if folded.is_empty() {
            "_".to_string()
        } else if ch.is_uppercase() {
            folded.to_uppercase()
        } else {
            folded
        };
        for c in folded.chars() {
            ascii.push(
                if c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_') {
                    c
                } else {
                    '_'
                },
            );
        }
    }
    let kind = match how {
        Disposition::Attachment => "attachment",
        Disposition::Inline => "inline",
    };
    let mut value = format!("{kind}; filename=\"{ascii}\"");
    if ascii != clean {
        value.push_str("; filename*=UTF-8''");
        for b in clean.bytes() {
            if b.is_ascii_alphanumeric() || b"!#$&+-.^_`|~".contains(&b) {
                value.push(b as char);
            } else {
                value.push_str(&format!("%{b:02X}"));
            }
        }
    }
    axum::http::HeaderValue::from_str(&value)
        .unwrap_or_else(|_| axum::http::HeaderValue::from_static("attachment"))
}

/// The values of a form under a unit, in long CSV or DHIS2 JSON.
pub async fn export(
    db: &antq_storage::Db,
    actor: Option<&Actor>,
    form: &str,
    code: &str,
    from: &str,
    to: Option<&str>,
    dhis2: Option<antq_office::dhis2::PeriodMapping>,
) -> Result<Download, Failure> {
    let form = catalogue::form(db, form).await?;
    let range = YearRange::parse(from, to)?;
    // The unit as it was at the end of the range (or today, if sooner).
    let end_of_range =
        chrono::NaiveDate::from_ymd_opt(range.to, 12, 31).unwrap_or_else(dates::today);
    let unit = units::get_at(
        db,
        &UnitCode::parse(code)?,
        end_of_range.min(dates::today()),
    )
    .await?;
    let scope = match actor {
        Some(actor) => {
            access::require(db, actor, Action::Read, unit.id).await?;
            actor.scope_sql(Action::Read, "r.unit_id")
        }
        None => "1 = 1".to_string(),
    };
    let values = antq_storage::statistics::export::values(db, &form, &unit, range, &scope).await?;
    let name = format!(
        "{}_{}_{}",
        form.code,
        unit.code,
        range.code().replace("..", "-")
    );
    Ok(if let Some(mapping) = dhis2 {
        Download {
            bytes: antq_office::dhis2::write(Some(&form.code), &values, mapping),
            content_type: "application/json",
            filename: format!("{name}.json"),
        }
    } else {
        let records: Vec<antq_office::csv_long::LongRecord> = values
            .iter()
            .map(antq_office::csv_long::LongRecord::from_export)
            .collect();
        Download {
            bytes: antq_office::csv_long::write(&records),
            content_type: "text/csv; charset=utf-8",
            filename: format!("{name}.csv"),
        }
    })
}

/// An Excel template for a form, a period and a parent unit: one row per
/// reporting unit, one column per indicator, prefilled with what is stored.
pub async fn template(
    db: &antq_storage::Db,
    actor: Option<&Actor>,
    form: &str,
    code: &str,
    period: &str,
) -> Result<Download, Failure> {
    let form = catalogue::form(db, form).await?;
    let (_, _, end) = reports::check_period(&form, period)?;
    let unit = units::get_at(db, &UnitCode::parse(code)?, end).await?;
    let scope = match actor {
        Some(actor) => {
            access::require(db, actor, Action::Read, unit.id).await?;
            actor.scope_sql(Action::Read, "r.unit_id")
        }
        None => "1 = 1".to_string(),
    };
    let units = reports::reporting_units(db, &form, &unit, period).await?;
    let p = antq_core::periods::Period::parse(period)?;
    let range = YearRange {
        from: p.year,
        to: p.year,
    };
    let values = antq_storage::statistics::export::values(db, &form, &unit, range, &scope).await?;
    let mut columns = Vec::new();
    for ind in &form.indicators {
        if ind.options.is_empty() {
            columns.push((ind.code.clone(), format!("{} ({})", ind.name_vi, ind.unit)));
        } else {
            for o in &ind.options {
                columns.push((
                    format!("{}.{}", ind.code, o.code),
                    format!("{} – {}", ind.name_vi, o.name_vi),
                ));
            }
        }
    }
    let rows = units
        .iter()
        .map(|u| {
            let vals = columns
                .iter()
                .map(|(k, _)| {
                    values
                        .iter()
                        .find(|v| v.unit == u.code && v.period == p.code() && &v.key == k)
                        .map(|v| v.milli as f64 / 1000.0)
                })
                .collect();
            (u.code.clone(), u.name.clone(), vals)
        })
        .collect();
    let t = antq_office::xlsx::Template {
        title: format!("{} — {} — {}", form.name_vi, unit.name, p.words_vi()),
        form: form.code.clone(),
        period: p.code(),
        parent: unit.code.clone(),
        columns,
        rows,
    };
    let bytes = antq_office::xlsx::write_template(&t)
        .map_err(|e| Failure::new(axum::http::StatusCode::INTERNAL_SERVER_ERROR, e))?;
    Ok(Download {
        bytes,
        content_type: XLSX,
        filename: format!("bieu_{}_{}_{}.xlsx", form.code, unit.code, p.code()),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn header(name: &str) -> String {
        content_disposition(Disposition::Attachment, name)
            .to_str()
            .expect("visible ASCII")
            .to_string()
    }

    #[test]
    fn download_names_are_always_valid_headers() {
        assert_eq!(
            header("phan-tich_87_2013-2023.csv"),
            "attachment; filename=\"phan-tich_87_2013-2023.csv\""
        );
        // Vietnamese: an ASCII fallback and the exact name per RFC 5987.
        assert_eq!(
            header("Báo cáo Đồng Tháp 2013–2023.docx"),
            "attachment; filename=\"Bao_cao_Dong_Thap_2013_2023.docx\"; \
             filename*=UTF-8''B%C3%A1o%20c%C3%A1o%20%C4%90%E1%BB%93ng%20Th%C3%A1p%202013%E2%80%932023.docx"
        );
        // NFD input is normalised first.
        assert_eq!(header("Ba\u{301}o.csv"), header("Báo.csv"));
        // CR, LF, quotes, separators and NUL never reach the header.
        for evil in [
            "a\r\nSet-Cookie: x=1.csv",
            "2013\n..2023.csv",
            "\"quoted\".csv",
            "../../etc/passwd",
            "a\u{0}b.csv",
            "tên \"lạ\"\r\n.xlsx",
        ] {
            let h = header(evil);
            assert!(!h.contains('\r') && !h.contains('\n'), "{h}");
            assert_eq!(h.matches('"').count(), 2, "{h}");
            assert!(!h.contains('/') && !h.contains('\\'), "{h}");
        }
        assert_eq!(header(""), "attachment; filename=\"tai-ve\"");
        assert!(content_disposition(Disposition::Inline, "x.html")
            .to_str()
            .unwrap()
            .starts_with("inline; "));
        // Long names are cut, on a character boundary.
        assert!(header(&"ố".repeat(1000)).len() < 2000);
    }
}
