//! What every generated entity type gives: its name, keys, projections and
//! attribute paths.

use crate::path::Prefix;

/// A Rust type generated for one ftrack entity type (`Shot`, `Task`, ...).
///
/// Implemented by the code generated from the schema (`ftrack::entities`,
/// `ftrack::schema!`); generic code such as [`Query`](crate::Query) uses it
/// to know which entity type it works on.
///
/// ```
/// use ftrack::entities::{Shot, Metadata};
/// use ftrack::EntityType;
///
/// assert_eq!(Shot::NAME, "Shot");
/// assert_eq!(Shot::PRIMARY_KEY, ["id"]);
/// assert_eq!(Metadata::PRIMARY_KEY, ["parent_id", "key"]);
/// assert!(Shot::DEFAULT_PROJECTIONS.contains(&"name"));
/// ```
pub trait EntityType: Sized + 'static {
    /// The entity type's name, as queries and the server spell it.
    const NAME: &'static str;
    /// The attributes that identify an entity, in `entity_key` order.
    const PRIMARY_KEY: &'static [&'static str];
    /// The attributes a query selects when it names none.
    const DEFAULT_PROJECTIONS: &'static [&'static str];
    /// The generated attribute paths of this entity type (`ShotAttributes`),
    /// reached from a query of the entity type `R`.
    type Attributes<R>: Attributes<R>;
}

/// The generated attribute paths of one entity type, reached from a query of
/// the entity type `R` through a path [`Prefix`].
///
/// `Shot::parent()` is a [`ReferencePath`](crate::ReferencePath) that
/// dereferences to `ContextAttributes<Shot>`, whose `name()` gives the path
/// `parent.name`.
pub trait Attributes<R>: Sized {
    /// The attribute paths below `prefix`.
    fn from_prefix(prefix: Prefix<R>) -> Self;

    /// The path that leads to this entity.
    fn prefix(&self) -> &Prefix<R>;
}
