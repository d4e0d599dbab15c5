use super::*;
use crate::programmes::awards::RecipientKind::{Collective, Individual};

fn date(y: i32, m: u32, d: u32) -> Date {
    Date::from_ymd_opt(y, m, d).unwrap()
}

fn count(
    issuer: &str,
    form: &str,
    k: crate::programmes::awards::RecipientKind,
    n: i64,
) -> AwardCount {
    AwardCount {
        form: form.into(),
        issuer: issuer.into(),
        recipient_kind: k,
        count: n,
    }
}

/// The Điện Biên conference of 19/5/2023, as the article tells it.
fn dien_bien() -> PressInput {
    PressInput {
        kind: ConferenceKind::TongKet,
        title: "Hội nghị tổng kết 10 năm thực hiện Chương trình phối hợp số 09".into(),
        held_on: date(2023, 5, 19),
        place: String::new(),
        unit_name: "Điện Biên".into(),
        stage: Some((2013, 2023)),
        programme: Some(CitedProgramme {
            short: "Chương trình phối hợp số 09".into(),
            full: "Chương trình phối hợp số 09 giữa Bộ Công an với Ban thường trực Ủy ban Trung ương MTTQ Việt Nam".into(),
        }),
        organisers: vec![
            "Công an tỉnh Điện Biên".into(),
            "Ban Thường trực Ủy ban MTTQ tỉnh Điện Biên".into(),
        ],
        attendees: vec![Attendee {
            rank_title: "ông".into(),
            name: "Lê Thành Đô".into(),
            office: "Chủ tịch UBND tỉnh Điện Biên".into(),
            body: String::new(),
        }],
        figures: vec!["Toàn tỉnh có 4.378 tổ chức quần chúng bảo vệ an ninh, trật tự cơ sở.".into()],
        signed: Vec::new(),
        awards: vec![
            count("Chủ tịch UBND tỉnh", "Bằng khen", Collective, 2),
            count("Chủ tịch UBND tỉnh", "Bằng khen", Individual, 5),
            count("Ủy ban MTTQ Việt Nam tỉnh", "Bằng khen", Collective, 2),
            count("Ủy ban MTTQ Việt Nam tỉnh", "Bằng khen", Individual, 10),
            count("Công an tỉnh", "Giấy khen", Collective, 15),
            count("Công an tỉnh", "Giấy khen", Individual, 22),
        ],
        author: "T.L".into(),
        written_on: date(2023, 5, 20),
    }
}

#[test]
fn the_headline_names_the_province_the_stage_and_the_programme() {
    assert_eq!(
        press_draft(&dien_bien()).headline,
        "Điện Biên: Tổng kết 10 năm thực hiện Chương trình phối hợp số 09"
    );
}

#[test]
fn the_lead_carries_the_date_the_organisers_and_the_stage() {
    assert_eq!(
        press_draft(&dien_bien()).lead,
        "Ngày 19/5, Công an tỉnh Điện Biên và Ban Thường trực Ủy ban MTTQ tỉnh Điện Biên \
         tổ chức Hội nghị tổng kết 10 năm (2013 – 2023) thực hiện Chương trình phối hợp số 09 \
         giữa Bộ Công an với Ban thường trực Ủy ban Trung ương MTTQ Việt Nam."
    );
}

#[test]
fn a_date_of_another_year_keeps_its_year() {
    let mut i = dien_bien();
    i.written_on = date(2026, 1, 5);
    assert!(press_draft(&i)
        .lead
        .starts_with("Ngày 19/5/2023, Công an tỉnh Điện Biên"));
}

#[test]
fn the_body_has_figures_attendees_awards_by_issuer_and_the_author_line() {
    let body = press_draft(&dien_bien()).body;
    let paragraphs: Vec<&str> = body.split("\n\n").collect();
    assert_eq!(
        paragraphs,
        vec![
            "Toàn tỉnh có 4.378 tổ chức quần chúng bảo vệ an ninh, trật tự cơ sở.",
            "Dự hội nghị có ông Lê Thành Đô - Chủ tịch UBND tỉnh Điện Biên.",
            "Nhân dịp này, Chủ tịch UBND tỉnh tặng Bằng khen cho 2 tập thể, 5 cá nhân; \
             Ủy ban MTTQ Việt Nam tỉnh tặng Bằng khen cho 2 tập thể, 10 cá nhân; \
             Công an tỉnh tặng Giấy khen cho 15 tập thể, 22 cá nhân.",
            "T.L tổng hợp",
        ]
    );
}

#[test]
fn dong_thap_attendees_and_the_plan_signed() {
    let mut i = dien_bien();
    i.unit_name = "Đồng Tháp".into();
    i.held_on = date(2023, 5, 18);
    i.organisers = vec![
        "Công an tỉnh Đồng Tháp".into(),
        "Ban Thường trực Ủy ban MTTQ Việt Nam tỉnh Đồng Tháp".into(),
    ];
    i.attendees = vec![
        Attendee {
            rank_title: "Trung tá".into(),
            name: "Nguyễn Thế Nam".into(),
            office: "Trưởng phòng công tác dân vận".into(),
            body: "Bộ Công an".into(),
        },
        Attendee {
            rank_title: "Đại tá".into(),
            name: "Nguyễn Thanh Hải".into(),
            office: "Phó Giám đốc Công an tỉnh Đồng Tháp".into(),
            body: String::new(),
        },
    ];
    i.figures.clear();
    i.awards.clear();
    i.signed = vec!["Kế hoạch phối hợp phát huy vai trò Tổ Nhân dân tự quản tham gia xây dựng khu dân cư \u{201C}An ninh - An toàn - An dân\u{201D}".into()];
    let d = press_draft(&i);
    assert!(d
        .lead
        .starts_with("Ngày 18/5, Công an tỉnh Đồng Tháp và Ban Thường trực"));
    assert_eq!(
        d.body,
        "Dự hội nghị có Trung tá Nguyễn Thế Nam - Trưởng phòng công tác dân vận, Bộ Công an; \
         Đại tá Nguyễn Thanh Hải - Phó Giám đốc Công an tỉnh Đồng Tháp.\n\n\
         Tại hội nghị, 2 đơn vị đã ký kết kế hoạch phối hợp phát huy vai trò Tổ Nhân dân tự quản \
         tham gia xây dựng khu dân cư \u{201C}An ninh - An toàn - An dân\u{201D}.\n\n\
         T.L tổng hợp"
    );
}

#[test]
fn an_event_without_a_programme_is_named_by_its_title() {
    let mut i = dien_bien();
    i.kind = ConferenceKind::NgayHoi;
    i.title = "Ngày hội toàn dân bảo vệ ANTQ năm 2024".into();
    i.programme = None;
    i.place = "xã Thanh Nưa".into();
    i.written_on = date(2024, 8, 20);
    i.held_on = date(2024, 8, 19);
    let d = press_draft(&i);
    assert_eq!(
        d.headline,
        "Điện Biên: Ngày hội toàn dân bảo vệ ANTQ năm 2024"
    );
    assert!(d
        .lead
        .contains("tổ chức Ngày hội toàn dân bảo vệ ANTQ năm 2024 tại xã Thanh Nưa."));
    assert!(d.body.contains("Dự ngày hội có"));
}

#[test]
fn nothing_to_say_leaves_no_empty_paragraph() {
    let mut i = dien_bien();
    i.figures.clear();
    i.attendees.clear();
    i.awards.clear();
    i.author.clear();
    assert_eq!(press_draft(&i).body, "");
}

#[test]
fn kinds_parse_from_codes_and_words() {
    assert_eq!(
        ConferenceKind::parse("tong_ket").unwrap(),
        ConferenceKind::TongKet
    );
    assert_eq!(
        ConferenceKind::parse("hội nghị sơ kết").unwrap(),
        ConferenceKind::SoKet
    );
    assert!(ConferenceKind::parse("tiệc")
        .unwrap_err()
        .to_string()
        .contains("Loại sự kiện"));
    assert_eq!(
        ConferenceKind::NgayHoi.word_vi(),
        "Ngày hội toàn dân bảo vệ ANTQ"
    );
}

#[test]
fn dates_and_initials_as_the_press_writes_them() {
    assert_eq!(day_month(date(2023, 5, 9)), "9/5");
    assert_eq!(day_month_year(date(2023, 5, 19)), "19/5/2023");
    assert_eq!(initials("Trần Lâm"), "T.L");
    assert_eq!(initials("  nguyễn văn an "), "N.V.A");
    assert_eq!(initials("Cán bộ Công an tỉnh Điện Biên"), "");
    assert_eq!(initials("quantri"), "");
}
