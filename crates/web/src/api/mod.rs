//! The JSON API under `/api/v1`, described by `openapi.json`.

mod admin;
mod catalogue;
mod data;
mod reviews;

pub use data::download;
mod session;
mod units;

use axum::extract::DefaultBodyLimit;
use axum::http::{header, StatusCode};
use axum::response::IntoResponse;
use axum::routing::{delete, get, post};
use axum::{Json, Router};
use serde_json::json;

use crate::error::{ApiError, Failure};
use crate::state::AppState;

pub const OPENAPI: &str = include_str!("openapi.json");

/// The largest body of any other request (axum's default limit).
pub const BODY_LIMIT: usize = 2 * 1024 * 1024;

/// The routes; `upload_limit` bounds the bodies of the import routes.
pub fn routes(upload_limit: usize) -> Router<AppState> {
    Router::new()
        .route("/openapi.json", get(openapi))
        .route("/units", get(units::list))
        .route("/units/{code}", get(units::show))
        .route(
            "/units/{code}/areas",
            get(units::list_areas).post(units::create_area),
        )
        .route(
            "/units/{code}/organisations",
            get(units::list_orgs).post(units::create_org),
        )
        .route("/session", post(session::login).delete(session::logout))
        .route("/me", get(session::me))
        .route(
            "/tokens",
            get(session::list_tokens).post(session::create_token),
        )
        .route("/tokens/{id}", delete(session::revoke_token))
        .route("/users", get(admin::list_users).post(admin::create_user))
        .route("/users/{id}", get(admin::get_user))
        .route("/users/{id}/disable", post(admin::disable_user))
        .route("/users/{id}/enable", post(admin::enable_user))
        .route("/users/{id}/grants", post(admin::add_grant))
        .route("/grants/{id}", delete(admin::remove_grant))
        .route("/links", post(admin::add_link))
        .route(
            "/links/{id}",
            get(admin::get_link)
                .put(admin::update_link)
                .delete(admin::delete_link),
        )
        .route("/audit", get(admin::audit))
        .route(
            "/indicators",
            get(catalogue::indicators).post(catalogue::create_indicator),
        )
        .route(
            "/indicators/{code}",
            axum::routing::put(catalogue::update_indicator),
        )
        .route("/breakdowns/preview", get(catalogue::preview))
        .route("/forms", get(catalogue::forms).post(catalogue::create_form))
        .route("/forms/{code}", get(catalogue::form))
        .route("/forms/{code}/rules", post(catalogue::add_rule))
        .route("/forms/{code}/rules/{rule}", delete(catalogue::delete_rule))
        .route("/data/{form}/{unit}/{period}/comments", post(data::comment))
        .route(
            "/data/{form}/{unit}/{period}",
            get(data::get).put(data::put),
        )
        .route("/data/{form}/{unit}/{period}/submit", post(data::submit))
        .route("/data/{form}/{unit}/{period}/approve", post(data::approve))
        .route("/data/{form}/{unit}/{period}/return", post(data::return_))
        .route("/data/{form}/{unit}/{period}/reopen", post(data::reopen))
        .route(
            "/completeness/{form}/{unit}/{period}",
            get(data::completeness),
        )
        .route("/analytics", get(data::analytics))
        .route("/reviews", get(reviews::list).post(reviews::create))
        .route("/reviews/{id}", get(reviews::get))
        .route("/reviews/{id}/narrative", axum::routing::put(reviews::edit))
        .route("/reviews/{id}/changes", get(reviews::changes))
        .route("/reviews/{id}/export", get(reviews::export))
        .route(
            "/import",
            post(data::import).layer(DefaultBodyLimit::max(upload_limit)),
        )
        .route(
            "/dataValueSets",
            get(data::data_value_sets_out)
                .post(data::data_value_sets_in)
                .layer(DefaultBodyLimit::max(upload_limit)),
        )
        .route("/export/{form}/{unit}", get(data::export))
        .route("/templates/{form}/{unit}/{period}", get(data::template))
        .fallback(not_found)
}

async fn openapi() -> impl IntoResponse {
    ([(header::CONTENT_TYPE, "application/json")], OPENAPI)
}

async fn not_found() -> ApiError {
    ApiError(Failure::not_found("đường dẫn API"))
}

/// 200 once the database answers.
pub async fn health(
    axum::extract::State(state): axum::extract::State<AppState>,
) -> impl IntoResponse {
    match state.db.ping().await {
        Ok(()) => (
            StatusCode::OK,
            Json(json!({"status": "ok", "database": state.db.backend().name()})),
        ),
        Err(e) => {
            tracing::error!(error = %e, "health check: database unreachable");
            (
                StatusCode::SERVICE_UNAVAILABLE,
                Json(json!({"status": "unavailable", "error": "Cơ sở dữ liệu không trả lời"})),
            )
        }
    }
}
