//! Compile-fail tests of the macros and the typed builder: each file under
//! `tests/ui/<kind>/` makes one mistake, and its `.stderr` holds the message
//! a person reads. Regenerate with `TRYBUILD=overwrite` and review the diff.
#![cfg(feature = "macros")]

#[test]
fn mistakes_fail_to_compile_with_messages_a_person_can_act_on() {
    let cases = trybuild::TestCases::new();
    cases.pass("tests/ui/pass/*.rs");
    for kind in ["query", "interpolation", "projection", "builder", "options"] {
        cases.compile_fail(format!("tests/ui/{kind}/*.rs"));
    }
}
