//! Running a batch of operations against the store as one unit.

use std::borrow::Cow;
use std::collections::{HashSet, VecDeque};
use std::path::PathBuf;

use ftrack_query::{Path, Projection};
use ftrack_schema::AttributeKind;
use parking_lot::RwLock;
use serde_json::{json, Map, Value};

use crate::answer::{Projections, Writer};
use crate::error::ServerError;
use crate::model::Model;
use crate::persist;
use crate::read::{Node, Reader};
use crate::store::{Entity, Key, Store, Transaction};
use crate::value;

/// The collections whose items go when their owner is deleted. Deleting a
/// context deletes its children and so all its descendants; metadata,
/// custom attribute values and notes go with their entity. The docs say a
/// task's notes are deleted with it; the rest is a guess at what the real
/// server's foreign keys cascade.
const CASCADE: [&str; 4] = ["children", "metadata", "custom_attributes", "notes"];

/// The most operations one request may hold.
pub(crate) const MAX_OPERATIONS: usize = 10_000;

/// How one batch is answered.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct BatchOptions {
    /// Write every occurrence of an entity in full (`ftrack-api-options:
    /// denormalize`).
    pub(crate) denormalize: bool,
}

/// The store, the schema and what the server says about itself.
pub(crate) struct Engine {
    pub(crate) model: Model,
    /// The store, behind a task-fair lock: queries share it, batches that
    /// write take it alone, and neither starves the other.
    pub(crate) store: RwLock<Store>,
    /// The answer of `query_server_information` without `values`.
    pub(crate) information: Value,
    /// The id of the `User` entity of the API user.
    pub(crate) api_user_id: String,
    pub(crate) data_file: Option<PathBuf>,
}

/// What a create or update answers, worked out when the batch ends.
enum Pending {
    Ready(Value),
    Created {
        entity_type: String,
        key: Key,
        snapshot: Entity,
    },
    Updated {
        entity_type: String,
        key: Key,
        snapshot: Entity,
        changed: Vec<String>,
    },
}

/// A collection assignment that needs the owner stored first.
struct Deferred {
    attribute: String,
    item_type: String,
    reverse_key: String,
    items: Vec<Key>,
}

impl Engine {
    /// Runs `operations` in order as one unit and answers their results.
    ///
    /// # Errors
    ///
    /// The first operation that fails, named by its index and action, or a
    /// rule broken when the batch ends (a required attribute still unset, a
    /// foreign key to nothing). Nothing the batch did is kept.
    pub(crate) fn run(
        &self,
        operations: &[Value],
        options: BatchOptions,
    ) -> Result<Vec<Value>, ServerError> {
        let writes = operations.iter().any(|op| {
            matches!(
                op.get("action").and_then(Value::as_str),
                Some("create" | "update" | "delete")
            )
        });
        if !writes {
            let store = self.store.read();
            let mut results = Vec::with_capacity(operations.len());
            for (index, operation) in operations.iter().enumerate() {
                let result = self
                    .read_operation(&store, operation, options)
                    .map_err(|e| e.in_operation(&describe(index, operation)))?;
                results.push(result);
            }
            return Ok(results);
        }

        let mut store = self.store.write();
        let mut tx = Transaction::new(&mut store);
        match self.write_batch(&mut tx, operations, options) {
            Ok(results) => {
                if tx.changed() {
                    if let Some(path) = &self.data_file {
                        if let Err(error) = persist::save(path, tx.store) {
                            tx.rollback();
                            return Err(ServerError::new(
                                "ServerError",
                                format!(
                                    "the batch was not kept: cannot write the data file: {error}"
                                ),
                            ));
                        }
                    }
                }
                tx.commit();
                Ok(results)
            }
            Err(error) => {
                tx.rollback();
                Err(error)
            }
        }
    }

    fn write_batch(
        &self,
        tx: &mut Transaction<'_>,
        operations: &[Value],
        options: BatchOptions,
    ) -> Result<Vec<Value>, ServerError> {
        let mut pending = Vec::with_capacity(operations.len());
        for (index, operation) in operations.iter().enumerate() {
            let result = self
                .write_operation(tx, operation, options)
                .map_err(|e| e.in_operation(&describe(index, operation)))?;
            pending.push(result);
        }
        self.finish(tx)
            .map_err(|e| e.in_operation("when the batch ended"))?;

        let reader = Reader::new(&self.model, tx.store);
        Ok(pending
            .into_iter()
            .map(|p| self.answer_write(&reader, p, options))
            .collect())
    }

    fn read_operation(
        &self,
        store: &Store,
        operation: &Value,
        options: BatchOptions,
    ) -> Result<Value, ServerError> {
        let action = action(operation)?;
        match action {
            "query" => self.query(store, operation, options),
            "query_schemas" => Ok(self.model.exported.clone()),
            "query_server_information" => Ok(self.server_information(operation)),
            other => Err(invalid_action(other)),
        }
    }

    fn write_operation(
        &self,
        tx: &mut Transaction<'_>,
        operation: &Value,
        options: BatchOptions,
    ) -> Result<Pending, ServerError> {
        match action(operation)? {
            "create" => self.create(tx, operation),
            "update" => self.update(tx, operation),
            "delete" => self.delete(tx, operation),
            _ => self
                .read_operation(tx.store, operation, options)
                .map(Pending::Ready),
        }
    }

    fn server_information(&self, operation: &Value) -> Value {
        let Some(values) = operation.get("values").and_then(Value::as_array) else {
            return self.information.clone();
        };
        // Names the emulator has no value for are left out.
        let mut answer = Map::new();
        for name in values.iter().filter_map(Value::as_str) {
            if let Some(value) = self.information.get(name) {
                answer.insert(name.to_owned(), value.clone());
            }
        }
        Value::Object(answer)
    }

    fn query(
        &self,
        store: &Store,
        operation: &Value,
        options: BatchOptions,
    ) -> Result<Value, ServerError> {
        let expression = operation
            .get("expression")
            .and_then(Value::as_str)
            .ok_or_else(|| ServerError::validation("a query needs an `expression` string"))?;
        // How the real server words a query it cannot parse is unknown;
        // the emulator answers a ValidationError with the parser's message.
        let query = ftrack_query::parse(expression).map_err(|error| {
            ServerError::validation(format!("cannot parse the query {expression:?}: {error}"))
        })?;
        let reader = Reader::new(&self.model, store);
        let aggregates = query
            .projections
            .iter()
            .any(|p| matches!(p, Projection::Aggregate { .. }));
        if aggregates || !query.group_by.is_empty() {
            let rows = reader.aggregate(&query)?;
            return Ok(
                json!({"action": "query", "data": rows, "metadata": {"next": {"offset": null}}}),
            );
        }
        let rows = reader.rows(&query)?;
        let defaults: Vec<Path>;
        let paths: Vec<&Path> = if query.projections.is_empty() {
            defaults = self
                .model
                .entity_type(&query.entity_type.name)
                .map(|ty| {
                    ty.default_projections()
                        .iter()
                        .map(|p| Path::parse_dotted(p))
                        .collect()
                })
                .unwrap_or_default();
            defaults.iter().collect()
        } else {
            query.projections.iter().map(Projection::path).collect()
        };
        let tree = Projections::new(paths);
        let mut writer = Writer::new(&reader, &tree, &rows.nodes, options.denormalize);
        let data: Vec<Value> = rows.nodes.iter().map(|node| writer.root(node)).collect();
        if writer.overflowed() {
            return Err(ServerError::validation(format!(
                "the denormalized answer would hold more than {} entities; \
                 ask for fewer rows or projections, or drop `denormalize`",
                crate::answer::MAX_DENORMALIZED
            )));
        }
        Ok(json!({
            "action": "query",
            "data": data,
            "metadata": {"next": {"offset": rows.next_offset}},
        }))
    }

    fn create(&self, tx: &mut Transaction<'_>, operation: &Value) -> Result<Pending, ServerError> {
        let entity_type = self.entity_type(operation)?;
        let data = entity_data(operation)?;
        let primary_key = self.model.primary_key(&entity_type).to_vec();

        // Defaults first, then the key the client sent, then its data.
        let mut entity = Entity::new();
        for name in self.model.schema.attribute_names(&entity_type) {
            let Some(attribute) = self.model.attribute(&entity_type, name) else {
                continue;
            };
            if let (Some(default), false) = (&attribute.default, attribute.kind.is_relation()) {
                let value = if default == "{uid}" {
                    Value::String(uuid::Uuid::new_v4().to_string())
                } else {
                    value::coerce(attribute.kind, default).unwrap_or_else(|_| default.clone())
                };
                entity.insert(name.to_owned(), value);
            }
        }
        if let Some(key) = operation.get("entity_key") {
            if let Ok(key) = key_values(key, &primary_key) {
                for (name, part) in primary_key.iter().zip(key.0) {
                    if !data.contains_key(name) {
                        entity.insert(name.clone(), Value::String(part));
                    }
                }
            }
        }
        let deferred = self.assign(&entity_type, &mut entity, data, false)?;
        if is_custom_attribute_value(&entity_type) {
            self.check_custom_attribute_value(tx.store, &entity_type, &mut entity)?;
        }
        let key = Key::of(&entity, &primary_key).ok_or_else(|| {
            ServerError::validation(format!(
                "a {entity_type} needs its primary key ({})",
                primary_key.join(", ")
            ))
        })?;
        let root = self
            .model
            .schema
            .ancestry(&entity_type)
            .last()
            .map(|(name, _)| name.to_owned())
            .unwrap_or_else(|| entity_type.clone());
        if let Some(existing) = tx.store.find(&self.model, &root, &key) {
            return Err(ServerError::new(
                "DuplicateEntryError",
                format!(
                    "a {} with key ({}) already exists",
                    existing.entity_type,
                    key.display()
                ),
            ));
        }
        tx.put(&entity_type, &key, entity.clone());
        self.assign_collections(tx, &entity_type, &key, deferred)?;
        tx.created.push((entity_type.clone(), key.clone()));
        Ok(Pending::Created {
            entity_type,
            key,
            snapshot: entity,
        })
    }

    fn update(&self, tx: &mut Transaction<'_>, operation: &Value) -> Result<Pending, ServerError> {
        let entity_type = self.entity_type(operation)?;
        let data = entity_data(operation)?;
        let primary_key = self.model.primary_key(&entity_type).to_vec();
        let key = key_values(
            operation
                .get("entity_key")
                .ok_or_else(|| ServerError::validation("an update needs an `entity_key`"))?,
            &primary_key,
        )?;
        let Some(found) = tx.store.find(&self.model, &entity_type, &key) else {
            if is_custom_attribute_value(&entity_type) {
                // Custom attribute values are upserted: the Python client
                // sends an update, never a create, for a value that was
                // never set (PROTOCOL.md 11).
                let mut upsert = operation.clone();
                upsert["action"] = json!("create");
                if let Some(object) = upsert.get_mut("entity_data").and_then(Value::as_object_mut) {
                    for (name, part) in primary_key.iter().zip(&key.0) {
                        object.entry(name.clone()).or_insert_with(|| json!(part));
                    }
                }
                return self.create(tx, &upsert);
            }
            return Err(not_found(&entity_type, &key));
        };
        let concrete = found.entity_type.to_owned();
        let mut entity = found.data.clone();
        let deferred = self.assign(&concrete, &mut entity, data, true)?;
        if is_custom_attribute_value(&concrete) {
            self.check_custom_attribute_value(tx.store, &concrete, &mut entity)?;
        }
        if Key::of(&entity, &primary_key).as_ref() != Some(&key) {
            return Err(ServerError::validation(format!(
                "the primary key of {concrete} ({}) cannot change",
                key.display()
            )));
        }
        tx.put(&concrete, &key, entity.clone());
        self.assign_collections(tx, &concrete, &key, deferred)?;
        let changed = data
            .keys()
            .filter(|k| k.as_str() != "__entity_type__")
            .cloned()
            .collect();
        Ok(Pending::Updated {
            entity_type: concrete,
            key,
            snapshot: entity,
            changed,
        })
    }

    fn delete(&self, tx: &mut Transaction<'_>, operation: &Value) -> Result<Pending, ServerError> {
        let entity_type = self.entity_type(operation)?;
        let primary_key = self.model.primary_key(&entity_type).to_vec();
        let key = key_values(
            operation
                .get("entity_key")
                .ok_or_else(|| ServerError::validation("a delete needs an `entity_key`"))?,
            &primary_key,
        )?;
        let doomed = {
            let reader = Reader::new(&self.model, tx.store);
            let Some(node) = reader.find(&entity_type, &key) else {
                return Err(not_found(&entity_type, &key));
            };
            self.doomed(&reader, node)
        };
        for (doomed_type, doomed_key) in doomed {
            tx.remove(&doomed_type, &doomed_key);
        }
        Ok(Pending::Ready(json!({"action": "delete", "data": true})))
    }

    /// The entity and everything deleted with it (see [`CASCADE`]).
    fn doomed<'a>(&self, reader: &Reader<'a>, node: Node<'a>) -> Vec<(String, Key)> {
        let mut doomed = Vec::new();
        let mut seen = HashSet::new();
        let mut queue = VecDeque::from([node]);
        while let Some(current) = queue.pop_front() {
            if !seen.insert(current.identity()) {
                continue;
            }
            for name in CASCADE {
                let cascades = self
                    .model
                    .attribute(&current.ty, name)
                    .is_some_and(|a| a.kind.is_collection() && a.reverse_key.is_some());
                if !cascades {
                    continue;
                }
                for item in reader.related(&current, name) {
                    // Dense custom attribute values that only hold their
                    // default are not stored, so there is nothing to delete.
                    if reader.store.get(&item.ty, &item.key).is_some() {
                        queue.push_back(item);
                    }
                }
            }
            doomed.push(current.identity());
        }
        doomed
    }

    /// Applies the attributes of `data` to `entity`, checking each against
    /// the schema. Collections with a reverse key come back for
    /// [`Engine::assign_collections`].
    fn assign(
        &self,
        entity_type: &str,
        entity: &mut Entity,
        data: &Map<String, Value>,
        existing: bool,
    ) -> Result<Vec<Deferred>, ServerError> {
        let ty = self
            .model
            .entity_type(entity_type)
            .ok_or_else(|| unknown_entity_type(entity_type))?;
        let mut deferred = Vec::new();
        for (name, sent) in data {
            if name == "__entity_type__" {
                continue;
            }
            let Some(attribute) = self.model.attribute(entity_type, name) else {
                let suggestion = ftrack_schema::suggest::nearest(
                    name,
                    self.model.schema.attribute_names(entity_type),
                )
                .map(|s| format!("; did you mean `{s}`?"))
                .unwrap_or_default();
                return Err(ServerError::validation(format!(
                    "{entity_type} has no attribute `{name}`{suggestion}"
                )));
            };
            // Computed attributes are the server's to fill; what a client
            // sends for them is dropped, as the Python client itself does.
            if ty.computed().iter().any(|c| c == name) {
                continue;
            }
            let immutable = existing && ty.immutable().iter().any(|i| i == name);
            match attribute.kind {
                AttributeKind::Reference => {
                    let target = attribute.entity_type.as_deref().unwrap_or_default();
                    let reference = self.reference(target, sent, entity_type, name)?;
                    match &attribute.foreign_key {
                        Some(foreign_key) => {
                            let id = match &reference {
                                Some((_, key)) if key.0.len() == 1 => json!(key.0[0]),
                                Some(_) => {
                                    return Err(ServerError::validation(format!(
                                        "{entity_type}.{name} needs a single-key entity"
                                    )))
                                }
                                None => Value::Null,
                            };
                            set(entity, foreign_key, id, immutable, entity_type)?;
                        }
                        None => {
                            let stored = match reference {
                                Some((ty, key)) => self.reference_object(&ty, &key),
                                None => Value::Null,
                            };
                            set(entity, name, stored, immutable, entity_type)?;
                        }
                    }
                }
                AttributeKind::Collection | AttributeKind::MappedCollection => {
                    let target = attribute.entity_type.as_deref().unwrap_or_default();
                    let items = match sent {
                        Value::Null => Vec::new(),
                        Value::Array(items) => items
                            .iter()
                            .map(|item| {
                                self.reference(target, item, entity_type, name)?
                                    .ok_or_else(|| {
                                        ServerError::validation(format!(
                                            "{entity_type}.{name} cannot hold null"
                                        ))
                                    })
                            })
                            .collect::<Result<Vec<_>, _>>()?,
                        _ => {
                            return Err(ServerError::validation(format!(
                                "{entity_type}.{name} is a collection: send a list of entities"
                            )))
                        }
                    };
                    match &attribute.reverse_key {
                        Some(reverse_key) => deferred.push(Deferred {
                            attribute: name.clone(),
                            item_type: target.to_owned(),
                            reverse_key: reverse_key.clone(),
                            items: items.into_iter().map(|(_, key)| key).collect(),
                        }),
                        None => {
                            let list = items
                                .iter()
                                .map(|(ty, key)| self.reference_object(ty, key))
                                .collect();
                            entity.insert(name.clone(), Value::Array(list));
                        }
                    }
                }
                kind => {
                    let coerced = value::coerce(kind, sent).map_err(|mismatch| {
                        ServerError::validation(format!(
                            "{entity_type}.{name} must be {}, not {sent}",
                            mismatch.expected
                        ))
                    })?;
                    set(entity, name, coerced, immutable, entity_type)?;
                }
            }
        }
        Ok(deferred)
    }

    /// Reads what a client sent for a relationship: a reference object, or
    /// a bare id (the JS client passes whatever the caller wrote).
    fn reference(
        &self,
        target: &str,
        sent: &Value,
        entity_type: &str,
        attribute: &str,
    ) -> Result<Option<(String, Key)>, ServerError> {
        let bad = || {
            ServerError::validation(format!(
                "{entity_type}.{attribute} needs a {target} entity, not {sent}"
            ))
        };
        match sent {
            Value::Null => Ok(None),
            Value::Object(object) => {
                let ty = object
                    .get("__entity_type__")
                    .and_then(Value::as_str)
                    .unwrap_or(target);
                if self.model.entity_type(ty).is_none() {
                    return Err(unknown_entity_type(ty));
                }
                if !self.model.is_kind_of(ty, target) {
                    return Err(bad());
                }
                let key = Key::of(object, self.model.primary_key(ty)).ok_or_else(bad)?;
                Ok(Some((ty.to_owned(), key)))
            }
            Value::String(_) | Value::Number(_) => {
                let id = Key::text(sent).ok_or_else(bad)?;
                Ok(Some((target.to_owned(), Key::single(id))))
            }
            _ => Err(bad()),
        }
    }

    /// A stored reference: `__entity_type__` and the primary key.
    fn reference_object(&self, entity_type: &str, key: &Key) -> Value {
        let mut object = Map::new();
        object.insert("__entity_type__".into(), json!(entity_type));
        for (name, part) in self.model.primary_key(entity_type).iter().zip(&key.0) {
            object.insert(name.clone(), json!(part));
        }
        Value::Object(object)
    }

    /// Points the items of reverse-key collections at their owner: the
    /// whole list replaces the old one (PROTOCOL.md 4.2), and items no
    /// longer in it lose their key.
    fn assign_collections(
        &self,
        tx: &mut Transaction<'_>,
        entity_type: &str,
        key: &Key,
        deferred: Vec<Deferred>,
    ) -> Result<(), ServerError> {
        let Some(owner) = key.0.first().filter(|_| key.0.len() == 1).cloned() else {
            if deferred.is_empty() {
                return Ok(());
            }
            return Err(ServerError::validation(format!(
                "{entity_type} has a composite key, so its collections cannot be set"
            )));
        };
        for assignment in deferred {
            let (keep, drop) = {
                let reader = Reader::new(&self.model, tx.store);
                let mut keep = Vec::new();
                for item in &assignment.items {
                    let node = reader.find(&assignment.item_type, item).ok_or_else(|| {
                        ServerError::validation(format!(
                            "{entity_type}.{} refers to {} ({}), which does not exist",
                            assignment.attribute,
                            assignment.item_type,
                            item.display()
                        ))
                    })?;
                    keep.push((node.ty.to_string(), node.key.as_ref().clone()));
                }
                let drop: Vec<(String, Key)> = reader
                    .all(&assignment.item_type)
                    .filter(|n| {
                        n.data
                            .get(&assignment.reverse_key)
                            .and_then(Key::text)
                            .as_deref()
                            == Some(owner.as_str())
                    })
                    .map(|n| (n.ty.to_string(), n.key.as_ref().clone()))
                    .filter(|id| !keep.contains(id))
                    .collect();
                (keep, drop)
            };
            for (item_type, item_key) in drop {
                if let Some(mut item) = tx.store.get(&item_type, &item_key).cloned() {
                    item.insert(assignment.reverse_key.clone(), Value::Null);
                    tx.put(&item_type, &item_key, item);
                }
            }
            for (item_type, item_key) in keep {
                if let Some(mut item) = tx.store.get(&item_type, &item_key).cloned() {
                    item.insert(assignment.reverse_key.clone(), json!(owner));
                    tx.put(&item_type, &item_key, item);
                }
            }
        }
        Ok(())
    }

    /// Checks the value of a custom attribute value entity against the
    /// type of its configuration, and fills its `key`.
    fn check_custom_attribute_value(
        &self,
        store: &Store,
        entity_type: &str,
        entity: &mut Entity,
    ) -> Result<(), ServerError> {
        let reader = Reader::new(&self.model, store);
        let Some(configuration_id) = entity.get("configuration_id").and_then(Key::text) else {
            return Ok(());
        };
        let Some(configuration) = reader.find(
            "CustomAttributeConfiguration",
            &Key::single(&configuration_id),
        ) else {
            return Err(ServerError::validation(format!(
                "{entity_type}.configuration_id refers to CustomAttributeConfiguration \
                 {configuration_id}, which does not exist"
            )));
        };
        let key = configuration
            .data
            .get("key")
            .cloned()
            .unwrap_or(Value::Null);
        if self.model.attribute(entity_type, "key").is_some() {
            entity.insert("key".into(), key.clone());
        }
        let type_name = reader
            .related(&configuration, "type")
            .first()
            .and_then(|t| {
                t.data
                    .get("name")
                    .and_then(Value::as_str)
                    .map(str::to_owned)
            })
            .unwrap_or_default();
        let value = entity.get("value").cloned().unwrap_or(Value::Null);
        let fits = match (type_name.as_str(), &value) {
            (_, Value::Null) => true,
            ("number", v) => v.is_number(),
            ("boolean", v) => v.is_boolean(),
            ("text" | "url" | "expression", v) => v.is_string(),
            ("enumerator" | "dynamic enumerator", v) => v.is_array() || v.is_string(),
            ("date", v) => value::as_datetime(v).is_some(),
            _ => true,
        };
        if !fits {
            return Err(ServerError::validation(format!(
                "custom attribute `{}` holds {type_name} values, not {value}",
                key.as_str().unwrap_or_default()
            )));
        }
        if type_name == "date" {
            if let Some(parsed) = value::as_datetime(&value) {
                entity.insert("value".into(), value::datetime_value(parsed));
            }
        }
        Ok(())
    }

    /// What the batch leaves must hold: fills what the server fills for
    /// new entities, then checks required attributes and foreign keys.
    fn finish(&self, tx: &mut Transaction<'_>) -> Result<(), ServerError> {
        let created: Vec<(String, Key)> = tx.created.clone();
        for (entity_type, key) in &created {
            let fills = {
                let reader = Reader::new(&self.model, tx.store);
                match reader.find(entity_type, key) {
                    Some(node) => self.fills(&reader, &node),
                    None => continue,
                }
            };
            if !fills.is_empty() {
                if let Some(mut entity) = tx.store.get(entity_type, key).cloned() {
                    entity.extend(fills);
                    tx.put(entity_type, key, entity);
                }
            }
        }

        let reader = Reader::new(&self.model, tx.store);
        for (entity_type, key) in &tx.touched {
            let Some(node) = reader.find(entity_type, key) else {
                continue;
            };
            self.check_required(&reader, &node)?;
            self.check_references(&reader, &node)?;
        }
        for (entity_type, key) in &tx.deleted {
            self.check_incoming(&reader, entity_type, key)?;
        }
        Ok(())
    }

    /// What the real server fills when a client leaves it out. Recorded:
    /// `context_type` `task` for typed contexts, `object_type_id` and the
    /// default `priority_id` (schema defaults), the `User` flags of
    /// `create_user.json`. Inferred: `context_type` `show` for projects, a
    /// project's `status` `active`, `project_id` from the parent chain, a
    /// status from the project schema's workflow, `bid` and `sort` zero,
    /// `created_at` now and `created_by_id` the API user, `is_active` true
    /// for a new `Status`.
    fn fills<'a>(&self, reader: &Reader<'a>, node: &Node<'a>) -> Map<String, Value> {
        let mut fills = Map::new();
        let missing = |name: &str| {
            self.model.attribute(&node.ty, name).is_some()
                && node.data.get(name).is_none_or(Value::is_null)
        };
        let fill = |fills: &mut Map<String, Value>, name: &str, value: Value| {
            if missing(name) && !value.is_null() {
                fills.insert(name.to_owned(), value);
            }
        };
        if self.model.is_typed_context(&node.ty) {
            fill(&mut fills, "context_type", json!("task"));
            fill(
                &mut fills,
                "object_type_id",
                json!(self.model.object_type_of(&node.ty)),
            );
            fill(&mut fills, "bid", json!(0));
            fill(&mut fills, "sort", json!(0));
            let project = self.project_of(reader, node);
            if let Some(project) = &project {
                fill(&mut fills, "project_id", json!(project.single_key()));
            }
            if missing("status_id") {
                let object_type = node
                    .data
                    .get("object_type_id")
                    .and_then(Key::text)
                    .or_else(|| self.model.object_type_of(&node.ty).map(str::to_owned));
                let status = self.default_status(reader, project.as_ref(), object_type.as_deref());
                fill(&mut fills, "status_id", json!(status));
            }
            if missing("priority_id") {
                fill(
                    &mut fills,
                    "priority_id",
                    json!(self.default_priority(reader)),
                );
            }
        }
        if node.ty == "Project" {
            fill(&mut fills, "context_type", json!("show"));
            fill(&mut fills, "status", json!("active"));
        }
        if node.ty == "User" {
            for flag in [
                "is_active",
                "is_otp_enabled",
                "is_totp_enabled",
                "require_details_update",
            ] {
                fill(&mut fills, flag, json!(false));
            }
            if reader
                .find("UserType", &Key::single(crate::seed::USER_TYPE_ID))
                .is_some()
            {
                fill(&mut fills, "user_type_id", json!(crate::seed::USER_TYPE_ID));
            }
        }
        if node.ty == "Status" {
            fill(&mut fills, "is_active", json!(true));
        }
        fill(&mut fills, "created_at", value::now());
        fill(&mut fills, "created_by_id", json!(self.api_user_id));
        fills
    }

    /// The project above a context: the first `Project` up its parent chain.
    fn project_of<'a>(&self, reader: &Reader<'a>, node: &Node<'a>) -> Option<Node<'a>> {
        let mut current = reader.parent(node);
        let mut steps = 0;
        while let Some(context) = current {
            if context.ty == "Project" {
                return Some(context);
            }
            steps += 1;
            if steps > 1_000 {
                return None;
            }
            current = reader.parent(&context);
        }
        None
    }

    /// The status a new typed context starts in: from the project schema,
    /// the `Schema` of its object type (shots, asset builds...) or else the
    /// task workflow; the first status of those whose state is
    /// `NOT_STARTED`, or the first. Which workflow the real server takes
    /// for which object type is inferred from the recorded project schemas.
    fn default_status<'a>(
        &self,
        reader: &Reader<'a>,
        project: Option<&Node<'a>>,
        object_type: Option<&str>,
    ) -> Option<String> {
        let mut candidates: Vec<Node<'_>> = Vec::new();
        let project_schema =
            project.and_then(|p| reader.related(p, "project_schema").into_iter().next());
        if let Some(project_schema) = &project_schema {
            if object_type != Some(crate::seed::TASK_OBJECT_TYPE_ID) {
                let schemas = reader.related(project_schema, "object_type_schemas");
                if let Some(schema) = schemas.iter().find(|s| {
                    s.data.get("object_type_id").and_then(Key::text).as_deref() == object_type
                }) {
                    let mut statuses = reader.related(schema, "statuses");
                    statuses
                        .sort_by_key(|s| s.data.get("sort").and_then(Value::as_i64).unwrap_or(0));
                    candidates = statuses
                        .iter()
                        .flat_map(|s| reader.related(s, "task_status"))
                        .collect();
                }
            }
            if candidates.is_empty() {
                if let Some(workflow) = reader
                    .related(project_schema, "task_workflow_schema")
                    .into_iter()
                    .next()
                {
                    candidates = reader.related(&workflow, "statuses");
                }
            }
        }
        if candidates.is_empty() {
            candidates = reader.all("Status").collect();
        }
        let not_started = candidates.iter().find(|status| {
            reader
                .related(status, "state")
                .first()
                .and_then(|state| state.data.get("short"))
                .and_then(Value::as_str)
                == Some("NOT_STARTED")
        });
        not_started
            .or(candidates.first())
            .and_then(|s| s.single_key().map(str::to_owned))
    }

    /// The priority new typed contexts get: the schema's default when it
    /// names one that exists, else the one called `None`, else the last by
    /// sort order.
    fn default_priority(&self, reader: &Reader<'_>) -> Option<String> {
        let mut priorities: Vec<Node<'_>> = reader.all("Priority").collect();
        priorities.sort_by_key(|p| p.data.get("sort").and_then(Value::as_i64).unwrap_or(0));
        priorities
            .iter()
            .find(|p| p.data.get("name").and_then(Value::as_str) == Some("None"))
            .or(priorities.last())
            .and_then(|p| p.single_key().map(str::to_owned))
    }

    fn check_required<'a>(&self, reader: &Reader<'a>, node: &Node<'a>) -> Result<(), ServerError> {
        let Some(ty) = self.model.entity_type(&node.ty) else {
            return Ok(());
        };
        for name in ty.required() {
            let Some(attribute) = self.model.attribute(&node.ty, name) else {
                continue;
            };
            let set = match attribute.kind {
                AttributeKind::Reference => !reader.related(node, name).is_empty(),
                kind if kind.is_collection() => true,
                _ => node.data.get(name).is_some_and(|v| !v.is_null()),
            };
            if set || self.may_lack(reader, node, name) {
                continue;
            }
            return Err(ServerError::validation(format!(
                "{} ({}) needs `{name}`: it is required",
                node.ty,
                node.key.display()
            )));
        }
        Ok(())
    }

    /// Required attributes a real entity goes without: shots, sequences and
    /// folders have no `type` (their object type is not typeable), though
    /// the schema lists `type_id` as required for every typed context.
    fn may_lack<'a>(&self, reader: &Reader<'a>, node: &Node<'a>, name: &str) -> bool {
        if name != "type_id" || !self.model.is_typed_context(&node.ty) {
            return false;
        }
        let object_type = reader.related(node, "object_type");
        match object_type.first() {
            Some(object_type) => object_type.data.get("is_typeable") == Some(&Value::Bool(false)),
            None => false,
        }
    }

    /// Every foreign key and stored reference of `node` points at an entity
    /// that exists.
    fn check_references<'a>(
        &self,
        reader: &Reader<'a>,
        node: &Node<'a>,
    ) -> Result<(), ServerError> {
        for (attribute, target) in self.model.foreign_keys(&node.ty) {
            let Some(id) = node.data.get(attribute).and_then(Key::text) else {
                continue;
            };
            if self.model.primary_key(target).len() != 1 {
                continue;
            }
            if reader.find(target, &Key::single(&id)).is_none() {
                return Err(ServerError::validation(format!(
                    "{}.{attribute} refers to {target} {id}, which does not exist",
                    node.ty
                )));
            }
        }
        for (name, stored) in node.data.iter() {
            let references: Vec<&Value> = match stored {
                Value::Object(object) if object.contains_key("__entity_type__") => vec![stored],
                Value::Array(items) => items
                    .iter()
                    .filter(|i| i.get("__entity_type__").is_some())
                    .collect(),
                _ => continue,
            };
            let is_relation = self
                .model
                .attribute(&node.ty, name)
                .is_some_and(|a| a.kind.is_relation());
            if !is_relation {
                continue;
            }
            for reference in references {
                if reader.deref(reference).is_none() {
                    return Err(ServerError::validation(format!(
                        "{}.{name} refers to {reference}, which does not exist",
                        node.ty
                    )));
                }
            }
        }
        Ok(())
    }

    /// Nothing left in the store points at a deleted entity. (Stored
    /// references without a foreign key are not checked.)
    fn check_incoming(
        &self,
        reader: &Reader<'_>,
        entity_type: &str,
        key: &Key,
    ) -> Result<(), ServerError> {
        let [id] = key.0.as_slice() else {
            return Ok(());
        };
        for table in reader.store.entity_types() {
            let pointing: Vec<&str> = self
                .model
                .foreign_keys(table)
                .filter(|(_, target)| self.model.is_kind_of(entity_type, target))
                .map(|(attribute, _)| attribute)
                .collect();
            if pointing.is_empty() {
                continue;
            }
            for found in reader.store.table(table) {
                for attribute in &pointing {
                    if found.data.get(*attribute).and_then(Key::text).as_deref() == Some(id) {
                        return Err(ServerError::new(
                            "IntegrityError",
                            format!(
                                "cannot delete {entity_type} {id}: {table} ({}) still refers to \
                                 it through `{attribute}`",
                                found.key.display()
                            ),
                        ));
                    }
                }
            }
        }
        Ok(())
    }

    fn answer_write(&self, reader: &Reader<'_>, pending: Pending, options: BatchOptions) -> Value {
        match pending {
            Pending::Ready(value) => value,
            Pending::Created {
                entity_type,
                key,
                snapshot,
            } => {
                let node = self.current(reader, &entity_type, &key, &snapshot);
                // All set scalars, as `create_user.json` shows.
                let names: Vec<String> = node
                    .data
                    .iter()
                    .filter(|(name, value)| {
                        !value.is_null()
                            && self
                                .model
                                .attribute(&node.ty, name)
                                .is_some_and(|a| !a.kind.is_relation())
                    })
                    .map(|(name, _)| name.clone())
                    .collect();
                let data = self.write_entity(reader, &node, &names, options);
                json!({"action": "create", "data": data})
            }
            Pending::Updated {
                entity_type,
                key,
                snapshot,
                changed,
            } => {
                let node = self.current(reader, &entity_type, &key, &snapshot);
                let data = self.write_entity(reader, &node, &changed, options);
                json!({"action": "update", "data": data})
            }
        }
    }

    fn current<'a>(
        &self,
        reader: &Reader<'a>,
        entity_type: &str,
        key: &Key,
        snapshot: &Entity,
    ) -> Node<'a> {
        reader.find(entity_type, key).unwrap_or_else(|| Node {
            // Deleted later in the same batch: answer what it was.
            ty: Cow::Owned(entity_type.to_owned()),
            key: Cow::Owned(key.clone()),
            data: Cow::Owned(snapshot.clone()),
        })
    }

    fn write_entity<'a>(
        &self,
        reader: &Reader<'a>,
        node: &Node<'a>,
        names: &[String],
        options: BatchOptions,
    ) -> Value {
        let tree = Projections::flat(names.iter().map(String::as_str));
        let roots = [node.clone()];
        let mut writer = Writer::new(reader, &tree, &roots, options.denormalize);
        writer.root(node)
    }

    fn entity_type(&self, operation: &Value) -> Result<String, ServerError> {
        let name = operation
            .get("entity_type")
            .and_then(Value::as_str)
            .ok_or_else(|| {
                ServerError::validation("the operation needs an `entity_type` string")
            })?;
        if self.model.entity_type(name).is_none() {
            return Err(unknown_entity_type(name));
        }
        Ok(name.to_owned())
    }
}

fn set(
    entity: &mut Entity,
    name: &str,
    value: Value,
    immutable: bool,
    entity_type: &str,
) -> Result<(), ServerError> {
    if immutable {
        let current = entity.get(name).cloned().unwrap_or(Value::Null);
        if !current.is_null() && current != value {
            return Err(ServerError::validation(format!(
                "{entity_type}.{name} is immutable: it cannot change once set"
            )));
        }
    }
    entity.insert(name.to_owned(), value);
    Ok(())
}

fn is_custom_attribute_value(entity_type: &str) -> bool {
    entity_type.ends_with("CustomAttributeValue")
}

fn action(operation: &Value) -> Result<&str, ServerError> {
    operation
        .get("action")
        .and_then(Value::as_str)
        .ok_or_else(|| {
            ServerError::new(
                "MalformedRequestError",
                "an operation needs an `action` string",
            )
        })
}

/// The error of an unknown action. The Python client looks for the words
/// `Invalid action u'<name>'` to raise `ServerCompatibilityError`
/// (PROTOCOL.md 3); the rest of the real wording is not known.
fn invalid_action(name: &str) -> ServerError {
    ServerError::validation(format!("Invalid action u'{name}'"))
}

fn unknown_entity_type(name: &str) -> ServerError {
    ServerError::validation(format!("unknown entity type `{name}`"))
}

fn not_found(entity_type: &str, key: &Key) -> ServerError {
    // The real server's wording for a missing entity is not recorded.
    ServerError::validation(format!(
        "no {entity_type} with key ({}) exists",
        key.display()
    ))
}

fn entity_data(operation: &Value) -> Result<&Map<String, Value>, ServerError> {
    operation
        .get("entity_data")
        .and_then(Value::as_object)
        .ok_or_else(|| ServerError::validation("the operation needs an `entity_data` object"))
}

/// The key of `entity_key`: a list in primary-key order, or a scalar for a
/// single key (the JS client sends one).
fn key_values(sent: &Value, primary_key: &[String]) -> Result<Key, ServerError> {
    let parts: Vec<String> = match sent {
        Value::Array(items) => items
            .iter()
            .map(Key::text)
            .collect::<Option<Vec<_>>>()
            .ok_or_else(|| ServerError::validation(format!("bad entity_key {sent}")))?,
        other => vec![Key::text(other)
            .ok_or_else(|| ServerError::validation(format!("bad entity_key {sent}")))?],
    };
    if parts.len() != primary_key.len() {
        return Err(ServerError::validation(format!(
            "entity_key {sent} does not match the primary key ({})",
            primary_key.join(", ")
        )));
    }
    Ok(Key(parts))
}

/// `operation 2 (create Shot)`, as error messages name a failing operation.
fn describe(index: usize, operation: &Value) -> String {
    let action = operation
        .get("action")
        .and_then(Value::as_str)
        .unwrap_or("?");
    match operation.get("entity_type").and_then(Value::as_str) {
        Some(entity_type) => format!("operation {index} ({action} {entity_type})"),
        None => format!("operation {index} ({action})"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entity_keys_are_lists_in_key_order_or_single_scalars() {
        let pk = ["configuration_id".to_owned(), "entity_id".to_owned()];
        assert_eq!(
            key_values(&json!(["c", "e"]), &pk).unwrap(),
            Key(vec!["c".into(), "e".into()])
        );
        assert!(key_values(&json!(["c"]), &pk).is_err());
        assert_eq!(key_values(&json!("x"), &pk[..1]).unwrap(), Key::single("x"));
        assert!(key_values(&json!({"id": 1}), &pk[..1]).is_err());
    }

    #[test]
    fn failing_operations_are_named_by_index_and_action() {
        let op = json!({"action": "create", "entity_type": "Shot"});
        assert_eq!(describe(3, &op), "operation 3 (create Shot)");
        assert_eq!(describe(0, &json!({})), "operation 0 (?)");
    }
}
