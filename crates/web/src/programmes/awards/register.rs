//! The award register in Excel, in and out: the page's upload and download
//! and `antq awards import|export` share these two operations.

use std::collections::BTreeMap;

use antq_core::dates;
use antq_core::periods::YearRange;
use antq_core::programmes::awards::{AwardState, NewRecipient};
use antq_core::units::UnitCode;
use antq_office::awards::register::{self as file, ReadRow, RegisterRow};
use antq_storage::accounts::access::Actor;
use antq_storage::programmes::awards::{self as store, Decision, Filter, NewAward};
use antq_storage::statistics::analytics::MapMode;
use antq_storage::{units, Db, StorageError};

use crate::error::Failure;

/// What an import did (or would do, on a dry run).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Imported {
    pub awards: usize,
    pub recipients: usize,
}

type Key = (String, String, String, String, String, String);

fn key(r: &RegisterRow) -> Key {
    (
        r.unit.clone(),
        r.issuer_unit.clone(),
        antq_core::text::fold(&r.form),
        antq_core::text::fold(&r.office),
        r.decision.clone(),
        dates::iso(r.date),
    )
}

/// Resolve one group of rows (one award); errors carry their cells.
async fn resolve(
    db: &Db,
    rows: &[&ReadRow],
    errors: &mut Vec<String>,
) -> Option<(String, NewAward, Decision)> {
    let first = rows[0];
    let r = &first.row;
    let before = errors.len();
    let unit_at = |code: &str, col: u32| {
        let code = code.to_string();
        async move {
            let parsed =
                UnitCode::parse(&code).map_err(|e| format!("{}: {e}", first.place(col)))?;
            match units::find_at(db, &parsed, r.date).await {
                Ok(Some(u)) => Ok(u.id),
                Ok(None) => Err(format!(
                    "{}: không có đơn vị mã {code} vào ngày {}",
                    first.place(col),
                    dates::format_vi(r.date)
                )),
                Err(e) => Err(format!("{}: {e}", first.place(col))),
            }
        }
    };
    let unit_id = unit_at(&r.unit, 0).await.map_err(|e| errors.push(e)).ok();
    let issuer_id = unit_at(&r.issuer_unit, 1)
        .await
        .map_err(|e| errors.push(e))
        .ok();
    let form = store::form_named(db, &r.form).await.ok().flatten();
    if form.is_none() {
        errors.push(format!(
            "{}: không có hình thức khen thưởng \u{201C}{}\u{201D}",
            first.place(2),
            r.form
        ));
    }
    let office = store::office_named(db, &r.office).await.ok().flatten();
    if office.is_none() {
        errors.push(format!(
            "{}: không có cơ quan khen thưởng \u{201C}{}\u{201D}",
            first.place(3),
            r.office
        ));
    }
    if let (Some(f), Some(o)) = (&form, &office) {
        if let Err(e) = store::check_rule(db, o, f).await {
            errors.push(format!("{}: {e}", first.place(3)));
        }
    }
    let mut recipients = Vec::new();
    for x in rows {
        let rr = &x.row;
        match NewRecipient::parse(rr.kind.code(), &rr.name, &rr.position, &rr.body) {
            Ok(n) => recipients.push(n),
            Err(e) => errors.push(format!("{}: {e}", x.place(7))),
        }
    }
    if errors.len() > before {
        return None;
    }
    let (Some(unit_id), Some(issuer_unit_id), Some(f), Some(o)) =
        (unit_id, issuer_id, form, office)
    else {
        return None;
    };
    let last = rows[rows.len() - 1].line + 1;
    let label = format!("{}, dòng {}–{last}", file::SHEET, first.line + 1);
    Some((
        label,
        NewAward {
            form_id: f.id,
            office_id: o.id,
            unit_id,
            issuer_unit_id,
            reason: r.reason.clone(),
            conference_id: None,
            recipients,
            proposed_on: r.date,
        },
        Decision {
            reference: r.decision.clone(),
            date: r.date,
        },
    ))
}

/// Import a register file, all or nothing (`actor`: None for the command line).
pub async fn import(
    db: &Db,
    actor: Option<&Actor>,
    bytes: &[u8],
    dry_run: bool,
) -> Result<Imported, Failure> {
    let rows = file::read(bytes).map_err(|e| Failure::from(StorageError::Rejected(e)))?;
    let mut groups: BTreeMap<Key, Vec<&ReadRow>> = BTreeMap::new();
    for r in &rows {
        groups.entry(key(&r.row)).or_default().push(r);
    }
    let mut errors = Vec::new();
    let mut items = Vec::new();
    for g in groups.values() {
        if g.len() > antq_core::programmes::awards::limits::MAX_RECIPIENTS {
            errors.push(format!(
                "{}: một quyết định có quá {} người nhận",
                g[0].place(4),
                antq_core::programmes::awards::limits::MAX_RECIPIENTS
            ));
            continue;
        }
        if let Some(item) = resolve(db, g, &mut errors).await {
            items.push(item);
        }
    }
    if !errors.is_empty() {
        return Err(StorageError::Rejected(errors).into());
    }
    let awards = store::record_many(db, actor, &items, dry_run).await?;
    Ok(Imported {
        awards,
        recipients: rows.len(),
    })
}

/// The decided awards of a unit (with lineage) over years, as an Excel file.
pub async fn export(
    db: &Db,
    actor: Option<&Actor>,
    unit: &str,
    range: YearRange,
) -> Result<Vec<u8>, Failure> {
    let u = units::get_at(db, &UnitCode::parse(unit)?, dates::today()).await?;
    if let Some(a) = actor {
        antq_storage::accounts::access::require(db, a, antq_core::auth::Action::Read, u.id).await?;
    }
    let f = Filter {
        unit: Some((u.id, MapMode::Current)),
        years: Some(range),
        state: Some(AwardState::Decided),
        ..Filter::default()
    };
    let mut awards = store::list(db, actor, &f).await?;
    awards.reverse(); // oldest first in a register
    let mut rows = Vec::new();
    for a in &awards {
        let (Some(reference), Some(date)) = (&a.decision_reference, &a.decided_on) else {
            continue;
        };
        let date = dates::parse_date(date)?;
        for r in a.recipients.iter().filter(|r| r.state == "accepted") {
            rows.push(RegisterRow {
                unit: a.unit.code.clone(),
                issuer_unit: a.issuer_unit.code.clone(),
                form: a.form.name.clone(),
                office: a.office.name.clone(),
                decision: reference.clone(),
                date,
                kind: r.kind,
                name: r.name.clone(),
                position: r.office.clone(),
                body: r.body.clone(),
                reason: a.reason.clone(),
            });
        }
    }
    file::write(&rows).map_err(|e| Failure::new(axum::http::StatusCode::INTERNAL_SERVER_ERROR, e))
}
