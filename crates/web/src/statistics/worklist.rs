//! The work lists: the reports a person enters (`/so-lieu`) and the
//! completeness of a unit's subunits (`/tien-do/…`).

use antq_core::auth::Role;
use antq_core::dates;
use antq_core::periods::{Period, PeriodType};
use antq_core::units::Level;
use antq_storage::statistics::catalogue::{self, Form};
use askama::Template;
use axum::extract::{Path, State};
use axum::response::Response;

use crate::auth::PageUser;
use crate::error::PageResult;
use crate::pages::{render, Chrome};
use crate::state::AppState;
use crate::statistics;

fn state_label(state: &str) -> &'static str {
    match state {
        "draft" => "Đang nhập",
        "submitted" => "Đã gửi, chờ duyệt",
        "approved" => "Đã duyệt",
        "returned" => "Bị trả lại",
        _ => "Chưa nhập",
    }
}

pub struct Choice {
    pub label: String,
    pub href: String,
}

#[derive(Template)]
#[template(path = "data/index.html")]
struct IndexPage {
    c: Chrome,
    entries: Vec<Choice>,
    progress: Vec<Choice>,
}

/// The period to report now: the latest one that has ended, or the current one.
fn recent_period(form: &Form) -> Period {
    Period::containing(dates::today(), form.period_type, form.calendar)
        .unwrap_or(Period::year(2026))
}

pub async fn index(
    State(state): State<AppState>,
    c: Chrome,
    PageUser(ctx): PageUser,
) -> PageResult<Response> {
    let mut entries = Vec::new();
    let mut progress = Vec::new();
    for (code, name) in catalogue::form_codes(&state.db).await? {
        let form = catalogue::form(&state.db, &code).await?;
        let period = recent_period(&form);
        let previous = match form.period_type {
            PeriodType::Year => Period::year(period.year - 1),
            _ => period,
        };
        for g in &ctx.actor.grants {
            if g.unit_level == Level::Nation || g.unit_valid_to.is_some() {
                continue;
            }
            if g.role == form.owner_role && form.levels.contains(&g.unit_level) {
                for p in [period, previous] {
                    entries.push(Choice {
                        label: format!("{name} · {} · kỳ {}", g.unit_name, p.code()),
                        href: format!("/so-lieu/{code}/{}/{}", g.unit_code, p.code()),
                    });
                }
            }
            if g.unit_level != Level::Commune
                && matches!(
                    g.role,
                    Role::Police | Role::Front | Role::Viewer | Role::Admin
                )
            {
                progress.push(Choice {
                    label: format!("{name} · {} · kỳ {}", g.unit_name, period.code()),
                    href: format!("/tien-do/{code}/{}/{}", g.unit_code, period.code()),
                });
            }
        }
    }
    entries.dedup_by(|a, b| a.href == b.href);
    progress.dedup_by(|a, b| a.href == b.href);
    render(IndexPage {
        c,
        entries,
        progress,
    })
}

pub struct ProgressRow {
    pub unit: String,
    pub name: String,
    pub state: String,
    pub state_label: &'static str,
    pub late: bool,
    pub href: String,
    pub changed: String,
}

#[derive(Template)]
#[template(path = "data/progress.html")]
struct ProgressPage {
    c: Chrome,
    form_code: String,
    unit_code: String,
    form_name: String,
    unit_name: String,
    period: String,
    deadline: String,
    total: usize,
    summary: Vec<(&'static str, usize, String)>,
    rows: Vec<ProgressRow>,
}

pub async fn progress(
    State(state): State<AppState>,
    c: Chrome,
    PageUser(ctx): PageUser,
    Path((form, unit, period)): Path<(String, String, String)>,
) -> PageResult<Response> {
    let comp = statistics::completeness(&state, &ctx.actor, &form, &unit, &period).await?;
    let form_row = catalogue::form(&state.db, &form).await?;
    let summary = [
        "not_started",
        "draft",
        "returned",
        "submitted",
        "approved",
        "late",
    ]
    .iter()
    .map(|k| {
        let n = comp.counts.get(*k).copied().unwrap_or(0);
        let pct = comp.percent.get(*k).copied().unwrap_or(0.0) / 100.0;
        let label = if *k == "late" {
            "Trễ hạn"
        } else {
            state_label(k)
        };
        (label, n, antq_core::text::format_percent(pct, 1))
    })
    .collect();
    let rows = comp
        .units
        .iter()
        .map(|u| ProgressRow {
            href: format!("/so-lieu/{}/{}/{}", form_row.code, u.unit, comp.period),
            unit: u.unit.clone(),
            name: u.unit_name.clone(),
            state_label: state_label(&u.state),
            state: u.state.clone(),
            late: u.late,
            changed: u
                .changed_at
                .as_deref()
                .map(dates::format_timestamp_vi)
                .unwrap_or_default(),
        })
        .collect();
    render(ProgressPage {
        form_code: form_row.code.clone(),
        unit_code: comp.unit.clone(),
        form_name: form_row.name_vi,
        unit_name: comp.unit_name,
        period: comp.period,
        deadline: dates::parse_date(&comp.deadline)
            .map(dates::format_vi)
            .unwrap_or_default(),
        total: comp.total,
        summary,
        rows,
        c,
    })
}
