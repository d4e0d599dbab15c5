//! The pivot page: choose indicators, a unit, a range, and rows by year,
//! half, quarter, month or child unit; a table and a chart; CSV and Excel.

use std::collections::{HashMap, HashSet};

use antq_core::indicators::{Aggregation, Qualifier};
use antq_core::text::{format_decimal, format_int};
use antq_office::{Cell, Table};
use askama::Template;
use axum::extract::{Query, State};
use axum::response::Response;

use crate::auth::PageUser;
use crate::error::{Failure, PageResult};
use crate::i18n::Lang;
use crate::pages::{render, Chrome};
use crate::state::AppState;
use crate::statistics::{self, Download, RollupParams};

pub struct Choice {
    pub code: String,
    pub name: String,
    pub checked: bool,
}

pub struct PivotRow {
    pub label: String,
    pub cells: Vec<String>,
}

#[derive(Template)]
#[template(path = "data/analysis.html")]
struct AnalysisPage {
    c: Chrome,
    choices: Vec<Choice>,
    unit: String,
    from: String,
    to: String,
    by: String,
    by_options: Vec<(&'static str, &'static str)>,
    map: String,
    approved_only: bool,
    heading: String,
    columns: Vec<String>,
    rows: Vec<PivotRow>,
    chart: String,
    query: String,
    notes: Vec<String>,
    error: String,
}

struct Params {
    raw: Vec<(String, String)>,
    rollup: RollupParams,
    has_query: bool,
}

/// Read the page's query. A parameter with a control character (a newline,
/// a tab) is refused with 400 before anything else: such text is never
/// meant, and must not travel on into names or headers.
fn params(raw: Vec<(String, String)>) -> Result<Params, Failure> {
    if let Some((k, _)) = raw
        .iter()
        .find(|(k, v)| k.chars().chain(v.chars()).any(char::is_control))
    {
        let name: String = k.chars().filter(|c| !c.is_control()).take(40).collect();
        return Err(Failure::bad_request(format!(
            "Tham số \"{name}\" có ký tự điều khiển (xuống dòng, tab), không hợp lệ"
        )));
    }
    let get = |k: &str| {
        raw.iter()
            .find(|(a, _)| a == k)
            .map(|(_, v)| v.trim().to_string())
            .filter(|v| !v.is_empty())
    };
    let indicators: Vec<String> = raw
        .iter()
        .filter(|(k, _)| k == "i")
        .map(|(_, v)| v.clone())
        .collect();
    let has_query = get("unit").is_some();
    Ok(Params {
        rollup: RollupParams {
            indicators: if indicators.is_empty() {
                "tt_buoi,tt_luot".into()
            } else {
                indicators.join(",")
            },
            unit: get("unit").unwrap_or_else(|| "11".into()),
            at: get("at"),
            from: get("from").unwrap_or_else(|| "2013".into()),
            to: get("to").or_else(|| Some("2023".into())),
            by: Some(get("by").unwrap_or_else(|| "year".into())),
            map: get("map"),
            approved_only: get("approved_only").map(|v| v == "1" || v == "true"),
        },
        raw,
        has_query,
    })
}

fn number(x: f64, ratio: bool) -> String {
    if ratio {
        format!("{}%", format_decimal(x, 1))
    } else if x.fract() == 0.0 {
        format_int(x as i64)
    } else {
        format_decimal(x, 3)
    }
}

/// A rollup laid out as a table, and what names its downloads.
struct Pivot {
    table: Table,
    notes: Vec<String>,
    approved_only: bool,
    chart: String,
    /// The unit's code and the range as parsed (never the raw query).
    unit_code: String,
    range: antq_core::periods::YearRange,
}

/// The rollup as a table: one row per group, one column per indicator.
/// Rows are grouped through maps, so the work is linear in the answer
/// (whose size `statistics::rollup` bounds before running it).
async fn pivot(
    state: &AppState,
    actor: &antq_storage::accounts::access::Actor,
    p: &RollupParams,
    lang: Lang,
) -> Result<Pivot, Failure> {
    let r = statistics::rollup(state, actor, p).await?;
    let mut groups: Vec<(&str, &str)> = Vec::new();
    let mut seen: HashSet<(&str, &str)> = HashSet::new();
    let mut cell: HashMap<(&str, &str, &str), Option<f64>> = HashMap::new();
    let mut unit_names: HashMap<&str, &str> = HashMap::new();
    for row in &r.rows {
        let key = (row.period.as_str(), row.unit.as_str());
        if seen.insert(key) {
            groups.push(key);
        }
        cell.entry((key.0, key.1, row.indicator.as_str()))
            .or_insert(row.value);
        unit_names
            .entry(row.unit.as_str())
            .or_insert(row.unit_name.as_str());
    }
    let name_of = |unit: &str| unit_names.get(unit).copied().unwrap_or_default();
    let by_child = p.by.as_deref() == Some("child");
    if by_child {
        groups.sort_by(|a, b| antq_core::text::compare(name_of(a.1), name_of(b.1)));
    }
    let name = |i: &antq_storage::statistics::catalogue::Indicator| match lang {
        Lang::Vi => format!("{} ({})", i.name_vi, i.unit),
        Lang::En => format!("{} ({})", i.name_en, i.unit),
    };
    let mut table = Table {
        title: format!("{} · {}", r.unit.name, r.range.code()),
        headers: std::iter::once(if by_child {
            "Đơn vị".to_string()
        } else {
            "Kỳ".to_string()
        })
        .chain(r.indicators.iter().map(name))
        .collect(),
        rows: Vec::new(),
    };
    let mut chart_labels = Vec::new();
    let mut chart_values = Vec::new();
    for (period, unit) in &groups {
        let label = if by_child {
            name_of(unit).to_string()
        } else {
            period.to_string()
        };
        let mut cells = vec![Cell::Text(label.clone())];
        for (n, ind) in r.indicators.iter().enumerate() {
            let v = cell
                .get(&(*period, *unit, ind.code.as_str()))
                .copied()
                .flatten();
            cells.push(Cell::from(v));
            if n == 0 {
                chart_labels.push(label.clone());
                chart_values.push(v.unwrap_or(0.0));
            }
        }
        table.rows.push(cells);
    }
    let unit_of_first = r
        .indicators
        .first()
        .map(|i| i.unit.clone())
        .unwrap_or_default();
    let chart_title = r.indicators.first().map(name).unwrap_or_default();
    let chart =
        antq_office::chart::bars(&chart_title, &chart_labels, &chart_values, &unit_of_first);
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
        if let Some(q) = row.qualifier {
            let word = match q {
                Qualifier::MoreThan => "hơn",
                Qualifier::Nearly => "gần",
                Qualifier::About => "khoảng",
                Qualifier::Exact => "",
            };
            notes.push(format!(
                "{label}, {}: số liệu gốc có giá trị ước lượng ({word})",
                row.period
            ));
        }
        if row.flags.iter().any(|f| f == "includes_split_units") {
            notes.push(format!(
                "{label}, {}: gồm số liệu của đơn vị bị chia tách năm 2025",
                row.period
            ));
        }
        if row.unapproved > 0.0 {
            notes.push(format!(
                "{label}, {}: {} chưa được duyệt",
                row.period,
                number(row.unapproved, false)
            ));
        }
    }
    notes.dedup();
    Ok(Pivot {
        table,
        notes,
        approved_only: r.approved_only,
        chart,
        unit_code: r.unit.code.clone(),
        range: r.range,
    })
}

pub async fn page(
    State(state): State<AppState>,
    c: Chrome,
    PageUser(ctx): PageUser,
    Query(raw): Query<Vec<(String, String)>>,
) -> PageResult<Response> {
    let p = params(raw)?;
    let catalogue = antq_storage::statistics::catalogue::indicators(&state.db).await?;
    let mut chosen_set = HashSet::new();
    let chosen: Vec<&str> = p
        .rollup
        .indicators
        .split(',')
        .filter(|c| chosen_set.insert(*c))
        .collect();
    let choices = catalogue
        .iter()
        .map(|i| Choice {
            code: i.code.clone(),
            name: if c.lang == Lang::En {
                i.name_en.clone()
            } else {
                i.name_vi.clone()
            },
            checked: chosen_set.contains(i.code.as_str()),
        })
        .collect();
    let ratio: Vec<bool> = chosen
        .iter()
        .map(|code| {
            catalogue
                .iter()
                .any(|i| i.code == *code && i.aggregation == Aggregation::Ratio)
        })
        .collect();
    let mut approved_only = p.rollup.approved_only.unwrap_or(true);
    // A refused request (too large, unknown indicator, no access) still
    // shows the page with its message, under the error's status.
    let mut status = axum::http::StatusCode::OK;
    let (heading, columns, rows, chart, notes, error) = if p.has_query {
        match pivot(&state, &ctx.actor, &p.rollup, c.lang).await {
            Ok(Pivot {
                table,
                notes,
                approved_only: approved,
                chart,
                ..
            }) => {
                approved_only = approved;
                (
                    table.title.clone(),
                    table.headers.clone(),
                    table
                        .rows
                        .iter()
                        .map(|r| PivotRow {
                            label: match &r[0] {
                                Cell::Text(t) => t.clone(),
                                _ => String::new(),
                            },
                            cells: r[1..]
                                .iter()
                                .enumerate()
                                .map(|(n, cell)| match cell {
                                    Cell::Number(x) => {
                                        number(*x, ratio.get(n).copied().unwrap_or(false))
                                    }
                                    _ => "–".to_string(),
                                })
                                .collect(),
                        })
                        .collect(),
                    chart,
                    notes,
                    String::new(),
                )
            }
            Err(e) => {
                status = e.status;
                (
                    String::new(),
                    Vec::new(),
                    Vec::new(),
                    String::new(),
                    Vec::new(),
                    e.message,
                )
            }
        }
    } else {
        (
            String::new(),
            Vec::new(),
            Vec::new(),
            String::new(),
            Vec::new(),
            String::new(),
        )
    };
    let query = p
        .raw
        .iter()
        .map(|(k, v)| {
            format!(
                "{}={}",
                crate::auth::urlencode(k),
                crate::auth::urlencode(v)
            )
        })
        .collect::<Vec<_>>()
        .join("&amp;");
    let mut res = render(AnalysisPage {
        choices,
        unit: p.rollup.unit.clone(),
        from: p.rollup.from.clone(),
        to: p.rollup.to.clone().unwrap_or_default(),
        by: p.rollup.by.clone().unwrap_or_default(),
        by_options: [
            ("year", "analysis.by_year"),
            ("half", "analysis.by_half"),
            ("quarter", "analysis.by_quarter"),
            ("month", "analysis.by_month"),
            ("child", "analysis.by_child"),
        ]
        .iter()
        .map(|(v, k)| (*v, c.t(k)))
        .collect(),
        map: p.rollup.map.clone().unwrap_or_else(|| "current".into()),
        approved_only,
        heading,
        columns,
        rows,
        chart,
        query,
        notes,
        error,
        c,
    })?;
    *res.status_mut() = status;
    Ok(res)
}

async fn export(
    state: &AppState,
    actor: &antq_storage::accounts::access::Actor,
    raw: Vec<(String, String)>,
    xlsx: bool,
    lang: Lang,
) -> PageResult<Response> {
    let p = params(raw)?;
    let Pivot {
        table,
        unit_code,
        range,
        ..
    } = pivot(state, actor, &p.rollup, lang).await?;
    // Named from what was parsed: the unit's stored code and the years.
    let years = if range.from == range.to {
        range.from.to_string()
    } else {
        format!("{}-{}", range.from, range.to)
    };
    let name = format!("phan-tich_{unit_code}_{years}");
    let d = if xlsx {
        Download {
            bytes: antq_office::xlsx::write_table("Phân tích", &table)
                .map_err(|e| Failure::new(axum::http::StatusCode::INTERNAL_SERVER_ERROR, e))?,
            content_type: statistics::XLSX,
            filename: format!("{name}.xlsx"),
        }
    } else {
        Download {
            bytes: table.to_csv(),
            content_type: "text/csv; charset=utf-8",
            filename: format!("{name}.csv"),
        }
    };
    Ok(crate::api::download(d))
}

pub async fn csv(
    State(state): State<AppState>,
    c: Chrome,
    PageUser(ctx): PageUser,
    Query(raw): Query<Vec<(String, String)>>,
) -> PageResult<Response> {
    export(&state, &ctx.actor, raw, false, c.lang).await
}

pub async fn xlsx(
    State(state): State<AppState>,
    c: Chrome,
    PageUser(ctx): PageUser,
    Query(raw): Query<Vec<(String, String)>>,
) -> PageResult<Response> {
    export(&state, &ctx.actor, raw, true, c.lang).await
}
