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
fn same(a: &str, b: &str) -> bool {
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
    // Multipart uploads carry the token in the form's action URL.
    if let Some(given) = req
        .uri()
        .query()
        .and_then(|q| form_field(q.as_bytes(), FIELD))
    {
        return if same(&given, &expected) {
            next.run(req).await
        } else {
            refuse(is_api, "mã chống giả mạo (CSRF) không đúng")
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
}
