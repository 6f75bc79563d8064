//! A typed client for the ftrack API, generated from an entity schema.
//!
//! This crate is the facade: it re-exports the runtime, holds the typed
//! entity layer generated from `schema/ftrack.yaml`, and the hand-written
//! workflows built on it.
