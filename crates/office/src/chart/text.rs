//! Label widths measured with the bundled chart font (the one the picture
//! is drawn with), so every label is laid out to fit and none is cut.

use skrifa::instance::{LocationRef, Size};
use skrifa::{FontRef, MetadataProvider};

use crate::chart_png::FONT_REGULAR;

/// The width of `text` in pixels at `size` px. A character the font lacks
/// counts as a square, wider than any letter.
pub fn width(text: &str, size: f32) -> f32 {
    let Ok(font) = FontRef::new(FONT_REGULAR) else {
        return text.chars().count() as f32 * size;
    };
    let map = font.charmap();
    let metrics = font.glyph_metrics(Size::new(size), LocationRef::default());
    text.chars()
        .map(|c| map.map(c).and_then(|g| metrics.advance_width(g)))
        .map(|w| w.unwrap_or(size))
        .sum()
}

/// `text` broken at spaces into lines no wider than `max`; a word wider
/// than `max` on its own is broken between its letters. Nothing is left out.
pub fn wrap(text: &str, size: f32, max: f32) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    let mut line = String::new();
    for word in text.split_whitespace() {
        let joined = if line.is_empty() {
            word.to_string()
        } else {
            format!("{line} {word}")
        };
        if width(&joined, size) <= max {
            line = joined;
            continue;
        }
        if !line.is_empty() {
            lines.push(std::mem::take(&mut line));
        }
        for c in word.chars() {
            let longer = format!("{line}{c}");
            if !line.is_empty() && width(&longer, size) > max {
                lines.push(std::mem::take(&mut line));
                line.push(c);
            } else {
                line = longer;
            }
        }
    }
    if !line.is_empty() || lines.is_empty() {
        lines.push(line);
    }
    lines
}

/// Whether `text` wraps at spaces only (no word broken) into at most
/// `most` lines of `max`.
pub fn fits(text: &str, size: f32, max: f32, most: usize) -> bool {
    text.split_whitespace().all(|w| width(w, size) <= max) && wrap(text, size, max).len() <= most
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn widths_come_from_the_font_and_wrapping_keeps_every_letter() {
        // Times metrics: "i" is narrower than "M", Vietnamese letters are in the font.
        assert!(width("i", 13.0) < width("M", 13.0));
        assert!(width("ờ", 13.0) < 13.0 && width("ờ", 13.0) > 0.0);
        assert!((width("ab", 26.0) - 2.0 * width("ab", 13.0)).abs() < 0.01);
        let name = "Phòng Cảnh sát quản lý hành chính về trật tự xã hội";
        let lines = wrap(name, 13.0, 120.0);
        assert!(lines.len() >= 3, "{lines:?}");
        assert!(lines.iter().all(|l| width(l, 13.0) <= 120.0), "{lines:?}");
        assert_eq!(lines.join(" "), name);
        // A word longer than the line is broken, not cut.
        let long = wrap("Thànhphốđiệnbiênphủ", 13.0, 40.0);
        assert!(long.len() > 1 && long.concat() == "Thànhphốđiệnbiênphủ");
        assert!(!fits("Thànhphốđiệnbiênphủ", 13.0, 40.0, 9));
        assert!(fits("2013", 13.0, 40.0, 1));
        assert_eq!(wrap("", 13.0, 40.0), vec![String::new()]);
    }
}
