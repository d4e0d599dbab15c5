//! The crash harness: `antq serve` killed with SIGKILL at random moments
//! while officers save, a report goes round submit → approve → reopen and
//! a province imports a file; after each restart every acknowledged write
//! is there, nothing half-written is visible (an import is all or
//! nothing), the rollups equal a rebuild from the reports and the audit
//! chain verifies. Also `antq migrate` killed midway, and a migration that
//! fails: the database stays at the version before, the next run
//! completes it.
//!
//! Rounds: `ANTQ_CRASH_ROUNDS` (default 2; 20 for the long form, see
//! BENCHMARKS.md). SQLite always; PostgreSQL when ANTQ_TEST_DATABASE_URL
//! is set.

mod support;

use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use antq_storage::testing::{postgres_url, TestDb};
use antq_storage::Db;
use reqwest::Method;
use sqlx::Row;
use support::*;

const WRITERS: usize = 5;
/// The commune whose report goes round the workflow.
const CYCLER: &str = COMMUNES[5];
/// The communes the province's imports write, all at once.
const IMPORTED: [&str; 5] = [
    COMMUNES[6],
    COMMUNES[7],
    COMMUNES[8],
    COMMUNES[9],
    COMMUNES[10],
];

fn rounds() -> usize {
    std::env::var("ANTQ_CRASH_ROUNDS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(2)
}

/// A small random generator (no dependency): xorshift, seeded from the clock.
struct Rng(u64);

impl Rng {
    fn new() -> Rng {
        let seed = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_nanos() as u64
            | 1;
        eprintln!("crash harness seed {seed}");
        Rng(seed)
    }

    fn below(&mut self, n: u64) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0 % n
    }
}

/// What the clients were told, and what they had asked without an answer.
#[derive(Default)]
struct Ledger {
    /// Per writer: the last value acknowledged, and one sent without answer.
    saved: HashMap<&'static str, (i64, Option<i64>)>,
    /// The workflow report: its last acknowledged state, and the state a
    /// step sent without answer would have made.
    state: (String, Option<String>),
    /// Imports: the last acknowledged value of `tt_luot`, one unanswered.
    imported: (i64, Option<i64>),
}

/// The state a workflow step leads to.
fn after(step: &str) -> &'static str {
    match step {
        "submit" => "submitted",
        "approve" => "approved",
        "reopen" => "returned",
        _ => "draft",
    }
}

async fn cycle(
    commune: Client,
    province: Client,
    ledger: Arc<Mutex<Ledger>>,
    stop: Arc<AtomicBool>,
) {
    let path = report_path(CYCLER);
    while !stop.load(Ordering::Relaxed) {
        let state = ledger.lock().unwrap().state.0.clone();
        let (who, step) = match state.as_str() {
            "" | "not_started" => (&commune, "save"),
            "submitted" => (&province, "approve"),
            "approved" => (&province, "reopen"),
            _ => (&commune, "submit"),
        };
        ledger.lock().unwrap().state.1 = Some(after(step).to_string());
        let sent = if step == "save" {
            who.save(CYCLER, 1).await
        } else {
            who.send(
                Method::POST,
                &format!("{path}/{step}"),
                Some(serde_json::json!({})),
            )
            .await
        };
        match sent {
            Ok((200, v)) => {
                let got = v["state"].as_str().unwrap_or_default().to_string();
                assert_eq!(got, after(step), "{step}: {v}");
                ledger.lock().unwrap().state = (got, None);
            }
            Ok((s, v)) => panic!("{step} refused with {s}: {v}"),
            Err(_) => return,
        }
    }
}

async fn save_loop(
    client: Client,
    unit: &'static str,
    ledger: Arc<Mutex<Ledger>>,
    stop: Arc<AtomicBool>,
) {
    let mut n = ledger.lock().unwrap().saved.get(unit).map_or(0, |s| s.0);
    while !stop.load(Ordering::Relaxed) {
        n += 1;
        ledger.lock().unwrap().saved.entry(unit).or_default().1 = Some(n);
        match client.save(unit, n).await {
            Ok((200, _)) => {
                ledger.lock().unwrap().saved.insert(unit, (n, None));
            }
            Ok((s, v)) => panic!("save refused with {s}: {v}"),
            Err(_) => return,
        }
    }
}

async fn import_loop(
    base: String,
    token: String,
    ledger: Arc<Mutex<Ledger>>,
    stop: Arc<AtomicBool>,
) {
    let http = reqwest::Client::new();
    let mut n = ledger.lock().unwrap().imported.0;
    while !stop.load(Ordering::Relaxed) {
        n += 1;
        let mut csv = String::from("unit,period,indicator,value,qualifier,comment\n");
        for c in IMPORTED {
            csv.push_str(&format!("{c},2026,tt_luot,{n},,\n"));
        }
        ledger.lock().unwrap().imported.1 = Some(n);
        let res = http
            .post(format!("{base}/api/v1/import?format=csv"))
            .bearer_auth(&token)
            .header("content-type", "text/csv")
            .body(csv)
            .send()
            .await;
        match res {
            Ok(r) if r.status() == 200 => {
                ledger.lock().unwrap().imported = (n, None);
            }
            Ok(r) => {
                let s = r.status();
                panic!(
                    "import refused with {s}: {}",
                    r.text().await.unwrap_or_default()
                )
            }
            Err(_) => return,
        }
    }
}

/// After a restart: every acknowledged write there, nothing half-done.
/// The ledger then holds what the server holds (a write in flight may
/// have been applied without its answer), for the next round to go on from.
async fn check_after_restart(reader: &Client, ledger: &Mutex<Ledger>) {
    let (saved, state, imported) = {
        let l = ledger.lock().unwrap();
        (l.saved.clone(), l.state.clone(), l.imported)
    };
    for (unit, (acked, pending)) in &saved {
        let got = sessions_of(&reader.report(unit).await);
        assert!(
            got == *acked || Some(got) == *pending,
            "commune {unit}: {got} after the crash, {acked} acknowledged (in flight: {pending:?})"
        );
        ledger.lock().unwrap().saved.insert(*unit, (got, None));
    }
    let report = reader.report(CYCLER).await;
    let got = report["state"].as_str().unwrap().to_string();
    let acked = if state.0.is_empty() {
        "not_started".to_string()
    } else {
        state.0.clone()
    };
    assert!(
        got == acked || Some(&got) == state.1.as_ref(),
        "workflow report: {got} after the crash, {acked} acknowledged (in flight: {:?})",
        state.1
    );
    ledger.lock().unwrap().state = (got, None);
    let mut values = Vec::new();
    for c in IMPORTED {
        let r = reader.report(c).await;
        values.push(r["values"]["tt_luot"]["value"].as_f64().unwrap_or(0.0) as i64);
    }
    assert!(
        values.iter().all(|v| *v == values[0]),
        "an import is all or nothing: {values:?}"
    );
    assert!(
        values[0] == imported.0 || Some(values[0]) == imported.1,
        "import: {} after the crash, {} acknowledged (in flight: {:?})",
        values[0],
        imported.0,
        imported.1
    );
    ledger.lock().unwrap().imported = (values[0], None);
}

async fn harness(t: TestDb) {
    let dir = temp_dir("crash");
    let url = t.url.clone();
    antq_ok(&url, &dir, &["migrate"], None);
    let writer_tokens: Vec<String> = COMMUNES[..WRITERS]
        .iter()
        .map(|c| officer(&url, &dir, &format!("ca.{c}"), c))
        .collect();
    let cycler_token = officer(&url, &dir, "ca.quytrinh", CYCLER);
    let province_token = officer(&url, &dir, "ca.dienbien", "11");
    let ledger = Arc::new(Mutex::new(Ledger::default()));
    let mut rng = Rng::new();
    let rounds = rounds();
    let mut kills = Vec::new();
    for round in 1..=rounds {
        let server = Server::start(&url, &dir);
        let province = Client::new(&server.base, &province_token);
        if round > 1 {
            check_after_restart(&province, &ledger).await;
        }
        let stop = Arc::new(AtomicBool::new(false));
        let mut tasks = Vec::new();
        for (i, token) in writer_tokens.iter().enumerate() {
            tasks.push(tokio::spawn(save_loop(
                Client::new(&server.base, token),
                COMMUNES[i],
                ledger.clone(),
                stop.clone(),
            )));
        }
        tasks.push(tokio::spawn(cycle(
            Client::new(&server.base, &cycler_token),
            province.clone(),
            ledger.clone(),
            stop.clone(),
        )));
        tasks.push(tokio::spawn(import_loop(
            server.base.clone(),
            province_token.clone(),
            ledger.clone(),
            stop.clone(),
        )));
        let after_ms = 300 + rng.below(2_200);
        tokio::time::sleep(Duration::from_millis(after_ms)).await;
        // SIGKILL with requests in flight.
        server.kill();
        stop.store(true, Ordering::Relaxed);
        for t in tasks {
            t.await.expect("a client task failed its checks");
        }
        kills.push(after_ms);

        // With the server down: the rollups equal a rebuild, the chain verifies.
        let db = Db::connect(&url).await.unwrap();
        assert_rollups_equal_rebuild(&db, &format!("round {round}")).await;
        db.close().await;
        let verified = antq_ok(&url, &dir, &["audit", "verify"], None);
        assert!(verified.contains("nguyên vẹn"), "round {round}: {verified}");
    }
    // The last crash, checked by a last restart.
    let server = Server::start(&url, &dir);
    let province = Client::new(&server.base, &province_token);
    check_after_restart(&province, &ledger).await;
    let l = ledger.lock().unwrap();
    let saves: i64 = l.saved.values().map(|s| s.0).sum();
    eprintln!(
        "{rounds} rounds, killed after {kills:?} ms; {saves} saves, {} imports acknowledged, workflow at {}",
        l.imported.0, l.state.0
    );
    assert!(saves > 0 && l.imported.0 > 0, "the load did run");
    drop(l);
    server.kill();
    let _ = std::fs::remove_dir_all(&dir);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn acknowledged_writes_survive_kill_9_on_sqlite() {
    harness(TestDb::sqlite()).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn acknowledged_writes_survive_kill_9_on_postgres() {
    let Some(server) = postgres_url() else {
        eprintln!("skipped: ANTQ_TEST_DATABASE_URL is not set, so the PostgreSQL crash harness did not run");
        return;
    };
    harness(TestDb::postgres(&server).await).await;
}

/// `antq migrate` killed at random moments of a first start, then run to
/// the end: the schema is whole, the units loaded, the chain verifies.
async fn interrupted_migrations(t: TestDb) {
    let dir = temp_dir("migrate");
    let mut rng = Rng::new();
    for _ in 0..3 {
        let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_antq"))
            .arg("migrate")
            .env("ANTQ__DATABASE_URL", &t.url)
            .env("ANTQ__DATA_DIR", &dir)
            .env("ANTQ_LOG", "warn")
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(Duration::from_millis(30 + rng.below(1_500)));
        let _ = child.kill();
        let _ = child.wait();
    }
    antq_ok(&t.url, &dir, &["migrate"], None);
    let db = Db::connect(&t.url).await.unwrap();
    assert!(antq_storage::migrations::pending(&db)
        .await
        .unwrap()
        .is_empty());
    let units: i64 = sqlx::query("SELECT COUNT(*) FROM units")
        .fetch_one(db.pool())
        .await
        .unwrap()
        .get(0);
    assert!(units > 14_000, "every official unit loaded: {units}");
    db.close().await;
    let verified = antq_ok(&t.url, &dir, &["audit", "verify"], None);
    assert!(verified.contains("nguyên vẹn"), "{verified}");
    let _ = std::fs::remove_dir_all(&dir);
}

/// A migration that fails half-way (its second table is in the way) leaves
/// the database at the version before, with nothing of it applied; once
/// the obstacle is gone the next run completes it.
async fn failed_migration(t: TestDb) {
    let db = Db::connect(&t.url).await.unwrap();
    let last = antq_storage::migrations::latest();
    antq_storage::migrations::run_until(&db, 14).await.unwrap();
    sqlx::raw_sql("CREATE TABLE articles (x BIGINT)")
        .execute(db.pool())
        .await
        .unwrap();
    assert!(antq_storage::migrations::run(&db).await.is_err());
    let pending = antq_storage::migrations::pending(&db).await.unwrap();
    assert_eq!(
        pending.first(),
        Some(&15),
        "version 15 not recorded: {pending:?}"
    );
    let first_table = sqlx::query("SELECT COUNT(*) FROM document_relations")
        .fetch_one(db.pool())
        .await;
    assert!(
        first_table.is_err(),
        "the table created before the failure was rolled back"
    );
    sqlx::raw_sql("DROP TABLE articles")
        .execute(db.pool())
        .await
        .unwrap();
    let applied = antq_storage::migrations::run(&db).await.unwrap();
    assert_eq!(applied.last(), Some(&last));
    assert!(antq_storage::migrations::pending(&db)
        .await
        .unwrap()
        .is_empty());
    db.close().await;
}

#[tokio::test]
async fn migrations_survive_interruption_on_sqlite() {
    interrupted_migrations(TestDb::sqlite()).await;
    failed_migration(TestDb::sqlite()).await;
}

#[tokio::test]
async fn migrations_survive_interruption_on_postgres() {
    let Some(server) = postgres_url() else {
        eprintln!("skipped: ANTQ_TEST_DATABASE_URL is not set, so the PostgreSQL migration test did not run");
        return;
    };
    interrupted_migrations(TestDb::postgres(&server).await).await;
    failed_migration(TestDb::postgres(&server).await).await;
}
