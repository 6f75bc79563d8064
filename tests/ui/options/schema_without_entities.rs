fn main() {
    let _ = ftrack::query!(schema = "studio.yaml", "select name from Shot");
}
