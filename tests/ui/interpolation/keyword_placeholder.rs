fn main() {
    let _ = ftrack::query!("Shot where name is {type}");
}
