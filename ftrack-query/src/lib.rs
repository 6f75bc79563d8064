//! The ftrack query language: a syntax tree, a parser that says where text
//! goes wrong, a printer that escapes every value, and (with the `check`
//! feature) a checker against an entity schema.
//!
//! ```
//! use ftrack_query::{parse, Criteria, Operator, Path, Query};
//!
//! let query = parse("select name from Shot where parent.name is sq010 limit 10")?;
//! assert_eq!(query.entity_type.name, "Shot");
//! assert_eq!(query.limit, Some(10));
//!
//! // A value typed by a user cannot change the structure of a query: the
//! // printer quotes and escapes it.
//! let mut query = Query::new("Shot");
//! let typed = r#"x" or name like "%"#;
//! query.and_where(Criteria::compare(Path::single("name"), Operator::Is, typed));
//! assert_eq!(query.to_string(), r#"Shot where name is "x\" or name like \"%""#);
//! assert_eq!(parse(&query.to_string())?, query);
//!
//! let error = parse("select name from Shot where parent.name iz x").unwrap_err();
//! assert_eq!(
//!     error.to_string(),
//!     "column 41: expected an operator after 'parent.name', found 'iz'"
//! );
//! # Ok::<(), ftrack_query::ParseError>(())
//! ```
//!
//! The grammar is the one the official clients and the ftrack documentation
//! use: `select <projections> from <EntityType>` or just `<EntityType>`;
//! `where` criteria with `and`, `or`, `not` and parentheses (`and` binds
//! tighter than `or`); `has (...)` on references and `any (...)` on
//! collections; every operator alias (`is`/`=`, `is_not`/`!=`,
//! `>`/`after`/`greater_than`, `<`/`before`/`less_than`, `>=`, `<=`, `in`,
//! `not_in`, `like`, `not_like`); quoted strings with backslash escapes,
//! numbers, `true`/`false`, `none`/`null` and bare words; `group by`,
//! `order by ... ascending|descending`, `offset` and `limit` in any order;
//! and aggregates such as `count(id)`.
//!
//! Features:
//!
//! - `check` (on by default): [`check()`] and [`resolve`], which validate a
//!   query against an [`ftrack_schema::Schema`]. The runtime client, which
//!   knows no schema, turns it off to spare its users the schema loader.

mod ast;
#[cfg(feature = "check")]
mod check;
mod error;
mod lexer;
mod parse;
mod print;

pub use ast::{
    Aggregate, Criteria, Direction, Ident, InSet, Operator, Ordering, Path, Projection, Query,
    Span, Value,
};
#[cfg(feature = "check")]
pub use check::{check, is_date_or_datetime, resolve, CheckError, CheckErrorKind, Step};
pub use error::{ParseError, ParseErrorKind};
pub use parse::{parse, parse_criteria, parse_with, ParseOptions};
pub use print::quote;
