//! Why query text could not be parsed.

use std::fmt;

use crate::ast::Span;

/// A syntax error, with the span of the offending text.
///
/// Displayed as `column N: <what>`, N counted in bytes from 1:
/// `column 28: expected an operator after 'parent.name', found 'iz'`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParseError {
    /// Where: the token found, or the end of the text.
    pub span: Span,
    /// What is wrong.
    pub kind: ParseErrorKind,
}

/// What is wrong with query text.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum ParseErrorKind {
    /// Something else was expected here.
    Expected {
        /// What would have fitted, in words: `an operator`.
        expected: String,
        /// What came just before, when it helps: `'parent.name'`.
        after: Option<String>,
        /// What was found: `'iz'`, `the end of the query`.
        found: String,
    },
    /// A quoted string has no closing quote.
    UnterminatedString,
    /// A character that has no place in a query outside quotes.
    UnexpectedCharacter(char),
    /// A number too large (or small) to hold.
    NumberOutOfRange(String),
    /// A `{...}` that is not `{name}` with a Rust-style identifier.
    BadPlaceholder(String),
    /// A clause given twice: `limit 1 limit 2`.
    Repeated(&'static str),
    /// Parentheses or sub-queries nested deeper than the parser follows.
    TooDeep,
}

impl ParseError {
    pub(crate) fn new(span: Span, kind: ParseErrorKind) -> ParseError {
        ParseError { span, kind }
    }

    /// The column of the offending text, counted in bytes from 1.
    pub fn column(&self) -> usize {
        self.span.column()
    }
}

impl fmt::Display for ParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "column {}: ", self.column())?;
        match &self.kind {
            ParseErrorKind::Expected {
                expected,
                after,
                found,
            } => {
                write!(f, "expected {expected}")?;
                if let Some(after) = after {
                    write!(f, " after {after}")?;
                }
                write!(f, ", found {found}")
            }
            ParseErrorKind::UnterminatedString => f.write_str("this string has no closing quote"),
            ParseErrorKind::UnexpectedCharacter(c) => write!(
                f,
                "unexpected character {c:?}; put values that hold it in quotes"
            ),
            ParseErrorKind::NumberOutOfRange(text) => {
                write!(f, "the number {text} is out of range")
            }
            ParseErrorKind::BadPlaceholder(text) => write!(
                f,
                "{text} is not a placeholder; write `{{name}}` with a variable name"
            ),
            ParseErrorKind::Repeated(clause) => write!(f, "`{clause}` is given twice"),
            ParseErrorKind::TooDeep => {
                f.write_str("criteria are nested too deeply (more than 64 levels)")
            }
        }
    }
}

impl std::error::Error for ParseError {}
