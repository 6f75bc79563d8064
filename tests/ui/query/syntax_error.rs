fn main() {
    let _ = ftrack::query!("select name from Shot where parent.name iz sq010");
}
