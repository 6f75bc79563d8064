use ftrack::entities::Shot;

fn main() {
    let _ = Shot::query().filter(Shot::parent().nmae().eq("sq010"));
}
