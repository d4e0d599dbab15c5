//! The Vietnamese analyser: text is NFC before it reaches the index, split
//! into syllables (tantivy's simple tokenizer: runs of letters and digits),
//! lowercased; the folded field then folds each syllable exactly as
//! `antq_core::text::fold` does (tones and marks stripped, `đ`→`d`), so a
//! query folded by antq and a text folded by the index meet.

use std::mem;

use tantivy::tokenizer::{
    LowerCaser, RemoveLongFilter, SimpleTokenizer, TextAnalyzer, Token, TokenFilter, TokenStream,
    Tokenizer, TokenizerManager, WhitespaceTokenizer,
};

/// The tokenizer of the `*_exact` fields: syllables, lowercased.
pub const EXACT: &str = "vi_exact";
/// The tokenizer of the `*_fold` fields: syllables, lowercased and folded.
pub const FOLD: &str = "vi_fold";

/// The tokenizer of the `body_pairs` field: its text is already the pairs
/// of folded syllables (see [`pairs`]), one token each.
pub const PAIRS: &str = "vi_pairs";

/// Register the analysers with an index's tokenizer manager.
pub fn register(manager: &TokenizerManager) {
    manager.register(EXACT, exact());
    manager.register(FOLD, folded());
    manager.register(
        PAIRS,
        TextAnalyzer::builder(WhitespaceTokenizer::default())
            .filter(RemoveLongFilter::limit(81))
            .build(),
    );
}

/// Each two folded syllables that follow each other, joined by "_" ("an ninh
/// to quoc" → "an_ninh", "ninh_to", "to_quoc"): a phrase of n syllables is
/// then n − 1 pairs in a row, and a phrase of two is one term, so finding a
/// phrase reads far fewer positions than with the syllables alone.
pub fn pairs(folded: &[String]) -> Vec<String> {
    folded
        .windows(2)
        .map(|w| format!("{}_{}", w[0], w[1]))
        .collect()
}

pub fn exact() -> TextAnalyzer {
    TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(RemoveLongFilter::limit(40))
        .filter(LowerCaser)
        .build()
}

pub fn folded() -> TextAnalyzer {
    TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(RemoveLongFilter::limit(40))
        .filter(LowerCaser)
        .filter(Fold)
        .build()
}

/// The text without the invisible characters that split a word when
/// pasted from a word processor or a web page (zero-width spaces and
/// joiners, the byte-order mark, soft hyphens), NFC.
pub fn visible(text: &str) -> String {
    let text = antq_core::text::nfc(text);
    if !text.contains([
        '\u{200B}', '\u{200C}', '\u{200D}', '\u{2060}', '\u{FEFF}', '\u{AD}',
    ]) {
        return text;
    }
    text.chars()
        .filter(|c| {
            !matches!(
                c,
                '\u{200B}'..='\u{200D}' | '\u{2060}' | '\u{FEFF}' | '\u{AD}'
            )
        })
        .collect()
}

/// The syllables of a text as a field's analyser makes them (NFC first).
pub fn tokens(analyser: &mut TextAnalyzer, text: &str) -> Vec<String> {
    let text = visible(text);
    let mut stream = analyser.token_stream(&text);
    let mut out = Vec::new();
    while stream.advance() {
        out.push(stream.token().text.clone());
    }
    out
}

/// Folds each token as `antq_core::text::fold` does.
#[derive(Clone)]
pub struct Fold;

impl TokenFilter for Fold {
    type Tokenizer<T: Tokenizer> = FoldFilter<T>;

    fn transform<T: Tokenizer>(self, tokenizer: T) -> FoldFilter<T> {
        FoldFilter {
            tokenizer,
            buffer: String::new(),
        }
    }
}

#[derive(Clone)]
pub struct FoldFilter<T> {
    tokenizer: T,
    buffer: String,
}

impl<T: Tokenizer> Tokenizer for FoldFilter<T> {
    type TokenStream<'a> = FoldStream<'a, T::TokenStream<'a>>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> Self::TokenStream<'a> {
        self.buffer.clear();
        FoldStream {
            tail: self.tokenizer.token_stream(text),
            buffer: &mut self.buffer,
        }
    }
}

pub struct FoldStream<'a, T> {
    buffer: &'a mut String,
    tail: T,
}

impl<T: TokenStream> TokenStream for FoldStream<'_, T> {
    fn advance(&mut self) -> bool {
        if !self.tail.advance() {
            return false;
        }
        if !self.tail.token().text.is_ascii() {
            *self.buffer = antq_core::text::fold(&self.tail.token().text);
            mem::swap(&mut self.tail.token_mut().text, self.buffer);
        }
        true
    }

    fn token(&self) -> &Token {
        self.tail.token()
    }

    fn token_mut(&mut self) -> &mut Token {
        self.tail.token_mut()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn syllables_fold_like_antq() {
        let mut f = folded();
        assert_eq!(
            tokens(&mut f, "An ninh Tổ quốc, ĐIỆN BIÊN"),
            ["an", "ninh", "to", "quoc", "dien", "bien"]
        );
        // NFD input gives the same tokens.
        let nfd: String = unicode_nfd("Tổ quốc");
        assert_eq!(tokens(&mut f, &nfd), ["to", "quoc"]);
        let mut e = exact();
        assert_eq!(tokens(&mut e, "Tổ Quốc"), ["tổ", "quốc"]);
        assert_eq!(
            tokens(&mut e, "09/CTr-BCA-MTTW"),
            ["09", "ctr", "bca", "mttw"]
        );
    }

    #[test]
    fn invisible_characters_do_not_split_words() {
        let mut f = folded();
        assert_eq!(tokens(&mut f, "ph\u{200B}ối h\u{AD}ợp"), ["phoi", "hop"]);
        assert_eq!(visible("an\u{FEFF}ninh"), "anninh");
    }

    #[test]
    fn pairs_follow_each_other() {
        let words: Vec<String> = ["an", "ninh", "to", "quoc"].map(String::from).to_vec();
        assert_eq!(pairs(&words), ["an_ninh", "ninh_to", "to_quoc"]);
        assert!(pairs(&words[..1]).is_empty());
    }

    fn unicode_nfd(s: &str) -> String {
        // "ổ" = o + circumflex + hook above; "ố" = o + circumflex + acute.
        s.replace('ổ', "o\u{302}\u{309}")
            .replace('ố', "o\u{302}\u{301}")
    }
}
