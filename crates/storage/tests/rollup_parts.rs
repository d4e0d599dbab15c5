//! Halves, quarters and months read from the rollups (`rollup_part`) give
//! the same rows as the same query summed from the reports themselves, for
//! reports of every period type, approved or not, in both maps, across the
//! 2025 reorganisation; and they stay equal to a rebuild.
//! SQLite always, PostgreSQL when ANTQ_TEST_DATABASE_URL is set.

use antq_core::dates::parse_date;
use antq_core::imports::{ImportRow, Place, RawValue};
use antq_core::indicators::Qualifier;
use antq_core::periods::YearRange;
use antq_core::reports::Transition;
use antq_core::units::{Level, UnitCode};
use antq_storage::audit::Who;
use antq_storage::statistics::analytics::{self, By, MapMode, Row};
use antq_storage::statistics::catalogue::{self, Form};
use antq_storage::statistics::catalogue_edit::{self, NewForm};
use antq_storage::statistics::import;
use antq_storage::statistics::reports::{self, ValueInput};
use antq_storage::testing::{postgres_url, TestDb};
use antq_storage::units::{self, Unit, UnitQuery};
use antq_storage::Db;

const INDICATORS: [&str; 2] = ["tt_buoi", "tt_luot"];

fn v(code: &str, n: i64, q: Qualifier) -> ValueInput {
    ValueInput {
        indicator: code.into(),
        option: String::new(),
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

/// A form of the given period type with the two indicators.
async fn form(db: &Db, code: &str, period_type: &str) -> Form {
    catalogue_edit::create_form(
        db,
        &Who::system(),
        NewForm {
            code: code.into(),
            name_vi: format!("Biểu thử {code}"),
            name_en: format!("Test form {code}"),
            period_type: period_type.into(),
            calendar: "calendar".into(),
            owner_role: "police".into(),
            levels: vec!["commune".into()],
            deadline_days: 10,
            indicators: INDICATORS.iter().map(|s| s.to_string()).collect(),
        },
    )
    .await
    .unwrap();
    catalogue::form(db, code).await.unwrap()
}

/// Save a report (values from `seed`), and approve it when asked.
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
            v("tt_buoi", seed, Qualifier::Exact),
            v("tt_luot", seed * 10, q),
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

/// Every period code of the years: the years, halves, quarters and months.
fn every_period(from: i32, to: i32) -> Vec<String> {
    let mut out = Vec::new();
    for y in from..=to {
        out.push(y.to_string());
        out.extend((1..=2).map(|h| format!("{y}S{h}")));
        out.extend((1..=4).map(|q| format!("{y}Q{q}")));
        out.extend((1..=12).map(|m| format!("{y}{m:02}")));
    }
    out
}

fn key(rows: Vec<Row>) -> Vec<(String, String, Option<String>, String)> {
    let mut out: Vec<_> = rows
        .into_iter()
        .map(|r| {
            let mut flags = r.flags.clone();
            flags.sort();
            (
                format!("{} {} {}", r.indicator, r.period, r.unit),
                format!("{:?} {}", r.value, r.unapproved),
                r.qualifier.map(|q| format!("{q:?}")),
                flags.join(","),
            )
        })
        .collect();
    out.sort();
    out
}

async fn story(db: Db) {
    let yearly = catalogue::form(&db, "antq-nam").await.unwrap();
    let half = catalogue::form(&db, "antq-6t").await.unwrap();
    let quarterly = form(&db, "thu-quy", "quarter").await;
    let monthly = form(&db, "thu-thang", "month").await;

    // Đồng Tháp as it was (87) and Tiền Giang (82), merged into today's Đồng Tháp (82).
    let old_dt = unit(&db, "87", "2020-06-01").await;
    let old_tg = unit(&db, "82", "2020-06-01").await;
    let new_dt = unit(&db, "82", "2026-01-01").await;
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
            (&half, "2022S1"),
            (&half, "2022S2"),
            (&quarterly, "2023Q1"),
            (&quarterly, "2023Q3"),
            (&quarterly, "2024Q2"),
            (&monthly, "202305"),
            (&monthly, "202411"),
            (&monthly, "202308"),
        ] {
            seed += 7;
            report(&db, form, c, period, seed, (seed + i as i64) % 2 == 0).await;
        }
    }
    for c in &new_communes {
        for (form, period) in [
            (&quarterly, "2025Q4"),
            (&monthly, "202512"),
            (&yearly, "2025"),
        ] {
            seed += 5;
            report(&db, form, c, period, seed, seed % 2 == 0).await;
        }
    }
    // A draft changed again; an approved report reopened, one value
    // cleared and the other changed.
    report(&db, &quarterly, &old_communes[0], "2023Q1", 999, false).await;
    let who = Who::system();
    let (unit_id, period): (i64, String) = sqlx::query_as(
        "SELECT unit_id, period FROM reports WHERE form_id = $1 AND state = 'approved' ORDER BY id LIMIT 1",
    )
    .bind(quarterly.id)
    .fetch_one(db.pool())
    .await
    .unwrap();
    let reopened = old_communes.iter().find(|c| c.id == unit_id).unwrap();
    reports::transition(
        &db,
        &who,
        &quarterly,
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
        &quarterly,
        reopened,
        &period,
        vec![
            ValueInput {
                indicator: "tt_buoi".into(),
                option: String::new(),
                value: None,
            },
            v("tt_luot", 4242, Qualifier::Nearly),
        ],
    )
    .await
    .unwrap();
    // An import of quarters and months (the bulk path), new and changed reports.
    let mut rows = Vec::new();
    for (n, (c, period, value)) in [
        (&old_communes[1], "2024Q3", "31"),
        (&old_communes[2], "2023Q1", "17"),
        (&new_communes[0], "2026Q1", "55"),
        (&new_communes[1], "202511", "8"),
    ]
    .into_iter()
    .enumerate()
    {
        for key in INDICATORS {
            rows.push(ImportRow {
                place: Place::Line(n + 2),
                form: Some(
                    if period.contains('Q') {
                        "thu-quy"
                    } else {
                        "thu-thang"
                    }
                    .into(),
                ),
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

    let cat = catalogue::indicators(&db).await.unwrap();
    let wanted: Vec<String> = INDICATORS.iter().map(|s| s.to_string()).collect();
    let inds = catalogue::indicators_by_code(&db, &wanted).await.unwrap();
    let nation = unit(&db, "VN", "2026-01-01").await;
    let every = every_period(2020, 2026);
    let mut compared = 0;
    for u in [&nation, &old_dt, &old_tg, &new_dt] {
        for by in [By::Half, By::Quarter, By::Month] {
            for map in [MapMode::Historical, MapMode::Current] {
                for approved_only in [true, false] {
                    let q = analytics::Query {
                        indicators: &inds,
                        catalogue: &cat,
                        unit: u,
                        range: YearRange {
                            from: 2020,
                            to: 2026,
                        },
                        by: Some(by),
                        map,
                        approved_only,
                    };
                    let fast = analytics::run(&db, &q).await.unwrap();
                    let slow = analytics::run_within(&db, &q, Some(&every)).await.unwrap();
                    let what = format!("{} {by:?} {map:?} approved_only={approved_only}", u.code);
                    compared += fast.len();
                    assert_eq!(key(fast), key(slow), "{what}");
                }
            }
        }
    }
    assert!(compared > 100, "only {compared} rows compared");

    // The nation by quarter: a quarter's sum, months folded into their
    // quarter, and the years and halves marked as not broken down.
    let q = analytics::Query {
        indicators: &inds[..1],
        catalogue: &cat,
        unit: &nation,
        range: YearRange {
            from: 2021,
            to: 2023,
        },
        by: Some(By::Quarter),
        map: MapMode::Historical,
        approved_only: false,
    };
    let rows = analytics::run(&db, &q).await.unwrap();
    let periods: Vec<&str> = rows.iter().map(|r| r.period.as_str()).collect();
    assert_eq!(periods, ["2021", "2022", "2023Q1", "2023Q2", "2023Q3"]);
    assert!(rows[0]
        .flags
        .contains(&"period_not_broken_down".to_string()));
    assert!(!rows[2]
        .flags
        .contains(&"period_not_broken_down".to_string()));

    // What was maintained on write equals a rebuild, parts included.
    let maintained =
        antq_storage::testing::assert_rollups_equal_rebuild(&db, "the parts story").await;
    assert!(maintained.iter().any(|r| r.4 != 0), "part rows");
}

#[tokio::test]
async fn rollup_parts_on_sqlite() {
    let t = TestDb::sqlite();
    story(t.ready().await).await;
}

#[tokio::test]
async fn rollup_parts_on_postgres() {
    let Some(server) = postgres_url() else {
        eprintln!("skipped: ANTQ_TEST_DATABASE_URL is not set, so the PostgreSQL rollup parts story did not run");
        return;
    };
    let t = TestDb::postgres(&server).await;
    story(t.ready().await).await;
}
