use ftrack::entities::{Shot, Task};

fn main() {
    let _ = Shot::query().filter(Task::name().eq("compositing"));
}
