//! The runtime of the typed ftrack client: sessions, credentials, batched
//! operations, paging and decoding, over the server's one `POST /api`.
//!
//! The runtime knows no schema: it moves [`Operation`]s and dynamic
//! [`Entity`]s (an entity type and a map of attributes). The generated layer
//! of the `ftrack` crate gives them types.
//!
//! ```no_run
//! use ftrack_client::{Credentials, Session};
//! use serde_json::json;
//!
//! # async fn run() -> Result<(), ftrack_client::Error> {
//! // FTRACK_SERVER, FTRACK_API_USER, FTRACK_API_KEY, or a credentials file.
//! let credentials = Credentials::loader().load()?;
//! let session = Session::new(credentials)?;
//!
//! // Every task, 500 per page, several pages per request.
//! let tasks = session
//!     .query(r#"select name, status.name from Task where project.name is "demo""#)
//!     .all()
//!     .await?;
//! for task in &tasks {
//!     let name = task.get("name");
//!     let status = task.get_path("status.name");
//!     println!("{:?} {:?}", name.as_ref().and_then(|n| n.as_str()), status);
//! }
//!
//! // Creates and updates in one request; ids are chosen here, so a retry
//! // cannot create twice.
//! let mut batch = session.batch();
//! let mut data = ftrack_client::EntityData::new();
//! data.insert("name".into(), json!("compositing"));
//! data.insert("parent_id".into(), json!(tasks[0].id()));
//! batch.create("Task", data);
//! batch.commit().await?;
//! # Ok(()) }
//! ```
//!
//! - [`Session`] / [`SessionBuilder`]: server, API key or bearer token,
//!   strict API mode, timeouts, [`RetryPolicy`], headers, HTTP client.
//! - [`Credentials`]: from arguments, the environment or a JSON file.
//! - [`Operation`] and [`Session::call`]: many operations in one request.
//! - [`Query`]: `all`, `first`, `one`, and a paging [`EntityStream`].
//! - [`Batch`]: a unit of work merged like the Python client's commit.
//! - [`Reply::decode`]: the decoder, with identity-map merging of the
//!   server's de-duplicated entities and typed date-times ([`time`]).
//! - [`Error`]: one error type with the URL, status, actions and the
//!   server's exception.
//!
//! # Features
//!
//! - `blocking` (off by default): [`blocking::Session`], the same API for
//!   scripts without async, running the async session on a runtime of its
//!   own.
//!
//! TLS is rustls through reqwest; no OpenSSL is needed.
//!
//! # Logging
//!
//! Through `tracing`: one `ftrack.call` span per call with the server, the
//! actions and the operation count; debug events for timings; a warning for
//! each retry; request and answer bodies at trace level, with secrets
//! removed. This crate installs no subscriber.

mod batch;
#[cfg(feature = "blocking")]
pub mod blocking;
mod credentials;
mod decode;
mod entity;
mod error;
mod expression;
mod operation;
mod query;
mod retry;
mod session;
pub mod wire;

pub use batch::Batch;
pub use credentials::{
    Auth, Credentials, CredentialsError, CredentialsLoader, Secret, ENV_API_KEY, ENV_API_USER,
    ENV_BEARER_TOKEN, ENV_CREDENTIALS_FILE, ENV_SERVER,
};
pub use decode::{Answer, DecodeError, DecodeOptions, Outcome, Page, Reply, ServerInformation};
pub use entity::{Entity, List, Object, Value, MAX_JSON_NESTING};
pub use error::{CallInfo, Error, ServerError};
pub use operation::{
    date, datetime, reference, Action, EntityData, EntityKey, Operation, PrimaryKeys,
    DEFAULT_PRIMARY_KEY,
};
pub use query::{EntityStream, Query, DEFAULT_PAGES_PER_REQUEST, DEFAULT_PAGE_SIZE};
pub use retry::RetryPolicy;
pub use session::{Session, SessionBuilder, DEFAULT_TIMEOUT, USER_AGENT};

pub use time;
