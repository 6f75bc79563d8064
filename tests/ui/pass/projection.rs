use ftrack::Projection;

#[derive(ftrack::Projection)]
#[ftrack(entity_type = "AssetVersion")]
struct VersionRow {
    version: Option<i64>,
    #[ftrack(path = "asset.name")]
    asset: Option<String>,
    #[ftrack(path = "asset.versions.version")]
    siblings: Vec<i64>,
    #[ftrack(path = "date")]
    published: Option<ftrack::DateTime>,
}

fn main() {
    assert_eq!(
        VersionRow::query().to_string(),
        "select version, asset.name, asset.versions.version, date from AssetVersion"
    );
    let row = VersionRow::from_json(&serde_json::json!({"version": 2})).unwrap();
    assert_eq!(row.version, Some(2));
    assert!(row.siblings.is_empty() && row.asset.is_none() && row.published.is_none());
}
