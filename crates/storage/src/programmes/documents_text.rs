//! The text of a document's files, for the public search: DOCX read here
//! (the ZIP's `word/document.xml`, paragraphs kept as lines), PDF through
//! the `pdf-extract` crate on a thread of its own (a panic caught, a time
//! limit, at most two at once); bounded in what is unzipped and kept.
//! A file whose text cannot be read is kept all the same, found by its
//! document's subject and reference.

use std::io::Read;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

/// The most bytes of `word/document.xml` read (a ZIP bomb stops there).
pub const MAX_XML_BYTES: u64 = 64 * 1024 * 1024;
/// The most characters of text kept per file.
pub const MAX_TEXT_CHARS: usize = 2_000_000;
/// The longest a PDF's text may take to read; beyond it the file is kept
/// without its text.
pub const PDF_TIME: Duration = Duration::from_secs(20);
/// PDFs read at once. A file that never finishes holds one of them until
/// the server restarts (a thread cannot be stopped), so a second is kept
/// for everyone else, and none is started beyond.
const PDF_READERS: usize = 2;
static PDF_READING: AtomicUsize = AtomicUsize::new(0);

/// The text of a file, NFC, when its kind is one we read. Blocking (a PDF
/// may take seconds): callers on an async runtime use `spawn_blocking`.
pub fn extract(media_type: &str, bytes: &[u8]) -> Option<String> {
    let text = if media_type.contains("wordprocessingml") {
        docx_text(bytes)
    } else if media_type == "application/pdf" {
        pdf_text(bytes)
    } else {
        return None;
    };
    match text {
        Ok(t) if !t.trim().is_empty() => Some(t),
        Ok(_) => None,
        Err(e) => {
            tracing::warn!(media_type, error = %e, "the text of a file could not be read");
            None
        }
    }
}

/// The text of a PDF, NFC, pages separated by blank lines.
pub fn pdf_text(bytes: &[u8]) -> Result<String, String> {
    if PDF_READING.fetch_add(1, Ordering::SeqCst) >= PDF_READERS {
        PDF_READING.fetch_sub(1, Ordering::SeqCst);
        return Err("PDF readers all busy (a file may never finish)".into());
    }
    let bytes = bytes.to_vec();
    let (send, receive) = std::sync::mpsc::channel();
    let started = std::thread::Builder::new()
        .name("pdf-text".into())
        .spawn(move || {
            let text = std::panic::catch_unwind(|| pdf_extract::extract_text_from_mem(&bytes));
            PDF_READING.fetch_sub(1, Ordering::SeqCst);
            let _ = send.send(text);
        });
    if let Err(e) = started {
        PDF_READING.fetch_sub(1, Ordering::SeqCst);
        return Err(e.to_string());
    }
    match receive.recv_timeout(PDF_TIME) {
        Ok(Ok(Ok(text))) => {
            let text: String = text.chars().take(MAX_TEXT_CHARS).collect();
            Ok(antq_core::text::nfc(&text))
        }
        Ok(Ok(Err(e))) => Err(e.to_string()),
        Ok(Err(_)) => Err("the PDF reader failed on this file".into()),
        Err(_) => Err(format!(
            "reading the PDF took more than {} s",
            PDF_TIME.as_secs()
        )),
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

    /// A one-page PDF writing `line` in Helvetica (offsets computed).
    fn pdf_of(line: &str) -> Vec<u8> {
        let content = format!("BT /F1 12 Tf 72 770 Td ({line}) Tj ET");
        let objects = [
            "<< /Type /Catalog /Pages 2 0 R >>".to_string(),
            "<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_string(),
            "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R \
             /Resources << /Font << /F1 5 0 R >> >> >>"
                .to_string(),
            format!(
                "<< /Length {} >>\nstream\n{content}\nendstream",
                content.len()
            ),
            "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>"
                .to_string(),
        ];
        let mut out = b"%PDF-1.4\n".to_vec();
        let mut offsets = Vec::new();
        for (i, o) in objects.iter().enumerate() {
            offsets.push(out.len());
            out.extend(format!("{} 0 obj\n{o}\nendobj\n", i + 1).bytes());
        }
        let xref = out.len();
        out.extend(format!("xref\n0 {}\n0000000000 65535 f \n", objects.len() + 1).bytes());
        for o in offsets {
            out.extend(format!("{o:010} 00000 n \n").bytes());
        }
        out.extend(
            format!(
                "trailer\n<< /Size {} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n",
                objects.len() + 1
            )
            .bytes(),
        );
        out
    }

    #[test]
    fn a_pdf_reads_back_as_its_text() {
        let text = extract(
            "application/pdf",
            &pdf_of("Chuong trinh phoi hop so 09/CTr-BCA-MTTW"),
        )
        .unwrap();
        assert!(
            text.contains("Chuong trinh phoi hop so 09/CTr-BCA-MTTW"),
            "{text:?}"
        );
        // Not a PDF after all, or cut short: no text, no panic, the file kept.
        assert_eq!(extract("application/pdf", b"%PDF-1.4\n1 0 obj"), None);
        let whole = pdf_of("Mot dong");
        assert_eq!(extract("application/pdf", &whole[..whole.len() / 2]), None);
        assert_eq!(extract("image/png", b"\x89PNG"), None);
    }

    /// Vietnamese as a word processor writes it into a PDF (embedded fonts,
    /// ToUnicode maps): where LibreOffice is installed, a DOCX converted to
    /// PDF reads back with its diacritics, NFC.
    #[test]
    fn a_vietnamese_pdf_keeps_its_diacritics() {
        let Some(soffice) = ["soffice", "libreoffice"].into_iter().find(|c| {
            std::process::Command::new(c)
                .arg("--version")
                .output()
                .is_ok()
        }) else {
            eprintln!("skipped: LibreOffice is not installed, no Vietnamese PDF to read");
            return;
        };
        let dir = std::env::temp_dir().join(format!("antq-pdf-text-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("van-ban.docx");
        std::fs::write(
            &path,
            docx_of(&["Chương trình phối hợp bảo vệ an ninh Tổ quốc, Điện Biên".into()]),
        )
        .unwrap();
        let out = std::process::Command::new(soffice)
            .args(["--headless", "--convert-to", "pdf", "--outdir"])
            .arg(&dir)
            .arg(&path)
            .env("HOME", &dir)
            .output()
            .unwrap();
        let pdf = std::fs::read(dir.join("van-ban.pdf"))
            .unwrap_or_else(|_| panic!("no PDF: {}", String::from_utf8_lossy(&out.stderr)));
        std::fs::remove_dir_all(&dir).ok();
        let text = extract("application/pdf", &pdf).unwrap();
        let words = text.split_whitespace().collect::<Vec<_>>().join(" ");
        assert!(
            words.contains("Chương trình phối hợp bảo vệ an ninh Tổ quốc, Điện Biên"),
            "{words:?}"
        );
    }

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
