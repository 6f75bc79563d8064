//! Splitting query text into tokens, each with its byte span.

use crate::ast::Span;
use crate::error::{ParseError, ParseErrorKind};

/// One token of query text.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Token {
    /// A run of `[A-Za-z0-9_-]` that is not a number: a name, a keyword or
    /// a bare-word value.
    Word(String),
    /// A quoted string, escapes resolved.
    String(String),
    /// A whole number.
    Integer(i64),
    /// A whole number above `i64::MAX`: only `offset` and `limit` take it.
    Unsigned(u64),
    /// A number with a fraction.
    Float(f64),
    /// `{name}`, when placeholders are allowed.
    Placeholder(String),
    /// `.`
    Dot,
    /// `,`
    Comma,
    /// `(`
    Open,
    /// `)`
    Close,
    /// `=`, `!=`, `>`, `<`, `>=`, `<=`.
    Symbol(&'static str),
    /// The end of the text.
    End,
}

impl Token {
    /// How the token reads in a message: `'name'`, `'('`, `the end of the
    /// query`.
    pub(crate) fn describe(&self) -> String {
        match self {
            Token::Word(word) => format!("'{word}'"),
            Token::String(text) => format!("the string {}", crate::print::quote(text)),
            Token::Integer(n) => format!("'{n}'"),
            Token::Unsigned(n) => format!("'{n}'"),
            Token::Float(n) => format!("'{}'", crate::print::float(*n)),
            Token::Placeholder(name) => format!("'{{{name}}}'"),
            Token::Dot => "'.'".to_owned(),
            Token::Comma => "','".to_owned(),
            Token::Open => "'('".to_owned(),
            Token::Close => "')'".to_owned(),
            Token::Symbol(symbol) => format!("'{symbol}'"),
            Token::End => "the end of the query".to_owned(),
        }
    }

    /// Whether the token is the word `keyword`, in any case.
    pub(crate) fn is_keyword(&self, keyword: &str) -> bool {
        matches!(self, Token::Word(word) if word.eq_ignore_ascii_case(keyword))
    }
}

fn is_word_char(c: u8) -> bool {
    c.is_ascii_alphanumeric() || c == b'_' || c == b'-'
}

/// Splits `text` into tokens, ending with [`Token::End`].
pub(crate) fn tokenize(text: &str, placeholders: bool) -> Result<Vec<(Token, Span)>, ParseError> {
    let bytes = text.as_bytes();
    let mut tokens = Vec::new();
    let mut at = 0;
    while at < bytes.len() {
        let start = at;
        let c = bytes[at];
        let token = match c {
            b' ' | b'\t' | b'\n' | b'\r' => {
                at += 1;
                continue;
            }
            b'"' | b'\'' => {
                let (value, end) = string(text, start)?;
                at = end;
                Token::String(value)
            }
            b'.' | b',' | b'(' | b')' | b'=' => {
                at += 1;
                match c {
                    b'.' => Token::Dot,
                    b',' => Token::Comma,
                    b'(' => Token::Open,
                    b')' => Token::Close,
                    _ => Token::Symbol("="),
                }
            }
            b'!' | b'>' | b'<' => {
                let or_equal = bytes.get(at + 1) == Some(&b'=');
                let symbol = match (c, or_equal) {
                    (b'!', true) => "!=",
                    (b'>', false) => ">",
                    (b'>', true) => ">=",
                    (b'<', false) => "<",
                    (b'<', true) => "<=",
                    // A `!` alone is no operator.
                    _ => return Err(unexpected(text, start)),
                };
                at += symbol.len();
                Token::Symbol(symbol)
            }
            b'{' if placeholders => {
                let (name, end) = placeholder(text, start)?;
                at = end;
                Token::Placeholder(name)
            }
            c if is_word_char(c) => {
                let (token, end) = word_or_number(text, start)?;
                at = end;
                token
            }
            _ => return Err(unexpected(text, start)),
        };
        tokens.push((token, Span::new(start, at)));
    }
    tokens.push((Token::End, Span::new(text.len(), text.len())));
    Ok(tokens)
}

/// The error for the character at `start`, which starts no token.
fn unexpected(text: &str, start: usize) -> ParseError {
    let found = text[start..].chars().next().unwrap_or('?');
    ParseError::new(
        Span::new(start, start + found.len_utf8()),
        ParseErrorKind::UnexpectedCharacter(found),
    )
}

/// A quoted string starting at `start`; returns its value and the byte
/// after the closing quote. A backslash makes the next character literal.
fn string(text: &str, start: usize) -> Result<(String, usize), ParseError> {
    let quote = text.as_bytes()[start] as char;
    let mut value = String::new();
    let mut chars = text[start + 1..].char_indices();
    while let Some((offset, c)) = chars.next() {
        match c {
            '\\' => match chars.next() {
                Some((_, escaped)) => value.push(escaped),
                None => break,
            },
            c if c == quote => return Ok((value, start + 1 + offset + 1)),
            c => value.push(c),
        }
    }
    Err(ParseError::new(
        Span::new(start, text.len()),
        ParseErrorKind::UnterminatedString,
    ))
}

/// `{name}` starting at `start`.
fn placeholder(text: &str, start: usize) -> Result<(String, usize), ParseError> {
    let rest = &text[start + 1..];
    let name_len = rest
        .bytes()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == b'_')
        .count();
    let name = &rest[..name_len];
    let valid_start = name
        .bytes()
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == b'_');
    if !valid_start || rest.as_bytes().get(name_len) != Some(&b'}') {
        let end = rest.find('}').map_or(text.len(), |i| start + 1 + i + 1);
        return Err(ParseError::new(
            Span::new(start, end),
            ParseErrorKind::BadPlaceholder(text[start..end].to_owned()),
        ));
    }
    Ok((name.to_owned(), start + 1 + name_len + 1))
}

/// A run of word characters starting at `start`: a number when it is one
/// (`10`, `-3`, `12.5`, `1.5e3`), otherwise a word (`name`, `NOT_STARTED`,
/// an unquoted UUID).
fn word_or_number(text: &str, start: usize) -> Result<(Token, usize), ParseError> {
    let bytes = text.as_bytes();
    let mut end = start;
    while end < bytes.len() && is_word_char(bytes[end]) {
        end += 1;
    }
    let run = &text[start..end];
    let digits = run.strip_prefix('-').unwrap_or(run);
    let is_integer = !digits.is_empty() && digits.bytes().all(|c| c.is_ascii_digit());
    if !is_integer {
        return Ok((Token::Word(run.to_owned()), end));
    }

    // A fraction, and then an exponent, make it a float.
    let fraction_digits = bytes[end..]
        .iter()
        .skip(1)
        .take_while(|c| c.is_ascii_digit())
        .count();
    if bytes.get(end) == Some(&b'.') && fraction_digits > 0 {
        end += 1 + fraction_digits;
        if matches!(bytes.get(end), Some(b'e' | b'E')) {
            let sign = usize::from(matches!(bytes.get(end + 1), Some(b'+' | b'-')));
            let exponent_digits = bytes[end + 1 + sign..]
                .iter()
                .take_while(|c| c.is_ascii_digit())
                .count();
            if exponent_digits > 0 {
                end += 1 + sign + exponent_digits;
            }
        }
        let literal = &text[start..end];
        return match literal.parse::<f64>() {
            Ok(value) if value.is_finite() => Ok((Token::Float(value), end)),
            _ => Err(ParseError::new(
                Span::new(start, end),
                ParseErrorKind::NumberOutOfRange(literal.to_owned()),
            )),
        };
    }

    match (run.parse::<i64>(), run.parse::<u64>()) {
        (Ok(value), _) => Ok((Token::Integer(value), end)),
        (_, Ok(value)) => Ok((Token::Unsigned(value), end)),
        _ => Err(ParseError::new(
            Span::new(start, end),
            ParseErrorKind::NumberOutOfRange(run.to_owned()),
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::{tokenize, Token};

    fn tokens(text: &str) -> Vec<Token> {
        tokenize(text, true)
            .expect("tokenizes")
            .into_iter()
            .map(|(token, _)| token)
            .collect()
    }

    #[test]
    fn splits_words_numbers_and_symbols() {
        assert_eq!(
            tokens("bid>=14400 and x!=-2.5e3"),
            vec![
                Token::Word("bid".into()),
                Token::Symbol(">="),
                Token::Integer(14400),
                Token::Word("and".into()),
                Token::Word("x".into()),
                Token::Symbol("!="),
                Token::Float(-2500.0),
                Token::End,
            ]
        );
    }

    #[test]
    fn reads_uuids_and_dates_as_words() {
        assert_eq!(
            tokens("7d0e-11 2015-06-01"),
            vec![
                Token::Word("7d0e-11".into()),
                Token::Word("2015-06-01".into()),
                Token::End
            ]
        );
    }

    #[test]
    fn a_closing_quote_may_touch_the_next_keyword() {
        assert_eq!(
            tokens(r#"(parent_id is "x"and key is 'y\'s')"#),
            vec![
                Token::Open,
                Token::Word("parent_id".into()),
                Token::Word("is".into()),
                Token::String("x".into()),
                Token::Word("and".into()),
                Token::Word("key".into()),
                Token::Word("is".into()),
                Token::String("y's".into()),
                Token::Close,
                Token::End,
            ]
        );
    }

    #[test]
    fn spans_count_bytes() {
        let error = tokenize("é is x", false).unwrap_err();
        assert_eq!((error.span.start, error.span.end), (0, 2));

        let ok = tokenize("name is 'ü' ", false).expect("tokenizes");
        assert_eq!((ok[2].1.start, ok[2].1.end), (8, 12));
        assert_eq!(ok[3].1.start, 13);
    }
}
