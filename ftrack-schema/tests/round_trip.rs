//! Import -> YAML -> export gives back exactly what the server said.

use ftrack_schema::Schema;
use serde_json::Value;

fn dump(name: &str) -> Value {
    let path = format!("{}/../fixtures/{name}", env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(&path).expect("recorded dump is readable");
    serde_json::from_str(&text).expect("recorded dump is JSON")
}

fn round_trip(answer: &Value) -> (Schema, Value) {
    let imported = Schema::from_query_schemas(answer).expect("dump imports");
    let yaml = imported.to_yaml();
    let reloaded = Schema::from_yaml(&yaml, "imported.yaml").expect("imported YAML is valid");
    assert!(
        reloaded == imported,
        "YAML must keep every fact of the model"
    );
    let exported = reloaded.to_query_schemas();
    (reloaded, exported)
}

/// Finds the first difference, so that a failure says where it is.
fn first_difference(expected: &Value, actual: &Value, path: &str) -> Option<String> {
    match (expected, actual) {
        (Value::Object(e), Value::Object(a)) => {
            for key in e.keys().chain(a.keys()) {
                let here = format!("{path}/{key}");
                match (e.get(key), a.get(key)) {
                    (Some(x), Some(y)) => {
                        if let Some(d) = first_difference(x, y, &here) {
                            return Some(d);
                        }
                    }
                    (x, y) => return Some(format!("{here}: {x:?} != {y:?}")),
                }
            }
            None
        }
        (Value::Array(e), Value::Array(a)) if e.len() == a.len() => e
            .iter()
            .zip(a)
            .enumerate()
            .find_map(|(i, (x, y))| first_difference(x, y, &format!("{path}/{i}"))),
        _ if expected == actual => None,
        _ => Some(format!("{path}: {expected} != {actual}")),
    }
}

#[test]
fn the_current_servers_schema_survives_the_round_trip() {
    let answer = dump("site/query_schemas.json");

    let (schema, exported) = round_trip(&answer);

    assert_eq!(first_difference(&answer, &exported, ""), None);
    assert_eq!(exported, answer);
    assert_eq!(schema.entity_types.len(), 130);
    assert_eq!(
        schema.entity_type("Shot").unwrap().extends.as_deref(),
        Some("TypedContext")
    );
    assert_eq!(
        schema
            .entity_type("TypedContext")
            .unwrap()
            .extends
            .as_deref(),
        Some("Context")
    );
    assert!(schema.is_kind_of("Shot", "Context"));
}

#[test]
fn the_older_servers_schema_survives_the_round_trip() {
    let answer = dump("recorded/query_schemas.json");

    let (schema, exported) = round_trip(&answer);

    assert_eq!(first_difference(&answer, &exported, ""), None);
    assert_eq!(exported, answer);
    assert_eq!(schema.entity_types.len(), 116);
    assert!(schema.entity_types.values().all(|t| t.extends.is_none()));
}

#[test]
fn mixin_hints_and_schema_metadata_are_kept() {
    let answer = dump("site/query_schemas.json");

    let schema = Schema::from_query_schemas(&answer).unwrap();

    let change = schema.entity_type("TypedContextStatusChange").unwrap();
    assert_eq!(change.extends.as_deref(), Some("StatusChange"));
    assert_eq!(
        change.mixin_hints,
        Some(serde_json::json!({"/alias_for": "preserve"}))
    );
    let note = schema.entity_type("Note").unwrap();
    assert_eq!(note.metadata, Some(serde_json::json!({"group_by": true})));
    assert!(schema.entity_type("SplitTaskPart").unwrap().untyped);
}

#[test]
fn relation_keys_are_inferred_from_names_and_descriptions() {
    let schema = Schema::from_query_schemas(&dump("site/query_schemas.json")).unwrap();

    let attr = |ty: &str, name: &str| schema.entity_type(ty).unwrap().attributes[name].clone();
    assert_eq!(
        attr("Shot", "parent").foreign_key.as_deref(),
        Some("parent_id")
    );
    assert_eq!(
        attr("Task", "status").foreign_key.as_deref(),
        Some("status_id")
    );
    assert_eq!(
        attr("Context", "children").reverse_key.as_deref(),
        Some("parent_id")
    );
    assert_eq!(
        attr("Asset", "versions").reverse_key.as_deref(),
        Some("asset_id")
    );
    assert_eq!(
        attr("Task", "timelogs").reverse_key.as_deref(),
        Some("context_id")
    );
    // The hierarchy around a context is no one key's doing.
    assert_eq!(attr("Shot", "ancestors").reverse_key, None);
    assert_eq!(attr("Project", "descendants").reverse_key, None);
    assert!(schema.check().is_empty(), "{:?}", schema.check());
}

#[test]
fn a_json_that_is_not_a_query_schemas_answer_is_refused() {
    let error = Schema::from_query_schemas(&serde_json::json!({"action": "query"})).unwrap_err();
    assert_eq!(
        error.to_string(),
        "not a query_schemas answer: expected a list of entity types, found an object"
    );

    let error = Schema::from_query_schemas(&serde_json::json!([{"properties": {}}])).unwrap_err();
    assert_eq!(
        error.to_string(),
        "entity type 0: has no string `id` naming the entity type"
    );

    let bad_type = serde_json::json!([{"id": "Shot", "properties": {"name": {"type": "text"}}}]);
    let error = Schema::from_query_schemas(&bad_type).unwrap_err();
    assert_eq!(
        error.to_string(),
        "entity type 0 (`Shot`) attribute `name`: unknown type `text`"
    );
}
