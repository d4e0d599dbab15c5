//! Memory of an import follows the file: 20 MB of short garbage lines (the
//! kind that parse into four fields but name no known unit, period or
//! indicator) are kept compactly and checked with a bounded error list, so
//! the peak resident size grows by a small multiple of the file. One test
//! in its own process, so no other test moves the peak. SQLite, then
//! PostgreSQL when `ANTQ_TEST_DATABASE_URL` is set.

use antq_core::imports::{ImportRows, PlaceRef, RowRef, ValueRef};
use antq_storage::audit::Who;
use antq_storage::statistics::import;
use antq_storage::testing::{postgres_url, TestDb};
use antq_storage::{Db, StorageError};

/// Reset the peak to the present resident size (Linux `clear_refs` 5).
fn reset_peak() -> u64 {
    let _ = std::fs::write("/proc/self/clear_refs", "5");
    peak()
}

/// Peak resident memory of this process so far, in bytes.
fn peak() -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<u64>().ok())
        .map(|kb| kb * 1024)
        .unwrap_or(0)
}

const MB: u64 = 1024 * 1024;
const FILE: usize = 20 << 20;

/// 20 MB of CSV lines of 19 to 27 bytes: bad periods, unknown communes
/// (every five-digit code once), unknown indicators, malformed codes.
fn garbage_csv() -> String {
    let mut text = String::with_capacity(FILE + 64);
    text.push_str("unit,period,indicator,value,qualifier,comment\n");
    let mut i = 0usize;
    while text.len() < FILE {
        let line = match i % 4 {
            0 => format!("03325,x{},tt_buoi,1\n", i % 1000),
            1 => format!("{:05},2026,tt_buoi,{}\n", 90_000 + i % 10_000, i % 100),
            2 => format!("03325,2026,khong_{},1\n", i % 100_000),
            _ => format!("{:03}x,2026,tt_luot,7\n", i % 1000),
        };
        text.push_str(&line);
        i += 1;
    }
    text
}

/// The rows the CSV reader makes of `text` (four fields a line).
fn rows_of(text: &str) -> ImportRows {
    let mut rows = ImportRows::new();
    for (i, line) in text.lines().skip(1).enumerate() {
        let f: Vec<&str> = line.split(',').collect();
        rows.push(RowRef {
            place: PlaceRef::Line(i + 2),
            form: None,
            unit: f[0],
            period: f[1],
            key: f[2],
            value: ValueRef::Number(f[3].parse().unwrap()),
            qualifier: "",
            comment: "",
        });
    }
    rows
}

async fn measure(db: Db, what: &str) {
    let text = garbage_csv();
    let before = reset_peak();
    let started = std::time::Instant::now();
    let rows = rows_of(&text);
    let n = rows.len();
    let e = match import::run(&db, None, &Who::system(), rows, true).await {
        Err(StorageError::Rejected(e)) => e,
        other => panic!("refused expected: {other:?}"),
    };
    let grew = peak() - before;
    eprintln!(
        "{what}: {n} garbage rows, {} MB of CSV: checked in {:.1} s, peak grew by {} MB",
        text.len() as u64 / MB,
        started.elapsed().as_secs_f64(),
        grew / MB
    );
    assert_eq!(e.len(), 1_001);
    assert_eq!(antq_core::imports::error_count(&e), n);
    // 48 bytes of offsets and about 15 of text a row, 20 for its check: about
    // 4 bytes of memory for each byte of file. An `ImportRow` a row cost 25.
    assert!(
        grew < 6 * text.len() as u64,
        "{n} rows, {} bytes of CSV: the import cost {grew} bytes",
        text.len()
    );
}

#[tokio::test]
async fn an_import_costs_a_small_multiple_of_its_file() {
    if peak() == 0 {
        eprintln!("no /proc/self/status here: memory bounds not measured");
        return;
    }
    let t = TestDb::sqlite();
    measure(t.ready().await, "SQLite").await;
    if let Some(server) = postgres_url() {
        let t = TestDb::postgres(&server).await;
        measure(t.ready().await, "PostgreSQL").await;
    } else {
        eprintln!("skipped on PostgreSQL: ANTQ_TEST_DATABASE_URL is not set");
    }
}
