use ftrack::entities::{Asset, AssetVersion};

fn main() {
    let _ = Asset::query().filter(Asset::versions().has(AssetVersion::version().eq(1)));
}
