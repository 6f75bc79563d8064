//! The `ftrack` command: schema tools, offline query checks, a local server.

use std::process::ExitCode;

use clap::{Parser, Subcommand};

mod schema;

/// Work with ftrack from the command line.
#[derive(Debug, Parser)]
#[command(name = "ftrack", version, about)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Import, export, check and compare entity schemas.
    #[command(subcommand)]
    Schema(schema::Command),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let outcome = match cli.command {
        Command::Schema(command) => schema::run(command),
    };
    match outcome {
        Ok(code) => code,
        Err(error) => {
            eprintln!("error: {error:#}");
            ExitCode::FAILURE
        }
    }
}
