//! ftrack-derive: placeholder crate, filled by its own issue.
