//! A small Word (.docx, Office Open XML) writer for documents in the layout
//! of Nghị định 30/2020/NĐ-CP: A4, the decree's margins, Times New Roman,
//! justified paragraphs with a first-line indent, tables, PNG images, and
//! page numbers centred in the top margin from page 2 on.
//!
//! Written by hand (a few hundred lines of XML) rather than through a docx
//! crate: the layout is fixed by the decree and this keeps full control of
//! every attribute the decree names, with no heavy dependency.

use std::io::Write;

use zip::write::SimpleFileOptions;

/// Twips per millimetre (1 inch = 1440 twips = 25,4 mm).
pub fn mm(x: f64) -> u32 {
    (x * 1440.0 / 25.4).round() as u32
}

/// A4 and the margins used (within the decree's ranges).
pub const PAGE_W: u32 = 11906;
pub const PAGE_H: u32 = 16838;
pub const MARGIN_TOP: u32 = 1134; // 20 mm
pub const MARGIN_BOTTOM: u32 = 1134; // 20 mm
pub const MARGIN_LEFT: u32 = 1701; // 30 mm
pub const MARGIN_RIGHT: u32 = 1134; // 20 mm
pub const TEXT_W: u32 = PAGE_W - MARGIN_LEFT - MARGIN_RIGHT;
pub const FONT: &str = "Times New Roman";

/// Escaped for XML; characters XML 1.0 forbids (control characters other
/// than tab and newline, as pasted from other programs, and the
/// noncharacters U+FFFE and U+FFFF) are dropped.
fn esc(s: &str) -> String {
    let s: String = s
        .chars()
        .filter(|c| {
            (!c.is_control() || *c == '\t' || *c == '\n') && !matches!(c, '\u{FFFE}' | '\u{FFFF}')
        })
        .collect();
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Align {
    Left,
    Center,
    Right,
    Both,
}

impl Align {
    fn xml(self) -> &'static str {
        match self {
            Align::Left => "left",
            Align::Center => "center",
            Align::Right => "right",
            Align::Both => "both",
        }
    }
}

/// A run of text with one format. Size in points.
#[derive(Debug, Clone)]
pub struct Run {
    pub text: String,
    pub bold: bool,
    pub italic: bool,
    pub size: f32,
    /// A footnote mark (the footnote's id) instead of text.
    pub footnote: Option<u32>,
}

impl Run {
    pub fn new(text: impl Into<String>, size: f32) -> Run {
        Run {
            text: text.into(),
            bold: false,
            italic: false,
            size,
            footnote: None,
        }
    }
    /// The superscript mark of footnote `id` (from [`Docx::footnote`]).
    pub fn footnote_ref(id: u32, size: f32) -> Run {
        Run {
            footnote: Some(id),
            ..Run::new("", size)
        }
    }
    pub fn bold(mut self) -> Run {
        self.bold = true;
        self
    }
    pub fn italic(mut self) -> Run {
        self.italic = true;
        self
    }

    fn xml(&self) -> String {
        if let Some(id) = self.footnote {
            return format!(
                "<w:r><w:rPr><w:rStyle w:val=\"FootnoteReference\"/><w:vertAlign w:val=\"superscript\"/></w:rPr><w:footnoteReference w:id=\"{id}\"/></w:r>"
            );
        }
        let mut rpr = String::new();
        if self.bold {
            rpr.push_str("<w:b/><w:bCs/>");
        }
        if self.italic {
            rpr.push_str("<w:i/><w:iCs/>");
        }
        let hp = (self.size * 2.0).round() as u32;
        rpr.push_str(&format!("<w:sz w:val=\"{hp}\"/><w:szCs w:val=\"{hp}\"/>"));
        let mut out = String::new();
        for (i, line) in self.text.split('\n').enumerate() {
            if i > 0 {
                out.push_str(&format!("<w:r><w:rPr>{rpr}</w:rPr><w:br/></w:r>"));
            }
            // A tab is Word's own element, not a character of the text.
            for (j, piece) in line.split('\t').enumerate() {
                if j > 0 {
                    out.push_str(&format!("<w:r><w:rPr>{rpr}</w:rPr><w:tab/></w:r>"));
                }
                if !piece.is_empty() || j == 0 {
                    out.push_str(&format!(
                        "<w:r><w:rPr>{rpr}</w:rPr><w:t xml:space=\"preserve\">{}</w:t></w:r>",
                        esc(piece)
                    ));
                }
            }
        }
        out
    }
}

/// How a paragraph sits: alignment, first-line indent and spacing (twips),
/// line spacing (240 = single), a short rule under it, keep with next.
#[derive(Debug, Clone, Copy)]
pub struct Para {
    pub align: Align,
    pub first_line: u32,
    pub before: u32,
    pub after: u32,
    pub line: u32,
    /// A rule under the paragraph, this many twips wide (centred).
    pub rule: Option<u32>,
    pub keep_next: bool,
    /// A paragraph style of styles.xml ("Heading1", "Heading2").
    pub style: Option<&'static str>,
    /// (left, hanging) indent in twips, with a tab stop at `left`: a list item.
    pub hanging: Option<(u32, u32)>,
    /// A box around the paragraph, this many twips wide (centred); adjacent
    /// boxed paragraphs share one box.
    pub boxed: Option<u32>,
}

impl Para {
    /// Body text: justified, first line indented 1,27 cm, 6 pt after, 1,2 lines.
    pub fn body() -> Para {
        Para {
            align: Align::Both,
            first_line: 720,
            before: 0,
            after: 120,
            line: 288,
            rule: None,
            keep_next: false,
            style: None,
            hanging: None,
            boxed: None,
        }
    }
    pub fn centred() -> Para {
        Para {
            align: Align::Center,
            first_line: 0,
            before: 0,
            after: 0,
            line: 240,
            rule: None,
            keep_next: false,
            style: None,
            hanging: None,
            boxed: None,
        }
    }
    pub fn left() -> Para {
        Para {
            align: Align::Left,
            ..Para::centred()
        }
    }
    pub fn heading() -> Para {
        Para {
            before: 120,
            keep_next: true,
            ..Para::body()
        }
    }
    /// A heading of the outline (`level` 1 or 2): the style Heading1 or
    /// Heading2, so Word's navigation pane lists it.
    pub fn outline(level: u8) -> Para {
        Para {
            style: Some(if level <= 1 { "Heading1" } else { "Heading2" }),
            ..Para::heading()
        }
    }
    /// A list item: "-" then a tab, the text wrapped under itself.
    pub fn item() -> Para {
        Para {
            hanging: Some((1077, 357)),
            first_line: 0,
            ..Para::body()
        }
    }
    pub fn keep_next(mut self) -> Para {
        self.keep_next = true;
        self
    }
    pub fn styled(mut self, style: &'static str) -> Para {
        self.style = Some(style);
        self
    }
    pub fn boxed(mut self, width: u32) -> Para {
        self.boxed = Some(width);
        self
    }
    pub fn with_rule(mut self, width: u32) -> Para {
        self.rule = Some(width);
        self
    }
    pub fn after(mut self, twips: u32) -> Para {
        self.after = twips;
        self
    }
    pub fn before(mut self, twips: u32) -> Para {
        self.before = twips;
        self
    }

    /// The paragraph properties, in the schema's order.
    fn xml(&self, available: u32) -> String {
        let mut p = String::new();
        if let Some(style) = self.style {
            p.push_str(&format!("<w:pStyle w:val=\"{style}\"/>"));
        }
        if self.keep_next {
            p.push_str("<w:keepNext/>");
        }
        let mut ind = String::new();
        if let Some(w) = self.boxed {
            let line = |side: &str| {
                format!("<w:{side} w:val=\"single\" w:sz=\"12\" w:space=\"4\" w:color=\"000000\"/>")
            };
            p.push_str(&format!(
                "<w:pBdr>{}{}{}{}</w:pBdr>",
                line("top"),
                line("left"),
                line("bottom"),
                line("right")
            ));
            let side = available.saturating_sub(w) / 2;
            ind = format!("<w:ind w:left=\"{side}\" w:right=\"{side}\"/>");
        } else if let Some(w) = self.rule {
            p.push_str("<w:pBdr><w:bottom w:val=\"single\" w:sz=\"6\" w:space=\"1\" w:color=\"000000\"/></w:pBdr>");
            let side = available.saturating_sub(w) / 2;
            ind = format!("<w:ind w:left=\"{side}\" w:right=\"{side}\"/>");
        } else if let Some((left, hanging)) = self.hanging {
            p.push_str(&format!(
                "<w:tabs><w:tab w:val=\"left\" w:pos=\"{left}\"/></w:tabs>"
            ));
            ind = format!("<w:ind w:left=\"{left}\" w:hanging=\"{hanging}\"/>");
        } else if self.first_line > 0 {
            ind = format!("<w:ind w:firstLine=\"{}\"/>", self.first_line);
        } else if self.style.is_some() {
            ind = "<w:ind w:firstLine=\"0\"/>".into();
        }
        p.push_str(&format!(
            "<w:spacing w:before=\"{}\" w:after=\"{}\" w:line=\"{}\" w:lineRule=\"auto\"/>",
            self.before, self.after, self.line
        ));
        p.push_str(&ind);
        p.push_str(&format!("<w:jc w:val=\"{}\"/>", self.align.xml()));
        p
    }
}

/// A table cell: paragraphs of runs.
#[derive(Debug, Clone)]
pub struct TableCell {
    pub paras: Vec<(Para, Vec<Run>)>,
    pub shade: bool,
}

impl TableCell {
    pub fn text(text: impl Into<String>, size: f32, align: Align, bold: bool) -> TableCell {
        let mut r = Run::new(text, size);
        r.bold = bold;
        TableCell {
            paras: vec![(
                Para {
                    align,
                    ..Para::left()
                },
                vec![r],
            )],
            shade: false,
        }
    }
}

/// How a table is laid out: ruled or not, heading rows repeated on each
/// page, cells centred or top-aligned vertically.
#[derive(Debug, Clone, Copy, Default)]
pub struct TableLayout {
    /// Ruled (a data table) or not (a layout table: the header block).
    pub borders: bool,
    /// The first rows, repeated on each page.
    pub header_rows: usize,
    /// Cells top-aligned (signature blocks) rather than centred.
    pub top: bool,
}

/// The landscape text width (A4 turned, same margins).
pub const LANDSCAPE_TEXT_W: u32 = PAGE_H - MARGIN_LEFT - MARGIN_RIGHT;

/// A document being written.
pub struct Docx {
    body: String,
    images: Vec<Vec<u8>>,
    title: String,
    tables: usize,
    /// Footnote texts; footnote n has id n + 1 (ids -1 and 0 are the separators).
    footnotes: Vec<String>,
    /// The pages from here on are landscape (see [`Docx::landscape_from_here`]).
    landscape: bool,
}

impl Docx {
    pub fn new(title: &str) -> Docx {
        Docx {
            body: String::new(),
            images: Vec::new(),
            title: title.to_string(),
            tables: 0,
            footnotes: Vec::new(),
            landscape: false,
        }
    }

    /// The width between the margins of the current pages.
    pub fn text_width(&self) -> u32 {
        if self.landscape {
            LANDSCAPE_TEXT_W
        } else {
            TEXT_W
        }
    }

    pub fn paragraph(&mut self, para: Para, runs: &[Run]) {
        self.body.push_str(&para_xml(para, runs, self.text_width()));
    }

    /// A footnote with this text; returns its id for [`Run::footnote_ref`].
    pub fn footnote(&mut self, text: &str) -> u32 {
        self.footnotes.push(text.to_string());
        self.footnotes.len() as u32
    }

    /// End the portrait pages: what follows starts on a new landscape page
    /// (A4 turned, the same margins), page numbers running on.
    pub fn landscape_from_here(&mut self) {
        if self.landscape {
            return;
        }
        self.body.push_str(&format!(
            "<w:p><w:pPr><w:sectPr>{}</w:sectPr></w:pPr></w:p>",
            section_props(false)
        ));
        self.landscape = true;
    }

    /// A table: `widths` in twips; `borders` false for a layout table (the header block).
    pub fn table(
        &mut self,
        widths: &[u32],
        rows: &[Vec<TableCell>],
        borders: bool,
        header_rows: usize,
    ) {
        self.table_with(
            widths,
            rows,
            TableLayout {
                borders,
                header_rows,
                top: false,
            },
        );
    }

    /// A table laid out as `layout` says; rows never split across pages.
    pub fn table_with(&mut self, widths: &[u32], rows: &[Vec<TableCell>], layout: TableLayout) {
        let (borders, header_rows) = (layout.borders, layout.header_rows);
        let valign = if layout.top { "top" } else { "center" };
        self.tables += 1;
        let total: u32 = widths.iter().sum();
        let border = if borders {
            "<w:tblBorders><w:top w:val=\"single\" w:sz=\"4\"/><w:left w:val=\"single\" w:sz=\"4\"/>\
             <w:bottom w:val=\"single\" w:sz=\"4\"/><w:right w:val=\"single\" w:sz=\"4\"/>\
             <w:insideH w:val=\"single\" w:sz=\"4\"/><w:insideV w:val=\"single\" w:sz=\"4\"/></w:tblBorders>"
        } else {
            "<w:tblBorders><w:top w:val=\"nil\"/><w:left w:val=\"nil\"/><w:bottom w:val=\"nil\"/>\
             <w:right w:val=\"nil\"/><w:insideH w:val=\"nil\"/><w:insideV w:val=\"nil\"/></w:tblBorders>"
        };
        let mut x = format!(
            "<w:tbl><w:tblPr><w:tblW w:w=\"{total}\" w:type=\"dxa\"/><w:jc w:val=\"center\"/>{border}\
             <w:tblLayout w:type=\"fixed\"/><w:tblCellMar><w:left w:w=\"57\" w:type=\"dxa\"/><w:right w:w=\"57\" w:type=\"dxa\"/></w:tblCellMar></w:tblPr><w:tblGrid>"
        );
        for w in widths {
            x.push_str(&format!("<w:gridCol w:w=\"{w}\"/>"));
        }
        x.push_str("</w:tblGrid>");
        for (ri, row) in rows.iter().enumerate() {
            x.push_str("<w:tr>");
            if ri < header_rows {
                x.push_str("<w:trPr><w:tblHeader/><w:cantSplit/></w:trPr>");
            } else {
                x.push_str("<w:trPr><w:cantSplit/></w:trPr>");
            }
            for (ci, cell) in row.iter().enumerate() {
                let w = widths.get(ci).copied().unwrap_or(1000);
                x.push_str(&format!(
                    "<w:tc><w:tcPr><w:tcW w:w=\"{w}\" w:type=\"dxa\"/>"
                ));
                if cell.shade {
                    x.push_str("<w:shd w:val=\"clear\" w:color=\"auto\" w:fill=\"E7E9EC\"/>");
                }
                x.push_str(&format!("<w:vAlign w:val=\"{valign}\"/></w:tcPr>"));
                if cell.paras.is_empty() {
                    x.push_str("<w:p/>");
                }
                for (p, runs) in &cell.paras {
                    x.push_str(&para_xml(*p, runs, w));
                }
                x.push_str("</w:tc>");
            }
            x.push_str("</w:tr>");
        }
        x.push_str("</w:tbl>");
        self.body.push_str(&x);
    }

    /// A PNG picture, centred, `width` twips wide (height from the pixel ratio).
    pub fn image(&mut self, png: Vec<u8>, px_w: u32, px_h: u32, width: u32, caption: &str) {
        self.images.push(png);
        let n = self.images.len();
        let cx = u64::from(width) * 635; // EMU per twip
        let cy = cx * u64::from(px_h) / u64::from(px_w.max(1));
        self.body.push_str(&format!(
            "<w:p><w:pPr><w:keepNext/><w:spacing w:before=\"120\" w:after=\"0\"/><w:jc w:val=\"center\"/></w:pPr><w:r><w:drawing>\
             <wp:inline distT=\"0\" distB=\"0\" distL=\"0\" distR=\"0\"><wp:extent cx=\"{cx}\" cy=\"{cy}\"/>\
             <wp:docPr id=\"{n}\" name=\"Biểu đồ {n}\" descr=\"{}\"/>\
             <wp:cNvGraphicFramePr><a:graphicFrameLocks noChangeAspect=\"1\"/></wp:cNvGraphicFramePr>\
             <a:graphic><a:graphicData uri=\"http://schemas.openxmlformats.org/drawingml/2006/picture\">\
             <pic:pic><pic:nvPicPr><pic:cNvPr id=\"{n}\" name=\"chart{n}.png\"/><pic:cNvPicPr/></pic:nvPicPr>\
             <pic:blipFill><a:blip r:embed=\"rIdImg{n}\"/><a:stretch><a:fillRect/></a:stretch></pic:blipFill>\
             <pic:spPr><a:xfrm><a:off x=\"0\" y=\"0\"/><a:ext cx=\"{cx}\" cy=\"{cy}\"/></a:xfrm><a:prstGeom prst=\"rect\"><a:avLst/></a:prstGeom></pic:spPr>\
             </pic:pic></a:graphicData></a:graphic></wp:inline></w:drawing></w:r></w:p>",
            esc(caption)
        ));
        self.paragraph(
            Para::centred().after(160),
            &[Run::new(caption, 12.0).italic()],
        );
    }

    /// The finished .docx.
    pub fn finish(self) -> Result<Vec<u8>, String> {
        let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
        let opts =
            SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
        let mut put = |name: &str, bytes: &[u8]| -> Result<(), String> {
            zip.start_file(name, opts).map_err(|e| e.to_string())?;
            zip.write_all(bytes).map_err(|e| e.to_string())
        };
        let notes = !self.footnotes.is_empty();
        put("[Content_Types].xml", content_types(notes).as_bytes())?;
        put("_rels/.rels", ROOT_RELS.as_bytes())?;
        put("docProps/core.xml", core_xml(&self.title).as_bytes())?;
        put("word/styles.xml", styles_xml().as_bytes())?;
        put("word/settings.xml", settings_xml(notes).as_bytes())?;
        put("word/header1.xml", header_xml().as_bytes())?;
        put("word/header2.xml", EMPTY_HEADER.as_bytes())?;
        let mut rels = String::from(
            "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\
             <Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">\
             <Relationship Id=\"rIdStyles\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles\" Target=\"styles.xml\"/>\
             <Relationship Id=\"rIdSettings\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/settings\" Target=\"settings.xml\"/>\
             <Relationship Id=\"rIdHeader1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/header\" Target=\"header1.xml\"/>\
             <Relationship Id=\"rIdHeader2\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/header\" Target=\"header2.xml\"/>",
        );
        if notes {
            rels.push_str("<Relationship Id=\"rIdFootnotes\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/footnotes\" Target=\"footnotes.xml\"/>");
            put(
                "word/footnotes.xml",
                footnotes_xml(&self.footnotes).as_bytes(),
            )?;
        }
        for i in 1..=self.images.len() {
            rels.push_str(&format!(
                "<Relationship Id=\"rIdImg{i}\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/image\" Target=\"media/chart{i}.png\"/>"
            ));
        }
        rels.push_str("</Relationships>");
        put("word/_rels/document.xml.rels", rels.as_bytes())?;
        for (i, png) in self.images.iter().enumerate() {
            put(&format!("word/media/chart{}.png", i + 1), png)?;
        }
        let doc = format!(
            "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\
             <w:document xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\" \
             xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\" \
             xmlns:wp=\"http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing\" \
             xmlns:a=\"http://schemas.openxmlformats.org/drawingml/2006/main\" \
             xmlns:pic=\"http://schemas.openxmlformats.org/drawingml/2006/picture\"><w:body>{}\
             <w:sectPr>{}</w:sectPr></w:body></w:document>",
            self.body,
            section_props(self.landscape)
        );
        put("word/document.xml", doc.as_bytes())?;
        let cursor = zip.finish().map_err(|e| e.to_string())?;
        Ok(cursor.into_inner())
    }
}

/// A section's page: portrait (the first section: no page number on page
/// 1, numbering from 1) or landscape (A4 turned, the same margins, the page
/// number on every page, numbering running on).
fn section_props(landscape: bool) -> String {
    let margins = format!(
        "<w:pgMar w:top=\"{MARGIN_TOP}\" w:right=\"{MARGIN_RIGHT}\" w:bottom=\"{MARGIN_BOTTOM}\" w:left=\"{MARGIN_LEFT}\" \
         w:header=\"567\" w:footer=\"567\" w:gutter=\"0\"/>"
    );
    if landscape {
        format!(
            "<w:headerReference w:type=\"default\" r:id=\"rIdHeader1\"/><w:type w:val=\"nextPage\"/>\
             <w:pgSz w:w=\"{PAGE_H}\" w:h=\"{PAGE_W}\" w:orient=\"landscape\"/>{margins}"
        )
    } else {
        format!(
            "<w:headerReference w:type=\"default\" r:id=\"rIdHeader1\"/>\
             <w:headerReference w:type=\"first\" r:id=\"rIdHeader2\"/>\
             <w:pgSz w:w=\"{PAGE_W}\" w:h=\"{PAGE_H}\"/>{margins}<w:pgNumType w:start=\"1\"/><w:titlePg/>"
        )
    }
}

/// The footnotes part: the two separators Word expects, then each note
/// (footnote text style, 12 pt).
fn footnotes_xml(notes: &[String]) -> String {
    let mut x = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\
         <w:footnotes xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\" \
         xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\">\
         <w:footnote w:type=\"separator\" w:id=\"-1\"><w:p><w:pPr><w:spacing w:after=\"0\" w:line=\"240\" w:lineRule=\"auto\"/></w:pPr><w:r><w:separator/></w:r></w:p></w:footnote>\
         <w:footnote w:type=\"continuationSeparator\" w:id=\"0\"><w:p><w:pPr><w:spacing w:after=\"0\" w:line=\"240\" w:lineRule=\"auto\"/></w:pPr><w:r><w:continuationSeparator/></w:r></w:p></w:footnote>",
    );
    for (i, text) in notes.iter().enumerate() {
        x.push_str(&format!(
            "<w:footnote w:id=\"{}\"><w:p><w:pPr><w:pStyle w:val=\"FootnoteText\"/><w:jc w:val=\"both\"/></w:pPr>\
             <w:r><w:rPr><w:rStyle w:val=\"FootnoteReference\"/><w:vertAlign w:val=\"superscript\"/></w:rPr><w:footnoteRef/></w:r>\
             <w:r><w:t xml:space=\"preserve\"> {}</w:t></w:r></w:p></w:footnote>",
            i + 1,
            esc(text)
        ));
    }
    x.push_str("</w:footnotes>");
    x
}

fn para_xml(para: Para, runs: &[Run], available: u32) -> String {
    let mut x = format!("<w:p><w:pPr>{}</w:pPr>", para.xml(available));
    for r in runs {
        x.push_str(&r.xml());
    }
    x.push_str("</w:p>");
    x
}

fn content_types(footnotes: bool) -> String {
    let notes = if footnotes {
        "<Override PartName=\"/word/footnotes.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.footnotes+xml\"/>"
    } else {
        ""
    };
    format!("<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\
<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">\
<Default Extension=\"rels\" ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/>\
<Default Extension=\"xml\" ContentType=\"application/xml\"/>\
<Default Extension=\"png\" ContentType=\"image/png\"/>\
<Override PartName=\"/word/document.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml\"/>\
<Override PartName=\"/word/styles.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml\"/>\
<Override PartName=\"/word/settings.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.settings+xml\"/>\
<Override PartName=\"/word/header1.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.header+xml\"/>\
<Override PartName=\"/word/header2.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.header+xml\"/>\
{notes}\
<Override PartName=\"/docProps/core.xml\" ContentType=\"application/vnd.openxmlformats-package.core-properties+xml\"/>\
</Types>")
}

const ROOT_RELS: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\
<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">\
<Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument\" Target=\"word/document.xml\"/>\
<Relationship Id=\"rId2\" Type=\"http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties\" Target=\"docProps/core.xml\"/>\
</Relationships>";

fn settings_xml(footnotes: bool) -> String {
    let notes = if footnotes {
        "<w:footnotePr><w:footnote w:id=\"-1\"/><w:footnote w:id=\"0\"/></w:footnotePr>"
    } else {
        ""
    };
    format!("<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\
<w:settings xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\">\
<w:defaultTabStop w:val=\"720\"/><w:characterSpacingControl w:val=\"doNotCompress\"/>{notes}\
<w:compat><w:compatSetting w:name=\"compatibilityMode\" w:uri=\"http://schemas.microsoft.com/office/word\" w:val=\"15\"/></w:compat>\
</w:settings>")
}

const EMPTY_HEADER: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\
<w:hdr xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\"><w:p/></w:hdr>";

/// The page number, centred in the top margin (13 pt); page 1 uses the empty "first" header.
fn header_xml() -> String {
    "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\
<w:hdr xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\">\
<w:p><w:pPr><w:jc w:val=\"center\"/></w:pPr>\
<w:r><w:rPr><w:sz w:val=\"26\"/></w:rPr><w:fldChar w:fldCharType=\"begin\"/></w:r>\
<w:r><w:rPr><w:sz w:val=\"26\"/></w:rPr><w:instrText xml:space=\"preserve\"> PAGE </w:instrText></w:r>\
<w:r><w:rPr><w:sz w:val=\"26\"/></w:rPr><w:fldChar w:fldCharType=\"separate\"/></w:r>\
<w:r><w:rPr><w:sz w:val=\"26\"/></w:rPr><w:t>2</w:t></w:r>\
<w:r><w:rPr><w:sz w:val=\"26\"/></w:rPr><w:fldChar w:fldCharType=\"end\"/></w:r></w:p></w:hdr>"
        .to_string()
}

fn styles_xml() -> String {
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\
<w:styles xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\">\
<w:docDefaults><w:rPrDefault><w:rPr><w:rFonts w:ascii=\"{FONT}\" w:hAnsi=\"{FONT}\" w:cs=\"{FONT}\" w:eastAsia=\"{FONT}\"/>\
<w:color w:val=\"000000\"/><w:sz w:val=\"28\"/><w:szCs w:val=\"28\"/><w:lang w:val=\"vi-VN\"/></w:rPr></w:rPrDefault>\
<w:pPrDefault><w:pPr><w:spacing w:after=\"0\" w:line=\"240\" w:lineRule=\"auto\"/></w:pPr></w:pPrDefault></w:docDefaults>\
<w:style w:type=\"paragraph\" w:default=\"1\" w:styleId=\"Normal\"><w:name w:val=\"Normal\"/><w:qFormat/></w:style>\
<w:style w:type=\"paragraph\" w:styleId=\"Heading1\"><w:name w:val=\"heading 1\"/><w:basedOn w:val=\"Normal\"/><w:next w:val=\"Normal\"/><w:qFormat/>\
<w:pPr><w:keepNext/><w:spacing w:before=\"120\" w:after=\"120\"/><w:outlineLvl w:val=\"0\"/></w:pPr><w:rPr><w:b/><w:bCs/><w:sz w:val=\"28\"/><w:szCs w:val=\"28\"/></w:rPr></w:style>\
<w:style w:type=\"paragraph\" w:styleId=\"Heading2\"><w:name w:val=\"heading 2\"/><w:basedOn w:val=\"Normal\"/><w:next w:val=\"Normal\"/><w:qFormat/>\
<w:pPr><w:keepNext/><w:spacing w:before=\"120\" w:after=\"120\"/><w:outlineLvl w:val=\"1\"/></w:pPr><w:rPr><w:b/><w:bCs/><w:sz w:val=\"28\"/><w:szCs w:val=\"28\"/></w:rPr></w:style>\
<w:style w:type=\"paragraph\" w:styleId=\"FootnoteText\"><w:name w:val=\"footnote text\"/><w:basedOn w:val=\"Normal\"/>\
<w:rPr><w:sz w:val=\"24\"/><w:szCs w:val=\"24\"/></w:rPr></w:style>\
<w:style w:type=\"character\" w:styleId=\"FootnoteReference\"><w:name w:val=\"footnote reference\"/><w:rPr><w:vertAlign w:val=\"superscript\"/></w:rPr></w:style>\
<w:style w:type=\"table\" w:default=\"1\" w:styleId=\"TableNormal\"><w:name w:val=\"Normal Table\"/>\
<w:tblPr><w:tblInd w:w=\"0\" w:type=\"dxa\"/><w:tblCellMar><w:top w:w=\"0\" w:type=\"dxa\"/><w:left w:w=\"108\" w:type=\"dxa\"/>\
<w:bottom w:w=\"0\" w:type=\"dxa\"/><w:right w:w=\"108\" w:type=\"dxa\"/></w:tblCellMar></w:tblPr></w:style>\
</w:styles>"
    )
}

fn core_xml(title: &str) -> String {
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\
<cp:coreProperties xmlns:cp=\"http://schemas.openxmlformats.org/package/2006/metadata/core-properties\" \
xmlns:dc=\"http://purl.org/dc/elements/1.1/\" xmlns:dcterms=\"http://purl.org/dc/terms/\" \
xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\">\
<dc:title>{}</dc:title><dc:creator>antq</dc:creator><dc:language>vi-VN</dc:language></cp:coreProperties>",
        esc(title)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_is_escaped_and_forbidden_characters_dropped() {
        assert_eq!(
            esc("a\u{0B}b <c> & \"d\"\r"),
            "ab &lt;c&gt; &amp; &quot;d&quot;"
        );
        assert_eq!(esc("dòng 1\ndòng 2\tx"), "dòng 1\ndòng 2\tx");
        assert_eq!(
            esc("A\u{FFFE}B\u{FFFF}C"),
            "ABC",
            "Word refuses noncharacters"
        );
        assert_eq!(mm(20.0), 1134);
        assert_eq!(mm(30.0), 1701);
    }
}
