//! A public document's page (`/van-ban-cong-khai/{id}`): its reference as
//! printed (Nghị định 30/2020 patterns, kept by the register), the other
//! spellings it is cited by, its relations both ways (public ones only),
//! its files to download, and the published articles that cite it. Any
//! document that is not public is "not found".

use antq_storage::programmes::documents::{self, Related};
use askama::Template;
use axum::extract::State;
use axum::response::Response;

use crate::error::PageResult;
use crate::extract::Path;
use crate::pages::{date_vi, render, Chrome};
use crate::state::AppState;

#[derive(Template)]
#[template(path = "portal/document.html")]
struct DocumentPage {
    c: Chrome,
    title: String,
    d: documents::Document,
    date: String,
    in_force: bool,
    relations: Vec<Related>,
    files: Vec<(i64, String, String)>,
    articles: Vec<(String, String, String)>,
}

/// `GET /van-ban-cong-khai/{id}`.
pub async fn show(
    State(state): State<AppState>,
    c: Chrome,
    Path(id): Path<i64>,
) -> PageResult<Response> {
    let p = documents::public_get(&state.db, id).await?;
    let files = p
        .doc
        .files
        .iter()
        .map(|f| {
            let kind = if f.media_type == "application/pdf" {
                "PDF"
            } else {
                "Word (DOCX)"
            };
            (
                f.id,
                f.name.clone(),
                format!("{kind}, {} byte", antq_core::text::format_int(f.size)),
            )
        })
        .collect();
    let articles = p
        .articles
        .into_iter()
        .map(|a| {
            let day: Option<String> = a.published_at.map(|t| t.chars().take(10).collect());
            (
                a.headline,
                a.url,
                date_vi(day.as_deref()).unwrap_or_default(),
            )
        })
        .collect();
    render(DocumentPage {
        title: p.doc.title(),
        date: date_vi(p.doc.issued_on.as_deref()).unwrap_or_default(),
        d: p.doc,
        in_force: p.in_force,
        relations: p.relations,
        files,
        articles,
        c,
    })
}

/// `GET /van-ban-cong-khai/{id}/tep/{file}`: a file of a public document.
pub async fn download(
    State(state): State<AppState>,
    Path((id, file)): Path<(i64, i64)>,
) -> PageResult<Response> {
    let (info, bytes) = documents::public_file(&state.db, id, file).await?;
    let content_type = if info.media_type == "application/pdf" {
        "application/pdf"
    } else {
        crate::reviews::DOCX
    };
    Ok(crate::statistics::Download {
        bytes,
        content_type,
        filename: info.name,
    }
    .into_response())
}
