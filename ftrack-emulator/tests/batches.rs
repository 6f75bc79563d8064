//! A request is one unit: a failure half-way keeps nothing, and rules that
//! a later operation may satisfy are checked when the batch ends.

mod common;

use common::*;
use serde_json::json;

#[test]
fn a_batch_failing_half_way_keeps_nothing_and_names_the_failing_operation() {
    let emulator = site();
    let ids = hierarchy(&emulator);
    let before = emulator.entity_count();
    let shot = id();

    let error = fails(
        &emulator,
        json!([
            create(
                "Shot",
                json!({"id": shot, "name": "sh030", "parent_id": ids["sq010"]})
            ),
            update(
                "Task",
                &ids["sh010/compositing"],
                json!({"name": "renamed"})
            ),
            delete("Task", &ids["sh020/animation"]),
            create(
                "Shot",
                json!({"name": "bad", "parent_id": ids["sq010"], "no_such_attribute": 1})
            ),
            create(
                "Shot",
                json!({"name": "never reached", "parent_id": ids["sq010"]})
            ),
        ]),
    );

    assert_eq!(error["exception"], "ValidationError");
    let content = error["content"].as_str().unwrap();
    assert!(
        content.starts_with("operation 3 (create Shot)"),
        "{content}"
    );
    assert!(content.contains("no_such_attribute"), "{content}");
    assert_eq!(emulator.entity_count(), before);
    assert!(query(&emulator, &format!("Shot where id is {shot}")).is_empty());
    let task = &query(
        &emulator,
        &format!(
            "select name from Task where id is {}",
            ids["sh010/compositing"]
        ),
    )[0];
    assert_eq!(task["name"], "compositing");
    assert_eq!(
        query(
            &emulator,
            &format!("Task where id is {}", ids["sh020/animation"])
        )
        .len(),
        1
    );
}

#[test]
fn required_attributes_may_come_from_a_later_operation_of_the_batch() {
    let emulator = site();
    let scope = id();

    // The Python client's own test-suite commits a Scope without its
    // required name, then an update that sets it (PROTOCOL.md 1).
    ok(
        &emulator,
        json!([
            create("Scope", json!({"id": scope})),
            update("Scope", &scope, json!({"name": "later"})),
        ]),
    );

    assert_eq!(
        query(
            &emulator,
            &format!("select name from Scope where id is {scope}")
        )[0]["name"],
        "later"
    );
}

#[test]
fn a_required_attribute_still_unset_when_the_batch_ends_fails_it() {
    let emulator = site();
    let scope = id();

    let error = fails(&emulator, json!([create("Scope", json!({"id": scope}))]));

    assert_eq!(error["exception"], "ValidationError");
    let content = error["content"].as_str().unwrap();
    assert!(
        content.contains("when the batch ended") && content.contains("`name`"),
        "{content}"
    );
    assert!(query(&emulator, &format!("Scope where id is {scope}")).is_empty());
}

#[test]
fn a_foreign_key_to_an_entity_created_later_in_the_batch_is_accepted() {
    let emulator = site();
    let ids = hierarchy(&emulator);
    let shot = id();
    let task = id();

    ok(
        &emulator,
        json!([
            create(
                "Task",
                json!({"id": task, "name": "fx", "parent_id": shot, "type_id": COMPOSITING})
            ),
            create(
                "Shot",
                json!({"id": shot, "name": "sh030", "parent_id": ids["sq010"]})
            ),
        ]),
    );

    let row = &query(
        &emulator,
        &format!("select parent.name, project_id from Task where id is {task}"),
    )[0];
    assert_eq!(row["parent"]["name"], "sh030");
    assert_eq!(row["project_id"], json!(ids["project"]));
}

#[test]
fn unknown_foreign_key_targets_and_attributes_are_validation_errors() {
    let emulator = site();
    let ids = hierarchy(&emulator);
    let missing = id();

    let target = fails(
        &emulator,
        json!([update(
            "Task",
            &ids["sh010/compositing"],
            json!({"status_id": missing})
        )]),
    );
    let reference = fails(
        &emulator,
        json!([update(
            "Task",
            &ids["sh010/compositing"],
            json!({"status": {"__entity_type__": "Status", "id": missing}})
        )]),
    );
    let attribute = fails(
        &emulator,
        json!([update(
            "Task",
            &ids["sh010/compositing"],
            json!({"nmae": "x"})
        )]),
    );
    let wrong_type = fails(
        &emulator,
        json!([update(
            "Task",
            &ids["sh010/compositing"],
            json!({"parent": {"__entity_type__": "Status", "id": NOT_STARTED}})
        )]),
    );

    for error in [&target, &reference, &attribute, &wrong_type] {
        assert_eq!(error["exception"], "ValidationError", "{error}");
    }
    assert!(target["content"].as_str().unwrap().contains(&missing));
    assert!(
        attribute["content"]
            .as_str()
            .unwrap()
            .contains("did you mean `name`"),
        "{attribute}"
    );
}

#[test]
fn immutable_attributes_cannot_change_once_set() {
    let emulator = site();
    let ids = hierarchy(&emulator);

    let error = fails(
        &emulator,
        json!([update(
            "Task",
            &ids["sh010/compositing"],
            json!({"object_type_id": "bad911de-3bd6-47b9-8b46-3476e237cb36"})
        )]),
    );

    assert_eq!(error["exception"], "ValidationError");
    assert!(
        error["content"].as_str().unwrap().contains("immutable"),
        "{error}"
    );
}

#[test]
fn deleting_an_entity_something_still_points_at_is_an_integrity_error() {
    let emulator = site();
    hierarchy(&emulator);

    let error = fails(&emulator, json!([delete("Status", NOT_STARTED)]));

    assert_eq!(error["exception"], "IntegrityError");
    assert_eq!(
        query(&emulator, &format!("Status where id is {NOT_STARTED}")).len(),
        1
    );
}

#[test]
fn creating_an_entity_twice_is_a_duplicate_entry() {
    let emulator = site();
    let ids = hierarchy(&emulator);

    let error = fails(
        &emulator,
        json!([create(
            "Shot",
            json!({"id": ids["sh010/compositing"], "name": "clash", "parent_id": ids["sq010"]})
        )]),
    );

    assert_eq!(
        error["exception"], "DuplicateEntryError",
        "a Task already has this id: {error}"
    );
}

#[test]
fn an_entity_created_and_deleted_in_one_batch_is_answered_and_gone() {
    let emulator = site();
    let scope = id();

    let results = ok(
        &emulator,
        json!([
            create("Scope", json!({"id": scope, "name": "brief"})),
            delete("Scope", &scope)
        ]),
    );

    assert_eq!(results[0]["data"]["name"], "brief");
    assert_eq!(results[1]["data"], json!(true));
    assert!(query(&emulator, &format!("Scope where id is {scope}")).is_empty());
}
