//! A caller's query expression with its own `offset` and `limit` taken off,
//! so that pages can be asked for with offsets and limits of their own.
//!
//! The Python client strips `offset N` / `limit N` with regexes that match
//! anywhere, even inside a quoted value (`name is "limit 5"`). Here the
//! expression is split into tokens that respect quotes, and only trailing
//! `offset`/`limit` clauses, where the grammar puts them, are taken.

// The query-language crate (ftrack-query) will parse whole expressions; until
// its parser is on main, this tokenizer handles the only part paging needs,
// the trailing clauses.

/// An expression split into its body and its paging clauses.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Paged {
    /// Everything before the trailing `offset`/`limit` clauses.
    pub(crate) body: String,
    /// The caller's `offset`.
    pub(crate) offset: Option<u64>,
    /// The caller's `limit`.
    pub(crate) limit: Option<u64>,
}

impl Paged {
    /// Splits an expression.
    pub(crate) fn parse(expression: &str) -> Result<Paged, String> {
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
            body,
            offset,
            limit,
        })
    }

    /// The body with an offset and limit of its own, Python's order:
    /// `… offset 500 limit 500`.
    pub(crate) fn with(&self, offset: u64, limit: Option<u64>) -> String {
        let mut text = self.body.clone();
        if offset > 0 {
            text.push_str(&format!(" offset {offset}"));
        }
        if let Some(limit) = limit {
            text.push_str(&format!(" limit {limit}"));
        }
        text
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
            assert_eq!(p.body, "select name from Task");
            assert_eq!((p.offset, p.limit), (Some(10), Some(5)));
        }
    }

    #[test]
    fn quoted_clauses_stay_in_the_body() {
        let p = paged(r#"select name from Task where name is "x\" limit 5" limit 3"#);

        assert_eq!(
            p.body,
            r#"select name from Task where name is "x\" limit 5""#
        );
        assert_eq!((p.offset, p.limit), (None, Some(3)));
    }

    #[test]
    fn an_attribute_named_like_a_keyword_is_not_a_clause() {
        let p = paged("select limit from Quota where limit is 5");

        assert_eq!(p.body, "select limit from Quota where limit is 5");
        assert_eq!(p.limit, None);
    }

    #[test]
    fn pages_are_written_offset_then_limit() {
        let p = paged("Task where name like \"%offset 3%\"");

        assert_eq!(
            p.with(500, Some(250)),
            "Task where name like \"%offset 3%\" offset 500 limit 250"
        );
        assert_eq!(p.with(0, None), "Task where name like \"%offset 3%\"");
    }

    #[test]
    fn bad_clauses_are_errors() {
        assert!(Paged::parse("select name from Task limit x").is_err());
        assert!(Paged::parse("select name from Task where name is \"open").is_err());
        assert!(Paged::parse("select name from Task limit 99999999999999999999999").is_err());
    }
}
