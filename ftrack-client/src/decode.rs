//! Decoding the server's answers: results in order, entities merged through
//! an identity map, typed date-times and dates.

use std::collections::HashMap;
use std::fmt;
use std::sync::Arc;

use serde::de::{DeserializeSeed, Error as _, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde::Deserialize;
use serde_json::Value as Json;

use crate::entity::{field, Entity, EntityData, Fields, Graph, Node};
use crate::error::ServerError;
use crate::operation::{Action, PrimaryKeys};
use crate::wire::{read_date, read_datetime};

/// How to decode answers. Start from [`DecodeOptions::default`] and set
/// fields.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct DecodeOptions {
    /// The primary keys that decide which occurrences are one entity.
    pub primary_keys: PrimaryKeys,
    /// Whether naive date-times are UTC. True for servers with time zone
    /// support (`is_timezone_support_enabled`), which current servers have;
    /// when false, naive values stay [`crate::Value::LocalDateTime`].
    pub naive_datetimes_are_utc: bool,
}

impl Default for DecodeOptions {
    fn default() -> DecodeOptions {
        DecodeOptions {
            primary_keys: PrimaryKeys::new(),
            naive_datetimes_are_utc: true,
        }
    }
}

/// A decoded body: the results, or the server's error object.
#[derive(Debug)]
pub enum Reply {
    /// The results of every operation, in order.
    Answer(Answer),
    /// The server refused the whole batch.
    Failure(ServerError),
}

impl Reply {
    /// Decodes a response body for a batch of `actions`, in one pass over
    /// the bytes (no intermediate JSON tree).
    ///
    /// # Errors
    ///
    /// [`DecodeError`] when the body is not JSON, not a list of results
    /// as long as the batch, or holds a result or value of the wrong shape.
    pub fn decode(
        body: &[u8],
        actions: &[Action],
        options: &DecodeOptions,
    ) -> Result<Reply, DecodeError> {
        let mut deserializer = serde_json::Deserializer::from_slice(body);
        let reply = Reply::read(&mut deserializer, actions, options)?;
        deserializer.end().map_err(DecodeError::NotJson)?;
        Ok(reply)
    }

    /// Decodes a response body already parsed as JSON.
    ///
    /// # Errors
    ///
    /// As [`Reply::decode`], except for JSON syntax.
    pub fn from_json(
        json: Json,
        actions: &[Action],
        options: &DecodeOptions,
    ) -> Result<Reply, DecodeError> {
        Reply::read(json, actions, options)
    }

    fn read<'de, D>(
        deserializer: D,
        actions: &[Action],
        options: &DecodeOptions,
    ) -> Result<Reply, DecodeError>
    where
        D: serde::Deserializer<'de, Error = serde_json::Error>,
    {
        let mut builder = Builder::new(options);
        let seed = TopSeed {
            builder: &mut builder,
            actions,
        };
        let top = match seed.deserialize(deserializer) {
            Ok(top) => top,
            Err(error) => return Err(builder.failure(error, actions)),
        };
        match top {
            Top::Results(raws, received) if received == actions.len() => {
                builder.answer(raws, actions).map(Reply::Answer)
            }
            Top::Results(_, received) => Err(DecodeError::WrongCount {
                sent: actions.len(),
                received,
            }),
            Top::Object(json) => match ServerError::from_json(&json) {
                Some(error) => Ok(Reply::Failure(error)),
                None => Err(DecodeError::NotAResultList { found: "an object" }),
            },
            Top::Other(found) => Err(DecodeError::NotAResultList { found }),
        }
    }
}

/// The results of one batch, in the order of its operations.
///
/// All entities of the answer share one identity map: an entity the server
/// sent in full once and elsewhere as a bare reference is one [`Entity`]
/// with the union of the attributes of every occurrence.
#[derive(Debug)]
pub struct Answer {
    outcomes: Vec<Outcome>,
}

impl Answer {
    /// Decodes a list of results.
    ///
    /// # Errors
    ///
    /// As [`Reply::decode`].
    pub fn from_results(
        results: Vec<Json>,
        actions: &[Action],
        options: &DecodeOptions,
    ) -> Result<Answer, DecodeError> {
        match Reply::from_json(Json::Array(results), actions, options)? {
            Reply::Answer(answer) => Ok(answer),
            Reply::Failure(_) => Err(DecodeError::NotAResultList {
                found: "an error object",
            }),
        }
    }

    /// The results in order.
    pub fn outcomes(&self) -> &[Outcome] {
        &self.outcomes
    }

    /// The results in order, owned.
    pub fn into_outcomes(self) -> Vec<Outcome> {
        self.outcomes
    }
}

/// The result of one operation.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub enum Outcome {
    /// A page of a `query`.
    Query(Page),
    /// The entity a `create` made, with every attribute the server set.
    Created(Entity),
    /// The entity an `update` changed, with the changed attributes.
    Updated(Entity),
    /// A `delete` succeeded.
    Deleted,
    /// The answer of `query_server_information`.
    ServerInformation(ServerInformation),
    /// The answer of `query_schemas`, as JSON (`ftrack_schema` reads it).
    Schemas(Json),
    /// The result of any other action, as JSON.
    Other(Json),
}

impl Outcome {
    /// The page, if this is a query result.
    pub fn into_page(self) -> Option<Page> {
        match self {
            Outcome::Query(page) => Some(page),
            _ => None,
        }
    }

    /// The entity, if this is a create or update result.
    pub fn into_entity(self) -> Option<Entity> {
        match self {
            Outcome::Created(entity) | Outcome::Updated(entity) => Some(entity),
            _ => None,
        }
    }
}

/// One page of query results.
#[derive(Debug, Clone)]
pub struct Page {
    /// The entities of the page.
    pub entities: Vec<Entity>,
    /// The offset of the next page (`metadata.next.offset`), `None` at the
    /// end.
    pub next_offset: Option<u64>,
}

/// What `query_server_information` answered.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct ServerInformation {
    /// `version`: `MAJOR.MINOR.PATCH.BUILD`, or `dev`.
    pub version: Option<String>,
    /// `schema_hash`: MD5 of the `query_schemas` answer.
    pub schema_hash: Option<String>,
    /// `is_timezone_support_enabled`: whether stored date-times are UTC.
    pub is_timezone_support_enabled: Option<bool>,
    /// The whole answer, with the values asked for by name.
    pub raw: Json,
}

impl ServerInformation {
    fn from_json(raw: Json) -> ServerInformation {
        let text = |name: &str| raw.get(name).and_then(Json::as_str).map(str::to_owned);
        ServerInformation {
            version: text("version"),
            schema_hash: text("schema_hash"),
            is_timezone_support_enabled: raw
                .get("is_timezone_support_enabled")
                .and_then(Json::as_bool),
            raw,
        }
    }
}

/// Why an answer could not be decoded.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum DecodeError {
    /// The body is not JSON.
    #[error("the body is not JSON")]
    NotJson(#[source] serde_json::Error),
    /// The body is JSON but neither a list of results nor an error object.
    #[error("expected a list of results or an error object, found {found}")]
    NotAResultList {
        /// What was found, e.g. "a string".
        found: &'static str,
    },
    /// The list of results is not as long as the batch.
    #[error("sent {sent} operations but received {received} results")]
    WrongCount {
        /// Operations sent.
        sent: usize,
        /// Results received.
        received: usize,
    },
    /// One result or value is not of the expected shape.
    #[error("result {index} ({action}) at {path}: {reason}")]
    Invalid {
        /// The operation's index in the batch.
        index: usize,
        /// The operation's action.
        action: Action,
        /// The JSON path, e.g. `results[0].data[3].created_at`.
        path: String,
        /// What is wrong.
        reason: String,
    },
}

/// The top of a body: results, an object (an error), or something else.
enum Top {
    /// The results kept (one per action) and how many there were in all.
    Results(Vec<Raw>, usize),
    Object(Json),
    Other(&'static str),
}

/// One result as read: a tree of nodes for entity-bearing actions, JSON
/// for the others.
enum Raw {
    Node(Node),
    Json(Json),
}

/// A result before the graph is complete.
enum Shape {
    Query {
        entities: Vec<usize>,
        next_offset: Option<u64>,
    },
    Created(usize),
    Updated(usize),
    Deleted,
    ServerInformation(Json),
    Schemas(Json),
    Other(Json),
}

/// Builds one [`Graph`] from the results of one answer while they are
/// read, and remembers where reading failed.
struct Builder<'o> {
    options: &'o DecodeOptions,
    entities: Vec<EntityData>,
    identity: HashMap<String, usize>,
    primary_keys: HashMap<String, Arc<[String]>>,
    /// On failure: the path from the failing value up, and our reason
    /// (none when the JSON itself is broken).
    reversed_path: Vec<String>,
    reason: Option<String>,
    result_index: usize,
}

impl<'o> Builder<'o> {
    fn new(options: &'o DecodeOptions) -> Builder<'o> {
        Builder {
            options,
            entities: Vec::new(),
            identity: HashMap::new(),
            primary_keys: HashMap::new(),
            reversed_path: Vec::new(),
            reason: None,
            result_index: 0,
        }
    }

    /// The error for a failed read: ours with its path, or the JSON's.
    fn failure(&mut self, error: serde_json::Error, actions: &[Action]) -> DecodeError {
        match self.reason.take() {
            Some(reason) => {
                let index = self.result_index;
                let action = actions.get(index).cloned();
                invalid(index, action, &self.reversed_path, reason)
            }
            None => DecodeError::NotJson(error),
        }
    }

    /// Turns the results into outcomes over the finished graph.
    fn answer(mut self, raws: Vec<Raw>, actions: &[Action]) -> Result<Answer, DecodeError> {
        let mut shapes = Vec::with_capacity(raws.len());
        for (index, (raw, action)) in raws.into_iter().zip(actions).enumerate() {
            let shape = self.shape(raw, action).map_err(|(mut path, reason)| {
                path.push(format!("results[{index}]"));
                invalid(index, Some(action.clone()), &path, reason)
            })?;
            shapes.push(shape);
        }

        let graph = Arc::new(Graph {
            entities: self.entities,
        });
        let entity = |index| Entity::new(Arc::clone(&graph), index);
        let outcomes = shapes
            .into_iter()
            .map(|shape| match shape {
                Shape::Query {
                    entities,
                    next_offset,
                } => Outcome::Query(Page {
                    entities: entities.into_iter().map(entity).collect(),
                    next_offset,
                }),
                Shape::Created(index) => Outcome::Created(entity(index)),
                Shape::Updated(index) => Outcome::Updated(entity(index)),
                Shape::Deleted => Outcome::Deleted,
                Shape::ServerInformation(raw) => {
                    Outcome::ServerInformation(ServerInformation::from_json(raw))
                }
                Shape::Schemas(raw) => Outcome::Schemas(raw),
                Shape::Other(raw) => Outcome::Other(raw),
            })
            .collect();
        Ok(Answer { outcomes })
    }

    /// Checks one result's shape; errors carry the reversed path below the
    /// result.
    fn shape(&mut self, raw: Raw, action: &Action) -> Result<Shape, (Vec<String>, String)> {
        let wrong = |path: &[&str], expected: &str, found: &str| {
            let path = path.iter().rev().map(|s| (*s).to_owned()).collect();
            (path, format!("expected {expected}, found {found}"))
        };
        match (action, raw) {
            (Action::Query, Raw::Node(Node::Object(mut result))) => {
                let next = field(&result, "metadata")
                    .and_then(|m| node_member(m, "next"))
                    .and_then(|n| node_member(n, "offset"));
                let next_offset = match next {
                    None | Some(Node::Null) => None,
                    Some(Node::Integer(offset)) if *offset >= 0 => Some(*offset as u64),
                    Some(other) => {
                        let path = ["metadata", "next", "offset"];
                        return Err(wrong(&path, "an offset", node_kind(other)));
                    }
                };
                let Some(Node::List(rows)) = take(&mut result, "data") else {
                    return Err((Vec::new(), "expected a `data` list of entities".to_owned()));
                };
                let mut entities = Vec::with_capacity(rows.len());
                for (index, row) in rows.into_iter().enumerate() {
                    match row {
                        Node::Entity(entity) => entities.push(entity),
                        Node::Object(attributes) => entities.push(self.anonymous(attributes)),
                        other => {
                            let at = format!("[{index}]");
                            return Err(wrong(&["data", &at], "an entity", node_kind(&other)));
                        }
                    }
                }
                Ok(Shape::Query {
                    entities,
                    next_offset,
                })
            }
            (Action::Create | Action::Update, Raw::Node(Node::Object(mut result))) => {
                let index = match take(&mut result, "data") {
                    Some(Node::Entity(index)) => index,
                    Some(Node::Object(attributes)) => self.anonymous(attributes),
                    Some(other) => return Err(wrong(&["data"], "an entity", node_kind(&other))),
                    None => return Err((Vec::new(), "expected a `data` entity".to_owned())),
                };
                Ok(match action {
                    Action::Create => Shape::Created(index),
                    _ => Shape::Updated(index),
                })
            }
            (Action::Query | Action::Create | Action::Update, Raw::Node(other)) => {
                Err(wrong(&[], "a result object", node_kind(&other)))
            }
            (Action::QueryServerInformation, Raw::Json(json @ Json::Object(_))) => {
                Ok(Shape::ServerInformation(json))
            }
            (Action::QuerySchemas, Raw::Json(json @ Json::Array(_))) => Ok(Shape::Schemas(json)),
            (Action::QueryServerInformation, Raw::Json(other)) => {
                Err(wrong(&[], "an object", json_kind(&other)))
            }
            (Action::QuerySchemas, Raw::Json(other)) => {
                Err(wrong(&[], "a list of schemas", json_kind(&other)))
            }
            (Action::Delete, _) => Ok(Shape::Deleted),
            (_, Raw::Json(json)) => Ok(Shape::Other(json)),
            (_, Raw::Node(_)) => Err((Vec::new(), "expected JSON".to_owned())),
        }
    }

    /// An entity without type or key (a `group by` row), never merged.
    fn anonymous(&mut self, attributes: Fields) -> usize {
        self.entities.push(EntityData {
            entity_type: Box::from(""),
            primary_key: Arc::from([]),
            attributes,
        });
        self.entities.len() - 1
    }

    fn primary_key(&mut self, entity_type: &str) -> Arc<[String]> {
        if let Some(key) = self.primary_keys.get(entity_type) {
            return Arc::clone(key);
        }
        let key: Arc<[String]> = self.options.primary_keys.get(entity_type).into();
        self.primary_keys
            .insert(entity_type.to_owned(), Arc::clone(&key));
        key
    }

    /// What a JSON object is, once all its members are read: an entity, a
    /// typed date-time or date, or a plain object. Errors name the member
    /// at fault, if any.
    fn object(&mut self, members: Fields) -> Result<Node, (Option<&'static str>, String)> {
        let member = |name: &str| field(&members, name);
        match member("__entity_type__") {
            Some(Node::String(entity_type)) => {
                let entity_type = entity_type.to_string();
                return Ok(Node::Entity(self.entity(entity_type, members)));
            }
            Some(other) => {
                let reason = format!("expected a type name, found {}", node_kind(other));
                return Err((Some("__entity_type__"), reason));
            }
            None => {}
        }
        let typed = match member("__type__") {
            Some(Node::String(kind)) if matches!(&**kind, "datetime" | "date") => {
                Some(kind.clone())
            }
            _ => None,
        };
        if let Some(kind) = typed {
            let text = match member("value") {
                Some(Node::String(text)) => text,
                Some(other) => {
                    let reason = format!("expected text, found {}", node_kind(other));
                    return Err((Some("value"), reason));
                }
                None => return Err((None, "a typed value without `value`".to_owned())),
            };
            return match &*kind {
                "date" => read_date(text).map(Node::Date),
                _ => self.datetime(text),
            }
            .map_err(|reason| (Some("value"), reason));
        }
        Ok(Node::Object(members))
    }

    /// Finds or adds the entity of an object's members and merges them.
    fn entity(&mut self, entity_type: String, mut members: Fields) -> usize {
        // The identity: the entity type and every primary-key value.
        let primary_key = self.primary_key(&entity_type);
        let mut identity = Some(entity_type.clone());
        for name in primary_key.iter() {
            let value = field(&members, name);
            match (identity.as_mut(), value) {
                (Some(text), Some(Node::String(value))) => {
                    text.push('\0');
                    text.push_str(value);
                }
                (Some(text), Some(Node::Integer(value))) => {
                    text.push('\0');
                    text.push_str(&value.to_string());
                }
                _ => identity = None,
            }
        }
        let identity = identity.filter(|_| !primary_key.is_empty());

        members.retain(|(name, _)| &**name != "__entity_type__");
        if let Some(index) = identity.as_ref().and_then(|key| self.identity.get(key)) {
            // Union of attributes. Where occurrences disagree the later one
            // wins, as in the JS client: a batch's update result comes after
            // the query that read the old value.
            let attributes = &mut self.entities[*index].attributes;
            for (name, node) in members {
                match attributes.iter_mut().find(|(key, _)| *key == name) {
                    Some((_, slot)) => *slot = node,
                    None => attributes.push((name, node)),
                }
            }
            return *index;
        }

        // First seen: the members become the attributes as they are.
        let index = self.entities.len();
        self.entities.push(EntityData {
            entity_type: entity_type.into_boxed_str(),
            primary_key: if identity.is_some() {
                primary_key
            } else {
                Arc::from([])
            },
            attributes: members,
        });
        if let Some(key) = identity {
            self.identity.insert(key, index);
        }
        index
    }

    fn datetime(&self, text: &str) -> Result<Node, String> {
        let (local, offset) = read_datetime(text)?;
        Ok(match offset {
            Some(offset) => Node::DateTime(local.assume_offset(offset)),
            None if self.options.naive_datetimes_are_utc => Node::DateTime(local.assume_utc()),
            None => Node::LocalDateTime(local),
        })
    }
}

fn invalid(
    index: usize,
    action: Option<Action>,
    reversed_path: &[String],
    reason: String,
) -> DecodeError {
    let mut path = String::new();
    for segment in reversed_path.iter().rev() {
        if !path.is_empty() && !segment.starts_with('[') {
            path.push('.');
        }
        path.push_str(segment);
    }
    DecodeError::Invalid {
        index,
        action: action.unwrap_or_else(|| Action::Other("unknown".to_owned())),
        path,
        reason,
    }
}

/// Takes a member out of fields, in any order.
fn take(fields: &mut Fields, name: &str) -> Option<Node> {
    let at = fields.iter().position(|(key, _)| **key == *name)?;
    Some(fields.swap_remove(at).1)
}

fn node_member<'n>(node: &'n Node, name: &str) -> Option<&'n Node> {
    match node {
        Node::Object(members) => field(members, name),
        _ => None,
    }
}

fn node_kind(node: &Node) -> &'static str {
    match node {
        Node::Null => "null",
        Node::Bool(_) => "a boolean",
        Node::Integer(_) | Node::Float(_) => "a number",
        Node::String(_) => "a string",
        Node::DateTime(_) | Node::LocalDateTime(_) => "a date-time",
        Node::Date(_) => "a date",
        Node::Entity(_) => "an entity",
        Node::List(_) => "a list",
        Node::Object(_) => "an object",
    }
}

/// Reads the top of a body.
struct TopSeed<'b, 'o, 'a> {
    builder: &'b mut Builder<'o>,
    actions: &'a [Action],
}

impl<'de> DeserializeSeed<'de> for TopSeed<'_, '_, '_> {
    type Value = Top;

    fn deserialize<D: serde::Deserializer<'de>>(self, deserializer: D) -> Result<Top, D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for TopSeed<'_, '_, '_> {
    type Value = Top;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a list of results or an error object")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Top, A::Error> {
        let mut raws = Vec::with_capacity(self.actions.len());
        let mut index = 0;
        loop {
            // Entity-bearing results become nodes; others stay JSON; any
            // beyond the batch are only counted.
            let next = match self.actions.get(index) {
                Some(Action::Query | Action::Create | Action::Update) => seq
                    .next_element_seed(NodeSeed {
                        builder: &mut *self.builder,
                    })
                    .map(|node| node.map(|node| Some(Raw::Node(node)))),
                Some(_) => seq
                    .next_element::<Json>()
                    .map(|json| json.map(|json| Some(Raw::Json(json)))),
                None => seq
                    .next_element::<IgnoredAny>()
                    .map(|extra| extra.map(|_| None)),
            };
            match next {
                Ok(Some(raw)) => raws.extend(raw),
                Ok(None) => break,
                Err(error) => {
                    self.builder.result_index = index;
                    self.builder.reversed_path.push(format!("results[{index}]"));
                    return Err(error);
                }
            }
            index += 1;
        }
        Ok(Top::Results(raws, index))
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Top, A::Error> {
        Json::deserialize(serde::de::value::MapAccessDeserializer::new(map)).map(Top::Object)
    }

    fn visit_bool<E: serde::de::Error>(self, _: bool) -> Result<Top, E> {
        Ok(Top::Other("a boolean"))
    }

    fn visit_i64<E: serde::de::Error>(self, _: i64) -> Result<Top, E> {
        Ok(Top::Other("a number"))
    }

    fn visit_u64<E: serde::de::Error>(self, _: u64) -> Result<Top, E> {
        Ok(Top::Other("a number"))
    }

    fn visit_f64<E: serde::de::Error>(self, _: f64) -> Result<Top, E> {
        Ok(Top::Other("a number"))
    }

    fn visit_str<E: serde::de::Error>(self, _: &str) -> Result<Top, E> {
        Ok(Top::Other("a string"))
    }

    fn visit_unit<E: serde::de::Error>(self) -> Result<Top, E> {
        Ok(Top::Other("null"))
    }
}

/// Reads one value into a [`Node`], merging entities as they close.
struct NodeSeed<'b, 'o> {
    builder: &'b mut Builder<'o>,
}

impl<'de> DeserializeSeed<'de> for NodeSeed<'_, '_> {
    type Value = Node;

    fn deserialize<D: serde::Deserializer<'de>>(self, deserializer: D) -> Result<Node, D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for NodeSeed<'_, '_> {
    type Value = Node;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON value")
    }

    fn visit_bool<E: serde::de::Error>(self, value: bool) -> Result<Node, E> {
        Ok(Node::Bool(value))
    }

    fn visit_i64<E: serde::de::Error>(self, value: i64) -> Result<Node, E> {
        Ok(Node::Integer(value))
    }

    fn visit_u64<E: serde::de::Error>(self, value: u64) -> Result<Node, E> {
        Ok(match i64::try_from(value) {
            Ok(value) => Node::Integer(value),
            Err(_) => Node::Float(value as f64),
        })
    }

    fn visit_f64<E: serde::de::Error>(self, value: f64) -> Result<Node, E> {
        Ok(Node::Float(value))
    }

    fn visit_str<E: serde::de::Error>(self, value: &str) -> Result<Node, E> {
        Ok(Node::String(Box::from(value)))
    }

    fn visit_string<E: serde::de::Error>(self, value: String) -> Result<Node, E> {
        Ok(Node::String(value.into_boxed_str()))
    }

    fn visit_unit<E: serde::de::Error>(self) -> Result<Node, E> {
        Ok(Node::Null)
    }

    fn visit_none<E: serde::de::Error>(self) -> Result<Node, E> {
        Ok(Node::Null)
    }

    fn visit_some<D: serde::Deserializer<'de>>(self, deserializer: D) -> Result<Node, D::Error> {
        NodeSeed {
            builder: self.builder,
        }
        .deserialize(deserializer)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Node, A::Error> {
        let mut items = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(1024));
        loop {
            let seed = NodeSeed {
                builder: &mut *self.builder,
            };
            match seq.next_element_seed(seed) {
                Ok(Some(item)) => items.push(item),
                Ok(None) => return Ok(Node::List(items)),
                Err(error) => {
                    let at = format!("[{}]", items.len());
                    self.builder.reversed_path.push(at);
                    return Err(error);
                }
            }
        }
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Node, A::Error> {
        let mut members: Fields = Vec::with_capacity(map.size_hint().unwrap_or(8).min(64));
        while let Some(name) = map.next_key::<String>()? {
            let seed = NodeSeed {
                builder: &mut *self.builder,
            };
            match map.next_value_seed(seed) {
                Ok(node) => members.push((name.into_boxed_str(), node)),
                Err(error) => {
                    self.builder.reversed_path.push(name);
                    return Err(error);
                }
            }
        }
        self.builder.object(members).map_err(|(member, reason)| {
            if let Some(member) = member {
                self.builder.reversed_path.push(member.to_owned());
            }
            let error = A::Error::custom(&reason);
            self.builder.reason = Some(reason);
            error
        })
    }
}

fn json_kind(value: &Json) -> &'static str {
    match value {
        Json::Null => "null",
        Json::Bool(_) => "a boolean",
        Json::Number(_) => "a number",
        Json::String(_) => "a string",
        Json::Array(_) => "a list",
        Json::Object(_) => "an object",
    }
}

/// Decodes a datetime the same way answers are decoded, for tests.
#[cfg(test)]
fn datetime_of(text: &str) -> Option<time::OffsetDateTime> {
    crate::wire::parse_datetime(text)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;
    use time::macros::datetime;

    fn decode(body: Json, actions: &[Action]) -> Answer {
        match Reply::from_json(body, actions, &DecodeOptions::default()).unwrap() {
            Reply::Answer(answer) => answer,
            Reply::Failure(error) => panic!("unexpected failure {error}"),
        }
    }

    #[test]
    fn datetimes_in_every_written_form() {
        assert_eq!(
            datetime_of("2022-10-10T10:12:09"),
            Some(datetime!(2022-10-10 10:12:09 UTC))
        );
        assert_eq!(
            datetime_of("2022-10-10T10:12:09Z"),
            Some(datetime!(2022-10-10 10:12:09 UTC))
        );
        assert_eq!(
            datetime_of("2022-10-10 10:12"),
            Some(datetime!(2022-10-10 10:12:00 UTC))
        );
        assert_eq!(
            datetime_of("2022-10-10T10:12:09.123+02:00"),
            Some(datetime!(2022-10-10 10:12:09.123 +02:00))
        );
        assert_eq!(
            datetime_of("2022-10-10T10:12:09-0530"),
            Some(datetime!(2022-10-10 10:12:09 -05:30))
        );
        assert_eq!(
            datetime_of("2015-11-18"),
            Some(datetime!(2015-11-18 0:00 UTC))
        );
        for bad in [
            "",
            "2022-13-10T00:00:00",
            "2022-10-10T25:00:00",
            "2022-10-10X",
            "2022-10-10T1:2",
            "ééééééééééé",
        ] {
            assert!(datetime_of(bad).is_none(), "{bad}");
        }
    }

    #[test]
    fn a_bare_reference_gets_the_attributes_of_the_full_occurrence() {
        let body = json!([{
            "action": "query",
            "data": [
                {"__entity_type__": "Task", "id": "t1",
                 "status": {"__entity_type__": "Status", "id": "s1", "name": "In progress"}},
                {"__entity_type__": "Task", "id": "t2",
                 "status": {"__entity_type__": "Status", "id": "s1"}},
            ],
            "metadata": {"next": {"offset": null}},
        }]);

        let answer = decode(body, &[Action::Query]);

        let Outcome::Query(page) = &answer.outcomes()[0] else {
            panic!("not a page")
        };
        assert_eq!(page.next_offset, None);
        let second = page.entities[1].get("status").unwrap();
        let status = second.as_entity().unwrap();
        assert_eq!(status.get("name").unwrap().as_str(), Some("In progress"));
        assert!(status.same_as(page.entities[0].get("status").unwrap().as_entity().unwrap()));
        let short = page.entities[1].get_path("status.name");
        assert_eq!(short.unwrap().as_str(), Some("In progress"));
        assert!(page.entities[1].get_path("status.name.x").is_none());
        assert!(page.entities[1].get_path("nothing").is_none());
    }

    #[test]
    fn naive_datetimes_stay_local_without_time_zone_support() {
        let body = json!([{"action": "create", "data": {
            "__entity_type__": "Task", "id": "t1",
            "start_date": {"__type__": "datetime", "value": "2024-01-02T03:04:05"},
        }}]);
        let options = DecodeOptions {
            naive_datetimes_are_utc: false,
            ..DecodeOptions::default()
        };

        let Reply::Answer(answer) = Reply::from_json(body, &[Action::Create], &options).unwrap()
        else {
            panic!("not an answer")
        };

        let task = answer.into_outcomes().remove(0).into_entity().unwrap();
        assert!(matches!(
            task.get("start_date"),
            Some(crate::Value::LocalDateTime(_))
        ));
    }

    #[test]
    fn a_bad_value_is_reported_with_its_path() {
        let body = json!([{"action": "query", "data": [
            {"__entity_type__": "Task", "id": "t1",
             "created_at": {"__type__": "datetime", "value": "yesterday"}},
        ]}]);

        let error =
            Reply::from_json(body, &[Action::Query], &DecodeOptions::default()).unwrap_err();

        assert_eq!(
            error.to_string(),
            "result 0 (query) at results[0].data[0].created_at.value: \
             `yesterday` is not an ISO 8601 date-time"
        );
    }

    #[test]
    fn attributes_keep_the_answers_order() {
        let body = json!([{"action": "update", "data": {
            "name": "x", "__entity_type__": "Task", "id": "t1", "status_id": "s1",
        }}]);

        let answer = decode(body, &[Action::Update]);

        let task = answer.into_outcomes().remove(0).into_entity().unwrap();
        let names: Vec<&str> = task.attributes().map(|(name, _)| name).collect();
        assert_eq!(names, ["name", "id", "status_id"]);
    }

    #[test]
    fn a_long_chain_of_references_decodes_and_writes_without_overflow() {
        // Each task names the next one as its parent by bare reference.
        let data: Vec<Json> = (0..10_000)
            .map(|i| {
                json!({"__entity_type__": "Task", "id": format!("t{i}"),
                       "parent": {"__entity_type__": "Task", "id": format!("t{}", i + 1)}})
            })
            .collect();
        let body = json!([{"action": "query", "data": data}]);

        let answer = decode(body, &[Action::Query]);

        let page = answer.into_outcomes().remove(0).into_page().unwrap();
        let mut json = &page.entities[0].to_json();
        let mut depth = 0;
        while let Some(parent) = json.get("parent") {
            json = parent;
            depth += 1;
        }
        assert_eq!(depth, crate::MAX_JSON_NESTING);
        assert_eq!(json["id"], format!("t{}", crate::MAX_JSON_NESTING));
    }

    #[test]
    fn entities_without_a_complete_key_are_kept_apart() {
        let body = json!([{"action": "query", "data": [
            {"__entity_type__": "Metadata", "key": "fps", "value": "24"},
            {"__entity_type__": "Metadata", "key": "fps", "value": "25"},
        ]}]);

        let answer = decode(body, &[Action::Query]);

        let page = answer.into_outcomes().remove(0).into_page().unwrap();
        assert_eq!(page.entities[1].get("value").unwrap().as_str(), Some("25"));
        assert_eq!(page.entities[0].key(), None);
    }
}
