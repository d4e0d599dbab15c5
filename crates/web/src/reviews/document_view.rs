//! A review as the page and the printable HTML show it, in the order of
//! the Word file: the draft stamp, the header (co-issuers as equals), the
//! sections with their Roman numerals (typed text with its lists, emphasis
//! and tables; the results with the figures by year), the closing sentence,
//! the signatures and "Nơi nhận", then the annex (phụ lục) with the tables
//! by child unit and the note on the data.

use antq_core::reviews::document::{Section, SectionKind};
use antq_core::reviews::rich::{Block, Span};
use antq_core::reviews::{source_words, Header, Paragraph, Snapshot};
use antq_office::review::{
    annex_reference, annex_title, cell_text, data_note, note_line, parts as review_parts, roman,
    GroupPart, ReviewTable,
};
use antq_storage::reviews::Review;

/// One group of the results: its narrative lines, tables by year, charts.
pub struct PartView {
    pub number: usize,
    pub group: String,
    pub heading: String,
    pub text: String,
    pub lines: Vec<String>,
    pub tables: Vec<TableView>,
    pub charts: Vec<(String, String)>,
}

pub struct TableView {
    pub title: String,
    pub heads: Vec<String>,
    /// (label, cells as (figure, where it came from in words)).
    pub rows: Vec<(String, Vec<(String, &'static str)>)>,
}

/// A run of typed text.
pub struct SpanView {
    pub text: String,
    pub bold: bool,
    pub italic: bool,
}

/// One block of a typed section: `kind` is "p", "ul" or "table".
pub struct BlockView {
    pub kind: &'static str,
    pub spans: Vec<SpanView>,
    pub items: Vec<Vec<SpanView>>,
    pub rows: Vec<Vec<Vec<SpanView>>>,
    /// A sub-heading with nothing typed under it: a line of dots follows.
    pub dots_after: bool,
}

/// One section: "III. KẾT QUẢ ĐẠT ĐƯỢC".
pub struct SectionView {
    pub number: String,
    pub heading: String,
    pub results: bool,
    /// Typed blocks; empty while nothing is typed (a line of dots).
    pub blocks: Vec<BlockView>,
}

/// Everything the document template prints.
pub struct DocView {
    pub h: Header,
    pub sections: Vec<SectionView>,
    pub parts: Vec<PartView>,
    /// The footnote on the results' heading.
    pub footnote: String,
    pub annex_title: &'static str,
    pub annex_reference: String,
    pub annex_tables: Vec<TableView>,
    pub note: Vec<String>,
    /// What the results say when nothing of the stage is approved.
    pub no_results: &'static str,
}

fn spans(v: &[Span]) -> Vec<SpanView> {
    v.iter()
        .map(|s| SpanView {
            text: s.text.clone(),
            bold: s.bold,
            italic: s.italic,
        })
        .collect()
}

fn block_view(b: &Block) -> BlockView {
    let empty = BlockView {
        kind: "p",
        spans: Vec::new(),
        items: Vec::new(),
        rows: Vec::new(),
        dots_after: false,
    };
    match b {
        Block::Paragraph { spans: s } => BlockView {
            spans: spans(s),
            ..empty
        },
        Block::Bullets { items } => BlockView {
            kind: "ul",
            items: items.iter().map(|i| spans(i)).collect(),
            ..empty
        },
        Block::Table { rows } => BlockView {
            kind: "table",
            rows: rows
                .iter()
                .map(|r| r.iter().map(|c| spans(c)).collect())
                .collect(),
            ..empty
        },
    }
}

/// A typed section's blocks, as the Word file prints them: a wholly bold
/// paragraph is a sub-heading, followed by dots while nothing is under it.
fn typed_blocks(blocks: &[Block]) -> Vec<BlockView> {
    blocks
        .iter()
        .enumerate()
        .map(|(i, b)| BlockView {
            dots_after: b.is_subheading() && blocks.get(i + 1).is_none_or(Block::is_subheading),
            ..block_view(b)
        })
        .collect()
}

fn section_views(sections: &[Section]) -> Vec<SectionView> {
    sections
        .iter()
        .enumerate()
        .map(|(i, s)| SectionView {
            number: roman(i + 1),
            heading: s.heading.to_uppercase(),
            results: s.kind == SectionKind::Results,
            blocks: typed_blocks(&s.blocks()),
        })
        .collect()
}

fn table_view(t: &ReviewTable) -> TableView {
    TableView {
        title: t.title.clone(),
        heads: t.heads.clone(),
        rows: t
            .rows
            .iter()
            .map(|(label, cells, _)| {
                (
                    label.clone(),
                    cells
                        .iter()
                        .enumerate()
                        .map(|(i, c)| {
                            (
                                cell_text(
                                    c.as_ref(),
                                    t.units.get(i).map(String::as_str).unwrap_or(""),
                                ),
                                c.map(|f| source_words(f.source)).unwrap_or(""),
                            )
                        })
                        .collect(),
                )
            })
            .collect(),
    }
}

fn part_view(p: &GroupPart) -> PartView {
    let group = antq_core::indicators::GROUPS
        .iter()
        .find(|g| g.1 == p.heading)
        .map(|g| g.0.to_string())
        .unwrap_or_default();
    PartView {
        number: p.number,
        lines: p
            .text
            .split('\n')
            .filter(|l| !l.trim().is_empty())
            .map(str::to_string)
            .collect(),
        text: p.text.clone(),
        heading: p.heading.clone(),
        group,
        tables: p
            .tables
            .iter()
            .filter(|t| !t.annex)
            .map(table_view)
            .collect(),
        charts: p.charts.clone(),
    }
}

/// The parts of the results as the narrative editor lists them.
pub fn part_views(s: &Snapshot, narrative: &[Paragraph]) -> Vec<PartView> {
    review_parts(s, narrative).iter().map(part_view).collect()
}

/// The whole document of a stored review.
pub fn doc_view(r: &Review, h: Header) -> DocView {
    let parts = review_parts(&r.snapshot, &r.narrative);
    let fallback = [Section::new(SectionKind::Results, "KẾT QUẢ ĐẠT ĐƯỢC", "")];
    let sections = if r.sections.is_empty() {
        &fallback[..]
    } else {
        &r.sections[..]
    };
    DocView {
        sections: section_views(sections),
        annex_title: annex_title(&parts),
        annex_reference: annex_reference(&h),
        annex_tables: parts
            .iter()
            .flat_map(|p| p.tables.iter().filter(|t| t.annex).map(table_view))
            .collect(),
        parts: parts.iter().map(part_view).collect(),
        footnote: note_line(&r.snapshot),
        note: data_note(&r.snapshot),
        no_results: antq_office::review::NO_RESULTS,
        h,
    }
}
