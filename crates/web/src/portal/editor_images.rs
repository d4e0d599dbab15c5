//! Pictures of an article on the editors' desk: added (resized into the
//! portal's widths, metadata dropped), re-captioned, removed, and shown to
//! the article's editors before it is public.

use antq_storage::portal::articles;
use antq_storage::portal::images::{self, ImageChange};
use axum::extract::{DefaultBodyLimit, Multipart, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Form, Router};
use serde::Deserialize;

use super::editor::back;
use super::views::IMAGE_WIDTHS;
use crate::auth::PageUser;
use crate::error::{Failure, PageResult};
use crate::extract::Path;
use crate::pages::{done, failed};
use crate::state::AppState;

/// The largest picture upload (before resizing).
pub const MAX_UPLOAD: usize = 12 * 1024 * 1024;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route(
            "/bien-tap/bai/{id}/anh",
            post(add_image).layer(DefaultBodyLimit::max(MAX_UPLOAD + 64 * 1024)),
        )
        .route("/bien-tap/bai/{id}/anh/{image}", post(change_image))
        .route("/bien-tap/anh/{id}/{width}", get(preview_image))
}

/// `POST /bien-tap/bai/{id}/anh`: a picture, resized into the portal's
/// widths (metadata gone with the re-encoding).
pub async fn add_image(
    State(state): State<AppState>,
    PageUser(ctx): PageUser,
    Path(id): Path<i64>,
    mut multipart: Multipart,
) -> PageResult<Response> {
    articles::get(&state.db, &ctx.actor, id).await?;
    let too_large = || {
        Failure::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            "Ảnh vượt giới hạn 12 MB; xin chọn ảnh nhỏ hơn",
        )
    };
    let (mut bytes, mut caption, mut credit) = (Vec::new(), String::new(), String::new());
    while let Some(field) = multipart.next_field().await.map_err(|_| too_large())? {
        let name = field.name().unwrap_or_default().to_string();
        let data = field.bytes().await.map_err(|_| too_large())?;
        match name.as_str() {
            "photo" => bytes = data.to_vec(),
            "caption" => caption = String::from_utf8_lossy(&data).into_owned(),
            "credit" => credit = String::from_utf8_lossy(&data).into_owned(),
            _ => {}
        }
    }
    let r = async {
        if bytes.is_empty() {
            return Err(Failure::bad_request("Chưa chọn ảnh"));
        }
        let (kind, sizes) =
            tokio::task::spawn_blocking(move || antq_office::resize::widths(&bytes, &IMAGE_WIDTHS))
                .await
                .map_err(|_| {
                    Failure::new(StatusCode::INTERNAL_SERVER_ERROR, "Không xử lý được ảnh")
                })?
                .map_err(|m| Failure::new(StatusCode::UNPROCESSABLE_ENTITY, m))?;
        let img = images::NewImage {
            media_type: kind.media_type(),
            sizes: sizes
                .into_iter()
                .map(|s| (s.width, s.height, s.bytes))
                .collect(),
            caption: &caption,
            credit: &credit,
        };
        Ok(images::add(&state.db, &ctx.actor, id, img).await?)
    }
    .await;
    Ok(match r {
        Ok(_) => done(&format!("{}#anh", back(id)), "portal.image_added"),
        Err(e) => failed(&format!("{}#anh", back(id)), e),
    })
}

/// `GET /bien-tap/anh/{id}/{width}`: a picture for the article's editors.
pub async fn preview_image(
    State(state): State<AppState>,
    PageUser(ctx): PageUser,
    Path((id, width)): Path<(i64, u32)>,
) -> PageResult<Response> {
    let (media, body) = images::officer_body(&state.db, &ctx.actor, id, width).await?;
    Ok((
        [
            (axum::http::header::CONTENT_TYPE, media),
            (
                axum::http::header::CACHE_CONTROL,
                "private, max-age=3600".to_string(),
            ),
        ],
        body,
    )
        .into_response())
}

#[derive(Deserialize)]
pub struct ImageForm {
    /// "sua" (new caption and credit) or "xoa" (remove).
    #[serde(default)]
    action: String,
    #[serde(default)]
    caption: String,
    #[serde(default)]
    credit: String,
}

/// `POST /bien-tap/bai/{id}/anh/{image}`: a picture re-captioned or removed.
pub async fn change_image(
    State(state): State<AppState>,
    PageUser(ctx): PageUser,
    Path((id, image)): Path<(i64, i64)>,
    Form(f): Form<ImageForm>,
) -> PageResult<Response> {
    let to = match f.action.as_str() {
        "xoa" => ImageChange::Remove,
        "sua" => ImageChange::Caption {
            caption: &f.caption,
            credit: &f.credit,
        },
        _ => return Err(Failure::bad_request("Chưa chọn sửa hay xóa ảnh").into()),
    };
    let to_back = format!("{}#anh", back(id));
    Ok(
        match images::change(&state.db, &ctx.actor, id, image, to).await {
            Ok(()) if matches!(to, ImageChange::Remove) => done(&to_back, "portal.image_removed"),
            Ok(()) => done(&to_back, "portal.image_changed"),
            Err(antq_storage::StorageError::NotFound(m)) => {
                return Err(Failure::not_found(m).into());
            }
            Err(e) => failed(&to_back, e.into()),
        },
    )
}
