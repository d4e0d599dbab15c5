//! The pages of the movement classification: the list with band counts and
//! the late, a new sheet, the score sheet with its forms (self-score,
//! submit, review, decide), the printable sheet (Nghị định 30 layout), the
//! templates and rules, the Excel list out and self-scores in.
//!
//! The score sheet, the templates and the Excel pages are in `sheet`,
//! `templates` and `excel_pages`; their routes are here.

use antq_core::dates;
use antq_core::registries::classifications::{Band, SubjectKind};
use antq_storage::registries::classifications as store;
use antq_storage::units;
use askama::Template;
use axum::extract::{Query, State as AxState};
use axum::response::Response;
use axum::routing::{get, post};
use axum::{Form as FormBody, Router};
use serde::Deserialize;

use super::excel_pages::{export, import_form, import_template, import_upload};
use super::sheet::{decide, print, review, score, show, submit};
use super::templates::{save_rules, save_template, templates_page};
use super::{counts, parse_year, shown, unprocessable, ListQuery};
use crate::auth::PageUser;
use crate::error::{Failure, PageResult};
use crate::pages::{render, Chrome};
use crate::state::AppState;
use crate::units::pages::UnitPicker;

pub(super) const BASE: &str = "/phan-loai-phong-trao";

pub fn routes(upload_limit: usize) -> Router<AppState> {
    Router::new()
        .route(BASE, get(list))
        .route("/phan-loai-phong-trao/moi", get(new_form).post(new_create))
        .route("/phan-loai-phong-trao/mau", get(templates_page))
        .route("/phan-loai-phong-trao/mau/quy-dinh", post(save_rules))
        .route("/phan-loai-phong-trao/mau/{id}", post(save_template))
        .route(
            "/phan-loai-phong-trao/nhap",
            get(import_form)
                .post(import_upload)
                .layer(axum::extract::DefaultBodyLimit::max(upload_limit)),
        )
        .route("/phan-loai-phong-trao/xuat", get(export))
        .route("/phan-loai-phong-trao/mau-nhap", get(import_template))
        .route("/phan-loai-phong-trao/{id}", get(show))
        .route("/phan-loai-phong-trao/{id}/in", get(print))
        .route("/phan-loai-phong-trao/{id}/cham-diem", post(score))
        .route("/phan-loai-phong-trao/{id}/gui", post(submit))
        .route("/phan-loai-phong-trao/{id}/cham-lai", post(review))
        .route("/phan-loai-phong-trao/{id}/xep-loai", post(decide))
}

pub(super) fn this_year() -> String {
    use chrono::Datelike;
    dates::today().year().to_string()
}

/// The list's filters as typed.
#[derive(Deserialize, Default)]
pub struct ListParams {
    #[serde(default)]
    unit: String,
    #[serde(default)]
    unit_pick: String,
    #[serde(default)]
    year: String,
    #[serde(default)]
    kind: String,
    #[serde(default)]
    band: String,
}

/// A classification as a row of the list.
pub struct Row {
    pub id: i64,
    pub unit: String,
    pub kind: &'static str,
    pub subject: String,
    pub state: &'static str,
    pub self_points: String,
    pub reviewed_points: String,
    pub band: &'static str,
}

/// Band counts of one kind (or all) as shown.
pub struct CountRow {
    pub kind: &'static str,
    pub counts: Vec<String>,
    pub total: String,
}

/// A late subject as shown.
pub struct LateRow {
    pub kind: &'static str,
    pub subject: String,
    pub unit: String,
    pub deadline: String,
    pub id: Option<i64>,
}

#[derive(Template)]
#[template(path = "registries/classifications/list.html")]
struct ListPage {
    c: Chrome,
    picker: UnitPicker,
    p: ListParams,
    kinds: Vec<(&'static str, &'static str)>,
    bands: Vec<(&'static str, &'static str)>,
    band_names: Vec<&'static str>,
    rows: Vec<Row>,
    counts: Vec<CountRow>,
    late: Vec<LateRow>,
    unit_name: String,
    error: String,
    query: String,
}

/// `GET /phan-loai-phong-trao?unit=&year=`.
pub async fn list(
    AxState(state): AxState<AppState>,
    c: Chrome,
    PageUser(ctx): PageUser,
    Query(mut p): Query<ListParams>,
) -> PageResult<Response> {
    if p.year.trim().is_empty() {
        p.year = this_year();
    }
    let picker = UnitPicker::new(&c, "unit", "cls-filter-unit", c.t("cls.unit"))
        .optional()
        .typed(&p.unit, &p.unit_pick);
    let found = async {
        let year = parse_year(&p.year)?;
        let unit = match p.unit.trim() {
            "" => None,
            t => Some(
                crate::units::service::resolve_unit(
                    &state,
                    t,
                    Some(&p.unit_pick),
                    dates::Date::from_ymd_opt(year, 12, 31).unwrap_or_else(dates::today),
                )
                .await
                .or(crate::units::service::resolve_unit(
                    &state,
                    t,
                    Some(&p.unit_pick),
                    dates::today(),
                )
                .await)?,
            ),
        };
        let q = ListQuery {
            unit: unit.as_ref().map(|u| u.code.clone()),
            year: Some(year.to_string()),
            kind: Some(p.kind.clone()),
            band: Some(p.band.clone()),
        };
        let (f, u) = super::filter(&state.db, Some(&ctx.actor), &q).await?;
        let list = store::list(&state.db, Some(&ctx.actor), &f).await?;
        let all_kinds = antq_storage::registries::classifications::Filter {
            kind: None,
            band: None,
            ..f.clone()
        };
        let counts = counts(&state.db, Some(&ctx.actor), &all_kinds).await?;
        let late = match &u {
            Some(u) => store::late(&state.db, Some(&ctx.actor), u.id, year, dates::today()).await?,
            None => Vec::new(),
        };
        Ok::<_, Failure>((u, list, counts, late))
    }
    .await;
    let (unit, list, cnt, late, error) = match found {
        Ok((u, l, k, late)) => (u, l, k, late, String::new()),
        Err(e) => (
            None,
            Vec::new(),
            Vec::new(),
            Vec::new(),
            crate::error::capitalised(&e.message),
        ),
    };
    let query = match &unit {
        Some(u) => format!(
            "unit={}&year={}",
            crate::auth::urlencode(&u.code),
            crate::auth::urlencode(p.year.trim())
        ),
        None => String::new(),
    };
    let rows = list
        .iter()
        .map(|x| Row {
            id: x.id,
            unit: x.unit.name.clone(),
            kind: x.kind.word_vi(),
            subject: x.subject.clone(),
            state: x.state.word_vi(),
            self_points: shown(x.self_points),
            reviewed_points: shown(x.reviewed_points),
            band: x.band.map(Band::word_vi).unwrap_or(""),
        })
        .collect();
    let counts = cnt
        .iter()
        .map(|k| CountRow {
            kind: k.kind.map(|k| k.word_vi()).unwrap_or(c.t("cls.all_kinds")),
            counts: k
                .counts
                .iter()
                .map(|n| antq_core::text::format_int(*n))
                .collect(),
            total: antq_core::text::format_int(k.total()),
        })
        .collect();
    let late = late
        .into_iter()
        .map(|l| LateRow {
            kind: l.kind.word_vi(),
            subject: l.subject,
            unit: l.unit.name,
            deadline: crate::pages::date_vi(Some(&l.deadline)).unwrap_or(l.deadline),
            id: l.classification_id,
        })
        .collect();
    render(ListPage {
        picker,
        kinds: SubjectKind::ALL
            .iter()
            .map(|k| (k.code(), k.word_vi()))
            .collect(),
        bands: Band::ALL.iter().map(|b| (b.code(), b.word_vi())).collect(),
        band_names: Band::ALL.iter().map(|b| b.word_vi()).collect(),
        rows,
        counts,
        late,
        unit_name: unit.map(|u| u.name).unwrap_or_default(),
        error,
        query,
        p,
        c,
    })
}

/// A subject one may open a sheet for, as a choice of the new page.
pub struct Choice {
    pub value: String,
    pub label: String,
}

#[derive(Template)]
#[template(path = "registries/classifications/new.html")]
struct NewPage {
    c: Chrome,
    picker: UnitPicker,
    year: String,
    unit_code: String,
    unit_name: String,
    choices: Vec<Choice>,
    error: String,
}

#[derive(Deserialize, Default)]
pub struct NewParams {
    #[serde(default)]
    unit: String,
    #[serde(default)]
    unit_pick: String,
    #[serde(default)]
    year: String,
    #[serde(default)]
    subject: String,
}

async fn new_page(
    state: &AppState,
    c: Chrome,
    ctx: &crate::auth::AuthContext,
    p: NewParams,
    err: Option<Failure>,
) -> PageResult<Response> {
    let mut picker =
        UnitPicker::new(&c, "unit", "cls-new-unit", c.t("cls.unit")).typed(&p.unit, &p.unit_pick);
    let year = if p.year.trim().is_empty() {
        this_year()
    } else {
        p.year.trim().to_string()
    };
    let mut choices = Vec::new();
    let mut unit_code = String::new();
    let mut unit_name = String::new();
    let mut error = err
        .as_ref()
        .map(|e| crate::error::capitalised(&e.message))
        .unwrap_or_default();
    if p.unit.trim().is_empty() && p.unit_pick.trim().is_empty() {
        if let Some(o) = crate::units::service::own_unit(state, &ctx.actor, dates::today()).await? {
            picker = picker.typed(&o.name, &o.code);
        }
    } else {
        let y = parse_year(&year).ok();
        let at = y
            .and_then(|y| dates::Date::from_ymd_opt(y, 12, 31))
            .unwrap_or_else(dates::today);
        let resolved =
            match crate::units::service::resolve_unit(state, &p.unit, Some(&p.unit_pick), at).await
            {
                Ok(u) => Ok(u),
                Err(_) => {
                    crate::units::service::resolve_unit(
                        state,
                        &p.unit,
                        Some(&p.unit_pick),
                        dates::today(),
                    )
                    .await
                }
            };
        match resolved {
            Ok(u) => {
                if u.level == antq_core::units::Level::Commune {
                    choices.push(Choice {
                        value: "xa".into(),
                        label: format!("{} ({})", u.name, SubjectKind::Xa.word_vi().to_lowercase()),
                    });
                }
                for a in units::areas::list(&state.db, u.id).await? {
                    choices.push(Choice {
                        value: format!("khu_dan_cu:{}", a.id),
                        label: format!(
                            "{} ({})",
                            a.name,
                            SubjectKind::KhuDanCu.word_vi().to_lowercase()
                        ),
                    });
                }
                for o in units::orgs::list(&state.db, u.id).await? {
                    if matches!(o.kind.as_str(), "agency" | "enterprise" | "school") {
                        choices.push(Choice {
                            value: format!("co_quan:{}", o.id),
                            label: o.name.clone(),
                        });
                    }
                }
                if choices.is_empty() && error.is_empty() {
                    error = format!("{} không có đối tượng nào để phân loại phong trào", u.name);
                }
                unit_code = u.code.clone();
                unit_name = u.name.clone();
            }
            Err(e) if error.is_empty() => error = crate::error::capitalised(&e.message),
            Err(_) => {}
        }
    }
    let status = err.map(|e| e.status);
    let mut res = render(NewPage {
        c,
        picker,
        year,
        unit_code,
        unit_name,
        choices,
        error,
    })?;
    if let Some(s) = status {
        *res.status_mut() = if s.is_client_error() {
            s
        } else {
            axum::http::StatusCode::UNPROCESSABLE_ENTITY
        };
    }
    Ok(res)
}

/// `GET /phan-loai-phong-trao/moi[?unit=&year=]`: pick a unit, then a subject.
pub async fn new_form(
    AxState(state): AxState<AppState>,
    c: Chrome,
    PageUser(ctx): PageUser,
    Query(p): Query<NewParams>,
) -> PageResult<Response> {
    new_page(&state, c, &ctx, p, None).await
}

/// `POST /phan-loai-phong-trao/moi`: open the sheet of the subject chosen.
pub async fn new_create(
    AxState(state): AxState<AppState>,
    c: Chrome,
    PageUser(ctx): PageUser,
    FormBody(p): FormBody<NewParams>,
) -> PageResult<Response> {
    let r = async {
        let year = parse_year(&p.year)?;
        let unit = super::unit_for(&state.db, &p.unit_pick, Some(year)).await;
        let unit = match unit {
            Ok(u) => u,
            Err(_) => {
                crate::units::service::resolve_unit(
                    &state,
                    &p.unit,
                    Some(&p.unit_pick),
                    dates::today(),
                )
                .await?
            }
        };
        let (kind, id) = match p.subject.split_once(':') {
            Some((k, id)) => (k, id.parse::<i64>().ok()),
            None => (p.subject.as_str(), None),
        };
        if p.subject.trim().is_empty() {
            return Err(unprocessable("Chưa chọn đối tượng phân loại"));
        }
        let n = super::NewIn {
            year: i64::from(year),
            unit: unit.code.clone(),
            kind: kind.to_string(),
            area_id: if kind == "khu_dan_cu" { id } else { None },
            organisation_id: if kind == "co_quan" { id } else { None },
        };
        super::create(&state.db, &ctx.actor, &n).await
    }
    .await;
    match r {
        Ok(id) => Ok(crate::pages::done(&format!("{BASE}/{id}"), "msg.created")),
        Err(e) => new_page(&state, c, &ctx, p, Some(e)).await,
    }
}
