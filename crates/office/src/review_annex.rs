//! The annex (phụ lục) of a review: after the signatures, on landscape
//! pages, "PHỤ LỤC", its title, "(Kèm theo Báo cáo số … ngày … của …)", the
//! tables by child unit, and the full note on the data.

use antq_core::reviews::{Header, Snapshot};

use super::body::figure_table;
use super::{data_note, GroupPart};
use crate::docx::{Align, Docx, Para, Run};

/// The issuers in running text, as the closing sentence names them
/// ("Trên đây là Báo cáo … của Công an tỉnh và …./." → "Công an tỉnh và …");
/// the issuers' own names when the closing says otherwise.
fn issuers_named(h: &Header) -> String {
    let closing = h
        .closing
        .trim()
        .trim_end_matches("./.")
        .trim_end_matches('.');
    match closing.rfind(" của ") {
        Some(i) => closing[i + " của ".len()..].trim().to_string(),
        None => h
            .issuers
            .iter()
            .map(|i| i.name.join(" "))
            .collect::<Vec<_>>()
            .join(" và "),
    }
}

/// "(Kèm theo Báo cáo số        /BC-CAT-MTTQ ngày 18 tháng 5 năm 2023 của
/// Công an tỉnh và Ban Thường trực Ủy ban MTTQ Việt Nam tỉnh Đồng Tháp)":
/// the number's blank is kept for the number written by hand.
pub fn reference(h: &Header) -> String {
    let number = h.number.trim_start_matches("Số:").trim_end();
    let date = h
        .place_date
        .split_once(", ")
        .map(|(_, d)| d)
        .unwrap_or(&h.place_date);
    let kind = {
        let lower = h.kind.to_lowercase();
        let mut c = lower.chars();
        c.next()
            .map(|f| f.to_uppercase().chain(c).collect::<String>())
            .unwrap_or_default()
    };
    format!(
        "(Kèm theo {kind} số{number} {date} của {})",
        issuers_named(h)
    )
}

/// The annex's title.
pub fn title(parts: &[GroupPart]) -> &'static str {
    if parts.iter().any(|p| p.tables.iter().any(|t| t.annex)) {
        "SỐ LIỆU THEO ĐƠN VỊ TRỰC THUỘC VÀ GHI CHÚ VỀ SỐ LIỆU"
    } else {
        "GHI CHÚ VỀ SỐ LIỆU"
    }
}

/// The annex on landscape pages, after the signatures.
pub(super) fn write(d: &mut Docx, h: &Header, s: &Snapshot, parts: &[GroupPart]) {
    d.landscape_from_here();
    let centred_heading = Para {
        align: Align::Center,
        first_line: 0,
        ..Para::outline(1)
    };
    d.paragraph(centred_heading, &[Run::new("PHỤ LỤC", 14.0).bold()]);
    d.paragraph(
        Para::centred().keep_next(),
        &[Run::new(title(parts), 14.0).bold()],
    );
    d.paragraph(
        Para::centred().keep_next().after(240),
        &[Run::new(reference(h), 13.0).italic()],
    );
    for part in parts {
        for t in part.tables.iter().filter(|t| t.annex) {
            figure_table(d, t);
        }
    }
    d.paragraph(
        Para::outline(2).before(360),
        &[Run::new("Ghi chú về số liệu", 14.0).bold()],
    );
    for line in data_note(s) {
        d.paragraph(Para::body(), &[Run::new(line, 13.0)]);
    }
}
