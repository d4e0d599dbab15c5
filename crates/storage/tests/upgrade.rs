//! A database made by an earlier release migrates forward to this
//! binary's schema with every value, the rollups right and the audit chain
//! intact.
//!
//! The fixture `fixtures/release-schema-16.db.zip` is a SQLite database
//! made by antq at commit 4e4b949 (schema 16, the release before the
//! rollups by period): `antq migrate`, then `antq import` of [`IMPORTED`]
//! (yearly and half-year reports of communes before and after the 2025
//! reorganisation), then `VACUUM`. It is never written: each run unpacks a
//! copy.

use std::io::Cursor;
use std::path::Path;

use antq_core::dates::parse_date;
use antq_core::indicators::Qualifier;
use antq_core::periods::YearRange;
use antq_core::units::UnitCode;
use antq_storage::audit::{self, Verification, Who};
use antq_storage::statistics::analytics::{self, By, MapMode};
use antq_storage::statistics::catalogue;
use antq_storage::statistics::reports::{self, ValueInput};
use antq_storage::testing::{assert_rollups_equal_rebuild, TestDb};
use antq_storage::{migrations, units, Db};

const FIXTURE: &[u8] = include_bytes!("fixtures/release-schema-16.db.zip");

/// What the fixture's release imported (unit, period, indicator, value).
const IMPORTED: &str = include_str!("fixtures/release-schema-16.csv");

fn unpack(to: &Path) {
    let mut zip = zip::ZipArchive::new(Cursor::new(FIXTURE)).unwrap();
    let mut db = zip.by_name("antq.db").unwrap();
    let mut out = std::fs::File::create(to).unwrap();
    std::io::copy(&mut db, &mut out).unwrap();
}

/// The imported sum of an indicator per period code, from the CSV.
fn imported(indicator: &str) -> Vec<(String, f64)> {
    let mut sums: std::collections::BTreeMap<String, f64> = Default::default();
    for line in IMPORTED.lines().skip(1) {
        let cells: Vec<&str> = line.split(',').collect();
        if cells[2] == indicator {
            *sums.entry(cells[1].to_string()).or_default() += cells[3].parse::<f64>().unwrap();
        }
    }
    sums.into_iter().collect()
}

async fn figures(db: &Db, indicator: &str, by: By) -> Vec<(String, f64)> {
    let cat = catalogue::indicators(db).await.unwrap();
    let inds = catalogue::indicators_by_code(db, &[indicator.to_string()])
        .await
        .unwrap();
    let nation = units::get_at(
        db,
        &UnitCode::parse("VN").unwrap(),
        parse_date("2026-01-01").unwrap(),
    )
    .await
    .unwrap();
    let q = analytics::Query {
        indicators: &inds,
        catalogue: &cat,
        unit: &nation,
        range: YearRange {
            from: 2019,
            to: 2026,
        },
        by: Some(by),
        map: MapMode::Historical,
        approved_only: false,
    };
    analytics::run(db, &q)
        .await
        .unwrap()
        .into_iter()
        .map(|r| (r.period, r.value.unwrap_or_default()))
        .collect()
}

#[tokio::test]
async fn a_database_of_the_previous_release_upgrades() {
    let t = TestDb::sqlite();
    let file = t.url.trim_start_matches("sqlite://").to_string();
    unpack(Path::new(&file));
    let db = Db::connect(&t.url).await.unwrap();
    let version: i64 = sqlx::query_scalar("SELECT MAX(version) FROM schema_migrations")
        .fetch_one(db.pool())
        .await
        .unwrap();
    assert_eq!(version, 16, "the fixture is the previous release's schema");
    let reports_before: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM reports")
        .fetch_one(db.pool())
        .await
        .unwrap();
    assert!(
        reports_before >= 8,
        "{reports_before} reports in the fixture"
    );

    antq_storage::prepare(&db).await.unwrap();
    assert!(migrations::pending(&db).await.unwrap().is_empty());

    // Every imported value, by year and by half (the half-year reports now
    // come from the rollups by period the migration built).
    for indicator in ["tt_buoi", "tt_luot"] {
        let by_period = imported(indicator);
        let halves = figures(&db, indicator, By::Half).await;
        assert_eq!(halves, by_period, "{indicator} by half");
        let mut by_year: std::collections::BTreeMap<String, f64> = Default::default();
        for (period, v) in &by_period {
            *by_year.entry(period[..4].to_string()).or_default() += v;
        }
        let years = figures(&db, indicator, By::Year).await;
        assert_eq!(
            years,
            by_year.into_iter().collect::<Vec<_>>(),
            "{indicator} by year"
        );
    }
    // The rollups built by the migration equal a rebuild.
    let migrated = assert_rollups_equal_rebuild(&db, "the upgraded database").await;
    assert!(migrated.iter().any(|r| r.4 != 0), "part rows were built");

    // The old chain verifies, and goes on with a save made by this binary.
    let Verification::Intact { rows: before } = audit::verify(&db).await.unwrap() else {
        panic!("the previous release's audit chain is broken");
    };
    let form = catalogue::form(&db, "antq-6t").await.unwrap();
    let commune = units::get_at(
        &db,
        &UnitCode::parse("03325").unwrap(),
        parse_date("2026-01-01").unwrap(),
    )
    .await
    .unwrap();
    reports::put_values(
        &db,
        &Who::system(),
        &form,
        &commune,
        "2026S1",
        vec![ValueInput {
            indicator: "tt_buoi".into(),
            option: String::new(),
            value: Some((5_000, Qualifier::Exact, None)),
        }],
    )
    .await
    .unwrap();
    let Verification::Intact { rows: after } = audit::verify(&db).await.unwrap() else {
        panic!("the chain broke at the first save after the upgrade");
    };
    assert!(after > before);
    let halves = figures(&db, "tt_buoi", By::Half).await;
    let expected = imported("tt_buoi")
        .into_iter()
        .find(|(p, _)| p == "2026S1")
        .map(|(_, v)| v)
        .unwrap_or_default()
        + 5.0;
    assert!(
        halves.contains(&("2026S1".to_string(), expected)),
        "{halves:?}"
    );
}
