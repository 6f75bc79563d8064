fn main() {
    let _ = ftrack::query!("select name from Shto where name is sh010");
}
