//! The `ftrack` command: schema tools, offline query checks, a local server.

use std::process::ExitCode;

use clap::{Parser, Subcommand};

mod check;
mod connect;
mod query;
mod schema;
mod serve;

/// Work with ftrack from the command line.
#[derive(Debug, Parser)]
#[command(name = "ftrack", version, about)]
struct Cli {
    #[command(subcommand)]
    command: Command,
    #[command(flatten)]
    connection: connect::ConnectionArgs,
    /// How to print results. Not a global option: `ftrack schema import`
    /// has an `--output` of its own; `ftrack query --output` works too.
    #[arg(long, value_enum, default_value_t)]
    output: connect::Output,
    /// Log more (-v info, -vv debug, -vvv trace with request bodies).
    #[arg(short, long, global = true, action = clap::ArgAction::Count)]
    verbose: u8,
    /// Log less (-q errors only, -qq nothing).
    #[arg(short, long, global = true, action = clap::ArgAction::Count)]
    quiet: u8,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Import, export, check and compare entity schemas.
    #[command(subcommand)]
    Schema(schema::Command),
    /// Run a query on the server and print every matching entity.
    Query(query::QueryArgs),
    /// Run a local ftrack-compatible server (the emulator) until Ctrl-C.
    Serve(serve::Serve),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    connect::init_logging(cli.verbose, cli.quiet);
    let outcome = match cli.command {
        Command::Schema(command) => schema::run(command),
        Command::Query(args) => {
            let output = args.output.unwrap_or(cli.output);
            query::run(args, &cli.connection, output)
        }
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
