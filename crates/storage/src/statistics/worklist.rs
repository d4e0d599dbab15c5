//! What waits for a person: the reports they enter (returned and overdue
//! first, past periods still open included), the reports waiting for their
//! approval, and when a report may be opened at all (periods that have
//! started, with an early-entry margin). Every list is scoped by the one
//! access policy (`accounts::access`).

use std::collections::HashMap;

use antq_core::auth::{Action, Role};
use antq_core::dates::{self, Date};
use antq_core::periods::{Calendar, Period, PeriodType};
use antq_core::units::Level;
use serde::Serialize;
use sqlx::Row;

use crate::accounts::access::Actor;
use crate::db::Db;
use crate::error::StorageResult;
use crate::statistics::catalogue::Form;
use crate::statistics::reports::check_period;

/// Refuse a period that has not started yet: a report may be opened from
/// `margin_days` before its first day, never earlier (`…/2099` is refused
/// with a Vietnamese message). Returns the period and its dates.
pub fn check_started(
    form: &Form,
    period: &str,
    today: Date,
    margin_days: i64,
) -> StorageResult<(Period, Date, Date)> {
    let (p, start, end) = check_period(form, period)?;
    let opens = start - chrono::Duration::days(margin_days.max(0));
    if today < opens {
        return Err(antq_core::DomainError::invalid(format!(
            "Chưa đến kỳ báo cáo: {} bắt đầu ngày {}; báo cáo kỳ này chỉ mở được từ ngày {}",
            p.words_with_dates_vi(form.calendar),
            dates::format_vi(start),
            dates::format_vi(opens)
        ))
        .into());
    }
    Ok((p, start, end))
}

/// A form without its indicators: what a work list needs.
#[derive(Debug, Clone)]
pub struct FormHead {
    pub id: i64,
    pub code: String,
    pub name_vi: String,
    pub name_en: String,
    pub period_type: PeriodType,
    pub calendar: Calendar,
    pub owner_role: Role,
    pub levels: Vec<Level>,
    pub deadline_days: i64,
}

/// Every form, by code.
pub async fn form_heads(db: &Db) -> StorageResult<Vec<FormHead>> {
    let rows = sqlx::query(
        "SELECT id, code, name_vi, name_en, period_type, calendar, owner_role, levels, deadline_days \
         FROM forms ORDER BY code",
    )
    .fetch_all(db.pool())
    .await?;
    rows.iter()
        .map(|r| {
            let levels: String = r.get(7);
            Ok(FormHead {
                id: r.get(0),
                code: r.get(1),
                name_vi: r.get(2),
                name_en: r.get(3),
                period_type: r.get::<String, _>(4).parse()?,
                calendar: r.get::<String, _>(5).parse()?,
                owner_role: r.get::<String, _>(6).parse()?,
                levels: levels.split(',').filter_map(|l| l.parse().ok()).collect(),
                deadline_days: r.get(8),
            })
        })
        .collect()
}

/// One report on a work list (it may not exist yet: `not_started`).
#[derive(Debug, Clone, Serialize)]
pub struct WorkItem {
    pub form: String,
    pub form_name: String,
    pub form_name_en: String,
    pub calendar: Calendar,
    pub unit: String,
    pub unit_name: String,
    pub period: String,
    pub period_start: String,
    pub period_end: String,
    /// The last day to submit (the period's end and the form's deadline days).
    pub deadline: String,
    /// not_started, draft, returned, submitted, approved
    pub state: String,
    /// Past the deadline and neither submitted nor approved.
    pub late: bool,
    pub return_comment: Option<String>,
    pub changed_at: Option<String>,
    pub changed_by: Option<String>,
}

impl WorkItem {
    /// Still to be entered or fixed by the reporting unit.
    pub fn open(&self) -> bool {
        !matches!(self.state.as_str(), "submitted" | "approved")
    }

    /// The order of a work list: returned, then overdue, then open, then
    /// waiting for approval, then approved; earlier deadlines first.
    fn rank(&self) -> u8 {
        match self.state.as_str() {
            "returned" => 0,
            _ if self.late => 1,
            "draft" | "not_started" => 2,
            "submitted" => 3,
            _ => 4,
        }
    }
}

/// How far back a work list looks for periods without a report (a report
/// already opened and still open is listed whatever its age).
const LOOK_BACK_DAYS: i64 = 365;

/// The reports the actor enters: for each grant whose role owns a form, on a
/// unit valid today at one of the form's levels, every period that started
/// (or opens within `margin_days`) and ended less than a year ago, plus every
/// older report of those units still in draft or returned. Returned and
/// overdue reports come first.
pub async fn to_enter(
    db: &Db,
    actor: &Actor,
    today: Date,
    margin_days: i64,
) -> StorageResult<Vec<WorkItem>> {
    let forms = form_heads(db).await?;
    let mut out = Vec::new();
    for form in &forms {
        let action = Action::EnterData(form.owner_role);
        let mut units: Vec<(i64, String, String)> = actor
            .grants
            .iter()
            .filter(|g| {
                action.permitted_by(g.role)
                    && g.unit_valid_to.is_none()
                    && g.unit_level != Level::Nation
                    && form.levels.contains(&g.unit_level)
            })
            .map(|g| (g.unit_id, g.unit_code.clone(), g.unit_name.clone()))
            .collect();
        units.sort();
        units.dedup();
        if units.is_empty() {
            continue;
        }
        // The periods to show: from the one holding a year ago to the last
        // that opens by today (the early-entry margin).
        let mut periods = Vec::new();
        let opens_by = today + chrono::Duration::days(margin_days.max(0));
        let mut p = Period::containing(
            today - chrono::Duration::days(LOOK_BACK_DAYS),
            form.period_type,
            form.calendar,
        )?;
        loop {
            let (start, end) = p.dates(form.calendar)?;
            if start > opens_by {
                break;
            }
            periods.push((p, start, end));
            match p.next() {
                Ok(n) => p = n,
                Err(_) => break,
            }
        }
        // The reports of these units, scoped by the access policy: those
        // of the periods shown, and older ones still open.
        let ids = crate::db::id_list(&units.iter().map(|u| u.0).collect::<Vec<_>>());
        let scope = actor.scope_sql(action, "r.unit_id");
        let first = periods
            .first()
            .map(|(_, s, _)| dates::iso(*s))
            .unwrap_or_default();
        let rows = sqlx::query(&format!(
            "SELECT r.unit_id, r.period, r.period_start, r.period_end, r.state, r.state_changed_at, \
                    r.state_changed_by, r.return_comment \
             FROM reports r WHERE r.form_id = $1 AND r.unit_id IN ({ids}) AND ({scope}) \
               AND (r.period_start >= $2 OR r.state IN ('draft', 'returned'))"
        ))
        .bind(form.id)
        .bind(first)
        .fetch_all(db.pool())
        .await?;
        let mut found: HashMap<(i64, String), WorkItem> = HashMap::new();
        for r in &rows {
            let unit_id: i64 = r.get(0);
            let Some(u) = units.iter().find(|u| u.0 == unit_id) else {
                continue;
            };
            let period: String = r.get(1);
            let end: String = r.get(3);
            let item = item(
                form,
                u,
                &period,
                r.get(2),
                &end,
                r.get(4),
                today,
                (r.get(5), r.get(6), r.get(7)),
            );
            found.insert((unit_id, period), item);
        }
        // A scoped-out unit (the policy said no) gets no empty rows either.
        let allowed: Vec<i64> = if scope == "1 = 1" {
            units.iter().map(|u| u.0).collect()
        } else {
            allowed_units(db, &scope, &ids).await?
        };
        for u in units.iter().filter(|u| allowed.contains(&u.0)) {
            for (p, start, end) in &periods {
                found.entry((u.0, p.code())).or_insert_with(|| {
                    item(
                        form,
                        u,
                        &p.code(),
                        dates::iso(*start),
                        &dates::iso(*end),
                        "not_started".into(),
                        today,
                        (None, None, None),
                    )
                });
            }
        }
        out.extend(found.into_values());
    }
    sort(&mut out);
    Ok(out)
}

async fn allowed_units(db: &Db, scope: &str, ids: &str) -> StorageResult<Vec<i64>> {
    let sql = format!(
        "SELECT r.unit_id FROM (SELECT id AS unit_id FROM units WHERE id IN ({ids})) r WHERE {scope}"
    );
    Ok(sqlx::query_scalar(&sql).fetch_all(db.pool()).await?)
}

#[allow(clippy::too_many_arguments)]
fn item(
    form: &FormHead,
    unit: &(i64, String, String),
    period: &str,
    start: String,
    end: &str,
    state: String,
    today: Date,
    (changed_at, changed_by, comment): (Option<String>, Option<String>, Option<String>),
) -> WorkItem {
    let deadline = dates::parse_date(end)
        .map(|d| d + chrono::Duration::days(form.deadline_days))
        .unwrap_or(today);
    let late = today > deadline && !matches!(state.as_str(), "submitted" | "approved");
    WorkItem {
        form: form.code.clone(),
        form_name: form.name_vi.clone(),
        form_name_en: form.name_en.clone(),
        calendar: form.calendar,
        unit: unit.1.clone(),
        unit_name: unit.2.clone(),
        period: period.to_string(),
        period_start: start,
        period_end: end.to_string(),
        deadline: dates::iso(deadline),
        return_comment: comment.filter(|_| state == "returned"),
        state,
        late,
        changed_at,
        changed_by,
    }
}

fn sort(items: &mut [WorkItem]) {
    items.sort_by(|a, b| {
        (a.rank(), &a.deadline, &a.form, &a.unit_name).cmp(&(
            b.rank(),
            &b.deadline,
            &b.form,
            &b.unit_name,
        ))
    });
}

/// Submitted reports the actor may approve or return (strictly above the
/// reporting unit, by the one policy), the most urgent first (earliest
/// deadline, then longest waiting), at most `limit`; and how many there are
/// in all.
pub async fn to_approve(
    db: &Db,
    actor: &Actor,
    today: Date,
    limit: i64,
) -> StorageResult<(Vec<WorkItem>, i64)> {
    let limit = limit.clamp(1, 500);
    let mut out = Vec::new();
    let mut total = 0;
    // One query per form: within a form the deadline follows the period's
    // end, so the database orders by urgency and the limit keeps the right rows.
    for form in form_heads(db).await? {
        let scope = actor.scope_sql(Action::Approve(form.owner_role), "r.unit_id");
        if scope == "1 = 0" {
            continue;
        }
        let from = format!(
            "FROM reports r JOIN units u ON u.id = r.unit_id \
             WHERE r.form_id = $1 AND r.state = 'submitted' AND ({scope})"
        );
        let n: i64 = sqlx::query_scalar(&format!("SELECT CAST(COUNT(*) AS BIGINT) {from}"))
            .bind(form.id)
            .fetch_one(db.pool())
            .await?;
        total += n;
        if n == 0 {
            continue;
        }
        let rows = sqlx::query(&format!(
            "SELECT r.unit_id, u.code, u.name, r.period, r.period_start, r.period_end, \
                    r.state_changed_at, r.state_changed_by {from} \
             ORDER BY r.period_end, r.state_changed_at, r.id LIMIT $2"
        ))
        .bind(form.id)
        .bind(limit)
        .fetch_all(db.pool())
        .await?;
        for r in &rows {
            let end: String = r.get(5);
            out.push(item(
                &form,
                &(r.get(0), r.get(1), r.get(2)),
                &r.get::<String, _>(3),
                r.get(4),
                &end,
                "submitted".into(),
                today,
                (r.get(6), r.get(7), None),
            ));
        }
    }
    out.sort_by(|a, b| (&a.deadline, &a.changed_at).cmp(&(&b.deadline, &b.changed_at)));
    out.truncate(limit as usize);
    Ok((out, total))
}
