//! Loading a YAML schema reports every problem with its line, column and
//! the nearest known name.

use ftrack_schema::{LoadError, ProblemKind, Schema};

const BASE: &str = "\
entity_types:
  Context:
    primary_key: [id]
    attributes:
      id: {type: string}
      parent_id: {type: string, format: foreign_key}
      parent: {type: reference, entity_type: Context, foreign_key: parent_id}
      children: {type: collection, entity_type: Context, reverse_key: parent_id}
  Sequence:
    extends: Context
    attributes:
      id: {type: string}
  Shot:
    extends: Context
    attributes:
      id: {type: string}
      sequence: {type: reference, entity_type: Sequence}
";

fn problems(yaml: &str) -> Vec<String> {
    match Schema::from_yaml(yaml, "studio.yaml") {
        Ok(_) => Vec::new(),
        Err(LoadError::Invalid { problems, .. }) => {
            problems.iter().map(|p| p.to_string()).collect()
        }
        Err(other) => panic!("expected validation problems, got: {other}"),
    }
}

#[test]
fn the_base_schema_is_valid() {
    let schema = Schema::from_yaml(BASE, "studio.yaml").unwrap();

    assert_eq!(schema.entity_types.len(), 3);
    assert_eq!(
        schema.kinds_of("Context").collect::<Vec<_>>(),
        ["Context", "Sequence", "Shot"]
    );
    assert_eq!(
        schema
            .attribute("Shot", "parent")
            .unwrap()
            .foreign_key
            .as_deref(),
        Some("parent_id")
    );
}

#[test]
fn a_misspelled_ref_names_its_line_and_the_nearest_entity_type() {
    let yaml = BASE.replace("entity_type: Sequence}", "entity_type: Sequnce}");

    let error = Schema::from_yaml(&yaml, "studio.yaml").unwrap_err();

    assert_eq!(
        error.to_string(),
        "studio.yaml:17:48: `Shot.sequence` refers to unknown entity type `Sequnce`; \
         did you mean `Sequence`?"
    );
}

#[test]
fn an_unknown_extends_parent_is_located() {
    let yaml = BASE.replace(
        "  Sequence:\n    extends: Context",
        "  Sequence:\n    extends: Contex",
    );

    assert_eq!(
        problems(&yaml),
        ["10:14: `Sequence` extends unknown entity type `Contex`; did you mean `Context`?"]
    );
}

#[test]
fn a_cycle_in_extends_is_reported_once() {
    let yaml = BASE.replace(
        "  Context:\n    primary_key",
        "  Context:\n    extends: Shot\n    primary_key",
    );

    let found = problems(&yaml);

    assert_eq!(found.len(), 1, "{found:?}");
    assert!(
        found[0].contains("cycle: Context -> Shot -> Context"),
        "{found:?}"
    );
}

#[test]
fn a_duplicate_attribute_names_both_lines() {
    let yaml = BASE.replace(
        "      sequence: {type: reference",
        "      id: {type: integer}\n      sequence: {type: reference",
    );

    assert_eq!(
        problems(&yaml),
        ["17:7: `id` is defined twice in `entity_types.Shot.attributes` (first on line 16)"]
    );
}

#[test]
fn a_duplicate_entity_type_is_reported() {
    let yaml = format!("{BASE}  Shot:\n    attributes: {{}}\n");

    let found = problems(&yaml);

    assert_eq!(
        found,
        ["18:3: `Shot` is defined twice in `entity_types` (first on line 13)"]
    );
}

#[test]
fn a_primary_key_must_be_an_attribute() {
    let yaml = BASE.replace("primary_key: [id]", "primary_key: [idd]");

    assert_eq!(
        problems(&yaml),
        ["3:19: primary key `idd` is not an attribute of `Context`; did you mean `id`?"]
    );
}

#[test]
fn relation_keys_must_name_attributes() {
    let yaml = BASE
        .replace("foreign_key: parent_id}", "foreign_key: parnet_id}")
        .replace("reverse_key: parent_id}", "reverse_key: context_id}");

    assert_eq!(
        problems(&yaml),
        [
            "7:68: `Context.parent` has foreign_key `parnet_id`, which is not an attribute of \
             `Context`; did you mean `parent_id`?",
            "8:71: `Context.children` has reverse_key `context_id`, which is not an attribute \
             of `Context`",
        ]
    );
}

#[test]
fn every_problem_is_reported_not_only_the_first() {
    let yaml = BASE
        .replace("entity_type: Sequence}", "entity_type: Sequnce}")
        .replace("primary_key: [id]", "primary_key: [idd]");

    let error = Schema::from_yaml(&yaml, "studio.yaml").unwrap_err();

    let LoadError::Invalid { problems, .. } = error else {
        panic!("expected validation problems");
    };
    assert!(matches!(
        problems[0].kind,
        ProblemKind::UnknownPrimaryKey { .. }
    ));
    assert!(matches!(
        problems[1].kind,
        ProblemKind::UnknownEntityType { .. }
    ));
}

#[test]
fn yaml_that_is_not_a_schema_gets_a_located_message() {
    let error =
        Schema::from_yaml("entity_types:\n  Shot:\n    atributes: {}\n", "s.yaml").unwrap_err();
    let message = error.to_string();
    assert!(message.starts_with("s.yaml:3:5: "), "{message}");
    assert!(message.contains("unknown field `atributes`"), "{message}");

    let error = Schema::from_yaml("entity_types: [unclosed\n", "s.yaml").unwrap_err();
    assert!(error.to_string().starts_with("s.yaml:2:"), "{error}");

    let error = Schema::from_yaml(
        BASE.replace("type: string}", "type: text}").as_str(),
        "s.yaml",
    )
    .unwrap_err();
    assert!(
        error.to_string().contains("unknown variant `text`"),
        "{error}"
    );
}

#[test]
fn a_missing_file_names_the_file() {
    let error = Schema::from_yaml_file("no/such/schema.yaml").unwrap_err();

    assert!(
        error
            .to_string()
            .starts_with("cannot read no/such/schema.yaml: "),
        "{error}"
    );
}
