//! The figures of the two annual assessments as register cells: subjects
//! registered for, recognised as meeting and eligible for the safety
//! standard (TT 124/2021), and the subjects of each band of the movement
//! classification (QĐ 510), per unit and year.
//!
//! Each is a stock of its year (`Latest`), never summed across years: over
//! a range, each unit's figure of the latest year with a round. A round
//! year is one in which the asked subtree holds any record of the register;
//! in a round year every unit with figures in any round year of the range
//! has a cell (0 when it has none that year), so a unit's older figure
//! never stands in for a year it had nothing. The eligible subjects are
//! counted as the recognitions summary counts them (one shared query).

use std::collections::{BTreeMap, BTreeSet, HashMap};

use antq_core::registries::classifications::Band;
use antq_core::registries::year_end;

use crate::db::Db;
use crate::error::StorageResult;
use crate::programmes::figures::register::Grouped;
use crate::registries::recognitions::{summary_impl, Scope};
use crate::statistics::analytics::{MapMode, Query};
use crate::statistics::catalogue::Indicator;

/// Subjects registered for the safety standard in the year.
pub const REGISTERED: &str = "atan_dang_ky";
/// Subjects recognised as meeting it in the year.
pub const RECOGNISED: &str = "atan_cong_nhan";
/// Subjects the standard considers at the year's end.
pub const ELIGIBLE: &str = "atan_du_dieu_kien";
/// Recognised / eligible, in percent (a ratio of the two).
pub const SHARE: &str = "atan_ty_le";
/// Decided classifications of each band in the year.
pub const BANDS: [(&str, Band); 4] = [
    ("pl_xuat_sac", Band::XuatSac),
    ("pl_kha", Band::Kha),
    ("pl_trung_binh", Band::TrungBinh),
    ("pl_yeu", Band::Yeu),
];

/// The indicators fed here as cells.
pub const FEEDS: [&str; 7] = [
    REGISTERED,
    RECOGNISED,
    ELIGIBLE,
    "pl_xuat_sac",
    "pl_kha",
    "pl_trung_binh",
    "pl_yeu",
];

/// Is this a figure of the recognition register (for its records' link)?
pub fn is_recognition(code: &str) -> bool {
    [REGISTERED, RECOGNISED, ELIGIBLE, SHARE].contains(&code)
}

/// The band a classification figure counts.
pub fn band_of(code: &str) -> Option<Band> {
    BANDS.iter().find(|(c, _)| *c == code).map(|(_, b)| *b)
}

/// (source unit, year) → values, one per asked indicator.
type PerUnit = BTreeMap<(i64, i32), Vec<i64>>;

/// The grouped rows of the asked assessment indicators.
pub(crate) async fn rows(
    db: &Db,
    q: &Query<'_>,
    fed: &[&Indicator],
) -> StorageResult<Vec<Grouped>> {
    let id = |code: &str| fed.iter().find(|i| i.code == code).map(|i| i.id);
    let scope = Scope {
        unit_id: q.unit.id,
        map: q.map,
    };
    let (from, to) = (q.range.from, q.range.to);
    let mut out = Vec::new();

    // Recognition: registered, recognised, eligible.
    let rec: Vec<(i64, &str)> = [REGISTERED, RECOGNISED, ELIGIBLE]
        .into_iter()
        .filter_map(|c| id(c).map(|i| (i, c)))
        .collect();
    if !rec.is_empty() {
        let counts = summary_impl::counts_by_unit(db, scope, from, to).await?;
        // The years of assessment are those with a record anywhere: a unit
        // whose subtree registered nothing that year still has its eligible
        // subjects, none recognised (as its parent's view shows it).
        let held: Vec<i64> = sqlx::query_scalar(
            "SELECT DISTINCT year FROM recognitions WHERE year >= $1 AND year <= $2",
        )
        .bind(i64::from(from))
        .bind(i64::from(to))
        .fetch_all(db.pool())
        .await?;
        let years: BTreeSet<i32> = held.into_iter().map(|y| y as i32).collect();
        if !years.is_empty() {
            let mut per: PerUnit = BTreeMap::new();
            for (unit, year, _, registered, recognised) in &counts {
                let v = per
                    .entry((*unit, *year as i32))
                    .or_insert_with(|| vec![0; 3]);
                v[0] += registered;
                v[1] += recognised;
            }
            for e in summary_impl::eligible_by_unit(db, scope).await? {
                for y in &years {
                    let Some(day) = year_end(*y).map(antq_core::dates::iso) else {
                        continue;
                    };
                    if e.on(&day) {
                        per.entry((e.unit_id, *y)).or_insert_with(|| vec![0; 3])[2] += e.count;
                    }
                }
            }
            pad(&mut per, &years, 3);
            let wanted: Vec<(i64, usize)> = rec
                .iter()
                .map(|(i, c)| {
                    (
                        *i,
                        [REGISTERED, RECOGNISED, ELIGIBLE]
                            .iter()
                            .position(|x| x == c)
                            .unwrap_or(0),
                    )
                })
                .collect();
            out.extend(expand(db, q, &per, &wanted).await?);
        }
    }

    // Classification: decided subjects per band.
    let bands: Vec<(i64, usize)> = BANDS
        .iter()
        .enumerate()
        .filter_map(|(n, (c, _))| id(c).map(|i| (i, n)))
        .collect();
    if !bands.is_empty() {
        // The years and ids are integers: safe in the SQL.
        let found: Vec<(i64, i64, String, i64)> = sqlx::query_as(&format!(
            "SELECT c.unit_id, c.year, c.band, COUNT(*) FROM classifications c \
             WHERE c.state = 'decided' AND c.year BETWEEN {from} AND {to} AND {} \
             GROUP BY c.unit_id, c.year, c.band",
            crate::registries::recognitions::subtree_sql("c.unit_id", scope.unit_id, scope.map)
        ))
        .fetch_all(db.pool())
        .await?;
        let years: BTreeSet<i32> = found.iter().map(|c| c.1 as i32).collect();
        let mut per: PerUnit = BTreeMap::new();
        for (unit, year, band, n) in &found {
            let Some(slot) = BANDS.iter().position(|(_, b)| b.code() == band) else {
                continue;
            };
            per.entry((*unit, *year as i32))
                .or_insert_with(|| vec![0; 4])[slot] += n;
        }
        pad(&mut per, &years, 4);
        out.extend(expand(db, q, &per, &bands).await?);
    }
    Ok(out)
}

/// Give every unit with figures a zero cell in each round year it has none.
fn pad(per: &mut PerUnit, years: &BTreeSet<i32>, width: usize) {
    let units: BTreeSet<i64> = per.keys().map(|(u, _)| *u).collect();
    for u in units {
        for y in years {
            per.entry((u, *y)).or_insert_with(|| vec![0; width]);
        }
    }
}

/// The grouped rows of per-unit values: each source unit's subject (itself,
/// or today's unit under `map=current`) with its ancestors in the subtree.
async fn expand(
    db: &Db,
    q: &Query<'_>,
    per: &PerUnit,
    wanted: &[(i64, usize)],
) -> StorageResult<Vec<Grouped>> {
    let mut ids: Vec<i64> = per.keys().map(|(u, _)| *u).collect();
    ids.dedup();
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let subject = match q.map {
        MapMode::Historical => "m.unit_id",
        MapMode::Current => "m.current_id",
    };
    let sql = format!(
        "SELECT m.unit_id, {subject}, t.ancestor_id, t.depth FROM unit_data_map m \
         JOIN unit_tree t ON t.descendant_id = {subject} \
         WHERE m.unit_id IN ({ids}) \
           AND t.ancestor_id IN (SELECT descendant_id FROM unit_tree WHERE ancestor_id = $1)",
        ids = crate::db::id_list(&ids)
    );
    let found: Vec<(i64, i64, i64, i64)> = sqlx::query_as(&sql)
        .bind(q.unit.id)
        .fetch_all(db.pool())
        .await?;
    let mut up: HashMap<i64, Vec<(i64, i64, i64)>> = HashMap::new();
    for (unit, s, a, d) in found {
        up.entry(unit).or_default().push((s, a, d));
    }
    let mut out = Vec::new();
    for ((unit, year), values) in per {
        let Some(ancestors) = up.get(unit) else {
            continue;
        };
        for (ind, slot) in wanted {
            let v = values.get(*slot).copied().unwrap_or(0);
            for (s, a, d) in ancestors {
                out.push((*ind, *s, *a, *d, *year, None, String::new(), v * 1000));
            }
        }
    }
    Ok(out)
}
