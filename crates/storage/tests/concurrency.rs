//! Writes that meet never fail: sixteen officers saving at once on
//! communes of the same province, while others submit, approve and reopen
//! and an import writes to other communes. Every write must succeed, every
//! value must be there afterwards, the rollups maintained along the way
//! must equal a rebuild, and the audit chain must be intact. SQLite always;
//! PostgreSQL (where writers take row locks and could deadlock) when
//! `ANTQ_TEST_DATABASE_URL` is set.

use std::sync::Arc;

use antq_core::dates::parse_date;
use antq_core::imports::{ImportRow, Place, RawValue};
use antq_core::indicators::Qualifier;
use antq_core::reports::Transition;
use antq_core::units::{Level, UnitCode};
use antq_storage::audit::{Verification, Who};
use antq_storage::statistics::catalogue::{self, Form};
use antq_storage::statistics::reports::{self, ValueInput};
use antq_storage::testing::{postgres_url, TestDb};
use antq_storage::units::{self, Unit, UnitQuery};
use antq_storage::{audit, statistics::import, Db};

/// Savers, saves each, workflow tasks, rounds of each workflow task.
const SAVERS: usize = 16;
const SAVES: i64 = 20;
const WORKFLOWS: usize = 4;
const ROUNDS: i64 = 3;
const IMPORTED: usize = 12;
const PERIOD: &str = "2025";

fn v(code: &str, n: i64) -> ValueInput {
    ValueInput {
        indicator: code.into(),
        option: String::new(),
        value: Some((n * 1000, Qualifier::Exact, None)),
    }
}

async fn communes(db: &Db) -> Vec<Unit> {
    // Hà Nội's communes of today: they report 2025 and share the province
    // and nation rollup rows.
    let province = units::get_at(
        db,
        &UnitCode::parse("01").unwrap(),
        parse_date("2026-01-01").unwrap(),
    )
    .await
    .unwrap();
    units::list(
        db,
        &UnitQuery {
            at: parse_date("2025-12-14").unwrap(),
            level: Some(Level::Commune),
            parent_id: Some(province.id),
            q: None,
            limit: Some((SAVERS + WORKFLOWS + IMPORTED) as i64),
        },
    )
    .await
    .unwrap()
}

async fn saver(db: Db, form: Arc<Form>, unit: Unit, k: i64) -> Vec<String> {
    let who = Who::user(1, &format!("can_bo_{k}"));
    let mut errors = Vec::new();
    for i in 1..=SAVES {
        // Different indicators in different orders, so rollup rows are met
        // in different orders by different writers.
        let mut inputs = vec![
            v("tt_buoi", k * 100 + i),
            v("tt_luot", (k * 100 + i) * 10),
            v("tcqc_so", i),
        ];
        if (k + i) % 2 == 0 {
            inputs.reverse();
        }
        if let Err(e) = reports::put_values(&db, &who, &form, &unit, PERIOD, inputs).await {
            errors.push(format!("lưu {}#{i}: {e}", unit.code));
        }
    }
    errors
}

async fn workflow(db: Db, form: Arc<Form>, unit: Unit, k: i64) -> Vec<String> {
    let who = Who::user(1, &format!("lanh_dao_{k}"));
    let mut errors = Vec::new();
    for round in 1..=ROUNDS {
        let steps: [(&str, Option<Transition>); 4] = [
            ("lưu", None),
            ("gửi", Some(Transition::Submit)),
            ("duyệt", Some(Transition::Approve)),
            ("mở lại", Some(Transition::Reopen)),
        ];
        for (label, step) in steps {
            // The last round ends approved.
            if round == ROUNDS && step == Some(Transition::Reopen) {
                continue;
            }
            let r = match step {
                None => reports::put_values(
                    &db,
                    &who,
                    &form,
                    &unit,
                    PERIOD,
                    vec![v("tt_buoi", k + round), v("tt_luot", (k + round) * 7)],
                )
                .await
                .map(|_| ()),
                Some(t) => reports::transition(&db, &who, &form, &unit, PERIOD, t, None)
                    .await
                    .map(|_| ()),
            };
            if let Err(e) = r {
                errors.push(format!("{label} {} vòng {round}: {e}", unit.code));
            }
        }
    }
    errors
}

async fn importer(db: Db, units: Vec<Unit>) -> Vec<String> {
    let mut rows = Vec::new();
    for (i, u) in units.iter().enumerate() {
        for (key, value) in [("tt_buoi", 5 + i), ("tt_luot", 50 + i)] {
            rows.push(ImportRow {
                place: Place::Line(rows.len() + 2),
                form: Some("antq-nam".into()),
                unit: u.code.clone(),
                period: PERIOD.into(),
                key: key.into(),
                value: RawValue::Text(value.to_string()),
                qualifier: String::new(),
                comment: String::new(),
            });
        }
    }
    match import::run(&db, None, &Who::system(), rows, false).await {
        Ok(_) => Vec::new(),
        Err(e) => vec![format!("nhập tệp: {e}")],
    }
}

async fn story(db: Db) {
    let form = Arc::new(catalogue::form(&db, "antq-nam").await.unwrap());
    let all = communes(&db).await;
    assert_eq!(all.len(), SAVERS + WORKFLOWS + IMPORTED);
    let (savers, rest) = all.split_at(SAVERS);
    let (workflows, imported) = rest.split_at(WORKFLOWS);

    let started = std::time::Instant::now();
    let mut tasks = Vec::new();
    for (k, u) in savers.iter().enumerate() {
        tasks.push(tokio::spawn(saver(
            db.clone(),
            form.clone(),
            u.clone(),
            k as i64,
        )));
    }
    for (k, u) in workflows.iter().enumerate() {
        tasks.push(tokio::spawn(workflow(
            db.clone(),
            form.clone(),
            u.clone(),
            k as i64,
        )));
    }
    tasks.push(tokio::spawn(importer(db.clone(), imported.to_vec())));
    let mut errors = Vec::new();
    for t in tasks {
        errors.extend(t.await.unwrap());
    }
    eprintln!(
        "{} saves, {} workflow steps and one import of {IMPORTED} reports on {:?} in {:?}: {} errors",
        SAVERS as i64 * SAVES,
        WORKFLOWS as i64 * (ROUNDS * 4 - 1),
        db.backend(),
        started.elapsed(),
        errors.len()
    );
    assert!(errors.is_empty(), "{} errors: {errors:#?}", errors.len());

    // Every value is there: the last save of each saver, the last round of
    // each workflow (approved), every imported value.
    for (k, u) in savers.iter().enumerate() {
        let r = reports::view(&db, &form, u, PERIOD).await.unwrap();
        let last = k as i64 * 100 + SAVES;
        assert_eq!(r.values["tt_buoi"].milli, last * 1000, "{}", u.code);
        assert_eq!(r.values["tt_luot"].milli, last * 10_000, "{}", u.code);
        assert_eq!(r.values["tcqc_so"].milli, SAVES * 1000, "{}", u.code);
        assert_eq!(r.state, "draft");
    }
    for (k, u) in workflows.iter().enumerate() {
        let r = reports::view(&db, &form, u, PERIOD).await.unwrap();
        assert_eq!(r.state, "approved", "{}", u.code);
        assert_eq!(r.values["tt_buoi"].milli, (k as i64 + ROUNDS) * 1000);
    }
    for (i, u) in imported.iter().enumerate() {
        let r = reports::view(&db, &form, u, PERIOD).await.unwrap();
        assert_eq!(r.values["tt_buoi"].milli, (5 + i as i64) * 1000);
        assert_eq!(r.values["tt_luot"].milli, (50 + i as i64) * 1000);
    }

    // One audit row per save (the first of each report also creates it),
    // per workflow step, and per imported report, in an intact chain.
    match audit::verify(&db).await.unwrap() {
        Verification::Intact { rows } => assert!(rows > 0),
        Verification::Broken(b) => panic!("chain broken: {b:?}"),
    }
    let sets: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM audit_log WHERE action IN ('value.set', 'report.submit', 'report.approve', 'report.reopen')",
    )
    .fetch_one(db.pool())
    .await
    .unwrap();
    assert_eq!(
        sets,
        SAVERS as i64 * SAVES + WORKFLOWS as i64 * (ROUNDS * 4 - 1),
        "no change applied twice, none lost"
    );

    // The rollups moved by all those writers equal a rebuild.
    let maintained =
        antq_storage::testing::assert_rollups_equal_rebuild(&db, "after the concurrent writers")
            .await;
    assert!(!maintained.is_empty());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_writes_never_fail_on_sqlite() {
    let t = TestDb::sqlite();
    story(t.ready().await).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_writes_never_fail_on_postgres() {
    let Some(server) = postgres_url() else {
        eprintln!("skipped: ANTQ_TEST_DATABASE_URL is not set, so the PostgreSQL concurrency test did not run");
        return;
    };
    let t = TestDb::postgres(&server).await;
    story(t.ready().await).await;
}

/// Two transactions that lock two rows in opposite orders: PostgreSQL
/// detects the deadlock and rolls one back. Begun directly, one of them
/// fails; run by `Db::write_unaudited`, the one rolled back is run again
/// and both succeed, each applied exactly once.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_deadlocked_transaction_is_run_again_on_postgres() {
    use std::sync::atomic::{AtomicUsize, Ordering};
    let Some(server) = postgres_url() else {
        eprintln!(
            "skipped: ANTQ_TEST_DATABASE_URL is not set, so the PostgreSQL retry test did not run"
        );
        return;
    };
    let t = TestDb::postgres(&server).await;
    let db = Db::connect(&t.url).await.unwrap();
    sqlx::raw_sql(
        "CREATE TABLE probe (id BIGINT PRIMARY KEY, n BIGINT NOT NULL); INSERT INTO probe VALUES (1, 0), (2, 0);",
    )
    .execute(db.pool())
    .await
    .unwrap();

    async fn bump(tx: &mut antq_storage::WriteTx, id: i64) -> antq_storage::StorageResult<()> {
        sqlx::query("UPDATE probe SET n = n + 1 WHERE id = $1")
            .bind(id)
            .execute(tx.conn())
            .await?;
        Ok(())
    }

    // Without the runner: one of the two fails with "deadlock detected".
    let plain = |first: i64, second: i64| {
        let db = db.clone();
        async move {
            let mut tx = db.begin_unaudited().await?;
            bump(&mut tx, first).await?;
            tokio::time::sleep(std::time::Duration::from_millis(300)).await;
            bump(&mut tx, second).await?;
            tx.commit().await
        }
    };
    let (a, b) = tokio::join!(plain(1, 2), plain(2, 1));
    let failed: Vec<_> = [&a, &b]
        .into_iter()
        .filter_map(|r| r.as_ref().err())
        .collect();
    assert_eq!(failed.len(), 1, "{a:?} {b:?}");
    assert!(antq_storage::db::is_transient(failed[0]), "{:?}", failed[0]);

    // With the runner: both succeed, one after being run again.
    let attempts = Arc::new(AtomicUsize::new(0));
    let retried = |first: i64, second: i64| {
        let (db, attempts) = (db.clone(), attempts.clone());
        async move {
            let mine = AtomicUsize::new(0);
            db.write_unaudited(|mut tx| {
                let (attempts, mine) = (&attempts, &mine);
                async move {
                    attempts.fetch_add(1, Ordering::SeqCst);
                    let first_try = mine.fetch_add(1, Ordering::SeqCst) == 0;
                    bump(&mut tx, first).await?;
                    if first_try {
                        tokio::time::sleep(std::time::Duration::from_millis(300)).await;
                    }
                    bump(&mut tx, second).await?;
                    tx.commit().await
                }
            })
            .await
        }
    };
    let (a, b) = tokio::join!(retried(1, 2), retried(2, 1));
    a.unwrap();
    b.unwrap();
    assert_eq!(
        attempts.load(Ordering::SeqCst),
        3,
        "one of the two ran twice"
    );
    // The first round left one transaction's bumps (1 each), the second both.
    let ns: Vec<i64> = sqlx::query_scalar("SELECT n FROM probe ORDER BY id")
        .fetch_all(db.pool())
        .await
        .unwrap();
    assert_eq!(ns, vec![3, 3], "every change applied exactly once");
    db.close().await;
}
