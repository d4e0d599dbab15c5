//! The reconciliation of a unit's award figures: per year, what its forms
//! reported and what its award register counts (by form × issuer ×
//! collective/individual), the figure antq shows, where it came from, and
//! whether the two differed for a unit and year that has both.

use std::collections::{BTreeMap, HashMap};

use antq_core::periods::YearRange;
use antq_core::programmes::awards::RecipientKind;
use antq_core::programmes::FigureSource;
use serde::Serialize;

use super::register::{gather, AWARD_GROUP};
use super::FLAG_DIFFERS;
use crate::db::Db;
use crate::error::StorageResult;
use crate::programmes::award_counts::{self, Scope};
use crate::statistics::analytics::{self, By, MapMode, Query};
use crate::statistics::catalogue::{self, Indicator};
use crate::units::Unit;

/// One count of the register: form × issuer × recipient kind × year, beside
/// the reported figure of the form's indicator and option that year.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Line {
    pub form_code: String,
    pub form: String,
    /// The indicator the form feeds (`kt_bang_khen`), if any.
    pub indicator: Option<String>,
    pub issuer_code: String,
    pub issuer: String,
    pub recipient_kind: RecipientKind,
    pub year: i32,
    /// Accepted recipients of decided awards.
    pub count: i64,
}

/// One award indicator × option × year: the register's count, the forms'
/// figure, the figure shown (the register's where a unit has both), its
/// source, and whether register and form differed.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Figure {
    pub indicator: String,
    pub indicator_name: String,
    pub recipient_kind: RecipientKind,
    pub year: i32,
    pub register: Option<i64>,
    pub reported: Option<f64>,
    pub shown: Option<f64>,
    pub source: FigureSource,
    pub differs: bool,
}

/// A reporting unit and year with both a reported figure and register
/// counts for an indicator: the register's stands; both are listed here.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Pair {
    pub unit: String,
    pub unit_name: String,
    pub year: i32,
    pub indicator: String,
    pub indicator_name: String,
    pub register: f64,
    pub reported: f64,
    pub differs: bool,
}

#[derive(Debug, Clone, Serialize, PartialEq, Default)]
pub struct Reconciliation {
    pub lines: Vec<Line>,
    pub figures: Vec<Figure>,
    /// The units and years where both exist, by year then unit name.
    pub pairs: Vec<Pair>,
}

/// The pairs of a gathering, with their units' codes and names.
async fn pairs(
    db: &Db,
    reg: &super::Registered,
    indicators: &[Indicator],
) -> StorageResult<Vec<Pair>> {
    let ids: Vec<i64> = reg.both.keys().map(|(u, _, _)| *u).collect();
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let names: Vec<(i64, String, String)> = sqlx::query_as(&format!(
        "SELECT id, code, name FROM units WHERE id IN ({})",
        crate::db::id_list(&ids)
    ))
    .fetch_all(db.pool())
    .await?;
    let mut out: Vec<Pair> = reg
        .both
        .iter()
        .filter_map(|((unit, year, ind), (register, form))| {
            let (_, code, name) = names.iter().find(|(id, _, _)| id == unit)?;
            let i = indicators.iter().find(|i| i.id == *ind)?;
            Some(Pair {
                unit: code.clone(),
                unit_name: name.clone(),
                year: *year,
                indicator: i.code.clone(),
                indicator_name: i.name_vi.clone(),
                register: *register as f64 / 1000.0,
                reported: *form as f64 / 1000.0,
                differs: register != form,
            })
        })
        .collect();
    out.sort_by(|a, b| {
        a.year
            .cmp(&b.year)
            .then_with(|| antq_core::text::compare(&a.unit_name, &b.unit_name))
            .then_with(|| a.indicator.cmp(&b.indicator))
    });
    Ok(out)
}

/// The catalogue's award indicators.
async fn award_indicators(db: &Db) -> StorageResult<(Vec<Indicator>, Vec<Indicator>)> {
    let catalogue = catalogue::indicators(db).await?;
    let awards = catalogue
        .iter()
        .filter(|i| i.group == AWARD_GROUP && super::is_register_fed(i))
        .cloned()
        .collect();
    Ok((catalogue, awards))
}

/// The forms' figures of a subtree: (indicator id, option, year) → thousandths.
async fn reported(
    db: &Db,
    q: &Query<'_>,
    ids: &[i64],
) -> StorageResult<HashMap<(i64, String, i32), i64>> {
    let subject = match q.map {
        MapMode::Historical => "r.unit_id",
        MapMode::Current => "m.current_id",
    };
    let approved = if q.approved_only {
        "AND r.state = 'approved'"
    } else {
        ""
    };
    let sql = format!(
        "SELECT r.period_year, b.body FROM reports r JOIN report_values b ON b.report_id = r.id \
         JOIN unit_data_map m ON m.unit_id = r.unit_id \
         WHERE r.period_year BETWEEN $2 AND $3 {approved} \
           AND {subject} IN (SELECT descendant_id FROM unit_tree WHERE ancestor_id = $1)"
    );
    let rows: Vec<(i64, Vec<u8>)> = sqlx::query_as(&sql)
        .bind(q.unit.id)
        .bind(i64::from(q.range.from))
        .bind(i64::from(q.range.to))
        .fetch_all(db.pool())
        .await?;
    let mut out: HashMap<(i64, String, i32), i64> = HashMap::new();
    for (year, body) in &rows {
        for e in crate::statistics::report_values::entries(body)? {
            let e = e?;
            if ids.contains(&e.indicator_id) {
                *out.entry((e.indicator_id, e.option.to_string(), *year as i32))
                    .or_default() += e.milli;
            }
        }
    }
    Ok(out)
}

/// Reconcile a unit's award figures over a range of years (the caller
/// checked access). `approved_only` as in analytics.
pub async fn reconcile(
    db: &Db,
    unit: &Unit,
    range: YearRange,
    map: MapMode,
    approved_only: bool,
) -> StorageResult<Reconciliation> {
    let (catalogue, indicators) = award_indicators(db).await?;
    let q = Query {
        indicators: &indicators,
        catalogue: &catalogue,
        unit,
        range,
        by: Some(By::Year),
        map,
        approved_only,
    };
    let forms: Vec<(String, Option<String>)> =
        sqlx::query_as("SELECT code, indicator FROM award_forms")
            .fetch_all(db.pool())
            .await?;
    let indicator_of: HashMap<String, Option<String>> = forms.into_iter().collect();
    let lines: Vec<Line> = award_counts::counts(
        db,
        Scope::Unit {
            unit_id: unit.id,
            range,
            map,
        },
    )
    .await?
    .into_iter()
    .map(|r| Line {
        indicator: indicator_of.get(&r.form_code).cloned().flatten(),
        form_code: r.form_code,
        form: r.form,
        issuer_code: r.office_code,
        issuer: r.office,
        recipient_kind: r.recipient_kind,
        year: r.year,
        count: r.count,
    })
    .collect();
    let ids: Vec<i64> = indicators.iter().map(|i| i.id).collect();
    let reported = reported(db, &q, &ids).await?;
    let needed: Vec<&Indicator> = indicators.iter().collect();
    let reg = gather(db, &q, &needed, None).await?.unwrap_or_default();
    // (indicator, option, year) → [register, replaced form] in thousandths
    let mut register: BTreeMap<(i64, String, i32), [i64; 2]> = BTreeMap::new();
    for c in &reg.cells {
        register
            .entry((c.indicator_id, c.option.clone(), c.year))
            .or_default()[0] += c.milli;
    }
    for f in &reg.replaced_forms {
        register
            .entry((f.indicator_id, f.option.clone(), f.period.year))
            .or_default()[1] += f.milli;
    }
    let rows = analytics::run(db, &q).await?;
    let figures = figures(&indicators, range, &rows, &reported, &register);
    let pairs = pairs(db, &reg, &indicators).await?;
    Ok(Reconciliation {
        lines,
        figures,
        pairs,
    })
}

/// Per indicator × option × year: the register's count, the forms' figure,
/// the figure shown (forms, less those the register replaced, plus the
/// register), with the source and difference of the analytics row.
fn figures(
    indicators: &[Indicator],
    range: YearRange,
    rows: &[analytics::Row],
    reported: &HashMap<(i64, String, i32), i64>,
    register: &BTreeMap<(i64, String, i32), [i64; 2]>,
) -> Vec<Figure> {
    let mut figures = Vec::new();
    for ind in indicators {
        for year in range.from..=range.to {
            let row = rows
                .iter()
                .find(|r| r.indicator == ind.code && r.period == year.to_string());
            for kind in RecipientKind::ALL {
                let key = (ind.id, kind.code().to_string(), year);
                let rep = reported.get(&key).copied();
                let [reg_milli, replaced] = register.get(&key).copied().unwrap_or([0, 0]);
                let has_register = register.contains_key(&key);
                if rep.is_none() && !has_register {
                    continue;
                }
                let shown = rep.unwrap_or(0) - replaced + reg_milli;
                figures.push(Figure {
                    indicator: ind.code.clone(),
                    indicator_name: ind.name_vi.clone(),
                    recipient_kind: kind,
                    year,
                    register: has_register.then_some(reg_milli / 1000),
                    reported: rep.map(|m| m as f64 / 1000.0),
                    shown: Some(shown as f64 / 1000.0),
                    source: row.map(|r| r.source).unwrap_or_default(),
                    differs: row.is_some_and(|r| r.flags.iter().any(|f| f == FLAG_DIFFERS)),
                });
            }
        }
    }
    figures
}
