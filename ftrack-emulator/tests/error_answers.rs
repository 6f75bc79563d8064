//! Every error answer: ftrack's JSON shape, the right exception, HTTP 200
//! unless strict mode asks for a status, no secret in any message, and a
//! server that keeps answering afterwards.

mod common;

use common::*;
use ftrack_emulator::{Emulator, EmulatorOptions};
use serde_json::{json, Value};

fn raw(
    emulator: &ftrack_emulator::EmulatorHandle,
    body: &'static [u8],
    headers: &[(&str, &str)],
) -> (u16, Value) {
    let mut request = reqwest::blocking::Client::new()
        .post(format!("{}/api", emulator.url()))
        .body(body);
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    let response = request.send().expect("the emulator answers");
    (
        response.status().as_u16(),
        response.json().expect("an ftrack-shaped JSON error"),
    )
}

fn assert_shape(error: &Value, exception: &str) {
    assert_eq!(error["exception"], exception, "{error}");
    assert!(
        error["content"].as_str().is_some_and(|c| !c.is_empty()),
        "{error}"
    );
    assert!(error.get("error_code").is_some(), "{error}");
}

fn still_answers(emulator: &ftrack_emulator::EmulatorHandle) {
    let results = ok(
        emulator,
        json!([{"action": "query", "expression": "select name from Status limit 1"}]),
    );
    assert_eq!(results[0]["data"].as_array().unwrap().len(), 1);
}

#[test]
fn wrong_or_missing_credentials_get_invalid_credentials_without_the_key() {
    let emulator = Emulator::start(
        EmulatorOptions::new()
            .api_user("jane")
            .api_key("s3cret-key"),
    )
    .unwrap();
    let body = b"[{\"action\": \"query_server_information\"}]";

    let (status, wrong_key) = raw(
        &emulator,
        body,
        &[("ftrack-user", "jane"), ("ftrack-api-key", "guess")],
    );
    let (_, wrong_user) = raw(
        &emulator,
        body,
        &[("ftrack-user", "john"), ("ftrack-api-key", "s3cret-key")],
    );
    let (_, missing) = raw(&emulator, body, &[]);
    let (strict_status, _) = raw(
        &emulator,
        body,
        &[
            ("ftrack-user", "jane"),
            ("ftrack-api-key", "guess"),
            ("ftrack-strict-api", "true"),
        ],
    );

    assert_eq!(status, 200, "no strict mode: errors come with 200");
    assert_eq!(strict_status, 401);
    for error in [&wrong_key, &wrong_user, &missing] {
        assert_shape(error, "InvalidCredentialsError");
        let text = error.to_string();
        assert!(
            !text.contains("s3cret-key") && !text.contains("guess"),
            "a key leaked: {text}"
        );
    }
    assert!(missing["content"]
        .as_str()
        .unwrap()
        .contains("ftrack-api-key"));
    assert!(
        emulator.operations().is_empty(),
        "refused requests are not recorded"
    );
    still_answers(&emulator);
}

#[test]
fn a_bearer_token_authenticates_when_configured() {
    let emulator = Emulator::start(EmulatorOptions::new().bearer_token("t0ken")).unwrap();
    let body = b"[{\"action\": \"query_server_information\"}]";

    let (_, good) = raw(&emulator, body, &[("authorization", "Bearer t0ken")]);
    let (_, bad) = raw(&emulator, body, &[("authorization", "Bearer nope")]);

    assert!(good.is_array(), "{good}");
    assert_shape(&bad, "InvalidCredentialsError");
    assert!(!bad.to_string().contains("t0ken"));
}

#[test]
fn strict_mode_maps_exceptions_to_http_statuses() {
    let emulator = site();
    hierarchy(&emulator);
    let strict = [("ftrack-strict-api", "true")];

    let (validation, _) = send_with(
        &emulator,
        &json!([create("Shot", json!({"nope": 1}))]),
        &strict,
    );
    let (integrity, _) = send_with(&emulator, &json!([delete("Status", NOT_STARTED)]), &strict);
    let (fine, _) = send_with(&emulator, &json!([{"action": "query_schemas"}]), &strict);
    let (relaxed, _) = send_with(
        &emulator,
        &json!([create("Shot", json!({"nope": 1}))]),
        &[("ftrack-strict-api", "false")],
    );

    assert_eq!(validation, 422);
    assert_eq!(fine, 200);
    assert_eq!(relaxed, 200);
    assert_eq!(integrity, 422, "tasks still refer to the status");
}

#[test]
fn a_body_over_the_size_limit_is_refused_clearly() {
    let emulator = Emulator::start(EmulatorOptions::new().max_body_bytes(1024)).unwrap();
    let expression = format!("Shot where name is \"{}\"", "x".repeat(4096));
    let big = json!([{"action": "query", "expression": expression}]);

    let (status, error) = send(&emulator, &big);
    let (strict_status, _) = send_with(&emulator, &big, &[("ftrack-strict-api", "true")]);

    assert_eq!(status, 200);
    assert_shape(&error, "PayloadTooLargeError");
    assert!(error["content"].as_str().unwrap().contains("1024"));
    assert_eq!(strict_status, 413);
    still_answers(&emulator);
}

#[test]
fn bodies_that_are_not_a_list_of_operations_are_malformed_requests() {
    let emulator = site();
    let credentials = [
        ("ftrack-user", emulator.api_user()),
        ("ftrack-api-key", emulator.api_key()),
    ];

    let cases: [&'static [u8]; 5] = [
        b"not json at all",
        b"{\"action\": \"query_schemas\"}",
        b"[1, 2]",
        b"[{\"no_action\": true}]",
        b"",
    ];
    for body in cases {
        let (status, error) = raw(&emulator, body, &credentials);
        assert_eq!(status, 200);
        assert_shape(&error, "MalformedRequestError");
    }
    let mut strict = credentials.to_vec();
    strict.push(("ftrack-strict-api", "true"));
    let (status, _) = raw(&emulator, b"[1]", &strict);
    assert_eq!(status, 400);
    still_answers(&emulator);
}

#[test]
fn unknown_actions_say_invalid_action_as_the_python_client_expects() {
    let emulator = site();

    let error = fails(
        &emulator,
        json!([{"action": "get_widget_url", "name": "info"}]),
    );

    assert_shape(&error, "ValidationError");
    assert!(
        error["content"]
            .as_str()
            .unwrap()
            .contains("Invalid action u'get_widget_url'"),
        "{error}"
    );
}

#[test]
fn unknown_entity_types_and_missing_fields_are_validation_errors() {
    let emulator = site();

    let unknown_type = fails(&emulator, json!([create("Shoot", json!({}))]));
    let no_data = fails(
        &emulator,
        json!([{"action": "create", "entity_type": "Shot"}]),
    );
    let no_key = fails(
        &emulator,
        json!([{"action": "update", "entity_type": "Shot", "entity_data": {}}]),
    );
    let not_there = fails(
        &emulator,
        json!([update("Shot", &id(), json!({"name": "x"}))]),
    );
    let no_expression = fails(&emulator, json!([{"action": "query"}]));

    for error in [&unknown_type, &no_data, &no_key, &not_there, &no_expression] {
        assert_shape(error, "ValidationError");
    }
}

#[test]
fn other_paths_and_methods_get_ftrack_shaped_errors() {
    let emulator = site();
    let client = reqwest::blocking::Client::new();

    let wrong_path = client
        .post(format!("{}/nope", emulator.url()))
        .body("[]")
        .send()
        .unwrap();
    let wrong_method = client
        .get(format!("{}/api", emulator.url()))
        .send()
        .unwrap();

    assert_eq!(wrong_path.status().as_u16(), 404);
    assert_shape(&wrong_path.json().unwrap(), "NotFoundError");
    assert_eq!(wrong_method.status().as_u16(), 405);
    assert_shape(&wrong_method.json().unwrap(), "MalformedRequestError");
}

#[test]
fn the_record_holds_each_operation_received() {
    let emulator = site();

    ok(
        &emulator,
        json!([{"action": "query_server_information"}, {"action": "query_schemas"}]),
    );
    ok(
        &emulator,
        json!([{"action": "query", "expression": "Status"}]),
    );

    let operations = emulator.operations();
    let actions: Vec<(u64, usize, &str)> = operations
        .iter()
        .map(|o| (o.request, o.index, o.action.as_str()))
        .collect();
    assert_eq!(
        actions,
        [
            (0, 0, "query_server_information"),
            (0, 1, "query_schemas"),
            (1, 0, "query")
        ]
    );
    assert_eq!(operations[2].operation["expression"], "Status");
    emulator.clear_operations();
    assert!(emulator.operations().is_empty());
}
