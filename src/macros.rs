//! The proc macros, re-exported with their documentation.

pub use ftrack_derive::{query, schema, Projection};
