//! What every register's import page shares: reading the uploaded file and
//! the "dry run" box from the form (a too large body answers in Vietnamese),
//! and the outcome in words with its status (422 when refused).

use axum::extract::Multipart;
use axum::response::Response;

use crate::error::Failure;
use crate::state::AppState;

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
pub struct Outcome {
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
                done: String::new(),
                message: crate::error::capitalised(&f.message),
                errors: crate::pages::error_lines(&f.errors),
            },
        }
    }

    /// The rendered page, 422 when the file was refused.
    pub fn respond(&self, mut page: Response) -> Response {
        if !self.message.is_empty() {
            *page.status_mut() = axum::http::StatusCode::UNPROCESSABLE_ENTITY;
        }
        page
    }
}
