//! Dynamic entities: an entity type and a map of attributes, merged through
//! an identity map so that every occurrence of one entity is the same.

use std::fmt;
use std::sync::Arc;

use serde_json::{Map, Value as Json};
use time::{Date, OffsetDateTime, PrimitiveDateTime};

use crate::operation::{key_string, EntityKey};
use crate::wire::{format_date, format_local_datetime};

/// All entities of one answer, each stored once.
#[derive(Debug, Default)]
pub(crate) struct Graph {
    pub(crate) entities: Vec<EntityData>,
}

/// One entity in a [`Graph`].
#[derive(Debug)]
pub(crate) struct EntityData {
    pub(crate) entity_type: Box<str>,
    /// The primary-key attribute names used to recognise the entity; empty
    /// when it had no complete key (then it was not merged).
    pub(crate) primary_key: Arc<[String]>,
    /// In the order first seen. A list, not a map: entities have few
    /// attributes, and a scan beats hashing at that size.
    pub(crate) attributes: Fields,
}

/// A decoded value inside a [`Graph`]; entities are indices.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Node {
    Null,
    Bool(bool),
    Integer(i64),
    Float(f64),
    String(Box<str>),
    DateTime(OffsetDateTime),
    LocalDateTime(PrimitiveDateTime),
    Date(Date),
    Entity(usize),
    List(Vec<Node>),
    Object(Fields),
}

/// Named values in order.
pub(crate) type Fields = Vec<(Box<str>, Node)>;

/// The value of a name in [`Fields`].
pub(crate) fn field<'f>(fields: &'f Fields, name: &str) -> Option<&'f Node> {
    fields
        .iter()
        .find(|(key, _)| **key == *name)
        .map(|(_, node)| node)
}

/// An entity of an answer: its entity type and the attributes the answer
/// held for it.
///
/// An entity is a cheap handle (clone it freely) into the answer it came
/// from. Related entities are handles into the same answer: when the server
/// sent an entity in full once and elsewhere as a bare reference, both
/// places give the same entity with all of its attributes, and cycles (an
/// asset version whose asset lists the version again) are fine.
#[derive(Clone)]
pub struct Entity {
    graph: Arc<Graph>,
    index: usize,
}

impl Entity {
    pub(crate) fn new(graph: Arc<Graph>, index: usize) -> Entity {
        Entity { graph, index }
    }

    fn data(&self) -> &EntityData {
        &self.graph.entities[self.index]
    }

    /// The entity type, e.g. `Task` (the concrete type, also when the query
    /// asked for `TypedContext`). Empty for rows that are not entities, such
    /// as the rows of a `group by` query.
    pub fn entity_type(&self) -> &str {
        &self.data().entity_type
    }

    /// An attribute's value, `None` when the answer did not hold it.
    pub fn get(&self, attribute: &str) -> Option<Value<'_>> {
        let node = field(&self.data().attributes, attribute)?;
        Some(Value::new(&self.graph, node))
    }

    /// The value at an attribute path through related entities, e.g.
    /// `status.state.short`; `None` when a step is missing or is not an
    /// entity.
    pub fn get_path(&self, path: &str) -> Option<Value<'_>> {
        let mut data = self.data();
        let mut steps = path.split('.').peekable();
        while let Some(step) = steps.next() {
            let node = field(&data.attributes, step)?;
            if steps.peek().is_none() {
                return Some(Value::new(&self.graph, node));
            }
            match node {
                Node::Entity(index) => data = &self.graph.entities[*index],
                _ => return None,
            }
        }
        None
    }

    /// Whether the answer held this attribute.
    pub fn contains(&self, attribute: &str) -> bool {
        field(&self.data().attributes, attribute).is_some()
    }

    /// The attributes the answer held, in the order first seen.
    pub fn attributes(&self) -> impl Iterator<Item = (&str, Value<'_>)> + '_ {
        self.data()
            .attributes
            .iter()
            .map(|(name, node)| (&**name, Value::new(&self.graph, node)))
    }

    /// How many attributes the answer held.
    pub fn len(&self) -> usize {
        self.data().attributes.len()
    }

    /// Whether the answer held no attribute.
    pub fn is_empty(&self) -> bool {
        self.data().attributes.is_empty()
    }

    /// The `id` attribute as text, for the many entity types keyed by it.
    pub fn id(&self) -> Option<&str> {
        self.get("id")?.as_str()
    }

    /// The primary-key attribute names this entity was recognised by.
    pub fn primary_key(&self) -> &[String] {
        &self.data().primary_key
    }

    /// The primary-key values, when the answer held all of them.
    pub fn key(&self) -> Option<EntityKey> {
        let data = self.data();
        if data.primary_key.is_empty() {
            return None;
        }
        let values = data
            .primary_key
            .iter()
            .map(|name| field(&data.attributes, name).and_then(node_key_string))
            .collect::<Option<Vec<_>>>()?;
        Some(EntityKey(values))
    }

    /// A bare reference to this entity, for a relationship in the data of a
    /// create or update: `{"__entity_type__": "Status", "id": "..."}`.
    pub fn reference(&self) -> Json {
        let data = self.data();
        let mut object = Map::new();
        object.insert(
            "__entity_type__".into(),
            Json::String(data.entity_type.to_string()),
        );
        for name in data.primary_key.iter() {
            if let Some(node) = field(&data.attributes, name) {
                object.insert(
                    name.clone(),
                    node_to_json(&self.graph, node, &mut Vec::new()),
                );
            }
        }
        Json::Object(object)
    }

    /// Whether two handles are the same entity of the same answer.
    pub fn same_as(&self, other: &Entity) -> bool {
        Arc::ptr_eq(&self.graph, &other.graph) && self.index == other.index
    }

    /// The entity as JSON in the wire form: `__entity_type__`, attributes,
    /// typed `{"__type__": "datetime", ...}` values. Related entities are
    /// written in full, except one that is already being written further up
    /// (a cycle) or nested deeper than [`MAX_JSON_NESTING`] entities, which
    /// is written as a bare reference.
    pub fn to_json(&self) -> Json {
        entity_to_json(&self.graph, self.index, &mut Vec::new())
    }
}

impl fmt::Debug for Entity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let data = self.data();
        let mut debug = f.debug_struct(&data.entity_type);
        for (name, value) in self.attributes() {
            debug.field(name, &value);
        }
        debug.finish()
    }
}

impl serde::Serialize for Entity {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.to_json().serialize(serializer)
    }
}

/// An attribute's value, borrowed from its answer.
#[derive(Clone)]
#[non_exhaustive]
pub enum Value<'a> {
    /// `null`.
    Null,
    /// A boolean.
    Bool(bool),
    /// An integer.
    Integer(i64),
    /// A floating-point number (also integers beyond `i64`).
    Float(f64),
    /// Text.
    String(&'a str),
    /// A date-time with a known offset: the server said so, or it sent a
    /// naive value while reporting time zone support (then it is UTC).
    DateTime(OffsetDateTime),
    /// A naive date-time of a server without time zone support: server
    /// local time, whose offset the client cannot know.
    LocalDateTime(PrimitiveDateTime),
    /// A date (`{"__type__": "date"}`).
    Date(Date),
    /// Another entity (a relationship).
    Entity(Entity),
    /// A list (a collection of entities, or a list value).
    List(List<'a>),
    /// A JSON object that is not an entity (e.g. `thumbnail_url`).
    Object(Object<'a>),
}

impl<'a> Value<'a> {
    fn new(graph: &'a Arc<Graph>, node: &'a Node) -> Value<'a> {
        match node {
            Node::Null => Value::Null,
            Node::Bool(flag) => Value::Bool(*flag),
            Node::Integer(number) => Value::Integer(*number),
            Node::Float(number) => Value::Float(*number),
            Node::String(text) => Value::String(text),
            Node::DateTime(value) => Value::DateTime(*value),
            Node::LocalDateTime(value) => Value::LocalDateTime(*value),
            Node::Date(value) => Value::Date(*value),
            Node::Entity(index) => Value::Entity(Entity::new(Arc::clone(graph), *index)),
            Node::List(items) => Value::List(List { graph, items }),
            Node::Object(map) => Value::Object(Object { graph, map }),
        }
    }

    /// Whether the value is `null`.
    pub fn is_null(&self) -> bool {
        matches!(self, Value::Null)
    }

    /// The text, if the value is text.
    pub fn as_str(&self) -> Option<&'a str> {
        match self {
            Value::String(text) => Some(text),
            _ => None,
        }
    }

    /// The integer, if the value is one.
    pub fn as_i64(&self) -> Option<i64> {
        match self {
            Value::Integer(number) => Some(*number),
            _ => None,
        }
    }

    /// The number, if the value is an integer or a float.
    pub fn as_f64(&self) -> Option<f64> {
        match self {
            Value::Integer(number) => Some(*number as f64),
            Value::Float(number) => Some(*number),
            _ => None,
        }
    }

    /// The boolean, if the value is one.
    pub fn as_bool(&self) -> Option<bool> {
        match self {
            Value::Bool(flag) => Some(*flag),
            _ => None,
        }
    }

    /// The date-time, if the value is one with a known offset.
    pub fn as_datetime(&self) -> Option<OffsetDateTime> {
        match self {
            Value::DateTime(value) => Some(*value),
            _ => None,
        }
    }

    /// The date, if the value is one.
    pub fn as_date(&self) -> Option<Date> {
        match self {
            Value::Date(value) => Some(*value),
            _ => None,
        }
    }

    /// The entity, if the value is one.
    pub fn as_entity(&self) -> Option<&Entity> {
        match self {
            Value::Entity(entity) => Some(entity),
            _ => None,
        }
    }

    /// The list, if the value is one.
    pub fn as_list(&self) -> Option<List<'a>> {
        match self {
            Value::List(list) => Some(*list),
            _ => None,
        }
    }

    /// The value as JSON in the wire form (see [`Entity::to_json`]).
    pub fn to_json(&self) -> Json {
        match self {
            Value::Null => Json::Null,
            Value::Bool(flag) => Json::Bool(*flag),
            Value::Integer(number) => Json::from(*number),
            Value::Float(number) => float_json(*number),
            Value::String(text) => Json::String((*text).to_owned()),
            Value::DateTime(value) => datetime_json(value),
            Value::LocalDateTime(value) => typed_json("datetime", format_local_datetime(*value)),
            Value::Date(value) => typed_json("date", format_date(*value)),
            Value::Entity(entity) => entity.to_json(),
            Value::List(list) => list.iter().map(|value| value.to_json()).collect(),
            Value::Object(object) => Json::Object(
                object
                    .iter()
                    .map(|(name, value)| (name.to_owned(), value.to_json()))
                    .collect(),
            ),
        }
    }
}

impl fmt::Debug for Value<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Value::Null => f.write_str("null"),
            Value::Bool(flag) => write!(f, "{flag}"),
            Value::Integer(number) => write!(f, "{number}"),
            Value::Float(number) => write!(f, "{number}"),
            Value::String(text) => write!(f, "{text:?}"),
            Value::DateTime(value) => write!(f, "{value}"),
            Value::LocalDateTime(value) => write!(f, "{value} (server local time)"),
            Value::Date(value) => write!(f, "{value}"),
            // Related entities print as references: a full print could
            // loop forever on a cyclic answer.
            Value::Entity(entity) => match entity.key() {
                Some(key) => write!(f, "{}({key})", entity.entity_type()),
                None => write!(f, "{}(..)", entity.entity_type()),
            },
            Value::List(list) => f.debug_list().entries(list.iter()).finish(),
            Value::Object(object) => f.debug_map().entries(object.iter()).finish(),
        }
    }
}

/// A list value, borrowed from its answer.
#[derive(Clone, Copy)]
pub struct List<'a> {
    graph: &'a Arc<Graph>,
    items: &'a [Node],
}

impl<'a> List<'a> {
    /// How many items.
    pub fn len(&self) -> usize {
        self.items.len()
    }

    /// Whether the list is empty.
    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    /// One item.
    pub fn get(&self, index: usize) -> Option<Value<'a>> {
        self.items
            .get(index)
            .map(|node| Value::new(self.graph, node))
    }

    /// The items in order.
    pub fn iter(&self) -> impl Iterator<Item = Value<'a>> + 'a {
        let graph = self.graph;
        self.items.iter().map(move |node| Value::new(graph, node))
    }

    /// The items that are entities (a collection attribute).
    pub fn entities(&self) -> impl Iterator<Item = Entity> + 'a {
        self.iter().filter_map(|value| match value {
            Value::Entity(entity) => Some(entity),
            _ => None,
        })
    }
}

/// A JSON object that is not an entity, borrowed from its answer.
#[derive(Clone, Copy)]
pub struct Object<'a> {
    graph: &'a Arc<Graph>,
    map: &'a Fields,
}

impl<'a> Object<'a> {
    /// A member's value.
    pub fn get(&self, name: &str) -> Option<Value<'a>> {
        field(self.map, name).map(|node| Value::new(self.graph, node))
    }

    /// The members in order.
    pub fn iter(&self) -> impl Iterator<Item = (&'a str, Value<'a>)> + 'a {
        let graph = self.graph;
        self.map
            .iter()
            .map(move |(name, node)| (&**name, Value::new(graph, node)))
    }
}

fn node_key_string(node: &Node) -> Option<String> {
    match node {
        Node::String(text) => Some(text.to_string()),
        Node::Integer(number) => Some(number.to_string()),
        Node::Float(number) => key_string(&float_json(*number)),
        Node::Bool(flag) => key_string(&Json::Bool(*flag)),
        _ => None,
    }
}

/// How many entities deep [`Entity::to_json`] writes related entities in
/// full. Merging can link entities into chains longer than any nesting in
/// the answer (each one referring to the next), and writing those whole
/// would exhaust the stack.
pub const MAX_JSON_NESTING: usize = 32;

fn entity_to_json(graph: &Graph, index: usize, path: &mut Vec<usize>) -> Json {
    let data = &graph.entities[index];
    let cyclic = path.len() >= MAX_JSON_NESTING || path.contains(&index);
    let mut object = Map::with_capacity(data.attributes.len() + 1);
    if !data.entity_type.is_empty() {
        object.insert(
            "__entity_type__".into(),
            Json::String(data.entity_type.to_string()),
        );
    }
    path.push(index);
    for (name, node) in &data.attributes {
        if cyclic && !data.primary_key.iter().any(|key| **key == **name) {
            // Only the key of a cycle's or too deep an entity.
            continue;
        }
        object.insert(name.to_string(), node_to_json(graph, node, path));
    }
    path.pop();
    Json::Object(object)
}

fn node_to_json(graph: &Graph, node: &Node, path: &mut Vec<usize>) -> Json {
    match node {
        Node::Null => Json::Null,
        Node::Bool(flag) => Json::Bool(*flag),
        Node::Integer(number) => Json::from(*number),
        Node::Float(number) => float_json(*number),
        Node::String(text) => Json::String(text.to_string()),
        Node::DateTime(value) => datetime_json(value),
        Node::LocalDateTime(value) => typed_json("datetime", format_local_datetime(*value)),
        Node::Date(value) => typed_json("date", format_date(*value)),
        Node::Entity(index) => entity_to_json(graph, *index, path),
        Node::List(items) => items
            .iter()
            .map(|item| node_to_json(graph, item, path))
            .collect(),
        Node::Object(map) => Json::Object(
            map.iter()
                .map(|(name, item)| (name.to_string(), node_to_json(graph, item, path)))
                .collect(),
        ),
    }
}

fn float_json(number: f64) -> Json {
    serde_json::Number::from_f64(number).map_or(Json::Null, Json::Number)
}

fn datetime_json(value: &OffsetDateTime) -> Json {
    let offset = value.offset();
    let local = PrimitiveDateTime::new(value.date(), value.time());
    let suffix = if offset.is_utc() {
        "Z".to_owned()
    } else {
        let (hours, minutes, _) = offset.as_hms();
        let sign = if offset.is_negative() { '-' } else { '+' };
        format!(
            "{sign}{:02}:{:02}",
            hours.unsigned_abs(),
            minutes.unsigned_abs()
        )
    };
    typed_json("datetime", format_local_datetime(local) + &suffix)
}

fn typed_json(kind: &str, value: String) -> Json {
    let mut object = Map::new();
    object.insert("__type__".into(), Json::String(kind.to_owned()));
    object.insert("value".into(), Json::String(value));
    Json::Object(object)
}
