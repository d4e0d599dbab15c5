//! The figures the registries give: award indicators from the award
//! register, event counts per year (Ngày hội sites, forums), where each
//! figure came from (form, register or both), and the reconciliation of a
//! unit's reported award figures with its register.
//! (Owned by the figures work of issue 12.)
//!
//! antq never adds a register count to a reported figure of the same unit
//! and year: the register's stands, the row says `both` and flags any
//! difference (`register_differs_from_form`), and the reconciliation view
//! lists both (see `figures_register` for the pairing).

use std::collections::BTreeMap;

use antq_core::indicators::{Aggregation, Qualifier};
use antq_core::programmes::FigureSource;

use crate::statistics::analytics::{group_of, Acc, By, Fact, Origin, Query};

#[path = "figures_reconcile.rs"]
pub mod reconcile;
#[path = "figures_register.rs"]
pub mod register;

pub use register::{gather, is_register_fed, Registered};

/// The flag of a figure where the register and a form both counted the
/// same unit and year (the register's is shown).
pub const FLAG_BOTH: &str = "register_replaces_form";
/// The flag of a figure where they differed.
pub const FLAG_DIFFERS: &str = "register_differs_from_form";

/// The row a fact falls in: its period group and unit (the asked unit, or
/// its child by `child`).
fn slot(f: &Fact, q: &Query<'_>) -> (String, i64, bool) {
    let (label, coarser) = group_of(f, q.by, &q.range);
    let unit = match q.by {
        Some(By::Child) | Some(By::ChildYear) => f.child.unwrap_or(q.unit.id),
        _ => q.unit.id,
    };
    (label, unit, coarser)
}

/// Put the register counts into a rollup: the form values they replace
/// leave it (dropped from the values read, or taken out of the rollup
/// sums), the counts come in, marked with their origin.
pub(crate) fn apply(
    reg: &Registered,
    q: &Query<'_>,
    fast_ids: &[i64],
    facts: &mut Vec<Fact>,
    pre: &mut BTreeMap<(i64, String, i64), Acc>,
) {
    facts.retain(|f| !reg.replaces(f.subject, f.period.year, f.indicator_id));
    for f in reg
        .replaced_forms
        .iter()
        .filter(|f| fast_ids.contains(&f.indicator_id))
    {
        let fact = Fact {
            indicator_id: f.indicator_id,
            source_unit: f.subject,
            subject: f.subject,
            period: f.period,
            period_end: String::new(),
            approved: f.approved,
            milli: f.milli,
            qualifier: Qualifier::Exact,
            split: false,
            child: f.child,
            origin: Origin::Form,
        };
        let (label, unit, _) = slot(&fact, q);
        if let Some(acc) = pre.get_mut(&(f.indicator_id, label, unit)) {
            acc.milli -= f.milli;
            if !f.approved {
                acc.unapproved -= f.milli;
            }
            acc.n -= 1;
        }
    }
    for (c, rho) in reg.cells.iter().zip(&reg.reporting) {
        let origin = match reg.both.get(&(*rho, c.year, c.indicator_id)) {
            Some((register, form)) => Origin::Paired {
                differs: register != form,
            },
            None => Origin::Register,
        };
        let fact = Fact {
            indicator_id: c.indicator_id,
            source_unit: *rho,
            subject: *rho,
            period: c.period(),
            // Counts of one year add up whatever their month (for stocks too).
            period_end: format!("{}-12-14", c.year),
            approved: true,
            milli: c.milli,
            qualifier: Qualifier::Exact,
            split: false,
            child: c.child,
            origin,
        };
        if fast_ids.contains(&c.indicator_id) {
            let (label, unit, coarser) = slot(&fact, q);
            pre.entry((c.indicator_id, label, unit)).or_default().add(
                &fact,
                Aggregation::Sum,
                coarser,
            );
        } else {
            facts.push(fact);
        }
    }
    // Rollup cells of these indicators left with neither a form value nor a register count.
    let touched: Vec<i64> = reg.replaced_forms.iter().map(|f| f.indicator_id).collect();
    pre.retain(|(ind, _, _), acc| !touched.contains(ind) || acc.n > 0 || acc.register);
}

/// Where the figure of a row came from, from its accumulators (one, or a
/// ratio's parts).
pub(crate) fn source_of(accs: &[Option<&Acc>]) -> FigureSource {
    let accs = accs.iter().flatten();
    let (mut form, mut register, mut both) = (false, false, false);
    for a in accs {
        form |= a.n > 0;
        register |= a.register;
        both |= a.both;
    }
    match (form || both, register) {
        (_, false) => FigureSource::Form,
        (false, true) => FigureSource::Register,
        (true, true) => FigureSource::Both,
    }
}

/// Flag a row where the register replaced a form value, and where they differed.
pub(crate) fn flag(accs: &[Option<&Acc>], flags: &mut Vec<String>) {
    let accs: Vec<&Acc> = accs.iter().flatten().copied().collect();
    if accs.iter().any(|a| a.both) {
        flags.push(FLAG_BOTH.to_string());
    }
    if accs.iter().any(|a| a.differs) {
        flags.push(FLAG_DIFFERS.to_string());
    }
}
