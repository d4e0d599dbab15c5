//! The text an officer types into a review's own sections: paragraphs,
//! bullet lists, **bold** and *italic*, and a simple table, written the way
//! people already write e-mails, and read into [`Block`]s that every format
//! (Word, Excel, HTML) prints the same way.
//!
//! - Each line is a paragraph (as in Word); blank lines only separate.
//! - A line that starts with "- ", "+ " or "• " is an item of a bullet list.
//! - Lines that start with "|" are the rows of a table, cells between "|";
//!   the first row is the heading; a row of dashes ("|---|---|") is skipped.
//! - `**bold**` and `*italic*` inside a line.
//!
//! Everything is bounded: a section's text, a table's rows and columns.

use serde::{Deserialize, Serialize};

use crate::error::DomainError;
use crate::text;

/// The most characters of a typed section.
pub const MAX_SECTION_CHARS: usize = 40_000;
/// The most columns of a typed table.
pub const MAX_TABLE_COLUMNS: usize = 12;
/// The most rows of a typed table.
pub const MAX_TABLE_ROWS: usize = 200;

/// A run of text with its emphasis.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Span {
    pub text: String,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub bold: bool,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub italic: bool,
}

/// A line of text: its spans in order.
pub type Inline = Vec<Span>;

/// One block of a typed section.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Block {
    Paragraph {
        spans: Inline,
    },
    Bullets {
        items: Vec<Inline>,
    },
    /// The first row is the heading.
    Table {
        rows: Vec<Vec<Inline>>,
    },
}

impl Block {
    /// A paragraph wholly in bold ("**1. Ưu điểm**"): a sub-heading.
    pub fn is_subheading(&self) -> bool {
        matches!(self, Block::Paragraph { spans } if !spans.is_empty() && spans.iter().all(|s| s.bold))
    }
}

/// The plain text of a line, without emphasis.
pub fn plain(spans: &[Span]) -> String {
    spans.iter().map(|s| s.text.as_str()).collect()
}

/// Read a typed section into blocks, refusing what is too big.
pub fn parse(input: &str) -> Result<Vec<Block>, DomainError> {
    let chars = input.chars().count();
    if chars > MAX_SECTION_CHARS {
        return Err(DomainError::invalid(format!(
            "Nội dung một mục dài tối đa {} ký tự (đang có {})",
            text::format_int(MAX_SECTION_CHARS as i64),
            text::format_int(chars as i64)
        )));
    }
    text::check_printable("Nội dung", input)?;
    let input = text::nfc(&input.replace("\r\n", "\n").replace('\r', "\n"));
    let mut blocks = Vec::new();
    let mut para: Vec<&str> = Vec::new();
    let mut bullets: Vec<Inline> = Vec::new();
    let mut table: Vec<Vec<Inline>> = Vec::new();
    for raw in input.lines() {
        let line = raw.trim();
        let bullet = ["- ", "+ ", "• "]
            .iter()
            .find_map(|p| line.strip_prefix(p))
            .map(str::trim);
        let is_row = line.starts_with('|');
        if line.is_empty() || bullet.is_some() || is_row {
            flush_para(&mut para, &mut blocks);
        }
        if bullet.is_none() && !bullets.is_empty() {
            blocks.push(Block::Bullets {
                items: std::mem::take(&mut bullets),
            });
        }
        if !is_row && !table.is_empty() {
            blocks.push(Block::Table {
                rows: std::mem::take(&mut table),
            });
        }
        if let Some(item) = bullet {
            bullets.push(inline(item));
        } else if is_row {
            if let Some(row) = table_row(line)? {
                if table.len() == MAX_TABLE_ROWS {
                    return Err(DomainError::invalid(format!(
                        "Một bảng có tối đa {MAX_TABLE_ROWS} dòng"
                    )));
                }
                table.push(row);
            }
        } else if !line.is_empty() {
            // Each line its own paragraph: "a) …", "b) …" keep their lines.
            para.push(line);
            flush_para(&mut para, &mut blocks);
        }
    }
    flush_para(&mut para, &mut blocks);
    if !bullets.is_empty() {
        blocks.push(Block::Bullets { items: bullets });
    }
    if !table.is_empty() {
        blocks.push(Block::Table { rows: table });
    }
    for b in &mut blocks {
        if let Block::Table { rows } = b {
            let width = rows.iter().map(Vec::len).max().unwrap_or(0);
            for r in rows.iter_mut() {
                r.resize(width, Vec::new());
            }
        }
    }
    Ok(blocks)
}

fn flush_para(para: &mut Vec<&str>, blocks: &mut Vec<Block>) {
    if !para.is_empty() {
        blocks.push(Block::Paragraph {
            spans: inline(&para.join(" ")),
        });
        para.clear();
    }
}

/// "| a | b |" → its cells; a row of dashes → None.
fn table_row(line: &str) -> Result<Option<Vec<Inline>>, DomainError> {
    let inner = line.trim_start_matches('|');
    let inner = inner.strip_suffix('|').unwrap_or(inner);
    let cells: Vec<&str> = inner.split('|').map(str::trim).collect();
    if cells
        .iter()
        .all(|c| !c.is_empty() && c.chars().all(|ch| matches!(ch, '-' | ':' | ' ')))
    {
        return Ok(None);
    }
    if cells.len() > MAX_TABLE_COLUMNS {
        return Err(DomainError::invalid(format!(
            "Một bảng có tối đa {MAX_TABLE_COLUMNS} cột (dòng \u{201C}{}\u{201D} có {})",
            line.chars().take(40).collect::<String>(),
            cells.len()
        )));
    }
    Ok(Some(cells.into_iter().map(inline).collect()))
}

/// `**bold**` and `*italic*` inside a line; a marker without its pair is
/// kept as typed.
pub fn inline(line: &str) -> Inline {
    let mut out: Inline = Vec::new();
    let mut rest = line;
    let (mut bold, mut italic) = (false, false);
    let mut buf = String::new();
    let push = |out: &mut Inline, buf: &mut String, bold: bool, italic: bool| {
        if buf.is_empty() {
            return;
        }
        match out.last_mut() {
            Some(l) if l.bold == bold && l.italic == italic => l.text.push_str(buf),
            _ => out.push(Span {
                text: buf.clone(),
                bold,
                italic,
            }),
        }
        buf.clear();
    };
    while !rest.is_empty() {
        if let Some(after) = rest.strip_prefix("**") {
            if bold || after.contains("**") {
                push(&mut out, &mut buf, bold, italic);
                bold = !bold;
                rest = after;
                continue;
            }
        } else if let Some(after) = rest.strip_prefix('*') {
            if italic || after.contains('*') {
                push(&mut out, &mut buf, bold, italic);
                italic = !italic;
                rest = after;
                continue;
            }
        }
        let ch = rest.chars().next().unwrap_or_default();
        buf.push(ch);
        rest = &rest[ch.len_utf8()..];
    }
    push(&mut out, &mut buf, bold, italic);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn span(t: &str, bold: bool, italic: bool) -> Span {
        Span {
            text: t.into(),
            bold,
            italic,
        }
    }

    #[test]
    fn paragraphs_lists_tables_and_emphasis() {
        let text = "Tỉnh có **34** xã, phường và 2 đặc khu.\n\n\
                    - Ưu điểm: *rõ ràng*\n- Hạn chế\n\
                    | Năm | Số vụ |\n|---|---|\n| 2023 | 12 |\n| 2024 |\n\
                    Đoạn cuối.";
        let b = parse(text).unwrap();
        assert_eq!(b.len(), 4, "{b:?}");
        assert_eq!(
            b[0],
            Block::Paragraph {
                spans: vec![
                    span("Tỉnh có ", false, false),
                    span("34", true, false),
                    span(" xã, phường và 2 đặc khu.", false, false)
                ]
            }
        );
        let Block::Bullets { items } = &b[1] else {
            panic!("{b:?}")
        };
        assert_eq!(items.len(), 2);
        assert_eq!(items[0][1], span("rõ ràng", false, true));
        let Block::Table { rows } = &b[2] else {
            panic!("{b:?}")
        };
        assert_eq!(rows.len(), 3, "the dashes row is skipped");
        assert_eq!(rows[2].len(), 2, "a short row is filled to the width");
        assert_eq!(plain(&rows[1][1]), "12");
        assert_eq!(plain(&inline_of(&b[3])), "Đoạn cuối.");
    }

    fn inline_of(b: &Block) -> Inline {
        match b {
            Block::Paragraph { spans } => spans.clone(),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn every_line_is_a_paragraph_and_unprintable_characters_are_refused() {
        let b = parse("a) Tuyên truyền;\r\nb) Xây dựng mô hình;\rc) Khen thưởng.").unwrap();
        assert_eq!(b.len(), 3, "{b:?}");
        assert!(
            matches!(&b[1], Block::Paragraph { spans } if plain(spans) == "b) Xây dựng mô hình;")
        );
        for bad in ["A\u{FFFE}B", "A\u{0}B", "x\u{202E}y", "\u{1}"] {
            let e = parse(bad).unwrap_err().to_string();
            assert!(e.contains("ký tự không in được"), "{e}");
        }
        assert!(parse("Tab\tvà xuống dòng\n").is_ok());
    }

    #[test]
    fn unpaired_markers_are_kept_as_typed() {
        assert_eq!(plain(&inline("3 * 4 = 12")), "3 * 4 = 12");
        assert_eq!(inline("a **b"), vec![span("a **b", false, false)]);
        assert_eq!(
            inline("***cả hai***"),
            vec![span("cả hai", true, true)],
            "bold and italic together"
        );
    }

    #[test]
    fn bounded() {
        let long = "a".repeat(MAX_SECTION_CHARS + 1);
        assert!(parse(&long).unwrap_err().to_string().contains("40.000"));
        let wide = format!("|{}|", vec!["x"; MAX_TABLE_COLUMNS + 1].join("|"));
        assert!(parse(&wide)
            .unwrap_err()
            .to_string()
            .contains("tối đa 12 cột"));
        let tall = "| a |\n".repeat(MAX_TABLE_ROWS + 1);
        assert!(parse(&tall).is_err());
        assert!(parse("").unwrap().is_empty());
    }
}
