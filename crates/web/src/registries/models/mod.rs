//! Models ("mô hình") and exemplary cases: the national model-type taxonomy, a unit's models with their states, sites and teams, replication as a link, exemplary cases (HD 22/HD-BCA-V05): pages under `/mo-hinh`, API under `/api/v1`.
//! (Owned by the models work of issue 13.)

pub mod words;

use axum::Router;

use crate::state::AppState;

/// The page routes (`upload_limit` bounds the bodies of upload routes).
pub fn page_routes(_upload_limit: usize) -> Router<AppState> {
    Router::new()
}

/// The API routes (under `/api/v1`).
pub fn api_routes(_upload_limit: usize) -> Router<AppState> {
    Router::new()
}
