//! An article as an editor types it, checked; its body as blocks; its slug.

use crate::portal::Topic;
use crate::text::{check_len, clean, fold};
use crate::DomainError;

pub const MAX_HEADLINE: usize = 250;
pub const MAX_LEAD: usize = 1_000;
pub const MAX_BODY: usize = 60_000;
pub const MAX_AUTHOR: usize = 200;
pub const MAX_TAGS: usize = 12;
pub const MAX_TAG: usize = 60;
pub const MAX_CORRECTION: usize = 1_000;

/// What an editor writes.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ArticleText {
    pub headline: String,
    pub lead: String,
    /// Paragraphs separated by blank lines; a paragraph starting with "> "
    /// is a quote; a line "[ảnh N]" places the article's N-th image.
    pub body: String,
    pub author_line: String,
    pub photo_credit: String,
    pub tags: Vec<String>,
}

/// One block of an article's body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Block {
    Paragraph(String),
    Quote(String),
    /// The image at this position (1-based, as editors count).
    Image(u32),
}

/// One line of text: NFC, inner whitespace collapsed.
fn line(label: &str, s: &str, max: usize) -> Result<String, DomainError> {
    let s = clean(s);
    check_len(label, &s, max)?;
    crate::text::check_printable(label, &s)?;
    Ok(s)
}

/// A body: NFC, each line trimmed, at most one blank line between paragraphs.
fn body_text(s: &str) -> Result<String, DomainError> {
    let nfc = crate::text::nfc(&s.replace("\r\n", "\n").replace('\r', "\n"));
    let mut out: Vec<String> = Vec::new();
    for l in nfc.lines() {
        let l = l.split_whitespace().collect::<Vec<_>>().join(" ");
        if l.is_empty() && out.last().is_none_or(|p| p.is_empty()) {
            continue;
        }
        out.push(l);
    }
    while out.last().is_some_and(|l| l.is_empty()) {
        out.pop();
    }
    let body = out.join("\n");
    check_len("Nội dung bài", &body, MAX_BODY)?;
    crate::text::check_printable("Nội dung bài", &body.replace('\n', " "))?;
    Ok(body)
}

/// Tags from a comma-separated list: each one line, no repeats (by folded form).
pub fn parse_tags(s: &str) -> Result<Vec<String>, DomainError> {
    let mut tags: Vec<String> = Vec::new();
    for t in s.split([',', ';', '\n']) {
        let t = line("Từ khóa", t, MAX_TAG)?;
        if t.is_empty() || tags.iter().any(|x| fold(x) == fold(&t)) {
            continue;
        }
        tags.push(t);
    }
    if tags.len() > MAX_TAGS {
        return Err(DomainError::invalid(format!(
            "Có {} từ khóa, nhiều nhất {MAX_TAGS}",
            tags.len()
        )));
    }
    Ok(tags)
}

impl ArticleText {
    /// The text as typed, checked and cleaned.
    pub fn parse(
        headline: &str,
        lead: &str,
        body: &str,
        author_line: &str,
        photo_credit: &str,
        tags: &str,
    ) -> Result<ArticleText, DomainError> {
        let headline = line("Tiêu đề", headline, MAX_HEADLINE)?;
        if headline.is_empty() {
            return Err(DomainError::invalid("Bài viết cần có tiêu đề"));
        }
        Ok(ArticleText {
            headline,
            lead: line("Sa-pô (đoạn mở đầu)", lead, MAX_LEAD)?,
            body: body_text(body)?,
            author_line: line("Tác giả", author_line, MAX_AUTHOR)?,
            photo_credit: credit_of(&line("Nguồn ảnh", photo_credit, MAX_AUTHOR)?),
            tags: parse_tags(tags)?,
        })
    }

    /// The folded words a search or the related news compares.
    pub fn search_key(&self, topic: Topic) -> String {
        fold(&format!(
            "{} {} {} {}",
            self.headline,
            self.lead,
            self.tags.join(" "),
            topic.label_vi()
        ))
    }
}

/// A photo credit without the "Ảnh:" the page prints before it (an editor
/// typing "Ảnh: Minh Anh" must not get "Ảnh: Ảnh: Minh Anh").
pub fn credit_of(typed: &str) -> String {
    let t = typed.trim();
    let mut chars = t.char_indices();
    let word: String = chars.by_ref().take(3).map(|(_, c)| c).collect();
    if fold(&word) == "anh" {
        if let Some((i, _)) = chars.next() {
            let rest = t[i..].trim_start();
            if let Some(r) = rest.strip_prefix(':') {
                return r.trim().to_string();
            }
        } else {
            return String::new();
        }
    }
    t.to_string()
}

/// A correction note on a published article.
pub fn parse_correction(s: &str) -> Result<String, DomainError> {
    let s = line("Ghi chú đính chính", s, MAX_CORRECTION)?;
    if s.is_empty() {
        return Err(DomainError::invalid(
            "Cần ghi rõ đã đính chính điều gì để bạn đọc biết",
        ));
    }
    Ok(s)
}

/// The body as blocks: paragraphs at blank lines, "> " quotes, "[ảnh N]" images.
pub fn blocks(body: &str) -> Vec<Block> {
    let mut out = Vec::new();
    for para in body.split("\n\n") {
        let para = para.trim();
        if para.is_empty() {
            continue;
        }
        if let Some(n) = image_marker(para) {
            out.push(Block::Image(n));
        } else if let Some(q) = para.strip_prefix('>') {
            let q: Vec<&str> = q
                .lines()
                .map(|l| l.trim_start_matches('>').trim())
                .collect();
            out.push(Block::Quote(q.join(" ")));
        } else {
            out.push(Block::Paragraph(
                para.lines().map(str::trim).collect::<Vec<_>>().join(" "),
            ));
        }
    }
    out
}

/// "[ảnh 2]" (or "[anh 2]", any case) → 2.
fn image_marker(p: &str) -> Option<u32> {
    let inner = p.strip_prefix('[')?.strip_suffix(']')?;
    let folded = fold(inner);
    let n = folded.strip_prefix("anh")?.trim();
    n.parse().ok().filter(|n| *n >= 1)
}

/// The address of a headline: folded words joined by "-", at most 80 bytes,
/// cut at a word.
pub fn slug(headline: &str) -> String {
    let folded = fold(headline);
    let mut out = String::new();
    for word in folded
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
    {
        if out.len() + word.len() + 1 > 80 {
            break;
        }
        if !out.is_empty() {
            out.push('-');
        }
        out.push_str(word);
    }
    if out.is_empty() {
        "bai-viet".into()
    } else {
        out
    }
}

/// The words that tell what an article is about, for related news: folded
/// syllables of the headline and tags, without the commonest ones.
pub fn key_words(headline: &str, tags: &[String]) -> Vec<String> {
    const COMMON: &[&str] = &[
        "va", "cua", "cac", "nhung", "trong", "tai", "cho", "voi", "ve", "la", "nam", "tu", "den",
        "mot", "da", "duoc", "co", "nay", "tren", "xa", "tinh",
    ];
    let mut words: Vec<String> = Vec::new();
    let text = format!("{headline} {}", tags.join(" "));
    for w in fold(&text).split(|c: char| !c.is_alphanumeric()) {
        if w.len() < 2 || COMMON.contains(&w) || words.iter().any(|x| x == w) {
            continue;
        }
        words.push(w.to_string());
    }
    words
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_credit_loses_the_word_the_page_prints() {
        assert_eq!(credit_of("Ảnh: Minh Anh"), "Minh Anh");
        assert_eq!(credit_of("ảnh : Công an tỉnh"), "Công an tỉnh");
        assert_eq!(credit_of("ANH:Tuấn"), "Tuấn");
        assert_eq!(credit_of("Anh Tuấn"), "Anh Tuấn");
        assert_eq!(credit_of("Ánh Dương"), "Ánh Dương");
        assert_eq!(credit_of("Ảnh"), "");
        assert_eq!(credit_of("TTXVN"), "TTXVN");
    }

    #[test]
    fn slugs_fold_vietnamese_and_cut_at_a_word() {
        assert_eq!(
            slug("Điện Biên: Tổng kết 10 năm phong trào “Toàn dân bảo vệ an ninh Tổ quốc”"),
            "dien-bien-tong-ket-10-nam-phong-trao-toan-dan-bao-ve-an-ninh-to-quoc"
        );
        assert!(slug(&"Dài ".repeat(100)).len() <= 80);
        assert_eq!(slug("!!!"), "bai-viet");
    }

    #[test]
    fn bodies_become_paragraphs_quotes_and_images() {
        let b = blocks("Đoạn một\ndòng hai\n\n> Trích dẫn\n> tiếp\n\n[Ảnh 2]\n\nĐoạn cuối");
        assert_eq!(
            b,
            vec![
                Block::Paragraph("Đoạn một dòng hai".into()),
                Block::Quote("Trích dẫn tiếp".into()),
                Block::Image(2),
                Block::Paragraph("Đoạn cuối".into()),
            ]
        );
    }

    #[test]
    fn text_is_checked_and_cleaned() {
        let t = ArticleText::parse(
            "  Tiêu   đề ",
            "Sa-pô",
            "A\r\n\r\n\r\n\r\nB  c\n\n",
            "T.L tổng hợp",
            "",
            "an ninh, An Ninh; cơ sở",
        )
        .unwrap();
        assert_eq!(t.headline, "Tiêu đề");
        assert_eq!(t.body, "A\n\nB c");
        assert_eq!(t.tags, vec!["an ninh".to_string(), "cơ sở".to_string()]);
        assert!(ArticleText::parse(" ", "", "", "", "", "").is_err());
        let long = "x".repeat(MAX_HEADLINE + 1);
        assert!(ArticleText::parse(&long, "", "", "", "", "").is_err());
        let many: Vec<String> = (0..13).map(|i| format!("t{i}")).collect();
        assert!(ArticleText::parse("T", "", "", "", "", &many.join(",")).is_err());
    }

    #[test]
    fn key_words_leave_out_the_commonest() {
        let w = key_words(
            "Tổng kết phong trào của xã Mường Phăng",
            &["an ninh".into()],
        );
        assert_eq!(
            w,
            vec!["tong", "ket", "phong", "trao", "muong", "phang", "an", "ninh"]
        );
    }
}
