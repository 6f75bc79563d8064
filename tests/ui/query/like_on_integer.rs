fn main() {
    let _ = ftrack::query!("AssetVersion where version like \"1%\"");
}
