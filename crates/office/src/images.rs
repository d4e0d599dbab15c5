//! Photos kept with a record: JPEG and PNG recognised by their content (never
//! by a name or a declared type), and their metadata stripped before storage.
//! A phone's photo carries where and when it was taken (EXIF with GPS in a
//! JPEG's APP1 segment, XMP, IPTC; text chunks and `eXIf` in a PNG): none of
//! it is kept. The picture data is copied unchanged (no re-encoding). What
//! is kept: JFIF (APP0), the colour profile (APP2 ICC) and Adobe's colour
//! transform (APP14) in a JPEG, and nothing after its first end marker; in
//! a PNG only the chunks that make the picture (an allowlist).
//! Note: the EXIF orientation goes with the rest; a photo taken sideways
//! shows sideways.

/// The kinds of picture antq keeps.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ImageKind {
    Jpeg,
    Png,
}

impl ImageKind {
    pub fn media_type(self) -> &'static str {
        match self {
            ImageKind::Jpeg => "image/jpeg",
            ImageKind::Png => "image/png",
        }
    }

    pub fn extension(self) -> &'static str {
        match self {
            ImageKind::Jpeg => "jpg",
            ImageKind::Png => "png",
        }
    }

    /// From a stored media type.
    pub fn from_media_type(s: &str) -> Option<ImageKind> {
        match s {
            "image/jpeg" => Some(ImageKind::Jpeg),
            "image/png" => Some(ImageKind::Png),
            _ => None,
        }
    }
}

const PNG_SIGNATURE: &[u8] = b"\x89PNG\r\n\x1a\n";

/// What the bytes are, by their first bytes.
pub fn recognise(bytes: &[u8]) -> Option<ImageKind> {
    if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
        Some(ImageKind::Jpeg)
    } else if bytes.starts_with(PNG_SIGNATURE) {
        Some(ImageKind::Png)
    } else {
        None
    }
}

/// The picture without its metadata, and its kind; an error (in Vietnamese)
/// for anything that is not a whole JPEG or PNG.
pub fn strip_metadata(bytes: &[u8]) -> Result<(ImageKind, Vec<u8>), String> {
    match recognise(bytes) {
        Some(ImageKind::Jpeg) => strip_jpeg(bytes).map(|b| (ImageKind::Jpeg, b)),
        Some(ImageKind::Png) => strip_png(bytes).map(|b| (ImageKind::Png, b)),
        None => Err("Tệp không phải ảnh JPEG hoặc PNG".to_string()),
    }
}

fn damaged(kind: &str) -> String {
    format!("Ảnh {kind} bị hỏng hoặc không đầy đủ")
}

/// JPEG markers kept before the image data: APP0 (JFIF), APP2 (ICC profile),
/// APP14 (Adobe); every other APPn (EXIF, XMP, IPTC…) and comments go.
fn keep_jpeg_marker(marker: u8) -> bool {
    !matches!(marker, 0xE1 | 0xE3..=0xED | 0xEF | 0xFE)
}

/// The largest side of a picture accepted (pixels).
pub const MAX_SIDE: u32 = 20_000;

fn sides_ok(width: u32, height: u32) -> bool {
    (1..=MAX_SIDE).contains(&width) && (1..=MAX_SIDE).contains(&height)
}

/// A start-of-frame marker (SOF0–SOF15, not DHT, JPG or DAC).
fn is_frame_header(marker: u8) -> bool {
    matches!(marker, 0xC0..=0xCF) && !matches!(marker, 0xC4 | 0xC8 | 0xCC)
}

fn strip_jpeg(b: &[u8]) -> Result<Vec<u8>, String> {
    let bad = || damaged("JPEG");
    let mut out = Vec::with_capacity(b.len());
    out.extend_from_slice(&b[..2]);
    let mut i = 2;
    let mut framed = false;
    loop {
        // Markers may be preceded by fill bytes 0xFF.
        if b.get(i) != Some(&0xFF) {
            return Err(bad());
        }
        while b.get(i) == Some(&0xFF) {
            i += 1;
        }
        let marker = *b.get(i).ok_or_else(bad)?;
        i += 1;
        match marker {
            // Standalone markers: no length.
            0x01 | 0xD0..=0xD7 => {
                out.extend_from_slice(&[0xFF, marker]);
                continue;
            }
            0xD9 => {
                out.extend_from_slice(&[0xFF, 0xD9]);
                return Ok(out);
            }
            _ => {}
        }
        let len = b
            .get(i..i + 2)
            .map(|l| usize::from(u16::from_be_bytes([l[0], l[1]])))
            .ok_or_else(bad)?;
        if len < 2 || i + len > b.len() {
            return Err(bad());
        }
        if is_frame_header(marker) {
            // Precision, height, width, components.
            let f = b.get(i + 2..i + 8).ok_or_else(bad)?;
            let (h, w) = (
                u32::from(u16::from_be_bytes([f[1], f[2]])),
                u32::from(u16::from_be_bytes([f[3], f[4]])),
            );
            if !sides_ok(w, h) || f[5] == 0 {
                return Err(bad());
            }
            framed = true;
        }
        if keep_jpeg_marker(marker) {
            out.extend_from_slice(&[0xFF, marker]);
            out.extend_from_slice(&b[i..i + len]);
        }
        i += len;
        if marker == 0xDA {
            // Start of scan, after a frame header: the entropy-coded data
            // is copied as it is, up to the next marker (stuffed 0xFF00 and
            // restart markers are part of it); then the marker loop goes
            // on, so segments between scans (EXIF, comments) are dropped
            // too, and the first end marker ends the picture: whatever a
            // camera appends after it (a second picture with its own EXIF,
            // a motion photo's video) is never kept.
            if !framed {
                return Err(bad());
            }
            let start = i;
            loop {
                let at = b[i..].iter().position(|x| *x == 0xFF).ok_or_else(bad)? + i;
                match b.get(at + 1) {
                    Some(0x00) | Some(0xD0..=0xD7) => i = at + 2,
                    Some(_) => {
                        out.extend_from_slice(&b[start..at]);
                        i = at;
                        break;
                    }
                    None => return Err(bad()),
                }
            }
        }
    }
}

/// PNG chunks kept: those that make the picture and its colours (and an
/// animation's frames). Everything else goes, text, time, EXIF in all its
/// spellings, provenance manifests and private chunks alike.
fn keep_png_chunk(kind: &[u8]) -> bool {
    matches!(
        kind,
        b"IHDR"
            | b"PLTE"
            | b"IDAT"
            | b"IEND"
            | b"tRNS"
            | b"gAMA"
            | b"cHRM"
            | b"sRGB"
            | b"iCCP"
            | b"sBIT"
            | b"bKGD"
            | b"pHYs"
            | b"acTL"
            | b"fcTL"
            | b"fdAT"
    )
}

fn strip_png(b: &[u8]) -> Result<Vec<u8>, String> {
    let bad = || damaged("PNG");
    let mut out = Vec::with_capacity(b.len());
    out.extend_from_slice(PNG_SIGNATURE);
    let mut i = PNG_SIGNATURE.len();
    let mut data = false;
    loop {
        let head = b.get(i..i + 8).ok_or_else(bad)?;
        let len = u32::from_be_bytes([head[0], head[1], head[2], head[3]]) as usize;
        let kind = &head[4..8];
        let end = i
            .checked_add(12)
            .and_then(|e| e.checked_add(len))
            .ok_or_else(bad)?;
        let chunk = b.get(i..end).ok_or_else(bad)?;
        // Every chunk's CRC (over its kind and data) must hold.
        let crc = u32::from_be_bytes(chunk[8 + len..].try_into().map_err(|_| bad())?);
        if crc32fast::hash(&chunk[4..8 + len]) != crc {
            return Err(bad());
        }
        let first = i == PNG_SIGNATURE.len();
        if first {
            // The header comes first: 13 bytes with the width and height.
            if kind != b"IHDR" || len != 13 {
                return Err(bad());
            }
            let d = &chunk[8..];
            let w = u32::from_be_bytes([d[0], d[1], d[2], d[3]]);
            let h = u32::from_be_bytes([d[4], d[5], d[6], d[7]]);
            if !sides_ok(w, h) {
                return Err(bad());
            }
        }
        data |= kind == b"IDAT";
        if keep_png_chunk(kind) {
            out.extend_from_slice(chunk);
        }
        i = end;
        if kind == b"IEND" {
            // A picture has data; nothing after the end is kept.
            return if data { Ok(out) } else { Err(bad()) };
        }
    }
}

#[cfg(test)]
mod tests;
