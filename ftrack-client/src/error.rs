//! What can go wrong while a session talks to an ftrack server.

use std::fmt;

use crate::credentials::CredentialsError;
use crate::decode::DecodeError;
use crate::operation::Action;

/// What can go wrong while a session runs operations.
///
/// Every variant that comes from a call carries a [`CallInfo`]: the URL, the
/// HTTP status where there was one, and the actions sent. No variant ever
/// holds an API key or bearer token.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// A session setting is invalid (a server URL that does not parse, a
    /// header value that cannot be sent).
    #[error("invalid session setting `{setting}`: {reason}")]
    Config {
        /// The setting, as named by the builder method.
        setting: &'static str,
        /// What is wrong with it.
        reason: String,
    },
    /// No usable credentials were found.
    #[error(transparent)]
    Credentials(#[from] CredentialsError),
    /// The request did not reach the server, or its answer was lost (refused
    /// or dropped connection, timeout).
    #[error("cannot reach the ftrack server: {call}")]
    Transport {
        /// The call that failed.
        call: Box<CallInfo>,
        /// What the HTTP client reported.
        #[source]
        source: reqwest::Error,
    },
    /// The server answered with an HTTP error status and no ftrack error
    /// object (a proxy page, a gateway error after the last retry).
    #[error("ftrack server answered {call}: {}", excerpt_text(body))]
    Http {
        /// The call that failed; its status is set.
        call: Box<CallInfo>,
        /// The first bytes of the body, lossily decoded and with secrets
        /// removed.
        body: String,
    },
    /// The answer is not the JSON the protocol describes: an HTML page, a
    /// truncated body, a result of the wrong shape.
    #[error(
        "cannot decode the answer to {call}: {source}; the body starts with {}",
        excerpt_text(excerpt)
    )]
    Decode {
        /// The call whose answer this is.
        call: Box<CallInfo>,
        /// The first few hundred bytes of the body, lossily decoded.
        excerpt: String,
        /// What did not fit.
        #[source]
        source: DecodeError,
    },
    /// The server refused the batch with `ValidationError`: a value of the
    /// wrong type, a required attribute left unset.
    #[error("the ftrack server refused {call}: {error}")]
    Validation {
        /// The call that failed.
        call: Box<CallInfo>,
        /// The server's error object.
        error: ServerError,
    },
    /// The server refused the batch with `PermissionError`: the API user
    /// may not read or change what the batch touches.
    #[error("the ftrack server refused {call}: {error}")]
    Permission {
        /// The call that failed.
        call: Box<CallInfo>,
        /// The server's error object.
        error: ServerError,
    },
    /// The server did not accept the credentials (`FTAuthenticationError`,
    /// `InvalidCredentialsError`).
    #[error("the ftrack server did not accept the credentials for {call}: {error}")]
    Authentication {
        /// The call that failed.
        call: Box<CallInfo>,
        /// The server's error object.
        error: ServerError,
    },
    /// Any other error the server reported (an unknown entity type, an
    /// invalid query, a duplicate entry).
    #[error("the ftrack server refused {call}: {error}")]
    Server {
        /// The call that failed.
        call: Box<CallInfo>,
        /// The server's error object.
        error: ServerError,
    },
    /// `one()` found no entity.
    #[error("no entity matches `{expression}`")]
    NoResult {
        /// The query's expression.
        expression: String,
    },
    /// `one()` found more than one entity.
    #[error("more than one entity matches `{expression}`")]
    MultipleResults {
        /// The query's expression.
        expression: String,
    },
    /// A query expression cannot be paged as asked (for example `one()` on
    /// an expression that has its own `limit`).
    #[error("cannot run `{expression}`: {reason}")]
    InvalidQuery {
        /// The query's expression.
        expression: String,
        /// Why not.
        reason: String,
    },
    /// A blocking session was used from inside an async runtime, where
    /// blocking would stall it. Use the async [`crate::Session`] there.
    #[cfg(feature = "blocking")]
    #[error("a blocking ftrack session cannot be used inside an async runtime")]
    BlockingInsideRuntime,
}

impl Error {
    /// The call this error came from, when it came from one.
    pub fn call(&self) -> Option<&CallInfo> {
        match self {
            Error::Transport { call, .. }
            | Error::Http { call, .. }
            | Error::Decode { call, .. }
            | Error::Validation { call, .. }
            | Error::Permission { call, .. }
            | Error::Authentication { call, .. }
            | Error::Server { call, .. } => Some(call),
            _ => None,
        }
    }

    /// The server's error object, when the server reported one.
    pub fn server_error(&self) -> Option<&ServerError> {
        match self {
            Error::Validation { error, .. }
            | Error::Permission { error, .. }
            | Error::Authentication { error, .. }
            | Error::Server { error, .. } => Some(error),
            _ => None,
        }
    }

    /// The HTTP status of the answer, when there was one.
    pub fn status(&self) -> Option<u16> {
        self.call().and_then(|call| call.status)
    }

    /// Whether the server refused the credentials.
    pub fn is_authentication(&self) -> bool {
        matches!(self, Error::Authentication { .. })
    }

    /// Whether the server refused the batch for lack of permission.
    pub fn is_permission(&self) -> bool {
        matches!(self, Error::Permission { .. })
    }

    /// Whether the server refused a value (`ValidationError`).
    pub fn is_validation(&self) -> bool {
        matches!(self, Error::Validation { .. })
    }

    /// Whether the batch may have been applied although this error is
    /// returned: an earlier attempt lost its answer and the batch was sent
    /// again. A retried create then fails with a duplicate-entry error
    /// because the first attempt created the entity, which the client-side
    /// id makes visible instead of creating it twice.
    pub fn is_possibly_applied(&self) -> bool {
        self.call().is_some_and(|call| call.possibly_applied)
    }
}

/// Where a failed call went and what it carried.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct CallInfo {
    /// The API endpoint, `{server}/api`.
    pub url: String,
    /// The HTTP status of the last answer, if one arrived.
    pub status: Option<u16>,
    /// The actions of the batch, in order.
    pub actions: Vec<Action>,
    /// How many times the batch was sent.
    pub attempts: u32,
    /// Whether an earlier attempt may have been applied by the server before
    /// its answer was lost.
    pub possibly_applied: bool,
}

impl CallInfo {
    pub(crate) fn new(url: &str, actions: Vec<Action>) -> CallInfo {
        CallInfo {
            url: url.to_owned(),
            status: None,
            actions,
            attempts: 0,
            possibly_applied: false,
        }
    }
}

impl fmt::Display for CallInfo {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "POST {} [", self.url)?;
        for (index, action) in self.actions.iter().enumerate() {
            if index > 0 {
                f.write_str(", ")?;
            }
            write!(f, "{action}")?;
        }
        f.write_str("]")?;
        if let Some(status) = self.status {
            write!(f, " (HTTP {status})")?;
        }
        if self.attempts > 1 {
            write!(f, " after {} attempts", self.attempts)?;
        }
        if self.possibly_applied {
            f.write_str("; an earlier attempt lost its answer and may have been applied")?;
        }
        Ok(())
    }
}

/// The error object the server answers instead of results:
/// `{"exception": ..., "content": ..., "error_code": ...}`.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct ServerError {
    /// The server's exception class name, e.g. `ValidationError`.
    pub exception: String,
    /// The human-readable reason.
    pub content: String,
    /// The server's error code, when it gave one.
    pub error_code: Option<String>,
}

impl ServerError {
    /// Reads an error object; `None` when `value` is not one (it has no
    /// `exception` string).
    pub fn from_json(value: &serde_json::Value) -> Option<ServerError> {
        let object = value.as_object()?;
        let exception = object.get("exception")?.as_str()?.to_owned();
        let content = match object.get("content") {
            Some(serde_json::Value::String(text)) => text.clone(),
            Some(serde_json::Value::Null) | None => String::new(),
            Some(other) => other.to_string(),
        };
        let error_code = match object.get("error_code") {
            Some(serde_json::Value::String(code)) => Some(code.clone()),
            Some(serde_json::Value::Null) | None => None,
            Some(other) => Some(other.to_string()),
        };
        Some(ServerError {
            exception,
            content,
            error_code,
        })
    }
}

impl fmt::Display for ServerError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.exception)?;
        if !self.content.is_empty() {
            write!(f, ": {}", self.content)?;
        }
        if let Some(code) = &self.error_code {
            write!(f, " (error code {code})")?;
        }
        Ok(())
    }
}

/// How many bytes of a body an error keeps.
pub(crate) const EXCERPT_BYTES: usize = 300;

/// The first [`EXCERPT_BYTES`] of a body as text, cut on a character
/// boundary.
pub(crate) fn excerpt(body: &[u8]) -> String {
    let head = &body[..body.len().min(EXCERPT_BYTES)];
    let mut text = String::from_utf8_lossy(head).into_owned();
    if body.len() > EXCERPT_BYTES {
        text.push('…');
    }
    text
}

fn excerpt_text(excerpt: &str) -> String {
    if excerpt.trim().is_empty() {
        "an empty body".to_owned()
    } else {
        format!("{excerpt:?}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn server_error_reads_the_protocol_shape() {
        let value = serde_json::json!({
            "exception": "ValidationError",
            "content": "wrong type",
            "error_code": "E1",
        });

        let error = ServerError::from_json(&value).unwrap();

        assert_eq!(
            error.to_string(),
            "ValidationError: wrong type (error code E1)"
        );
        assert!(ServerError::from_json(&serde_json::json!([1])).is_none());
    }

    #[test]
    fn call_info_names_url_actions_and_status() {
        let mut call = CallInfo::new("https://x.test/api", vec![Action::Query, Action::Create]);
        call.status = Some(503);
        call.attempts = 3;

        assert_eq!(
            call.to_string(),
            "POST https://x.test/api [query, create] (HTTP 503) after 3 attempts"
        );
    }

    #[test]
    fn excerpt_is_cut_on_a_character_boundary() {
        let body = "é".repeat(400);

        let text = excerpt(body.as_bytes());

        assert!(text.ends_with('…'));
        assert!(text.chars().count() <= EXCERPT_BYTES);
    }
}
