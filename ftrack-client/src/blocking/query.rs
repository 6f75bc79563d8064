//! Blocking queries: `all`, `first`, `one`, and an iterator that pages.

use futures_util::StreamExt;

use super::session::Session;
use crate::entity::Entity;
use crate::error::Error;
use crate::query::EntityStream;

/// A query and how to page through it; see [`crate::Query`].
#[derive(Debug, Clone)]
pub struct Query {
    session: Session,
    inner: crate::Query,
}

impl Query {
    pub(crate) fn new(session: Session, inner: crate::Query) -> Query {
        Query { session, inner }
    }

    /// See [`crate::Query::page_size`].
    pub fn page_size(self, page_size: u64) -> Self {
        Query {
            inner: self.inner.page_size(page_size),
            ..self
        }
    }

    /// See [`crate::Query::pages_per_request`].
    pub fn pages_per_request(self, pages: usize) -> Self {
        Query {
            inner: self.inner.pages_per_request(pages),
            ..self
        }
    }

    /// The expression as given.
    pub fn expression(&self) -> &str {
        self.inner.expression()
    }

    /// See [`crate::Query::all`].
    ///
    /// # Errors
    ///
    /// As [`crate::Query::all`]; [`Error::BlockingInsideRuntime`].
    pub fn all(self) -> Result<Vec<Entity>, Error> {
        self.session.block_on(self.inner.all())
    }

    /// See [`crate::Query::first`].
    ///
    /// # Errors
    ///
    /// As [`crate::Query::first`]; [`Error::BlockingInsideRuntime`].
    pub fn first(self) -> Result<Option<Entity>, Error> {
        self.session.block_on(self.inner.first())
    }

    /// See [`crate::Query::one`].
    ///
    /// # Errors
    ///
    /// As [`crate::Query::one`]; [`Error::BlockingInsideRuntime`].
    pub fn one(self) -> Result<Entity, Error> {
        self.session.block_on(self.inner.one())
    }

    /// The entities as an iterator that pages like [`crate::Query::stream`].
    pub fn iter(self) -> EntityIter {
        EntityIter {
            session: self.session,
            stream: self.inner.stream(),
        }
    }
}

impl IntoIterator for Query {
    type Item = Result<Entity, Error>;
    type IntoIter = EntityIter;

    fn into_iter(self) -> EntityIter {
        self.iter()
    }
}

/// The entities of a query, fetched page by page as the iterator advances.
pub struct EntityIter {
    session: Session,
    stream: EntityStream,
}

impl std::fmt::Debug for EntityIter {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("EntityIter").finish_non_exhaustive()
    }
}

impl Iterator for EntityIter {
    type Item = Result<Entity, Error>;

    fn next(&mut self) -> Option<Self::Item> {
        let stream = &mut self.stream;
        match self.session.block_on(async { Ok(stream.next().await) }) {
            Ok(item) => item,
            Err(error) => Some(Err(error)),
        }
    }
}
