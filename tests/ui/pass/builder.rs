use ftrack::entities::{Shot, Status, Task};

fn main() {
    let query = Task::query()
        .select((Task::name(), Task::status().state().short(), Task::parent()))
        .filter(Task::status().has(Status::name().ne("Omitted")) | Task::bid().ge(2))
        .order_by(Task::name())
        .offset(10)
        .limit(5);
    assert_eq!(
        query.to_string(),
        concat!(
            r#"select name, status.state.short, parent from Task "#,
            r#"where status has (name is_not "Omitted") or bid >= 2 "#,
            "order by name offset 10 limit 5"
        )
    );
    let _ = Shot::query().filter(Shot::project().metadata().has_entry("fps", 24));
}
