//! Each kind of error, as the caller sees it and as it reads with `{}`.

mod support;

use ftrack_client::{EntityData, Error, Operation, Session};
use serde_json::json;
use support::{Fault, TestServer, API_USER, VIEWER, VIEWER_KEY};

fn strict_session(server: &TestServer) -> Session {
    Session::builder()
        .server_url(server.url())
        .api_key(API_USER, support::API_KEY)
        .strict_api(true)
        .retry_policy(support::fast_retries(3))
        .build()
        .unwrap()
}

#[tokio::test]
async fn a_missing_required_attribute_is_a_validation_error() {
    let server = TestServer::start();
    server.require("Shot", &["name"]);
    let session = support::session(&server);

    let error = session.create("Shot", EntityData::new()).await.unwrap_err();

    assert!(error.is_validation(), "{error:?}");
    let server_error = error.server_error().unwrap();
    assert_eq!(server_error.exception, "ValidationError");
    assert_eq!(
        server_error.content,
        "Missing required attribute name of Shot"
    );
    assert_eq!(error.status(), Some(200));
    assert_eq!(
        error.to_string(),
        format!(
            "the ftrack server refused POST {}/api [create] (HTTP 200): \
             ValidationError: Missing required attribute name of Shot",
            server.url()
        )
    );
    assert_eq!(server.count("Shot"), 0);
}

#[tokio::test]
async fn strict_mode_errors_carry_their_status_and_are_not_retried() {
    let server = TestServer::start();
    server.require("Shot", &["name"]);
    let session = strict_session(&server);

    let error = session.create("Shot", EntityData::new()).await.unwrap_err();

    assert!(error.is_validation(), "{error:?}");
    assert_eq!(error.status(), Some(422));
    assert_eq!(server.received().len(), 1);
}

#[tokio::test]
async fn a_read_only_user_gets_a_permission_error() {
    let server = TestServer::start();
    let session = Session::builder()
        .server_url(server.url())
        .api_key(VIEWER, VIEWER_KEY)
        .build()
        .unwrap();

    let read = session.query("select name from Task").all().await;
    let error = session.delete("Task", "t1").await.unwrap_err();

    assert!(read.unwrap().is_empty());
    assert!(error.is_permission(), "{error:?}");
    assert_eq!(error.server_error().unwrap().exception, "PermissionError");
}

#[tokio::test]
async fn a_wrong_key_is_an_authentication_error_in_both_modes() {
    let server = TestServer::start();
    let lenient = Session::builder()
        .server_url(server.url())
        .api_key(API_USER, "wrong-key-1")
        .build()
        .unwrap();
    let strict = Session::builder()
        .server_url(server.url())
        .api_key(API_USER, "wrong-key-2")
        .strict_api(true)
        .build()
        .unwrap();

    let lenient = lenient.query_server_information().await.unwrap_err();
    let strict = strict.query_server_information().await.unwrap_err();

    assert!(lenient.is_authentication() && strict.is_authentication());
    assert_eq!(lenient.status(), Some(200));
    assert_eq!(strict.status(), Some(401));
    assert_eq!(
        strict.server_error().unwrap().exception,
        "InvalidCredentialsError"
    );
}

#[tokio::test]
async fn other_server_exceptions_keep_name_content_and_action() {
    let server = TestServer::start();
    let session = support::session(&server);

    let error = session
        .call(vec![Operation::other("frobnicate", Default::default())])
        .await
        .unwrap_err();

    let Error::Server {
        call,
        error: server_error,
    } = &error
    else {
        panic!("{error:?}")
    };
    assert_eq!(server_error.exception, "ServerError");
    assert_eq!(server_error.content, "Invalid action u'frobnicate'");
    assert_eq!(call.actions[0].to_string(), "frobnicate");
    assert_eq!(call.url, format!("{}/api", server.url()));
}

#[tokio::test]
async fn an_html_page_is_a_decode_error_with_status_and_excerpt() {
    let server = TestServer::start();
    let page = format!("<html><body>{}</body></html>", "proxy login ".repeat(100));
    server.fault(Fault::Body(200, page.clone()));
    let session = support::session(&server);

    let error = session
        .query("select name from Task")
        .all()
        .await
        .unwrap_err();

    let Error::Decode { call, excerpt, .. } = &error else {
        panic!("{error:?}")
    };
    assert_eq!(call.status, Some(200));
    assert!(page.starts_with(excerpt.trim_end_matches('…')));
    assert!(
        excerpt.len() >= 200 && excerpt.len() < 400,
        "{}",
        excerpt.len()
    );
    assert!(
        error
            .to_string()
            .contains("the body is not JSON; the body starts with \"<html><body>proxy login"),
        "{error}"
    );
}

#[tokio::test]
async fn a_truncated_answer_is_a_decode_error() {
    let server = TestServer::start();
    server.fault(Fault::Body(
        200,
        r#"[{"action": "query", "data": [{"__entity_type__": "Ta"#.into(),
    ));
    let session = support::session(&server);

    let error = session
        .query("select name from Task")
        .first()
        .await
        .unwrap_err();

    assert!(matches!(error, Error::Decode { .. }), "{error:?}");
    assert_eq!(error.status(), Some(200));
}

#[tokio::test]
async fn an_answer_of_the_wrong_length_is_a_decode_error() {
    let server = TestServer::start();
    server.fault(Fault::Body(200, "[]".into()));
    let session = support::session(&server);

    let error = session.query_server_information().await.unwrap_err();

    assert!(
        error
            .to_string()
            .contains("sent 1 operations but received 0 results"),
        "{error}"
    );
}

#[tokio::test]
async fn an_error_status_without_an_ftrack_error_is_an_http_error() {
    let server = TestServer::start();
    server.fault(Fault::Body(500, r#"{"detail": "upstream failed"}"#.into()));
    let session = support::session(&server);

    let error = session.query_schemas().await.unwrap_err();

    let Error::Http { call, body } = &error else {
        panic!("{error:?}")
    };
    assert_eq!(call.status, Some(500));
    assert_eq!(body, r#"{"detail": "upstream failed"}"#);
    assert_eq!(server.received().len(), 1);
}

#[tokio::test]
async fn a_server_that_is_not_there_is_a_transport_error() {
    // Port 1 (tcpmux) has no listener here; a port bound and released by
    // the test could be taken by a parallel test's server.
    let address = "127.0.0.1:1";
    let session = Session::builder()
        .server_url(format!("http://{address}"))
        .api_key(API_USER, support::API_KEY)
        .retry_policy(support::fast_retries(2))
        .build()
        .unwrap();

    let error = session
        .query("select name from Task")
        .all()
        .await
        .unwrap_err();

    let Error::Transport { call, .. } = &error else {
        panic!("{error:?}")
    };
    assert_eq!(call.attempts, 3);
    assert!(!error.is_possibly_applied());
    assert!(
        error
            .to_string()
            .starts_with("cannot reach the ftrack server: POST http://127.0.0.1:"),
        "{error}"
    );
}

#[tokio::test]
async fn missing_settings_are_config_errors() {
    let no_url = Session::builder()
        .api_key(API_USER, "k")
        .build()
        .unwrap_err();
    let no_auth = Session::builder()
        .server_url("https://x.test")
        .build()
        .unwrap_err();
    let bad_header = Session::builder()
        .server_url("https://x.test")
        .api_key(API_USER, "k")
        .header("x-ok", "line\nbreak")
        .build()
        .unwrap_err();

    assert_eq!(
        no_url.to_string(),
        "invalid session setting `server_url`: no server URL was given"
    );
    assert_eq!(
        no_auth.to_string(),
        "invalid session setting `auth`: no API key or bearer token was given"
    );
    assert!(matches!(
        bad_header,
        Error::Config {
            setting: "header",
            ..
        }
    ));
    let _ = json!(null);
}
