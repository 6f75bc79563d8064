//! The canonical text of a syntax tree.
//!
//! Every string value is double-quoted with `"` and `\` escaped by a
//! backslash, so that no value can end its quotes early and add criteria of
//! its own. Keywords are lower case; operators use their first spelling
//! ([`Operator::as_str`](crate::Operator::as_str)); `and` and `or` are
//! parenthesised only where precedence needs it; `offset` comes before
//! `limit`, as the official Python client writes them.

use std::fmt::{self, Write};

use crate::ast::{Criteria, Direction, InSet, Ordering, Projection, Query, Value};

/// `text` in double quotes, with `"` and `\` escaped.
pub fn quote(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        if c == '"' || c == '\\' {
            out.push('\\');
        }
        out.push(c);
    }
    out.push('"');
    out
}

/// A float as the parser reads it back: always with a fraction, never an
/// exponent, and exact (the shortest text that gives the same number).
pub(crate) fn float(value: f64) -> String {
    let mut text = value.to_string();
    if !text.contains('.') {
        text.push_str(".0");
    }
    text
}

impl fmt::Display for Value {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Value::String(text) => f.write_str(&quote(text)),
            Value::Integer(n) => write!(f, "{n}"),
            Value::Float(n) => f.write_str(&float(*n)),
            Value::Bool(b) => write!(f, "{b}"),
            Value::Null => f.write_str("none"),
            Value::Placeholder(name) => write!(f, "{{{name}}}"),
        }
    }
}

impl fmt::Display for Projection {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Projection::Path(path) => write!(f, "{path}"),
            Projection::Aggregate { function, path } => {
                write!(f, "{}({path})", function.as_str())
            }
        }
    }
}

impl fmt::Display for Ordering {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.direction {
            Direction::Ascending => write!(f, "{}", self.path),
            Direction::Descending => write!(f, "{} descending", self.path),
        }
    }
}

impl fmt::Display for Query {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if !self.projections.is_empty() {
            f.write_str("select ")?;
            comma_separated(f, &self.projections)?;
            f.write_str(" from ")?;
        }
        f.write_str(&self.entity_type.name)?;
        if let Some(criteria) = &self.criteria {
            write!(f, " where {criteria}")?;
        }
        if !self.group_by.is_empty() {
            f.write_str(" group by ")?;
            comma_separated(f, &self.group_by)?;
        }
        if !self.order_by.is_empty() {
            f.write_str(" order by ")?;
            comma_separated(f, &self.order_by)?;
        }
        if let Some(offset) = self.offset {
            write!(f, " offset {offset}")?;
        }
        if let Some(limit) = self.limit {
            write!(f, " limit {limit}")?;
        }
        Ok(())
    }
}

fn comma_separated<T: fmt::Display>(f: &mut fmt::Formatter<'_>, items: &[T]) -> fmt::Result {
    for (index, item) in items.iter().enumerate() {
        if index > 0 {
            f.write_str(", ")?;
        }
        write!(f, "{item}")?;
    }
    Ok(())
}

/// How tightly a context binds the criteria written into it.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Level {
    /// Anything goes: the whole `where`, or inside parentheses.
    Or,
    /// An item of an `and` chain: an `or` needs parentheses.
    And,
    /// After `not`: any chain needs parentheses.
    Not,
}

impl fmt::Display for Criteria {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut out = String::new();
        write_criteria(&mut out, self, Level::Or)?;
        f.write_str(&out)
    }
}

fn write_criteria(out: &mut String, criteria: &Criteria, level: Level) -> fmt::Result {
    match criteria {
        Criteria::And(items) => chain(out, items, " and ", level > Level::And, Level::And),
        Criteria::Or(items) => chain(out, items, " or ", level > Level::Or, Level::And),
        Criteria::Not(inner) => {
            out.push_str("not ");
            write_criteria(out, inner, Level::Not)
        }
        Criteria::Compare {
            path,
            operator,
            value,
        } => write!(out, "{path} {operator} {value}"),
        Criteria::In { path, negated, set } => {
            let keyword = if *negated { "not_in" } else { "in" };
            write!(out, "{path} {keyword} (")?;
            match set {
                InSet::Values(values) => {
                    for (index, value) in values.iter().enumerate() {
                        if index > 0 {
                            out.push_str(", ");
                        }
                        write!(out, "{value}")?;
                    }
                }
                InSet::Query(query) => write!(out, "{query}")?,
            }
            out.push(')');
            Ok(())
        }
        Criteria::Has { path, criteria } => {
            write!(out, "{path} has (")?;
            write_criteria(out, criteria, Level::Or)?;
            out.push(')');
            Ok(())
        }
        Criteria::Any { path, criteria } => {
            write!(out, "{path} any (")?;
            if let Some(criteria) = criteria {
                write_criteria(out, criteria, Level::Or)?;
            }
            out.push(')');
            Ok(())
        }
    }
}

/// Items joined by `separator`, each written at `item_level`, the whole in
/// parentheses when `parenthesise`. An item that is itself the same kind of
/// chain (a parenthesised group in the text; [`Criteria::and`] and
/// [`Criteria::or`] never build one) keeps its parentheses, so that the text
/// reads back as the same tree.
fn chain(
    out: &mut String,
    items: &[Criteria],
    separator: &str,
    parenthesise: bool,
    item_level: Level,
) -> fmt::Result {
    if parenthesise {
        out.push('(');
    }
    for (index, item) in items.iter().enumerate() {
        if index > 0 {
            out.push_str(separator);
        }
        let same_kind = matches!(
            (separator, item),
            (" and ", Criteria::And(_)) | (" or ", Criteria::Or(_))
        );
        let level = if same_kind { Level::Not } else { item_level };
        write_criteria(out, item, level)?;
    }
    if parenthesise {
        out.push(')');
    }
    Ok(())
}
