use ftrack::entities::AssetVersion;

fn main() {
    let _ = AssetVersion::query().filter(AssetVersion::version().like("1%"));
}
