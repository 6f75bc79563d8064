//! A local ftrack-compatible API server over an in-memory store, for tests
//! and offline work.
//!
//! It answers the same `POST /api` protocol as a real ftrack server, with
//! the shipped entity schema, a store seeded with what a fresh site has, the
//! full query language, ftrack's error answers and its de-duplicated
//! results. The official Python client runs against it in CI.
//!
//! ```
//! use ftrack_emulator::{Emulator, EmulatorOptions, Seed};
//!
//! let emulator = Emulator::start(EmulatorOptions::new().seed(Seed::Demo))?;
//! let answer: serde_json::Value = reqwest::blocking::Client::new()
//!     .post(format!("{}/api", emulator.url()))
//!     .header("ftrack-user", emulator.api_user())
//!     .header("ftrack-api-key", emulator.api_key())
//!     .json(&serde_json::json!([
//!         {"action": "query", "expression": "select name from Shot where parent.name is sq010"}
//!     ]))
//!     .send()?
//!     .json()?;
//! assert_eq!(answer[0]["data"].as_array().unwrap().len(), 3);
//! assert_eq!(emulator.operations()[0].action, "query");
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! The emulator runs on its own thread and tokio runtime, so async and
//! blocking tests use it alike; dropping the [`EmulatorHandle`] stops it.
//!
//! What it does:
//!
//! - Operations `query`, `create`, `update`, `delete`, `query_schemas` and
//!   `query_server_information` (with the `schema_hash` the official Python
//!   client checks its schema cache with). A request is one unit: when an
//!   operation fails nothing of the batch is kept, and the error names it.
//!   Required attributes and foreign keys are checked when the batch ends.
//! - The store: entities by type and primary key (composite too), `extends`
//!   respected (a query on `TypedContext` finds shots and tasks),
//!   relationships resolved through the schema's `foreign_key` and
//!   `reverse_key`, defaults and what the server fills (`context_type`,
//!   `project_id` from the parent, a status from the project schema...),
//!   dense `custom_attributes` and upserted custom attribute values.
//! - Authentication (`ftrack-user` + `ftrack-api-key`, or a bearer token),
//!   strict mode status codes, size limits and clear errors for bodies that
//!   are not a list of operations.
//! - A data file written after every batch through a temporary file and a
//!   rename ([`EmulatorOptions::data_file`]).
//! - Faults for client tests: 503 answers, connections dropped after a
//!   batch was applied, latency ([`Faults`]).
//!
//! Not supported, and why:
//!
//! - The event hub (Socket.IO), uploads and the actions beyond the six
//!   above (`get_upload_metadata`, `encode_media`, `search`, ...): they are
//!   answered with `Invalid action u'<name>'`, as old servers do, so clients
//!   see a server that lacks them.
//! - Collections the schema gives no key for (`lists`, `incoming_links`,
//!   `scopes`...) hold what a client stored in them; the link tables behind
//!   them on a real server are not kept in step.
//! - Permissions and security roles: every request acts as the API user.
//! - Where the real server's behaviour is not recorded (error wording, what
//!   a delete cascades to, which workflow gives a new context its status),
//!   the code says which choice it made, next to the choice.
//!
//! The crate has no features.

mod answer;
mod engine;
mod error;
mod http;
mod model;
mod options;
mod persist;
mod read;
mod schema_hash;
mod seed;
mod store;
mod value;

use std::net::SocketAddr;
use std::sync::atomic::AtomicU64;
use std::sync::{Arc, Mutex, OnceLock};
use std::thread::JoinHandle;

use ftrack_schema::Schema;
use parking_lot::RwLock;
use rand::rngs::StdRng;
use rand::SeedableRng;
use serde_json::{json, Value};
use tokio::sync::watch;

pub use error::{ServerError, StartError};
pub use options::{EmulatorOptions, Faults, Seed, DEFAULT_API_KEY, DEFAULT_API_USER};

use crate::engine::Engine;
use crate::http::Shared;
use crate::model::Model;
use crate::store::Store;

/// The shipped entity schema (a copy of `schema/ftrack.yaml`, kept inside
/// the package so that it survives packaging).
const SHIPPED_SCHEMA: &str = include_str!("../seed/ftrack.yaml");

/// The shipped entity schema, parsed once.
///
/// # Errors
///
/// [`StartError::Schema`] if the shipped file does not load (a packaging
/// bug).
pub fn shipped_schema() -> Result<Schema, StartError> {
    static PARSED: OnceLock<Result<Schema, String>> = OnceLock::new();
    let parsed = PARSED.get_or_init(|| {
        Schema::from_yaml(SHIPPED_SCHEMA, "ftrack.yaml").map_err(|e| e.to_string())
    });
    match parsed {
        Ok(schema) => Ok(schema.clone()),
        Err(message) => Err(StartError::Seed(format!("the shipped schema: {message}"))),
    }
}

/// One operation the emulator received, for tests to assert on.
#[derive(Debug, Clone, PartialEq)]
pub struct RecordedOperation {
    /// The number of the request it came in, from 0.
    pub request: u64,
    /// Its position in the request.
    pub index: usize,
    /// Its `action`.
    pub action: String,
    /// Its `entity_type`, when it has one.
    pub entity_type: Option<String>,
    /// The operation as sent.
    pub operation: Value,
}

/// Starts emulators.
#[derive(Debug)]
pub struct Emulator;

impl Emulator {
    /// Loads the store (from the data file, or the seed), binds the address
    /// and serves on a thread of its own until the handle is dropped.
    ///
    /// # Errors
    ///
    /// [`StartError::Bind`] when the address is taken,
    /// [`StartError::ReadData`] or [`StartError::BadData`] for a data file
    /// that cannot be loaded, [`StartError::WriteData`] when a new data file
    /// cannot be written.
    pub fn start(options: EmulatorOptions) -> Result<EmulatorHandle, StartError> {
        let schema = match options.schema.clone() {
            Some(schema) => schema,
            None => shipped_schema()?,
        };
        let model = Model::new(schema);

        // The store: a snapshot, or a new seed.
        let loaded = match &options.data_file {
            Some(path) => persist::load(path, &model)?,
            None => None,
        };
        let fresh = loaded.is_none();
        let mut store = match loaded {
            Some(store) => store,
            None => {
                let mut store = Store::default();
                seed::site(&model, &mut store).map_err(StartError::Seed)?;
                store
            }
        };
        let api_user_id = seed::api_user(&model, &mut store, &options.api_user);
        let information = json!({
            "version": options.server_version,
            "schema_hash": model.hash,
            "is_timezone_support_enabled": true,
            "storage_scenario": {"scenario": "ftrack.automatic", "data": {}},
        });
        let engine = Arc::new(Engine {
            model,
            store: RwLock::new(store),
            information,
            api_user_id,
            data_file: options.data_file.clone(),
        });
        if fresh && options.seed == Seed::Demo {
            seed::demo(&engine).map_err(StartError::Seed)?;
        }
        if let Some(path) = &options.data_file {
            let store = engine.store.read();
            persist::save(path, &store).map_err(|source| StartError::WriteData {
                path: path.clone(),
                source,
            })?;
        }

        // The socket, bound here so that the address is known and taken
        // before `start` returns.
        let listener =
            std::net::TcpListener::bind(options.listen).map_err(|source| StartError::Bind {
                address: options.listen.to_string(),
                source,
            })?;
        let address = listener.local_addr().map_err(|source| StartError::Bind {
            address: options.listen.to_string(),
            source,
        })?;
        listener
            .set_nonblocking(true)
            .map_err(StartError::Runtime)?;

        let shared = Arc::new(Shared {
            engine,
            api_user: options.api_user.clone(),
            api_key: options.api_key.clone(),
            bearer_token: options.bearer_token.clone(),
            max_body_bytes: options.max_body_bytes,
            random: Mutex::new(StdRng::seed_from_u64(options.faults.seed)),
            faults: Mutex::new(options.faults.clone()),
            records: Mutex::new(Default::default()),
            record_limit: options.record_limit,
            requests: AtomicU64::new(0),
        });
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .thread_name("ftrack-emulator")
            .enable_all()
            .build()
            .map_err(StartError::Runtime)?;
        let (stop, stopped) = watch::channel(false);
        let serving = shared.clone();
        let thread = std::thread::Builder::new()
            .name("ftrack-emulator".to_owned())
            .spawn(move || {
                runtime.block_on(async move {
                    // Only fails outside a runtime, which this is not.
                    if let Ok(listener) = tokio::net::TcpListener::from_std(listener) {
                        http::serve(listener, serving, stopped).await;
                    }
                });
                runtime.shutdown_timeout(std::time::Duration::from_secs(5));
            })
            .map_err(StartError::Runtime)?;

        Ok(EmulatorHandle {
            url: format!("http://{address}"),
            address,
            api_user: options.api_user,
            api_key: options.api_key,
            shared,
            stop,
            thread: Some(thread),
        })
    }
}

/// A running emulator. Dropping it stops the server.
pub struct EmulatorHandle {
    url: String,
    address: SocketAddr,
    api_user: String,
    api_key: String,
    shared: Arc<Shared>,
    stop: watch::Sender<bool>,
    thread: Option<JoinHandle<()>>,
}

impl std::fmt::Debug for EmulatorHandle {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // No key in debug output.
        f.debug_struct("EmulatorHandle")
            .field("url", &self.url)
            .field("api_user", &self.api_user)
            .finish_non_exhaustive()
    }
}

impl EmulatorHandle {
    /// The server URL clients are given, such as `http://127.0.0.1:40123`
    /// (the API is at `{url}/api`).
    pub fn url(&self) -> &str {
        &self.url
    }

    /// The address the server listens on.
    pub fn address(&self) -> SocketAddr {
        self.address
    }

    /// The API user requests must name.
    pub fn api_user(&self) -> &str {
        &self.api_user
    }

    /// The API key requests must send.
    pub fn api_key(&self) -> &str {
        &self.api_key
    }

    /// The operations received so far (the latest ones, up to
    /// [`EmulatorOptions::record_limit`]), in order, from authenticated
    /// requests whose body was a list of operations.
    pub fn operations(&self) -> Vec<RecordedOperation> {
        let records = self
            .shared
            .records
            .lock()
            .unwrap_or_else(|e| e.into_inner());
        records.iter().cloned().collect()
    }

    /// Forgets the operations received so far.
    pub fn clear_operations(&self) {
        self.shared
            .records
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clear();
    }

    /// Replaces the faults from the next request on.
    pub fn set_faults(&self, faults: Faults) {
        *self.shared.faults.lock().unwrap_or_else(|e| e.into_inner()) = faults;
    }

    /// How many entities the store holds.
    pub fn entity_count(&self) -> usize {
        self.shared.engine.store.read().len()
    }

    /// Stops the server and waits for its thread.
    pub fn shutdown(mut self) {
        self.stop_now();
    }

    fn stop_now(&mut self) {
        let _ = self.stop.send(true);
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

impl Drop for EmulatorHandle {
    fn drop(&mut self) {
        self.stop_now();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_packaged_schema_is_the_repository_schema() {
        // `seed/ftrack.yaml` is a symbolic link to `schema/ftrack.yaml`,
        // which `cargo package` turns into a copy; this catches a stale copy
        // left in its place.
        let repository = concat!(env!("CARGO_MANIFEST_DIR"), "/../schema/ftrack.yaml");
        if let Ok(text) = std::fs::read_to_string(repository) {
            assert!(
                text == SHIPPED_SCHEMA,
                "ftrack-emulator/seed/ftrack.yaml differs from schema/ftrack.yaml: link it again"
            );
        }
    }
}
