fn main() {
    let _ = ftrack::query!("select nmae, parent.name from Shot");
}
