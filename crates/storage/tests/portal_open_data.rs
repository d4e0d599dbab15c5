//! The movement's figures as open data, on SQLite always and on PostgreSQL
//! when `ANTQ_TEST_DATABASE_URL` names a server, over the demo's statistics
//! (2025 has late, returned and waiting reports; 2026 is in progress):
//! only national administrators choose (audited); only public indicators,
//! only approved figures (equal to the analysis' approved-only rollups, and
//! different from the figures with unapproved reports), never below the
//! allowed level.

use antq_core::auth::Role;
use antq_core::dates;
use antq_core::periods::YearRange;
use antq_core::units::{Level, UnitCode};
use antq_storage::accounts::access::{Actor, Grant};
use antq_storage::portal::open_data::{self, Lowest};
use antq_storage::statistics::analytics::{self, By, MapMode};
use antq_storage::statistics::catalogue;
use antq_storage::testing::{postgres_url, TestDb};
use antq_storage::{units, Db, StorageError};

async fn unit(db: &Db, code: &str) -> units::Unit {
    units::get_at(db, &UnitCode::parse(code).unwrap(), dates::today())
        .await
        .unwrap()
}

fn actor(role: Role, u: &units::Unit) -> Actor {
    Actor {
        user_id: 1,
        username: format!("{}.{}", role.as_str(), u.code),
        display_name: "Thử".into(),
        grants: vec![Grant {
            id: 0,
            role,
            unit_id: u.id,
            unit_code: u.code.clone(),
            unit_name: u.name.clone(),
            unit_level: u.level,
            unit_valid_from: None,
            unit_valid_to: None,
        }],
    }
}

/// (year, value) of an indicator over a unit, approved or all.
async fn by_year(db: &Db, u: &units::Unit, code: &str, approved_only: bool) -> Vec<(String, f64)> {
    let cat = catalogue::indicators(db).await.unwrap();
    let inds = catalogue::indicators_by_code(db, &[code.to_string()])
        .await
        .unwrap();
    analytics::run(
        db,
        &analytics::Query {
            indicators: &inds,
            catalogue: &cat,
            unit: u,
            range: YearRange {
                from: open_data::FIRST_YEAR,
                to: 2026,
            },
            by: Some(By::Year),
            map: MapMode::Current,
            approved_only,
        },
    )
    .await
    .unwrap()
    .into_iter()
    .filter_map(|r| r.value.map(|v| (r.period, v)))
    .collect()
}

async fn scenario(db: &Db) {
    antq_storage::demo::demo_data::load(db).await.unwrap();
    let nation = unit(db, "VN").await;
    let dien_bien = unit(db, "11").await;

    // Nothing is public until chosen.
    let f = open_data::figures(db, &dien_bien, None).await.unwrap();
    assert!(f.indicators.is_empty() && f.by_year.is_empty() && f.by_child.is_empty());

    // Only a national administrator chooses.
    let choice = vec![
        ("tt_buoi".to_string(), Lowest::Commune),
        ("nguon_tin".to_string(), Lowest::Province),
    ];
    for who in [
        actor(Role::Admin, &dien_bien),
        actor(Role::Editor, &nation),
        actor(Role::Police, &nation),
    ] {
        assert!(matches!(
            open_data::set(db, &who, &choice).await,
            Err(StorageError::Forbidden)
        ));
    }
    let admin = actor(Role::Admin, &nation);
    assert!(
        open_data::set(db, &admin, &[("khong_co".into(), Lowest::Province)])
            .await
            .is_err()
    );
    open_data::set(db, &admin, &choice).await.unwrap();
    let audited: i64 = sqlx::query_scalar(
        "SELECT CAST(COUNT(*) AS BIGINT) FROM audit_log WHERE action = 'open_data.indicators'",
    )
    .fetch_one(db.pool())
    .await
    .unwrap();
    assert_eq!(audited, 1);
    let listed = open_data::list(db).await.unwrap();
    assert_eq!(listed.len(), 2);

    // Điện Biên: the public indicators only, approved figures only.
    let f = open_data::figures(db, &dien_bien, None).await.unwrap();
    let codes: Vec<&str> = f.indicators.iter().map(|(i, _)| i.code.as_str()).collect();
    assert_eq!(codes.len(), 2);
    assert!(f
        .by_year
        .iter()
        .chain(&f.by_child)
        .all(|r| r.indicator == "tt_buoi" || r.indicator == "nguon_tin"));
    assert!(f.by_year.iter().all(|r| r.unapproved == 0.0));
    for code in ["tt_buoi", "nguon_tin"] {
        let approved = by_year(db, &dien_bien, code, true).await;
        let shown: Vec<(String, f64)> = f
            .by_year
            .iter()
            .filter(|r| r.indicator == code)
            .map(|r| (r.period.clone(), r.value.unwrap()))
            .collect();
        assert!(!shown.is_empty(), "{code} has approved figures");
        for (year, v) in &shown {
            let a = approved.iter().find(|(y, _)| y == year).map(|(_, v)| *v);
            assert_eq!(a, Some(*v), "{code} {year}: the approved figure");
        }
        // Some year counts reports not approved (2025, 2026): its figure
        // with them is not what the page shows.
        let all = by_year(db, &dien_bien, code, false).await;
        assert!(
            all.iter().any(|(y, v)| shown
                .iter()
                .find(|(sy, _)| sy == y)
                .is_none_or(|(_, sv)| sv != v)),
            "{code}: some year's figure with unapproved reports is not shown"
        );
    }
    // Below the province: communes, and only for tt_buoi (public to communes).
    assert_eq!(f.child_indicators, vec!["tt_buoi".to_string()]);
    assert!(!f.by_child.is_empty());
    assert!(f.by_child.iter().all(|r| r.indicator == "tt_buoi"));
    for r in &f.by_child {
        let u = units::get_at(db, &UnitCode::parse(&r.unit).unwrap(), dates::today())
            .await
            .unwrap();
        assert_eq!(u.level, Level::Commune, "{}", r.unit_name);
    }
    assert!(f.approved_at.is_some());
    // The latest year is still being reported (some reports not approved):
    // it says so, with how many units are in, and never a complete year.
    assert!(
        f.incomplete.iter().any(|(y, _)| *y == f.year),
        "{} {:?}",
        f.year,
        f.incomplete
    );
    for (_, c) in &f.incomplete {
        assert!(c.units_approved < c.units_expected, "{c:?}");
        assert!(c.units_approved > 0, "{c:?}");
    }
    let older = open_data::figures(db, &dien_bien, Some(2018))
        .await
        .unwrap();
    assert!(
        older.incomplete.iter().all(|(y, _)| *y != 2018),
        "{:?}",
        older.incomplete
    );

    // Province-level only: no commune breakdown at all.
    open_data::set(db, &admin, &[("nguon_tin".into(), Lowest::Province)])
        .await
        .unwrap();
    let f = open_data::figures(db, &dien_bien, None).await.unwrap();
    assert!(f.by_child.is_empty() && f.child_indicators.is_empty());
    // The nation: by province.
    let f = open_data::figures(db, &nation, Some(2024)).await.unwrap();
    assert_eq!(f.year, 2024);
    assert!(f.by_child.iter().any(|r| r.unit == "11"));
    assert!(f.by_child.iter().all(|r| r.indicator == "nguon_tin"));

    // The nation's stocks, summed over its provinces, equal the analysis'
    // national figure (asked directly only on PostgreSQL: on SQLite that
    // rollup takes minutes).
    open_data::set(db, &admin, &[("tcqc_so".into(), Lowest::Province)])
        .await
        .unwrap();
    let f = open_data::figures(db, &nation, Some(2024)).await.unwrap();
    assert!(f
        .by_year
        .iter()
        .all(|r| r.unit == "VN" && r.indicator == "tcqc_so"));
    assert!(f.by_child.iter().any(|r| r.unit == "11"));
    if db.backend() == antq_storage::Backend::Postgres {
        let direct = by_year(db, &nation, "tcqc_so", true).await;
        for r in &f.by_year {
            let d = direct.iter().find(|(y, _)| *y == r.period).map(|(_, v)| *v);
            assert_eq!(d, r.value, "tcqc_so {}", r.period);
        }
    }

    // A commune has no page of its own.
    let commune = unit(db, "03325").await;
    assert!(matches!(
        open_data::figures(db, &commune, None).await,
        Err(StorageError::NotFound(_))
    ));
}

#[tokio::test]
async fn open_data_on_sqlite() {
    let t = TestDb::sqlite();
    scenario(&t.ready().await).await;
}

#[tokio::test]
async fn open_data_on_postgres() {
    let Some(server) = postgres_url() else {
        return;
    };
    let t = TestDb::postgres(&server).await;
    scenario(&t.ready().await).await;
}
