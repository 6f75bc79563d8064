fn main() {
    let _ = ftrack::query!("Asset where versions has (version is 1)");
}
