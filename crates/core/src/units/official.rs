//! Units as officials write them: siblings in the order of their official
//! codes, and names with the kind word spelled as published.

use std::cmp::Ordering;

use super::UnitKind;

/// Where a unit stands among its siblings in a report: the parent's own row
/// (`own`, e.g. "Cấp tỉnh (trực tiếp)") first, then the units by official
/// code as the statistics office numbers them, then any code of another
/// shape. Never by name: 094 Huyện Điện Biên comes before 095 Thị xã
/// Mường Lay whatever their letters.
pub fn official_cmp(a: &str, b: &str, own: &str) -> Ordering {
    fn key<'a>(code: &'a str, own: &str) -> (bool, bool, usize, &'a str) {
        let numeric = !code.is_empty() && code.bytes().all(|b| b.is_ascii_digit());
        (code != own, !numeric, code.len(), code)
    }
    key(a, own).cmp(&key(b, own))
}

/// Sort `(code, anything)` pairs by [`official_cmp`].
pub fn official_order<T>(children: &mut [(String, T)], own: &str) {
    children.sort_by(|a, b| official_cmp(&a.0, &b.0, own));
}

/// The name with its kind word spelled as the decrees publish it:
/// "Thị Xã Mường Lay" → "Thị xã Mường Lay", "Thành Phố Đồng Hới" →
/// "Thành phố Đồng Hới". Only the kind word at the start changes, and only
/// in letter case; the rest of the name is left as it is.
pub fn published_name(name: &str) -> String {
    for kind in UnitKind::ALL {
        let spelled = kind.as_str();
        let head: String = name.chars().take(spelled.chars().count()).collect();
        let rest = &name[head.len()..];
        let at_word_end = rest.is_empty() || rest.starts_with(' ');
        if head != spelled && at_word_end && head.to_lowercase() == spelled.to_lowercase() {
            return format!("{spelled}{rest}");
        }
    }
    name.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn siblings_follow_the_official_codes_with_the_own_row_first() {
        let mut children: Vec<(String, &str)> = vec![
            ("096".into(), "Huyện Mường Nhé"),
            ("11".into(), "Cấp tỉnh (trực tiếp)"),
            ("095".into(), "Thị xã Mường Lay"),
            ("094".into(), "Thành phố Điện Biên Phủ"),
            ("103".into(), "Huyện Mường Ảng"),
            ("098".into(), "Huyện Mường Chà"),
        ];
        official_order(&mut children, "11");
        let names: Vec<&str> = children.iter().map(|c| c.1).collect();
        assert_eq!(
            names,
            [
                "Cấp tỉnh (trực tiếp)",
                "Thành phố Điện Biên Phủ",
                "Thị xã Mường Lay",
                "Huyện Mường Nhé",
                "Huyện Mường Chà",
                "Huyện Mường Ảng",
            ]
        );
        // Codes of one shape compare as numbers; a commune's after a
        // district's; a code of another shape last; the nation's own row first.
        assert_eq!(official_cmp("099", "100", "11"), Ordering::Less);
        assert_eq!(official_cmp("100", "03151", "11"), Ordering::Less);
        assert_eq!(official_cmp("X1", "99999", "11"), Ordering::Greater);
        assert_eq!(official_cmp("VN", "01", "VN"), Ordering::Less);
        assert_eq!(official_cmp("01", "01", "VN"), Ordering::Equal);
    }

    #[test]
    fn the_kind_word_is_spelled_as_published() {
        assert_eq!(published_name("Thị Xã Mường Lay"), "Thị xã Mường Lay");
        assert_eq!(published_name("Thành Phố Đồng Hới"), "Thành phố Đồng Hới");
        assert_eq!(published_name("Thị Trấn Tuần Giáo"), "Thị trấn Tuần Giáo");
        assert_eq!(published_name("Đặc Khu Phú Quốc"), "Đặc khu Phú Quốc");
        // Already right, or not a kind word: unchanged.
        for same in [
            "Thị xã Mường Lay",
            "Huyện Điện Biên Đông",
            "Xã Mường Phăng",
            "Thành Phốn Lạ",
            "Thị",
            "",
        ] {
            assert_eq!(published_name(same), same);
        }
        // Only the kind word: the place name keeps its own capitals.
        assert_eq!(published_name("Thị Xã Phú Thọ Mới"), "Thị xã Phú Thọ Mới");
    }
}
