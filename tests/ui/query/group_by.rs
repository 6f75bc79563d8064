fn main() {
    let _ = ftrack::query!("select count(id) from Task group by status_id");
}
