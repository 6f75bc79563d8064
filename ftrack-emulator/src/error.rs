//! Errors: the ones the emulator answers in ftrack's JSON shape, and the
//! ones that stop it from starting.

use std::path::PathBuf;

use serde_json::{json, Value};

/// An error answer in ftrack's shape: `{"exception", "content",
/// "error_code"}` (PROTOCOL.md 7). One failing operation fails the whole
/// request, so this replaces the list of results.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{exception}: {content}")]
pub struct ServerError {
    /// The server's exception class name (`ValidationError`, ...).
    pub exception: String,
    /// The human-readable reason.
    pub content: String,
    /// The error code, or `None` as most server errors have.
    pub error_code: Option<String>,
}

impl ServerError {
    /// An error of `exception` saying `content`.
    pub fn new(exception: &str, content: impl Into<String>) -> ServerError {
        ServerError {
            exception: exception.to_owned(),
            content: content.into(),
            error_code: None,
        }
    }

    /// A `ValidationError`: what a client sent breaks a rule of the schema.
    pub(crate) fn validation(content: impl Into<String>) -> ServerError {
        ServerError::new("ValidationError", content)
    }

    /// The same error with `context` in front of its content, naming the
    /// operation of a batch that failed.
    pub(crate) fn in_operation(mut self, context: &str) -> ServerError {
        self.content = format!("{context}: {}", self.content);
        self
    }

    /// The answer body.
    pub fn to_json(&self) -> Value {
        json!({
            "exception": self.exception,
            "content": self.content,
            "error_code": self.error_code,
        })
    }

    /// The HTTP status of the answer in strict mode (`ftrack-strict-api:
    /// true`). The real codes are not documented (PROTOCOL.md 2); these
    /// follow its suggestion.
    pub fn strict_status(&self) -> u16 {
        match self.exception.as_str() {
            "InvalidCredentialsError" | "FTAuthenticationError" => 401,
            "PermissionError" => 403,
            "ValidationError" | "IntegrityError" | "DuplicateEntryError" => 422,
            "PayloadTooLargeError" => 413,
            "MalformedRequestError" => 400,
            _ => 500,
        }
    }
}

/// Why an emulator could not start.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum StartError {
    /// The listening address could not be bound.
    #[error("cannot listen on {address}")]
    Bind {
        /// The address asked for.
        address: String,
        /// What the system said.
        #[source]
        source: std::io::Error,
    },
    /// The schema file could not be loaded.
    #[error("cannot load the schema")]
    Schema(#[source] ftrack_schema::LoadError),
    /// The data file exists but could not be read.
    #[error("cannot read the data file {}", path.display())]
    ReadData {
        /// The data file.
        path: PathBuf,
        /// What the system said.
        #[source]
        source: std::io::Error,
    },
    /// The data file is not a snapshot the emulator wrote.
    #[error("the data file {} is not an emulator snapshot: {message}", path.display())]
    BadData {
        /// The data file.
        path: PathBuf,
        /// What is wrong with it.
        message: String,
    },
    /// The data file could not be written.
    #[error("cannot write the data file {}", path.display())]
    WriteData {
        /// The data file.
        path: PathBuf,
        /// What the system said.
        #[source]
        source: std::io::Error,
    },
    /// The seed data could not be loaded (a bug in the recorded data).
    #[error("cannot seed the store: {0}")]
    Seed(String),
    /// The server thread or runtime could not be started.
    #[error("cannot start the server thread")]
    Runtime(#[source] std::io::Error),
}
