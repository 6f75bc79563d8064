//! Whatever a client sends, the emulator answers it (with a result or an
//! ftrack-shaped error) and keeps answering.

mod common;

use common::*;
use proptest::prelude::*;
use serde_json::{json, Value};

fn json_value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(|n| json!(n)),
        any::<f64>()
            .prop_filter("finite", |f| f.is_finite())
            .prop_map(|f| json!(f)),
        "\\PC{0,12}".prop_map(Value::String),
        prop::sample::select(vec![
            "Shot",
            "Task",
            "TypedContext",
            "Metadata",
            "ContextCustomAttributeValue",
            "id",
            "name",
            "parent",
            "children",
            "__entity_type__",
            "{uid}",
            "2024-05-01T12:00:00Z",
        ])
        .prop_map(|s| json!(s)),
    ];
    leaf.prop_recursive(3, 24, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..5).prop_map(Value::Array),
            prop::collection::btree_map(
                prop::sample::select(vec![
                    "action",
                    "entity_type",
                    "entity_key",
                    "entity_data",
                    "expression",
                    "values",
                    "__entity_type__",
                    "id",
                    "name",
                    "parent",
                    "parent_id",
                    "children",
                    "value",
                    "configuration_id",
                    "entity_id",
                    "status",
                    "custom_attributes",
                    "metadata",
                ])
                .prop_map(str::to_owned),
                inner,
                0..6,
            )
            .prop_map(|map| Value::Object(map.into_iter().collect())),
        ]
    })
}

fn operation() -> impl Strategy<Value = Value> {
    let action = prop::sample::select(vec![
        "query",
        "create",
        "update",
        "delete",
        "query_schemas",
        "query_server_information",
        "nope",
    ]);
    let entity_type = prop::sample::select(vec![
        "Shot",
        "Task",
        "Project",
        "Metadata",
        "ContextCustomAttributeValue",
        "Status",
        "Nope",
    ]);
    let expression = prop_oneof![
        "\\PC{0,40}",
        prop::sample::select(vec![
            "select name, parent.children.name from Shot where children any (name like \"%\")",
            "Task where id in (select id from Task where parent_id in (select id from Shot))",
            "select custom_attributes from TypedContext order by parent.parent.name desc",
            "select count(id) from Task group by status_id",
            "Context where not (name is none or link is none) offset 99999999999 limit 0",
        ])
        .prop_map(str::to_owned),
    ];
    (action, entity_type, json_value(), json_value(), expression).prop_map(
        |(action, entity_type, key, data, expression)| {
            json!({"action": action, "entity_type": entity_type, "entity_key": key,
                   "entity_data": data, "expression": expression})
        },
    )
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 200, ..ProptestConfig::default() })]

    #[test]
    fn arbitrary_json_bodies_get_an_answer(body in json_value()) {
        let emulator = shared();
        let (status, answer) = send(emulator, &body);
        prop_assert_eq!(status, 200);
        prop_assert!(answer.is_array() || answer.get("exception").is_some(), "{}", answer);
    }

    #[test]
    fn arbitrary_operations_get_an_answer(operations in prop::collection::vec(operation(), 0..6)) {
        let emulator = shared();
        let (status, answer) = send(emulator, &Value::Array(operations.clone()));
        prop_assert_eq!(status, 200);
        match &answer {
            Value::Array(results) => prop_assert_eq!(results.len(), operations.len()),
            other => prop_assert!(other.get("exception").is_some(), "{}", other),
        }
    }

    #[test]
    fn arbitrary_bytes_get_an_answer(bytes in prop::collection::vec(any::<u8>(), 0..200)) {
        let emulator = shared();
        let response = reqwest::blocking::Client::new()
            .post(format!("{}/api", emulator.url()))
            .header("ftrack-user", emulator.api_user())
            .header("ftrack-api-key", emulator.api_key())
            .body(bytes)
            .send()
            .unwrap();
        prop_assert_eq!(response.status().as_u16(), 200);
        let answer: Value = response.json().unwrap();
        prop_assert!(answer.is_array() || answer.get("exception").is_some());
    }
}

/// One emulator for all cases, with the demo project, so that writes that
/// happen to be valid pile up and later cases meet a changed store.
fn shared() -> &'static ftrack_emulator::EmulatorHandle {
    static EMULATOR: std::sync::OnceLock<ftrack_emulator::EmulatorHandle> =
        std::sync::OnceLock::new();
    EMULATOR.get_or_init(demo)
}

#[test]
fn the_server_still_answers_after_the_arbitrary_cases() {
    let emulator = demo();
    for body in [
        json!(null),
        json!([[]]),
        json!([{"action": []}]),
        json!("["),
    ] {
        send(&emulator, &body);
    }
    assert_eq!(query(&emulator, "select name from Sequence").len(), 2);
}
