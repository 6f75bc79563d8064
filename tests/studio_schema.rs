//! The committed snapshot of generated code compiles and works (it is
//! `include!`d here), and `schema!` generates the same layer from the same
//! YAML inside this crate.

/// The snapshot of ftrack-codegen, as the build script would write it.
#[allow(dead_code)] // these tests use only some of the generated paths
mod snapshot {
    include!("../ftrack-codegen/tests/snapshots/studio.rs");
}

/// The same schema, through the proc macro.
#[cfg(feature = "macros")]
#[allow(dead_code)] // these tests use only some of the generated paths
mod studio {
    ftrack::schema!("ftrack-codegen/tests/fixtures/studio.yaml");
}

use ftrack::EntityType;

#[test]
fn the_snapshot_compiles_into_a_working_typed_layer() {
    use snapshot::{Context, Metadata, Shot, Status};

    let query = Shot::query()
        .select((Shot::type_(), Shot::query_(), Shot::parent().name()))
        .filter(Shot::status().has(Status::sort().lt(3)))
        .filter(Shot::metadata().any(Metadata::key().eq("fps")))
        .filter(Shot::children().any(Context::name().like("sh%")))
        .order_by(Shot::start_date().desc());

    assert_eq!(
        query.to_string(),
        concat!(
            r#"select type, query, parent.name from Shot where status has (sort < 3) "#,
            r#"and metadata any (key is "fps") and children any (name like "sh%") "#,
            "order by start_date descending"
        )
    );
    assert_eq!(Metadata::PRIMARY_KEY, ["parent_id", "key"]);
}

#[test]
fn renamed_fields_keep_the_attribute_name_on_the_wire() {
    let shot: snapshot::Shot = serde_json::from_value(serde_json::json!({
        "type": "hero",
        "query": "q",
        "delivery": {"__type__": "date", "value": "2024-06-30"},
        "fps": 24.0,
    }))
    .expect("decodes");

    assert_eq!(shot.type_.as_deref(), Some("hero"));
    assert_eq!(shot.query_.as_deref(), Some("q"));
    assert_eq!(shot.delivery, Some(time::macros::date!(2024 - 06 - 30)));
    let written = serde_json::to_value(&shot).expect("encodes");
    assert_eq!(written["type"], "hero");
    assert_eq!(
        written["delivery"],
        serde_json::json!({"__type__": "date", "value": "2024-06-30"})
    );
}

#[cfg(feature = "macros")]
#[test]
fn the_schema_macro_generates_the_same_layer() {
    let built = studio::Shot::query().filter(studio::Shot::frame_count().gt(100));
    let from_snapshot = snapshot::Shot::query().filter(snapshot::Shot::frame_count().gt(100));

    assert_eq!(built.to_string(), from_snapshot.to_string());
    assert_eq!(studio::Shot::NAME, snapshot::Shot::NAME);
}

#[cfg(feature = "macros")]
#[test]
fn query_checks_against_a_crate_s_own_schema() {
    let kind = "hero";

    let query = ftrack::query!(
        schema = "ftrack-codegen/tests/fixtures/studio.yaml",
        entities = studio,
        "select type, fps from Shot where type is {kind} and is_hero is true"
    );

    let _: ftrack::Query<studio::Shot> = query.clone();
    assert_eq!(
        query.to_string(),
        r#"select type, fps from Shot where type is "hero" and is_hero is true"#
    );
}

#[cfg(feature = "macros")]
#[test]
fn projections_check_against_a_crate_s_own_schema() {
    use ftrack::Projection;

    #[derive(Debug, ftrack::Projection)]
    #[ftrack(
        entity_type = "Shot",
        schema = "ftrack-codegen/tests/fixtures/studio.yaml",
        entities = studio
    )]
    struct Delivery {
        #[ftrack(path = "type")]
        kind: Option<String>,
        delivery: Option<ftrack::Date>,
    }

    let row = Delivery::from_json(&serde_json::json!({"type": "hero", "delivery": "2024-06-30"}))
        .expect("decodes");

    assert_eq!(
        Delivery::query().to_string(),
        "select type, delivery from Shot"
    );
    assert_eq!(row.kind.as_deref(), Some("hero"));
    assert_eq!(row.delivery, Some(time::macros::date!(2024 - 06 - 30)));
}
