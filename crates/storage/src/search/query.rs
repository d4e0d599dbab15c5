//! Searching: words accent-insensitive with exact diacritics ranked first,
//! phrases in quotes, references and their aliases as whole keys or by
//! prefix ("124/2021" finds 124/2021/TT-BCA), filters, highlighted
//! snippets, and suggestions as one types.

use std::collections::HashSet;
use std::time::Instant;

use antq_core::programmes::documents::reference_key;
use antq_core::text;
use antq_core::DomainError;
use serde::Serialize;
use tantivy::collector::{Count, TopDocs};
use tantivy::query::{
    AllQuery, BooleanQuery, BoostQuery, ConstScoreQuery, Occur, PhrasePrefixQuery, PhraseQuery,
    Query, TermQuery,
};
use tantivy::schema::{Field, IndexRecordOption, Value};
use tantivy::snippet::SnippetGenerator;
use tantivy::tokenizer::TokenStream as _;
use tantivy::{DocAddress, Searcher, TantivyDocument, Term};

use super::{analyser, ix, Fields, Search};
use crate::error::StorageResult;
use crate::portal::changes::ItemKind;

/// The longest query, in characters.
pub const MAX_QUERY: usize = 200;
/// The last page one may ask for, and the results a page shows.
pub const MAX_PAGE: usize = 100;
pub const PER_PAGE: usize = 10;
/// The most suggestions.
pub const MAX_SUGGESTIONS: usize = 8;

/// A search: words, filters, page (from 1).
#[derive(Debug, Clone, Default)]
pub struct SearchQuery {
    pub q: String,
    pub kind: Option<ItemKind>,
    /// A document kind code ("chuong_trinh").
    pub doc_kind: Option<String>,
    /// An issuer's name (any case and accents).
    pub issuer: Option<String>,
    pub year: Option<i64>,
    /// Documents in force (true) or expired (false).
    pub in_force: Option<bool>,
    pub page: usize,
}

impl SearchQuery {
    /// Clean the text (NFC, spaces) and refuse what is out of bounds.
    pub fn check(mut self) -> Result<SearchQuery, DomainError> {
        self.q = text::clean(&self.q);
        if self.q.chars().count() > MAX_QUERY {
            return Err(DomainError::invalid(format!(
                "Từ khóa tìm kiếm dài {} ký tự, nhiều nhất là {MAX_QUERY}",
                self.q.chars().count()
            )));
        }
        if self.page == 0 {
            self.page = 1;
        }
        if self.page > MAX_PAGE {
            return Err(DomainError::invalid(format!(
                "Chỉ xem được đến trang {MAX_PAGE} của kết quả; xin thu hẹp tìm kiếm"
            )));
        }
        self.issuer = self
            .issuer
            .as_deref()
            .map(text::clean)
            .filter(|s| !s.is_empty());
        if let Some(i) = &self.issuer {
            text::check_len("Cơ quan ban hành", i, text::limits::NAME)?;
        }
        if let Some(y) = self.year {
            if !(1900..=2100).contains(&y) {
                return Err(DomainError::invalid(format!("Năm {y} không hợp lệ")));
            }
        }
        Ok(self)
    }
}

/// One result.
#[derive(Debug, Clone, Serialize)]
pub struct Hit {
    pub kind: ItemKind,
    pub id: i64,
    pub title: String,
    /// The title with the words found in `<mark>`, HTML-escaped around.
    pub title_html: String,
    pub url: String,
    /// A passage with the words found in `<mark>`, HTML-escaped around.
    pub snippet: String,
    /// ISO date.
    pub date: Option<String>,
    pub meta: String,
    pub doc_kind: Option<String>,
}

/// A page of results.
#[derive(Debug, Clone, Serialize)]
pub struct Results {
    pub hits: Vec<Hit>,
    pub total: usize,
    pub page: usize,
    pub pages: usize,
    pub took_ms: f64,
}

/// A suggestion while typing.
#[derive(Debug, Clone, Serialize)]
pub struct Suggestion {
    pub kind: ItemKind,
    pub title: String,
    pub url: String,
}

impl Serialize for ItemKind {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.code())
    }
}

type Q = Box<dyn Query>;

fn term(field: Field, text: &str) -> Term {
    Term::from_field_text(field, text)
}

fn boosted(q: Q, boost: f32) -> Q {
    Box::new(BoostQuery::new(q, boost))
}

fn term_q(field: Field, text: &str, boost: f32) -> Q {
    boosted(
        Box::new(TermQuery::new(
            term(field, text),
            IndexRecordOption::WithFreqs,
        )),
        boost,
    )
}

fn any(clauses: Vec<Q>) -> Q {
    Box::new(BooleanQuery::new(
        clauses.into_iter().map(|q| (Occur::Should, q)).collect(),
    ))
}

fn all(clauses: Vec<Q>) -> Q {
    Box::new(BooleanQuery::new(
        clauses.into_iter().map(|q| (Occur::Must, q)).collect(),
    ))
}

/// Title (with the lead) weighs 3, the text 1; the exact field twice its folded twin.
const TITLE: f32 = 3.0;
const EXACT: f32 = 2.0;

/// One word: in the title or the text, exact or folded.
fn word(f: &Fields, exact: &str, folded: &str) -> Q {
    any(vec![
        term_q(f.title_exact, exact, TITLE * EXACT),
        term_q(f.title_fold, folded, TITLE),
        term_q(f.body_exact, exact, EXACT),
        term_q(f.body_fold, folded, 1.0),
    ])
}

/// A phrase (two words or more): folded in the title or the text, the exact
/// phrase in the title ranked higher, and the text's exact words (not their
/// positions again: the folded phrase checked them) ranking it further.
/// Checking positions is the costly part of a search, so in the text the
/// phrase is looked for as its pairs of syllables (`body_pairs`): one term
/// for two syllables, and far fewer positions to read for more.
fn phrase(f: &Fields, exact: &[String], folded: &[String]) -> Q {
    let p = |field: Field, words: &[String], boost: f32| -> Q {
        boosted(
            Box::new(PhraseQuery::new(
                words.iter().map(|w| term(field, w)).collect(),
            )),
            boost,
        )
    };
    let pairs = analyser::pairs(folded);
    let in_text: Q = if pairs.len() == 1 {
        term_q(f.body_pairs, &pairs[0], 1.0)
    } else {
        p(f.body_pairs, &pairs, 1.0)
    };
    let found = any(vec![
        p(f.title_exact, exact, TITLE * EXACT),
        p(f.title_fold, folded, TITLE),
        in_text,
    ]);
    let mut clauses: Vec<(Occur, Q)> = vec![(Occur::Must, found)];
    if exact != folded {
        clauses.extend(
            exact
                .iter()
                .zip(folded)
                .filter(|(e, fo)| e != fo)
                .map(|(e, _)| (Occur::Should, term_q(f.body_exact, e, EXACT))),
        );
    }
    Box::new(BooleanQuery::new(clauses))
}

/// Does this piece of a query look like a document reference ("09/CTr-BCA", "124/2021")?
fn looks_like_reference(piece: &str) -> bool {
    piece.chars().any(|c| c.is_ascii_digit()) && piece.contains(['/', '-'])
}

/// A reference: its key exactly (reference or alias), or as the start of one.
fn reference(f: &Fields, piece: &str) -> Q {
    let key = reference_key(piece);
    any(vec![
        term_q(f.refkey, &key, 30.0),
        boosted(
            Box::new(PhrasePrefixQuery::new(vec![term(f.refkey, &key)])),
            10.0,
        ),
    ])
}

fn reference_prefix(f: &Fields, prefix: &str) -> Q {
    Box::new(PhrasePrefixQuery::new(vec![term(f.refkey, prefix)]))
}

/// The pieces of a query: phrases in quotes, and words outside them.
fn pieces(q: &str) -> Vec<(bool, String)> {
    let mut out = Vec::new();
    for (i, part) in q.split(['"', '\u{201C}', '\u{201D}']).enumerate() {
        let part = part.trim();
        if part.is_empty() {
            continue;
        }
        if i % 2 == 1 {
            out.push((true, part.to_string()));
        } else {
            out.extend(part.split_whitespace().map(|w| (false, w.to_string())));
        }
    }
    out
}

impl Search {
    fn text_query(&self, q: &str) -> Option<Q> {
        let f = &self.0.fields;
        let mut exact_an = analyser::exact();
        let mut fold_an = analyser::folded();
        let mut clauses: Vec<Q> = Vec::new();
        for (quoted, piece) in pieces(q) {
            let exact = analyser::tokens(&mut exact_an, &piece);
            let folded = analyser::tokens(&mut fold_an, &piece);
            if exact.len() != folded.len() || exact.is_empty() {
                if looks_like_reference(&piece) {
                    clauses.push(reference(f, &piece));
                }
                continue;
            }
            if quoted && exact.len() > 1 {
                clauses.push(phrase(f, &exact, &folded));
            } else if looks_like_reference(&piece) {
                // Its words (the text cites it), or the reference itself.
                let words = if exact.len() > 1 {
                    phrase(f, &exact, &folded)
                } else {
                    word(f, &exact[0], &folded[0])
                };
                clauses.push(any(vec![words, reference(f, &piece)]));
            } else {
                for (e, fo) in exact.iter().zip(&folded) {
                    if fo.chars().all(|c| c.is_ascii_digit()) {
                        // A number: the word, or the number of a reference ("09" → 09/CTr-…).
                        let key = reference_key(fo);
                        clauses.push(any(vec![
                            word(f, e, fo),
                            boosted(reference_prefix(f, &format!("{key}/")), 5.0),
                            boosted(reference_prefix(f, &format!("{key}-")), 5.0),
                        ]));
                    } else {
                        clauses.push(word(f, e, fo));
                    }
                }
            }
        }
        (!clauses.is_empty()).then(|| all(clauses))
    }

    /// The words a passage marks: each folded syllable of the query, in the
    /// folded title and text (a query for snippets only, never for matching).
    fn marked_words(&self, q: &str) -> Q {
        let f = &self.0.fields;
        let mut fold_an = analyser::folded();
        let mut clauses: Vec<Q> = Vec::new();
        for (_, piece) in pieces(q) {
            for w in analyser::tokens(&mut fold_an, &piece) {
                clauses.push(term_q(f.title_fold, &w, 1.0));
                clauses.push(term_q(f.body_fold, &w, 1.0));
            }
        }
        any(clauses)
    }

    fn filters(&self, sq: &SearchQuery) -> Vec<Q> {
        let f = &self.0.fields;
        let mut out: Vec<Q> = Vec::new();
        let mut exact = |field: Field, value: &str| {
            out.push(Box::new(ConstScoreQuery::new(
                Box::new(TermQuery::new(term(field, value), IndexRecordOption::Basic)),
                0.0,
            )));
        };
        if let Some(k) = sq.kind {
            exact(f.kind, k.code());
        }
        if let Some(k) = &sq.doc_kind {
            exact(f.doc_kind, k);
        }
        if let Some(i) = &sq.issuer {
            exact(f.issuer, &text::fold(i));
        }
        if let Some(y) = sq.year {
            exact(f.year, &y.to_string());
        }
        if let Some(x) = sq.in_force {
            exact(f.in_force, if x { "1" } else { "0" });
        }
        out
    }

    /// Search (the query is checked first: NFC, bounds).
    pub fn search(&self, sq: SearchQuery) -> StorageResult<Results> {
        let start = Instant::now();
        let sq = sq.check()?;
        let searcher = self.0.reader.searcher();
        let text = self.text_query(&sq.q);
        if text.is_none() && !sq.q.is_empty() {
            // Only punctuation or signs: nothing to look for, so nothing found
            // (never every item).
            return Ok(Results {
                hits: Vec::new(),
                total: 0,
                page: sq.page,
                pages: 0,
                took_ms: start.elapsed().as_secs_f64() * 1000.0,
            });
        }
        let mut clauses = self.filters(&sq);
        let has_text = text.is_some();
        clauses.push(text.unwrap_or_else(|| Box::new(AllQuery)));
        let query: Q = all(clauses);
        let offset = (sq.page - 1) * PER_PAGE;
        let (top, total) = searcher
            .search(
                &query,
                &(
                    TopDocs::with_limit(PER_PAGE)
                        .and_offset(offset)
                        .order_by_score(),
                    Count,
                ),
            )
            .map_err(ix)?;
        let pages = total.div_ceil(PER_PAGE).min(MAX_PAGE);
        if sq.page > 1 && sq.page > pages {
            return Err(DomainError::invalid(format!(
                "Không có trang {} của kết quả: tìm thấy {} kết quả, {} trang",
                sq.page,
                text::format_int(total as i64),
                text::format_int(pages as i64)
            ))
            .into());
        }
        let f = &self.0.fields;
        let snippets = if has_text {
            // Every folded word asked is marked, phrases' words too (their
            // text is matched through `body_pairs`, which no passage shows).
            let marked = self.marked_words(&sq.q);
            let mut body =
                SnippetGenerator::create(&searcher, &*marked, f.body_fold).map_err(ix)?;
            body.set_max_num_chars(400);
            Some((folded_words(&sq.q), body))
        } else {
            None
        };
        let mut hits = Vec::with_capacity(top.len());
        for (_, addr) in top {
            hits.push(self.hit(&searcher, addr, snippets.as_ref())?);
        }
        Ok(Results {
            hits,
            total,
            page: sq.page,
            pages,
            took_ms: start.elapsed().as_secs_f64() * 1000.0,
        })
    }

    fn hit(
        &self,
        searcher: &Searcher,
        addr: DocAddress,
        snippets: Option<&(HashSet<String>, SnippetGenerator)>,
    ) -> StorageResult<Hit> {
        let f = &self.0.fields;
        let doc: TantivyDocument = searcher.doc(addr).map_err(ix)?;
        let s = |field: Field| -> String {
            doc.get_first(field)
                .and_then(|v| v.as_str())
                .unwrap_or("")
                .to_string()
        };
        let (title, body) = (s(f.title), s(f.body));
        let mark = |gen: Option<&SnippetGenerator>, text: &str| -> Option<String> {
            let mut sn = gen?.snippet(text);
            if sn.is_empty() {
                return None;
            }
            sn.set_snippet_prefix_postfix("<mark>", "</mark>");
            Some(sn.to_html())
        };
        // The whole title, its words asked marked (a passage generator
        // would cut it after the last word found).
        let title_html = match snippets {
            Some((words, _)) => mark_words(&title, words),
            None => escape(&title),
        };
        let snippet = mark(snippets.map(|s| &s.1), &body).unwrap_or_else(|| {
            let mut start: String = body.chars().take(200).collect();
            if start.len() < body.len() {
                start.push('…');
            }
            escape(&start)
        });
        let kind = ItemKind::parse(&s(f.kind)).unwrap_or(ItemKind::Document);
        let date = Some(s(f.date)).filter(|d| !d.is_empty());
        let doc_kind = Some(s(f.doc_kind)).filter(|d| !d.is_empty());
        Ok(Hit {
            kind,
            id: doc
                .get_first(f.item_id)
                .and_then(|v| v.as_i64())
                .unwrap_or(0),
            title,
            title_html,
            url: s(f.url),
            snippet,
            date,
            meta: s(f.meta),
            doc_kind,
        })
    }

    /// Titles that start with what is typed (its last word as a prefix),
    /// and references that start with it.
    pub fn suggest(&self, typed: &str) -> StorageResult<Vec<Suggestion>> {
        let typed = text::clean(typed);
        if typed.chars().count() > MAX_QUERY {
            return Err(DomainError::invalid(format!(
                "Từ khóa tìm kiếm dài {} ký tự, nhiều nhất là {MAX_QUERY}",
                typed.chars().count()
            ))
            .into());
        }
        let f = &self.0.fields;
        let folded = analyser::tokens(&mut analyser::folded(), &typed);
        if folded.is_empty() || typed.chars().count() < 2 {
            return Ok(Vec::new());
        }
        let mut clauses: Vec<Q> = vec![Box::new(PhrasePrefixQuery::new(
            folded.iter().map(|w| term(f.title_fold, w)).collect(),
        ))];
        if !typed.contains(char::is_whitespace) && typed.chars().any(|c| c.is_ascii_digit()) {
            clauses.push(boosted(
                Box::new(PhrasePrefixQuery::new(vec![term(
                    f.refkey,
                    &reference_key(&typed),
                )])),
                10.0,
            ));
        }
        let query = any(clauses);
        let searcher = self.0.reader.searcher();
        let top = searcher
            .search(
                &query,
                &TopDocs::with_limit(MAX_SUGGESTIONS).order_by_score(),
            )
            .map_err(ix)?;
        let mut out = Vec::with_capacity(top.len());
        for (_, addr) in top {
            let doc: TantivyDocument = searcher.doc(addr).map_err(ix)?;
            let s = |field: Field| -> String {
                doc.get_first(field)
                    .and_then(|v| v.as_str())
                    .unwrap_or("")
                    .to_string()
            };
            out.push(Suggestion {
                kind: ItemKind::parse(&s(f.kind)).unwrap_or(ItemKind::Document),
                title: s(f.title),
                url: s(f.url),
            });
        }
        Ok(out)
    }
}

/// Text made safe inside HTML.
/// The folded syllables of a query (what a title marks).
fn folded_words(q: &str) -> HashSet<String> {
    let mut fold_an = analyser::folded();
    pieces(q)
        .into_iter()
        .flat_map(|(_, piece)| analyser::tokens(&mut fold_an, &piece))
        .collect()
}

/// `text` escaped, with each syllable whose folded form is in `words` in
/// `<mark>` (accents and case as the text writes them).
pub fn mark_words(text: &str, words: &HashSet<String>) -> String {
    let mut analyser = analyser::folded();
    let mut stream = analyser.token_stream(text);
    let mut out = String::with_capacity(text.len() + 32);
    let mut at = 0;
    while stream.advance() {
        let t = stream.token();
        if words.contains(&t.text) && t.offset_from >= at && t.offset_to <= text.len() {
            out.push_str(&escape(&text[at..t.offset_from]));
            out.push_str("<mark>");
            out.push_str(&escape(&text[t.offset_from..t.offset_to]));
            out.push_str("</mark>");
            at = t.offset_to;
        }
    }
    out.push_str(&escape(&text[at..]));
    out
}

pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_title_is_marked_whole() {
        let words = folded_words("diem an toàn");
        assert_eq!(
            mark_words("Khu dân cư an toàn năm 2026 (điểm 1)", &words),
            "Khu dân cư <mark>an</mark> <mark>toàn</mark> năm 2026 (<mark>điểm</mark> 1)"
        );
        assert_eq!(
            mark_words("<b>An</b> & Điểm", &words),
            "&lt;b&gt;<mark>An</mark>&lt;/b&gt; &amp; <mark>Điểm</mark>"
        );
    }
}
