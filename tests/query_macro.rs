//! `query!` checks written queries while compiling and fills placeholders
//! from variables in scope, escaped.
#![cfg(feature = "macros")]

use ftrack::entities::{AssetVersion, Shot, Task};
use ftrack::{query, Query};

#[test]
fn the_example_of_the_issue_takes_a_variable() {
    let seq = "sq010";

    let query: Query<Shot> =
        query!("select name, parent.name from Shot where parent.name is {seq} order by name");

    assert_eq!(
        query.to_string(),
        r#"select name, parent.name from Shot where parent.name is "sq010" order by name"#
    );
}

#[test]
fn placeholders_are_escaped() {
    let name = r#"x" or name like "%"#.to_owned();

    let query = query!("Shot where name is {name}");

    assert_eq!(
        query.to_string(),
        r#"Shot where name is "x\" or name like \"%""#
    );
    assert_eq!(
        name, r#"x" or name like "%"#,
        "the variable is borrowed, not moved"
    );
}

#[test]
fn equals_the_query_built_from_paths() {
    let status = "In Progress";
    let version = 3;

    let written = query!(
        "select version, asset.name from AssetVersion \
         where version >= {version} and task.status.name is {status} \
         order by version descending limit 10"
    );
    let built = AssetVersion::query()
        .select((AssetVersion::version(), AssetVersion::asset().name()))
        .filter(
            AssetVersion::version().ge(version) & AssetVersion::task().status().name().eq(status),
        )
        .order_by(AssetVersion::version().desc())
        .limit(10);

    assert_eq!(written, built);
}

#[test]
fn a_placeholder_alone_in_in_is_a_list() {
    let names = vec!["Done", "Omitted"];
    let ids = ["a", "b"];

    let query = query!("Task where status.name not_in ({names}) or id in ({ids})");

    assert_eq!(
        query.to_string(),
        r#"Task where status.name not_in ("Done", "Omitted") or id in ("a", "b")"#
    );
}

#[test]
fn has_any_and_sub_queries_take_placeholders() {
    let state = "DONE";
    let key = "fps";
    let author = "jane";

    let query = query!(
        "Task where status has (state.short is {state}) \
         and metadata any (key is {key}) \
         and id in (select parent_id from Note where author.first_name is {author})"
    );

    assert_eq!(
        query.to_string(),
        concat!(
            r#"Task where status has (state.short is "DONE") and metadata any (key is "fps") "#,
            r#"and id in (select parent_id from Note where author.first_name is "jane")"#
        )
    );
}

#[test]
fn typed_values_print_as_the_server_reads_them() {
    let after = time::macros::datetime!(2024-05-01 14:00 +02:00);
    let bid = 2.5;
    let missing: Option<&str> = None;

    let query =
        query!("Task where start_date after {after} and bid <= {bid} and description is {missing}");

    assert_eq!(
        query.to_string(),
        r#"Task where start_date > "2024-05-01T12:00:00Z" and bid <= 2.5 and description is none"#
    );
}

#[test]
fn literals_keep_their_types() {
    let query = query!("Task where bid > 1.5 and name is_not \"x\" and parent is none limit 0");

    assert_eq!(
        query.to_string(),
        r#"Task where bid > 1.5 and name is_not "x" and parent is none limit 0"#
    );
    let _: Query<Task> = query;
}

#[test]
fn a_placeholder_named_like_the_expansion_s_own_variable_is_the_caller_s() {
    let query = "sq010";

    let built = query!("Shot where parent.name is {query}");

    assert_eq!(built.to_string(), r#"Shot where parent.name is "sq010""#);
}

#[test]
fn the_short_form_is_every_entity_of_the_type() {
    let query = query!("Shot");

    assert_eq!(query.to_string(), "Shot");
    assert_eq!(
        query.expression(),
        "select context_type, id, name from Shot"
    );
}
