//! The frame of a review in Word, as Nghị định 30/2020 lays it out: the
//! draft stamp, the header block (issuers, national title, "Số:", place and
//! date), and after the closing the signature blocks and "Nơi nhận".

use antq_core::reviews::signing::Signer;
use antq_core::reviews::{document::DRAFT_STAMP, Header};

use crate::docx::{Docx, Para, Run, TableCell, TableLayout, TEXT_W};

/// The header table overhangs the text width by this much on each side, so
/// "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" (12 pt bold) fits one line.
const HEADER_OVERHANG: u32 = 200;
/// The header's left column (issuers): "CÔNG AN TỈNH ĐỒNG THÁP" at 13 pt
/// bold is about 3.600 twips.
const HEADER_LEFT: u32 = 4000;
/// Cell margins of layout tables (left + right).
const CELL_MARGINS: u32 = 114;
/// The space left for a handwritten signature and the seal.
const SIGNATURE_SPACE: u32 = 1400;

/// The width of a text in twips at `size` points, from the advance widths
/// of Times New Roman Bold (an upper bound for the upright face).
pub(super) fn text_width(text: &str, size: f32) -> u32 {
    let units: u32 = text
        .chars()
        .map(|c| {
            let base = antq_core::text::fold(&c.to_string())
                .chars()
                .next()
                .unwrap_or(c);
            let upper = c.is_uppercase();
            match base.to_ascii_lowercase() {
                ' ' => 250,
                'm' | 'w' if upper => 1000,
                'i' | 'j' if upper => 450,
                's' | 'f' | 'p' if upper => 611,
                'b' | 'e' | 'l' | 't' | 'z' if upper => 667,
                'a'..='z' if upper => 778,
                'm' | 'w' => 778,
                'i' | 'j' | 'l' | 'f' | 't' | 'r' => 333,
                'a'..='z' | '0'..='9' => 556,
                _ => 333,
            }
        })
        .sum();
    (f64::from(units) * f64::from(size) * 20.0 / 1000.0).round() as u32
}

/// Words that stay on one line together in a body's name.
const GLUED: [(&str, &str); 9] = [
    ("ỦY", "BAN"),
    ("VIỆT", "NAM"),
    ("CÔNG", "AN"),
    ("THƯỜNG", "TRỰC"),
    ("MẶT", "TRẬN"),
    ("TỔ", "QUỐC"),
    ("THÀNH", "PHỐ"),
    ("TRUNG", "ƯƠNG"),
    ("BỘ", "CÔNG"),
];

/// A line of a body's name broken, where it would not fit `width` twips at
/// `size` points, into the fewest lines of the most even length, never
/// inside a glued pair ("ỦY BAN", "VIỆT NAM").
pub(super) fn fit_lines(line: &str, width: u32, size: f32) -> Vec<String> {
    if text_width(line, size) <= width {
        return vec![line.to_string()];
    }
    let mut words: Vec<String> = Vec::new();
    for w in line.split_whitespace() {
        match words.last_mut() {
            Some(prev)
                if GLUED
                    .iter()
                    .any(|(a, b)| prev.rsplit(' ').next() == Some(*a) && w == *b) =>
            {
                prev.push(' ');
                prev.push_str(w);
            }
            _ => words.push(w.to_string()),
        }
    }
    for n in 2..=4.min(words.len()) {
        let best = best_split(&words, n, size);
        if best.iter().all(|l| text_width(l, size) <= width) || n == 4.min(words.len()) {
            return best;
        }
    }
    vec![line.to_string()]
}

/// The split of `words` into `n` lines whose widest line is narrowest.
fn best_split(words: &[String], n: usize, size: f32) -> Vec<String> {
    if n <= 1 || words.len() <= 1 {
        return vec![words.join(" ")];
    }
    let mut best: Option<(u32, Vec<String>)> = None;
    for cut in 1..=words.len() - (n - 1) {
        let first = words[..cut].join(" ");
        let mut rest = best_split(&words[cut..], n - 1, size);
        let widest = rest
            .iter()
            .map(|l| text_width(l, size))
            .chain([text_width(&first, size)])
            .max()
            .unwrap_or(0);
        if best.as_ref().is_none_or(|(w, _)| widest < *w) {
            rest.insert(0, first);
            best = Some((widest, rest));
        }
    }
    best.map(|(_, v)| v).unwrap_or_default()
}

/// "DỰ THẢO – chưa đủ số liệu" in a box at the top, the reason in italics.
pub(super) fn draft_stamp(d: &mut Docx, reason: &str) {
    let w = TEXT_W * 3 / 4;
    d.paragraph(
        Para::centred().boxed(w).before(0).after(0),
        &[Run::new(DRAFT_STAMP, 16.0).bold()],
    );
    d.paragraph(
        Para::centred().boxed(w).after(0),
        &[Run::new(reason, 12.0).italic()],
    );
    d.paragraph(Para::left().after(240), &[]);
}

/// The header block: a table of two columns and two rows. Top left each
/// issuer (its parent upright, its name bold, a short rule under it; the
/// co-issuers of a joint review one under the other as equals, the leading
/// body first); top right the national title and motto with its rule. The
/// second row holds "Số:" and the place and date on one baseline.
pub(super) fn header_block(d: &mut Docx, h: &Header) {
    let total = TEXT_W + 2 * HEADER_OVERHANG;
    let (left_w, right_w) = (HEADER_LEFT, total - HEADER_LEFT);
    let room = left_w - CELL_MARGINS;
    let mut left = Vec::new();
    for (i, issuer) in h.issuers.iter().enumerate() {
        let before = if i > 0 { 120 } else { 0 };
        let mut first = true;
        let mut para = |after_first: Para| {
            let p = if first {
                after_first.before(before)
            } else {
                after_first
            };
            first = false;
            p
        };
        if !issuer.parent.trim().is_empty() {
            for l in fit_lines(&issuer.parent, room, 13.0) {
                left.push((para(Para::centred()), vec![Run::new(l, 13.0)]));
            }
        }
        let mut widest = 0;
        for line in &issuer.name {
            for l in fit_lines(line, room, 13.0) {
                widest = widest.max(text_width(&l, 13.0));
                left.push((para(Para::centred()), vec![Run::new(l, 13.0).bold()]));
            }
        }
        // The rule: about a third of the name's width (Nghị định 30).
        let rule = (widest * 2 / 5).clamp(900, 2200);
        left.push((Para::centred().with_rule(rule), vec![]));
    }
    let right = vec![
        (
            Para::centred(),
            vec![Run::new("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", 12.0).bold()],
        ),
        (
            Para::centred(),
            vec![Run::new("Độc lập - Tự do - Hạnh phúc", 13.0).bold()],
        ),
        (Para::centred().with_rule(3300), vec![]),
    ];
    let number = vec![(Para::centred().before(120), vec![Run::new(&h.number, 13.0)])];
    let date = vec![(
        Para::centred().before(120),
        vec![Run::new(&h.place_date, 13.0).italic()],
    )];
    let cell = |paras| TableCell {
        paras,
        shade: false,
    };
    d.table_with(
        &[left_w, right_w],
        &[
            vec![cell(left), cell(right)],
            vec![cell(number), cell(date)],
        ],
        TableLayout {
            borders: false,
            header_rows: 0,
            top: true,
        },
    );
}

/// One signature block: the title lines bold, room to sign, the name bold
/// (the room stays when no name is chosen yet).
fn signature(s: &Signer) -> TableCell {
    let mut paras: Vec<(Para, Vec<Run>)> = s
        .title_lines()
        .into_iter()
        .map(|l| (Para::centred().keep_next(), vec![Run::new(l, 14.0).bold()]))
        .collect();
    let name = s.signed_name();
    let runs = if name.is_empty() {
        vec![]
    } else {
        vec![Run::new(name, 14.0).bold()]
    };
    paras.push((Para::centred().before(SIGNATURE_SPACE), runs));
    TableCell {
        paras,
        shade: false,
    }
}

/// "Nơi nhận:" (bold italic 12 pt) and its lines (11 pt).
fn recipients(h: &Header) -> Vec<(Para, Vec<Run>)> {
    let mut v = vec![(
        Para::left(),
        vec![Run::new("Nơi nhận:", 12.0).bold().italic()],
    )];
    for r in &h.recipients {
        v.push((Para::left(), vec![Run::new(format!("- {r}"), 11.0)]));
    }
    // The list stays on one page.
    let n = v.len();
    for (p, _) in &mut v[..n - 1] {
        p.keep_next = true;
    }
    v
}

/// The signatures and "Nơi nhận" after the closing. One issuer: "Nơi nhận"
/// left, the signature right. A joint review: the signature blocks side by
/// side in equal columns, the leading body's on the right (the way joint
/// documents are printed: `signers` lists the leading body first, so the
/// columns run in reverse), "Nơi nhận" below. Rows never split across pages.
pub(super) fn signatures(d: &mut Docx, h: &Header) {
    let layout = TableLayout {
        borders: false,
        header_rows: 0,
        top: true,
    };
    d.paragraph(Para::left().keep_next().after(240), &[]);
    if h.signers.len() > 1 {
        let n = h.signers.len() as u32;
        let widths = vec![TEXT_W / n; n as usize];
        let row: Vec<TableCell> = h.signers.iter().rev().map(signature).collect();
        d.table_with(&widths, &[row], layout);
        d.paragraph(Para::left().keep_next().after(240), &[]);
        for (p, runs) in recipients(h) {
            d.paragraph(p, &runs);
        }
    } else {
        let left = TEXT_W * 45 / 100;
        let mut row = vec![TableCell {
            paras: recipients(h),
            shade: false,
        }];
        row.extend(h.signers.first().map(signature));
        d.table_with(&[left, TEXT_W - left], &[row], layout);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_fit_the_header_column() {
        let room = HEADER_LEFT - CELL_MARGINS;
        assert_eq!(
            fit_lines("CÔNG AN TỈNH ĐỒNG THÁP", room, 13.0),
            ["CÔNG AN TỈNH ĐỒNG THÁP"]
        );
        assert_eq!(
            fit_lines("BAN THƯỜNG TRỰC ỦY BAN MTTQ VIỆT NAM", room, 13.0),
            ["BAN THƯỜNG TRỰC", "ỦY BAN MTTQ VIỆT NAM"]
        );
        let right = TEXT_W + 2 * HEADER_OVERHANG - HEADER_LEFT - CELL_MARGINS;
        assert!(text_width("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", 12.0) < right);
    }
}
