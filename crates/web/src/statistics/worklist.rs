//! The work lists: the reports a person enters (`/so-lieu`: returned and
//! overdue first, past periods still open included), the reports waiting for
//! their approval, and the completeness of a unit's subunits (`/tien-do/…`,
//! filtered and sorted by state). Periods are written in words.

use antq_core::auth::Role;
use antq_core::dates;
use antq_core::periods::{Calendar, Period};
use antq_core::units::Level;
use antq_core::words;
use antq_storage::statistics::catalogue;
use antq_storage::statistics::worklist::{self, WorkItem};
use askama::Template;
use axum::extract::{Path, State};
use axum::response::Response;

use crate::auth::PageUser;
use crate::error::{Failure, PageResult};
use crate::extract::Query;
use crate::i18n::Lang;
use crate::pages::{render, Chrome};
use crate::state::AppState;
use crate::statistics;

/// Approvals shown at most on one page.
pub const APPROVALS_SHOWN: i64 = 50;

/// A report state in the page's language.
pub fn state_words(lang: Lang, state: &str) -> &'static str {
    match lang {
        Lang::Vi => words::report_state_vi(state),
        Lang::En => words::report_state_en(state),
    }
}

/// A period code in words, with its dates when a calendar is given.
pub fn period_words(lang: Lang, code: &str, calendar: Option<Calendar>) -> String {
    match (lang, calendar) {
        (Lang::Vi, Some(cal)) => words::period_with_dates_vi(code, cal),
        (Lang::Vi, None) => words::period_vi(code),
        (Lang::En, _) => words::period_en(code),
    }
}

fn date_words(iso: &str) -> String {
    dates::parse_date(iso)
        .map(dates::format_vi)
        .unwrap_or_default()
}

/// One report of a work list, as a page shows it.
pub struct WorkRow {
    pub form_name: String,
    pub unit_name: String,
    pub period: String,
    pub deadline: String,
    pub state: String,
    pub state_label: &'static str,
    pub late: bool,
    pub return_comment: String,
    pub href: String,
}

pub fn work_row(lang: Lang, item: &WorkItem) -> WorkRow {
    WorkRow {
        form_name: match lang {
            Lang::Vi => item.form_name.clone(),
            Lang::En => item.form_name_en.clone(),
        },
        unit_name: item.unit_name.clone(),
        period: period_words(lang, &item.period, Some(item.calendar)),
        deadline: date_words(&item.deadline),
        state: item.state.clone(),
        state_label: state_words(lang, &item.state),
        late: item.late,
        return_comment: item.return_comment.clone().unwrap_or_default(),
        href: format!("/so-lieu/{}/{}/{}", item.form, item.unit, item.period),
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
    entries: Vec<WorkRow>,
    approvals: Vec<WorkRow>,
    approvals_total: i64,
    progress: Vec<Choice>,
}

pub async fn index(
    State(state): State<AppState>,
    c: Chrome,
    PageUser(ctx): PageUser,
) -> PageResult<Response> {
    let today = dates::today();
    let items =
        worklist::to_enter(&state.db, &ctx.actor, today, state.config.early_entry_days).await?;
    let entries = items.iter().map(|i| work_row(c.lang, i)).collect();
    let (waiting, approvals_total) =
        worklist::to_approve(&state.db, &ctx.actor, today, APPROVALS_SHOWN).await?;
    let approvals = waiting.iter().map(|i| work_row(c.lang, i)).collect();
    let mut progress = Vec::new();
    for form in worklist::form_heads(&state.db).await? {
        let Ok(period) = Period::containing(today, form.period_type, form.calendar) else {
            continue;
        };
        let name = match c.lang {
            Lang::Vi => &form.name_vi,
            Lang::En => &form.name_en,
        };
        // The current period, and the one before (its reports may be late).
        let mut periods = vec![period];
        if let Ok(prev) = previous(period) {
            periods.push(prev);
        }
        for g in &ctx.actor.grants {
            if g.unit_level == Level::Commune
                || g.unit_valid_to.is_some()
                || !matches!(
                    g.role,
                    Role::Police | Role::Front | Role::Viewer | Role::Admin
                )
            {
                continue;
            }
            let unit_name = if g.unit_level == Level::Nation {
                c.t("units.country").to_string()
            } else {
                g.unit_name.clone()
            };
            for p in &periods {
                progress.push(Choice {
                    label: format!(
                        "{name} · {unit_name} · {}",
                        period_words(c.lang, &p.code(), None)
                    ),
                    href: format!("/tien-do/{}/{}/{}", form.code, g.unit_code, p.code()),
                });
            }
        }
    }
    progress.sort_by(|a, b| a.href.cmp(&b.href));
    progress.dedup_by(|a, b| a.href == b.href);
    render(IndexPage {
        c,
        entries,
        approvals,
        approvals_total,
        progress,
    })
}

fn previous(p: Period) -> Result<Period, antq_core::DomainError> {
    if p.index > 1 {
        Period::new(p.year, p.kind, p.index - 1)
    } else {
        Period::new(p.year - 1, p.kind, p.kind.per_year())
    }
}

pub struct ProgressRow {
    pub unit: String,
    pub name: String,
    pub status: String,
    pub status_label: &'static str,
    pub state_label: &'static str,
    pub late: bool,
    pub href: String,
    pub changed: String,
}

pub struct StatusLink {
    pub status: &'static str,
    pub label: &'static str,
    pub n: usize,
    pub pct: String,
    pub href: String,
    pub current: bool,
}

pub struct SortLink {
    pub label: &'static str,
    pub href: String,
    pub current: bool,
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
    period_words: String,
    deadline: String,
    total: usize,
    shown: usize,
    summary: Vec<StatusLink>,
    sorts: Vec<SortLink>,
    filtered: bool,
    all_href: String,
    rows: Vec<ProgressRow>,
}

/// The statuses of the completeness page, in the order of urgency; each
/// unit has exactly one (a late report counts as late only).
const STATUSES: [&str; 6] = [
    "late",
    "not_started",
    "returned",
    "draft",
    "submitted",
    "approved",
];

/// How the completeness page's list is ordered.
const SORTS: [(&str, &str); 3] = [
    ("name", "work.sort_name"),
    ("state", "work.sort_state"),
    ("changed", "work.sort_changed"),
];

#[derive(Debug, Default, serde::Deserialize)]
pub struct ProgressQuery {
    #[serde(default)]
    state: Option<String>,
    #[serde(default)]
    sort: Option<String>,
}

impl ProgressQuery {
    /// The filter and the order, each one of the accepted words (400 otherwise).
    fn checked(&self) -> Result<(Option<&'static str>, &'static str), Failure> {
        let state = match self.state.as_deref().map(str::trim) {
            None | Some("") => None,
            Some(s) => Some(*STATUSES.iter().find(|x| **x == s).ok_or_else(|| {
                Failure::bad_request(format!(
                    "Không lọc được theo trạng thái \"{}\"; chọn {}",
                    s.chars().take(40).collect::<String>(),
                    words::choices_vi(
                        &STATUSES
                            .iter()
                            .map(|k| (*k, words::report_state_vi(k)))
                            .collect::<Vec<_>>()
                    )
                ))
            })?),
        };
        let sort = match self.sort.as_deref().map(str::trim) {
            None | Some("") => "name",
            Some(s) => {
                SORTS
                    .iter()
                    .find(|(k, _)| *k == s)
                    .ok_or_else(|| {
                        Failure::bad_request(
                            "Không sắp xếp được theo cách này; chọn theo tên (name), theo trạng thái (state) hoặc theo lần cập nhật (changed)",
                        )
                    })?
                    .0
            }
        };
        Ok((state, sort))
    }
}

pub async fn progress(
    State(state): State<AppState>,
    c: Chrome,
    PageUser(ctx): PageUser,
    Path((form, unit, period)): Path<(String, String, String)>,
    Query(q): Query<ProgressQuery>,
) -> PageResult<Response> {
    let (filter, sort) = q.checked()?;
    let comp = statistics::completeness(&state, &ctx.actor, &form, &unit, &period).await?;
    let form_row = catalogue::form(&state.db, &form).await?;
    let base = format!("/tien-do/{}/{}/{}", form_row.code, comp.unit, comp.period);
    let summary = STATUSES
        .iter()
        .map(|k| {
            let n = comp.by_status.get(*k).copied().unwrap_or(0);
            let pct = if comp.total == 0 {
                0.0
            } else {
                n as f64 / comp.total as f64
            };
            StatusLink {
                status: k,
                label: state_words(c.lang, k),
                n,
                pct: antq_core::text::format_percent(pct, 1),
                href: format!("{base}?state={k}&sort={sort}"),
                current: filter == Some(*k),
            }
        })
        .collect();
    let sorts = SORTS
        .iter()
        .map(|(k, label)| SortLink {
            label: c.t(label),
            href: match filter {
                Some(f) => format!("{base}?state={f}&sort={k}"),
                None => format!("{base}?sort={k}"),
            },
            current: *k == sort,
        })
        .collect();
    let mut units: Vec<_> = comp
        .units
        .iter()
        .filter(|u| filter.is_none_or(|f| u.status == f))
        .collect();
    match sort {
        "state" => units.sort_by_key(|u| {
            STATUSES
                .iter()
                .position(|s| *s == u.status)
                .unwrap_or(STATUSES.len())
        }),
        // Newest first, never-changed last.
        "changed" => units.sort_by(|a, b| b.changed_at.cmp(&a.changed_at)),
        _ => {}
    }
    let rows: Vec<ProgressRow> = units
        .iter()
        .map(|u| ProgressRow {
            href: format!("/so-lieu/{}/{}/{}", form_row.code, u.unit, comp.period),
            unit: u.unit.clone(),
            name: u.unit_name.clone(),
            status_label: state_words(c.lang, &u.status),
            state_label: state_words(c.lang, &u.state),
            status: u.status.clone(),
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
        form_name: match c.lang {
            Lang::Vi => form_row.name_vi,
            Lang::En => form_row.name_en,
        },
        unit_name: comp.unit_name,
        period_words: period_words(c.lang, &comp.period, Some(form_row.calendar)),
        period: comp.period,
        deadline: date_words(&comp.deadline),
        total: comp.total,
        shown: rows.len(),
        summary,
        sorts,
        filtered: filter.is_some(),
        all_href: format!("{base}?sort={sort}"),
        rows,
        c,
    })
}
