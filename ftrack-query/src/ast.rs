//! The syntax tree of an ftrack query.
//!
//! Every name carries the [`Span`] it was read from, so that a checker can
//! point at it. Spans are ignored when trees are compared: two parses of the
//! same query in different layouts are equal, and a tree built in code (with
//! empty spans) equals the parse of its printed form.

use std::fmt;

/// A byte range in the query text, `start..end`, counted from 0.
#[derive(Debug, Clone, Copy, Default, Eq)]
pub struct Span {
    /// The first byte.
    pub start: usize,
    /// One past the last byte.
    pub end: usize,
}

impl Span {
    /// The range `start..end`.
    pub fn new(start: usize, end: usize) -> Span {
        Span { start, end }
    }

    /// The column of the first byte, counted from 1, as messages show it.
    pub fn column(&self) -> usize {
        self.start + 1
    }

    /// The smallest span holding both.
    pub fn to(self, other: Span) -> Span {
        Span::new(self.start.min(other.start), self.end.max(other.end))
    }
}

/// Spans say where a tree came from, not what it means: all compare equal.
impl PartialEq for Span {
    fn eq(&self, _: &Span) -> bool {
        true
    }
}

/// Consistent with equality: spans add nothing to a hash.
impl std::hash::Hash for Span {
    fn hash<H: std::hash::Hasher>(&self, _: &mut H) {}
}

/// A name in a query (an entity type or one segment of an attribute path)
/// and where it stands.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Ident {
    /// The name as written.
    pub name: String,
    /// Where it was read from; empty for names built in code.
    pub span: Span,
}

impl Ident {
    /// A name built in code, with an empty span.
    pub fn new(name: impl Into<String>) -> Ident {
        Ident {
            name: name.into(),
            span: Span::default(),
        }
    }
}

impl fmt::Display for Ident {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.name)
    }
}

/// A dotted attribute path through relationships: `parent.name`,
/// `asset.versions.version`. Never empty.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Path {
    /// The attribute names, outermost first.
    pub segments: Vec<Ident>,
}

impl Path {
    /// A path from dotted text built in code, such as `"parent.name"`. The
    /// text is split on `.` and not otherwise checked.
    pub fn parse_dotted(dotted: &str) -> Path {
        Path {
            segments: dotted.split('.').map(Ident::new).collect(),
        }
    }

    /// A path of one attribute.
    pub fn single(name: impl Into<String>) -> Path {
        Path {
            segments: vec![Ident::new(name)],
        }
    }

    /// This path followed by `name`.
    pub fn join(&self, name: impl Into<String>) -> Path {
        let mut segments = self.segments.clone();
        segments.push(Ident::new(name));
        Path { segments }
    }

    /// The span from the first segment to the last.
    pub fn span(&self) -> Span {
        match (self.segments.first(), self.segments.last()) {
            (Some(first), Some(last)) => first.span.to(last.span),
            _ => Span::default(),
        }
    }
}

impl fmt::Display for Path {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (index, segment) in self.segments.iter().enumerate() {
            if index > 0 {
                f.write_str(".")?;
            }
            f.write_str(&segment.name)?;
        }
        Ok(())
    }
}

/// A whole query: `select <projections> from <EntityType> where ...`.
#[derive(Debug, Clone, PartialEq)]
pub struct Query {
    /// What to select. Empty for the short form (`Shot where ...`), which
    /// the server answers with the entity type's default projections.
    pub projections: Vec<Projection>,
    /// The entity type queried.
    pub entity_type: Ident,
    /// The `where` part, if any.
    pub criteria: Option<Criteria>,
    /// `group by` paths, for aggregate queries.
    pub group_by: Vec<Path>,
    /// `order by` keys, first key first.
    pub order_by: Vec<Ordering>,
    /// `offset N`: rows to skip.
    pub offset: Option<u64>,
    /// `limit N`: the most rows to return.
    pub limit: Option<u64>,
}

impl Query {
    /// A query of `entity_type` with nothing else: the short form.
    pub fn new(entity_type: impl Into<String>) -> Query {
        Query {
            projections: Vec::new(),
            entity_type: Ident::new(entity_type),
            criteria: None,
            group_by: Vec::new(),
            order_by: Vec::new(),
            offset: None,
            limit: None,
        }
    }

    /// Adds `criteria` to the `where` part, joined with `and` to any there.
    pub fn and_where(&mut self, criteria: Criteria) {
        self.criteria = Some(match self.criteria.take() {
            Some(existing) => Criteria::and(existing, criteria),
            None => criteria,
        });
    }
}

/// One item of a `select` list.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Projection {
    /// An attribute path: `name`, `parent.name`.
    Path(Path),
    /// An aggregate over a path: `count(id)`.
    Aggregate {
        /// The function.
        function: Aggregate,
        /// What it aggregates.
        path: Path,
    },
}

impl Projection {
    /// The attribute path projected or aggregated.
    pub fn path(&self) -> &Path {
        match self {
            Projection::Path(path) | Projection::Aggregate { path, .. } => path,
        }
    }
}

/// The aggregate functions of `select` lists.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Aggregate {
    /// `count(path)`.
    Count,
    /// `sum(path)`.
    Sum,
    /// `avg(path)`.
    Avg,
    /// `min(path)`.
    Min,
    /// `max(path)`.
    Max,
}

impl Aggregate {
    /// The function's name in the query language.
    pub fn as_str(self) -> &'static str {
        match self {
            Aggregate::Count => "count",
            Aggregate::Sum => "sum",
            Aggregate::Avg => "avg",
            Aggregate::Min => "min",
            Aggregate::Max => "max",
        }
    }

    /// The function called `name`, in any case.
    pub fn from_name(name: &str) -> Option<Aggregate> {
        [
            Aggregate::Count,
            Aggregate::Sum,
            Aggregate::Avg,
            Aggregate::Min,
            Aggregate::Max,
        ]
        .into_iter()
        .find(|a| a.as_str().eq_ignore_ascii_case(name))
    }
}

/// One `order by` key.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Ordering {
    /// What to sort on.
    pub path: Path,
    /// Which way.
    pub direction: Direction,
}

/// The direction of an `order by` key.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub enum Direction {
    /// Smallest first (`ascending`, `asc`, or nothing).
    #[default]
    Ascending,
    /// Largest first (`descending`, `desc`).
    Descending,
}

/// The `where` part of a query, or a part of it.
///
/// Build `and` and `or` with [`Criteria::and`] and [`Criteria::or`], which
/// keep chains flat (`a and b and c` is one `And` of three). The parser
/// keeps a parenthesised group as an item of its own (`(a and b) and c` is
/// an `And` of an `And` and `c`), and the printer writes such an item in
/// parentheses, so that any tree equals the parse of its printed form.
#[derive(Debug, Clone, PartialEq)]
pub enum Criteria {
    /// Every one holds. Two or more items.
    And(Vec<Criteria>),
    /// At least one holds. Two or more items.
    Or(Vec<Criteria>),
    /// The inner criteria do not hold.
    Not(Box<Criteria>),
    /// `path OP value`.
    Compare {
        /// The attribute compared.
        path: Path,
        /// How.
        operator: Operator,
        /// With what.
        value: Value,
    },
    /// `path in (...)` or `path not_in (...)`.
    In {
        /// The attribute tested.
        path: Path,
        /// `true` for `not_in`.
        negated: bool,
        /// The values, or a sub-query whose single projection gives them.
        set: InSet,
    },
    /// `path has (criteria)`: the entity a reference points at matches.
    Has {
        /// The reference.
        path: Path,
        /// What the referenced entity must match.
        criteria: Box<Criteria>,
    },
    /// `path any (criteria)`: some item of a collection matches all the
    /// criteria; `path any ()` holds when the collection is not empty.
    Any {
        /// The collection.
        path: Path,
        /// What one item must match, or `None` for `any ()`.
        criteria: Option<Box<Criteria>>,
    },
}

impl Criteria {
    /// `left and right`, flattening chains.
    pub fn and(left: Criteria, right: Criteria) -> Criteria {
        let mut items = Vec::new();
        for side in [left, right] {
            match side {
                Criteria::And(inner) => items.extend(inner),
                other => items.push(other),
            }
        }
        Criteria::And(items)
    }

    /// `left or right`, flattening chains.
    pub fn or(left: Criteria, right: Criteria) -> Criteria {
        let mut items = Vec::new();
        for side in [left, right] {
            match side {
                Criteria::Or(inner) => items.extend(inner),
                other => items.push(other),
            }
        }
        Criteria::Or(items)
    }

    /// `not criteria`.
    #[allow(clippy::should_implement_trait)] // reads as the query language does
    pub fn not(criteria: Criteria) -> Criteria {
        Criteria::Not(Box::new(criteria))
    }

    /// `path OP value`.
    pub fn compare(path: Path, operator: Operator, value: impl Into<Value>) -> Criteria {
        Criteria::Compare {
            path,
            operator,
            value: value.into(),
        }
    }
}

/// The comparison operators. Each has one canonical spelling, used when
/// printing, and the aliases the parser also accepts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Operator {
    /// `is`, `=`.
    Is,
    /// `is_not`, `!=`.
    IsNot,
    /// `>`, `after`, `greater_than`.
    Greater,
    /// `<`, `before`, `less_than`.
    Less,
    /// `>=`.
    GreaterOrEqual,
    /// `<=`.
    LessOrEqual,
    /// `like`: an SQL pattern, `%` any text and `_` one character.
    Like,
    /// `not_like`.
    NotLike,
}

impl Operator {
    /// Every operator, in the order of the query language documentation.
    pub const ALL: [Operator; 8] = [
        Operator::Is,
        Operator::IsNot,
        Operator::Greater,
        Operator::Less,
        Operator::GreaterOrEqual,
        Operator::LessOrEqual,
        Operator::Like,
        Operator::NotLike,
    ];

    /// The canonical spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            Operator::Is => "is",
            Operator::IsNot => "is_not",
            Operator::Greater => ">",
            Operator::Less => "<",
            Operator::GreaterOrEqual => ">=",
            Operator::LessOrEqual => "<=",
            Operator::Like => "like",
            Operator::NotLike => "not_like",
        }
    }

    /// Every spelling the parser accepts, the canonical one first.
    pub fn spellings(self) -> &'static [&'static str] {
        match self {
            Operator::Is => &["is", "="],
            Operator::IsNot => &["is_not", "!="],
            Operator::Greater => &[">", "after", "greater_than"],
            Operator::Less => &["<", "before", "less_than"],
            Operator::GreaterOrEqual => &[">="],
            Operator::LessOrEqual => &["<="],
            Operator::Like => &["like"],
            Operator::NotLike => &["not_like"],
        }
    }

    /// The operator spelled `word` (any case for words).
    pub fn from_spelling(word: &str) -> Option<Operator> {
        Operator::ALL.into_iter().find(|op| {
            op.spellings()
                .iter()
                .any(|spelling| spelling.eq_ignore_ascii_case(word))
        })
    }

    /// Whether the operator orders values (`>`, `<`, `>=`, `<=`).
    pub fn is_ordering(self) -> bool {
        matches!(
            self,
            Operator::Greater | Operator::Less | Operator::GreaterOrEqual | Operator::LessOrEqual
        )
    }

    /// Whether the operator matches a pattern (`like`, `not_like`).
    pub fn is_pattern(self) -> bool {
        matches!(self, Operator::Like | Operator::NotLike)
    }
}

impl fmt::Display for Operator {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// What an `in` or `not_in` tests against.
#[derive(Debug, Clone, PartialEq)]
pub enum InSet {
    /// A list of values: `("Done", "Omitted")`. May be empty.
    Values(Vec<Value>),
    /// A sub-query: `(select in_reply_to_id from Note where ...)`.
    Query(Box<Query>),
}

/// A literal value in criteria.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    /// Text: quoted (`"comp"`, `'comp'`) or a bare word (`active`,
    /// an unquoted UUID). Printed always quoted.
    String(String),
    /// A whole number.
    Integer(i64),
    /// A number with a fraction. Always finite.
    Float(f64),
    /// `true` or `false` (any case).
    Bool(bool),
    /// `none` or `null` (any case).
    Null,
    /// `{name}`: a value to be filled in later, read only when parsing with
    /// [`ParseOptions::placeholders`](crate::ParseOptions::placeholders).
    /// The `query!` macro uses it for variables it captures.
    Placeholder(String),
}

impl Value {
    /// A word for the kind of value, for messages.
    pub fn kind(&self) -> &'static str {
        match self {
            Value::String(_) => "a string",
            Value::Integer(_) => "an integer",
            Value::Float(_) => "a number",
            Value::Bool(_) => "a boolean",
            Value::Null => "none",
            Value::Placeholder(_) => "a placeholder",
        }
    }
}

impl From<&str> for Value {
    fn from(value: &str) -> Value {
        Value::String(value.to_owned())
    }
}

impl From<String> for Value {
    fn from(value: String) -> Value {
        Value::String(value)
    }
}

impl From<&String> for Value {
    fn from(value: &String) -> Value {
        Value::String(value.clone())
    }
}

impl From<bool> for Value {
    fn from(value: bool) -> Value {
        Value::Bool(value)
    }
}

impl From<i64> for Value {
    fn from(value: i64) -> Value {
        Value::Integer(value)
    }
}

impl From<i32> for Value {
    fn from(value: i32) -> Value {
        Value::Integer(value.into())
    }
}

impl From<u32> for Value {
    fn from(value: u32) -> Value {
        Value::Integer(value.into())
    }
}

impl From<f64> for Value {
    /// A float; a value that is not finite (NaN, infinity) becomes `none`,
    /// since the query language has no spelling for it.
    fn from(value: f64) -> Value {
        if value.is_finite() {
            Value::Float(value)
        } else {
            Value::Null
        }
    }
}

impl<T: Into<Value>> From<Option<T>> for Value {
    fn from(value: Option<T>) -> Value {
        value.map_or(Value::Null, Into::into)
    }
}
