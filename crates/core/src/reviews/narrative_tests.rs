//! Tests of the narrative: exact sentences for each rule.
use super::*;

fn line(issuer: &str, form: &str, kind: &str, count: i64) -> AwardLine {
    AwardLine {
        issuer: issuer.into(),
        form: form.into(),
        recipient_kind: kind.into(),
        count,
    }
}

#[test]
fn the_assessments_are_said_for_one_year() {
    let fig = |v: f64| Figure {
        value: v,
        qualifier: None,
        unapproved: 0.0,
        split: false,
        source: FigureSource::Register,
    };
    let mut figs = Figures::new();
    for (k, v) in [
        ("atan_cong_nhan", 98.0),
        ("atan_du_dieu_kien", 120.0),
        ("atan_ty_le", 81.7),
        ("pl_xuat_sac", 10.0),
        ("pl_kha", 60.0),
        ("pl_yeu", 2.0),
    ] {
        figs.insert(k.to_string(), fig(v));
    }
    let groups = [("danh_gia", "Công nhận, phân loại")];
    let year = narrative_for(&groups, &figs, &Stage::years(2024, 2024), "toàn tỉnh");
    assert_eq!(
        year[0].2,
        "Năm 2024, toàn tỉnh có 98 đơn vị được công nhận đạt tiêu chuẩn “An toàn về an ninh, trật tự” trên 120 đơn vị đủ điều kiện (đạt 81,7%); kết quả phân loại phong trào: 10 đơn vị xuất sắc, 60 đơn vị khá, 2 đơn vị yếu."
    );
    let stage = narrative_for(&groups, &figs, &Stage::years(2013, 2023), "toàn tỉnh");
    assert!(
        stage[0]
            .2
            .starts_with("Theo kết quả đánh giá gần nhất trong giai đoạn, toàn tỉnh có 98 đơn vị"),
        "never 'Qua 10 năm' for figures of one year: {}",
        stage[0].2
    );
    assert!(narrative_for(
        &groups,
        &Figures::new(),
        &Stage::years(2024, 2024),
        "toàn tỉnh"
    )
    .is_empty());
}

#[test]
fn the_awards_paragraph_reads_like_the_article() {
    let article = vec![
        line("Chủ tịch UBND tỉnh", "Bằng khen", "tap_the", 2),
        line("Chủ tịch UBND tỉnh", "Bằng khen", "ca_nhan", 5),
        line("Ủy ban MTTQ Việt Nam tỉnh", "Bằng khen", "tap_the", 2),
        line("Ủy ban MTTQ Việt Nam tỉnh", "Bằng khen", "ca_nhan", 10),
        line("Giám đốc Công an tỉnh", "Giấy khen", "tap_the", 15),
        line("Giám đốc Công an tỉnh", "Giấy khen", "ca_nhan", 22),
    ];
    // Over the stage, the register also holds a Bằng khen given in 2018.
    let mut stage = article.clone();
    stage[0].count = 3;
    let at_conference = |lines: Vec<AwardLine>| {
        Some(ConferenceAwards {
            id: 1,
            title: "Hội nghị tổng kết".into(),
            held_on: "2023-05-19".into(),
            lines,
        })
    };
    let awards = Awards {
        stage,
        conference: at_conference(article.clone()),
    };
    let mut figs = Figures::new();
    // The form's figure is not said when the register speaks.
    figs.insert(
        "kt_bang_khen.tap_the".into(),
        Figure {
            value: 9.0,
            qualifier: None,
            unapproved: 0.0,
            split: false,
            source: FigureSource::Form,
        },
    );
    let out = narrative_with_awards(
        &[("khen_thuong", "Khen thưởng")],
        &figs,
        &Stage::years(2013, 2023),
        "toàn tỉnh",
        &awards,
    );
    assert_eq!(
        out[0].2,
        "Qua 10 năm triển khai, các tập thể, cá nhân trong tỉnh đã được khen thưởng: \
         Chủ tịch UBND tỉnh tặng Bằng khen cho 3 tập thể, 5 cá nhân; \
         Ủy ban MTTQ Việt Nam tỉnh tặng Bằng khen cho 2 tập thể, 10 cá nhân; \
         Giám đốc Công an tỉnh tặng Giấy khen cho 15 tập thể, 22 cá nhân. \
         Nhân dịp này, Chủ tịch UBND tỉnh tặng Bằng khen cho 2 tập thể, 5 cá nhân; \
         Ủy ban MTTQ Việt Nam tỉnh tặng Bằng khen cho 2 tập thể, 10 cá nhân; \
         Giám đốc Công an tỉnh tặng Giấy khen cho 15 tập thể, 22 cá nhân."
    );
    // When every award of the stage was given at the conference, it is said once.
    let only_there = Awards {
        stage: article.iter().rev().cloned().collect(),
        conference: at_conference(article.clone()),
    };
    let out = narrative_with_awards(
        &[("khen_thuong", "Khen thưởng")],
        &figs,
        &Stage::years(2013, 2023),
        "toàn tỉnh",
        &only_there,
    );
    assert_eq!(
        out[0].2,
        "Nhân dịp này, Chủ tịch UBND tỉnh tặng Bằng khen cho 2 tập thể, 5 cá nhân; \
         Ủy ban MTTQ Việt Nam tỉnh tặng Bằng khen cho 2 tập thể, 10 cá nhân; \
         Giám đốc Công an tỉnh tặng Giấy khen cho 15 tập thể, 22 cá nhân."
    );
    // Without the register, the form figures are said as before.
    let form_only = narrative_for(
        &[("khen_thuong", "Khen thưởng")],
        &figs,
        &Stage::years(2023, 2023),
        "toàn tỉnh",
    );
    assert_eq!(
        form_only[0].2,
        "Năm 2023, toàn tỉnh đã tặng Bằng khen cho 9 tập thể."
    );
}

fn fig(v: f64) -> Figure {
    Figure {
        value: v,
        qualifier: None,
        unapproved: 0.0,
        split: false,
        source: FigureSource::Form,
    }
}

fn figures(pairs: &[(&str, f64)]) -> Figures {
    pairs
        .iter()
        .map(|(k, v)| (k.to_string(), fig(*v)))
        .collect()
}

fn facts<'a>(figs: &'a Figures, stage: Stage, scope: &str, awards: &'a Awards) -> Facts<'a> {
    Facts {
        figs,
        by_year: None,
        stage,
        scope: scope.into(),
        awards,
        previous: None,
        at: None,
    }
}

fn texts(out: &[(String, String, String)]) -> Vec<&str> {
    out.iter().map(|p| p.2.as_str()).collect()
}

#[test]
fn weapons_are_said_by_unit_of_measure_never_added() {
    let groups = [("vu_khi", "Vũ khí")];
    let figs = figures(&[
        ("vk_sung", 124.0),
        ("vk_dan", 2_150.0),
        ("vk_vln", 86.5),
        ("vk_cctht", 540.0),
    ]);
    let out = narrative_for(&groups, &figs, &Stage::years(2024, 2024), "toàn tỉnh");
    assert_eq!(
        texts(&out),
        ["Năm 2024, toàn tỉnh đã vận động Nhân dân giao nộp 124 khẩu súng các loại, 2.150 viên đạn, 86,5 kg vật liệu nổ, 540 công cụ hỗ trợ."]
    );
    // The old mixed figure alone: said, but never as one number.
    let old = figures(&[("vk_giao_nop", 860.0)]);
    let out = narrative_for(&groups, &old, &Stage::years(2015, 2015), "toàn tỉnh");
    assert_eq!(
        texts(&out),
        ["Năm 2015, toàn tỉnh đã vận động Nhân dân giao nộp vũ khí, vật liệu nổ, công cụ hỗ trợ các loại; \
          số liệu vũ khí, vật liệu nổ, công cụ hỗ trợ thống kê chung nhiều đơn vị tính (khẩu, quả, cái) \
          không cộng thành một con số, chi tiết tại bảng số liệu của mục này."]
    );
    // Both (a stage across the change): the units apart, the old figure pointed to.
    let mut both = figs.clone();
    both.insert("vk_giao_nop".into(), fig(860.0));
    let out = narrative_for(&groups, &both, &Stage::years(2013, 2023), "toàn tỉnh");
    assert!(out[0].2.starts_with("Qua 10 năm triển khai, toàn tỉnh đã vận động Nhân dân giao nộp 124 khẩu súng các loại, 2.150 viên đạn, 86,5 kg vật liệu nổ, 540 công cụ hỗ trợ. Ngoài ra, số liệu vũ khí"), "{}", out[0].2);
    assert!(!out[0].2.contains("860") && !out[0].2.contains("3.674"));
}

#[test]
fn every_figure_is_written_in_its_catalogue_unit() {
    for (key, unit, words) in WORDS {
        let seed = crate::indicators::seed(key).unwrap_or_else(|| panic!("{key}"));
        assert_eq!(seed.unit, *unit, "{key}");
        assert!(!words.is_empty());
    }
    // An indicator in several units is never written as a number.
    for seed in crate::indicators::INDICATORS {
        if seed.unit.contains(',') {
            assert!(!WORDS.iter().any(|w| w.0 == seed.code), "{}", seed.code);
        }
    }
    for k in crate::indicators::WEAPONS_BY_UNIT {
        assert!(WORDS.iter().any(|w| w.0 == *k), "{k}");
    }
    // Compared figures are flows.
    for k in MAIN {
        assert_eq!(
            crate::indicators::seed(k).unwrap().aggregation,
            Aggregation::Sum,
            "{k}"
        );
    }
}

#[test]
fn the_security_day_is_said_per_year() {
    let groups = [("ngay_hoi", "Ngày hội")];
    let figs = figures(&[("ngay_hoi", 1_540.0)]);
    let mut by_year: BTreeMap<String, BTreeMap<i32, Figure>> = BTreeMap::new();
    let years: BTreeMap<i32, Figure> = (2013..=2023)
        .map(|y| {
            (
                y,
                fig(if y == 2013 {
                    115.0
                } else if y == 2020 {
                    169.0
                } else {
                    140.0
                }),
            )
        })
        .collect();
    by_year.insert("ngay_hoi".into(), years);
    let awards = Awards::default();
    let mut f = facts(&figs, Stage::years(2013, 2023), "toàn tỉnh", &awards);
    f.by_year = Some(&by_year);
    assert_eq!(
        texts(&write(&groups, &f)),
        ["Qua 10 năm triển khai, hằng năm toàn tỉnh tổ chức Ngày hội toàn dân bảo vệ an ninh Tổ quốc (ANTQ) tại 115 – 169 điểm."]
    );
    // Some years without figures: said as such.
    let mut later = by_year.clone();
    later.get_mut("ngay_hoi").unwrap().retain(|y, _| *y >= 2018);
    f.by_year = Some(&later);
    assert_eq!(
        texts(&write(&groups, &f)),
        ["Trong 6 năm có số liệu, mỗi năm toàn tỉnh tổ chức Ngày hội toàn dân bảo vệ an ninh Tổ quốc (ANTQ) tại 140 – 169 điểm."]
    );
    // Without the figures by year: the sum is what it is, times held.
    let out = narrative_for(&groups, &figs, &Stage::years(2013, 2023), "toàn tỉnh");
    assert_eq!(
        texts(&out),
        ["Qua 10 năm triển khai, toàn tỉnh đã tổ chức 1.540 lượt Ngày hội toàn dân bảo vệ an ninh Tổ quốc (ANTQ) ở cơ sở."]
    );
    // One year: its sites.
    let one = figures(&[("ngay_hoi", 140.0)]);
    let out = narrative_for(&groups, &one, &Stage::years(2024, 2024), "toàn tỉnh");
    assert_eq!(
        texts(&out),
        ["Năm 2024, toàn tỉnh đã tổ chức Ngày hội toàn dân bảo vệ an ninh Tổ quốc (ANTQ) tại 140 điểm."]
    );
}

#[test]
fn stocks_are_said_at_their_date_in_their_own_sentence() {
    let groups = [("mo_hinh", "Mô hình")];
    let awards = Awards::default();
    let only = figures(&[("mh_hien_co", 4.0)]);
    let out = narrative_for(&groups, &only, &Stage::years(2023, 2023), "toàn xã");
    assert_eq!(
        texts(&out),
        ["Đến 31/12/2023, toàn xã hiện có 4 mô hình đang hoạt động."]
    );
    let with_flow = figures(&[("mh_hien_co", 4.0), ("mh_moi", 2.0)]);
    let out = narrative_for(&groups, &with_flow, &Stage::years(2023, 2023), "toàn xã");
    assert_eq!(
        texts(&out),
        ["Năm 2023, toàn xã đã xây dựng mới 2 mô hình về phòng, chống tội phạm. Đến 31/12/2023, toàn xã hiện có 4 mô hình đang hoạt động."]
    );
    let province = figures(&[
        ("mh_moi", 15.0),
        ("mh_nhan_rong", 30.0),
        ("mh_hien_co", 120.0),
        ("mh_loai_so", 44.0),
        ("tcqc_so", 4_378.0),
    ]);
    let out = narrative_for(&groups, &province, &Stage::years(2013, 2023), "toàn tỉnh");
    assert_eq!(
        texts(&out),
        ["Qua 10 năm triển khai, toàn tỉnh đã xây dựng mới 15 mô hình, nhân rộng 30 mô hình về phòng, chống tội phạm. \
          Đến 31/12/2023, toàn tỉnh hiện có 120 mô hình đang hoạt động thuộc 44 loại mô hình và 4.378 tổ chức quần chúng \
          bảo vệ an ninh, trật tự (ANTT) ở cơ sở."]
    );
    // A unit taken at an earlier date (merged in 2025): that date.
    let tcqc = figures(&[("tcqc_so", 2_140.0), ("mh_loai_so", 36.0)]);
    let mut f = facts(&tcqc, Stage::years(2025, 2025), "toàn tỉnh", &awards);
    f.at = Some("2025-06-30");
    assert_eq!(
        texts(&write(&groups, &f)),
        ["Đến 30/6/2025, toàn tỉnh hiện có 2.140 tổ chức quần chúng bảo vệ an ninh, trật tự (ANTT) ở cơ sở với 36 loại mô hình."]
    );
}

#[test]
fn main_flows_are_compared_with_the_stage_before() {
    let groups = [
        ("tuyen_truyen", "Tuyên truyền"),
        ("mo_hinh", "Mô hình"),
        ("giao_duc", "Giáo dục"),
    ];
    let figs = figures(&[
        ("tt_buoi", 3_600.0),
        ("tt_luot", 250_000.0),
        ("mh_hien_co", 130.0),
        ("gd_doi_tuong", 3_100.0),
    ]);
    let previous = Previous {
        from: 2023,
        to: 2023,
        half: None,
        totals: figures(&[
            ("tt_buoi", 3_200.0),
            ("tt_luot", 240_000.0),
            ("mh_hien_co", 120.0),
            ("gd_doi_tuong", 3_200.0),
        ]),
    };
    let awards = Awards::default();
    let mut f = facts(&figs, Stage::years(2024, 2024), "toàn tỉnh", &awards);
    f.previous = Some(&previous);
    assert_eq!(
        texts(&write(&groups, &f)),
        [
            "Năm 2024, toàn tỉnh đã tổ chức tuyên truyền, phát động phong trào được 3.600 buổi (tăng 12,5% so với năm 2023), với 250.000 lượt người tham dự.",
            // A stock is never compared.
            "Đến 31/12/2024, toàn tỉnh hiện có 130 mô hình đang hoạt động.",
            "Bên cạnh đó, toàn tỉnh đã cảm hóa, giáo dục, cải tạo tại gia đình và cộng đồng dân cư được 3.100 người lầm lỗi (giảm 3,1% so với năm 2023).",
        ]
    );
    // Approximate figures give an approximate change; nothing before, nothing said.
    let mut approx = figs.clone();
    approx.get_mut("tt_buoi").unwrap().qualifier = Some(Qualifier::MoreThan);
    f.figs = &approx;
    assert!(write(&groups[..1], &f)[0]
        .2
        .contains("(tăng khoảng 12,5% so với năm 2023)"));
    let empty = Previous {
        totals: Figures::new(),
        ..previous.clone()
    };
    f.previous = Some(&empty);
    assert!(!write(&groups, &f).iter().any(|p| p.2.contains("so với")));
    // The stage before, of equal length.
    assert_eq!(
        Previous::stage_before(&Stage::years(2013, 2023)),
        Stage::years(2002, 2012)
    );
    assert_eq!(
        Previous::stage_before(&Stage::years(2024, 2024)),
        Stage::years(2023, 2023)
    );
    let half = Previous::stage_before(&Stage::parse("2026S1", None).unwrap());
    assert_eq!((half.from, half.half), (2025, Some(1)));
    let before = Previous {
        from: 2002,
        to: 2012,
        half: None,
        totals: Figures::new(),
    };
    assert_eq!(before.against(), "so với giai đoạn 2002 – 2012");
    let h = Previous {
        from: 2025,
        to: 2025,
        half: Some(1),
        totals: Figures::new(),
    };
    assert_eq!(h.against(), "so với cùng kỳ năm 2025");
}

#[test]
fn paragraphs_open_in_turn() {
    let groups = [
        ("tuyen_truyen", "Tuyên truyền"),
        ("mo_hinh", "Mô hình"),
        ("nguon_tin", "Nguồn tin"),
        ("giao_duc", "Giáo dục"),
        ("vu_khi", "Vũ khí"),
        ("ngay_hoi", "Ngày hội"),
    ];
    let figs = figures(&[
        ("tt_buoi", 32_146.0),
        ("mh_moi", 38.0),
        ("yk_dong_gop", 12_360.0),
        ("gd_doi_tuong", 27_135.0),
        ("vk_sung", 124.0),
        ("ngay_hoi", 1_540.0),
    ]);
    let out = narrative_for(&groups, &figs, &Stage::years(2013, 2023), "toàn tỉnh");
    let openings: Vec<&str> = out.iter().map(|p| p.2.split(',').next().unwrap()).collect();
    assert_eq!(
        openings,
        [
            "Qua 10 năm triển khai",
            "Trong giai đoạn này",
            "Bên cạnh đó",
            "Đồng thời",
            "Ngoài ra",
            "Trong giai đoạn này"
        ]
    );
    assert_eq!(
        out[2].2,
        "Bên cạnh đó, Nhân dân trong tỉnh đã tham gia 12.360 ý kiến đóng góp xây dựng lực lượng Công an."
    );
    let year = narrative_for(&groups[..2], &figs, &Stage::years(2023, 2023), "toàn xã");
    assert!(year[1]
        .2
        .starts_with("Trong năm, toàn xã đã xây dựng mới 38 mô hình"));
}

#[test]
fn antq_and_antt_are_spelled_out_where_first_used() {
    let mut t = vec![
        "Tổ chức Ngày hội toàn dân bảo vệ ANTQ.".to_string(),
        "ANTT ổn định; Ngày hội ANTQ; ANTT.".to_string(),
    ];
    spell_out_first(&mut t);
    assert_eq!(
        t,
        [
            "Tổ chức Ngày hội toàn dân bảo vệ an ninh Tổ quốc (ANTQ).",
            "An ninh, trật tự (ANTT) ổn định; Ngày hội ANTQ; ANTT."
        ]
    );
    // Already introduced, or inside a longer word: left alone.
    let mut t = vec!["an ninh Tổ quốc (ANTQ) và ANTQ; ANTTX.".to_string()];
    spell_out_first(&mut t);
    assert_eq!(t, ["an ninh Tổ quốc (ANTQ) và ANTQ; ANTTX."]);
}

fn snapshot_2026_s1() -> Snapshot {
    Snapshot {
        unit_code: "82".into(),
        unit_name: "Tỉnh Đồng Tháp".into(),
        unit_kind: "Tỉnh".into(),
        is_nation: false,
        parent_name: None,
        level: "province".into(),
        at: "2026-07-10".into(),
        from: 2026,
        to: 2026,
        half: Some(1),
        map: "current".into(),
        lines: vec![],
        totals: figures(&[("tt_buoi", 30.0), ("mh_hien_co", 96.0)]),
        by_year: BTreeMap::new(),
        children: vec![],
        by_child: BTreeMap::new(),
        reports_total: 0,
        reports_approved: 0,
        pending: vec![],
        built_at: "2026-07-10T00:00:00Z".into(),
        programme: None,
        awards: Awards::default(),
        previous: None,
    }
}

#[test]
fn the_press_item_of_a_half_year_is_a_so_ket_by_both_bodies() {
    let s = snapshot_2026_s1();
    let narrative = s.narrative(&[("tuyen_truyen", "Tuyên truyền"), ("mo_hinh", "Mô hình")]);
    assert_eq!(
        texts(&narrative),
        [
            "Trong 6 tháng đầu năm 2026, toàn tỉnh đã tổ chức tuyên truyền, phát động phong trào được 30 buổi.",
            "Đến 30/6/2026, toàn tỉnh hiện có 96 mô hình đang hoạt động."
        ]
    );
    let (headline, body) = press_summary(&s, Owner::Joint, &narrative);
    assert_eq!(
        headline,
        "Đồng Tháp: Sơ kết 6 tháng đầu năm 2026 thực hiện phong trào Toàn dân bảo vệ an ninh Tổ quốc"
    );
    assert!(
        body.starts_with(
            "Công an tỉnh Đồng Tháp và Ban Thường trực Ủy ban MTTQ Việt Nam tỉnh Đồng Tháp sơ kết việc thực hiện phong trào \u{201C}Toàn dân bảo vệ an ninh Tổ quốc\u{201D}, 6 tháng đầu năm 2026. Trong 6 tháng đầu năm 2026,"
        ),
        "{body}"
    );
    let ten = Snapshot {
        from: 2013,
        to: 2023,
        half: None,
        ..snapshot_2026_s1()
    };
    let (_, body) = press_summary(&ten, Owner::Police, &[]);
    assert_eq!(
        body,
        "Công an tỉnh Đồng Tháp tổng kết việc thực hiện phong trào \u{201C}Toàn dân bảo vệ an ninh Tổ quốc\u{201D}, giai đoạn 2013 – 2023."
    );
}

#[test]
fn stored_reviews_without_previous_still_load() {
    let mut json = serde_json::to_value(snapshot_2026_s1()).unwrap();
    json.as_object_mut().unwrap().remove("previous");
    let back: Snapshot = serde_json::from_value(json).unwrap();
    assert_eq!(back.previous, None);
}

#[test]
fn the_assessments_of_a_stage_name_their_year_and_range() {
    let groups = [("danh_gia", "Công nhận, phân loại")];
    let figs = figures(&[("atan_cong_nhan", 98.0), ("pl_kha", 60.0)]);
    let mut by_year: BTreeMap<String, BTreeMap<i32, Figure>> = BTreeMap::new();
    by_year.insert(
        "atan_cong_nhan".into(),
        [(2021, fig(85.0)), (2022, fig(91.0)), (2023, fig(98.0))]
            .into_iter()
            .collect(),
    );
    let awards = Awards::default();
    let mut f = facts(&figs, Stage::years(2013, 2023), "toàn tỉnh", &awards);
    f.by_year = Some(&by_year);
    assert_eq!(
        texts(&write(&groups, &f)),
        ["Theo kết quả đánh giá năm 2023 (gần nhất trong giai đoạn), toàn tỉnh có 98 đơn vị được công nhận \
          đạt tiêu chuẩn “An toàn về an ninh, trật tự”; kết quả phân loại phong trào: 60 đơn vị khá. \
          Qua các năm, số đơn vị được công nhận đạt tiêu chuẩn “An toàn về an ninh, trật tự” mỗi năm \
          từ 85 đến 98 đơn vị."]
    );
}
