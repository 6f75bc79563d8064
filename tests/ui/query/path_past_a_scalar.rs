fn main() {
    let _ = ftrack::query!("Shot where name.first is x");
}
