//! Many clients at once: every write lands, none is lost.

mod common;

use common::*;
use serde_json::{json, Value};

#[test]
fn sixteen_clients_writing_two_hundred_entities_each_lose_none() {
    let emulator = site();
    let ids = hierarchy(&emulator);
    let sequence = ids["sq010"].clone();

    std::thread::scope(|scope| {
        for client in 0..16 {
            let emulator = &emulator;
            let sequence = &sequence;
            scope.spawn(move || {
                let http = reqwest::blocking::Client::new();
                // 200 shots per client: some one per request, some in
                // batches, so that batches and single writes interleave.
                let mut made = 0;
                while made < 200 {
                    let size = if made % 40 == 0 { 20 } else { 1 };
                    let batch: Vec<Value> = (made..made + size)
                        .map(|n| {
                            create(
                                "Shot",
                                json!({
                                    "name": format!("c{client:02}_{n:03}"),
                                    "parent_id": sequence,
                                }),
                            )
                        })
                        .collect();
                    let answer: Value = http
                        .post(format!("{}/api", emulator.url()))
                        .header("ftrack-user", emulator.api_user())
                        .header("ftrack-api-key", emulator.api_key())
                        .json(&batch)
                        .send()
                        .unwrap()
                        .json()
                        .unwrap();
                    assert_eq!(answer.as_array().map(Vec::len), Some(size), "{answer}");
                    made += size;
                }
            });
        }
    });

    let rows = query(
        &emulator,
        &format!("select name from Shot where parent_id is {sequence} and name like \"c%\""),
    );
    assert_eq!(rows.len(), 16 * 200);
    let mut names: Vec<&str> = rows.iter().map(|r| r["name"].as_str().unwrap()).collect();
    names.sort_unstable();
    names.dedup();
    assert_eq!(names.len(), 16 * 200, "every shot once");
}
