//! Helpers shared by the emulator's tests: start one, call it over HTTP.

#![allow(dead_code)] // each test file uses a different part

use ftrack_emulator::{Emulator, EmulatorHandle, EmulatorOptions, Seed};
use serde_json::{json, Value};

/// An emulator with the site seed.
pub fn site() -> EmulatorHandle {
    Emulator::start(EmulatorOptions::new()).expect("the emulator starts")
}

/// An emulator with the demo project.
pub fn demo() -> EmulatorHandle {
    Emulator::start(EmulatorOptions::new().seed(Seed::Demo)).expect("the emulator starts")
}

/// Sends `body` with the emulator's credentials; the HTTP status and the
/// JSON answer.
pub fn send(emulator: &EmulatorHandle, body: &Value) -> (u16, Value) {
    send_with(emulator, body, &[])
}

/// Like [`send`], with extra headers.
pub fn send_with(
    emulator: &EmulatorHandle,
    body: &Value,
    headers: &[(&str, &str)],
) -> (u16, Value) {
    let mut request = reqwest::blocking::Client::new()
        .post(format!("{}/api", emulator.url()))
        .header("ftrack-user", emulator.api_user())
        .header("ftrack-api-key", emulator.api_key())
        .json(body);
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    let response = request.send().expect("the emulator answers");
    let status = response.status().as_u16();
    (status, response.json().expect("the answer is JSON"))
}

/// Sends a batch that must succeed; its results.
pub fn ok(emulator: &EmulatorHandle, body: Value) -> Vec<Value> {
    let (status, answer) = send(emulator, &body);
    assert_eq!(status, 200);
    match answer {
        Value::Array(results) => results,
        other => panic!("the batch failed: {other}"),
    }
}

/// Sends a batch that must fail; the error object.
pub fn fails(emulator: &EmulatorHandle, body: Value) -> Value {
    let (_, answer) = send(emulator, &body);
    assert!(answer.is_object(), "the batch should have failed: {answer}");
    answer
}

/// The rows of one query.
pub fn query(emulator: &EmulatorHandle, expression: &str) -> Vec<Value> {
    let results = ok(
        emulator,
        json!([{"action": "query", "expression": expression}]),
    );
    results[0]["data"].as_array().cloned().expect("query data")
}

/// A create operation.
pub fn create(entity_type: &str, data: Value) -> Value {
    json!({"action": "create", "entity_type": entity_type, "entity_data": data})
}

/// An update operation of a single-key entity.
pub fn update(entity_type: &str, id: &str, data: Value) -> Value {
    json!({"action": "update", "entity_type": entity_type, "entity_key": [id], "entity_data": data})
}

/// A delete operation of a single-key entity.
pub fn delete(entity_type: &str, id: &str) -> Value {
    json!({"action": "delete", "entity_type": entity_type, "entity_key": [id]})
}

/// A new id.
pub fn id() -> String {
    uuid::Uuid::new_v4().to_string()
}

/// The `VFX` project schema of the site seed.
pub const VFX: &str = "caddd816-acb5-11e1-8668-f23c91df1211";
/// The `Compositing` task type.
pub const COMPOSITING: &str = "44dd23b6-4164-11df-9218-0019bb4983d8";
/// The `Animation` task type.
pub const ANIMATION: &str = "44dc3636-4164-11df-9218-0019bb4983d8";
/// The `In progress` status.
pub const IN_PROGRESS: &str = "44ddd0fe-4164-11df-9218-0019bb4983d8";
/// The `Not started` status.
pub const NOT_STARTED: &str = "44dd9fb2-4164-11df-9218-0019bb4983d8";

/// Creates a project, a sequence, two shots with a compositing and an
/// animation task each; their ids by name (`project`, `sq010`, `sh010`,
/// `sh010/compositing`...).
pub fn hierarchy(emulator: &EmulatorHandle) -> std::collections::HashMap<String, String> {
    let mut ids = std::collections::HashMap::new();
    let project = id();
    let sequence = id();
    ids.insert("project".to_owned(), project.clone());
    ids.insert("sq010".to_owned(), sequence.clone());
    let mut batch = vec![
        create(
            "Project",
            json!({"id": project, "name": "p", "full_name": "P", "project_schema_id": VFX}),
        ),
        create(
            "Sequence",
            json!({"id": sequence, "name": "sq010", "parent_id": project}),
        ),
    ];
    for shot_name in ["sh010", "sh020"] {
        let shot = id();
        ids.insert(shot_name.to_owned(), shot.clone());
        batch.push(create(
            "Shot",
            json!({"id": shot, "name": shot_name, "parent_id": sequence}),
        ));
        for (task_name, type_id) in [("compositing", COMPOSITING), ("animation", ANIMATION)] {
            let task = id();
            ids.insert(format!("{shot_name}/{task_name}"), task.clone());
            batch.push(create(
                "Task",
                json!({"id": task, "name": task_name, "parent_id": shot, "type_id": type_id}),
            ));
        }
    }
    ok(emulator, Value::Array(batch));
    ids
}
