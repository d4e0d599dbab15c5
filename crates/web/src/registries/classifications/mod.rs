//! Movement classification (QĐ 510/QĐ-BCA-V05): score-sheet templates per subject kind, self-scoring, review by the level above, bands by configured thresholds, deadlines: pages under `/phan-loai-phong-trao`, API under `/api/v1`.
//! (Owned by the classifications work of issue 13.)

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
