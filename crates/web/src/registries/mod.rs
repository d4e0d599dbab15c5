//! The registries of the movement (issue 13): models and exemplary cases
//! (`models`), grassroots organisations and teams (`teams`), the
//! safety-standard recognition (`recognitions`), the movement
//! classification (`classifications`), and the landing page that leads to
//! them (`landing`).

pub mod classifications;
pub mod landing;
pub mod models;
pub mod recognitions;
pub mod teams;
pub mod upload;

use axum::Router;

use crate::state::AppState;

/// The page routes of the registries.
pub fn page_routes(upload_limit: usize) -> Router<AppState> {
    Router::new()
        .merge(landing::routes())
        .merge(models::page_routes(upload_limit))
        .merge(teams::page_routes(upload_limit))
        .merge(recognitions::page_routes(upload_limit))
        .merge(classifications::page_routes(upload_limit))
}

/// The API routes of the registries.
pub fn api_routes(upload_limit: usize) -> Router<AppState> {
    Router::new()
        .merge(models::api_routes(upload_limit))
        .merge(teams::api_routes(upload_limit))
        .merge(recognitions::api_routes(upload_limit))
        .merge(classifications::api_routes(upload_limit))
}

/// The OpenAPI fragments of the registries, merged into `openapi.json`.
pub const OPENAPI_PARTS: [&str; 4] = [
    include_str!("models/openapi.json"),
    include_str!("teams/openapi.json"),
    include_str!("recognitions/openapi.json"),
    include_str!("classifications/openapi.json"),
];

/// The words of the registries' pages (see `i18n::entries`).
pub const WORDS: [&[(&str, &str, &str)]; 5] = [
    landing::WORDS,
    models::words::WORDS,
    teams::words::WORDS,
    recognitions::words::WORDS,
    classifications::words::WORDS,
];
