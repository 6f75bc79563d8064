//! `ftrack serve`: a local ftrack-compatible server (the emulator), until
//! Ctrl-C.

use std::io::Write;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

use anyhow::{Context, Result};
use clap::{Args, ValueEnum};
use ftrack_emulator::{Emulator, EmulatorOptions, Faults, Seed};
use ftrack_schema::Schema;

/// The options of `ftrack serve`.
#[derive(Debug, Args)]
pub struct Serve {
    /// The address to listen on; port 0 picks a free one.
    #[arg(long, default_value = "127.0.0.1:0", value_name = "ADDR")]
    listen: SocketAddr,
    /// The API user clients must send in `ftrack-user`.
    #[arg(long, value_name = "USER")]
    api_user: String,
    /// The API key clients must send in `ftrack-api-key`.
    #[arg(long, value_name = "KEY")]
    api_key: String,
    /// Also accept `Authorization: Bearer TOKEN`.
    #[arg(long, value_name = "TOKEN")]
    bearer_token: Option<String>,
    /// Keep the store in this file: loaded at start, written after every
    /// batch that changes something.
    #[arg(long, value_name = "FILE")]
    data: Option<PathBuf>,
    /// What a new store holds.
    #[arg(long, value_enum, default_value_t = SeedName::Site)]
    seed: SeedName,
    /// The YAML entity schema to serve instead of the shipped one.
    #[arg(long, value_name = "FILE")]
    schema: Option<PathBuf>,
    /// Answer this share of requests (0 to 1) with 503.
    #[arg(long, value_name = "SHARE", default_value_t = 0.0)]
    unavailable_share: f64,
    /// Apply this share of batches (0 to 1), then drop the connection
    /// instead of answering.
    #[arg(long, value_name = "SHARE", default_value_t = 0.0)]
    drop_after_apply_share: f64,
    /// Wait this long before handling each request.
    #[arg(long, value_name = "MILLISECONDS", default_value_t = 0)]
    latency_ms: u64,
    /// The seed of the generator that draws the fault shares.
    #[arg(long, value_name = "N", default_value_t = 0)]
    fault_seed: u64,
}

/// The seeds `--seed` takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum SeedName {
    /// Project schemas, statuses, types, priorities... of a fresh site.
    Site,
    /// The site data and a demo project with sequences, shots and tasks.
    Demo,
}

/// Runs the server until Ctrl-C (or SIGTERM).
pub fn run(serve: Serve) -> Result<ExitCode> {
    for (flag, share) in [
        ("--unavailable-share", serve.unavailable_share),
        ("--drop-after-apply-share", serve.drop_after_apply_share),
    ] {
        if !(0.0..=1.0).contains(&share) {
            anyhow::bail!("{flag} must be between 0 and 1, not {share}");
        }
    }
    let mut options = EmulatorOptions::new()
        .listen(serve.listen)
        .api_user(serve.api_user)
        .api_key(serve.api_key)
        .seed(match serve.seed {
            SeedName::Site => Seed::Site,
            SeedName::Demo => Seed::Demo,
        })
        .faults(Faults {
            unavailable: serve.unavailable_share,
            drop_after_apply: serve.drop_after_apply_share,
            latency: Duration::from_millis(serve.latency_ms),
            seed: serve.fault_seed,
        });
    if let Some(token) = serve.bearer_token {
        options = options.bearer_token(token);
    }
    if let Some(path) = serve.data {
        options = options.data_file(path);
    }
    if let Some(path) = serve.schema {
        let schema = Schema::from_yaml_file(&path)
            .with_context(|| format!("cannot load the schema {}", path.display()))?;
        options = options.schema(schema);
    }

    let emulator = Emulator::start(options).context("cannot start the emulator")?;
    println!("listening on {}", emulator.url());
    std::io::stdout()
        .flush()
        .context("cannot write to standard output")?;

    wait_for_stop().context("cannot wait for Ctrl-C")?;
    emulator.shutdown();
    eprintln!("stopped");
    Ok(ExitCode::SUCCESS)
}

/// Blocks until Ctrl-C, or SIGTERM on Unix.
fn wait_for_stop() -> std::io::Result<()> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    runtime.block_on(async {
        #[cfg(unix)]
        {
            let mut terminate =
                tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())?;
            tokio::select! {
                result = tokio::signal::ctrl_c() => result,
                _ = terminate.recv() => Ok(()),
            }
        }
        #[cfg(not(unix))]
        {
            tokio::signal::ctrl_c().await
        }
    })
}
