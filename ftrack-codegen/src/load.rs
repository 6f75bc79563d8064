//! Loading the schema a macro checks against, once per compilation.

use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use ftrack_schema::Schema;
use syn::LitStr;

use crate::macros::Shipped;
use crate::parse::SchemaArg;

/// A schema loaded for a macro, and the file to track so that editing it
/// expands the macro again.
pub(crate) struct Loaded {
    pub(crate) schema: Arc<Schema>,
    /// The absolute path of a schema named by the caller, for
    /// `include_bytes!`. `None` for the shipped schema, which ftrack-derive
    /// embeds (editing it rebuilds ftrack-derive and so every user).
    pub(crate) track: Option<String>,
}

/// Schemas already parsed in this compilation, by file and text: a crate
/// with many `query!` reads each schema once.
static CACHE: Mutex<Vec<(String, String, Arc<Schema>)>> = Mutex::new(Vec::new());

fn cached(key: &str, text: &str, file: &str) -> Result<Arc<Schema>, String> {
    let mut cache = CACHE
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner());
    if let Some((_, _, schema)) = cache.iter().find(|(k, t, _)| k == key && t == text) {
        return Ok(Arc::clone(schema));
    }
    let schema = Arc::new(Schema::from_yaml(text, file).map_err(|e| e.to_string())?);
    cache.retain(|(k, _, _)| k != key);
    cache.push((key.to_owned(), text.to_owned(), Arc::clone(&schema)));
    Ok(schema)
}

/// Loads the schema `arg` names.
///
/// # Errors
///
/// A `syn::Error` on the schema literal (or at the call site for the
/// shipped schema) with ftrack-schema's located message.
pub(crate) fn load(
    arg: &SchemaArg,
    shipped: &Shipped,
    call_site: proc_macro2::Span,
) -> syn::Result<Loaded> {
    match arg {
        SchemaArg::Shipped => {
            let schema = cached("<shipped>", shipped.text, shipped.file).map_err(|message| {
                syn::Error::new(
                    call_site,
                    format!("the shipped schema does not load: {message}"),
                )
            })?;
            Ok(Loaded {
                schema,
                track: None,
            })
        }
        SchemaArg::File(file) => load_file(file),
    }
}

/// Loads a schema file named relative to the calling crate's directory.
pub(crate) fn load_file(file: &LitStr) -> syn::Result<Loaded> {
    let written = file.value();
    let Some(dir) = std::env::var_os("CARGO_MANIFEST_DIR") else {
        return Err(syn::Error::new(
            file.span(),
            "CARGO_MANIFEST_DIR is not set, so the schema file cannot be found; build with cargo",
        ));
    };
    let path = PathBuf::from(dir).join(&written);
    let text = std::fs::read_to_string(&path).map_err(|e| {
        syn::Error::new(
            file.span(),
            format!(
                "cannot read the schema `{written}` ({}): {e}; the path is relative to the \
                 crate's directory (CARGO_MANIFEST_DIR)",
                path.display()
            ),
        )
    })?;
    let absolute = path.to_string_lossy().into_owned();
    let schema = cached(&absolute, &text, &written)
        .map_err(|message| syn::Error::new(file.span(), message))?;
    Ok(Loaded {
        schema,
        track: Some(absolute),
    })
}
