//! The pages of the teams register: the list (`/to-chuc-quan-chung`, with
//! the figure filter `?unit=CODE&at=YYYY-MM-DD&mass_org=1`), a new team, a
//! team's record with its history, the batch evaluation of a unit's teams
//! for a year, the kinds and rules, the Excel register in and out.

use antq_core::auth::Action;
use antq_core::dates;
use antq_core::registries::teams::{Level, NotRated, Rounding, Rules};
use antq_storage::registries::teams as store;
use askama::Template;
use axum::extract::{Multipart, Path, Query, State};
use axum::response::Response;
use axum::routing::{get, post};
use axum::{Form as FormBody, Router};
use serde::Deserialize;

use super::{ListQuery, RatingIn, TeamIn};
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

fn vi(iso: &str) -> String {
    crate::pages::date_vi(Some(iso)).unwrap_or_else(|| iso.to_string())
}

fn with_status(mut res: Response, failed: bool) -> Response {
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

#[derive(Deserialize, Default)]
pub struct EvalParams {
    #[serde(default)]
    unit: String,
    #[serde(default)]
    unit_pick: String,
    #[serde(default)]
    year: String,
}

pub struct EvalTeam {
    pub id: i64,
    pub name: String,
    pub detail: String,
    pub outcome: String,
    pub leader: String,
}

#[derive(Template)]
#[template(path = "registries/teams/evaluate.html")]
struct EvaluatePage {
    c: Chrome,
    picker: UnitPicker,
    unit_code: String,
    unit_name: String,
    year: String,
    period: String,
    teams: Vec<EvalTeam>,
    outcomes: Vec<(String, String)>,
    leaders: Vec<(&'static str, &'static str)>,
    rule: String,
    can_evaluate: bool,
    error: String,
    errors: Vec<String>,
}

fn outcomes(min_months: u32) -> Vec<(String, String)> {
    let mut v: Vec<(String, String)> = Level::ALL
        .iter()
        .map(|l| (l.code().to_string(), l.word_vi().to_string()))
        .collect();
    v.extend(
        NotRated::ALL
            .iter()
            .map(|n| (format!("khong:{}", n.code()), n.word_vi(min_months))),
    );
    v
}

/// The evaluation page of a unit and year, with what was typed (team id →
/// (outcome, leader)) when shown again after an error.
async fn evaluate_page(
    state: &AppState,
    c: Chrome,
    ctx: &crate::auth::AuthContext,
    p: &EvalParams,
    typed: Option<&std::collections::HashMap<i64, (String, String)>>,
    err: Option<Failure>,
) -> PageResult<Response> {
    let rules = store::rules(&state.db).await?;
    let picker =
        UnitPicker::new(&c, "unit", "team-eval-unit", c.t("tea.unit")).typed(&p.unit, &p.unit_pick);
    let mut page = EvaluatePage {
        picker,
        unit_code: String::new(),
        unit_name: String::new(),
        year: p.year.trim().to_string(),
        period: String::new(),
        teams: Vec::new(),
        outcomes: outcomes(rules.min_months),
        leaders: Level::ALL.iter().map(|l| (l.code(), l.word_vi())).collect(),
        rule: format!(
            "Tổ hoàn thành xuất sắc nhiệm vụ không quá {}% số tổ hoàn thành tốt nhiệm vụ của đơn vị; tổ hoạt động chưa đủ {} tháng hoặc đang bị khiếu nại thì không xếp loại; tổ trưởng không được xếp loại cao hơn tổ.",
            rules.quota_percent, rules.min_months
        ),
        can_evaluate: false,
        error: String::new(),
        errors: Vec::new(),
        c,
    };
    let mut failed = false;
    if let Some(e) = err {
        failed = true;
        page.error = crate::error::capitalised(&e.message);
        page.errors = crate::pages::error_lines(&e.errors);
    }
    if !p.unit.trim().is_empty() {
        let found = async {
            let year: i32 = p.year.trim().parse().map_err(|_| {
                super::unprocessable(format!(
                    "Năm đánh giá \u{201C}{}\u{201D} không hợp lệ",
                    p.year.trim()
                ))
            })?;
            let (start, end) = antq_core::registries::teams::evaluation_period(year)
                .filter(|_| (2000..=2100).contains(&year))
                .ok_or_else(|| super::unprocessable("Năm đánh giá phải từ 2000 đến 2100"))?;
            let unit = crate::units::service::resolve_unit(
                state,
                &p.unit,
                Some(&p.unit_pick),
                end.min(dates::today()),
            )
            .await?;
            let teams =
                store::evaluations_of_unit(&state.db, Some(&ctx.actor), unit.id, year).await?;
            let can = store::may_evaluate(&state.db, &ctx.actor, unit.id).await?;
            Ok::<_, Failure>((unit, start, end, teams, can))
        }
        .await;
        match found {
            Ok((unit, start, end, teams, can)) => {
                page.unit_code = unit.code.clone();
                page.unit_name = unit.name.clone();
                page.period = format!("{} – {}", dates::format_vi(start), dates::format_vi(end));
                page.can_evaluate = can;
                page.teams = teams
                    .iter()
                    .map(|t| {
                        let stored = t.evaluation.as_ref().map(|e| {
                            let o = match (&e.level, &e.not_rated) {
                                (Some(l), _) => l.clone(),
                                (None, Some(n)) => format!("khong:{n}"),
                                _ => String::new(),
                            };
                            (o, e.leader_level.clone().unwrap_or_default())
                        });
                        let (outcome, leader) = typed
                            .and_then(|m| m.get(&t.team_id).cloned())
                            .or(stored)
                            .unwrap_or_default();
                        EvalTeam {
                            id: t.team_id,
                            name: t.name.clone(),
                            detail: format!(
                                "{} · {} · thành lập {}{}",
                                t.kind_name,
                                t.unit_name,
                                vi(&t.established_on),
                                if t.leader.is_empty() {
                                    String::new()
                                } else {
                                    format!(" · tổ trưởng {}", t.leader)
                                }
                            ),
                            outcome,
                            leader,
                        }
                    })
                    .collect();
            }
            Err(e) => {
                failed = true;
                if page.error.is_empty() {
                    page.error = crate::error::capitalised(&e.message);
                    page.errors = crate::pages::error_lines(&e.errors);
                }
            }
        }
    }
    Ok(with_status(render(page)?, failed))
}

/// `GET /to-chuc-quan-chung/danh-gia?unit=&year=`.
pub async fn evaluate_form(
    State(state): State<AppState>,
    c: Chrome,
    PageUser(ctx): PageUser,
    Query(mut p): Query<EvalParams>,
) -> PageResult<Response> {
    if p.year.trim().is_empty() {
        p.year = antq_core::registries::teams::evaluation_year(dates::today()).to_string();
    }
    if p.unit.trim().is_empty() {
        if let Some(o) = crate::units::service::own_unit(&state, &ctx.actor, dates::today()).await?
        {
            p.unit = o.name;
            p.unit_pick = o.code;
        }
    }
    evaluate_page(&state, c, &ctx, &p, None, None).await
}

/// `POST /to-chuc-quan-chung/danh-gia`: `unit`, `year`, `team` (repeated),
/// `o_{id}` (a level code or `khong:{reason}`), `l_{id}` (leader's level).
pub async fn evaluate_submit(
    State(state): State<AppState>,
    c: Chrome,
    PageUser(ctx): PageUser,
    FormBody(fields): FormBody<Vec<(String, String)>>,
) -> PageResult<Response> {
    let get = |k: &str| {
        fields
            .iter()
            .find(|(n, _)| n == k)
            .map(|(_, v)| v.clone())
            .unwrap_or_default()
    };
    let p = EvalParams {
        unit: get("unit"),
        unit_pick: get("unit_pick"),
        year: get("year"),
    };
    let mut typed = std::collections::HashMap::new();
    let mut items = Vec::new();
    for (_, v) in fields
        .iter()
        .filter(|(k, _)| k == "team")
        .take(antq_core::registries::teams::limits::BATCH + 1)
    {
        let Ok(id) = v.trim().parse::<i64>() else {
            continue;
        };
        let o = get(&format!("o_{id}"));
        let l = get(&format!("l_{id}"));
        typed.insert(id, (o.clone(), l.clone()));
        if o.trim().is_empty() {
            continue; // not evaluated in this batch
        }
        let (level, not_rated) = match o.strip_prefix("khong:") {
            Some(reason) => (None, Some(reason.to_string())),
            None => (Some(o.clone()), None),
        };
        items.push(RatingIn {
            team_id: id,
            level,
            leader_level: Some(l).filter(|s| !s.trim().is_empty()),
            not_rated,
            notes: String::new(),
        });
    }
    let r = async {
        let year: i32 = p
            .year
            .trim()
            .parse()
            .map_err(|_| super::unprocessable("Năm đánh giá không hợp lệ"))?;
        let end = antq_core::registries::teams::evaluation_period(year)
            .map(|(_, e)| e)
            .unwrap_or_else(dates::today);
        let unit = crate::units::service::resolve_unit(
            &state,
            &p.unit,
            Some(&p.unit_pick),
            end.min(dates::today()),
        )
        .await?;
        let b = super::BatchIn {
            unit: unit.code.clone(),
            year,
            items,
        };
        let n = super::evaluate(&state.db, Some(&ctx.actor), &b).await?;
        Ok::<_, Failure>((unit.code, n))
    }
    .await;
    match r {
        Ok((code, n)) => Ok(crate::pages::done_text(
            &format!(
                "/to-chuc-quan-chung/danh-gia?unit={}&year={}",
                crate::auth::urlencode(&code),
                crate::auth::urlencode(p.year.trim())
            ),
            &format!(
                "Đã ghi đánh giá, xếp loại của {} tổ",
                antq_core::text::format_int(n as i64)
            ),
        )),
        Err(e) => evaluate_page(&state, c, &ctx, &p, Some(&typed), Some(e)).await,
    }
}

pub struct KindRow {
    pub id: i64,
    pub name: String,
    pub mass_org: bool,
    pub active: bool,
}

#[derive(Template)]
#[template(path = "registries/teams/kinds.html")]
struct KindsPage {
    c: Chrome,
    kinds: Vec<KindRow>,
    is_admin: bool,
    rules: Rules,
    rounding: &'static str,
}

/// `GET /to-chuc-quan-chung/loai`: the kinds and the evaluation rules.
pub async fn kinds_page(
    State(state): State<AppState>,
    c: Chrome,
    PageUser(ctx): PageUser,
) -> PageResult<Response> {
    let kinds = store::kinds(&state.db)
        .await?
        .into_iter()
        .map(|k| KindRow {
            id: k.id,
            name: k.name,
            mass_org: k.mass_org,
            active: k.active,
        })
        .collect();
    let rules = store::rules(&state.db).await?;
    render(KindsPage {
        kinds,
        is_admin: ctx.actor.is_national(Action::EditCatalogue),
        rounding: match rules.rounding {
            Rounding::Floor => "floor",
            Rounding::Nearest => "nearest",
            Rounding::Ceil => "ceil",
        },
        rules,
        c,
    })
}

#[derive(Deserialize)]
pub struct KindForm {
    #[serde(default)]
    id: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    mass_org: String,
    #[serde(default)]
    active: String,
}

/// `POST /to-chuc-quan-chung/loai`: add or change a kind.
pub async fn kind_save(
    State(state): State<AppState>,
    PageUser(ctx): PageUser,
    FormBody(f): FormBody<KindForm>,
) -> Response {
    let to = "/to-chuc-quan-chung/loai";
    let r = async {
        let id = match f.id.trim() {
            "" => None,
            s => Some(
                s.parse::<i64>()
                    .map_err(|_| Failure::bad_request("Mã loại không hợp lệ"))?,
            ),
        };
        let active = id.is_none() || !f.active.is_empty();
        store::save_kind(
            &state.db,
            &ctx.actor,
            id,
            &f.name,
            !f.mass_org.is_empty(),
            active,
        )
        .await
        .map_err(Failure::from)
    }
    .await;
    crate::pages::outcome(r, to, "msg.saved", to)
}

#[derive(Deserialize)]
pub struct RulesForm {
    #[serde(default)]
    quota_percent: String,
    #[serde(default)]
    min_months: String,
    #[serde(default)]
    rounding: String,
    #[serde(default)]
    base_includes_excellent: String,
}

/// `POST /to-chuc-quan-chung/quy-dinh`: the evaluation rules.
pub async fn rules_save(
    State(state): State<AppState>,
    PageUser(ctx): PageUser,
    FormBody(f): FormBody<RulesForm>,
) -> Response {
    let to = "/to-chuc-quan-chung/loai";
    let r = async {
        let n = |s: &str, label: &str| {
            s.trim()
                .parse::<u32>()
                .map_err(|_| super::unprocessable(format!("{label} phải là số nguyên")))
        };
        let rules = Rules {
            quota_percent: n(&f.quota_percent, "Tỷ lệ")?,
            min_months: n(&f.min_months, "Số tháng")?,
            rounding: Rounding::parse(&f.rounding)?,
            base_includes_excellent: !f.base_includes_excellent.is_empty(),
        };
        store::set_rules(&state.db, &ctx.actor, &rules)
            .await
            .map_err(Failure::from)
    }
    .await;
    crate::pages::outcome(r, to, "msg.saved", to)
}

#[derive(Template)]
#[template(path = "registries/teams/import.html")]
struct ImportPage {
    c: Chrome,
    done: String,
    message: String,
    errors: Vec<String>,
}

/// `GET /to-chuc-quan-chung/nhap`.
pub async fn import_form(c: Chrome, PageUser(_): PageUser) -> PageResult<Response> {
    render(ImportPage {
        c,
        done: String::new(),
        message: String::new(),
        errors: Vec::new(),
    })
}

/// `POST /to-chuc-quan-chung/nhap` (multipart: file, dry_run): all or nothing.
pub async fn import_upload(
    State(state): State<AppState>,
    c: Chrome,
    PageUser(ctx): PageUser,
    multipart: Multipart,
) -> PageResult<Response> {
    let file = crate::registries::upload::read(&state, multipart).await?;
    let outcome = crate::registries::upload::Outcome::of(
        super::register::import(&state.db, Some(&ctx.actor), &file.bytes, file.dry_run).await,
        file.dry_run,
        |n| format!("{} tổ chức, tổ", antq_core::text::format_int(*n as i64)),
    );
    let page = render(ImportPage {
        c,
        done: outcome.done.clone(),
        message: outcome.message.clone(),
        errors: outcome.errors.clone(),
    })?;
    Ok(outcome.respond(page))
}

/// `GET /to-chuc-quan-chung/mau.xlsx`: the empty template.
pub async fn template(PageUser(_): PageUser) -> Response {
    crate::statistics::Download {
        bytes: super::register::template(),
        content_type: crate::statistics::XLSX,
        filename: "mau-so-to-chuc-quan-chung.xlsx".into(),
    }
    .into_response()
}

#[derive(Deserialize)]
pub struct ExportParams {
    #[serde(default)]
    unit: String,
}

/// `GET /to-chuc-quan-chung/xuat?unit=CODE`: the register as Excel.
pub async fn export(
    State(state): State<AppState>,
    PageUser(ctx): PageUser,
    Query(p): Query<ExportParams>,
) -> PageResult<Response> {
    let bytes = super::register::export(&state.db, Some(&ctx.actor), &p.unit).await?;
    let unit: String = p
        .unit
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .take(12)
        .collect();
    Ok(crate::statistics::Download {
        bytes,
        content_type: crate::statistics::XLSX,
        filename: format!("so-to-chuc-quan-chung-{unit}.xlsx"),
    }
    .into_response())
}
