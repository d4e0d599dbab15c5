//! Article pictures in a few widths for `srcset`: decoded within limits
//! (dimensions and memory), scaled down (never up), re-encoded (JPEG stays
//! JPEG at quality 82, PNG stays PNG). Re-encoding writes only the picture,
//! so nothing of the original's metadata survives.

use std::io::Cursor;

use image::codecs::jpeg::JpegEncoder;
use image::imageops::FilterType;
use image::{DynamicImage, ImageFormat, ImageReader, Limits};

use crate::images::{recognise, ImageKind};

/// The largest picture decoded, per side, in pixels.
pub const MAX_SIDE: u32 = 12_000;
/// The most memory decoding one picture may take.
const MAX_DECODE_BYTES: u64 = 300 * 1024 * 1024;

/// One width of a picture.
#[derive(Debug, Clone)]
pub struct Sized {
    pub width: u32,
    pub height: u32,
    pub bytes: Vec<u8>,
}

fn decode(bytes: &[u8], kind: ImageKind) -> Result<DynamicImage, String> {
    let format = match kind {
        ImageKind::Jpeg => ImageFormat::Jpeg,
        ImageKind::Png => ImageFormat::Png,
    };
    let mut reader = ImageReader::with_format(Cursor::new(bytes), format);
    let mut limits = Limits::default();
    limits.max_image_width = Some(MAX_SIDE);
    limits.max_image_height = Some(MAX_SIDE);
    limits.max_alloc = Some(MAX_DECODE_BYTES);
    reader.limits(limits);
    reader.decode().map_err(|e| match e {
        image::ImageError::Limits(_) => format!(
            "Ảnh quá lớn: mỗi chiều nhiều nhất {} điểm ảnh",
            antq_core::text::format_int(i64::from(MAX_SIDE))
        ),
        _ => "Không đọc được ảnh (tệp JPEG hoặc PNG bị hỏng)".to_string(),
    })
}

fn encode(img: &DynamicImage, kind: ImageKind) -> Result<Vec<u8>, String> {
    let mut out = Vec::new();
    let r = match kind {
        ImageKind::Jpeg => {
            let rgb = img.to_rgb8();
            JpegEncoder::new_with_quality(&mut out, 82).encode_image(&rgb)
        }
        ImageKind::Png => img.write_to(&mut Cursor::new(&mut out), ImageFormat::Png),
    };
    r.map_err(|_| "Không ghi được ảnh đã thu nhỏ".to_string())?;
    Ok(out)
}

/// The picture at each of `widths` (a width above the picture's own gives
/// the picture at its own width), and its kind.
pub fn widths(bytes: &[u8], widths: &[u32]) -> Result<(ImageKind, Vec<Sized>), String> {
    let kind = recognise(bytes).ok_or("Tệp không phải ảnh JPEG hoặc PNG")?;
    let img = decode(bytes, kind)?;
    let mut out = Vec::new();
    for &w in widths {
        let scaled = if img.width() > w {
            let h =
                ((u64::from(img.height()) * u64::from(w)) / u64::from(img.width())).max(1) as u32;
            img.resize_exact(w, h, FilterType::Triangle)
        } else {
            img.clone()
        };
        out.push(Sized {
            width: w,
            height: scaled.height(),
            bytes: encode(&scaled, kind)?,
        });
    }
    Ok((kind, out))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn jpeg(w: u32, h: u32) -> Vec<u8> {
        let img = DynamicImage::ImageRgb8(image::RgbImage::from_fn(w, h, |x, y| {
            image::Rgb([(x % 256) as u8, (y % 256) as u8, 120])
        }));
        encode(&img, ImageKind::Jpeg).unwrap()
    }

    #[test]
    fn pictures_come_in_each_width_never_larger() {
        let (kind, sizes) = widths(&jpeg(1200, 600), &[480, 960, 1600]).unwrap();
        assert_eq!(kind, ImageKind::Jpeg);
        let dims: Vec<(u32, u32)> = sizes.iter().map(|s| (s.width, s.height)).collect();
        assert_eq!(dims, vec![(480, 240), (960, 480), (1600, 600)]);
        // Each is a JPEG that decodes to its size.
        let back = image::load_from_memory(&sizes[0].bytes).unwrap();
        assert_eq!((back.width(), back.height()), (480, 240));
        assert_eq!(
            image::load_from_memory(&sizes[2].bytes).unwrap().width(),
            1200
        );
    }

    #[test]
    fn metadata_does_not_survive_and_broken_files_are_refused() {
        // An APP1 (EXIF) segment with a marker text, inserted after SOI.
        let mut with_exif = vec![0xFF, 0xD8, 0xFF, 0xE1, 0x00, 0x10];
        with_exif.extend_from_slice(b"Exif\0\0GPS-MARK");
        with_exif.extend_from_slice(&jpeg(64, 64)[2..]);
        let (_, sizes) = widths(&with_exif, &[32]).unwrap();
        let out = &sizes[0].bytes;
        assert!(!out.windows(8).any(|w| w == b"GPS-MARK"));
        assert!(widths(b"not a picture", &[32]).is_err());
        assert!(widths(&[0xFF, 0xD8, 0xFF, 0xE0, 0, 4, 1, 2], &[32]).is_err());
    }
}
