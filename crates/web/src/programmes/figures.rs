//! The figures from the registries: the reconciliation view (a unit's
//! reported award figures beside its register's), and where each figure
//! came from. (Owned by the figures work of issue 12.)

use axum::Router;

use crate::state::AppState;

pub fn page_routes() -> Router<AppState> {
    Router::new()
}

pub fn api_routes() -> Router<AppState> {
    Router::new()
}
