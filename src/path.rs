//! Attribute paths: `Shot::name()`, `Shot::parent().name()`,
//! `Task::status().state().short()`, and the criteria and orderings built on
//! them.
//!
//! Every path type is generic over the entity type `R` that the query starts
//! from, so that criteria on a `Task` cannot filter a query of `Shot`. The
//! comparisons a path offers depend on its attribute's kind: `like` only on
//! strings, `>` only on numbers and date-times, `has` only on references,
//! `any` only on collections.

use std::fmt;
use std::marker::PhantomData;
use std::ops::Deref;

use crate::ast::{Criteria, Direction, Ident, InSet, Operator, Ordering, Path, Projection, Value};
use crate::entity::{Attributes, EntityType};
use crate::query::Select;
use crate::value::{kind, ToValue};

/// The path from the queried entity type `R` to an entity: empty at the
/// root, `parent` after `Shot::parent()`.
///
/// Generated attribute paths hold one and call [`Prefix::attribute`].
pub struct Prefix<R> {
    segments: Vec<Ident>,
    root: PhantomData<fn() -> R>,
}

impl<R> Prefix<R> {
    /// The queried entity type itself.
    pub fn root() -> Prefix<R> {
        Prefix {
            segments: Vec::new(),
            root: PhantomData,
        }
    }

    /// The path to the attribute `name` of the entity at this prefix, as the
    /// path type `P` of its kind.
    pub fn attribute<P: FromPath<R>>(&self, name: &str) -> P {
        P::from_path(self.join(name))
    }

    /// The path to the mapped collection `name`, whose items hold their key
    /// and value in the item attributes `key` and `value`.
    pub fn mapped<T: EntityType>(
        &self,
        name: &str,
        key: &'static str,
        value: &'static str,
    ) -> MappedCollectionPath<R, T> {
        MappedCollectionPath {
            attributes: T::Attributes::from_prefix(Prefix {
                segments: self.join(name).segments,
                root: PhantomData,
            }),
            key,
            value,
        }
    }

    /// The path so far, or `None` at the root.
    pub fn path(&self) -> Option<Path> {
        (!self.segments.is_empty()).then(|| Path {
            segments: self.segments.clone(),
        })
    }

    fn join(&self, name: &str) -> Path {
        let mut segments = self.segments.clone();
        segments.push(Ident::new(name));
        Path { segments }
    }

    fn to_path(&self) -> Path {
        self.path()
            .expect("BUG: relationship paths are made by `Prefix::attribute`, never empty")
    }
}

impl<R> Clone for Prefix<R> {
    fn clone(&self) -> Self {
        Prefix {
            segments: self.segments.clone(),
            root: PhantomData,
        }
    }
}

impl<R> fmt::Debug for Prefix<R> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.path() {
            Some(path) => write!(f, "Prefix({path})"),
            None => f.write_str("Prefix(<root>)"),
        }
    }
}

/// A path type made from the attribute path it stands for.
pub trait FromPath<R> {
    /// The path type for `path`.
    fn from_path(path: Path) -> Self;
}

/// Criteria on the entity type `R`, built from attribute paths and joined
/// with [`and`](Condition::and), [`or`](Condition::or) and
/// [`not`](Condition::not) (or `&`, `|` and `!`).
///
/// ```
/// use ftrack::entities::Shot;
///
/// let condition = Shot::name().like("sh01%").and(Shot::parent().name().eq("sq010"))
///     | !Shot::status().name().eq("Omitted");
/// assert_eq!(
///     condition.to_string(),
///     r#"name like "sh01%" and parent.name is "sq010" or not status.name is "Omitted""#
/// );
/// ```
pub struct Condition<R> {
    criteria: Criteria,
    root: PhantomData<fn() -> R>,
}

impl<R> Condition<R> {
    /// A condition from criteria of the syntax tree. The criteria are not
    /// checked against the schema.
    pub fn from_criteria(criteria: Criteria) -> Condition<R> {
        Condition {
            criteria,
            root: PhantomData,
        }
    }

    /// Both hold: `self and other`.
    pub fn and(self, other: Condition<R>) -> Condition<R> {
        Condition::from_criteria(Criteria::and(self.criteria, other.criteria))
    }

    /// At least one holds: `self or other`.
    pub fn or(self, other: Condition<R>) -> Condition<R> {
        Condition::from_criteria(Criteria::or(self.criteria, other.criteria))
    }

    /// This does not hold: `not self`.
    // `std::ops::Not` is there too; the method reads as the query language.
    #[allow(clippy::should_implement_trait)]
    pub fn not(self) -> Condition<R> {
        Condition::from_criteria(Criteria::not(self.criteria))
    }

    /// The criteria in the syntax tree.
    pub fn criteria(&self) -> &Criteria {
        &self.criteria
    }

    /// The criteria, taken out.
    pub fn into_criteria(self) -> Criteria {
        self.criteria
    }
}

impl<R> Clone for Condition<R> {
    fn clone(&self) -> Self {
        Condition::from_criteria(self.criteria.clone())
    }
}

impl<R> PartialEq for Condition<R> {
    fn eq(&self, other: &Self) -> bool {
        self.criteria == other.criteria
    }
}

impl<R> fmt::Debug for Condition<R> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Condition({})", self.criteria)
    }
}

/// The criteria as the query language writes them.
impl<R> fmt::Display for Condition<R> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.criteria.fmt(f)
    }
}

impl<R> std::ops::BitAnd for Condition<R> {
    type Output = Condition<R>;

    fn bitand(self, other: Condition<R>) -> Condition<R> {
        self.and(other)
    }
}

impl<R> std::ops::BitOr for Condition<R> {
    type Output = Condition<R>;

    fn bitor(self, other: Condition<R>) -> Condition<R> {
        self.or(other)
    }
}

impl<R> std::ops::Not for Condition<R> {
    type Output = Condition<R>;

    fn not(self) -> Condition<R> {
        Condition::not(self)
    }
}

/// One `order by` key on the entity type `R`: `path.asc()` or
/// `path.desc()`. A path alone orders ascending.
pub struct Order<R> {
    ordering: Ordering,
    root: PhantomData<fn() -> R>,
}

impl<R> Order<R> {
    fn new(path: Path, direction: Direction) -> Order<R> {
        Order {
            ordering: Ordering { path, direction },
            root: PhantomData,
        }
    }

    /// The key in the syntax tree.
    pub fn ordering(&self) -> &Ordering {
        &self.ordering
    }

    /// The key, taken out.
    pub fn into_ordering(self) -> Ordering {
        self.ordering
    }
}

impl<R> Clone for Order<R> {
    fn clone(&self) -> Self {
        Order::new(self.ordering.path.clone(), self.ordering.direction)
    }
}

impl<R> fmt::Debug for Order<R> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Order({})", self.ordering)
    }
}

fn compare<R>(path: Path, operator: Operator, value: Value) -> Condition<R> {
    Condition::from_criteria(Criteria::Compare {
        path,
        operator,
        value,
    })
}

fn in_set<R>(path: Path, negated: bool, values: Vec<Value>) -> Condition<R> {
    Condition::from_criteria(Criteria::In {
        path,
        negated,
        set: InSet::Values(values),
    })
}

/// Declares a scalar path type with what every scalar path has: the path,
/// `is_none`, `is_some`, `asc`, `desc`, and use in `select`.
macro_rules! scalar_path {
    ($(#[$doc:meta])* $name:ident<R $(, $n:ident: $bound:path)?>) => {
        $(#[$doc])*
        pub struct $name<R $(, $n = f64)?> {
            path: Path,
            root: PhantomData<fn() -> R>,
            $(number: PhantomData<fn() -> $n>,)?
        }

        impl<R $(, $n: $bound)?> FromPath<R> for $name<R $(, $n)?> {
            fn from_path(path: Path) -> Self {
                $name {
                    path,
                    root: PhantomData,
                    $(number: PhantomData::<fn() -> $n>,)?
                }
            }
        }

        impl<R $(, $n: $bound)?> $name<R $(, $n)?> {
            /// The attribute path in the syntax tree.
            pub fn path(&self) -> &Path {
                &self.path
            }

            /// The attribute holds no value: `path is none`.
            pub fn is_none(self) -> Condition<R> {
                compare(self.path, Operator::Is, Value::Null)
            }

            /// The attribute holds a value: `path is_not none`.
            pub fn is_some(self) -> Condition<R> {
                compare(self.path, Operator::IsNot, Value::Null)
            }

            /// Orders by this attribute, smallest first.
            pub fn asc(self) -> Order<R> {
                Order::new(self.path, Direction::Ascending)
            }

            /// Orders by this attribute, largest first.
            pub fn desc(self) -> Order<R> {
                Order::new(self.path, Direction::Descending)
            }
        }

        impl<R $(, $n: $bound)?> Clone for $name<R $(, $n)?> {
            fn clone(&self) -> Self {
                FromPath::from_path(self.path.clone())
            }
        }

        impl<R $(, $n: $bound)?> fmt::Debug for $name<R $(, $n)?> {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                write!(f, "{}({})", stringify!($name), self.path)
            }
        }

        impl<R $(, $n: $bound)?> From<$name<R $(, $n)?>> for Order<R> {
            fn from(path: $name<R $(, $n)?>) -> Order<R> {
                path.asc()
            }
        }

        impl<R $(, $n: $bound)?> Select<R> for $name<R $(, $n)?> {
            fn add_to(self, projections: &mut Vec<Projection>) {
                projections.push(Projection::Path(self.path));
            }
        }
    };
}

/// Adds `eq`, `ne`, `in_` and `not_in` with values of kind `$kind`.
macro_rules! equality {
    ($name:ident<R $(, $n:ident: $bound:path)?>, $kind:ty) => {
        impl<R $(, $n: $bound)?> $name<R $(, $n)?> {
            /// The attribute equals `value`: `path is value`.
            pub fn eq(self, value: impl ToValue<$kind>) -> Condition<R> {
                compare(self.path, Operator::Is, value.to_value())
            }

            /// The attribute differs from `value`: `path is_not value`.
            pub fn ne(self, value: impl ToValue<$kind>) -> Condition<R> {
                compare(self.path, Operator::IsNot, value.to_value())
            }

            /// The attribute equals one of `values`: `path in (a, b)`.
            pub fn in_<V: ToValue<$kind>>(
                self,
                values: impl IntoIterator<Item = V>,
            ) -> Condition<R> {
                in_set(self.path, false, values.into_iter().map(|v| v.to_value()).collect())
            }

            /// The attribute equals none of `values`: `path not_in (a, b)`.
            pub fn not_in<V: ToValue<$kind>>(
                self,
                values: impl IntoIterator<Item = V>,
            ) -> Condition<R> {
                in_set(self.path, true, values.into_iter().map(|v| v.to_value()).collect())
            }
        }
    };
}

/// Adds `gt`, `ge`, `lt` and `le` with values of kind `$kind`.
macro_rules! ordered {
    ($name:ident<R $(, $n:ident: $bound:path)?>, $kind:ty) => {
        impl<R $(, $n: $bound)?> $name<R $(, $n)?> {
            /// The attribute is greater than `value`: `path > value`.
            pub fn gt(self, value: impl ToValue<$kind>) -> Condition<R> {
                compare(self.path, Operator::Greater, value.to_value())
            }

            /// The attribute is at least `value`: `path >= value`.
            pub fn ge(self, value: impl ToValue<$kind>) -> Condition<R> {
                compare(self.path, Operator::GreaterOrEqual, value.to_value())
            }

            /// The attribute is less than `value`: `path < value`.
            pub fn lt(self, value: impl ToValue<$kind>) -> Condition<R> {
                compare(self.path, Operator::Less, value.to_value())
            }

            /// The attribute is at most `value`: `path <= value`.
            pub fn le(self, value: impl ToValue<$kind>) -> Condition<R> {
                compare(self.path, Operator::LessOrEqual, value.to_value())
            }
        }
    };
}

/// Adds `like` and `not_like`.
macro_rules! pattern {
    ($name:ident) => {
        impl<R> $name<R> {
            /// The attribute matches the SQL pattern `pattern` (`%` any
            /// text, `_` one character): `path like pattern`.
            pub fn like(self, pattern: impl ToValue<kind::String>) -> Condition<R> {
                compare(self.path, Operator::Like, pattern.to_value())
            }

            /// The attribute does not match `pattern`: `path not_like pattern`.
            pub fn not_like(self, pattern: impl ToValue<kind::String>) -> Condition<R> {
                compare(self.path, Operator::NotLike, pattern.to_value())
            }
        }
    };
}

/// Adds `after` and `before`, which read better than `gt` and `lt` on
/// points in time.
macro_rules! time_order {
    ($name:ident, $kind:ty) => {
        impl<R> $name<R> {
            /// The attribute is later than `value`: `path > value`.
            pub fn after(self, value: impl ToValue<$kind>) -> Condition<R> {
                self.gt(value)
            }

            /// The attribute is earlier than `value`: `path < value`.
            pub fn before(self, value: impl ToValue<$kind>) -> Condition<R> {
                self.lt(value)
            }
        }
    };
}

scalar_path! {
    /// The path to a string attribute: `eq`, `ne`, `in_`, `not_in`, `like`,
    /// `not_like`, `is_none`.
    StringPath<R>
}
equality!(StringPath<R>, kind::String);
pattern!(StringPath);

/// The number types of [`NumberPath`]: `i64` for integer attributes, `f64`
/// for number attributes.
pub trait Number: 'static {
    /// The kind of attribute values of this type fit.
    type Kind;
}

impl Number for i64 {
    type Kind = kind::Integer;
}

impl Number for f64 {
    type Kind = kind::Number;
}

scalar_path! {
    /// The path to an integer (`NumberPath<R, i64>`) or number
    /// (`NumberPath<R, f64>`) attribute: `eq`, `ne`, `gt`, `ge`, `lt`, `le`,
    /// `in_`, `not_in`, `is_none`.
    NumberPath<R, N: Number>
}
equality!(NumberPath<R, N: Number>, N::Kind);
ordered!(NumberPath<R, N: Number>, N::Kind);

scalar_path! {
    /// The path to a boolean attribute: `eq`, `ne`, `is_none`.
    BooleanPath<R>
}

impl<R> BooleanPath<R> {
    /// The attribute equals `value`: `path is true`.
    pub fn eq(self, value: impl ToValue<kind::Boolean>) -> Condition<R> {
        compare(self.path, Operator::Is, value.to_value())
    }

    /// The attribute differs from `value`: `path is_not true`.
    pub fn ne(self, value: impl ToValue<kind::Boolean>) -> Condition<R> {
        compare(self.path, Operator::IsNot, value.to_value())
    }
}

scalar_path! {
    /// The path to a date-time attribute: `eq`, `ne`, `gt`, `ge`, `lt`,
    /// `le`, `after`, `before`, `in_`, `not_in`, `is_none`, with
    /// [`DateTime`](crate::DateTime) or [`Date`](crate::Date) values.
    DateTimePath<R>
}
equality!(DateTimePath<R>, kind::DateTime);
ordered!(DateTimePath<R>, kind::DateTime);
time_order!(DateTimePath, kind::DateTime);

scalar_path! {
    /// The path to a date attribute: as [`DateTimePath`].
    DatePath<R>
}
equality!(DatePath<R>, kind::Date);
ordered!(DatePath<R>, kind::Date);
time_order!(DatePath, kind::Date);

scalar_path! {
    /// The path to an attribute that holds opaque JSON: only `is_none` and
    /// `is_some`, since the query language cannot look inside it.
    JsonPath<R>
}

scalar_path! {
    /// The path to an attribute that may hold any value (the `value` of a
    /// custom attribute, an untyped attribute): every comparison, with any
    /// value.
    ValuePath<R>
}
equality!(ValuePath<R>, kind::Any);
ordered!(ValuePath<R>, kind::Any);

impl<R> ValuePath<R> {
    /// The value matches the SQL pattern `pattern`: `path like pattern`.
    pub fn like(self, pattern: impl ToValue<kind::String>) -> Condition<R> {
        compare(self.path, Operator::Like, pattern.to_value())
    }

    /// The value does not match `pattern`: `path not_like pattern`.
    pub fn not_like(self, pattern: impl ToValue<kind::String>) -> Condition<R> {
        compare(self.path, Operator::NotLike, pattern.to_value())
    }
}

/// Declares what relationship paths share: the path, `Deref` to the
/// related entity type's attribute paths, `Clone`, `Debug`, `select`.
macro_rules! relation_path {
    ($name:ident { $($field:ident: $value:expr),* }) => {
        impl<R, T: EntityType> $name<R, T> {
            /// The attribute path in the syntax tree.
            pub fn path(&self) -> Path {
                self.attributes.prefix().to_path()
            }
        }

        impl<R, T: EntityType> FromPath<R> for $name<R, T> {
            fn from_path(path: Path) -> Self {
                $name {
                    attributes: T::Attributes::from_prefix(Prefix {
                        segments: path.segments,
                        root: PhantomData,
                    }),
                    $($field: $value),*
                }
            }
        }

        /// The attributes of the related entity type, so that paths go on
        /// through the relationship: `Shot::parent().name()`.
        impl<R, T: EntityType> Deref for $name<R, T> {
            type Target = T::Attributes<R>;

            fn deref(&self) -> &T::Attributes<R> {
                &self.attributes
            }
        }

        impl<R, T: EntityType> Clone for $name<R, T> {
            fn clone(&self) -> Self {
                $name {
                    attributes: T::Attributes::from_prefix(self.attributes.prefix().clone()),
                    $($field: self.$field),*
                }
            }
        }

        impl<R, T: EntityType> fmt::Debug for $name<R, T> {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                write!(f, "{}<{}>({})", stringify!($name), T::NAME, self.path())
            }
        }

        impl<R, T: EntityType> Select<R> for $name<R, T> {
            fn add_to(self, projections: &mut Vec<Projection>) {
                projections.push(Projection::Path(self.path()));
            }
        }
    };
}

/// The path to a reference to one entity of type `T`: `has(..)`,
/// `is_none`, and the attributes of `T` through `Deref`
/// (`Shot::parent().name()`).
pub struct ReferencePath<R, T: EntityType> {
    attributes: T::Attributes<R>,
}

relation_path!(ReferencePath {});

impl<R, T: EntityType> ReferencePath<R, T> {
    /// The referenced entity matches `condition`: `path has (condition)`.
    ///
    /// ```
    /// use ftrack::entities::{Status, Task};
    ///
    /// let condition = Task::status().has(Status::name().eq("In Progress"));
    /// assert_eq!(condition.to_string(), r#"status has (name is "In Progress")"#);
    /// ```
    pub fn has(self, condition: Condition<T>) -> Condition<R> {
        Condition::from_criteria(Criteria::Has {
            path: self.path(),
            criteria: Box::new(condition.into_criteria()),
        })
    }

    /// The reference is not set: `path is none`.
    pub fn is_none(self) -> Condition<R> {
        compare(self.path(), Operator::Is, Value::Null)
    }

    /// The reference is set: `path is_not none`.
    pub fn is_some(self) -> Condition<R> {
        compare(self.path(), Operator::IsNot, Value::Null)
    }
}

/// The path to a collection of entities of type `T`: `any(..)`,
/// `is_empty`, and the attributes of `T` through `Deref`, which test each
/// item on its own (`Asset::versions().version().gt(1)`).
pub struct CollectionPath<R, T: EntityType> {
    attributes: T::Attributes<R>,
}

relation_path!(CollectionPath {});

impl<R, T: EntityType> CollectionPath<R, T> {
    /// Some item matches every part of `condition`: `path any (condition)`.
    pub fn any(self, condition: Condition<T>) -> Condition<R> {
        Condition::from_criteria(Criteria::Any {
            path: self.path(),
            criteria: Some(Box::new(condition.into_criteria())),
        })
    }

    /// The collection holds at least one item: `path any ()`.
    pub fn is_not_empty(self) -> Condition<R> {
        Condition::from_criteria(Criteria::Any {
            path: self.path(),
            criteria: None,
        })
    }

    /// The collection holds no item: `not path any ()`.
    pub fn is_empty(self) -> Condition<R> {
        self.is_not_empty().not()
    }
}

/// The path to a mapped collection (`metadata`, `custom_attributes`) of
/// key/value items of type `T`: `any(..)`, `contains_key`, `has_entry`, and
/// the attributes of `T` through `Deref`.
///
/// ```
/// use ftrack::entities::Project;
///
/// let condition = Project::metadata().has_entry("fps", "24");
/// assert_eq!(condition.to_string(), r#"metadata any (key is "fps" and value is "24")"#);
/// ```
pub struct MappedCollectionPath<R, T: EntityType> {
    attributes: T::Attributes<R>,
    key: &'static str,
    value: &'static str,
}

relation_path!(MappedCollectionPath {
    key: "key",
    value: "value"
});

impl<R, T: EntityType> MappedCollectionPath<R, T> {
    /// Some item matches every part of `condition`: `path any (condition)`.
    pub fn any(self, condition: Condition<T>) -> Condition<R> {
        Condition::from_criteria(Criteria::Any {
            path: self.path(),
            criteria: Some(Box::new(condition.into_criteria())),
        })
    }

    /// Some item has the key `key`: `path any (key is "key")`.
    pub fn contains_key(self, key: impl ToValue<kind::String>) -> Condition<R> {
        let criteria = Criteria::compare(Path::single(self.key), Operator::Is, key.to_value());
        Condition::from_criteria(Criteria::Any {
            path: self.path(),
            criteria: Some(Box::new(criteria)),
        })
    }

    /// Some item has the key `key` and the value `value`:
    /// `path any (key is "key" and value is "value")`.
    pub fn has_entry(
        self,
        key: impl ToValue<kind::String>,
        value: impl ToValue<kind::Any>,
    ) -> Condition<R> {
        let criteria = Criteria::and(
            Criteria::compare(Path::single(self.key), Operator::Is, key.to_value()),
            Criteria::compare(Path::single(self.value), Operator::Is, value.to_value()),
        );
        Condition::from_criteria(Criteria::Any {
            path: self.path(),
            criteria: Some(Box::new(criteria)),
        })
    }
}
