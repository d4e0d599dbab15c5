//! The pages of the recognition register: the list with the summary by
//! kind (`/an-toan-antt`), the registration form, a record with its
//! dossier, checklist and decision, the register in and out, and the
//! criteria (national administrators edit them).
//!
//! A record's page, the Excel pages and the criteria are in `record`,
//! `excel_pages` and `criteria`; their routes are here.

use antq_core::dates;
use antq_core::registries::recognitions::{self as rules, RecognitionState, SubjectKind};
use antq_core::text;
use antq_storage::registries::recognitions as store;
use askama::Template;
use axum::extract::{Query, State};
use axum::response::Response;
use axum::routing::{get, post};
use axum::{Form as FormBody, Router};
use serde::Deserialize;

use super::criteria::{criteria, save_criterion, save_rules};
use super::excel_pages::{export, import_form, import_upload, template};
use super::record::{checks, decide, download, show, upload};
use super::{ListQuery, RegisterIn};
use crate::auth::PageUser;
use crate::error::{Failure, PageResult};
use crate::pages::{render, Chrome};
use crate::state::AppState;
use crate::units::pages::UnitPicker;

/// The page routes; `upload_limit` bounds the bodies of upload routes.
pub fn routes(upload_limit: usize) -> Router<AppState> {
    let limit = axum::extract::DefaultBodyLimit::max(upload_limit);
    Router::new()
        .route("/an-toan-antt", get(list))
        .route("/an-toan-antt/dang-ky", get(register_form).post(register))
        .route("/an-toan-antt/xuat", get(export))
        .route("/an-toan-antt/mau.xlsx", get(template))
        .route(
            "/an-toan-antt/nhap",
            get(import_form).post(import_upload).layer(limit),
        )
        .route("/an-toan-antt/tieu-chi", get(criteria).post(save_criterion))
        .route("/an-toan-antt/quy-dinh", post(save_rules))
        .route("/an-toan-antt/{id}", get(show))
        .route("/an-toan-antt/{id}/tieu-chi", post(checks))
        .route("/an-toan-antt/{id}/tep", post(upload).layer(limit))
        .route("/an-toan-antt/{id}/tep/{file}", get(download))
        .route("/an-toan-antt/{id}/quyet-dinh", post(decide))
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
    /// `recognised`, `registered`…: the records in that state only.
    #[serde(default)]
    state: String,
}

/// A record as a row of a list.
pub struct Row {
    pub id: i64,
    pub year: i32,
    pub unit: String,
    pub kind: &'static str,
    pub subject: String,
    pub registered_on: String,
    pub state: &'static str,
    pub decision: String,
}

pub(super) fn row(r: &store::Recognition) -> Row {
    Row {
        id: r.id,
        year: r.year,
        unit: r.unit.name.clone(),
        kind: r.kind.word_vi(),
        subject: r.subject.clone(),
        registered_on: crate::pages::date_vi(Some(&r.registered_on)).unwrap_or_default(),
        state: r.state.word_vi(),
        decision: match crate::pages::date_vi(r.decision_date.as_deref()) {
            Some(d) => format!("{} ngày {d}", r.decision_number),
            None => String::new(),
        },
    }
}

/// A line of the summary table.
pub struct SummaryRow {
    pub kind: &'static str,
    pub registered: String,
    pub recognised: String,
    pub eligible: String,
    pub share: String,
}

#[derive(Template)]
#[template(path = "registries/recognitions/list.html")]
struct ListPage {
    c: Chrome,
    picker: UnitPicker,
    year: String,
    kind: String,
    kinds: Vec<(&'static str, &'static str)>,
    state: String,
    states: Vec<(&'static str, &'static str)>,
    unit_name: String,
    summary: Vec<SummaryRow>,
    rows: Vec<Row>,
    error: String,
    export_href: String,
}

pub(super) fn kinds() -> Vec<(&'static str, &'static str)> {
    SubjectKind::ALL
        .iter()
        .map(|k| (k.code(), k.word_vi()))
        .collect()
}

/// `GET /an-toan-antt?unit=&year=&kind=&state=`: the records of a unit's subtree
/// and year with the summary by kind.
pub async fn list(
    State(state): State<AppState>,
    c: Chrome,
    PageUser(ctx): PageUser,
    Query(p): Query<ListParams>,
) -> PageResult<Response> {
    let year = match p.year.trim() {
        "" => dates::today().format("%Y").to_string(),
        y => y.to_string(),
    };
    let (mut text_typed, mut code) = (p.unit.clone(), p.unit_pick.clone());
    if p.unit.trim().is_empty() {
        if let Some(o) = crate::units::service::own_unit(&state, &ctx.actor, dates::today()).await?
        {
            text_typed = o.name;
            code = o.code;
        }
    }
    let picker =
        UnitPicker::new(&c, "unit", "rec-filter-unit", c.t("rec.unit")).typed(&text_typed, &code);
    let found = async {
        let y = super::parse_year(&year)?;
        let unit =
            crate::units::service::resolve_unit(&state, &text_typed, Some(&code), dates::today())
                .await?;
        let q = ListQuery {
            unit: Some(unit.code.clone()),
            year: Some(y.to_string()),
            kind: Some(p.kind.clone()),
            state: Some(p.state.clone()),
        };
        let f = super::filter(&state.db, Some(&ctx.actor), &q).await?;
        let list = store::list(&state.db, Some(&ctx.actor), &f).await?;
        let (_, scope) = super::scope_of(&state.db, Some(&ctx.actor), &unit.code, Some(y)).await?;
        let summary = store::summary(&state.db, scope, y).await?;
        Ok::<_, Failure>((unit, y, list, summary))
    }
    .await;
    let (unit_name, summary, rows, error, export_href) = match found {
        Ok((u, y, list, summary)) => (
            u.name.clone(),
            summary
                .iter()
                .map(|k| SummaryRow {
                    kind: k.kind.word_vi(),
                    registered: text::format_int(k.registered),
                    recognised: text::format_int(k.recognised),
                    eligible: text::format_int(k.eligible),
                    share: rules::share_text(k.recognised, k.eligible),
                })
                .collect(),
            list.iter().map(row).collect(),
            String::new(),
            format!("/an-toan-antt/xuat?unit={}&year={y}", u.code),
        ),
        Err(e) => (
            String::new(),
            Vec::new(),
            Vec::new(),
            crate::error::capitalised(&e.message),
            String::new(),
        ),
    };
    render(ListPage {
        c,
        picker,
        year,
        kind: p.kind,
        kinds: kinds(),
        state: p.state,
        states: RecognitionState::ALL
            .iter()
            .map(|s| (s.code(), s.word_vi()))
            .collect(),
        unit_name,
        summary,
        rows,
        error,
        export_href,
    })
}

#[derive(Template)]
#[template(path = "registries/recognitions/register.html")]
struct RegisterPage {
    c: Chrome,
    picker: UnitPicker,
    t: RegisterForm,
    kinds: Vec<(&'static str, &'static str)>,
    window: String,
    error: String,
}

/// The registration form as typed.
#[derive(Deserialize, Default, Clone)]
pub struct RegisterForm {
    #[serde(default)]
    unit: String,
    #[serde(default)]
    unit_pick: String,
    #[serde(default)]
    year: String,
    #[serde(default)]
    kind: String,
    #[serde(default)]
    subject: String,
    #[serde(default)]
    registered_on: String,
    #[serde(default)]
    override_window: Option<String>,
}

async fn register_page(
    state: &AppState,
    c: Chrome,
    ctx: &crate::auth::AuthContext,
    mut t: RegisterForm,
    error: String,
) -> PageResult<Response> {
    if t.year.is_empty() {
        t.year = dates::today().format("%Y").to_string();
    }
    if t.registered_on.is_empty() {
        t.registered_on = dates::format_vi(dates::today());
    }
    let picker = if t.unit.is_empty() {
        UnitPicker::own(state, &c, &ctx.actor, "unit", "rec-unit", c.t("rec.unit")).await?
    } else {
        UnitPicker::new(&c, "unit", "rec-unit", c.t("rec.unit")).typed(&t.unit, &t.unit_pick)
    };
    let year = t.year.parse::<i32>().unwrap_or(2024);
    let window = store::window(&state.db).await?.text(year);
    let failed = !error.is_empty();
    let mut res = render(RegisterPage {
        c,
        picker,
        t,
        kinds: kinds(),
        window,
        error,
    })?;
    if failed {
        *res.status_mut() = axum::http::StatusCode::UNPROCESSABLE_ENTITY;
    }
    Ok(res)
}

/// `GET /an-toan-antt/dang-ky`.
pub async fn register_form(
    State(state): State<AppState>,
    c: Chrome,
    PageUser(ctx): PageUser,
) -> PageResult<Response> {
    register_page(&state, c, &ctx, RegisterForm::default(), String::new()).await
}

/// `POST /an-toan-antt/dang-ky`: register, then show the record.
pub async fn register(
    State(state): State<AppState>,
    c: Chrome,
    PageUser(ctx): PageUser,
    FormBody(t): FormBody<RegisterForm>,
) -> PageResult<Response> {
    let done = async {
        let on = match t.registered_on.trim() {
            "" => dates::today(),
            s => dates::parse_input_date(s).map_err(|e| super::unprocessable(e.to_string()))?,
        };
        let unit =
            crate::units::service::resolve_unit(&state, &t.unit, Some(&t.unit_pick), on).await?;
        let year: i64 = t.year.trim().parse().map_err(|_| {
            super::unprocessable(format!(
                "Năm \u{201C}{}\u{201D} không hợp lệ",
                t.year.trim()
            ))
        })?;
        let b = RegisterIn {
            year,
            kind: t.kind.clone(),
            unit: unit.code,
            area_id: None,
            organisation_id: None,
            subject: Some(t.subject.clone()),
            registered_on: Some(dates::iso(on)),
            override_window: t.override_window.is_some(),
        };
        super::register(&state.db, &ctx.actor, &b).await
    }
    .await;
    match done {
        Ok(id) => Ok(crate::pages::done(
            &format!("/an-toan-antt/{id}"),
            "msg.saved",
        )),
        Err(e) => register_page(&state, c, &ctx, t, crate::error::capitalised(&e.message)).await,
    }
}
