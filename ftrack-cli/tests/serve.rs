//! `ftrack serve`: it says where it listens, answers the ftrack API, stops
//! cleanly on Ctrl-C, and loses nothing acknowledged when killed.

#![cfg(unix)]

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};

use serde_json::{json, Value};

struct Server {
    child: Child,
    url: String,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Starts `ftrack serve` with `extra` flags and reads the address it prints.
fn serve(extra: &[&str]) -> Server {
    let mut child = Command::new(env!("CARGO_BIN_EXE_ftrack"))
        .args([
            "serve",
            "--listen",
            "127.0.0.1:0",
            "--api-user",
            "u",
            "--api-key",
            "k",
        ])
        .args(extra)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("ftrack runs");
    let stdout = child.stdout.take().expect("piped");
    let mut line = String::new();
    BufReader::new(stdout)
        .read_line(&mut line)
        .expect("a line on stdout");
    let url = line
        .trim()
        .strip_prefix("listening on ")
        .unwrap_or_else(|| panic!("unexpected first line {line:?}"))
        .to_owned();
    Server { child, url }
}

fn call(url: &str, body: &Value) -> reqwest::Result<Value> {
    reqwest::blocking::Client::new()
        .post(format!("{url}/api"))
        .header("ftrack-user", "u")
        .header("ftrack-api-key", "k")
        .json(body)
        .send()?
        .json()
}

fn shots_named(url: &str, prefix: &str) -> Vec<String> {
    let answer = call(
        url,
        &json!([{
            "action": "query",
            "expression": format!("select name from Shot where name like \"{prefix}%\""),
        }]),
    )
    .unwrap();
    answer[0]["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["name"].as_str().unwrap().to_owned())
        .collect()
}

fn signal(child: &Child, name: &str) {
    let status = Command::new("kill")
        .args([&format!("-{name}"), &child.id().to_string()])
        .status()
        .expect("kill runs");
    assert!(status.success());
}

#[test]
fn serve_prints_its_address_answers_and_stops_on_ctrl_c() {
    let mut server = serve(&["--seed", "demo"]);

    let shots = shots_named(&server.url, "sq010");
    signal(&server.child, "INT");
    let status = server.child.wait().unwrap();

    assert_eq!(shots.len(), 3);
    assert!(status.success(), "{status}");
    let mut stderr = String::new();
    std::io::Read::read_to_string(&mut server.child.stderr.take().unwrap(), &mut stderr).unwrap();
    assert!(stderr.contains("stopped"), "{stderr}");
}

#[test]
fn serve_refuses_bad_fault_shares() {
    let output = Command::new(env!("CARGO_BIN_EXE_ftrack"))
        .args([
            "serve",
            "--api-user",
            "u",
            "--api-key",
            "k",
            "--unavailable-share",
            "2",
        ])
        .output()
        .unwrap();

    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("--unavailable-share must be between 0 and 1"),
        "{stderr}"
    );
}

fn writer(
    url: String,
    sequence: String,
    prefix: String,
    acknowledged: Arc<Mutex<Vec<String>>>,
    stop: Arc<AtomicBool>,
) {
    let mut n = 0;
    while !stop.load(Ordering::Relaxed) {
        let name = format!("{prefix}_{n:05}");
        let body = json!([{"action": "create", "entity_type": "Shot",
                           "entity_data": {"name": name, "parent_id": sequence}}]);
        match call(&url, &body) {
            Ok(answer) if answer.is_array() => acknowledged.lock().unwrap().push(name),
            Ok(answer) => panic!("refused: {answer}"),
            // The server was killed mid-request: not acknowledged.
            Err(_) => break,
        }
        n += 1;
    }
}

fn sequence_id(url: &str) -> String {
    let answer = call(
        url,
        &json!([{"action": "query", "expression": "Sequence where name is sq010"}]),
    )
    .unwrap();
    answer[0]["data"][0]["id"].as_str().unwrap().to_owned()
}

/// Counts the shots the writers made so far, through the API.
fn written(url: &str) -> u64 {
    let expression = "select count(id) from Shot where name like \"kill%\"";
    call(url, &json!([{"action": "query", "expression": expression}]))
        .ok()
        .and_then(|a| a[0]["data"][0]["count_id"].as_u64())
        .unwrap_or(0)
}

#[test]
fn killing_the_server_mid_write_loses_nothing_acknowledged() {
    let directory = tempfile::tempdir().unwrap();
    let data = directory.path().join("site.json");
    let data_flag = data.to_str().unwrap().to_owned();
    let mut server = serve(&["--seed", "demo", "--data", &data_flag]);
    let sequence = sequence_id(&server.url);

    // Four writers keep the server writing snapshots; it is killed with
    // SIGKILL (no chance to finish anything) while they are at it.
    let acknowledged = Arc::new(Mutex::new(Vec::new()));
    let stop = Arc::new(AtomicBool::new(false));
    let writers: Vec<_> = (0..4)
        .map(|w| {
            let (url, sequence, acknowledged, stop) = (
                server.url.clone(),
                sequence.clone(),
                acknowledged.clone(),
                stop.clone(),
            );
            std::thread::spawn(move || {
                writer(url, sequence, format!("kill{w}"), acknowledged, stop)
            })
        })
        .collect();
    while written(&server.url) < 60 {
        std::thread::sleep(std::time::Duration::from_millis(10));
    }
    server.child.kill().unwrap();
    server.child.wait().unwrap();
    stop.store(true, Ordering::Relaxed);
    for writer in writers {
        writer.join().unwrap();
    }

    let restarted = serve(&["--data", &data_flag]);

    let kept = shots_named(&restarted.url, "kill");
    let acknowledged = acknowledged.lock().unwrap();
    assert!(acknowledged.len() >= 60, "{}", acknowledged.len());
    let missing: Vec<&String> = acknowledged
        .iter()
        .filter(|name| !kept.contains(name))
        .collect();
    assert!(missing.is_empty(), "acknowledged but lost: {missing:?}");
}
