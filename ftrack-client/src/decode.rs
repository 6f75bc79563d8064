//! Decoding the server's answers: results in order, entities merged through
//! an identity map, typed date-times and dates.

use std::collections::HashMap;
use std::sync::Arc;

use indexmap::IndexMap;
use serde_json::{Map, Value as Json};
use time::{Date, Month, PrimitiveDateTime, Time, UtcOffset};

use crate::entity::{Entity, EntityData, Graph, Node};
use crate::error::ServerError;
use crate::operation::{Action, PrimaryKeys};

/// How to decode answers.
#[derive(Debug, Clone)]
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
    /// Decodes a response body for a batch of `actions`.
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
        let json: Json = serde_json::from_slice(body).map_err(DecodeError::NotJson)?;
        Reply::from_json(json, actions, options)
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
        match json {
            Json::Array(results) => {
                Answer::from_results(results, actions, options).map(Reply::Answer)
            }
            other => match ServerError::from_json(&other) {
                Some(error) => Ok(Reply::Failure(error)),
                None => Err(DecodeError::NotAResultList {
                    found: json_kind(&other),
                }),
            },
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
        if results.len() != actions.len() {
            return Err(DecodeError::WrongCount {
                sent: actions.len(),
                received: results.len(),
            });
        }

        // Walk every result into one graph, then hand out entity handles.
        let mut builder = Builder::new(options);
        let mut shapes = Vec::with_capacity(results.len());
        for (index, (result, action)) in results.into_iter().zip(actions).enumerate() {
            let shape = builder
                .result(result, action)
                .map_err(|error| error.at(&format!("results[{index}]")).finish(index, action))?;
            shapes.push(shape);
        }
        let graph = Arc::new(builder.finish());
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

/// A decode failure on its way up the tree, collecting its path.
struct Located {
    reversed_path: Vec<String>,
    reason: String,
}

impl Located {
    fn new(reason: impl Into<String>) -> Located {
        Located {
            reversed_path: Vec::new(),
            reason: reason.into(),
        }
    }

    fn at(mut self, segment: &str) -> Located {
        self.reversed_path.push(segment.to_owned());
        self
    }

    fn finish(self, index: usize, action: &Action) -> DecodeError {
        let mut path = String::new();
        for segment in self.reversed_path.iter().rev() {
            if !path.is_empty() && !segment.starts_with('[') {
                path.push('.');
            }
            path.push_str(segment);
        }
        DecodeError::Invalid {
            index,
            action: action.clone(),
            path,
            reason: self.reason,
        }
    }
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

/// Builds one [`Graph`] from the results of one answer.
struct Builder<'o> {
    options: &'o DecodeOptions,
    entities: Vec<EntityData>,
    identity: HashMap<String, usize>,
    primary_keys: HashMap<String, Arc<[String]>>,
}

impl<'o> Builder<'o> {
    fn new(options: &'o DecodeOptions) -> Builder<'o> {
        Builder {
            options,
            entities: Vec::new(),
            identity: HashMap::new(),
            primary_keys: HashMap::new(),
        }
    }

    fn finish(self) -> Graph {
        Graph {
            entities: self.entities,
        }
    }

    fn result(&mut self, result: Json, action: &Action) -> Result<Shape, Located> {
        match action {
            Action::Query => self.query_result(result),
            Action::Create => Ok(Shape::Created(self.data_entity(result)?)),
            Action::Update => Ok(Shape::Updated(self.data_entity(result)?)),
            Action::Delete => Ok(Shape::Deleted),
            Action::QueryServerInformation => match result {
                Json::Object(_) => Ok(Shape::ServerInformation(result)),
                other => Err(Located::new(format!(
                    "expected an object, found {}",
                    json_kind(&other)
                ))),
            },
            Action::QuerySchemas => match result {
                Json::Array(_) => Ok(Shape::Schemas(result)),
                other => Err(Located::new(format!(
                    "expected a list of schemas, found {}",
                    json_kind(&other)
                ))),
            },
            Action::Other(_) => Ok(Shape::Other(result)),
        }
    }

    fn query_result(&mut self, result: Json) -> Result<Shape, Located> {
        let Json::Object(mut object) = result else {
            return Err(Located::new(format!(
                "expected a query result object, found {}",
                json_kind(&result)
            )));
        };
        let next_offset = match object
            .get("metadata")
            .and_then(|m| m.get("next"))
            .and_then(|n| n.get("offset"))
        {
            None | Some(Json::Null) => None,
            Some(offset) => Some(offset.as_u64().ok_or_else(|| {
                Located::new(format!("expected an offset, found {}", json_kind(offset)))
                    .at("metadata.next.offset")
            })?),
        };
        let Some(Json::Array(rows)) = object.remove("data") else {
            return Err(Located::new("expected a `data` list of entities"));
        };
        let mut entities = Vec::with_capacity(rows.len());
        for (index, row) in rows.into_iter().enumerate() {
            let located = |error: Located| error.at(&format!("[{index}]")).at("data");
            match row {
                Json::Object(row) => entities.push(self.entity(row).map_err(located)?),
                other => {
                    return Err(located(Located::new(format!(
                        "expected an entity, found {}",
                        json_kind(&other)
                    ))))
                }
            }
        }
        Ok(Shape::Query {
            entities,
            next_offset,
        })
    }

    /// The entity under `data` of a create or update result.
    fn data_entity(&mut self, result: Json) -> Result<usize, Located> {
        let Json::Object(mut object) = result else {
            return Err(Located::new(format!(
                "expected a result object, found {}",
                json_kind(&result)
            )));
        };
        match object.remove("data") {
            Some(Json::Object(entity)) => self.entity(entity).map_err(|error| error.at("data")),
            Some(other) => Err(Located::new(format!(
                "expected an entity, found {}",
                json_kind(&other)
            ))
            .at("data")),
            None => Err(Located::new("expected a `data` entity")),
        }
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

    /// Finds or adds the entity of an object and merges its attributes.
    fn entity(&mut self, object: Map<String, Json>) -> Result<usize, Located> {
        // Read, not removed: removing from an order-preserving map would
        // move the last attribute first.
        let entity_type = match object.get("__entity_type__") {
            Some(Json::String(name)) => name.clone(),
            // A row that is not an entity (group by) becomes an entity
            // without type and key, so pages stay lists of entities.
            None => String::new(),
            Some(other) => {
                return Err(Located::new(format!(
                    "expected a type name, found {}",
                    json_kind(other)
                ))
                .at("__entity_type__"))
            }
        };

        // The identity: the entity type and every primary-key value.
        let primary_key = if entity_type.is_empty() {
            Arc::from([])
        } else {
            self.primary_key(&entity_type)
        };
        let mut identity = Some(entity_type.clone());
        for name in primary_key.iter() {
            match (identity.as_mut(), object.get(name)) {
                (Some(text), Some(Json::String(value))) => {
                    text.push('\0');
                    text.push_str(value);
                }
                (Some(text), Some(value @ Json::Number(_))) => {
                    text.push('\0');
                    text.push_str(&value.to_string());
                }
                _ => identity = None,
            }
        }
        let identity = identity.filter(|_| !primary_key.is_empty());

        let index = match identity.as_ref().and_then(|key| self.identity.get(key)) {
            Some(index) => *index,
            None => {
                let index = self.entities.len();
                self.entities.push(EntityData {
                    entity_type: entity_type.into_boxed_str(),
                    primary_key: if identity.is_some() {
                        primary_key
                    } else {
                        Arc::from([])
                    },
                    attributes: IndexMap::with_capacity(object.len()),
                });
                if let Some(key) = identity {
                    self.identity.insert(key, index);
                }
                index
            }
        };

        // Union of attributes. Where occurrences disagree the later one
        // wins, as in the JS client: a batch's update result comes after
        // the query that read the old value.
        for (name, value) in object {
            if name == "__entity_type__" {
                continue;
            }
            let node = self.value(value).map_err(|error| error.at(&name))?;
            self.entities[index]
                .attributes
                .insert(name.into_boxed_str(), node);
        }
        Ok(index)
    }

    fn value(&mut self, value: Json) -> Result<Node, Located> {
        Ok(match value {
            Json::Null => Node::Null,
            Json::Bool(flag) => Node::Bool(flag),
            Json::Number(number) => match number.as_i64() {
                Some(integer) => Node::Integer(integer),
                None => Node::Float(number.as_f64().unwrap_or(f64::NAN)),
            },
            Json::String(text) => Node::String(text.into_boxed_str()),
            Json::Array(items) => {
                let mut nodes = Vec::with_capacity(items.len());
                for (index, item) in items.into_iter().enumerate() {
                    nodes.push(
                        self.value(item)
                            .map_err(|error| error.at(&format!("[{index}]")))?,
                    );
                }
                Node::List(nodes)
            }
            Json::Object(object) => {
                if object.contains_key("__entity_type__") {
                    return self.entity(object).map(Node::Entity);
                }
                match object.get("__type__").and_then(Json::as_str) {
                    Some("datetime") => {
                        return self.datetime(&object).map_err(|error| error.at("value"))
                    }
                    Some("date") => {
                        let text = typed_text(&object).map_err(|error| error.at("value"))?;
                        return parse_date(text)
                            .map(Node::Date)
                            .map_err(|reason| Located::new(reason).at("value"));
                    }
                    _ => {}
                }
                let mut members = IndexMap::with_capacity(object.len());
                for (name, item) in object {
                    let node = self.value(item).map_err(|error| error.at(&name))?;
                    members.insert(name.into_boxed_str(), node);
                }
                Node::Object(members)
            }
        })
    }

    fn datetime(&self, object: &Map<String, Json>) -> Result<Node, Located> {
        let text = typed_text(object)?;
        let (local, offset) = parse_datetime(text).map_err(Located::new)?;
        Ok(match offset {
            Some(offset) => Node::DateTime(local.assume_offset(offset)),
            None if self.options.naive_datetimes_are_utc => Node::DateTime(local.assume_utc()),
            None => Node::LocalDateTime(local),
        })
    }
}

fn typed_text(object: &Map<String, Json>) -> Result<&str, Located> {
    match object.get("value") {
        Some(Json::String(text)) => Ok(text),
        Some(other) => Err(Located::new(format!(
            "expected text, found {}",
            json_kind(other)
        ))),
        None => Err(Located::new("a typed value without `value`")),
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

/// Parses `YYYY-MM-DD`.
pub(crate) fn parse_date(text: &str) -> Result<Date, String> {
    let invalid = || format!("`{text}` is not a date (YYYY-MM-DD)");
    let bytes = text.as_bytes();
    if bytes.len() != 10 || bytes[4] != b'-' || bytes[7] != b'-' {
        return Err(invalid());
    }
    let year = digits(&bytes[0..4]).ok_or_else(invalid)?;
    let month = digits(&bytes[5..7]).ok_or_else(invalid)?;
    let day = digits(&bytes[8..10]).ok_or_else(invalid)?;
    let month = Month::try_from(month as u8).map_err(|_| invalid())?;
    Date::from_calendar_date(year as i32, month, day as u8).map_err(|_| invalid())
}

/// Parses the date-times servers and clients write: a date, optionally `T`
/// (or a space) and `HH:MM[:SS[.fraction]]`, optionally `Z` or `±HH[:MM]`.
/// A date alone is midnight, as the Python client reads it.
pub(crate) fn parse_datetime(text: &str) -> Result<(PrimitiveDateTime, Option<UtcOffset>), String> {
    let invalid = || format!("`{text}` is not an ISO 8601 date-time");
    if !text.is_ascii() || text.len() < 10 {
        return Err(invalid());
    }
    let date = parse_date(&text[..10])?;
    if text.len() == 10 {
        return Ok((PrimitiveDateTime::new(date, Time::MIDNIGHT), None));
    }
    let rest = text[10..].strip_prefix(['T', ' ']).ok_or_else(invalid)?;

    // Split the offset off the time.
    let (clock, offset) = match rest.find(['Z', 'z', '+', '-']) {
        Some(at) => (
            &rest[..at],
            Some(parse_offset(&rest[at..]).ok_or_else(invalid)?),
        ),
        None => (rest, None),
    };
    let (hms, fraction) = match clock.split_once('.') {
        Some((hms, fraction)) => (hms, Some(fraction)),
        None => (clock, None),
    };
    let mut parts = hms.split(':');
    let mut next = || parts.next().map(str::as_bytes);
    let hour = next()
        .filter(|b| b.len() == 2)
        .and_then(digits)
        .ok_or_else(invalid)?;
    let minute = next()
        .filter(|b| b.len() == 2)
        .and_then(digits)
        .ok_or_else(invalid)?;
    let second = match next() {
        Some(b) if b.len() == 2 => digits(b).ok_or_else(invalid)?,
        Some(_) => return Err(invalid()),
        None => 0,
    };
    if next().is_some() {
        return Err(invalid());
    }
    let nanosecond = match fraction {
        Some(f) if !f.is_empty() && f.len() <= 9 => {
            let value = digits(f.as_bytes()).ok_or_else(invalid)?;
            value * 10u32.pow(9 - f.len() as u32)
        }
        Some(_) => return Err(invalid()),
        None => 0,
    };
    let time = Time::from_hms_nano(hour as u8, minute as u8, second as u8, nanosecond)
        .map_err(|_| invalid())?;
    Ok((PrimitiveDateTime::new(date, time), offset))
}

fn parse_offset(text: &str) -> Option<UtcOffset> {
    if text.eq_ignore_ascii_case("z") {
        return Some(UtcOffset::UTC);
    }
    let sign: i8 = if text.starts_with('-') { -1 } else { 1 };
    let body = text.get(1..)?.as_bytes();
    let (hours, minutes) = match body.len() {
        2 => (digits(body)?, 0),
        4 => (digits(&body[0..2])?, digits(&body[2..4])?),
        5 if body[2] == b':' => (digits(&body[0..2])?, digits(&body[3..5])?),
        _ => return None,
    };
    UtcOffset::from_hms(sign * hours as i8, sign * minutes as i8, 0).ok()
}

/// ASCII digits as a number; `None` for anything else or too many digits.
fn digits(bytes: &[u8]) -> Option<u32> {
    if bytes.is_empty() || bytes.len() > 9 || !bytes.iter().all(u8::is_ascii_digit) {
        return None;
    }
    Some(
        bytes
            .iter()
            .fold(0, |value, digit| value * 10 + u32::from(digit - b'0')),
    )
}

/// Decodes a datetime the same way answers are decoded, for tests.
#[cfg(test)]
fn datetime_of(text: &str) -> Result<time::OffsetDateTime, String> {
    let (local, offset) = parse_datetime(text)?;
    Ok(local.assume_offset(offset.unwrap_or(UtcOffset::UTC)))
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
            Ok(datetime!(2022-10-10 10:12:09 UTC))
        );
        assert_eq!(
            datetime_of("2022-10-10T10:12:09Z"),
            Ok(datetime!(2022-10-10 10:12:09 UTC))
        );
        assert_eq!(
            datetime_of("2022-10-10 10:12"),
            Ok(datetime!(2022-10-10 10:12:00 UTC))
        );
        assert_eq!(
            datetime_of("2022-10-10T10:12:09.123+02:00"),
            Ok(datetime!(2022-10-10 10:12:09.123 +02:00))
        );
        assert_eq!(
            datetime_of("2022-10-10T10:12:09-0530"),
            Ok(datetime!(2022-10-10 10:12:09 -05:30))
        );
        assert_eq!(
            datetime_of("2015-11-18"),
            Ok(datetime!(2015-11-18 0:00 UTC))
        );
        for bad in [
            "",
            "2022-13-10T00:00:00",
            "2022-10-10T25:00:00",
            "2022-10-10X",
            "2022-10-10T1:2",
            "ééééééééééé",
        ] {
            assert!(datetime_of(bad).is_err(), "{bad}");
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
