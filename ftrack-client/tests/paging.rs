//! Paging: several pages, several pages per request, the stream, `first`,
//! `one`, and a caller's own `offset`/`limit`.

mod support;

use futures_util::StreamExt;
use serde_json::json;
use support::TestServer;

fn names(entities: &[ftrack_client::Entity]) -> Vec<String> {
    entities
        .iter()
        .map(|e| e.get("name").unwrap().as_str().unwrap().to_owned())
        .collect()
}

#[tokio::test]
async fn all_fetches_several_pages_per_request() {
    let server = TestServer::start();
    support::seed_tasks(&server, 5_000);
    let session = support::session(&server);

    let tasks = session.query("select name from Task").all().await.unwrap();

    assert_eq!(tasks.len(), 5_000);
    assert_eq!(tasks[4_999].id(), Some("task-4999"));
    let received = server.received();
    // One page first, then five per request: 500 + 2,500 + 2,000.
    assert_eq!(received.len(), 3);
    assert_eq!(
        received[0].body[0]["expression"],
        "select name from Task limit 500"
    );
    let expressions: Vec<&str> = received[1]
        .body
        .as_array()
        .unwrap()
        .iter()
        .map(|op| op["expression"].as_str().unwrap())
        .collect();
    assert_eq!(
        expressions,
        [
            "select name from Task offset 500 limit 500",
            "select name from Task offset 1000 limit 500",
            "select name from Task offset 1500 limit 500",
            "select name from Task offset 2000 limit 500",
            "select name from Task offset 2500 limit 500",
        ]
    );
    assert_eq!(received[2].body.as_array().unwrap().len(), 5);
}

#[tokio::test]
async fn one_page_per_request_follows_the_next_offset() {
    let server = TestServer::start();
    support::seed_tasks(&server, 25);
    let session = support::session(&server);

    let tasks = session
        .query("select name from Task")
        .page_size(10)
        .pages_per_request(1)
        .all()
        .await
        .unwrap();

    assert_eq!(tasks.len(), 25);
    let received = server.received();
    assert_eq!(received.len(), 3);
    assert_eq!(
        received[2].body[0]["expression"],
        "select name from Task offset 20 limit 10"
    );
}

#[tokio::test]
async fn the_callers_offset_and_limit_bound_the_pages() {
    let server = TestServer::start();
    support::seed_tasks(&server, 50);
    let session = support::session(&server);

    let tasks = session
        .query("select name from Task limit 12 offset 5")
        .page_size(5)
        .all()
        .await
        .unwrap();

    assert_eq!(tasks.len(), 12);
    assert_eq!(tasks[0].id(), Some("task-0005"));
    assert_eq!(tasks[11].id(), Some("task-0016"));
    let sent: Vec<Vec<String>> = server
        .received()
        .iter()
        .map(|r| {
            r.body
                .as_array()
                .unwrap()
                .iter()
                .map(|op| op["expression"].as_str().unwrap().to_owned())
                .collect()
        })
        .collect();
    assert_eq!(
        sent,
        [
            vec!["select name from Task offset 5 limit 5"],
            vec![
                "select name from Task offset 10 limit 5",
                "select name from Task offset 15 limit 2"
            ],
        ]
    );
}

#[tokio::test]
async fn a_quoted_limit_is_part_of_the_criteria() {
    let server = TestServer::start();
    server.insert(json!({"__entity_type__": "Task", "id": "t1", "name": "limit 1"}));
    server.insert(json!({"__entity_type__": "Task", "id": "t2", "name": "limit 1"}));
    let session = support::session(&server);

    let tasks = session
        .query(r#"select name from Task where name is "limit 1""#)
        .all()
        .await
        .unwrap();

    assert_eq!(names(&tasks), ["limit 1", "limit 1"]);
    assert_eq!(
        server.received()[0].body[0]["expression"],
        r#"select name from Task where name is "limit 1" limit 500"#
    );
}

#[tokio::test]
async fn the_stream_holds_one_request_of_pages_at_a_time() {
    let server = TestServer::start();
    support::seed_tasks(&server, 23);
    let session = support::session(&server);
    let mut stream = session
        .query("select name from Task")
        .page_size(10)
        .stream();

    // The first entity brings only the first page.
    let first = stream.next().await.unwrap().unwrap();
    assert_eq!(first.id(), Some("task-0000"));
    assert_eq!(server.received().len(), 1);

    let rest: Vec<_> = stream.collect().await;
    assert_eq!(rest.len(), 22);
    assert!(rest.iter().all(Result::is_ok));
    assert_eq!(server.received().len(), 3);
}

#[tokio::test]
async fn first_asks_for_one_and_one_for_two() {
    let server = TestServer::start();
    support::seed_tasks(&server, 3);
    let session = support::session(&server);

    let first = session
        .query("select name from Task")
        .first()
        .await
        .unwrap();
    let one = session
        .query("select name from Task where id is task-0002")
        .one()
        .await
        .unwrap();
    let none = session
        .query("select name from Task where id is nothing")
        .first()
        .await
        .unwrap();

    assert_eq!(first.unwrap().id(), Some("task-0000"));
    assert_eq!(one.get("name").unwrap().as_str(), Some("task 2"));
    assert!(none.is_none());
    let sent: Vec<String> = server
        .received()
        .iter()
        .map(|r| r.body[0]["expression"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(
        sent,
        [
            "select name from Task limit 1",
            // The printer quotes bare words.
            r#"select name from Task where id is "task-0002" limit 2"#,
            r#"select name from Task where id is "nothing" limit 1"#,
        ]
    );
}

#[tokio::test]
async fn one_fails_on_none_and_on_many() {
    let server = TestServer::start();
    support::seed_tasks(&server, 3);
    let session = support::session(&server);

    let many = session
        .query("select name from Task")
        .one()
        .await
        .unwrap_err();
    let none = session
        .query("select name from Task where id is x")
        .one()
        .await
        .unwrap_err();
    let limited = session
        .query("select name from Task limit 3")
        .one()
        .await
        .unwrap_err();

    assert!(
        matches!(many, ftrack_client::Error::MultipleResults { .. }),
        "{many}"
    );
    assert!(
        matches!(none, ftrack_client::Error::NoResult { .. }),
        "{none}"
    );
    assert!(
        matches!(limited, ftrack_client::Error::InvalidQuery { .. }),
        "{limited}"
    );
    assert_eq!(server.received().len(), 2);
}

#[tokio::test]
async fn an_unreadable_limit_fails_before_sending() {
    let server = TestServer::start();
    let session = support::session(&server);

    let error = session
        .query("select name from Task limit many")
        .all()
        .await
        .unwrap_err();
    let mut stream = session.query("select name from Task limit many").stream();

    assert_eq!(
        error.to_string(),
        "cannot run `select name from Task limit many`: `limit` needs a whole number, not `many`"
    );
    assert!(stream.next().await.unwrap().is_err());
    assert!(stream.next().await.is_none());
    assert!(server.received().is_empty());
}
