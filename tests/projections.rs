//! `derive(Projection)`: the select list comes from the fields, results
//! decode into the struct.
#![cfg(feature = "macros")]

use ftrack::entities::Context;
use ftrack::{DateTime, Projection};
use serde_json::json;

#[derive(Debug, PartialEq, ftrack::Projection)]
#[ftrack(entity_type = "Shot")]
struct ShotRow {
    name: Option<String>,
    #[ftrack(path = "parent.name")]
    sequence: Option<String>,
    #[ftrack(path = "status.state.short")]
    state: Option<String>,
    #[ftrack(path = "assets.name")]
    assets: Vec<String>,
    #[ftrack(path = "created_at")]
    created: Option<DateTime>,
    /// A whole related entity, as its generated model.
    parent: Option<Context>,
}

#[test]
fn fields_give_the_select_list() {
    assert_eq!(
        ShotRow::PATHS,
        [
            "name",
            "parent.name",
            "status.state.short",
            "assets.name",
            "created_at",
            "parent"
        ]
    );
    assert_eq!(
        ShotRow::query().to_string(),
        "select name, parent.name, status.state.short, assets.name, created_at, parent from Shot"
    );
}

#[test]
fn results_decode_into_the_struct() {
    let entity = json!({
        "__entity_type__": "Shot",
        "name": "sh010",
        "parent": {"__entity_type__": "Sequence", "id": "1", "name": "sq01"},
        "status": {"state": {"short": "DONE"}},
        "assets": [{"name": "hero"}, {"name": "plate"}],
        "created_at": {"__type__": "datetime", "value": "2022-10-10T10:12:09"}
    });

    let row = ShotRow::from_json(&entity).expect("decodes");

    assert_eq!(row.name.as_deref(), Some("sh010"));
    assert_eq!(row.sequence.as_deref(), Some("sq01"));
    assert_eq!(row.state.as_deref(), Some("DONE"));
    assert_eq!(row.assets, ["hero", "plate"]);
    assert_eq!(
        row.created,
        Some(time::macros::datetime!(2022-10-10 10:12:09 UTC))
    );
    assert_eq!(row.parent.and_then(|p| p.name).as_deref(), Some("sq01"));
}

#[test]
fn a_value_of_the_wrong_type_names_its_path() {
    let entity = json!({"__entity_type__": "Shot", "parent": {"name": 7}});

    let error = ShotRow::from_json(&entity).unwrap_err();

    assert_eq!(
        error.to_string(),
        "cannot decode `parent.name`: expected a string, found 7"
    );
}
