//! What a new review starts with besides its figures: its sections from the
//! unit's template with "Công tác lãnh đạo, chỉ đạo" drafted from the
//! document register, and how complete the data behind it is (the units
//! that must report in the stage, and those whose reports are all approved).

use std::collections::BTreeMap;

use antq_core::dates::{self, Date};
use antq_core::periods::PeriodType;
use antq_core::programmes::documents::DocKind;
use antq_core::reviews::document::{
    leadership_text, DataCoverage, Section, SectionKind, TemplateKind,
};
use antq_core::reviews::{short_date, Stage};
use sqlx::Row as _;

use super::templates;
use crate::db::Db;
use crate::error::StorageResult;
use crate::programmes::coverage::programme_ref;
use crate::statistics::catalogue;
use crate::statistics::reports::check_period;
use crate::units::{Unit, VALID_AT};

/// The most documents the drafted section cites.
const MAX_CITED: usize = 30;

/// The first and last day of a stage (calendar dates).
fn stage_days(stage: &Stage) -> (Date, Date) {
    let ymd = |y, m, d| Date::from_ymd_opt(y, m, d).expect("a real day");
    match stage.half {
        Some(1) => (ymd(stage.from, 1, 1), ymd(stage.to, 6, 30)),
        Some(_) => (ymd(stage.from, 7, 1), ymd(stage.to, 12, 31)),
        None => (ymd(stage.from, 1, 1), ymd(stage.to, 12, 31)),
    }
}

/// The sections of a new review of `unit`: its template's, with the
/// leadership section drafted from the register when the template left it empty.
pub async fn sections_for(db: &Db, unit: &Unit, stage: &Stage) -> StorageResult<Vec<Section>> {
    let mut sections = templates::template_for(db, unit, TemplateKind::of(stage))
        .await?
        .sections;
    if let Some(s) = sections
        .iter_mut()
        .find(|s| s.kind == SectionKind::Leadership && s.text.trim().is_empty())
    {
        s.text = leadership_text(&citations(db, unit, stage).await?);
    }
    Ok(sections)
}

/// The documents, programmes and plans of the unit or its province issued
/// within the stage, cited as Nghị định 30 cites them the first time, oldest first.
pub async fn citations(db: &Db, unit: &Unit, stage: &Stage) -> StorageResult<Vec<String>> {
    let mut ids = vec![unit.id];
    if let Some(p) = templates::province_of(db, unit).await? {
        ids.push(p.id);
    }
    let list = crate::db::id_list(&ids);
    let (first, last) = stage_days(stage);
    let (first, last) = (dates::iso(first), dates::iso(last));
    let mut cited: Vec<(String, String)> = Vec::new();
    let programmes = sqlx::query(&format!(
        "SELECT p.id, COALESCE(d.issued_on, p.signed_on), p.document_id FROM programmes p \
         LEFT JOIN documents d ON d.id = p.document_id \
         WHERE p.unit_id IN ({list}) AND COALESCE(d.issued_on, p.signed_on) BETWEEN $1 AND $2 \
         ORDER BY 2, p.id"
    ))
    .bind(&first)
    .bind(&last)
    .fetch_all(db.pool())
    .await?;
    let mut programme_docs = Vec::new();
    for r in &programmes {
        let p = programme_ref(db, r.get(0)).await?;
        cited.push((r.get(1), p.citation()));
        if let Some(d) = r.get::<Option<i64>, _>(2) {
            programme_docs.push(d);
        }
    }
    let documents = sqlx::query(&format!(
        "SELECT d.id, d.issued_on, d.kind, d.reference, d.subject FROM documents d \
         WHERE d.unit_id IN ({list}) AND d.issued_on BETWEEN $1 AND $2 AND d.kind <> 'bao_cao' \
         ORDER BY d.issued_on, d.id"
    ))
    .bind(&first)
    .bind(&last)
    .fetch_all(db.pool())
    .await?;
    for r in &documents {
        let id: i64 = r.get(0);
        if programme_docs.contains(&id) {
            continue;
        }
        let issuers: Vec<String> = sqlx::query_scalar(
            "SELECT name FROM document_issuers WHERE document_id = $1 ORDER BY position",
        )
        .bind(id)
        .fetch_all(db.pool())
        .await?;
        let day: String = r.get(1);
        let kind = DocKind::parse(&r.get::<String, _>(2)).unwrap_or(DocKind::Khac);
        let c = document_citation(kind, r.get(3), &day, &issuers, &r.get::<String, _>(4));
        cited.push((day, c));
    }
    cited.sort_by(|a, b| a.0.cmp(&b.0));
    Ok(cited.into_iter().take(MAX_CITED).map(|(_, c)| c).collect())
}

/// "Chỉ thị số 09-CT/TW ngày 01/12/2011 của Ban Bí thư về “…”".
fn document_citation(
    kind: DocKind,
    reference: Option<String>,
    day: &str,
    issuers: &[String],
    subject: &str,
) -> String {
    let mut out = kind.word_vi().to_string();
    if let Some(r) = reference.filter(|r| !r.trim().is_empty()) {
        out.push_str(&format!(" số {}", r.trim()));
    }
    if let Ok(d) = dates::parse_date(day) {
        out.push_str(&format!(" ngày {}", short_date(d)));
    }
    match issuers {
        [] => {}
        [one] => out.push_str(&format!(" của {one}")),
        [init @ .., last] => out.push_str(&format!(" của {} và {last}", init.join(", "))),
    }
    let subject = subject
        .trim()
        .trim_matches(['\u{201C}', '\u{201D}', '"'])
        .trim();
    if !subject.is_empty() {
        out.push_str(&format!(" về \u{201C}{subject}\u{201D}"));
    }
    out
}

/// How complete the data of a stage is under `unit`: every unit that must
/// report one of the stage's forms (a yearly form for whole years, a
/// half-year form for a half), at the form's levels, valid at the period's
/// end, whether or not it started a report; and those whose every such
/// report is approved. `current`: the unit is today's, so older units whose
/// data it took over through lineage count too.
pub async fn coverage(
    db: &Db,
    unit: &Unit,
    stage: &Stage,
    current: bool,
) -> StorageResult<DataCoverage> {
    let (kind, periods): (PeriodType, Vec<String>) = match stage.half {
        Some(h) => (PeriodType::Half, vec![format!("{}S{h}", stage.from)]),
        None => (
            PeriodType::Year,
            (stage.from..=stage.to).map(|y| y.to_string()).collect(),
        ),
    };
    let codes: Vec<String> = sqlx::query_scalar("SELECT code FROM forms WHERE period_type = $1")
        .bind(kind.as_str())
        .fetch_all(db.pool())
        .await?;
    let subject = if current {
        "u.id IN (SELECT m.unit_id FROM unit_data_map m WHERE m.current_id IN \
         (SELECT descendant_id FROM unit_tree WHERE ancestor_id = $2))"
    } else {
        "u.id IN (SELECT descendant_id FROM unit_tree WHERE ancestor_id = $2)"
    };
    // By unit: (reports expected, reports approved).
    let mut units: BTreeMap<i64, (u64, u64)> = BTreeMap::new();
    for code in &codes {
        let form = catalogue::form(db, code).await?;
        if form.levels.is_empty() {
            continue;
        }
        let levels = form
            .levels
            .iter()
            .map(|l| format!("'{}'", l.as_str()))
            .collect::<Vec<_>>()
            .join(", ");
        for period in &periods {
            let (_, _, end) = check_period(&form, period)?;
            let rows = sqlx::query(&format!(
                "SELECT u.id, CASE WHEN r.state = 'approved' THEN 1 ELSE 0 END FROM units u \
                 LEFT JOIN reports r ON r.unit_id = u.id AND r.form_id = $3 AND r.period = $4 \
                 WHERE {VALID_AT} AND u.level IN ({levels}) AND {subject}"
            ))
            .bind(dates::iso(end))
            .bind(unit.id)
            .bind(form.id)
            .bind(period)
            .fetch_all(db.pool())
            .await?;
            for r in &rows {
                let e = units.entry(r.get(0)).or_default();
                e.0 += 1;
                e.1 += r.get::<i64, _>(1) as u64;
            }
        }
    }
    Ok(DataCoverage {
        units_expected: units.len() as u64,
        units_approved: units.values().filter(|(e, a)| a >= e).count() as u64,
    })
}
