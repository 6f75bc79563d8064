//! A work-around for a gap in `ftrack-query`: the parser takes the word
//! `group` (of `group by`) as a clause word in any case, so a query on the
//! entity type `Group` (user groups, in the shipped schema) does not parse.
//! Until the parser accepts it, `Group` in the places an entity type stands
//! (first word, or after `from`, outside quotes) is renamed before parsing
//! and back after.

use ftrack_query::{Criteria, InSet, ParseError, Query};

const STAND_IN: &str = "Group__ftrack_emulator";

/// Parses `expression`, accepting `Group` as an entity type.
///
/// # Errors
///
/// The parser's error for the expression as sent.
pub(crate) fn parse(expression: &str) -> Result<Query, ParseError> {
    match ftrack_query::parse(expression) {
        Ok(query) => Ok(query),
        Err(error) => {
            let renamed = rename_entity_type(expression);
            if renamed == expression {
                return Err(error);
            }
            match ftrack_query::parse(&renamed) {
                Ok(mut query) => {
                    restore(&mut query);
                    Ok(query)
                }
                Err(_) => Err(error),
            }
        }
    }
}

/// `expression` with `Group` renamed where it names an entity type.
fn rename_entity_type(expression: &str) -> String {
    let mut out = String::with_capacity(expression.len() + 32);
    let mut quote: Option<char> = None;
    let mut escaped = false;
    let mut previous_word = String::new();
    let mut word = String::new();
    let mut at_start = true;
    let flush =
        |word: &mut String, previous: &mut String, at_start: &mut bool, out: &mut String| {
            if word.is_empty() {
                return;
            }
            let names_type =
                word == "Group" && (*at_start || previous.eq_ignore_ascii_case("from"));
            out.push_str(if names_type { STAND_IN } else { word });
            *previous = std::mem::take(word);
            *at_start = false;
        };
    for c in expression.chars() {
        if let Some(q) = quote {
            out.push(c);
            if escaped {
                escaped = false;
            } else if c == '\\' {
                escaped = true;
            } else if c == q {
                quote = None;
            }
            continue;
        }
        if c.is_ascii_alphanumeric() || c == '_' || c == '-' {
            word.push(c);
            continue;
        }
        flush(&mut word, &mut previous_word, &mut at_start, &mut out);
        if c == '"' || c == '\'' {
            quote = Some(c);
            previous_word.clear();
            at_start = false;
        } else if !c.is_whitespace() {
            // `(select ... from Group` starts again after a parenthesis only
            // through `from`; other symbols end the word context.
            if c != '(' {
                previous_word.clear();
            }
            at_start = false;
        }
        out.push(c);
    }
    flush(&mut word, &mut previous_word, &mut at_start, &mut out);
    out
}

fn restore(query: &mut Query) {
    if query.entity_type.name == STAND_IN {
        query.entity_type.name = "Group".to_owned();
    }
    if let Some(criteria) = &mut query.criteria {
        restore_criteria(criteria);
    }
}

fn restore_criteria(criteria: &mut Criteria) {
    match criteria {
        Criteria::And(items) | Criteria::Or(items) => items.iter_mut().for_each(restore_criteria),
        Criteria::Not(inner) => restore_criteria(inner),
        Criteria::Has { criteria, .. } => restore_criteria(criteria),
        Criteria::Any {
            criteria: Some(criteria),
            ..
        } => restore_criteria(criteria),
        Criteria::In {
            set: InSet::Query(query),
            ..
        } => restore(query),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn queries_on_group_parse() {
        let query = parse("select name from Group where name is Group").unwrap();
        assert_eq!(query.entity_type.name, "Group");
        assert_eq!(parse("Group").unwrap().entity_type.name, "Group");
        let nested =
            parse("User where id in (select user_id from Group where name is \"from Group\")");
        assert!(nested.is_ok(), "{nested:?}");
    }

    #[test]
    fn renames_only_where_an_entity_type_stands() {
        assert_eq!(
            rename_entity_type("select name from Group where name is \"from Group\" group by name"),
            format!("select name from {STAND_IN} where name is \"from Group\" group by name")
        );
        assert_eq!(
            rename_entity_type("Task where name is Group"),
            "Task where name is Group"
        );
    }

    #[test]
    fn other_parse_errors_are_the_parsers() {
        let error = parse("select from where").unwrap_err();
        assert!(error.to_string().contains("column"), "{error}");
    }
}
