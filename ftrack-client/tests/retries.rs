//! Retries after injected gateway errors, rate limits and dropped
//! connections; what is never retried.

mod support;

use ftrack_client::{EntityData, Error, Operation, Session};
use serde_json::json;
use support::{Fault, TestServer};

#[tokio::test]
async fn a_query_is_retried_after_503s() {
    let server = TestServer::start();
    support::seed_tasks(&server, 2);
    server.fault(Fault::Status(503));
    server.fault(Fault::Status(502));
    let session = support::session(&server);

    let tasks = session.query("select name from Task").all().await.unwrap();

    assert_eq!(tasks.len(), 2);
    assert_eq!(server.received().len(), 3);
}

#[tokio::test]
async fn retries_stop_at_the_policys_limit() {
    let server = TestServer::start();
    for _ in 0..5 {
        server.fault(Fault::Status(503));
    }
    let session = support::session(&server);

    let error = session.query_server_information().await.unwrap_err();

    // 1 attempt + 3 retries, then the HTML of the last 503.
    assert_eq!(server.received().len(), 4);
    let Error::Decode { call, excerpt, .. } = &error else {
        panic!("{error:?}")
    };
    assert_eq!((call.status, call.attempts), (Some(503), 4));
    assert!(excerpt.contains("503 Service Unavailable"));
}

#[tokio::test]
async fn a_429_waits_for_retry_after() {
    let server = TestServer::start();
    server.fault(Fault::TooManyRequests("0".into()));
    let session = support::session(&server);

    let information = session.query_server_information().await.unwrap();

    assert_eq!(information.version.as_deref(), Some("dev"));
    assert_eq!(server.received().len(), 2);
}

#[tokio::test]
async fn a_retry_after_beyond_the_policy_ends_the_retries() {
    let server = TestServer::start();
    server.fault(Fault::TooManyRequests("3600".into()));
    let session = support::session(&server);

    let error = session.query_server_information().await.unwrap_err();

    assert_eq!(error.status(), Some(429));
    assert_eq!(server.received().len(), 1);
}

#[tokio::test]
async fn a_dropped_connection_is_retried_for_a_query() {
    let server = TestServer::start();
    support::seed_tasks(&server, 1);
    server.fault(Fault::DropBeforeApply);
    let session = support::session(&server);

    let task = session.query("select name from Task").one().await.unwrap();

    assert_eq!(task.id(), Some("task-0000"));
    assert_eq!(server.received().len(), 2);
}

#[tokio::test]
async fn a_create_whose_answer_was_lost_is_not_created_twice() {
    let server = TestServer::start();
    server.fault(Fault::DropAfterApply);
    let session = support::session(&server);
    let mut batch = session.batch();
    let mut data = EntityData::new();
    data.insert("content".into(), json!("publish notes"));
    let key = batch.create("Note", data);

    let error = batch.commit().await.unwrap_err();

    // Both attempts sent the same client-side id; the server applied the
    // first, refused the second as a duplicate, and holds one note.
    let received = server.received();
    assert_eq!(received.len(), 2);
    assert_eq!(received[0].body, received[1].body);
    assert_eq!(
        received[1].body[0]["entity_data"]["id"],
        json!(key.values()[0])
    );
    assert_eq!(server.count("Note"), 1);
    assert!(error.is_possibly_applied(), "{error:?}");
    assert_eq!(error.server_error().unwrap().exception, "IntegrityError");
    assert!(error
        .to_string()
        .contains("an earlier attempt lost its answer and may have been applied"));
}

#[tokio::test]
async fn an_update_whose_answer_was_lost_succeeds_on_retry() {
    let server = TestServer::start();
    support::seed_tasks(&server, 1);
    server.fault(Fault::DropAfterApply);
    let session = support::session(&server);
    let mut data = EntityData::new();
    data.insert("name".into(), json!("layout"));

    let task = session.update("Task", "task-0000", data).await.unwrap();

    assert_eq!(task.get("name").unwrap().as_str(), Some("layout"));
    assert_eq!(server.received().len(), 2);
}

#[tokio::test]
async fn a_batch_not_safe_to_repeat_is_not_retried_after_sending() {
    let server = TestServer::start();
    server.fault(Fault::DropAfterApply);
    let session = support::session(&server);

    let error = session
        .call(vec![Operation::other("encode_media", Default::default())])
        .await
        .unwrap_err();

    assert!(matches!(error, Error::Transport { .. }), "{error:?}");
    assert!(error.is_possibly_applied());
    assert_eq!(server.received().len(), 1);
}

#[tokio::test]
async fn server_exceptions_and_other_4xx_are_never_retried() {
    let server = TestServer::start();
    server.fault(Fault::Exception(
        "ServerError".into(),
        "database is busy".into(),
    ));
    server.fault(Fault::Body(400, "bad request".into()));
    let session = support::session(&server);

    let exception = session.query_schemas().await.unwrap_err();
    let bad_request = session.query_schemas().await.unwrap_err();

    assert_eq!(
        exception.server_error().unwrap().content,
        "database is busy"
    );
    assert_eq!(bad_request.status(), Some(400));
    assert_eq!(server.received().len(), 2);
}

#[tokio::test]
async fn no_retries_when_the_policy_says_none() {
    let server = TestServer::start();
    server.fault(Fault::Status(503));
    let session = Session::builder()
        .server_url(server.url())
        .api_key(support::API_USER, support::API_KEY)
        .retry_policy(ftrack_client::RetryPolicy::none())
        .build()
        .unwrap();

    let error = session.query_schemas().await.unwrap_err();

    assert_eq!(error.status(), Some(503));
    assert_eq!(server.received().len(), 1);
}

#[tokio::test]
async fn a_stalled_answer_times_out_and_a_query_is_retried() {
    let server = TestServer::start();
    support::seed_tasks(&server, 1);
    server.fault(Fault::Stall(30));
    server.fault(Fault::Stall(30));
    let session = Session::builder()
        .server_url(server.url())
        .api_key(support::API_USER, support::API_KEY)
        .timeout(std::time::Duration::from_millis(200))
        .retry_policy(support::fast_retries(1))
        .build()
        .unwrap();

    let error = session.query_schemas().await.unwrap_err();
    let task = session.query("select name from Task").one().await.unwrap();

    let Error::Transport { call, source } = &error else {
        panic!("{error:?}")
    };
    assert!(source.is_timeout(), "{source:?}");
    assert_eq!(call.attempts, 2);
    assert!(error.is_possibly_applied());
    assert_eq!(task.id(), Some("task-0000"));
    assert_eq!(server.received().len(), 3);
}
