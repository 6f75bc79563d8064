//! A unit of work: creates, updates and deletes collected, then committed in
//! one call.

use std::collections::{HashMap, HashSet};

use serde_json::Value as Json;

use crate::decode::Outcome;
use crate::error::Error;
use crate::operation::{key_string, EntityData, EntityKey, Operation};
use crate::session::Session;

/// Creates, updates and deletes collected locally and sent in one request
/// by [`Batch::commit`], after the Python client's optimisation:
///
/// 1. an entity both created and deleted in the batch is left out;
/// 2. of repeated updates of one attribute only the last value is sent;
/// 3. updates left empty are dropped;
/// 4. an update directly after a create or update of the same entity is
///    merged into it (so create + set + set is one create). Updates
///    separated by other entities' operations stay apart, so the order of
///    dependent operations is kept.
///
/// ```no_run
/// # async fn run(session: ftrack_client::Session) -> Result<(), ftrack_client::Error> {
/// use serde_json::json;
///
/// let mut batch = session.batch();
/// let mut data = ftrack_client::EntityData::new();
/// data.insert("name".into(), json!("sh010"));
/// let shot = batch.create("Shot", data);
/// batch.set("Shot", shot.clone(), "description", json!("opening"));
/// batch.commit().await?; // one request, one create holding both values
/// # Ok(()) }
/// ```
#[derive(Debug)]
pub struct Batch {
    session: Session,
    changes: Vec<Change>,
}

/// One recorded change.
#[derive(Debug, Clone, PartialEq)]
enum Change {
    Create {
        entity_type: String,
        primary_key: Vec<String>,
        data: EntityData,
    },
    Update {
        entity_type: String,
        key: EntityKey,
        data: EntityData,
    },
    Delete {
        entity_type: String,
        key: EntityKey,
    },
}

impl Change {
    fn entity_type(&self) -> &str {
        match self {
            Change::Create { entity_type, .. }
            | Change::Update { entity_type, .. }
            | Change::Delete { entity_type, .. } => entity_type,
        }
    }

    /// The entity's key; a create without a complete key has none and is
    /// never merged with anything.
    fn key(&self) -> Option<EntityKey> {
        match self {
            Change::Create {
                primary_key, data, ..
            } => primary_key
                .iter()
                .map(|name| data.get(name).and_then(key_string))
                .collect::<Option<Vec<_>>>()
                .filter(|values| !values.is_empty())
                .map(EntityKey),
            Change::Update { key, .. } | Change::Delete { key, .. } => Some(key.clone()),
        }
    }

    fn identity(&self) -> Option<(String, EntityKey)> {
        self.key().map(|key| (self.entity_type().to_owned(), key))
    }
}

impl Batch {
    pub(crate) fn new(session: Session) -> Batch {
        Batch {
            session,
            changes: Vec::new(),
        }
    }

    /// Records a create and returns the new entity's key. A single-attribute
    /// primary key missing from `data` is filled with a UUID v4 now, so later
    /// updates in the batch can name the entity (see
    /// [`Operation::create_with_primary_key`]).
    pub fn create(&mut self, entity_type: &str, mut data: EntityData) -> EntityKey {
        let primary_key = self.session.primary_key_of(entity_type);
        if let [single] = primary_key.as_slice() {
            if data.get(single).is_none_or(Json::is_null) {
                data.insert(
                    single.clone(),
                    Json::String(uuid::Uuid::new_v4().to_string()),
                );
            }
        }
        let key = primary_key
            .iter()
            .map(|name| data.get(name).and_then(key_string).unwrap_or_default())
            .collect();
        self.changes.push(Change::Create {
            entity_type: entity_type.to_owned(),
            primary_key,
            data,
        });
        EntityKey(key)
    }

    /// Records an update of several attributes.
    pub fn update(&mut self, entity_type: &str, key: impl Into<EntityKey>, data: EntityData) {
        self.changes.push(Change::Update {
            entity_type: entity_type.to_owned(),
            key: key.into(),
            data,
        });
    }

    /// Records an update of one attribute.
    pub fn set(
        &mut self,
        entity_type: &str,
        key: impl Into<EntityKey>,
        attribute: &str,
        value: Json,
    ) {
        let mut data = EntityData::new();
        data.insert(attribute.to_owned(), value);
        self.update(entity_type, key, data);
    }

    /// Records a delete.
    pub fn delete(&mut self, entity_type: &str, key: impl Into<EntityKey>) {
        self.changes.push(Change::Delete {
            entity_type: entity_type.to_owned(),
            key: key.into(),
        });
    }

    /// How many changes were recorded (before merging).
    pub fn len(&self) -> usize {
        self.changes.len()
    }

    /// Whether nothing was recorded.
    pub fn is_empty(&self) -> bool {
        self.changes.is_empty()
    }

    /// The operations [`Batch::commit`] would send, merged.
    pub fn operations(&self) -> Vec<Operation> {
        optimise(self.changes.clone())
            .into_iter()
            .map(|change| match change {
                Change::Create {
                    entity_type,
                    primary_key,
                    data,
                } => Operation::create_with_primary_key(entity_type, &primary_key, data),
                Change::Update {
                    entity_type,
                    key,
                    data,
                } => Operation::update(entity_type, key, data),
                Change::Delete { entity_type, key } => Operation::delete(entity_type, key),
            })
            .collect()
    }

    /// Sends every change in one request; returns the results of the
    /// operations sent, in order. Sends nothing when the merged batch is
    /// empty.
    ///
    /// # Errors
    ///
    /// As [`Session::call`]. The server applies a batch whole or not at
    /// all, so after an error nothing changed, unless
    /// [`Error::is_possibly_applied`] says an earlier attempt's answer was
    /// lost.
    pub async fn commit(self) -> Result<Vec<Outcome>, Error> {
        let operations = self.operations();
        self.session.call(operations).await
    }
}

/// The Python client's commit optimisation (PROTOCOL.md section 10).
fn optimise(changes: Vec<Change>) -> Vec<Change> {
    // 1. Entities created and deleted in this batch are left out entirely.
    let created: HashSet<(String, EntityKey)> = changes
        .iter()
        .filter(|change| matches!(change, Change::Create { .. }))
        .filter_map(Change::identity)
        .collect();
    let gone: HashSet<(String, EntityKey)> = changes
        .iter()
        .filter(|change| matches!(change, Change::Delete { .. }))
        .filter_map(Change::identity)
        .filter(|identity| created.contains(identity))
        .collect();
    let mut changes: Vec<Change> = changes
        .into_iter()
        .filter(|change| {
            change
                .identity()
                .is_none_or(|identity| !gone.contains(&identity))
        })
        .collect();

    // 2. Walking backwards, keep only the last value of each attribute.
    let mut seen: HashMap<(String, EntityKey), HashSet<String>> = HashMap::new();
    for change in changes.iter_mut().rev() {
        if let Change::Update {
            entity_type,
            key,
            data,
        } = change
        {
            let names = seen.entry((entity_type.clone(), key.clone())).or_default();
            data.retain(|name, _| names.insert(name.clone()));
        }
    }

    // 3. Drop updates left without attributes.
    changes.retain(|change| !matches!(change, Change::Update { data, .. } if data.is_empty()));

    // 4. Merge an update into the change just before it, when that is a
    //    create or update of the same entity.
    let mut merged: Vec<Change> = Vec::with_capacity(changes.len());
    for change in changes {
        if let (Change::Update { data, .. }, Some(previous)) = (&change, merged.last_mut()) {
            if previous.identity().is_some() && previous.identity() == change.identity() {
                match previous {
                    Change::Create { data: into, .. } | Change::Update { data: into, .. } => {
                        into.extend(data.clone());
                        continue;
                    }
                    Change::Delete { .. } => {}
                }
            }
        }
        merged.push(change);
    }
    merged
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn session() -> Session {
        Session::builder()
            .server_url("https://x.test")
            .api_key("jane", "key")
            .primary_key("Metadata", ["parent_id", "key"])
            .build()
            .unwrap()
    }

    fn data(pairs: &[(&str, Json)]) -> EntityData {
        pairs
            .iter()
            .map(|(k, v)| ((*k).to_owned(), v.clone()))
            .collect()
    }

    #[test]
    fn updates_after_a_create_merge_into_it_with_the_last_value() {
        let mut batch = session().batch();
        let key = batch.create("Shot", data(&[("name", json!("sh010"))]));
        batch.set("Shot", key.clone(), "description", json!("first"));
        batch.set("Shot", key.clone(), "description", json!("last"));

        let operations = batch.operations();

        assert_eq!(operations.len(), 1);
        let sent = operations[0].to_json();
        assert_eq!(sent["action"], "create");
        assert_eq!(sent["entity_data"]["description"], "last");
        assert_eq!(sent["entity_data"]["name"], "sh010");
        assert_eq!(sent["entity_key"], json!(key.0));
    }

    #[test]
    fn updates_separated_by_another_entity_stay_apart() {
        let mut batch = session().batch();
        batch.set("Task", "a", "name", json!("one"));
        batch.set("Task", "b", "name", json!("other"));
        batch.set("Task", "a", "status_id", json!("s1"));

        let actions: Vec<Json> = batch.operations().iter().map(Operation::to_json).collect();

        assert_eq!(actions.len(), 3);
        assert_eq!(
            actions[2]["entity_data"],
            json!({"status_id": "s1", "__entity_type__": "Task"})
        );
    }

    #[test]
    fn an_earlier_value_of_an_attribute_set_again_later_is_dropped() {
        let mut batch = session().batch();
        batch.set("Task", "a", "name", json!("one"));
        batch.set("Task", "b", "name", json!("other"));
        batch.set("Task", "a", "name", json!("two"));

        let operations = batch.operations();

        // The first update lost its only attribute, so it is gone.
        assert_eq!(operations.len(), 2);
        assert_eq!(operations[1].to_json()["entity_data"]["name"], "two");
    }

    #[test]
    fn an_entity_created_and_deleted_is_never_sent() {
        let mut batch = session().batch();
        let key = batch.create("Note", data(&[("content", json!("x"))]));
        batch.set("Note", key.clone(), "content", json!("y"));
        batch.delete("Note", key);
        batch.delete("Note", "other");

        let operations = batch.operations();

        assert_eq!(operations.len(), 1);
        assert_eq!(operations[0].to_json()["entity_key"], json!(["other"]));
    }

    #[test]
    fn composite_keys_are_the_callers() {
        let mut batch = session().batch();

        let key = batch.create(
            "Metadata",
            data(&[
                ("parent_id", json!("p1")),
                ("key", json!("fps")),
                ("value", json!("24")),
            ]),
        );
        batch.set("Metadata", key.clone(), "value", json!("25"));

        assert_eq!(key, EntityKey::from(["p1", "fps"]));
        let operations = batch.operations();
        assert_eq!(operations.len(), 1);
        assert_eq!(operations[0].to_json()["entity_data"]["value"], "25");
    }
}
