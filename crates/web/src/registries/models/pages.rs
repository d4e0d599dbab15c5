//! The pages of the models register: the list with its filters and the
//! figure filter analytics links to (`/mo-hinh`), registering a model
//! (`/mo-hinh/moi`), a model's page with its history, sites, replications
//! and forms (`/mo-hinh/{id}`), the taxonomy (`/mo-hinh/loai`), exemplary
//! cases (`/mo-hinh/dien-hinh`), and the register in Excel.
//!
//! The taxonomy, the exemplary cases and the Excel pages are in `taxonomy`,
//! `cases` and `excel_pages`; their routes are here.

use antq_core::dates;
use antq_core::registries::models::{Count, ModelState};
use antq_core::text::format_int;
use antq_storage::registries::models::{self as store, Model};
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::Response;
use axum::routing::{get, post};
use axum::{Form as FormBody, Router};
use serde::Deserialize;

use super::cases::{cases_create, cases_page};
use super::excel_pages::{export, import_form, import_upload, template};
use super::taxonomy::{types_page, types_save};
use super::{ListQuery, ModelIn, ReplicaIn, StateIn};
use crate::auth::PageUser;
use crate::error::{Failure, PageResult};
use crate::pages::{date_vi, render, Chrome};
use crate::state::AppState;
use crate::units::pages::UnitPicker;
use crate::units::service::resolve_unit;

/// Models one list page shows.
pub(super) const PAGE: usize = 50;

pub fn routes(upload_limit: usize) -> Router<AppState> {
    Router::new()
        .route("/mo-hinh", get(list))
        .route("/mo-hinh/moi", get(new_form).post(new_submit))
        .route("/mo-hinh/loai", get(types_page).post(types_save))
        .route("/mo-hinh/dien-hinh", get(cases_page).post(cases_create))
        .route("/mo-hinh/mau.xlsx", get(template))
        .route("/mo-hinh/xuat", get(export))
        .route(
            "/mo-hinh/nhap",
            get(import_form)
                .post(import_upload)
                .layer(axum::extract::DefaultBodyLimit::max(upload_limit)),
        )
        .route("/mo-hinh/{id}", get(show))
        .route("/mo-hinh/{id}/sua", post(edit))
        .route("/mo-hinh/{id}/trang-thai", post(state_change))
        .route("/mo-hinh/{id}/nhan-rong", post(replicate))
        .route("/mo-hinh/{id}/diem", post(add_site))
}

fn state_word(c: &Chrome, s: ModelState) -> &'static str {
    c.t(match s {
        ModelState::Moi => "mod.state_moi",
        ModelState::CungCo => "mod.state_cung_co",
        ModelState::NhanRong => "mod.state_nhan_rong",
        ModelState::GiaiThe => "mod.state_giai_the",
    })
}

/// A model as a row of a table.
pub struct Row {
    pub id: i64,
    pub name: String,
    pub type_name: String,
    pub unit: String,
    pub started: String,
    pub dissolved: String,
    pub state: &'static str,
    pub replicates: Option<(i64, String)>,
}

fn row(c: &Chrome, m: &Model) -> Row {
    Row {
        id: m.id,
        name: m.name.clone(),
        type_name: m.type_name.clone(),
        unit: m.unit.name.clone(),
        started: date_vi(Some(&m.started_on)).unwrap_or_default(),
        dissolved: date_vi(m.dissolved_on.as_deref()).unwrap_or_default(),
        state: state_word(c, m.state),
        replicates: m
            .replicates_id
            .map(|r| (r, m.replicates_name.clone().unwrap_or_default())),
    }
}

async fn type_choices(state: &AppState) -> PageResult<Vec<(String, String)>> {
    Ok(store::list_types(&state.db, false)
        .await?
        .into_iter()
        .map(|t| (t.id.to_string(), t.name))
        .collect())
}

fn states(c: &Chrome) -> Vec<(&'static str, &'static str)> {
    ModelState::ALL
        .iter()
        .map(|s| (s.code(), state_word(c, *s)))
        .collect()
}

fn counts(c: &Chrome) -> Vec<(&'static str, &'static str)> {
    Count::ALL
        .iter()
        .map(|k| {
            (
                k.code(),
                c.t(match k {
                    Count::Moi => "mod.count_moi",
                    Count::NhanRong => "mod.count_nhan_rong",
                    Count::HienCo => "mod.count_hien_co",
                    Count::Loai => "mod.count_loai",
                }),
            )
        })
        .collect()
}

/// The list's filters as typed (`unit` may be a code: analytics links here).
#[derive(Deserialize, Default)]
pub struct ListParams {
    #[serde(default)]
    unit: String,
    #[serde(default)]
    unit_pick: String,
    #[serde(default)]
    from: String,
    #[serde(default)]
    to: String,
    #[serde(default)]
    count: String,
    #[serde(default, rename = "type")]
    type_: String,
    #[serde(default)]
    state: String,
    #[serde(default)]
    q: String,
    #[serde(default)]
    trang: String,
}

/// A type of the `loai` figure, with its count and the link to its models.
pub struct TypeRow {
    pub name: String,
    pub count: String,
    pub href: String,
}

#[derive(Template)]
#[template(path = "registries/models/list.html")]
struct ListPage {
    c: Chrome,
    picker: UnitPicker,
    p: ListParams,
    types: Vec<(String, String)>,
    states: Vec<(&'static str, &'static str)>,
    counts: Vec<(&'static str, &'static str)>,
    rows: Vec<Row>,
    type_rows: Vec<TypeRow>,
    sentence: String,
    total: String,
    error: String,
    prev_href: String,
    next_href: String,
    page_words: String,
    export_href: String,
}

pub(super) fn enc(s: &str) -> String {
    crate::auth::urlencode(s.trim())
}

/// `GET /mo-hinh`: the models of the units one may read, filtered; with
/// `count`, the records behind a figure, said in words.
pub async fn list(
    State(state): State<AppState>,
    c: Chrome,
    PageUser(ctx): PageUser,
    Query(p): Query<ListParams>,
) -> PageResult<Response> {
    let picker = UnitPicker::new(&c, "unit", "model-filter-unit", c.t("mod.unit"))
        .optional()
        .typed(&p.unit, &p.unit_pick);
    let page: usize = p.trang.trim().parse().unwrap_or(1).clamp(1, 10_000);
    let found = async {
        let unit = match p.unit.trim() {
            "" => None,
            t => Some(
                resolve_unit(&state, t, Some(&p.unit_pick), dates::today())
                    .await?
                    .code,
            ),
        };
        let opt = |s: &str| Some(s.trim().to_string()).filter(|s| !s.is_empty());
        let q = ListQuery {
            unit: unit.clone(),
            from: opt(&p.from),
            to: opt(&p.to),
            count: opt(&p.count),
            type_: opt(&p.type_),
            state: opt(&p.state),
            q: opt(&p.q),
            limit: Some(PAGE as i64),
            offset: Some(((page - 1) * PAGE) as i64),
            at: None,
        };
        let l = super::list(&state.db, Some(&ctx.actor), &q).await?;
        Ok::<_, Failure>((unit, l))
    }
    .await;
    let base = format!(
        "/mo-hinh?unit={}&unit_pick={}&from={}&to={}&count={}&type={}&state={}&q={}",
        enc(&p.unit),
        enc(&p.unit_pick),
        enc(&p.from),
        enc(&p.to),
        enc(&p.count),
        enc(&p.type_),
        enc(&p.state),
        enc(&p.q)
    );
    let mut page_ = ListPage {
        picker,
        types: type_choices(&state).await?,
        states: states(&c),
        counts: counts(&c),
        rows: Vec::new(),
        type_rows: Vec::new(),
        sentence: String::new(),
        total: String::new(),
        error: String::new(),
        prev_href: String::new(),
        next_href: String::new(),
        page_words: String::new(),
        export_href: String::new(),
        p: ListParams::default(),
        c,
    };
    match found {
        Ok((unit, l)) => {
            page_.rows = l.items.iter().map(|m| row(&page_.c, m)).collect();
            page_.total = format_int(l.total);
            page_.sentence = l.sentence.unwrap_or_default();
            if let Some(types) = l.types {
                let code = unit.clone().unwrap_or_default();
                page_.type_rows = types
                    .iter()
                    .map(|t| TypeRow {
                        name: t.name.clone(),
                        count: format_int(t.count),
                        href: format!(
                            "/mo-hinh?unit={}&to={}&count=hien_co&type={}",
                            enc(&code),
                            enc(&p.to),
                            t.type_id
                        ),
                    })
                    .collect();
            }
            let pages = (l.total as usize).div_ceil(PAGE).max(1);
            if page > 1 {
                page_.prev_href = format!("{base}&trang={}", page - 1);
            }
            if page < pages {
                page_.next_href = format!("{base}&trang={}", page + 1);
            }
            page_.page_words = format!("Trang {page} / {pages}");
            if let Some(u) = unit {
                page_.export_href = format!("/mo-hinh/xuat?unit={}", enc(&u));
            }
        }
        Err(e) => page_.error = crate::error::capitalised(&e.message),
    }
    page_.p = p;
    render(page_)
}

#[derive(Default, Clone, Deserialize)]
pub struct NewFields {
    #[serde(default)]
    name: String,
    #[serde(default, rename = "type")]
    type_: String,
    #[serde(default)]
    unit: String,
    #[serde(default)]
    unit_pick: String,
    #[serde(default)]
    area: String,
    #[serde(default)]
    started_on: String,
    #[serde(default)]
    rating: String,
    #[serde(default)]
    rated_year: String,
    #[serde(default)]
    notes: String,
}

#[derive(Template)]
#[template(path = "registries/models/new.html")]
struct NewPage {
    c: Chrome,
    t: NewFields,
    picker: UnitPicker,
    types: Vec<(String, String)>,
    error: String,
    errors: Vec<String>,
}

async fn new_page(
    state: &AppState,
    c: Chrome,
    t: NewFields,
    err: Option<Failure>,
) -> PageResult<Response> {
    let picker =
        UnitPicker::new(&c, "unit", "model-unit", c.t("mod.unit")).typed(&t.unit, &t.unit_pick);
    let status = err.as_ref().map(|e| e.status);
    let (error, errors) = match err {
        Some(e) => (
            crate::error::capitalised(&e.message),
            crate::pages::error_lines(&e.errors),
        ),
        None => (String::new(), Vec::new()),
    };
    let mut res = render(NewPage {
        types: type_choices(state).await?,
        picker,
        t,
        error,
        errors,
        c,
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

/// `GET /mo-hinh/moi`.
pub async fn new_form(
    State(state): State<AppState>,
    c: Chrome,
    PageUser(ctx): PageUser,
) -> PageResult<Response> {
    let own = crate::units::service::own_unit(&state, &ctx.actor, dates::today()).await?;
    let t = NewFields {
        unit: own.as_ref().map(|o| o.name.clone()).unwrap_or_default(),
        unit_pick: own.map(|o| o.code).unwrap_or_default(),
        ..NewFields::default()
    };
    new_page(&state, c, t, None).await
}

fn opt_year(s: &str) -> Result<Option<i64>, Failure> {
    match s.trim() {
        "" => Ok(None),
        y => super::parse_year(y, "Năm xếp loại").map(|y| Some(i64::from(y))),
    }
}

pub(super) fn opt_text(s: &str) -> Option<String> {
    Some(s.to_string()).filter(|s| !s.trim().is_empty())
}

/// `POST /mo-hinh/moi`: the model registered, or the form again with the error.
pub async fn new_submit(
    State(state): State<AppState>,
    c: Chrome,
    PageUser(ctx): PageUser,
    FormBody(t): FormBody<NewFields>,
) -> PageResult<Response> {
    let r = async {
        let at = super::parse_day(Some(&t.started_on), "ngày bắt đầu")?;
        let unit = resolve_unit(&state, &t.unit, Some(&t.unit_pick), at).await?;
        let m = ModelIn {
            name: t.name.clone(),
            type_: serde_json::Value::String(t.type_.clone()),
            unit: unit.code,
            area: None,
            area_name: t.area.clone(),
            started_on: Some(t.started_on.clone()),
            rating: Some(t.rating.clone()),
            rated_year: opt_year(&t.rated_year)?,
            notes: Some(t.notes.clone()),
        };
        super::create(&state.db, Some(&ctx.actor), &m).await
    }
    .await;
    match r {
        Ok(id) => Ok(crate::pages::done(&format!("/mo-hinh/{id}"), "msg.created")),
        Err(e) => new_page(&state, c, t, Some(e)).await,
    }
}

pub struct EventRow {
    pub state: &'static str,
    pub date: String,
    pub note: String,
    pub by: String,
}

pub struct SiteRow {
    pub name: String,
    pub unit: String,
    pub started: String,
    pub teams: String,
    pub members: String,
}

#[derive(Template)]
#[template(path = "registries/models/show.html")]
struct ShowPage {
    c: Chrome,
    m: Row,
    area: String,
    rating: String,
    rated_year: String,
    notes: String,
    edit_name: String,
    type_id: String,
    events: Vec<EventRow>,
    sites: Vec<SiteRow>,
    replications: Vec<Row>,
    can_edit: bool,
    dissolved: bool,
    types: Vec<(String, String)>,
    next_states: Vec<(&'static str, &'static str)>,
    rep_picker: UnitPicker,
    site_picker: UnitPicker,
    today: String,
}

/// `GET /mo-hinh/{id}`.
pub async fn show(
    State(state): State<AppState>,
    c: Chrome,
    PageUser(ctx): PageUser,
    Path(id): Path<i64>,
) -> PageResult<Response> {
    let r = store::get(&state.db, Some(&ctx.actor), id).await?;
    let can_edit = store::may_edit(&state.db, &ctx.actor, &r.model).await?;
    let m = &r.model;
    let events = r
        .events
        .iter()
        .map(|e| EventRow {
            state: state_word(&c, e.state),
            date: date_vi(Some(&e.on_date)).unwrap_or_default(),
            note: e.note.clone(),
            by: e.created_by.clone(),
        })
        .collect();
    let sites = r
        .sites
        .iter()
        .map(|s| SiteRow {
            name: s.name.clone(),
            unit: s.unit.name.clone(),
            started: date_vi(s.started_on.as_deref()).unwrap_or_default(),
            teams: s.teams.map(format_int).unwrap_or_default(),
            members: s.members.map(format_int).unwrap_or_default(),
        })
        .collect();
    let next_states = [
        ModelState::CungCo,
        ModelState::NhanRong,
        ModelState::GiaiThe,
    ]
    .iter()
    .map(|s| (s.code(), state_word(&c, *s)))
    .collect();
    let rep_picker = UnitPicker::new(&c, "rep_unit", "model-rep-unit", c.t("mod.rep_unit"));
    let site_picker = UnitPicker::new(&c, "site_unit", "model-site-unit", c.t("mod.site_unit"))
        .typed(&m.unit.name, &m.unit.code);
    render(ShowPage {
        area: m.area_name.clone().unwrap_or_default(),
        rating: m.rating.clone(),
        rated_year: m.rated_year.map(|y| y.to_string()).unwrap_or_default(),
        notes: m.notes.clone(),
        edit_name: m.name.clone(),
        type_id: m.type_id.to_string(),
        replications: r.replications.iter().map(|x| row(&c, x)).collect(),
        dissolved: m.state == ModelState::GiaiThe,
        m: row(&c, m),
        events,
        sites,
        can_edit,
        types: type_choices(&state).await?,
        next_states,
        rep_picker,
        site_picker,
        today: dates::format_vi(dates::today()),
        c,
    })
}

#[derive(Deserialize)]
pub struct EditForm {
    #[serde(default)]
    name: String,
    #[serde(default, rename = "type")]
    type_: String,
    #[serde(default)]
    rating: String,
    #[serde(default)]
    rated_year: String,
    #[serde(default)]
    notes: String,
}

/// `POST /mo-hinh/{id}/sua`.
pub async fn edit(
    State(state): State<AppState>,
    PageUser(ctx): PageUser,
    Path(id): Path<i64>,
    FormBody(f): FormBody<EditForm>,
) -> Response {
    let to = format!("/mo-hinh/{id}");
    let r = async {
        let cur = store::get(&state.db, Some(&ctx.actor), id).await?;
        let e = store::Edit {
            name: f.name.clone(),
            type_id: super::type_id(&state.db, &f.type_).await?,
            area_id: cur.model.area_id,
            rating: f.rating.clone(),
            rated_year: opt_year(&f.rated_year)?,
            notes: f.notes.clone(),
        };
        Ok::<_, Failure>(store::update(&state.db, Some(&ctx.actor), id, &e).await?)
    }
    .await;
    crate::pages::outcome(r, &to, "msg.saved", &to)
}

/// `POST /mo-hinh/{id}/trang-thai`: state, date, note.
pub async fn state_change(
    State(state): State<AppState>,
    PageUser(ctx): PageUser,
    Path(id): Path<i64>,
    FormBody(f): FormBody<StateIn>,
) -> Response {
    let to = format!("/mo-hinh/{id}");
    let r = super::change_state(&state.db, Some(&ctx.actor), id, &f).await;
    crate::pages::outcome(r, &to, "msg.saved", &to)
}

#[derive(Deserialize)]
pub struct ReplicateForm {
    #[serde(default)]
    rep_unit: String,
    #[serde(default)]
    rep_unit_pick: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    started_on: String,
    #[serde(default)]
    notes: String,
}

/// `POST /mo-hinh/{id}/nhan-rong`: the new model's page.
pub async fn replicate(
    State(state): State<AppState>,
    PageUser(ctx): PageUser,
    Path(id): Path<i64>,
    FormBody(f): FormBody<ReplicateForm>,
) -> Response {
    let back = format!("/mo-hinh/{id}");
    let r = async {
        let at = super::parse_day(Some(&f.started_on), "ngày nhân rộng")?;
        let unit = resolve_unit(&state, &f.rep_unit, Some(&f.rep_unit_pick), at).await?;
        let b = ReplicaIn {
            unit: unit.code,
            area: None,
            name: opt_text(&f.name),
            type_: serde_json::Value::Null,
            started_on: Some(f.started_on.clone()),
            notes: Some(f.notes.clone()),
        };
        super::replicate(&state.db, Some(&ctx.actor), id, &b).await
    }
    .await;
    match r {
        Ok(new) => crate::pages::done(&format!("/mo-hinh/{new}"), "msg.created"),
        Err(e) => crate::pages::failed(&back, e),
    }
}

#[derive(Deserialize)]
pub struct SiteForm {
    #[serde(default)]
    site_unit: String,
    #[serde(default)]
    site_unit_pick: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    started_on: String,
    #[serde(default)]
    teams: String,
    #[serde(default)]
    members: String,
}

fn opt_count(s: &str, label: &str) -> Result<Option<i64>, Failure> {
    match s.trim() {
        "" => Ok(None),
        t => t.replace('.', "").parse::<i64>().map(Some).map_err(|_| {
            super::unprocessable(format!("{label} \u{201C}{t}\u{201D} không phải số"))
        }),
    }
}

/// `POST /mo-hinh/{id}/diem`: a site with its teams and members.
pub async fn add_site(
    State(state): State<AppState>,
    PageUser(ctx): PageUser,
    Path(id): Path<i64>,
    FormBody(f): FormBody<SiteForm>,
) -> Response {
    let to = format!("/mo-hinh/{id}");
    let r = async {
        let started = match f.started_on.trim() {
            "" => None,
            s => Some(dates::parse_input_date(s)?),
        };
        let unit = resolve_unit(
            &state,
            &f.site_unit,
            Some(&f.site_unit_pick),
            started.unwrap_or_else(dates::today),
        )
        .await?;
        let s = store::NewSite {
            unit_id: unit.id,
            area_id: None,
            name: f.name.clone(),
            started_on: started,
            teams: opt_count(&f.teams, "Số tổ")?,
            members: opt_count(&f.members, "Số thành viên")?,
        };
        Ok::<_, Failure>(store::add_site(&state.db, Some(&ctx.actor), id, &s).await?)
    }
    .await;
    crate::pages::outcome(r, &to, "msg.saved", &to)
}
