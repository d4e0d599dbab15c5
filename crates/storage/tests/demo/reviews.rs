//! The demo's 10-year reviews: old Đồng Tháp's figures, reprinted
//! identically after a correction; Điện Biên's, with its programme, its
//! awards and the comparison with the year before.

use super::*;

/// The 10-year review of old Đồng Tháp: its figures are the analytics' and
/// the province's reported totals; it reprints identically after a
/// correction, and the comparison shows the correction.
pub(super) async fn review(db: &Db) {
    use antq_core::reports::Transition;
    use antq_core::reviews::Owner;
    use antq_storage::audit::Who;
    use antq_storage::reviews::{self, NewReview};
    use antq_storage::statistics::reports::{self, ValueInput};

    let unit = units::get_at(
        db,
        &UnitCode::parse("87").unwrap(),
        parse_date("2023-05-18").unwrap(),
    )
    .await
    .unwrap();
    let who = Who::system();
    let id = reviews::create(
        db,
        &who,
        NewReview {
            unit: unit.clone(),
            owner: Owner::Joint,
            stage: antq_core::reviews::Stage::years(2013, 2023),
            issue_date: parse_date("2023-05-18").unwrap(),
        },
    )
    .await
    .unwrap();
    let first = reviews::get(db, id).await.unwrap();
    let s = &first.snapshot;
    assert_eq!(s.map, "historical");
    // Units as officials list them: the province's own row first, then
    // the districts by their official code, never by name.
    let own = s.children.iter().position(|c| c.0 == "87");
    assert!(matches!(own, None | Some(0)), "{:?}", s.children);
    let districts: Vec<u32> = s
        .children
        .iter()
        .filter(|c| c.0 != "87")
        .map(|c| c.0.parse().unwrap())
        .collect();
    assert!(districts.len() > 2, "{:?}", s.children);
    assert!(districts.windows(2).all(|w| w[0] < w[1]), "{districts:?}");
    // The demo's units come from the same importer: the kind word as published.
    let lay = units::get_at(
        db,
        &UnitCode::parse("095").unwrap(),
        parse_date("2023-05-18").unwrap(),
    )
    .await
    .unwrap();
    assert_eq!(lay.name, "Thị xã Mường Lay");
    let codes = [
        "tt_buoi",
        "tt_luot",
        "dd_so",
        "dd_luot",
        "gd_doi_tuong",
        "gd_tien_bo",
        "nguon_tin_gia_tri",
    ];
    let analytics_totals = totals(db, "87", "2023-06-30", MapMode::Historical, &codes).await;
    for code in codes {
        assert_eq!(
            Some(s.totals[code].value),
            analytics_totals
                .iter()
                .find(|(k, _)| k == code)
                .and_then(|(_, x)| *x),
            "{code}"
        );
    }
    for (code, reported) in [
        ("tt_buoi", 32_146.0),
        ("tt_luot", 3_048_210.0),
        ("dd_so", 22.0),
        ("dd_luot", 4_530.0),
        ("gd_doi_tuong", 27_135.0),
        ("gd_tien_bo", 9_779.0),
        ("nguon_tin_gia_tri", 44_215.0),
    ] {
        assert_eq!(s.totals[code].value, reported, "{code}");
    }
    let by_year: f64 = s.by_year["tt_buoi"].values().map(|f| f.value).sum();
    assert_eq!(by_year, 32_146.0, "the years add up to the stage");
    let by_child: f64 = s.by_child["tt_buoi"].values().map(|f| f.value).sum();
    assert_eq!(by_child, 32_146.0, "the districts add up to the province");
    let text: String = first.narrative.iter().map(|p| p.text.as_str()).collect();
    assert!(text.contains("Qua 10 năm triển khai, toàn tỉnh đã tổ chức tuyên truyền, phát động phong trào được 32.146 buổi, với hơn 3 triệu lượt người tham dự"), "{text}");
    // Weapons by unit of measure; the Ngày hội per year; stocks at their date.
    assert!(
        text.contains("vận động Nhân dân giao nộp 124 khẩu súng các loại, 2.150 viên đạn, 86 kg vật liệu nổ, 540 công cụ hỗ trợ."),
        "{text}"
    );
    assert!(
        text.contains(
            "hằng năm toàn tỉnh tổ chức Ngày hội toàn dân bảo vệ an ninh Tổ quốc (ANTQ) tại "
        ) && !text.contains("1.540"),
        "{text}"
    );
    assert!(
        text.contains("Đến 31/12/2023, toàn tỉnh hiện có 96 mô hình đang hoạt động")
            && !text.contains("đã hiện có"),
        "{text}"
    );
    // No two paragraphs open alike in a row; nothing before 2013 to compare with.
    assert!(
        !text.contains("Qua 10 năm,") && !text.contains("so với"),
        "{text}"
    );
    assert!(
        text.contains("27.135 người lầm lỗi, trong đó 9.779 người tiến bộ"),
        "{text}"
    );

    // Điện Biên's 10-year review carries its reported figures too.
    let db_unit = units::get_at(
        db,
        &UnitCode::parse("11").unwrap(),
        parse_date("2023-05-19").unwrap(),
    )
    .await
    .unwrap();
    let dbid = reviews::create(
        db,
        &who,
        NewReview {
            unit: db_unit,
            owner: Owner::Front,
            stage: antq_core::reviews::Stage::years(2013, 2023),
            issue_date: parse_date("2023-05-19").unwrap(),
        },
    )
    .await
    .unwrap();
    let dbr = reviews::get(db, dbid).await.unwrap();
    for (code, reported) in [
        ("mh_moi", 15.0),
        ("mh_nhan_rong", 30.0),
        ("tcqc_so", 4_378.0),
        ("yk_dong_gop", 6_940.0),
    ] {
        assert_eq!(dbr.snapshot.totals[code].value, reported, "{code}");
    }
    let text: String = dbr.narrative.iter().map(|p| p.text.as_str()).collect();
    assert!(
        text.contains("xây dựng mới 15 mô hình, nhân rộng 30 mô hình về phòng, chống tội phạm"),
        "{text}"
    );
    assert!(
        text.contains("mô hình đang hoạt động thuộc 44 loại mô hình và 4.378 tổ chức quần chúng bảo vệ an ninh, trật tự (ANTT) ở cơ sở"),
        "{text}"
    );
    assert!(
        text.contains("Nhân dân trong tỉnh đã tham gia 6.940 ý kiến đóng góp"),
        "{text}"
    );
    dien_bien_review(db, &dbr).await;
    compared_with_the_year_before(db, &who, &dbr).await;

    // A correction: an approved 2015 report of a district is reopened and fixed.
    let form = catalogue::form(db, "antq-nam").await.unwrap();
    let (report_unit, body): (String, Vec<u8>) = sqlx::query_as(
        "SELECT u.code, b.body FROM reports r JOIN units u ON u.id = r.unit_id \
         JOIN report_values b ON b.report_id = r.id \
         JOIN unit_tree t ON t.descendant_id = r.unit_id \
         WHERE t.ancestor_id = $1 AND r.period = '2015' AND r.state = 'approved' \
         AND r.form_id = $2 ORDER BY u.code LIMIT 1",
    )
    .bind(unit.id)
    .bind(form.id)
    .fetch_one(db.pool())
    .await
    .unwrap();
    let tt_buoi = indicator_id(db, "tt_buoi").await;
    let old = report_values::decode(&body)
        .unwrap()
        .into_iter()
        .find(|v| v.indicator_id == tt_buoi && v.option.is_empty())
        .expect("the report has tt_buoi")
        .milli;
    let ru = units::get_at(
        db,
        &UnitCode::parse(&report_unit).unwrap(),
        parse_date("2015-12-14").unwrap(),
    )
    .await
    .unwrap();
    for t in [Transition::Reopen] {
        reports::transition(db, &who, &form, &ru, "2015", t, Some("Sửa số liệu".into()))
            .await
            .unwrap();
    }
    reports::put_values(
        db,
        &who,
        &form,
        &ru,
        "2015",
        vec![ValueInput {
            indicator: "tt_buoi".into(),
            option: String::new(),
            value: Some((old + 10_000, antq_core::indicators::Qualifier::Exact, None)),
        }],
    )
    .await
    .unwrap();
    for t in [Transition::Submit, Transition::Approve] {
        reports::transition(db, &who, &form, &ru, "2015", t, None)
            .await
            .unwrap();
    }
    let again = reviews::get(db, id).await.unwrap();
    assert_eq!(
        again.snapshot, first.snapshot,
        "a stored review reprints identically"
    );
    assert_eq!(again.narrative, first.narrative);
    let (now, diff) = reviews::changes_since(db, &again).await.unwrap();
    assert_eq!(now.totals["tt_buoi"].value, 32_156.0);
    let tt: Vec<_> = diff.iter().filter(|d| d.key == "tt_buoi").collect();
    assert!(
        tt.iter().any(|d| d.place == "2013–2023"
            && d.before == Some(32_146.0)
            && d.after == Some(32_156.0)),
        "{diff:?}"
    );
    assert!(tt.iter().any(|d| d.place == "2015"), "{diff:?}");
    assert!(
        diff.iter().all(|d| d.key == "tt_buoi"),
        "nothing else changed: {diff:?}"
    );
}

/// Điện Biên's 10-year review names programme 09 with its date, says the
/// awards by issuer as the article does (over the stage, then "Nhân dịp
/// này" for the conference it is linked to), and its awards-by-year table
/// has the 2023 figures, from the register.
async fn dien_bien_review(db: &Db, r: &antq_storage::reviews::Review) {
    use antq_core::reviews::FigureSource;
    let title = antq_core::reviews::header(
        &r.snapshot,
        r.owner,
        parse_date(&r.issue_date).unwrap(),
        &r.choices(),
    )
    .title;
    assert!(
        title.starts_with(
            "Tổng kết 10 năm thực hiện Chương trình phối hợp số 09/CTr-BCA-MTTW ngày 01/8/2013"
        ),
        "{title}"
    );
    // A Front review, signed by the demo register's block (a placeholder name).
    let signed: Vec<_> = r.signers.iter().map(|s| s.title_lines()).collect();
    assert_eq!(signed, [vec!["TM. BAN THƯỜNG TRỰC", "CHỦ TỊCH"]]);
    assert_eq!(r.signers[0].signed_name(), "Trần Thị B");
    let awards = r
        .narrative
        .iter()
        .find(|p| p.group == "khen_thuong")
        .expect("an awards paragraph");
    for said in [
        "Chủ tịch UBND tỉnh tặng Bằng khen cho 2 tập thể, 5 cá nhân",
        "Ủy ban MTTQ Việt Nam tỉnh tặng Bằng khen cho 2 tập thể, 10 cá nhân",
        "Công an tỉnh tặng Giấy khen cho 15 tập thể, 22 cá nhân",
        "Nhân dịp này, Chủ tịch UBND tỉnh",
    ] {
        assert!(awards.text.contains(said), "{said}: {}", awards.text);
    }
    for (key, n) in [
        ("kt_bang_khen.tap_the", 4.0),
        ("kt_bang_khen.ca_nhan", 15.0),
        ("kt_giay_khen.tap_the", 15.0),
        ("kt_giay_khen.ca_nhan", 22.0),
    ] {
        let f = r.snapshot.by_year[key][&2023];
        assert_eq!((f.value, f.source), (n, FigureSource::Register), "{key}");
        assert_eq!(r.snapshot.totals[key].value, n, "{key}");
    }
    let linked: i64 = sqlx::query_scalar(
        "SELECT CAST(COUNT(*) AS BIGINT) FROM conference_reviews cr JOIN conferences c ON c.id = cr.conference_id \
         WHERE cr.review_id = $1 AND c.held_on = '2023-05-19'",
    )
    .bind(r.id)
    .fetch_one(db.pool())
    .await
    .unwrap();
    assert_eq!(linked, 1, "the review is linked to its conference");
}

/// Điện Biên's 2024 review compares its main flows with 2023 (the year
/// before, read with it), never a stock; the 10-year review has nothing
/// before 2013 to compare with.
async fn compared_with_the_year_before(
    db: &Db,
    who: &antq_storage::audit::Who,
    ten_years: &antq_storage::reviews::Review,
) {
    use antq_storage::reviews::{self, NewReview};
    assert_eq!(ten_years.snapshot.previous, None, "no data in 2002 – 2012");
    let unit = units::get_at(
        db,
        &UnitCode::parse("11").unwrap(),
        parse_date("2024-12-31").unwrap(),
    )
    .await
    .unwrap();
    let id = reviews::create(
        db,
        who,
        NewReview {
            unit,
            owner: antq_core::reviews::Owner::Joint,
            stage: antq_core::reviews::Stage::years(2024, 2024),
            issue_date: parse_date("2024-12-20").unwrap(),
        },
    )
    .await
    .unwrap();
    let r = reviews::get(db, id).await.unwrap();
    let previous = r
        .snapshot
        .previous
        .as_ref()
        .expect("2023 is read with 2024");
    assert_eq!((previous.from, previous.to), (2023, 2023));
    let before = previous.totals["tt_buoi"].value;
    assert_eq!(before, ten_years.snapshot.by_year["tt_buoi"][&2023].value);
    assert!(
        !previous.totals.contains_key("mh_hien_co"),
        "a stock is never compared"
    );
    let now = r.snapshot.totals["tt_buoi"].value;
    let change = (now - before) / before;
    let word = if change > 0.0 { "tăng" } else { "giảm" };
    let expected = format!(
        "buổi ({word} {} so với năm 2023)",
        antq_core::text::format_percent(change.abs(), 1)
    );
    let text = &r.narrative[0].text;
    assert!(
        text.starts_with("Năm 2024, toàn tỉnh đã tổ chức tuyên truyền"),
        "{text}"
    );
    assert!(text.contains(&expected), "{expected}: {text}");
}
