//! ftrack-codegen: placeholder crate, filled by its own issue.
