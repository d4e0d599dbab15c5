//! Pictures a citizen sends with a tip or a later message: read from a
//! form (multipart, or a plain form without files) or from the API
//! (base64 in JSON), bounded in count and size before anything is kept,
//! recognised by their content and stripped of their metadata (EXIF and
//! GPS with it) by `antq_office::images` before they reach storage.

use antq_storage::tips::attachments::{self, Attachment, MAX_BYTES, MAX_PER_SUBMISSION};
use axum::extract::{FromRequest, Multipart, Request};
use axum::http::header::CONTENT_TYPE;
use axum::http::StatusCode;
use axum::Form;
use base64::Engine;
use serde::Deserialize;

use super::api::PUBLIC_BODY_LIMIT;
use crate::error::Failure;

/// The body of a public form that may carry pictures.
pub const FORM_BODY_LIMIT: usize = PUBLIC_BODY_LIMIT + attachments::MAX_TOTAL_BYTES + 64 * 1024;
const _: () = assert!(API_BODY_LIMIT > attachments::MAX_TOTAL_BYTES / 3 * 4);

/// The body of a public API call that may carry pictures (base64: 4 bytes
/// for every 3).
pub const API_BODY_LIMIT: usize =
    PUBLIC_BODY_LIMIT + attachments::MAX_TOTAL_BYTES / 3 * 4 + 64 * 1024;

/// The public routes that take pictures (the tips', and "Gửi ban biên
/// tập"'s), and their limits (for the 413's words).
pub fn body_limit(path: &str) -> Option<usize> {
    match path {
        "/tin-bao/gui" | "/tin-bao/trao-doi" | "/gui-ban-bien-tap" => Some(FORM_BODY_LIMIT),
        "/api/v1/public/tips"
        | "/api/v1/public/tips/messages"
        | "/api/v1/public/editor-messages" => Some(API_BODY_LIMIT),
        _ => None,
    }
}

/// Bodies with pictures read at once, across the public tip routes: each
/// may hold about 20 MB (and its decoded copy) in memory, so a flood of
/// large bodies, proof of work or not, is held to a bounded amount.
pub const UPLOADS_AT_ONCE: usize = 4;

static UPLOADS: tokio::sync::Semaphore = tokio::sync::Semaphore::const_new(UPLOADS_AT_ONCE);

/// Middleware of the routes that take pictures: a body larger than a
/// tip's text (or of unknown length) waits for none; it takes one of the
/// [`UPLOADS_AT_ONCE`] places or is answered 503 at once, before it is read.
pub async fn bounded(
    req: axum::extract::Request,
    next: axum::middleware::Next,
) -> axum::response::Response {
    use axum::response::IntoResponse;
    let small = req
        .headers()
        .get(axum::http::header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<usize>().ok())
        .is_some_and(|n| n <= PUBLIC_BODY_LIMIT);
    if req.method() != axum::http::Method::POST || small {
        return next.run(req).await;
    }
    let Ok(_place) = UPLOADS.try_acquire() else {
        let busy = Failure::new(
            StatusCode::SERVICE_UNAVAILABLE,
            "Hệ thống đang nhận nhiều ảnh cùng lúc: xin chờ một phút rồi gửi lại",
        );
        let api = req.uri().path().starts_with("/api/")
            || req
                .extensions()
                .get::<axum::extract::OriginalUri>()
                .is_some_and(|u| u.0.path().starts_with("/api/"));
        return if api {
            crate::error::ApiError(busy).into_response()
        } else {
            crate::error::PageError(busy).into_response()
        };
    };
    next.run(req).await
}

/// The name of the file fields of the public forms.
const FILE_FIELD: &str = "attachment";

/// A public form: its fields, and the files of its `attachment` fields
/// (none when the form came without files).
pub struct TipForm {
    pub fields: Vec<(String, String)>,
    pub files: Vec<Vec<u8>>,
    /// Pictures refused while reading (too many, too large): the form comes
    /// back with this message and what was typed, the pictures dropped.
    pub refused: Option<Failure>,
}

fn too_many() -> Failure {
    Failure::new(
        StatusCode::UNPROCESSABLE_ENTITY,
        format!("Mỗi lần gửi kèm tối đa {MAX_PER_SUBMISSION} ảnh"),
    )
}

fn too_large() -> Failure {
    Failure::new(
        StatusCode::PAYLOAD_TOO_LARGE,
        format!(
            "Mỗi ảnh tối đa {} MB, tổng cộng tối đa {} MB",
            MAX_BYTES / 1024 / 1024,
            attachments::MAX_TOTAL_BYTES / 1024 / 1024
        ),
    )
}

impl<S: Send + Sync> FromRequest<S> for TipForm {
    type Rejection = crate::error::PageError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        let multipart = req
            .headers()
            .get(CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.starts_with("multipart/form-data"));
        if !multipart {
            let Form(fields) = Form::<Vec<(String, String)>>::from_request(req, state)
                .await
                .map_err(|_| {
                    Failure::new(
                        StatusCode::BAD_REQUEST,
                        "Biểu mẫu gửi lên không đọc được: xin tải lại trang",
                    )
                })?;
            return Ok(TipForm {
                fields,
                files: Vec::new(),
                refused: None,
            });
        }
        let mut m = Multipart::from_request(req, state).await.map_err(|_| {
            Failure::new(
                StatusCode::BAD_REQUEST,
                "Biểu mẫu gửi lên không đọc được: xin tải lại trang",
            )
        })?;
        Ok(read_parts(&mut m).await?)
    }
}

/// The parts of a multipart form, each file read in chunks: a file past
/// the limits is read through and dropped (the form comes back with what
/// was typed), a field past its length refused.
async fn read_parts(m: &mut Multipart) -> Result<TipForm, Failure> {
    let (mut fields, mut files, mut refused) = (Vec::new(), Vec::new(), None);
    let mut total = 0usize;
    while let Some(mut field) = m.next_field().await.map_err(|_| broken())? {
        let name = field.name().unwrap_or_default().to_string();
        let is_file = name == FILE_FIELD;
        let cap = if is_file {
            MAX_BYTES
        } else {
            PUBLIC_BODY_LIMIT
        };
        let (mut bytes, mut over) = (Vec::new(), false);
        while let Some(chunk) = field.chunk().await.map_err(|_| broken())? {
            over |= bytes.len() + chunk.len() > cap;
            if !over {
                bytes.extend_from_slice(&chunk);
            }
        }
        if !is_file {
            if over {
                return Err(too_long());
            }
            let value = String::from_utf8(bytes).map_err(|_| {
                Failure::new(
                    StatusCode::BAD_REQUEST,
                    "Biểu mẫu có chữ không đọc được: xin gõ lại",
                )
            })?;
            fields.push((name, value));
            continue;
        }
        // A file input left empty sends an empty part.
        if bytes.is_empty() && !over {
            continue;
        }
        total += bytes.len();
        if over || total > attachments::MAX_TOTAL_BYTES {
            refused.get_or_insert_with(too_large);
        } else if files.len() == MAX_PER_SUBMISSION {
            refused.get_or_insert_with(too_many);
        } else {
            files.push(bytes);
        }
    }
    if refused.is_some() {
        files.clear();
    }
    Ok(TipForm {
        fields,
        files,
        refused,
    })
}

/// A body that ended before its end (a connection cut mid-upload) or is
/// not a form at all.
fn broken() -> Failure {
    Failure::new(
        StatusCode::BAD_REQUEST,
        "Tải lên bị gián đoạn hoặc biểu mẫu gửi lên không đúng: xin gửi lại",
    )
}

fn too_long() -> Failure {
    Failure::new(
        StatusCode::PAYLOAD_TOO_LARGE,
        "Một trường của biểu mẫu quá dài",
    )
}

/// A picture as the API takes it.
#[derive(Deserialize)]
pub struct AttachmentBody {
    /// The file's bytes, base64 (standard alphabet, with or without padding).
    pub data: String,
}

/// The pictures of an API body, decoded (count and sizes checked first).
pub fn decode(items: Vec<AttachmentBody>) -> Result<Vec<Vec<u8>>, Failure> {
    if items.len() > MAX_PER_SUBMISSION {
        return Err(too_many());
    }
    let engine = base64::engine::GeneralPurpose::new(
        &base64::alphabet::STANDARD,
        base64::engine::GeneralPurposeConfig::new()
            .with_decode_padding_mode(base64::engine::DecodePaddingMode::Indifferent),
    );
    let mut total = 0usize;
    items
        .into_iter()
        .enumerate()
        .map(|(i, a)| {
            if a.data.len() / 4 * 3 > MAX_BYTES + 3 {
                return Err(too_large());
            }
            let bytes = engine.decode(a.data.trim()).map_err(|_| {
                Failure::new(
                    StatusCode::UNPROCESSABLE_ENTITY,
                    format!("Tệp đính kèm thứ {}: Không phải dữ liệu base64", i + 1),
                )
            })?;
            total += bytes.len();
            if bytes.len() > MAX_BYTES || total > attachments::MAX_TOTAL_BYTES {
                return Err(too_large());
            }
            Ok(bytes)
        })
        .collect()
}

/// The pictures ready to seal: JPEG or PNG by their content, metadata
/// stripped; anything else refused, naming the file by its place.
pub fn clean(files: Vec<Vec<u8>>) -> Result<Vec<Attachment>, Failure> {
    if files.len() > MAX_PER_SUBMISSION {
        return Err(too_many());
    }
    files
        .iter()
        .enumerate()
        .map(|(i, bytes)| {
            let (kind, clean) = antq_office::images::strip_metadata(bytes).map_err(|m| {
                Failure::new(
                    StatusCode::UNPROCESSABLE_ENTITY,
                    format!("Tệp đính kèm thứ {}: {m}", i + 1),
                )
            })?;
            Ok(Attachment {
                media_type: kind.media_type().to_string(),
                bytes: clean,
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A tiny JPEG with an EXIF segment carrying GPS words.
    fn jpeg_with_exif() -> Vec<u8> {
        let mut b = vec![0xFF, 0xD8];
        let exif = b"Exif\0\0GPSLatitude 21.38";
        b.extend_from_slice(&[0xFF, 0xE1]);
        b.extend_from_slice(&((exif.len() + 2) as u16).to_be_bytes());
        b.extend_from_slice(exif);
        // SOF0: precision 8, 1x1, 1 component.
        b.extend_from_slice(&[0xFF, 0xC0, 0x00, 0x0B, 8, 0, 1, 0, 1, 1, 1, 0x11, 0]);
        // SOS, one byte of data, EOI.
        b.extend_from_slice(&[
            0xFF, 0xDA, 0x00, 0x08, 1, 1, 0, 0, 0x3F, 0, 0x55, 0xFF, 0xD9,
        ]);
        b
    }

    #[test]
    fn pictures_lose_their_metadata_and_other_files_are_named_by_place() {
        let got = clean(vec![jpeg_with_exif()]).unwrap();
        assert_eq!(got[0].media_type, "image/jpeg");
        assert!(!got[0].bytes.windows(3).any(|w| w == b"GPS"));
        let e = clean(vec![jpeg_with_exif(), b"%PDF-1.7".to_vec()]).unwrap_err();
        assert_eq!(e.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(
            e.message.starts_with("Tệp đính kèm thứ 2: "),
            "{}",
            e.message
        );
    }

    #[test]
    fn base64_is_decoded_and_bounded() {
        let b = |s: &str| AttachmentBody { data: s.into() };
        assert_eq!(
            decode(vec![b("aGk="), b("aGk")]).unwrap(),
            vec![b"hi".to_vec(); 2]
        );
        let e = decode(vec![b("!!")]).unwrap_err();
        assert!(e.message.contains("base64"));
        let six = (0..=MAX_PER_SUBMISSION).map(|_| b("aGk=")).collect();
        assert_eq!(
            decode(six).unwrap_err().status,
            StatusCode::UNPROCESSABLE_ENTITY
        );
        let big = "A".repeat((MAX_BYTES + 3) / 3 * 4 + 8);
        assert_eq!(
            decode(vec![b(&big)]).unwrap_err().status,
            StatusCode::PAYLOAD_TOO_LARGE
        );
    }

    #[test]
    fn the_routes_that_take_pictures_name_their_limits() {
        assert_eq!(body_limit("/tin-bao/gui"), Some(FORM_BODY_LIMIT));
        assert_eq!(
            body_limit("/api/v1/public/tips/messages"),
            Some(API_BODY_LIMIT)
        );
        assert_eq!(body_limit("/api/v1/public/tips/session"), None);
    }
}
