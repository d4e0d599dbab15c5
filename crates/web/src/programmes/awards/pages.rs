//! The pages of the awards registry.

use axum::Router;

use crate::state::AppState;

/// The page routes; `upload_limit` bounds the bodies of upload routes.
pub fn routes(_upload_limit: usize) -> Router<AppState> {
    Router::new()
}
