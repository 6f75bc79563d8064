#![allow(missing_docs)] // criterion_group! makes undocumented public items.
//! Decoding a 10,000-entity query answer with nested, de-duplicated
//! references (statuses, parents and projects sent in full once).

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use ftrack_client::{Action, DecodeOptions, Reply};
use serde_json::{json, Value};

const ENTITIES: usize = 10_000;

/// A query answer shaped like `select name, created_at, status.name,
/// status.state.short, parent.name, parent.project.name from Task`.
fn answer() -> Vec<u8> {
    let mut seen_status = [false; 20];
    let mut seen_parent = [false; 200];
    let mut seen_project = false;
    let data: Vec<Value> = (0..ENTITIES)
        .map(|index| {
            let status = index % 20;
            let status_value = if std::mem::replace(&mut seen_status[status], true) {
                json!({"__entity_type__": "Status", "id": format!("status-{status}")})
            } else {
                json!({
                    "__entity_type__": "Status",
                    "id": format!("status-{status}"),
                    "name": format!("Status {status}"),
                    "state": {
                        "__entity_type__": "State",
                        "id": format!("state-{}", status % 4),
                        "short": "IN_PROGRESS",
                    },
                })
            };
            let parent = index % 200;
            let parent_value = if std::mem::replace(&mut seen_parent[parent], true) {
                json!({"__entity_type__": "Shot", "id": format!("shot-{parent}")})
            } else {
                let project = if std::mem::replace(&mut seen_project, true) {
                    json!({"__entity_type__": "Project", "id": "project-1"})
                } else {
                    json!({"__entity_type__": "Project", "id": "project-1", "name": "demo"})
                };
                json!({
                    "__entity_type__": "Shot",
                    "id": format!("shot-{parent}"),
                    "name": format!("sh{parent:03}"),
                    "project": project,
                })
            };
            json!({
                "__entity_type__": "Task",
                "id": format!("00000000-0000-4000-8000-{index:012}"),
                "name": format!("task {index}"),
                "context_type": "task",
                "object_type_id": "11c137c0-ee7e-4f9c-91c5-8c77cec22b2c",
                "project_id": "project-1",
                "created_at": {"__type__": "datetime", "value": "2022-10-10T10:12:09"},
                "status": status_value,
                "parent": parent_value,
            })
        })
        .collect();
    let body = json!([{"action": "query", "data": data, "metadata": {"next": {"offset": null}}}]);
    serde_json::to_vec(&body).expect("the answer serialises")
}

fn decode(c: &mut Criterion) {
    let body = answer();
    let options = DecodeOptions::default();
    let mut group = c.benchmark_group("decode");
    group.throughput(Throughput::Elements(ENTITIES as u64));
    group.sample_size(30);
    group.bench_function("query_10000_tasks_with_nested_references", |b| {
        b.iter(|| {
            let reply =
                Reply::decode(&body, &[Action::Query], &options).expect("the answer decodes");
            std::hint::black_box(reply)
        })
    });
    // The floor: serde_json parsing the same body into its own tree.
    group.bench_function("baseline_serde_json_value_parse", |b| {
        b.iter(|| {
            let value: Value = serde_json::from_slice(&body).expect("the answer parses");
            std::hint::black_box(value)
        })
    });
    group.finish();
}

criterion_group!(benches, decode);
criterion_main!(benches);
