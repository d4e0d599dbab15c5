//! `antq_values`, the read-only view of one row per value, gives exactly
//! the values of the long export for the demo world, on both databases,
//! and cannot be written to.

use antq_core::dates;
use antq_core::imports::{ImportRow, Place, RawValue};
use antq_core::periods::YearRange;
use antq_core::units::UnitCode;
use antq_storage::audit::Who;
use antq_storage::statistics::import;
use antq_storage::testing::{postgres_url, TestDb};
use antq_storage::{demo, statistics::catalogue, statistics::export, units, Db};
use sqlx::Row;

/// (form, unit, period, key, thousandths, qualifier, comment) of a value.
type Line = (String, String, String, String, i64, String, Option<String>);

async fn exported(db: &Db) -> Vec<Line> {
    let nation = units::get_at(db, &UnitCode::parse("VN").unwrap(), dates::today())
        .await
        .unwrap();
    let range = YearRange {
        from: 1990,
        to: 2100,
    };
    let mut out = Vec::new();
    for (code, _) in catalogue::form_codes(db).await.unwrap() {
        let form = catalogue::form(db, &code).await.unwrap();
        for v in export::values(db, &form, &nation, range, "1 = 1")
            .await
            .unwrap()
        {
            out.push((
                v.form,
                v.unit,
                v.period,
                v.key,
                v.milli,
                v.qualifier,
                v.comment,
            ));
        }
    }
    out.sort();
    out
}

async fn story(db: Db) {
    demo::load(&db, None).await.unwrap();
    // A decimal figure with a qualifier and a comment (none in the demo).
    sqlx::query("UPDATE indicators SET value_type = 'decimal' WHERE code = 'tt_luot'")
        .execute(db.pool())
        .await
        .unwrap();
    let row = |key: &str, value: &str, qualifier: &str, comment: &str| ImportRow {
        place: Place::Line(2),
        form: Some("antq-nam".into()),
        unit: "03325".into(),
        period: "2026".into(),
        key: key.into(),
        value: RawValue::Text(value.into()),
        qualifier: qualifier.into(),
        comment: comment.into(),
    };
    import::run(
        &db,
        None,
        &Who::system(),
        vec![
            row("tt_luot", "1.328,25", "more_than", "ghi chú, có \"ngoặc\""),
            row("tt_buoi", "12", "", ""),
        ],
        false,
    )
    .await
    .unwrap();
    let rows = sqlx::query(
        "SELECT form, unit_code, period, indicator, option, value_milli, qualifier, comment, \
                CAST(value AS TEXT), CAST(period_start AS TEXT), CAST(period_end AS TEXT), \
                report_state, unit_name \
         FROM antq_values",
    )
    .fetch_all(db.pool())
    .await
    .unwrap();
    let mut viewed: Vec<Line> = Vec::with_capacity(rows.len());
    for r in &rows {
        let option: String = r.get(4);
        let indicator: String = r.get(3);
        let milli: i64 = r.get(5);
        // The plain number is the thousandths as a decimal: 1328 for
        // 1.328.000 thousandths, 2.5 for 2.500.
        let value: String = r.get(8);
        let expected = if milli % 1000 == 0 {
            (milli / 1000).to_string()
        } else {
            let s = format!("{:.3}", milli as f64 / 1000.0);
            s.trim_end_matches('0').to_string()
        };
        assert_eq!(value, expected, "{indicator}");
        let start: String = r.get(9);
        let end: String = r.get(10);
        assert!(dates::parse_date(&start).is_ok() && dates::parse_date(&end).is_ok());
        assert!(start < end, "{start} {end}");
        let state: String = r.get(11);
        assert!(
            ["draft", "submitted", "approved", "returned"].contains(&state.as_str()),
            "{state}"
        );
        assert!(!r.get::<String, _>(12).is_empty());
        viewed.push((
            r.get(0),
            r.get(1),
            r.get(2),
            if option.is_empty() {
                indicator
            } else {
                format!("{indicator}.{option}")
            },
            milli,
            r.get(6),
            r.get(7),
        ));
    }
    viewed.sort();
    let exported = exported(&db).await;
    assert!(exported.len() > 1_000, "the demo world has values");
    let decimal = viewed
        .iter()
        .find(|l| l.1 == "03325" && l.2 == "2026" && l.3 == "tt_luot")
        .expect("the imported decimal");
    assert_eq!(
        (decimal.4, decimal.5.as_str(), decimal.6.as_deref()),
        (1_328_250, "more_than", Some("ghi chú, có \"ngoặc\""))
    );
    let plain: String = sqlx::query_scalar(
        "SELECT CAST(value AS TEXT) FROM antq_values \
         WHERE unit_code = '03325' AND period = '2026' AND indicator = 'tt_luot'",
    )
    .fetch_one(db.pool())
    .await
    .unwrap();
    assert_eq!(plain, "1328.25");
    assert_eq!(viewed.len(), exported.len());
    assert_eq!(viewed, exported);

    // The view is read-only on both databases.
    for write in [
        "INSERT INTO antq_values (unit_code) VALUES ('01')",
        "UPDATE antq_values SET value_milli = 0",
        "DELETE FROM antq_values",
    ] {
        assert!(
            sqlx::query(write).execute(db.pool()).await.is_err(),
            "{write}"
        );
    }
}

#[tokio::test]
async fn antq_values_on_sqlite() {
    let t = TestDb::sqlite();
    story(t.ready().await).await;
}

#[tokio::test]
async fn antq_values_on_postgres() {
    let Some(server) = postgres_url() else {
        eprintln!("skipped: ANTQ_TEST_DATABASE_URL is not set");
        return;
    };
    let t = TestDb::postgres(&server).await;
    story(t.ready().await).await;
}
