//! Safety-standard recognition ("An toàn về an ninh, trật tự", TT 124/2021/TT-BCA): registration, dossier, criteria checklist and decision per subject and year: pages under `/an-toan-antt`, API under `/api/v1`.
//! (Owned by the recognitions work of issue 13.)

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
