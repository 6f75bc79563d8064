#[derive(ftrack::Projection)]
#[ftrack(entity_type = "Shto")]
struct ShotRow {
    name: Option<String>,
}

fn main() {}
