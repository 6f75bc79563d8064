//! Typed queries, `get` and `list` against a local ftrack-compatible
//! server, decoded into the generated models.

// The runtime's test server, until ftrack-emulator exists.
#[path = "../ftrack-client/tests/support/mod.rs"]
mod support;

use ftrack::entities::{Metadata, Task};
use support::TestServer;

fn expressions(server: &TestServer) -> Vec<String> {
    server
        .received()
        .iter()
        .flat_map(|r| r.body.as_array().cloned().unwrap_or_default())
        .filter_map(|op| op["expression"].as_str().map(str::to_owned))
        .collect()
}

#[tokio::test]
async fn get_finds_one_entity_by_its_id_with_default_projections() {
    let server = TestServer::start();
    support::seed_tasks(&server, 3);
    let session = support::session(&server);

    let task = Task::get(&session, "task-0001")
        .await
        .expect("the query runs");
    let missing = Task::get(&session, "task-9999")
        .await
        .expect("the query runs");

    let task = task.expect("task-0001 is stored");
    assert_eq!(task.name.as_deref(), Some("task 1"));
    assert_eq!(missing, None);
    assert_eq!(
        expressions(&server)[0],
        r#"select context_type, id, name from Task where id is "task-0001" limit 1"#
    );
}

#[tokio::test]
async fn list_gives_every_entity() {
    let server = TestServer::start();
    support::seed_tasks(&server, 3);
    let session = support::session(&server);

    let tasks = Task::list(&session).await.expect("the query runs");

    let mut names: Vec<String> = tasks.into_iter().filter_map(|t| t.name).collect();
    names.sort();
    assert_eq!(names, ["task 0", "task 1", "task 2"]);
}

#[tokio::test]
async fn a_typed_query_sends_its_canonical_expression() {
    let server = TestServer::start();
    support::seed_tasks(&server, 3);
    let session = support::session(&server);

    let tasks = Task::query()
        .select((Task::name(), Task::status().name()))
        .filter(Task::name().eq("task 2"))
        .all(&session)
        .await
        .expect("the query runs");

    assert_eq!(tasks.len(), 1);
    let status = tasks[0].status.as_ref().expect("the status was selected");
    assert_eq!(status.name.as_deref(), Some("Done"));
    assert!(expressions(&server)[0]
        .starts_with(r#"select name, status.name from Task where name is "task 2""#));
}

#[cfg(feature = "macros")]
#[tokio::test]
async fn projections_decode_results_into_their_struct() {
    use ftrack::Projection;

    #[derive(Debug, ftrack::Projection)]
    #[ftrack(entity_type = "Task")]
    struct TaskRow {
        name: Option<String>,
        #[ftrack(path = "status.name")]
        status: Option<String>,
    }
    let server = TestServer::start();
    support::seed_tasks(&server, 2);
    let session = support::session(&server);

    let rows = TaskRow::query()
        .filter(Task::name().eq("task 1"))
        .all_as::<TaskRow>(&session)
        .await
        .expect("the query runs");

    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0].name.as_deref(), Some("task 1"));
    assert_eq!(rows[0].status.as_deref(), Some("In progress"));
}

#[tokio::test]
async fn a_refused_query_is_a_session_error() {
    let server = TestServer::start();
    let session = support::session(&server);
    server.fault(support::Fault::Exception(
        "ValidationError".into(),
        "no such attribute".into(),
    ));

    let error = Metadata::query().all(&session).await.unwrap_err();

    assert!(matches!(error, ftrack::Error::Session(_)), "{error:?}");
    assert!(error.is_refused(), "{error:?}");
}

#[tokio::test]
async fn entities_of_direct_calls_decode_into_models() {
    let server = TestServer::start();
    support::seed_tasks(&server, 1);
    let session = support::session(&server);

    let entities = session
        .query("select name from Task")
        .all()
        .await
        .expect("runs");
    let tasks: Vec<Task> = entities
        .iter()
        .map(ftrack::decode)
        .collect::<Result<_, _>>()
        .expect("decodes");

    assert_eq!(tasks[0].name.as_deref(), Some("task 0"));
}
