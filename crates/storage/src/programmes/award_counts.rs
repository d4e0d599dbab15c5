//! Counts read from the award register: how many collectives and
//! individuals each office gave each form, through a unit's subtree (as it
//! was, or gathered into today's units through lineage), per year or at one
//! conference. Only decided awards and accepted recipients count.

use antq_core::periods::YearRange;
use antq_core::programmes::awards::{AwardCount, RecipientKind};

use crate::db::Db;
use crate::error::StorageResult;
use crate::statistics::analytics::MapMode;

/// One count of the register: form × office × recipient kind × year.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CountRow {
    pub form_code: String,
    pub form: String,
    pub office_code: String,
    /// The office's name: "Chủ tịch UBND tỉnh".
    pub office: String,
    pub recipient_kind: RecipientKind,
    pub year: i32,
    pub count: i64,
}

impl CountRow {
    pub fn as_count(&self) -> AwardCount {
        AwardCount {
            form: self.form.clone(),
            issuer: self.office.clone(),
            recipient_kind: self.recipient_kind,
            count: self.count,
        }
    }
}

/// Which awards to count.
#[derive(Debug, Clone, Copy)]
pub enum Scope {
    /// Awards of a unit's subtree over a range of years; `MapMode::Current`
    /// gathers awards of older units into today's units through lineage.
    Unit {
        unit_id: i64,
        range: YearRange,
        map: MapMode,
    },
    /// The awards presented at one conference.
    Conference(i64),
}

/// The counts, in the register's order of offices and forms, then by
/// recipient kind and year.
pub async fn counts(db: &Db, scope: Scope) -> StorageResult<Vec<CountRow>> {
    let (filter, binds): (String, Vec<i64>) = match scope {
        Scope::Unit {
            unit_id,
            range,
            map,
        } => {
            let subject = match map {
                MapMode::Historical => "a.unit_id",
                MapMode::Current => {
                    "(SELECT m.current_id FROM unit_data_map m WHERE m.unit_id = a.unit_id)"
                }
            };
            (
                format!(
                    "a.year BETWEEN $2 AND $3 AND {subject} IN \
                     (SELECT descendant_id FROM unit_tree WHERE ancestor_id = $1)"
                ),
                vec![unit_id, i64::from(range.from), i64::from(range.to)],
            )
        }
        Scope::Conference(id) => ("a.conference_id = $1".to_string(), vec![id]),
    };
    let sql = format!(
        "SELECT f.code, f.name, o.code, o.name, r.kind, a.year, COUNT(*) \
         FROM awards a \
         JOIN award_recipients r ON r.award_id = a.id \
         JOIN award_forms f ON f.id = a.form_id \
         JOIN award_offices o ON o.id = a.office_id \
         WHERE a.state = 'decided' AND r.state = 'accepted' AND {filter} \
         GROUP BY f.code, f.name, f.position, o.code, o.name, o.position, r.kind, a.year \
         ORDER BY o.position, f.position, r.kind DESC, a.year"
    );
    let mut q = sqlx::query_as::<_, (String, String, String, String, String, i64, i64)>(&sql);
    for b in binds {
        q = q.bind(b);
    }
    let rows = q.fetch_all(db.pool()).await?;
    rows.into_iter()
        .map(
            |(form_code, form, office_code, office, kind, year, count)| {
                Ok(CountRow {
                    form_code,
                    form,
                    office_code,
                    office,
                    recipient_kind: RecipientKind::parse(&kind)?,
                    year: year as i32,
                    count,
                })
            },
        )
        .collect()
}

/// The counts summed over years: one row per office × form × recipient kind.
pub fn over_years(rows: &[CountRow]) -> Vec<AwardCount> {
    let mut out: Vec<AwardCount> = Vec::new();
    for r in rows {
        match out.iter_mut().find(|c| {
            c.issuer == r.office && c.form == r.form && c.recipient_kind == r.recipient_kind
        }) {
            Some(c) => c.count += r.count,
            None => out.push(r.as_count()),
        }
    }
    out
}
