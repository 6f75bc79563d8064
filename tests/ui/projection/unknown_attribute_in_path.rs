#[derive(ftrack::Projection)]
#[ftrack(entity_type = "Shot")]
struct ShotRow {
    name: Option<String>,
    #[ftrack(path = "parent.nmae")]
    sequence: Option<String>,
}

fn main() {}
