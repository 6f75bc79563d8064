//! The blocking session, over the async one.

use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use serde_json::Value as Json;

use super::batch::Batch;
use super::query::Query;
use crate::credentials::{Credentials, Secret};
use crate::decode::{Outcome, ServerInformation};
use crate::entity::Entity;
use crate::error::Error;
use crate::operation::{EntityData, EntityKey, Operation, PrimaryKeys};
use crate::retry::RetryPolicy;

/// Settings of a blocking [`Session`]; the same as
/// [`crate::SessionBuilder`].
#[derive(Debug, Default)]
pub struct SessionBuilder {
    inner: crate::SessionBuilder,
}

impl SessionBuilder {
    /// See [`crate::SessionBuilder::server_url`].
    pub fn server_url(self, server_url: impl Into<String>) -> Self {
        SessionBuilder {
            inner: self.inner.server_url(server_url),
        }
    }

    /// See [`crate::SessionBuilder::credentials`].
    pub fn credentials(self, credentials: Credentials) -> Self {
        SessionBuilder {
            inner: self.inner.credentials(credentials),
        }
    }

    /// See [`crate::SessionBuilder::api_key`].
    pub fn api_key(self, api_user: impl Into<String>, api_key: impl Into<Secret>) -> Self {
        SessionBuilder {
            inner: self.inner.api_key(api_user, api_key),
        }
    }

    /// See [`crate::SessionBuilder::bearer_token`].
    pub fn bearer_token(self, token: impl Into<Secret>) -> Self {
        SessionBuilder {
            inner: self.inner.bearer_token(token),
        }
    }

    /// See [`crate::SessionBuilder::header`].
    pub fn header(self, name: impl Into<String>, value: impl Into<String>) -> Self {
        SessionBuilder {
            inner: self.inner.header(name, value),
        }
    }

    /// See [`crate::SessionBuilder::strict_api`].
    pub fn strict_api(self, strict: bool) -> Self {
        SessionBuilder {
            inner: self.inner.strict_api(strict),
        }
    }

    /// See [`crate::SessionBuilder::connect_timeout`].
    pub fn connect_timeout(self, timeout: Duration) -> Self {
        SessionBuilder {
            inner: self.inner.connect_timeout(timeout),
        }
    }

    /// See [`crate::SessionBuilder::timeout`].
    pub fn timeout(self, timeout: Duration) -> Self {
        SessionBuilder {
            inner: self.inner.timeout(timeout),
        }
    }

    /// See [`crate::SessionBuilder::retry_policy`].
    pub fn retry_policy(self, policy: RetryPolicy) -> Self {
        SessionBuilder {
            inner: self.inner.retry_policy(policy),
        }
    }

    /// See [`crate::SessionBuilder::http_client`] (an async
    /// `reqwest::Client`: it runs on the session's own runtime).
    pub fn http_client(self, client: reqwest::Client) -> Self {
        SessionBuilder {
            inner: self.inner.http_client(client),
        }
    }

    /// See [`crate::SessionBuilder::primary_key`].
    pub fn primary_key<I, S>(self, entity_type: impl Into<String>, attributes: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        SessionBuilder {
            inner: self.inner.primary_key(entity_type, attributes),
        }
    }

    /// See [`crate::SessionBuilder::primary_keys`].
    pub fn primary_keys(self, primary_keys: PrimaryKeys) -> Self {
        SessionBuilder {
            inner: self.inner.primary_keys(primary_keys),
        }
    }

    /// See [`crate::SessionBuilder::application`].
    pub fn application(self, name_and_version: impl Into<String>) -> Self {
        SessionBuilder {
            inner: self.inner.application(name_and_version),
        }
    }

    /// Makes the session and its runtime.
    ///
    /// # Errors
    ///
    /// As [`crate::SessionBuilder::build`]; [`Error::Config`] when the
    /// runtime cannot be started.
    pub fn build(self) -> Result<Session, Error> {
        let session = self.inner.build()?;
        // One worker keeps pooled connections alive between calls.
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .thread_name("ftrack-blocking")
            .enable_all()
            .build()
            .map_err(|error| Error::Config {
                setting: "runtime",
                reason: error.to_string(),
            })?;
        Ok(Session {
            inner: session,
            runtime: Arc::new(runtime),
        })
    }
}

/// A blocking session: [`crate::Session`] for code without async. Clone it
/// freely; clones share the runtime and the connection pool.
#[derive(Debug, Clone)]
pub struct Session {
    inner: crate::Session,
    runtime: Arc<tokio::runtime::Runtime>,
}

impl Session {
    /// See [`crate::Session::builder`].
    pub fn builder() -> SessionBuilder {
        SessionBuilder::default()
    }

    /// See [`crate::Session::new`].
    ///
    /// # Errors
    ///
    /// As [`SessionBuilder::build`].
    pub fn new(credentials: Credentials) -> Result<Session, Error> {
        Session::builder().credentials(credentials).build()
    }

    /// Runs a future of the async session to its end.
    pub(crate) fn block_on<T>(
        &self,
        future: impl Future<Output = Result<T, Error>>,
    ) -> Result<T, Error> {
        if tokio::runtime::Handle::try_current().is_ok() {
            return Err(Error::BlockingInsideRuntime);
        }
        self.runtime.block_on(future)
    }

    /// The async session underneath.
    pub fn as_async(&self) -> &crate::Session {
        &self.inner
    }

    /// See [`crate::Session::server_url`].
    pub fn server_url(&self) -> &str {
        self.inner.server_url()
    }

    /// See [`crate::Session::primary_keys`].
    pub fn primary_keys(&self) -> PrimaryKeys {
        self.inner.primary_keys()
    }

    /// See [`crate::Session::query`].
    pub fn query(&self, expression: impl Into<String>) -> Query {
        Query::new(self.clone(), self.inner.query(expression))
    }

    /// See [`crate::Session::batch`].
    pub fn batch(&self) -> Batch {
        Batch::new(self.clone(), self.inner.batch())
    }

    /// See [`crate::Session::call`].
    ///
    /// # Errors
    ///
    /// As [`crate::Session::call`]; [`Error::BlockingInsideRuntime`].
    pub fn call(&self, operations: Vec<Operation>) -> Result<Vec<Outcome>, Error> {
        self.block_on(self.inner.call(operations))
    }

    /// See [`crate::Session::create`].
    ///
    /// # Errors
    ///
    /// As [`Session::call`].
    pub fn create(&self, entity_type: &str, data: EntityData) -> Result<Entity, Error> {
        self.block_on(self.inner.create(entity_type, data))
    }

    /// See [`crate::Session::update`].
    ///
    /// # Errors
    ///
    /// As [`Session::call`].
    pub fn update(
        &self,
        entity_type: &str,
        key: impl Into<EntityKey>,
        data: EntityData,
    ) -> Result<Entity, Error> {
        self.block_on(self.inner.update(entity_type, key, data))
    }

    /// See [`crate::Session::delete`].
    ///
    /// # Errors
    ///
    /// As [`Session::call`].
    pub fn delete(&self, entity_type: &str, key: impl Into<EntityKey>) -> Result<(), Error> {
        self.block_on(self.inner.delete(entity_type, key))
    }

    /// See [`crate::Session::query_schemas`].
    ///
    /// # Errors
    ///
    /// As [`Session::call`].
    pub fn query_schemas(&self) -> Result<Json, Error> {
        self.block_on(self.inner.query_schemas())
    }

    /// See [`crate::Session::query_server_information`].
    ///
    /// # Errors
    ///
    /// As [`Session::call`].
    pub fn query_server_information(&self) -> Result<ServerInformation, Error> {
        self.block_on(self.inner.query_server_information())
    }

    /// See [`crate::Session::load_primary_keys`].
    ///
    /// # Errors
    ///
    /// As [`Session::call`].
    pub fn load_primary_keys(&self) -> Result<usize, Error> {
        self.block_on(self.inner.load_primary_keys())
    }
}
