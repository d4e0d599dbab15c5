//! The pivot page: choose indicators, a unit, a range, and rows by year,
//! half, quarter, month or child unit; a table and a chart; CSV and Excel.
//!
//! The rollup is laid out as a table in `pivot`; the page, its query and
//! the downloads are here.

pub mod pivot;

use std::collections::HashSet;

use antq_core::text::{format_decimal, format_int};
use antq_office::{Cell, Table};
use askama::Template;
use axum::extract::{Query, State};
use axum::response::Response;

use self::pivot::pivot;
use crate::auth::PageUser;
use crate::error::{Failure, PageResult};
use crate::i18n::Lang;
use crate::pages::{render, Chrome};
use crate::state::AppState;
use crate::statistics::{self, Download, RollupParams};
use antq_core::programmes::FigureSource;

pub struct Choice {
    pub code: String,
    pub name: String,
    pub checked: bool,
}

/// Where a figure came from, when from both sources each one's own figure
/// (forms, registers), and beside a count of information from citizens the
/// tips received through antq's channel.
type Origin = (FigureSource, Option<(f64, f64)>, Option<f64>);

/// Where a figure came from, in words; when from both a form and a
/// register, each one's own figure ("cả hai …: biểu báo cáo 4; sổ theo dõi 7").
fn source_text(c: &Chrome, origin: Option<Origin>, percent: bool) -> String {
    let Some((s, sides, _)) = origin else {
        return String::new();
    };
    let words = crate::programmes::figures::source_words(c, s);
    match sides {
        Some((form, register)) => format!(
            "{words}: {} {}; {} {}",
            c.t("figures.form_alone"),
            number(form, percent),
            c.t("figures.register_alone"),
            number(register, percent)
        ),
        None => words.to_string(),
    }
}

/// The two figures of a cell whose form and register differ, said
/// visibly under it ("biểu báo cáo 4 · sổ theo dõi 7"); empty otherwise.
fn sides_text(c: &Chrome, origin: Option<Origin>, percent: bool) -> String {
    match origin {
        Some((_, _, Some(channel))) => {
            format!("{} {}", c.t("figures.channel"), number(channel, false))
        }
        Some((_, Some((form, register)), _)) if form != register => format!(
            "{} {} · {} {}",
            c.t("figures.form_alone"),
            number(form, percent),
            c.t("figures.register_alone"),
            number(register, percent)
        ),
        _ => String::new(),
    }
}

pub struct PivotRow {
    pub label: String,
    pub cells: Vec<PivotCell>,
}

/// A figure of the pivot and where it came from, in words (empty for totals).
pub struct PivotCell {
    pub text: String,
    pub source: String,
    /// When the form and the register differ, both figures, shown under it.
    pub sides: String,
    /// The register's records behind the figure (empty: none to open).
    pub href: String,
}

#[derive(Template)]
#[template(path = "data/analysis.html")]
struct AnalysisPage {
    c: Chrome,
    choices: Vec<Choice>,
    picker: crate::units::pages::UnitPicker,
    from: String,
    to: String,
    by: String,
    by_options: Vec<(&'static str, &'static str)>,
    map: String,
    approved_only: bool,
    heading: String,
    columns: Vec<String>,
    rows: Vec<PivotRow>,
    total: Option<PivotRow>,
    charts: Vec<String>,
    query: String,
    notes: Vec<String>,
    /// The reconciliation page of the unit and years, when award indicators are shown.
    reconcile: String,
    error: String,
    error_list: Vec<String>,
}

struct Params {
    raw: Vec<(String, String)>,
    rollup: RollupParams,
    /// The unit as typed (a name or a code) and the code the picker kept.
    unit_text: String,
    unit_pick: String,
    has_query: bool,
}

/// The reporting year that contains today (15/12 of the year before → 14/12).
pub fn current_reporting_year() -> i32 {
    use chrono::Datelike as _;
    let today = antq_core::dates::today();
    if today.month() == 12 && today.day() >= 15 {
        today.year() + 1
    } else {
        today.year()
    }
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
    let has_query = get("unit").is_some() || get("unit_pick").is_some();
    let year = current_reporting_year();
    Ok(Params {
        unit_text: get("unit").unwrap_or_default(),
        unit_pick: get("unit_pick").unwrap_or_default(),
        rollup: RollupParams {
            indicators: if indicators.is_empty() {
                "tt_buoi,tt_luot".into()
            } else {
                indicators.join(",")
            },
            // Resolved from `unit_text` and `unit_pick` before use.
            unit: String::new(),
            at: get("at"),
            from: get("from").unwrap_or_else(|| (year - 4).to_string()),
            to: get("to").or_else(|| Some(year.to_string())),
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
    /// The machine table (period codes, plain numbers): the CSV.
    table: Table,
    /// The rows' labels for people: periods in words, unit names.
    labels: Vec<String>,
    /// The sum of each column where a sum means something (flows; stocks
    /// across units), else `None`.
    total: Vec<Option<f64>>,
    /// For each indicator: a percentage?
    percent: Vec<bool>,
    /// For each row and indicator: where the figure came from, and when
    /// from both, each side's own figure (forms, registers).
    sources: Vec<Vec<Option<Origin>>>,
    /// For each row and indicator: the register's records behind it, if any.
    links: Vec<Vec<String>>,
    /// An award indicator is shown.
    awards: bool,
    /// "Tỉnh Điện Biên · Giai đoạn 2022 – 2026".
    title: String,
    notes: Vec<String>,
    approved_only: bool,
    /// One chart per indicator (small multiples).
    charts: Vec<String>,
    /// The unit's code and the range as parsed (never the raw query).
    unit_code: String,
    unit_name: String,
    range: antq_core::periods::YearRange,
}

/// The unit of the query, from what was typed or picked.
async fn resolve(state: &AppState, p: &mut Params) -> Result<(), Failure> {
    let at = crate::units::service::date_or_today(p.rollup.at.as_deref())?;
    let unit =
        crate::units::service::resolve_unit(state, &p.unit_text, Some(p.unit_pick.as_str()), at)
            .await?;
    p.rollup.unit = unit.code;
    Ok(())
}

fn shown(x: Option<f64>, percent: bool) -> String {
    match x {
        Some(x) => number(x, percent),
        None => "–".to_string(),
    }
}

pub async fn page(
    State(state): State<AppState>,
    c: Chrome,
    PageUser(ctx): PageUser,
    Query(raw): Query<Vec<(String, String)>>,
) -> PageResult<Response> {
    let mut p = params(raw)?;
    let catalogue = antq_storage::statistics::catalogue::indicators(&state.db).await?;
    let mut chosen_set = HashSet::new();
    for code in p.rollup.indicators.split(',') {
        chosen_set.insert(code.to_string());
    }
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
    let label = c.t("picker.unit");
    let mut picker = if p.has_query {
        crate::units::pages::UnitPicker::new(&c, "unit", "unit", label)
            .typed(&p.unit_text, &p.unit_pick)
    } else {
        crate::units::pages::UnitPicker::own(&state, &c, &ctx.actor, "unit", "unit", label).await?
    };
    let mut approved_only = p.rollup.approved_only.unwrap_or(true);
    // A refused request (too large, unknown indicator, no access, a unit
    // name several units share) still shows the page with its message,
    // under the error's status.
    let mut status = axum::http::StatusCode::OK;
    let mut view = (
        String::new(),
        Vec::new(),
        Vec::new(),
        None,
        Vec::new(),
        Vec::new(),
    );
    let mut error = String::new();
    let mut error_list = Vec::new();
    let mut reconcile = String::new();
    if p.has_query {
        let result = match resolve(&state, &mut p).await {
            Ok(()) => pivot(&state, &ctx.actor, &p.rollup, c.lang).await,
            Err(e) => Err(e),
        };
        match result {
            Ok(pv) => {
                approved_only = pv.approved_only;
                if let Ok(u) = crate::units::service::unit_at(
                    &state,
                    &pv.unit_code,
                    crate::units::service::date_or_today(p.rollup.at.as_deref())?,
                )
                .await
                {
                    let at = crate::units::service::date_or_today(p.rollup.at.as_deref())?;
                    if let Some(o) = crate::units::service::describe(&state, &[u], at)
                        .await?
                        .first()
                    {
                        picker = picker.with(Some(o));
                    }
                }
                let rows = pv
                    .table
                    .rows
                    .iter()
                    .zip(&pv.labels)
                    .zip(&pv.sources)
                    .zip(&pv.links)
                    .map(|(((r, label), sources), links)| PivotRow {
                        label: label.clone(),
                        cells: r[1..]
                            .iter()
                            .zip(sources)
                            .zip(links)
                            .enumerate()
                            .map(|(n, ((cell, s), href))| PivotCell {
                                href: href.clone(),
                                text: match cell {
                                    Cell::Number(x) => {
                                        number(*x, pv.percent.get(n).copied().unwrap_or(false))
                                    }
                                    _ => "–".to_string(),
                                },
                                source: source_text(
                                    &c,
                                    *s,
                                    pv.percent.get(n).copied().unwrap_or(false),
                                ),
                                sides: sides_text(
                                    &c,
                                    *s,
                                    pv.percent.get(n).copied().unwrap_or(false),
                                ),
                            })
                            .collect(),
                    })
                    .collect();
                if pv.awards {
                    reconcile = format!(
                        "{}?unit={}&amp;from={}&amp;to={}&amp;approved_only={}&amp;map={}",
                        crate::programmes::figures::PAGE,
                        crate::auth::urlencode(&pv.unit_code),
                        pv.range.from,
                        pv.range.to,
                        u8::from(pv.approved_only),
                        crate::auth::urlencode(p.rollup.map.as_deref().unwrap_or("current"))
                    );
                }
                let total = (!pv.table.rows.is_empty() && pv.total.iter().any(Option::is_some))
                    .then(|| PivotRow {
                        label: c.t("picker.total").to_string(),
                        cells: pv
                            .total
                            .iter()
                            .zip(&pv.percent)
                            .map(|(t, pct)| PivotCell {
                                text: shown(*t, *pct),
                                source: String::new(),
                                sides: String::new(),
                                href: String::new(),
                            })
                            .collect(),
                    });
                view = (
                    pv.title.clone(),
                    pv.table.headers.clone(),
                    rows,
                    total,
                    pv.charts,
                    pv.notes,
                );
            }
            Err(e) => {
                status = e.status;
                error = crate::error::capitalised(&e.message);
                error_list = e.errors;
            }
        }
    }
    let (heading, columns, rows, total, charts, notes) = view;
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
        picker,
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
        total,
        charts,
        query,
        notes,
        reconcile,
        error,
        error_list,
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
    let mut p = params(raw)?;
    resolve(state, &mut p).await?;
    let pv = pivot(state, actor, &p.rollup, lang).await?;
    // Named from what was parsed: the unit's stored code and the years.
    let years = if pv.range.from == pv.range.to {
        pv.range.from.to_string()
    } else {
        format!("{}-{}", pv.range.from, pv.range.to)
    };
    let name = format!("phan-tich_{}_{years}", pv.unit_code);
    let d = if xlsx {
        Download {
            bytes: people_workbook(&pv)
                .map_err(|e| Failure::new(axum::http::StatusCode::INTERNAL_SERVER_ERROR, e))?,
            content_type: statistics::XLSX,
            filename: format!("{name}.xlsx"),
        }
    } else {
        Download {
            bytes: pv.table.to_csv(),
            content_type: "text/csv; charset=utf-8",
            filename: format!("{name}.csv"),
        }
    };
    Ok(crate::api::download(d))
}

/// The pivot as people read it: the unit's name and the range in words on
/// top, periods in words, numbers as numbers, a total row, the notes.
fn people_workbook(pv: &Pivot) -> Result<Vec<u8>, String> {
    let mut table = pv.table.clone();
    for (row, label) in table.rows.iter_mut().zip(&pv.labels) {
        row[0] = Cell::Text(label.clone());
    }
    let total: Option<Vec<Cell>> = pv.total.iter().any(Option::is_some).then(|| {
        std::iter::once(Cell::Text("Tổng cộng".into()))
            .chain(pv.total.iter().map(|t| Cell::from(*t)))
            .collect()
    });
    let lines = vec![
        format!("Đơn vị: {}", pv.unit_name),
        format!(
            "Thời gian: {} · Ngày lập: {}",
            pv.range.words_vi(),
            antq_core::dates::format_vi(antq_core::dates::today())
        ),
    ];
    antq_office::xlsx::write_people_table(
        "Phân tích",
        &antq_office::xlsx::PeopleTable {
            title: &pv.title,
            lines: &lines,
            table: &table,
            total: total.as_deref(),
            percent: &pv.percent,
            notes: &pv.notes,
        },
    )
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
