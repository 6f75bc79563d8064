fn main() {
    let _ = ftrack::query!("select name from Shot where parent.nmae is sq010");
}
