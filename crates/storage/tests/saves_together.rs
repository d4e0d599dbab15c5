//! Saves queued while another writer holds the database are committed
//! together in one transaction, each in a savepoint of its own: one that
//! is refused (its report is locked) is rolled back alone and answered
//! with its reason; every other is committed, audited and rolled up as if
//! written alone. SQLite always, PostgreSQL when
//! ANTQ_TEST_DATABASE_URL is set.

use antq_core::dates::parse_date;
use antq_core::indicators::Qualifier;
use antq_core::units::{Level, UnitCode};
use antq_storage::audit::{Verification, Who};
use antq_storage::statistics::catalogue;
use antq_storage::statistics::reports::{self, ValueInput};
use antq_storage::testing::{postgres_url, TestDb};
use antq_storage::units::{self, UnitQuery};
use antq_storage::{audit, Db, StorageError};

fn v(code: &str, n: i64) -> ValueInput {
    ValueInput {
        indicator: code.into(),
        option: String::new(),
        value: Some((n * 1000, Qualifier::Exact, None)),
    }
}

async fn story(db: Db) {
    let form = catalogue::form(&db, "antq-nam").await.unwrap();
    let province = units::get_at(
        &db,
        &UnitCode::parse("01").unwrap(),
        parse_date("2026-01-01").unwrap(),
    )
    .await
    .unwrap();
    let communes = units::list(
        &db,
        &UnitQuery {
            at: parse_date("2025-12-14").unwrap(),
            level: Some(Level::Commune),
            parent_id: Some(province.id),
            q: None,
            limit: Some(21),
        },
    )
    .await
    .unwrap();
    assert_eq!(communes.len(), 21);
    let who = Who::user(1, "can_bo");

    // Two communes' reports are submitted: saving into them is refused.
    const LOCKED: [usize; 2] = [5, 12];
    for k in LOCKED {
        let unit = &communes[k];
        reports::put_values(&db, &who, &form, unit, "2025", vec![v("tt_buoi", 1)])
            .await
            .unwrap();
        sqlx::query("UPDATE reports SET state = 'submitted' WHERE unit_id = $1")
            .bind(unit.id)
            .execute(db.pool())
            .await
            .unwrap();
    }
    let audit_before: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM audit_log")
        .fetch_one(db.pool())
        .await
        .unwrap();

    // Another writer holds the database while the saves arrive: the first
    // is taken by the saves' writer and waits, the rest queue behind it and
    // are written together, the refused ones among them.
    let together_before = db.saves_committed_together();
    let holder = db.begin_write().await.unwrap();
    let mut saves = Vec::new();
    for (k, unit) in communes.iter().enumerate() {
        let (db, form, who, unit) = (db.clone(), form.clone(), who.clone(), unit.clone());
        saves.push(tokio::spawn(async move {
            let inputs = vec![v("tt_buoi", 10 + k as i64), v("tt_luot", 100 + k as i64)];
            reports::put_values(&db, &who, &form, &unit, "2025", inputs).await
        }));
        if k == 0 {
            tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        }
    }
    tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    drop(holder);

    let mut saved = 0;
    for (k, save) in saves.into_iter().enumerate() {
        match (k, save.await.unwrap()) {
            (k, Err(StorageError::Conflict(why))) if LOCKED.contains(&k) => {
                assert!(why.contains("Đã gửi"), "{why}")
            }
            (k, Ok(view)) if !LOCKED.contains(&k) => {
                assert_eq!(view.values["tt_buoi"].milli, (10 + k as i64) * 1000);
                saved += 1;
            }
            (k, other) => panic!("save {k}: {other:?}"),
        }
    }
    assert_eq!(saved, 19);
    // The 18 saves behind the first were committed together (the first
    // was written alone, the locked ones were refused).
    assert_eq!(db.saves_committed_together() - together_before, 18);

    // What was answered is what is stored: the locked report kept its
    // value, each other report has its own, the rollups add them up, and
    // every committed save is audited once, in one chain.
    for (k, unit) in communes.iter().enumerate() {
        let view = reports::view(&db, &form, unit, "2025").await.unwrap();
        let want = if LOCKED.contains(&k) {
            1
        } else {
            10 + k as i64
        };
        assert_eq!(view.values["tt_buoi"].milli, want * 1000, "commune {k}");
    }
    antq_storage::testing::assert_rollups_equal_rebuild(&db, "after saves written together").await;
    let audit_after: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM audit_log")
        .fetch_one(db.pool())
        .await
        .unwrap();
    // Each new report: its creation and its values.
    assert_eq!(audit_after - audit_before, 19 * 2);
    assert!(matches!(
        audit::verify(&db).await.unwrap(),
        Verification::Intact { .. }
    ));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn saves_are_committed_together_on_sqlite() {
    let t = TestDb::sqlite();
    story(t.ready().await).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn saves_are_committed_together_on_postgres() {
    let Some(server) = postgres_url() else {
        eprintln!("skipped: ANTQ_TEST_DATABASE_URL is not set, so the PostgreSQL saves-together story did not run");
        return;
    };
    let t = TestDb::postgres(&server).await;
    story(t.ready().await).await;
}
