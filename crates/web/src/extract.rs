//! The API's extractors: axum's `Json`, `Path` and `Query`, whose
//! rejections answer in the API's own error shape (`{"error": "…"}`) with a
//! Vietnamese message, instead of axum's plain English text.
//!
//! Statuses: a body that is not JSON by its `Content-Type` is 415; JSON that
//! does not parse is 400; JSON of the wrong shape (a missing field, a wrong
//! type) is 422; a body over the limit is 413; a path segment that is not of
//! the expected type (`/users/abc`) is 400; a query string that does not fit
//! (a wrong type, a parameter given twice) is 400. axum's own English text is
//! kept in `detail`, for developers.

use axum::extract::rejection::{JsonRejection, PathRejection, QueryRejection};
use axum::extract::{FromRequest, FromRequestParts, OptionalFromRequest, Request};
use axum::http::request::Parts;
use axum::http::StatusCode;
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
        JsonRejection::MissingJsonContentType(_) => (
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "Nội dung gửi lên phải là JSON (Content-Type: application/json)".to_string(),
        ),
        JsonRejection::JsonSyntaxError(_) => (
            StatusCode::BAD_REQUEST,
            "Nội dung gửi lên không phải JSON hợp lệ".to_string(),
        ),
        JsonRejection::JsonDataError(_) => (
            StatusCode::UNPROCESSABLE_ENTITY,
            "Nội dung JSON thiếu trường bắt buộc hoặc có trường sai kiểu".to_string(),
        ),
        JsonRejection::BytesRejection(_) if r.status() == StatusCode::PAYLOAD_TOO_LARGE => (
            StatusCode::PAYLOAD_TOO_LARGE,
            crate::error::too_large_message(crate::api::BODY_LIMIT),
        ),
        _ => (r.status(), "Không đọc được nội dung gửi lên".to_string()),
    };
    ApiError(Failure::new(status, message).with_detail(r.body_text()))
}

impl<T, S> FromRequest<S> for Json<T>
where
    T: DeserializeOwned,
    S: Send + Sync,
{
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        match <axum::Json<T> as FromRequest<S>>::from_request(req, state).await {
            Ok(axum::Json(v)) => Ok(Json(v)),
            Err(r) => Err(json_failure(r)),
        }
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
        match <axum::Json<T> as OptionalFromRequest<S>>::from_request(req, state).await {
            Ok(v) => Ok(v.map(|axum::Json(v)| Json(v))),
            Err(r) => Err(json_failure(r)),
        }
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
                    PathRejection::FailedToDeserializePathParams(_) => (
                        StatusCode::BAD_REQUEST,
                        "Đường dẫn có tham số không hợp lệ (mã số phải là số nguyên)",
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
