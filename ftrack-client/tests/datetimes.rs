//! Date-times and dates over the wire: sent in UTC, read back typed.

mod support;

use ftrack_client::{date, datetime, EntityData, Value};
use serde_json::json;
use support::{Fault, TestServer};
use time::macros::{date, datetime};

#[tokio::test]
async fn a_datetime_written_with_an_offset_reads_back_as_the_same_instant() {
    let server = TestServer::start();
    let session = support::session(&server);
    let mut data = EntityData::new();
    data.insert(
        "start_date".into(),
        datetime(datetime!(2024-05-01 14:30:00 +02:00)),
    );
    data.insert("due".into(), date(date!(2024 - 05 - 03)));

    let created = session.create("Task", data).await.unwrap();
    let read = session
        .query(format!(
            "select start_date, due from Task where id is {}",
            created.id().unwrap()
        ))
        .one()
        .await
        .unwrap();

    let sent = &server.received()[0].body[0]["entity_data"];
    assert_eq!(
        sent["start_date"],
        json!({"__type__": "datetime", "value": "2024-05-01T12:30:00Z"})
    );
    // The server stores naive UTC, which the client reads as UTC.
    assert_eq!(
        read.get("start_date").unwrap().as_datetime(),
        Some(datetime!(2024-05-01 12:30:00 UTC))
    );
    assert_eq!(
        read.get("due").unwrap().as_date(),
        Some(date!(2024 - 05 - 03))
    );
    assert_eq!(
        read.to_json()["start_date"],
        json!({"__type__": "datetime", "value": "2024-05-01T12:30:00Z"})
    );
}

#[tokio::test]
async fn naive_datetimes_stay_local_on_a_server_without_time_zone_support() {
    let server = TestServer::start();
    server.insert(json!({"__entity_type__": "Task", "id": "t1",
                         "start_date": {"__type__": "datetime", "value": "2024-05-01T09:00:00"}}));
    let session = support::session(&server);

    let before = session
        .query("select start_date from Task")
        .one()
        .await
        .unwrap();
    server.fault(Fault::Body(
        200,
        r#"[{"version": "4.13.8", "is_timezone_support_enabled": false}]"#.into(),
    ));
    session.query_server_information().await.unwrap();
    let after = session
        .query("select start_date from Task")
        .one()
        .await
        .unwrap();

    assert!(matches!(before.get("start_date"), Some(Value::DateTime(_))));
    let Some(Value::LocalDateTime(local)) = after.get("start_date") else {
        panic!("{after:?}")
    };
    assert_eq!(local, datetime!(2024-05-01 09:00:00));
}
