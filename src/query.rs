//! Typed queries: [`Query<T>`] of one entity type, built from attribute
//! paths or by `query!`, printed as the canonical ftrack expression.

use std::fmt;
use std::marker::PhantomData;

use crate::ast::{self, Projection};
use crate::entity::EntityType;
use crate::path::{Condition, Order};

/// A query of the entity type `T`: `select ... from T where ...`.
///
/// Build one with `T::query()` (or `Query::new()`) and the methods named
/// after the clauses of the query language, or with `query!`, which checks a
/// written query against the schema while compiling. `Display` gives the
/// canonical expression, with every value quoted and escaped.
///
/// ```
/// use ftrack::entities::Shot;
///
/// let query = Shot::query()
///     .select((Shot::name(), Shot::parent().name()))
///     .filter(Shot::parent().name().eq("sq010"))
///     .order_by(Shot::name().desc())
///     .limit(10);
/// assert_eq!(
///     query.to_string(),
///     concat!(
///         r#"select name, parent.name from Shot where parent.name is "sq010" "#,
///         "order by name descending limit 10"
///     )
/// );
/// ```
pub struct Query<T> {
    ast: ast::Query,
    entity_type: PhantomData<fn() -> T>,
}

impl<T: EntityType> Query<T> {
    /// A query of every entity of `T`, answered with its default
    /// projections.
    pub fn new() -> Query<T> {
        Query::from_ast_unchecked(ast::Query::new(T::NAME))
    }

    /// Adds projections: one path, or a tuple of paths of any kinds.
    pub fn select(mut self, projections: impl Select<T>) -> Query<T> {
        projections.add_to(&mut self.ast.projections);
        self
    }

    /// Adds criteria, joined with `and` to those already there.
    pub fn filter(mut self, condition: Condition<T>) -> Query<T> {
        self.ast.and_where(condition.into_criteria());
        self
    }

    /// Adds an `order by` key after those already there: `path.asc()`,
    /// `path.desc()`, or a path alone for ascending.
    pub fn order_by(mut self, order: impl Into<Order<T>>) -> Query<T> {
        self.ast.order_by.push(order.into().into_ordering());
        self
    }

    /// Skips the first `offset` entities.
    pub fn offset(mut self, offset: u64) -> Query<T> {
        self.ast.offset = Some(offset);
        self
    }

    /// Returns at most `limit` entities.
    pub fn limit(mut self, limit: u64) -> Query<T> {
        self.ast.limit = Some(limit);
        self
    }
}

impl<T> Query<T> {
    /// A typed query from a syntax tree of the entity type `T`, which the
    /// caller vouches for: `query!` uses it after checking the query
    /// against the schema.
    pub fn from_ast_unchecked(ast: ast::Query) -> Query<T> {
        Query {
            ast,
            entity_type: PhantomData,
        }
    }

    /// The syntax tree.
    pub fn ast(&self) -> &ast::Query {
        &self.ast
    }

    /// The syntax tree, taken out.
    pub fn into_ast(self) -> ast::Query {
        self.ast
    }
}

impl<T: EntityType> Default for Query<T> {
    fn default() -> Self {
        Query::new()
    }
}

impl<T> Clone for Query<T> {
    fn clone(&self) -> Self {
        Query::from_ast_unchecked(self.ast.clone())
    }
}

impl<T> PartialEq for Query<T> {
    fn eq(&self, other: &Self) -> bool {
        self.ast == other.ast
    }
}

impl<T> fmt::Debug for Query<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Query({})", self.ast)
    }
}

/// The canonical ftrack expression, as the ftrack-query printer writes it.
impl<T> fmt::Display for Query<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.ast.fmt(f)
    }
}

impl<T> From<Query<T>> for ast::Query {
    fn from(query: Query<T>) -> ast::Query {
        query.ast
    }
}

/// What [`Query::select`] takes: an attribute path of the entity type `R`,
/// or a tuple of them.
pub trait Select<R> {
    /// Appends the projections.
    fn add_to(self, projections: &mut Vec<Projection>);
}

/// Implements `Select` for tuples of selectable paths.
macro_rules! select_tuple {
    ($($name:ident)+) => {
        impl<R, $($name: Select<R>),+> Select<R> for ($($name,)+) {
            #[allow(non_snake_case)] // the tuple's items, named after their types
            fn add_to(self, projections: &mut Vec<Projection>) {
                let ($($name,)+) = self;
                $($name.add_to(projections);)+
            }
        }
    };
}

select_tuple!(A);
select_tuple!(A B);
select_tuple!(A B C);
select_tuple!(A B C D);
select_tuple!(A B C D E);
select_tuple!(A B C D E F);
select_tuple!(A B C D E F G);
select_tuple!(A B C D E F G H);
select_tuple!(A B C D E F G H I);
select_tuple!(A B C D E F G H I J);
select_tuple!(A B C D E F G H I J K);
select_tuple!(A B C D E F G H I J K L);

impl<R, P: Select<R>> Select<R> for Vec<P> {
    fn add_to(self, projections: &mut Vec<Projection>) {
        for item in self {
            item.add_to(projections);
        }
    }
}

impl<R, P: Select<R>, const N: usize> Select<R> for [P; N] {
    fn add_to(self, projections: &mut Vec<Projection>) {
        for item in self {
            item.add_to(projections);
        }
    }
}
