//! The documents, programmes and plans (/van-ban, /chuong-trinh; /api/v1/documents, /api/v1/programmes): the operations behind the pages, the API and the CLI, each
//! checking access through the one policy. (Owned by the documents work of issue 12.)
//!
//! What a person typed (a form, a JSON body) becomes a parsed
//! `DocInput`/`PlanInput` here, with the field that was wrong named, so a
//! page shows the error at its field and the API answers 422.

pub mod api;
pub mod pages;
pub mod plan_pages;
pub mod plans;
pub mod publish;
pub mod views;

use antq_core::dates::{self, Date};
use antq_core::programmes::documents::{DocKind, DocRef};
use antq_storage::programmes::documents::{Alias, DocInput};

use crate::error::Failure;
use crate::state::AppState;

/// What was wrong, and in which field of the form.
#[derive(Debug)]
pub struct Invalid {
    pub field: &'static str,
    pub failure: Failure,
}

impl Invalid {
    pub fn at(field: &'static str, failure: impl Into<Failure>) -> Invalid {
        Invalid {
            field,
            failure: failure.into(),
        }
    }
}

impl From<Invalid> for Failure {
    fn from(i: Invalid) -> Failure {
        i.failure
    }
}

/// A document as typed: every field text, lists already split.
#[derive(Debug, Clone, Default)]
pub struct DocFields {
    pub kind: String,
    pub reference: String,
    pub year: String,
    pub date: String,
    pub subject: String,
    pub issuers: Vec<String>,
    pub aliases: Vec<(String, String)>,
    pub as_written: String,
    /// The owning unit's name or code; empty: national.
    pub unit: String,
    pub unit_pick: String,
}

/// A date typed as dd/mm/yyyy or ISO, empty for none, any year from 1945.
pub fn optional_date(s: &str) -> Result<Option<Date>, Failure> {
    use chrono::Datelike;
    let s = s.trim();
    if s.is_empty() {
        return Ok(None);
    }
    let d = dates::parse_date(s)?;
    if !(1945..=2100).contains(&d.year()) {
        return Err(Failure::from(antq_core::DomainError::invalid(format!(
            "Ngày \u{201C}{s}\u{201D} có năm nằm ngoài khoảng 1945–2100"
        ))));
    }
    Ok(Some(d))
}

/// A year typed, empty for none.
pub fn optional_year(s: &str, label: &str) -> Result<Option<i64>, Failure> {
    let s = s.trim();
    if s.is_empty() {
        return Ok(None);
    }
    match s.parse::<i64>() {
        Ok(y) if (1945..=2100).contains(&y) => Ok(Some(y)),
        _ => Err(Failure::from(antq_core::DomainError::invalid(format!(
            "{label} \u{201C}{s}\u{201D} không phải một năm (ví dụ 2023)"
        )))),
    }
}

/// The unit a field names (by name or code), or None when it is empty.
pub async fn optional_unit(
    state: &AppState,
    text: &str,
    pick: &str,
) -> Result<Option<antq_storage::units::Unit>, Failure> {
    if text.trim().is_empty() && pick.trim().is_empty() {
        return Ok(None);
    }
    crate::units::service::resolve_unit(state, text, Some(pick), dates::today())
        .await
        .map(Some)
}

/// Parse a document as typed.
pub async fn doc_input(state: &AppState, f: &DocFields) -> Result<DocInput, Invalid> {
    let reference = match f.reference.trim() {
        "" => None,
        r => Some(DocRef::parse(r).map_err(|e| Invalid::at("reference", e))?),
    };
    let kind = match f.kind.trim() {
        "" => reference
            .as_ref()
            .and_then(DocRef::implied_kind)
            .ok_or_else(|| {
                Invalid::at(
                    "kind",
                    Failure::from(antq_core::DomainError::invalid("Chưa chọn loại văn bản")),
                )
            })?,
        k => DocKind::parse(k).map_err(|e| Invalid::at("kind", e))?,
    };
    let year = optional_year(&f.year, "Năm").map_err(|e| Invalid::at("year", e))?;
    let issued_on = optional_date(&f.date).map_err(|e| Invalid::at("date", e))?;
    let unit = optional_unit(state, &f.unit, &f.unit_pick)
        .await
        .map_err(|e| Invalid::at("unit", e))?;
    if f.issuers.len() > 50 || f.aliases.len() > 50 {
        return Err(Invalid::at(
            "issuers",
            Failure::bad_request("Quá nhiều cơ quan ban hành hoặc tên gọi khác"),
        ));
    }
    let input = DocInput {
        kind,
        reference,
        year: year.map(|y| y as i32),
        issued_on,
        subject: f.subject.clone(),
        issuers: f.issuers.clone(),
        aliases: f
            .aliases
            .iter()
            .map(|(r, n)| Alias {
                reference: r.clone(),
                note: n.clone(),
            })
            .collect(),
        as_written: Some(f.as_written.clone()),
        unit_id: unit.map(|u| u.id),
    };
    input.check().map_err(|e| {
        let msg = e.to_string();
        let field = if msg.starts_with("Trích yếu") {
            "subject"
        } else if msg.contains("cơ quan ban hành") {
            "issuers"
        } else if msg.contains("tên gọi khác") {
            "aliases"
        } else {
            "as_written"
        };
        Invalid::at(field, e)
    })
}

/// Split a list typed in one box: by ";" or by line.
pub fn split_list(s: &str) -> Vec<String> {
    s.split([';', '\n'])
        .map(str::trim)
        .filter(|x| !x.is_empty())
        .map(str::to_string)
        .collect()
}
