#[derive(ftrack::Projection)]
#[ftrack(entity_type = "AssetVersion")]
struct VersionRow {
    version: Option<String>,
    #[ftrack(path = "asset.name")]
    asset: Option<i64>,
}

fn main() {}
