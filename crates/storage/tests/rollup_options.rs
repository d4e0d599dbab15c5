//! Breakdown options (`kt_bang_khen.tap_the`) read from the rollups
//! (`rollup_option`) give the same totals as the same query summed from
//! the reports themselves, for saves, approvals, a reopened report with a
//! value cleared and an import, in both maps, across the 2025
//! reorganisation; and they stay equal to a rebuild.
//! SQLite always, PostgreSQL when ANTQ_TEST_DATABASE_URL is set.

use antq_core::dates::parse_date;
use antq_core::imports::{ImportRow, Place, RawValue};
use antq_core::indicators::Qualifier;
use antq_core::periods::YearRange;
use antq_core::reports::Transition;
use antq_core::units::{Level, UnitCode};
use antq_storage::audit::Who;
use antq_storage::statistics::analytics::{self, MapMode};
use antq_storage::statistics::catalogue::{self, Form};
use antq_storage::statistics::import;
use antq_storage::statistics::reports::{self, ValueInput};
use antq_storage::testing::{option_rollup_rows, postgres_url, TestDb};
use antq_storage::units::{self, Unit, UnitQuery};
use antq_storage::Db;

fn v(code: &str, option: &str, n: i64, q: Qualifier) -> ValueInput {
    ValueInput {
        indicator: code.into(),
        option: option.into(),
        value: Some((n * 1000, q, None)),
    }
}

async fn unit(db: &Db, code: &str, at: &str) -> Unit {
    units::get_at(db, &UnitCode::parse(code).unwrap(), parse_date(at).unwrap())
        .await
        .unwrap()
}

async fn communes(db: &Db, province: &Unit, at: &str, n: i64) -> Vec<Unit> {
    units::list(
        db,
        &UnitQuery {
            at: parse_date(at).unwrap(),
            level: Some(Level::Commune),
            parent_id: Some(province.id),
            q: None,
            limit: Some(n),
        },
    )
    .await
    .unwrap()
}

/// Save a report's awards by recipient (and one figure without options),
/// and approve it when asked.
async fn report(db: &Db, form: &Form, commune: &Unit, period: &str, seed: i64, approve: bool) {
    let who = Who::system();
    let q = if seed % 3 == 0 {
        Qualifier::MoreThan
    } else {
        Qualifier::Exact
    };
    reports::put_values(
        db,
        &who,
        form,
        commune,
        period,
        vec![
            v("kt_bang_khen", "tap_the", seed, Qualifier::Exact),
            v("kt_bang_khen", "ca_nhan", seed * 3, q),
            v("kt_giay_khen", "tap_the", seed + 1, Qualifier::Exact),
            v("tt_buoi", "", seed, Qualifier::Exact),
        ],
    )
    .await
    .unwrap();
    if approve {
        for t in [Transition::Submit, Transition::Approve] {
            reports::transition(db, &who, form, commune, period, t, None)
                .await
                .unwrap();
        }
    }
}

type Totals = Vec<(String, String, i64, Option<Qualifier>)>;

fn sorted(mut t: Totals) -> Totals {
    t.sort_by(|a, b| (&a.0, &a.1).cmp(&(&b.0, &b.1)));
    t
}

/// Every unit, map and approval rule: the rollups' totals equal the
/// reports'. Returns how many totals were compared.
async fn compare(db: &Db, units: &[&Unit], what: &str) -> usize {
    let cat = catalogue::indicators(db).await.unwrap();
    let inds = catalogue::indicators_by_code(
        db,
        &["kt_bang_khen".to_string(), "kt_giay_khen".to_string()],
    )
    .await
    .unwrap();
    let mut compared = 0;
    for u in units {
        for map in [MapMode::Historical, MapMode::Current] {
            for approved_only in [true, false] {
                for (from, to) in [(2020, 2026), (2022, 2022), (2025, 2026)] {
                    let q = analytics::Query {
                        indicators: &inds,
                        catalogue: &cat,
                        unit: u,
                        range: YearRange { from, to },
                        by: None,
                        map,
                        approved_only,
                    };
                    let fast = sorted(analytics::option_totals(db, &q, None).await.unwrap());
                    let slow = sorted(
                        analytics::option_totals_from_reports(db, &q, None)
                            .await
                            .unwrap(),
                    );
                    assert_eq!(
                        fast, slow,
                        "{what}: {} {map:?} approved only {approved_only} {from}–{to}",
                        u.code
                    );
                    compared += fast.len();
                }
            }
        }
    }
    compared
}

async fn story(db: Db) {
    let yearly = catalogue::form(&db, "antq-nam").await.unwrap();
    let half = catalogue::form(&db, "antq-6t").await.unwrap();
    // Đồng Tháp as it was (87) and Tiền Giang (82), merged into today's Đồng Tháp (82).
    let old_dt = unit(&db, "87", "2020-06-01").await;
    let old_tg = unit(&db, "82", "2020-06-01").await;
    let new_dt = unit(&db, "82", "2026-01-01").await;
    let nation = unit(&db, "VN", "2026-01-01").await;
    let old_communes = [
        communes(&db, &old_dt, "2020-06-01", 2).await,
        communes(&db, &old_tg, "2020-06-01", 2).await,
    ]
    .concat();
    let new_communes = communes(&db, &new_dt, "2026-01-01", 2).await;

    let mut seed = 1;
    for (i, c) in old_communes.iter().enumerate() {
        for (form, period) in [
            (&yearly, "2021"),
            (&yearly, "2022"),
            (&half, "2023S1"),
            (&half, "2024S2"),
        ] {
            seed += 7;
            report(&db, form, c, period, seed, (seed + i as i64) % 2 == 0).await;
        }
    }
    for c in &new_communes {
        for (form, period) in [(&yearly, "2025"), (&half, "2026S1")] {
            seed += 5;
            report(&db, form, c, period, seed, seed % 2 == 0).await;
        }
    }
    // An award moved from one recipient to the other: the indicator's
    // sum does not change, its options do.
    let swapped = &old_communes[3];
    for (tap_the, ca_nhan) in [(3, 5), (5, 3)] {
        reports::put_values(
            &db,
            &Who::system(),
            &yearly,
            swapped,
            "2020",
            vec![
                v("kt_bang_khen", "tap_the", tap_the, Qualifier::Exact),
                v("kt_bang_khen", "ca_nhan", ca_nhan, Qualifier::Exact),
            ],
        )
        .await
        .unwrap();
    }
    let units = [&nation, &old_dt, &old_tg, &new_dt];
    let before = compare(&db, &units, "after the saves").await;
    assert!(before > 0, "options compared");

    // An approved report reopened, one option cleared and another changed.
    let who = Who::system();
    let (unit_id, period): (i64, String) = sqlx::query_as(
        "SELECT unit_id, period FROM reports WHERE form_id = $1 AND state = 'approved' ORDER BY id LIMIT 1",
    )
    .bind(yearly.id)
    .fetch_one(db.pool())
    .await
    .unwrap();
    let reopened = old_communes.iter().find(|c| c.id == unit_id).unwrap();
    reports::transition(
        &db,
        &who,
        &yearly,
        reopened,
        &period,
        Transition::Reopen,
        Some("Sửa lại".into()),
    )
    .await
    .unwrap();
    reports::put_values(
        &db,
        &who,
        &yearly,
        reopened,
        &period,
        vec![
            ValueInput {
                indicator: "kt_bang_khen".into(),
                option: "tap_the".into(),
                value: None,
            },
            v("kt_bang_khen", "ca_nhan", 4242, Qualifier::Nearly),
        ],
    )
    .await
    .unwrap();
    // An import (the bulk path): new reports and a changed one.
    let mut rows = Vec::new();
    for (n, (c, period, value)) in [
        (&old_communes[1], "2023", "31"),
        (reopened, period.as_str(), "17"),
        (&new_communes[0], "2026", "55"),
    ]
    .into_iter()
    .enumerate()
    {
        for key in ["kt_bang_khen.tap_the", "kt_giay_khen.ca_nhan"] {
            rows.push(ImportRow {
                place: Place::Line(n + 2),
                form: Some("antq-nam".into()),
                unit: c.code.clone(),
                period: period.into(),
                key: key.into(),
                value: RawValue::Text(value.into()),
                qualifier: String::new(),
                comment: String::new(),
            });
        }
    }
    import::run(&db, None, &who, rows, false).await.unwrap();
    let after = compare(&db, &units, "after the reopening and the import").await;
    assert!(
        after > before,
        "the import added options: {after} > {before}"
    );

    // What was maintained on write equals a rebuild, options included.
    antq_storage::testing::assert_rollups_equal_rebuild(&db, "the options story").await;
    let options = option_rollup_rows(&db).await;
    assert!(
        options.iter().any(|r| r.5 == "ca_nhan" && r.4 == 1),
        "approved option rows"
    );
    assert!(
        options.iter().any(|r| r.2 == "h") && options.iter().any(|r| r.2 == "c"),
        "option rows in both maps"
    );
}

#[tokio::test]
async fn rollup_options_on_sqlite() {
    let t = TestDb::sqlite();
    story(t.ready().await).await;
}

#[tokio::test]
async fn rollup_options_on_postgres() {
    let Some(server) = postgres_url() else {
        eprintln!("skipped: ANTQ_TEST_DATABASE_URL is not set, so the PostgreSQL rollup options story did not run");
        return;
    };
    let t = TestDb::postgres(&server).await;
    story(t.ready().await).await;
}
