//! The figures from the registries: the reconciliation view (a unit's
//! reported award figures beside its register's), and where each figure
//! came from. (Owned by the figures work of issue 12.)
//!
//! `GET /api/v1/figures/awards?unit=CODE&from=YYYY&to=YYYY` and the page
//! `/phan-tich/doi-chieu-khen-thuong?unit=&from=&to=`.

use antq_core::auth::Action;
use antq_core::periods::YearRange;
use antq_core::programmes::awards::RecipientKind;
use antq_core::programmes::FigureSource;
use antq_core::text::{format_decimal, format_int};
use antq_core::units::{Level, UnitCode};
use antq_storage::accounts::access::{self, Actor};
use antq_storage::programmes::figures::reconcile::{self, Figure, Reconciliation};
use antq_storage::statistics::analytics::MapMode;
use antq_storage::units::{self, Unit};
use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::get;
use axum::Router;
use serde::{Deserialize, Serialize};

use crate::auth::{ApiUser, PageUser};
use crate::error::{ApiResult, Failure, PageResult};
use crate::extract::{Json, Query};
use crate::pages::{render, Chrome};
use crate::state::AppState;

/// The page of the reconciliation.
pub const PAGE: &str = "/phan-tich/doi-chieu-khen-thuong";

pub fn page_routes() -> Router<AppState> {
    Router::new().route(PAGE, get(page))
}

pub fn api_routes() -> Router<AppState> {
    Router::new().route("/figures/awards", get(api))
}

/// The words for where a figure came from ("biểu báo cáo", "sổ khen thưởng", "cả hai").
pub fn source_words(c: &Chrome, s: FigureSource) -> &'static str {
    c.t(match s {
        FigureSource::Form => "figures.source_form",
        FigureSource::Register => "figures.source_register",
        FigureSource::Both => "figures.source_both",
    })
}

/// A reconciliation asked for, checked: the unit (read access), the years.
struct Asked {
    unit: Unit,
    range: YearRange,
    map: MapMode,
    approved_only: bool,
}

async fn load(
    state: &AppState,
    actor: &Actor,
    unit: Unit,
    from: &str,
    to: Option<&str>,
    map: Option<&str>,
    approved_only: Option<bool>,
) -> Result<(Asked, Reconciliation), Failure> {
    access::require(&state.db, actor, Action::Read, unit.id).await?;
    let range = YearRange::parse(from, to.filter(|t| !t.trim().is_empty()))?;
    let map: MapMode = map.unwrap_or("current").parse()?;
    let approved_only = approved_only.unwrap_or(unit.level != Level::Commune);
    let rec = reconcile::reconcile(&state.db, &unit, range, map, approved_only).await?;
    Ok((
        Asked {
            unit,
            range,
            map,
            approved_only,
        },
        rec,
    ))
}

#[derive(Deserialize)]
pub struct ApiParams {
    unit: Option<String>,
    from: Option<String>,
    to: Option<String>,
    map: Option<String>,
    approved_only: Option<bool>,
}

/// One row of the API: form × issuer × recipient kind × year, the register's
/// count beside the reported figure of the form's indicator and option.
#[derive(Serialize)]
struct ApiRow {
    form: String,
    form_code: Option<String>,
    indicator: Option<String>,
    issuer: Option<String>,
    issuer_code: Option<String>,
    recipient_kind: RecipientKind,
    year: i32,
    count: i64,
    /// The register's count of the indicator, option and year over every issuer.
    register_total: Option<i64>,
    reported: Option<f64>,
    shown: Option<f64>,
    source: FigureSource,
    differs: bool,
}

fn api_rows(rec: &Reconciliation) -> Vec<ApiRow> {
    let figure = |ind: Option<&str>, kind: RecipientKind, year: i32| -> Option<&Figure> {
        rec.figures.iter().find(|f| {
            Some(f.indicator.as_str()) == ind && f.recipient_kind == kind && f.year == year
        })
    };
    let mut rows: Vec<ApiRow> = rec
        .lines
        .iter()
        .map(|l| {
            let f = figure(l.indicator.as_deref(), l.recipient_kind, l.year);
            ApiRow {
                form: l.form.clone(),
                form_code: Some(l.form_code.clone()),
                indicator: l.indicator.clone(),
                issuer: Some(l.issuer.clone()),
                issuer_code: Some(l.issuer_code.clone()),
                recipient_kind: l.recipient_kind,
                year: l.year,
                count: l.count,
                register_total: f.and_then(|f| f.register),
                reported: f.and_then(|f| f.reported),
                shown: f.and_then(|f| f.shown),
                source: f.map(|f| f.source).unwrap_or(FigureSource::Register),
                differs: f.is_some_and(|f| f.differs),
            }
        })
        .collect();
    // Figures reported where the register has nothing: no issuer.
    for f in rec.figures.iter().filter(|f| f.register.is_none()) {
        rows.push(ApiRow {
            form: f.indicator_name.clone(),
            form_code: None,
            indicator: Some(f.indicator.clone()),
            issuer: None,
            issuer_code: None,
            recipient_kind: f.recipient_kind,
            year: f.year,
            count: 0,
            register_total: None,
            reported: f.reported,
            shown: f.shown,
            source: f.source,
            differs: f.differs,
        });
    }
    rows.sort_by_key(|r| r.year);
    rows
}

/// `GET /api/v1/figures/awards`.
pub async fn api(
    State(state): State<AppState>,
    ApiUser(ctx): ApiUser,
    Query(p): Query<ApiParams>,
) -> ApiResult<Json<serde_json::Value>> {
    let need = |v: Option<String>, name: &str| {
        v.filter(|v| !v.trim().is_empty()).ok_or_else(|| {
            Failure::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                format!("Thiếu tham số {name}"),
            )
        })
    };
    let code = need(p.unit, "unit")?;
    let from = need(p.from, "from")?;
    let unit = units::get_at(
        &state.db,
        &UnitCode::parse(&code)?,
        antq_core::dates::today(),
    )
    .await?;
    let (a, rec) = load(
        &state,
        &ctx.actor,
        unit,
        &from,
        p.to.as_deref(),
        p.map.as_deref(),
        p.approved_only,
    )
    .await?;
    Ok(Json(serde_json::json!({
        "unit": a.unit.code,
        "unit_name": a.unit.name,
        "range": a.range.code(),
        "map": match a.map { MapMode::Current => "current", MapMode::Historical => "historical" },
        "approved_only": a.approved_only,
        "rows": api_rows(&rec),
        "figures": rec.figures,
        "pairs": rec.pairs,
    })))
}

/// One line of the page's table by year.
pub struct YearLine {
    pub year: String,
    pub what: String,
    pub register: String,
    pub reported: String,
    pub shown: String,
    pub source: &'static str,
    pub remark: String,
    pub differs: bool,
}

/// A reporting unit and year with both sources.
pub struct PairLine {
    pub year: String,
    pub unit: String,
    pub indicator: String,
    pub register: String,
    pub reported: String,
    pub remark: String,
    pub differs: bool,
}

/// One count of the register by issuer.
pub struct IssuerLine {
    pub year: String,
    pub form: String,
    pub issuer: String,
    pub kind: &'static str,
    pub count: String,
}

#[derive(Template)]
#[template(path = "programmes/figures/reconciliation.html")]
struct ReconciliationPage {
    c: Chrome,
    picker: crate::units::pages::UnitPicker,
    from: String,
    to: String,
    heading: String,
    years: Vec<YearLine>,
    issuers: Vec<IssuerLine>,
    pairs: Vec<PairLine>,
    error: String,
}

fn figure_text(x: Option<f64>) -> String {
    match x {
        Some(x) if x.fract() == 0.0 => format_int(x as i64),
        Some(x) => format_decimal(x, 3),
        None => "–".into(),
    }
}

fn kind_words(c: &Chrome, k: RecipientKind) -> &'static str {
    c.t(match k {
        RecipientKind::Collective => "figures.collective",
        RecipientKind::Individual => "figures.individual",
    })
}

/// The difference in words: never colour alone.
fn remark(c: &Chrome, f: &Figure) -> String {
    match (f.register, f.reported) {
        (Some(r), Some(p)) if (r as f64 - p).abs() > f64::EPSILON => format!(
            "{} {}",
            c.t("figures.differs"),
            figure_text(Some((r as f64 - p).abs()))
        ),
        (Some(_), Some(_)) => c.t("figures.same").to_string(),
        (Some(_), None) => c.t("figures.register_only").to_string(),
        (None, _) => c.t("figures.form_only").to_string(),
    }
}

fn pair_lines(c: &Chrome, rec: &Reconciliation) -> Vec<PairLine> {
    rec.pairs
        .iter()
        .map(|p| PairLine {
            year: p.year.to_string(),
            unit: p.unit_name.clone(),
            indicator: p.indicator_name.clone(),
            register: figure_text(Some(p.register)),
            reported: figure_text(Some(p.reported)),
            remark: if p.differs {
                format!(
                    "{} {}",
                    c.t("figures.differs"),
                    figure_text(Some((p.register - p.reported).abs()))
                )
            } else {
                c.t("figures.same").to_string()
            },
            differs: p.differs,
        })
        .collect()
}

fn lines(c: &Chrome, rec: &Reconciliation) -> (Vec<YearLine>, Vec<IssuerLine>) {
    let years = rec
        .figures
        .iter()
        .map(|f| YearLine {
            year: f.year.to_string(),
            what: format!("{}, {}", f.indicator_name, kind_words(c, f.recipient_kind)),
            register: f.register.map(format_int).unwrap_or_else(|| "–".into()),
            reported: figure_text(f.reported),
            shown: figure_text(f.shown),
            source: source_words(c, f.source),
            remark: remark(c, f),
            differs: f.register.is_some()
                && f.reported
                    .is_some_and(|p| (f.register.unwrap_or(0) as f64 - p).abs() > 0.0),
        })
        .collect();
    let issuers = rec
        .lines
        .iter()
        .map(|l| IssuerLine {
            year: l.year.to_string(),
            form: l.form.clone(),
            issuer: l.issuer.clone(),
            kind: kind_words(c, l.recipient_kind),
            count: format_int(l.count),
        })
        .collect();
    (years, issuers)
}

/// The page's question answered: the unit typed or picked, the years, the
/// data chosen (`map`, `approved_only` as on the analytics page).
async fn answer(
    state: &AppState,
    actor: &Actor,
    (text, pick): (&str, &str),
    (from, to): (&str, &str),
    (map, approved_only): (String, String),
) -> Result<(Asked, Reconciliation), Failure> {
    let today = antq_core::dates::today();
    let unit = crate::units::service::resolve_unit(state, text, Some(pick), today).await?;
    let approved_only = match approved_only.as_str() {
        "1" | "true" => Some(true),
        "0" | "false" => Some(false),
        _ => None,
    };
    let map = Some(map).filter(|m| !m.is_empty());
    load(
        state,
        actor,
        unit,
        from,
        Some(to),
        map.as_deref(),
        approved_only,
    )
    .await
}

/// `/phan-tich/doi-chieu-khen-thuong?unit=&unit_pick=&from=&to=`.
pub async fn page(
    State(state): State<AppState>,
    c: Chrome,
    PageUser(ctx): PageUser,
    Query(raw): Query<Vec<(String, String)>>,
) -> PageResult<Response> {
    let get = |k: &str| {
        raw.iter()
            .find(|(a, _)| a == k)
            .map(|(_, v)| v.trim().to_string())
            .unwrap_or_default()
    };
    let (text, pick) = (get("unit"), get("unit_pick"));
    let year = crate::statistics::analysis::current_reporting_year();
    let from = Some(get("from"))
        .filter(|s| !s.is_empty())
        .unwrap_or_else(|| (year - 4).to_string());
    let to = Some(get("to"))
        .filter(|s| !s.is_empty())
        .unwrap_or_else(|| year.to_string());
    let label = c.t("picker.unit");
    let asked = !text.is_empty() || !pick.is_empty();
    let mut picker = if asked {
        crate::units::pages::UnitPicker::new(&c, "unit", "unit", label).typed(&text, &pick)
    } else {
        crate::units::pages::UnitPicker::own(&state, &c, &ctx.actor, "unit", "unit", label).await?
    };
    let mut status = axum::http::StatusCode::OK;
    let (mut heading, mut years, mut issuers, mut pairs, mut error) = (
        String::new(),
        Vec::new(),
        Vec::new(),
        Vec::new(),
        String::new(),
    );
    if asked {
        let today = antq_core::dates::today();
        let choice = (get("map"), get("approved_only"));
        let result = answer(&state, &ctx.actor, (&text, &pick), (&from, &to), choice).await;
        match result {
            Ok((a, rec)) => {
                if let Some(o) =
                    crate::units::service::describe(&state, std::slice::from_ref(&a.unit), today)
                        .await?
                        .first()
                {
                    picker = picker.with(Some(o));
                }
                heading = format!("{} · {}", a.unit.name, a.range.words_vi());
                (years, issuers) = lines(&c, &rec);
                pairs = pair_lines(&c, &rec);
            }
            Err(e) => {
                status = e.status;
                error = crate::error::capitalised(&e.message);
            }
        }
    }
    let mut res = render(ReconciliationPage {
        picker,
        from,
        to,
        heading,
        years,
        issuers,
        pairs,
        error,
        c,
    })?;
    *res.status_mut() = status;
    Ok(res)
}
