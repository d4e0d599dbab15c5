//! The public portal (issue 16): news, the document library's public
//! search, the movement's figures as open data and "Gửi ban biên tập".
//! Public pages need no login and use `templates/portal/layout.html`; the
//! officers' pages for articles and the editors' inbox live here too.
//!
//! - [`editor_messages`]: "Gửi ban biên tập", the public page and API.
//! - [`inbox`]: the editors' inbox of those messages.
//! - [`open_data`]: "Số liệu phong trào", and the choice of what is public.

pub mod cache;
pub mod documents;
pub mod editor;
pub mod editor_images;
pub mod editor_messages;
pub mod feeds;
pub mod inbox;
pub mod news;
pub mod news_api;
pub mod open_data;
pub mod open_data_cache;
pub mod search;
pub mod views;

use axum::routing::{get, post};
use axum::Router;

use crate::state::AppState;

/// The portal's parts of the OpenAPI description (merged by `api::openapi_doc`).
pub const OPENAPI_PARTS: &[&str] = &[
    include_str!("news.openapi.json"),
    include_str!("messages.openapi.json"),
    include_str!("search.openapi.json"),
];

/// The portal's pages (public and officers').
pub fn page_routes() -> Router<AppState> {
    Router::new()
        .route("/tin-tuc", get(news::home))
        .route("/tin-tuc/them", get(news::home_more))
        .route("/tin-tuc/atom.xml", get(feeds::all))
        .route("/tin-tuc/chu-de/{topic}", get(news::topic))
        .route("/tin-tuc/chu-de/{topic}/them", get(news::topic_more))
        .route("/tin-tuc/chu-de/{topic}/atom.xml", get(feeds::topic))
        .route("/tin-tuc/tinh/{code}", get(news::province))
        .route("/tin-tuc/tinh/{code}/them", get(news::province_more))
        .route("/tin-tuc/tinh/{code}/atom.xml", get(feeds::province))
        .route("/tin-tuc/luu-tru/{year}/{month}", get(news::month))
        .route(
            "/tin-tuc/luu-tru/{year}/{month}/them",
            get(news::month_more),
        )
        .route("/tin-tuc/anh/{id}/{width}", get(feeds::image))
        .route("/tin-tuc/{slug}", get(news::article))
        .route("/sitemap.xml", get(feeds::sitemap))
        .merge(editor::routes())
        .route("/hoi-nghi/{id}/bai-viet", post(editor::from_conference))
        .merge(editor_messages::page_routes())
        .merge(inbox::routes())
        .merge(open_data::page_routes())
        .route("/tim-kiem-van-ban", get(search::page))
        .route("/van-ban-cong-khai/{id}", get(documents::show))
        .route(
            "/van-ban-cong-khai/{id}/tep/{file}",
            get(documents::download),
        )
}

/// The portal's API under `/api/v1`.
pub fn api_routes() -> Router<AppState> {
    Router::new()
        .route("/public/articles", get(news_api::articles))
        .merge(editor_messages::api_routes())
        .merge(open_data::api_routes())
        .route("/public/search", get(search::api))
        .route("/public/search/suggest", get(search::suggest))
}
