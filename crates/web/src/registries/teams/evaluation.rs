//! The batch evaluation of a unit's teams for a year
//! (`/to-chuc-quan-chung/danh-gia`): every team's outcome and its leader's
//! on one page, saved all or nothing under the quota and leader rules.

use antq_core::dates;
use antq_core::registries::teams::{Level, NotRated};
use antq_storage::registries::teams as store;
use askama::Template;
use axum::extract::{Query, State};
use axum::response::Response;
use axum::Form as FormBody;
use serde::Deserialize;

use super::pages::{vi, with_status};
use super::RatingIn;
use crate::auth::PageUser;
use crate::error::{Failure, PageResult};
use crate::pages::{render, Chrome};
use crate::state::AppState;
use crate::units::pages::UnitPicker;

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
