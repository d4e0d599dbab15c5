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

fn build() -> (Vec<u8>, Snapshot) {
    let s = snapshot();
    let narrative: Vec<Paragraph> = s
        .narrative(&[("tuyen_truyen", "Tuyên truyền"), ("giao_duc", "Giáo dục")])
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
    );
    (docx(&h, &s, &narrative).unwrap(), s)
}

#[test]
fn the_docx_has_the_decree_layout_and_the_figures() {
    let (bytes, _) = build();
    let doc = String::from_utf8(entry(&bytes, "word/document.xml")).unwrap();
    // A4, margins 20/20/30/20 mm, page numbers from page 2 (title page header is empty).
    assert!(doc.contains("<w:pgSz w:w=\"11906\" w:h=\"16838\"/>"));
    assert!(doc.contains("w:top=\"1134\" w:right=\"1134\" w:bottom=\"1134\" w:left=\"1701\""));
    assert!(doc.contains("<w:titlePg/>"));
    let header = String::from_utf8(entry(&bytes, "word/header1.xml")).unwrap();
    assert!(header.contains("PAGE"));
    let styles = String::from_utf8(entry(&bytes, "word/styles.xml")).unwrap();
    assert!(styles.contains("w:ascii=\"Times New Roman\""));
    assert!(styles.contains("<w:sz w:val=\"28\"/>"), "14 pt body");
    for text in [
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "Đồng Tháp, ngày 18 tháng 5 năm 2023",
        "BÁO CÁO",
        "Tổng kết 10 năm thực hiện phong trào \u{201C}Toàn dân bảo vệ an ninh Tổ quốc\u{201D}, giai đoạn 2013 – 2023",
        "Số:        /BC-CAT-MTTQ",
        "Nơi nhận:",
        "TM. BAN THƯỜNG TRỰC",
        "32.146",
        "hơn 3.048.210",
        "được 32.146 buổi, với hơn 3 triệu lượt người tham dự",
        "Huyện Cao Lãnh",
        "GHI CHÚ VỀ SỐ LIỆU",
    ] {
        assert!(doc.contains(text), "{text} missing");
    }
    assert!(doc.contains("<w:jc w:val=\"both\"/>") && doc.contains("w:firstLine=\"720\""));
    // Tables: the header block, the year table, the child table, the signature block.
    assert_eq!(
        doc.matches("<w:tbl>").count(),
        6,
        "header, propaganda by year and by district, education by year, two signatures, recipients"
    );
    // Two charts for propaganda (years, districts); education has no yearly figures, so none.
    assert_eq!(doc.matches("<pic:pic>").count(), 2);
    let png = entry(&bytes, "word/media/chart1.png");
    assert_eq!(&png[..4], b"\x89PNG");
    // Built twice, the file is the same byte for byte.
    assert_eq!(build().0, bytes);
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
    );
    let bytes = docx(&h, &s, &narrative).unwrap();
    let doc = String::from_utf8(entry(&bytes, "word/document.xml")).unwrap();
    for text in [
        "Tổng kết 10 năm thực hiện Chương trình phối hợp số 09/CTr-BCA-MTTW ngày 01/8/2013 của Bộ Công an",
        "Qua 10 năm triển khai, các tập thể, cá nhân trong tỉnh đã được khen thưởng: Chủ tịch UBND tỉnh tặng Bằng khen cho 2 tập thể.",
    ] {
        assert!(doc.contains(text), "{text} missing");
    }
}

#[test]
fn the_excel_annex_holds_numbers() {
    use calamine::{DataType, Reader, Xlsx};
    let s = snapshot();
    let h = reviews::header(
        &s,
        Owner::Police,
        antq_core::dates::parse_date("2023-05-18").unwrap(),
    );
    let bytes = xlsx(&h, &s, &[]).unwrap();
    let mut wb: Xlsx<_> = calamine::open_workbook_from_rs(std::io::Cursor::new(bytes)).unwrap();
    let names = wb.sheet_names();
    assert!(names.len() >= 3, "{names:?}");
    let sheet = wb.worksheet_range("Tong hop").unwrap();
    let row = sheet.rows().find(|r| r[0] == "Buổi tuyên truyền").unwrap();
    assert_eq!(row[2].get_float(), Some(32_146.0));
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
    std::fs::write(&path, build().0).unwrap();
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
    let _ = std::fs::remove_dir_all(&dir);
}
