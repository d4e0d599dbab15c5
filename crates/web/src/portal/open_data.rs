//! "Số liệu phong trào": the movement's approved figures as open data.
//! Public pages `/so-lieu-phong-trao` (the nation: by year, and by province
//! in today's map) and `/so-lieu-phong-trao/{province code}` (by year, and
//! by commune for the indicators public down to communes), with charts and
//! downloads (`?tai-ve=csv|xlsx`). What is public is storage's decision
//! (`portal::open_data`); a national administrator chooses it at
//! `/quan-tri/so-lieu-cong-khai` (and `GET|PUT /api/v1/open-data/indicators`).

use antq_core::text::{format_decimal, format_int};
use antq_core::units::UnitCode;
use antq_office::table::{Cell, Table};
use antq_storage::portal::open_data::{self, Lowest, OpenFigures};
use antq_storage::statistics::catalogue;
use antq_storage::units;
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Form, Router};
use serde::Deserialize;
use serde_json::{json, Value};

use crate::auth::{ApiUser, PageUser};
use crate::error::{ApiResult, Failure, PageResult};
use crate::extract::Json;
use crate::pages::{date_vi, done_text, failed, render, Chrome};
use crate::state::AppState;
use crate::statistics::{Download, XLSX};

pub fn page_routes() -> Router<AppState> {
    Router::new()
        .route("/so-lieu-phong-trao", get(nation))
        .route("/so-lieu-phong-trao/{code}", get(province))
        .route(
            "/quan-tri/so-lieu-cong-khai",
            get(admin_page).post(admin_save),
        )
}

pub fn api_routes() -> Router<AppState> {
    Router::new().route("/open-data/indicators", get(api_list).put(api_set))
}

/// A figure the Vietnamese way: 4.378; 64,5%; 12,3.
pub fn figure(v: f64, unit: &str) -> String {
    if unit.trim() == "%" {
        format!("{}%", format_decimal(v, 1))
    } else if v.fract() == 0.0 && v.abs() < 9e15 {
        format_int(v as i64)
    } else {
        format_decimal(v, 1)
    }
}

#[derive(Deserialize)]
struct PageQuery {
    nam: Option<String>,
    #[serde(rename = "tai-ve")]
    download: Option<String>,
}

pub struct YearCell {
    pub year: String,
    pub value: String,
}

pub struct IndicatorView {
    pub anchor: String,
    pub name: String,
    pub unit: String,
    pub chart: Option<String>,
    pub years: Vec<YearCell>,
}

pub struct ChildRow {
    pub name: String,
    pub href: Option<String>,
    pub values: Vec<String>,
}

#[derive(Template)]
#[template(path = "portal/open_data.html")]
struct FiguresPage {
    c: Chrome,
    title: String,
    place: String,
    is_nation: bool,
    source: String,
    updated: String,
    indicators: Vec<IndicatorView>,
    year: i32,
    years: Vec<i32>,
    child_word: &'static str,
    child_heads: Vec<String>,
    child_rows: Vec<ChildRow>,
    base: String,
    /// "Năm 2026: 3 trên 103 đơn vị …" for each year not all approved yet.
    incomplete: Vec<String>,
    /// Is the breakdown's year one of them?
    year_incomplete: bool,
}

/// "Năm 2026 chưa đủ số liệu: 3 trên 103 đơn vị phải báo cáo đã có báo cáo được duyệt."
fn incomplete_words(year: i32, c: &antq_core::reviews::document::DataCoverage) -> String {
    if c.units_approved == 0 {
        return format!(
            "Năm {year} chưa có số liệu được duyệt: chưa đơn vị nào trong {} đơn vị phải báo cáo có báo cáo được duyệt.",
            format_int(c.units_expected as i64)
        );
    }
    format!(
        "Năm {year} chưa đủ số liệu: {} trên {} đơn vị phải báo cáo đã có báo cáo được duyệt; số liệu của năm này chỉ gồm các đơn vị đó.",
        format_int(c.units_approved as i64),
        format_int(c.units_expected as i64)
    )
}

/// "Đủ", or "Chưa đủ: 43/46 đơn vị" for a year of the downloads.
fn completeness(f: &OpenFigures, year: &str) -> String {
    match f.incomplete.iter().find(|(y, _)| y.to_string() == year) {
        Some((_, c)) => format!(
            "Chưa đủ: {}/{} đơn vị",
            format_int(c.units_approved as i64),
            format_int(c.units_expected as i64)
        ),
        None => "Đủ".to_string(),
    }
}

/// A year as the page and its charts label it: "2025 (chưa đủ)" when not
/// every unit's reports are approved.
fn year_label(f: &OpenFigures, year: &str) -> String {
    if f.incomplete.iter().any(|(y, _)| y.to_string() == year) {
        format!("{year} (chưa đủ)")
    } else {
        year.to_string()
    }
}

async fn nation(
    State(state): State<AppState>,
    c: Chrome,
    Query(q): Query<PageQuery>,
) -> PageResult<Response> {
    show(&state, c, "VN", q).await
}

async fn province(
    State(state): State<AppState>,
    c: Chrome,
    Path(code): Path<String>,
    Query(q): Query<PageQuery>,
) -> PageResult<Response> {
    show(&state, c, &code, q).await
}

fn not_public() -> Failure {
    Failure::not_found(
        "trang số liệu phong trào này: chỉ có trang của cả nước và của từng tỉnh, thành phố",
    )
}

async fn figures_of(
    state: &AppState,
    code: &str,
    q: &PageQuery,
) -> Result<std::sync::Arc<OpenFigures>, Failure> {
    let code = UnitCode::parse(code.trim()).map_err(|_| not_public())?;
    let unit = units::find_at(&state.db, &code, antq_core::dates::today())
        .await?
        .ok_or_else(not_public)?;
    let range = open_data::years();
    let year = match q.nam.as_deref().map(str::trim).filter(|y| !y.is_empty()) {
        None => None,
        Some(y) => Some(
            y.parse::<i32>()
                .ok()
                .filter(|y| (range.from..=range.to).contains(y))
                .ok_or_else(|| {
                    Failure::gone(format!(
                        "Không có số liệu năm \u{201C}{}\u{201D}: trang này có số liệu từ năm {} đến năm {}",
                        y.chars().take(10).collect::<String>(),
                        range.from,
                        range.to
                    ))
                })?,
        ),
    };
    state
        .open_data
        .figures(&state.reader, &unit, year)
        .await
        .map_err(|e| match e {
            antq_storage::StorageError::NotFound(_) => not_public(),
            e => e.into(),
        })
}

fn source_words(f: &OpenFigures) -> String {
    format!("Số liệu đã duyệt của {}", place_words(f))
}

fn place_words(f: &OpenFigures) -> String {
    if f.unit.level == antq_core::units::Level::Nation {
        "các tỉnh, thành phố (cả nước)".to_string()
    } else {
        f.unit.name.clone()
    }
}

fn updated_words(f: &OpenFigures) -> String {
    f.approved_at
        .as_deref()
        .and_then(|t| date_vi(Some(&t[..t.len().min(10)])))
        .unwrap_or_default()
}

async fn show(state: &AppState, c: Chrome, code: &str, q: PageQuery) -> PageResult<Response> {
    let f = figures_of(state, code, &q).await?;
    match q.download.as_deref() {
        Some("csv") => return Ok(download(&f, false)?.into_response()),
        Some("xlsx") => return Ok(download(&f, true)?.into_response()),
        Some(_) => {
            return Err(Failure::bad_request("Chỉ tải về được tệp csv hoặc xlsx").into());
        }
        None => {}
    }
    let is_nation = f.unit.level == antq_core::units::Level::Nation;
    let indicators = f
        .indicators
        .iter()
        .map(|(ind, _)| {
            let mut rows: Vec<(String, f64)> = f
                .by_year
                .iter()
                .filter(|r| r.indicator == ind.code)
                .filter_map(|r| r.value.map(|v| (r.period.clone(), v)))
                .collect();
            rows.sort_by(|a, b| a.0.cmp(&b.0));
            let labels: Vec<String> = rows.iter().map(|r| year_label(&f, &r.0)).collect();
            let values: Vec<f64> = rows.iter().map(|r| r.1).collect();
            IndicatorView {
                anchor: format!("chi-tieu-{}", ind.code.replace('_', "-")),
                name: ind.name_vi.clone(),
                unit: ind.unit.clone(),
                chart: antq_office::chart::bars(&labels, &values, &ind.unit),
                years: rows
                    .iter()
                    .map(|(y, v)| YearCell {
                        year: year_label(&f, y),
                        value: figure(*v, &ind.unit),
                    })
                    .collect(),
            }
        })
        .collect();
    let child_inds: Vec<_> = f
        .indicators
        .iter()
        .filter(|(i, _)| f.child_indicators.contains(&i.code))
        .collect();
    let mut names: Vec<(String, String)> = Vec::new();
    for r in &f.by_child {
        if !names.iter().any(|(c, _)| c == &r.unit) {
            names.push((r.unit.clone(), r.unit_name.clone()));
        }
    }
    names.sort_by(|a, b| antq_core::text::compare(&a.1, &b.1));
    let child_rows = names
        .iter()
        .map(|(code, name)| ChildRow {
            name: name.clone(),
            href: is_nation.then(|| format!("/so-lieu-phong-trao/{code}")),
            values: child_inds
                .iter()
                .map(|(i, _)| {
                    f.by_child
                        .iter()
                        .find(|r| &r.unit == code && r.indicator == i.code)
                        .and_then(|r| r.value)
                        .map(|v| figure(v, &i.unit))
                        .unwrap_or_else(|| "—".into())
                })
                .collect(),
        })
        .collect();
    let place = if is_nation {
        "Cả nước".to_string()
    } else {
        f.unit.name.clone()
    };
    let base = if is_nation {
        "/so-lieu-phong-trao".to_string()
    } else {
        format!("/so-lieu-phong-trao/{}", f.unit.code)
    };
    render(FiguresPage {
        c,
        title: format!("Số liệu phong trào · {place}"),
        place,
        is_nation,
        source: source_words(&f),
        updated: updated_words(&f),
        indicators,
        year: f.year,
        years: (f.range.from..=f.range.to).rev().collect(),
        child_word: if is_nation {
            "Tỉnh, thành phố"
        } else {
            "Xã, phường, đặc khu"
        },
        child_heads: child_inds
            .iter()
            .map(|(i, _)| format!("{} ({})", i.name_vi, i.unit))
            .collect(),
        child_rows,
        base,
        incomplete: f
            .incomplete
            .iter()
            .map(|(y, c)| incomplete_words(*y, c))
            .collect(),
        year_incomplete: f.incomplete.iter().any(|(y, _)| *y == f.year),
    })
}

/// The figures as a file: one row a figure, with its source and date.
fn download(f: &OpenFigures, xlsx: bool) -> Result<Download, Failure> {
    let source = source_words(f);
    let updated = updated_words(f);
    let mut rows = Vec::new();
    for (rows_of, by_child) in [(&f.by_year, false), (&f.by_child, true)] {
        for r in rows_of.iter() {
            let Some((ind, _)) = f.indicators.iter().find(|(i, _)| i.code == r.indicator) else {
                continue;
            };
            let Some(v) = r.value else { continue };
            let year = if by_child {
                f.year.to_string()
            } else {
                r.period.clone()
            };
            rows.push(vec![
                Cell::Text(r.unit_name.clone()),
                Cell::Text(r.unit.clone()),
                Cell::Text(ind.name_vi.clone()),
                Cell::Text(ind.unit.clone()),
                Cell::Text(year.clone()),
                Cell::Number(v),
                Cell::Text(completeness(f, &year)),
                Cell::Text(source.clone()),
                Cell::Text(updated.clone()),
            ]);
        }
    }
    let table = Table {
        title: format!("Số liệu phong trào · {}", f.unit.name),
        headers: [
            "Đơn vị",
            "Mã đơn vị",
            "Chỉ tiêu",
            "Đơn vị tính",
            "Năm",
            "Giá trị",
            "Số liệu của năm",
            "Nguồn",
            "Cập nhật",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect(),
        rows,
    };
    let stem = format!("so-lieu-phong-trao-{}", f.unit.code);
    Ok(if xlsx {
        Download {
            bytes: antq_office::xlsx::write_table("Số liệu", &table)
                .map_err(|e| Failure::new(StatusCode::INTERNAL_SERVER_ERROR, e))?,
            content_type: XLSX,
            filename: format!("{stem}.xlsx"),
        }
    } else {
        Download {
            bytes: table.to_csv(),
            content_type: "text/csv; charset=utf-8",
            filename: format!("{stem}.csv"),
        }
    })
}

pub struct ChoiceRow {
    pub code: String,
    pub name: String,
    pub unit: String,
    /// "", "province" or "commune".
    pub level: &'static str,
}

#[derive(Template)]
#[template(path = "portal/open_data_admin.html")]
struct AdminPage {
    c: Chrome,
    rows: Vec<ChoiceRow>,
}

fn require_chooser(actor: &antq_storage::accounts::access::Actor) -> Result<(), Failure> {
    if open_data::may_choose(actor) {
        Ok(())
    } else {
        Err(Failure::new(
            StatusCode::FORBIDDEN,
            "Chỉ quản trị viên cấp toàn quốc được chọn số liệu công khai",
        ))
    }
}

async fn admin_page(
    State(state): State<AppState>,
    PageUser(ctx): PageUser,
    c: Chrome,
) -> PageResult<Response> {
    require_chooser(&ctx.actor)?;
    let public = open_data::list(&state.db).await?;
    let rows = catalogue::indicators(&state.db)
        .await?
        .into_iter()
        .map(|i| ChoiceRow {
            level: public
                .iter()
                .find(|p| p.code == i.code)
                .map(|p| p.lowest_level.as_str())
                .unwrap_or(""),
            code: i.code,
            name: i.name_vi,
            unit: i.unit,
        })
        .collect();
    render(AdminPage { c, rows })
}

/// Each indicator's field `lv_{code}`: "" (not public), "province", "commune".
async fn admin_save(
    State(state): State<AppState>,
    PageUser(ctx): PageUser,
    Form(raw): Form<Vec<(String, String)>>,
) -> Response {
    const TO: &str = "/quan-tri/so-lieu-cong-khai";
    if let Err(e) = require_chooser(&ctx.actor) {
        return crate::error::PageError(e).into_response();
    }
    if raw.len() > 2_000 {
        return failed(TO, Failure::bad_request("Biểu mẫu có quá nhiều trường"));
    }
    let mut choices = Vec::new();
    for (k, v) in raw {
        let Some(code) = k.strip_prefix("lv_") else {
            continue;
        };
        if v.trim().is_empty() {
            continue;
        }
        match Lowest::parse(&v) {
            Ok(l) => choices.push((code.to_string(), l)),
            Err(e) => return failed(TO, e.into()),
        }
    }
    match open_data::set(&state.db, &ctx.actor, &choices).await {
        Ok(()) => done_text(
            TO,
            &format!(
                "Đã lưu: {} chỉ tiêu được công khai",
                format_int(choices.len() as i64)
            ),
        ),
        Err(e) => failed(TO, e.into()),
    }
}

async fn api_list(State(state): State<AppState>, ApiUser(ctx): ApiUser) -> ApiResult<Json<Value>> {
    require_chooser(&ctx.actor)?;
    Ok(Json(json!({"items": open_data::list(&state.db).await?})))
}

#[derive(Deserialize)]
struct ChoiceBody {
    indicator: String,
    lowest_level: String,
}

#[derive(Deserialize)]
struct ChoicesBody {
    items: Vec<ChoiceBody>,
}

async fn api_set(
    State(state): State<AppState>,
    ApiUser(ctx): ApiUser,
    Json(b): Json<ChoicesBody>,
) -> ApiResult<Json<Value>> {
    require_chooser(&ctx.actor)?;
    let choices = b
        .items
        .into_iter()
        .map(|c| {
            Ok((
                c.indicator.trim().to_string(),
                Lowest::parse(&c.lowest_level)?,
            ))
        })
        .collect::<Result<Vec<_>, antq_core::DomainError>>()?;
    open_data::set(&state.db, &ctx.actor, &choices).await?;
    Ok(Json(json!({"items": open_data::list(&state.db).await?})))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn figures_are_written_the_vietnamese_way() {
        assert_eq!(figure(4378.0, "tổ chức"), "4.378");
        assert_eq!(figure(64.5, "%"), "64,5%");
        assert_eq!(figure(12.26, "người"), "12,3");
    }
}
