//! The pages of the teams register: the list (`/to-chuc-quan-chung`, with
//! the figure filter `?unit=CODE&at=YYYY-MM-DD&mass_org=1`), a new team, a
//! team's record with its history, the batch evaluation of a unit's teams
//! for a year, the kinds and rules, the Excel register in and out.
//!
//! The batch evaluation, the kinds and rules, and the Excel pages are in
//! `evaluation`, `kinds` and `excel_pages`; their routes are here.

use antq_core::auth::Action;
use antq_core::dates;
use antq_storage::registries::teams as store;
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::Response;
use axum::routing::{get, post};
use axum::{Form as FormBody, Router};
use serde::Deserialize;

use super::evaluation::{evaluate_form, evaluate_submit};
use super::excel_pages::{export, import_form, import_upload, template};
use super::kinds::{kind_save, kinds_page, rules_save};
use super::{ListQuery, TeamIn};
use crate::auth::PageUser;
use crate::error::{Failure, PageResult};
use crate::pages::{render, Chrome};
use crate::state::AppState;
use crate::units::pages::UnitPicker;

pub const PATH: &str = "/to-chuc-quan-chung";

pub fn routes(upload_limit: usize) -> Router<AppState> {
    Router::new()
        .route(PATH, get(list))
        .route("/to-chuc-quan-chung/moi", get(new_form).post(new_submit))
        .route(
            "/to-chuc-quan-chung/danh-gia",
            get(evaluate_form).post(evaluate_submit),
        )
        .route("/to-chuc-quan-chung/loai", get(kinds_page).post(kind_save))
        .route("/to-chuc-quan-chung/quy-dinh", post(rules_save))
        .route(
            "/to-chuc-quan-chung/nhap",
            get(import_form)
                .post(import_upload)
                .layer(axum::extract::DefaultBodyLimit::max(upload_limit)),
        )
        .route("/to-chuc-quan-chung/mau.xlsx", get(template))
        .route("/to-chuc-quan-chung/xuat", get(export))
        .route("/to-chuc-quan-chung/{id}", get(show))
        .route("/to-chuc-quan-chung/{id}/thanh-vien", post(members))
        .route("/to-chuc-quan-chung/{id}/sua", post(update))
}

pub(super) fn vi(iso: &str) -> String {
    crate::pages::date_vi(Some(iso)).unwrap_or_else(|| iso.to_string())
}

pub(super) fn with_status(mut res: Response, failed: bool) -> Response {
    if failed {
        *res.status_mut() = axum::http::StatusCode::UNPROCESSABLE_ENTITY;
    }
    res
}

/// The list's filters as typed.
#[derive(Deserialize, Default)]
pub struct ListParams {
    #[serde(default)]
    unit: String,
    #[serde(default)]
    unit_pick: String,
    #[serde(default)]
    at: String,
    #[serde(default)]
    kind: String,
    #[serde(default)]
    mass_org: String,
    #[serde(default)]
    q: String,
    #[serde(default)]
    offset: String,
}

pub struct Row {
    pub id: i64,
    pub name: String,
    pub kind: String,
    pub unit: String,
    pub established: String,
    pub dissolved: String,
    pub leader: String,
    pub members: String,
}

pub struct TotalRow {
    pub kind: String,
    pub teams: String,
    pub members: String,
}

#[derive(Template)]
#[template(path = "registries/teams/list.html")]
struct ListPage {
    c: Chrome,
    picker: UnitPicker,
    p: ListParams,
    kinds: Vec<(String, String)>,
    rows: Vec<Row>,
    totals: Vec<TotalRow>,
    sentence: String,
    error: String,
    export_href: String,
    evaluate_href: String,
    next_href: String,
    prev_href: String,
    is_admin: bool,
}

/// `GET /to-chuc-quan-chung`.
pub async fn list(
    State(state): State<AppState>,
    c: Chrome,
    PageUser(ctx): PageUser,
    Query(p): Query<ListParams>,
) -> PageResult<Response> {
    let picker = UnitPicker::new(&c, "unit", "team-filter-unit", c.t("tea.unit"))
        .optional()
        .typed(&p.unit, &p.unit_pick);
    let offset: usize = p.offset.trim().parse().unwrap_or(0).min(1_000_000);
    let found = async {
        let at = super::parse_day(Some(&p.at))?;
        let unit = match p.unit.trim() {
            "" => None,
            t => Some(
                crate::units::service::resolve_unit(
                    &state,
                    t,
                    Some(&p.unit_pick),
                    at.unwrap_or_else(dates::today),
                )
                .await?,
            ),
        };
        let q = ListQuery {
            unit: unit.as_ref().map(|u| u.code.clone()),
            at: at.map(dates::iso),
            kind: Some(p.kind.clone()),
            mass_org: Some(p.mass_org.clone()),
            q: Some(p.q.clone()),
            limit: Some(100),
            offset: Some(offset as i64),
            ..ListQuery::default()
        };
        let f = super::filter(&state.db, Some(&ctx.actor), &q).await?;
        let (teams, total) = store::list(&state.db, Some(&ctx.actor), &f).await?;
        let totals = store::totals_by_kind(&state.db, Some(&ctx.actor), &f).await?;
        Ok::<_, Failure>((unit, at, teams, total, totals))
    }
    .await;
    let kinds: Vec<(String, String)> = store::kinds(&state.db)
        .await?
        .into_iter()
        .map(|k| (k.id.to_string(), k.name))
        .collect();
    let mut page = ListPage {
        picker,
        kinds,
        rows: Vec::new(),
        totals: Vec::new(),
        sentence: String::new(),
        error: String::new(),
        export_href: String::new(),
        evaluate_href: String::new(),
        next_href: String::new(),
        prev_href: String::new(),
        is_admin: ctx.actor.is_national(Action::EditCatalogue),
        p,
        c,
    };
    match found {
        Err(e) => {
            page.error = crate::error::capitalised(&e.message);
            let res = render(page)?;
            return Ok(with_status(res, true));
        }
        Ok((unit, at, teams, total, totals)) => {
            let mass = page.p.mass_org.trim() == "1";
            let mut s = super::count_words(total, mass, at);
            if let Some(u) = &unit {
                s.push_str(&format!(" thuộc {}", u.name));
                let code = crate::auth::urlencode(&u.code);
                page.export_href = format!("/to-chuc-quan-chung/xuat?unit={code}");
                let year = at
                    .map(antq_core::registries::teams::evaluation_year)
                    .unwrap_or_else(|| {
                        antq_core::registries::teams::evaluation_year(dates::today())
                    });
                page.evaluate_href =
                    format!("/to-chuc-quan-chung/danh-gia?unit={code}&year={year}");
            }
            page.sentence = s;
            let base = format!(
                "{PATH}?unit={}&unit_pick={}&at={}&kind={}&mass_org={}&q={}",
                crate::auth::urlencode(page.p.unit.trim()),
                crate::auth::urlencode(page.p.unit_pick.trim()),
                crate::auth::urlencode(page.p.at.trim()),
                crate::auth::urlencode(page.p.kind.trim()),
                crate::auth::urlencode(page.p.mass_org.trim()),
                crate::auth::urlencode(page.p.q.trim()),
            );
            if (offset + teams.len()) < total as usize {
                page.next_href = format!("{base}&offset={}", offset + teams.len());
            }
            if offset > 0 {
                page.prev_href = format!("{base}&offset={}", offset.saturating_sub(100));
            }
            page.rows = teams
                .iter()
                .map(|t| Row {
                    id: t.id,
                    name: t.name.clone(),
                    kind: t.kind_name.clone(),
                    unit: match &t.area_name {
                        Some(a) => format!("{a}, {}", t.unit.name),
                        None => t.unit.name.clone(),
                    },
                    established: vi(&t.established_on),
                    dissolved: t.dissolved_on.as_deref().map(vi).unwrap_or_default(),
                    leader: t.leader.clone(),
                    members: t
                        .members
                        .map(antq_core::text::format_int)
                        .unwrap_or_default(),
                })
                .collect();
            page.totals = totals
                .iter()
                .map(|k| TotalRow {
                    kind: k.kind_name.clone(),
                    teams: antq_core::text::format_int(k.teams),
                    members: antq_core::text::format_int(k.members),
                })
                .collect();
        }
    }
    render(page)
}

#[derive(Template)]
#[template(path = "registries/teams/new.html")]
struct NewPage {
    c: Chrome,
    picker: UnitPicker,
    t: NewTyped,
    kinds: Vec<(String, String)>,
    error: String,
    errors: Vec<String>,
}

#[derive(Deserialize, Default)]
pub struct NewTyped {
    #[serde(default)]
    unit: String,
    #[serde(default)]
    unit_pick: String,
    #[serde(default)]
    kind: String,
    #[serde(default)]
    area: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    established_on: String,
    #[serde(default)]
    dissolved_on: String,
    #[serde(default)]
    leader: String,
    #[serde(default)]
    members: String,
    #[serde(default)]
    model_id: String,
    #[serde(default)]
    notes: String,
}

async fn active_kinds(state: &AppState) -> PageResult<Vec<(String, String)>> {
    Ok(store::kinds(&state.db)
        .await?
        .into_iter()
        .filter(|k| k.active)
        .map(|k| (k.id.to_string(), k.name))
        .collect())
}

async fn new_page(
    state: &AppState,
    c: Chrome,
    t: NewTyped,
    err: Option<Failure>,
) -> PageResult<Response> {
    let picker =
        UnitPicker::new(&c, "unit", "team-unit", c.t("tea.unit")).typed(&t.unit, &t.unit_pick);
    let failed = err.is_some();
    let (error, errors) = match err {
        Some(e) => (
            crate::error::capitalised(&e.message),
            crate::pages::error_lines(&e.errors),
        ),
        None => (String::new(), Vec::new()),
    };
    let res = render(NewPage {
        picker,
        kinds: active_kinds(state).await?,
        t,
        error,
        errors,
        c,
    })?;
    Ok(with_status(res, failed))
}

/// `GET /to-chuc-quan-chung/moi`.
pub async fn new_form(
    State(state): State<AppState>,
    c: Chrome,
    PageUser(ctx): PageUser,
) -> PageResult<Response> {
    let own = crate::units::service::own_unit(&state, &ctx.actor, dates::today()).await?;
    let t = NewTyped {
        unit: own.as_ref().map(|o| o.name.clone()).unwrap_or_default(),
        unit_pick: own.map(|o| o.code).unwrap_or_default(),
        ..NewTyped::default()
    };
    new_page(&state, c, t, None).await
}

fn number(s: &str, label: &str) -> Result<Option<i64>, Failure> {
    match s.trim().replace('.', "") {
        x if x.is_empty() => Ok(None),
        x => x.parse::<i64>().map(Some).map_err(|_| {
            super::unprocessable(format!(
                "{label} \u{201C}{}\u{201D} không phải số",
                s.trim()
            ))
        }),
    }
}

/// `POST /to-chuc-quan-chung/moi`.
pub async fn new_submit(
    State(state): State<AppState>,
    c: Chrome,
    PageUser(ctx): PageUser,
    FormBody(t): FormBody<NewTyped>,
) -> PageResult<Response> {
    let r = async {
        let at = super::parse_day(Some(&t.established_on))?.unwrap_or_else(dates::today);
        let unit =
            crate::units::service::resolve_unit(&state, &t.unit, Some(&t.unit_pick), at).await?;
        let input = TeamIn {
            kind: t.kind.clone(),
            unit: unit.code,
            area: Some(t.area.clone()),
            name: t.name.clone(),
            established_on: t.established_on.clone(),
            dissolved_on: Some(t.dissolved_on.clone()),
            leader: t.leader.clone(),
            members: number(&t.members, "Số thành viên")?,
            model_id: number(&t.model_id, "Số hiệu mô hình")?,
            notes: t.notes.clone(),
        };
        super::create(&state.db, Some(&ctx.actor), &input).await
    }
    .await;
    match r {
        Ok(id) => Ok(crate::pages::done(&format!("{PATH}/{id}"), "msg.created")),
        Err(e) => new_page(&state, c, t, Some(e)).await,
    }
}

pub struct HistoryRow {
    pub from: String,
    pub members: String,
}

pub struct EvalRow {
    pub year: i32,
    pub level: String,
    pub leader: String,
    pub notes: String,
}

#[derive(Template)]
#[template(path = "registries/teams/show.html")]
struct ShowPage {
    c: Chrome,
    t: store::Team,
    established: String,
    dissolved: String,
    members: String,
    history: Vec<HistoryRow>,
    named: Vec<store::Member>,
    evaluations: Vec<EvalRow>,
    can_edit: bool,
    today: String,
}

/// `GET /to-chuc-quan-chung/{id}`.
pub async fn show(
    State(state): State<AppState>,
    c: Chrome,
    PageUser(ctx): PageUser,
    Path(id): Path<i64>,
) -> PageResult<Response> {
    let d = store::get(&state.db, Some(&ctx.actor), id, None).await?;
    let rules = store::rules(&state.db).await?;
    let can_edit = store::may_edit(&state.db, &ctx.actor, d.team.unit.id).await?;
    let evaluations = d
        .evaluations
        .iter()
        .map(|e| {
            let (level, leader) = store::evaluation_words(e, rules.min_months);
            EvalRow {
                year: e.year,
                level,
                leader,
                notes: e.notes.clone(),
            }
        })
        .collect();
    render(ShowPage {
        established: vi(&d.team.established_on),
        dissolved: d.team.dissolved_on.as_deref().map(vi).unwrap_or_default(),
        members: d
            .team
            .members
            .map(antq_core::text::format_int)
            .unwrap_or_default(),
        history: d
            .member_history
            .iter()
            .map(|(on, n)| HistoryRow {
                from: vi(on),
                members: antq_core::text::format_int(*n),
            })
            .collect(),
        named: d.named.clone(),
        evaluations,
        can_edit,
        today: dates::format_vi(dates::today()),
        t: d.team,
        c,
    })
}

#[derive(Deserialize)]
pub struct MembersForm {
    #[serde(default)]
    on: String,
    #[serde(default)]
    members: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    position: String,
}

/// `POST /to-chuc-quan-chung/{id}/thanh-vien`: the count from a day (and one named member).
pub async fn members(
    State(state): State<AppState>,
    PageUser(ctx): PageUser,
    Path(id): Path<i64>,
    FormBody(f): FormBody<MembersForm>,
) -> Response {
    let to = format!("{PATH}/{id}");
    let r = async {
        let on =
            super::parse_day(Some(&f.on))?.ok_or_else(|| super::unprocessable("Chưa có ngày"))?;
        let n = number(&f.members, "Số thành viên")?
            .ok_or_else(|| super::unprocessable("Chưa có số thành viên"))?;
        let named: Vec<store::Member> = if f.name.trim().is_empty() {
            Vec::new()
        } else {
            vec![store::Member {
                name: f.name.clone(),
                position: f.position.clone(),
                joined_on: None,
                left_on: None,
            }]
        };
        store::set_members(&state.db, Some(&ctx.actor), id, on, n, &named)
            .await
            .map_err(Failure::from)
    }
    .await;
    crate::pages::outcome(r, &to, "msg.saved", &to)
}

#[derive(Deserialize)]
pub struct UpdateForm {
    #[serde(default)]
    leader: String,
    #[serde(default)]
    dissolved_on: String,
}

/// `POST /to-chuc-quan-chung/{id}/sua`: the leader and the dissolution.
pub async fn update(
    State(state): State<AppState>,
    PageUser(ctx): PageUser,
    Path(id): Path<i64>,
    FormBody(f): FormBody<UpdateForm>,
) -> Response {
    let to = format!("{PATH}/{id}");
    let r = async {
        let change = store::TeamChange {
            leader: Some(f.leader.clone()),
            dissolved_on: Some(super::parse_day(Some(&f.dissolved_on))?),
            ..store::TeamChange::default()
        };
        store::update(&state.db, Some(&ctx.actor), id, &change)
            .await
            .map_err(Failure::from)
    }
    .await;
    crate::pages::outcome(r, &to, "msg.saved", &to)
}
