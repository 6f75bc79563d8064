//! Typed queries with the blocking session, for scripts without async: the
//! functions of the async API, by the same names, taking a
//! [`blocking::Session`](Session).
//!
//! ```no_run
//! use ftrack::entities::Task;
//! use ftrack::Credentials;
//!
//! # fn run() -> Result<(), Box<dyn std::error::Error>> {
//! let session = ftrack::blocking::Session::new(Credentials::loader().load()?)?;
//! let tasks = ftrack::blocking::all(&session, Task::query().filter(Task::bid().gt(2)))?;
//! let task: Option<Task> = ftrack::blocking::get(&session, "a1b2c3")?;
//! # let _ = (tasks, task);
//! # Ok(()) }
//! ```

use serde::de::DeserializeOwned;

pub use ftrack_client::blocking::{Session, SessionBuilder};

use crate::ast::{Criteria, Operator, Path};
use crate::entity::EntityType;
use crate::path::Condition;
use crate::projection::Projection;
use crate::query::Query;
use crate::session::{decode, Error};

/// Every entity `query` matches, decoded into the generated model.
///
/// # Errors
///
/// As [`Query::all`].
pub fn all<T: EntityType + DeserializeOwned>(
    session: &Session,
    query: Query<T>,
) -> Result<Vec<T>, Error> {
    let entities = session.query(query.expression()).all()?;
    entities.iter().map(decode).collect()
}

/// The first entity `query` matches (`limit 1`), or `None`.
///
/// # Errors
///
/// As [`Query::first`].
pub fn first<T: EntityType + DeserializeOwned>(
    session: &Session,
    query: Query<T>,
) -> Result<Option<T>, Error> {
    let entity = session.query(query.expression()).first()?;
    entity.as_ref().map(decode).transpose()
}

/// The one entity `query` matches.
///
/// # Errors
///
/// As [`Query::one`].
pub fn one<T: EntityType + DeserializeOwned>(
    session: &Session,
    query: Query<T>,
) -> Result<T, Error> {
    decode(&session.query(query.expression()).one()?)
}

/// Every entity `query` matches, decoded into the projection `P`.
///
/// # Errors
///
/// As [`Query::all_as`].
pub fn all_as<P: Projection>(session: &Session, query: Query<P::Entity>) -> Result<Vec<P>, Error> {
    let entities = session.query(query.expression()).all()?;
    entities
        .iter()
        .map(|entity| {
            P::from_json(&entity.to_json()).map_err(|cause| Error::Decode {
                entity_type: <P::Entity as EntityType>::NAME,
                cause,
            })
        })
        .collect()
}

/// The entity of type `T` whose primary key (a single attribute) is `id`,
/// with its default projections, or `None`.
///
/// # Errors
///
/// As [`Query::all`].
pub fn get<T: EntityType + DeserializeOwned>(
    session: &Session,
    id: impl Into<String>,
) -> Result<Option<T>, Error> {
    let key = T::PRIMARY_KEY.first().copied().unwrap_or("id");
    let condition = Condition::from_criteria(Criteria::compare(
        Path::single(key),
        Operator::Is,
        id.into(),
    ));
    first(session, Query::<T>::new().filter(condition))
}

/// Every entity of type `T`, with its default projections.
///
/// # Errors
///
/// As [`Query::all`].
pub fn list<T: EntityType + DeserializeOwned>(session: &Session) -> Result<Vec<T>, Error> {
    all(session, Query::<T>::new())
}
