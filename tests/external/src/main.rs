//! A tool outside the workspace: a checked `query!` with a variable, and a
//! query built from attribute paths, printed as ftrack expressions.

use ftrack::entities::Shot;

fn main() {
    let seq = std::env::args().nth(1).unwrap_or_else(|| "sq010".to_owned());

    let written = ftrack::query!(
        "select name, parent.name from Shot where parent.name is {seq} order by name"
    );
    let built = Shot::query()
        .select((Shot::name(), Shot::parent().name()))
        .filter(Shot::parent().name().eq(&seq))
        .order_by(Shot::name());

    println!("{written}");
    println!("{built}");
}
