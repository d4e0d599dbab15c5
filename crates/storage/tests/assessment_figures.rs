//! The recognition and classification figures as analytics indicators, on
//! SQLite and, when `ANTQ_TEST_DATABASE_URL` names a server, PostgreSQL:
//! the counts equal the registers' records, a two-year range is the last
//! year's figure and not the sum of both, the share is recognised /
//! eligible, band counts follow the configured thresholds, a commune sees
//! only its own, and the indicators are never on a form.

use std::collections::HashMap;

use antq_core::dates::parse_date;
use antq_core::periods::YearRange;
use antq_core::programmes::FigureSource;
use antq_core::registries::classifications::{Band, Thresholds};
use antq_core::registries::recognitions::{RecognitionState, SubjectKind};
use antq_core::units::UnitCode;
use antq_storage::registries::classifications::{self as cls, ScoreIn, Subject};
use antq_storage::registries::recognitions::{
    self as rec, CheckInput, Decision, NewRecognition, Scope,
};
use antq_storage::statistics::analytics::{self, By, MapMode};
use antq_storage::statistics::catalogue;
use antq_storage::testing::{postgres_url, TestDb};
use antq_storage::units::{self, Unit};
use antq_storage::Db;

const CODES: [&str; 8] = [
    "atan_dang_ky",
    "atan_cong_nhan",
    "atan_du_dieu_kien",
    "atan_ty_le",
    "pl_xuat_sac",
    "pl_kha",
    "pl_trung_binh",
    "pl_yeu",
];

async fn unit(db: &Db, code: &str, at: &str) -> Unit {
    units::get_at(db, &UnitCode::parse(code).unwrap(), parse_date(at).unwrap())
        .await
        .unwrap()
}

/// (indicator, period) → row.
async fn figures(
    db: &Db,
    u: &Unit,
    from: i32,
    to: i32,
    by: Option<By>,
) -> HashMap<(String, String), analytics::Row> {
    let cat = catalogue::indicators(db).await.unwrap();
    let wanted: Vec<String> = CODES.iter().map(|s| s.to_string()).collect();
    let inds = catalogue::indicators_by_code(db, &wanted).await.unwrap();
    analytics::run(
        db,
        &analytics::Query {
            indicators: &inds,
            catalogue: &cat,
            unit: u,
            range: YearRange { from, to },
            by,
            map: MapMode::Historical,
            approved_only: true,
        },
    )
    .await
    .unwrap()
    .into_iter()
    .map(|r| ((r.indicator.clone(), r.period.clone()), r))
    .collect()
}

/// The sum of an indicator's rows by child unit over 2024.
async fn child_sum(db: &Db, u: &Unit, code: &str) -> f64 {
    let cat = catalogue::indicators(db).await.unwrap();
    let inds = catalogue::indicators_by_code(db, &[code.to_string()])
        .await
        .unwrap();
    let rows = analytics::run(
        db,
        &analytics::Query {
            indicators: &inds,
            catalogue: &cat,
            unit: u,
            range: YearRange {
                from: 2024,
                to: 2024,
            },
            by: Some(By::Child),
            map: MapMode::Historical,
            approved_only: true,
        },
    )
    .await
    .unwrap();
    assert!(rows.len() > 1, "{rows:?}");
    rows.iter().filter_map(|r| r.value).sum()
}

fn value(f: &HashMap<(String, String), analytics::Row>, code: &str, period: &str) -> f64 {
    f.get(&(code.to_string(), period.to_string()))
        .and_then(|r| r.value)
        .unwrap_or(0.0)
}

async fn band_count(db: &Db, u: &Unit, year: i32, band: Band) -> i64 {
    cls::summary(
        db,
        None,
        &cls::Filter {
            unit_id: Some(u.id),
            year: Some(year),
            kind: None,
            band: Some(band),
        },
    )
    .await
    .unwrap()
    .iter()
    .map(|c| c.count)
    .sum()
}

/// A commune of the province valid in 2024 not used by the demo (the last by code).
async fn last_communes(db: &Db, province: &Unit, n: i64) -> Vec<Unit> {
    let ids: Vec<i64> = sqlx::query_scalar(
        "SELECT u.id FROM units u JOIN unit_tree t ON t.descendant_id = u.id WHERE t.ancestor_id = $1 \
         AND u.level = 'commune' AND (u.valid_to IS NULL OR u.valid_to >= '2024-12-14') \
         AND (u.valid_from IS NULL OR u.valid_from <= '2024-01-01') ORDER BY u.code DESC LIMIT $2",
    )
    .bind(province.id)
    .bind(n)
    .fetch_all(db.pool())
    .await
    .unwrap();
    let mut out = Vec::new();
    for id in ids {
        out.push(units::by_id(db, id).await.unwrap());
    }
    out
}

async fn story(db: Db) {
    assert!(rec::demo(&db).await.unwrap() > 0);
    assert!(cls::demo(&db).await.unwrap() > 0);
    // Never on a form.
    let on_forms: i64 = sqlx::query_scalar(
        "SELECT CAST(COUNT(*) AS BIGINT) FROM form_indicators f JOIN indicators i ON i.id = f.indicator_id \
         WHERE i.code LIKE 'atan_%' OR i.code LIKE 'pl_%'",
    )
    .fetch_one(db.pool())
    .await
    .unwrap();
    assert_eq!(on_forms, 0);

    for code in ["11", "87"] {
        let p = unit(&db, code, "2024-06-30").await;
        let f = figures(&db, &p, 2024, 2024, None).await;
        let scope = Scope {
            unit_id: p.id,
            map: MapMode::Historical,
        };
        let list = |state: Option<RecognitionState>| rec::Filter {
            unit: Some((p.id, MapMode::Historical)),
            year: Some(2024),
            kind: None,
            state,
        };
        let registered = rec::list(&db, None, &list(None)).await.unwrap().len() as f64;
        let recognised = rec::list(&db, None, &list(Some(RecognitionState::Recognised)))
            .await
            .unwrap()
            .len() as f64;
        let eligible: i64 = rec::summary(&db, scope, 2024)
            .await
            .unwrap()
            .iter()
            .map(|k| k.eligible)
            .sum();
        let period = "2024";
        assert!(recognised > 0.0, "{code}");
        assert_eq!(value(&f, "atan_dang_ky", period), registered, "{code}");
        assert_eq!(value(&f, "atan_cong_nhan", period), recognised, "{code}");
        assert_eq!(
            value(&f, "atan_du_dieu_kien", period),
            eligible as f64,
            "{code}"
        );
        let share = (recognised / eligible as f64 * 1000.0).round() / 10.0;
        assert_eq!(value(&f, "atan_ty_le", period), share, "{code}");
        let row = &f[&("atan_cong_nhan".to_string(), period.to_string())];
        assert_eq!(row.source, FigureSource::Register);
        for (ind, band) in [
            ("pl_xuat_sac", Band::XuatSac),
            ("pl_kha", Band::Kha),
            ("pl_trung_binh", Band::TrungBinh),
            ("pl_yeu", Band::Yeu),
        ] {
            let n = band_count(&db, &p, 2024, band).await;
            assert!(n > 0, "{code} {ind}");
            assert_eq!(value(&f, ind, period), n as f64, "{code} {ind}");
        }
    }

    // A recognition of 2023: over 2023 – 2024 the figure is 2024's, not the sum.
    let p = unit(&db, "11", "2024-06-30").await;
    let before = figures(&db, &p, 2024, 2024, None).await;
    let area: (i64, i64) = sqlx::query_as(
        "SELECT area_id, unit_id FROM recognitions WHERE year = 2024 AND subject_kind = 'khu_dan_cu' \
         AND state = 'recognised' ORDER BY id LIMIT 1",
    )
    .fetch_one(db.pool())
    .await
    .unwrap();
    let id = rec::register(
        &db,
        None,
        &NewRecognition {
            year: 2023,
            kind: SubjectKind::KhuDanCu,
            unit_id: area.1,
            area_id: Some(area.0),
            organisation_id: None,
            registered_on: parse_date("2023-02-01").unwrap(),
            override_window: false,
        },
    )
    .await
    .unwrap();
    let checks: Vec<CheckInput> = rec::criteria_of_year(&db, SubjectKind::KhuDanCu, 2023)
        .await
        .unwrap()
        .iter()
        .map(|c| CheckInput {
            criterion_id: c.id,
            met: true,
            note: String::new(),
        })
        .collect();
    rec::set_checks(&db, None, id, &checks).await.unwrap();
    rec::decide(
        &db,
        None,
        id,
        &Decision {
            recognised: true,
            number: "12/QĐ-UBND".into(),
            date: parse_date("2023-11-20").unwrap(),
            issuer: "Chủ tịch UBND xã".into(),
            reason: String::new(),
            override_reason: String::new(),
        },
    )
    .await
    .unwrap();
    let two = figures(&db, &p, 2023, 2024, None).await;
    let by_year = figures(&db, &p, 2023, 2024, Some(By::Year)).await;
    let total = "2023..2024";
    assert_eq!(value(&by_year, "atan_cong_nhan", "2023"), 1.0);
    assert_eq!(
        value(&by_year, "atan_cong_nhan", "2024"),
        value(&before, "atan_cong_nhan", "2024")
    );
    for code in [
        "atan_cong_nhan",
        "atan_dang_ky",
        "atan_du_dieu_kien",
        "atan_ty_le",
    ] {
        assert_eq!(
            value(&two, code, total),
            value(&before, code, "2024"),
            "{code}: {two:?}"
        );
    }
    assert_ne!(
        value(&two, "atan_cong_nhan", total),
        value(&by_year, "atan_cong_nhan", "2023") + value(&by_year, "atan_cong_nhan", "2024")
    );

    // By child: the province's communes add up to the province.
    let sum = child_sum(&db, &p, "atan_cong_nhan").await;
    assert_eq!(sum, value(&before, "atan_cong_nhan", "2024"));

    // A commune sees only its own.
    let commune = units::by_id(&db, area.1).await.unwrap();
    let own = figures(&db, &commune, 2024, 2024, None).await;
    let own_recognised = rec::list(
        &db,
        None,
        &rec::Filter {
            unit: Some((commune.id, MapMode::Historical)),
            year: Some(2024),
            kind: None,
            state: Some(RecognitionState::Recognised),
        },
    )
    .await
    .unwrap()
    .len() as f64;
    assert_eq!(value(&own, "atan_cong_nhan", "2024"), own_recognised);
    assert!(own_recognised < value(&before, "atan_cong_nhan", "2024"));

    // Bands follow the thresholds: 85 points is Khá under 90 / 70 / 50,
    // Xuất sắc once Xuất sắc starts at 80.
    let communes = last_communes(&db, &p, 2).await;
    // A commune that registered nothing in a year of assessment: its eligible
    // subjects (itself at least), none recognised — in its own view too.
    let quiet = figures(&db, &communes[0], 2024, 2024, None).await;
    let row = |code: &str| {
        quiet
            .get(&(code.to_string(), "2024".to_string()))
            .and_then(|r| r.value)
    };
    assert_eq!(row("atan_cong_nhan"), Some(0.0), "{quiet:?}");
    assert!(
        row("atan_du_dieu_kien").is_some_and(|n| n >= 1.0),
        "{quiet:?}"
    );
    assert_eq!(row("atan_ty_le"), Some(0.0));
    let mut sheets = Vec::new();
    for c in &communes {
        let id = cls::create(&db, None, Subject::Commune(c.id), 2024)
            .await
            .unwrap();
        let sh = cls::sheet(&db, None, id).await.unwrap();
        let scores: Vec<ScoreIn> = sh
            .template
            .leaves()
            .iter()
            .map(|i| ScoreIn {
                item_id: i.id,
                points: Some(i.max * 85 / 100),
                evidence: "Báo cáo kết quả".into(),
            })
            .collect();
        cls::set_scores(&db, None, id, &scores).await.unwrap();
        cls::submit(&db, None, id).await.unwrap();
        sheets.push(id);
    }
    let start = figures(&db, &p, 2024, 2024, None).await;
    cls::decide(&db, None, sheets[0]).await.unwrap();
    let one = figures(&db, &p, 2024, 2024, None).await;
    assert_eq!(
        value(&one, "pl_kha", "2024"),
        value(&start, "pl_kha", "2024") + 1.0
    );
    cls::set_thresholds(
        &db,
        None,
        &Thresholds {
            xuat_sac: 800,
            kha: 700,
            trung_binh: 500,
        },
    )
    .await
    .unwrap();
    cls::decide(&db, None, sheets[1]).await.unwrap();
    let after = figures(&db, &p, 2024, 2024, None).await;
    assert_eq!(
        value(&after, "pl_xuat_sac", "2024"),
        value(&start, "pl_xuat_sac", "2024") + 1.0
    );
    assert_eq!(
        value(&after, "pl_kha", "2024"),
        value(&one, "pl_kha", "2024")
    );
    cls::set_thresholds(&db, None, &Thresholds::default())
        .await
        .unwrap();
}

#[tokio::test]
async fn assessment_figures_on_sqlite() {
    let t = TestDb::sqlite();
    story(t.ready().await).await;
}

#[tokio::test]
async fn assessment_figures_on_postgres() {
    let Some(server) = postgres_url() else {
        eprintln!("skipped: ANTQ_TEST_DATABASE_URL is not set, so the PostgreSQL assessment figures did not run");
        return;
    };
    let t = TestDb::postgres(&server).await;
    story(t.ready().await).await;
}
