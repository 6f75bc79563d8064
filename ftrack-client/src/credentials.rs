//! Credentials: the server URL and how to authenticate, from arguments, the
//! environment or a JSON file.

use std::fmt;
use std::path::{Path, PathBuf};

use serde::Deserialize;

/// The environment variable naming the server URL.
pub const ENV_SERVER: &str = "FTRACK_SERVER";
/// The environment variable naming the API user.
pub const ENV_API_USER: &str = "FTRACK_API_USER";
/// The environment variable holding the API key.
pub const ENV_API_KEY: &str = "FTRACK_API_KEY";
/// The environment variable holding a bearer token.
pub const ENV_BEARER_TOKEN: &str = "FTRACK_BEARER_TOKEN";
/// The environment variable naming a credentials file, which then replaces
/// the default file.
pub const ENV_CREDENTIALS_FILE: &str = "FTRACK_CREDENTIALS";

/// A secret (API key or bearer token) that never shows in `Debug`,
/// `Display`, errors or logs.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    /// Wraps a secret value.
    pub fn new(value: impl Into<String>) -> Secret {
        Secret(value.into())
    }

    /// The secret itself, for sending it to the server. Do not log it.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("[redacted]")
    }
}

impl fmt::Display for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("[redacted]")
    }
}

impl From<&str> for Secret {
    fn from(value: &str) -> Secret {
        Secret::new(value)
    }
}

impl From<String> for Secret {
    fn from(value: String) -> Secret {
        Secret(value)
    }
}

/// How a session authenticates.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Auth {
    /// The `ftrack-user` and `ftrack-api-key` headers on every call.
    ApiKey {
        /// The user to act as.
        api_user: String,
        /// The API key.
        api_key: Secret,
    },
    /// `Authorization: Bearer <token>` on every call.
    BearerToken(Secret),
}

impl fmt::Display for Auth {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Auth::ApiKey { api_user, .. } => write!(f, "API key of {api_user}"),
            Auth::BearerToken(_) => f.write_str("bearer token"),
        }
    }
}

/// A server URL and a way to authenticate with it.
///
/// `Debug` and `Display` show the server and user, never the key or token.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Credentials {
    /// The server's URL, e.g. `https://studio.ftrackapp.com`.
    pub server_url: String,
    /// How to authenticate.
    pub auth: Auth,
}

impl fmt::Display for Credentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} with the {}", self.server_url, self.auth)
    }
}

/// Why no credentials could be found or read.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum CredentialsError {
    /// No source gave a full set of credentials.
    #[error("no ftrack credentials found; tried {}", tried.join("; "))]
    NotFound {
        /// Each source tried and what it lacked.
        tried: Vec<String>,
    },
    /// A source gave only part of what is needed.
    #[error("incomplete ftrack credentials from {source_name}: {missing} is missing")]
    Incomplete {
        /// The source, e.g. "the environment".
        source_name: String,
        /// What is missing.
        missing: &'static str,
    },
    /// A credentials file could not be read.
    #[error("cannot read the ftrack credentials file {}", path.display())]
    Read {
        /// The file.
        path: PathBuf,
        /// Why.
        #[source]
        source: std::io::Error,
    },
    /// A credentials file is not the documented JSON shape.
    #[error("the ftrack credentials file {} is not valid: {reason}", path.display())]
    Invalid {
        /// The file.
        path: PathBuf,
        /// What is wrong, without the file's secret values.
        reason: String,
    },
}

/// Values from one source, any of which may be missing.
#[derive(Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
struct Partial {
    server_url: Option<String>,
    api_user: Option<String>,
    api_key: Option<String>,
    bearer_token: Option<String>,
}

impl Partial {
    fn from_env() -> Partial {
        let var = |name| std::env::var(name).ok().filter(|v: &String| !v.is_empty());
        Partial {
            server_url: var(ENV_SERVER),
            api_user: var(ENV_API_USER),
            api_key: var(ENV_API_KEY),
            bearer_token: var(ENV_BEARER_TOKEN),
        }
    }

    fn from_file(path: &Path) -> Result<Partial, CredentialsError> {
        let text = std::fs::read_to_string(path).map_err(|source| CredentialsError::Read {
            path: path.to_owned(),
            source,
        })?;
        serde_json::from_str(&text).map_err(|error| CredentialsError::Invalid {
            path: path.to_owned(),
            reason: file_error_reason(&error),
        })
    }

    fn has_auth(&self) -> bool {
        self.api_key.is_some() || self.bearer_token.is_some()
    }

    fn is_empty(&self) -> bool {
        *self == Partial::default()
    }

    /// What this source lacks, for the "tried" list.
    fn lacks(&self) -> &'static str {
        match (self.server_url.is_some(), self.has_auth()) {
            (false, false) => "no server URL, API key or bearer token",
            (false, true) => "no server URL",
            (true, false) => "no API key or bearer token",
            (true, true) => "nothing",
        }
    }

    /// Makes credentials, or says what is missing.
    fn complete(self, source_name: &str) -> Result<Credentials, CredentialsError> {
        let incomplete = |missing| CredentialsError::Incomplete {
            source_name: source_name.to_owned(),
            missing,
        };
        let server_url = self
            .server_url
            .ok_or_else(|| incomplete("the server URL"))?;
        // A bearer token wins over an API key from the same source: it is
        // the newer way to authenticate and needs no user.
        let auth = match (self.bearer_token, self.api_key, self.api_user) {
            (Some(token), _, _) => Auth::BearerToken(Secret(token)),
            (None, Some(api_key), Some(api_user)) => Auth::ApiKey {
                api_user,
                api_key: Secret(api_key),
            },
            (None, Some(_), None) => return Err(incomplete("the API user")),
            (None, None, _) => return Err(incomplete("an API key or bearer token")),
        };
        Ok(Credentials { server_url, auth })
    }
}

impl Credentials {
    /// Credentials for an API user and key.
    pub fn api_key(
        server_url: impl Into<String>,
        api_user: impl Into<String>,
        api_key: impl Into<Secret>,
    ) -> Credentials {
        Credentials {
            server_url: server_url.into(),
            auth: Auth::ApiKey {
                api_user: api_user.into(),
                api_key: api_key.into(),
            },
        }
    }

    /// Credentials for a bearer token.
    pub fn bearer_token(server_url: impl Into<String>, token: impl Into<Secret>) -> Credentials {
        Credentials {
            server_url: server_url.into(),
            auth: Auth::BearerToken(token.into()),
        }
    }

    /// Reads `FTRACK_SERVER`, `FTRACK_API_USER`, `FTRACK_API_KEY` and
    /// `FTRACK_BEARER_TOKEN`. When both a token and a key are set, the token
    /// is used. Empty variables count as unset.
    ///
    /// # Errors
    ///
    /// [`CredentialsError::NotFound`] when none of them is set,
    /// [`CredentialsError::Incomplete`] when some are missing.
    pub fn from_env() -> Result<Credentials, CredentialsError> {
        let env = Partial::from_env();
        if env.is_empty() {
            return Err(CredentialsError::NotFound {
                tried: vec![format!("the environment ({})", env_names())],
            });
        }
        env.complete("the environment")
    }

    /// Reads a JSON credentials file of this shape (unknown keys are
    /// refused, so a misspelt key is noticed):
    ///
    /// ```json
    /// {
    ///   "server_url": "https://studio.ftrackapp.com",
    ///   "api_user": "jane.doe",
    ///   "api_key": "…"
    /// }
    /// ```
    ///
    /// or, for a bearer token, `{"server_url": "…", "bearer_token": "…"}`.
    /// Keep the file readable by its owner only.
    ///
    /// # Errors
    ///
    /// [`CredentialsError::Read`] when the file cannot be read,
    /// [`CredentialsError::Invalid`] when it is not that shape,
    /// [`CredentialsError::Incomplete`] when a value is missing.
    pub fn from_file(path: impl AsRef<Path>) -> Result<Credentials, CredentialsError> {
        let path = path.as_ref();
        Partial::from_file(path)?.complete(&format!("{}", path.display()))
    }

    /// The default credentials file: `$FTRACK_CREDENTIALS` when set, else
    /// `ftrack/credentials.json` in the user's configuration directory
    /// (`$XDG_CONFIG_HOME`, else `~/.config`; `%APPDATA%` on Windows).
    pub fn default_file() -> Option<PathBuf> {
        if let Some(path) = std::env::var_os(ENV_CREDENTIALS_FILE).filter(|p| !p.is_empty()) {
            return Some(PathBuf::from(path));
        }
        let config = if cfg!(windows) {
            std::env::var_os("APPDATA").map(PathBuf::from)
        } else {
            std::env::var_os("XDG_CONFIG_HOME")
                .filter(|p| !p.is_empty())
                .map(PathBuf::from)
                .or_else(|| std::env::var_os("HOME").map(|home| Path::new(&home).join(".config")))
        }?;
        Some(config.join("ftrack").join("credentials.json"))
    }

    /// Starts a [`CredentialsLoader`]: explicit values, then the
    /// environment, then a file.
    pub fn loader() -> CredentialsLoader {
        CredentialsLoader::default()
    }
}

/// A file error's reason without any value from the file: serde_json's
/// "invalid type" messages quote numbers, which could be a key.
fn file_error_reason(error: &serde_json::Error) -> String {
    let message = error.to_string();
    let names_only = ["unknown field", "missing field", "duplicate field"];
    if names_only.iter().any(|start| message.starts_with(start)) {
        return message;
    }
    let what = match error.classify() {
        serde_json::error::Category::Data => "a value is not a string",
        serde_json::error::Category::Eof => "the JSON ends too early",
        _ => "it is not valid JSON",
    };
    format!("{what} (line {}, column {})", error.line(), error.column())
}

fn env_names() -> String {
    [ENV_SERVER, ENV_API_USER, ENV_API_KEY, ENV_BEARER_TOKEN].join(", ") + " unset"
}

/// Finds credentials in several sources: explicit values first, then the
/// environment, then a credentials file (the one given, else
/// [`Credentials::default_file`]).
///
/// The server URL and API user are taken from the first source that has
/// them; the API key or bearer token from the first source that has either,
/// so a key from the environment is never paired with a token from a file.
///
/// ```
/// use ftrack_client::Credentials;
///
/// let credentials = Credentials::loader()
///     .server_url("https://studio.ftrackapp.com")
///     .api_user("jane.doe")
///     .api_key("secret")
///     .load()?;
/// assert_eq!(credentials.server_url, "https://studio.ftrackapp.com");
/// assert!(!format!("{credentials:?}").contains("secret"));
/// # Ok::<(), ftrack_client::CredentialsError>(())
/// ```
#[derive(Debug, Clone, Default)]
pub struct CredentialsLoader {
    explicit: ExplicitValues,
    file: Option<PathBuf>,
    skip_env: bool,
    skip_default_file: bool,
}

/// Explicit values, with the secrets redacted from `Debug`.
#[derive(Clone, Default)]
struct ExplicitValues(Partial);

impl fmt::Debug for ExplicitValues {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ExplicitValues")
            .field("server_url", &self.0.server_url)
            .field("api_user", &self.0.api_user)
            .field("api_key", &self.0.api_key.as_ref().map(|_| "[redacted]"))
            .field(
                "bearer_token",
                &self.0.bearer_token.as_ref().map(|_| "[redacted]"),
            )
            .finish()
    }
}

impl CredentialsLoader {
    /// An explicit server URL.
    pub fn server_url(mut self, server_url: impl Into<String>) -> Self {
        self.explicit.0.server_url = Some(server_url.into());
        self
    }

    /// An explicit API user.
    pub fn api_user(mut self, api_user: impl Into<String>) -> Self {
        self.explicit.0.api_user = Some(api_user.into());
        self
    }

    /// An explicit API key.
    pub fn api_key(mut self, api_key: impl Into<String>) -> Self {
        self.explicit.0.api_key = Some(api_key.into());
        self
    }

    /// An explicit bearer token.
    pub fn bearer_token(mut self, token: impl Into<String>) -> Self {
        self.explicit.0.bearer_token = Some(token.into());
        self
    }

    /// A credentials file to read instead of the default one. Unlike the
    /// default file, it must exist.
    pub fn file(mut self, path: impl Into<PathBuf>) -> Self {
        self.file = Some(path.into());
        self
    }

    /// Leaves the environment out (for tests and sandboxed tools).
    pub fn without_env(mut self) -> Self {
        self.skip_env = true;
        self
    }

    /// Leaves the default credentials file out.
    pub fn without_default_file(mut self) -> Self {
        self.skip_default_file = true;
        self
    }

    /// Looks through the sources in order.
    ///
    /// # Errors
    ///
    /// [`CredentialsError::NotFound`] listing every source tried and what it
    /// lacked; [`CredentialsError::Read`] or [`CredentialsError::Invalid`]
    /// when a file given with [`CredentialsLoader::file`] cannot be used;
    /// [`CredentialsError::Incomplete`] when the sources together still lack
    /// a value (an API key but no user).
    pub fn load(self) -> Result<Credentials, CredentialsError> {
        let mut sources: Vec<(String, Partial)> = Vec::new();
        let mut tried = Vec::new();

        // Gather the sources in order of precedence.
        sources.push(("explicit values".to_owned(), self.explicit.0));
        if !self.skip_env {
            sources.push(("the environment".to_owned(), Partial::from_env()));
        }
        match self.file {
            Some(path) => {
                let partial = Partial::from_file(&path)?;
                sources.push((format!("file {}", path.display()), partial));
            }
            None if !self.skip_default_file => match Credentials::default_file() {
                Some(path) if path.is_file() => {
                    let partial = Partial::from_file(&path)?;
                    sources.push((format!("file {}", path.display()), partial));
                }
                Some(path) => tried.push(format!("file {} (not found)", path.display())),
                None => tried.push("the default file (no home directory)".to_owned()),
            },
            None => {}
        }

        // Take each value from the first source that has it.
        let mut merged = Partial::default();
        let mut auth_source = None;
        for (name, partial) in &sources {
            merged.server_url = merged.server_url.or_else(|| partial.server_url.clone());
            merged.api_user = merged.api_user.or_else(|| partial.api_user.clone());
            if auth_source.is_none() && partial.has_auth() {
                merged.api_key = partial.api_key.clone();
                merged.bearer_token = partial.bearer_token.clone();
                auth_source = Some(name.clone());
            }
        }
        if merged.server_url.is_none() || auth_source.is_none() {
            let mut listed: Vec<String> = sources
                .iter()
                .map(|(name, partial)| format!("{name} ({})", partial.lacks()))
                .collect();
            listed.append(&mut tried);
            return Err(CredentialsError::NotFound { tried: listed });
        }
        merged.complete(auth_source.as_deref().unwrap_or("the sources"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets_are_redacted_in_debug_and_display() {
        let credentials = Credentials::api_key("https://x.test", "jane", "s3cr3t-key");
        let token = Credentials::bearer_token("https://x.test", "t0k3n");

        for text in [
            format!("{credentials:?}"),
            format!("{credentials}"),
            format!("{token:?}"),
            format!("{token}"),
            format!("{:?}", Credentials::loader().api_key("s3cr3t-key")),
        ] {
            assert!(!text.contains("s3cr3t-key"), "{text}");
            assert!(!text.contains("t0k3n"), "{text}");
        }
        assert!(format!("{credentials}").contains("jane"));
    }

    #[test]
    fn explicit_values_win_field_by_field() {
        let dir = std::env::temp_dir().join(format!("ftrack-cred-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let file = dir.join("c.json");
        std::fs::write(
            &file,
            r#"{"server_url": "https://file.test", "api_user": "filer", "api_key": "k"}"#,
        )
        .unwrap();

        let credentials = Credentials::loader()
            .api_user("explicit")
            .file(&file)
            .without_env()
            .load()
            .unwrap();

        assert_eq!(credentials.server_url, "https://file.test");
        assert_eq!(
            credentials.auth,
            Auth::ApiKey {
                api_user: "explicit".into(),
                api_key: Secret::new("k")
            }
        );
    }

    #[test]
    fn nothing_found_lists_every_source_tried() {
        let error = Credentials::loader()
            .without_env()
            .without_default_file()
            .server_url("https://x.test")
            .load()
            .unwrap_err();

        assert_eq!(
            error.to_string(),
            "no ftrack credentials found; tried explicit values (no API key or bearer token)"
        );
    }

    #[test]
    fn a_file_with_an_unknown_key_is_refused_without_showing_values() {
        let dir = std::env::temp_dir().join(format!("ftrack-cred-bad-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let file = dir.join("c.json");
        std::fs::write(
            &file,
            r#"{"server": "https://x.test", "api_key": "s3cr3t"}"#,
        )
        .unwrap();

        let error = Credentials::from_file(&file).unwrap_err();

        let text = error.to_string();
        assert!(text.contains("unknown field `server`"), "{text}");
        assert!(!text.contains("s3cr3t"), "{text}");
    }
}
