fn main() {
    let name = "sh010";
    let _ = ftrack::query!("Shot where name in ({name})");
}
