//! `ftrack query --check`: parse and check a query offline, against a schema
//! file or the schema built into the binary.

use std::path::Path;

use anyhow::{bail, Context, Result};
use ftrack_query::Span;
use ftrack_schema::Schema;

/// Parses `expression`, checks it against `schema_file` (or the shipped
/// schema) and returns its canonical form.
///
/// # Errors
///
/// Every located problem, each under the query text with the offending part
/// underlined, when the query does not parse or does not check; an error
/// naming the file when the schema cannot be read.
pub fn check(expression: &str, schema_file: Option<&Path>) -> Result<String> {
    let schema = match schema_file {
        Some(path) => Schema::from_yaml_file(path)?,
        None => shipped_schema()?,
    };
    let query = match ftrack_query::parse(expression) {
        Ok(query) => query,
        Err(error) => bail!(located(expression, error.span, &error.to_string())),
    };
    if let Err(errors) = ftrack_query::check(&query, &schema) {
        let shown: Vec<String> = errors
            .iter()
            .map(|e| located(expression, e.span, &e.to_string()))
            .collect();
        bail!(shown.join("\n"));
    }
    Ok(query.to_string())
}

/// The schema built into the binary: `schema/ftrack.yaml` as shipped.
fn shipped_schema() -> Result<Schema> {
    Schema::from_yaml(ftrack::SCHEMA_YAML, "schema/ftrack.yaml (built in)")
        .context("the built-in schema does not load")
}

/// `message`, then the query with `^` under `span`:
///
/// ```text
/// column 41: expected an operator after 'parent.name', found 'iz'
///   select name from Shot where parent.name iz x
///                                           ^^
/// ```
///
/// A query over several lines shows only the line holding the span.
fn located(text: &str, span: Span, message: &str) -> String {
    let start = floor_char_boundary(text, span.start.min(text.len()));
    let line_start = text[..start].rfind('\n').map_or(0, |i| i + 1);
    let line_end = text[start..].find('\n').map_or(text.len(), |i| start + i);
    let line = &text[line_start..line_end];

    let lead = text[line_start..start].chars().count();
    let end = floor_char_boundary(text, span.end.clamp(start, line_end));
    let width = text[start..end].chars().count().max(1);

    format!(
        "{message}\n  {line}\n  {}{}",
        " ".repeat(lead),
        "^".repeat(width)
    )
}

fn floor_char_boundary(text: &str, mut at: usize) -> usize {
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    at
}

#[cfg(test)]
mod tests {
    use super::located;
    use ftrack_query::Span;

    #[test]
    fn underlines_the_span_on_its_line() {
        assert_eq!(
            located("Shot where nmae is x", Span::new(11, 15), "column 12: nope"),
            "column 12: nope\n  Shot where nmae is x\n             ^^^^"
        );
        assert_eq!(
            located("Shot\nwhere nmae is x", Span::new(11, 15), "m"),
            "m\n  where nmae is x\n        ^^^^"
        );
        // The end of the text, and characters wider than a byte.
        assert_eq!(located("é is", Span::new(5, 5), "m"), "m\n  é is\n      ^");
    }
}
