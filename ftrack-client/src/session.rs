//! The async session: server URL, credentials and HTTP client, and the one
//! `POST {server}/api` call every operation goes through.

use std::fmt;
use std::sync::{Arc, RwLock};
use std::time::{Duration, Instant, SystemTime};

use reqwest::header::{HeaderMap, HeaderName, HeaderValue};
use serde_json::Value as Json;
use tracing::Instrument;

use crate::batch::Batch;
use crate::credentials::{Auth, Credentials, Secret};
use crate::decode::{DecodeOptions, Outcome, Reply, ServerInformation};
use crate::entity::Entity;
use crate::error::{excerpt, CallInfo, Error, ServerError};
use crate::operation::{Action, EntityData, EntityKey, Operation, PrimaryKeys};
use crate::query::Query;
use crate::retry::{is_retryable_status, parse_retry_after, RetryPolicy};

/// The user agent: this crate and its version.
pub const USER_AGENT: &str = concat!(env!("CARGO_PKG_NAME"), "/", env!("CARGO_PKG_VERSION"));

/// The timeout of a whole call when none is set, as in the Python client.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(60);

/// How many bytes of a body a trace event shows.
const TRACE_BODY_BYTES: usize = 64 * 1024;

/// Settings of a [`Session`]; see [`Session::builder`].
#[derive(Default)]
pub struct SessionBuilder {
    server_url: Option<String>,
    auth: Option<Auth>,
    headers: Vec<(String, String)>,
    strict_api: bool,
    connect_timeout: Option<Duration>,
    timeout: Option<Duration>,
    retry_policy: RetryPolicy,
    http_client: Option<reqwest::Client>,
    primary_keys: PrimaryKeys,
    application: Option<String>,
}

impl fmt::Debug for SessionBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SessionBuilder")
            .field("server_url", &self.server_url)
            .field("auth", &self.auth)
            .field(
                "header_names",
                &self
                    .headers
                    .iter()
                    .map(|(name, _)| name)
                    .collect::<Vec<_>>(),
            )
            .field("strict_api", &self.strict_api)
            .field("timeout", &self.timeout)
            .field("retry_policy", &self.retry_policy)
            .finish_non_exhaustive()
    }
}

impl SessionBuilder {
    /// The server, e.g. `https://studio.ftrackapp.com`; calls go to
    /// `{server_url}/api`.
    pub fn server_url(mut self, server_url: impl Into<String>) -> Self {
        self.server_url = Some(server_url.into());
        self
    }

    /// Server URL and authentication from [`Credentials`].
    pub fn credentials(mut self, credentials: Credentials) -> Self {
        self.server_url = Some(credentials.server_url);
        self.auth = Some(credentials.auth);
        self
    }

    /// Authenticate as `api_user` with an API key (the `ftrack-user` and
    /// `ftrack-api-key` headers).
    pub fn api_key(mut self, api_user: impl Into<String>, api_key: impl Into<Secret>) -> Self {
        self.auth = Some(Auth::ApiKey {
            api_user: api_user.into(),
            api_key: api_key.into(),
        });
        self
    }

    /// Authenticate with a bearer token (`Authorization: Bearer ...`).
    pub fn bearer_token(mut self, token: impl Into<Secret>) -> Self {
        self.auth = Some(Auth::BearerToken(token.into()));
        self
    }

    /// A header to send with every call (the server's `ftrack-api-options`,
    /// a proxy's header).
    pub fn header(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.headers.push((name.into(), value.into()));
        self
    }

    /// Strict API mode (`ftrack-strict-api: true`): the server answers
    /// errors with non-2xx statuses, and allows `group by`.
    pub fn strict_api(mut self, strict: bool) -> Self {
        self.strict_api = strict;
        self
    }

    /// The longest wait for a connection. Applies only to the HTTP client
    /// the session makes itself, not to one given with
    /// [`SessionBuilder::http_client`].
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = Some(timeout);
        self
    }

    /// The longest wait for one attempt of a call, from sending to the end
    /// of the answer; [`DEFAULT_TIMEOUT`] when not set.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = Some(timeout);
        self
    }

    /// How to retry failed calls; [`RetryPolicy::default`] when not set.
    pub fn retry_policy(mut self, policy: RetryPolicy) -> Self {
        self.retry_policy = policy;
        self
    }

    /// An HTTP client of the caller's (proxies, certificates, a shared
    /// connection pool).
    pub fn http_client(mut self, client: reqwest::Client) -> Self {
        self.http_client = Some(client);
        self
    }

    /// Registers the primary key of an entity type whose key is not `id`
    /// (see [`PrimaryKeys`]).
    pub fn primary_key<I, S>(mut self, entity_type: impl Into<String>, attributes: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.primary_keys.insert(entity_type, attributes);
        self
    }

    /// Replaces all registered primary keys.
    pub fn primary_keys(mut self, primary_keys: PrimaryKeys) -> Self {
        self.primary_keys = primary_keys;
        self
    }

    /// Names the application in the user agent, before this crate:
    /// `my-tool/1.2 ftrack-client/0.1.0`.
    pub fn application(mut self, name_and_version: impl Into<String>) -> Self {
        self.application = Some(name_and_version.into());
        self
    }

    /// Makes the session. It does not talk to the server yet.
    ///
    /// # Errors
    ///
    /// [`Error::Config`] when the server URL or authentication is missing,
    /// the URL is not `http(s)://` or holds a user or password, a header
    /// cannot be sent, or the HTTP client cannot be made.
    pub fn build(self) -> Result<Session, Error> {
        let config = |setting, reason: &str| Error::Config {
            setting,
            reason: reason.to_owned(),
        };

        // The endpoint: the server URL without a trailing slash, plus /api.
        let server_url = self
            .server_url
            .ok_or_else(|| config("server_url", "no server URL was given"))?;
        let parsed = reqwest::Url::parse(server_url.trim()).map_err(|error| {
            config(
                "server_url",
                &format!("`{server_url}` is not a URL: {error}"),
            )
        })?;
        if !matches!(parsed.scheme(), "http" | "https") {
            return Err(config(
                "server_url",
                "the URL must start with http:// or https://",
            ));
        }
        if !parsed.username().is_empty() || parsed.password().is_some() {
            return Err(config(
                "server_url",
                "the URL must not hold a user or password; use api_key or bearer_token",
            ));
        }
        let server_url = parsed.as_str().trim_end_matches('/').to_owned();
        let endpoint = reqwest::Url::parse(&format!("{server_url}/api"))
            .map_err(|error| config("server_url", &error.to_string()))?;

        // Headers sent with every call; the secrets are marked sensitive.
        let auth = self
            .auth
            .ok_or_else(|| config("auth", "no API key or bearer token was given"))?;
        let mut headers = HeaderMap::new();
        let value = |setting, text: &str, sensitive: bool| {
            let mut value = HeaderValue::from_str(text)
                .map_err(|_| config(setting, "the value holds characters a header cannot carry"))?;
            value.set_sensitive(sensitive);
            Ok::<_, Error>(value)
        };
        let mut secrets = Vec::new();
        match &auth {
            Auth::ApiKey { api_user, api_key } => {
                headers.insert("ftrack-user", value("api_user", api_user, false)?);
                headers.insert("ftrack-api-key", value("api_key", api_key.expose(), true)?);
                secrets.push(api_key.clone());
            }
            Auth::BearerToken(token) => {
                let bearer = format!("Bearer {}", token.expose());
                headers.insert(
                    reqwest::header::AUTHORIZATION,
                    value("bearer_token", &bearer, true)?,
                );
                secrets.push(token.clone());
            }
        }
        // The Python client always sends the mode; the server reads "true".
        let strict = if self.strict_api { "true" } else { "false" };
        headers.insert("ftrack-strict-api", HeaderValue::from_static(strict));
        headers.insert(
            reqwest::header::CONTENT_TYPE,
            HeaderValue::from_static("application/json"),
        );
        headers.insert(
            reqwest::header::ACCEPT,
            HeaderValue::from_static("application/json"),
        );
        let agent = match &self.application {
            Some(application) => format!("{application} {USER_AGENT}"),
            None => USER_AGENT.to_owned(),
        };
        headers.insert(
            reqwest::header::USER_AGENT,
            value("application", &agent, false)?,
        );
        for (name, text) in &self.headers {
            let name = HeaderName::from_bytes(name.as_bytes())
                .map_err(|_| config("header", &format!("`{name}` is not a header name")))?;
            headers.insert(name, value("header", text, false)?);
        }

        let client = match self.http_client {
            Some(client) => client,
            None => {
                let mut builder = reqwest::Client::builder().user_agent(agent);
                if let Some(timeout) = self.connect_timeout {
                    builder = builder.connect_timeout(timeout);
                }
                builder
                    .build()
                    .map_err(|error| config("http_client", &error.to_string()))?
            }
        };

        Ok(Session {
            inner: Arc::new(Inner {
                endpoint_text: endpoint.to_string(),
                endpoint,
                server_url,
                auth_kind: match &auth {
                    Auth::ApiKey { api_user, .. } => format!("API key of {api_user}"),
                    Auth::BearerToken(_) => "bearer token".to_owned(),
                },
                client,
                headers,
                secrets,
                timeout: self.timeout.unwrap_or(DEFAULT_TIMEOUT),
                retry_policy: self.retry_policy,
                options: RwLock::new(Arc::new(DecodeOptions {
                    primary_keys: self.primary_keys,
                    naive_datetimes_are_utc: true,
                })),
            }),
        })
    }
}

/// A session with one ftrack server: where it is, who the API user is, and
/// the HTTP client. Clone it freely; clones share the connection pool.
///
/// Every call is one `POST {server}/api` with one or more operations.
#[derive(Clone)]
pub struct Session {
    inner: Arc<Inner>,
}

struct Inner {
    endpoint: reqwest::Url,
    endpoint_text: String,
    server_url: String,
    auth_kind: String,
    client: reqwest::Client,
    headers: HeaderMap,
    secrets: Vec<Secret>,
    timeout: Duration,
    retry_policy: RetryPolicy,
    options: RwLock<Arc<DecodeOptions>>,
}

impl fmt::Debug for Session {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Session")
            .field("server_url", &self.inner.server_url)
            .field("auth", &self.inner.auth_kind)
            .field("timeout", &self.inner.timeout)
            .field("retry_policy", &self.inner.retry_policy)
            .finish_non_exhaustive()
    }
}

impl Session {
    /// Starts the settings of a session.
    ///
    /// ```no_run
    /// # async fn run() -> Result<(), ftrack_client::Error> {
    /// use ftrack_client::Session;
    ///
    /// let session = Session::builder()
    ///     .server_url("https://studio.ftrackapp.com")
    ///     .api_key("jane.doe", "…")
    ///     .build()?;
    /// let tasks = session.query("select name from Task limit 10").all().await?;
    /// # Ok(()) }
    /// ```
    pub fn builder() -> SessionBuilder {
        SessionBuilder::default()
    }

    /// A session from [`Credentials`] with default settings.
    ///
    /// # Errors
    ///
    /// As [`SessionBuilder::build`].
    pub fn new(credentials: Credentials) -> Result<Session, Error> {
        Session::builder().credentials(credentials).build()
    }

    /// The server URL, without a trailing slash.
    pub fn server_url(&self) -> &str {
        &self.inner.server_url
    }

    /// The primary keys the session knows.
    pub fn primary_keys(&self) -> PrimaryKeys {
        self.options().primary_keys.clone()
    }

    /// The primary-key attribute names of one entity type.
    pub(crate) fn primary_key_of(&self, entity_type: &str) -> Vec<String> {
        self.options().primary_keys.get(entity_type).to_vec()
    }

    fn options(&self) -> Arc<DecodeOptions> {
        let options = self
            .inner
            .options
            .read()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        Arc::clone(&options)
    }

    fn update_options(&self, change: impl FnOnce(&mut DecodeOptions)) {
        let mut options = self
            .inner
            .options
            .write()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        change(Arc::make_mut(&mut options));
    }

    /// A query of `expression`; run it with [`Query::all`], [`Query::first`],
    /// [`Query::one`] or [`Query::stream`].
    pub fn query(&self, expression: impl Into<String>) -> Query {
        Query::new(self.clone(), expression.into())
    }

    /// An empty unit of work; see [`Batch`].
    pub fn batch(&self) -> Batch {
        Batch::new(self.clone())
    }

    /// Creates one entity; its primary key is filled with a UUID v4 when
    /// `data` has none (see [`Operation::create_with_primary_key`]).
    ///
    /// # Errors
    ///
    /// As [`Session::call`].
    pub async fn create(&self, entity_type: &str, data: EntityData) -> Result<Entity, Error> {
        let primary_key = self.primary_key_of(entity_type);
        let operation = Operation::create_with_primary_key(entity_type, &primary_key, data);
        self.single_entity(operation).await
    }

    /// Sets attributes of one entity.
    ///
    /// # Errors
    ///
    /// As [`Session::call`].
    pub async fn update(
        &self,
        entity_type: &str,
        key: impl Into<EntityKey>,
        data: EntityData,
    ) -> Result<Entity, Error> {
        self.single_entity(Operation::update(entity_type, key, data))
            .await
    }

    /// Deletes one entity.
    ///
    /// # Errors
    ///
    /// As [`Session::call`].
    pub async fn delete(&self, entity_type: &str, key: impl Into<EntityKey>) -> Result<(), Error> {
        self.call(vec![Operation::delete(entity_type, key)])
            .await
            .map(drop)
    }

    async fn single_entity(&self, operation: Operation) -> Result<Entity, Error> {
        let action = operation.action().clone();
        let outcome = self.call(vec![operation]).await?.into_iter().next();
        outcome
            .and_then(Outcome::into_entity)
            .ok_or_else(|| self.shape_error(action))
    }

    /// The error for a result of the wrong kind, which the decoder already
    /// rules out; kept so that no path can panic.
    pub(crate) fn shape_error(&self, action: Action) -> Error {
        Error::Decode {
            call: Box::new(CallInfo::new(
                &self.inner.endpoint_text,
                vec![action.clone()],
            )),
            excerpt: String::new(),
            source: crate::decode::DecodeError::NotAResultList {
                found: "a result of another action",
            },
        }
    }

    /// `query_schemas`: every entity type's schema, as JSON.
    ///
    /// # Errors
    ///
    /// As [`Session::call`].
    pub async fn query_schemas(&self) -> Result<Json, Error> {
        match self
            .call(vec![Operation::query_schemas()])
            .await?
            .into_iter()
            .next()
        {
            Some(Outcome::Schemas(schemas)) => Ok(schemas),
            _ => Err(self.shape_error(Action::QuerySchemas)),
        }
    }

    /// `query_server_information`. The session also learns from it whether
    /// naive date-times are UTC.
    ///
    /// # Errors
    ///
    /// As [`Session::call`].
    pub async fn query_server_information(&self) -> Result<ServerInformation, Error> {
        match self
            .call(vec![Operation::query_server_information()])
            .await?
            .into_iter()
            .next()
        {
            Some(Outcome::ServerInformation(information)) => Ok(information),
            _ => Err(self.shape_error(Action::QueryServerInformation)),
        }
    }

    /// Asks the server for its schemas and registers every entity type's
    /// primary key; returns how many entity types it registered.
    ///
    /// # Errors
    ///
    /// As [`Session::call`].
    pub async fn load_primary_keys(&self) -> Result<usize, Error> {
        let schemas = self.query_schemas().await?;
        let keys = PrimaryKeys::from_query_schemas(&schemas);
        let count = keys.len();
        self.update_options(|options| options.primary_keys = keys);
        Ok(count)
    }

    /// Sends a batch of operations in one request and returns their results
    /// in order. An empty batch sends nothing.
    ///
    /// Failures on the way (transport errors, HTTP 502, 503, 504, 429) are
    /// retried by the session's [`RetryPolicy`] when the batch is safe to
    /// repeat.
    ///
    /// # Errors
    ///
    /// - [`Error::Transport`]: no answer (refused or dropped connection,
    ///   timeout) after the last attempt;
    /// - [`Error::Validation`], [`Error::Permission`],
    ///   [`Error::Authentication`], [`Error::Server`]: the server refused
    ///   the batch, which then changed nothing;
    /// - [`Error::Http`]: an error status without an ftrack error object;
    /// - [`Error::Decode`]: a body that is not the protocol's JSON.
    pub async fn call(&self, operations: Vec<Operation>) -> Result<Vec<Outcome>, Error> {
        if operations.is_empty() {
            return Ok(Vec::new());
        }
        let actions: Vec<Action> = operations.iter().map(|o| o.action().clone()).collect();
        let span = tracing::info_span!(
            "ftrack.call",
            server = %self.inner.server_url,
            actions = %ActionList(&actions),
            operations = operations.len(),
        );
        self.send(operations, actions).instrument(span).await
    }

    async fn send(
        &self,
        operations: Vec<Operation>,
        actions: Vec<Action>,
    ) -> Result<Vec<Outcome>, Error> {
        let inner = &*self.inner;
        let policy = &inner.retry_policy;
        let safe = operations.iter().all(Operation::is_safe_to_repeat);
        let mut call = CallInfo::new(&inner.endpoint_text, actions);
        let body: Vec<u8> = match serde_json::to_vec(&operations) {
            Ok(body) => body,
            Err(error) => {
                return Err(Error::Config {
                    setting: "operations",
                    reason: error.to_string(),
                })
            }
        };
        if tracing::enabled!(tracing::Level::TRACE) {
            tracing::trace!(body = %self.redacted_body(&body), "request");
        }

        loop {
            call.attempts += 1;
            let retries_left = call.attempts <= policy.max_retries;
            let started = Instant::now();
            let request = inner
                .client
                .post(inner.endpoint.clone())
                .headers(inner.headers.clone())
                .timeout(inner.timeout)
                .body(body.clone());

            // Send, and read the whole answer.
            let (status, retry_after, bytes) = match request.send().await {
                Ok(response) => {
                    let status = response.status().as_u16();
                    call.status = Some(status);
                    let retry_after = response
                        .headers()
                        .get(reqwest::header::RETRY_AFTER)
                        .and_then(|value| value.to_str().ok())
                        .and_then(|value| parse_retry_after(value, SystemTime::now()));
                    match response.bytes().await {
                        Ok(bytes) => (status, retry_after, bytes),
                        Err(source) => {
                            // The server had the request: it may have
                            // applied the batch before the answer broke off.
                            // A retried create then fails as a duplicate and
                            // the error says "possibly applied"; telling
                            // applied from not applied would need a query
                            // per created entity, which is not done yet.
                            call.possibly_applied = true;
                            if safe && retries_left {
                                self.wait(
                                    &call,
                                    policy.backoff(call.attempts),
                                    "answer broken off",
                                )
                                .await;
                                continue;
                            }
                            return Err(Error::Transport {
                                call: Box::new(call),
                                source: source.without_url(),
                            });
                        }
                    }
                }
                Err(source) => {
                    // A refused connection sent nothing; anything else
                    // may have reached the server.
                    let sent = !source.is_connect();
                    call.possibly_applied |= sent;
                    call.status = source.status().map(|s| s.as_u16());
                    if (safe || !sent) && retries_left {
                        self.wait(
                            &call,
                            policy.backoff(call.attempts),
                            transport_reason(&source),
                        )
                        .await;
                        continue;
                    }
                    return Err(Error::Transport {
                        call: Box::new(call),
                        source: source.without_url(),
                    });
                }
            };
            tracing::debug!(
                status,
                elapsed_ms = started.elapsed().as_millis() as u64,
                bytes = bytes.len(),
                attempt = call.attempts,
                "answer received"
            );
            if tracing::enabled!(tracing::Level::TRACE) {
                tracing::trace!(body = %self.redacted_body(&bytes), "answer");
            }

            // Busy or gateway errors: wait and send again.
            if is_retryable_status(status) && safe && retries_left {
                let delay = match retry_after {
                    Some(delay) if delay <= policy.max_retry_after => Some(delay),
                    Some(_) => None,
                    None => Some(policy.backoff(call.attempts)),
                };
                if let Some(delay) = delay {
                    // A gateway that timed out may have passed the batch on.
                    call.possibly_applied |= matches!(status, 502 | 504);
                    self.wait(&call, delay, "server busy").await;
                    continue;
                }
            }
            return self.classify(call, status, &bytes);
        }
    }

    async fn wait(&self, call: &CallInfo, delay: Duration, reason: &str) {
        // A warning, not a debug event: a retry is invisible to the caller
        // otherwise, and slow answers are worth seeing without `-v`.
        tracing::warn!(
            attempt = call.attempts,
            status = call.status,
            retry_in_ms = delay.as_millis() as u64,
            reason,
            "retrying batch"
        );
        tokio::time::sleep(delay).await;
    }

    /// Turns an answer into results or the error it holds.
    fn classify(&self, call: CallInfo, status: u16, bytes: &[u8]) -> Result<Vec<Outcome>, Error> {
        let decode_error = |call, source| Error::Decode {
            call: Box::new(call),
            excerpt: self.redact(&excerpt(bytes)),
            source,
        };

        // A success is decoded straight from the bytes; an error status
        // may still carry an ftrack error object (strict mode).
        if (200..300).contains(&status) {
            let options = self.options();
            return match Reply::decode(bytes, &call.actions, &options) {
                Ok(Reply::Answer(answer)) => {
                    let outcomes = answer.into_outcomes();
                    self.learn(&outcomes);
                    Ok(outcomes)
                }
                Ok(Reply::Failure(error)) => Err(self.refused(call, status, error)),
                Err(source) => Err(decode_error(call, source)),
            };
        }
        match serde_json::from_slice::<Json>(bytes) {
            Ok(json) => match ServerError::from_json(&json) {
                Some(error) => Err(self.refused(call, status, error)),
                None => Err(Error::Http {
                    call: Box::new(call),
                    body: self.redact(&excerpt(bytes)),
                }),
            },
            Err(source) => Err(decode_error(
                call,
                crate::decode::DecodeError::NotJson(source),
            )),
        }
    }

    /// The error for the server's error object, by exception and status.
    fn refused(&self, call: CallInfo, status: u16, mut error: ServerError) -> Error {
        error.content = self.redact(&error.content);
        let call = Box::new(call);
        match (error.exception.as_str(), status) {
            ("ValidationError", _) => Error::Validation { call, error },
            ("PermissionError", _) | (_, 403) => Error::Permission { call, error },
            ("FTAuthenticationError" | "InvalidCredentialsError", _) | (_, 401) => {
                Error::Authentication { call, error }
            }
            _ => Error::Server { call, error },
        }
    }

    /// Remembers what server information says about date-times.
    fn learn(&self, outcomes: &[Outcome]) {
        for outcome in outcomes {
            if let Outcome::ServerInformation(information) = outcome {
                if let Some(utc) = information.is_timezone_support_enabled {
                    if self.options().naive_datetimes_are_utc != utc {
                        self.update_options(|options| options.naive_datetimes_are_utc = utc);
                    }
                }
            }
        }
    }

    /// `text` with the session's secrets replaced.
    pub(crate) fn redact(&self, text: &str) -> String {
        let mut text = text.to_owned();
        for secret in &self.inner.secrets {
            if secret.expose().len() >= 4 {
                text = text.replace(secret.expose(), "[redacted]");
            }
        }
        text
    }

    /// A body for a trace event: secret-looking members replaced, the
    /// session's secrets removed, long bodies cut.
    fn redacted_body(&self, body: &[u8]) -> String {
        let text = match serde_json::from_slice::<Json>(body) {
            Ok(mut json) => {
                redact_members(&mut json);
                json.to_string()
            }
            Err(_) => String::from_utf8_lossy(body).into_owned(),
        };
        let mut text = self.redact(&text);
        if text.len() > TRACE_BODY_BYTES {
            let mut end = TRACE_BODY_BYTES;
            while !text.is_char_boundary(end) {
                end -= 1;
            }
            text.truncate(end);
            text.push('…');
        }
        text
    }
}

/// Replaces the values of members whose names suggest a secret
/// (`reset_remote` answers an `api_key`).
fn redact_members(json: &mut Json) {
    match json {
        Json::Object(object) => {
            for (name, value) in object.iter_mut() {
                let name = name.to_ascii_lowercase();
                if ["api_key", "apikey", "password", "token", "secret"]
                    .iter()
                    .any(|s| name.contains(s))
                {
                    *value = Json::String("[redacted]".to_owned());
                } else {
                    redact_members(value);
                }
            }
        }
        Json::Array(items) => items.iter_mut().for_each(redact_members),
        _ => {}
    }
}

fn transport_reason(error: &reqwest::Error) -> &'static str {
    if error.is_connect() {
        "connection failed"
    } else if error.is_timeout() {
        "timed out"
    } else {
        "connection lost"
    }
}

/// Actions for a span field: `query, create`.
struct ActionList<'a>(&'a [Action]);

impl fmt::Display for ActionList<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (index, action) in self.0.iter().enumerate() {
            if index > 0 {
                f.write_str(", ")?;
            }
            write!(f, "{action}")?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_endpoint_drops_a_trailing_slash_and_keeps_a_path() {
        let session = Session::builder()
            .server_url("https://x.test/ftrack/")
            .api_key("jane", "key")
            .build()
            .unwrap();

        assert_eq!(session.server_url(), "https://x.test/ftrack");
        assert_eq!(session.inner.endpoint_text, "https://x.test/ftrack/api");
    }

    #[test]
    fn a_url_with_a_password_is_refused() {
        let error = Session::builder()
            .server_url("https://jane:hunter2@x.test")
            .api_key("jane", "key")
            .build()
            .unwrap_err();

        assert!(!error.to_string().contains("hunter2"));
        assert!(matches!(
            error,
            Error::Config {
                setting: "server_url",
                ..
            }
        ));
    }

    #[test]
    fn debug_shows_no_secret() {
        let builder = Session::builder()
            .server_url("https://x.test")
            .api_key("jane", "s3cr3t-key");
        let session = Session::builder()
            .server_url("https://x.test")
            .bearer_token("t0k3n-value")
            .build()
            .unwrap();

        let texts = [format!("{builder:?}"), format!("{session:?}")];

        for text in texts {
            assert!(
                !text.contains("s3cr3t-key") && !text.contains("t0k3n-value"),
                "{text}"
            );
        }
    }

    #[test]
    fn trace_bodies_lose_secret_members() {
        let mut json = serde_json::json!([{"action": "reset_remote", "data": {"api_key": "abc"}}]);

        redact_members(&mut json);

        assert_eq!(json[0]["data"]["api_key"], "[redacted]");
    }
}
