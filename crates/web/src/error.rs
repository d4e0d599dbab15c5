//! Errors as the client sees them: JSON with a message for the API, a page
//! for browsers. Internal details are logged, never sent.

use antq_core::DomainError;
use antq_storage::StorageError;
use axum::extract::{FromRequestParts, Request};
use axum::http::header::{CONTENT_LENGTH, CONTENT_TYPE, REFERER};
use axum::http::{Method, StatusCode};
use axum::middleware::Next;
use axum::response::{Html, IntoResponse, Response};
use axum::Json;
use serde_json::json;

/// What went wrong, independent of how it is shown.
#[derive(Debug, Clone)]
pub struct Failure {
    pub status: StatusCode,
    pub message: String,
    /// Every error of a rejected file or form, when there are several.
    pub errors: Vec<String>,
}

impl Failure {
    pub fn new(status: StatusCode, message: impl Into<String>) -> Self {
        Failure {
            status,
            message: message.into(),
            errors: Vec::new(),
        }
    }

    /// The framework's own (English) explanation goes to the debug log with
    /// the request's id, never to the user: it names Rust types and echoes
    /// what the client sent.
    pub fn with_detail(self, detail: impl std::fmt::Display) -> Self {
        tracing::debug!(status = %self.status, detail = %detail, "request refused");
        self
    }

    pub fn unauthorized() -> Self {
        Failure::new(StatusCode::UNAUTHORIZED, "Cần đăng nhập")
    }

    pub fn forbidden() -> Self {
        Failure::new(StatusCode::FORBIDDEN, "Không có quyền với đơn vị này")
    }

    pub fn bad_request(msg: impl Into<String>) -> Self {
        Failure::new(StatusCode::BAD_REQUEST, msg)
    }

    /// "Không tìm thấy {what}".
    pub fn not_found(what: impl Into<String>) -> Self {
        Failure::new(
            StatusCode::NOT_FOUND,
            format!("Không tìm thấy {}", what.into()),
        )
    }

    /// 404 with a whole sentence ("Không có bài viết này …").
    pub fn gone(sentence: impl Into<String>) -> Self {
        Failure::new(StatusCode::NOT_FOUND, sentence)
    }
}

impl From<StorageError> for Failure {
    fn from(e: StorageError) -> Self {
        match e {
            StorageError::NotFound(what) => Failure::not_found(what),
            StorageError::Forbidden => Failure::forbidden(),
            StorageError::Conflict(msg) => Failure::new(StatusCode::CONFLICT, msg),
            StorageError::Invalid(e) => {
                Failure::new(StatusCode::UNPROCESSABLE_ENTITY, e.to_string())
            }
            StorageError::Rejected(errors) => Failure {
                status: StatusCode::UNPROCESSABLE_ENTITY,
                message: format!(
                    "Dữ liệu có {} lỗi, không có gì được ghi",
                    antq_core::text::format_int(antq_core::imports::error_count(&errors) as i64)
                ),
                errors,
            },
            StorageError::Busy => Failure::new(StatusCode::SERVICE_UNAVAILABLE, e.to_string()),
            StorageError::Index(e) => {
                tracing::error!(error = %e, "search index error");
                Failure::new(
                    StatusCode::INTERNAL_SERVER_ERROR,
                    "Lỗi hệ thống, xin thử lại sau",
                )
            }
            StorageError::Database(e) => {
                tracing::error!(error = %e, "database error");
                Failure::new(
                    StatusCode::INTERNAL_SERVER_ERROR,
                    "Lỗi hệ thống, xin thử lại sau",
                )
            }
        }
    }
}

impl From<DomainError> for Failure {
    fn from(e: DomainError) -> Self {
        Failure::new(StatusCode::UNPROCESSABLE_ENTITY, e.to_string())
    }
}

impl From<askama::Error> for Failure {
    fn from(e: askama::Error) -> Self {
        tracing::error!(error = %e, "template error");
        Failure::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "Lỗi hệ thống, xin thử lại sau",
        )
    }
}

/// An error answered as JSON: `{"error": "...", "errors": [...]}`.
#[derive(Debug)]
pub struct ApiError(pub Failure);

impl<E: Into<Failure>> From<E> for ApiError {
    fn from(e: E) -> Self {
        ApiError(e.into())
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let f = self.0;
        let mut body = json!({"error": capitalised(&f.message)});
        if !f.errors.is_empty() {
            body["errors"] = json!(f.errors);
        }
        (f.status, Json(body)).into_response()
    }
}

/// An error answered as a page.
#[derive(Debug)]
pub struct PageError(pub Failure);

impl<E: Into<Failure>> From<E> for PageError {
    fn from(e: E) -> Self {
        PageError(e.into())
    }
}

impl IntoResponse for PageError {
    /// A bare page; `contract` replaces it with one in the app's layout
    /// (it finds the failure in the response's extensions).
    fn into_response(self) -> Response {
        let f = self.0;
        let title = status_title(f.status);
        let mut list = String::new();
        for e in &f.errors {
            list.push_str(&format!("<li>{}</li>", escape(e)));
        }
        let html = format!(
            "<!doctype html><html lang=\"vi\"><head><meta charset=\"utf-8\">\
             <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
             <title>{title} · antq</title><link rel=\"stylesheet\" href=\"/static/app.css\"></head>\
             <body><main class=\"container narrow\"><h1>{title}</h1><p class=\"error\">{}</p><ul>{list}</ul>\
             <p><a href=\"/\">Về trang chủ</a></p></main></body></html>",
            escape(&capitalised(&f.message))
        );
        let mut res = (f.status, Html(html)).into_response();
        res.extensions_mut().insert(f);
        res
    }
}

/// A page's heading for an error status.
pub fn status_title(status: StatusCode) -> &'static str {
    match status.as_u16() {
        400 => "Yêu cầu không hợp lệ",
        401 => "Cần đăng nhập",
        403 => "Không có quyền",
        404 => "Không tìm thấy",
        405 => "Phương thức không được hỗ trợ",
        409 => "Xung đột dữ liệu",
        413 => "Nội dung quá lớn",
        415 => "Định dạng không được hỗ trợ",
        422 => "Dữ liệu không hợp lệ",
        429 => "Quá nhiều yêu cầu",
        503 => "Dịch vụ tạm thời không sẵn sàng",
        _ => "Lỗi hệ thống",
    }
}

/// The message of an error that no handler explained (axum's or a layer's
/// own answer), by its status.
pub fn status_message(status: StatusCode, is_api: bool) -> String {
    match status.as_u16() {
        400 => "Yêu cầu không hợp lệ: đường dẫn hoặc tham số sai dạng".into(),
        401 => "Cần đăng nhập".into(),
        403 => "Không có quyền thực hiện việc này".into(),
        404 if is_api => "Không tìm thấy đường dẫn API".into(),
        404 => "Không tìm thấy trang này".into(),
        405 => "Phương thức HTTP này không được hỗ trợ ở đường dẫn này".into(),
        408 => "Yêu cầu gửi quá chậm, đã hết thời gian chờ".into(),
        409 => "Xung đột dữ liệu, xin tải lại và thử lại".into(),
        413 => "Nội dung gửi lên vượt giới hạn cho phép".into(),
        415 => "Định dạng nội dung gửi lên không được hỗ trợ".into(),
        422 => "Dữ liệu không hợp lệ".into(),
        429 => "Quá nhiều yêu cầu, xin chờ một lát rồi thử lại".into(),
        503 => "Dịch vụ tạm thời không sẵn sàng, xin thử lại sau".into(),
        _ => "Lỗi hệ thống, xin thử lại sau".into(),
    }
}

/// What a body over a limit is told, naming the limit.
pub fn too_large_message(limit: usize) -> String {
    if limit < 1024 * 1024 {
        return format!("Nội dung gửi lên quá lớn (giới hạn {} KB)", limit / 1024);
    }
    format!(
        "Nội dung gửi lên quá lớn (giới hạn {} MB)",
        limit / (1024 * 1024)
    )
}

/// The configured upload limit, put in each request's extensions by the app
/// so that the error contract names it in a 413.
#[derive(Debug, Clone, Copy)]
pub struct UploadLimit(pub usize);

/// The body limit of a path: files to import (`upload_limit`), or everything else.
fn body_limit(path: &str, upload_limit: usize) -> usize {
    if path.ends_with("/import") || path.ends_with("/dataValueSets") || path == "/nhap-tep" {
        upload_limit
    } else {
        api_body_limit(path)
    }
}

/// The body limit of a JSON route, or of a page's form that takes files.
pub fn api_body_limit(path: &str) -> usize {
    if let Some(limit) = crate::tips::uploads::body_limit(path) {
        limit
    } else if crate::reviews::api_document::takes_a_document(path) {
        crate::reviews::api_document::DOCUMENT_BODY_LIMIT
    } else {
        crate::api::BODY_LIMIT
    }
}

/// The message with its first letter capital ("không tìm thấy" → "Không tìm thấy").
pub fn capitalised(s: &str) -> String {
    let mut chars = s.chars();
    match chars.next() {
        Some(c) if c.is_lowercase() => c.to_uppercase().chain(chars).collect(),
        _ => s.to_string(),
    }
}

fn is_json(res: &Response) -> bool {
    res.headers()
        .get(CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/json"))
}

fn is_html(res: &Response) -> bool {
    res.headers()
        .get(CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("text/html"))
}

/// Middleware: one error contract. Every error under `/api/` is JSON
/// (`{"error": "…"}`), including what axum or a layer answers by itself as
/// plain text (405, 413, 415, a bad path…); every other error is a page in
/// the app's layout. Headers such as `Allow` are kept.
pub async fn contract(req: Request, next: Next) -> Response {
    let path = req.uri().path();
    let upload_limit = req
        .extensions()
        .get::<UploadLimit>()
        .map_or(crate::config::WebConfig::default().upload_limit, |l| l.0);
    let limit = body_limit(path, upload_limit);
    let is_api = path == "/api" || path.starts_with("/api/");
    let is_health = crate::ops::is_machine_path(path);
    let (mut parts, body) = req.into_parts();
    let chrome = if is_api || is_health || parts.method == Method::HEAD {
        None
    } else {
        crate::pages::Chrome::from_request_parts(&mut parts, &())
            .await
            .ok()
    };
    let referer = parts
        .headers
        .get(REFERER)
        .and_then(|v| v.to_str().ok())
        .map(str::to_string);
    let res = next.run(Request::from_parts(parts, body)).await;
    let status = res.status();
    if !(status.is_client_error() || status.is_server_error()) || is_health {
        return res;
    }
    if is_api {
        if is_json(&res) {
            return res;
        }
        let (mut head, _) = res.into_parts();
        let message = if status == StatusCode::PAYLOAD_TOO_LARGE {
            too_large_message(limit)
        } else {
            status_message(status, true)
        };
        let failure = Failure::new(status, message);
        let mut fresh = ApiError(failure).into_response();
        head.headers.remove(CONTENT_TYPE);
        head.headers.remove(CONTENT_LENGTH);
        for (k, v) in head.headers.iter() {
            fresh.headers_mut().insert(k.clone(), v.clone());
        }
        return fresh;
    }
    let Some(chrome) = chrome else { return res };
    let failure = match res.extensions().get::<Failure>() {
        Some(f) => f.clone(),
        // A handler's own HTML answer (a form shown again with its errors) stays.
        None if is_html(&res) => return res,
        None if status == StatusCode::PAYLOAD_TOO_LARGE => {
            Failure::new(status, too_large_message(limit))
        }
        None => Failure::new(status, status_message(status, false)),
    };
    let (mut head, _) = res.into_parts();
    let mut fresh = crate::pages::error_page(chrome, &failure, referer.as_deref());
    *fresh.status_mut() = status;
    head.headers.remove(CONTENT_TYPE);
    head.headers.remove(CONTENT_LENGTH);
    for (k, v) in head.headers.iter() {
        fresh.headers_mut().append(k.clone(), v.clone());
    }
    fresh
}

pub fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\'', "&#39;")
}

pub type ApiResult<T> = Result<T, ApiError>;
pub type PageResult<T> = Result<T, PageError>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_413_names_the_limit_of_its_route() {
        let upload = 50 * 1024 * 1024;
        assert_eq!(
            body_limit("/api/v1/reviews/1", upload),
            crate::api::BODY_LIMIT
        );
        assert_eq!(body_limit("/api/v1/import", upload), upload);
        for documents in ["/api/v1/reviews/7/document", "/api/v1/review-templates/ten"] {
            assert_eq!(
                body_limit(documents, upload),
                crate::reviews::api_document::DOCUMENT_BODY_LIMIT
            );
        }
        assert_eq!(
            too_large_message(crate::reviews::api_document::DOCUMENT_BODY_LIMIT),
            "Nội dung gửi lên quá lớn (giới hạn 12 MB)"
        );
    }
}
