//! The national taxonomy of model types (`/mo-hinh/loai`), editable by
//! national administrators.

use antq_core::auth::Action;
use antq_storage::registries::models as store;
use askama::Template;
use axum::extract::State;
use axum::response::Response;
use axum::Form as FormBody;
use serde::Deserialize;

use crate::auth::PageUser;
use crate::error::{Failure, PageResult};
use crate::pages::{render, Chrome};
use crate::state::AppState;

pub struct TypeLine {
    pub id: i64,
    pub name: String,
    pub description: String,
    pub active: bool,
}

#[derive(Template)]
#[template(path = "registries/models/types.html")]
struct TypesPage {
    c: Chrome,
    types: Vec<TypeLine>,
    can_edit: bool,
}

/// `GET /mo-hinh/loai`: the national taxonomy (editable by national administrators).
pub async fn types_page(
    State(state): State<AppState>,
    c: Chrome,
    PageUser(ctx): PageUser,
) -> PageResult<Response> {
    let types = store::list_types(&state.db, true)
        .await?
        .into_iter()
        .map(|t| TypeLine {
            id: t.id,
            name: t.name,
            description: t.description,
            active: t.active,
        })
        .collect();
    render(TypesPage {
        types,
        can_edit: ctx.actor.is_national(Action::EditCatalogue),
        c,
    })
}

#[derive(Deserialize)]
pub struct TypeForm {
    #[serde(default)]
    id: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    description: String,
    #[serde(default)]
    active: String,
}

/// `POST /mo-hinh/loai`: add (no id) or change a type.
pub async fn types_save(
    State(state): State<AppState>,
    PageUser(ctx): PageUser,
    FormBody(f): FormBody<TypeForm>,
) -> Response {
    let to = "/mo-hinh/loai";
    let r = async {
        let id = match f.id.trim() {
            "" => None,
            s => Some(
                s.parse::<i64>()
                    .map_err(|_| Failure::bad_request("Mã loại mô hình không hợp lệ"))?,
            ),
        };
        let active = id.is_none() || !f.active.trim().is_empty();
        Ok::<_, Failure>(
            store::save_type(&state.db, &ctx.actor, id, &f.name, &f.description, active).await?,
        )
    }
    .await;
    crate::pages::outcome(r, to, "msg.saved", to)
}
