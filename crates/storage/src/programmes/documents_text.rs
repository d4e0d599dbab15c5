//! The text of a document's files, for the public search: DOCX read here
//! (the ZIP's `word/document.xml`, paragraphs kept as lines), bounded in
//! what is unzipped and kept. PDF text is not extracted: no maintained
//! pure-Rust PDF text crate was cheap enough to build (its files are kept
//! and downloadable, and found by their document's subject and reference).

use std::io::Read;

/// The most bytes of `word/document.xml` read (a ZIP bomb stops there).
pub const MAX_XML_BYTES: u64 = 64 * 1024 * 1024;
/// The most characters of text kept per file.
pub const MAX_TEXT_CHARS: usize = 2_000_000;

/// The text of a file, NFC, when its kind is one we read.
pub fn extract(media_type: &str, bytes: &[u8]) -> Option<String> {
    if media_type.contains("wordprocessingml") {
        docx_text(bytes).ok().filter(|t| !t.trim().is_empty())
    } else {
        None
    }
}

/// The paragraphs of a DOCX file, one per line.
pub fn docx_text(bytes: &[u8]) -> Result<String, String> {
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).map_err(|e| e.to_string())?;
    let entry = zip
        .by_name("word/document.xml")
        .map_err(|e| e.to_string())?;
    let mut xml = Vec::new();
    entry
        .take(MAX_XML_BYTES)
        .read_to_end(&mut xml)
        .map_err(|e| e.to_string())?;
    let xml = String::from_utf8_lossy(&xml);
    Ok(antq_core::text::nfc(&xml_text(&xml)))
}

/// The text runs (`<w:t>`) of WordprocessingML, paragraphs (`</w:p>`) as
/// line breaks, tabs and breaks as spaces.
fn xml_text(xml: &str) -> String {
    let mut out = String::new();
    let mut rest = xml;
    let mut in_text = false;
    while let Some(lt) = rest.find('<') {
        if in_text {
            out.push_str(&unescape(&rest[..lt]));
        }
        let Some(gt) = rest[lt..].find('>') else {
            break;
        };
        let tag = &rest[lt + 1..lt + gt];
        let name = tag
            .trim_start_matches('/')
            .split(|c: char| c.is_whitespace() || c == '/')
            .next()
            .unwrap_or("");
        match name {
            "w:t" => in_text = !tag.starts_with('/') && !tag.ends_with('/'),
            "w:p" if tag.starts_with('/') => out.push('\n'),
            "w:tab" | "w:br" => out.push(' '),
            _ => {}
        }
        rest = &rest[lt + gt + 1..];
        if out.len() > MAX_TEXT_CHARS * 4 {
            break;
        }
    }
    out.chars().take(MAX_TEXT_CHARS).collect()
}

fn unescape(s: &str) -> String {
    if !s.contains('&') {
        return s.to_string();
    }
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        let after = &rest[amp + 1..];
        let Some(semi) = after.find(';').filter(|&i| i <= 10) else {
            out.push('&');
            rest = after;
            continue;
        };
        let entity = &after[..semi];
        let c = match entity {
            "amp" => Some('&'),
            "lt" => Some('<'),
            "gt" => Some('>'),
            "quot" => Some('"'),
            "apos" => Some('\''),
            e if e.starts_with("#x") => u32::from_str_radix(&e[2..], 16)
                .ok()
                .and_then(char::from_u32),
            e if e.starts_with('#') => e[1..].parse().ok().and_then(char::from_u32),
            _ => None,
        };
        match c {
            Some(c) => out.push(c),
            None => {
                out.push('&');
                out.push_str(entity);
                out.push(';');
            }
        }
        rest = &after[semi + 1..];
    }
    out.push_str(rest);
    out
}

/// A minimal DOCX holding these paragraphs (the demo's generated texts).
pub fn docx_of(paragraphs: &[String]) -> Vec<u8> {
    use std::io::Write;
    let esc = |s: &str| {
        s.replace('&', "&amp;")
            .replace('<', "&lt;")
            .replace('>', "&gt;")
    };
    let mut body = String::new();
    for p in paragraphs {
        body.push_str("<w:p><w:r><w:t xml:space=\"preserve\">");
        body.push_str(&esc(p));
        body.push_str("</w:t></w:r></w:p>");
    }
    let parts: [(&str, String); 3] = [
        ("[Content_Types].xml", "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\
<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">\
<Default Extension=\"rels\" ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/>\
<Default Extension=\"xml\" ContentType=\"application/xml\"/>\
<Override PartName=\"/word/document.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml\"/>\
</Types>".into()),
        ("_rels/.rels", "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\
<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">\
<Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument\" Target=\"word/document.xml\"/>\
</Relationships>".into()),
        ("word/document.xml", format!("<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\
<w:document xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\"><w:body>{body}</w:body></w:document>")),
    ];
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let opts = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    for (name, content) in parts {
        zip.start_file(name, opts).expect("writing into memory");
        zip.write_all(content.as_bytes())
            .expect("writing into memory");
    }
    zip.finish().expect("writing into memory").into_inner()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_docx_reads_back_as_its_paragraphs() {
        let bytes = docx_of(&[
            "Điều 1. Phạm vi & đối tượng".into(),
            "Tổ quốc <an toàn>".into(),
        ]);
        assert_eq!(
            extract(
                "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
                &bytes
            )
            .unwrap(),
            "Điều 1. Phạm vi & đối tượng\nTổ quốc <an toàn>\n"
        );
        assert_eq!(
            xml_text("<w:p><w:r><w:t>a&#273;b</w:t></w:r></w:p>"),
            "ađb\n"
        );
    }
}
