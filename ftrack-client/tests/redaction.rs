//! The API key and bearer token never appear in `Debug`, `Display`, errors
//! or logs, even at trace level.

mod support;

use std::io::Write;
use std::sync::{Arc, Mutex};

use ftrack_client::{Credentials, EntityData, Session};
use support::{Fault, TestServer, API_KEY, API_USER, BEARER_TOKEN};

/// Log output captured in memory.
#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl Write for Captured {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(bytes);
        Ok(bytes.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl Captured {
    fn text(&self) -> String {
        String::from_utf8_lossy(&self.0.lock().unwrap()).into_owned()
    }
}

#[tokio::test]
async fn trace_logs_and_errors_hold_no_secret() {
    let server = TestServer::start();
    support::seed_tasks(&server, 3);
    let logs = Captured::default();
    let writer = logs.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_writer(move || writer.clone())
        .with_ansi(false)
        .finish();
    let _guard = tracing::subscriber::set_default(subscriber);
    let session = support::session(&server);
    let bearer = Session::builder()
        .server_url(server.url())
        .bearer_token(BEARER_TOKEN)
        .build()
        .unwrap();
    let wrong = Session::builder()
        .server_url(server.url())
        .api_key(API_USER, format!("{API_KEY}-old"))
        .build()
        .unwrap();

    // Successes, a retry, a server error that echoes the session's own key,
    // bad credentials.
    session
        .query("select name, status.name from Task")
        .all()
        .await
        .unwrap();
    bearer.query_server_information().await.unwrap();
    server.fault(Fault::Status(503));
    session.create("Note", EntityData::new()).await.unwrap();
    server.fault(Fault::Exception(
        "ServerError".into(),
        format!("bad key {API_KEY} sent"),
    ));
    let echoed = session.query_schemas().await.unwrap_err();
    let refused = wrong.query_server_information().await.unwrap_err();

    let logs = logs.text();
    assert!(logs.contains("ftrack.call"), "{logs}");
    assert!(logs.contains("retrying batch"), "{logs}");
    assert!(
        logs.contains("\"action\":\"query\""),
        "trace bodies are logged: {logs}"
    );
    for text in [
        logs,
        format!("{echoed}"),
        format!("{echoed:?}"),
        format!("{refused}"),
        format!("{refused:?}"),
    ] {
        assert!(!text.contains(API_KEY), "{text}");
        assert!(!text.contains(BEARER_TOKEN), "{text}");
    }
    assert!(
        echoed.to_string().contains("bad key [redacted] sent"),
        "{echoed}"
    );
}

#[test]
fn credentials_and_sessions_print_without_secrets() {
    let credentials = Credentials::api_key("https://x.test", API_USER, API_KEY);
    let session = Session::new(credentials.clone()).unwrap();
    let token = Credentials::bearer_token("https://x.test", BEARER_TOKEN);

    let texts = [
        format!("{credentials}"),
        format!("{credentials:?}"),
        format!("{session:?}"),
        format!("{token}"),
        format!("{token:?}"),
    ];

    for text in texts {
        assert!(
            !text.contains(API_KEY) && !text.contains(BEARER_TOKEN),
            "{text}"
        );
    }
}
