//! Checking a parsed query against an entity schema.
//!
//! The checker walks every path attribute by attribute through references,
//! collections and `extends`, and checks that each operator fits the kind of
//! attribute it is applied to. It collects every problem rather than
//! stopping at the first, and each carries the span of the offending name
//! so that a caller (the `query!` macro, the CLI) can point at it.

use std::fmt;

use ftrack_schema::suggest::nearest;
use ftrack_schema::{Attribute, AttributeKind, Schema};

use crate::ast::{
    Aggregate, Criteria, Ident, InSet, Operator, Path, Projection, Query, Span, Value,
};

/// One problem a query has against a schema.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CheckError {
    /// The offending name or value.
    pub span: Span,
    /// What is wrong.
    pub kind: CheckErrorKind,
}

/// What is wrong with a query against a schema.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum CheckErrorKind {
    /// The schema has no entity type of this name.
    UnknownEntityType {
        /// The name as written.
        name: String,
        /// The nearest known entity type.
        suggestion: Option<String>,
    },
    /// The entity type has no attribute of this name.
    UnknownAttribute {
        /// The entity type searched.
        entity_type: String,
        /// The name as written.
        attribute: String,
        /// The nearest attribute.
        suggestion: Option<String>,
    },
    /// A path goes on (`name.x`) past an attribute that relates to no
    /// other entity.
    NotARelation {
        /// The entity type holding the attribute.
        entity_type: String,
        /// The attribute.
        attribute: String,
        /// Its kind.
        kind: AttributeKind,
    },
    /// An operator used on an attribute whose kind it does not fit.
    OperatorMismatch {
        /// The operator, as the printer spells it (`like`, `>`, `has`).
        operator: String,
        /// The entity type holding the attribute.
        entity_type: String,
        /// The attribute.
        attribute: String,
        /// Its kind.
        kind: AttributeKind,
        /// What to write instead.
        hint: String,
    },
    /// A value that the attribute cannot hold.
    ValueMismatch {
        /// The entity type holding the attribute.
        entity_type: String,
        /// The attribute.
        attribute: String,
        /// Its kind.
        kind: AttributeKind,
        /// The value as printed.
        value: String,
    },
    /// A projection of an attribute the server does not let queries select.
    RestrictedProjection {
        /// The entity type holding the attribute.
        entity_type: String,
        /// The attribute.
        attribute: String,
    },
    /// A sub-query of `in` must select exactly one attribute path.
    SubQueryProjection {
        /// How many projections it has.
        found: usize,
    },
}

impl fmt::Display for CheckError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "column {}: {}", self.span.column(), self.kind)
    }
}

impl std::error::Error for CheckError {}

impl fmt::Display for CheckErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let did_you_mean =
            |f: &mut fmt::Formatter<'_>, suggestion: &Option<String>| match suggestion {
                Some(name) => write!(f, "; did you mean `{name}`?"),
                None => Ok(()),
            };
        match self {
            CheckErrorKind::UnknownEntityType { name, suggestion } => {
                write!(f, "unknown entity type `{name}`")?;
                did_you_mean(f, suggestion)
            }
            CheckErrorKind::UnknownAttribute {
                entity_type,
                attribute,
                suggestion,
            } => {
                write!(f, "`{entity_type}` has no attribute `{attribute}`")?;
                did_you_mean(f, suggestion)
            }
            CheckErrorKind::NotARelation {
                entity_type,
                attribute,
                kind,
            } => write!(
                f,
                "`{entity_type}.{attribute}` is {}, not a relationship, so nothing can follow it \
                 in a path",
                a(*kind)
            ),
            CheckErrorKind::OperatorMismatch {
                operator,
                entity_type,
                attribute,
                kind,
                hint,
            } => write!(
                f,
                "`{operator}` does not apply to `{entity_type}.{attribute}`, which is {}; {hint}",
                a(*kind)
            ),
            CheckErrorKind::ValueMismatch {
                entity_type,
                attribute,
                kind,
                value,
            } => write!(
                f,
                "`{entity_type}.{attribute}` is {}, which cannot be compared with {value}",
                a(*kind)
            ),
            CheckErrorKind::RestrictedProjection {
                entity_type,
                attribute,
            } => write!(
                f,
                "`{entity_type}.{attribute}` cannot be selected: the schema marks it as a \
                 restricted projection"
            ),
            CheckErrorKind::SubQueryProjection { found } => write!(
                f,
                "a sub-query of `in` must select exactly one attribute path, this one selects \
                 {found}"
            ),
        }
    }
}

/// `kind` with its article: `a string`, `an integer`.
fn a(kind: AttributeKind) -> String {
    let name = match kind {
        AttributeKind::MappedCollection => "mapped collection",
        AttributeKind::Datetime => "date-time",
        other => other.as_str(),
    };
    let article = if name.starts_with(['a', 'e', 'i', 'o', 'u']) {
        "an"
    } else {
        "a"
    };
    format!("{article} {name} attribute")
}

/// One step of a resolved path: the entity type searched and the attribute
/// found on it.
#[derive(Debug, Clone, Copy)]
pub struct Step<'a> {
    /// The entity type the attribute was looked up on (the declared type of
    /// the relationship that led here, or the queried type).
    pub entity_type: &'a str,
    /// The attribute's name.
    pub name: &'a str,
    /// The attribute.
    pub attribute: &'a Attribute,
}

/// Resolves `path` from `entity_type`, attribute by attribute: every
/// segment but the last must be a reference or collection, whose target
/// the next segment is looked up on (with `extends`).
///
/// # Errors
///
/// [`CheckError`] on the first segment that is unknown or that follows a
/// scalar.
pub fn resolve<'a>(
    schema: &'a Schema,
    entity_type: &str,
    path: &Path,
) -> Result<Vec<Step<'a>>, CheckError> {
    let Some((mut current, _)) = schema.entity_types.get_key_value(entity_type) else {
        let name = path.segments.first().map(|s| s.span).unwrap_or_default();
        return Err(unknown_entity_type(
            schema,
            &Ident {
                name: entity_type.to_owned(),
                span: name,
            },
        ));
    };
    let mut steps: Vec<Step<'a>> = Vec::with_capacity(path.segments.len());
    for segment in &path.segments {
        if let Some(previous) = steps.last() {
            match previous.attribute.target() {
                Some(target) => {
                    current = match schema.entity_types.get_key_value(target) {
                        Some((name, _)) => name,
                        // Validation of the schema rules this out; say so
                        // rather than guess.
                        None => {
                            return Err(unknown_entity_type(
                                schema,
                                &Ident {
                                    name: target.to_owned(),
                                    span: segment.span,
                                },
                            ))
                        }
                    }
                }
                None => {
                    return Err(CheckError {
                        span: segment.span,
                        kind: CheckErrorKind::NotARelation {
                            entity_type: previous.entity_type.to_owned(),
                            attribute: previous.name.to_owned(),
                            kind: previous.attribute.kind,
                        },
                    })
                }
            }
        }
        let found = schema
            .ancestry(current)
            .find_map(|(_, ty)| ty.attributes.get_key_value(segment.name.as_str()));
        match found {
            Some((name, attribute)) => steps.push(Step {
                entity_type: current,
                name,
                attribute,
            }),
            None => {
                return Err(CheckError {
                    span: segment.span,
                    kind: CheckErrorKind::UnknownAttribute {
                        entity_type: current.to_owned(),
                        attribute: segment.name.clone(),
                        suggestion: nearest(&segment.name, schema.attribute_names(current)),
                    },
                })
            }
        }
    }
    Ok(steps)
}

fn unknown_entity_type(schema: &Schema, name: &Ident) -> CheckError {
    CheckError {
        span: name.span,
        kind: CheckErrorKind::UnknownEntityType {
            name: name.name.clone(),
            suggestion: nearest(&name.name, schema.entity_type_names()),
        },
    }
}

/// Checks `query` against `schema`: the entity type exists, every path
/// resolves, every operator fits its attribute's kind and every value fits
/// its attribute. Placeholder values are not checked: their values come
/// later.
///
/// # Errors
///
/// Every problem found, in the order of the query text.
pub fn check(query: &Query, schema: &Schema) -> Result<(), Vec<CheckError>> {
    let mut checker = Checker {
        schema,
        errors: Vec::new(),
    };
    checker.query(query);
    let mut errors = checker.errors;
    if errors.is_empty() {
        Ok(())
    } else {
        errors.sort_by_key(|e| e.span.start);
        Err(errors)
    }
}

struct Checker<'a> {
    schema: &'a Schema,
    errors: Vec<CheckError>,
}

impl<'a> Checker<'a> {
    fn query(&mut self, query: &Query) {
        let entity_type = &query.entity_type;
        if self.schema.entity_type(&entity_type.name).is_none() {
            self.errors
                .push(unknown_entity_type(self.schema, entity_type));
            return;
        }
        let ty = entity_type.name.as_str();

        for projection in &query.projections {
            self.projection(ty, projection);
        }
        if let Some(criteria) = &query.criteria {
            self.criteria(ty, criteria);
        }
        for path in &query.group_by {
            self.scalar_path(ty, path, "group by");
        }
        for ordering in &query.order_by {
            self.scalar_path(ty, &ordering.path, "order by");
        }
    }

    fn resolve(&mut self, entity_type: &str, path: &Path) -> Option<Vec<Step<'a>>> {
        match resolve(self.schema, entity_type, path) {
            Ok(steps) => Some(steps),
            Err(error) => {
                self.errors.push(error);
                None
            }
        }
    }

    fn projection(&mut self, entity_type: &str, projection: &Projection) {
        let path = projection.path();
        let Some(steps) = self.resolve(entity_type, path) else {
            return;
        };
        for (step, segment) in steps.iter().zip(&path.segments) {
            if !step.attribute.is_projectable() {
                self.errors.push(CheckError {
                    span: segment.span,
                    kind: CheckErrorKind::RestrictedProjection {
                        entity_type: step.entity_type.to_owned(),
                        attribute: step.name.to_owned(),
                    },
                });
            }
        }
        if let Projection::Aggregate { function, .. } = projection {
            let last = last_step(&steps);
            let fits = match function {
                Aggregate::Count => true,
                Aggregate::Sum | Aggregate::Avg => is_numeric(last.attribute),
                Aggregate::Min | Aggregate::Max => is_ordered(last.attribute),
            };
            if !fits {
                let hint = match function {
                    Aggregate::Sum | Aggregate::Avg => "it needs a number or integer attribute",
                    _ => "it needs a number, integer or date-time attribute",
                };
                self.mismatch(function.as_str(), &last, path, hint.to_owned());
            }
        }
    }

    /// A path to group or order by: it must end on a scalar.
    fn scalar_path(&mut self, entity_type: &str, path: &Path, clause: &str) {
        let Some(steps) = self.resolve(entity_type, path) else {
            return;
        };
        let last = last_step(&steps);
        if last.attribute.kind.is_relation() {
            let hint = format!("{clause} needs a scalar attribute, such as `{path}.id`");
            self.mismatch(clause, &last, path, hint);
        }
    }

    fn mismatch(&mut self, operator: &str, step: &Step<'_>, path: &Path, hint: String) {
        self.errors.push(CheckError {
            span: path.span(),
            kind: CheckErrorKind::OperatorMismatch {
                operator: operator.to_owned(),
                entity_type: step.entity_type.to_owned(),
                attribute: step.name.to_owned(),
                kind: step.attribute.kind,
                hint,
            },
        });
    }

    fn criteria(&mut self, entity_type: &str, criteria: &Criteria) {
        match criteria {
            Criteria::And(items) | Criteria::Or(items) => {
                for item in items {
                    self.criteria(entity_type, item);
                }
            }
            Criteria::Not(inner) => self.criteria(entity_type, inner),
            Criteria::Compare {
                path,
                operator,
                value,
            } => self.compare(entity_type, path, *operator, value),
            Criteria::In { path, negated, set } => self.in_set(entity_type, path, *negated, set),
            Criteria::Has { path, criteria } => {
                let Some(steps) = self.resolve(entity_type, path) else {
                    return;
                };
                let last = last_step(&steps);
                match (last.attribute.kind, last.attribute.target()) {
                    (AttributeKind::Reference, Some(target)) => self.criteria(target, criteria),
                    (kind, _) => {
                        let hint = if kind.is_collection() {
                            format!("use `{path} any (...)` for a collection")
                        } else {
                            format!("`has` needs a reference; compare `{path}` directly")
                        };
                        self.mismatch("has", &last, path, hint);
                    }
                }
            }
            Criteria::Any { path, criteria } => {
                let Some(steps) = self.resolve(entity_type, path) else {
                    return;
                };
                let last = last_step(&steps);
                match (last.attribute.kind.is_collection(), last.attribute.target()) {
                    (true, Some(target)) => {
                        if let Some(criteria) = criteria {
                            self.criteria(target, criteria);
                        }
                    }
                    _ => {
                        let hint = if last.attribute.kind == AttributeKind::Reference {
                            format!("use `{path} has (...)` for a reference")
                        } else {
                            format!("`any` needs a collection; compare `{path}` directly")
                        };
                        self.mismatch("any", &last, path, hint);
                    }
                }
            }
        }
    }

    fn compare(&mut self, entity_type: &str, path: &Path, operator: Operator, value: &Value) {
        let Some(steps) = self.resolve(entity_type, path) else {
            return;
        };
        let last = last_step(&steps);
        let attribute = last.attribute;

        // The operator against the attribute's kind.
        let hint = match attribute.kind {
            kind if kind.is_collection() => Some(format!(
                "test its items with `{path} any (...)` or a path such as `{path}.id`"
            )),
            AttributeKind::Reference if operator_is_equality(operator) && value == &Value::Null => {
                None
            }
            AttributeKind::Reference => Some(format!(
                "compare an attribute of it, such as `{path}.id`, or use `{path} has (...)`"
            )),
            _ if operator.is_ordering() && !is_ordered(attribute) => Some(
                "`>`, `<`, `>=` and `<=` apply to numbers, integers and date-times; use `is`, \
                 `is_not`, `like` or `in`"
                    .to_owned(),
            ),
            _ if operator.is_pattern() && !is_text(attribute) => Some(format!(
                "`like` and `not_like` apply to strings; use `is`, `is_not`{}",
                if is_ordered(attribute) {
                    ", `>` or `<`"
                } else {
                    ""
                }
            )),
            _ => None,
        };
        if let Some(hint) = hint {
            self.mismatch(operator.as_str(), &last, path, hint);
            return;
        }
        if operator.is_pattern() && !matches!(value, Value::String(_) | Value::Placeholder(_)) {
            self.value_mismatch(&last, path, value);
            return;
        }
        self.value(&last, path, value);
    }

    fn in_set(&mut self, entity_type: &str, path: &Path, negated: bool, set: &InSet) {
        let Some(steps) = self.resolve(entity_type, path) else {
            return;
        };
        let last = last_step(&steps);
        if last.attribute.kind.is_relation() {
            let keyword = if negated { "not_in" } else { "in" };
            let hint = format!("compare an attribute of it, such as `{path}.id {keyword} (...)`");
            self.mismatch(keyword, &last, path, hint);
            return;
        }
        match set {
            InSet::Values(values) => {
                for value in values {
                    self.value(&last, path, value);
                }
            }
            InSet::Query(query) => {
                if query.projections.len() != 1
                    || !matches!(query.projections[0], Projection::Path(_))
                {
                    self.errors.push(CheckError {
                        span: query.entity_type.span,
                        kind: CheckErrorKind::SubQueryProjection {
                            found: query.projections.len(),
                        },
                    });
                }
                self.query(query);
            }
        }
    }

    /// Whether `value` can stand for a value of the attribute.
    fn value(&mut self, step: &Step<'_>, path: &Path, value: &Value) {
        let fits = match (step.attribute.kind, value) {
            (_, Value::Null | Value::Placeholder(_)) => true,
            (AttributeKind::Boolean, Value::Bool(_)) => true,
            (AttributeKind::Boolean, Value::Integer(n)) => *n == 0 || *n == 1,
            (AttributeKind::Boolean, _) => false,
            (AttributeKind::Integer, Value::Integer(_)) => true,
            (AttributeKind::Integer, Value::String(text)) => text.trim().parse::<i64>().is_ok(),
            (AttributeKind::Integer, _) => false,
            (AttributeKind::Number, Value::Integer(_) | Value::Float(_)) => true,
            (AttributeKind::Number, Value::String(text)) => text.trim().parse::<f64>().is_ok(),
            (AttributeKind::Number, _) => false,
            (AttributeKind::Datetime | AttributeKind::Date, Value::String(text)) => {
                is_date_or_datetime(text)
            }
            (AttributeKind::Datetime | AttributeKind::Date, _) => false,
            _ => true,
        };
        if !fits {
            self.value_mismatch(step, path, value);
        }
    }

    fn value_mismatch(&mut self, step: &Step<'_>, path: &Path, value: &Value) {
        self.errors.push(CheckError {
            span: path.span(),
            kind: CheckErrorKind::ValueMismatch {
                entity_type: step.entity_type.to_owned(),
                attribute: step.name.to_owned(),
                kind: step.attribute.kind,
                value: format!("{} {value}", value.kind()),
            },
        });
    }
}

fn last_step<'a>(steps: &[Step<'a>]) -> Step<'a> {
    *steps
        .last()
        .expect("BUG: a parsed path has at least one segment")
}

fn operator_is_equality(operator: Operator) -> bool {
    matches!(operator, Operator::Is | Operator::IsNot)
}

fn is_numeric(attribute: &Attribute) -> bool {
    matches!(
        attribute.kind,
        AttributeKind::Integer | AttributeKind::Number | AttributeKind::Variable
    ) || attribute.format.as_deref() == Some("integer")
}

/// Whether `>` and friends apply: numbers, date-times, values of custom
/// attributes (which may hold either), and strings holding integers.
fn is_ordered(attribute: &Attribute) -> bool {
    is_numeric(attribute)
        || matches!(
            attribute.kind,
            AttributeKind::Datetime | AttributeKind::Date | AttributeKind::Untyped
        )
}

/// Whether `like` applies.
fn is_text(attribute: &Attribute) -> bool {
    matches!(
        attribute.kind,
        AttributeKind::String | AttributeKind::Variable | AttributeKind::Untyped
    )
}

/// Whether `text` is an ISO 8601 date (`2015-06-01`) or date-time
/// (`2015-06-01T10:00:00`, with a space for `T`, a fraction of seconds, `Z`
/// or an offset), as the server accepts them.
pub fn is_date_or_datetime(text: &str) -> bool {
    let bytes = text.as_bytes();
    let digits = |range: std::ops::Range<usize>| {
        bytes
            .get(range)
            .is_some_and(|b| b.iter().all(u8::is_ascii_digit))
    };
    let date = digits(0..4)
        && bytes.get(4) == Some(&b'-')
        && digits(5..7)
        && bytes.get(7) == Some(&b'-')
        && digits(8..10);
    if !date {
        return false;
    }
    if bytes.len() == 10 {
        return true;
    }
    let time = matches!(bytes.get(10), Some(b'T' | b't' | b' '))
        && digits(11..13)
        && bytes.get(13) == Some(&b':')
        && digits(14..16);
    if !time {
        return false;
    }
    let mut at = 16;
    if bytes.get(at) == Some(&b':') {
        if !digits(at + 1..at + 3) {
            return false;
        }
        at += 3;
        if bytes.get(at) == Some(&b'.') {
            at += 1;
            let fraction = bytes[at..]
                .iter()
                .take_while(|b| b.is_ascii_digit())
                .count();
            if fraction == 0 {
                return false;
            }
            at += fraction;
        }
    }
    match &bytes[at..] {
        [] | [b'Z' | b'z'] => true,
        [b'+' | b'-', h1, h2, b':', m1, m2] | [b'+' | b'-', h1, h2, m1, m2] => {
            [h1, h2, m1, m2].iter().all(|b| b.is_ascii_digit())
        }
        [b'+' | b'-', h1, h2] => h1.is_ascii_digit() && h2.is_ascii_digit(),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::is_date_or_datetime;

    #[test]
    fn recognises_the_date_forms_clients_send() {
        for text in [
            "2015-06-01",
            "2023-10-10T09:50:34",
            "2024-05-01T12:00:00.000Z",
            "2015-11-18T15:24:09+00:00",
            "2015-11-18 15:24",
            "2015-11-18T15:24:09-0500",
        ] {
            assert!(is_date_or_datetime(text), "{text}");
        }
        for text in [
            "2015-6-1",
            "tomorrow",
            "2015-06-01T",
            "2015-06-01T10",
            "2015-06-01Tab:cd",
        ] {
            assert!(!is_date_or_datetime(text), "{text}");
        }
    }
}
