//! Charts as PNG for Word: the SVG of [`crate::chart`] rasterised with the
//! bundled DejaVu fonts only (never the machine's), so a chart is the same
//! picture, pixel for pixel, on every machine.

use std::sync::{Arc, OnceLock};

use resvg::tiny_skia::{Pixmap, Transform};
use resvg::usvg::{fontdb, Options, Tree};

/// DejaVu Sans (see `fonts/LICENSE.txt`), which covers Vietnamese.
pub const FONT_REGULAR: &[u8] = include_bytes!("../fonts/DejaVuSans.ttf");
pub const FONT_BOLD: &[u8] = include_bytes!("../fonts/DejaVuSans-Bold.ttf");

fn options() -> &'static Options<'static> {
    static OPTIONS: OnceLock<Options<'static>> = OnceLock::new();
    OPTIONS.get_or_init(|| {
        let mut db = fontdb::Database::new();
        db.load_font_data(FONT_REGULAR.to_vec());
        db.load_font_data(FONT_BOLD.to_vec());
        db.set_sans_serif_family("DejaVu Sans");
        Options {
            font_family: "DejaVu Sans".into(),
            fontdb: Arc::new(db),
            ..Options::default()
        }
    })
}

/// Rasterise an SVG at `scale` (2.0 gives a sharp picture in print).
/// Returns the PNG and its size in pixels.
pub fn svg_to_png(svg: &str, scale: f32) -> Result<(Vec<u8>, u32, u32), String> {
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
    let png = pixmap
        .encode_png()
        .map_err(|e| format!("không ghi được PNG: {e}"))?;
    Ok((png, w, h))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn vietnamese_labels_are_drawn_with_the_bundled_font() {
        let svg = crate::chart::bars(
            "Buổi tuyên truyền theo năm",
            &["Xã Mường Phăng".into(), "Phường Điện Biên Phủ".into()],
            &[3120.0, 64.5],
            "buổi",
        );
        let (png, w, h) = svg_to_png(&svg, 2.0).unwrap();
        assert_eq!(&png[..8], b"\x89PNG\r\n\x1a\n");
        assert_eq!((w, h), (960, 640));
        // The same picture twice, and text really drawn: the rendering with
        // labels differs from the one without.
        assert_eq!(svg_to_png(&svg, 2.0).unwrap().0, png);
        let blank = svg.replace("Xã Mường Phăng", "");
        assert_ne!(svg_to_png(&blank, 2.0).unwrap().0, png);
    }
}
