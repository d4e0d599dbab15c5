//! Errors as the client sees them: JSON with a message for the API, a page
//! for browsers. Internal details are logged, never sent.

use antq_core::DomainError;
use antq_storage::StorageError;
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use axum::Json;
use serde_json::json;

/// What went wrong, independent of how it is shown.
#[derive(Debug)]
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

    pub fn unauthorized() -> Self {
        Failure::new(StatusCode::UNAUTHORIZED, "cần đăng nhập")
    }

    pub fn forbidden() -> Self {
        Failure::new(StatusCode::FORBIDDEN, "không có quyền với đơn vị này")
    }

    pub fn bad_request(msg: impl Into<String>) -> Self {
        Failure::new(StatusCode::BAD_REQUEST, msg)
    }

    /// "không tìm thấy {what}".
    pub fn not_found(what: impl Into<String>) -> Self {
        Failure::new(
            StatusCode::NOT_FOUND,
            format!("không tìm thấy {}", what.into()),
        )
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
                    "dữ liệu có {} lỗi, không có gì được ghi",
                    antq_core::text::format_int(antq_core::imports::error_count(&errors) as i64)
                ),
                errors,
            },
            StorageError::Database(e) => {
                tracing::error!(error = %e, "database error");
                Failure::new(
                    StatusCode::INTERNAL_SERVER_ERROR,
                    "lỗi hệ thống, xin thử lại sau",
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
            "lỗi hệ thống, xin thử lại sau",
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
        let body = if f.errors.is_empty() {
            json!({"error": f.message})
        } else {
            json!({"error": f.message, "errors": f.errors})
        };
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
    fn into_response(self) -> Response {
        let f = self.0;
        let title = match f.status.as_u16() {
            401 => "Cần đăng nhập",
            403 => "Không có quyền",
            404 => "Không tìm thấy",
            409 => "Xung đột dữ liệu",
            422 | 400 => "Dữ liệu không hợp lệ",
            429 => "Quá nhiều lần thử",
            _ => "Lỗi hệ thống",
        };
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
            escape(&f.message)
        );
        (f.status, Html(html)).into_response()
    }
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
