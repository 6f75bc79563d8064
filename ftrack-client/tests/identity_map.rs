//! The server's de-duplication undone: every occurrence of an entity
//! carries all the attributes the answer held for it.

mod support;

use ftrack_client::Value;
use support::{fixture, TestServer};

#[tokio::test]
async fn a_status_sent_once_in_full_is_whole_everywhere() {
    let server = TestServer::start();
    support::seed_tasks(&server, 6);
    let session = support::session(&server);

    let tasks = session
        .query("select name, status.name from Task")
        .all()
        .await
        .unwrap();

    // The server sent tasks 3..5's statuses as bare references.
    let answer = &server.received()[0];
    assert_eq!(answer.actions(), ["query"]);
    for task in &tasks[3..] {
        let status = task.get("status").unwrap();
        let status = status.as_entity().unwrap();
        assert!(status.get("name").is_some(), "{task:?}");
    }
    let first = tasks[0].get("status").unwrap();
    let fourth = tasks[3].get("status").unwrap();
    assert!(first
        .as_entity()
        .unwrap()
        .same_as(fourth.as_entity().unwrap()));
    assert_eq!(
        fourth.as_entity().unwrap().get("name").unwrap().as_str(),
        Some("Not started")
    );
}

#[tokio::test]
async fn the_recorded_asset_version_refers_back_to_itself() {
    let server = TestServer::start();
    let expression = "select version, asset.versions.version from AssetVersion \
                      where asset_id is_not None limit 1";
    server.can(
        expression,
        fixture(concat!(
            "recorded/query_select_version,_asset.versions.version_from_assetversion",
            "_where_asset_id_is_not_none_limit_1.json"
        )),
    );
    let session = support::session(&server);

    let version = session.query(expression).first().await.unwrap().unwrap();

    // The first of asset.versions is the top-level version, sent bare.
    let asset = version.get("asset").unwrap();
    let asset = asset.as_entity().unwrap();
    let versions = asset.get("versions").unwrap();
    let versions: Vec<_> = versions.as_list().unwrap().entities().collect();
    assert_eq!(versions.len(), 3);
    assert!(versions[0].same_as(&version));
    assert_eq!(versions[0].get("version").unwrap().as_i64(), Some(1));
    assert_eq!(
        versions[0].get("asset_id").unwrap().as_str(),
        Some("01cfdcaa-c5ea-11e1-adec-f23c91df25eb")
    );
    let numbers: Vec<i64> = versions
        .iter()
        .map(|v| v.get("version").unwrap().as_i64().unwrap())
        .collect();
    assert_eq!(numbers, [1, 2, 3]);

    // The cycle is cut when written out: the inner occurrence is a reference.
    let json = version.to_json();
    assert_eq!(
        json["asset"]["versions"][0],
        serde_json::json!({
            "__entity_type__": "AssetVersion",
            "id": "01ac528a-c5ea-11e1-a6c6-f23c91df25eb",
        })
    );
    assert_eq!(json["asset"]["versions"][1]["version"], 2);
    assert!(matches!(
        versions[1].get("version"),
        Some(Value::Integer(2))
    ));
}
