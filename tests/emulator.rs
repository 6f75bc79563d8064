//! The generated layer against the local ftrack-compatible server, seeded
//! with its demo project: checked queries, typed queries, `get` and
//! projections, decoded into the models.

use ftrack::entities::{Context, Sequence, Shot};
use ftrack::Session;
use ftrack_emulator::{Emulator, EmulatorHandle, EmulatorOptions, Seed};

fn start() -> (EmulatorHandle, Session) {
    let emulator = Emulator::start(EmulatorOptions::new().seed(Seed::Demo)).expect("starts");
    let session = Session::builder()
        .server_url(emulator.url())
        .api_key(emulator.api_user(), emulator.api_key())
        .build()
        .expect("a session");
    (emulator, session)
}

#[cfg(feature = "macros")]
#[tokio::test]
async fn a_checked_query_with_a_variable_finds_the_demo_shots() {
    let (emulator, session) = start();
    let seq = "sq010";

    let shots = ftrack::query!(
        "select name, parent.name from Shot where parent.name is {seq} order by name"
    )
    .all(&session)
    .await
    .expect("the query runs");

    assert_eq!(shots.len(), 3);
    assert!(shots
        .iter()
        .all(|shot| shot.parent.as_ref().and_then(|p| p.name.as_deref()) == Some("sq010")));
    let mut names: Vec<&str> = shots.iter().filter_map(|s| s.name.as_deref()).collect();
    let sorted = {
        let mut sorted = names.clone();
        sorted.sort();
        sorted
    };
    assert_eq!(names, sorted, "ordered by name");
    names.dedup();
    assert_eq!(names.len(), 3);
    assert_eq!(emulator.operations()[0].action, "query");
}

#[tokio::test]
async fn typed_queries_and_get_agree() {
    let (_emulator, session) = start();

    let sequence = Sequence::query()
        .filter(Sequence::name().eq("sq010"))
        .one(&session)
        .await
        .expect("one sequence sq010");
    let id = sequence.id.clone().expect("the id is a default projection");
    let by_get = Sequence::get(&session, id.clone()).await.expect("runs");
    let shots = Shot::query()
        .select((Shot::name(), Shot::parent_id()))
        .filter(Shot::parent().has(Context::id().eq(&id)))
        .all(&session)
        .await
        .expect("runs");

    assert_eq!(by_get.and_then(|s| s.name).as_deref(), Some("sq010"));
    assert_eq!(shots.len(), 3);
    assert!(shots
        .iter()
        .all(|s| s.parent_id.as_deref() == Some(id.as_str())));
}

#[cfg(feature = "macros")]
#[tokio::test]
async fn projections_decode_the_server_s_answers() {
    use ftrack::Projection;

    #[derive(Debug, ftrack::Projection)]
    #[ftrack(entity_type = "Shot")]
    struct ShotRow {
        name: Option<String>,
        #[ftrack(path = "parent.name")]
        sequence: Option<String>,
    }
    let (_emulator, session) = start();

    let rows = ShotRow::query()
        .filter(Shot::parent().name().eq("sq010"))
        .all_as::<ShotRow>(&session)
        .await
        .expect("runs");

    assert_eq!(rows.len(), 3);
    assert!(rows
        .iter()
        .all(|r| r.sequence.as_deref() == Some("sq010") && r.name.is_some()));
}
