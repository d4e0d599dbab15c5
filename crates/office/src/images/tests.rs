use super::*;

fn segment(marker: u8, data: &[u8]) -> Vec<u8> {
    let mut s = vec![0xFF, marker];
    s.extend_from_slice(&((data.len() + 2) as u16).to_be_bytes());
    s.extend_from_slice(data);
    s
}

/// A JPEG's structure with EXIF (and GPS), XMP, a comment and picture data.
fn jpeg_with_metadata() -> Vec<u8> {
    let mut b = vec![0xFF, 0xD8];
    b.extend(segment(0xE0, b"JFIF\0\x01\x01\0\0\x01\0\x01\0\0"));
    b.extend(segment(0xE1, b"Exif\0\0MM\0*GPSLatitude 21.38 N, Nokia"));
    b.extend(segment(0xE1, b"http://ns.adobe.com/xap/1.0/\0<x:xmpmeta>"));
    b.extend(segment(0xED, b"Photoshop 3.0\0IPTC byline"));
    b.extend(segment(0xFE, b"taken by Nguyen Van A"));
    b.extend(segment(0xDB, &[0u8; 65]));
    b.extend(segment(0xC0, &[8, 0, 1, 0, 1, 1, 1, 0x11, 0]));
    b.extend(segment(0xDA, &[1, 1, 0, 0, 0x3F, 0]));
    b.extend_from_slice(&[0x12, 0xFF, 0x00, 0x34, 0xFF, 0xD0, 0x56]);
    b.extend_from_slice(&[0xFF, 0xD9]);
    b
}

fn chunk(kind: &[u8], data: &[u8]) -> Vec<u8> {
    let mut c = (data.len() as u32).to_be_bytes().to_vec();
    c.extend_from_slice(kind);
    c.extend_from_slice(data);
    let crc = crc32fast::hash(&c[4..]);
    c.extend_from_slice(&crc.to_be_bytes());
    c
}

fn png_with_metadata() -> Vec<u8> {
    let mut b = PNG_SIGNATURE.to_vec();
    b.extend(chunk(b"IHDR", &[0, 0, 0, 1, 0, 0, 0, 1, 8, 2, 0, 0, 0]));
    b.extend(chunk(b"tEXt", b"Author\0Nguyen Van A"));
    b.extend(chunk(b"iTXt", b"XML:com.adobe.xmp\0\0\0\0\0<x:xmpmeta>"));
    b.extend(chunk(b"eXIf", b"MM\0*GPS"));
    b.extend(chunk(b"tIME", &[7, 231, 5, 19, 8, 0, 0]));
    b.extend(chunk(b"IDAT", b"picture"));
    b.extend(chunk(b"IEND", b""));
    b
}

fn contains(hay: &[u8], needle: &[u8]) -> bool {
    hay.windows(needle.len()).any(|w| w == needle)
}

#[test]
fn jpeg_exif_gps_xmp_iptc_and_comments_are_stripped_and_the_picture_kept() {
    let (kind, out) = strip_metadata(&jpeg_with_metadata()).unwrap();
    assert_eq!(kind, ImageKind::Jpeg);
    for gone in [&b"Exif"[..], b"GPS", b"xmpmeta", b"IPTC", b"Nguyen"] {
        assert!(
            !contains(&out, gone),
            "{:?} left",
            String::from_utf8_lossy(gone)
        );
    }
    assert!(contains(&out, b"JFIF"));
    // Scan data (with its stuffed bytes and restart marker) copied as it was.
    assert!(out.ends_with(&[0x12, 0xFF, 0x00, 0x34, 0xFF, 0xD0, 0x56, 0xFF, 0xD9]));
    // Stripping twice changes nothing more.
    assert_eq!(strip_metadata(&out).unwrap().1, out);
}

#[test]
fn png_text_time_and_exif_chunks_are_stripped() {
    let (kind, out) = strip_metadata(&png_with_metadata()).unwrap();
    assert_eq!(kind, ImageKind::Png);
    for gone in [&b"tEXt"[..], b"iTXt", b"eXIf", b"tIME", b"Nguyen", b"GPS"] {
        assert!(!contains(&out, gone));
    }
    assert!(
        contains(&out, b"IHDR")
            && contains(&out, b"IDATpicture")
            && out.ends_with(&chunk(b"IEND", b""))
    );
}

#[test]
fn other_files_and_damaged_pictures_are_refused() {
    assert_eq!(
        strip_metadata(b"GIF89a....").unwrap_err(),
        "Tệp không phải ảnh JPEG hoặc PNG"
    );
    assert_eq!(recognise(b"%PDF-1.7"), None);
    let jpeg = jpeg_with_metadata();
    assert!(strip_metadata(&jpeg[..30])
        .unwrap_err()
        .contains("JPEG bị hỏng"));
    let png = png_with_metadata();
    assert!(strip_metadata(&png[..40])
        .unwrap_err()
        .contains("PNG bị hỏng"));
    // A chunk length pointing past the end.
    let mut huge = PNG_SIGNATURE.to_vec();
    huge.extend_from_slice(&[0xFF, 0xFF, 0xFF, 0xF0]);
    huge.extend_from_slice(b"IHDR");
    assert!(strip_metadata(&huge).is_err());
}

#[test]
fn what_only_looks_like_a_picture_is_refused() {
    // A JPEG made of a start of scan and markup, no frame.
    let mut fake = vec![0xFF, 0xD8];
    fake.extend(segment(0xDA, &[1, 1, 0, 0, 0x3F, 0]));
    fake.extend_from_slice(b"<html><script>alert(1)</script></html>\xFF\xD9");
    assert!(strip_metadata(&fake).is_err());
    // A frame of 0 × 0 pixels.
    let mut empty = vec![0xFF, 0xD8];
    empty.extend(segment(0xC0, &[8, 0, 0, 0, 0, 1, 1, 0x11, 0]));
    empty.extend(segment(0xDA, &[1, 1, 0, 0, 0x3F, 0]));
    empty.extend_from_slice(&[0x12, 0xFF, 0xD9]);
    assert!(strip_metadata(&empty).is_err());
    // Bytes after the end marker are not kept.
    let mut tail = jpeg_with_metadata();
    tail.extend_from_slice(b"<html>");
    let (_, kept) = strip_metadata(&tail).unwrap();
    assert!(kept.ends_with(&[0xFF, 0xD9]), "{kept:?}");
    // A PNG with only its end, one with a wrong CRC, one too large.
    let mut only_end = PNG_SIGNATURE.to_vec();
    only_end.extend(chunk(b"IEND", b""));
    assert!(strip_metadata(&only_end).is_err());
    let mut wrong = png_with_metadata();
    let n = wrong.len();
    wrong[n - 5] ^= 1;
    assert!(strip_metadata(&wrong).is_err());
    let mut huge = PNG_SIGNATURE.to_vec();
    huge.extend(chunk(b"IHDR", &[0, 1, 0, 0, 0, 0, 0, 1, 8, 2, 0, 0, 0]));
    huge.extend(chunk(b"IDAT", b"x"));
    huge.extend(chunk(b"IEND", b""));
    assert!(strip_metadata(&huge).is_err());
}

#[test]
fn what_a_camera_appends_or_puts_between_scans_is_never_kept() {
    // A second picture after the first (a gain map, a motion photo's
    // still) carrying its own EXIF with a position.
    let mut twice = jpeg_with_metadata();
    twice.extend(jpeg_with_metadata());
    twice.extend_from_slice(b"ftypmp4 video GPS 21.38\xFF\xD9");
    let (_, kept) = strip_metadata(&twice).unwrap();
    assert_eq!(kept, strip_metadata(&jpeg_with_metadata()).unwrap().1);
    assert!(!contains(&kept, b"GPS") && !contains(&kept, b"ftyp"));
    // A progressive picture: EXIF and a comment between its two scans go,
    // both scans stay.
    let mut progressive = vec![0xFF, 0xD8];
    progressive.extend(segment(0xC2, &[8, 0, 1, 0, 1, 1, 1, 0x11, 0]));
    progressive.extend(segment(0xDA, &[1, 1, 0, 0, 0x3F, 0]));
    progressive.extend_from_slice(&[0x21, 0xFF, 0x00]);
    progressive.extend(segment(0xE1, b"Exif\0\0GPSLatitude 10.45"));
    progressive.extend(segment(0xFE, b"Nguyen Van A"));
    progressive.extend(segment(0xDA, &[1, 1, 0, 0, 0x3F, 0]));
    progressive.extend_from_slice(&[0x43, 0xFF, 0xFF, 0xD9]);
    let (_, kept) = strip_metadata(&progressive).unwrap();
    assert!(!contains(&kept, b"GPS") && !contains(&kept, b"Nguyen"));
    assert!(contains(&kept, &[0x21, 0xFF, 0x00]) && kept.ends_with(&[0x43, 0xFF, 0xD9]));
    // Entropy data that never ends is damaged.
    let mut endless = jpeg_with_metadata();
    endless.truncate(endless.len() - 2);
    assert!(strip_metadata(&endless).is_err());
}

#[test]
fn png_keeps_only_the_chunks_that_make_the_picture() {
    let mut b = PNG_SIGNATURE.to_vec();
    b.extend(chunk(b"IHDR", &[0, 0, 0, 1, 0, 0, 0, 1, 8, 2, 0, 0, 0]));
    b.extend(chunk(b"exIf", b"MM\0*GPS old spelling"));
    b.extend(chunk(b"zxIf", b"GPS compressed"));
    b.extend(chunk(b"caBX", b"c2pa manifest Nguyen"));
    b.extend(chunk(b"prVt", b"private GPS"));
    b.extend(chunk(b"pHYs", &[0, 0, 11, 19, 0, 0, 11, 19, 1]));
    b.extend(chunk(b"IDAT", b"picture"));
    b.extend(chunk(b"IEND", b""));
    let (_, out) = strip_metadata(&b).unwrap();
    for gone in [&b"exIf"[..], b"zxIf", b"caBX", b"prVt", b"GPS", b"Nguyen"] {
        assert!(!contains(&out, gone), "{}", String::from_utf8_lossy(gone));
    }
    assert!(contains(&out, b"pHYs") && contains(&out, b"IDATpicture"));
}
