//! Generates the typed entity layer (`ftrack::entities`) from the shipped
//! schema into `OUT_DIR`.

use std::path::PathBuf;
use std::process::ExitCode;

fn main() -> ExitCode {
    println!("cargo:rerun-if-changed=schema/ftrack.yaml");
    println!("cargo:rerun-if-changed=build.rs");

    let dir = PathBuf::from(std::env::var_os("CARGO_MANIFEST_DIR").expect("BUG: cargo sets it"));
    let out = PathBuf::from(std::env::var_os("OUT_DIR").expect("BUG: cargo sets it"));

    // A schema error is the user's to fix: print ftrack-schema's located
    // message and fail, without a panic's backtrace.
    let code =
        match ftrack_codegen::generate_file(dir.join("schema/ftrack.yaml"), "schema/ftrack.yaml") {
            Ok(code) => code,
            Err(error) => {
                eprintln!("error: the entity schema cannot become Rust types:\n{error}");
                return ExitCode::FAILURE;
            }
        };
    if let Err(error) = std::fs::write(out.join("entities.rs"), code) {
        eprintln!(
            "error: cannot write {}: {error}",
            out.join("entities.rs").display()
        );
        return ExitCode::FAILURE;
    }
    ExitCode::SUCCESS
}
