//! The demo's movement statistics: 2013–2026 yearly reports for Điện Biên,
//! old Đồng Tháp and old Tiền Giang (and today's Điện Biên and Đồng Tháp)
//! and their communes. The 2013–2023 totals reproduce what the provinces
//! reported in their 10-year reviews (`shared/source-article.txt`); values
//! are spread over units and years by a fixed pseudo-random sequence, so
//! every load gives the same figures. Weapons handed in are counted by unit
//! of measure (guns, rounds, kg of explosives, support tools; the figures
//! are plausible, the article gives none). Reports up to 2024 are approved; 2025
//! has some late, returned and waiting reports; 2026 is in progress.

use std::collections::HashMap;

use antq_core::dates;
use antq_core::periods::Period;
use antq_core::units::{Level, UnitCode};
use serde_json::json;

use crate::audit::{self, Change, Who};
use crate::batch::Val;
use crate::db::Db;
use crate::error::StorageResult;
use crate::statistics::catalogue::{self, Form};
use crate::units::{self, next_id, sync_sequence, Unit, UnitQuery};

/// 2013–2023 totals of flows, and 2023 totals of stocks, by indicator.
struct Province {
    /// The model types its registers use (see `registers`).
    types: registers::Types,
    code: &'static str,
    /// A date when the version meant is valid.
    at: &'static str,
    flows: &'static [(&'static str, i64)],
    stocks: &'static [(&'static str, i64)],
}

/// Old Đồng Tháp (87): "trên 32.000 cuộc ... trên 3 triệu lượt người; 22 diễn
/// đàn ... trên 4.500 lượt; trên 27.000 đối tượng, trong đó 9.779 tiến bộ;
/// trên 44.000 nguồn tin có giá trị".
const DONG_THAP_87: Province = Province {
    types: registers::Types {
        offset: 14,
        count: 36,
    },
    code: "87",
    at: "2023-06-30",
    flows: &[
        ("tt_buoi", 32_146),
        ("tt_luot", 3_048_210),
        ("dd_so", 22),
        ("dd_luot", 4_530),
        ("gd_doi_tuong", 27_135),
        ("gd_tien_bo", 9_779),
        ("nguon_tin", 61_480),
        ("nguon_tin_gia_tri", 44_215),
        ("yk_dong_gop", 12_360),
        ("mh_moi", 38),
        ("mh_nhan_rong", 75),
        ("ngay_hoi", 1_540),
        ("vk_sung", 124),
        ("vk_dan", 2_150),
        ("vk_vln", 86),
        ("vk_cctht", 540),
    ],
    stocks: &[("tcqc_so", 2_140), ("mh_hien_co", 96)],
};

/// Điện Biên (11): "xây dựng mới 15 mô hình, nhân rộng 30 mô hình ...
/// 4.378 tổ chức quần chúng ... gần 7.000 ý kiến đóng góp".
const DIEN_BIEN_11: Province = Province {
    // "… với 44 loại mô hình".
    types: registers::Types {
        offset: 0,
        count: 44,
    },
    code: "11",
    at: "2023-06-30",
    flows: &[
        ("mh_moi", 15),
        ("mh_nhan_rong", 30),
        ("yk_dong_gop", 6_940),
        ("tt_buoi", 9_870),
        ("tt_luot", 612_400),
        ("dd_so", 14),
        ("dd_luot", 2_150),
        ("gd_doi_tuong", 3_260),
        ("gd_tien_bo", 1_940),
        ("nguon_tin", 8_120),
        ("nguon_tin_gia_tri", 5_310),
        ("ngay_hoi", 1_210),
        ("vk_sung", 1_385),
        ("vk_dan", 9_620),
        ("vk_vln", 312),
        ("vk_cctht", 716),
    ],
    stocks: &[("tcqc_so", 4_378), ("mh_hien_co", 120)],
};

/// Old Tiền Giang (82), now part of Đồng Tháp: plausible figures.
const TIEN_GIANG_82: Province = Province {
    types: registers::Types {
        offset: 6,
        count: 40,
    },
    code: "82",
    at: "2023-06-30",
    flows: &[
        ("tt_buoi", 28_400),
        ("tt_luot", 2_610_000),
        ("dd_so", 18),
        ("dd_luot", 3_900),
        ("gd_doi_tuong", 22_300),
        ("gd_tien_bo", 8_150),
        ("nguon_tin", 52_000),
        ("nguon_tin_gia_tri", 37_600),
        ("yk_dong_gop", 10_900),
        ("mh_moi", 31),
        ("mh_nhan_rong", 60),
        ("ngay_hoi", 1_720),
        ("vk_sung", 97),
        ("vk_dan", 1_730),
        ("vk_vln", 61),
        ("vk_cctht", 428),
    ],
    stocks: &[("tcqc_so", 1_980), ("mh_hien_co", 88)],
};

/// Sub-indicators allocated in proportion to their parent, so a report
/// never has more valuable tips than tips, or more progress than people educated.
const PARENT: &[(&str, &str)] = &[
    ("tt_luot", "tt_buoi"),
    ("dd_luot", "dd_so"),
    ("gd_tien_bo", "gd_doi_tuong"),
    ("nguon_tin_gia_tri", "nguon_tin"),
    ("mh_nhan_rong", "mh_moi"),
];

use super::registers::{self, Grid, FIRST_YEAR};
const REVIEW_LAST_YEAR: i32 = 2023;

/// A fixed pseudo-random number in [0, 1) for a key (SplitMix64).
fn noise(key: &str) -> f64 {
    let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
    for b in key.bytes() {
        x = x
            .wrapping_add(u64::from(b))
            .wrapping_mul(0xBF58_476D_1CE4_E5B9);
        x ^= x >> 31;
    }
    x = x.wrapping_add(0x9E37_79B9_7F4A_7C15);
    x = (x ^ (x >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    x = (x ^ (x >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    x ^= x >> 31;
    (x >> 11) as f64 / (1u64 << 53) as f64
}

/// Split `total` into integers proportional to `weights` (largest remainder).
pub(super) fn allocate(total: i64, weights: &[f64]) -> Vec<i64> {
    let sum: f64 = weights.iter().sum();
    if sum <= 0.0 || total == 0 {
        return vec![0; weights.len()];
    }
    let exact: Vec<f64> = weights.iter().map(|w| total as f64 * w / sum).collect();
    let mut out: Vec<i64> = exact.iter().map(|x| x.floor() as i64).collect();
    let mut left = total - out.iter().sum::<i64>();
    let mut order: Vec<usize> = (0..weights.len()).collect();
    order.sort_by(|a, b| {
        let fa = exact[*a] - exact[*a].floor();
        let fb = exact[*b] - exact[*b].floor();
        fb.partial_cmp(&fa)
            .unwrap_or(std::cmp::Ordering::Equal)
            .then(a.cmp(b))
    });
    for i in order {
        if left == 0 {
            break;
        }
        if exact[i] > exact[i].floor() {
            out[i] += 1;
            left -= 1;
        }
    }
    out
}

/// Reporting units of a province version: itself, then its communes.
async fn reporters(db: &Db, province: &Unit, at: chrono::NaiveDate) -> StorageResult<Vec<Unit>> {
    let mut list = vec![province.clone()];
    list.extend(
        units::list(
            db,
            &UnitQuery {
                at,
                level: Some(Level::Commune),
                parent_id: Some(province.id),
                q: None,
                limit: None,
            },
        )
        .await?,
    );
    Ok(list)
}

fn weight(unit: &Unit, i: usize, year: i32, ind: &str) -> f64 {
    let size = if i == 0 { 3.0 } else { 0.5 + noise(&unit.code) };
    let trend = 0.8 + 0.04 * f64::from(year - FIRST_YEAR);
    let jitter = 0.75 + 0.5 * noise(&format!("{}:{year}:{ind}", unit.code));
    size * trend * jitter
}

/// Spread a province's targets over its units and the years `years`.
fn spread(
    units: &[Unit],
    years: &[i32],
    flows: &[(&'static str, i64)],
    stocks: &[(&'static str, i64)],
    stock_year: i32,
) -> Grid {
    let mut grid = Grid::new();
    let cells: Vec<(usize, i32)> = (0..units.len())
        .flat_map(|u| years.iter().map(move |y| (u, *y)))
        .collect();
    let parent_of = |ind: &str| PARENT.iter().find(|(c, _)| *c == ind).map(|(_, p)| *p);
    // Parents first, then the indicators allocated in proportion to them.
    let mut ordered: Vec<&(&str, i64)> = flows
        .iter()
        .filter(|(c, _)| parent_of(c).is_none())
        .collect();
    ordered.extend(flows.iter().filter(|(c, _)| parent_of(c).is_some()));
    for (ind, total) in ordered {
        let weights: Vec<f64> = match parent_of(ind).filter(|p| flows.iter().any(|(c, _)| c == p)) {
            Some(p) => cells
                .iter()
                .map(|(u, y)| *grid.get(&(*u, *y, p)).unwrap_or(&0) as f64)
                .collect(),
            None => cells
                .iter()
                .map(|(u, y)| weight(&units[*u], *u, *y, ind))
                .collect(),
        };
        for ((u, y), v) in cells.iter().zip(allocate(*total, &weights)) {
            grid.insert((*u, *y, *ind), v);
        }
    }
    for (ind, total) in stocks {
        let weights: Vec<f64> = (0..units.len())
            .map(|u| weight(&units[u], u, stock_year, ind))
            .collect();
        for (u, last) in allocate(*total, &weights).into_iter().enumerate() {
            for y in years {
                let share = 0.6
                    + 0.4 * f64::from((y - FIRST_YEAR).min(stock_year - FIRST_YEAR))
                        / f64::from(stock_year - FIRST_YEAR).max(1.0);
                let v = if *y >= stock_year {
                    last + i64::from(*y - stock_year) * (last / 50)
                } else {
                    (last as f64 * share).round() as i64
                };
                grid.insert((u, *y, *ind), v);
            }
        }
    }
    grid
}

/// What the demo statistics load did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct DemoStats {
    pub reports: usize,
    pub values: usize,
    /// Models and grassroots organisations in the registers.
    pub models: usize,
    pub teams: usize,
}

struct Batch {
    reports: Vec<Vec<Val>>,
    /// One row per report (`report_values`).
    values: Vec<Vec<Val>>,
    n_values: usize,
    next_report: i64,
}

impl Batch {
    #[allow(clippy::too_many_arguments)]
    fn report(
        &mut self,
        form: &Form,
        unit: &Unit,
        year: i32,
        state: &str,
        comment: Option<&str>,
        values: &[(&'static str, &str, i64)],
        ids: &HashMap<String, i64>,
    ) {
        let p = Period::year(year);
        let (start, end) = p.dates(form.calendar).expect("yearly periods have dates");
        let id = self.next_report;
        self.next_report += 1;
        // A week after the period's end, never in the future: a report of
        // the running year was last changed yesterday morning.
        let day = (end + chrono::Duration::days(7)).min(dates::today() - chrono::Duration::days(1));
        let changed = dates::timestamp(day.and_hms_opt(2, 0, 0).expect("a time").and_utc());
        self.reports.push(vec![
            Val::Int(id),
            Val::Int(form.id),
            Val::Int(unit.id),
            Val::Text(p.code()),
            Val::Int(i64::from(year)),
            Val::Text(dates::iso(start)),
            Val::Text(dates::iso(end)),
            Val::Text(state.into()),
            Val::Text(changed.clone()),
            Val::Text("demo".into()),
            Val::OptText(comment.map(str::to_string)),
            Val::Text(changed.clone()),
        ]);
        let mut stored = Vec::with_capacity(values.len());
        for (ind, option, v) in values {
            if *v == 0 && option.is_empty() && !matches!(*ind, "tt_buoi" | "tcqc_so") {
                continue;
            }
            stored.push(crate::statistics::report_values::StoredValue {
                indicator_id: ids[*ind],
                option: option.to_string(),
                milli: v * 1000,
                qualifier: antq_core::indicators::Qualifier::Exact,
                comment: None,
            });
        }
        self.n_values += stored.len();
        self.values.push(crate::statistics::report_values::row(
            id,
            &mut stored,
            &changed,
            "demo",
        ));
    }
}

/// Load the demo statistics once (a second call changes nothing).
pub async fn load(db: &Db) -> StorageResult<Option<DemoStats>> {
    let already: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM reports WHERE state_changed_by = 'demo'")
            .fetch_one(db.pool())
            .await?;
    if already > 0 {
        return Ok(None);
    }
    let form = catalogue::form(db, "antq-nam").await?;
    let ids: HashMap<String, i64> = form
        .indicators
        .iter()
        .map(|i| (i.code.clone(), i.id))
        .collect();
    let mut tx = db.begin_write().await?;
    let mut batch = Batch {
        reports: Vec::new(),
        values: Vec::new(),
        n_values: 0,
        next_report: next_id(&mut tx, "reports").await?,
    };
    let legacy_years: Vec<i32> = (FIRST_YEAR..=2024).collect();
    let mut yearly_flow: HashMap<&str, Vec<(&'static str, i64)>> = HashMap::new();
    let mut stock_level: HashMap<&str, Vec<(&'static str, i64)>> = HashMap::new();
    let (mut n_models, mut n_teams) = (0, 0);
    for prov in [&DIEN_BIEN_11, &DONG_THAP_87, &TIEN_GIANG_82] {
        let at = dates::parse_date(prov.at)?;
        let unit = units::get_at(db, &UnitCode::parse(prov.code)?, at).await?;
        let us = reporters(db, &unit, at).await?;
        // 2013–2023 reproduce the targets; 2024 continues at the 2023 pace.
        let review_years: Vec<i32> = (FIRST_YEAR..=REVIEW_LAST_YEAR).collect();
        let grid = spread(
            &us,
            &review_years,
            prov.flows,
            prov.stocks,
            REVIEW_LAST_YEAR,
        );
        let per_year: Vec<(&'static str, i64)> = prov
            .flows
            .iter()
            .map(|(c, t)| (*c, t / review_years.len() as i64))
            .collect();
        let mut grid = grid;
        grid.extend(spread(&us, &[2024], &per_year, prov.stocks, 2024));
        // The registers follow the forms' flows and organisations; the
        // forms' models in operation follow the registers.
        let active_2023 = prov
            .stocks
            .iter()
            .find(|(c, _)| *c == "mh_hien_co")
            .map_or(0, |(_, v)| *v);
        let base_weights: Vec<f64> = us
            .iter()
            .enumerate()
            .map(|(i, u)| weight(u, i, FIRST_YEAR, "mh_hien_co"))
            .collect();
        let plan = registers::plan(us.len(), &grid, active_2023, &base_weights, prov.types);
        for (i, _) in us.iter().enumerate() {
            for y in &legacy_years {
                for (code, v) in plan.figures(i, *y) {
                    grid.insert((i, *y, code), v);
                }
            }
        }
        let (m, t) = registers::write(&mut tx, db.backend(), &us, &plan).await?;
        n_models += m;
        n_teams += t;
        yearly_flow.insert(prov.code, per_year);
        stock_level.insert(prov.code, prov.stocks.to_vec());
        for (i, u) in us.iter().enumerate() {
            for y in &legacy_years {
                let key_year = *y;
                let values: Vec<(&'static str, &str, i64)> = prov
                    .flows
                    .iter()
                    .chain(prov.stocks.iter())
                    .map(|(c, _)| (*c, "", *grid.get(&(i, key_year, *c)).unwrap_or(&0)))
                    .collect();
                // The 2023 awards of Điện Biên are in the award register
                // (`demo::programmes`), not in the form.
                batch.report(&form, u, *y, "approved", None, &values, &ids);
            }
        }
    }
    // Today's provinces: 2025 (mostly approved, some late) and 2026 (in progress).
    for (code, sources) in [("11", vec!["11"]), ("82", vec!["87", "82"])] {
        let at = dates::parse_date("2026-01-01")?;
        let unit = units::get_at(db, &UnitCode::parse(code)?, at).await?;
        let us = reporters(db, &unit, at).await?;
        let flows: Vec<(&'static str, i64)> = yearly_flow[sources[0]]
            .iter()
            .map(|(c, t)| {
                let extra: i64 = sources[1..]
                    .iter()
                    .filter_map(|s| yearly_flow[s].iter().find(|(x, _)| x == c).map(|(_, v)| *v))
                    .sum();
                (*c, t + extra)
            })
            .collect();
        let stocks: Vec<(&'static str, i64)> = stock_level[sources[0]]
            .iter()
            .map(|(c, t)| {
                let extra: i64 = sources[1..]
                    .iter()
                    .filter_map(|s| stock_level[s].iter().find(|(x, _)| x == c).map(|(_, v)| *v))
                    .sum();
                (*c, (t + extra) * 51 / 50)
            })
            .collect();
        let grid = spread(&us, &[2025, 2026], &flows, &stocks, 2025);
        for (i, u) in us.iter().enumerate() {
            let r = noise(&format!("state:{}", u.code));
            let values = |y: i32| -> Vec<(&'static str, &str, i64)> {
                flows
                    .iter()
                    .chain(stocks.iter())
                    .map(|(c, _)| (*c, "", grid.get(&(i, y, *c)).copied().unwrap_or(0) / 2))
                    .collect()
            };
            // 2025: approved, except a few waiting, returned or still in draft (late).
            let (state_2025, comment) = match r {
                x if x < 0.04 => ("draft", None),
                x if x < 0.07 => (
                    "returned",
                    Some("Số lượt người tham dự chưa khớp với số buổi; đề nghị kiểm tra lại."),
                ),
                x if x < 0.15 => ("submitted", None),
                _ => ("approved", None),
            };
            batch.report(&form, u, 2025, state_2025, comment, &values(2025), &ids);
            // 2026: the year is still running.
            let state_2026 = match r {
                x if x < 0.35 => Some("draft"),
                x if x < 0.45 => Some("submitted"),
                x if x < 0.48 => Some("returned"),
                _ => None,
            };
            if let Some(s) = state_2026 {
                let c = (s == "returned").then_some("Bổ sung số liệu mô hình nhân rộng.");
                batch.report(&form, u, 2026, s, c, &values(2026), &ids);
            }
        }
    }
    let stats = DemoStats {
        reports: batch.reports.len(),
        values: batch.n_values,
        models: n_models,
        teams: n_teams,
    };
    crate::statistics::reports::bulk_insert(&mut tx, batch.reports, batch.values).await?;
    sync_sequence(&mut tx, db.backend(), "reports").await?;
    crate::statistics::rollups::rebuild(&mut tx).await?;
    audit::append(
        &mut tx,
        Change {
            who: &Who::system(),
            action: "demo.statistics",
            entity: "demo",
            entity_id: "antq-nam 2013-2026".into(),
            unit_id: None,
            before: None,
            after: Some(json!({"reports": stats.reports, "values": stats.values,
                               "models": stats.models, "teams": stats.teams})),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(Some(stats))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn allocation_keeps_the_total() {
        let w = [0.3, 1.7, 0.0, 2.2, 0.9];
        for total in [0, 1, 7, 22, 9_779, 3_048_210] {
            let a = allocate(total, &w);
            assert_eq!(a.iter().sum::<i64>(), total);
            assert_eq!(a[2], 0, "no share for a zero weight");
        }
        // Proportional to a parent, never above it.
        let parent = allocate(27_135, &[1.0, 2.0, 3.0, 0.5]);
        let child = allocate(9_779, &parent.iter().map(|x| *x as f64).collect::<Vec<_>>());
        assert!(child.iter().zip(&parent).all(|(c, p)| c <= p));
    }

    #[test]
    fn noise_is_fixed_and_spread() {
        assert_eq!(noise("03325"), noise("03325"));
        let xs: Vec<f64> = (0..1000).map(|i| noise(&i.to_string())).collect();
        assert!(xs.iter().all(|x| (0.0..1.0).contains(x)));
        let mean = xs.iter().sum::<f64>() / 1000.0;
        assert!((0.4..0.6).contains(&mean));
    }
}
