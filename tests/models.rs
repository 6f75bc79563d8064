//! Generated models decode the server's recorded answers and write the wire
//! form back.

use ftrack::entities::{AssetVersion, Project, Status, Task};
use serde_json::{json, Value};

fn recorded(name: &str) -> Vec<Value> {
    let path = format!("{}/fixtures/{name}", env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(&path).expect("the fixture is there");
    let answer: Value = serde_json::from_str(&text).expect("the fixture is JSON");
    match answer {
        Value::Array(items) => items,
        answer => answer["data"].as_array().expect("a query answer").clone(),
    }
}

#[test]
fn a_recorded_task_decodes_with_its_date_time() {
    let data = recorded("recorded/query_select_name,_created_at_from_task_limit_1.json");

    let task: Task = serde_json::from_value(data[0].clone()).expect("decodes");

    assert_eq!(task.context_type.as_deref(), Some("task"));
    assert_eq!(
        task.created_at,
        Some(time::macros::datetime!(2022-10-10 10:12:09 UTC))
    );
    assert_eq!(task.status, None, "not selected, so not there");
}

#[test]
fn references_and_collections_decode_into_their_models() {
    let data = recorded(concat!(
        "recorded/query_select_version,_asset.versions.version_from_assetversion",
        "_where_asset_id_is_not_none_limit_1.json"
    ));

    let version: AssetVersion = serde_json::from_value(data[0].clone()).expect("decodes");

    let asset = version.asset.expect("the asset was selected");
    let versions: Vec<Option<i64>> = asset
        .versions
        .expect("and its versions")
        .iter()
        .map(|v| v.version)
        .collect();
    assert_eq!(versions, [None, Some(2), Some(3)]);
}

#[test]
fn every_recorded_status_decodes() {
    let statuses: Vec<Status> = recorded("site/query_statuses.json")
        .into_iter()
        .map(|s| serde_json::from_value(s).expect("decodes"))
        .collect();

    assert!(statuses.len() > 5);
    assert!(statuses
        .iter()
        .all(|s| s.state.as_ref().is_some_and(|st| st.id.is_some())));
}

#[test]
fn mapped_collections_become_maps_and_round_trip() {
    let wire = json!({
        "__entity_type__": "Project",
        "full_name": "Big Buck Bunny",
        "metadata": [
            {"__entity_type__": "Metadata", "key": "fps", "value": "24"},
            {"__entity_type__": "Metadata", "key": "lens", "value": "35mm"}
        ],
        "custom_attributes": [
            {"__entity_type__": "ContextCustomAttributeValue", "key": "budget", "value": 1200.5}
        ],
        "start_date": {"__type__": "datetime", "value": "2024-01-02T03:04:05"}
    });

    let project: Project = serde_json::from_value(wire).expect("decodes");
    let written = serde_json::to_value(&project).expect("encodes");
    let again: Project = serde_json::from_value(written.clone()).expect("reads its own output");

    let metadata = project.metadata.as_ref().expect("metadata");
    assert_eq!(metadata["fps"], "24");
    let custom = project
        .custom_attributes
        .as_ref()
        .expect("custom attributes");
    assert_eq!(custom["budget"], json!(1200.5));
    assert_eq!(
        written["start_date"],
        json!({"__type__": "datetime", "value": "2024-01-02T03:04:05Z"})
    );
    assert!(
        written.get("name").is_none(),
        "unset attributes are left out"
    );
    assert_eq!(again, project);
}

#[test]
fn a_value_that_does_not_fit_names_its_attribute() {
    let error = serde_json::from_value::<Task>(json!({"__entity_type__": "Task", "bid": "lots"}))
        .unwrap_err();

    assert!(error.to_string().contains("attribute `bid`"), "{error}");
}
