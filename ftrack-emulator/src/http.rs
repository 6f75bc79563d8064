//! The HTTP side: `POST /api` over hyper, authentication, strict mode,
//! size limits, fault injection and the record of received operations.

use std::collections::VecDeque;
use std::fmt;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use bytes::Bytes;
use http_body_util::{BodyExt, Full, LengthLimitError, Limited};
use hyper::body::Incoming;
use hyper::header::{HeaderMap, HeaderValue, CONTENT_LENGTH, CONTENT_TYPE};
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper::{Method, Request, Response, StatusCode};
use hyper_util::rt::{TokioIo, TokioTimer};
use rand::rngs::StdRng;
use rand::Rng;
use serde_json::Value;
use tokio::net::TcpListener;
use tokio::sync::watch;

use crate::engine::{BatchOptions, Engine, MAX_OPERATIONS};
use crate::error::ServerError;
use crate::options::Faults;
use crate::RecordedOperation;

/// How long a client may take to send its headers or its body.
const READ_TIMEOUT: Duration = Duration::from_secs(60);

/// What every connection shares.
pub(crate) struct Shared {
    pub(crate) engine: Arc<Engine>,
    pub(crate) api_user: String,
    pub(crate) api_key: String,
    pub(crate) bearer_token: Option<String>,
    pub(crate) max_body_bytes: usize,
    pub(crate) faults: Mutex<Faults>,
    /// The generator that draws faults, seeded so that a run repeats.
    pub(crate) random: Mutex<StdRng>,
    pub(crate) records: Mutex<VecDeque<RecordedOperation>>,
    pub(crate) record_limit: usize,
    pub(crate) requests: AtomicU64,
}

impl Shared {
    /// Draws true with probability `share`.
    fn draw(&self, share: f64) -> bool {
        if share <= 0.0 {
            return false;
        }
        let mut random = self.random.lock().unwrap_or_else(|e| e.into_inner());
        random.random::<f64>() < share
    }

    fn faults(&self) -> Faults {
        self.faults
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
    }

    fn record(&self, request: u64, operations: &[Value]) {
        if self.record_limit == 0 {
            return;
        }
        let mut records = self.records.lock().unwrap_or_else(|e| e.into_inner());
        for (index, operation) in operations.iter().enumerate() {
            if records.len() == self.record_limit {
                records.pop_front();
            }
            records.push_back(RecordedOperation {
                request,
                index,
                action: operation
                    .get("action")
                    .and_then(Value::as_str)
                    .unwrap_or_default()
                    .to_owned(),
                entity_type: operation
                    .get("entity_type")
                    .and_then(Value::as_str)
                    .map(str::to_owned),
                operation: operation.clone(),
            });
        }
    }
}

/// Asks hyper to close the connection without an answer: the fault
/// "drop the connection after applying a batch".
#[derive(Debug)]
struct DropConnection;

impl fmt::Display for DropConnection {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("connection dropped on purpose (fault injection)")
    }
}

impl std::error::Error for DropConnection {}

/// Accepts connections until `shutdown` turns true.
pub(crate) async fn serve(
    listener: TcpListener,
    shared: Arc<Shared>,
    mut shutdown: watch::Receiver<bool>,
) {
    loop {
        tokio::select! {
            accepted = listener.accept() => {
                let stream = match accepted {
                    Ok((stream, _)) => stream,
                    // Out of file descriptors and the like: wait, go on.
                    Err(_) => {
                        tokio::time::sleep(Duration::from_millis(10)).await;
                        continue;
                    }
                };
                let _ = stream.set_nodelay(true);
                let shared = shared.clone();
                let mut stop = shutdown.clone();
                tokio::spawn(async move {
                    let service = service_fn(move |request| {
                        let shared = shared.clone();
                        async move { handle(shared, request).await }
                    });
                    let connection = http1::Builder::new()
                        .timer(TokioTimer::new())
                        .header_read_timeout(READ_TIMEOUT)
                        .serve_connection(TokioIo::new(stream), service);
                    tokio::pin!(connection);
                    tokio::select! {
                        _ = connection.as_mut() => {}
                        _ = stop.changed() => {
                            connection.as_mut().graceful_shutdown();
                            let _ = connection.await;
                        }
                    }
                });
            }
            _ = shutdown.changed() => break,
        }
    }
}

async fn handle(
    shared: Arc<Shared>,
    request: Request<Incoming>,
) -> Result<Response<Full<Bytes>>, DropConnection> {
    let faults = shared.faults();
    if !faults.latency.is_zero() {
        tokio::time::sleep(faults.latency).await;
    }
    let strict = header(request.headers(), "ftrack-strict-api")
        .is_some_and(|v| v.trim().eq_ignore_ascii_case("true"));

    let path = request.uri().path();
    if path != "/api" && path != "/api/" {
        let error = ServerError::new("NotFoundError", format!("no such endpoint: {path}"));
        return Ok(error_response(&error, strict, Some(StatusCode::NOT_FOUND)));
    }
    if request.method() != Method::POST {
        let error = ServerError::new(
            "MalformedRequestError",
            format!("{} is not supported: send POST {path}", request.method()),
        );
        return Ok(error_response(
            &error,
            strict,
            Some(StatusCode::METHOD_NOT_ALLOWED),
        ));
    }
    if shared.draw(faults.unavailable) {
        return Ok(plain(
            StatusCode::SERVICE_UNAVAILABLE,
            "503 Service Unavailable\n",
        ));
    }
    if let Err(error) = authenticate(&shared, request.headers()) {
        return Ok(error_response(&error, strict, None));
    }
    let options = BatchOptions {
        denormalize: header(request.headers(), "ftrack-api-options")
            .is_some_and(|v| api_option(&v, "denormalize")),
    };

    let operations = match read_operations(&shared, request).await {
        Ok(operations) => operations,
        Err(error) => return Ok(error_response(&error, strict, None)),
    };
    let number = shared.requests.fetch_add(1, Ordering::Relaxed);
    shared.record(number, &operations);

    let engine = shared.engine.clone();
    let outcome = tokio::task::spawn_blocking(move || engine.run(&operations, options)).await;
    let outcome = outcome.unwrap_or_else(|_| {
        Err(ServerError::new(
            "ServerError",
            "the emulator failed while running the batch; nothing was kept",
        ))
    });
    if outcome.is_ok() && shared.draw(faults.drop_after_apply) {
        return Err(DropConnection);
    }
    Ok(match outcome {
        Ok(results) => json_response(StatusCode::OK, &Value::Array(results)),
        Err(error) => error_response(&error, strict, None),
    })
}

/// Checks the credentials of a request. The wording of the real server's
/// answer is not recorded; it says that the key belongs in `ftrack-api-key`
/// (PROTOCOL.md 7). No message repeats a key or token.
fn authenticate(shared: &Shared, headers: &HeaderMap) -> Result<(), ServerError> {
    if let Some(expected) = &shared.bearer_token {
        if let Some(authorization) = header(headers, "authorization") {
            let token = authorization
                .strip_prefix("Bearer ")
                .or_else(|| authorization.strip_prefix("bearer "));
            return match token {
                Some(token) if token.trim() == expected => Ok(()),
                _ => Err(ServerError::new(
                    "InvalidCredentialsError",
                    "The bearer token in the Authorization header is not valid.",
                )),
            };
        }
    }
    let user = header(headers, "ftrack-user");
    let key = header(headers, "ftrack-api-key");
    match (user, key) {
        (Some(user), Some(key)) if user == shared.api_user && key == shared.api_key => Ok(()),
        (None, _) | (_, None) => Err(ServerError::new(
            "InvalidCredentialsError",
            "The request carries no credentials: send the API user in the ftrack-user header \
             and the API key in the ftrack-api-key header.",
        )),
        (Some(user), Some(_)) => Err(ServerError::new(
            "InvalidCredentialsError",
            format!(
                "The API key sent in the ftrack-api-key header is not valid for user {user:?}."
            ),
        )),
    }
}

/// Reads the body as a JSON list of operation objects.
async fn read_operations(
    shared: &Shared,
    request: Request<Incoming>,
) -> Result<Vec<Value>, ServerError> {
    let limit = shared.max_body_bytes;
    let too_large = || {
        ServerError::new(
            "PayloadTooLargeError",
            format!("the request body is larger than the limit of {limit} bytes"),
        )
    };
    let declared = header(request.headers(), CONTENT_LENGTH.as_str())
        .and_then(|v| v.trim().parse::<u64>().ok());
    if declared.is_some_and(|length| length > limit as u64) {
        return Err(too_large());
    }
    let body = Limited::new(request.into_body(), limit);
    let collected = match tokio::time::timeout(READ_TIMEOUT, body.collect()).await {
        Ok(Ok(collected)) => collected.to_bytes(),
        Ok(Err(error)) if error.downcast_ref::<LengthLimitError>().is_some() => {
            return Err(too_large())
        }
        Ok(Err(_)) => {
            return Err(ServerError::new(
                "MalformedRequestError",
                "the request body could not be read",
            ))
        }
        Err(_) => {
            return Err(ServerError::new(
                "MalformedRequestError",
                "the request body did not arrive in time",
            ))
        }
    };
    let malformed = |message: String| ServerError::new("MalformedRequestError", message);
    let parsed: Value = serde_json::from_slice(&collected)
        .map_err(|e| malformed(format!("the request body is not JSON: {e}")))?;
    let Value::Array(operations) = parsed else {
        return Err(malformed(
            "the request body must be a JSON list of operations, such as \
             [{\"action\": \"query_server_information\"}]"
                .to_owned(),
        ));
    };
    if operations.len() > MAX_OPERATIONS {
        return Err(malformed(format!(
            "a request may hold at most {MAX_OPERATIONS} operations, this one holds {}",
            operations.len()
        )));
    }
    if let Some(index) = operations.iter().position(|op| !op.is_object()) {
        return Err(malformed(format!(
            "operation {index} is not an object with an `action`"
        )));
    }
    Ok(operations)
}

/// Whether `name` is on in an `ftrack-api-options` header such as
/// `strict:1;denormalize:1` or `denormalize=true` (both separators are
/// accepted, PROTOCOL.md 2).
fn api_option(header: &str, name: &str) -> bool {
    header.split(';').any(|pair| {
        let (key, value) = pair.split_once([':', '=']).unwrap_or((pair, "1"));
        key.trim().eq_ignore_ascii_case(name)
            && matches!(value.trim().to_ascii_lowercase().as_str(), "1" | "true")
    })
}

fn header(headers: &HeaderMap, name: &str) -> Option<String> {
    let value = headers.get(name)?.to_str().ok()?.to_owned();
    // The JS client sends the text `undefined` for a header it has no
    // value for (PROTOCOL.md 2).
    if value.is_empty() || value == "undefined" {
        None
    } else {
        Some(value)
    }
}

fn error_response(
    error: &ServerError,
    strict: bool,
    status: Option<StatusCode>,
) -> Response<Full<Bytes>> {
    let status = match (strict, status) {
        (_, Some(status)) => status,
        (true, None) => {
            StatusCode::from_u16(error.strict_status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR)
        }
        (false, None) => StatusCode::OK,
    };
    json_response(status, &error.to_json())
}

fn json_response(status: StatusCode, body: &Value) -> Response<Full<Bytes>> {
    let text = serde_json::to_vec(body).unwrap_or_else(|_| b"[]".to_vec());
    let mut response = Response::new(Full::new(Bytes::from(text)));
    *response.status_mut() = status;
    response
        .headers_mut()
        .insert(CONTENT_TYPE, HeaderValue::from_static("application/json"));
    response
}

fn plain(status: StatusCode, text: &'static str) -> Response<Full<Bytes>> {
    let mut response = Response::new(Full::new(Bytes::from_static(text.as_bytes())));
    *response.status_mut() = status;
    response
        .headers_mut()
        .insert(CONTENT_TYPE, HeaderValue::from_static("text/plain"));
    response
}

#[cfg(test)]
mod tests {
    use super::api_option;

    #[test]
    fn reads_api_options_with_either_separator() {
        assert!(api_option("strict:1;denormalize:1", "denormalize"));
        assert!(api_option("denormalize=true; strict=1", "denormalize"));
        assert!(api_option("Denormalize=True", "denormalize"));
        assert!(!api_option("strict:1;denormalize:0", "denormalize"));
        assert!(!api_option("strict:1", "denormalize"));
    }
}
