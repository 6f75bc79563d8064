//! `ftrack schema`: import, export, check and diff from the command line.

use assert_cmd::Command;
use predicates::prelude::*;

fn repo(path: &str) -> String {
    format!("{}/../{path}", env!("CARGO_MANIFEST_DIR"))
}

fn ftrack() -> Command {
    Command::cargo_bin("ftrack").expect("the ftrack binary is built")
}

#[test]
fn check_summarises_the_shipped_schema() {
    ftrack()
        .args(["schema", "check", &repo("schema/ftrack.yaml")])
        .assert()
        .success()
        .stdout("130 entity types, 1587 attributes\n");
}

#[test]
fn import_then_export_gives_back_the_servers_json() {
    let dir = tempfile::tempdir().unwrap();
    let yaml = dir.path().join("imported.yaml");
    let json = dir.path().join("exported.json");

    ftrack()
        .args([
            "schema",
            "import",
            &repo("fixtures/site/query_schemas.json"),
            "-o",
        ])
        .arg(&yaml)
        .assert()
        .success()
        .stdout("");
    ftrack()
        .args(["schema", "export"])
        .arg(&yaml)
        .arg("-o")
        .arg(&json)
        .assert()
        .success();

    let original: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(repo("fixtures/site/query_schemas.json")).unwrap(),
    )
    .unwrap();
    let exported: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&json).unwrap()).unwrap();
    assert_eq!(exported, original);
}

#[test]
fn import_with_merge_keeps_the_curated_schema_and_reports_it() {
    let output = ftrack()
        .args([
            "schema",
            "import",
            &repo("fixtures/site/query_schemas.json"),
        ])
        .args(["--merge", &repo("schema/ftrack.yaml")])
        .output()
        .unwrap();

    assert!(output.status.success());
    let shipped = std::fs::read_to_string(repo("schema/ftrack.yaml")).unwrap();
    assert_eq!(String::from_utf8(output.stdout).unwrap(), shipped);
    let report = String::from_utf8(output.stderr).unwrap();
    assert!(
        report.contains("kept Asset.parent foreign_key context_id"),
        "{report}"
    );
    assert!(report.contains("no differences"), "{report}");
}

#[test]
fn diff_lists_the_schema_change_between_the_two_servers() {
    ftrack()
        .args([
            "schema",
            "diff",
            &repo("fixtures/recorded/query_schemas.json"),
        ])
        .arg(repo("schema/ftrack.yaml"))
        .assert()
        .success()
        .stdout(predicate::str::starts_with(
            "17 entity types added, 3 removed, 28 changed\n",
        ))
        .stdout(predicate::str::contains("\n- Conversation\n"))
        .stdout(predicate::str::contains("\n+ BaseUser\n"));
}

#[test]
fn a_misspelled_ref_fails_check_with_its_line_and_a_suggestion() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("studio.yaml");
    let shipped = std::fs::read_to_string(repo("schema/ftrack.yaml")).unwrap();
    let broken = shipped.replacen("entity_type: Context,", "entity_type: Contxt,", 1);
    let line = broken.lines().position(|l| l.contains("Contxt")).unwrap() + 1;
    std::fs::write(&path, broken).unwrap();

    ftrack()
        .args(["schema", "check"])
        .arg(&path)
        .assert()
        .code(1)
        .stdout("")
        .stderr(predicate::str::contains(format!("studio.yaml:{line}:")))
        .stderr(predicate::str::contains(
            "unknown entity type `Contxt`; did you mean `Context`?",
        ));
}

#[test]
fn bad_input_gets_one_clear_line_and_exit_code_1() {
    let dir = tempfile::tempdir().unwrap();
    let not_json = dir.path().join("broken.json");
    std::fs::write(&not_json, "{\"action\": ").unwrap();
    let not_schemas = dir.path().join("answer.json");
    std::fs::write(&not_schemas, "{\"action\": \"query\", \"data\": []}").unwrap();
    let not_yaml = dir.path().join("broken.yaml");
    std::fs::write(&not_yaml, "entity_types: [\n").unwrap();

    let cases: Vec<(Vec<String>, &str)> = vec![
        (
            vec!["import".into(), "missing.json".into()],
            "cannot read missing.json",
        ),
        (
            vec!["check".into(), "missing.yaml".into()],
            "cannot read missing.yaml",
        ),
        (
            vec!["import".into(), not_json.display().to_string()],
            "is not valid JSON",
        ),
        (
            vec!["import".into(), not_schemas.display().to_string()],
            "not a query_schemas answer: expected a list of entity types, found an object",
        ),
        (
            vec!["export".into(), not_yaml.display().to_string()],
            "broken.yaml:2:",
        ),
    ];
    for (args, expected) in cases {
        let output = ftrack().arg("schema").args(&args).output().unwrap();
        let stderr = String::from_utf8(output.stderr).unwrap();
        assert_eq!(output.status.code(), Some(1), "{args:?}: {stderr}");
        assert!(stderr.contains(expected), "{args:?}: {stderr}");
        assert_eq!(stderr.lines().count(), 1, "{args:?}: {stderr}");
        assert!(!stderr.contains("panicked"), "{args:?}: {stderr}");
    }
}
