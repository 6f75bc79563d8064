//! Queries built from generated attribute paths print the canonical ftrack
//! expression, with every value escaped.

use ftrack::entities::{Asset, AssetVersion, Project, Shot, Status, Task, TypedContext};
use ftrack::{ast, EntityType, Query};

#[test]
fn the_example_of_the_issue_prints_canonically() {
    let query = Shot::query()
        .select((Shot::name(), Shot::parent().name()))
        .filter(Shot::parent().name().eq("sq010"))
        .order_by(Shot::name());

    assert_eq!(
        query.to_string(),
        r#"select name, parent.name from Shot where parent.name is "sq010" order by name"#
    );
}

#[test]
fn paths_go_through_references() {
    let condition = Task::status().state().short().eq("DONE");

    assert_eq!(condition.to_string(), r#"status.state.short is "DONE""#);
}

#[test]
fn values_cannot_break_out_of_their_quotes() {
    let typed = r#"x" or name like "%"#;

    let query = Shot::query().filter(Shot::name().eq(typed));

    assert_eq!(
        query.to_string(),
        r#"Shot where name is "x\" or name like \"%""#
    );
    let reparsed = ast::parse(&query.to_string()).expect("the printed query parses");
    assert_eq!(&reparsed, query.ast());
}

#[test]
fn comparisons_follow_the_kind_of_attribute() {
    let start = time::macros::datetime!(2024-05-01 12:00 UTC);

    let numbers = AssetVersion::version().ge(2) & AssetVersion::version().lt(10i64);
    let dates = Task::start_date().after(start) | Task::end_date().is_none();
    let floats = Shot::bid().gt(1.5);
    let lists = Task::status().name().in_(["Done", "Omitted"]);
    let patterns = Shot::name().not_like("%_old");
    let booleans = AssetVersion::is_published().eq(true);

    assert_eq!(numbers.to_string(), "version >= 2 and version < 10");
    assert_eq!(
        dates.to_string(),
        r#"start_date > "2024-05-01T12:00:00Z" or end_date is none"#
    );
    assert_eq!(floats.to_string(), "bid > 1.5");
    assert_eq!(lists.to_string(), r#"status.name in ("Done", "Omitted")"#);
    assert_eq!(patterns.to_string(), r#"name not_like "%_old""#);
    assert_eq!(booleans.to_string(), "is_published is true");
}

#[test]
fn references_take_has_and_collections_take_any() {
    let has = Task::status().has(Status::name().eq("Done") & Status::sort().gt(1));
    let any = Asset::versions().any(AssetVersion::version().eq(3));
    let through = Asset::versions().version().eq(3);
    let empty = Asset::versions().is_empty();
    let metadata = Project::metadata().contains_key("fps");

    assert_eq!(
        has.to_string(),
        r#"status has (name is "Done" and sort > 1)"#
    );
    assert_eq!(any.to_string(), "versions any (version is 3)");
    assert_eq!(through.to_string(), "versions.version is 3");
    assert_eq!(empty.to_string(), "not versions any ()");
    assert_eq!(metadata.to_string(), r#"metadata any (key is "fps")"#);
}

#[test]
fn combinators_keep_precedence() {
    let a = Shot::name().eq("a");
    let b = Shot::name().eq("b");
    let c = Shot::name().eq("c");

    let grouped = a.clone().and(b.clone().or(c.clone()));
    let negated = (a | b).not();

    assert_eq!(
        grouped.to_string(),
        r#"name is "a" and (name is "b" or name is "c")"#
    );
    assert_eq!(negated.to_string(), r#"not (name is "a" or name is "b")"#);
    let _ = c;
}

#[test]
fn clauses_print_in_canonical_order() {
    let query: Query<TypedContext> = TypedContext::query()
        .limit(5)
        .offset(10)
        .order_by(TypedContext::name().desc())
        .order_by(TypedContext::id().asc())
        .filter(TypedContext::name().like("sh%"))
        .filter(TypedContext::parent().is_some());

    assert_eq!(
        query.to_string(),
        concat!(
            r#"TypedContext where name like "sh%" and parent is_not none "#,
            "order by name descending, id offset 10 limit 5"
        )
    );
}

#[test]
fn the_entity_type_trait_describes_the_schema() {
    assert_eq!(Task::NAME, "Task");
    assert_eq!(Task::PRIMARY_KEY, ["id"]);
    assert_eq!(Task::DEFAULT_PROJECTIONS, ["context_type", "id", "name"]);
}
