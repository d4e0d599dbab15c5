//! Grassroots security organisations and teams: kinds as data, teams with members over time, the yearly evaluation with its quota and leader rules (HD 01/HD-BCA-V05): pages under `/to-chuc-quan-chung`, API under `/api/v1`.
//! (Owned by the teams work of issue 13.)

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
