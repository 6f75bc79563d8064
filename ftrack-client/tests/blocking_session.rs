//! The blocking session: the same API as the async one, from plain threads.

mod support;

use ftrack_client::blocking::Session;
use ftrack_client::{EntityData, Error, Outcome};
use serde_json::json;
use support::{Fault, TestServer, API_KEY, API_USER};

fn session(server: &TestServer) -> Session {
    Session::builder()
        .server_url(server.url())
        .api_key(API_USER, API_KEY)
        .retry_policy(support::fast_retries(3))
        .build()
        .unwrap()
}

#[test]
fn queries_page_and_iterate_without_async() {
    let server = TestServer::start();
    support::seed_tasks(&server, 12);
    let session = session(&server);

    let all = session
        .query("select name, status.name from Task")
        .page_size(5)
        .all()
        .unwrap();
    let first = session
        .query("select name from Task")
        .first()
        .unwrap()
        .unwrap();
    let one = session
        .query("select name from Task where id is task-0003")
        .one()
        .unwrap();
    let iterated: Vec<_> = session
        .query("select name from Task")
        .page_size(5)
        .iter()
        .collect::<Result<_, _>>()
        .unwrap();

    assert_eq!(all.len(), 12);
    assert_eq!(
        all[11]
            .get("status")
            .unwrap()
            .as_entity()
            .unwrap()
            .get("name")
            .unwrap()
            .as_str(),
        Some("Done")
    );
    assert_eq!(first.id(), Some("task-0000"));
    assert_eq!(one.get("name").unwrap().as_str(), Some("task 3"));
    assert_eq!(iterated.len(), 12);
}

#[test]
fn writes_and_batches_without_async() {
    let server = TestServer::start();
    server.fault(Fault::Status(503));
    let session = session(&server);
    let mut data = EntityData::new();
    data.insert("content".into(), json!("a"));

    let note = session.create("Note", data).unwrap();
    let id = note.id().unwrap().to_owned();
    let mut batch = session.batch();
    batch.set("Note", id.as_str(), "content", json!("b"));
    batch.set("Note", id.as_str(), "content", json!("c"));
    let outcomes = batch.commit().unwrap();
    session.delete("Note", id.as_str()).unwrap();

    assert!(matches!(&outcomes[..], [Outcome::Updated(_)]));
    assert_eq!(server.count("Note"), 0);
    // The 503 was retried; then create, commit and delete.
    assert_eq!(server.received().len(), 4);
}

#[test]
fn a_blocking_session_refuses_to_run_inside_a_runtime() {
    let server = TestServer::start();
    let session = session(&server);
    let runtime = tokio::runtime::Builder::new_current_thread()
        .build()
        .unwrap();

    let result = runtime.block_on(async { session.query_server_information() });

    assert!(matches!(result, Err(Error::BlockingInsideRuntime)));
    assert!(server.received().is_empty());
}
