//! The figures a review adds to the analytics' own: the options of
//! broken-down indicators year by year (the awards-by-year table), and the
//! award register's counts (over the stage, and at the conference where the
//! review was presented), each figure saying where it came from.

use std::collections::BTreeMap;

use antq_core::indicators::{Aggregation, Qualifier};
use antq_core::periods::YearRange;
use antq_core::reviews::{
    AwardLine, Awards, ConferenceAwards, Figure, FigureSource, Previous, Snapshot, Stage,
};
use sqlx::Row as _;

use crate::db::Db;
use crate::error::StorageResult;
use crate::programmes::award_counts::{self, CountRow, Scope};
use crate::statistics::analytics::{self, By, MapMode};
use crate::statistics::catalogue::Indicator;
use crate::units::Unit;

/// The options of broken-down indicators, year by year: (indicator code,
/// option code) → year → figure, on the subtree, lineage and approval rules
/// of the analytics (approved reports only).
pub async fn options_by_year(
    db: &Db,
    indicators: &[Indicator],
    unit: &Unit,
    range: YearRange,
    map: MapMode,
    within: Option<&[String]>,
) -> StorageResult<BTreeMap<String, BTreeMap<i32, Figure>>> {
    let with_options: Vec<&Indicator> = indicators
        .iter()
        .filter(|i| !i.options.is_empty() && i.aggregation == Aggregation::Sum)
        .collect();
    let mut out: BTreeMap<String, BTreeMap<i32, Figure>> = BTreeMap::new();
    if with_options.is_empty() {
        return Ok(out);
    }
    let subject = match map {
        MapMode::Historical => "r.unit_id",
        MapMode::Current => "m.current_id",
    };
    let rows = sqlx::query(&format!(
        "SELECT r.period_year, b.body FROM reports r JOIN report_values b ON b.report_id = r.id \
         JOIN unit_data_map m ON m.unit_id = r.unit_id \
         WHERE r.period_year BETWEEN $2 AND $3 AND r.state = 'approved' {within} \
           AND {subject} IN (SELECT descendant_id FROM unit_tree WHERE ancestor_id = $1)",
        within = analytics::period_filter(within)
    ))
    .bind(unit.id)
    .bind(i64::from(range.from))
    .bind(i64::from(range.to))
    .fetch_all(db.pool())
    .await?;
    for r in rows {
        let year = r.get::<i64, _>(0) as i32;
        let body: Vec<u8> = r.get(1);
        for e in crate::statistics::report_values::entries(&body)? {
            let e = e?;
            if e.option.is_empty() {
                continue;
            }
            let Some(ind) = with_options.iter().find(|i| i.id == e.indicator_id) else {
                continue;
            };
            let f = out
                .entry(format!("{}.{}", ind.code, e.option))
                .or_default()
                .entry(year)
                .or_insert(Figure {
                    value: 0.0,
                    qualifier: None,
                    unapproved: 0.0,
                    split: false,
                    source: FigureSource::Form,
                });
            f.value += e.milli as f64 / 1000.0;
            if e.qualifier != Qualifier::Exact {
                let q = f.qualifier.unwrap_or(Qualifier::Exact).combine(e.qualifier);
                f.qualifier = q.non_exact();
            }
        }
    }
    Ok(out)
}

/// The approved totals of the stage before `stage`, of equal length (a
/// half-year: the same half a year earlier), for the narrative's
/// comparisons: flows only, and only those with data in every year of that
/// stage (a stage half covered is never compared). None when the stage
/// before is out of range or nothing is left.
pub async fn previous(
    db: &Db,
    q: &analytics::Query<'_>,
    stage: Stage,
) -> StorageResult<Option<Previous>> {
    let before = Previous::stage_before(&stage);
    let Ok(range) = YearRange::new(before.from, before.to) else {
        return Ok(None);
    };
    let flows: Vec<Indicator> = q
        .indicators
        .iter()
        .filter(|i| i.aggregation == Aggregation::Sum)
        .cloned()
        .collect();
    let periods = before.periods();
    let query = |by: Option<By>| analytics::Query {
        indicators: &flows,
        catalogue: q.catalogue,
        unit: q.unit,
        range,
        by,
        map: q.map,
        approved_only: true,
    };
    let yearly = analytics::run_within(db, &query(Some(By::Year)), periods.as_deref()).await?;
    let years = (before.to - before.from + 1) as usize;
    let mut totals = BTreeMap::new();
    for r in analytics::run_within(db, &query(None), periods.as_deref()).await? {
        let covered = yearly
            .iter()
            .filter(|y| y.indicator == r.indicator && y.value.is_some())
            .count();
        if let (Some(value), true) = (r.value, covered == years) {
            totals.insert(
                r.indicator.clone(),
                Figure {
                    value,
                    qualifier: r.qualifier,
                    unapproved: 0.0,
                    split: false,
                    source: r.source,
                },
            );
        }
    }
    Ok((!totals.is_empty()).then_some(Previous {
        from: before.from,
        to: before.to,
        half: before.half,
        totals,
    }))
}

/// The indicator a form of award feeds (`kt_bang_khen`), by the form's name.
async fn form_indicators(db: &Db) -> StorageResult<BTreeMap<String, String>> {
    let rows: Vec<(String, String, Option<String>)> =
        sqlx::query_as("SELECT code, name, indicator FROM award_forms")
            .fetch_all(db.pool())
            .await?;
    Ok(rows
        .into_iter()
        .filter_map(|(code, name, indicator)| {
            let folded = antq_core::text::fold(&format!("{code} {name}"));
            let guess = if folded.contains("bang khen") || folded.contains("bang_khen") {
                Some("kt_bang_khen")
            } else if folded.contains("giay khen") || folded.contains("giay_khen") {
                Some("kt_giay_khen")
            } else {
                None
            };
            let ind = indicator.or_else(|| guess.map(str::to_string))?;
            Some((name, ind))
        })
        .collect())
}

/// The register's awards for the snapshot's unit and stage (whole years
/// only), and the conference that reviewed this stage for this unit, if
/// any, with what was given there.
pub async fn awards(db: &Db, unit: &Unit, snap: &mut Snapshot, map: MapMode) -> StorageResult<()> {
    if snap.half.is_some() {
        return Ok(());
    }
    let range = YearRange {
        from: snap.from,
        to: snap.to,
    };
    let rows = award_counts::counts(
        db,
        Scope::Unit {
            unit_id: unit.id,
            range,
            map,
        },
    )
    .await?;
    merge_register(snap, &rows, &form_indicators(db).await?);
    let stage: Vec<AwardLine> = award_counts::over_years(&rows)
        .iter()
        .map(AwardLine::from_count)
        .collect();
    let conference = conference_of(db, unit, snap.from, snap.to).await?;
    let mut at_conference = None;
    if let Some((id, title, held_on)) = conference {
        let lines: Vec<AwardLine> =
            award_counts::over_years(&award_counts::counts(db, Scope::Conference(id)).await?)
                .iter()
                .map(AwardLine::from_count)
                .collect();
        if !lines.is_empty() {
            at_conference = Some(ConferenceAwards {
                id,
                title,
                held_on,
                lines,
            });
        }
    }
    snap.awards = Awards {
        stage,
        conference: at_conference,
    };
    Ok(())
}

/// The review conference (sơ kết, tổng kết) held by this unit (any of its
/// versions) on exactly this stage: the latest.
pub(super) async fn conference_of(
    db: &Db,
    unit: &Unit,
    from: i32,
    to: i32,
) -> StorageResult<Option<(i64, String, String)>> {
    Ok(sqlx::query_as(
        "SELECT c.id, c.title, c.held_on FROM conferences c \
         WHERE c.kind IN ('so_ket', 'tong_ket') AND c.stage_from = $2 AND c.stage_to = $3 \
           AND c.unit_id IN (SELECT id FROM units WHERE code = $1) \
         ORDER BY c.held_on DESC, c.id DESC LIMIT 1",
    )
    .bind(&unit.code)
    .bind(i64::from(from))
    .bind(i64::from(to))
    .fetch_optional(db.pool())
    .await?)
}

/// The register's counts in the award indicators' options, by year and for
/// the stage. A figure the forms also gave is marked as from both (the
/// register's count is shown; the two are never added).
fn merge_register(snap: &mut Snapshot, rows: &[CountRow], indicators: &BTreeMap<String, String>) {
    let mut by_key: BTreeMap<String, BTreeMap<i32, i64>> = BTreeMap::new();
    for r in rows {
        let Some(ind) = indicators.get(&r.form) else {
            continue;
        };
        *by_key
            .entry(format!("{ind}.{}", r.recipient_kind.code()))
            .or_default()
            .entry(r.year)
            .or_default() += r.count;
    }
    for (key, years) in by_key {
        let register = |value: f64, form: Option<&Figure>| Figure {
            value,
            qualifier: None,
            unapproved: 0.0,
            split: false,
            source: if form.is_some() {
                FigureSource::Both
            } else {
                FigureSource::Register
            },
        };
        let total: i64 = years.values().sum();
        let form_total = snap.totals.get(&key).copied();
        snap.totals
            .insert(key.clone(), register(total as f64, form_total.as_ref()));
        let by_year = snap.by_year.entry(key).or_default();
        for (y, n) in years {
            let form = by_year.get(&y).copied();
            by_year.insert(y, register(n as f64, form.as_ref()));
        }
    }
}
