fn main() {
    let _ = ftrack::query!("Shot where parent.name is {sequence}");
}
