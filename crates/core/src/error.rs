use thiserror::Error;

/// A value that breaks a domain rule. The message is Vietnamese first: it is
/// shown to the person who typed the value.
#[derive(Debug, Error, Clone, PartialEq, Eq)]
pub enum DomainError {
    #[error("{0}")]
    Invalid(String),
}

impl DomainError {
    pub fn invalid(msg: impl Into<String>) -> Self {
        DomainError::Invalid(msg.into())
    }
}
