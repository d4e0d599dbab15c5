//! `antq backup` taken while officers save, restored into an empty
//! database: the copy is the database at one moment (its audit log a
//! prefix of the original's, every report's figure the one its audit
//! log ends with), its audit chain verifies, and it serves. A restore
//! refuses a database that holds data without `--force`; a damaged backup
//! is refused before anything is touched. SQLite always; PostgreSQL when
//! ANTQ_TEST_DATABASE_URL is set (pg_dump and psql must be installed).

mod support;

use std::sync::atomic::{AtomicBool, AtomicI64, Ordering};
use std::sync::Arc;
use std::time::Duration;

use antq_storage::testing::{postgres_url, TestDb};
use antq_storage::Db;
use sqlx::Row;
use support::*;

const WRITERS: usize = 6;

async fn audit_hash_at(db: &Db, id: i64) -> Option<String> {
    sqlx::query("SELECT hash FROM audit_log WHERE id = $1")
        .bind(id)
        .fetch_optional(db.pool())
        .await
        .unwrap()
        .map(|r| r.get(0))
}

async fn story(source: TestDb, target: TestDb) {
    let dir = temp_dir("backup");
    let url = source.url.clone();
    antq_ok(&url, &dir, &["migrate"], None);
    let tokens: Vec<String> = COMMUNES[..WRITERS]
        .iter()
        .map(|c| officer(&url, &dir, &format!("ca.{c}"), c))
        .collect();
    let server = Server::start(&url, &dir);

    // Officers save 1, 2, 3, … into their reports while the backup runs.
    let stop = Arc::new(AtomicBool::new(false));
    let acked: Arc<Vec<AtomicI64>> = Arc::new((0..WRITERS).map(|_| AtomicI64::new(0)).collect());
    let mut writers = Vec::new();
    for (i, token) in tokens.iter().enumerate() {
        let client = Client::new(&server.base, token);
        let (stop, acked) = (stop.clone(), acked.clone());
        writers.push(tokio::spawn(async move {
            let mut n = 0;
            while !stop.load(Ordering::Relaxed) {
                n += 1;
                let (s, v) = client
                    .save(COMMUNES[i], n)
                    .await
                    .expect("the server answers");
                assert_eq!(s, 200, "{v}");
                acked[i].store(n, Ordering::Relaxed);
            }
        }));
    }
    tokio::time::sleep(Duration::from_millis(800)).await;
    let file = dir.join("antq.backup");
    let out = {
        let (url, dir, file) = (url.clone(), dir.clone(), file.clone());
        tokio::task::spawn_blocking(move || {
            antq(&url, &dir, &["backup", "-o", file.to_str().unwrap()], None)
        })
        .await
        .unwrap()
    };
    assert!(out.status.success(), "{}", text(&out));
    tokio::time::sleep(Duration::from_millis(500)).await;
    stop.store(true, Ordering::Relaxed);
    for w in writers {
        w.await.unwrap();
    }
    let saved_after: Vec<i64> = acked.iter().map(|a| a.load(Ordering::Relaxed)).collect();
    assert!(
        saved_after.iter().all(|n| *n > 2),
        "the officers kept saving: {saved_after:?}"
    );
    // Not while the server runs, even with --force.
    let busy = antq(
        &url,
        &dir,
        &["restore", "--force", file.to_str().unwrap()],
        None,
    );
    assert!(!busy.status.success());
    assert!(text(&busy).contains("đang chạy"), "{}", text(&busy));
    server.kill();

    // The file checks out, and a second backup never overwrites it.
    let verified = antq_ok(
        &url,
        &dir,
        &["backup", "verify", file.to_str().unwrap()],
        None,
    );
    assert!(verified.contains("chuỗi băm khớp"), "{verified}");
    let again = antq(&url, &dir, &["backup", "-o", file.to_str().unwrap()], None);
    assert!(!again.status.success());
    assert!(text(&again).contains("đã có"), "{}", text(&again));

    // Into the database it came from: refused without --force.
    let refused = antq(&url, &dir, &["restore", file.to_str().unwrap()], None);
    assert!(!refused.status.success());
    assert!(text(&refused).contains("--force"), "{}", text(&refused));

    // Into an empty database.
    let dir2 = temp_dir("restored");
    let restored_msg = antq_ok(
        &target.url,
        &dir2,
        &["restore", file.to_str().unwrap()],
        None,
    );
    assert!(restored_msg.contains("Đã khôi phục"), "{restored_msg}");
    let restored = Db::connect(&target.url).await.unwrap();
    let original = Db::connect(&url).await.unwrap();

    // One moment: the restored log is a prefix of the original's …
    let head: i64 = sqlx::query("SELECT COALESCE(MAX(id), 0) FROM audit_log")
        .fetch_one(restored.pool())
        .await
        .unwrap()
        .get(0);
    let total: i64 = sqlx::query("SELECT COALESCE(MAX(id), 0) FROM audit_log")
        .fetch_one(original.pool())
        .await
        .unwrap()
        .get(0);
    assert!(head < total, "the backup was taken while saves went on");
    assert_eq!(
        audit_hash_at(&restored, head).await,
        audit_hash_at(&original, head).await,
        "the restored chain is the original's up to its last row"
    );
    assert!(matches!(
        antq_storage::audit::verify(&restored).await.unwrap(),
        antq_storage::audit::Verification::Intact { .. }
    ));
    // … and its rollups equal a rebuild from its reports.
    assert_rollups_equal_rebuild(&restored, "the restored database").await;

    // The restored database serves; each report holds the figure its
    // audit log ends with (saves of 1, 2, 3, …: as many value.set rows as
    // the figure), no later one.
    let server = Server::start(&target.url, &dir2);
    let token = officer(&target.url, &dir2, "ca.dienbien", "11");
    let client = Client::new(&server.base, &token);
    let mut some_saved = false;
    for (i, c) in COMMUNES[..WRITERS].iter().enumerate() {
        let report = client.report(c).await;
        let figure = sessions_of(&report);
        let id: Option<i64> = sqlx::query(
            "SELECT r.id FROM reports r JOIN units u ON u.id = r.unit_id WHERE u.code = $1 AND r.period = '2026'",
        )
        .bind(*c)
        .fetch_optional(restored.pool())
        .await
        .unwrap()
        .map(|r| r.get(0));
        let sets: i64 = match id {
            Some(id) => sqlx::query(
                "SELECT COUNT(*) FROM audit_log WHERE action = 'value.set' AND entity_id = $1 AND id <= $2",
            )
            .bind(id.to_string())
            .bind(head)
            .fetch_one(restored.pool())
            .await
            .unwrap()
            .get(0),
            None => 0,
        };
        assert_eq!(
            figure, sets,
            "commune {c}: the figure of the backup's moment"
        );
        assert!(
            figure <= saved_after[i],
            "commune {c}: nothing from after the backup"
        );
        some_saved |= figure > 0;
    }
    assert!(some_saved, "the backup holds saves made before it");
    server.kill();
    restored.close().await;
    original.close().await;
    let _ = std::fs::remove_dir_all(&dir);
    let _ = std::fs::remove_dir_all(&dir2);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_backup_under_load_restores_to_one_moment_on_sqlite() {
    story(TestDb::sqlite(), TestDb::sqlite()).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_backup_under_load_restores_to_one_moment_on_postgres() {
    let Some(server) = postgres_url() else {
        eprintln!(
            "skipped: ANTQ_TEST_DATABASE_URL is not set, so the PostgreSQL backup test did not run"
        );
        return;
    };
    story(
        TestDb::postgres(&server).await,
        TestDb::postgres(&server).await,
    )
    .await;
}

/// A damaged or cut-short backup is refused before the database is touched.
#[tokio::test]
async fn a_damaged_backup_is_refused() {
    let dir = temp_dir("damaged");
    let t = TestDb::sqlite();
    antq_ok(&t.url, &dir, &["migrate"], None);
    let file = dir.join("b.db");
    antq_ok(
        &t.url,
        &dir,
        &["backup", "-o", file.to_str().unwrap()],
        None,
    );
    // One byte changed.
    let mut bytes = std::fs::read(&file).unwrap();
    let mid = bytes.len() / 2;
    bytes[mid] ^= 0xff;
    std::fs::write(&file, &bytes).unwrap();
    let target = TestDb::sqlite();
    for args in [
        vec!["backup", "verify", file.to_str().unwrap()],
        vec!["restore", file.to_str().unwrap()],
    ] {
        let out = antq(&target.url, &dir, &args, None);
        assert!(!out.status.success());
        assert!(text(&out).contains("đã hỏng hoặc bị sửa"), "{}", text(&out));
    }
    // Without its checksum file.
    std::fs::remove_file(dir.join("b.db.sha256")).unwrap();
    let out = antq(
        &target.url,
        &dir,
        &["restore", file.to_str().unwrap()],
        None,
    );
    assert!(text(&out).contains("thiếu tệp tổng kiểm"), "{}", text(&out));
    let _ = std::fs::remove_dir_all(&dir);
}

/// No database where the configuration points (a cron job without its
/// configuration): refused, nothing made there. A SQLite file that is not
/// antq's is never restored over a database.
#[tokio::test]
async fn foreign_or_missing_databases_are_refused() {
    let dir = temp_dir("foreign");
    let empty = dir.join("nowhere");
    let out = antq(
        &format!("sqlite://{}/antq.db", empty.display()),
        &empty,
        &["backup", "-o", dir.join("x.db").to_str().unwrap()],
        None,
    );
    assert!(!out.status.success());
    assert!(
        text(&out).contains("không có cơ sở dữ liệu"),
        "{}",
        text(&out)
    );
    assert!(!empty.join("antq.db").exists());
    assert!(!dir.join("x.db").exists() && !dir.join("x.db.partial").exists());

    // A SQLite file of something else, with a right checksum.
    let other = dir.join("other.db");
    let db = Db::connect(&format!("sqlite://{}", other.display()))
        .await
        .unwrap();
    sqlx::raw_sql("CREATE TABLE t (x BIGINT); INSERT INTO t VALUES (1)")
        .execute(db.pool())
        .await
        .unwrap();
    sqlx::raw_sql("PRAGMA wal_checkpoint(TRUNCATE)")
        .execute(db.pool())
        .await
        .unwrap();
    db.close().await;
    let sum = std::process::Command::new("sha256sum")
        .arg(&other)
        .output()
        .unwrap();
    std::fs::write(dir.join("other.db.sha256"), &sum.stdout).unwrap();
    let target = TestDb::sqlite();
    antq_ok(&target.url, &dir, &["migrate"], None);
    let out = antq(
        &target.url,
        &dir,
        &["restore", "--force", other.to_str().unwrap()],
        None,
    );
    assert!(!out.status.success());
    assert!(
        text(&out).contains("không chứa cơ sở dữ liệu antq"),
        "{}",
        text(&out)
    );
    let verified = antq_ok(&target.url, &dir, &["audit", "verify"], None);
    assert!(
        verified.contains("nguyên vẹn"),
        "the target kept its data: {verified}"
    );
    let _ = std::fs::remove_dir_all(&dir);
}
