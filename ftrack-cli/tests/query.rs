//! `ftrack query` against the client's test server over loopback.

#[path = "../../ftrack-client/tests/support/mod.rs"]
mod support;

use assert_cmd::Command;
use predicates::prelude::*;
use serde_json::Value;
use support::{TestServer, API_KEY, API_USER};

/// The command with no ftrack settings from the environment or home.
fn ftrack(home: &std::path::Path) -> Command {
    let mut command = Command::cargo_bin("ftrack").expect("the ftrack binary is built");
    for name in [
        "FTRACK_SERVER",
        "FTRACK_API_USER",
        "FTRACK_API_KEY",
        "FTRACK_BEARER_TOKEN",
        "FTRACK_CREDENTIALS",
        "XDG_CONFIG_HOME",
    ] {
        command.env_remove(name);
    }
    command.env("HOME", home);
    command
}

fn connected(server: &TestServer, home: &std::path::Path) -> Command {
    let mut command = ftrack(home);
    command
        .args(["--server", &server.url(), "--api-user", API_USER])
        .env("FTRACK_API_KEY", API_KEY);
    command
}

#[test]
fn json_output_is_every_entity_merged() {
    let server = TestServer::start();
    support::seed_tasks(&server, 7);
    let home = tempfile::tempdir().unwrap();

    let output = connected(&server, home.path())
        .args([
            "--output",
            "json",
            "query",
            "select name, status.name from Task",
            "--page-size",
            "3",
        ])
        .output()
        .unwrap();

    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let entities: Value = serde_json::from_slice(&output.stdout).unwrap();
    let entities = entities.as_array().unwrap();
    assert_eq!(entities.len(), 7);
    // Task 6's status was sent as a bare reference; merged, it has a name.
    assert_eq!(entities[6]["status"]["name"], "Not started");
    assert_eq!(entities[6]["__entity_type__"], "Task");
    assert_eq!(server.received().len(), 2);
}

#[test]
fn table_output_has_a_column_per_attribute() {
    let server = TestServer::start();
    support::seed_tasks(&server, 2);
    let home = tempfile::tempdir().unwrap();

    connected(&server, home.path())
        .args(["query", "select name, status.name from Task"])
        .assert()
        .success()
        .stdout(
            "type  id         name    status\n\
             Task  task-0000  task 0  Not started\n\
             Task  task-0001  task 1  In progress\n\
             (2 entities)\n",
        );
}

#[test]
fn credentials_come_from_a_file() {
    let server = TestServer::start();
    support::seed_tasks(&server, 1);
    let home = tempfile::tempdir().unwrap();
    let file = home.path().join("credentials.json");
    let json =
        serde_json::json!({"server_url": server.url(), "bearer_token": support::BEARER_TOKEN});
    std::fs::write(&file, json.to_string()).unwrap();

    ftrack(home.path())
        .args(["--output", "json", "query", "select name from Task"])
        .arg("--credentials")
        .arg(&file)
        .assert()
        .success()
        .stdout(predicate::str::contains("\"task 0\""));
    assert_eq!(
        server.received()[0].headers["authorization"],
        format!("Bearer {}", support::BEARER_TOKEN)
    );
}

#[test]
fn a_refused_key_exits_1_with_the_full_message_and_no_key() {
    let server = TestServer::start();
    let home = tempfile::tempdir().unwrap();

    let output = ftrack(home.path())
        .args([
            "--server",
            &server.url(),
            "--api-user",
            API_USER,
            "--api-key",
            "wr0ng-key-value",
        ])
        .args(["query", "select name from Task"])
        .output()
        .unwrap();

    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.starts_with(
            "error: query `select name from Task` failed: the ftrack server did not accept \
             the credentials for POST"
        ),
        "{stderr}"
    );
    assert!(stderr.contains("InvalidCredentialsError"), "{stderr}");
    assert!(!stderr.contains("wr0ng-key-value"), "{stderr}");
    assert!(output.stdout.is_empty());
}

#[test]
fn no_credentials_exits_1_listing_what_was_tried() {
    let home = tempfile::tempdir().unwrap();

    ftrack(home.path())
        .args(["query", "select name from Task"])
        .assert()
        .code(1)
        .stderr(predicate::str::starts_with(
            "error: no ftrack credentials found; tried explicit values",
        ))
        .stderr(predicate::str::contains("credentials.json (not found)"));
}

#[test]
fn an_unreachable_server_exits_1_without_panicking() {
    // Port 1 (tcpmux) has no listener here; a port bound and released by
    // the test could be taken by a parallel test's server.
    let address = "127.0.0.1:1";
    let home = tempfile::tempdir().unwrap();

    ftrack(home.path())
        .args([
            "--server",
            &format!("http://{address}"),
            "--api-user",
            API_USER,
            "--api-key",
            API_KEY,
            "-qq",
        ])
        .args(["query", "select name from Task"])
        .assert()
        .code(1)
        .stderr(predicate::str::starts_with(
            "error: query `select name from Task` failed: cannot reach the ftrack server",
        ))
        .stderr(predicate::str::contains("panicked").not());
}

#[test]
fn verbose_logging_goes_to_stderr() {
    let server = TestServer::start();
    let home = tempfile::tempdir().unwrap();

    connected(&server, home.path())
        .args(["-vv", "query", "--output", "json", "select name from Task"])
        .assert()
        .success()
        .stdout("[]\n")
        .stderr(predicate::str::contains("answer received"));
}

#[test]
fn a_query_against_the_emulator_prints_merged_parents() {
    let emulator = ftrack_emulator::Emulator::start(
        ftrack_emulator::EmulatorOptions::new().seed(ftrack_emulator::Seed::Demo),
    )
    .unwrap();
    let home = tempfile::tempdir().unwrap();

    let output = ftrack(home.path())
        .args([
            "--server",
            emulator.url(),
            "--api-user",
            emulator.api_user(),
        ])
        .env("FTRACK_API_KEY", emulator.api_key())
        .args([
            "query",
            "--output",
            "json",
            "select name, parent.name from Shot",
        ])
        .output()
        .unwrap();

    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let shots: Value = serde_json::from_slice(&output.stdout).unwrap();
    let parents: Vec<&str> = shots
        .as_array()
        .unwrap()
        .iter()
        .map(|shot| shot["parent"]["name"].as_str().unwrap())
        .collect();
    assert_eq!(
        parents,
        ["sq010", "sq010", "sq010", "sq020", "sq020", "sq020"]
    );
}
