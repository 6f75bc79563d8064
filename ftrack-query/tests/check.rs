//! Checking queries against the shipped entity schema.

use std::sync::OnceLock;

use ftrack_query::{check, parse, parse_with, resolve, CheckErrorKind, ParseOptions, Path};
use ftrack_schema::{AttributeKind, Schema};

fn schema() -> &'static Schema {
    static SCHEMA: OnceLock<Schema> = OnceLock::new();
    SCHEMA.get_or_init(|| {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../schema/ftrack.yaml");
        Schema::from_yaml_file(path).expect("the shipped schema loads")
    })
}

fn errors(text: &str) -> Vec<String> {
    let query = parse(text).unwrap_or_else(|e| panic!("{text}: {e}"));
    match check(&query, schema()) {
        Ok(()) => Vec::new(),
        Err(errors) => errors.iter().map(ToString::to_string).collect(),
    }
}

fn assert_valid(text: &str) {
    assert_eq!(errors(text), Vec::<String>::new(), "{text}");
}

#[test]
fn accepts_everyday_queries() {
    for text in [
        "select name, parent.name from Shot where parent.name is sq010 order by name",
        "select name, status.name, status.state.short from Task limit 2",
        "select version, asset.versions.version from AssetVersion where asset_id is_not none",
        "Task where status.state.short is NOT_STARTED",
        "select id from Task where project.full_name like '%Thrones%'",
        "Task where created_at after '2015-06-01' and end_date before '2024-05-01T12:00:00.000Z'",
        "Task where bid >= 14400 and priority.sort < 3",
        r#"Note where author has (first_name is "Jane" and last_name is "Doe")"#,
        r#"Task where metadata any (key is "fps" and value is "24")"#,
        "Task where not timelogs any ()",
        "Task where custom_attributes any (key is fps and value is 24)",
        "Task where status.name in (Done, Omitted) and id not_in (select id from Shot)",
        "TypedContext where parent.id is x and object_type.name is Shot",
        "select count(id) from Task group by project_id, status_id",
        "Shot where parent is none",
        "select from.name, to.name from TypedContextLink",
        "TypedContext where ancestors any (name is sq010) and descendants any ()",
    ] {
        assert_valid(text);
    }
}

#[test]
fn paths_resolve_through_extends_references_and_collections() {
    let steps = resolve(
        schema(),
        "Shot",
        &Path::parse_dotted("parent.children.name"),
    )
    .unwrap();
    let found: Vec<(&str, &str, AttributeKind)> = steps
        .iter()
        .map(|s| (s.entity_type, s.name, s.attribute.kind))
        .collect();
    assert_eq!(
        found,
        [
            ("Shot", "parent", AttributeKind::Reference),
            ("Context", "children", AttributeKind::Collection),
            ("Context", "name", AttributeKind::String),
        ]
    );
}

#[test]
fn unknown_entity_type_suggests_the_nearest() {
    assert_eq!(
        errors("select name from Shto"),
        ["column 18: unknown entity type `Shto`; did you mean `Shot`?"]
    );
    assert_eq!(
        errors("Sequnce where name is x"),
        ["column 1: unknown entity type `Sequnce`; did you mean `Sequence`?"]
    );
}

#[test]
fn unknown_attribute_suggests_the_nearest_and_points_at_it() {
    assert_eq!(
        errors("select nmae from Shot"),
        ["column 8: `Shot` has no attribute `nmae`; did you mean `name`?"]
    );
    assert_eq!(
        errors("Shot where parent.nmae is x"),
        ["column 19: `Context` has no attribute `nmae`; did you mean `name`?"]
    );
    assert_eq!(
        errors("Shot order by nmae"),
        ["column 15: `Shot` has no attribute `nmae`; did you mean `name`?"]
    );
    assert_eq!(
        errors("Shot where frobnication is x"),
        ["column 12: `Shot` has no attribute `frobnication`"]
    );
}

#[test]
fn a_path_cannot_go_on_past_a_scalar() {
    assert_eq!(
        errors("Shot where name.first is x"),
        [
            "column 17: `Shot.name` is a string attribute, not a relationship, so nothing can \
             follow it in a path"
        ]
    );
}

#[test]
fn operators_must_fit_the_attribute_kind() {
    let cases = [
        (
            "Task where bid like '1%'",
            "column 12: `like` does not apply to `Task.bid`, which is a number attribute; \
             `like` and `not_like` apply to strings; use `is`, `is_not`, `>` or `<`",
        ),
        (
            "Task where name > 'b'",
            "column 12: `>` does not apply to `Task.name`, which is a string attribute; `>`, \
             `<`, `>=` and `<=` apply to numbers, integers and date-times; use `is`, `is_not`, \
             `like` or `in`",
        ),
        (
            "Shot where children has (name is x)",
            "column 12: `has` does not apply to `Shot.children`, which is a collection \
             attribute; use `children any (...)` for a collection",
        ),
        (
            "Shot where parent any (name is x)",
            "column 12: `any` does not apply to `Shot.parent`, which is a reference attribute; \
             use `parent has (...)` for a reference",
        ),
        (
            "Shot where name any ()",
            "column 12: `any` does not apply to `Shot.name`, which is a string attribute; `any` \
             needs a collection; compare `name` directly",
        ),
        (
            "Shot where parent is x",
            "column 12: `is` does not apply to `Shot.parent`, which is a reference attribute; \
             compare an attribute of it, such as `parent.id`, or use `parent has (...)`",
        ),
        (
            "Shot where children is x",
            "column 12: `is` does not apply to `Shot.children`, which is a collection attribute; \
             test its items with `children any (...)` or a path such as `children.id`",
        ),
        (
            "Shot where parent in (a, b)",
            "column 12: `in` does not apply to `Shot.parent`, which is a reference attribute; \
             compare an attribute of it, such as `parent.id in (...)`",
        ),
        (
            "Shot order by parent",
            "column 15: `order by` does not apply to `Shot.parent`, which is a reference \
             attribute; order by needs a scalar attribute, such as `parent.id`",
        ),
        (
            "select sum(name) from Task",
            "column 12: `sum` does not apply to `Task.name`, which is a string attribute; it \
             needs a number or integer attribute",
        ),
    ];
    for (text, message) in cases {
        assert_eq!(errors(text), [message], "{text}");
    }
}

#[test]
fn values_must_fit_the_attribute() {
    assert_eq!(
        errors("Task where bid is abc"),
        [
            "column 12: `Task.bid` is a number attribute, which cannot be compared with a string \
          \"abc\""
        ]
    );
    assert_eq!(
        errors("Task where created_at after tomorrow"),
        [
            "column 12: `Task.created_at` is a date-time attribute, which cannot be compared \
             with a string \"tomorrow\""
        ]
    );
    assert_eq!(
        errors("Task where name like 10"),
        [
            "column 12: `Task.name` is a string attribute, which cannot be compared with an \
          integer 10"
        ]
    );
    assert_eq!(
        errors("Project where is_global is 'yes'"),
        [
            "column 15: `Project.is_global` is a boolean attribute, which cannot be compared \
             with a string \"yes\""
        ]
    );
    assert_valid("Task where bid is '10' and created_at > '2020-01-01T00:00:00Z'");
    assert_valid("Project where is_global is true");
}

#[test]
fn restricted_projections_cannot_be_selected() {
    let restricted = schema()
        .entity_types
        .iter()
        .find_map(|(ty, entity)| {
            entity
                .attributes
                .iter()
                .find(|(_, a)| !a.is_projectable())
                .map(|(name, _)| (ty.clone(), name.clone()))
        })
        .expect("the shipped schema has a restricted projection");
    let (ty, attribute) = restricted;

    assert_eq!(
        errors(&format!("select {attribute} from {ty}")),
        [format!(
            "column 8: `{ty}.{attribute}` cannot be selected: the schema marks it as a \
             restricted projection"
        )]
    );
}

#[test]
fn sub_queries_are_checked_and_select_one_path() {
    assert_eq!(
        errors("Task where id in (select id, name from Shot)"),
        [
            "column 40: a sub-query of `in` must select exactly one attribute path, this one \
          selects 2"
        ]
    );
    assert_eq!(
        errors("Task where id in (select id from Shto)"),
        ["column 34: unknown entity type `Shto`; did you mean `Shot`?"]
    );
}

#[test]
fn every_problem_is_reported_in_text_order() {
    let found = errors("select nmae from Shot where parnet.name is x and bid like 1");
    assert_eq!(found.len(), 3, "{found:?}");
    assert!(found[0].starts_with("column 8:"));
    assert!(found[1].starts_with("column 29:"));
    assert!(found[2].starts_with("column 50:"));
}

#[test]
fn placeholders_are_not_value_checked() {
    let query = parse_with(
        "Task where bid is {budget} and created_at after {since}",
        ParseOptions { placeholders: true },
    )
    .unwrap();
    assert_eq!(check(&query, schema()), Ok(()));
}

#[test]
fn errors_carry_the_span_of_the_offending_name() {
    let query = parse("Shot where parent.nmae is x").unwrap();
    let errors = check(&query, schema()).unwrap_err();
    assert_eq!((errors[0].span.start, errors[0].span.end), (18, 22));
    assert!(matches!(
        &errors[0].kind,
        CheckErrorKind::UnknownAttribute { suggestion: Some(s), .. } if s == "name"
    ));
}
