//! A new import keeps what was written by hand; diffs list what changed.

use ftrack_schema::Schema;
use serde_json::Value;

fn dump(name: &str) -> Value {
    let path = format!("{}/../fixtures/{name}", env!("CARGO_MANIFEST_DIR"));
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

fn shipped() -> Schema {
    Schema::from_yaml_file(format!(
        "{}/../schema/ftrack.yaml",
        env!("CARGO_MANIFEST_DIR")
    ))
    .expect("the shipped schema is valid")
}

/// The shipped schema with a studio's additions of every kind.
fn curated() -> Schema {
    let mut schema = shipped();
    let mut yaml = schema.to_yaml();
    yaml.push_str(
        "  StudioReview:\n    custom: true\n    primary_key: [id]\n    attributes:\n      \
         id: {type: string}\n",
    );
    schema = Schema::from_yaml(&yaml, "curated.yaml").unwrap();

    let shot = schema.entity_types.get_mut("Shot").unwrap();
    let mut fps = ftrack_schema::Attribute::new(ftrack_schema::AttributeKind::Number);
    fps.custom = true;
    fps.description = Some("Frames per second of the plate.".to_owned());
    shot.attributes.insert("fps".to_owned(), fps);
    shot.attributes["thumbnail"].foreign_key = Some("thumbnail_source_id".to_owned());
    schema
}

#[test]
fn reimporting_the_dump_keeps_every_curated_addition() {
    let curated = curated();
    let fresh = Schema::from_query_schemas(&dump("site/query_schemas.json")).unwrap();

    let (merged, report) = fresh.merge_curated(&curated);

    assert_eq!(merged, curated, "nothing hand-written is lost");
    assert!(report
        .kept
        .contains(&"kept custom entity type StudioReview".to_owned()));
    assert!(report
        .kept
        .contains(&"kept custom attribute Shot.fps".to_owned()));
    assert!(report
        .kept
        .contains(&"kept Shot.thumbnail foreign_key thumbnail_source_id".to_owned()));
    assert!(report
        .kept
        .contains(&"kept Asset.parent foreign_key context_id".to_owned()));
    assert_eq!(
        merged.entity_type("Shot").unwrap().description,
        shipped().entity_type("Shot").unwrap().description
    );
}

#[test]
fn an_older_dump_without_mixin_keeps_hand_written_extends() {
    let old = Schema::from_query_schemas(&dump("recorded/query_schemas.json")).unwrap();
    let mut yaml = old.to_yaml();
    yaml = yaml.replacen(
        "  Shot:\n",
        "  Shot:\n    extends: Context\n    mixin: false\n",
        1,
    );
    let curated = Schema::from_yaml(&yaml, "old.yaml").unwrap();

    let (merged, report) = old.clone().merge_curated(&curated);

    assert_eq!(
        merged.entity_type("Shot").unwrap().extends.as_deref(),
        Some("Context")
    );
    assert!(report
        .kept
        .contains(&"kept Shot extends Context".to_owned()));
    // Export still gives the server's JSON: the hand-written extends is not a $mixin.
    assert_eq!(
        merged.to_query_schemas(),
        dump("recorded/query_schemas.json")
    );
}

#[test]
fn the_old_and_new_dumps_differ_by_17_added_3_removed_types() {
    let old = Schema::from_query_schemas(&dump("recorded/query_schemas.json")).unwrap();
    let new = Schema::from_query_schemas(&dump("site/query_schemas.json")).unwrap();

    let diff = old.diff(&new);

    assert_eq!(diff.added.len(), 17);
    assert!(diff.added.contains(&"BaseUser".to_owned()));
    let mut removed = diff.removed.clone();
    removed.sort();
    assert_eq!(removed, ["Conversation", "Message", "Participant"]);
    let user = diff
        .changed
        .iter()
        .find(|c| c.entity_type == "User")
        .unwrap();
    assert!(!user.added.is_empty() || !user.removed.is_empty() || !user.changed.is_empty());
    // 27 entity types gain or lose attributes; one more only changes a kind.
    let added_or_removed = diff
        .changed
        .iter()
        .filter(|c| !c.added.is_empty() || !c.removed.is_empty())
        .count();
    assert_eq!(added_or_removed, 27);
    assert_eq!(diff.changed.len(), 28);
    assert!(new.diff(&new).is_empty());
}

#[test]
fn a_diff_reads_as_a_list() {
    let old = Schema::from_yaml(
        "entity_types:\n  A:\n    attributes:\n      x: {type: string}\n      y: {type: string}\n",
        "old.yaml",
    )
    .unwrap();
    let new = Schema::from_yaml(
        "entity_types:\n  A:\n    attributes:\n      x: {type: integer}\n      \
         z: {type: string}\n  B:\n    attributes: {}\n",
        "new.yaml",
    )
    .unwrap();

    assert_eq!(
        old.diff(&new).to_string(),
        "1 entity types added, 0 removed, 1 changed\n+ B\n~ A\n    + z\n    - y\n    \
         ~ x: string -> integer\n"
    );
}
