//! `antq import` of a long CSV file, through the binary: a file of more
//! than one chunk is read as a stream and written all or nothing. A key
//! given twice, the second time 40.000 lines later (another chunk), refuses
//! the file by its line with nothing written; a dry run writes nothing; the
//! clean file is written whole, rollups current. SQLite, and PostgreSQL
//! when ANTQ_TEST_DATABASE_URL is set.

mod support;

use antq_storage::testing::TestDb;
use antq_storage::Db;
use support::*;

/// Three values a report: legacy communes for 2024, today's for 2026,
/// about 40.000 values: two chunks of `antq import` (25.000 records each).
async fn file(db: &Db) -> (String, usize) {
    let units = |valid: &'static str| {
        let sql =
            format!("SELECT code FROM units WHERE level = 'commune' AND {valid} ORDER BY code");
        async move {
            sqlx::query_scalar::<_, String>(&sql)
                .fetch_all(db.pool())
                .await
                .unwrap()
        }
    };
    let legacy = units("valid_to = '2025-06-30'").await;
    let current = units("valid_to IS NULL").await;
    assert!(legacy.len() > 9_000 && current.len() > 3_000);
    let mut text = String::from("unit,period,indicator,value,qualifier,comment\n");
    let mut n = 0;
    for (codes, period) in [(&legacy, "2024"), (&current, "2026")] {
        for code in codes.iter() {
            for (key, v) in [("tt_buoi", 12), ("tt_luot", 340), ("dd_so", 1)] {
                text.push_str(&format!("{code},{period},{key},{v},,\n"));
                n += 1;
            }
        }
    }
    (text, n)
}

async fn count(db: &Db, sql: &str) -> i64 {
    sqlx::query_scalar(sql).fetch_one(db.pool()).await.unwrap()
}

#[tokio::test]
async fn a_long_csv_file_is_imported_as_a_stream() {
    let t = TestDb::new().await;
    let dir = temp_dir("import");
    antq_ok(&t.url, &dir, &["migrate"], None);
    let db = Db::connect(&t.url).await.unwrap();
    let (good, n) = file(&db).await;
    assert!(n > 25_000, "{n} values: more than one chunk");
    let path = dir.join("values.csv");

    // The first line's key again at the end: refused by its line.
    let first = good.lines().nth(1).unwrap().to_string();
    std::fs::write(&path, format!("{good}{first}\n")).unwrap();
    let out = antq(&t.url, &dir, &["import", path.to_str().unwrap()], None);
    assert_eq!(out.status.code(), Some(2), "{}", text(&out));
    let said = text(&out);
    assert!(
        said.contains(&format!("dòng {}: trùng với một dòng trước đó", n + 2)),
        "{said}"
    );
    assert_eq!(count(&db, "SELECT COUNT(*) FROM reports").await, 0);

    // A dry run says what would be written, and writes nothing.
    std::fs::write(&path, &good).unwrap();
    let said = antq_ok(
        &t.url,
        &dir,
        &["import", path.to_str().unwrap(), "--dry-run"],
        None,
    );
    assert!(
        said.contains(&format!("Chạy thử: {n} giá trị trong {} báo cáo", n / 3)),
        "{said}"
    );
    assert_eq!(count(&db, "SELECT COUNT(*) FROM reports").await, 0);

    // The clean file: every value, the rollups equal a rebuild.
    let said = antq_ok(&t.url, &dir, &["import", path.to_str().unwrap()], None);
    assert!(
        said.contains(&format!("Đã nhập {n} giá trị trong {} báo cáo", n / 3)),
        "{said}"
    );
    assert_eq!(
        count(&db, "SELECT COUNT(*) FROM reports").await,
        (n / 3) as i64
    );
    assert_eq!(
        count(
            &db,
            "SELECT CAST(COALESCE(SUM(n_values), 0) AS BIGINT) FROM report_values"
        )
        .await,
        n as i64
    );
    antq_storage::testing::assert_rollups_equal_rebuild(&db, "after antq import").await;
    antq_ok(&t.url, &dir, &["audit", "verify"], None);
    std::fs::remove_dir_all(&dir).ok();
}
