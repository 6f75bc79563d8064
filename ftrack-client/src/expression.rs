//! A caller's query expression with its own `offset` and `limit` taken off,
//! so that pages can be asked for with offsets and limits of their own.
//!
//! The Python client strips `offset N` / `limit N` with regexes that match
//! anywhere, even inside a quoted value (`name is "limit 5"`). Here the
//! expression is parsed with `ftrack-query`, and pages are printed from its
//! syntax tree with the page's offset and limit.
//!
//! An expression the parser does not know (the server's language may have
//! more than the documented grammar) is not refused here: a tokenizer that
//! respects quotes takes the trailing `offset`/`limit` clauses off, where
//! the grammar puts them, and the rest goes to the server as written.

/// An expression split into its body and its paging clauses.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Paged {
    /// The expression without `offset` and `limit`.
    body: Body,
    /// The caller's `offset`.
    pub(crate) offset: Option<u64>,
    /// The caller's `limit`.
    pub(crate) limit: Option<u64>,
}

#[derive(Debug, Clone, PartialEq)]
enum Body {
    /// Parsed, with `offset` and `limit` cleared.
    Parsed(Box<ftrack_query::Query>),
    /// Not parsed: the text before the trailing clauses.
    Text(String),
}

impl Paged {
    /// Splits an expression.
    pub(crate) fn parse(expression: &str) -> Result<Paged, String> {
        match ftrack_query::parse(expression) {
            Ok(mut query) => {
                let (offset, limit) = (query.offset.take(), query.limit.take());
                Ok(Paged {
                    body: Body::Parsed(Box::new(query)),
                    offset,
                    limit,
                })
            }
            Err(error) => {
                tracing::debug!(%error, "query not parsed; sending it as written");
                Paged::split_text(expression)
            }
        }
    }

    /// The tokenizer's split, for expressions the parser does not know.
    fn split_text(expression: &str) -> Result<Paged, String> {
        let tokens = tokenize(expression)?;
        let mut end = tokens.len();
        let mut offset = None;
        let mut limit = None;

        // Take `offset N` and `limit N` from the end, in either order.
        while end >= 2 {
            let (keyword, value) = (&tokens[end - 2], &tokens[end - 1]);
            let slot = match keyword.text(expression).to_ascii_lowercase().as_str() {
                "offset" if !keyword.quoted && offset.is_none() => &mut offset,
                "limit" if !keyword.quoted && limit.is_none() => &mut limit,
                _ => break,
            };
            let text = value.text(expression);
            if value.quoted || !text.bytes().all(|b| b.is_ascii_digit()) {
                return Err(format!(
                    "`{}` needs a whole number, not `{text}`",
                    keyword.text(expression)
                ));
            }
            *slot = Some(
                text.parse::<u64>()
                    .map_err(|_| format!("`{text}` is too large"))?,
            );
            end -= 2;
        }

        let body_end = tokens
            .get(end)
            .map_or(expression.len(), |token| token.start);
        let body = expression[..body_end].trim_end().to_owned();
        Ok(Paged {
            body: Body::Text(body),
            offset,
            limit,
        })
    }

    /// The body with an offset and limit of its own, Python's order:
    /// `… offset 500 limit 500`.
    pub(crate) fn with(&self, offset: u64, limit: Option<u64>) -> String {
        let offset = Some(offset).filter(|offset| *offset > 0);
        match &self.body {
            Body::Parsed(query) => {
                let mut query = (**query).clone();
                query.offset = offset;
                query.limit = limit;
                query.to_string()
            }
            Body::Text(body) => {
                let mut text = body.clone();
                if let Some(offset) = offset {
                    text.push_str(&format!(" offset {offset}"));
                }
                if let Some(limit) = limit {
                    text.push_str(&format!(" limit {limit}"));
                }
                text
            }
        }
    }

    /// A stand-in once a stream has ended.
    pub(crate) fn ended() -> Paged {
        Paged {
            body: Body::Text(String::new()),
            offset: None,
            limit: Some(0),
        }
    }
}

/// A word, number, quoted string or punctuation mark, by byte range.
struct Token {
    start: usize,
    end: usize,
    quoted: bool,
}

impl Token {
    fn text<'e>(&self, expression: &'e str) -> &'e str {
        &expression[self.start..self.end]
    }
}

fn tokenize(expression: &str) -> Result<Vec<Token>, String> {
    let mut tokens = Vec::new();
    let mut chars = expression.char_indices().peekable();
    while let Some((start, c)) = chars.next() {
        if c.is_whitespace() {
            continue;
        }
        if c == '"' || c == '\'' {
            // A quoted value; a backslash escapes the next character.
            let mut end = None;
            while let Some((at, d)) = chars.next() {
                if d == '\\' {
                    chars.next();
                } else if d == c {
                    end = Some(at + d.len_utf8());
                    break;
                }
            }
            let end = end.ok_or_else(|| format!("the quote at byte {start} is never closed"))?;
            tokens.push(Token {
                start,
                end,
                quoted: true,
            });
            continue;
        }
        if is_word(c) {
            let mut end = start + c.len_utf8();
            while let Some(&(at, d)) = chars.peek() {
                if !is_word(d) {
                    break;
                }
                end = at + d.len_utf8();
                chars.next();
            }
            tokens.push(Token {
                start,
                end,
                quoted: false,
            });
            continue;
        }
        tokens.push(Token {
            start,
            end: start + c.len_utf8(),
            quoted: false,
        });
    }
    Ok(tokens)
}

fn is_word(c: char) -> bool {
    c.is_alphanumeric() || matches!(c, '_' | '-' | '.' | '@' | '+' | '/' | '*' | ':')
}

#[cfg(test)]
mod tests {
    use super::*;

    fn paged(expression: &str) -> Paged {
        Paged::parse(expression).unwrap()
    }

    #[test]
    fn trailing_clauses_come_off_in_either_order() {
        let a = paged("select name from Task offset 10 limit 5");
        let b = paged("select name from Task LIMIT 5 offset 10");

        for p in [a, b] {
            assert_eq!(p.with(0, None), "select name from Task");
            assert_eq!((p.offset, p.limit), (Some(10), Some(5)));
        }
    }

    #[test]
    fn quoted_clauses_stay_in_the_criteria() {
        let p = paged(r#"select name from Task where name is "x\" limit 5" limit 3"#);

        assert_eq!(
            p.with(0, None),
            r#"select name from Task where name is "x\" limit 5""#
        );
        assert_eq!((p.offset, p.limit), (None, Some(3)));
    }

    #[test]
    fn pages_are_written_offset_then_limit() {
        let p = paged("Task where name like \"%offset 3%\"");

        assert_eq!(
            p.with(500, Some(250)),
            "Task where name like \"%offset 3%\" offset 500 limit 250"
        );
    }

    #[test]
    fn the_tokenizer_splits_what_the_parser_does_not_know() {
        let p = Paged::split_text(r#"select name from Task where name ilike "limit 1" limit 3"#)
            .unwrap();

        assert_eq!(
            p.with(7, Some(2)),
            r#"select name from Task where name ilike "limit 1" offset 7 limit 2"#
        );
        assert_eq!(p.limit, Some(3));
    }

    #[test]
    fn an_attribute_named_like_a_keyword_is_not_a_clause() {
        let p = Paged::split_text("select limit from Quota where limit is 5").unwrap();

        assert_eq!(p.with(0, None), "select limit from Quota where limit is 5");
        assert_eq!(p.limit, None);
    }

    #[test]
    fn bad_clauses_are_errors() {
        assert!(Paged::parse("select name from Task limit x").is_err());
        assert!(Paged::parse("select name from Task where name is \"open").is_err());
        assert!(Paged::parse("select name from Task limit 99999999999999999999999").is_err());
    }
}
