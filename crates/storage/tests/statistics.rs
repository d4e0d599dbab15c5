//! Movement statistics through the storage layer: entry, validation, the
//! workflow, completeness and rollups across the 2025 reorganisation, checked
//! against sums computed independently from the values put in. SQLite always,
//! PostgreSQL when ANTQ_TEST_DATABASE_URL is set.

use antq_core::dates::parse_date;
use antq_core::indicators::Qualifier;
use antq_core::periods::YearRange;
use antq_core::reports::Transition;
use antq_core::units::{Level, UnitCode};
use antq_storage::audit::Who;
use antq_storage::statistics::analytics::{self, By, MapMode};
use antq_storage::statistics::catalogue;
use antq_storage::statistics::reports::{self, ValueInput};
use antq_storage::testing::{postgres_url, TestDb};
use antq_storage::units::{self, Unit, UnitQuery};
use antq_storage::{Db, StorageError};

fn v(code: &str, n: i64) -> ValueInput {
    ValueInput {
        indicator: code.into(),
        option: String::new(),
        value: Some((n * 1000, Qualifier::Exact, None)),
    }
}

async fn unit(db: &Db, code: &str, at: &str) -> Unit {
    units::get_at(db, &UnitCode::parse(code).unwrap(), parse_date(at).unwrap())
        .await
        .unwrap()
}

async fn first_commune(db: &Db, province: &Unit, at: &str) -> Unit {
    units::list(
        db,
        &UnitQuery {
            at: parse_date(at).unwrap(),
            level: Some(Level::Commune),
            parent_id: Some(province.id),
            q: None,
            limit: Some(1),
        },
    )
    .await
    .unwrap()
    .remove(0)
}

async fn total(
    db: &Db,
    ind: &str,
    u: &Unit,
    from: i32,
    to: i32,
    map: MapMode,
    approved_only: bool,
) -> Option<f64> {
    let cat = catalogue::indicators(db).await.unwrap();
    let inds = catalogue::indicators_by_code(db, &[ind.to_string()])
        .await
        .unwrap();
    let rows = analytics::run(
        db,
        &analytics::Query {
            indicators: &inds,
            catalogue: &cat,
            unit: u,
            range: YearRange { from, to },
            by: None,
            map,
            approved_only,
        },
    )
    .await
    .unwrap();
    rows.first().and_then(|r| r.value)
}

async fn story(db: Db) {
    let who = Who::system();
    let form = catalogue::form(&db, "antq-nam").await.unwrap();
    assert!(form.indicators.len() >= 17);
    assert!(!form.rules.is_empty());
    assert!(catalogue::form(&db, "antq-6t").await.is_ok());

    // Units as they were in 2020 and as they are now.
    let old_dt = unit(&db, "87", "2020-06-01").await;
    let old_tg = unit(&db, "82", "2020-06-01").await;
    let new_dt = unit(&db, "82", "2026-01-01").await;
    let dt_commune = first_commune(&db, &old_dt, "2020-06-01").await;
    let tg_commune = first_commune(&db, &old_tg, "2020-06-01").await;
    let new_commune = first_commune(&db, &new_dt, "2026-01-01").await;

    // Entering values; a rule error blocks submission.
    let r = reports::put_values(
        &db,
        &who,
        &form,
        &dt_commune,
        "2020",
        vec![
            v("tt_buoi", 120),
            v("tt_luot", 9000),
            v("gd_doi_tuong", 10),
            v("gd_tien_bo", 12),
            v("tcqc_so", 40),
        ],
    )
    .await
    .unwrap();
    assert_eq!(r.state, "draft");
    assert_eq!(r.period_start, "2019-12-15");
    assert_eq!(r.period_end, "2020-12-14");
    assert_eq!(r.validation.len(), 1);
    // The same value given twice in one save is refused, and nothing changes.
    match reports::put_values(
        &db,
        &who,
        &form,
        &dt_commune,
        "2020",
        vec![v("tt_buoi", 1), v("tt_buoi", 2)],
    )
    .await
    {
        Err(StorageError::Rejected(errs)) => assert!(
            errs.iter().any(|e| e.contains("tt_buoi được nhập hai lần")),
            "{errs:?}"
        ),
        other => panic!("expected a rejection: {other:?}"),
    }
    let unchanged = reports::view(&db, &form, &dt_commune, "2020")
        .await
        .unwrap();
    assert_eq!(unchanged.values["tt_buoi"].milli, 120_000);
    match reports::transition(
        &db,
        &who,
        &form,
        &dt_commune,
        "2020",
        Transition::Submit,
        None,
    )
    .await
    {
        Err(StorageError::Rejected(errs)) => assert!(errs[0].contains("tiến bộ"), "{errs:?}"),
        other => panic!("expected a rejection: {other:?}"),
    }
    reports::put_values(
        &db,
        &who,
        &form,
        &dt_commune,
        "2020",
        vec![v("gd_tien_bo", 7)],
    )
    .await
    .unwrap();
    let r = reports::transition(
        &db,
        &who,
        &form,
        &dt_commune,
        "2020",
        Transition::Submit,
        None,
    )
    .await
    .unwrap();
    assert_eq!(r.state, "submitted");
    // Submitted and approved reports are locked.
    let locked =
        reports::put_values(&db, &who, &form, &dt_commune, "2020", vec![v("tt_buoi", 1)]).await;
    assert!(matches!(locked, Err(StorageError::Conflict(_))));
    assert!(
        matches!(
            reports::transition(
                &db,
                &who,
                &form,
                &dt_commune,
                "2020",
                Transition::Return,
                None
            )
            .await,
            Err(StorageError::Invalid(_))
        ),
        "returning needs a reason"
    );
    let r = reports::transition(
        &db,
        &who,
        &form,
        &dt_commune,
        "2020",
        Transition::Return,
        Some("Kiểm tra lại số buổi".into()),
    )
    .await
    .unwrap();
    assert_eq!(
        (r.state.as_str(), r.return_comment.as_deref()),
        ("returned", Some("Kiểm tra lại số buổi"))
    );
    reports::put_values(
        &db,
        &who,
        &form,
        &dt_commune,
        "2020",
        vec![v("tt_buoi", 125)],
    )
    .await
    .unwrap();
    reports::transition(
        &db,
        &who,
        &form,
        &dt_commune,
        "2020",
        Transition::Submit,
        None,
    )
    .await
    .unwrap();
    let r = reports::transition(
        &db,
        &who,
        &form,
        &dt_commune,
        "2020",
        Transition::Approve,
        None,
    )
    .await
    .unwrap();
    assert_eq!(r.state, "approved");
    assert!(matches!(
        reports::put_values(&db, &who, &form, &dt_commune, "2020", vec![v("tt_buoi", 1)]).await,
        Err(StorageError::Conflict(msg)) if msg.contains("mở lại")
    ));
    // Bad input is refused whole, every problem listed.
    match reports::put_values(
        &db,
        &who,
        &form,
        &tg_commune,
        "2020",
        vec![
            v("khong_co", 1),
            v("tt_buoi", -3),
            ValueInput {
                indicator: "kt_bang_khen".into(),
                option: String::new(),
                value: Some((1000, Qualifier::Exact, None)),
            },
        ],
    )
    .await
    {
        Err(StorageError::Rejected(errs)) => assert_eq!(errs.len(), 3, "{errs:?}"),
        other => panic!("expected a rejection: {other:?}"),
    }
    assert!(
        reports::put_values(
            &db,
            &who,
            &form,
            &tg_commune,
            "2020S1",
            vec![v("tt_buoi", 1)]
        )
        .await
        .is_err(),
        "a half-year code on a yearly form"
    );
    assert_eq!(
        reports::view(&db, &form, &tg_commune, "2020")
            .await
            .unwrap()
            .state,
        "not_started"
    );

    // More data: old Tiền Giang's commune (2019, 2020), old Đồng Tháp itself, and today's Đồng Tháp.
    let mut tt = Qualifier::MoreThan;
    reports::put_values(
        &db,
        &who,
        &form,
        &tg_commune,
        "2019",
        vec![v("tt_buoi", 50), v("tcqc_so", 20)],
    )
    .await
    .unwrap();
    reports::put_values(
        &db,
        &who,
        &form,
        &tg_commune,
        "2020",
        vec![
            ValueInput {
                indicator: "tt_buoi".into(),
                option: String::new(),
                value: Some((80_000, tt, None)),
            },
            v("tcqc_so", 22),
        ],
    )
    .await
    .unwrap();
    reports::put_values(&db, &who, &form, &old_dt, "2020", vec![v("tt_buoi", 5)])
        .await
        .unwrap();
    reports::put_values(
        &db,
        &who,
        &form,
        &new_commune,
        "2026",
        vec![
            v("tt_buoi", 7),
            v("tcqc_so", 30),
            v("gd_doi_tuong", 20),
            v("gd_tien_bo", 5),
        ],
    )
    .await
    .unwrap();
    let awards = vec![
        ValueInput {
            indicator: "kt_bang_khen".into(),
            option: "tap_the".into(),
            value: Some((2000, Qualifier::Exact, None)),
        },
        ValueInput {
            indicator: "kt_bang_khen".into(),
            option: "ca_nhan".into(),
            value: Some((5000, Qualifier::Exact, None)),
        },
    ];
    reports::put_values(&db, &who, &form, &new_commune, "2026", awards)
        .await
        .unwrap();
    tt = tt.combine(Qualifier::Exact);

    // Rollups, against sums of what was put in.
    // Old Đồng Tháp, as it was: its commune and itself, never Tiền Giang.
    assert_eq!(
        total(
            &db,
            "tt_buoi",
            &old_dt,
            2013,
            2023,
            MapMode::Historical,
            false
        )
        .await,
        Some(130.0)
    );
    assert_eq!(
        total(
            &db,
            "tt_buoi",
            &old_dt,
            2013,
            2023,
            MapMode::Historical,
            true
        )
        .await,
        Some(125.0),
        "approved only"
    );
    // Today's Đồng Tháp in today's map: old Đồng Tháp + old Tiền Giang + its own communes.
    assert_eq!(
        total(&db, "tt_buoi", &new_dt, 2013, 2026, MapMode::Current, false).await,
        Some(125.0 + 5.0 + 50.0 + 80.0 + 7.0)
    );
    assert_eq!(
        total(&db, "tt_buoi", &new_dt, 2013, 2023, MapMode::Current, false).await,
        Some(260.0)
    );
    // Old Tiền Giang's total carries the "more than" of one of its parts.
    let cat = catalogue::indicators(&db).await.unwrap();
    let inds = catalogue::indicators_by_code(
        &db,
        &[
            "tt_buoi".into(),
            "tcqc_so".into(),
            "gd_ty_le".into(),
            "kt_bang_khen".into(),
        ],
    )
    .await
    .unwrap();
    let rows = analytics::run(
        &db,
        &analytics::Query {
            indicators: &inds,
            catalogue: &cat,
            unit: &old_tg,
            range: YearRange {
                from: 2013,
                to: 2023,
            },
            by: None,
            map: MapMode::Historical,
            approved_only: false,
        },
    )
    .await
    .unwrap();
    let row = |code: &str| rows.iter().find(|r| r.indicator == code).unwrap().clone();
    assert_eq!(row("tt_buoi").value, Some(130.0));
    assert_eq!(row("tt_buoi").qualifier, Some(tt));
    assert!(row("tt_buoi")
        .flags
        .contains(&"includes_unapproved".to_string()));
    // A stock takes each unit's latest value in the range: 22 (2020), not 20 + 22.
    assert_eq!(row("tcqc_so").value, Some(22.0));
    // By year.
    let by_year = analytics::run(
        &db,
        &analytics::Query {
            indicators: &inds[..1],
            catalogue: &cat,
            unit: &old_tg,
            range: YearRange {
                from: 2013,
                to: 2023,
            },
            by: Some(By::Year),
            map: MapMode::Historical,
            approved_only: false,
        },
    )
    .await
    .unwrap();
    let years: Vec<(String, Option<f64>)> = by_year
        .iter()
        .map(|r| (r.period.clone(), r.value))
        .collect();
    assert_eq!(
        years,
        vec![
            ("2019".to_string(), Some(50.0)),
            ("2020".to_string(), Some(80.0))
        ]
    );
    // Today's Đồng Tháp: stocks across units at the end of the range, a ratio, and a breakdown summed.
    let rows = analytics::run(
        &db,
        &analytics::Query {
            indicators: &inds,
            catalogue: &cat,
            unit: &new_dt,
            range: YearRange {
                from: 2013,
                to: 2026,
            },
            by: None,
            map: MapMode::Current,
            approved_only: false,
        },
    )
    .await
    .unwrap();
    let row = |code: &str| rows.iter().find(|r| r.indicator == code).unwrap().clone();
    assert_eq!(row("tcqc_so").value, Some(40.0 + 22.0 + 30.0));
    assert_eq!(
        row("gd_ty_le").value,
        Some(((7.0 + 5.0) / (10.0 + 20.0) * 1000.0_f64).round() / 10.0)
    );
    assert_eq!(row("kt_bang_khen").value, Some(7.0));
    // By child unit of today's Đồng Tháp: the new commune has its own row.
    let by_child = analytics::run(
        &db,
        &analytics::Query {
            indicators: &inds[..1],
            catalogue: &cat,
            unit: &new_dt,
            range: YearRange {
                from: 2026,
                to: 2026,
            },
            by: Some(By::Child),
            map: MapMode::Current,
            approved_only: false,
        },
    )
    .await
    .unwrap();
    assert_eq!(by_child.len(), 1);
    assert_eq!(by_child[0].unit, new_commune.code);
    assert_eq!(by_child[0].value, Some(7.0));

    // Completeness of today's Đồng Tháp for 2026: itself and its communes.
    let c = reports::completeness(
        &db,
        &form,
        &new_dt,
        "2026",
        parse_date("2026-06-01").unwrap(),
    )
    .await
    .unwrap();
    assert_eq!(c.total, 1 + 102);
    assert_eq!(c.counts.get("draft"), Some(&1));
    assert_eq!(c.counts.get("not_started"), Some(&102));
    assert_eq!(c.counts.get("late"), None, "not late before the deadline");
    let late = reports::completeness(
        &db,
        &form,
        &new_dt,
        "2026",
        parse_date("2027-01-15").unwrap(),
    )
    .await
    .unwrap();
    assert_eq!(late.counts.get("late"), Some(&103));
    assert!((late.percent["draft"] - 100.0 / 103.0).abs() < 1e-9);
}

#[tokio::test]
async fn statistics_on_sqlite() {
    let t = TestDb::sqlite();
    story(t.ready().await).await;
}

#[tokio::test]
async fn statistics_on_postgres() {
    let Some(server) = postgres_url() else {
        eprintln!("skipped: ANTQ_TEST_DATABASE_URL is not set, so the PostgreSQL statistics story did not run");
        return;
    };
    let t = TestDb::postgres(&server).await;
    story(t.ready().await).await;
}
