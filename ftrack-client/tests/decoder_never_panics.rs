//! The decoder, fed arbitrary, truncated and mutated bodies, returns `Err`
//! or `Ok` and never panics.

use ftrack_client::{Action, DecodeOptions, Reply};
use proptest::prelude::*;
use serde_json::{json, Value as Json};

fn any_json() -> impl Strategy<Value = Json> {
    let leaf = prop_oneof![
        Just(Json::Null),
        any::<bool>().prop_map(Json::Bool),
        any::<i64>().prop_map(Json::from),
        any::<f64>().prop_map(|f| serde_json::Number::from_f64(f).map_or(Json::Null, Json::Number)),
        "[a-z_]{0,8}".prop_map(Json::String),
        prop_oneof![Just("datetime"), Just("date"), Just("other")]
            .prop_flat_map(|kind| (Just(kind), ".{0,24}"))
            .prop_map(|(kind, value)| json!({"__type__": kind, "value": value})),
    ];
    leaf.prop_recursive(6, 64, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(Json::Array),
            prop::collection::btree_map(
                prop_oneof![
                    Just("__entity_type__".to_owned()),
                    Just("id".to_owned()),
                    Just("data".to_owned()),
                    Just("metadata".to_owned()),
                    Just("next".to_owned()),
                    Just("offset".to_owned()),
                    Just("exception".to_owned()),
                    "[a-z]{1,6}"
                ],
                inner,
                0..6,
            )
            .prop_map(|map| Json::Object(map.into_iter().collect())),
        ]
    })
}

fn any_actions() -> impl Strategy<Value = Vec<Action>> {
    prop::collection::vec(
        prop_oneof![
            Just(Action::Query),
            Just(Action::Create),
            Just(Action::Update),
            Just(Action::Delete),
            Just(Action::QuerySchemas),
            Just(Action::QueryServerInformation),
            Just(Action::Other("x".into())),
        ],
        0..4,
    )
}

fn valid_body() -> Vec<u8> {
    let body = json!([{
        "action": "query",
        "data": [
            {"__entity_type__": "Task", "id": "t1", "name": "comp",
             "created_at": {"__type__": "datetime", "value": "2022-10-10T10:12:09"},
             "status": {"__entity_type__": "Status", "id": "s1", "name": "Done"}},
            {"__entity_type__": "Task", "id": "t2",
             "status": {"__entity_type__": "Status", "id": "s1"}},
        ],
        "metadata": {"next": {"offset": null}},
    }]);
    serde_json::to_vec(&body).unwrap()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn arbitrary_json_never_panics(body in any_json(), actions in any_actions()) {
        let bytes = serde_json::to_vec(&body).unwrap();
        let _ = Reply::decode(&bytes, &actions, &DecodeOptions::default());
    }

    #[test]
    fn arbitrary_results_in_a_list_never_panic(
        results in prop::collection::vec(any_json(), 0..4),
        actions in any_actions(),
    ) {
        let bytes = serde_json::to_vec(&Json::Array(results)).unwrap();
        let _ = Reply::decode(&bytes, &actions, &DecodeOptions::default());
    }

    #[test]
    fn arbitrary_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..256)) {
        let _ = Reply::decode(&bytes, &[Action::Query], &DecodeOptions::default());
    }

    #[test]
    fn a_truncated_answer_is_an_error(cut in 0usize..1000) {
        let body = valid_body();
        let cut = cut % body.len();
        let decoded = Reply::decode(&body[..cut], &[Action::Query], &DecodeOptions::default());
        prop_assert!(decoded.is_err());
    }

    #[test]
    fn a_value_replaced_anywhere_never_panics(value in any_json(), at in 0usize..12) {
        let mut body: Json = serde_json::from_slice(&valid_body()).unwrap();
        let slots = [
            "/0/data/0/name", "/0/data/0/created_at", "/0/data/0/created_at/value",
            "/0/data/0/status", "/0/data/1/status/id", "/0/data/0/__entity_type__",
            "/0/data/1", "/0/data", "/0/metadata/next/offset", "/0/metadata", "/0", "/0/data/0/id",
        ];
        if let Some(slot) = body.pointer_mut(slots[at]) {
            *slot = value;
        }
        let bytes = serde_json::to_vec(&body).unwrap();
        let _ = Reply::decode(&bytes, &[Action::Query], &DecodeOptions::default());
    }
}

#[test]
fn deeply_nested_json_is_an_error_not_a_stack_overflow() {
    let body = "[".repeat(100_000);

    let decoded = Reply::decode(body.as_bytes(), &[Action::Query], &DecodeOptions::default());

    assert!(decoded.is_err());
}
