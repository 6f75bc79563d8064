//! The ftrack entity schema: entity types, their attributes and relations.
//!
//! The schema is written in YAML (`schema/ftrack.yaml` in this repository)
//! and made from a server's `query_schemas` answer, which it can give back
//! key for key. Loading validates every name it uses and reports each
//! problem with its line, column and the nearest known name.
//!
//! ```
//! use ftrack_schema::{AttributeKind, Schema};
//!
//! let yaml = r#"
//! entity_types:
//!   Context:
//!     primary_key: [id]
//!     attributes:
//!       id: {type: string, default: "{uid}"}
//!       name: {type: string}
//!       parent_id: {type: string, format: foreign_key}
//!       parent: {type: reference, entity_type: Context, foreign_key: parent_id}
//!   Shot:
//!     extends: Context
//!     attributes:
//!       fps: {type: number, custom: true}
//! "#;
//! let schema = Schema::from_yaml(yaml, "studio.yaml")?;
//!
//! let parent = schema.attribute("Shot", "parent").expect("inherited from Context");
//! assert_eq!(parent.kind, AttributeKind::Reference);
//! assert!(schema.is_kind_of("Shot", "Context"));
//!
//! let misspelled = yaml.replace("entity_type: Context", "entity_type: Contxt");
//! let error = Schema::from_yaml(&misspelled, "studio.yaml").unwrap_err();
//! assert!(error.to_string().contains("studio.yaml:9:"));
//! assert!(error.to_string().contains("did you mean `Context`?"));
//! # Ok::<(), ftrack_schema::LoadError>(())
//! ```
//!
//! - [`Schema::from_yaml`] / [`Schema::to_yaml`]: the YAML form.
//! - [`Schema::from_query_schemas`] / [`Schema::to_query_schemas`]: the
//!   server's JSON form.
//! - [`Schema::merge_curated`]: a new import that keeps hand-written facts.
//! - [`Schema::diff`]: what changed between two schemas.

mod check;
mod diff;
mod model;
mod query_schemas;
pub mod suggest;
mod yaml;

use std::fmt;
use std::path::Path;

pub use diff::{AttributeChange, EntityTypeDiff, MergeReport, SchemaDiff};
pub use model::{Attribute, AttributeKind, EntityType, KeyValueAttributes, Schema};

/// A line and column in a file, both counted from 1.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Location {
    /// The line, from 1.
    pub line: usize,
    /// The column, from 1.
    pub column: usize,
}

/// One thing wrong with a schema, and where it stands.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// Where in the file, when the schema was read from one.
    pub location: Option<Location>,
    /// What is wrong.
    pub kind: ProblemKind,
}

/// What is wrong with a schema.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ProblemKind {
    /// A key appears twice in one mapping (an entity type or attribute
    /// defined twice).
    #[error("`{key}` is defined twice in `{container}` (first on line {first_line})")]
    DuplicateKey {
        /// The repeated key.
        key: String,
        /// The path of the mapping holding it.
        container: String,
        /// The line of the first definition.
        first_line: usize,
    },
    /// A reference or collection names an entity type the schema lacks.
    #[error(
        "`{entity_type}.{attribute}` refers to unknown entity type `{target}`{}",
        did_you_mean(suggestion)
    )]
    UnknownEntityType {
        /// The entity type holding the attribute.
        entity_type: String,
        /// The attribute.
        attribute: String,
        /// The unknown name.
        target: String,
        /// The nearest known entity type.
        suggestion: Option<String>,
    },
    /// A reference or collection without `entity_type`.
    #[error("`{entity_type}.{attribute}` is a {kind} but names no `entity_type`")]
    MissingEntityType {
        /// The entity type holding the attribute.
        entity_type: String,
        /// The attribute.
        attribute: String,
        /// Its kind.
        kind: AttributeKind,
    },
    /// `extends` names an entity type the schema lacks.
    #[error(
        "`{entity_type}` extends unknown entity type `{parent}`{}",
        did_you_mean(suggestion)
    )]
    UnknownExtends {
        /// The entity type.
        entity_type: String,
        /// The unknown name.
        parent: String,
        /// The nearest known entity type.
        suggestion: Option<String>,
    },
    /// Entity types extend each other in a circle.
    #[error("entity types extend each other in a cycle: {}", cycle.join(" -> "))]
    ExtendsCycle {
        /// The names around the cycle, the first repeated at the end.
        cycle: Vec<String>,
    },
    /// A primary key names an attribute the entity type lacks.
    #[error(
        "primary key `{attribute}` is not an attribute of `{entity_type}`{}",
        did_you_mean(suggestion)
    )]
    UnknownPrimaryKey {
        /// The entity type.
        entity_type: String,
        /// The unknown name.
        attribute: String,
        /// The nearest attribute.
        suggestion: Option<String>,
    },
    /// `foreign_key` or `reverse_key` names an attribute that does not exist.
    #[error(
        "`{entity_type}.{attribute}` has {field} `{key}`, which is not an attribute of \
        `{owner}`{}",
        did_you_mean(suggestion)
    )]
    UnknownRelationKey {
        /// The entity type holding the relation.
        entity_type: String,
        /// The relation.
        attribute: String,
        /// `foreign_key` or `reverse_key`.
        field: &'static str,
        /// The unknown name.
        key: String,
        /// The entity type that should have it.
        owner: String,
        /// The nearest attribute of `owner`.
        suggestion: Option<String>,
    },
}

fn did_you_mean(suggestion: &Option<String>) -> String {
    match suggestion {
        Some(name) => format!("; did you mean `{name}`?"),
        None => String::new(),
    }
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.location {
            Some(at) => write!(f, "{}:{}: {}", at.line, at.column, self.kind),
            None => write!(f, "{}", self.kind),
        }
    }
}

/// Why a schema could not be loaded.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum LoadError {
    /// The file could not be read.
    #[error("cannot read {path}: {source}")]
    Io {
        /// The file.
        path: String,
        /// What the system said.
        #[source]
        source: std::io::Error,
    },
    /// The text is not YAML, or not shaped like a schema.
    #[error("{file}{}: {message}", at(location))]
    Syntax {
        /// The file.
        file: String,
        /// Where, when known.
        location: Option<Location>,
        /// What is wrong.
        message: String,
    },
    /// The schema names things that do not exist.
    #[error("{}", invalid(file, problems))]
    Invalid {
        /// The file.
        file: String,
        /// Every problem found, in file order.
        problems: Vec<Problem>,
    },
}

fn at(location: &Option<Location>) -> String {
    match location {
        Some(l) => format!(":{}:{}", l.line, l.column),
        None => String::new(),
    }
}

fn invalid(file: &str, problems: &[Problem]) -> String {
    problems
        .iter()
        .map(|p| format!("{file}{}: {}", at(&p.location), p.kind))
        .collect::<Vec<_>>()
        .join("\n")
}

/// Why a `query_schemas` answer could not be imported.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ImportError {
    /// The JSON is not a list of entity types.
    #[error("not a query_schemas answer: expected a list of entity types, found {found}")]
    NotQuerySchemas {
        /// What was found instead.
        found: &'static str,
    },
    /// An entity type or property has a shape the model cannot keep.
    #[error("{at}: {message}")]
    Shape {
        /// Which entity type, key or attribute.
        at: String,
        /// What is wrong.
        message: String,
    },
    /// Two entity types share one `id`.
    #[error("entity type {index} repeats the id `{name}`")]
    DuplicateEntityType {
        /// Its position in the list.
        index: usize,
        /// The repeated name.
        name: String,
    },
}

impl Schema {
    /// Reads and validates a YAML schema file.
    ///
    /// # Errors
    ///
    /// [`LoadError::Io`] when the file cannot be read, otherwise as
    /// [`Schema::from_yaml`].
    pub fn from_yaml_file(path: impl AsRef<Path>) -> Result<Schema, LoadError> {
        let path = path.as_ref();
        let text = std::fs::read_to_string(path).map_err(|source| LoadError::Io {
            path: path.display().to_string(),
            source,
        })?;
        Schema::from_yaml(&text, &path.display().to_string())
    }
}
