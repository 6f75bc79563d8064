#[derive(ftrack::Projection)]
struct ShotRow {
    name: Option<String>,
}

fn main() {}
