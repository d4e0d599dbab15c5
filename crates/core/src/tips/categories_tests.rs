//! Tests of [`super`]: the seeded categories, the category check and the
//! answers check.

use super::*;

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 12, 3).unwrap()
}

fn by_code(code: &str) -> Category {
    default_categories()
        .into_iter()
        .find(|c| c.code == code)
        .unwrap()
}

fn answers(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
    pairs
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

#[test]
fn the_default_categories_pass_their_own_check() {
    let cats = default_categories();
    let codes: Vec<_> = cats.iter().map(|c| c.code.as_str()).collect();
    assert_eq!(
        codes,
        [
            "ma_tuy",
            "tin_dung_den",
            "lua_dao_mang",
            "trom_cap",
            "antt_khu_dan_cu",
            "khac"
        ]
    );
    for c in cats {
        assert!((2..=5).contains(&c.questions.len()), "{}", c.code);
        assert_eq!(c.scam, c.code == "lua_dao_mang");
        let want = if c.code == "khac" { 730 } else { 1826 };
        assert_eq!(c.retention_days, want);
        assert!(c.active);
        let checked = check_category(c.clone()).unwrap_or_else(|e| panic!("{}: {e}", c.code));
        assert_eq!(checked, c, "the seed is already NFC and trimmed");
    }
    let scam = by_code("lua_dao_mang");
    assert_eq!(
        scam.questions[0].options,
        ["Điện thoại", "Tin nhắn", "Mạng xã hội", "Website", "Khác"]
    );
}

#[test]
fn question_kinds_serialise_lowercase() {
    assert_eq!(
        serde_json::to_string(&QuestionKind::LongText).unwrap(),
        "\"longtext\""
    );
    assert_eq!(QuestionKind::Choice.label_vi(), "Chọn một");
    let back: Category =
        serde_json::from_str(&serde_json::to_string(&by_code("ma_tuy")).unwrap()).unwrap();
    assert_eq!(back, by_code("ma_tuy"));
}

fn refused(edit: impl FnOnce(&mut Category)) -> String {
    let mut c = by_code("ma_tuy");
    edit(&mut c);
    check_category(c).unwrap_err().to_string()
}

#[test]
fn category_edits_are_checked_naming_the_question() {
    assert!(refused(|c| c.code = "Ma tuy".into()).starts_with("Mã loại tin báo"));
    assert!(refused(|c| c.code = "m".into()).starts_with("Mã loại tin báo"));
    assert_eq!(
        refused(|c| c.name = "  ".into()),
        "Tên loại tin báo còn trống"
    );
    assert!(refused(|c| c.name = "x".repeat(201)).contains("vượt giới hạn 200 ký tự"));
    assert!(refused(|c| c.description = "x".repeat(2001)).contains("2.000"));
    assert!(refused(|c| c.questions[1].key = "Tần suất".into()).starts_with("Câu hỏi thứ 2"));
    assert_eq!(
        refused(|c| c.questions[2].key = "hoat_dong".into()),
        "Câu hỏi thứ 3 có mã trùng với một câu hỏi trước: hoat_dong"
    );
    assert_eq!(
        refused(|c| c.questions[1].label = "".into()),
        "Nội dung câu hỏi thứ 2 còn trống"
    );
    assert!(refused(|c| c.questions[0].help = "x".repeat(1001))
        .starts_with("Hướng dẫn của câu hỏi thứ 1"));
    assert_eq!(
        refused(|c| c.questions[0].options.truncate(1)),
        "Câu hỏi thứ 1 (chọn một) cần từ 2 đến 30 lựa chọn"
    );
    assert_eq!(
        refused(|c| c.questions[0].options.push("mua bán".into())),
        "Câu hỏi thứ 1 có hai lựa chọn trùng nhau: mua bán"
    );
    assert_eq!(
        refused(|c| c.questions[2].options.push("A".into())),
        "Câu hỏi thứ 3 không phải câu hỏi chọn một nên không có lựa chọn"
    );
    assert!(refused(|c| c.questions[0].label.push('\u{7}')).contains("không in được"));
    assert!(refused(|c| c.retention_days = 29).contains("từ 30 đến 3.653 ngày"));
    assert!(refused(|c| c.retention_days = 3654).contains("3.654 ngày"));
    assert!(refused(|c| {
        let extra = c.questions[2].clone();
        for i in 0..28 {
            let mut e = extra.clone();
            e.key = format!("q{i}");
            c.questions.push(e);
        }
    })
    .contains("vượt giới hạn 30 câu"));
}

#[test]
fn category_texts_come_back_nfc_and_trimmed() {
    use unicode_normalization::UnicodeNormalization;
    let mut c = by_code("ma_tuy");
    c.name = format!(" {} ", "Tội phạm ma túy".nfd().collect::<String>());
    let c = check_category(c).unwrap();
    assert_eq!(c.name, "Tội phạm ma túy");
}

#[test]
fn good_answers_are_kept_and_empty_optional_ones_dropped() {
    let cat = by_code("ma_tuy");
    let a = check_answers(
        &cat,
        answers(&[
            ("hoat_dong", "mua ban"),
            ("tan_suat", ""),
            ("dac_diem", "  Xe máy đỏ,\nbiển 27B1  "),
        ]),
        today(),
    )
    .unwrap();
    assert_eq!(a.0.get("hoat_dong").unwrap(), "Mua bán");
    assert!(!a.0.contains_key("tan_suat"));
    assert_eq!(a.0.get("dac_diem").unwrap(), "Xe máy đỏ,\nbiển 27B1");
    assert_eq!(
        serde_json::to_string(&a).unwrap(),
        r#"{"dac_diem":"Xe máy đỏ,\nbiển 27B1","hoat_dong":"Mua bán"}"#
    );
}

#[test]
fn answers_are_refused_when_they_break_the_questionnaire() {
    let cat = by_code("ma_tuy");
    let e = |pairs: &[(&str, &str)]| {
        check_answers(&cat, answers(pairs), today())
            .unwrap_err()
            .to_string()
    };
    assert!(e(&[("hoat_dong", "Mua bán"), ("la", "x")]).contains("không có trong bộ câu hỏi"));
    assert_eq!(
        e(&[("hoat_dong", "Mua bán"), ("hoat_dong", "Sử dụng")]),
        "Câu hỏi \"Bạn thấy hoạt động gì?\" được trả lời hai lần"
    );
    assert_eq!(
        e(&[("tan_suat", "Một lần")]),
        "Xin trả lời câu hỏi \"Bạn thấy hoạt động gì?\""
    );
    assert_eq!(
        e(&[("hoat_dong", "  ")]),
        "Xin trả lời câu hỏi \"Bạn thấy hoạt động gì?\""
    );
    assert!(e(&[("hoat_dong", "Buôn lậu")]).contains("không nằm trong các lựa chọn"));
    assert!(e(&[("hoat_dong", "Mua bán"), ("dac_diem", &"x".repeat(5001))]).contains("5.000"));
    assert!(e(&[("hoat_dong", "Mua\u{202e}bán")]).contains("không in được"));
}

#[test]
fn text_answers_are_bounded_and_the_total_too() {
    let cat = by_code("lua_dao_mang");
    let r = check_answers(
        &cat,
        answers(&[("cach_lien_lac", "Website"), ("so_tien", &"9".repeat(501))]),
        today(),
    );
    assert!(r
        .unwrap_err()
        .to_string()
        .contains("vượt giới hạn 500 ký tự"));
    let mut big = by_code("khac");
    for i in 0..5 {
        big.questions.push(Question {
            key: format!("doan_{i}"),
            label: format!("Đoạn {i}"),
            help: String::new(),
            kind: QuestionKind::LongText,
            required: false,
            options: vec![],
        });
    }
    let long = "ư".repeat(4_500);
    let raw: Vec<_> = (0..5)
        .map(|i| (format!("doan_{i}"), long.clone()))
        .collect();
    let e = check_answers(&big, raw, today()).unwrap_err().to_string();
    assert_eq!(
        e,
        "Các câu trả lời dài 22.500 ký tự, vượt giới hạn 20.000 ký tự"
    );
}

#[test]
fn dates_in_either_form_not_in_the_future() {
    let cat = by_code("trom_cap");
    let ok = |d: &str| {
        check_answers(
            &cat,
            answers(&[("tai_san", "Xe máy"), ("ngay_xay_ra", d)]),
            today(),
        )
        .map(|a| a.0["ngay_xay_ra"].clone())
    };
    assert_eq!(ok("01/12/2026").unwrap(), "01/12/2026");
    assert_eq!(ok("2026-12-03").unwrap(), "03/12/2026");
    assert!(ok("04/12/2026")
        .unwrap_err()
        .to_string()
        .contains("trong tương lai"));
    assert!(ok("31/02/2026")
        .unwrap_err()
        .to_string()
        .contains("không phải ngày hợp lệ"));
    assert!(ok("hôm qua").is_err());
}

#[test]
fn retention_reads_in_days_and_years() {
    assert_eq!(retention_words(1826), "1.826 ngày (5 năm)");
    assert_eq!(retention_words(730), "730 ngày (2 năm)");
    assert_eq!(retention_words(3653), "3.653 ngày (10 năm)");
    assert_eq!(retention_words(365), "365 ngày (1 năm)");
    assert_eq!(retention_words(1000), "1.000 ngày (khoảng 2,7 năm)");
    assert_eq!(retention_words(90), "90 ngày (khoảng 3 tháng)");
    assert_eq!(retention_words(30), "30 ngày");
}

#[test]
fn question_kinds_have_names_and_words() {
    for k in QuestionKind::ALL {
        assert_eq!(QuestionKind::parse(k.as_str()), Some(k));
        let json = serde_json::to_string(&k).unwrap();
        assert_eq!(json, format!("\"{}\"", k.as_str()));
        assert!(!k.label_vi().is_ascii(), "{}", k.label_vi());
    }
    assert_eq!(QuestionKind::parse("long"), None);
}

#[test]
fn labels_and_options_are_one_line_and_never_only_invisible() {
    let mut c = by_code("lua_dao_mang");
    let q = c
        .questions
        .iter_mut()
        .find(|q| q.kind == QuestionKind::Choice)
        .unwrap();
    q.options[0] = "Điện\nthoại".into();
    let checked = check_category(c).unwrap();
    let q = checked
        .questions
        .iter()
        .find(|q| q.kind == QuestionKind::Choice)
        .unwrap();
    assert_eq!(q.options[0], "Điện thoại");
    let mut c = by_code("khac");
    c.name = "\u{200b}".into();
    let e = check_category(c).unwrap_err();
    assert!(e.to_string().contains("còn trống"), "{e}");
}
