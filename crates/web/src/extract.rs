//! The API's extractors: axum's `Json`, `Path` and `Query`, whose
//! rejections answer in the API's own error shape (`{"error": "…"}`) with a
//! Vietnamese message, instead of axum's plain English text.
//!
//! Statuses: a body that is not JSON by its `Content-Type` is 415; JSON that
//! does not parse is 400; JSON of the wrong shape (not an object, a missing
//! field, a wrong type) is 422; a body over the limit is 413; a path segment that is not of
//! the expected type (`/users/abc`) is 400; a query string that does not fit
//! (a wrong type, a parameter given twice) is 400. axum's own English text is
//! kept in `detail`, for developers.

use axum::body::Bytes;
use axum::extract::rejection::{JsonRejection, PathRejection, QueryRejection};
use axum::extract::{FromRequest, FromRequestParts, OptionalFromRequest, Request};
use axum::http::header::CONTENT_TYPE;
use axum::http::request::Parts;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use serde::de::DeserializeOwned;
use serde::Serialize;

use crate::error::{ApiError, Failure};

/// A JSON body (extractor) or a JSON answer (response).
#[derive(Debug, Clone, Copy, Default)]
pub struct Json<T>(pub T);

/// Typed path parameters.
#[derive(Debug)]
pub struct Path<T>(pub T);

/// Typed query parameters.
#[derive(Debug)]
pub struct Query<T>(pub T);

fn json_failure(r: JsonRejection) -> ApiError {
    let (status, message) = match &r {
        JsonRejection::MissingJsonContentType(_) => {
            (StatusCode::UNSUPPORTED_MEDIA_TYPE, NOT_JSON.to_string())
        }
        JsonRejection::JsonSyntaxError(_) => (StatusCode::BAD_REQUEST, BAD_JSON.to_string()),
        JsonRejection::JsonDataError(_) => (
            StatusCode::UNPROCESSABLE_ENTITY,
            "Nội dung JSON thiếu trường bắt buộc hoặc có trường sai kiểu".to_string(),
        ),
        _ => (r.status(), "Không đọc được nội dung gửi lên".to_string()),
    };
    ApiError(Failure::new(status, message).with_detail(r.body_text()))
}

const NOT_JSON: &str = "Nội dung gửi lên phải là JSON (Content-Type: application/json)";
const BAD_JSON: &str = "Nội dung gửi lên không phải JSON hợp lệ";

/// `application/json` or `application/…+json`, with any parameters.
fn is_json(headers: &HeaderMap) -> bool {
    let Some(ct) = headers.get(CONTENT_TYPE).and_then(|v| v.to_str().ok()) else {
        return false;
    };
    let essence = ct
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase();
    essence == "application/json"
        || (essence.starts_with("application/") && essence.ends_with("+json"))
}

/// Read the body and parse it; every body of the API is a JSON object (serde
/// would otherwise also read a struct from an array of its fields).
async fn read<T: DeserializeOwned, S: Send + Sync>(req: Request, state: &S) -> Result<T, ApiError> {
    if !is_json(req.headers()) {
        return Err(ApiError(Failure::new(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            NOT_JSON,
        )));
    }
    // The whole path (a nested router sees only its part).
    let path = req
        .extensions()
        .get::<axum::extract::OriginalUri>()
        .map(|u| u.0.path().to_string())
        .unwrap_or_else(|| req.uri().path().to_string());
    let bytes = match Bytes::from_request(req, state).await {
        Ok(b) => b,
        Err(r) if r.status() == StatusCode::PAYLOAD_TOO_LARGE => {
            return Err(ApiError(Failure::new(
                StatusCode::PAYLOAD_TOO_LARGE,
                crate::error::too_large_message(crate::error::api_body_limit(&path)),
            )))
        }
        Err(r) => {
            return Err(ApiError(
                Failure::new(r.status(), "Không đọc được nội dung gửi lên")
                    .with_detail(r.body_text()),
            ))
        }
    };
    let first = bytes.iter().find(|b| !b.is_ascii_whitespace());
    if first != Some(&b'{') {
        return Err(
            if serde_json::from_slice::<serde::de::IgnoredAny>(&bytes).is_ok() {
                ApiError(Failure::new(
                    StatusCode::UNPROCESSABLE_ENTITY,
                    "Nội dung JSON phải là một đối tượng {…}",
                ))
            } else {
                ApiError(Failure::new(StatusCode::BAD_REQUEST, BAD_JSON))
            },
        );
    }
    match axum::Json::<T>::from_bytes(&bytes) {
        Ok(axum::Json(v)) => Ok(v),
        Err(r) => Err(json_failure(r)),
    }
}

impl<T, S> FromRequest<S> for Json<T>
where
    T: DeserializeOwned,
    S: Send + Sync,
{
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        read(req, state).await.map(Json)
    }
}

/// An optional body: none without a `Content-Type`, otherwise as `Json`.
impl<T, S> OptionalFromRequest<S> for Json<T>
where
    T: DeserializeOwned,
    S: Send + Sync,
{
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Option<Self>, Self::Rejection> {
        if req.headers().get(CONTENT_TYPE).is_none() {
            return Ok(None);
        }
        read(req, state).await.map(|v| Some(Json(v)))
    }
}

impl<T: Serialize> IntoResponse for Json<T> {
    fn into_response(self) -> Response {
        axum::Json(self.0).into_response()
    }
}

impl<T, S> FromRequestParts<S> for Path<T>
where
    T: DeserializeOwned + Send,
    S: Send + Sync,
{
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        match axum::extract::Path::<T>::from_request_parts(parts, state).await {
            Ok(axum::extract::Path(v)) => Ok(Path(v)),
            Err(r) => {
                let (status, message) = match &r {
                    // "/models/None" names nothing there is: not found, like
                    // a number that is no record's.
                    PathRejection::FailedToDeserializePathParams(_) => (
                        StatusCode::NOT_FOUND,
                        "Không tìm thấy: mã số trong đường dẫn phải là số nguyên",
                    ),
                    _ => (
                        StatusCode::INTERNAL_SERVER_ERROR,
                        "Lỗi hệ thống, xin thử lại sau",
                    ),
                };
                Err(ApiError(
                    Failure::new(status, message).with_detail(r.body_text()),
                ))
            }
        }
    }
}

impl<T, S> FromRequestParts<S> for Query<T>
where
    T: DeserializeOwned,
    S: Send + Sync,
{
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        match axum::extract::Query::<T>::from_request_parts(parts, state).await {
            Ok(axum::extract::Query(v)) => Ok(Query(v)),
            Err(r) => {
                let r: QueryRejection = r;
                Err(ApiError(
                    Failure::new(
                        StatusCode::BAD_REQUEST,
                        "Tham số truy vấn không hợp lệ (sai kiểu, thiếu hoặc lặp lại)",
                    )
                    .with_detail(r.body_text()),
                ))
            }
        }
    }
}
