//! The blocking API: [`Session`], [`Query`] and [`Batch`] with the same
//! methods as the async ones, for scripts without async.
//!
//! A blocking session runs the async session on a small tokio runtime of
//! its own. Do not use it inside an async runtime (a task, or a thread of
//! `spawn_blocking`): every call then returns
//! [`crate::Error::BlockingInsideRuntime`] instead of stalling it; use the
//! async [`crate::Session`] there.
//!
//! ```no_run
//! use ftrack_client::blocking::Session;
//! use ftrack_client::Credentials;
//!
//! let session = Session::new(Credentials::from_env()?)?;
//! for task in session.query("select name from Task").iter() {
//!     println!("{:?}", task?.get("name"));
//! }
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

mod batch;
mod query;
mod session;

pub use batch::Batch;
pub use query::{EntityIter, Query};
pub use session::{Session, SessionBuilder};
