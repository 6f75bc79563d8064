//! `query!` checks against the same schema as the `ftrack` crate's build
//! script generates from: ftrack-derive's copy (a symlink in the
//! repository, a file in the package) must not drift.

#[test]
fn the_embedded_schema_is_the_repository_s() {
    let dir = env!("CARGO_MANIFEST_DIR");
    let embedded =
        std::fs::read(format!("{dir}/schema/ftrack.yaml")).expect("ftrack-derive's copy");
    let shipped = std::fs::read(format!("{dir}/../schema/ftrack.yaml")).expect("the repository's");

    assert!(
        embedded == shipped,
        "ftrack-derive/schema/ftrack.yaml differs from schema/ftrack.yaml; make it a symlink \
         to ../../schema/ftrack.yaml"
    );
}
