//! The proc macros, re-exported with their documentation.

/// A query written in the ftrack query language, parsed and checked against
/// the schema while compiling; evaluates to a [`Query`](crate::Query) of the
/// queried entity type.
///
/// ```
/// use ftrack::entities::Shot;
///
/// let seq = "sq010";
/// let query: ftrack::Query<Shot> = ftrack::query!(
///     "select name, parent.name from Shot where parent.name is {seq} order by name"
/// );
/// assert_eq!(
///     query.to_string(),
///     r#"select name, parent.name from Shot where parent.name is "sq010" order by name"#
/// );
/// ```
///
/// An unknown entity type or attribute, or an operator that does not fit
/// the attribute's kind, is a compile error on the query text that names
/// the word, its column and the nearest valid name:
///
/// ```text
/// error: column 36: `Context` has no attribute `nmae`; did you mean `name`?
///  --> src/main.rs:2:28
///   |
/// 2 |     let _ = ftrack::query!("select name from Shot where parent.nmae is sq010");
///   |                            ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^
/// ```
///
/// # Placeholders
///
/// `{name}` takes the variable `name` in scope, borrowed, as the value of a
/// comparison. Its type must fit the attribute ([`ToValue`](crate::ToValue)):
/// `&str` or `String` for a string, an integer for an integer,
/// [`DateTime`](crate::DateTime) for a date-time, an `Option` of any of them
/// for `none`. The printer quotes and escapes it, so a value cannot change
/// the query's structure. A placeholder alone in `in ({names})` stands for a
/// whole list (a slice, an array or a `Vec`).
///
/// ```
/// let ids = vec!["a", "b"];
/// let min = 2;
/// let query = ftrack::query!("AssetVersion where version >= {min} and asset_id in ({ids})");
/// assert_eq!(
///     query.to_string(),
///     r#"AssetVersion where version >= 2 and asset_id in ("a", "b")"#
/// );
/// ```
///
/// # A crate's own schema
///
/// By default `query!` checks against the shipped schema, and the result is
/// a query of a type of [`ftrack::entities`](crate::entities). A crate that
/// generates its own layer with [`schema!`] names the same YAML file
/// (relative to its `CARGO_MANIFEST_DIR`) and the module of the generated
/// types; editing the file expands the macro again on the next build. A
/// wrapper saves repeating both (the schema here is a small one of this
/// repository's tests, where `Shot` has a custom `fps`):
///
/// ```
/// mod studio {
///     ftrack::schema!("ftrack-codegen/tests/fixtures/studio.yaml");
/// }
///
/// macro_rules! studio_query {
///     ($($query:tt)+) => {
///         ftrack::query!(
///             schema = "ftrack-codegen/tests/fixtures/studio.yaml",
///             entities = studio,
///             $($query)+
///         )
///     };
/// }
///
/// let shots: ftrack::Query<studio::Shot> = studio_query!("select fps from Shot where fps > 24");
/// assert_eq!(shots.to_string(), "select fps from Shot where fps > 24");
/// ```
///
/// # Limit: one literal, not a built string
///
/// The query must be a string literal, so that it can be checked while
/// compiling. Build queries at run time from attribute paths
/// (`Shot::query().filter(...)`), which are checked by the type system.
///
/// ```compile_fail
/// let text = "select name from Shot";
/// let query = ftrack::query!(text);
/// ```
///
/// # Limit: placeholders name variables, not expressions
///
/// `{name}` must name a variable: bind an expression to a variable first.
///
/// ```compile_fail
/// let shot = ("sh010", 1);
/// let query = ftrack::query!("Shot where name is {shot.0}");
/// ```
///
/// # Limit: no aggregates or `group by`
///
/// The result is a query of entities, so `count(id)`, `sum(...)` and
/// `group by` are refused; send aggregate queries as text through the
/// [`Session`](crate::Session).
///
/// ```compile_fail
/// let query = ftrack::query!("select count(id) from Task group by status_id");
/// ```
///
/// # Limit: placeholders stand for values only
///
/// A placeholder cannot stand for an attribute, an operator or an entity
/// type: those are what the macro checks.
///
/// ```compile_fail
/// let attribute = "name";
/// let query = ftrack::query!("Shot where {attribute} is sh010");
/// ```
///
/// # Limit: columns count from the start of the query text
///
/// Rust does not let a macro point inside a string literal, so every error
/// underlines the whole literal and says the column, counted in bytes from
/// the first character of the query text (after escapes are read and line
/// continuations joined).
pub use ftrack_derive::query;

/// The typed layer of a crate's own schema file, generated in place: the
/// same model structs, attribute paths and queries as
/// [`ftrack::entities`](crate::entities), for custom attributes and
/// site-specific entity types.
///
/// The path is relative to the crate's `CARGO_MANIFEST_DIR`. Editing the
/// file regenerates the types on the next build. An error in the schema is
/// a compile error with its file, line and column.
///
/// ```
/// mod studio {
///     ftrack::schema!("ftrack-codegen/tests/fixtures/studio.yaml");
/// }
///
/// let query = studio::Shot::query().filter(studio::Shot::fps().gt(24.0));
/// assert_eq!(query.to_string(), "Shot where fps > 24.0");
/// ```
///
/// # Limit: one schema file, named by a literal
///
/// ```compile_fail
/// const FILE: &str = "schema/studio.yaml";
/// ftrack::schema!(FILE);
/// ```
pub use ftrack_derive::schema;

/// Derives [`Projection`](trait@crate::Projection) for a struct whose fields
/// are attribute paths of one entity type, checked against the schema while
/// compiling.
///
/// Each field takes the path named by `#[ftrack(path = "parent.name")]`,
/// or its own name; its type must fit the attribute (`Option<String>` for
/// a string, `Option<i64>` for an integer, a `Vec` for a path through a
/// collection, a generated model for a relationship, [`Json`](crate::Json)
/// for anything). The struct takes `#[ftrack(entity_type = "Shot")]`, and
/// `schema = "..."` with `entities = path` for a crate's own schema, as
/// [`query!`].
///
/// ```
/// use ftrack::Projection;
///
/// #[derive(ftrack::Projection)]
/// #[ftrack(entity_type = "AssetVersion")]
/// struct VersionRow {
///     version: Option<i64>,
///     #[ftrack(path = "asset.name")]
///     asset: Option<String>,
/// }
///
/// assert_eq!(VersionRow::query().to_string(), "select version, asset.name from AssetVersion");
/// ```
///
/// # Limit: the field type must fit the attribute
///
/// ```compile_fail
/// #[derive(ftrack::Projection)]
/// #[ftrack(entity_type = "AssetVersion")]
/// struct VersionRow {
///     version: Option<String>,
/// }
/// ```
///
/// # Limit: structs with named fields only
///
/// ```compile_fail
/// #[derive(ftrack::Projection)]
/// #[ftrack(entity_type = "Shot")]
/// struct Names(Option<String>);
/// ```
pub use ftrack_derive::Projection;
