//! What every register's import page shares: the page itself (its form and
//! its outcome; each register only says its words and links, an
//! [`ImportScreen`]), reading the uploaded file and the "dry run" box from
//! the form (a too large body answers in Vietnamese), and the outcome in
//! words with its status (422 when refused).

use askama::Template;
use axum::extract::Multipart;
use axum::response::Response;

use crate::error::{Failure, PageResult};
use crate::pages::{render, Chrome};
use crate::state::AppState;

/// What one register's import page says and where it points; the rest of
/// the page is the same for every register. The texts are keys of the
/// interface's words.
pub struct ImportScreen {
    /// The start of the page's element ids (`model` → `model-import-done`).
    pub id: &'static str,
    pub title: &'static str,
    pub hint: &'static str,
    /// The register's list and the words of the link back to it.
    pub back: (&'static str, &'static str),
    /// The empty template and the words of its link, where the register
    /// has one that needs no choice first.
    pub template: Option<(&'static str, &'static str)>,
    /// Where the form is sent.
    pub action: &'static str,
    /// The file types the file picker offers.
    pub accept: &'static str,
    pub file: &'static str,
    pub dry_run: &'static str,
    pub submit: &'static str,
}

#[derive(Template)]
#[template(path = "registries/import.html")]
struct ImportPage {
    c: Chrome,
    s: &'static ImportScreen,
    outcome: Outcome,
}

impl ImportScreen {
    /// The page with its empty form.
    pub fn form(&'static self, c: Chrome) -> PageResult<Response> {
        render(ImportPage {
            c,
            s: self,
            outcome: Outcome::default(),
        })
    }

    /// The page after an upload: what was (or would be) written, or every
    /// error, with the failure's status (422 when the file was refused).
    pub fn answer(&'static self, c: Chrome, outcome: Outcome) -> PageResult<Response> {
        let status = outcome.status;
        let mut page = render(ImportPage {
            c,
            s: self,
            outcome,
        })?;
        *page.status_mut() = status;
        Ok(page)
    }
}

/// The file of an import form and whether only to check it.
pub struct RegisterFile {
    pub bytes: axum::body::Bytes,
    pub dry_run: bool,
}

/// Read the `file` and `dry_run` fields of an import form.
pub async fn read(state: &AppState, mut multipart: Multipart) -> Result<RegisterFile, Failure> {
    let unreadable = |e: axum::extract::multipart::MultipartError| {
        crate::statistics::too_large_or(state, e.status(), e.to_string())
    };
    let mut file = RegisterFile {
        bytes: axum::body::Bytes::new(),
        dry_run: false,
    };
    while let Some(field) = multipart.next_field().await.map_err(unreadable)? {
        match field.name() {
            Some("file") => file.bytes = field.bytes().await.map_err(unreadable)?,
            Some("dry_run") => file.dry_run = true,
            _ => {}
        }
    }
    if file.bytes.is_empty() {
        return Err(Failure::new(
            axum::http::StatusCode::UNPROCESSABLE_ENTITY,
            "Chưa chọn tệp để nhập (hoặc tệp rỗng)",
        ));
    }
    Ok(file)
}

/// An import's outcome as its page says it: what was (or would be)
/// written, or why nothing was, with every error.
#[derive(Default)]
pub struct Outcome {
    /// 200, or the failure's (422 for a refused file).
    pub status: axum::http::StatusCode,
    pub done: String,
    pub message: String,
    pub errors: Vec<String>,
}

impl Outcome {
    /// `said` words what was written ("5 tổ chức, tổ"), after "Đã ghi" or,
    /// on a dry run, "Tệp hợp lệ: sẽ ghi".
    pub fn of<T>(
        result: Result<T, Failure>,
        dry_run: bool,
        said: impl FnOnce(&T) -> String,
    ) -> Outcome {
        match result {
            Ok(n) => Outcome {
                status: axum::http::StatusCode::OK,
                done: format!(
                    "{} {}",
                    if dry_run {
                        "Tệp hợp lệ: sẽ ghi"
                    } else {
                        "Đã ghi"
                    },
                    said(&n)
                ),
                message: String::new(),
                errors: Vec::new(),
            },
            Err(f) => Outcome {
                status: f.status,
                done: String::new(),
                message: crate::error::capitalised(&f.message),
                errors: crate::pages::error_lines(&f.errors),
            },
        }
    }
}
