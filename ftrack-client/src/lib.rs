//! ftrack-client: placeholder crate, filled by its own issue.
