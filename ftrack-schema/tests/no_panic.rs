//! Nothing a user writes or a server sends may panic the schema loader.

use ftrack_schema::Schema;
use proptest::prelude::*;

fn json_value() -> impl Strategy<Value = serde_json::Value> {
    let leaf = prop_oneof![
        Just(serde_json::Value::Null),
        any::<bool>().prop_map(serde_json::Value::Bool),
        any::<i64>().prop_map(|n| serde_json::json!(n)),
        prop_oneof![
            Just("id".to_owned()),
            Just("string".to_owned()),
            Just("array".to_owned()),
            Just("$ref".to_owned()),
            ".{0,8}"
        ]
        .prop_map(serde_json::Value::String),
    ];
    leaf.prop_recursive(4, 48, 6, |inner| {
        let keys = prop_oneof![
            Just("id".to_owned()),
            Just("properties".to_owned()),
            Just("type".to_owned()),
            Just("$ref".to_owned()),
            Just("items".to_owned()),
            Just("$mixin".to_owned()),
            Just("primary_key".to_owned()),
            Just("key_value_attributes".to_owned()),
            "[a-z_]{1,6}"
        ];
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(serde_json::Value::Array),
            prop::collection::btree_map(keys, inner, 0..6)
                .prop_map(|m| serde_json::Value::Object(m.into_iter().collect())),
        ]
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn arbitrary_text_never_panics_the_yaml_loader(text in "\\PC{0,200}") {
        let _ = Schema::from_yaml(&text, "fuzz.yaml");
    }

    #[test]
    fn schema_shaped_yaml_never_panics(
        name in "[A-Za-z]{1,8}",
        kind in prop_oneof![Just("string"), Just("reference"), Just("collection"), Just("bogus")],
        target in "[A-Za-z]{0,8}",
        extends in "[A-Za-z]{0,8}",
    ) {
        let yaml = format!(
            "entity_types:\n  {name}:\n    extends: {extends}\n    primary_key: [id]\n    \
             attributes:\n      a: {{type: {kind}, entity_type: {target}}}\n"
        );
        let _ = Schema::from_yaml(&yaml, "fuzz.yaml");
    }

    #[test]
    fn arbitrary_json_never_panics_the_importer(value in json_value()) {
        if let Ok(schema) = Schema::from_query_schemas(&value) {
            // What imports also exports and checks without panicking.
            let _ = schema.to_query_schemas();
            let _ = schema.check();
            let _ = Schema::from_yaml(&schema.to_yaml(), "fuzz.yaml");
        }
    }
}
