//! The rollup behind the pivot page laid out as a table: one row per
//! period or unit, one column per indicator, with the totals, where each
//! figure came from, the links to the register's records behind it, the
//! charts and the notes. The `Pivot` it fills is declared beside the page
//! and the downloads that read it.

use std::collections::{HashMap, HashSet};

use antq_core::indicators::{Aggregation, Qualifier};
use antq_core::programmes::FigureSource;
use antq_office::{Cell, Table};
use antq_storage::programmes::figures::{FLAG_BOTH, FLAG_DIFFERS};

use super::{number, Origin, Pivot};
use crate::error::Failure;
use crate::i18n::{self, Lang};
use crate::state::AppState;
use crate::statistics::{self, RollupParams};

/// A period code in words ("2026S1" → "6 tháng đầu năm 2026"); a range
/// ("2013..2023") as "Giai đoạn 2013 – 2023".
pub fn period_words(code: &str) -> String {
    if let Ok(p) = antq_core::periods::Period::parse(code) {
        return p.words_vi();
    }
    match code.split_once("..") {
        Some((a, b)) => antq_core::periods::YearRange::parse(a, Some(b))
            .map(|r| r.words_vi())
            .unwrap_or_else(|_| code.to_string()),
        None => code.to_string(),
    }
}

/// The page listing the register's records behind a figure: the models it
/// counts (new, replicated, in operation, their types), the grassroots
/// organisations in operation at the year's end, the recognitions or the
/// classifications of the year; empty for other figures.
pub fn records_href(
    indicator: &str,
    unit: &str,
    period: &str,
    range: &antq_core::periods::YearRange,
) -> String {
    use antq_storage::registries::figures as f;
    // A year ("2023"), a part of one ("2023S1"), or the whole range.
    let (from, to) = match period.get(..4).and_then(|y| y.parse::<i32>().ok()) {
        Some(y) if !period.contains("..") => (y, y),
        _ => (range.from, range.to),
    };
    let unit = crate::auth::urlencode(unit);
    // Recognition and classification figures are stocks of a year: the
    // range's figure is its last year's.
    // Eligible subjects are units, areas and organisations, not records of
    // the register: nothing to open.
    if indicator == f::assessments::ELIGIBLE {
        return String::new();
    }
    if f::assessments::is_recognition(indicator) {
        let state = if indicator == f::assessments::RECOGNISED {
            "&state=recognised"
        } else {
            ""
        };
        return format!("/an-toan-antt?unit={unit}&unit_pick={unit}&year={to}{state}");
    }
    if let Some(band) = f::assessments::band_of(indicator) {
        return format!(
            "/phan-loai-phong-trao?unit={unit}&unit_pick={unit}&year={to}&band={}",
            band.code()
        );
    }
    let count = match indicator {
        f::NEW_MODELS => "moi",
        f::REPLICATED_MODELS => "nhan_rong",
        f::ACTIVE_MODELS => "hien_co",
        f::MODEL_TYPES => "loai",
        f::MASS_ORGS => {
            return format!("/to-chuc-quan-chung?unit={unit}&at={to}-12-14&mass_org=1");
        }
        _ => return String::new(),
    };
    format!("/mo-hinh?unit={unit}&from={from}&to={to}&count={count}")
}

/// The rollup as a table: one row per group, one column per indicator.
/// Rows are grouped through maps, so the work is linear in the answer
/// (whose size `statistics::rollup` bounds before running it).
pub(super) async fn pivot(
    state: &AppState,
    actor: &antq_storage::accounts::access::Actor,
    p: &RollupParams,
    lang: Lang,
) -> Result<Pivot, Failure> {
    let r = statistics::rollup(state, actor, p).await?;
    let mut groups: Vec<(&str, &str)> = Vec::new();
    let mut seen: HashSet<(&str, &str)> = HashSet::new();
    let mut cell: HashMap<(&str, &str, &str), Option<f64>> = HashMap::new();
    let mut source: HashMap<(&str, &str, &str), Origin> = HashMap::new();
    let mut unit_names: HashMap<&str, &str> = HashMap::new();
    for row in &r.rows {
        let key = (row.period.as_str(), row.unit.as_str());
        if seen.insert(key) {
            groups.push(key);
        }
        cell.entry((key.0, key.1, row.indicator.as_str()))
            .or_insert(row.value);
        let sides = row.form_value.zip(row.register_value);
        source
            .entry((key.0, key.1, row.indicator.as_str()))
            .or_insert((row.source, sides, row.channel_value));
        unit_names
            .entry(row.unit.as_str())
            .or_insert(row.unit_name.as_str());
    }
    let name_of = |unit: &str| unit_names.get(unit).copied().unwrap_or_default();
    let by = p.by.as_deref().unwrap_or("year");
    let by_child = by == "child";
    let by_child_year = by == "child_year";
    if by_child {
        groups.sort_by(|a, b| antq_core::units::official_cmp(a.1, b.1, &r.unit.code));
    }
    let name = |i: &antq_storage::statistics::catalogue::Indicator| match lang {
        Lang::Vi => format!("{} ({})", i.name_vi, i.unit),
        Lang::En => format!("{} ({})", i.name_en, i.unit),
    };
    let first_heading = match (by_child || by_child_year, lang) {
        (true, Lang::Vi) => "Đơn vị",
        (true, Lang::En) => "Unit",
        (false, Lang::Vi) => "Kỳ",
        (false, Lang::En) => "Period",
    };
    let title = format!("{} · {}", r.unit.name, r.range.words_vi());
    let mut table = Table {
        title: title.clone(),
        headers: std::iter::once(first_heading.to_string())
            .chain(r.indicators.iter().map(name))
            .collect(),
        rows: Vec::new(),
    };
    let percent: Vec<bool> = r
        .indicators
        .iter()
        .map(|i| i.aggregation == Aggregation::Ratio)
        .collect();
    // A sum means something for flows, and for stocks across units.
    let summable: Vec<bool> = r
        .indicators
        .iter()
        .map(|i| match i.aggregation {
            Aggregation::Sum => true,
            Aggregation::Latest => by_child,
            Aggregation::Ratio | Aggregation::Distinct => false,
        })
        .collect();
    let mut total: Vec<Option<f64>> = summable.iter().map(|s| s.then_some(0.0)).collect();
    let mut labels = Vec::new();
    let mut series: Vec<Vec<f64>> = vec![Vec::new(); r.indicators.len()];
    let mut sources = Vec::new();
    let mut links = Vec::new();
    for (period, unit) in &groups {
        let (code_label, label) = if by_child {
            (name_of(unit).to_string(), name_of(unit).to_string())
        } else if by_child_year {
            (
                format!("{} {period}", name_of(unit)),
                format!("{}, {}", name_of(unit), period_words(period)),
            )
        } else {
            (period.to_string(), period_words(period))
        };
        let mut cells = vec![Cell::Text(code_label)];
        links.push(
            r.indicators
                .iter()
                .map(|i| {
                    let from_register = source
                        .get(&(*period, *unit, i.code.as_str()))
                        .is_some_and(|s| s.0 != FigureSource::Form);
                    if from_register {
                        records_href(&i.code, unit, period, &r.range)
                    } else {
                        String::new()
                    }
                })
                .collect(),
        );
        sources.push(
            r.indicators
                .iter()
                .map(|i| source.get(&(*period, *unit, i.code.as_str())).copied())
                .collect(),
        );
        for (n, ind) in r.indicators.iter().enumerate() {
            let v = cell
                .get(&(*period, *unit, ind.code.as_str()))
                .copied()
                .flatten();
            cells.push(Cell::from(v));
            series[n].push(v.unwrap_or(0.0));
            if let (Some(t), Some(v)) = (total[n].as_mut(), v) {
                *t += v;
            }
        }
        labels.push(label);
        table.rows.push(cells);
    }
    let charts = if by_child_year {
        Vec::new()
    } else {
        r.indicators
            .iter()
            .zip(&series)
            .filter_map(|(i, values)| {
                let short: Vec<String> = labels
                    .iter()
                    .map(|l| l.strip_prefix("Năm ").unwrap_or(l).to_string())
                    .collect();
                // The picture has no title: its caption names the indicator.
                antq_office::chart::bars(&short, values, &i.unit).map(|svg| {
                    format!(
                        "{svg}<figcaption>{}</figcaption>",
                        crate::error::escape(&name(i))
                    )
                })
            })
            .collect()
    };
    let mut notes = vec![format!(
        "{} · {}",
        if r.approved_only {
            "Chỉ số liệu đã duyệt"
        } else {
            "Gồm cả số liệu chưa duyệt"
        },
        match r.map {
            antq_storage::statistics::analytics::MapMode::Current =>
                "đơn vị cũ dồn vào đơn vị hiện nay",
            antq_storage::statistics::analytics::MapMode::Historical => "đơn vị như tại ngày xem",
        }
    )];
    let names_vi: HashMap<&str, &str> = r
        .indicators
        .iter()
        .map(|i| (i.code.as_str(), i.name_vi.as_str()))
        .collect();
    for row in &r.rows {
        let label = names_vi
            .get(row.indicator.as_str())
            .copied()
            .unwrap_or_default();
        let when = period_words(&row.period);
        if let Some(q) = row.qualifier {
            let word = match q {
                Qualifier::MoreThan => "hơn",
                Qualifier::Nearly => "gần",
                Qualifier::About => "khoảng",
                Qualifier::Exact => "",
            };
            notes.push(format!(
                "{label}, {when}: số liệu gốc có giá trị ước lượng ({word})"
            ));
        }
        if row.flags.iter().any(|f| f == "includes_split_units") {
            notes.push(format!(
                "{label}, {when}: gồm số liệu của đơn vị bị chia tách năm 2025"
            ));
        }
        if row.unapproved > 0.0 {
            notes.push(format!(
                "{label}, {when}: {} chưa được duyệt",
                number(row.unapproved, false)
            ));
        }
        notes.extend(crate::statistics::channel::note(lang, label, &when, row));
        let flag = |f: &str| row.flags.iter().any(|x| x == f);
        if flag("period_not_broken_down") {
            notes.push(format!(
                "{label}, {when}: {}",
                i18n::t(lang, "figures.note_not_broken_down")
            ));
        }
        if flag(FLAG_DIFFERS) {
            notes.push(format!(
                "{label}, {when}: {}",
                i18n::t(lang, "figures.note_differs")
            ));
        } else if flag(FLAG_BOTH) {
            notes.push(format!(
                "{label}, {when}: {}",
                i18n::t(lang, "figures.note_both")
            ));
        }
    }
    notes.dedup();
    Ok(Pivot {
        table,
        labels,
        total,
        percent,
        sources,
        links,
        awards: r
            .indicators
            .iter()
            .any(|i| i.group == antq_storage::programmes::figures::register::AWARD_GROUP),
        title,
        notes,
        approved_only: r.approved_only,
        charts,
        unit_code: r.unit.code.clone(),
        unit_name: r.unit.name.clone(),
        range: r.range,
    })
}
