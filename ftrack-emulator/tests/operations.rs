//! Each operation over HTTP: what it answers and what it keeps.

mod common;

use common::*;
use serde_json::{json, Value};

#[test]
fn server_information_names_a_version_the_python_client_accepts_and_the_schema_hash() {
    let emulator = site();

    let results = ok(&emulator, json!([{"action": "query_server_information"}]));

    let information = &results[0];
    let version = information["version"].as_str().unwrap();
    let parts: Vec<u64> = version
        .split('.')
        .take(3)
        .map(|p| p.parse().unwrap())
        .collect();
    assert!(parts >= vec![3, 3, 11], "{version}");
    assert_eq!(information["is_timezone_support_enabled"], json!(true));
    assert_eq!(
        information["storage_scenario"]["scenario"],
        "ftrack.automatic"
    );
    assert_eq!(information["schema_hash"].as_str().unwrap().len(), 32);
}

#[test]
fn server_information_answers_only_the_values_asked_for() {
    let emulator = site();

    let results = ok(
        &emulator,
        json!([{"action": "query_server_information", "values": ["version", "no_such_value"]}]),
    );

    let keys: Vec<&String> = results[0].as_object().unwrap().keys().collect();
    assert_eq!(keys, ["version"]);
}

#[test]
fn query_schemas_exports_the_shipped_schema() {
    let emulator = site();

    let results = ok(&emulator, json!([{"action": "query_schemas"}]));

    let schemas = results[0].as_array().unwrap();
    assert_eq!(schemas.len(), 130);
    let task = schemas.iter().find(|s| s["id"] == "Task").unwrap();
    assert_eq!(task["primary_key"], json!(["id"]));
    assert_eq!(task["$mixin"]["$ref"], "TypedContext");
}

#[test]
fn create_answers_every_set_scalar_with_defaults_and_the_generated_id() {
    let emulator = site();

    let results = ok(
        &emulator,
        json!([create(
            "User",
            json!({"username": "jane", "first_name": "Jane"})
        )]),
    );

    assert_eq!(results[0]["action"], "create");
    let user = &results[0]["data"];
    assert_eq!(user["__entity_type__"], "User");
    assert_eq!(user["username"], "jane");
    assert_eq!(user["resource_type"], "user", "a schema default");
    assert_eq!(
        user["is_active"],
        json!(false),
        "filled as the recorded server does"
    );
    let id = user["id"].as_str().unwrap();
    assert!(
        uuid::Uuid::parse_str(id).is_ok(),
        "{{uid}} gives a UUID: {id}"
    );
    assert_eq!(query(&emulator, &format!("User where id is {id}")).len(), 1);
}

#[test]
fn create_fills_what_the_server_fills_for_a_shot() {
    let emulator = site();
    let project = id();
    let sequence = id();
    let shot = id();

    ok(
        &emulator,
        json!([
            create(
                "Project",
                json!({"id": project, "name": "p", "full_name": "P",
                "project_schema": {"__entity_type__": "ProjectSchema", "id": VFX}})
            ),
            create(
                "Sequence",
                json!({"id": sequence, "name": "sq", "parent_id": project})
            ),
            create(
                "Shot",
                json!({
                    "id": shot,
                    "name": "sh",
                    "parent": {"__entity_type__": "Sequence", "id": sequence},
                })
            ),
        ]),
    );

    let rows = query(
        &emulator,
        &format!(
            "select context_type, object_type.name, project_id, status.name, priority.name, \
             bid, sort, created_by.username from Shot where id is {shot}"
        ),
    );
    let row = &rows[0];
    assert_eq!(row["context_type"], "task");
    assert_eq!(row["object_type"]["name"], "Shot");
    assert_eq!(row["project_id"], json!(project));
    assert_eq!(row["status"]["name"], "Not started");
    assert_eq!(row["priority"]["name"], "None");
    assert_eq!(row["bid"], json!(0));
    assert_eq!(row["sort"], json!(0));
    assert_eq!(row["created_by"]["username"], emulator.api_user());
    let project_row = &query(
        &emulator,
        &format!("select context_type from Project where id is {project}"),
    )[0];
    assert_eq!(project_row["context_type"], "show");
}

#[test]
fn update_answers_the_changed_attributes_with_the_key_and_system_projections() {
    let emulator = site();
    let ids = hierarchy(&emulator);
    let task = &ids["sh010/compositing"];

    let results = ok(
        &emulator,
        json!([update(
            "Task",
            task,
            json!({"__entity_type__": "Task", "name": "comp v2"})
        )]),
    );

    let data = &results[0]["data"];
    assert_eq!(results[0]["action"], "update");
    assert_eq!(data["name"], "comp v2");
    assert_eq!(data["id"], json!(task));
    assert_eq!(data["project_id"], json!(ids["project"]));
    assert_eq!(data["context_type"], "task");
    assert!(
        data.get("bid").is_none(),
        "unchanged attributes are left out: {data}"
    );
    assert_eq!(
        query(
            &emulator,
            &format!("select name from Task where id is {task}")
        )[0]["name"],
        "comp v2"
    );
}

#[test]
fn update_accepts_a_scalar_entity_key_and_a_base_type() {
    let emulator = site();
    let ids = hierarchy(&emulator);
    let shot = &ids["sh010"];

    ok(
        &emulator,
        json!([{"action": "update", "entity_type": "TypedContext", "entity_key": shot,
                "entity_data": {"description": "hero shot"}}]),
    );

    let row = &query(
        &emulator,
        &format!("select description from Shot where id is {shot}"),
    )[0];
    assert_eq!(row["description"], "hero shot");
    assert_eq!(row["__entity_type__"], "Shot");
}

#[test]
fn delete_answers_true_and_removes_the_entity() {
    let emulator = site();
    let ids = hierarchy(&emulator);
    let task = &ids["sh010/compositing"];

    let results = ok(&emulator, json!([delete("Task", task)]));

    assert_eq!(results[0], json!({"action": "delete", "data": true}));
    assert!(query(&emulator, &format!("Task where id is {task}")).is_empty());
}

#[test]
fn deleting_a_context_deletes_its_descendants_and_their_metadata() {
    let emulator = site();
    let ids = hierarchy(&emulator);
    ok(
        &emulator,
        json!([create(
            "Metadata",
            json!({"parent_id": ids["sh010/animation"], "parent_type": "Task",
            "key": "fps", "value": "24"})
        )]),
    );

    ok(&emulator, json!([delete("Sequence", &ids["sq010"])]));

    let project = &ids["project"];
    assert!(query(
        &emulator,
        &format!("TypedContext where project_id is {project}")
    )
    .is_empty());
    assert!(query(&emulator, "Metadata where key is fps").is_empty());
    assert_eq!(
        query(&emulator, &format!("Project where id is {project}")).len(),
        1
    );
}

#[test]
fn composite_keys_identify_metadata() {
    let emulator = site();
    let ids = hierarchy(&emulator);
    let shot = &ids["sh010"];
    ok(
        &emulator,
        json!([create(
            "Metadata",
            json!({"parent_id": shot, "parent_type": "Shot", "key": "fps", "value": "24"})
        )]),
    );

    ok(
        &emulator,
        json!([{"action": "update", "entity_type": "Metadata", "entity_key": [shot, "fps"],
                "entity_data": {"value": "25"}}]),
    );

    let rows = query(
        &emulator,
        &format!("select metadata.value from Shot where id is {shot}"),
    );
    assert_eq!(rows[0]["metadata"][0]["value"], "25");
    assert_eq!(rows[0]["metadata"][0]["key"], "fps");
    let duplicate = fails(
        &emulator,
        json!([create(
            "Metadata",
            json!({"parent_id": shot, "parent_type": "Shot", "key": "fps", "value": "1"})
        )]),
    );
    assert_eq!(duplicate["exception"], "DuplicateEntryError");
}

#[test]
fn custom_attribute_values_are_dense_and_updates_upsert_them() {
    let emulator = site();
    let ids = hierarchy(&emulator);
    let shot = &ids["sh010"];
    let fstart = "select custom_attributes from Shot where id is ";
    let before = query(&emulator, &format!("{fstart}{shot}"));
    let values = before[0]["custom_attributes"].as_array().unwrap();
    let keys: Vec<&str> = values.iter().map(|v| v["key"].as_str().unwrap()).collect();
    assert!(
        keys.contains(&"fstart") && keys.contains(&"fend"),
        "{keys:?}"
    );
    let configuration = values.iter().find(|v| v["key"] == "fstart").unwrap()["configuration_id"]
        .as_str()
        .unwrap()
        .to_owned();

    ok(
        &emulator,
        json!([{"action": "update", "entity_type": "ContextCustomAttributeValue",
                "entity_key": [configuration, shot],
                "entity_data": {"__entity_type__": "ContextCustomAttributeValue", "value": 1001}}]),
    );

    let after = query(&emulator, &format!("{fstart}{shot}"));
    let values = after[0]["custom_attributes"].as_array().unwrap();
    assert_eq!(
        values.iter().find(|v| v["key"] == "fstart").unwrap()["value"],
        json!(1001)
    );
    assert_eq!(
        values.iter().find(|v| v["key"] == "fend").unwrap()["value"],
        json!(1)
    );
    let wrong = fails(
        &emulator,
        json!([{"action": "update", "entity_type": "ContextCustomAttributeValue",
                "entity_key": [configuration, shot], "entity_data": {"value": "soon"}}]),
    );
    assert_eq!(wrong["exception"], "ValidationError");
    assert!(
        wrong["content"].as_str().unwrap().contains("number"),
        "{wrong}"
    );
}

#[test]
fn collections_without_a_key_are_stored_and_replaced_whole() {
    let emulator = site();
    let workflow = id();
    ok(
        &emulator,
        json!([create(
            "WorkflowSchema",
            json!({
                "id": workflow,
                "name": "short",
                "statuses": [
                    {"__entity_type__": "Status", "id": NOT_STARTED},
                    {"__entity_type__": "Status", "id": IN_PROGRESS},
                ],
            })
        )]),
    );

    ok(
        &emulator,
        json!([update(
            "WorkflowSchema",
            &workflow,
            json!({"statuses": [{"__entity_type__": "Status", "id": IN_PROGRESS}]})
        )]),
    );

    let rows = query(
        &emulator,
        &format!("select statuses.name from WorkflowSchema where id is {workflow}"),
    );
    let names: Vec<&Value> = rows[0]["statuses"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| &s["name"])
        .collect();
    assert_eq!(names, [&json!("In progress")]);
}

#[test]
fn datetimes_in_every_client_form_are_answered_as_naive_utc() {
    let emulator = site();
    let ids = hierarchy(&emulator);
    let forms = [
        ("2024-05-01T12:00:00+02:00", "2024-05-01T10:00:00"),
        ("2024-05-01T12:00:00.000Z", "2024-05-01T12:00:00"),
        ("2024-05-01T12:00:00.123456", "2024-05-01T12:00:00"),
        ("2024-05-01", "2024-05-01T00:00:00"),
    ];
    for (sent, answered) in forms {
        let task = &ids["sh010/compositing"];

        ok(
            &emulator,
            json!([update(
                "Task",
                task,
                json!({"start_date": {"__type__": "datetime", "value": sent}})
            )]),
        );

        let row = &query(
            &emulator,
            &format!("select start_date from Task where id is {task}"),
        )[0];
        assert_eq!(
            row["start_date"],
            json!({"__type__": "datetime", "value": answered}),
            "{sent}"
        );
    }
}

#[test]
fn a_studio_schema_without_the_site_types_starts_with_what_fits() {
    let yaml = r#"
entity_types:
  Status:
    primary_key: [id]
    attributes:
      id: {type: string, default: "{uid}"}
      name: {type: string}
  Note:
    primary_key: [text]
    attributes:
      text: {type: string}
"#;
    let schema = ftrack_schema::Schema::from_yaml(yaml, "studio.yaml").unwrap();
    let emulator =
        ftrack_emulator::Emulator::start(ftrack_emulator::EmulatorOptions::new().schema(schema))
            .unwrap();

    let statuses = query(
        &emulator,
        "select name from Status where name is \"In progress\"",
    );
    ok(&emulator, json!([create("Note", json!({"text": "hello"}))]));
    let schemas = ok(&emulator, json!([{"action": "query_schemas"}]));

    assert_eq!(statuses.len(), 1, "the recorded statuses fit this schema");
    assert_eq!(query(&emulator, "Note").len(), 1);
    assert_eq!(schemas[0].as_array().unwrap().len(), 2);
}

#[test]
fn seeded_entities_can_be_updated_without_breaking_their_rules() {
    let emulator = site();
    let configuration = &query(
        &emulator,
        "select default, type.name from CustomAttributeConfiguration where key is somedate",
    )[0];
    let id = configuration["id"].as_str().unwrap();

    ok(
        &emulator,
        json!([update(
            "CustomAttributeConfiguration",
            id,
            json!({"label": "Some day"})
        )]),
    );
    ok(
        &emulator,
        json!([update("Status", IN_PROGRESS, json!({"color": "#00ff00"}))]),
    );
    ok(
        &emulator,
        json!([update(
            "ObjectType",
            "bad911de-3bd6-47b9-8b46-3476e237cb36",
            json!({"sort": 3})
        )]),
    );

    assert_eq!(
        configuration["default"],
        json!({"__type__": "datetime", "value": "2024-06-22T00:00:00"}),
        "date defaults are typed"
    );
}
