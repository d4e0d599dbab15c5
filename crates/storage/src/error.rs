use antq_core::DomainError;
use thiserror::Error;

#[derive(Debug, Error)]
pub enum StorageError {
    #[error("không tìm thấy: {0}")]
    NotFound(String),
    #[error("{0}")]
    Conflict(String),
    #[error("không có quyền")]
    Forbidden,
    #[error(transparent)]
    Invalid(#[from] DomainError),
    /// A file of data (an import) that has errors; every error is listed.
    #[error("dữ liệu có {} lỗi", .0.len())]
    Rejected(Vec<String>),
    #[error("lỗi cơ sở dữ liệu: {0}")]
    Database(#[from] sqlx::Error),
    /// The server is at capacity for this kind of work (no Argon2 slot came
    /// free in time); the client should try again shortly.
    #[error("Máy chủ đang bận, xin thử lại sau ít giây")]
    Busy,
    /// The search index failed (a disk error, a broken index).
    #[error("lỗi chỉ mục tìm kiếm: {0}")]
    Index(String),
}

pub type StorageResult<T> = Result<T, StorageError>;

impl StorageError {
    pub fn not_found(what: impl Into<String>) -> Self {
        StorageError::NotFound(what.into())
    }

    /// Map a unique-constraint violation to `Conflict` with a message; leave
    /// other database errors as they are. Classified by kind, never by name.
    pub fn unique_as_conflict(e: sqlx::Error, msg: impl Into<String>) -> Self {
        if let sqlx::Error::Database(db) = &e {
            if db.kind() == sqlx::error::ErrorKind::UniqueViolation {
                return StorageError::Conflict(msg.into());
            }
        }
        StorageError::Database(e)
    }
}
