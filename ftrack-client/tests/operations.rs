//! Every operation over real HTTP against the test server, and the headers
//! every call carries.

mod support;

use ftrack_client::{Action, EntityData, Operation, Outcome, Session};
use serde_json::json;
use support::{TestServer, API_KEY, API_USER, BEARER_TOKEN};

fn data(value: serde_json::Value) -> EntityData {
    value.as_object().cloned().unwrap()
}

#[tokio::test]
async fn one_call_carries_many_operations_and_returns_results_in_order() {
    let server = TestServer::start();
    support::seed_tasks(&server, 2);
    let session = support::session(&server);

    let outcomes = session
        .call(vec![
            Operation::query_server_information(),
            Operation::create("Note", data(json!({"content": "hello"}))),
            Operation::query("select name from Task"),
            Operation::update("Task", "task-0000", data(json!({"name": "renamed"}))),
            Operation::delete("Task", "task-0001"),
            Operation::query_schemas(),
        ])
        .await
        .unwrap();

    assert_eq!(server.received().len(), 1);
    assert_eq!(outcomes.len(), 6);
    let Outcome::ServerInformation(information) = &outcomes[0] else {
        panic!("{:?}", outcomes[0])
    };
    assert_eq!(information.version.as_deref(), Some("dev"));
    assert_eq!(information.is_timezone_support_enabled, Some(true));
    let Outcome::Created(note) = &outcomes[1] else {
        panic!("{:?}", outcomes[1])
    };
    assert_eq!(note.get("content").unwrap().as_str(), Some("hello"));
    let Outcome::Query(page) = &outcomes[2] else {
        panic!("{:?}", outcomes[2])
    };
    assert_eq!(page.entities.len(), 2);
    let Outcome::Updated(task) = &outcomes[3] else {
        panic!("{:?}", outcomes[3])
    };
    assert_eq!(task.get("name").unwrap().as_str(), Some("renamed"));
    assert!(matches!(outcomes[4], Outcome::Deleted));
    let Outcome::Schemas(schemas) = &outcomes[5] else {
        panic!("{:?}", outcomes[5])
    };
    assert_eq!(schemas.as_array().unwrap().len(), 116);

    assert_eq!(server.get("Task", "task-0000").unwrap()["name"], "renamed");
    assert!(server.get("Task", "task-0001").is_none());
    assert_eq!(server.count("Note"), 1);
}

#[tokio::test]
async fn create_sends_a_client_side_id_that_the_server_keeps() {
    let server = TestServer::start();
    let session = support::session(&server);

    let note = session
        .create("Note", data(json!({"content": "x"})))
        .await
        .unwrap();

    let sent = &server.received()[0].body[0];
    let id = sent["entity_data"]["id"].as_str().unwrap().to_owned();
    assert_eq!(sent["entity_key"], json!([id]));
    assert_eq!(note.id(), Some(id.as_str()));
    assert!(server.get("Note", &id).is_some());
}

#[tokio::test]
async fn every_call_carries_credentials_mode_user_agent_and_extra_headers() {
    let server = TestServer::start();
    let session = Session::builder()
        .server_url(format!("{}/", server.url()))
        .api_key(API_USER, API_KEY)
        .strict_api(true)
        .header("ftrack-api-options", "strict=1")
        .application("publish-tool/2.0")
        .build()
        .unwrap();

    session.query_server_information().await.unwrap();

    let headers = &server.received()[0].headers;
    assert_eq!(headers["ftrack-user"], API_USER);
    assert_eq!(headers["ftrack-api-key"], API_KEY);
    assert_eq!(headers["ftrack-strict-api"], "true");
    assert_eq!(headers["ftrack-api-options"], "strict=1");
    assert_eq!(headers["content-type"], "application/json");
    assert_eq!(headers["accept"], "application/json");
    assert_eq!(
        headers["user-agent"],
        format!(
            "publish-tool/2.0 ftrack-client/{}",
            env!("CARGO_PKG_VERSION")
        )
    );
}

#[tokio::test]
async fn a_bearer_token_is_sent_as_authorization() {
    let server = TestServer::start();
    let session = Session::builder()
        .server_url(server.url())
        .bearer_token(BEARER_TOKEN)
        .http_client(reqwest::Client::new())
        .build()
        .unwrap();

    let information = session.query_server_information().await.unwrap();

    assert_eq!(
        information.schema_hash.as_deref(),
        Some("23a1157b8b1730fd91c76f63dcd67a8f")
    );
    let headers = &server.received()[0].headers;
    assert_eq!(headers["authorization"], format!("Bearer {BEARER_TOKEN}"));
    assert!(!headers.contains_key("ftrack-api-key"));
    assert_eq!(headers["ftrack-strict-api"], "false");
}

#[tokio::test]
async fn a_batch_commits_merged_changes_in_one_request() {
    let server = TestServer::start();
    server.require("Shot", &["name"]);
    let session = support::session(&server);
    let mut batch = session.batch();

    // The create lacks its required name until a later update in the batch.
    let shot = batch.create("Shot", EntityData::new());
    batch.set("Note", "n-1", "content", json!("unrelated"));
    batch.set("Shot", shot.clone(), "name", json!("sh010"));
    batch.set("Shot", shot.clone(), "description", json!("first"));
    batch.set("Shot", shot.clone(), "description", json!("last"));
    server.insert(json!({"__entity_type__": "Note", "id": "n-1", "content": "old"}));
    let outcomes = batch.commit().await.unwrap();

    let received = server.received();
    assert_eq!(received.len(), 1);
    assert_eq!(received[0].actions(), ["create", "update", "update"]);
    assert_eq!(
        received[0].body[2]["entity_data"],
        json!({"__entity_type__": "Shot", "name": "sh010", "description": "last"})
    );
    assert_eq!(outcomes.len(), 3);
    let stored = server.get("Shot", &shot.values()[0]).unwrap();
    assert_eq!(stored["description"], "last");
}

#[tokio::test]
async fn an_empty_batch_sends_nothing() {
    let server = TestServer::start();
    let session = support::session(&server);

    let outcomes = session.batch().commit().await.unwrap();
    let none = session.call(Vec::new()).await.unwrap();

    assert!(outcomes.is_empty() && none.is_empty());
    assert!(server.received().is_empty());
}

#[tokio::test]
async fn primary_keys_load_from_the_servers_schemas() {
    let server = TestServer::start();
    let session = support::session(&server);

    let count = session.load_primary_keys().await.unwrap();

    assert_eq!(count, 116);
    assert_eq!(session.primary_keys().get("Metadata"), ["parent_id", "key"]);
    assert_eq!(
        server.received()[0].actions(),
        [Action::QuerySchemas.to_string()]
    );
}

#[tokio::test]
async fn other_actions_pass_through_as_json() {
    let server = TestServer::start();
    let session = support::session(&server);
    server.fault(support::Fault::Body(
        200,
        r#"[{"widget_url": "https://x.test/widget"}]"#.into(),
    ));

    let outcomes = session
        .call(vec![Operation::other(
            "get_widget_url",
            data(json!({"name": "info", "theme": "dark"})),
        )])
        .await
        .unwrap();

    let Outcome::Other(value) = &outcomes[0] else {
        panic!("{:?}", outcomes[0])
    };
    assert_eq!(value["widget_url"], "https://x.test/widget");
    assert_eq!(server.received()[0].body[0]["theme"], "dark");
}
