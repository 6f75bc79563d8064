//! Operations: one `query`, `create`, `update`, `delete` ... of a batch.

use std::collections::HashMap;
use std::fmt;

use serde_json::{Map, Value as Json};
use time::{Date, OffsetDateTime};

/// The data of a create or update: attribute name to wire value.
///
/// Build date-times with [`datetime`] and [`date`], references with
/// [`reference()`] or [`crate::Entity::reference`].
pub type EntityData = Map<String, Json>;

/// The kind of an operation, as the server names it.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Action {
    /// `query`: entities matching an expression.
    Query,
    /// `create`: a new entity.
    Create,
    /// `update`: change attributes of an entity.
    Update,
    /// `delete`: remove an entity.
    Delete,
    /// `query_schemas`: the server's entity schemas.
    QuerySchemas,
    /// `query_server_information`: version, schema hash, time zone support.
    QueryServerInformation,
    /// Any other action, e.g. `get_widget_url`.
    Other(String),
}

impl Action {
    /// The wire name, e.g. `query_schemas`.
    pub fn as_str(&self) -> &str {
        match self {
            Action::Query => "query",
            Action::Create => "create",
            Action::Update => "update",
            Action::Delete => "delete",
            Action::QuerySchemas => "query_schemas",
            Action::QueryServerInformation => "query_server_information",
            Action::Other(name) => name,
        }
    }

    /// The action of a wire name.
    pub fn from_name(name: &str) -> Action {
        match name {
            "query" => Action::Query,
            "create" => Action::Create,
            "update" => Action::Update,
            "delete" => Action::Delete,
            "query_schemas" => Action::QuerySchemas,
            "query_server_information" => Action::QueryServerInformation,
            other => Action::Other(other.to_owned()),
        }
    }
}

impl fmt::Display for Action {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The primary-key values of one entity, in the order of its entity type's
/// primary key (`entity_key` on the wire).
///
/// Values are strings, as the Python client sends them.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct EntityKey(pub Vec<String>);

impl EntityKey {
    /// The key values.
    pub fn values(&self) -> &[String] {
        &self.0
    }
}

impl fmt::Display for EntityKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0.join(", "))
    }
}

impl From<&str> for EntityKey {
    fn from(value: &str) -> EntityKey {
        EntityKey(vec![value.to_owned()])
    }
}

impl From<String> for EntityKey {
    fn from(value: String) -> EntityKey {
        EntityKey(vec![value])
    }
}

impl From<&String> for EntityKey {
    fn from(value: &String) -> EntityKey {
        EntityKey(vec![value.clone()])
    }
}

impl From<Vec<String>> for EntityKey {
    fn from(values: Vec<String>) -> EntityKey {
        EntityKey(values)
    }
}

impl<const N: usize> From<[&str; N]> for EntityKey {
    fn from(values: [&str; N]) -> EntityKey {
        EntityKey(values.iter().map(|v| (*v).to_owned()).collect())
    }
}

/// The primary-key attribute names of entity types.
///
/// The runtime knows no schema, so it follows one rule: **an entity type's
/// primary key is `id` unless it was registered here.** Register composite
/// keys (`Metadata`: `parent_id`, `key`) by hand, or all of a server's keys
/// with [`PrimaryKeys::from_query_schemas`] (what
/// [`crate::Session::load_primary_keys`] does). The keys decide which
/// entities of an answer are the same (identity-map merging) and which
/// attributes a create fills with a client-side UUID.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PrimaryKeys {
    by_entity_type: HashMap<String, Vec<String>>,
}

/// The primary key of an entity type that is not registered.
pub const DEFAULT_PRIMARY_KEY: &str = "id";

impl PrimaryKeys {
    /// No registered keys: every entity type's key is `id`.
    pub fn new() -> PrimaryKeys {
        PrimaryKeys::default()
    }

    /// Registers the primary key of one entity type.
    pub fn insert<I, S>(&mut self, entity_type: impl Into<String>, attributes: I)
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        let attributes = attributes.into_iter().map(Into::into).collect();
        self.by_entity_type.insert(entity_type.into(), attributes);
    }

    /// The primary-key attribute names of an entity type.
    pub fn get(&self, entity_type: &str) -> &[String] {
        static DEFAULT: std::sync::LazyLock<Vec<String>> =
            std::sync::LazyLock::new(|| vec![DEFAULT_PRIMARY_KEY.to_owned()]);
        self.by_entity_type
            .get(entity_type)
            .map(Vec::as_slice)
            .unwrap_or(DEFAULT.as_slice())
    }

    /// The keys of every schema in a `query_schemas` answer (its `id` and
    /// `primary_key`); schemas without them are skipped.
    pub fn from_query_schemas(schemas: &Json) -> PrimaryKeys {
        let mut keys = PrimaryKeys::new();
        for schema in schemas.as_array().into_iter().flatten() {
            let id = schema.get("id").and_then(Json::as_str);
            let key = schema.get("primary_key").and_then(Json::as_array);
            if let (Some(id), Some(key)) = (id, key) {
                let names: Vec<String> = key
                    .iter()
                    .filter_map(Json::as_str)
                    .map(str::to_owned)
                    .collect();
                if !names.is_empty() && names.len() == key.len() {
                    keys.insert(id, names);
                }
            }
        }
        keys
    }

    /// How many entity types are registered.
    pub fn len(&self) -> usize {
        self.by_entity_type.len()
    }

    /// Whether no entity type is registered.
    pub fn is_empty(&self) -> bool {
        self.by_entity_type.is_empty()
    }
}

/// One operation of a batch, ready to send.
///
/// ```
/// use ftrack_client::{EntityData, Operation};
/// use serde_json::json;
///
/// let mut data = EntityData::new();
/// data.insert("name".into(), json!("sh010"));
/// let create = Operation::create("Shot", data);
///
/// // The client chose the id, so sending this twice cannot create twice.
/// let id = create.entity_key().unwrap().values()[0].clone();
/// assert_eq!(create.to_json()["entity_data"]["id"], json!(id));
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct Operation {
    action: Action,
    fields: Map<String, Json>,
    safe_to_repeat: bool,
}

impl Operation {
    /// `query`: the entities matching a query expression, e.g.
    /// `select name from Task where status.name is "In progress"`.
    pub fn query(expression: impl Into<String>) -> Operation {
        let mut fields = Map::new();
        fields.insert("expression".into(), Json::String(expression.into()));
        Operation {
            action: Action::Query,
            fields,
            safe_to_repeat: true,
        }
    }

    /// `create` with the primary key `id`: fills `id` with a new UUID v4
    /// unless `data` has one, so a retried batch cannot create twice.
    pub fn create(entity_type: impl Into<String>, data: EntityData) -> Operation {
        Operation::create_with_primary_key(entity_type, &[DEFAULT_PRIMARY_KEY], data)
    }

    /// `create` for an entity type whose primary key is `primary_key`.
    ///
    /// A single-attribute key missing from `data` is filled with a new UUID
    /// v4, as the Python client does for keys whose schema default is
    /// `{uid}`. Composite keys (`Metadata`: `parent_id`, `key`) name other
    /// entities or carry meaning, so the caller must set them; a create that
    /// lacks one is sent as given (the server will refuse it) and is not
    /// retried, since the server might choose its key.
    pub fn create_with_primary_key<S: AsRef<str>>(
        entity_type: impl Into<String>,
        primary_key: &[S],
        mut data: EntityData,
    ) -> Operation {
        let entity_type = entity_type.into();
        if let [single] = primary_key {
            let name = single.as_ref();
            if data.get(name).is_none_or(Json::is_null) {
                let id = uuid::Uuid::new_v4().to_string();
                data.insert(name.to_owned(), Json::String(id));
            }
        }

        // The key as the server's `entity_key` list, when it is complete.
        let key: Option<Vec<String>> = primary_key
            .iter()
            .map(|name| data.get(name.as_ref()).and_then(key_string))
            .collect();
        data.insert("__entity_type__".into(), Json::String(entity_type.clone()));
        let mut fields = Map::new();
        fields.insert("entity_type".into(), Json::String(entity_type));
        let safe_to_repeat = key.is_some() && !primary_key.is_empty();
        if let Some(key) = key.filter(|_| safe_to_repeat) {
            fields.insert(
                "entity_key".into(),
                key.into_iter().map(Json::String).collect(),
            );
        }
        fields.insert("entity_data".into(), Json::Object(data));
        Operation {
            action: Action::Create,
            fields,
            safe_to_repeat,
        }
    }

    /// `update`: sets the attributes in `data` on the entity with `key`.
    pub fn update(
        entity_type: impl Into<String>,
        key: impl Into<EntityKey>,
        mut data: EntityData,
    ) -> Operation {
        let entity_type = entity_type.into();
        data.insert("__entity_type__".into(), Json::String(entity_type.clone()));
        let mut fields = keyed(entity_type, key.into());
        fields.insert("entity_data".into(), Json::Object(data));
        Operation {
            action: Action::Update,
            fields,
            safe_to_repeat: true,
        }
    }

    /// `delete`: removes the entity with `key` (the server cascades to
    /// dependent entities such as a task's notes).
    pub fn delete(entity_type: impl Into<String>, key: impl Into<EntityKey>) -> Operation {
        Operation {
            action: Action::Delete,
            fields: keyed(entity_type.into(), key.into()),
            // Repeating a delete cannot remove anything else; a repeat
            // after a lost answer fails as "not found", which the error
            // marks as possibly applied.
            safe_to_repeat: true,
        }
    }

    /// `query_schemas`: every entity type's schema.
    pub fn query_schemas() -> Operation {
        Operation {
            action: Action::QuerySchemas,
            fields: Map::new(),
            safe_to_repeat: true,
        }
    }

    /// `query_server_information`: the server's default information
    /// (version, schema hash, time zone support, storage scenario).
    pub fn query_server_information() -> Operation {
        Operation {
            action: Action::QueryServerInformation,
            fields: Map::new(),
            safe_to_repeat: true,
        }
    }

    /// `query_server_information` for the named values only (e.g.
    /// `week_startday`, `user_information`).
    pub fn query_server_information_values<I, S>(values: I) -> Operation
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        let mut operation = Operation::query_server_information();
        let values = values.into_iter().map(|v| Json::String(v.into())).collect();
        operation.fields.insert("values".into(), values);
        operation
    }

    /// Any other action with its fields (`action` itself is added). It is
    /// never retried after its answer was lost, since the client cannot
    /// know whether repeating it is harmless.
    pub fn other(action: impl Into<String>, fields: Map<String, Json>) -> Operation {
        let action = Action::from_name(&action.into());
        Operation {
            action,
            fields,
            safe_to_repeat: false,
        }
    }

    /// The action.
    pub fn action(&self) -> &Action {
        &self.action
    }

    /// The entity type of a create, update or delete.
    pub fn entity_type(&self) -> Option<&str> {
        self.fields.get("entity_type").and_then(Json::as_str)
    }

    /// The key of a create, update or delete, when it is known.
    pub fn entity_key(&self) -> Option<EntityKey> {
        let values = self.fields.get("entity_key")?.as_array()?;
        values
            .iter()
            .map(key_string)
            .collect::<Option<Vec<_>>>()
            .map(EntityKey)
    }

    /// The expression of a query.
    pub fn expression(&self) -> Option<&str> {
        self.fields.get("expression").and_then(Json::as_str)
    }

    /// Whether sending this operation twice has the effect of sending it
    /// once: reads, updates, deletes and creates whose key the client chose.
    pub fn is_safe_to_repeat(&self) -> bool {
        self.safe_to_repeat
    }

    /// The operation as the server reads it.
    pub fn to_json(&self) -> Json {
        let mut object = Map::with_capacity(self.fields.len() + 1);
        object.insert(
            "action".into(),
            Json::String(self.action.as_str().to_owned()),
        );
        for (name, value) in &self.fields {
            if name != "action" {
                object.insert(name.clone(), value.clone());
            }
        }
        Json::Object(object)
    }
}

impl serde::Serialize for Operation {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.to_json().serialize(serializer)
    }
}

fn keyed(entity_type: String, key: EntityKey) -> Map<String, Json> {
    let mut fields = Map::new();
    fields.insert("entity_type".into(), Json::String(entity_type));
    fields.insert(
        "entity_key".into(),
        key.0.into_iter().map(Json::String).collect(),
    );
    fields
}

/// A key value as the string the server's `entity_key` takes.
pub(crate) fn key_string(value: &Json) -> Option<String> {
    match value {
        Json::String(text) => Some(text.clone()),
        Json::Number(number) => Some(number.to_string()),
        Json::Bool(flag) => Some(if *flag { "True" } else { "False" }.to_owned()),
        _ => None,
    }
}

/// A date-time as the server reads it:
/// `{"__type__": "datetime", "value": "2024-05-01T12:00:00Z"}`, in UTC.
pub fn datetime(value: OffsetDateTime) -> Json {
    typed("datetime", crate::wire::format_datetime(value))
}

/// A date as the server reads it:
/// `{"__type__": "date", "value": "2024-05-01"}`.
///
/// Older servers know only `datetime`; the Python client sends dates as
/// `datetime` values of midnight, which [`datetime`] does too.
pub fn date(value: Date) -> Json {
    typed("date", crate::wire::format_date(value))
}

/// A reference to another entity, for a relationship in [`EntityData`]:
/// `{"__entity_type__": "Status", "id": "..."}` for a key of `id`.
pub fn reference<S: AsRef<str>>(entity_type: &str, primary_key: &[S], key: &EntityKey) -> Json {
    let mut object = Map::new();
    object.insert(
        "__entity_type__".into(),
        Json::String(entity_type.to_owned()),
    );
    for (name, value) in primary_key.iter().zip(&key.0) {
        object.insert(name.as_ref().to_owned(), Json::String(value.clone()));
    }
    Json::Object(object)
}

fn typed(kind: &str, value: String) -> Json {
    let mut object = Map::new();
    object.insert("__type__".into(), Json::String(kind.to_owned()));
    object.insert("value".into(), Json::String(value));
    Json::Object(object)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn create_keeps_a_callers_id_and_sends_it_as_the_key() {
        let mut data = EntityData::new();
        data.insert("id".into(), json!("abc"));

        let operation = Operation::create("Task", data);

        assert_eq!(
            operation.to_json(),
            json!({
                "action": "create",
                "entity_type": "Task",
                "entity_key": ["abc"],
                "entity_data": {"id": "abc", "__entity_type__": "Task"},
            })
        );
        assert!(operation.is_safe_to_repeat());
    }

    #[test]
    fn create_with_an_incomplete_composite_key_is_not_repeated() {
        let mut data = EntityData::new();
        data.insert("key".into(), json!("fps"));

        let operation = Operation::create_with_primary_key("Metadata", &["parent_id", "key"], data);

        assert!(!operation.is_safe_to_repeat());
        assert_eq!(operation.entity_key(), None);
        assert_eq!(operation.to_json()["entity_data"].get("parent_id"), None);
    }

    #[test]
    fn generated_ids_are_hyphenated_uuid_v4() {
        let operation = Operation::create("Task", EntityData::new());

        let id = &operation.entity_key().unwrap().0[0];
        let parsed = uuid::Uuid::parse_str(id).unwrap();
        assert_eq!(parsed.get_version_num(), 4);
        assert_eq!(id.len(), 36);
    }

    #[test]
    fn datetimes_are_sent_in_utc() {
        let value = time::macros::datetime!(2024-05-01 14:00:00.5 +02:00);

        assert_eq!(
            datetime(value),
            json!({"__type__": "datetime", "value": "2024-05-01T12:00:00.500000Z"})
        );
        assert_eq!(
            date(time::macros::date!(2024 - 05 - 01)),
            json!({"__type__": "date", "value": "2024-05-01"})
        );
    }

    #[test]
    fn primary_keys_come_from_query_schemas() {
        let schemas = json!([
            {"id": "Metadata", "primary_key": ["parent_id", "key"]},
            {"id": "Task", "primary_key": ["id"]},
            {"id": "Broken"},
        ]);

        let keys = PrimaryKeys::from_query_schemas(&schemas);

        assert_eq!(keys.get("Metadata"), ["parent_id", "key"]);
        assert_eq!(keys.get("Unknown"), ["id"]);
        assert_eq!(keys.len(), 2);
    }
}
