//! Reading and writing the YAML form, with the line and column of every key.
//!
//! serde gives the model but forgets where each value stood; a second pass
//! over the YAML parser's events records the position of every key and
//! value by path, so that validation can point at the offending line, and
//! finds duplicate keys, which serde would silently merge.

use std::collections::HashMap;

use yaml_rust2::parser::{Event, MarkedEventReceiver, Parser};
use yaml_rust2::scanner::Marker;

use crate::model::Schema;
use crate::{LoadError, Location, Problem, ProblemKind};

/// The comment written at the top of a schema file.
const HEADER: &str = "\
# The ftrack entity schema: one entry per entity type, with its attributes.
# Made by `ftrack schema import` from a server's `query_schemas` answer, then
# curated by hand; see schema/README.md for the format. A later import with
# `--merge` keeps what was added by hand (`custom`, `extends` with
# `mixin: false`, `foreign_key`, `reverse_key`).
";

impl Schema {
    /// Parses and validates a schema written in YAML. `file` names the
    /// source in messages.
    ///
    /// # Errors
    ///
    /// [`LoadError::Syntax`] when the text is not YAML or does not have the
    /// schema's shape; [`LoadError::Invalid`] with every problem found by
    /// validation, each with its line and column.
    pub fn from_yaml(text: &str, file: &str) -> Result<Schema, LoadError> {
        let positions = Positions::read(text).map_err(|(location, message)| LoadError::Syntax {
            file: file.to_owned(),
            location: Some(location),
            message,
        })?;

        let schema: Schema = serde_yaml::from_str(text).map_err(|e| LoadError::Syntax {
            file: file.to_owned(),
            location: e.location().map(|l| Location {
                line: l.line(),
                column: l.column(),
            }),
            message: without_position(&e.to_string()),
        })?;

        let mut problems = positions.duplicates.clone();
        problems.extend(schema.check_with(&positions));
        if problems.is_empty() {
            Ok(schema)
        } else {
            problems.sort_by_key(|p| p.location.map(|l| (l.line, l.column)));
            Err(LoadError::Invalid {
                file: file.to_owned(),
                problems,
            })
        }
    }

    /// The YAML form, with a header comment explaining the file.
    ///
    /// Short mappings and lists go on one line in flow style
    /// (`name: {type: string, default: ''}`), so that an attribute reads as
    /// one line; longer ones fall back to block style.
    pub fn to_yaml(&self) -> String {
        let value =
            serde_yaml::to_value(self).expect("BUG: the schema model always serialises to YAML");
        let mut out = String::from(HEADER);
        if let serde_yaml::Value::Mapping(top) = &value {
            for (key, value) in top {
                emit(&mut out, 0, &flow(key), value);
            }
        }
        out
    }
}

/// Lines of the YAML form are kept within this many columns.
const WIDTH: usize = 100;

/// Writes `key: value` at `indent`, on one line when it fits.
fn emit(out: &mut String, indent: usize, key: &str, value: &serde_yaml::Value) {
    use serde_yaml::Value;

    let pad = " ".repeat(indent);
    let one_line = flow(value);
    let empty = matches!(value, Value::Mapping(m) if m.is_empty())
        || matches!(value, Value::Sequence(s) if s.is_empty());
    if empty || !is_collection(value) || indent + key.len() + 2 + one_line.len() <= WIDTH {
        out.push_str(&format!("{pad}{key}: {one_line}\n"));
        return;
    }
    out.push_str(&format!("{pad}{key}:\n"));
    match value {
        Value::Mapping(map) => {
            for (k, v) in map {
                emit(out, indent + 2, &flow(k), v);
            }
        }
        Value::Sequence(items) => {
            for item in items {
                out.push_str(&format!("{pad}- {}\n", flow(item)));
            }
        }
        _ => {}
    }
}

fn is_collection(value: &serde_yaml::Value) -> bool {
    matches!(
        value,
        serde_yaml::Value::Mapping(_) | serde_yaml::Value::Sequence(_)
    )
}

/// A value in YAML flow style, on one line.
fn flow(value: &serde_yaml::Value) -> String {
    use serde_yaml::Value;

    match value {
        Value::Null => "null".to_owned(),
        Value::Bool(b) => b.to_string(),
        Value::Number(n) => n.to_string(),
        Value::String(s) => flow_string(s),
        Value::Sequence(items) => {
            let items: Vec<String> = items.iter().map(flow).collect();
            format!("[{}]", items.join(", "))
        }
        Value::Mapping(map) => {
            let pairs: Vec<String> = map
                .iter()
                .map(|(k, v)| format!("{}: {}", flow(k), flow(v)))
                .collect();
            format!("{{{}}}", pairs.join(", "))
        }
        Value::Tagged(tagged) => flow(&tagged.value),
    }
}

/// A string bare when YAML reads it back as the same string inside a flow
/// collection, otherwise double-quoted with JSON escapes (valid YAML).
fn flow_string(s: &str) -> String {
    let safe_chars = s
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | '/' | '-' | ' '));
    let starts_well = s
        .chars()
        .next()
        .is_some_and(|c| c.is_ascii_alphanumeric() || c == '_');
    let spaced_well = !s.ends_with(' ') && !s.contains("  ");
    let reads_back = || {
        matches!(serde_yaml::from_str::<serde_yaml::Value>(s),
            Ok(serde_yaml::Value::String(back)) if back == s)
    };
    if safe_chars && starts_well && spaced_well && reads_back() {
        s.to_owned()
    } else {
        serde_json::to_string(s).expect("BUG: a string always serialises to JSON")
    }
}

/// Where each key and value of a YAML document stands, by path.
#[derive(Debug, Default)]
pub(crate) struct Positions {
    keys: HashMap<Vec<String>, Location>,
    values: HashMap<Vec<String>, Location>,
    duplicates: Vec<Problem>,
}

impl Positions {
    /// Positions of nothing: every lookup answers `None`.
    pub(crate) fn none() -> Positions {
        Positions::default()
    }

    fn read(text: &str) -> Result<Positions, (Location, String)> {
        let mut walker = Walker::default();
        let mut parser = Parser::new_from_str(text);
        parser.load(&mut walker, false).map_err(|e| {
            let m = e.marker();
            (location(m), e.info().to_owned())
        })?;
        Ok(walker.positions)
    }

    /// Where the value at `path` starts, else where its key stands, else the
    /// nearest enclosing path that is known.
    pub(crate) fn of(&self, path: &[&str]) -> Option<Location> {
        let mut path: Vec<String> = path.iter().map(|s| (*s).to_owned()).collect();
        loop {
            if let Some(at) = self.values.get(&path).or_else(|| self.keys.get(&path)) {
                return Some(*at);
            }
            path.pop()?;
        }
    }

    /// Where the key at `path` stands (the name of an entity type or
    /// attribute, rather than its body).
    pub(crate) fn key(&self, path: &[&str]) -> Option<Location> {
        let path: Vec<String> = path.iter().map(|s| (*s).to_owned()).collect();
        self.keys
            .get(&path)
            .copied()
            .or_else(|| self.of_owned(path))
    }

    fn of_owned(&self, path: Vec<String>) -> Option<Location> {
        let borrowed: Vec<&str> = path.iter().map(String::as_str).collect();
        self.of(&borrowed)
    }
}

enum Frame {
    Mapping {
        path: Vec<String>,
        key: Option<String>,
        seen: HashMap<String, Location>,
    },
    Sequence {
        path: Vec<String>,
        index: usize,
    },
}

#[derive(Default)]
struct Walker {
    stack: Vec<Frame>,
    positions: Positions,
}

impl Walker {
    /// The path of the value about to be read, or `None` when the next
    /// scalar is a mapping key.
    fn value_path(&self) -> Option<Vec<String>> {
        match self.stack.last() {
            None => Some(Vec::new()),
            Some(Frame::Mapping { key: None, .. }) => None,
            Some(Frame::Mapping {
                path,
                key: Some(key),
                ..
            }) => {
                let mut path = path.clone();
                path.push(key.clone());
                Some(path)
            }
            Some(Frame::Sequence { path, index }) => {
                let mut path = path.clone();
                path.push(index.to_string());
                Some(path)
            }
        }
    }

    /// Marks the value just read as done in its parent.
    fn value_done(&mut self) {
        match self.stack.last_mut() {
            Some(Frame::Mapping { key, .. }) => *key = None,
            Some(Frame::Sequence { index, .. }) => *index += 1,
            None => {}
        }
    }

    fn key(&mut self, name: String, at: Location) {
        let Some(Frame::Mapping { path, key, seen }) = self.stack.last_mut() else {
            return;
        };
        let mut key_path = path.clone();
        key_path.push(name.clone());
        if let Some(first) = seen.get(&name) {
            let container = path.join(".");
            self.positions.duplicates.push(Problem {
                location: Some(at),
                kind: ProblemKind::DuplicateKey {
                    key: name.clone(),
                    container,
                    first_line: first.line,
                },
            });
        } else {
            seen.insert(name.clone(), at);
        }
        self.positions.keys.entry(key_path).or_insert(at);
        *key = Some(name);
    }

    fn open(&mut self, event: &Event, at: Location) {
        // A collection used as a mapping key has no name: give it one so
        // that the walk stays in step.
        let path = match self.value_path() {
            Some(path) => path,
            None => {
                self.key("?".to_owned(), at);
                self.value_path().unwrap_or_default()
            }
        };
        self.positions.values.entry(path.clone()).or_insert(at);
        let frame = match event {
            Event::MappingStart(..) => Frame::Mapping {
                path,
                key: None,
                seen: HashMap::new(),
            },
            _ => Frame::Sequence { path, index: 0 },
        };
        self.stack.push(frame);
    }
}

impl MarkedEventReceiver for Walker {
    fn on_event(&mut self, event: Event, mark: Marker) {
        let at = location(&mark);
        match event {
            Event::Scalar(ref text, ..) => match self.value_path() {
                None => self.key(text.clone(), at),
                Some(path) => {
                    self.positions.values.entry(path).or_insert(at);
                    self.value_done();
                }
            },
            Event::Alias(_) => match self.value_path() {
                None => self.key("*".to_owned(), at),
                Some(path) => {
                    self.positions.values.entry(path).or_insert(at);
                    self.value_done();
                }
            },
            Event::MappingStart(..) | Event::SequenceStart(..) => self.open(&event, at),
            Event::MappingEnd | Event::SequenceEnd => {
                self.stack.pop();
                self.value_done();
            }
            _ => {}
        }
    }
}

fn location(mark: &Marker) -> Location {
    Location {
        line: mark.line(),
        column: mark.col() + 1,
    }
}

/// serde_yaml ends its messages with ` at line L column C`; the location is
/// reported on its own, so drop it from the text.
fn without_position(message: &str) -> String {
    match message.rfind(" at line ") {
        Some(at) => message[..at].to_owned(),
        None => message.to_owned(),
    }
}
