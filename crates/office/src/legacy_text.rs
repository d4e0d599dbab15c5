//! Text typed with the pre-Unicode Vietnamese encodings (TCVN3/ABC with the
//! .VnTime fonts, VNI) shows up in old spreadsheets as Latin-1 look-alikes.
//! It cannot be stored as it is: detect it so the importer can say so.

/// Characters TCVN3 (ABC) puts where Vietnamese letters should be.
const TCVN3_MARKS: &[char] = &[
    'µ', '¸', '¶', '·', '¹', '¨', '»', '¾', '¼', '½', 'Æ', '©', 'Ç', 'Ë', '®', 'Ð', 'Î', 'Ï', 'Ñ',
    'ª', 'Ö', '×', 'Ø', 'Ü', 'Þ', 'ß', 'ä', '«', 'å', 'æ', 'ç', '¬', 'ë', 'î', 'ï', 'ñ', 'ö', '÷',
    'ø', 'û', 'ü', 'þ', '§', '\u{AD}',
];

/// VNI writes a base letter followed by a mark drawn from these.
const VNI_PAIRS: &[&str] = &[
    "aø", "aù", "aû", "aõ", "aï", "eâ", "eà", "eá", "oâ", "oà", "oá", "ö", "öô", "ñ", "uø", "uù",
];

/// `Some("TCVN3")` or `Some("VNI")` when the text looks legacy-encoded.
pub fn detect(s: &str) -> Option<&'static str> {
    let letters = s.chars().filter(|c| c.is_alphabetic()).count();
    if letters == 0 {
        return None;
    }
    // Genuine Vietnamese in Unicode uses letters from Latin Extended
    // Additional (U+1EA0–U+1EF9) or ă/đ/ơ/ư; legacy text never does.
    let has_unicode_vietnamese = s
        .chars()
        .any(|c| ('\u{1EA0}'..='\u{1EF9}').contains(&c) || "ăĂđĐơƠưƯ".contains(c));
    if has_unicode_vietnamese {
        return None;
    }
    let lower = s.to_lowercase();
    if VNI_PAIRS.iter().filter(|p| lower.contains(*p)).count() >= 2 {
        return Some("VNI");
    }
    let tcvn = s.chars().filter(|c| TCVN3_MARKS.contains(c)).count();
    if tcvn >= 2 || (tcvn == 1 && letters < 12) {
        return Some("TCVN3");
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn legacy_text_is_recognised() {
        // "Điện Biên" and "Mường Phăng" typed in TCVN3 (.VnTime).
        assert_eq!(detect("§iÖn Biªn"), Some("TCVN3"));
        assert_eq!(detect("M\u{AD}êng Ph¨ng"), Some("TCVN3"));
        // "Mường Phăng" typed in VNI.
        assert_eq!(detect("Möôøng Phaêng"), Some("VNI"));
        for ok in [
            "Điện Biên",
            "Mường Phăng",
            "Ban Phang",
            "Tổ dân phố 1",
            "12,5",
            "Café",
            "Tây Ninh",
            "Cà Mau",
            "Sóc Trăng",
        ] {
            assert_eq!(detect(ok), None, "{ok}");
        }
    }
}
