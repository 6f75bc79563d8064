//! ftrack-query: placeholder crate, filled by its own issue.
