//! Award decisions on paper and in Excel: the printable list of recipients
//! of a decision (Nghị định 30 layout), and the award register in and out
//! (`award_register`). (Owned by the awards work of issue 12.)

#[path = "award_register.rs"]
pub mod register;

use antq_core::programmes::awards::RecipientKind;
use antq_core::reviews::date_line;

use crate::docx::{Align, Docx, Para, Run, TableCell, TEXT_W};

/// What the list of a decision prints.
#[derive(Debug, Clone)]
pub struct RecipientList {
    /// Top left, upright (may be empty): "BỘ CÔNG AN".
    pub parent: String,
    /// Top left, bold: "ỦY BAN NHÂN DÂN TỈNH ĐIỆN BIÊN".
    pub issuer: String,
    /// "Điện Biên, ngày 19 tháng 5 năm 2023".
    pub place_date: String,
    /// "Bằng khen".
    pub form: String,
    /// "Chủ tịch UBND tỉnh Điện Biên".
    pub issuer_words: String,
    /// "125/QĐ-UBND".
    pub decision: String,
    pub date: antq_core::dates::Date,
    /// The accepted recipients: kind, name, position and unit.
    pub rows: Vec<(RecipientKind, String, String)>,
}

/// The place and date line of a decision.
pub fn place_date(place: &str, d: antq_core::dates::Date) -> String {
    format!("{place}, {}", date_line(d))
}

fn header_block(d: &mut Docx, l: &RecipientList) {
    let left_w = TEXT_W * 40 / 100;
    let right_w = TEXT_W - left_w;
    let mut left = Vec::new();
    if !l.parent.is_empty() {
        left.push((Para::centred(), vec![Run::new(&l.parent, 13.0)]));
    }
    left.push((Para::centred(), vec![Run::new(&l.issuer, 13.0).bold()]));
    left.push((Para::centred().with_rule(1200), vec![]));
    let right = vec![
        (
            Para::centred(),
            vec![Run::new("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", 12.0).bold()],
        ),
        (
            Para::centred(),
            vec![Run::new("Độc lập - Tự do - Hạnh phúc", 13.0).bold()],
        ),
        (Para::centred().with_rule(3000), vec![]),
        (
            Para::centred().before(120),
            vec![Run::new(&l.place_date, 13.0).italic()],
        ),
    ];
    let cell = |paras| TableCell {
        paras,
        shade: false,
    };
    d.table(
        &[left_w, right_w],
        &[vec![cell(left), cell(right)]],
        false,
        0,
    );
}

/// The list of recipients of one decision as a Word file: the decree's
/// header, "DANH SÁCH … (Kèm theo Quyết định số … ngày …)", then a table
/// STT / Họ tên hoặc tên tập thể / Chức vụ, đơn vị, collectives first.
pub fn recipient_list_docx(l: &RecipientList) -> Result<Vec<u8>, String> {
    let title = format!(
        "DANH SÁCH TẬP THỂ, CÁ NHÂN ĐƯỢC TẶNG {}",
        l.form.to_uppercase()
    );
    let mut d = Docx::new(&title);
    header_block(&mut d, l);
    d.paragraph(
        Para::centred().before(360),
        &[Run::new(&title, 14.0).bold()],
    );
    d.paragraph(
        Para::centred(),
        &[Run::new(
            format!(
                "(Kèm theo Quyết định số {} {} của {})",
                l.decision,
                date_line(l.date),
                l.issuer_words
            ),
            14.0,
        )
        .italic()],
    );
    d.paragraph(Para::centred().with_rule(2000).after(240), &[]);
    let widths = [TEXT_W * 10 / 100, TEXT_W * 45 / 100, TEXT_W * 45 / 100];
    let head = |s: &str| {
        let mut c = TableCell::text(s, 13.0, Align::Center, true);
        c.shade = true;
        c
    };
    let mut rows = vec![vec![
        head("STT"),
        head("Họ tên hoặc tên tập thể"),
        head("Chức vụ, đơn vị"),
    ]];
    for (roman, kind, label) in [
        ("I", RecipientKind::Collective, "TẬP THỂ"),
        ("II", RecipientKind::Individual, "CÁ NHÂN"),
    ] {
        let of_kind: Vec<_> = l.rows.iter().filter(|r| r.0 == kind).collect();
        if of_kind.is_empty() {
            continue;
        }
        rows.push(vec![
            TableCell::text(roman, 13.0, Align::Center, true),
            TableCell::text(
                format!("{label} ({})", of_kind.len()),
                13.0,
                Align::Left,
                true,
            ),
            TableCell::text("", 13.0, Align::Left, false),
        ]);
        for (i, r) in of_kind.iter().enumerate() {
            rows.push(vec![
                TableCell::text((i + 1).to_string(), 13.0, Align::Center, false),
                TableCell::text(&r.1, 13.0, Align::Left, false),
                TableCell::text(&r.2, 13.0, Align::Left, false),
            ]);
        }
    }
    d.table(&widths, &rows, true, 1);
    d.paragraph(
        Para::left().before(240),
        &[Run::new(
            format!(
                "Danh sách gồm {} tập thể và {} cá nhân.",
                count(l, RecipientKind::Collective),
                count(l, RecipientKind::Individual)
            ),
            13.0,
        )
        .italic()],
    );
    d.finish()
}

fn count(l: &RecipientList, k: RecipientKind) -> usize {
    l.rows.iter().filter(|r| r.0 == k).count()
}

#[cfg(test)]
mod tests {
    use std::io::Read;

    use super::*;

    fn entry(zip: &[u8], name: &str) -> String {
        let mut a = zip::ZipArchive::new(std::io::Cursor::new(zip)).unwrap();
        let mut out = Vec::new();
        a.by_name(name).unwrap().read_to_end(&mut out).unwrap();
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn the_list_reads_back_with_the_decree_header_and_the_recipients() {
        let date = antq_core::dates::parse_date("2023-05-19").unwrap();
        let l = RecipientList {
            parent: String::new(),
            issuer: "ỦY BAN NHÂN DÂN TỈNH ĐIỆN BIÊN".into(),
            place_date: place_date("Điện Biên", date),
            form: "Bằng khen".into(),
            issuer_words: "Chủ tịch UBND tỉnh Điện Biên".into(),
            decision: "125/QĐ-UBND".into(),
            date,
            rows: vec![
                (
                    RecipientKind::Individual,
                    "Lò Văn A".into(),
                    "Trưởng Công an xã".into(),
                ),
                (
                    RecipientKind::Collective,
                    "Công an xã Mường Phăng".into(),
                    String::new(),
                ),
            ],
        };
        let bytes = recipient_list_docx(&l).unwrap();
        let doc = entry(&bytes, "word/document.xml");
        for text in [
            "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
            "Độc lập - Tự do - Hạnh phúc",
            "ỦY BAN NHÂN DÂN TỈNH ĐIỆN BIÊN",
            "Điện Biên, ngày 19 tháng 5 năm 2023",
            "DANH SÁCH TẬP THỂ, CÁ NHÂN ĐƯỢC TẶNG BẰNG KHEN",
            "(Kèm theo Quyết định số 125/QĐ-UBND ngày 19 tháng 5 năm 2023 của Chủ tịch UBND tỉnh Điện Biên)",
            "Họ tên hoặc tên tập thể",
            "Chức vụ, đơn vị",
            "Công an xã Mường Phăng",
            "Lò Văn A",
        ] {
            assert!(doc.contains(text), "{text}");
        }
        // Collectives come first.
        assert!(doc.find("Công an xã Mường Phăng") < doc.find("Lò Văn A"));
        assert!(doc.contains("<w:pgSz w:w=\"11906\" w:h=\"16838\"/>"));
    }
}
