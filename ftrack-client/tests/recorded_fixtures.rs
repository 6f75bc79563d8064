//! Every recorded server answer in `fixtures/` decodes, and the decoded
//! values are what the server meant.

use std::path::PathBuf;

use ftrack_client::{Action, Answer, DecodeOptions, Entity, Outcome, Reply, Value};
use serde_json::{json, Value as Json};

fn fixtures(folder: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../fixtures")
        .join(folder)
}

fn read(path: &PathBuf) -> Json {
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

/// The batch that a recorded file answers, and the whole body.
fn recorded_body(name: &str, json: Json) -> (Vec<Action>, Json) {
    match name {
        "query_server_information_query_schemas.json" => (
            vec![Action::QueryServerInformation, Action::QuerySchemas],
            json,
        ),
        "query_server_information.json" => (vec![Action::QueryServerInformation], json!([json])),
        "query_schemas.json" => (vec![Action::QuerySchemas], json!([json])),
        _ if name.starts_with("query_") => (vec![Action::Query], json!([json])),
        _ if name.starts_with("create_") => (vec![Action::Create], json!([json])),
        _ if name.starts_with("update_") => (vec![Action::Update], json!([json])),
        other => (
            vec![Action::Other(other.trim_end_matches(".json").to_owned())],
            json!([json]),
        ),
    }
}

fn decode(actions: &[Action], body: &Json) -> Answer {
    let bytes = serde_json::to_vec(body).unwrap();
    match Reply::decode(&bytes, actions, &DecodeOptions::default()).unwrap() {
        Reply::Answer(answer) => answer,
        Reply::Failure(error) => panic!("{error}"),
    }
}

fn recorded(name: &str) -> Answer {
    let (actions, body) = recorded_body(name, read(&fixtures("recorded").join(name)));
    decode(&actions, &body)
}

fn first_entity(answer: Answer) -> Entity {
    match answer.into_outcomes().remove(0) {
        Outcome::Query(page) => page.entities[0].clone(),
        Outcome::Created(entity) | Outcome::Updated(entity) => entity,
        other => panic!("{other:?}"),
    }
}

#[test]
fn every_recorded_answer_decodes() {
    let mut names: Vec<String> = std::fs::read_dir(fixtures("recorded"))
        .unwrap()
        .map(|entry| entry.unwrap().file_name().into_string().unwrap())
        .filter(|name| name.ends_with(".json"))
        .collect();
    names.sort();

    for name in &names {
        let answer = recorded(name);
        assert!(!answer.outcomes().is_empty(), "{name}");
    }
    assert_eq!(names.len(), 14);
}

#[test]
fn every_site_answer_decodes_as_a_query_page() {
    let mut decoded = 0;
    for entry in std::fs::read_dir(fixtures("site")).unwrap() {
        let path = entry.unwrap().path();
        let json = read(&path);
        let name = path.file_name().unwrap().to_str().unwrap().to_owned();
        if name == "query_schemas.json" {
            let answer = decode(&[Action::QuerySchemas], &json!([json]));
            let Outcome::Schemas(schemas) = &answer.outcomes()[0] else {
                panic!("{name}")
            };
            assert_eq!(schemas.as_array().unwrap().len(), 130);
            continue;
        }
        let rows = json.as_array().unwrap().len();
        let body =
            json!([{"action": "query", "data": json, "metadata": {"next": {"offset": null}}}]);
        let page = decode(&[Action::Query], &body)
            .into_outcomes()
            .remove(0)
            .into_page()
            .unwrap();
        assert_eq!(page.entities.len(), rows, "{name}");
        decoded += 1;
    }
    assert_eq!(decoded, 7);
}

#[test]
fn a_recorded_datetime_is_utc() {
    let task = first_entity(recorded(
        "query_select_name,_created_at_from_task_limit_1.json",
    ));

    assert_eq!(
        task.get("created_at").unwrap().as_datetime(),
        Some(time::macros::datetime!(2022-10-10 10:12:09 UTC))
    );
    assert_eq!(task.entity_type(), "Task");
    assert_eq!(
        task.get("name").unwrap().as_str(),
        Some("Filters via \"At a glance\" rendered with different paddings in Filters panel")
    );
}

#[test]
fn a_recorded_bare_status_gets_its_state() {
    let answer = recorded(concat!(
        "query_select_status.state.short_from_task",
        "_where_status.state.short_is_not_started_limit_2.json"
    ));

    let page = answer.into_outcomes().remove(0).into_page().unwrap();
    assert_eq!(page.next_offset, Some(2));
    let status = page.entities[1].get("status").unwrap();
    let state = status.as_entity().unwrap().get("state").unwrap();
    assert_eq!(
        state.as_entity().unwrap().get("short").unwrap().as_str(),
        Some("NOT_STARTED")
    );
}

#[test]
fn a_recorded_create_refers_back_to_the_created_component() {
    let component = first_entity(recorded("create_filecomponent.json"));

    let locations = component.get("component_locations").unwrap();
    let location = locations.as_list().unwrap().entities().next().unwrap();
    let back = location.get("component").unwrap();
    assert!(back.as_entity().unwrap().same_as(&component));
    assert_eq!(
        back.as_entity().unwrap().get("size").unwrap().as_i64(),
        Some(13)
    );
    assert!(matches!(component.get("name"), Some(Value::String("data"))));
}

#[test]
fn recorded_server_information_and_schemas_come_as_json() {
    let answer = recorded("query_server_information_query_schemas.json");

    let [Outcome::ServerInformation(information), Outcome::Schemas(schemas)] = answer.outcomes()
    else {
        panic!("{:?}", answer.outcomes())
    };
    assert_eq!(information.version.as_deref(), Some("dev"));
    assert_eq!(
        information.raw["storage_scenario"]["scenario"],
        "ftrack.automatic"
    );
    assert!(schemas
        .as_array()
        .unwrap()
        .iter()
        .any(|s| s["id"] == "AssetVersion"));
}
