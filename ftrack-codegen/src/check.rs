//! The check stage: everything that can be wrong with a schema for code
//! generation, a query for `query!` or a struct for `derive(Projection)`,
//! collected before any code is emitted.

use std::collections::BTreeMap;

use ftrack_query::{Criteria, Ident, InSet, Path, Projection, Query, Value};
use ftrack_schema::suggest::nearest;
use ftrack_schema::{AttributeKind, Schema};
use syn::LitStr;

use crate::names::{is_keyword, is_type_name, is_variable_name};
use crate::parse::{Model, ProjectionInput};

/// Checks that every entity type and attribute gives a usable, distinct Rust
/// name. Returns every problem, one message each.
pub(crate) fn check_model(model: &Model<'_>) -> Result<(), Vec<String>> {
    let mut problems = Vec::new();
    let type_names: BTreeMap<&str, ()> = model.types.iter().map(|t| (t.name, ())).collect();

    for ty in &model.types {
        if !is_type_name(ty.name) {
            problems.push(format!(
                "entity type `{}` is not a Rust identifier; rename it in the schema to letters, \
                 digits and underscores",
                ty.name
            ));
            continue;
        }
        let attributes_name = ty.attributes_name();
        if type_names.contains_key(attributes_name.as_str()) {
            problems.push(format!(
                "entity type `{attributes_name}` has the name generated for the attribute paths \
                 of `{}`; rename one of them in the schema",
                ty.name
            ));
        }

        // Two attributes must not share one Rust name.
        let mut seen: BTreeMap<&str, &str> = BTreeMap::new();
        for attribute in &ty.attributes {
            if let Some(first) = seen.insert(&attribute.rust_name, attribute.name) {
                problems.push(format!(
                    "attributes `{}.{first}` and `{}.{}` both become the Rust name `{}`; rename \
                     one of them in the schema",
                    ty.name, ty.name, attribute.name, attribute.rust_name
                ));
            }
        }
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(problems)
    }
}

/// Checks a parsed `query!` against the schema: ftrack-query's checker, then
/// what the macro itself needs. Every error is spanned on the literal and
/// says its column.
pub(crate) fn check_query(schema: &Schema, query: &Query, text: &LitStr) -> Result<(), syn::Error> {
    let mut found: Vec<(usize, String)> = Vec::new();
    let mut error = |column: usize, message: String| found.push((column, message));

    if let Err(problems) = ftrack_query::check(query, schema) {
        for problem in problems {
            error(problem.span.column(), problem.kind.to_string());
        }
    }

    // `query!` gives a `Query<T>` of entities: no rows of aggregates.
    if !query.group_by.is_empty() {
        error(
            query.group_by[0].span().column(),
            "`query!` does not take `group by`: its result is a `Query` of entities; \
             send aggregate queries as text through the session"
                .to_owned(),
        );
    }
    for projection in &query.projections {
        if let Projection::Aggregate { function, path } = projection {
            error(
                path.span().column(),
                format!(
                    "`query!` does not take aggregates such as `{}({path})`: its result is a \
                     `Query` of entities",
                    function.as_str()
                ),
            );
        }
    }

    // Every placeholder must name a variable.
    let mut placeholders = Vec::new();
    if let Some(criteria) = &query.criteria {
        collect_placeholders(criteria, &mut placeholders);
    }
    for (name, path) in placeholders {
        if !is_variable_name(&name) {
            let why = if is_keyword(&name) {
                "is a Rust keyword"
            } else {
                "is not a variable name"
            };
            error(
                path.span().column(),
                format!(
                    "the placeholder `{{{name}}}` (compared with `{path}`) {why}; put the value \
                     in a variable and write `{{variable}}`"
                ),
            );
        }
    }

    // In the order of the text, as a reader goes through it.
    found.sort_by_key(|(column, _)| *column);
    let errors = found
        .into_iter()
        .map(|(column, message)| {
            syn::Error::new(text.span(), format!("column {column}: {message}"))
        })
        .collect();
    match crate::parse::combine(errors) {
        Some(error) => Err(error),
        None => Ok(()),
    }
}

/// Every placeholder in `criteria` with the path it is compared with, also
/// inside sub-queries, `has` and `any`.
fn collect_placeholders(criteria: &Criteria, out: &mut Vec<(String, Path)>) {
    let value = |value: &Value, path: &Path, out: &mut Vec<(String, Path)>| {
        if let Value::Placeholder(name) = value {
            out.push((name.clone(), path.clone()));
        }
    };
    match criteria {
        Criteria::And(items) | Criteria::Or(items) => {
            for item in items {
                collect_placeholders(item, out);
            }
        }
        Criteria::Not(inner) => collect_placeholders(inner, out),
        Criteria::Compare { path, value: v, .. } => value(v, path, out),
        Criteria::In { path, set, .. } => match set {
            InSet::Values(values) => {
                for v in values {
                    value(v, path, out);
                }
            }
            InSet::Query(query) => {
                if let Some(criteria) = &query.criteria {
                    collect_placeholders(criteria, out);
                }
            }
        },
        Criteria::Has { criteria, .. } => collect_placeholders(criteria, out),
        Criteria::Any { criteria, .. } => {
            if let Some(criteria) = criteria {
                collect_placeholders(criteria, out);
            }
        }
    }
}

/// One checked field of a projection: its path's segments and what its
/// last attribute holds.
#[derive(Debug)]
pub(crate) struct CheckedField {
    pub(crate) segments: Vec<String>,
    /// The last attribute's kind.
    pub(crate) kind: AttributeKind,
    /// Whether the path goes through a collection, so that it gives a list.
    pub(crate) through_collection: bool,
}

/// Checks the entity type and every field path of a projection against the
/// schema, collecting every error, each on the literal it comes from.
pub(crate) fn check_projection(
    schema: &Schema,
    input: &ProjectionInput,
) -> Result<Vec<CheckedField>, syn::Error> {
    let entity_type = input.entity_type.value();
    if schema.entity_type(&entity_type).is_none() {
        let mut message = format!("unknown entity type `{entity_type}`");
        if let Some(name) = nearest(&entity_type, schema.entity_type_names()) {
            message.push_str(&format!("; did you mean `{name}`?"));
        }
        return Err(syn::Error::new(input.entity_type.span(), message));
    }

    let mut errors = Vec::new();
    let mut fields = Vec::new();
    for field in &input.fields {
        let text = field.path.value();
        let path = Path {
            segments: text
                .split('.')
                .scan(0, |start, segment| {
                    let ident = Ident {
                        name: segment.to_owned(),
                        span: ftrack_query::Span::new(*start, *start + segment.len()),
                    };
                    *start += segment.len() + 1;
                    Some(ident)
                })
                .collect(),
        };
        if let Some(empty) = path.segments.iter().find(|s| s.name.is_empty()) {
            errors.push(syn::Error::new(
                field.path.span(),
                format!(
                    "column {}: `{text}` is not an attribute path; write names joined by dots, \
                     such as `parent.name`",
                    empty.span.column()
                ),
            ));
            continue;
        }
        match ftrack_query::resolve(schema, &entity_type, &path) {
            Ok(steps) => {
                if let Some(step) = steps.iter().find(|s| !s.attribute.is_projectable()) {
                    errors.push(syn::Error::new(
                        field.path.span(),
                        format!(
                            "`{}.{}` cannot be selected: the schema marks it as a restricted \
                             projection",
                            step.entity_type, step.name
                        ),
                    ));
                    continue;
                }
                let last = steps.last().expect("BUG: a path has at least one segment");
                fields.push(CheckedField {
                    segments: path.segments.iter().map(|s| s.name.clone()).collect(),
                    kind: last.attribute.kind,
                    through_collection: steps[..steps.len() - 1]
                        .iter()
                        .any(|s| s.attribute.kind.is_collection()),
                });
            }
            Err(error) => errors.push(syn::Error::new(
                field.path.span(),
                format!("{} (in the path `{text}`)", error.kind),
            )),
        }
    }
    match crate::parse::combine(errors) {
        Some(error) => Err(error),
        None => Ok(fields),
    }
}
