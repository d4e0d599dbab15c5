//! The JSON API of the documents registry (described in `openapi.json` beside this file).

use axum::Router;

use crate::state::AppState;

/// The API routes (under `/api/v1`); `upload_limit` bounds the bodies of upload routes.
pub fn routes(_upload_limit: usize) -> Router<AppState> {
    Router::new()
}
