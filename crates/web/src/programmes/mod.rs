//! The events behind the figures (issue 12): the document library,
//! programmes and plans (`documents`), conferences and events
//! (`conferences`), the award register (`awards`), and the figures the
//! registries give with their reconciliation (`figures`).

pub mod awards;
pub mod conferences;
pub mod documents;
pub mod figures;

use axum::Router;

use crate::state::AppState;

/// The page routes of the registries.
pub fn page_routes(upload_limit: usize) -> Router<AppState> {
    Router::new()
        .merge(documents::pages::routes(upload_limit))
        .merge(conferences::pages::routes(upload_limit))
        .merge(awards::pages::routes(upload_limit))
        .merge(figures::page_routes())
}

/// The API routes of the registries.
pub fn api_routes(upload_limit: usize) -> Router<AppState> {
    Router::new()
        .merge(documents::api::routes(upload_limit))
        .merge(conferences::api::routes(upload_limit))
        .merge(awards::api::routes(upload_limit))
        .merge(figures::api_routes())
}

/// The OpenAPI fragments of the registries, merged into `openapi.json`.
pub const OPENAPI_PARTS: [&str; 5] = [
    include_str!("documents/openapi.json"),
    include_str!("documents/publish.openapi.json"),
    include_str!("conferences/openapi.json"),
    include_str!("awards/openapi.json"),
    include_str!("figures.openapi.json"),
];
