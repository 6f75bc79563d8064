//! The global options that connect the `ftrack` command to a server, and
//! the logging they set up.

use std::path::PathBuf;

use anyhow::{Context, Result};
use clap::{Args, ValueEnum};
use ftrack_client::{Credentials, Session};

/// How to reach and authenticate with an ftrack server. Each option can
/// also come from the environment; anything missing is looked up in the
/// credentials file.
#[derive(Debug, Clone, Args)]
pub struct ConnectionArgs {
    /// The server URL, e.g. `https://studio.ftrackapp.com`.
    #[arg(long, global = true, env = "FTRACK_SERVER", value_name = "URL")]
    pub server: Option<String>,
    /// The API user to act as.
    #[arg(long, global = true, env = "FTRACK_API_USER", value_name = "USER")]
    pub api_user: Option<String>,
    /// The API key (prefer the environment: options show in process lists).
    #[arg(
        long,
        global = true,
        env = "FTRACK_API_KEY",
        value_name = "KEY",
        hide_env_values = true
    )]
    pub api_key: Option<String>,
    /// A bearer token, instead of an API user and key.
    #[arg(
        long,
        global = true,
        env = "FTRACK_BEARER_TOKEN",
        value_name = "TOKEN",
        hide_env_values = true
    )]
    pub bearer_token: Option<String>,
    /// A JSON credentials file ({"server_url", "api_user", "api_key"} or
    /// {"server_url", "bearer_token"}); by default
    /// ~/.config/ftrack/credentials.json when it exists.
    #[arg(long, global = true, env = "FTRACK_CREDENTIALS", value_name = "FILE")]
    pub credentials: Option<PathBuf>,
}

impl ConnectionArgs {
    /// Finds credentials: these options, then the environment, then the
    /// credentials file.
    pub fn credentials(&self) -> Result<Credentials> {
        let mut loader = Credentials::loader();
        if let Some(server) = &self.server {
            loader = loader.server_url(server);
        }
        if let Some(user) = &self.api_user {
            loader = loader.api_user(user);
        }
        if let Some(key) = &self.api_key {
            loader = loader.api_key(key);
        }
        if let Some(token) = &self.bearer_token {
            loader = loader.bearer_token(token);
        }
        if let Some(file) = &self.credentials {
            loader = loader.file(file);
        }
        Ok(loader.load()?)
    }

    /// A session with the server.
    pub fn session(&self) -> Result<Session> {
        let credentials = self.credentials()?;
        let server = credentials.server_url.clone();
        Session::builder()
            .credentials(credentials)
            .application(concat!("ftrack-cli/", env!("CARGO_PKG_VERSION")))
            .build()
            .with_context(|| format!("cannot connect to {server}"))
    }
}

/// How results are printed.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, ValueEnum)]
pub enum Output {
    /// A table for people.
    #[default]
    Table,
    /// JSON for programs.
    Json,
}

/// Installs a subscriber that logs to stderr: warnings by default, more
/// with each `-v`, less with each `-q`.
pub fn init_logging(verbose: u8, quiet: u8) {
    use tracing_subscriber::filter::LevelFilter;

    let level = match i16::from(verbose) - i16::from(quiet) {
        i16::MIN..=-2 => LevelFilter::OFF,
        -1 => LevelFilter::ERROR,
        0 => LevelFilter::WARN,
        1 => LevelFilter::INFO,
        2 => LevelFilter::DEBUG,
        _ => LevelFilter::TRACE,
    };
    // A second subscriber cannot be set; the first one stays, so the error
    // is of no use to the user.
    let _ = tracing_subscriber::fmt()
        .with_max_level(level)
        .with_writer(std::io::stderr)
        .try_init();
}
