//! Tests of `review`: the Word and Excel files of a review.
use super::*;
use antq_core::indicators::Qualifier;
use antq_core::reviews::{self, Line, Owner};
use std::collections::BTreeMap;
use std::io::Read;

fn f(v: f64) -> Figure {
    Figure {
        value: v,
        qualifier: None,
        unapproved: 0.0,
        split: false,
        source: Default::default(),
    }
}

fn snapshot() -> Snapshot {
    let line = |k: &str, n: &str, u: &str, g: &str| Line {
        key: k.into(),
        name: n.into(),
        unit: u.into(),
        group: g.into(),
    };
    let mut totals = BTreeMap::new();
    totals.insert("tt_buoi".to_string(), f(32_146.0));
    totals.insert(
        "tt_luot".to_string(),
        Figure {
            qualifier: Some(Qualifier::MoreThan),
            unapproved: 1_000.0,
            ..f(3_048_210.0)
        },
    );
    totals.insert("gd_doi_tuong".to_string(), f(27_135.0));
    let mut by_year = BTreeMap::new();
    by_year.insert(
        "tt_buoi".to_string(),
        (2013..=2023)
            .map(|y| (y, f(2_900.0 + f64::from(y - 2013))))
            .collect(),
    );
    let mut by_child = BTreeMap::new();
    by_child.insert(
        "tt_buoi".to_string(),
        [
            ("01".to_string(), f(20_000.0)),
            ("02".to_string(), f(12_146.0)),
        ]
        .into_iter()
        .collect(),
    );
    Snapshot {
        unit_code: "87".into(),
        unit_name: "Tỉnh Đồng Tháp".into(),
        unit_kind: "Tỉnh".into(),
        is_nation: false,
        parent_name: None,
        level: "province".into(),
        at: "2023-05-18".into(),
        from: 2013,
        to: 2023,
        half: None,
        map: "historical".into(),
        lines: vec![
            line("tt_buoi", "Buổi tuyên truyền", "buổi", "tuyen_truyen"),
            line(
                "tt_luot",
                "Lượt người tham dự",
                "lượt người",
                "tuyen_truyen",
            ),
            line(
                "gd_doi_tuong",
                "Người lầm lỗi được giáo dục",
                "người",
                "giao_duc",
            ),
        ],
        totals,
        by_year,
        children: vec![
            ("01".into(), "Huyện Cao Lãnh".into()),
            ("02".into(), "Thành phố Sa Đéc".into()),
        ],
        by_child,
        reports_total: 10,
        reports_approved: 9,
        pending: vec![],
        built_at: "2023-05-17T08:00:00Z".into(),
        programme: None,
        awards: Default::default(),
        previous: None,
    }
}

fn entry(zip: &[u8], name: &str) -> Vec<u8> {
    let mut a = zip::ZipArchive::new(std::io::Cursor::new(zip)).unwrap();
    let mut out = Vec::new();
    a.by_name(name).unwrap().read_to_end(&mut out).unwrap();
    out
}

fn text_of(zip: &[u8], name: &str) -> String {
    String::from_utf8(entry(zip, name)).unwrap()
}

fn narrative_of(s: &Snapshot) -> Vec<Paragraph> {
    s.narrative(&[("tuyen_truyen", "Tuyên truyền"), ("giao_duc", "Giáo dục")])
        .into_iter()
        .map(|(group, heading, text)| Paragraph {
            group,
            heading,
            text,
        })
        .collect()
}

fn header_of(s: &Snapshot, owner: Owner) -> Header {
    reviews::header(
        s,
        owner,
        antq_core::dates::parse_date("2023-05-18").unwrap(),
        &reviews::Choices::default(),
    )
}

/// The ten-year template with the situation typed (bold, a list, a table)
/// and the leadership section left unwritten.
fn sections() -> Vec<Section> {
    use antq_core::reviews::document::{default_template, TemplateKind};
    let mut v = default_template(TemplateKind::Ten);
    v[0].text = "Tỉnh có **34** xã, phường.\n\n- Địa bàn rộng\n- Dân cư *phân tán*\n\n\
                 | Năm | Số vụ |\n|---|---|\n| 2023 | 12 |"
        .into();
    v
}

fn build() -> (Vec<u8>, Snapshot) {
    let s = snapshot();
    let h = header_of(&s, Owner::Joint);
    (docx(&doc(&h, &s, &narrative_of(&s))).unwrap(), s)
}

fn doc<'a>(h: &'a Header, s: &'a Snapshot, narrative: &'a [Paragraph]) -> ReviewDoc<'a> {
    ReviewDoc {
        header: h,
        sections: &[],
        snapshot: s,
        narrative,
    }
}

/// A joint review with the template's sections, signers named, maybe a draft.
fn full(owner: Owner, draft: Option<&str>) -> String {
    let s = snapshot();
    let mut h = header_of(&s, owner);
    h.draft = draft.map(str::to_string);
    h.signers[0].authority = reviews::signing::Authority::Deputy;
    h.signers[0].for_whom = "GIÁM ĐỐC".into();
    h.signers[0].position = "PHÓ GIÁM ĐỐC".into();
    h.signers[0].rank = "Đại tá".into();
    h.signers[0].name = "Nguyễn Thanh Hải".into();
    let sections = sections();
    let narrative = narrative_of(&s);
    let bytes = docx(&ReviewDoc {
        header: &h,
        sections: &sections,
        snapshot: &s,
        narrative: &narrative,
    })
    .unwrap();
    text_of(&bytes, "word/document.xml")
}

/// Where `needle` first occurs, or a failure naming it.
fn at(hay: &str, needle: &str) -> usize {
    hay.find(needle)
        .unwrap_or_else(|| panic!("{needle} missing"))
}

/// The paragraph (`<w:p>…</w:p>`) that holds `needle`.
fn para_of<'a>(xml: &'a str, needle: &str) -> &'a str {
    let i = at(xml, needle);
    let start = xml[..i].rfind("<w:p>").unwrap();
    let end = i + xml[i..].find("</w:p>").unwrap();
    &xml[start..end]
}

/// The run (`<w:r>…</w:r>`) that holds `needle`.
fn run_of<'a>(xml: &'a str, needle: &str) -> &'a str {
    let i = at(xml, needle);
    let start = xml[..i].rfind("<w:r>").unwrap();
    &xml[start..i]
}

#[test]
fn the_docx_has_the_decree_layout_and_the_figures() {
    let (bytes, _) = build();
    let doc = text_of(&bytes, "word/document.xml");
    // A4, margins 20/20/30/20 mm, page numbers from page 2 (title page header is empty).
    assert!(doc.contains("<w:pgSz w:w=\"11906\" w:h=\"16838\"/>"));
    assert!(doc.contains("w:top=\"1134\" w:right=\"1134\" w:bottom=\"1134\" w:left=\"1701\""));
    assert!(doc.contains("<w:titlePg/>"));
    let header = text_of(&bytes, "word/header1.xml");
    assert!(header.contains("PAGE"));
    let styles = text_of(&bytes, "word/styles.xml");
    assert!(styles.contains("w:ascii=\"Times New Roman\""));
    assert!(styles.contains("<w:sz w:val=\"28\"/>"), "14 pt body");
    for (id, level) in [("Heading1", 0), ("Heading2", 1)] {
        let style = &styles[at(&styles, &format!("w:styleId=\"{id}\""))..];
        let style = &style[..at(style, "</w:style>")];
        assert!(
            style.contains(&format!("<w:outlineLvl w:val=\"{level}\"/>")),
            "{id}"
        );
    }
    for text in [
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "Đồng Tháp, ngày 18 tháng 5 năm 2023",
        "BÁO CÁO",
        "Tổng kết 10 năm thực hiện phong trào \u{201C}Toàn dân bảo vệ an ninh Tổ quốc\u{201D}, giai đoạn 2013 – 2023",
        "<w:t xml:space=\"preserve\">Số:        /BC-CAT-MTTQ</w:t>",
        "Nơi nhận:",
        "TM. BAN THƯỜNG TRỰC",
        "32.146",
        "hơn 3.048.210",
        "được 32.146 buổi, với hơn 3 triệu lượt người tham dự",
        "Huyện Cao Lãnh",
        "I. KẾT QUẢ ĐẠT ĐƯỢC",
    ] {
        assert!(doc.contains(text), "{text} missing");
    }
    assert!(
        !doc.contains("II. GHI CHÚ VỀ SỐ LIỆU"),
        "the data note left the body"
    );
    assert!(doc.contains("<w:jc w:val=\"both\"/>") && doc.contains("w:firstLine=\"720\""));
    // Tables: the header block, propaganda by year, education by year, the
    // signatures, then in the annex propaganda by district.
    assert_eq!(doc.matches("<w:tbl>").count(), 5);
    // Two charts for propaganda (years, districts); education has no yearly figures, so none.
    assert_eq!(doc.matches("<pic:pic>").count(), 2);
    let png = entry(&bytes, "word/media/chart1.png");
    assert_eq!(&png[..4], b"\x89PNG");
    // Built twice, the file is the same byte for byte.
    assert_eq!(build().0, bytes);
}

#[test]
fn co_issuers_are_equals_and_a_single_issuer_has_its_parent() {
    let doc = full(Owner::Joint, None);
    let head = &doc[..at(&doc, "</w:tbl>")];
    assert_eq!(
        head.matches("<w:tr>").count(),
        2,
        "issuers and title, then Số and date"
    );
    for name in [
        "CÔNG AN TỈNH ĐỒNG THÁP",
        "BAN THƯỜNG TRỰC",
        "ỦY BAN MTTQ VIỆT NAM",
        "TỈNH ĐỒNG THÁP",
    ] {
        assert!(run_of(head, name).contains("<w:b/>"), "{name} bold");
    }
    // Each issuer has its own rule; the motto has the third.
    assert_eq!(head.matches("<w:pBdr><w:bottom").count(), 3);
    assert!(
        at(head, "CÔNG AN TỈNH ĐỒNG THÁP") < at(head, "BAN THƯỜNG TRỰC"),
        "the leading body first"
    );
    // "Số:" and the place and date share the second row.
    let row2 = &head[head.rfind("<w:tr>").unwrap()..];
    assert!(
        row2.contains("Số:        /BC-CAT-MTTQ")
            && row2.contains("Đồng Tháp, ngày 18 tháng 5 năm 2023")
    );
    assert!(run_of(row2, "Đồng Tháp, ngày").contains("<w:i/>"));

    let single = full(Owner::Police, None);
    let head = &single[..at(&single, "</w:tbl>")];
    assert!(
        !run_of(head, "BỘ CÔNG AN").contains("<w:b/>"),
        "the parent upright"
    );
    assert!(run_of(head, "CÔNG AN TỈNH ĐỒNG THÁP").contains("<w:b/>"));
    assert_eq!(head.matches("<w:pBdr><w:bottom").count(), 2);
}

#[test]
fn sections_follow_the_template_with_heading_styles() {
    let doc = full(Owner::Joint, None);
    let headings = [
        "I. ĐẶC ĐIỂM TÌNH HÌNH",
        "II. CÔNG TÁC LÃNH ĐẠO, CHỈ ĐẠO, TRIỂN KHAI",
        "III. KẾT QUẢ ĐẠT ĐƯỢC",
        "IV. ĐÁNH GIÁ CHUNG",
        "V. BÀI HỌC KINH NGHIỆM",
        "VI. PHƯƠNG HƯỚNG, NHIỆM VỤ GIAI ĐOẠN TỚI",
        "VII. ĐỀ XUẤT, KIẾN NGHỊ",
    ];
    let mut last = 0;
    for h in headings {
        let i = at(&doc, h);
        assert!(i > last, "{h} out of order");
        assert!(
            para_of(&doc, h).contains("<w:pStyle w:val=\"Heading1\"/>"),
            "{h}"
        );
        last = i;
    }
    assert!(para_of(&doc, "1. Tuyên truyền").contains("<w:pStyle w:val=\"Heading2\"/>"));
    assert!(
        para_of(&doc, "1. Ưu điểm").contains("Heading2"),
        "a bold typed line is a sub-heading"
    );
    // The typed situation: bold and italic runs, a list item, a ruled table.
    assert!(run_of(&doc, ">34<").contains("<w:b/>"));
    assert!(run_of(&doc, ">phân tán<").contains("<w:i/>"));
    let item = para_of(&doc, "Địa bàn rộng");
    assert!(
        item.contains("w:hanging=\"357\"") && item.contains("<w:tab/>"),
        "{item}"
    );
    let situation = &doc[at(&doc, "I. ĐẶC ĐIỂM")..at(&doc, "II. CÔNG TÁC")];
    assert!(
        situation.contains("<w:insideH w:val=\"single\""),
        "a ruled table"
    );
    assert!(run_of(situation, ">Số vụ<").contains("<w:b/>"));
    assert!(
        situation.contains("w:fill=\"E7E9EC\""),
        "the first row shaded"
    );
    // Unwritten: a line of dots, for a paper draft.
    let leadership = &doc[at(&doc, "II. CÔNG TÁC")..at(&doc, "III. KẾT QUẢ")];
    assert!(leadership.contains(super::body::DOTS));
}

#[test]
fn the_closing_signatures_and_recipients_close_the_body() {
    let doc = full(Owner::Joint, None);
    let closing = "Trên đây là Báo cáo tổng kết 10 năm thực hiện phong trào";
    assert!(
        para_of(&doc, closing).contains("<w:keepNext/>"),
        "kept with the signatures"
    );
    let after = &doc[at(&doc, closing)..at(&doc, "PHỤ LỤC")];
    for (line, bold) in [
        ("KT. GIÁM ĐỐC", true),
        ("PHÓ GIÁM ĐỐC", true),
        ("Đại tá Nguyễn Thanh Hải", true),
        ("TM. BAN THƯỜNG TRỰC", true),
        ("CHỦ TỊCH", true),
        ("Nơi nhận:", true),
    ] {
        assert_eq!(run_of(after, line).contains("<w:b/>"), bold, "{line}");
    }
    // Side by side, top-aligned, not split; the leading body (police) on the right.
    let table = &after[at(after, "<w:tbl>")..at(after, "</w:tbl>")];
    assert!(table.contains("<w:cantSplit/>") && table.contains("<w:vAlign w:val=\"top\"/>"));
    assert!(at(table, "TM. BAN THƯỜNG TRỰC") < at(table, "KT. GIÁM ĐỐC"));
    assert_eq!(
        table.matches("<w:gridCol w:w=\"4535\"/>").count(),
        2,
        "equal columns"
    );
    assert!(table.contains("w:before=\"1400\""), "room to sign");
    assert!(
        at(after, "</w:tbl>") < at(after, "Nơi nhận:"),
        "recipients below"
    );
    assert!(after.contains("Cục Xây dựng phong trào bảo vệ ANTQ – Bộ Công an;"));

    // One issuer: "Nơi nhận" left, the signature right, in one row.
    let single = full(Owner::Police, None);
    let after = &single[at(&single, "Trên đây là Báo cáo")..at(&single, "PHỤ LỤC")];
    let table = &after[at(after, "<w:tbl>")..at(after, "</w:tbl>")];
    assert!(at(table, "Nơi nhận:") < at(table, "KT. GIÁM ĐỐC"));
}

#[test]
fn the_data_note_is_a_footnote_and_ends_the_annex() {
    let s = snapshot();
    let h = header_of(&s, Owner::Joint);
    let narrative = narrative_of(&s);
    let bytes = docx(&doc(&h, &s, &narrative)).unwrap();
    let doc = text_of(&bytes, "word/document.xml");
    let notes = text_of(&bytes, "word/footnotes.xml");
    assert!(notes.contains("w:type=\"separator\"") && notes.contains("continuationSeparator"));
    assert!(notes.contains("<w:footnote w:id=\"1\">"));
    assert!(notes.contains("Số liệu tổng hợp đến ngày 17/05/2023 từ các báo cáo đã được duyệt (9 trên 10 báo cáo) của tỉnh Đồng Tháp"), "{notes}");
    assert!(para_of(&doc, "I. KẾT QUẢ ĐẠT ĐƯỢC").contains("<w:footnoteReference w:id=\"1\"/>"));
    assert!(text_of(&bytes, "word/_rels/document.xml.rels")
        .contains("relationships/footnotes\" Target=\"footnotes.xml\""));
    assert!(text_of(&bytes, "[Content_Types].xml").contains("/word/footnotes.xml"));
    assert!(text_of(&bytes, "word/settings.xml").contains("<w:footnotePr>"));
    let annex = &doc[at(&doc, "PHỤ LỤC")..];
    assert!(at(annex, "Ghi chú về số liệu") > at(annex, "Huyện Cao Lãnh"));
    assert!(annex.contains("Đã duyệt 9 trên 10 báo cáo (90%)."));
}

#[test]
fn the_annex_is_landscape_after_the_signatures() {
    let doc = full(Owner::Joint, None);
    let break_at = at(&doc, "<w:p><w:pPr><w:sectPr>");
    assert!(
        break_at > at(&doc, "Đại tá Nguyễn Thanh Hải"),
        "after the signatures"
    );
    assert!(break_at < at(&doc, "PHỤ LỤC"));
    // The portrait section ends at the break; the last section is landscape.
    let last = &doc[doc.rfind("<w:sectPr>").unwrap()..];
    assert!(last.contains("<w:pgSz w:w=\"16838\" w:h=\"11906\" w:orient=\"landscape\"/>"));
    assert!(
        last.contains("w:left=\"1701\"") && last.contains("rIdHeader1"),
        "margins, page numbers"
    );
    assert!(!last.contains("w:start="), "numbering runs on");
    let annex = &doc[at(&doc, "PHỤ LỤC")..];
    assert!(annex.contains("SỐ LIỆU THEO ĐƠN VỊ TRỰC THUỘC VÀ GHI CHÚ VỀ SỐ LIỆU"));
    assert!(annex.contains(
        "(Kèm theo Báo cáo số        /BC-CAT-MTTQ ngày 18 tháng 5 năm 2023 của Công an tỉnh và Ban Thường trực Ủy ban MTTQ Việt Nam tỉnh Đồng Tháp)"
    ));
    assert!(annex.contains("Bảng 1.2. Tuyên truyền, phát động phong trào theo đơn vị trực thuộc"));
    let body = &doc[..break_at];
    assert!(
        !body.contains("Thành phố Sa Đéc</w:t></w:r></w:p></w:tc>"),
        "child tables left the body"
    );
    assert!(body.contains("xem Phụ lục, Bảng 1.2."));
}

#[test]
fn a_draft_says_so_at_the_top() {
    let draft = full(
        Owner::Joint,
        Some("Mới có 12 trên 163 đơn vị phải báo cáo có đủ số liệu được duyệt (7,4%)."),
    );
    let stamp = para_of(&draft, reviews::document::DRAFT_STAMP);
    assert!(
        stamp.contains("<w:b/>") && stamp.contains("<w:pBdr><w:top"),
        "bold, boxed"
    );
    assert!(
        at(&draft, reviews::document::DRAFT_STAMP) < at(&draft, "<w:tbl>"),
        "at the top"
    );
    assert!(run_of(&draft, "Mới có 12 trên 163").contains("<w:i/>"));
    let final_ = full(Owner::Joint, None);
    assert!(!final_.contains(reviews::document::DRAFT_STAMP));
}

#[test]
fn sections_are_numbered_to_twenty() {
    let all: Vec<String> = (1..=20).map(roman).collect();
    assert_eq!(all[..4], ["I", "II", "III", "IV"]);
    assert_eq!(all[8], "IX");
    assert_eq!(all[13], "XIV");
    assert_eq!(all[18], "XIX");
    assert_eq!(all[19], "XX");
}

#[test]
fn the_docx_names_the_programme_and_says_the_awards_by_issuer() {
    use antq_core::reviews::{AwardLine, Awards, ProgrammeRef};
    let mut s = snapshot();
    s.programme = Some(ProgrammeRef {
        id: 1,
        kind: "chuong_trinh".into(),
        reference: Some("09/CTr-BCA-MTTW".into()),
        issued_on: Some("2013-08-01".into()),
        issuers: vec!["Bộ Công an".into()],
        subject: "Đẩy mạnh phong trào Toàn dân bảo vệ an ninh Tổ quốc trong tình hình mới".into(),
        stage_from: Some(2013),
        stage_to: Some(2023),
    });
    s.awards = Awards {
        stage: vec![AwardLine {
            issuer: "Chủ tịch UBND tỉnh".into(),
            form: "Bằng khen".into(),
            recipient_kind: "tap_the".into(),
            count: 2,
        }],
        conference: None,
    };
    let narrative: Vec<Paragraph> = s
        .narrative(&[("khen_thuong", "Khen thưởng")])
        .into_iter()
        .map(|(group, heading, text)| Paragraph {
            group,
            heading,
            text,
        })
        .collect();
    let h = reviews::header(
        &s,
        Owner::Joint,
        antq_core::dates::parse_date("2023-05-18").unwrap(),
        &reviews::Choices::default(),
    );
    let bytes = docx(&doc(&h, &s, &narrative)).unwrap();
    let doc = String::from_utf8(entry(&bytes, "word/document.xml")).unwrap();
    for text in [
        "Tổng kết 10 năm thực hiện Chương trình phối hợp số 09/CTr-BCA-MTTW ngày 01/8/2013 của Bộ Công an",
        "Qua 10 năm triển khai, các tập thể, cá nhân trong tỉnh đã được khen thưởng: Chủ tịch UBND tỉnh tặng Bằng khen cho 2 tập thể.",
    ] {
        assert!(doc.contains(text), "{text} missing");
    }
}

#[test]
fn the_excel_annex_is_a_real_annex() {
    use calamine::{DataType, Reader, Xlsx};
    let mut s = snapshot();
    s.lines.push(Line {
        key: "tl_kdc".into(),
        name: "Tỷ lệ khu dân cư đạt chuẩn".into(),
        unit: "%".into(),
        group: "tuyen_truyen".into(),
    });
    s.totals.insert("tl_kdc".into(), f(36.0));
    let h = header_of(&s, Owner::Police);
    let bytes = xlsx(&doc(&h, &s, &[])).unwrap();
    let mut wb: Xlsx<_> =
        calamine::open_workbook_from_rs(std::io::Cursor::new(bytes.clone())).unwrap();
    let names = wb.sheet_names();
    assert_eq!(
        names[..3],
        ["Tổng hợp", "Bảng 1.1", "Bảng 1.2"],
        "{names:?}"
    );
    assert!(names.iter().all(|n| n.chars().count() <= 31));
    let sheet = wb.worksheet_range("Tổng hợp").unwrap();
    let col_a: Vec<String> = sheet.rows().map(|r| r[0].to_string()).collect();
    assert_eq!(col_a[..2], ["BỘ CÔNG AN", "CÔNG AN TỈNH ĐỒNG THÁP"]);
    assert!(col_a.contains(&"PHỤ LỤC".to_string()));
    assert!(col_a.contains(&h.title));
    assert!(col_a.iter().any(|l| l.starts_with("(Kèm theo Báo cáo số        /BC-CAT ngày 18 tháng 5 năm 2023 của Công an tỉnh Đồng Tháp)")), "{col_a:?}");
    let row = sheet.rows().find(|r| r[0] == "Buổi tuyên truyền").unwrap();
    assert_eq!(row[2].get_float(), Some(32_146.0));
    let ratio = sheet
        .rows()
        .find(|r| r[0] == "Tỷ lệ khu dân cư đạt chuẩn")
        .unwrap();
    assert_eq!(ratio[2].get_float(), Some(0.36), "a ratio is value/100");
    let by_year = wb.worksheet_range("Bảng 1.1").unwrap();
    assert!(by_year
        .rows()
        .any(|r| r[0].to_string().starts_with("(Kèm theo Báo cáo")));
    // Formats: Times New Roman, thin borders, #,##0 and 0.0%.
    let styles = text_of(&bytes, "xl/styles.xml");
    for needle in [
        "Times New Roman",
        "formatCode=\"0.0%\"",
        "formatCode=\"#,##0\"",
        "<left style=\"thin\">",
    ] {
        assert!(styles.contains(needle), "{needle}");
    }
    // Every sheet prints A4 landscape, one page wide, its table heading repeated.
    for n in 1..=names.len() {
        let ws = text_of(&bytes, &format!("xl/worksheets/sheet{n}.xml"));
        assert!(ws.contains("<pageSetUpPr fitToPage=\"1\"/>"), "sheet{n}");
        let setup = &ws[at(&ws, "<pageSetup")..];
        for needle in [
            "paperSize=\"9\"",
            "orientation=\"landscape\"",
            "fitToHeight=\"0\"",
        ] {
            assert!(setup.contains(needle), "sheet{n}: {needle}");
        }
    }
    let workbook = text_of(&bytes, "xl/workbook.xml");
    assert_eq!(workbook.matches("_xlnm.Print_Titles").count(), names.len());
}

/// Where LibreOffice is installed, the .docx converts to a PDF of A4 pages.
#[test]
fn libreoffice_renders_the_docx() {
    let Some(soffice) = ["soffice", "libreoffice"].into_iter().find(|c| {
        std::process::Command::new(c)
            .arg("--version")
            .output()
            .is_ok()
    }) else {
        eprintln!("skipped: LibreOffice is not installed, the rendering check did not run");
        return;
    };
    let dir = std::env::temp_dir().join(format!("antq-docx-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("review.docx");
    let s = snapshot();
    let h = header_of(&s, Owner::Joint);
    let sections = sections();
    let narrative = narrative_of(&s);
    let bytes = docx(&ReviewDoc {
        header: &h,
        sections: &sections,
        snapshot: &s,
        narrative: &narrative,
    })
    .unwrap();
    std::fs::write(&path, bytes).unwrap();
    let out = std::process::Command::new(soffice)
        .args(["--headless", "--convert-to", "pdf", "--outdir"])
        .arg(&dir)
        .arg(&path)
        .env("HOME", &dir)
        .output()
        .unwrap();
    let pdf = std::fs::read(dir.join("review.pdf"))
        .unwrap_or_else(|_| panic!("no PDF: {}", String::from_utf8_lossy(&out.stderr)));
    let text = String::from_utf8_lossy(&pdf);
    assert!(text.starts_with("%PDF"));
    let compact = text.replace(' ', "");
    assert!(compact.contains("/MediaBox[00595.3"), "A4 pages");
    assert!(
        compact.contains("/MediaBox[00841.889763779528595.3"),
        "the annex's landscape pages"
    );
    // Where pdftotext is installed: the header's long lines do not wrap.
    if let Ok(out) = std::process::Command::new("pdftotext")
        .args(["-layout"])
        .arg(dir.join("review.pdf"))
        .arg("-")
        .output()
    {
        let text = String::from_utf8_lossy(&out.stdout);
        for line in [
            "CÔNG AN TỈNH ĐỒNG THÁP",
            "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
            "ỦY BAN MTTQ VIỆT NAM",
        ] {
            assert!(text.contains(line), "{line} wraps:\n{text}");
        }
    }
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn sites_of_each_years_ngay_hoi_are_never_added_across_the_years() {
    let mut s = snapshot();
    s.lines.push(Line {
        key: "ngay_hoi".into(),
        name: "Điểm tổ chức Ngày hội toàn dân bảo vệ ANTQ".into(),
        unit: "điểm".into(),
        group: "tuyen_truyen".into(),
    });
    s.totals.insert("ngay_hoi".into(), f(1_540.0));
    s.by_year.insert(
        "ngay_hoi".into(),
        (2013..=2023).map(|y| (y, f(140.0))).collect(),
    );
    s.by_child.insert(
        "ngay_hoi".into(),
        [("01".to_string(), f(900.0))].into_iter().collect(),
    );
    let parts = parts(&s, &[]);
    let by_year = &parts[0].tables[0];
    let col = by_year
        .heads
        .iter()
        .position(|h| h.starts_with("Điểm tổ chức Ngày hội"))
        .unwrap()
        - 1;
    let (label, cells, _) = by_year.rows.last().unwrap();
    assert_eq!(label, "2013 – 2023");
    assert_eq!(cells[col], None, "no sum of ten years of sites");
    assert_eq!(by_year.rows[0].1[col].map(|f| f.value), Some(140.0));
    assert!(
        parts[0]
            .tables
            .iter()
            .filter(|t| t.annex)
            .all(|t| !t.heads.iter().any(|h| h.starts_with("Điểm tổ chức"))),
        "no ten-year sum by child unit either"
    );
    // One year: that year's sites are the figure.
    let mut one = s.clone();
    one.from = 2023;
    assert_eq!(
        stage_figure(&one, "ngay_hoi").map(|f| f.value),
        Some(1_540.0)
    );
    // The Excel summary says why there is no figure.
    let h = header_of(&s, Owner::Police);
    let bytes = xlsx(&doc(&h, &s, &[])).unwrap();
    use calamine::Reader;
    let mut wb: calamine::Xlsx<_> =
        calamine::open_workbook_from_rs(std::io::Cursor::new(bytes)).unwrap();
    let sheet = wb.worksheet_range("Tổng hợp").unwrap();
    let row = sheet
        .rows()
        .find(|r| r[0].to_string().starts_with("Điểm tổ chức Ngày hội"))
        .unwrap();
    assert_eq!(row[2].to_string(), "–");
    assert_eq!(
        row[3].to_string(),
        "Tính theo từng năm, không cộng qua các năm"
    );
}

#[test]
fn an_empty_stage_says_it_has_no_approved_figures() {
    let mut s = snapshot();
    s.lines.clear();
    s.totals.clear();
    s.by_year.clear();
    s.by_child.clear();
    let mut h = header_of(&s, Owner::Police);
    h.draft = reviews::document::draft_reason(&Default::default());
    let sections = sections();
    let bytes = docx(&ReviewDoc {
        header: &h,
        sections: &sections,
        snapshot: &s,
        narrative: &[],
    })
    .unwrap();
    let xml = text_of(&bytes, "word/document.xml");
    assert!(at(&xml, reviews::document::DRAFT_STAMP) < at(&xml, "KẾT QUẢ ĐẠT ĐƯỢC"));
    assert!(at(&xml, "KẾT QUẢ ĐẠT ĐƯỢC") < at(&xml, NO_RESULTS));
    let full = full(Owner::Joint, None);
    assert!(!full.contains(NO_RESULTS), "a stage with figures says them");
}

#[test]
fn weapons_are_written_per_unit_of_measure_never_summed() {
    let mut s = snapshot();
    let line = |k: &str, n: &str, u: &str| Line {
        key: k.into(),
        name: n.into(),
        unit: u.into(),
        group: "vu_khi".into(),
    };
    s.lines.extend([
        line("vk_sung", "Súng các loại do Nhân dân giao nộp", "khẩu"),
        line("vk_dan", "Đạn do Nhân dân giao nộp", "viên"),
        line("vk_vln", "Vật liệu nổ do Nhân dân giao nộp", "kg"),
    ]);
    s.totals.insert("vk_sung".into(), f(124.0));
    s.totals.insert("vk_dan".into(), f(2_150.0));
    s.totals.insert("vk_vln".into(), f(86.5));
    let narrative: Vec<Paragraph> = s
        .narrative(&[("vu_khi", "Vũ khí, vật liệu nổ")])
        .into_iter()
        .map(|(group, heading, text)| Paragraph {
            group,
            heading,
            text,
        })
        .collect();
    let h = header_of(&s, Owner::Police);
    let xml = text_of(
        &docx(&doc(&h, &s, &narrative)).unwrap(),
        "word/document.xml",
    );
    assert!(
        xml.contains("124 khẩu súng các loại, 2.150 viên đạn, 86,5 kg vật liệu nổ"),
        "each figure with its own unit"
    );
    // 124 + 2.150 + 86,5 = 2.360,5: never one number of mixed units.
    assert!(
        !xml.contains("2.360"),
        "no sum of guns, rounds and kilograms"
    );
}
