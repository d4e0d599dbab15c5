//! The `antq` binary end to end: migrate, users, tokens, demo, unit history
//! import, and `audit verify` catching a tampered row. Runs on SQLite, and
//! on PostgreSQL when ANTQ_TEST_DATABASE_URL is set.

use std::io::Write;
use std::process::{Command, Output, Stdio};

use antq_storage::testing::TestDb;
use antq_storage::{Backend, Db};

fn antq(db_url: &str, args: &[&str], stdin: Option<&str>) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_antq"))
        .args(args)
        .env("ANTQ__DATABASE_URL", db_url)
        .env("ANTQ_LOG", "warn")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the antq binary runs");
    if let Some(input) = stdin {
        child
            .stdin
            .take()
            .unwrap()
            .write_all(input.as_bytes())
            .unwrap();
    } else {
        drop(child.stdin.take());
    }
    child.wait_with_output().unwrap()
}

fn text(out: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

#[tokio::test]
async fn the_command_line_story() {
    let t = TestDb::new().await;
    let url = t.url.clone();

    let out = antq(&url, &["migrate"], None);
    assert!(out.status.success(), "{}", text(&out));

    // A user from a password on stdin; a weak password is refused.
    let out = antq(
        &url,
        &[
            "user",
            "add",
            "--username",
            "qt.tinh",
            "--role",
            "admin",
            "--unit",
            "11",
        ],
        Some("ngắn\n"),
    );
    assert!(!out.status.success());
    assert!(text(&out).contains("12"), "{}", text(&out));
    let out = antq(
        &url,
        &[
            "user",
            "add",
            "--username",
            "qt.tinh",
            "--role",
            "admin",
            "--unit",
            "11",
            "--name",
            "Quản trị tỉnh",
        ],
        Some("một mật khẩu đủ dài\n"),
    );
    assert!(out.status.success(), "{}", text(&out));
    assert!(text(&out).contains("Tỉnh Điện Biên"));
    // Unknown units and roles are clear errors.
    let out = antq(
        &url,
        &[
            "user",
            "add",
            "--username",
            "x.y.z",
            "--role",
            "chief",
            "--unit",
            "11",
        ],
        Some("một mật khẩu đủ dài\n"),
    );
    assert!(!out.status.success());
    assert!(text(&out).contains("chief"));
    let out = antq(
        &url,
        &[
            "user",
            "add",
            "--username",
            "x.y.z",
            "--role",
            "police",
            "--unit",
            "87",
        ],
        Some("một mật khẩu đủ dài\n"),
    );
    assert!(!out.status.success());
    assert!(text(&out).contains("87"), "{}", text(&out));

    // A token for scripts.
    let out = antq(&url, &["user", "token", "--username", "qt.tinh"], None);
    assert!(out.status.success());
    let token = String::from_utf8_lossy(&out.stdout).trim().to_string();
    assert!(token.starts_with("antq_"));
    // A new password revokes it.
    {
        let db = Db::connect(&url).await.unwrap();
        assert!(
            antq_storage::accounts::sessions::user_for_token(&db, &token)
                .await
                .unwrap()
                .is_some()
        );
        let out = antq(
            &url,
            &["user", "passwd", "--username", "qt.tinh"],
            Some("một mật khẩu mới đủ dài\n"),
        );
        assert!(out.status.success(), "{}", text(&out));
        assert!(
            antq_storage::accounts::sessions::user_for_token(&db, &token)
                .await
                .unwrap()
                .is_none()
        );
        db.close().await;
    }

    // The demo prints its password and can be loaded twice.
    for _ in 0..2 {
        let out = antq(&url, &["demo"], None);
        assert!(out.status.success(), "{}", text(&out));
        assert!(text(&out).contains("Mật khẩu"));
        assert!(text(&out).contains("ca.muongphang"));
    }
    let out = antq(&url, &["user", "list"], None);
    assert!(text(&out).contains("ca.dongthap") && text(&out).contains("qt.tinh"));

    // Importing unit history: errors by line, nothing written; then a dry run; then for real.
    let dir = std::env::temp_dir().join(format!("antq-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let bad = dir.join("bad.csv");
    std::fs::write(&bad, "code,name,kind,level,parent_code,valid_from,valid_to\n03325,Xã Cũ,Quận,commune,099,2010-01-01,2019-12-31\n").unwrap();
    let out = antq(
        &url,
        &["units", "import", "--versions", bad.to_str().unwrap()],
        None,
    );
    assert!(!out.status.success());
    assert!(text(&out).contains("dòng 2"), "{}", text(&out));
    let good = dir.join("good.csv");
    std::fs::write(&good, "code,name,kind,level,parent_code,valid_from,valid_to\n99997,Xã Sáp Nhập 2019,Xã,commune,095,2010-01-01,2019-12-31\n").unwrap();
    let out = antq(
        &url,
        &[
            "units",
            "import",
            "--versions",
            good.to_str().unwrap(),
            "--dry-run",
        ],
        None,
    );
    assert!(out.status.success(), "{}", text(&out));
    assert!(text(&out).contains("chạy thử"));
    let out = antq(
        &url,
        &["units", "import", "--versions", good.to_str().unwrap()],
        None,
    );
    assert!(out.status.success(), "{}", text(&out));
    assert!(text(&out).contains("Đã thêm 1 phiên bản"));
    std::fs::remove_dir_all(&dir).ok();

    // The audit chain verifies...
    let out = antq(&url, &["audit", "verify"], None);
    assert!(out.status.success(), "{}", text(&out));
    assert!(text(&out).contains("nguyên vẹn"));

    // ... until someone with database rights goes around the guard and edits one row.
    let db = Db::connect(&url).await.unwrap();
    let guard_off = match db.backend() {
        Backend::Sqlite => "DROP TRIGGER audit_log_no_update",
        Backend::Postgres => "ALTER TABLE audit_log DISABLE TRIGGER audit_log_no_update_delete",
    };
    assert!(
        sqlx::query("UPDATE audit_log SET actor = 'ai đó' WHERE id = 4")
            .execute(db.pool())
            .await
            .is_err()
    );
    sqlx::raw_sql(guard_off).execute(db.pool()).await.unwrap();
    sqlx::query("UPDATE audit_log SET after_json = '{\"username\":\"gia mao\"}' WHERE id = 4")
        .execute(db.pool())
        .await
        .unwrap();
    db.close().await;
    let out = antq(&url, &["audit", "verify"], None);
    assert_eq!(out.status.code(), Some(2), "{}", text(&out));
    assert!(text(&out).contains("#4"), "{}", text(&out));
}
