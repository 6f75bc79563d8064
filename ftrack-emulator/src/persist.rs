//! The data file: a JSON snapshot of the whole store, loaded at start and
//! written after every batch that changed something.
//!
//! A snapshot is written to a temporary file beside the data file, flushed
//! to disk, and renamed over the old one, so that a crash at any moment
//! leaves either the old snapshot or the new one, never half of one. The
//! batch is answered only after the rename, so an acknowledged batch is on
//! disk.

use std::fs::{self, File};
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};

use serde_json::{json, Value};

use crate::error::StartError;
use crate::model::Model;
use crate::store::{Key, Store};

/// What the first key of a snapshot says it is.
const FORMAT: &str = "ftrack-emulator snapshot";
const VERSION: u64 = 1;

/// Writes `store` to `path` through a temporary file and a rename.
///
/// # Errors
///
/// The I/O error of writing, flushing or renaming.
pub(crate) fn save(path: &Path, store: &Store) -> io::Result<()> {
    let temporary = temporary_path(path);
    let result = write_snapshot(&temporary, store).and_then(|()| fs::rename(&temporary, path));
    if result.is_err() {
        let _ = fs::remove_file(&temporary);
        return result;
    }
    // Make the rename itself durable where the platform allows it.
    if let Some(directory) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        if let Ok(handle) = File::open(directory) {
            let _ = handle.sync_all();
        }
    }
    Ok(())
}

fn temporary_path(path: &Path) -> PathBuf {
    let mut name = path
        .file_name()
        .map(|n| n.to_os_string())
        .unwrap_or_default();
    name.push(".tmp");
    path.with_file_name(name)
}

fn write_snapshot(path: &Path, store: &Store) -> io::Result<()> {
    let file = File::create(path)?;
    let mut out = BufWriter::new(file);
    write!(
        out,
        "{{\"format\":\"{FORMAT}\",\"version\":{VERSION},\"entities\":["
    )?;
    let mut types: Vec<&str> = store.entity_types().collect();
    types.sort_unstable();
    let mut first = true;
    for entity_type in types {
        for found in store.table(entity_type) {
            if !first {
                out.write_all(b",")?;
            }
            first = false;
            let record = json!({"entity_type": entity_type, "data": found.data});
            serde_json::to_writer(&mut out, &record)?;
            out.write_all(b"\n")?;
        }
    }
    out.write_all(b"]}\n")?;
    let file = out.into_inner().map_err(|e| e.into_error())?;
    file.sync_all()
}

/// Reads the snapshot at `path`, or `None` when there is no file yet.
///
/// # Errors
///
/// [`StartError::ReadData`] when the file cannot be read,
/// [`StartError::BadData`] when it is not a snapshot of this schema.
pub(crate) fn load(path: &Path, model: &Model) -> Result<Option<Store>, StartError> {
    let text = match fs::read_to_string(path) {
        Ok(text) => text,
        Err(error) if error.kind() == io::ErrorKind::NotFound => return Ok(None),
        Err(source) => {
            return Err(StartError::ReadData {
                path: path.to_owned(),
                source,
            })
        }
    };
    let bad = |message: String| StartError::BadData {
        path: path.to_owned(),
        message,
    };
    let snapshot: Value = serde_json::from_str(&text).map_err(|e| bad(e.to_string()))?;
    if snapshot.get("format").and_then(Value::as_str) != Some(FORMAT) {
        return Err(bad(format!("its `format` is not {FORMAT:?}")));
    }
    if snapshot.get("version").and_then(Value::as_u64) != Some(VERSION) {
        return Err(bad(format!("only version {VERSION} is known")));
    }
    let entities = snapshot
        .get("entities")
        .and_then(Value::as_array)
        .ok_or_else(|| bad("it has no `entities` list".to_owned()))?;
    let mut store = Store::default();
    for (index, record) in entities.iter().enumerate() {
        let entity_type = record
            .get("entity_type")
            .and_then(Value::as_str)
            .ok_or_else(|| bad(format!("entity {index} has no `entity_type`")))?;
        let data = record
            .get("data")
            .and_then(Value::as_object)
            .ok_or_else(|| bad(format!("entity {index} has no `data` object")))?;
        if model.entity_type(entity_type).is_none() {
            return Err(bad(format!(
                "entity {index} is a {entity_type}, which the schema does not have"
            )));
        }
        let key = Key::of(data, model.primary_key(entity_type)).ok_or_else(|| {
            bad(format!(
                "entity {index} ({entity_type}) lacks its primary key"
            ))
        })?;
        store.insert(entity_type, key, data.clone());
    }
    Ok(Some(store))
}
