//! The demo world reproduces the 10-year review figures of the source
//! article, and the rollups equal plain sums over the raw values.

use antq_core::auth::Role;
use antq_core::dates::parse_date;
use antq_core::periods::YearRange;
use antq_core::programmes::conferences::{press_draft, PressInput};
use antq_core::units::UnitCode;
use antq_storage::accounts::access::{Actor, Grant};
use antq_storage::programmes::conferences;
use antq_storage::statistics::analytics::{self, MapMode};
use antq_storage::testing::{postgres_url, TestDb};
use antq_storage::{demo, statistics::catalogue, statistics::report_values, units, Db};

#[path = "demo/reviews.rs"]
mod reviews;

async fn totals(
    db: &Db,
    code: &str,
    at: &str,
    map: MapMode,
    inds: &[&str],
) -> Vec<(String, Option<f64>)> {
    let unit = units::get_at(db, &UnitCode::parse(code).unwrap(), parse_date(at).unwrap())
        .await
        .unwrap();
    let cat = catalogue::indicators(db).await.unwrap();
    let wanted: Vec<String> = inds.iter().map(|s| s.to_string()).collect();
    let inds = catalogue::indicators_by_code(db, &wanted).await.unwrap();
    analytics::run(
        db,
        &analytics::Query {
            indicators: &inds,
            catalogue: &cat,
            unit: &unit,
            range: YearRange {
                from: 2013,
                to: 2023,
            },
            by: None,
            map,
            approved_only: true,
        },
    )
    .await
    .unwrap()
    .into_iter()
    .map(|r| (r.indicator, r.value))
    .collect()
}

/// An indicator's id.
async fn indicator_id(db: &Db, code: &str) -> i64 {
    sqlx::query_scalar("SELECT id FROM indicators WHERE code = $1")
        .bind(code)
        .fetch_one(db.pool())
        .await
        .unwrap()
}

/// The same sum, computed from the stored values of every approved report
/// under the unit: each report's row decoded and added here, without the
/// rollups or the analytics.
async fn raw_sum(db: &Db, indicator: &str, province_code: &str, at: &str) -> f64 {
    let unit = units::get_at(
        db,
        &UnitCode::parse(province_code).unwrap(),
        parse_date(at).unwrap(),
    )
    .await
    .unwrap();
    let id = indicator_id(db, indicator).await;
    let bodies: Vec<Vec<u8>> = sqlx::query_scalar(
        "SELECT b.body FROM report_values b JOIN reports r ON r.id = b.report_id \
         JOIN unit_tree t ON t.descendant_id = r.unit_id \
         WHERE t.ancestor_id = $1 AND r.period_year BETWEEN 2013 AND 2023 AND r.state = 'approved'",
    )
    .bind(unit.id)
    .fetch_all(db.pool())
    .await
    .unwrap();
    let milli: i64 = bodies
        .iter()
        .flat_map(|b| report_values::decode(b).unwrap())
        .filter(|v| v.indicator_id == id)
        .map(|v| v.milli)
        .sum();
    milli as f64 / 1000.0
}

/// Analytics rows of one unit over 2013 – 2023 (indicator → row).
async fn rows(
    db: &Db,
    code: &str,
    at: &str,
    map: MapMode,
    inds: &[&str],
) -> std::collections::HashMap<String, analytics::Row> {
    let unit = units::get_at(db, &UnitCode::parse(code).unwrap(), parse_date(at).unwrap())
        .await
        .unwrap();
    let cat = catalogue::indicators(db).await.unwrap();
    let wanted: Vec<String> = inds.iter().map(|s| s.to_string()).collect();
    let inds = catalogue::indicators_by_code(db, &wanted).await.unwrap();
    analytics::run(
        db,
        &analytics::Query {
            indicators: &inds,
            catalogue: &cat,
            unit: &unit,
            range: YearRange {
                from: 2013,
                to: 2023,
            },
            by: None,
            map,
            approved_only: true,
        },
    )
    .await
    .unwrap()
    .into_iter()
    .map(|r| (r.indicator.clone(), r))
    .collect()
}

/// Điện Biên's registers give its review's figures, equal to its forms'
/// (so each figure says "both" and no difference is flagged), 44 model
/// types at the end of 2023, and types are counted once across provinces.
async fn registers_give_the_figures(db: &Db) {
    let inds = [
        "mh_moi",
        "mh_nhan_rong",
        "mh_hien_co",
        "tcqc_so",
        "mh_loai_so",
    ];
    let r = rows(db, "11", "2023-06-30", MapMode::Historical, &inds).await;
    for (code, want) in [
        ("mh_moi", 15.0),
        ("mh_nhan_rong", 30.0),
        ("mh_hien_co", 120.0),
        ("tcqc_so", 4_378.0),
        ("mh_loai_so", 44.0),
    ] {
        let row = &r[code];
        assert_eq!(row.value, Some(want), "{code}: {row:?}");
        let expected = if code == "mh_loai_so" {
            antq_core::programmes::FigureSource::Register
        } else {
            antq_core::programmes::FigureSource::Both
        };
        assert_eq!(row.source, expected, "{code}: {row:?}");
        if code != "mh_loai_so" {
            assert_eq!(
                (row.form_value, row.register_value),
                (Some(want), Some(want)),
                "{code}: the forms and the registers each give it"
            );
        }
        assert!(
            !row.flags.iter().any(|f| f == "register_differs_from_form"),
            "{code}: {row:?}"
        );
    }
    let types =
        |r: &std::collections::HashMap<String, analytics::Row>| r["mh_loai_so"].value.unwrap();
    let dong_thap = rows(db, "87", "2023-06-30", MapMode::Historical, &["mh_loai_so"]).await;
    let tien_giang = rows(db, "82", "2023-06-30", MapMode::Historical, &["mh_loai_so"]).await;
    let today = rows(db, "82", "2026-01-01", MapMode::Current, &["mh_loai_so"]).await;
    let nation = rows(
        db,
        antq_core::units::NATION_CODE,
        "2023-06-30",
        MapMode::Historical,
        &["mh_loai_so"],
    )
    .await;
    // Today's Đồng Tháp: the types of its two old provinces, each once.
    assert!(
        types(&today) < types(&dong_thap) + types(&tien_giang),
        "{today:?}"
    );
    assert!(types(&today) >= types(&dong_thap).max(types(&tien_giang)));
    assert!(types(&nation) < types(&r) + types(&dong_thap) + types(&tien_giang));
}

/// Each demo conference has the 2013 – 2023 review of its province linked,
/// so its press draft is written from the review's figures.
async fn conferences_present_their_reviews(db: &Db) {
    let linked: Vec<(String, String, i64, i64, String)> = sqlx::query_as(
        "SELECT u.code, c.held_on, r.period_from, r.period_to, r.narrative FROM conferences c \
         JOIN conference_reviews cr ON cr.conference_id = c.id JOIN reviews r ON r.id = cr.review_id \
         JOIN units u ON u.id = r.unit_id WHERE c.created_by = 'demo' ORDER BY c.held_on",
    )
    .fetch_all(db.pool())
    .await
    .unwrap();
    let got: Vec<(&str, &str, i64, i64)> = linked
        .iter()
        .map(|(u, d, f, t, _)| (u.as_str(), d.as_str(), *f, *t))
        .collect();
    assert_eq!(
        got,
        vec![
            ("87", "2023-05-18", 2013, 2023),
            ("11", "2023-05-19", 2013, 2023)
        ]
    );
    let nation = units::get_at(
        db,
        &UnitCode::parse(antq_core::units::NATION_CODE).unwrap(),
        parse_date("2023-05-19").unwrap(),
    )
    .await
    .unwrap();
    let reader = Actor {
        user_id: 0,
        username: "xem.toanquoc".into(),
        display_name: "Trần Lâm".into(),
        grants: vec![Grant {
            id: 0,
            role: Role::Viewer,
            unit_id: nation.id,
            unit_code: nation.code.clone(),
            unit_name: nation.name.clone(),
            unit_level: nation.level,
            unit_valid_from: None,
            unit_valid_to: None,
        }],
    };
    let ids: Vec<i64> =
        sqlx::query_scalar("SELECT conference_id FROM conference_reviews cr JOIN conferences c ON c.id = cr.conference_id WHERE c.created_by = 'demo' ORDER BY c.held_on")
            .fetch_all(db.pool())
            .await
            .unwrap();
    let draft = |i: PressInput| press_draft(&i).body;
    let dong_thap = draft(
        conferences::press_input(db, &reader, ids[0], "")
            .await
            .unwrap(),
    );
    let dien_bien = draft(
        conferences::press_input(db, &reader, ids[1], "")
            .await
            .unwrap(),
    );
    // Đồng Tháp: its figures and the plan signed there.
    assert!(dong_thap.contains("32.146 buổi"), "{dong_thap}");
    assert!(dong_thap.contains("đã ký kết"), "{dong_thap}");
    // Điện Biên: the article's figures, and its awards said once, by issuer.
    for said in [
        "xây dựng mới 15 mô hình, nhân rộng 30 mô hình",
        "4.378 tổ chức quần chúng",
        "Nhân dịp này, Chủ tịch UBND tỉnh tặng Bằng khen cho 2 tập thể, 5 cá nhân",
    ] {
        assert!(dien_bien.contains(said), "{said} in {dien_bien}");
    }
    assert_eq!(dien_bien.matches("Bằng khen").count(), 2, "{dien_bien}");
}

async fn story(db: Db) {
    let first = demo::load(&db, None).await.unwrap();
    let stats = first.statistics.expect("loaded the first time");
    assert!(stats.reports > 4000 && stats.values > 40_000, "{stats:?}");
    let programmes = first.programmes.expect("conferences loaded the first time");
    assert_eq!((programmes.conferences, programmes.awards), (2, 3));
    assert!(programmes.events > 1_000, "{programmes:?}");
    assert_eq!(first.reviews, 2, "the two 10-year reviews are built");
    let again = demo::load(&db, None).await.unwrap();
    assert!(
        again.statistics.is_none() && again.programmes.is_none() && again.reviews == 0,
        "idempotent"
    );
    conferences_present_their_reviews(&db).await;
    // No report was changed (or created) in the future.
    let now = antq_core::dates::timestamp(antq_core::dates::now_utc());
    let future: i64 = sqlx::query_scalar(
        "SELECT CAST(COUNT(*) AS BIGINT) FROM reports WHERE state_changed_at > $1 OR created_at > $1",
    )
    .bind(&now)
    .fetch_one(db.pool())
    .await
    .unwrap();
    assert_eq!(future, 0, "no demo report changed after {now}");

    let dt = totals(
        &db,
        "87",
        "2023-06-30",
        MapMode::Historical,
        &[
            "tt_buoi",
            "tt_luot",
            "dd_so",
            "dd_luot",
            "gd_doi_tuong",
            "gd_tien_bo",
            "gd_ty_le",
            "nguon_tin_gia_tri",
        ],
    )
    .await;
    let get = |v: &Vec<(String, Option<f64>)>, c: &str| {
        v.iter()
            .find(|(k, _)| k == c)
            .and_then(|(_, x)| *x)
            .unwrap()
    };
    assert!(get(&dt, "tt_buoi") > 32_000.0 && get(&dt, "tt_buoi") < 33_000.0);
    assert!(get(&dt, "tt_luot") > 3_000_000.0);
    assert_eq!(get(&dt, "dd_so"), 22.0);
    assert!(get(&dt, "dd_luot") > 4_500.0 && get(&dt, "dd_luot") < 4_600.0);
    assert!(get(&dt, "gd_doi_tuong") > 27_000.0);
    assert_eq!(get(&dt, "gd_tien_bo"), 9_779.0);
    assert_eq!(get(&dt, "gd_ty_le"), 36.0);
    assert!(get(&dt, "nguon_tin_gia_tri") > 44_000.0);
    for ind in ["tt_buoi", "tt_luot", "gd_tien_bo", "nguon_tin_gia_tri"] {
        assert_eq!(
            get(&dt, ind),
            raw_sum(&db, ind, "87", "2023-06-30").await,
            "{ind}"
        );
    }

    let db11 = totals(
        &db,
        "11",
        "2023-06-30",
        MapMode::Historical,
        &["mh_moi", "mh_nhan_rong", "tcqc_so", "yk_dong_gop"],
    )
    .await;
    assert_eq!(get(&db11, "mh_moi"), 15.0);
    assert_eq!(get(&db11, "mh_nhan_rong"), 30.0);
    assert_eq!(get(&db11, "tcqc_so"), 4_378.0);
    let yk = get(&db11, "yk_dong_gop");
    assert!((6_900.0..7_000.0).contains(&yk), "gần 7.000: {yk}");
    registers_give_the_figures(&db).await;
    awards_by_issuer(&db).await;

    // Today's Đồng Tháp over 2013–2023 gathers old Đồng Tháp and old Tiền Giang.
    let now = totals(&db, "82", "2026-01-01", MapMode::Current, &["tt_buoi"]).await;
    let old_tg = totals(&db, "82", "2023-06-30", MapMode::Historical, &["tt_buoi"]).await;
    assert_eq!(
        get(&now, "tt_buoi"),
        get(&dt, "tt_buoi") + get(&old_tg, "tt_buoi")
    );
    assert_eq!(
        get(&old_tg, "tt_buoi"),
        raw_sum(&db, "tt_buoi", "82", "2023-06-30").await
    );
    communes_as_they_were(&db).await;
    communes_of_today(&db).await;
    reviews::review(&db).await;
}

/// Điện Biên's awards of 2023 come from the award register, by issuer, as
/// the article gives them; the form no longer carries them.
async fn awards_by_issuer(db: &Db) {
    use antq_storage::programmes::award_counts::{self, Scope};
    let unit = units::get_at(
        db,
        &UnitCode::parse("11").unwrap(),
        parse_date("2023-05-19").unwrap(),
    )
    .await
    .unwrap();
    let rows = award_counts::counts(
        db,
        Scope::Unit {
            unit_id: unit.id,
            range: YearRange {
                from: 2023,
                to: 2023,
            },
            map: MapMode::Historical,
        },
    )
    .await
    .unwrap();
    let said: Vec<(String, String, &str, i64)> = award_counts::over_years(&rows)
        .into_iter()
        .map(|c| (c.issuer, c.form, c.recipient_kind.code(), c.count))
        .collect();
    for (issuer, form, tap_the, ca_nhan) in [
        ("Chủ tịch UBND tỉnh", "Bằng khen", 2, 5),
        ("Ủy ban MTTQ Việt Nam tỉnh", "Bằng khen", 2, 10),
        ("Công an tỉnh", "Giấy khen", 15, 22),
    ] {
        for (kind, n) in [("tap_the", tap_the), ("ca_nhan", ca_nhan)] {
            assert!(
                said.iter()
                    .any(|(i, f, k, c)| i == issuer && f == form && *k == kind && *c == n),
                "{issuer} {form} {kind} {n}: {said:?}"
            );
        }
    }
    assert_eq!(said.len(), 6, "{said:?}");
    let conference: i64 = sqlx::query_scalar(
        "SELECT id FROM conferences WHERE held_on = '2023-05-19' AND kind = 'tong_ket'",
    )
    .fetch_one(db.pool())
    .await
    .unwrap();
    let at_conference = award_counts::counts(db, Scope::Conference(conference))
        .await
        .unwrap();
    assert_eq!(at_conference.iter().map(|r| r.count).sum::<i64>(), 56);
    // Analytics gives Điện Biên's awards from the register (2+5+2+10 Bằng khen,
    // 15+22 Giấy khen); the form carries none of them any more.
    let form = totals(
        db,
        "11",
        "2023-06-30",
        MapMode::Historical,
        &["kt_bang_khen", "kt_giay_khen"],
    )
    .await;
    assert_eq!(
        form,
        [
            ("kt_bang_khen".to_string(), Some(19.0)),
            ("kt_giay_khen".to_string(), Some(37.0))
        ],
    );
    let in_forms: i64 = sqlx::query_scalar(
        "SELECT CAST(COUNT(*) AS BIGINT) FROM antq_values \
         WHERE indicator IN ('kt_bang_khen', 'kt_giay_khen') \
         AND period = '2023'",
    )
    .fetch_one(db.pool())
    .await
    .unwrap();
    assert_eq!(in_forms, 0, "the demo's 2023 forms carry no awards");
    // One Ngày hội event per site the yearly reports count.
    let events: i64 = sqlx::query_scalar(
        "SELECT CAST(COUNT(*) AS BIGINT) FROM conferences c JOIN unit_tree t ON t.descendant_id = c.unit_id \
         WHERE t.ancestor_id = $1 AND c.kind = 'ngay_hoi' AND c.held_on BETWEEN '2013-01-01' AND '2023-12-31'",
    )
    .bind(unit.id)
    .fetch_one(db.pool())
    .await
    .unwrap();
    assert_eq!(
        events as f64,
        raw_sum(db, "ngay_hoi", "11", "2023-06-30").await
    );
    // The plan signed at the Đồng Tháp conference implements programme 09.
    let signed: String = sqlx::query_scalar(
        "SELECT p.title FROM conference_programmes cp JOIN programmes p ON p.id = cp.programme_id \
         JOIN conferences c ON c.id = cp.conference_id JOIN programmes n ON n.id = p.implements_id \
         JOIN documents d ON d.id = n.document_id \
         WHERE cp.role = 'signed' AND c.held_on = '2023-05-18' AND d.reference = '09/CTr-BCA-MTTW'",
    )
    .fetch_one(db.pool())
    .await
    .unwrap();
    assert!(signed.contains("Tổ Nhân dân tự quản"), "{signed}");
}

/// The approved values of `indicator` in 2013–2026 that count, in today's
/// map, for the unit `id` and its subtree: the reports of every unit whose
/// data maps there, decoded and added here.
async fn raw_current_sum(db: &Db, indicator: &str, id: i64) -> f64 {
    let ind = indicator_id(db, indicator).await;
    let bodies: Vec<Vec<u8>> = sqlx::query_scalar(
        "SELECT b.body FROM report_values b JOIN reports r ON r.id = b.report_id \
         JOIN unit_data_map m ON m.unit_id = r.unit_id JOIN unit_tree t ON t.descendant_id = m.current_id \
         WHERE t.ancestor_id = $1 AND r.period_year BETWEEN 2013 AND 2026 AND r.state = 'approved'",
    )
    .bind(id)
    .fetch_all(db.pool())
    .await
    .unwrap();
    bodies
        .iter()
        .flat_map(|b| report_values::decode(b).unwrap())
        .filter(|v| v.indicator_id == ind)
        .map(|v| v.milli)
        .sum::<i64>() as f64
        / 1000.0
}

/// Communes of today have no rollup node either: a commune's figure in
/// today's map is the sum of its own reports and of the older units mapped
/// into it. Today's Đồng Tháp by commune, 2013–2026, equals those sums.
async fn communes_of_today(db: &Db) {
    let day = parse_date("2026-01-01").unwrap();
    let province = units::get_at(db, &UnitCode::parse("82").unwrap(), day)
        .await
        .unwrap();
    let cat = catalogue::indicators(db).await.unwrap();
    let inds = catalogue::indicators_by_code(db, &["tt_buoi".to_string()])
        .await
        .unwrap();
    let rows = analytics::run(
        db,
        &analytics::Query {
            indicators: &inds,
            catalogue: &cat,
            unit: &province,
            range: YearRange {
                from: 2013,
                to: 2026,
            },
            by: Some(analytics::By::Child),
            map: MapMode::Current,
            approved_only: true,
        },
    )
    .await
    .unwrap();
    let mut communes = 0;
    for r in rows.iter().filter(|r| r.unit != province.code.as_str()) {
        let unit = units::get_at(db, &UnitCode::parse(&r.unit).unwrap(), day)
            .await
            .unwrap();
        let expected = raw_current_sum(db, "tt_buoi", unit.id).await;
        assert_eq!(r.value.unwrap_or(0.0), expected, "xã {}", r.unit);
        communes += usize::from(expected > 0.0);
    }
    assert!(communes >= 2, "{rows:?}");
    let all: f64 = rows.iter().filter_map(|r| r.value).sum();
    assert_eq!(all, raw_current_sum(db, "tt_buoi", province.id).await);
    assert!(
        all > 32_000.0,
        "old Đồng Tháp and old Tiền Giang are in: {all}"
    );
}

/// Communes as they were have no rollup node of their own: their sums come
/// from their values. A district of old Đồng Tháp by commune, and a commune
/// by year, equal plain sums over the raw values.
async fn communes_as_they_were(db: &Db) {
    let at = "2023-06-30";
    let district: String = sqlx::query_scalar(
        "SELECT d.code FROM units d JOIN units p ON p.id = d.parent_id \
         JOIN unit_tree t ON t.ancestor_id = d.id JOIN reports r ON r.unit_id = t.descendant_id \
         JOIN units c ON c.id = r.unit_id \
         WHERE p.code = '87' AND d.level = 'district' AND c.level = 'commune' AND r.state = 'approved' \
         GROUP BY d.code ORDER BY COUNT(*) DESC, d.code LIMIT 1",
    )
    .fetch_one(db.pool())
    .await
    .unwrap();
    let day = parse_date(at).unwrap();
    let cat = catalogue::indicators(db).await.unwrap();
    let inds = catalogue::indicators_by_code(db, &["tt_buoi".to_string()])
        .await
        .unwrap();
    let run = |code: String, by: analytics::By| {
        let (cat, inds) = (&cat, &inds);
        async move {
            let unit = units::get_at(db, &UnitCode::parse(&code).unwrap(), day)
                .await
                .unwrap();
            analytics::run(
                db,
                &analytics::Query {
                    indicators: inds,
                    catalogue: cat,
                    unit: &unit,
                    range: YearRange {
                        from: 2013,
                        to: 2023,
                    },
                    by: Some(by),
                    map: MapMode::Historical,
                    approved_only: true,
                },
            )
            .await
            .unwrap()
        }
    };
    let by_commune = run(district.clone(), analytics::By::Child).await;
    let communes: Vec<(String, f64)> = by_commune
        .iter()
        .filter(|r| r.unit != district)
        .filter_map(|r| r.value.map(|v| (r.unit.clone(), v)))
        .collect();
    assert!(communes.len() >= 2, "{by_commune:?}");
    for (code, v) in &communes {
        assert_eq!(*v, raw_sum(db, "tt_buoi", code, at).await, "xã {code}");
    }
    let all: f64 = by_commune.iter().filter_map(|r| r.value).sum();
    assert_eq!(all, raw_sum(db, "tt_buoi", &district, at).await);
    // One commune by year adds up to its plain sum too.
    let (code, total) = &communes[0];
    let years: f64 = run(code.clone(), analytics::By::Year)
        .await
        .iter()
        .filter_map(|r| r.value)
        .sum();
    assert_eq!(years, *total);
}

#[tokio::test]
async fn demo_on_sqlite() {
    let t = TestDb::sqlite();
    story(t.ready().await).await;
}

#[tokio::test]
async fn demo_on_postgres() {
    let Some(server) = postgres_url() else {
        eprintln!(
            "skipped: ANTQ_TEST_DATABASE_URL is not set, so the PostgreSQL demo story did not run"
        );
        return;
    };
    let t = TestDb::postgres(&server).await;
    story(t.ready().await).await;
}

/// The demo's year of recognition and classification (2024) gives both
/// provinces non-zero register figures: recognised subjects, their share,
/// and every band.
async fn assessment_figures(db: Db) {
    demo::load(&db, None).await.unwrap();
    let cat = catalogue::indicators(&db).await.unwrap();
    let codes = [
        "atan_cong_nhan",
        "atan_ty_le",
        "pl_xuat_sac",
        "pl_kha",
        "pl_trung_binh",
        "pl_yeu",
    ];
    let wanted: Vec<String> = codes.iter().map(|s| s.to_string()).collect();
    let inds = catalogue::indicators_by_code(&db, &wanted).await.unwrap();
    for code in ["11", "87"] {
        let unit = units::get_at(
            &db,
            &UnitCode::parse(code).unwrap(),
            parse_date("2024-06-30").unwrap(),
        )
        .await
        .unwrap();
        let rows = analytics::run(
            &db,
            &analytics::Query {
                indicators: &inds,
                catalogue: &cat,
                unit: &unit,
                range: YearRange {
                    from: 2024,
                    to: 2024,
                },
                by: None,
                map: MapMode::Historical,
                approved_only: true,
            },
        )
        .await
        .unwrap();
        for c in codes {
            let r = rows
                .iter()
                .find(|r| r.indicator == c)
                .unwrap_or_else(|| panic!("{code} {c}: {rows:?}"));
            assert!(r.value.is_some_and(|v| v > 0.0), "{code} {c}: {r:?}");
            assert_eq!(r.source, antq_core::programmes::FigureSource::Register);
        }
    }
}

#[tokio::test]
async fn demo_assessment_figures_on_sqlite() {
    let t = TestDb::sqlite();
    assessment_figures(t.ready().await).await;
}
