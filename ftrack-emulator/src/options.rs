//! How an emulator is set up: address, credentials, schema, seed data,
//! data file and faults.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

use ftrack_schema::Schema;

/// The API user of an emulator started with default options.
pub const DEFAULT_API_USER: &str = "emulator";
/// The API key of an emulator started with default options.
pub const DEFAULT_API_KEY: &str = "emulator-api-key";

/// What the store holds when an emulator starts without a data file (or
/// with a data file that does not exist yet).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
#[non_exhaustive]
pub enum Seed {
    /// What a fresh ftrack site has: project schemas with their workflows
    /// and object types, task types, statuses with states, priorities,
    /// custom attribute configurations, locations and the API user.
    #[default]
    Site,
    /// The site data and a demo project: sequences `sq010` and `sq020` of
    /// three shots each, every shot with compositing, animation and
    /// lighting tasks.
    Demo,
}

/// Misbehaviour to test clients with. Shares are between 0 and 1 and drawn
/// from a seeded generator, so a run is repeatable.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Faults {
    /// The share of requests answered `503 Service Unavailable` without
    /// being run, as a proxy in front of a busy server does.
    pub unavailable: f64,
    /// The share of batches that are applied and then answered by closing
    /// the connection, so that the client cannot know they were kept.
    pub drop_after_apply: f64,
    /// Time to wait before handling each request.
    pub latency: Duration,
    /// The seed of the generator that draws the shares.
    pub seed: u64,
}

impl Faults {
    /// No faults.
    pub fn none() -> Faults {
        Faults::default()
    }

    /// Whether any fault is on.
    pub fn is_active(&self) -> bool {
        self.unavailable > 0.0 || self.drop_after_apply > 0.0 || !self.latency.is_zero()
    }
}

/// How to start an [`Emulator`](crate::Emulator). Build with
/// [`EmulatorOptions::new`] and the setters. Its debug output leaves out
/// the API key and the bearer token.
#[derive(Clone)]
pub struct EmulatorOptions {
    pub(crate) listen: SocketAddr,
    pub(crate) api_user: String,
    pub(crate) api_key: String,
    pub(crate) bearer_token: Option<String>,
    pub(crate) schema: Option<Schema>,
    pub(crate) seed: Seed,
    pub(crate) data_file: Option<PathBuf>,
    pub(crate) faults: Faults,
    pub(crate) max_body_bytes: usize,
    pub(crate) server_version: String,
    pub(crate) record_limit: usize,
}

impl std::fmt::Debug for EmulatorOptions {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("EmulatorOptions")
            .field("listen", &self.listen)
            .field("api_user", &self.api_user)
            .field("api_key", &"<redacted>")
            .field(
                "bearer_token",
                &self.bearer_token.as_ref().map(|_| "<redacted>"),
            )
            .field(
                "schema",
                &self.schema.as_ref().map(|s| s.entity_types.len()),
            )
            .field("seed", &self.seed)
            .field("data_file", &self.data_file)
            .field("faults", &self.faults)
            .field("max_body_bytes", &self.max_body_bytes)
            .field("server_version", &self.server_version)
            .field("record_limit", &self.record_limit)
            .finish()
    }
}

impl Default for EmulatorOptions {
    fn default() -> Self {
        EmulatorOptions::new()
    }
}

impl EmulatorOptions {
    /// Loopback on a free port, user [`DEFAULT_API_USER`] with key
    /// [`DEFAULT_API_KEY`], the shipped schema, the site seed, no data file,
    /// no faults.
    pub fn new() -> EmulatorOptions {
        EmulatorOptions {
            listen: SocketAddr::from(([127, 0, 0, 1], 0)),
            api_user: DEFAULT_API_USER.to_owned(),
            api_key: DEFAULT_API_KEY.to_owned(),
            bearer_token: None,
            schema: None,
            seed: Seed::Site,
            data_file: None,
            faults: Faults::none(),
            max_body_bytes: 32 * 1024 * 1024,
            server_version: "4.13.8".to_owned(),
            record_limit: 10_000,
        }
    }

    /// The address to listen on; port 0 picks a free one.
    pub fn listen(mut self, address: SocketAddr) -> Self {
        self.listen = address;
        self
    }

    /// The API user every request must name in `ftrack-user`.
    pub fn api_user(mut self, user: impl Into<String>) -> Self {
        self.api_user = user.into();
        self
    }

    /// The API key every request must send in `ftrack-api-key`.
    pub fn api_key(mut self, key: impl Into<String>) -> Self {
        self.api_key = key.into();
        self
    }

    /// Also accept `Authorization: Bearer <token>` in place of the user and
    /// key headers.
    pub fn bearer_token(mut self, token: impl Into<String>) -> Self {
        self.bearer_token = Some(token.into());
        self
    }

    /// The entity schema to serve, instead of the shipped one.
    pub fn schema(mut self, schema: Schema) -> Self {
        self.schema = Some(schema);
        self
    }

    /// What a new store holds.
    pub fn seed(mut self, seed: Seed) -> Self {
        self.seed = seed;
        self
    }

    /// Keep the store in this file: loaded at start when it exists, written
    /// after every batch that changes something.
    pub fn data_file(mut self, path: impl Into<PathBuf>) -> Self {
        self.data_file = Some(path.into());
        self
    }

    /// Misbehave as `faults` says.
    pub fn faults(mut self, faults: Faults) -> Self {
        self.faults = faults;
        self
    }

    /// The largest request body accepted, in bytes (32 MiB by default).
    pub fn max_body_bytes(mut self, bytes: usize) -> Self {
        self.max_body_bytes = bytes;
        self
    }

    /// The `version` `query_server_information` answers (`4.13.8` by
    /// default; the Python client needs at least `3.3.11`).
    pub fn server_version(mut self, version: impl Into<String>) -> Self {
        self.server_version = version.into();
        self
    }

    /// How many received operations the handle keeps for
    /// [`EmulatorHandle::operations`](crate::EmulatorHandle::operations),
    /// the latest ones (10,000 by default).
    pub fn record_limit(mut self, operations: usize) -> Self {
        self.record_limit = operations;
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_output_leaves_out_the_secrets() {
        let options = EmulatorOptions::new()
            .api_key("very-secret")
            .bearer_token("also-secret");

        let text = format!("{options:?}");

        assert!(
            !text.contains("very-secret") && !text.contains("also-secret"),
            "{text}"
        );
        assert!(text.contains("emulator"), "{text}");
    }
}
