//! How schema names become Rust names: the one renaming rule.

use proc_macro2::{Ident, Span};

/// Words that Rust reserves, strict and reserved-for-later, in every
/// edition up to 2024.
const KEYWORDS: &[&str] = &[
    "Self", "abstract", "as", "async", "await", "become", "box", "break", "const", "continue",
    "crate", "do", "dyn", "else", "enum", "extern", "false", "final", "fn", "for", "gen", "if",
    "impl", "in", "let", "loop", "macro", "match", "mod", "move", "mut", "override", "priv", "pub",
    "ref", "return", "self", "static", "struct", "super", "trait", "true", "try", "type", "typeof",
    "union", "unsafe", "unsized", "use", "virtual", "where", "while", "yield",
];

/// Names the generated API itself gives to associated functions of a model
/// (`Shot::query()`, `Shot::default()`, ...), so that no attribute path can
/// take or shadow them.
const RESERVED: &[&str] = &["query", "default", "get", "list"];

/// Whether `name` is a Rust keyword.
pub fn is_keyword(name: &str) -> bool {
    KEYWORDS.contains(&name)
}

/// The Rust name of an attribute: its field in the model struct, its path
/// function (`Shot::name()`) and its path method
/// (`Shot::parent().name()`).
///
/// The one rule: the attribute name, converted to snake case when it is not
/// already (`startDate` -> `start_date`; leading underscores are kept), and
/// given a trailing underscore when the result is a Rust keyword or a name
/// the generated API reserves (`type` -> `type_`, `query` -> `query_`,
/// `default` -> `default_`, `get` -> `get_`, `list` -> `list_`). A name
/// that starts with a digit gets a leading underscore (`2d` -> `_2d`).
///
/// Two attributes whose names give the same Rust name are an error of the
/// check stage, not renamed further.
pub fn attribute_name(name: &str) -> String {
    let mut snake = snake_case(name);
    if snake.starts_with(|c: char| c.is_ascii_digit()) {
        snake.insert(0, '_');
    }
    if is_keyword(&snake) || RESERVED.contains(&snake.as_str()) {
        snake.push('_');
    }
    snake
}

/// `attribute_name` as an identifier.
pub fn attribute_ident(name: &str) -> Ident {
    Ident::new(&attribute_name(name), Span::call_site())
}

/// Whether `name` is usable as it stands as a Rust type name: an ASCII
/// letter or underscore, then letters, digits and underscores, and not a
/// keyword.
pub fn is_type_name(name: &str) -> bool {
    let mut chars = name.chars();
    chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
        && name != "_"
        && !is_keyword(name)
}

/// Whether `name` is a valid Rust identifier that is not a keyword, as a
/// `{name}` placeholder must be to name a variable.
pub fn is_variable_name(name: &str) -> bool {
    is_type_name(name)
}

/// `name` in snake case: an underscore before each upper-case letter that
/// follows a lower-case letter or digit, or that starts a word after an
/// acronym (`HTTPServer` -> `http_server`); other characters that cannot be
/// in an identifier become underscores.
fn snake_case(name: &str) -> String {
    let chars: Vec<char> = name.chars().collect();
    let mut out = String::with_capacity(name.len() + 4);
    for (index, &c) in chars.iter().enumerate() {
        if c.is_ascii_uppercase() {
            let previous = index.checked_sub(1).map(|i| chars[i]);
            let next = chars.get(index + 1);
            let starts_word = match previous {
                Some(p) if p.is_ascii_lowercase() || p.is_ascii_digit() => true,
                Some(p) if p.is_ascii_uppercase() => next.is_some_and(|n| n.is_ascii_lowercase()),
                _ => false,
            };
            if starts_word && !out.ends_with('_') {
                out.push('_');
            }
            out.push(c.to_ascii_lowercase());
        } else if c.is_ascii_alphanumeric() || c == '_' {
            out.push(c);
        } else {
            out.push('_');
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn attribute_names_follow_one_rule() {
        let cases = [
            ("name", "name"),
            ("parent_id", "parent_id"),
            ("_link", "_link"),
            ("type", "type_"),
            ("self", "self_"),
            ("query", "query_"),
            ("default", "default_"),
            ("list", "list_"),
            ("startDate", "start_date"),
            ("HTTPServer", "http_server"),
            ("thumbnail-url", "thumbnail_url"),
            ("2d", "_2d"),
            ("from", "from"),
        ];
        for (name, expected) in cases {
            assert_eq!(attribute_name(name), expected, "{name}");
        }
    }

    #[test]
    fn type_names_must_be_identifiers() {
        assert!(is_type_name("AssetVersion"));
        assert!(!is_type_name("Asset Version"));
        assert!(!is_type_name("1Shot"));
        assert!(!is_type_name("Self"));
        assert!(!is_variable_name("type"));
        assert!(!is_variable_name("_"));
        assert!(is_variable_name("seq"));
    }
}
