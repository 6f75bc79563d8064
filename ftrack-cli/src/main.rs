//! The `ftrack` command: schema tools, offline query checks, a local server.

use std::process::ExitCode;

use clap::{Parser, Subcommand};

mod schema;
mod serve;

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
    /// Run a local ftrack-compatible server (the emulator) until Ctrl-C.
    Serve(serve::Serve),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let outcome = match cli.command {
        Command::Schema(command) => schema::run(command),
        Command::Serve(serve) => serve::run(serve),
    };
    match outcome {
        Ok(code) => code,
        Err(error) => {
            eprintln!("error: {error:#}");
            ExitCode::FAILURE
        }
    }
}
