//! `ftrack query`: run a query, page through all results, print them.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Context, Result};
use clap::Args;
use ftrack_client::{Entity, Value};

use crate::connect::{ConnectionArgs, Output};

/// The arguments of `ftrack query`.
#[derive(Debug, Clone, Args)]
pub struct QueryArgs {
    /// The query, e.g. 'select name, status.name from Task'.
    pub expression: String,
    /// Entities per page.
    #[arg(long, default_value_t = ftrack_client::DEFAULT_PAGE_SIZE, value_name = "N")]
    pub page_size: u64,
    /// How to print the entities (the same as `ftrack --output`).
    #[arg(long, value_enum, value_name = "FORMAT")]
    pub output: Option<Output>,
    /// Check the query offline, against the schema, and print its
    /// canonical form; no server is asked.
    #[arg(long)]
    pub check: bool,
    /// The YAML schema to check against; the schema built into `ftrack`
    /// when absent.
    #[arg(long, value_name = "FILE", requires = "check")]
    pub schema: Option<PathBuf>,
}

/// Runs `ftrack query`.
pub fn run(args: QueryArgs, connection: &ConnectionArgs, output: Output) -> Result<ExitCode> {
    if args.check {
        println!(
            "{}",
            crate::check::check(&args.expression, args.schema.as_deref())?
        );
        return Ok(ExitCode::SUCCESS);
    }
    let session = connection.session()?;
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .context("cannot start the async runtime")?;
    let entities = runtime
        .block_on(
            session
                .query(&args.expression)
                .page_size(args.page_size)
                .all(),
        )
        .with_context(|| format!("query `{}` failed", args.expression))?;

    match output {
        Output::Json => {
            let json = serde_json::to_string_pretty(&entities).context("cannot write JSON")?;
            println!("{json}");
        }
        Output::Table => print!("{}", table(&entities)),
    }
    Ok(ExitCode::SUCCESS)
}

/// The widest a table cell gets, in characters.
const CELL_WIDTH: usize = 40;

/// Entities as a table: one row each, one column per attribute (in the
/// order first seen), and a count at the end.
fn table(entities: &[Entity]) -> String {
    let mut columns: Vec<String> = vec!["type".to_owned()];
    for entity in entities {
        for (name, _) in entity.attributes() {
            if !columns.iter().skip(1).any(|column| column == name) {
                columns.push(name.to_owned());
            }
        }
    }
    let rows: Vec<Vec<String>> = entities
        .iter()
        .map(|entity| {
            let mut row = vec![entity.entity_type().to_owned()];
            row.extend(
                columns[1..]
                    .iter()
                    .map(|name| entity.get(name).map(|v| cell(&v)).unwrap_or_default()),
            );
            row
        })
        .collect();

    // Pad every column to its widest cell.
    let widths: Vec<usize> = (0..columns.len())
        .map(|index| {
            let cells = rows.iter().map(|row| row[index].chars().count());
            cells
                .chain([columns[index].chars().count()])
                .max()
                .unwrap_or(0)
        })
        .collect();
    let line = |cells: &[String]| {
        let padded: Vec<String> = cells
            .iter()
            .zip(&widths)
            .map(|(cell, width)| format!("{cell:<width$}"))
            .collect();
        padded.join("  ").trim_end().to_owned() + "\n"
    };
    let mut text = line(&columns);
    for row in &rows {
        text.push_str(&line(row));
    }
    let noun = if entities.len() == 1 {
        "entity"
    } else {
        "entities"
    };
    text.push_str(&format!("({} {noun})\n", entities.len()));
    text
}

/// One value as a table cell: related entities by name or key, lists by
/// their length.
fn cell(value: &Value<'_>) -> String {
    let text = match value {
        Value::Null => String::new(),
        Value::Bool(flag) => flag.to_string(),
        Value::Integer(number) => number.to_string(),
        Value::Float(number) => number.to_string(),
        Value::String(text) => text.replace(['\n', '\t'], " "),
        Value::Entity(entity) => match entity.get("name").as_ref().and_then(Value::as_str) {
            Some(name) => name.to_owned(),
            None => format!(
                "{}({})",
                entity.entity_type(),
                entity.key().map(|k| k.to_string()).unwrap_or_default()
            ),
        },
        Value::List(list) => format!("[{} items]", list.len()),
        other => match other.to_json().get("value") {
            Some(serde_json::Value::String(text)) => text.clone(),
            _ => other.to_json().to_string(),
        },
    };
    if text.chars().count() > CELL_WIDTH {
        text.chars().take(CELL_WIDTH - 1).collect::<String>() + "…"
    } else {
        text
    }
}
