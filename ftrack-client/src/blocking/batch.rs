//! The blocking unit of work.

use serde_json::Value as Json;

use super::session::Session;
use crate::decode::Outcome;
use crate::error::Error;
use crate::operation::{EntityData, EntityKey, Operation};

/// Creates, updates and deletes committed in one call; see
/// [`crate::Batch`].
#[derive(Debug)]
pub struct Batch {
    session: Session,
    inner: crate::Batch,
}

impl Batch {
    pub(crate) fn new(session: Session, inner: crate::Batch) -> Batch {
        Batch { session, inner }
    }

    /// See [`crate::Batch::create`].
    pub fn create(&mut self, entity_type: &str, data: EntityData) -> EntityKey {
        self.inner.create(entity_type, data)
    }

    /// See [`crate::Batch::update`].
    pub fn update(&mut self, entity_type: &str, key: impl Into<EntityKey>, data: EntityData) {
        self.inner.update(entity_type, key, data);
    }

    /// See [`crate::Batch::set`].
    pub fn set(
        &mut self,
        entity_type: &str,
        key: impl Into<EntityKey>,
        attribute: &str,
        value: Json,
    ) {
        self.inner.set(entity_type, key, attribute, value);
    }

    /// See [`crate::Batch::delete`].
    pub fn delete(&mut self, entity_type: &str, key: impl Into<EntityKey>) {
        self.inner.delete(entity_type, key);
    }

    /// See [`crate::Batch::len`].
    pub fn len(&self) -> usize {
        self.inner.len()
    }

    /// See [`crate::Batch::is_empty`].
    pub fn is_empty(&self) -> bool {
        self.inner.is_empty()
    }

    /// See [`crate::Batch::operations`].
    pub fn operations(&self) -> Vec<Operation> {
        self.inner.operations()
    }

    /// See [`crate::Batch::commit`].
    ///
    /// # Errors
    ///
    /// As [`crate::Batch::commit`]; [`Error::BlockingInsideRuntime`].
    pub fn commit(self) -> Result<Vec<Outcome>, Error> {
        self.session.block_on(self.inner.commit())
    }
}
