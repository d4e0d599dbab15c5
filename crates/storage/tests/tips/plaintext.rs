//! The plaintext of a tip appears nowhere: not in the SQLite file nor its
//! WAL nor a backup of it, not in any row of any table on PostgreSQL nor
//! in its `pg_dump`, not in the audit log.

use super::*;

fn hex_of(s: &str) -> String {
    hex::encode(s.as_bytes())
}

fn contains(hay: &[u8], needle: &[u8]) -> bool {
    hay.windows(needle.len()).any(|w| w == needle)
}

/// Send the tip with the marker everywhere a tipster writes, open it,
/// answer it, and let the tipster add to it.
async fn send_marked(w: &World) -> i64 {
    let mut tip = new_tip("lua_dao_mang", C1, &format!("Tôi bị lừa: {MARKER}"));
    tip.answers
        .push(("thu_doan".into(), format!("Giả danh ngân hàng {MARKER}")));
    tip.identifiers = vec![("phone".into(), "0983 771 246".into())];
    tip.contact = Some(format!("Liên hệ {MARKER}"));
    tip.area = Some(format!("Khóm {MARKER}"));
    let (id, receipt) = w.send(tip).await;
    let opened = inbox::open(&w.db, &w.c1.actor, id, &w.c1.secret)
        .await
        .unwrap();
    assert!(opened.content.text.contains(MARKER), "it opens");
    assert_eq!(opened.content.identifiers[0].value, MARKER_PHONE);
    let note = format!("Ghi chú {MARKER}");
    handling::write(
        &w.db,
        &w.c1.actor,
        id,
        &w.c1.secret,
        OfficerWriting::Note,
        &note,
    )
    .await
    .unwrap();
    let (tid, key) = tipster::open_with_receipt(&w.db, &w.keyed, &receipt)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(tid, id);
    tipster::add(&w.db, tid, &key, &format!("Bổ sung {MARKER}"))
        .await
        .unwrap();
    id
}

/// Where the test database lives.
pub enum Store {
    SqliteFile(String),
    Postgres(String),
}

pub async fn never_stored(w: &World, store: Store) {
    send_marked(w).await;
    let audit: Vec<String> = sqlx::query_scalar(
        "SELECT action || ' ' || entity_id || ' ' || COALESCE(before_json, '') || ' ' || COALESCE(after_json, '') FROM audit_log",
    )
    .fetch_all(w.db.pool())
    .await
    .unwrap();
    assert!(
        audit.iter().any(|a| a.contains("tip.read")),
        "the audit was read"
    );
    for a in &audit {
        assert!(!a.contains("MARKER") && !a.contains(MARKER_PHONE), "{a}");
    }
    match store {
        Store::SqliteFile(file) => {
            // A backup as SQLite makes one online.
            let backup = format!("{file}.backup");
            sqlx::query(&format!("VACUUM INTO '{backup}'"))
                .execute(w.db.pool())
                .await
                .unwrap();
            in_files(&[file.clone(), format!("{file}-wal"), backup]);
        }
        Store::Postgres(url) => {
            in_tables(&w.db).await;
            in_dump(&url);
        }
    }
}

/// A `pg_dump` of the database holds none of it either (when the tool is
/// installed; CI installs it with PostgreSQL).
fn in_dump(url: &str) {
    let out = match std::process::Command::new("pg_dump").arg(url).output() {
        Ok(o) => o,
        Err(_) => {
            eprintln!("skipped: pg_dump is not installed, the dump was not searched");
            return;
        }
    };
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let dump = out.stdout;
    assert!(
        contains(&dump, b"lua_dao_mang"),
        "the dump is the database's"
    );
    for needle in ["MARKER-ZQX", MARKER_PHONE, "0983 771 246"] {
        assert!(!contains(&dump, needle.as_bytes()), "{needle} in the dump");
        assert!(
            !contains(&dump, hex_of(needle).as_bytes()),
            "{needle} (hex) in the dump"
        );
    }
}

fn in_files(files: &[String]) {
    let mut seen_control = false;
    for path in files {
        let Ok(bytes) = std::fs::read(path) else {
            continue;
        };
        seen_control |= contains(&bytes, "lua_dao_mang".as_bytes());
        for needle in [MARKER, "MARKER-ZQX", "Bí mật", MARKER_PHONE, "0983 771 246"] {
            assert!(!contains(&bytes, needle.as_bytes()), "{needle} in {path}");
        }
    }
    assert!(seen_control, "the files read are the database's");
}

async fn in_tables(db: &Db) {
    let tables: Vec<String> = sqlx::query_scalar(
        "SELECT table_name::text FROM information_schema.tables \
         WHERE table_schema = 'public' AND table_type = 'BASE TABLE'",
    )
    .fetch_all(db.pool())
    .await
    .unwrap();
    assert!(tables.iter().any(|t| t == "tips"), "{tables:?}");
    let needles = [
        "MARKER-ZQX".to_string(),
        hex_of("MARKER-ZQX"),
        MARKER_PHONE.to_string(),
        hex_of(MARKER_PHONE),
    ];
    let mut control = false;
    for table in &tables {
        let rows: Vec<String> =
            sqlx::query_scalar(&format!("SELECT CAST(t AS TEXT) FROM \"{table}\" t"))
                .fetch_all(db.pool())
                .await
                .unwrap();
        for row in &rows {
            control |= table == "tips" && row.contains("lua_dao_mang");
            for n in &needles {
                assert!(!row.contains(n.as_str()), "{n} in {table}: {row}");
            }
        }
    }
    assert!(control, "the rows read are the tips'");
}
