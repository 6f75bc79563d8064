//! The blocking functions give what the async ones give.
#![cfg(feature = "blocking")]

#[path = "../ftrack-client/tests/support/mod.rs"]
mod support;

use ftrack::entities::Task;
use support::TestServer;

#[test]
fn blocking_calls_decode_into_models() {
    let server = TestServer::start();
    support::seed_tasks(&server, 3);
    let session = ftrack::blocking::Session::builder()
        .server_url(server.url())
        .api_key(support::API_USER, support::API_KEY)
        .build()
        .expect("a session");

    let one: Option<Task> = ftrack::blocking::get(&session, "task-0002").expect("runs");
    let all = ftrack::blocking::list::<Task>(&session).expect("runs");
    let filtered = ftrack::blocking::all(&session, Task::query().filter(Task::name().eq("task 1")))
        .expect("runs");

    assert_eq!(one.and_then(|t| t.name).as_deref(), Some("task 2"));
    assert_eq!(all.len(), 3);
    assert_eq!(filtered.len(), 1);
}
