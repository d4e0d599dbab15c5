//! The user's own API tokens.

use antq_core::dates;
use antq_storage::accounts::sessions;
use askama::Template;
use axum::extract::{Path, State};
use axum::response::Response;
use axum::Form;
use serde::Deserialize;

use crate::auth::PageUser;
use crate::error::PageResult;
use crate::pages::{outcome, render, Chrome};
use crate::state::AppState;

pub struct TokenRow {
    pub id: i64,
    pub name: String,
    pub created: String,
    pub last_used: String,
    pub revoked: bool,
}

#[derive(Template)]
#[template(path = "account/tokens.html")]
struct TokensPage {
    c: Chrome,
    tokens: Vec<TokenRow>,
    new_token: Option<String>,
}

async fn page(
    state: &AppState,
    c: Chrome,
    user_id: i64,
    new_token: Option<String>,
) -> PageResult<Response> {
    let tokens = sessions::list_tokens(&state.db, user_id)
        .await?
        .into_iter()
        .map(|t| TokenRow {
            id: t.id,
            name: t.name,
            created: dates::format_timestamp_vi(&t.created_at),
            last_used: t
                .last_used_at
                .as_deref()
                .map(dates::format_timestamp_vi)
                .unwrap_or_else(|| c.t("tokens.never").to_string()),
            revoked: t.revoked_at.is_some(),
        })
        .collect();
    render(TokensPage {
        c,
        tokens,
        new_token,
    })
}

pub async fn tokens(
    State(state): State<AppState>,
    c: Chrome,
    PageUser(ctx): PageUser,
) -> PageResult<Response> {
    page(&state, c, ctx.actor.user_id, None).await
}

#[derive(Deserialize)]
pub struct TokenForm {
    #[serde(default)]
    name: String,
}

/// Create a token and show it once, on this response only.
pub async fn create_token(
    State(state): State<AppState>,
    c: Chrome,
    PageUser(ctx): PageUser,
    Form(f): Form<TokenForm>,
) -> PageResult<Response> {
    let (_, token) =
        sessions::create_token(&state.db, &ctx.actor.who(), ctx.actor.user_id, &f.name).await?;
    let mut res = page(&state, c, ctx.actor.user_id, Some(token)).await?;
    res.headers_mut().insert(
        axum::http::header::CACHE_CONTROL,
        axum::http::HeaderValue::from_static("no-store"),
    );
    Ok(res)
}

pub async fn revoke_token(
    State(state): State<AppState>,
    PageUser(ctx): PageUser,
    Path(id): Path<i64>,
) -> Response {
    let result = sessions::revoke_token(&state.db, &ctx.actor.who(), ctx.actor.user_id, id)
        .await
        .map_err(crate::error::Failure::from);
    outcome(
        result,
        "/tai-khoan/ma-truy-cap",
        "msg.saved",
        "/tai-khoan/ma-truy-cap",
    )
}
