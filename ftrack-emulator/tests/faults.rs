//! Fault injection: 503 answers, connections dropped after a batch was
//! applied, latency.

mod common;

use std::time::Duration;

use common::*;
use ftrack_emulator::{Emulator, EmulatorOptions, Faults};
use serde_json::json;

fn post(
    emulator: &ftrack_emulator::EmulatorHandle,
    body: &serde_json::Value,
    timeout: Duration,
) -> reqwest::Result<reqwest::blocking::Response> {
    reqwest::blocking::Client::builder()
        .timeout(timeout)
        .build()
        .unwrap()
        .post(format!("{}/api", emulator.url()))
        .header("ftrack-user", emulator.api_user())
        .header("ftrack-api-key", emulator.api_key())
        .json(body)
        .send()
}

#[test]
fn a_share_of_requests_is_answered_503_and_not_run() {
    let faults = Faults {
        unavailable: 0.5,
        seed: 7,
        ..Faults::none()
    };
    let emulator = Emulator::start(EmulatorOptions::new().faults(faults)).unwrap();
    let body = json!([{"action": "query_server_information"}]);

    let statuses: Vec<u16> = (0..40)
        .map(|_| {
            post(&emulator, &body, Duration::from_secs(30))
                .unwrap()
                .status()
                .as_u16()
        })
        .collect();

    assert!(
        statuses.contains(&503) && statuses.contains(&200),
        "{statuses:?}"
    );
    assert!(statuses.iter().all(|s| *s == 503 || *s == 200));
    let answered = statuses.iter().filter(|s| **s == 200).count();
    assert_eq!(
        emulator.operations().len(),
        answered,
        "503 requests are not run"
    );
}

#[test]
fn every_request_is_refused_at_share_one_until_the_faults_are_cleared() {
    let emulator = Emulator::start(EmulatorOptions::new().faults(Faults {
        unavailable: 1.0,
        ..Faults::none()
    }))
    .unwrap();
    let body = json!([{"action": "query_schemas"}]);

    let refused = post(&emulator, &body, Duration::from_secs(30)).unwrap();
    emulator.set_faults(Faults::none());
    let answered = post(&emulator, &body, Duration::from_secs(30)).unwrap();

    assert_eq!(refused.status().as_u16(), 503);
    assert_eq!(answered.status().as_u16(), 200);
}

#[test]
fn a_dropped_connection_after_applying_keeps_the_batch() {
    let emulator = site();
    let ids = hierarchy(&emulator);
    let shot = id();
    emulator.set_faults(Faults {
        drop_after_apply: 1.0,
        ..Faults::none()
    });

    let outcome = post(
        &emulator,
        &json!([create(
            "Shot",
            json!({"id": shot, "name": "sh099", "parent_id": ids["sq010"]})
        )]),
        Duration::from_secs(30),
    );
    emulator.set_faults(Faults::none());

    assert!(outcome.is_err(), "the client gets no answer: {outcome:?}");
    assert_eq!(
        query(&emulator, &format!("Shot where id is {shot}")).len(),
        1,
        "but the shot was kept"
    );
}

#[test]
fn latency_delays_every_answer() {
    let emulator = site();
    let body = json!([{"action": "query_server_information"}]);
    emulator.set_faults(Faults {
        latency: Duration::from_secs(2),
        ..Faults::none()
    });

    // A client that waits less than the latency always times out.
    let slow = post(&emulator, &body, Duration::from_millis(100));
    emulator.set_faults(Faults::none());
    let fast = post(&emulator, &body, Duration::from_secs(30));

    assert!(slow.unwrap_err().is_timeout());
    assert_eq!(fast.unwrap().status().as_u16(), 200);
}
