//! The home page: what waits for this user (reports to enter or fix, with
//! the reason of a return; reports waiting for their approval; deadlines in
//! the next days), their units; for readers not logged in, the portal's news.

use antq_core::dates;
use antq_core::units::Level;
use antq_storage::statistics::worklist;
use askama::Template;
use axum::extract::State;
use axum::response::Response;

use crate::auth::MaybeUser;
use crate::error::PageResult;
use crate::pages::{render, Chrome};
use crate::state::AppState;
use crate::statistics::worklist::{work_row, WorkRow};

/// "Deadlines in the next days": open reports due within this many days.
pub const DUE_SOON_DAYS: i64 = 30;

/// Approvals listed on the home page (the total is said).
const APPROVALS_ON_HOME: i64 = 10;

pub struct GrantRow {
    pub role: &'static str,
    pub unit_name: String,
    pub unit_code: String,
    pub href: String,
    pub validity: String,
}

/// A report due soon, with the days left in words.
pub struct DueRow {
    pub row: WorkRow,
    pub left: String,
}

#[derive(Default)]
pub struct Waiting {
    pub to_fix: Vec<WorkRow>,
    pub to_approve: Vec<WorkRow>,
    pub approve_total: i64,
    pub due: Vec<DueRow>,
}

#[derive(Template)]
#[template(path = "home.html")]
struct HomePage {
    c: Chrome,
    grants: Vec<GrantRow>,
    waiting: Waiting,
}

pub async fn home(
    State(state): State<AppState>,
    c: Chrome,
    MaybeUser(user): MaybeUser,
    headers: axum::http::HeaderMap,
) -> PageResult<Response> {
    // Readers who are not logged in get the public portal's news.
    let Some(ctx) = user else {
        return crate::portal::news::home(
            State(state),
            c,
            headers,
            crate::extract::Query(crate::portal::news::PageQuery::default()),
        )
        .await;
    };
    let today = dates::today();
    let items =
        worklist::to_enter(&state.db, &ctx.actor, today, state.config.early_entry_days).await?;
    let mut waiting = Waiting::default();
    for i in &items {
        if !i.open() {
            continue;
        }
        if i.state == "returned" || i.late {
            waiting.to_fix.push(work_row(c.lang, i));
            continue;
        }
        let Ok(deadline) = dates::parse_date(&i.deadline) else {
            continue;
        };
        let left = (deadline - today).num_days();
        if (0..=DUE_SOON_DAYS).contains(&left) {
            waiting.due.push(DueRow {
                row: work_row(c.lang, i),
                left: if left == 0 {
                    c.t("work.due_today").to_string()
                } else {
                    c.t("work.days_left").replace("{n}", &left.to_string())
                },
            });
        }
    }
    let (approve, total) =
        worklist::to_approve(&state.db, &ctx.actor, today, APPROVALS_ON_HOME).await?;
    waiting.to_approve = approve.iter().map(|i| work_row(c.lang, i)).collect();
    waiting.approve_total = total;
    let grants = ctx
        .actor
        .grants
        .iter()
        .map(|g| {
            let at = g.unit_valid_to.clone().unwrap_or_default();
            let href = if at.is_empty() {
                format!("/don-vi/{}", g.unit_code)
            } else {
                format!("/don-vi/{}?at={at}", g.unit_code)
            };
            GrantRow {
                role: c.role_label(g.role),
                unit_name: if g.unit_level == Level::Nation {
                    c.t("units.country").to_string()
                } else {
                    g.unit_name.clone()
                },
                unit_code: g.unit_code.clone(),
                href,
                validity: crate::units::pages::validity_text(
                    &c,
                    g.unit_valid_from.as_deref(),
                    g.unit_valid_to.as_deref(),
                ),
            }
        })
        .collect();
    render(HomePage { c, grants, waiting })
}
