use ftrack::entities::Shot;

fn main() {
    let _ = Shot::query().filter(Shot::name().eq(42));
}
