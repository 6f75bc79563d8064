//! An emulator started and dropped inside an async test serves async
//! clients: it runs on a thread and runtime of its own.

use ftrack_emulator::{Emulator, EmulatorOptions, Seed};
use serde_json::{json, Value};

#[tokio::test]
async fn async_tests_start_call_and_drop_an_emulator() {
    let emulator = Emulator::start(EmulatorOptions::new().seed(Seed::Demo)).unwrap();
    let client = reqwest::Client::new();

    let calls = (0..8).map(|_| {
        client
            .post(format!("{}/api", emulator.url()))
            .header("ftrack-user", emulator.api_user())
            .header("ftrack-api-key", emulator.api_key())
            .json(&json!([{"action": "query", "expression": "select name from Sequence"}]))
            .send()
    });
    let mut answers = Vec::new();
    for call in calls {
        let answer: Value = call.await.unwrap().json().await.unwrap();
        answers.push(answer);
    }
    drop(emulator);

    assert!(answers
        .iter()
        .all(|a| a[0]["data"].as_array().map(Vec::len) == Some(2)));
}
