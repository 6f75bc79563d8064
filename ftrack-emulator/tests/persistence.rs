//! The data file: what a batch changed is there after a restart, and a
//! write cut short never spoils it.

mod common;

use common::*;
use ftrack_emulator::{Emulator, EmulatorOptions, Seed, StartError};
use serde_json::json;

#[test]
fn a_restart_with_the_data_file_keeps_every_acknowledged_batch() {
    let directory = tempfile::tempdir().unwrap();
    let path = directory.path().join("site.json");
    let options = || EmulatorOptions::new().data_file(&path);
    let emulator = Emulator::start(options()).unwrap();
    let ids = hierarchy(&emulator);
    ok(
        &emulator,
        json!([update(
            "Task",
            &ids["sh010/compositing"],
            json!({"name": "kept"})
        )]),
    );
    ok(&emulator, json!([delete("Task", &ids["sh020/animation"])]));
    let count = emulator.entity_count();
    emulator.shutdown();

    let restarted = Emulator::start(options()).unwrap();

    assert_eq!(restarted.entity_count(), count);
    let task = &query(
        &restarted,
        &format!(
            "select name from Task where id is {}",
            ids["sh010/compositing"]
        ),
    )[0];
    assert_eq!(task["name"], "kept");
    assert!(query(
        &restarted,
        &format!("Task where id is {}", ids["sh020/animation"])
    )
    .is_empty());
    assert!(!directory.path().join("site.json.tmp").exists());
}

#[test]
fn a_failed_batch_leaves_the_data_file_as_it_was() {
    let directory = tempfile::tempdir().unwrap();
    let path = directory.path().join("site.json");
    let emulator = Emulator::start(EmulatorOptions::new().data_file(&path)).unwrap();
    hierarchy(&emulator);
    let before = std::fs::read(&path).unwrap();

    fails(
        &emulator,
        json!([
            create("Scope", json!({"name": "x"})),
            create("Shot", json!({"bad": 1}))
        ]),
    );

    assert_eq!(std::fs::read(&path).unwrap(), before);
}

#[test]
fn a_half_written_temporary_file_does_not_spoil_the_data_file() {
    let directory = tempfile::tempdir().unwrap();
    let path = directory.path().join("site.json");
    let emulator = Emulator::start(EmulatorOptions::new().data_file(&path)).unwrap();
    let ids = hierarchy(&emulator);
    emulator.shutdown();
    // What a crash in the middle of writing the next snapshot leaves.
    std::fs::write(
        directory.path().join("site.json.tmp"),
        b"{\"format\":\"ftrack-emulator sn",
    )
    .unwrap();

    let restarted = Emulator::start(EmulatorOptions::new().data_file(&path)).unwrap();

    assert_eq!(
        query(&restarted, &format!("Shot where id is {}", ids["sh010"])).len(),
        1
    );
    ok(
        &restarted,
        json!([update(
            "Shot",
            &ids["sh010"],
            json!({"description": "after"})
        )]),
    );
    assert!(!directory.path().join("site.json.tmp").exists());
}

#[test]
fn the_seed_is_only_used_for_a_new_data_file() {
    let directory = tempfile::tempdir().unwrap();
    let path = directory.path().join("site.json");
    let first = Emulator::start(EmulatorOptions::new().data_file(&path).seed(Seed::Demo)).unwrap();
    let shots = query(&first, "Shot").len();
    first.shutdown();

    let second = Emulator::start(EmulatorOptions::new().data_file(&path).seed(Seed::Demo)).unwrap();

    assert_eq!(shots, 6);
    assert_eq!(
        query(&second, "Shot").len(),
        6,
        "the demo project is not added twice"
    );
}

#[test]
fn a_data_file_that_is_not_a_snapshot_stops_the_start() {
    let directory = tempfile::tempdir().unwrap();
    let path = directory.path().join("site.json");
    std::fs::write(&path, b"[1, 2, 3]").unwrap();

    let error = Emulator::start(EmulatorOptions::new().data_file(&path)).unwrap_err();

    assert!(matches!(error, StartError::BadData { .. }), "{error}");
    assert_eq!(
        std::fs::read(&path).unwrap(),
        b"[1, 2, 3]",
        "left as it was"
    );
}
