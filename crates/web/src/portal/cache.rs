//! Public pages answered with validators: an ETag (the SHA-256 of the body)
//! and, where known, Last-Modified; a request that already holds this body
//! gets 304 without it. Public pages may be kept by browsers and proxies
//! for a minute.

use axum::http::header::{
    CACHE_CONTROL, CONTENT_TYPE, ETAG, IF_MODIFIED_SINCE, IF_NONE_MATCH, LAST_MODIFIED,
};
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use sha2::{Digest, Sha256};

/// A stored UTC timestamp as an HTTP date ("Fri, 04 Dec 2026 09:00:00 GMT").
pub fn http_date(ts: &str) -> Option<String> {
    chrono::DateTime::parse_from_rfc3339(ts).ok().map(|t| {
        t.with_timezone(&chrono::Utc)
            .format("%a, %d %b %Y %H:%M:%S GMT")
            .to_string()
    })
}

/// The answer to a public GET: 304 when the client's copy is current.
/// `shared`: the same for every reader (no one logged in), so proxies may
/// keep it; a logged-in officer's copy (its menu differs) is private.
pub fn cached(
    shared: bool,
    headers: &HeaderMap,
    content_type: &'static str,
    last_modified: Option<&str>,
    body: String,
) -> Response {
    let etag = format!(
        "\"{}\"",
        hex::encode(&Sha256::digest(body.as_bytes())[..16])
    );
    let last = last_modified.and_then(http_date);
    let matches_etag = headers
        .get(IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        // Weak comparison (RFC 9110 §13.1.2): a proxy that compresses the
        // page sends back `W/"…"`, which still names this copy.
        .is_some_and(|v| {
            v.split(',').any(|t| {
                let t = t.trim();
                t == "*" || t.strip_prefix("W/").unwrap_or(t) == etag
            })
        });
    let not_modified_since = headers.get(IF_NONE_MATCH).is_none()
        && match (
            headers.get(IF_MODIFIED_SINCE).and_then(|v| v.to_str().ok()),
            &last,
        ) {
            (Some(since), Some(last)) => since == last,
            _ => false,
        };
    let mut res = if matches_etag || not_modified_since {
        StatusCode::NOT_MODIFIED.into_response()
    } else {
        let mut r = body.into_response();
        r.headers_mut()
            .insert(CONTENT_TYPE, HeaderValue::from_static(content_type));
        r
    };
    let h = res.headers_mut();
    if let Ok(v) = HeaderValue::from_str(&etag) {
        h.insert(ETAG, v);
    }
    if let Some(v) = last.and_then(|l| HeaderValue::from_str(&l).ok()) {
        h.insert(LAST_MODIFIED, v);
    }
    // The menu and the language follow the session and language cookies.
    h.insert(axum::http::header::VARY, HeaderValue::from_static("Cookie"));
    h.insert(
        CACHE_CONTROL,
        HeaderValue::from_static(if shared {
            "public, max-age=60"
        } else {
            "private, no-cache"
        }),
    );
    res
}

pub const HTML: &str = "text/html; charset=utf-8";
pub const ATOM: &str = "application/atom+xml; charset=utf-8";
pub const XML: &str = "application/xml; charset=utf-8";
