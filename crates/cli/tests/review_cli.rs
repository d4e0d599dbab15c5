//! `antq review` says in Vietnamese, on stderr, why a review is still a
//! draft and when its date comes before the end of its data, and prints
//! the officer's own title (`--title`). SQLite, and PostgreSQL when
//! ANTQ_TEST_DATABASE_URL is set.

use std::process::{Command, Output};

use antq_storage::testing::TestDb;

fn antq(db_url: &str, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_antq"))
        .args(args)
        .env("ANTQ__DATABASE_URL", db_url)
        .env("ANTQ_LOG", "warn")
        .output()
        .expect("the antq binary runs")
}

#[tokio::test]
async fn a_draft_review_says_why_on_stderr() {
    let t = TestDb::new().await;
    let out = antq(&t.url, &["migrate"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let dir = std::env::temp_dir().join(format!(
        "antq-review-cli-{}",
        &antq_core::auth::random_secret()[..12]
    ));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("bao-cao.html");
    let title = "Sơ kết công tác bảo vệ an ninh 6 tháng đầu năm 2026";
    let out = antq(
        &t.url,
        &[
            "review",
            "--unit",
            "11",
            "--from",
            "2026S1",
            "--owner",
            "police",
            "--date",
            "2026-06-10",
            "--title",
            title,
            "--format",
            "html",
            "-o",
            file.to_str().unwrap(),
        ],
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    assert!(
        stderr.contains("DỰ THẢO – chưa đủ số liệu: Chưa có số liệu được duyệt: 0 trên"),
        "{stderr}"
    );
    assert!(
        stderr.contains(
            "Cảnh báo: Ngày ban hành 10/06/2026 trước ngày kết thúc kỳ số liệu 14/06/2026"
        ),
        "{stderr}"
    );
    let html = std::fs::read_to_string(&file).unwrap();
    assert!(html.contains(title), "the officer's title is printed");
    // A title too long is refused before anything is built.
    let long = "x".repeat(700);
    let out = antq(
        &t.url,
        &[
            "review",
            "--unit",
            "11",
            "--from",
            "2026S1",
            "--title",
            &long,
            "-o",
            file.to_str().unwrap(),
        ],
    );
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("Tên báo cáo (trích yếu) dài 700 ký tự"));
    std::fs::remove_dir_all(&dir).ok();
}
