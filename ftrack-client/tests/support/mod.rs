//! A small ftrack-compatible server for the integration tests, on its own
//! thread and runtime, bound to 127.0.0.1:0, speaking real HTTP/1.1.
//!
//! The client's tests of single faults run here because its faults come in
//! a set order (a 503, then a dropped answer, then success), while
//! `ftrack-emulator` draws its faults by share; `against_emulator.rs` runs
//! the client against the emulator itself. It answers `POST /api` like the
//! protocol (PROTOCOL.md sections 1-7): batches applied whole or not at
//! all, query results de-duplicated per operation, errors in ftrack's JSON
//! shape (HTTP 200, or an error status in strict mode). Its query support
//! is deliberately small: projections of attributes and of
//! `relation.attribute` (through `<relation>_id`), criteria joined by `and`
//! with `is`/`is_not`, `offset` and `limit`.
//!
//! It uses only tokio, serde_json and the client's re-exported `time`, so the
//! CLI tests can include it too.

// Each test file uses part of the server.
#![allow(dead_code)]

use std::collections::{HashMap, HashSet, VecDeque};
use std::net::SocketAddr;
use std::sync::{Arc, Mutex, MutexGuard};

use serde_json::{json, Map, Value as Json};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

/// The API user the server accepts.
pub const API_USER: &str = "jane.doe";
/// Jane's API key.
pub const API_KEY: &str = "s3cr3t-api-key-0123";
/// A bearer token the server accepts for Jane.
pub const BEARER_TOKEN: &str = "t0k3n-bearer-4567";
/// A user who may read but not write.
pub const VIEWER: &str = "viewer";
/// The viewer's API key.
pub const VIEWER_KEY: &str = "v1ewer-api-key-89ab";

/// A fault the server injects into the next `/api` request, in order.
#[derive(Debug, Clone)]
pub enum Fault {
    /// Answer this status with a small HTML body, without applying the batch.
    Status(u16),
    /// Answer 429 with this `Retry-After` header.
    TooManyRequests(String),
    /// Close the connection without answering, before applying the batch.
    DropBeforeApply,
    /// Apply the batch, then close the connection without answering: the
    /// answer is lost.
    DropAfterApply,
    /// Answer this status and body as is.
    Body(u16, String),
    /// Answer an ftrack error object with this exception and content.
    Exception(String, String),
    /// Hold the connection for seconds without answering, then close it
    /// (for client timeouts; the batch is not applied).
    Stall(u64),
}

/// One request as received.
#[derive(Debug, Clone)]
pub struct Received {
    /// Header names in lower case.
    pub headers: HashMap<String, String>,
    /// The body as JSON (null if it was not JSON).
    pub body: Json,
}

impl Received {
    /// The actions of the batch.
    pub fn actions(&self) -> Vec<String> {
        self.body
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|op| op["action"].as_str().map(str::to_owned))
            .collect()
    }
}

#[derive(Debug, Clone)]
struct Stored {
    entity_type: String,
    id: String,
    attributes: Map<String, Json>,
}

#[derive(Default)]
struct State {
    store: Vec<Stored>,
    relations: HashMap<(String, String), String>,
    required: HashMap<String, Vec<String>>,
    canned: HashMap<String, Json>,
    faults: VecDeque<Fault>,
    received: Vec<Received>,
    next_id: u64,
}

/// The running server; it stops when the test process ends.
pub struct TestServer {
    address: SocketAddr,
    state: Arc<Mutex<State>>,
}

impl TestServer {
    /// Starts a server with an empty store.
    pub fn start() -> TestServer {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind 127.0.0.1:0");
        listener
            .set_nonblocking(true)
            .expect("non-blocking listener");
        let address = listener.local_addr().expect("local address");
        let state = Arc::new(Mutex::new(State::default()));
        let shared = Arc::clone(&state);
        std::thread::spawn(move || {
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .expect("test server runtime");
            runtime.block_on(async move {
                let listener = tokio::net::TcpListener::from_std(listener).expect("tokio listener");
                loop {
                    let Ok((socket, _)) = listener.accept().await else {
                        continue;
                    };
                    tokio::spawn(connection(socket, Arc::clone(&shared)));
                }
            });
        });
        TestServer { address, state }
    }

    fn state(&self) -> MutexGuard<'_, State> {
        self.state
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// The server URL, `http://127.0.0.1:<port>`.
    pub fn url(&self) -> String {
        format!("http://{}", self.address)
    }

    /// Stores an entity: `{"__entity_type__": ..., "id": ..., ...}`.
    pub fn insert(&self, entity: Json) {
        let mut attributes = entity.as_object().cloned().expect("an entity object");
        let entity_type = attributes
            .remove("__entity_type__")
            .and_then(|t| t.as_str().map(str::to_owned));
        let id = attributes
            .get("id")
            .and_then(Json::as_str)
            .map(str::to_owned);
        self.state().store.push(Stored {
            entity_type: entity_type.expect("__entity_type__"),
            id: id.expect("id"),
            attributes,
        });
    }

    /// Declares that `entity_type.attribute` refers to `target` through
    /// `<attribute>_id`.
    pub fn relate(&self, entity_type: &str, attribute: &str, target: &str) {
        self.state().relations.insert(
            (entity_type.to_owned(), attribute.to_owned()),
            target.to_owned(),
        );
    }

    /// Declares attributes a batch must have set on new entities.
    pub fn require(&self, entity_type: &str, attributes: &[&str]) {
        let names = attributes.iter().map(|a| (*a).to_owned()).collect();
        self.state().required.insert(entity_type.to_owned(), names);
    }

    /// Answers a query expression with a fixed result (e.g. a recorded one);
    /// the expression is matched without regard to case, since clients
    /// print keywords and `None` in different cases.
    pub fn can(&self, expression: &str, result: Json) {
        self.state()
            .canned
            .insert(expression.to_lowercase(), result);
    }

    /// Queues a fault for the next request.
    pub fn fault(&self, fault: Fault) {
        self.state().faults.push_back(fault);
    }

    /// Every request received so far.
    pub fn received(&self) -> Vec<Received> {
        self.state().received.clone()
    }

    /// How many entities of a type are stored.
    pub fn count(&self, entity_type: &str) -> usize {
        self.state()
            .store
            .iter()
            .filter(|e| e.entity_type == entity_type)
            .count()
    }

    /// A stored entity's attributes.
    pub fn get(&self, entity_type: &str, id: &str) -> Option<Map<String, Json>> {
        let state = self.state();
        let found = state
            .store
            .iter()
            .find(|e| e.entity_type == entity_type && e.id == id);
        found.map(|e| e.attributes.clone())
    }
}

/// Reads a file of the repository's `fixtures/`.
pub fn fixture(path: &str) -> Json {
    let full = format!("{}/../fixtures/{path}", env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(&full).unwrap_or_else(|e| panic!("{full}: {e}"));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{full}: {e}"))
}

enum Answer {
    Http {
        status: u16,
        headers: Vec<(String, String)>,
        body: String,
    },
    Drop,
    Stall(u64),
}

async fn connection(mut socket: tokio::net::TcpStream, state: Arc<Mutex<State>>) {
    // Read the head, then as much body as Content-Length says.
    let mut buffer = Vec::new();
    let mut chunk = [0u8; 16 * 1024];
    let head_end = loop {
        match socket.read(&mut chunk).await {
            Ok(0) | Err(_) => return,
            Ok(n) => buffer.extend_from_slice(&chunk[..n]),
        }
        if let Some(at) = buffer.windows(4).position(|w| w == b"\r\n\r\n") {
            break at + 4;
        }
    };
    let head = String::from_utf8_lossy(&buffer[..head_end]).into_owned();
    let mut lines = head.split("\r\n");
    let request_line = lines.next().unwrap_or_default().to_owned();
    let headers: HashMap<String, String> = lines
        .filter_map(|line| line.split_once(':'))
        .map(|(name, value)| (name.trim().to_ascii_lowercase(), value.trim().to_owned()))
        .collect();
    let length: usize = headers
        .get("content-length")
        .and_then(|v| v.parse().ok())
        .unwrap_or(0);
    while buffer.len() < head_end + length {
        match socket.read(&mut chunk).await {
            Ok(0) | Err(_) => return,
            Ok(n) => buffer.extend_from_slice(&chunk[..n]),
        }
    }
    let body = buffer[head_end..head_end + length].to_vec();

    let answer = {
        let mut state = state
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        state.respond(&request_line, headers, &body)
    };
    match answer {
        Answer::Drop => drop(socket),
        Answer::Stall(seconds) => {
            tokio::time::sleep(std::time::Duration::from_secs(seconds)).await;
            drop(socket);
        }
        Answer::Http {
            status,
            headers,
            body,
        } => {
            let mut text = format!(
                "HTTP/1.1 {status} {}\r\nContent-Length: {}\r\nConnection: close\r\n",
                reason(status),
                body.len()
            );
            for (name, value) in headers {
                text.push_str(&format!("{name}: {value}\r\n"));
            }
            text.push_str("\r\n");
            text.push_str(&body);
            let _ = socket.write_all(text.as_bytes()).await;
            let _ = socket.shutdown().await;
        }
    }
}

fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        401 => "Unauthorized",
        403 => "Forbidden",
        404 => "Not Found",
        422 => "Unprocessable Entity",
        429 => "Too Many Requests",
        500 => "Internal Server Error",
        502 => "Bad Gateway",
        503 => "Service Unavailable",
        504 => "Gateway Timeout",
        _ => "Status",
    }
}

fn json_answer(status: u16, body: &Json) -> Answer {
    Answer::Http {
        status,
        headers: vec![("Content-Type".into(), "application/json".into())],
        body: body.to_string(),
    }
}

/// An ftrack error object.
fn error_object(exception: &str, content: &str) -> Json {
    json!({"exception": exception, "content": content, "error_code": null})
}

/// The status of an error: 200, or in strict mode one by exception (the
/// emulator's suggestion in PROTOCOL.md section 2; real codes are unknown).
fn error_status(strict: bool, exception: &str) -> u16 {
    if !strict {
        return 200;
    }
    match exception {
        "InvalidCredentialsError" | "FTAuthenticationError" => 401,
        "PermissionError" => 403,
        "ValidationError" => 422,
        _ => 500,
    }
}

impl State {
    fn respond(
        &mut self,
        request_line: &str,
        headers: HashMap<String, String>,
        body: &[u8],
    ) -> Answer {
        let json_body = serde_json::from_slice(body).unwrap_or(Json::Null);
        self.received.push(Received {
            headers: headers.clone(),
            body: json_body.clone(),
        });
        if !request_line.starts_with("POST /api ") {
            return Answer::Http {
                status: 404,
                headers: vec![("Content-Type".into(), "text/html".into())],
                body: "<html><body>Not found</body></html>".into(),
            };
        }
        let strict = headers
            .get("ftrack-strict-api")
            .is_some_and(|v| v == "true");

        // Faults first: they stand for a proxy or network in front.
        let mut apply_then_drop = false;
        match self.faults.pop_front() {
            None => {}
            Some(Fault::Status(status)) => {
                return Answer::Http {
                    status,
                    headers: vec![("Content-Type".into(), "text/html".into())],
                    body: format!(
                        "<html><body><h1>{status} {}</h1></body></html>",
                        reason(status)
                    ),
                }
            }
            Some(Fault::TooManyRequests(after)) => {
                return Answer::Http {
                    status: 429,
                    headers: vec![("Retry-After".into(), after)],
                    body: "slow down".into(),
                }
            }
            Some(Fault::DropBeforeApply) => return Answer::Drop,
            Some(Fault::Stall(seconds)) => return Answer::Stall(seconds),
            Some(Fault::DropAfterApply) => apply_then_drop = true,
            Some(Fault::Body(status, body)) => {
                return Answer::Http {
                    status,
                    headers: Vec::new(),
                    body,
                }
            }
            Some(Fault::Exception(exception, content)) => {
                let status = error_status(strict, &exception);
                return json_answer(status, &error_object(&exception, &content));
            }
        }

        // Authentication, from the headers of every request.
        let user = headers.get("ftrack-user").map(String::as_str);
        let key = headers.get("ftrack-api-key").map(String::as_str);
        let bearer = headers
            .get("authorization")
            .and_then(|v| v.strip_prefix("Bearer "));
        let read_only = match (user, key, bearer) {
            (_, _, Some(BEARER_TOKEN)) | (Some(API_USER), Some(API_KEY), None) => false,
            (Some(VIEWER), Some(VIEWER_KEY), None) => true,
            _ => {
                let error = error_object(
                    "InvalidCredentialsError",
                    "The supplied API key is not valid. Send it in the ftrack-api-key header.",
                );
                return json_answer(error_status(strict, "InvalidCredentialsError"), &error);
            }
        };

        let Json::Array(operations) = json_body else {
            return json_answer(
                error_status(strict, "ServerError"),
                &error_object("ServerError", "Invalid request body"),
            );
        };

        // The batch is one transaction: work on a copy, keep it on success.
        let saved = self.store.clone();
        let saved_id = self.next_id;
        let mut created = Vec::new();
        let mut results = Vec::new();
        for operation in &operations {
            match self.operation(operation, read_only, &mut created) {
                Ok(result) => results.push(result),
                Err((exception, content)) => {
                    self.store = saved;
                    self.next_id = saved_id;
                    return json_answer(
                        error_status(strict, &exception),
                        &error_object(&exception, &content),
                    );
                }
            }
        }
        if let Err(content) = self.check_required(&created) {
            self.store = saved;
            self.next_id = saved_id;
            return json_answer(
                error_status(strict, "ValidationError"),
                &error_object("ValidationError", &content),
            );
        }
        if apply_then_drop {
            return Answer::Drop;
        }
        json_answer(200, &Json::Array(results))
    }

    fn check_required(&self, created: &[(String, String)]) -> Result<(), String> {
        for (entity_type, id) in created {
            let Some(required) = self.required.get(entity_type) else {
                continue;
            };
            let Some(entity) = self.find(entity_type, id) else {
                continue;
            };
            for name in required {
                if entity.attributes.get(name).is_none_or(Json::is_null) {
                    return Err(format!(
                        "Missing required attribute {name} of {entity_type}"
                    ));
                }
            }
        }
        Ok(())
    }

    fn find(&self, entity_type: &str, id: &str) -> Option<&Stored> {
        self.store
            .iter()
            .find(|e| e.entity_type == entity_type && e.id == id)
    }

    fn operation(
        &mut self,
        operation: &Json,
        read_only: bool,
        created: &mut Vec<(String, String)>,
    ) -> Result<Json, (String, String)> {
        let fail = |exception: &str, content: String| (exception.to_owned(), content);
        let action = operation["action"].as_str().unwrap_or_default();
        let writes = matches!(action, "create" | "update" | "delete");
        if writes && read_only {
            return Err(fail(
                "PermissionError",
                format!("Permission denied: {action} is not allowed"),
            ));
        }
        let entity_type = operation["entity_type"]
            .as_str()
            .unwrap_or_default()
            .to_owned();
        let key = match &operation["entity_key"] {
            Json::Array(values) => values.first().and_then(Json::as_str).map(str::to_owned),
            Json::String(value) => Some(value.clone()),
            _ => None,
        };
        match action {
            "query_server_information" => Ok(fixture("recorded/query_server_information.json")),
            "query_schemas" => Ok(fixture("recorded/query_schemas.json")),
            "query" => {
                let expression = operation["expression"].as_str().unwrap_or_default();
                if let Some(result) = self.canned.get(&expression.to_lowercase()) {
                    return Ok(result.clone());
                }
                self.query(expression)
                    .map_err(|content| fail("ServerError", content))
            }
            "create" => {
                let mut data = operation["entity_data"]
                    .as_object()
                    .cloned()
                    .unwrap_or_default();
                data.remove("__entity_type__");
                let id = match data.get("id").and_then(Json::as_str) {
                    Some(id) => id.to_owned(),
                    None => {
                        self.next_id += 1;
                        format!("server-{}", self.next_id)
                    }
                };
                if self.find(&entity_type, &id).is_some() {
                    return Err(fail(
                        "IntegrityError",
                        format!("Duplicate entry '{id}' for key 'PRIMARY' of {entity_type}"),
                    ));
                }
                data.insert("id".into(), json!(id));
                let data = normalise(data).map_err(|content| fail("ValidationError", content))?;
                self.store.push(Stored {
                    entity_type: entity_type.clone(),
                    id: id.clone(),
                    attributes: data.clone(),
                });
                created.push((entity_type.clone(), id));
                let mut answer = data;
                answer.insert("__entity_type__".into(), json!(entity_type));
                Ok(json!({"action": "create", "data": answer}))
            }
            "update" => {
                let id =
                    key.ok_or_else(|| fail("ServerError", "update without entity_key".into()))?;
                let mut data = operation["entity_data"]
                    .as_object()
                    .cloned()
                    .unwrap_or_default();
                data.remove("__entity_type__");
                let data = normalise(data).map_err(|content| fail("ValidationError", content))?;
                let entity = self
                    .store
                    .iter_mut()
                    .find(|e| e.entity_type == entity_type && e.id == id)
                    .ok_or_else(|| {
                        fail("ServerError", format!("{entity_type} {id} was not found"))
                    })?;
                entity.attributes.extend(data.clone());
                let mut answer = data;
                answer.insert("__entity_type__".into(), json!(entity_type));
                answer.insert("id".into(), json!(id));
                Ok(json!({"action": "update", "data": answer}))
            }
            "delete" => {
                let id =
                    key.ok_or_else(|| fail("ServerError", "delete without entity_key".into()))?;
                let before = self.store.len();
                self.store
                    .retain(|e| !(e.entity_type == entity_type && e.id == id));
                if self.store.len() == before {
                    return Err(fail(
                        "ServerError",
                        format!("{entity_type} {id} was not found"),
                    ));
                }
                Ok(json!({"action": "delete", "data": true}))
            }
            "encode_media" => {
                self.next_id += 1;
                Ok(json!({"job_id": format!("job-{}", self.next_id)}))
            }
            other => Err(fail("ServerError", format!("Invalid action u'{other}'"))),
        }
    }

    fn query(&self, expression: &str) -> Result<Json, String> {
        let query = parse_query(expression)?;
        let rows: Vec<&Stored> = self
            .store
            .iter()
            .filter(|e| e.entity_type == query.entity_type)
            .filter(|e| query.criteria.iter().all(|c| c.matches(e)))
            .collect();
        let start = (query.offset as usize).min(rows.len());
        let end = match query.limit {
            Some(limit) => (start + limit as usize).min(rows.len()),
            None => rows.len(),
        };
        let next = if end < rows.len() {
            json!(end)
        } else {
            Json::Null
        };

        // De-duplicate per operation result: first occurrence in full.
        let mut emitted = HashSet::new();
        let data: Vec<Json> = rows[start..end]
            .iter()
            .map(|entity| self.project(entity, &query.projections, &mut emitted))
            .collect();
        Ok(json!({"action": "query", "data": data, "metadata": {"next": {"offset": next}}}))
    }

    fn project(
        &self,
        entity: &Stored,
        projections: &[Vec<String>],
        emitted: &mut HashSet<(String, String)>,
    ) -> Json {
        let mut object = Map::new();
        object.insert("__entity_type__".into(), json!(entity.entity_type));
        object.insert("id".into(), json!(entity.id));
        if !emitted.insert((entity.entity_type.clone(), entity.id.clone())) {
            return Json::Object(object);
        }
        // Group projections by their first attribute.
        let mut nested: Vec<(String, Vec<Vec<String>>)> = Vec::new();
        for path in projections {
            let Some((first, rest)) = path.split_first() else {
                continue;
            };
            if rest.is_empty()
                && !self
                    .relations
                    .contains_key(&(entity.entity_type.clone(), first.clone()))
            {
                if let Some(value) = entity.attributes.get(first) {
                    object.insert(first.clone(), value.clone());
                }
                continue;
            }
            match nested.iter_mut().find(|(name, _)| name == first) {
                Some((_, paths)) => paths.push(rest.to_vec()),
                None => nested.push((first.clone(), vec![rest.to_vec()])),
            }
        }
        for (relation, paths) in nested {
            let Some(target) = self
                .relations
                .get(&(entity.entity_type.clone(), relation.clone()))
            else {
                continue;
            };
            let foreign_key = entity
                .attributes
                .get(&format!("{relation}_id"))
                .and_then(Json::as_str);
            let value = match foreign_key.and_then(|id| self.find(target, id)) {
                Some(related) => self.project(related, &paths, emitted),
                None => Json::Null,
            };
            object.insert(relation, value);
        }
        Json::Object(object)
    }
}

/// Stores date-times as the real server answers them: naive UTC, seconds.
fn normalise(mut data: Map<String, Json>) -> Result<Map<String, Json>, String> {
    use ftrack_client::time::{
        format_description::well_known::Rfc3339, OffsetDateTime, PrimitiveDateTime, UtcOffset,
    };
    for value in data.values_mut() {
        if value.get("__type__").and_then(Json::as_str) != Some("datetime") {
            continue;
        }
        let text = value["value"].as_str().unwrap_or_default().to_owned();
        let parsed = OffsetDateTime::parse(&text, &Rfc3339)
            .or_else(|_| {
                PrimitiveDateTime::parse(
                    &text,
                    &ftrack_client::time::format_description::well_known::Iso8601::DEFAULT,
                )
                .map(|p| p.assume_utc())
            })
            .map_err(|_| format!("Invalid datetime {text:?}"))?;
        let utc = parsed.to_offset(UtcOffset::UTC);
        let naive = format!(
            "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}",
            utc.year(),
            u8::from(utc.month()),
            utc.day(),
            utc.hour(),
            utc.minute(),
            utc.second()
        );
        *value = json!({"__type__": "datetime", "value": naive});
    }
    Ok(data)
}

struct ParsedQuery {
    projections: Vec<Vec<String>>,
    entity_type: String,
    criteria: Vec<Criterion>,
    offset: u64,
    limit: Option<u64>,
}

struct Criterion {
    attribute: String,
    negated: bool,
    value: Option<String>,
}

impl Criterion {
    fn matches(&self, entity: &Stored) -> bool {
        let actual = match entity.attributes.get(&self.attribute) {
            None | Some(Json::Null) => None,
            Some(Json::String(text)) => Some(text.clone()),
            Some(other) => Some(other.to_string()),
        };
        let actual = if self.attribute == "id" {
            Some(entity.id.clone())
        } else {
            actual
        };
        (actual == self.value) != self.negated
    }
}

/// Splits an expression into words, keeping quoted strings whole (with the
/// quotes) and commas apart.
fn words(expression: &str) -> Result<Vec<String>, String> {
    let mut words = Vec::new();
    let mut chars = expression.chars().peekable();
    while let Some(c) = chars.next() {
        if c.is_whitespace() {
            continue;
        }
        if c == ',' {
            words.push(",".to_owned());
            continue;
        }
        let mut word = String::from(c);
        if c == '"' {
            loop {
                match chars.next() {
                    Some('\\') => word.extend(chars.next()),
                    Some('"') => {
                        word.push('"');
                        break;
                    }
                    Some(d) => word.push(d),
                    None => return Err(format!("Unterminated string in {expression:?}")),
                }
            }
        } else {
            while let Some(&d) = chars.peek() {
                if d.is_whitespace() || d == ',' {
                    break;
                }
                word.push(d);
                chars.next();
            }
        }
        words.push(word);
    }
    Ok(words)
}

fn parse_query(expression: &str) -> Result<ParsedQuery, String> {
    let bad = || format!("Cannot parse query {expression:?}");
    let words = words(expression)?;
    let mut at = 0;
    let mut projections = Vec::new();
    if words.first().map(String::as_str) == Some("select") {
        at = 1;
        loop {
            let word = words.get(at).ok_or_else(bad)?;
            if word != "," {
                projections.push(word.split('.').map(str::to_owned).collect());
            }
            at += 1;
            if words.get(at).map(String::as_str) == Some("from") {
                at += 1;
                break;
            }
        }
    }
    let entity_type = words.get(at).ok_or_else(bad)?.clone();
    at += 1;
    let mut criteria = Vec::new();
    let (mut offset, mut limit) = (0, None);
    while let Some(word) = words.get(at) {
        match word.as_str() {
            "where" | "and" => {
                let attribute = words.get(at + 1).ok_or_else(bad)?.clone();
                let negated = match words.get(at + 2).map(String::as_str) {
                    Some("is" | "=") => false,
                    Some("is_not" | "!=") => true,
                    _ => return Err(bad()),
                };
                let raw = words.get(at + 3).ok_or_else(bad)?;
                let value = match raw.as_str() {
                    "None" | "none" | "null" => None,
                    quoted if quoted.starts_with('"') => Some(quoted.trim_matches('"').to_owned()),
                    bare => Some(bare.to_owned()),
                };
                criteria.push(Criterion {
                    attribute,
                    negated,
                    value,
                });
                at += 4;
            }
            "offset" => {
                offset = words
                    .get(at + 1)
                    .and_then(|n| n.parse().ok())
                    .ok_or_else(bad)?;
                at += 2;
            }
            "limit" => {
                limit = Some(
                    words
                        .get(at + 1)
                        .and_then(|n| n.parse().ok())
                        .ok_or_else(bad)?,
                );
                at += 2;
            }
            _ => return Err(bad()),
        }
    }
    Ok(ParsedQuery {
        projections,
        entity_type,
        criteria,
        offset,
        limit,
    })
}

/// A retry policy that waits only milliseconds.
pub fn fast_retries(max_retries: u32) -> ftrack_client::RetryPolicy {
    ftrack_client::RetryPolicy {
        max_retries,
        initial_delay: std::time::Duration::from_millis(1),
        max_delay: std::time::Duration::from_millis(5),
        max_retry_after: std::time::Duration::from_secs(2),
    }
}

/// A session for Jane against this server, with fast retries.
pub fn session(server: &TestServer) -> ftrack_client::Session {
    ftrack_client::Session::builder()
        .server_url(server.url())
        .api_key(API_USER, API_KEY)
        .retry_policy(fast_retries(3))
        .build()
        .expect("a session")
}

/// Stores `count` tasks `task-0000`... named `task 0`..., each with one of
/// three statuses.
pub fn seed_tasks(server: &TestServer, count: usize) {
    server.relate("Task", "status", "Status");
    for (index, name) in ["Not started", "In progress", "Done"].iter().enumerate() {
        server.insert(
            json!({"__entity_type__": "Status", "id": format!("status-{index}"), "name": name}),
        );
    }
    for index in 0..count {
        server.insert(json!({
            "__entity_type__": "Task",
            "id": format!("task-{index:04}"),
            "name": format!("task {index}"),
            "status_id": format!("status-{}", index % 3),
        }));
    }
}
