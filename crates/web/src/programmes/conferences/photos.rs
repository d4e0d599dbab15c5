//! Photos of a conference: uploaded (metadata stripped by
//! `antq_office::images` before storage), served only to those who may read
//! the conference, removed.

use antq_storage::programmes::conferences as store;
use axum::extract::{Multipart, Path, State};
use axum::response::{IntoResponse, Response};

use crate::auth::PageUser;
use crate::error::{Failure, PageResult};
use crate::state::AppState;

// ---------------------------------------------------------------- photos

pub async fn add_photo(
    State(state): State<AppState>,
    PageUser(ctx): PageUser,
    Path(id): Path<i64>,
    mut multipart: Multipart,
) -> PageResult<Response> {
    // Not found (or outside one's units) before the body is read.
    store::require(
        &state.db,
        &ctx.actor,
        antq_core::auth::Action::EditRecords,
        id,
    )
    .await?;
    let back = format!("/hoi-nghi/{id}#anh");
    let too_large = || {
        Failure::new(
            axum::http::StatusCode::PAYLOAD_TOO_LARGE,
            "Ảnh vượt giới hạn 5 MB",
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
    let result = async {
        let (_, clean) = antq_office::images::strip_metadata(&bytes)
            .map_err(|m| Failure::new(axum::http::StatusCode::UNPROCESSABLE_ENTITY, m))?;
        let p = store::photos::NewPhoto {
            bytes: &clean,
            caption: &caption,
            credit: &credit,
        };
        Ok::<_, Failure>(store::photos::add(&state.db, &ctx.actor, id, p).await?)
    }
    .await;
    Ok(crate::pages::outcome(
        result,
        &back,
        "cf.photo_added",
        &back,
    ))
}

pub async fn photo(
    State(state): State<AppState>,
    PageUser(ctx): PageUser,
    Path((id, photo)): Path<(i64, i64)>,
) -> PageResult<Response> {
    let (media, bytes) = store::photos::body(&state.db, &ctx.actor, id, photo).await?;
    Ok((
        [
            (axum::http::header::CONTENT_TYPE, media),
            (
                axum::http::header::CACHE_CONTROL,
                "private, max-age=3600".to_string(),
            ),
            (
                axum::http::header::X_CONTENT_TYPE_OPTIONS,
                "nosniff".to_string(),
            ),
        ],
        bytes,
    )
        .into_response())
}

pub async fn remove_photo(
    State(state): State<AppState>,
    PageUser(ctx): PageUser,
    Path((id, photo)): Path<(i64, i64)>,
) -> PageResult<Response> {
    let back = format!("/hoi-nghi/{id}#anh");
    let result = store::photos::remove(&state.db, &ctx.actor, id, photo)
        .await
        .map_err(Failure::from);
    Ok(crate::pages::outcome(
        result,
        &back,
        "cf.photo_removed",
        &back,
    ))
}
