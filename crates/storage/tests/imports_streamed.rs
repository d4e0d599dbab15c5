//! Files imported as a stream (`antq import` of a long CSV file): checked
//! and written chunk by chunk in one transaction. The result equals the
//! same file imported whole; a report whose rows are in several chunks gets
//! them all; a key given twice in different chunks, an error in the last
//! chunk or a locked report refuses the whole file with nothing written.
//! SQLite always, PostgreSQL when ANTQ_TEST_DATABASE_URL is set.

use antq_core::dates::parse_date;
use antq_core::imports::{Chunk, ErrorList, ImportRow, ImportRows, Place, RawValue};
use antq_core::units::UnitCode;
use antq_storage::audit::{Verification, Who};
use antq_storage::testing::{postgres_url, TestDb};
use antq_storage::{
    audit, statistics::catalogue, statistics::import, statistics::reports, units, Db, StorageError,
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

/// The rows in chunks of `size`, on a channel as a reader thread sends
/// them; `errors` go with the chunk at that index (what the reader found).
fn chunks(
    rows: &[ImportRow],
    size: usize,
    errors: &[(usize, &str)],
) -> tokio::sync::mpsc::Receiver<Chunk> {
    let parts: Vec<&[ImportRow]> = rows.chunks(size).collect();
    let (tx, rx) = tokio::sync::mpsc::channel(parts.len() + 1);
    if parts.is_empty() {
        tx.try_send(Chunk {
            last: true,
            ..Chunk::default()
        })
        .unwrap();
    }
    for (i, part) in parts.iter().enumerate() {
        let mut chunk = Chunk {
            rows: ImportRows::new(),
            errors: ErrorList::new(),
            last: i + 1 == parts.len(),
        };
        for r in part.iter() {
            chunk.rows.push(r.as_ref());
        }
        for (at, e) in errors {
            if *at == i {
                chunk.errors.push(*e);
            }
        }
        tx.try_send(chunk).expect("room for every chunk");
    }
    rx
}

/// Two communes (one before 2025, one after), three periods, three keys:
/// 18 values in 6 reports, ordered so that each report's rows are spread
/// over several chunks of 4.
fn file() -> Vec<ImportRow> {
    let mut rows = Vec::new();
    let mut n = 1;
    for (key, v) in [
        ("tt_buoi", "12"),
        ("tt_luot", "hơn 3.400"),
        ("kt_bang_khen.tap_the", "2"),
    ] {
        for (unit, period) in [
            ("03127", "2019"),
            ("03127", "2020"),
            ("03127", "2021"),
            ("03325", "2025"),
            ("03325", "2026"),
            ("03127", "2018"),
        ] {
            n += 1;
            rows.push(row(n, unit, period, key, v));
        }
    }
    rows
}

/// Every stored value of the file's reports: (unit, period, key, milli).
async fn stored(db: &Db) -> Vec<(String, String, String, i64)> {
    let form = catalogue::form(db, "antq-nam").await.unwrap();
    let mut out = Vec::new();
    for (unit, period, end) in [
        ("03127", "2018", "2018-12-14"),
        ("03127", "2019", "2019-12-14"),
        ("03127", "2020", "2020-12-14"),
        ("03127", "2021", "2021-12-14"),
        ("03325", "2025", "2025-12-14"),
        ("03325", "2026", "2026-12-14"),
    ] {
        let u = units::get_at(
            db,
            &UnitCode::parse(unit).unwrap(),
            parse_date(end).unwrap(),
        )
        .await
        .unwrap();
        let view = reports::view(db, &form, &u, period).await.unwrap();
        for (k, v) in view.values {
            out.push((unit.to_string(), period.to_string(), k, v.milli));
        }
    }
    out.sort();
    out
}

async fn count(db: &Db, sql: &str) -> i64 {
    sqlx::query_scalar(sql).fetch_one(db.pool()).await.unwrap()
}

fn refused(r: Result<import::ImportSummary, StorageError>) -> Vec<String> {
    match r {
        Err(StorageError::Rejected(errors)) => errors,
        other => panic!("expected a refusal, got {other:?}"),
    }
}

async fn story(streamed: Db, whole: Db) {
    let who = Who::system();
    let rows = file();

    // A dry run writes nothing and says what would change.
    let dry = import::run_stream(&streamed, &who, || chunks(&rows, 4, &[]), true)
        .await
        .unwrap();
    assert_eq!((dry.rows, dry.reports, dry.changes.values_new), (18, 6, 18));
    assert_eq!(count(&streamed, "SELECT COUNT(*) FROM reports").await, 0);

    // Streamed in chunks of 4 = imported whole, report by report.
    let s = import::run_stream(&streamed, &who, || chunks(&rows, 4, &[]), false)
        .await
        .unwrap();
    let w = import::run(&whole, None, &who, rows.clone(), false)
        .await
        .unwrap();
    assert_eq!((s.rows, s.reports), (18, 6));
    assert_eq!(s, w);
    assert_eq!(s.changes.reports_created, 6);
    assert_eq!(s.changes.values_new, 18);
    let values = stored(&streamed).await;
    assert_eq!(values.len(), 18);
    assert_eq!(values, stored(&whole).await);
    antq_storage::testing::assert_rollups_equal_rebuild(&streamed, "after a streamed import").await;
    assert!(matches!(
        audit::verify(&streamed).await.unwrap(),
        Verification::Intact { .. }
    ));
    let reports_before = count(&streamed, "SELECT COUNT(*) FROM reports").await;
    let audit_before = count(&streamed, "SELECT COUNT(*) FROM audit_log").await;

    // A key given twice, in chunks 1 and 3: refused, nothing written.
    let mut twice = vec![
        row(2, "03127", "2017", "tt_buoi", "1"),
        row(3, "03127", "2017", "tt_luot", "2"),
        row(4, "03325", "2027", "tt_buoi", "3"),
        row(5, "03325", "2027", "tt_luot", "4"),
        row(6, "03127", "2016", "tt_buoi", "5"),
    ];
    twice.push(row(7, "03127", "2017", "tt_buoi", "9"));
    let errors =
        refused(import::run_stream(&streamed, &who, || chunks(&twice, 2, &[]), false).await);
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert!(
        errors[0].starts_with("dòng 7: trùng với một dòng trước đó"),
        "{errors:?}"
    );

    // An error found in the last chunk (and one the reader found in the
    // first): both listed, and the chunks before it are not written.
    let mut late = file()
        .into_iter()
        .map(|mut r| {
            r.value = RawValue::Text("500".into());
            r
        })
        .collect::<Vec<_>>();
    late.push(row(40, "03325", "2026", "khong_co", "1"));
    let errors = refused(
        import::run_stream(
            &streamed,
            &who,
            || chunks(&late, 4, &[(0, "dòng 3: không phải UTF-8")]),
            false,
        )
        .await,
    );
    assert_eq!(errors.len(), 2, "{errors:?}");
    assert_eq!(errors[0], "dòng 3: không phải UTF-8");
    assert!(errors[1].starts_with("dòng 40: "), "{errors:?}");
    assert_eq!(
        stored(&streamed).await,
        values,
        "nothing of the file written"
    );

    // A locked report in a later chunk refuses the file.
    sqlx::query("UPDATE reports SET state = 'submitted' WHERE period = '2026'")
        .execute(streamed.pool())
        .await
        .unwrap();
    let errors =
        refused(import::run_stream(&streamed, &who, || chunks(&late[..18], 4, &[]), false).await);
    assert!(
        errors.iter().any(|e| e.contains("không được ghi")),
        "{errors:?}"
    );
    assert_eq!(
        stored(&streamed).await,
        values,
        "nothing of the file written"
    );

    // Locked reports in two chunks, with an error of the check between
    // them: every one of them listed, in the file's order.
    sqlx::query("UPDATE reports SET state = 'submitted' WHERE period = '2019'")
        .execute(streamed.pool())
        .await
        .unwrap();
    let mut mixed = late[..18].to_vec();
    mixed.insert(4, row(41, "03325", "2026", "khong_co", "1"));
    let errors =
        refused(import::run_stream(&streamed, &who, || chunks(&mixed, 4, &[]), false).await);
    let place = |what: &str, listed: &dyn Fn(&String) -> bool| {
        errors
            .iter()
            .position(listed)
            .unwrap_or_else(|| panic!("{what} not listed: {errors:?}"))
    };
    let locked =
        |year: &'static str| move |e: &String| e.contains("không được ghi") && e.contains(year);
    let first_locked = place("2019 locked", &locked("2019"));
    let check = place("line 41", &|e: &String| e.starts_with("dòng 41: "));
    let second_locked = place("2026 locked", &locked("2026"));
    assert!(first_locked < check && check < second_locked, "{errors:?}");
    sqlx::query("UPDATE reports SET state = 'draft' WHERE period = '2019'")
        .execute(streamed.pool())
        .await
        .unwrap();
    assert_eq!(
        stored(&streamed).await,
        values,
        "nothing of the file written"
    );

    // A reader that stops before the last chunk (it failed): refused,
    // though every chunk it sent was clean.
    let errors = refused(
        import::run_stream(
            &streamed,
            &who,
            || {
                let (tx, rx) = tokio::sync::mpsc::channel(4);
                let mut whole = chunks(&late[..12], 4, &[]);
                while let Ok(mut c) = whole.try_recv() {
                    c.last = false;
                    tx.try_send(c).unwrap();
                }
                rx
            },
            false,
        )
        .await,
    );
    assert_eq!(
        errors,
        ["Tệp không đọc được đến hết nên không có gì được ghi; xin thử lại"]
    );
    assert_eq!(
        stored(&streamed).await,
        values,
        "nothing of the file written"
    );

    // An empty file.
    let errors = refused(import::run_stream(&streamed, &who, || chunks(&[], 4, &[]), false).await);
    assert_eq!(errors, ["Tệp không có giá trị nào để nhập"]);

    assert_eq!(
        count(&streamed, "SELECT COUNT(*) FROM reports").await,
        reports_before
    );
    assert_eq!(
        count(&streamed, "SELECT COUNT(*) FROM audit_log").await,
        audit_before
    );
    antq_storage::testing::assert_rollups_equal_rebuild(&streamed, "after the refused files").await;

    refused_file_lets_writers_in(&streamed, &who).await;
}

/// Once a streamed file is refused, its transaction ends: another writer
/// is not kept waiting while the rest of the file is read and checked.
async fn refused_file_lets_writers_in(db: &Db, who: &Who) {
    let rows = file();
    let (send, receive) = tokio::sync::mpsc::channel(1);
    let mut receive = Some(receive);
    let import = {
        let (db, who) = (db.clone(), who.clone());
        tokio::spawn(async move {
            import::run_stream(&db, &who, || receive.take().expect("one attempt"), false).await
        })
    };
    let part = |from: usize, errors: &[&str], last: bool| {
        let mut chunk = Chunk {
            last,
            ..Chunk::default()
        };
        for r in &rows[from..from + 4] {
            chunk.rows.push(r.as_ref());
        }
        for e in errors {
            chunk.errors.push(*e);
        }
        chunk
    };
    // The channel holds one chunk: once the third is in it, the checker has
    // taken the second, so the writer has taken the first (the checker
    // stays one chunk ahead), and with it the file's error.
    send.send(part(0, &["dòng 2: không phải UTF-8"], false))
        .await
        .unwrap();
    send.send(part(4, &[], false)).await.unwrap();
    send.send(part(8, &[], false)).await.unwrap();
    let other = vec![row(60, "03127", "2020", "tt_buoi", "77")];
    let written = tokio::time::timeout(
        std::time::Duration::from_secs(60),
        import::run(db, None, who, other, false),
    )
    .await
    .expect("another writer waited for the rest of a refused file")
    .unwrap();
    assert_eq!(written.changes.values_changed, 1);
    send.send(part(12, &["dòng 14: không phải UTF-8"], true))
        .await
        .unwrap();
    // Every error still listed, in the file's order: the reports of 2026
    // (submitted above) are found locked after the transaction ended.
    let errors = refused(import.await.unwrap());
    assert_eq!(errors.len(), 4, "{errors:?}");
    assert_eq!(errors[0], "dòng 2: không phải UTF-8");
    assert!(
        errors[1..3]
            .iter()
            .all(|e| e.contains("năm 2026") && e.contains("không được ghi")),
        "{errors:?}"
    );
    assert_eq!(errors[3], "dòng 14: không phải UTF-8");
    antq_storage::testing::assert_rollups_equal_rebuild(db, "after a refused file and a write")
        .await;
    assert!(matches!(
        audit::verify(db).await.unwrap(),
        Verification::Intact { .. }
    ));
}

#[tokio::test]
async fn streamed_imports_on_sqlite() {
    let (a, b) = (TestDb::sqlite(), TestDb::sqlite());
    story(a.ready().await, b.ready().await).await;
}

#[tokio::test]
async fn streamed_imports_on_postgres() {
    let Some(server) = postgres_url() else {
        eprintln!("skipped: ANTQ_TEST_DATABASE_URL is not set, so the PostgreSQL streamed import story did not run");
        return;
    };
    let (a, b) = (
        TestDb::postgres(&server).await,
        TestDb::postgres(&server).await,
    );
    story(a.ready().await, b.ready().await).await;
}
