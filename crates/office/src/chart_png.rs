//! Charts as PNG for Word: the SVG of [`crate::chart`] rasterised with the
//! bundled Liberation Serif only (never the machine's fonts), so a chart is
//! the same picture, pixel for pixel, on every machine, in a face with the
//! metrics of the document's Times New Roman.

use std::sync::{Arc, OnceLock};

use resvg::tiny_skia::{Pixmap, Transform};
use resvg::usvg::{fontdb, Options, Tree};

/// Liberation Serif 2.1.5 (see `fonts/LICENSE.txt`, SIL Open Font License
/// 1.1), which covers Vietnamese.
pub const FONT_REGULAR: &[u8] = include_bytes!("../fonts/LiberationSerif-Regular.ttf");
pub const FONT_BOLD: &[u8] = include_bytes!("../fonts/LiberationSerif-Bold.ttf");
/// The family name inside both files.
pub const FONT_FAMILY: &str = "Liberation Serif";

fn options() -> &'static Options<'static> {
    static OPTIONS: OnceLock<Options<'static>> = OnceLock::new();
    OPTIONS.get_or_init(|| {
        let mut db = fontdb::Database::new();
        db.load_font_data(FONT_REGULAR.to_vec());
        db.load_font_data(FONT_BOLD.to_vec());
        // Whatever family an SVG asks for, only the bundled font can answer.
        db.set_serif_family(FONT_FAMILY);
        db.set_sans_serif_family(FONT_FAMILY);
        db.set_monospace_family(FONT_FAMILY);
        Options {
            font_family: FONT_FAMILY.into(),
            fontdb: Arc::new(db),
            ..Options::default()
        }
    })
}

fn render(svg: &str, scale: f32) -> Result<Pixmap, String> {
    let tree = Tree::from_str(svg, options()).map_err(|e| format!("biểu đồ không hợp lệ: {e}"))?;
    let size = tree.size();
    let (w, h) = (
        (size.width() * scale).ceil() as u32,
        (size.height() * scale).ceil() as u32,
    );
    let mut pixmap = Pixmap::new(w, h).ok_or("biểu đồ có kích thước 0")?;
    resvg::render(
        &tree,
        Transform::from_scale(scale, scale),
        &mut pixmap.as_mut(),
    );
    Ok(pixmap)
}

/// Rasterise an SVG at `scale` (2.0 gives a sharp picture in print).
/// Returns the PNG and its size in pixels.
pub fn svg_to_png(svg: &str, scale: f32) -> Result<(Vec<u8>, u32, u32), String> {
    let pixmap = render(svg, scale)?;
    let png = pixmap
        .encode_png()
        .map_err(|e| format!("không ghi được PNG: {e}"))?;
    Ok((png, pixmap.width(), pixmap.height()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chart(labels: &[&str], values: &[f64]) -> String {
        let labels: Vec<String> = labels.iter().map(|l| l.to_string()).collect();
        crate::chart::bars(&labels, values, "buổi").unwrap()
    }

    #[test]
    fn vietnamese_labels_are_drawn_with_the_bundled_font() {
        let svg = chart(&["Xã Mường Phăng", "Phường Điện Biên Phủ"], &[3120.0, 64.5]);
        let (png, w, h) = svg_to_png(&svg, 2.0).unwrap();
        assert_eq!(&png[..8], b"\x89PNG\r\n\x1a\n");
        let height = svg.split("height=\"").nth(1).unwrap();
        let height: f64 = height[..height.find('"').unwrap()].parse().unwrap();
        assert_eq!((w, h), (1120, (height * 2.0) as u32));
        // The same picture twice, and text really drawn: the rendering with
        // labels differs from the one without.
        assert_eq!(svg_to_png(&svg, 2.0).unwrap().0, png);
        let blank = svg.replace("Xã Mường Phăng", "");
        assert_ne!(svg_to_png(&blank, 2.0).unwrap().0, png);
        // The font is the bundled serif: the same words in another family the
        // database does not hold fall back to it, pixel for pixel.
        let other = svg.replace("'Liberation Serif', 'Times New Roman', serif", "Arial");
        assert_eq!(svg_to_png(&other, 2.0).unwrap().0, png);
    }

    #[test]
    fn no_ink_touches_the_edges_of_a_chart_of_long_names() {
        let names: Vec<String> = (1..=35)
            .map(|i| format!("Phòng Cảnh sát quản lý hành chính về trật tự xã hội số {i}"))
            .collect();
        let labels: Vec<&str> = names.iter().map(String::as_str).collect();
        let values: Vec<f64> = (0..35).map(|i| (i * 7 % 13) as f64 * 1000.5).collect();
        let pixmap = render(&chart(&labels, &values), 2.0).unwrap();
        let (w, h) = (pixmap.width() as usize, pixmap.height() as usize);
        let white = |x: usize, y: usize| {
            let p = pixmap.pixels()[y * w + x];
            (p.red(), p.green(), p.blue()) == (255, 255, 255)
        };
        for y in 0..h {
            for x in (0..8).chain(w - 8..w) {
                assert!(white(x, y), "ink at the edge ({x}, {y})");
            }
        }
        // Text was drawn: some dark pixels in the label column.
        assert!((0..h).any(|y| (16..w / 3).any(|x| !white(x, y))));
    }
}
