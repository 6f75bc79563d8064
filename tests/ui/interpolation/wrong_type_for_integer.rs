fn main() {
    let version = "3";
    let _ = ftrack::query!("AssetVersion where version > {version}");
}
