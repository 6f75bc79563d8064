//! Running typed queries with a [`Session`]: the generic code behind
//! `Shot::get`, `Shot::list` and `Query::all`, which generated code calls.

use serde::de::DeserializeOwned;

use crate::ast::{self, Criteria, Operator, Path};
use crate::entity::EntityType;
use crate::path::Condition;
use crate::projection::{DecodeError, Projection};
use crate::query::Query;
use crate::Session;

/// What can go wrong while running a typed query.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The session failed: the server refused the query, could not be
    /// reached, or answered what the client cannot read.
    #[error(transparent)]
    Session(#[from] ftrack_client::Error),
    /// A result did not fit the generated type it was decoded into.
    #[error("cannot decode a `{entity_type}` result")]
    Decode {
        /// The entity type queried.
        entity_type: &'static str,
        /// Which path did not fit, and why.
        #[source]
        cause: DecodeError,
    },
}

impl Error {
    /// Whether the server refused the query (its validation or
    /// permissions), rather than the network or decoding failing.
    pub fn is_refused(&self) -> bool {
        matches!(
            self,
            Error::Session(
                ftrack_client::Error::Validation { .. } | ftrack_client::Error::Permission { .. }
            )
        )
    }
}

impl<T: EntityType> Query<T> {
    /// The expression sent to the server: the canonical text, with the
    /// entity type's default projections when the query selects nothing (as
    /// the official Python client does; the server documents only the
    /// `select` form).
    pub fn expression(&self) -> String {
        if self.ast().projections.is_empty() && !T::DEFAULT_PROJECTIONS.is_empty() {
            let mut ast = self.ast().clone();
            ast.projections = T::DEFAULT_PROJECTIONS
                .iter()
                .map(|name| ast::Projection::Path(Path::single(*name)))
                .collect();
            ast.to_string()
        } else {
            self.ast().to_string()
        }
    }

    fn run(&self, session: &Session) -> ftrack_client::Query {
        session.query(self.expression())
    }
}

impl<T: EntityType + DeserializeOwned> Query<T> {
    /// Every entity the query matches, decoded into the generated model,
    /// fetching pages as [`ftrack_client::Query::all`] does.
    ///
    /// # Errors
    ///
    /// [`Error::Session`] when the query fails, [`Error::Decode`] when a
    /// result does not fit the model.
    pub async fn all(self, session: &Session) -> Result<Vec<T>, Error> {
        let entities = self.run(session).all().await?;
        entities.iter().map(decode_model).collect()
    }

    /// The first entity (`limit 1`), or `None`.
    ///
    /// # Errors
    ///
    /// As [`Query::all`].
    pub async fn first(self, session: &Session) -> Result<Option<T>, Error> {
        let entity = self.run(session).first().await?;
        entity.as_ref().map(decode_model).transpose()
    }

    /// The one entity the query matches.
    ///
    /// # Errors
    ///
    /// As [`Query::all`]; [`Error::Session`] also when none or more than
    /// one entity matches, or the query has its own `limit`.
    pub async fn one(self, session: &Session) -> Result<T, Error> {
        let entity = self.run(session).one().await?;
        decode_model(&entity)
    }
}

impl<T: EntityType> Query<T> {
    /// Every entity the query matches, decoded into the projection `P`
    /// (usually with `P::query()` as the query, which selects its paths).
    ///
    /// # Errors
    ///
    /// As [`Query::all`].
    pub async fn all_as<P: Projection<Entity = T>>(
        self,
        session: &Session,
    ) -> Result<Vec<P>, Error> {
        let entities = self.run(session).all().await?;
        entities
            .iter()
            .map(|entity| {
                P::from_json(&entity.to_json()).map_err(|cause| Error::Decode {
                    entity_type: T::NAME,
                    cause,
                })
            })
            .collect()
    }
}

/// Decodes a dynamic entity of the runtime into the generated model `T`,
/// for answers of [`ftrack::client`](crate::client) calls made directly (a
/// [`Batch`](crate::client::Batch), the blocking session).
///
/// # Errors
///
/// [`Error::Decode`] when the entity does not fit the model.
pub fn decode<T: EntityType + DeserializeOwned>(
    entity: &ftrack_client::Entity,
) -> Result<T, Error> {
    decode_model(entity)
}

fn decode_model<T: EntityType + DeserializeOwned>(
    entity: &ftrack_client::Entity,
) -> Result<T, Error> {
    serde_json::from_value(entity.to_json()).map_err(|e| Error::Decode {
        entity_type: T::NAME,
        cause: DecodeError {
            path: T::NAME.to_owned(),
            message: e.to_string(),
        },
    })
}

/// The entity of type `T` whose primary key (a single attribute) is `id`,
/// with its default projections, or `None`. Generated as `Shot::get`.
///
/// # Errors
///
/// As [`Query::all`].
pub async fn get<T: EntityType + DeserializeOwned>(
    session: &Session,
    id: String,
) -> Result<Option<T>, Error> {
    let key = T::PRIMARY_KEY.first().copied().unwrap_or("id");
    let condition =
        Condition::from_criteria(Criteria::compare(Path::single(key), Operator::Is, id));
    Query::<T>::new().filter(condition).first(session).await
}

/// Every entity of type `T`, with its default projections. Generated as
/// `Shot::list`.
///
/// # Errors
///
/// As [`Query::all`].
pub async fn list<T: EntityType + DeserializeOwned>(session: &Session) -> Result<Vec<T>, Error> {
    Query::<T>::new().all(session).await
}
