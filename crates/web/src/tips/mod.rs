//! Citizen information ("tin báo"): the public channel (no account, a
//! receipt, proof of work instead of a CAPTCHA, nothing kept about the
//! sender) and the officers' side (inbox, a tip's page, clusters, the key).
//!
//! - [`desk`]: the channel's state in the process (challenges, limits, keys).
//! - [`keyring`]: keys held in memory only.
//! - [`service`]: the operations behind pages and API.
//! - [`api`]: the JSON API.
//! - [`pages`]: the public pages; [`officer_pages`]: the officers'.
//! - [`category_api`] and [`category_pages`]: the categories and their
//!   questionnaires, edited by national administrators.
//! - [`cluster_export`]: one cluster of scam identifiers in Excel or CSV.

pub mod api;
pub mod category_api;
pub mod category_pages;
pub mod cluster_export;
pub mod desk;
pub mod form;
pub mod keyring;
pub mod officer_pages;
pub mod pages;
pub mod service;
pub mod uploads;
pub mod views;

pub use desk::Desk;

/// The tips' part of the OpenAPI document (public and officers' routes).
pub const OPENAPI: &str = include_str!("openapi.json");

/// Middleware for the public tip routes: nothing that happens while one is
/// served reaches the logs (no time, address or content of a tipster's
/// request is ever written down). The handlers answer every error in the
/// one contract as usual.
pub async fn quiet(
    req: axum::extract::Request,
    next: axum::middleware::Next,
) -> axum::response::Response {
    use tracing::instrument::WithSubscriber;
    next.run(req)
        .with_subscriber(tracing::subscriber::NoSubscriber::default())
        .await
}
