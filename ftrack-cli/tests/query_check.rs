//! `ftrack query --check`: offline, against the built-in schema or a file.

use assert_cmd::Command;
use predicates::prelude::*;

fn ftrack() -> Command {
    let mut command = Command::cargo_bin("ftrack").expect("the ftrack binary is built");
    // Offline: no credentials are needed, and none from the environment are
    // used.
    command.env_remove("FTRACK_SERVER");
    command
}

fn check(expression: &str) -> assert_cmd::assert::Assert {
    ftrack().args(["query", "--check", expression]).assert()
}

#[test]
fn prints_the_canonical_form_and_exits_0() {
    check("SELECT name, parent.name FROM Shot WHERE parent.name = sq010 AND bid after 1 LIMIT 5")
        .success()
        .stdout(
            "select name, parent.name from Shot where parent.name is \"sq010\" and bid > 1 \
             limit 5\n",
        );
}

#[test]
fn checking_its_own_output_gives_the_same_output() {
    let expressions = [
        "Task where status.state.short is NOT_STARTED and (bid > 0 or name like '%comp%')",
        r#"select name from Shot where name is "x\" or name like \"%" order by name desc"#,
        "Note where author has (first_name is Jane) and not metadata any () offset 2 limit 1",
    ];
    for expression in expressions {
        let first = check(expression).success().get_output().stdout.clone();
        let canonical = String::from_utf8(first.clone()).unwrap();
        let second = check(canonical.trim_end())
            .success()
            .get_output()
            .stdout
            .clone();
        assert_eq!(first, second, "{expression}");
    }
}

#[test]
fn a_syntax_error_is_located_and_exits_1() {
    check("select name from Shot where parent.name iz x")
        .code(1)
        .stdout("")
        .stderr(
            "error: column 41: expected an operator after 'parent.name', found 'iz'\n  \
             select name from Shot where parent.name iz x\n  \
             \x20                                       ^^\n",
        );
}

#[test]
fn schema_errors_are_located_with_a_suggestion() {
    check("select nmae from Shot where parnet.name is x")
        .code(1)
        .stderr(predicate::str::contains(
            "error: column 8: `Shot` has no attribute `nmae`; did you mean `name`?",
        ))
        .stderr(predicate::str::contains(
            "column 29: `Shot` has no attribute `parnet`; did you mean `parent`?",
        ))
        .stderr(predicate::str::contains(
            "\n                              ^^^^^^\n",
        ));
    check("Task where bid like '1%'")
        .code(1)
        .stderr(predicate::str::contains(
            "`like` does not apply to `Task.bid`",
        ));
}

#[test]
fn a_schema_file_replaces_the_built_in_one() {
    let dir = tempfile::tempdir().unwrap();
    let studio = dir.path().join("studio.yaml");
    std::fs::write(
        &studio,
        "entity_types:\n  Plate:\n    primary_key: [id]\n    attributes:\n      \
         id: {type: string}\n      lens: {type: integer}\n",
    )
    .unwrap();

    ftrack()
        .args(["query", "--check", "--schema"])
        .arg(&studio)
        .arg("Plate where lens > 35")
        .assert()
        .success()
        .stdout("Plate where lens > 35\n");
    ftrack()
        .args(["query", "--check", "--schema"])
        .arg(&studio)
        .arg("Shot")
        .assert()
        .code(1)
        .stderr(predicate::str::contains("unknown entity type `Shot`"));

    let missing = dir.path().join("missing.yaml");
    ftrack()
        .args(["query", "--check", "--schema"])
        .arg(&missing)
        .arg("Plate")
        .assert()
        .code(1)
        .stderr(
            predicate::str::contains("cannot read").and(predicate::str::contains("missing.yaml")),
        );
}
