//! A query with a relationship filter and an `order by` on a path, over
//! 100,000 tasks: the cost of one `POST /api` round trip to the emulator.
//! About 235 ms on the development machine (`cargo bench -p
//! ftrack-emulator --bench query`), most of it attribute lookups in the
//! entities' maps.

use criterion::{criterion_main, Criterion};
use ftrack_emulator::{Emulator, EmulatorHandle, EmulatorOptions};
use serde_json::{json, Value};

const SHOTS: usize = 1_000;
const TASKS_PER_SHOT: usize = 100;

fn call(client: &reqwest::blocking::Client, emulator: &EmulatorHandle, body: &Value) -> Value {
    let answer: Value = client
        .post(format!("{}/api", emulator.url()))
        .header("ftrack-user", emulator.api_user())
        .header("ftrack-api-key", emulator.api_key())
        .json(body)
        .send()
        .expect("the emulator answers")
        .json()
        .expect("the answer is JSON");
    assert!(answer.is_array(), "the batch failed: {answer}");
    answer
}

fn create(entity_type: &str, data: Value) -> Value {
    json!({"action": "create", "entity_type": entity_type, "entity_data": data})
}

/// A project of 1,000 shots with 100 tasks each; a tenth of the tasks in
/// progress.
fn populate(client: &reqwest::blocking::Client, emulator: &EmulatorHandle) {
    let project = uuid::Uuid::new_v4().to_string();
    let vfx = "caddd816-acb5-11e1-8668-f23c91df1211";
    let compositing = "44dd23b6-4164-11df-9218-0019bb4983d8";
    let in_progress = "44ddd0fe-4164-11df-9218-0019bb4983d8";
    call(
        client,
        emulator,
        &json!([create(
            "Project",
            json!({"id": project, "name": "bench", "full_name": "Bench",
            "project_schema_id": vfx})
        )]),
    );
    for shot_index in 0..SHOTS {
        let shot = uuid::Uuid::new_v4().to_string();
        let mut batch = vec![create(
            "Shot",
            json!({"id": shot, "name": format!("sh{shot_index:04}"), "parent_id": project}),
        )];
        for task_index in 0..TASKS_PER_SHOT {
            let mut data = json!({"name": format!("task{task_index:03}"), "parent_id": shot,
                "type_id": compositing});
            if task_index % 10 == 0 {
                data["status_id"] = json!(in_progress);
            }
            batch.push(create("Task", data));
        }
        call(client, emulator, &Value::Array(batch));
    }
}

fn query_over_100_000_tasks(c: &mut Criterion) {
    let emulator = Emulator::start(EmulatorOptions::new().record_limit(0)).expect("emulator");
    let client = reqwest::blocking::Client::new();
    populate(&client, &emulator);

    let expression = "select name, parent.name, status.name from Task \
        where status.name is \"In progress\" and parent.name like \"sh0%\" \
        order by parent.name descending, name limit 100";
    let body = json!([{"action": "query", "expression": expression}]);
    let answer = call(&client, &emulator, &body);
    assert_eq!(answer[0]["data"].as_array().map(Vec::len), Some(100));

    let mut group = c.benchmark_group("emulator");
    group.sample_size(20);
    group.bench_function(
        "query 100k tasks: relationship filter + order by path",
        |b| {
            b.iter(|| call(&client, &emulator, &body));
        },
    );
    group.finish();
}

// The macro makes an undocumented public function.
#[allow(missing_docs)]
mod group {
    criterion::criterion_group!(benches, super::query_over_100_000_tasks);
}

criterion_main!(group::benches);
