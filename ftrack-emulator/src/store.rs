//! The in-memory store: entities by concrete entity type and primary key,
//! with an undo log so that a batch of operations is one unit.

use std::collections::{HashMap, HashSet};

use indexmap::IndexMap;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::model::Model;

/// The stored attributes of one entity: scalars (date-times as their wire
/// objects), foreign keys, and, for relationships the schema gives no key
/// for, references (`{"__entity_type__": ..., <key>: ...}`) or lists of them.
/// Relationships with a `foreign_key` or `reverse_key` are not stored:
/// they are resolved through the key when read.
pub(crate) type Entity = Map<String, Value>;

/// A primary key: the key values as text, in the schema's `primary_key`
/// order. Clients send keys as strings (the Python client `str()`s them).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub(crate) struct Key(pub(crate) Vec<String>);

impl Key {
    /// The key of one value.
    pub(crate) fn single(value: impl Into<String>) -> Key {
        Key(vec![value.into()])
    }

    /// The text of a key value as stored: strings as they are, numbers and
    /// booleans printed; `None` for null and structures.
    pub(crate) fn text(value: &Value) -> Option<String> {
        match value {
            Value::String(text) => Some(text.clone()),
            Value::Number(n) => Some(n.to_string()),
            Value::Bool(b) => Some(b.to_string()),
            _ => None,
        }
    }

    /// The key of `entity` under `primary_key`, or `None` when a part is
    /// missing.
    pub(crate) fn of(entity: &Entity, primary_key: &[String]) -> Option<Key> {
        primary_key
            .iter()
            .map(|name| entity.get(name).and_then(Key::text))
            .collect::<Option<Vec<_>>>()
            .map(Key)
    }

    /// The key for display in messages: `a` or `a, b`.
    pub(crate) fn display(&self) -> String {
        self.0.join(", ")
    }
}

/// Every entity, by concrete entity type and then primary key, in creation
/// order.
#[derive(Debug, Clone, Default)]
pub(crate) struct Store {
    tables: HashMap<String, IndexMap<Key, Entity>>,
    /// For each key, the concrete entity types holding an entity with it
    /// (ids are UUIDs, so nearly always one), so that a lookup through a
    /// base type such as `Context` needs no search of every subtype.
    locations: HashMap<Key, Vec<String>>,
}

/// One entity found in the store.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Found<'a> {
    /// Its concrete entity type.
    pub(crate) entity_type: &'a str,
    pub(crate) key: &'a Key,
    pub(crate) data: &'a Entity,
}

impl Store {
    pub(crate) fn get(&self, entity_type: &str, key: &Key) -> Option<&Entity> {
        self.tables.get(entity_type)?.get(key)
    }

    /// Finds an entity of `entity_type` or of any type that extends it.
    pub(crate) fn find<'a>(
        &'a self,
        model: &Model,
        entity_type: &str,
        key: &Key,
    ) -> Option<Found<'a>> {
        self.locations
            .get(key)?
            .iter()
            .filter(|kind| model.is_kind_of(kind, entity_type))
            .find_map(|kind| {
                let (name, table) = self.tables.get_key_value(kind.as_str())?;
                let (key, data) = table.get_key_value(key)?;
                Some(Found {
                    entity_type: name,
                    key,
                    data,
                })
            })
    }

    /// Every entity of exactly `entity_type`, in creation order.
    pub(crate) fn table(&self, entity_type: &str) -> impl Iterator<Item = Found<'_>> {
        self.tables
            .get_key_value(entity_type)
            .into_iter()
            .flat_map(|(name, table)| {
                table.iter().map(move |(key, data)| Found {
                    entity_type: name,
                    key,
                    data,
                })
            })
    }

    /// Every entity of `entity_type` or of a type that extends it.
    pub(crate) fn all<'a>(
        &'a self,
        model: &'a Model,
        entity_type: &str,
    ) -> impl Iterator<Item = Found<'a>> + 'a {
        model
            .kinds(entity_type)
            .iter()
            .flat_map(move |kind| self.table(kind))
    }

    /// How many entities the store holds.
    pub(crate) fn len(&self) -> usize {
        self.tables.values().map(IndexMap::len).sum()
    }

    /// The names of the entity types with at least one entity.
    pub(crate) fn entity_types(&self) -> impl Iterator<Item = &str> {
        self.tables
            .iter()
            .filter(|(_, table)| !table.is_empty())
            .map(|(name, _)| name.as_str())
    }

    /// Puts an entity in place, without undo. For seeding and loading.
    pub(crate) fn insert(&mut self, entity_type: &str, key: Key, data: Entity) {
        self.set(entity_type, &key, Some(data));
    }

    fn set(&mut self, entity_type: &str, key: &Key, data: Option<Entity>) -> Option<Entity> {
        match data {
            Some(data) => {
                let before = self
                    .tables
                    .entry(entity_type.to_owned())
                    .or_default()
                    .insert(key.clone(), data);
                if before.is_none() {
                    let kinds = self.locations.entry(key.clone()).or_default();
                    if !kinds.iter().any(|k| k == entity_type) {
                        kinds.push(entity_type.to_owned());
                    }
                }
                before
            }
            None => {
                let removed = self
                    .tables
                    .get_mut(entity_type)
                    .and_then(|table| table.shift_remove(key));
                if removed.is_some() {
                    if let Some(kinds) = self.locations.get_mut(key) {
                        kinds.retain(|k| k != entity_type);
                        if kinds.is_empty() {
                            self.locations.remove(key);
                        }
                    }
                }
                removed
            }
        }
    }
}

/// Changes to a store that can be undone: every operation of a batch goes
/// through one of these, and a failed batch rolls it back.
pub(crate) struct Transaction<'s> {
    pub(crate) store: &'s mut Store,
    /// The state of each touched entity before the batch, first touch only.
    undo: Vec<(String, Key, Option<Entity>)>,
    seen: HashSet<(String, Key)>,
    /// Entities created in this batch, in order.
    pub(crate) created: Vec<(String, Key)>,
    /// Entities created or updated in this batch, in order, once each.
    pub(crate) touched: Vec<(String, Key)>,
    touched_set: HashSet<(String, Key)>,
    /// Entities deleted in this batch.
    pub(crate) deleted: Vec<(String, Key)>,
    committed: bool,
}

impl<'s> Transaction<'s> {
    pub(crate) fn new(store: &'s mut Store) -> Transaction<'s> {
        Transaction {
            store,
            undo: Vec::new(),
            seen: HashSet::new(),
            created: Vec::new(),
            touched: Vec::new(),
            touched_set: HashSet::new(),
            deleted: Vec::new(),
            committed: false,
        }
    }

    fn remember(&mut self, entity_type: &str, key: &Key) {
        let id = (entity_type.to_owned(), key.clone());
        if self.seen.insert(id) {
            let before = self.store.get(entity_type, key).cloned();
            self.undo
                .push((entity_type.to_owned(), key.clone(), before));
        }
    }

    /// Stores `data` as the entity, remembering what was there.
    pub(crate) fn put(&mut self, entity_type: &str, key: &Key, data: Entity) {
        self.remember(entity_type, key);
        self.store.set(entity_type, key, Some(data));
        let id = (entity_type.to_owned(), key.clone());
        if self.touched_set.insert(id.clone()) {
            self.touched.push(id);
        }
    }

    /// Removes the entity, remembering what was there.
    pub(crate) fn remove(&mut self, entity_type: &str, key: &Key) -> Option<Entity> {
        self.remember(entity_type, key);
        let removed = self.store.set(entity_type, key, None);
        if removed.is_some() {
            self.deleted.push((entity_type.to_owned(), key.clone()));
        }
        removed
    }

    /// Whether anything changed.
    pub(crate) fn changed(&self) -> bool {
        !self.undo.is_empty()
    }

    /// Keeps the changes.
    pub(crate) fn commit(mut self) {
        self.committed = true;
    }

    /// Puts back everything as it was before the batch.
    pub(crate) fn rollback(mut self) {
        self.undo_all();
    }

    fn undo_all(&mut self) {
        while let Some((entity_type, key, before)) = self.undo.pop() {
            self.store.set(&entity_type, &key, before);
        }
    }
}

/// A transaction dropped without [`Transaction::commit`] (an early return,
/// or a bug that panicked half-way) is rolled back, so that the store never
/// keeps half a batch.
impl Drop for Transaction<'_> {
    fn drop(&mut self) {
        if !self.committed {
            self.undo_all();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn entity(value: Value) -> Entity {
        value.as_object().cloned().unwrap()
    }

    #[test]
    fn rollback_restores_updated_removed_and_created_entities() {
        let mut store = Store::default();
        store.insert(
            "Status",
            Key::single("a"),
            entity(json!({"id": "a", "name": "old"})),
        );
        store.insert("Status", Key::single("b"), entity(json!({"id": "b"})));

        let mut tx = Transaction::new(&mut store);
        tx.put(
            "Status",
            &Key::single("a"),
            entity(json!({"id": "a", "name": "new"})),
        );
        tx.put(
            "Status",
            &Key::single("a"),
            entity(json!({"id": "a", "name": "newer"})),
        );
        tx.remove("Status", &Key::single("b"));
        tx.put("Status", &Key::single("c"), entity(json!({"id": "c"})));
        assert!(tx.changed());
        tx.rollback();

        assert_eq!(
            store.get("Status", &Key::single("a")).unwrap()["name"],
            "old"
        );
        assert!(store.get("Status", &Key::single("b")).is_some());
        assert!(store.get("Status", &Key::single("c")).is_none());
        assert_eq!(store.len(), 2);
    }

    #[test]
    fn a_transaction_dropped_without_commit_rolls_back() {
        let mut store = Store::default();
        {
            let mut tx = Transaction::new(&mut store);
            tx.put("Status", &Key::single("a"), entity(json!({"id": "a"})));
        }
        assert!(store.get("Status", &Key::single("a")).is_none());

        let mut tx = Transaction::new(&mut store);
        tx.put("Status", &Key::single("a"), entity(json!({"id": "a"})));
        tx.commit();
        assert!(store.get("Status", &Key::single("a")).is_some());
        let found = store.find(&test_model(), "Status", &Key::single("a"));
        assert_eq!(found.map(|f| f.entity_type), Some("Status"));
    }

    fn test_model() -> Model {
        Model::new(crate::shipped_schema().unwrap())
    }

    #[test]
    fn keys_read_every_part_as_text() {
        let data = entity(json!({"parent_id": "p", "key": 3}));
        let key = Key::of(&data, &["parent_id".to_owned(), "key".to_owned()]).unwrap();
        assert_eq!(key, Key(vec!["p".into(), "3".into()]));
        assert!(Key::of(&data, &["missing".to_owned()]).is_none());
    }
}
