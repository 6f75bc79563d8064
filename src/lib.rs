//! A typed client for the ftrack API, generated from an entity schema.
//!
//! This crate is the facade: it holds the typed entity layer generated from
//! `schema/ftrack.yaml` ([`entities`]), typed queries ([`Query`]) built
//! from attribute paths or checked while compiling by [`query!`], and the
//! runtime the typed layer sits on.
//!
//! ```
//! use ftrack::entities::{Shot, Task};
//!
//! // Typed attribute paths: a misspelled attribute does not compile.
//! let shots = Shot::query()
//!     .select((Shot::name(), Shot::parent().name()))
//!     .filter(Shot::parent().name().eq("sq010") & Shot::name().like("sh0%"))
//!     .order_by(Shot::name().asc());
//! assert_eq!(
//!     shots.to_string(),
//!     concat!(
//!         r#"select name, parent.name from Shot where parent.name is "sq010" "#,
//!         r#"and name like "sh0%" order by name"#
//!     )
//! );
//!
//! // A written query, checked against the schema while compiling; `{seq}`
//! // takes the variable `seq`, quoted and escaped.
//! # #[cfg(feature = "macros")] {
//! let seq = r#"sq"010"#;
//! let query = ftrack::query!("select name from Shot where parent.name is {seq}");
//! assert_eq!(query.to_string(), r#"select name from Shot where parent.name is "sq\"010""#);
//! # }
//!
//! // Results decode into the generated models.
//! let task: Task = serde_json::from_value(serde_json::json!({
//!     "__entity_type__": "Task",
//!     "name": "compositing",
//!     "status": {"__entity_type__": "Status", "name": "In Progress"},
//! }))?;
//! assert_eq!(task.status.and_then(|s| s.name).as_deref(), Some("In Progress"));
//! # Ok::<(), serde_json::Error>(())
//! ```
//!
//! With a [`Session`] (the runtime's, re-exported from [`client`]), typed
//! queries run and decode into the models:
//!
//! ```no_run
//! use ftrack::entities::{Shot, Task};
//! use ftrack::{Credentials, Session};
//!
//! # async fn run() -> Result<(), Box<dyn std::error::Error>> {
//! let session = Session::new(Credentials::loader().load()?)?;
//!
//! let shot: Option<Shot> = Shot::get(&session, "a1b2c3").await?;
//! let tasks: Vec<Task> = Task::query()
//!     .filter(Task::parent().name().eq("sh010"))
//!     .all(&session)
//!     .await?;
//! # let _ = (shot, tasks);
//! # Ok(()) }
//! ```
//!
//! - [`entities`]: the generated layer of the shipped schema.
//! - [`Query`], [`Condition`], the path types ([`StringPath`],
//!   [`NumberPath`], [`ReferencePath`], ...): typed queries.
//! - [`query!`], [`schema!`], [`derive(Projection)`](derive@Projection):
//!   checked while compiling.
//! - [`get`], [`list`], [`Query::all`], [`Query::first`], [`Query::one`],
//!   [`Query::all_as`]: running typed queries; [`Error`].
//!
//! # Features
//!
//! - `macros` (on by default): [`query!`], [`schema!`] and
//!   [`derive(Projection)`](derive@Projection), which check queries and
//!   projections against the schema while compiling.
//! - `blocking` (off by default): [`blocking`], typed queries with the
//!   runtime's blocking session.

/// The README's examples, compiled as doctests so that they stay true.
#[cfg(all(doctest, feature = "macros"))]
#[doc = include_str!("../README.md")]
struct ReadmeExamples;

// The macros' expansions name `::ftrack::...`, in this crate as anywhere.
extern crate self as ftrack;

#[doc(hidden)]
#[path = "private.rs"]
pub mod __private;
#[cfg(feature = "blocking")]
pub mod blocking;
mod entity;
mod path;
mod projection;
mod query;
mod session;
pub mod value;

#[cfg(feature = "macros")]
mod macros;

/// The ftrack query language: the syntax tree typed queries are made of, its
/// parser and its printer (the `ftrack-query` crate).
pub use ftrack_query as ast;

pub use entity::{Attributes, EntityType};
pub use path::{
    BooleanPath, CollectionPath, Condition, DatePath, DateTimePath, FromPath, JsonPath,
    MappedCollectionPath, Number, NumberPath, Order, Prefix, ReferencePath, StringPath, ValuePath,
};
pub use projection::{DecodeError, FromJson, Projection};
pub use query::{Query, Select};
pub use session::{decode, get, list, Error};

/// The runtime: sessions, credentials, operations, batches, paging and
/// dynamic entities (the `ftrack-client` crate), which knows no schema.
pub use ftrack_client as client;
pub use ftrack_client::{Credentials, Session, SessionBuilder};
pub use value::{ToValue, ToValues};

#[cfg(feature = "macros")]
pub use macros::*;

/// The text of the shipped schema, `schema/ftrack.yaml`, that [`entities`]
/// are generated from: for tools that check queries or answer as a server
/// without a schema file of their own.
pub const SCHEMA_YAML: &str = include_str!("../schema/ftrack.yaml");

/// The type of date-time attributes: a point in time with its UTC offset
/// (the `time` crate's, as the runtime decodes them).
pub type DateTime = ftrack_client::time::OffsetDateTime;

/// The type of date attributes: a calendar date.
pub type Date = ftrack_client::time::Date;

/// The type of attributes that hold opaque JSON or any value.
pub type Json = serde_json::Value;

/// The entity types of the shipped schema, `schema/ftrack.yaml`: one model
/// struct per entity type (`Shot`, `Task`, `AssetVersion`, ...) with
/// its attribute paths (`Shot::name()`) and `query()`, and one attributes
/// type per entity type (`ShotAttributes`) for paths that go through a
/// relationship (`Shot::parent().name()`).
///
/// Every field of a model is an `Option`, since what a query returns
/// depends on its projections. Field and path names are the attribute
/// names; a name that Rust or the generated API reserves (`type`, `query`)
/// gets a trailing underscore (`type_`, `query_`).
pub mod entities {
    include!(concat!(env!("OUT_DIR"), "/entities.rs"));
}
