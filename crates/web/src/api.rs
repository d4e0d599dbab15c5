//! The JSON API under `/api/v1`, described by `openapi.json`.

pub use statistics::api::download;

use axum::extract::DefaultBodyLimit;
use axum::http::{header, StatusCode};
use axum::response::IntoResponse;
use axum::routing::{delete, get, post};
use axum::{Json, Router};
use serde_json::json;

use crate::error::{ApiError, Failure};
use crate::state::AppState;
use crate::{accounts, admin, catalogue, programmes, registries, reviews, statistics, units};

/// The API's description: `openapi.json` with the fragments of the
/// capabilities that keep their own (`programmes::OPENAPI_PARTS`), merged once.
pub fn openapi_doc() -> &'static serde_json::Value {
    static DOC: std::sync::OnceLock<serde_json::Value> = std::sync::OnceLock::new();
    DOC.get_or_init(|| {
        let mut doc: serde_json::Value =
            serde_json::from_str(include_str!("openapi.json")).expect("openapi.json is JSON");
        let parts = crate::programmes::OPENAPI_PARTS
            .iter()
            .chain(crate::registries::OPENAPI_PARTS.iter())
            .chain(std::iter::once(&crate::reviews::DOCUMENT_OPENAPI))
            .chain(std::iter::once(&crate::tips::OPENAPI))
            .chain(crate::portal::OPENAPI_PARTS.iter());
        for part in parts {
            let part: serde_json::Value =
                serde_json::from_str(part).expect("an OpenAPI fragment is JSON");
            for section in ["paths", "components/schemas"] {
                let pointer = format!("/{section}");
                let (Some(into), Some(from)) = (
                    doc.pointer_mut(&pointer).and_then(|v| v.as_object_mut()),
                    part.pointer(&pointer).and_then(|v| v.as_object()),
                ) else {
                    continue;
                };
                for (k, v) in from {
                    assert!(
                        into.insert(k.clone(), v.clone()).is_none(),
                        "{k} described twice"
                    );
                }
            }
        }
        doc
    })
}

/// The largest body of any other request (axum's default limit).
pub const BODY_LIMIT: usize = 2 * 1024 * 1024;

/// The routes; `upload_limit` bounds the bodies of the import routes.
pub fn routes(upload_limit: usize) -> Router<AppState> {
    Router::new()
        .route("/openapi.json", get(openapi))
        .merge(crate::tips::api::routes())
        .route("/units", get(units::api::list))
        .route("/units/{code}", get(units::api::show))
        .route(
            "/units/{code}/areas",
            get(units::api::list_areas).post(units::api::create_area),
        )
        .route(
            "/units/{code}/organisations",
            get(units::api::list_orgs).post(units::api::create_org),
        )
        .route(
            "/session",
            post(accounts::api::login).delete(accounts::api::logout),
        )
        .route("/me", get(accounts::api::me))
        .route(
            "/tokens",
            get(accounts::api::list_tokens).post(accounts::api::create_token),
        )
        .route("/tokens/{id}", delete(accounts::api::revoke_token))
        .route(
            "/users",
            get(admin::api::list_users).post(admin::api::create_user),
        )
        .route("/users/{id}", get(admin::api::get_user))
        .route("/users/{id}/disable", post(admin::api::disable_user))
        .route("/users/{id}/enable", post(admin::api::enable_user))
        .route("/users/{id}/grants", post(admin::api::add_grant))
        .route("/grants/{id}", delete(admin::api::remove_grant))
        .route("/links", post(admin::api::add_link))
        .route(
            "/links/{id}",
            get(admin::api::get_link)
                .put(admin::api::update_link)
                .delete(admin::api::delete_link),
        )
        .route("/audit", get(admin::api::audit))
        .route(
            "/indicators",
            get(catalogue::api::indicators).post(catalogue::api::create_indicator),
        )
        .route(
            "/indicators/{code}",
            axum::routing::put(catalogue::api::update_indicator),
        )
        .route("/breakdowns/preview", get(catalogue::api::preview))
        .route(
            "/forms",
            get(catalogue::api::forms).post(catalogue::api::create_form),
        )
        .route("/forms/{code}", get(catalogue::api::form))
        .route("/forms/{code}/rules", post(catalogue::api::add_rule))
        .route(
            "/forms/{code}/rules/{rule}",
            delete(catalogue::api::delete_rule),
        )
        .route(
            "/data/{form}/{unit}/{period}/comments",
            post(statistics::api::comment),
        )
        .route(
            "/data/{form}/{unit}/{period}",
            get(statistics::api::get).put(statistics::api::put),
        )
        .route(
            "/data/{form}/{unit}/{period}/submit",
            post(statistics::api::submit),
        )
        .route(
            "/data/{form}/{unit}/{period}/approve",
            post(statistics::api::approve),
        )
        .route(
            "/data/{form}/{unit}/{period}/return",
            post(statistics::api::return_),
        )
        .route(
            "/data/{form}/{unit}/{period}/reopen",
            post(statistics::api::reopen),
        )
        .route(
            "/completeness/{form}/{unit}/{period}",
            get(statistics::api::completeness),
        )
        .route("/analytics", get(statistics::api::analytics))
        .route(
            "/reviews",
            get(reviews::api::list).post(reviews::api::create),
        )
        .route("/reviews/{id}", get(reviews::api::get))
        .route(
            "/reviews/{id}/narrative",
            axum::routing::put(reviews::api::edit),
        )
        .route("/reviews/{id}/changes", get(reviews::api::changes))
        .route("/reviews/{id}/export", get(reviews::api::export))
        .route(
            "/import",
            post(statistics::api::import).layer(DefaultBodyLimit::max(upload_limit)),
        )
        .route(
            "/dataValueSets",
            get(statistics::api::data_value_sets_out)
                .post(statistics::api::data_value_sets_in)
                .layer(DefaultBodyLimit::max(upload_limit)),
        )
        .route("/export/{form}/{unit}", get(statistics::api::export))
        .route(
            "/templates/{form}/{unit}/{period}",
            get(statistics::api::template),
        )
        .merge(reviews::document_api_routes())
        .merge(programmes::api_routes(upload_limit))
        .merge(registries::api_routes(upload_limit))
        .merge(crate::portal::api_routes())
        .fallback(not_found)
}

async fn openapi() -> impl IntoResponse {
    (
        [(header::CONTENT_TYPE, "application/json")],
        Json(openapi_doc()),
    )
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
