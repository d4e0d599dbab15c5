//! Bulk imports: many reports written at once keep the rollups equal to a
//! rebuild from the raw values, audit every report in an intact chain, and
//! update, clear and leave values alone correctly. SQLite always,
//! PostgreSQL when ANTQ_TEST_DATABASE_URL is set.

use antq_core::dates::parse_date;
use antq_core::imports::{ImportRow, Place, RawValue};
use antq_core::units::UnitCode;
use antq_storage::audit::{Verification, Who};
use antq_storage::testing::{postgres_url, TestDb};
use antq_storage::{
    audit, statistics::catalogue, statistics::import, statistics::reports, units, Db,
};

fn row(n: usize, unit: &str, period: &str, key: &str, value: &str) -> ImportRow {
    ImportRow {
        place: Place::Line(n),
        form: Some("antq-nam".into()),
        unit: unit.into(),
        period: period.into(),
        key: key.into(),
        value: RawValue::Text(value.into()),
        qualifier: String::new(),
        comment: String::new(),
    }
}

async fn story(db: Db) {
    let who = Who::system();
    // Communes of Điện Biên before and after 2025 (legacy 03127 and today's 03325), several years.
    let mut rows = Vec::new();
    let mut n = 1;
    for (unit, periods) in [
        ("03127", ["2019", "2020", "2021"]),
        ("03325", ["2025", "2026", "2026"]),
    ] {
        for period in periods.iter().take(2) {
            for (key, v) in [
                ("tt_buoi", "12"),
                ("tt_luot", "hơn 3.400"),
                ("kt_bang_khen.tap_the", "2"),
            ] {
                n += 1;
                rows.push(row(n, unit, period, key, v));
            }
        }
    }
    let s = import::run(&db, None, &who, rows, false).await.unwrap();
    assert_eq!(s.reports, 4);
    assert_eq!(s.changes.reports_created, 4);
    assert_eq!(s.changes.values_new, 12);

    // A second file: one value changed, one cleared, one the same, one new.
    let second = vec![
        row(2, "03127", "2019", "tt_buoi", "15"),
        row(3, "03127", "2019", "tt_luot", ""),
        row(4, "03127", "2019", "kt_bang_khen.tap_the", "2"),
        row(5, "03325", "2026", "dd_so", "1"),
    ];
    let s = import::run(&db, None, &who, second, false).await.unwrap();
    assert_eq!(
        (
            s.changes.values_changed,
            s.changes.values_cleared,
            s.changes.values_unchanged,
            s.changes.values_new,
            s.changes.reports_created
        ),
        (1, 1, 1, 1, 0)
    );
    // The report holds what the two files say together.
    let form = catalogue::form(&db, "antq-nam").await.unwrap();
    let unit = units::get_at(
        &db,
        &UnitCode::parse("03127").unwrap(),
        parse_date("2019-12-14").unwrap(),
    )
    .await
    .unwrap();
    let view = reports::view(&db, &form, &unit, "2019").await.unwrap();
    let mut keys: Vec<(&str, i64)> = view
        .values
        .iter()
        .map(|(k, v)| (k.as_str(), v.milli))
        .collect();
    keys.sort();
    assert_eq!(keys, [("kt_bang_khen.tap_the", 2_000), ("tt_buoi", 15_000)]);

    // The same value spelt twice ("tt_buoi" and "tt_buoi.") is refused, nothing written.
    let twice = vec![
        row(2, "03127", "2020", "tt_buoi", "100"),
        row(3, "03127", "2020", "tt_buoi.", "50"),
    ];
    match import::run(&db, None, &who, twice, false).await {
        Err(antq_storage::StorageError::Rejected(errors)) => {
            assert!(
                errors
                    .iter()
                    .any(|e| e.contains("dòng 3") && e.contains("không phải mã chỉ tiêu")),
                "{errors:?}"
            );
        }
        other => panic!("expected a refusal, got {other:?}"),
    }

    // The rollups maintained by the imports equal a rebuild from the raw values.
    let maintained =
        antq_storage::testing::assert_rollups_equal_rebuild(&db, "after the imports").await;
    assert!(!maintained.is_empty());

    // One audit row per report created (with its values) and per report
    // changed (values before and after), in an intact chain.
    match audit::verify(&db).await.unwrap() {
        Verification::Intact { rows } => assert!(rows > 0),
        Verification::Broken(b) => panic!("chain broken: {b:?}"),
    }
    let sets: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM audit_log WHERE action = 'value.set'")
        .fetch_one(db.pool())
        .await
        .unwrap();
    assert_eq!(sets, 2, "two reports changed by the second file");
    let created: Vec<String> = sqlx::query_scalar(
        "SELECT after_json FROM audit_log WHERE action = 'report.create' ORDER BY id",
    )
    .fetch_all(db.pool())
    .await
    .unwrap();
    assert_eq!(created.len(), 4);
    for after in &created {
        let v: serde_json::Value = serde_json::from_str(after).unwrap();
        assert_eq!(v["state"], "draft");
        assert_eq!(v["values"]["tt_buoi"], "12", "{after}");
        assert_eq!(v["values"]["tt_luot"]["qualifier"], "more_than", "{after}");
        assert_eq!(v["values"]["kt_bang_khen.tap_the"], "2", "{after}");
    }
}

#[tokio::test]
async fn bulk_imports_on_sqlite() {
    let t = TestDb::sqlite();
    story(t.ready().await).await;
}

#[tokio::test]
async fn bulk_imports_on_postgres() {
    let Some(server) = postgres_url() else {
        eprintln!("skipped: ANTQ_TEST_DATABASE_URL is not set, so the PostgreSQL import story did not run");
        return;
    };
    let t = TestDb::postgres(&server).await;
    story(t.ready().await).await;
}

/// A file of garbage: 200.000 rows of every kind of mistake. At most 1.000
/// errors are listed, the rest are counted, the count is exact, and no
/// unknown unit code past the cap is looked up (the run stays quick).
async fn garbage(db: Db) {
    let who = Who::system();
    let n = 200_000;
    let rows: Vec<ImportRow> = (0..n)
        .map(|i| match i % 4 {
            0 => row(i + 2, "03325", &format!("x{i}"), "tt_buoi", "1"),
            1 => row(
                i + 2,
                &format!("{:05}", 90_000 + i % 9_000),
                "2026",
                "tt_buoi",
                "1",
            ),
            2 => row(i + 2, "03325", "2026", &format!("khong_co_{i}"), "1"),
            _ => row(i + 2, "nope", "2026", "tt_buoi", "1"),
        })
        .collect();
    let started = std::time::Instant::now();
    let e = match import::run(&db, None, &who, rows, true).await {
        Err(antq_storage::StorageError::Rejected(e)) => e,
        other => panic!("refused expected: {other:?}"),
    };
    assert!(started.elapsed() < std::time::Duration::from_secs(120));
    assert_eq!(e.len(), 1_001);
    assert!(e[0].starts_with("dòng 2: "), "{}", e[0]);
    assert!(
        e[1].starts_with("dòng 3: mã đơn vị \"90001\" không có"),
        "{}",
        e[1]
    );
    assert!(e[2].contains("khong_co_2"), "{}", e[2]);
    assert_eq!(e[1_000], "… và 199.000 lỗi khác");
    assert_eq!(antq_core::imports::error_count(&e), n);
}

#[tokio::test]
async fn garbage_imports_list_a_thousand_errors_on_sqlite() {
    let t = TestDb::sqlite();
    garbage(t.ready().await).await;
}

#[tokio::test]
async fn garbage_imports_list_a_thousand_errors_on_postgres() {
    let Some(server) = postgres_url() else {
        eprintln!("skipped: ANTQ_TEST_DATABASE_URL is not set");
        return;
    };
    let t = TestDb::postgres(&server).await;
    garbage(t.ready().await).await;
}
