//! ftrack-emulator: placeholder crate, filled by its own issue.
