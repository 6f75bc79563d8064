//! `ftrack schema`: import, export, check and diff entity schemas.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context, Result};
use clap::Subcommand;
use ftrack_schema::Schema;

/// The `ftrack schema` subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Make a YAML schema from a server's `query_schemas` answer (JSON).
    Import {
        /// The `query_schemas` answer, a JSON file.
        query_schemas: PathBuf,
        /// Where to write the YAML; standard output when absent.
        #[arg(short, long)]
        output: Option<PathBuf>,
        /// A curated YAML schema whose hand-written additions to keep.
        #[arg(long, value_name = "EXISTING.yaml")]
        merge: Option<PathBuf>,
    },
    /// Write a YAML schema back as a `query_schemas` answer (JSON).
    Export {
        /// The YAML schema.
        schema: PathBuf,
        /// Where to write the JSON; standard output when absent.
        #[arg(short, long)]
        output: Option<PathBuf>,
    },
    /// Validate a YAML schema and summarise it.
    Check {
        /// The YAML schema.
        schema: PathBuf,
    },
    /// List entity types and attributes added, removed or changed.
    Diff {
        /// The old schema (YAML, or a `query_schemas` JSON answer).
        old: PathBuf,
        /// The new schema (YAML, or a `query_schemas` JSON answer).
        new: PathBuf,
    },
}

/// Runs one `ftrack schema` subcommand.
pub fn run(command: Command) -> Result<ExitCode> {
    match command {
        Command::Import {
            query_schemas,
            output,
            merge,
        } => {
            let mut schema = read_query_schemas(&query_schemas)?;
            if let Some(curated) = merge {
                let curated = read_schema(&curated)?;
                let (merged, report) = schema.merge_curated(&curated);
                schema = merged;
                // The report goes to stderr so that stdout stays the YAML.
                eprint!("{report}");
            }
            write_output(output.as_deref(), &schema.to_yaml())?;
        }
        Command::Export { schema, output } => {
            let schema = read_schema(&schema)?;
            let json = serde_json::to_string_pretty(&schema.to_query_schemas())
                .context("cannot write the schema as JSON")?;
            write_output(output.as_deref(), &format!("{json}\n"))?;
        }
        Command::Check { schema } => {
            let schema = read_schema(&schema)?;
            println!(
                "{} entity types, {} attributes",
                schema.entity_types.len(),
                schema.attribute_count()
            );
        }
        Command::Diff { old, new } => {
            let old = read_any(&old)?;
            let new = read_any(&new)?;
            print!("{}", old.diff(&new));
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// Reads a YAML schema; its errors already name the file.
pub fn read_schema(path: &Path) -> Result<Schema> {
    Ok(Schema::from_yaml_file(path)?)
}

fn read_query_schemas(path: &Path) -> Result<Schema> {
    let text =
        std::fs::read_to_string(path).with_context(|| format!("cannot read {}", path.display()))?;
    let json: serde_json::Value = serde_json::from_str(&text)
        .with_context(|| format!("{} is not valid JSON", path.display()))?;
    Schema::from_query_schemas(&json).with_context(|| format!("cannot import {}", path.display()))
}

/// A schema from YAML, or from a `query_schemas` answer when the file
/// ends in `.json`.
fn read_any(path: &Path) -> Result<Schema> {
    if path.extension().is_some_and(|e| e == "json") {
        read_query_schemas(path)
    } else {
        read_schema(path)
    }
}

fn write_output(path: Option<&Path>, text: &str) -> Result<()> {
    match path {
        Some(path) => {
            std::fs::write(path, text).with_context(|| format!("cannot write {}", path.display()))
        }
        None => {
            print!("{text}");
            Ok(())
        }
    }
}
