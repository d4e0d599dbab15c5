//! Who has reported: the reporting units under a parent and their states.

use std::collections::HashMap;

use antq_core::dates::{self, Date};
use serde::Serialize;
use sqlx::Row;

use crate::db::Db;
use crate::error::StorageResult;
use crate::statistics::catalogue::Form;
use crate::units::{self, Unit, UnitQuery};

use super::*;

/// One reporting unit's status for a period.
#[derive(Debug, Clone, Serialize)]
pub struct UnitStatus {
    pub unit: String,
    pub unit_name: String,
    /// not_started, draft, submitted, approved, returned
    pub state: String,
    pub late: bool,
    /// The state as a person counts it, one per unit: `late` for a report
    /// past its deadline and not submitted, else `state`. Counted in
    /// `by_status`, so "chưa nhập" and "trễ hạn" never count a unit twice.
    pub status: String,
    pub changed_at: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Completeness {
    pub form: String,
    pub unit: String,
    pub unit_name: String,
    pub period: String,
    pub deadline: String,
    pub total: usize,
    /// Counts by state (and `late`, which overlaps the open states).
    pub counts: HashMap<String, usize>,
    /// Share of the units in each state, 0–100.
    pub percent: HashMap<String, f64>,
    /// Counts by `status`: not_started, draft, returned, submitted,
    /// approved, late; each unit in exactly one, so they sum to `total`.
    pub by_status: HashMap<String, usize>,
    pub units: Vec<UnitStatus>,
}

/// The units that report a form for a period under `parent` (the versions
/// valid on its last day, the parent first if it reports too).
pub async fn reporting_units(
    db: &Db,
    form: &Form,
    parent: &Unit,
    period: &str,
) -> StorageResult<Vec<Unit>> {
    let (_, _, end) = check_period(form, period)?;
    let mut out = Vec::new();
    if form.levels.contains(&parent.level) {
        out.push(parent.clone());
    }
    for level in &form.levels {
        if *level == parent.level {
            continue;
        }
        out.extend(
            units::list(
                db,
                &UnitQuery {
                    at: end,
                    level: Some(*level),
                    parent_id: Some(parent.id),
                    q: None,
                    limit: None,
                },
            )
            .await?,
        );
    }
    Ok(out)
}

/// Which units under `parent` report the form for the period (the versions
/// valid at its end, at the form's levels, the parent included), and how far each is.
pub async fn completeness(
    db: &Db,
    form: &Form,
    parent: &Unit,
    period: &str,
    today: Date,
) -> StorageResult<Completeness> {
    let (p, _, end) = check_period(form, period)?;
    let deadline = end + chrono::Duration::days(form.deadline_days);
    let reporting = reporting_units(db, form, parent, period).await?;
    let rows = sqlx::query(
        "SELECT r.unit_id, r.state, r.state_changed_at FROM reports r \
         WHERE r.form_id = $1 AND r.period = $2 \
         AND r.unit_id IN (SELECT descendant_id FROM unit_tree WHERE ancestor_id = $3)",
    )
    .bind(form.id)
    .bind(p.code())
    .bind(parent.id)
    .fetch_all(db.pool())
    .await?;
    let states: HashMap<i64, (String, String)> = rows
        .iter()
        .map(|r| (r.get(0), (r.get(1), r.get(2))))
        .collect();
    let overdue = today > deadline;
    let mut counts: HashMap<String, usize> = HashMap::new();
    let mut by_status: HashMap<String, usize> = HashMap::new();
    let units: Vec<UnitStatus> = reporting
        .iter()
        .map(|u| {
            let (state, changed_at) = match states.get(&u.id) {
                Some((s, at)) => (s.clone(), Some(at.clone())),
                None => ("not_started".to_string(), None),
            };
            let late = overdue && !matches!(state.as_str(), "submitted" | "approved");
            *counts.entry(state.clone()).or_default() += 1;
            if late {
                *counts.entry("late".into()).or_default() += 1;
            }
            let status = if late {
                "late".to_string()
            } else {
                state.clone()
            };
            *by_status.entry(status.clone()).or_default() += 1;
            UnitStatus {
                status,
                unit: u.code.clone(),
                unit_name: u.name.clone(),
                state,
                late,
                changed_at,
            }
        })
        .collect();
    let total = units.len();
    let percent = counts
        .iter()
        .map(|(k, v)| {
            (
                k.clone(),
                if total == 0 {
                    0.0
                } else {
                    (*v as f64) * 100.0 / total as f64
                },
            )
        })
        .collect();
    Ok(Completeness {
        form: form.code.clone(),
        unit: parent.code.clone(),
        unit_name: parent.name.clone(),
        period: p.code(),
        deadline: dates::iso(deadline),
        total,
        counts,
        percent,
        by_status,
        units,
    })
}
