//! CSRF protection for every state-changing request: requests signed in by
//! cookie must carry the session's token (header `X-CSRF-Token`, or the form
//! field `csrf_token`); requests from another site are refused outright.
//! Requests with a bearer token carry no ambient credential and need no token.

use axum::body::Body;
use axum::extract::Request;
use axum::http::header::{CONTENT_TYPE, HOST, ORIGIN};
use axum::http::{Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use crate::auth::{AuthContext, Via};
use crate::error::{ApiError, Failure, PageError};

pub const HEADER: &str = "x-csrf-token";
pub const FIELD: &str = "csrf_token";

fn refuse(req_is_api: bool, msg: &str) -> Response {
    let f = Failure::new(StatusCode::FORBIDDEN, msg);
    if req_is_api {
        ApiError(f).into_response()
    } else {
        PageError(f).into_response()
    }
}

/// Compare without leaking the position of the first difference.
pub fn same(a: &str, b: &str) -> bool {
    a.len() == b.len()
        && a.bytes()
            .zip(b.bytes())
            .fold(0u8, |acc, (x, y)| acc | (x ^ y))
            == 0
}

fn form_field(body: &[u8], name: &str) -> Option<String> {
    std::str::from_utf8(body)
        .ok()?
        .split('&')
        .filter_map(|kv| kv.split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.to_string())
}

pub async fn protect(req: Request, next: Next) -> Response {
    if matches!(*req.method(), Method::GET | Method::HEAD | Method::OPTIONS) {
        return next.run(req).await;
    }
    let is_api = req.uri().path().starts_with("/api/");
    let headers = req.headers();
    if headers
        .get("sec-fetch-site")
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v == "cross-site")
    {
        return refuse(is_api, "yêu cầu từ trang web khác bị từ chối");
    }
    if let (Some(origin), Some(host)) = (
        headers.get(ORIGIN).and_then(|v| v.to_str().ok()),
        headers.get(HOST).and_then(|v| v.to_str().ok()),
    ) {
        let origin_host = origin.split("://").nth(1).unwrap_or(origin);
        if origin != "null" && origin_host != host {
            return refuse(is_api, "yêu cầu từ trang web khác bị từ chối");
        }
    }
    let Some(ctx) = req.extensions().get::<AuthContext>().cloned() else {
        return next.run(req).await;
    };
    if ctx.via == Via::Bearer {
        return next.run(req).await;
    }
    let expected = ctx.csrf_token.unwrap_or_default();
    if let Some(given) = req.headers().get(HEADER).and_then(|v| v.to_str().ok()) {
        return if same(given, &expected) {
            next.run(req).await
        } else {
            refuse(is_api, "mã chống giả mạo (CSRF) không đúng")
        };
    }
    // Multipart uploads carry the token as the form's first field (never in
    // the URL, where logs, history and Referer headers would keep it); only
    // the head of the body is read, the rest streams on to the handler.
    if let Some(boundary) = req
        .headers()
        .get(CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(multipart_boundary)
    {
        let (parts, body) = req.into_parts();
        let (head, rest) = match read_head(body, MULTIPART_HEAD).await {
            Ok(x) => x,
            Err(()) => return refuse(is_api, "không đọc được tệp gửi lên"),
        };
        return match first_part_field(&head, &boundary, FIELD) {
            Some(given) if same(&given, &expected) => {
                let body = Body::new(Prefixed {
                    head: Some(axum::body::Bytes::from(head)),
                    rest,
                });
                next.run(Request::from_parts(parts, body)).await
            }
            _ => refuse(
                is_api,
                "mã chống giả mạo (CSRF) không đúng hoặc phiên đã hết hạn; tải lại trang và thử lại",
            ),
        };
    }
    let is_form = req
        .headers()
        .get(CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/x-www-form-urlencoded"));
    if !is_form {
        return refuse(is_api, "thiếu mã chống giả mạo (CSRF)");
    }
    let (parts, body) = req.into_parts();
    let bytes = match axum::body::to_bytes(body, crate::api::BODY_LIMIT).await {
        Ok(b) => b,
        Err(_) => {
            let f = Failure::new(
                StatusCode::PAYLOAD_TOO_LARGE,
                crate::error::too_large_message(crate::api::BODY_LIMIT),
            );
            return if is_api {
                ApiError(f).into_response()
            } else {
                PageError(f).into_response()
            };
        }
    };
    match form_field(&bytes, FIELD) {
        Some(given) if same(&given, &expected) => {
            next.run(Request::from_parts(parts, Body::from(bytes)))
                .await
        }
        _ => refuse(
            is_api,
            "mã chống giả mạo (CSRF) không đúng hoặc phiên đã hết hạn; tải lại trang và thử lại",
        ),
    }
}

/// Bytes of a multipart body read to find its first field.
const MULTIPART_HEAD: usize = 8 * 1024;

/// The boundary of a `multipart/form-data` content type.
fn multipart_boundary(ct: &str) -> Option<String> {
    let (kind, params) = ct.split_once(';')?;
    if !kind.trim().eq_ignore_ascii_case("multipart/form-data") {
        return None;
    }
    params.split(';').find_map(|p| {
        let (k, v) = p.split_once('=')?;
        k.trim()
            .eq_ignore_ascii_case("boundary")
            .then(|| v.trim().trim_matches('"').to_string())
            .filter(|b| !b.is_empty())
    })
}

/// The head of a body (at least `want` bytes unless it is shorter) and the
/// body left to stream.
async fn read_head(mut body: Body, want: usize) -> Result<(Vec<u8>, Body), ()> {
    use axum::body::HttpBody;
    let mut head = Vec::new();
    while head.len() < want {
        let frame = std::future::poll_fn(|cx| std::pin::Pin::new(&mut body).poll_frame(cx)).await;
        match frame {
            None => break,
            Some(Err(_)) => return Err(()),
            Some(Ok(f)) => {
                if let Ok(data) = f.into_data() {
                    head.extend_from_slice(&data);
                }
            }
        }
    }
    Ok((head, body))
}

/// The value of the first part of a multipart body when that part is the
/// plain field `name`.
fn first_part_field(head: &[u8], boundary: &str, name: &str) -> Option<String> {
    let text = String::from_utf8_lossy(head);
    let start = format!("--{boundary}\r\n");
    let rest = text.strip_prefix(start.as_str())?;
    let (headers, after) = rest.split_once("\r\n\r\n")?;
    let disposition = headers
        .split("\r\n")
        .find(|h| h.to_ascii_lowercase().starts_with("content-disposition:"))?;
    let quoted = format!("name=\"{name}\"");
    let is_field = disposition
        .split(';')
        .any(|p| p.trim() == quoted || p.trim() == format!("name={name}"));
    if !is_field || disposition.contains("filename") {
        return None;
    }
    let (value, _) = after.split_once(&format!("\r\n--{boundary}"))?;
    Some(value.trim().to_string())
}

/// A body whose head was already read: the head first, then the rest.
struct Prefixed {
    head: Option<axum::body::Bytes>,
    rest: Body,
}

impl axum::body::HttpBody for Prefixed {
    type Data = axum::body::Bytes;
    type Error = axum::Error;

    fn poll_frame(
        mut self: std::pin::Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<Option<Result<hyper::body::Frame<Self::Data>, Self::Error>>> {
        if let Some(head) = self.head.take() {
            if !head.is_empty() {
                return std::task::Poll::Ready(Some(Ok(hyper::body::Frame::data(head))));
            }
        }
        std::pin::Pin::new(&mut self.rest).poll_frame(cx)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_the_token_in_a_form() {
        assert_eq!(
            form_field(b"a=1&csrf_token=abc&b=2", FIELD).as_deref(),
            Some("abc")
        );
        assert_eq!(form_field(b"a=1", FIELD), None);
        assert!(same("abc", "abc"));
        assert!(!same("abc", "abd"));
        assert!(!same("abc", "abcd"));
    }

    #[test]
    fn finds_the_token_in_the_first_part_of_a_multipart_body() {
        assert_eq!(
            multipart_boundary("multipart/form-data; boundary=\"XyZ\"").as_deref(),
            Some("XyZ")
        );
        assert_eq!(multipart_boundary("application/json"), None);
        let body = b"--XyZ\r\nContent-Disposition: form-data; name=\"csrf_token\"\r\n\r\nabc\r\n--XyZ\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.pdf\"\r\n\r\n%PDF";
        assert_eq!(first_part_field(body, "XyZ", FIELD).as_deref(), Some("abc"));
        let later = b"--XyZ\r\nContent-Disposition: form-data; name=\"file\"; filename=\"csrf_token\"\r\n\r\nabc\r\n--XyZ--";
        assert_eq!(first_part_field(later, "XyZ", FIELD), None);
    }
}
