//! ftrack-schema: placeholder crate, filled by its own issue.
