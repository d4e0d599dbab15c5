//! Migrations that convert data: a database written by an older antq keeps
//! every value. SQLite always, PostgreSQL when ANTQ_TEST_DATABASE_URL is set.

use antq_core::indicators::Qualifier;
use antq_storage::statistics::report_values::{self, StoredValue};
use antq_storage::testing::{postgres_url, TestDb};
use antq_storage::{migrations, Db};

async fn id_of(db: &Db, sql: &str, code: &str) -> i64 {
    sqlx::query_scalar(sql)
        .bind(code)
        .fetch_one(db.pool())
        .await
        .unwrap()
}

/// Values stored one row per value (schema 6) become one row per report
/// (schema 7) with the same figures, qualifiers and comments; the old table goes.
async fn values_move_into_one_row_per_report(t: TestDb) {
    let db = Db::connect(&t.url).await.unwrap();
    migrations::run_until(&db, 6).await.unwrap();
    antq_storage::units::admin_units::load_official_if_empty(&db)
        .await
        .unwrap();
    antq_storage::statistics::catalogue::seed_if_empty(&db)
        .await
        .unwrap();
    let form = id_of(&db, "SELECT id FROM forms WHERE code = $1", "antq-nam").await;
    let unit = id_of(
        &db,
        "SELECT id FROM units WHERE code = $1 AND valid_to IS NULL",
        "82",
    )
    .await;
    let tt_buoi = id_of(&db, "SELECT id FROM indicators WHERE code = $1", "tt_buoi").await;
    let tt_luot = id_of(&db, "SELECT id FROM indicators WHERE code = $1", "tt_luot").await;
    let khen = id_of(
        &db,
        "SELECT id FROM indicators WHERE code = $1",
        "kt_bang_khen",
    )
    .await;
    let mut reports = Vec::new();
    for year in [2022i64, 2023, 2024] {
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO reports (form_id, unit_id, period, period_year, period_start, period_end, state, \
             state_changed_at, state_changed_by, created_at) \
             VALUES ($1, $2, $3, $4, '2020-01-01', '2020-12-31', 'draft', 'x', 'x', 'x') RETURNING id",
        )
        .bind(form)
        .bind(unit)
        .bind(year.to_string())
        .bind(year)
        .fetch_one(db.pool())
        .await
        .unwrap();
        reports.push(id);
    }
    // report, indicator, option, thousandths, qualifier, comment, updated at
    type Row<'a> = (i64, i64, &'a str, i64, &'a str, Option<&'a str>, &'a str);
    let rows: Vec<Row> = vec![
        (
            reports[0],
            tt_buoi,
            "",
            4_378_000,
            "exact",
            None,
            "2026-01-01T00:00:00Z",
        ),
        (
            reports[0],
            tt_luot,
            "",
            3_000_000_000,
            "more_than",
            Some("ước tính"),
            "2026-01-03T00:00:00Z",
        ),
        (
            reports[0],
            khen,
            "tap_the",
            2_000,
            "exact",
            None,
            "2026-01-02T00:00:00Z",
        ),
        (
            reports[0],
            khen,
            "ca_nhan",
            5_000,
            "about",
            Some(""),
            "2026-01-01T00:00:00Z",
        ),
        (
            reports[1],
            tt_buoi,
            "",
            0,
            "nearly",
            None,
            "2026-02-01T00:00:00Z",
        ),
    ];
    for (r, i, o, m, q, c, at) in &rows {
        sqlx::query(
            "INSERT INTO data_values (report_id, indicator_id, option_code, value_milli, qualifier, comment, \
             updated_at, updated_by) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        )
        .bind(r)
        .bind(i)
        .bind(*o)
        .bind(m)
        .bind(*q)
        .bind(c.map(str::to_string))
        .bind(*at)
        .bind(format!("user-{at}"))
        .execute(db.pool())
        .await
        .unwrap();
    }

    // v7 packs the values; v8 writes their JSON copy (`doc`) for the
    // `antq_values` view.
    assert_eq!(
        migrations::run(&db).await.unwrap(),
        (7..=migrations::latest()).collect::<Vec<i64>>()
    );

    let stored: Vec<(i64, Vec<u8>, i64, String, String, String)> = sqlx::query_as(
        "SELECT report_id, body, n_values, updated_at, updated_by, doc FROM report_values ORDER BY report_id",
    )
    .fetch_all(db.pool())
    .await
    .unwrap();
    assert_eq!(stored.len(), 2, "the report without values has no row");
    for (report, body, n, at, by, doc) in &stored {
        let mut expected: Vec<StoredValue> = rows
            .iter()
            .filter(|r| r.0 == *report)
            .map(|(_, i, o, m, q, c, _)| StoredValue {
                indicator_id: *i,
                option: o.to_string(),
                milli: *m,
                qualifier: q.parse::<Qualifier>().unwrap(),
                comment: c.map(str::to_string),
            })
            .collect();
        expected.sort_by(|a, b| (a.indicator_id, &a.option).cmp(&(b.indicator_id, &b.option)));
        assert_eq!(report_values::decode(body).unwrap(), expected);
        assert_eq!(*doc, report_values::doc(&expected));
        let n_viewed: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM antq_values v JOIN reports r ON r.period = v.period \
             AND r.period_start = CAST(v.period_start AS TEXT) WHERE r.id = $1",
        )
        .bind(report)
        .fetch_one(db.pool())
        .await
        .unwrap();
        assert!(n_viewed >= expected.len() as i64, "{n_viewed}");
        assert_eq!(*n as usize, expected.len());
        let latest = rows
            .iter()
            .filter(|r| r.0 == *report)
            .map(|r| r.6)
            .max()
            .unwrap();
        assert_eq!(
            (at.as_str(), by.as_str()),
            (latest, format!("user-{latest}").as_str())
        );
    }
    let gone = sqlx::query("SELECT 1 FROM data_values")
        .fetch_all(db.pool())
        .await;
    assert!(gone.is_err(), "data_values is dropped");
}

#[tokio::test]
async fn values_are_packed_on_sqlite() {
    values_move_into_one_row_per_report(TestDb::sqlite()).await;
}

#[tokio::test]
async fn values_are_packed_on_postgres() {
    let Some(server) = postgres_url() else {
        eprintln!("skipped: ANTQ_TEST_DATABASE_URL is not set, so the PostgreSQL migration test did not run");
        return;
    };
    values_move_into_one_row_per_report(TestDb::postgres(&server).await).await;
}

/// The codes of a form's indicators, in the form's order.
async fn form_codes(db: &Db, form: &str) -> Vec<String> {
    sqlx::query_scalar(
        "SELECT i.code FROM form_indicators fi JOIN indicators i ON i.id = fi.indicator_id \
         JOIN forms f ON f.id = fi.form_id WHERE f.code = $1 ORDER BY fi.position",
    )
    .bind(form)
    .fetch_all(db.pool())
    .await
    .unwrap()
}

/// v12: a catalogue seeded before the weapons were counted by unit of
/// measure gets guns, rounds, explosives (kg, decimals) and support tools
/// right after the old mixed figure, in the catalogue and in both forms;
/// a catalogue that has them is left as it is.
async fn weapons_come_by_unit_of_measure(t: TestDb) {
    let db = Db::connect(&t.url).await.unwrap();
    migrations::run_until(&db, 11).await.unwrap();
    antq_storage::statistics::catalogue::seed_if_empty(&db)
        .await
        .unwrap();
    let fresh = form_codes(&db, "antq-nam").await;
    // The catalogue as it was before: without the four.
    for sql in [
        "DELETE FROM form_indicators WHERE indicator_id IN \
         (SELECT id FROM indicators WHERE code IN ('vk_sung', 'vk_dan', 'vk_vln', 'vk_cctht'))",
        "DELETE FROM indicators WHERE code IN ('vk_sung', 'vk_dan', 'vk_vln', 'vk_cctht')",
    ] {
        sqlx::query(sql).execute(db.pool()).await.unwrap();
    }
    assert_eq!(
        migrations::run(&db).await.unwrap(),
        (12..=migrations::latest()).collect::<Vec<i64>>()
    );
    for form in ["antq-nam", "antq-6t"] {
        let codes = form_codes(&db, form).await;
        let at = codes.iter().position(|c| c == "vk_giao_nop").unwrap();
        assert_eq!(
            codes[at..at + 5],
            ["vk_giao_nop", "vk_sung", "vk_dan", "vk_vln", "vk_cctht"],
            "{form}"
        );
        assert_eq!(codes.len(), fresh.len(), "{form}");
    }
    assert_eq!(
        form_codes(&db, "antq-nam").await,
        fresh,
        "as a new database has them"
    );
    let units: Vec<(String, String, String, String)> = sqlx::query_as(
        "SELECT code, unit, value_type, grp FROM indicators \
         WHERE code IN ('vk_sung', 'vk_dan', 'vk_vln', 'vk_cctht') ORDER BY position",
    )
    .fetch_all(db.pool())
    .await
    .unwrap();
    let expected = [
        ("vk_sung", "khẩu", "integer"),
        ("vk_dan", "viên", "integer"),
        ("vk_vln", "kg", "decimal"),
        ("vk_cctht", "cái", "integer"),
    ];
    assert_eq!(units.len(), 4);
    for ((code, unit, vt, grp), (c, u, v)) in units.iter().zip(expected) {
        assert_eq!(
            (code.as_str(), unit.as_str(), vt.as_str(), grp.as_str()),
            (c, u, v, "vu_khi")
        );
    }
    // Positions in the catalogue stay distinct and in order.
    let positions: Vec<i64> =
        sqlx::query_scalar("SELECT position FROM indicators ORDER BY position")
            .fetch_all(db.pool())
            .await
            .unwrap();
    let mut distinct = positions.clone();
    distinct.dedup();
    assert_eq!(distinct, positions);
}

#[tokio::test]
async fn weapons_come_by_unit_of_measure_on_sqlite() {
    weapons_come_by_unit_of_measure(TestDb::sqlite()).await;
}

#[tokio::test]
async fn weapons_come_by_unit_of_measure_on_postgres() {
    let Some(server) = postgres_url() else {
        return;
    };
    weapons_come_by_unit_of_measure(TestDb::postgres(&server).await).await;
}
