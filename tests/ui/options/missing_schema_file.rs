ftrack::schema!("schemas/missing.yaml");

fn main() {}
