//! Sums read from the rollups maintained on write (`rollup_year`, and
//! `rollup_part` by half, quarter or month) instead of the reports.

use std::collections::BTreeMap;

use antq_core::indicators::Qualifier;
use antq_core::units::Level;

use super::{label_of, Acc, By, MapMode, Query};
use crate::db::Db;
use crate::error::StorageResult;

/// indicator, node, year, approved, sum, values, more, nearly, about, split
type RollupRow = (i64, i64, i64, i64, i64, i64, i64, i64, i64, i64);

/// Sums read from the rollups maintained on write (flows, by year or in
/// total, or by child unit): a few hundred rows whatever the data volume.
pub(super) async fn from_rollups(
    db: &Db,
    q: &Query<'_>,
    ids: &[i64],
) -> StorageResult<BTreeMap<(i64, String, i64), Acc>> {
    let mut accs: BTreeMap<(i64, String, i64), Acc> = BTreeMap::new();
    if ids.is_empty() {
        return Ok(accs);
    }
    let id_list = crate::db::id_list(ids);
    let kind = match q.map {
        MapMode::Historical => "h",
        MapMode::Current => "c",
    };
    let approved = if q.approved_only {
        "AND approved = 1"
    } else {
        ""
    };
    let by_child = matches!(q.by, Some(By::Child) | Some(By::ChildYear));
    // The nodes as a literal list of ids (integers from the database), so
    // both planners read the primary key once per node instead of scanning.
    let mut node_ids = vec![q.unit.id];
    // Communes have no node of their own in the rollups (a commune's yearly
    // sums are its own reports', and in today's map those of the older
    // units mapped into it: see `rollups`); they are summed from their
    // values, a few hundred reports each.
    let mut leaf_ids = Vec::new();
    if q.unit.level == Level::Commune {
        leaf_ids.push(q.unit.id);
        node_ids.clear();
    }
    if by_child {
        let children: Vec<(i64, String)> =
            sqlx::query_as("SELECT id, level FROM units WHERE parent_id = $1")
                .bind(q.unit.id)
                .fetch_all(db.pool())
                .await?;
        for (id, level) in children {
            if level == Level::Commune.as_str() {
                leaf_ids.push(id);
            } else {
                node_ids.push(id);
            }
        }
    }
    // Halves, quarters and months: the years and their parts in one
    // statement (`by_part`), so both come from one snapshot.
    let fine = matches!(q.by, Some(By::Half) | Some(By::Quarter) | Some(By::Month));
    let mut rows: Vec<RollupRow> = Vec::new();
    if !node_ids.is_empty() && !fine {
        let sql = format!(
            "SELECT indicator_id, node_id, period_year, approved, CAST(SUM(sum_milli) AS BIGINT), \
                    CAST(SUM(n_values) AS BIGINT), CAST(SUM(n_more) AS BIGINT), CAST(SUM(n_nearly) AS BIGINT), \
                    CAST(SUM(n_about) AS BIGINT), CAST(SUM(n_split) AS BIGINT) \
             FROM rollup_year WHERE map_kind = '{kind}' AND indicator_id IN ({id_list}) \
               AND period_year BETWEEN $1 AND $2 {approved} AND node_id IN ({nodes}) \
             GROUP BY indicator_id, node_id, period_year, approved",
            nodes = crate::db::id_list(&node_ids)
        );
        rows = sqlx::query_as(&sql)
            .bind(i64::from(q.range.from))
            .bind(i64::from(q.range.to))
            .fetch_all(db.pool())
            .await?;
    }
    if !leaf_ids.is_empty() {
        let approved = if q.approved_only {
            "AND r.state = 'approved'"
        } else {
            ""
        };
        // The unit each report counts for: itself as it was, or the commune
        // of today it maps to (and whether it came from a split unit).
        let (subject, split) = match q.map {
            MapMode::Historical => ("r.unit_id", "0"),
            MapMode::Current => ("m.current_id", "m.split"),
        };
        let sql = format!(
            "SELECT {subject}, r.period_year, CASE WHEN r.state = 'approved' THEN 1 ELSE 0 END, \
                    CASE WHEN {split} <> 0 THEN 1 ELSE 0 END, b.body \
             FROM reports r JOIN report_values b ON b.report_id = r.id \
             JOIN unit_data_map m ON m.unit_id = r.unit_id \
             WHERE {subject} IN ({units}) AND r.period_year BETWEEN $1 AND $2 {approved}",
            units = crate::db::id_list(&leaf_ids)
        );
        let reports: Vec<(i64, i64, i64, i64, Vec<u8>)> = sqlx::query_as(&sql)
            .bind(i64::from(q.range.from))
            .bind(i64::from(q.range.to))
            .fetch_all(db.pool())
            .await?;
        // (indicator, unit, year, approved) → [sum, values, more, nearly, about, split]
        let mut sums: BTreeMap<(i64, i64, i64, i64), [i64; 6]> = BTreeMap::new();
        for (unit, year, approved, split, body) in &reports {
            for e in crate::statistics::report_values::entries(body)? {
                let e = e?;
                if !ids.contains(&e.indicator_id) {
                    continue;
                }
                let s = sums
                    .entry((e.indicator_id, *unit, *year, *approved))
                    .or_default();
                s[0] += e.milli;
                s[1] += 1;
                s[5] += split;
                match e.qualifier {
                    Qualifier::MoreThan => s[2] += 1,
                    Qualifier::Nearly => s[3] += 1,
                    Qualifier::About => s[4] += 1,
                    Qualifier::Exact => {}
                }
            }
        }
        rows.extend(sums.into_iter().map(
            |((ind, unit, year, approved), [sum, n, more, nearly, about, split])| {
                (
                    ind, unit, year, approved, sum, n, more, nearly, about, split,
                )
            },
        ));
    }
    let mut labelled: Vec<(String, bool, RollupRow)> = if fine {
        by_part(db, q, &id_list, kind, approved, &node_ids).await?
    } else {
        Vec::new()
    };
    labelled.extend(rows.into_iter().map(|r| {
        let label = match q.by {
            Some(By::Year) | Some(By::ChildYear) => r.2.to_string(),
            _ => q.range.code(),
        };
        (label, false, r)
    }));
    // By child: the unit's own reports are what its node holds beyond its children.
    let mut own: BTreeMap<(i64, String, bool), [i64; 6]> = BTreeMap::new();
    for (label, coarser, (ind, node, _, appr, sum, n, more, nearly, about, split)) in labelled {
        if n == 0 && sum == 0 {
            continue;
        }
        if by_child {
            let sign = if node == q.unit.id { 1 } else { -1 };
            let e = own.entry((ind, label.clone(), appr != 0)).or_insert([0; 6]);
            for (slot, v) in e.iter_mut().zip([sum, n, more, nearly, about, split]) {
                *slot += sign * v;
            }
            if node == q.unit.id {
                continue;
            }
        }
        let acc = accs.entry((ind, label, node)).or_default();
        acc.add_sum(sum, n, appr != 0, [more, nearly, about], split);
        acc.coarser |= coarser;
    }
    for ((ind, label, appr), [sum, n, more, nearly, about, split]) in own {
        if n != 0 || sum != 0 {
            accs.entry((ind, label, q.unit.id)).or_default().add_sum(
                sum,
                n,
                appr,
                [more, nearly, about],
                split,
            );
        }
    }
    Ok(accs)
}

/// The sums of the nodes by half, quarter or month: the rows of
/// `rollup_part` in their group, and what the year holds beyond its parts
/// (yearly reports, or halves when quarters are asked) in the year's group,
/// marked coarser than asked. Years and parts are read in one statement:
/// a save committed between two reads would make the difference wrong.
async fn by_part(
    db: &Db,
    q: &Query<'_>,
    id_list: &str,
    kind: &str,
    approved: &str,
    node_ids: &[i64],
) -> StorageResult<Vec<(String, bool, RollupRow)>> {
    if node_ids.is_empty() {
        return Ok(Vec::new());
    }
    let sums = "CAST(SUM(sum_milli) AS BIGINT), CAST(SUM(n_values) AS BIGINT), CAST(SUM(n_more) AS BIGINT), \
                CAST(SUM(n_nearly) AS BIGINT), CAST(SUM(n_about) AS BIGINT), CAST(SUM(n_split) AS BIGINT)";
    let filter = format!(
        "map_kind = '{kind}' AND indicator_id IN ({id_list}) AND period_year BETWEEN $1 AND $2 {approved} \
         AND node_id IN ({nodes})",
        nodes = crate::db::id_list(node_ids)
    );
    let sql = format!(
        "SELECT indicator_id, node_id, period_year, approved, CAST(0 AS BIGINT), {sums} \
         FROM rollup_year WHERE {filter} GROUP BY indicator_id, node_id, period_year, approved \
         UNION ALL \
         SELECT indicator_id, node_id, period_year, approved, period_part, {sums} \
         FROM rollup_part WHERE {filter} GROUP BY indicator_id, node_id, period_year, approved, period_part"
    );
    type PartRow = (i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64);
    let rows: Vec<PartRow> = sqlx::query_as(&sql)
        .bind(i64::from(q.range.from))
        .bind(i64::from(q.range.to))
        .fetch_all(db.pool())
        .await?;
    // (indicator, node, year, approved) → the year's sums less its parts
    let mut rest: BTreeMap<(i64, i64, i64, i64), [i64; 6]> = BTreeMap::new();
    let mut out = Vec::with_capacity(rows.len());
    for (ind, node, year, appr, part, sum, n, more, nearly, about, split) in rows {
        let numbers = [sum, n, more, nearly, about, split];
        let e = rest.entry((ind, node, year, appr)).or_default();
        let sign = if part == 0 { 1 } else { -1 };
        for (slot, v) in e.iter_mut().zip(numbers) {
            *slot += sign * v;
        }
        if part == 0 {
            continue;
        }
        let Some(period) = i32::try_from(year)
            .ok()
            .and_then(|y| crate::statistics::rollups::period_of_part(y, part))
        else {
            continue;
        };
        let (label, coarser) = label_of(&period, q.by, &q.range);
        let row = (ind, node, year, appr, sum, n, more, nearly, about, split);
        out.push((label, coarser, row));
    }
    for ((ind, node, year, appr), [sum, n, more, nearly, about, split]) in rest {
        let row = (ind, node, year, appr, sum, n, more, nearly, about, split);
        out.push((year.to_string(), true, row));
    }
    Ok(out)
}

/// The yearly sums of breakdown options of a unit above the commune, read
/// from `rollup_option` (its node's rows over the range).
pub(super) async fn option_sums(
    db: &Db,
    q: &Query<'_>,
    with_options: &[&crate::statistics::catalogue::Indicator],
) -> StorageResult<super::options::OptionSums> {
    let kind = match q.map {
        MapMode::Historical => "h",
        MapMode::Current => "c",
    };
    let approved = if q.approved_only {
        "AND approved = 1"
    } else {
        ""
    };
    let ids: Vec<i64> = with_options.iter().map(|i| i.id).collect();
    let rows: Vec<(i64, String, i64, i64, i64, i64)> = sqlx::query_as(&format!(
        "SELECT indicator_id, option_code, CAST(SUM(sum_milli) AS BIGINT), CAST(SUM(n_more) AS BIGINT), \
                CAST(SUM(n_nearly) AS BIGINT), CAST(SUM(n_about) AS BIGINT) \
         FROM rollup_option WHERE node_id = $1 AND map_kind = '{kind}' AND indicator_id IN ({ids}) \
           AND period_year BETWEEN $2 AND $3 {approved} \
         GROUP BY indicator_id, option_code HAVING SUM(n_values) <> 0",
        ids = crate::db::id_list(&ids)
    ))
    .bind(q.unit.id)
    .bind(i64::from(q.range.from))
    .bind(i64::from(q.range.to))
    .fetch_all(db.pool())
    .await?;
    Ok(rows
        .into_iter()
        .map(|(ind, option, milli, more, nearly, about)| {
            ((ind, option), [milli, more, nearly, about])
        })
        .collect())
}
