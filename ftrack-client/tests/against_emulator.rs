//! The client against `ftrack-emulator`, the project's local ftrack server,
//! over real HTTP on loopback: operations, paging, merging, date-times,
//! errors and the emulator's own faults. The fault-by-fault tests stay on
//! the small test server (tests/support), whose faults come in a set order;
//! the emulator draws its faults by share.

use std::time::Duration;

use ftrack_client::{datetime, EntityData, Error, Operation, Outcome, RetryPolicy, Session};
use ftrack_emulator::{Emulator, EmulatorHandle, EmulatorOptions, Faults, Seed};
use serde_json::json;
use time::macros::datetime;

fn demo() -> (EmulatorHandle, Session) {
    let emulator =
        Emulator::start(EmulatorOptions::new().seed(Seed::Demo)).expect("the emulator starts");
    let session = Session::builder()
        .server_url(emulator.url())
        .api_key(emulator.api_user(), emulator.api_key())
        .retry_policy(RetryPolicy {
            max_retries: 3,
            initial_delay: Duration::from_millis(1),
            max_delay: Duration::from_millis(5),
            ..RetryPolicy::default()
        })
        .build()
        .expect("a session");
    (emulator, session)
}

fn data(value: serde_json::Value) -> EntityData {
    value.as_object().cloned().unwrap()
}

/// How many requests the emulator has received.
fn requests(emulator: &EmulatorHandle) -> usize {
    let mut numbers: Vec<u64> = emulator.operations().iter().map(|o| o.request).collect();
    numbers.dedup();
    numbers.len()
}

#[tokio::test]
async fn every_operation_in_one_call() {
    let (emulator, session) = demo();

    let outcomes = session
        .call(vec![
            Operation::query_server_information(),
            Operation::query_schemas(),
            Operation::query("select name from Shot where parent.name is sq010"),
            Operation::create(
                "User",
                data(json!({"username": "jane.roe", "first_name": "Jane"})),
            ),
        ])
        .await
        .unwrap();

    use Outcome::{Created, Query, Schemas, ServerInformation};
    let [ServerInformation(information), Schemas(schemas), Query(shots), Created(user)] =
        &outcomes[..]
    else {
        panic!("{outcomes:?}")
    };
    assert!(information.schema_hash.is_some());
    assert_eq!(schemas.as_array().unwrap().len(), 130);
    assert_eq!(shots.entities.len(), 3);
    assert_eq!(user.get("resource_type").unwrap().as_str(), Some("user"));
    assert_eq!(requests(&emulator), 1);

    // Update and delete the user the call created, by its client-side id.
    let id = user.id().unwrap().to_owned();
    let updated = session
        .update("User", id.as_str(), data(json!({"first_name": "Janet"})))
        .await
        .unwrap();
    session.delete("User", id.as_str()).await.unwrap();

    assert_eq!(updated.get("first_name").unwrap().as_str(), Some("Janet"));
    let left = session
        .query(format!("select id from User where id is {id}"))
        .all()
        .await
        .unwrap();
    assert!(left.is_empty());
}

#[tokio::test]
async fn all_pages_through_several_pages_per_request() {
    let (emulator, session) = demo();

    let tasks = session
        .query("select name from Task order by name")
        .page_size(2)
        .all()
        .await
        .unwrap();
    let all_requests = requests(&emulator);
    emulator.clear_operations();
    let stream = session.query("select name from Task").page_size(5).stream();
    let streamed: Vec<_> = futures_util::StreamExt::collect(stream).await;
    let stream_requests = requests(&emulator);

    // Six shots with three tasks each.
    assert_eq!(tasks.len(), 18);
    assert!(streamed.iter().all(Result::is_ok));
    assert_eq!(streamed.len(), 18);
    // all(): one page of 2, then 5 pages per request (8 pages left: 2 more).
    assert_eq!(all_requests, 3);
    // The stream: one page of 5 per request.
    assert_eq!(stream_requests, 4);
    let mut names: Vec<&str> = tasks
        .iter()
        .filter_map(|t| t.get("name")?.as_str())
        .collect();
    let sorted = {
        let mut sorted = names.clone();
        sorted.sort();
        sorted
    };
    assert_eq!(names, sorted, "pages follow the order by");
    names.dedup();
    assert!(names.len() >= 3);
}

#[tokio::test]
async fn merged_parents_are_whole_in_every_shot() {
    let (emulator, session) = demo();
    let expression = "select name, parent.name from Shot";

    let shots = session.query(expression).all().await.unwrap();

    // The emulator sent each sequence in full once, then as references.
    let raw: serde_json::Value = reqwest::Client::new()
        .post(format!("{}/api", emulator.url()))
        .header("ftrack-user", emulator.api_user())
        .header("ftrack-api-key", emulator.api_key())
        .json(&json!([{"action": "query", "expression": expression}]))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let bare = raw[0]["data"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|shot| shot["parent"].get("name").is_none())
        .count();
    assert_eq!(bare, 4, "{raw}");
    assert_eq!(shots.len(), 6);
    for shot in &shots {
        let name = shot.get_path("parent.name");
        assert!(
            name.as_ref()
                .and_then(|n| n.as_str())
                .is_some_and(|n| n.starts_with("sq0")),
            "{shot:?}"
        );
    }
}

#[tokio::test]
async fn a_datetime_round_trips_as_the_same_instant() {
    let (_emulator, session) = demo();
    let task = session
        .query("select id from Task")
        .first()
        .await
        .unwrap()
        .unwrap();
    let id = task.id().unwrap().to_owned();

    session
        .update(
            "Task",
            id.as_str(),
            data(json!({"start_date": datetime(datetime!(2024-05-01 14:30:00 +02:00))})),
        )
        .await
        .unwrap();
    let read = session
        .query(format!("select start_date from Task where id is {id}"))
        .one()
        .await
        .unwrap();

    assert_eq!(
        read.get("start_date").unwrap().as_datetime(),
        Some(datetime!(2024-05-01 12:30:00 UTC))
    );
}

#[tokio::test]
async fn the_emulators_refusals_are_typed_errors() {
    let (emulator, session) = demo();
    let wrong = Session::builder()
        .server_url(emulator.url())
        .api_key(emulator.api_user(), "not-the-key")
        .build()
        .unwrap();

    let refused = wrong.query_server_information().await.unwrap_err();
    let invalid = session
        .create("User", data(json!({"usernme": "x"})))
        .await
        .unwrap_err();
    let unknown = session
        .query("select name from Spaceship")
        .all()
        .await
        .unwrap_err();
    let unsupported = session
        .call(vec![Operation::other("encode_media", Default::default())])
        .await
        .unwrap_err();
    let twice = json!({"id": "00000000-0000-4000-8000-000000000001", "username": "twice"});
    session.create("User", data(twice.clone())).await.unwrap();
    let duplicate = session.create("User", data(twice)).await.unwrap_err();

    assert!(refused.is_authentication(), "{refused:?}");
    assert!(invalid.is_validation(), "{invalid:?}");
    assert!(
        invalid.to_string().contains("did you mean `username`?"),
        "{invalid}"
    );
    assert!(unknown.is_validation(), "{unknown:?}");
    assert!(
        unknown
            .to_string()
            .contains("unknown entity type `Spaceship`"),
        "{unknown}"
    );
    assert!(unsupported.is_validation(), "{unsupported:?}");
    assert!(matches!(duplicate, Error::Server { .. }), "{duplicate:?}");
    assert!(
        unsupported.to_string().contains("Invalid action"),
        "{unsupported}"
    );
}

#[tokio::test]
async fn a_create_whose_answer_the_emulator_dropped_is_kept_once() {
    let (emulator, session) = demo();
    emulator.set_faults(Faults {
        drop_after_apply: 1.0,
        ..Faults::none()
    });
    let mut batch = session.batch();
    let key = batch.create("User", data(json!({"username": "dropped.answer"})));

    let error = batch.commit().await.unwrap_err();
    emulator.set_faults(Faults::none());

    assert!(error.is_possibly_applied(), "{error:?}");
    let users = session
        .query("select id from User where username is \"dropped.answer\"")
        .all()
        .await
        .unwrap();
    assert_eq!(users.len(), 1);
    assert_eq!(users[0].id(), Some(key.values()[0].as_str()));
}

#[tokio::test]
async fn a_query_gets_through_a_busy_emulator() {
    let (emulator, _) = demo();
    emulator.set_faults(Faults {
        unavailable: 0.5,
        seed: 7,
        ..Faults::none()
    });
    let retrying = Session::builder()
        .server_url(emulator.url())
        .api_key(emulator.api_user(), emulator.api_key())
        .retry_policy(RetryPolicy {
            max_retries: 20,
            initial_delay: Duration::from_millis(1),
            max_delay: Duration::from_millis(2),
            ..RetryPolicy::default()
        })
        .build()
        .unwrap();

    let shots = retrying.query("select name from Shot").all().await.unwrap();
    emulator.set_faults(Faults::none());

    assert_eq!(shots.len(), 6);
}
