//! Each construct of the query language, evaluated over the store.

mod common;

use common::*;
use serde_json::{json, Value};

fn names(rows: &[Value]) -> Vec<String> {
    rows.iter()
        .map(|r| r["name"].as_str().unwrap_or_default().to_owned())
        .collect()
}

fn sorted(mut names: Vec<String>) -> Vec<String> {
    names.sort();
    names
}

/// The demo project: sequences sq010 and sq020, three shots each, three
/// tasks per shot.
fn in_demo(expression: &str) -> Vec<Value> {
    let emulator = demo();
    query(&emulator, expression)
}

#[test]
fn paths_filter_through_references() {
    let rows =
        in_demo("select name from Shot where parent.name is sq020 and parent.parent.name is demo");
    assert_eq!(
        sorted(names(&rows)),
        ["sq020_sh010", "sq020_sh020", "sq020_sh030"]
    );
}

#[test]
fn paths_through_collections_match_any_item() {
    let rows = in_demo("select name from Sequence where children.name is sq010_sh020");
    assert_eq!(names(&rows), ["sq010"]);
}

#[test]
fn has_matches_the_referenced_entity() {
    let rows = in_demo(
        "select name from Task where parent has (name is sq010_sh010 and parent.name is sq010)",
    );
    assert_eq!(
        sorted(names(&rows)),
        ["animation", "compositing", "lighting"]
    );
}

#[test]
fn any_needs_one_item_to_match_everything_inside() {
    let emulator = site();
    let ids = hierarchy(&emulator);
    ok(
        &emulator,
        json!([
            update(
                "Task",
                &ids["sh010/compositing"],
                json!({"description": "wip"})
            ),
            update(
                "Task",
                &ids["sh020/animation"],
                json!({"description": "wip"})
            ),
        ]),
    );

    let both = query(
        &emulator,
        "select name from Shot where descendants any (name is compositing and description is wip)",
    );
    // sh020 has a compositing task and a task described "wip", but not one
    // task that is both: the dotted form matches it, `any` does not.
    let split = query(
        &emulator,
        "select name from Shot where descendants any (name is compositing and description is wip) \
         and name is sh020",
    );
    let dotted = query(
        &emulator,
        "select name from Shot \
         where descendants.name is compositing and descendants.description is wip",
    );
    let non_empty = query(&emulator, "select name from Shot where children any ()");
    let empty = query(&emulator, "select name from Task where not children any ()");

    assert_eq!(names(&both), ["sh010"]);
    assert!(split.is_empty());
    assert_eq!(sorted(names(&dotted)), ["sh010", "sh020"]);
    assert_eq!(non_empty.len(), 2);
    assert_eq!(empty.len(), 4);
}

#[test]
fn in_takes_lists_and_sub_queries() {
    let emulator = demo();

    let listed = query(
        &emulator,
        "select name from Shot where name in (sq010_sh010, \"sq020_sh030\")",
    );
    let excluded = query(
        &emulator,
        "select name from Shot where name not_in (sq010_sh010, sq010_sh020)",
    );
    let sub = query(
        &emulator,
        "select name from Task where parent_id in (select id from Shot where name like \"%sh030\") \
         and name is lighting",
    );

    assert_eq!(sorted(names(&listed)), ["sq010_sh010", "sq020_sh030"]);
    assert_eq!(excluded.len(), 4);
    assert_eq!(sub.len(), 2);
}

#[test]
fn like_matches_percent_and_underscore() {
    let emulator = demo();

    let prefix = query(&emulator, "select name from Shot where name like \"sq01%\"");
    let single = query(
        &emulator,
        "select name from Shot where name like \"sq0_0_sh010\"",
    );
    let not_like = query(
        &emulator,
        "select name from Shot where name not_like \"%sh0_0\"",
    );

    assert_eq!(prefix.len(), 3);
    assert_eq!(sorted(names(&single)), ["sq010_sh010", "sq020_sh010"]);
    assert!(not_like.is_empty());
}

#[test]
fn comparisons_on_numbers_and_datetimes() {
    let emulator = site();
    let ids = hierarchy(&emulator);
    ok(
        &emulator,
        json!([
            update(
                "Task",
                &ids["sh010/compositing"],
                json!({
                    "bid": 8,
                    "start_date": {"__type__": "datetime", "value": "2024-05-01T09:00:00"},
                })
            ),
            update(
                "Task",
                &ids["sh020/compositing"],
                json!({
                    "bid": 16,
                    "start_date": {"__type__": "datetime", "value": "2024-06-01T09:00:00Z"},
                })
            ),
        ]),
    );

    let after = query(
        &emulator,
        "select name from Task where start_date after \"2024-05-15\"",
    );
    let before = query(
        &emulator,
        "select name from Task where start_date < \"2024-05-15T00:00:00+00:00\"",
    );
    let bid = query(
        &emulator,
        "select name from Task where bid >= 8 and bid <= 15",
    );
    let unset = query(&emulator, "select name from Task where start_date is none");

    assert_eq!(after.len(), 1);
    assert_eq!(before.len(), 1);
    assert_eq!(bid.len(), 1);
    assert_eq!(unset.len(), 2);
}

#[test]
fn order_by_paths_both_ways_with_limit_and_offset() {
    let emulator = demo();
    let expression =
        "select name, parent.name from Task where name is lighting order by parent.name descending";

    let all = query(&emulator, expression);
    let page = query(&emulator, &format!("{expression} offset 1 limit 2"));

    let parents: Vec<&Value> = all.iter().map(|t| &t["parent"]["name"]).collect();
    assert_eq!(parents.len(), 6);
    assert_eq!(parents[0], "sq020_sh030");
    assert_eq!(parents[5], "sq010_sh010");
    let page_parents: Vec<&Value> = page.iter().map(|t| &t["parent"]["name"]).collect();
    assert_eq!(page_parents.len(), 2);
    assert_eq!(all[1]["id"], page[0]["id"]);
    assert_eq!(all[2]["id"], page[1]["id"]);
}

#[test]
fn paging_metadata_gives_the_next_offset_and_null_at_the_end() {
    let emulator = demo();

    let first = ok(
        &emulator,
        json!([{"action": "query", "expression": "Shot order by name limit 4"}]),
    );
    let last = ok(
        &emulator,
        json!([{"action": "query", "expression": "Shot order by name offset 4 limit 4"}]),
    );

    assert_eq!(first[0]["metadata"]["next"]["offset"], json!(4));
    assert_eq!(last[0]["data"].as_array().unwrap().len(), 2);
    assert_eq!(last[0]["metadata"]["next"]["offset"], Value::Null);
}

#[test]
fn the_short_form_answers_default_projections() {
    let rows = in_demo("Shot where name is sq010_sh010");
    let row = rows[0].as_object().unwrap();
    for key in [
        "__entity_type__",
        "id",
        "name",
        "context_type",
        "project_id",
        "object_type_id",
    ] {
        assert!(row.contains_key(key), "{key} missing from {row:?}");
    }
    assert!(!row.contains_key("description"));
}

#[test]
fn queries_on_base_types_answer_concrete_types() {
    let emulator = demo();

    let typed = query(
        &emulator,
        "select name from TypedContext where name like \"sq0%\"",
    );
    let contexts = query(
        &emulator,
        "select name from Context where name is demo or name is sq010",
    );

    let mut kinds: Vec<&str> = typed
        .iter()
        .map(|r| r["__entity_type__"].as_str().unwrap())
        .collect();
    kinds.sort();
    kinds.dedup();
    assert_eq!(kinds, ["Sequence", "Shot"]);
    let mut kinds: Vec<&str> = contexts
        .iter()
        .map(|r| r["__entity_type__"].as_str().unwrap())
        .collect();
    kinds.sort();
    assert_eq!(kinds, ["Project", "Sequence"]);
}

#[test]
fn nested_projections_are_written_in_full_once_and_as_references_after() {
    let emulator = demo();

    let rows = query(
        &emulator,
        "select name, status.name, status.state.short from Task \
         where parent.name is sq010_sh010 order by name",
    );

    assert_eq!(rows.len(), 3);
    let first = &rows[0]["status"];
    assert_eq!(first["name"], "Not started");
    assert_eq!(first["state"]["short"], "NOT_STARTED");
    for later in &rows[1..] {
        let status = later["status"].as_object().unwrap();
        let keys: Vec<&String> = status.keys().collect();
        assert_eq!(
            keys,
            ["__entity_type__", "id"],
            "a bare reference: {status:?}"
        );
        assert_eq!(later["status"]["id"], first["id"]);
    }
}

#[test]
fn cycles_are_written_as_references() {
    let emulator = demo();

    let rows = query(
        &emulator,
        "select name, parent.children.name from Shot where name is sq010_sh010",
    );

    let siblings = rows[0]["parent"]["children"].as_array().unwrap();
    assert_eq!(siblings.len(), 3);
    let me = siblings.iter().find(|s| s["id"] == rows[0]["id"]).unwrap();
    assert_eq!(
        me.as_object().unwrap().len(),
        2,
        "the root again, as a reference: {me}"
    );
}

#[test]
fn denormalize_writes_every_occurrence_in_full() {
    let emulator = demo();
    let body = json!([{"action": "query",
        "expression": "select status.name from Task where parent.name is sq010_sh010"}]);

    let (_, answer) = send_with(
        &emulator,
        &body,
        &[("ftrack-api-options", "strict:1;denormalize:1")],
    );

    let rows = answer[0]["data"].as_array().unwrap();
    assert!(
        rows.iter().all(|r| r["status"]["name"] == "Not started"),
        "{rows:?}"
    );
}

#[test]
fn group_by_counts_rows() {
    let rows = in_demo("select count(id) from Task group by name");
    assert_eq!(rows.len(), 3);
    for row in rows {
        assert_eq!(row["count_id"], json!(6), "{row}");
    }
}

#[test]
fn bad_queries_are_validation_errors_that_say_what_is_wrong() {
    let emulator = site();

    let parse = fails(
        &emulator,
        json!([{"action": "query", "expression": "select from where"}]),
    );
    let unknown = fails(
        &emulator,
        json!([{"action": "query", "expression": "select nam from Shot"}]),
    );
    let entity_type = fails(
        &emulator,
        json!([{"action": "query", "expression": "Shoot"}]),
    );

    assert_eq!(parse["exception"], "ValidationError");
    assert!(
        unknown["content"]
            .as_str()
            .unwrap()
            .contains("did you mean `name`"),
        "{unknown}"
    );
    assert!(
        entity_type["content"].as_str().unwrap().contains("Shoot"),
        "{entity_type}"
    );
}

#[test]
fn paths_going_round_a_cycle_match_and_overlong_paths_are_refused() {
    let emulator = demo();
    let round = "children.parent.".repeat(10);
    let long = "parent.".repeat(40);

    let cyclic = query(
        &emulator,
        &format!("select name from Sequence where {round}name is sq010"),
    );
    let error = fails(
        &emulator,
        json!([{"action": "query", "expression": format!("select {long}name from Task")}]),
    );

    assert_eq!(names(&cyclic), ["sq010"]);
    assert_eq!(error["exception"], "ValidationError");
    assert!(
        error["content"].as_str().unwrap().contains("at most 32"),
        "{error}"
    );
}

#[test]
fn the_entity_type_group_can_be_queried() {
    let emulator = site();
    let group = id();
    ok(
        &emulator,
        json!([create(
            "Group",
            json!({"id": group, "name": "lighting team", "local": false})
        )]),
    );

    let rows = query(
        &emulator,
        "select name from Group where name like \"%team\"",
    );

    assert_eq!(names(&rows), ["lighting team"]);
}
