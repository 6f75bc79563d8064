//! A recursive-descent parser from tokens to the syntax tree.

use crate::ast::{
    Aggregate, Criteria, Direction, Ident, InSet, Operator, Ordering, Path, Projection, Query,
    Span, Value,
};
use crate::error::{ParseError, ParseErrorKind};
use crate::lexer::{tokenize, Token};

/// How deep parentheses, `not`, `has`, `any` and sub-queries may nest. Deep
/// enough for any real query, shallow enough that no input can exhaust the
/// stack.
const MAX_DEPTH: usize = 64;

/// Words that start or join clauses, which cannot name an entity type or
/// start a projection.
const CLAUSE_WORDS: &[&str] = &[
    "select", "from", "where", "and", "or", "order", "group", "by", "limit", "offset",
];

/// Whether `word` is a clause keyword as keywords are written: all lower
/// or all upper case.
fn is_clause_word(word: &str) -> bool {
    let one_case = word == word.to_ascii_lowercase() || word == word.to_ascii_uppercase();
    one_case && CLAUSE_WORDS.iter().any(|k| k.eq_ignore_ascii_case(word))
}

/// How to parse.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ParseOptions {
    /// Accept `{name}` as a value ([`Value::Placeholder`]).
    pub placeholders: bool,
}

/// Parses a whole query: `select name from Shot where parent.name is "sq010"`
/// or the short form `Shot where ...`.
///
/// Keywords, operator words and `true`/`false`/`none`/`null` are read in any
/// case; `limit` and `offset` in either order.
///
/// # Errors
///
/// [`ParseError`] with the span of the first token that does not fit.
pub fn parse(text: &str) -> Result<Query, ParseError> {
    parse_with(text, ParseOptions::default())
}

/// [`parse`] with options.
///
/// # Errors
///
/// As [`parse`].
pub fn parse_with(text: &str, options: ParseOptions) -> Result<Query, ParseError> {
    let mut parser = Parser::new(text, options)?;
    let query = parser.query(0)?;
    parser.expect_end(&["'and'", "'or'", "'order by'", "'limit'"])?;
    Ok(query)
}

/// Parses criteria alone, as they follow `where`: `name is "x" and bid > 1`.
///
/// # Errors
///
/// As [`parse`].
pub fn parse_criteria(text: &str, options: ParseOptions) -> Result<Criteria, ParseError> {
    let mut parser = Parser::new(text, options)?;
    let criteria = parser.criteria(0)?;
    parser.expect_end(&["'and'", "'or'"])?;
    Ok(criteria)
}

struct Parser {
    tokens: Vec<(Token, Span)>,
    at: usize,
}

impl Parser {
    fn new(text: &str, options: ParseOptions) -> Result<Parser, ParseError> {
        Ok(Parser {
            tokens: tokenize(text, options.placeholders)?,
            at: 0,
        })
    }

    fn peek(&self) -> &Token {
        &self.tokens[self.at].0
    }

    fn peek_span(&self) -> Span {
        self.tokens[self.at].1
    }

    /// Moves past the next token and hands it over. The parser never looks
    /// back, so the token is taken rather than cloned; the end stays put.
    fn advance(&mut self) -> (Token, Span) {
        if self.at + 1 < self.tokens.len() {
            let (token, span) = &mut self.tokens[self.at];
            let token = std::mem::replace(token, Token::Dot);
            let span = *span;
            self.at += 1;
            (token, span)
        } else {
            self.tokens[self.at].clone()
        }
    }

    /// The next token, known to be a word, as a name.
    fn take_word(&mut self) -> Ident {
        match self.advance() {
            (Token::Word(name), span) => Ident { name, span },
            _ => unreachable!("BUG: take_word after peeking a word"),
        }
    }

    fn eat_keyword(&mut self, keyword: &str) -> bool {
        if self.peek().is_keyword(keyword) {
            self.advance();
            true
        } else {
            false
        }
    }

    /// An error: `expected` was wanted after `after`, and the next token was
    /// found instead.
    fn expected(&self, expected: &str, after: Option<String>) -> ParseError {
        ParseError::new(
            self.peek_span(),
            ParseErrorKind::Expected {
                expected: expected.to_owned(),
                after,
                found: self.peek().describe(),
            },
        )
    }

    fn expect_keyword(&mut self, keyword: &str, after: &str) -> Result<(), ParseError> {
        if self.eat_keyword(keyword) {
            Ok(())
        } else {
            Err(self.expected(&format!("'{keyword}'"), Some(format!("'{after}'"))))
        }
    }

    fn expect_open(&mut self, after: &str) -> Result<(), ParseError> {
        match self.peek() {
            Token::Open => {
                self.advance();
                Ok(())
            }
            _ => Err(self.expected("'('", Some(format!("'{after}'")))),
        }
    }

    fn expect_close(&mut self, context: &str) -> Result<(), ParseError> {
        match self.peek() {
            Token::Close => {
                self.advance();
                Ok(())
            }
            _ => Err(self.expected(&format!("')' to close {context}"), None)),
        }
    }

    fn expect_end(&self, continuations: &[&str]) -> Result<(), ParseError> {
        match self.peek() {
            Token::End => Ok(()),
            _ => {
                let mut expected = continuations.join(", ");
                expected.push_str(" or the end of the query");
                Err(self.expected(&expected, None))
            }
        }
    }

    fn check_depth(&self, depth: usize) -> Result<(), ParseError> {
        if depth > MAX_DEPTH {
            Err(ParseError::new(self.peek_span(), ParseErrorKind::TooDeep))
        } else {
            Ok(())
        }
    }

    /// An entity type name: a word that is not a clause keyword. Keywords
    /// are written in lower or upper case; a word in mixed case names an
    /// entity type, so that `Group` (user groups) is not `group by`.
    fn entity_type(&mut self, after: Option<String>) -> Result<Ident, ParseError> {
        match self.peek() {
            Token::Word(word) if !is_clause_word(word) => Ok(self.take_word()),
            _ => Err(self.expected("an entity type", after)),
        }
    }

    /// A dotted attribute path. Any word names an attribute, keywords
    /// included: schemas have attributes called `from` and `group`.
    fn path(&mut self, what: &str, after: Option<String>) -> Result<Path, ParseError> {
        let first = match self.peek() {
            Token::Word(_) => self.take_word(),
            _ => return Err(self.expected(what, after)),
        };
        let mut segments = vec![first];
        while matches!(self.peek(), Token::Dot) {
            self.advance();
            // After a dot any word names an attribute, keywords included.
            match self.peek() {
                Token::Word(_) => segments.push(self.take_word()),
                _ => {
                    let so_far = Path { segments };
                    return Err(self.expected("an attribute name", Some(format!("'{so_far}.'"))));
                }
            }
        }
        Ok(Path { segments })
    }

    fn query(&mut self, depth: usize) -> Result<Query, ParseError> {
        self.check_depth(depth)?;

        // `select <projections> from`, or the short form.
        let mut projections = Vec::new();
        if self.eat_keyword("select") {
            let mut after = "'select'".to_owned();
            loop {
                let projection = self.projection(after)?;
                after = format!("'{}'", projection.path());
                projections.push(projection);
                if !matches!(self.peek(), Token::Comma) {
                    break;
                }
                self.advance();
                after = "','".to_owned();
            }
            if !self.eat_keyword("from") {
                return Err(self.expected("',' or 'from'", Some(after)));
            }
        }
        let entity_type =
            self.entity_type((!projections.is_empty()).then(|| "'from'".to_owned()))?;

        let mut query = Query {
            projections,
            entity_type,
            ..Query::new("")
        };
        if self.eat_keyword("where") {
            query.criteria = Some(self.criteria(depth + 1)?);
        }
        self.clauses(&mut query)?;
        Ok(query)
    }

    fn projection(&mut self, after: String) -> Result<Projection, ParseError> {
        // `from` ends the list, unless it is an attribute called `from`
        // (`select from.name from TypedContextLink`).
        let next = self.tokens.get(self.at + 1).map(|(token, _)| token);
        let names_attribute = matches!(next, Some(Token::Dot | Token::Comma))
            || next.is_some_and(|t| t.is_keyword("from"));
        if self.peek().is_keyword("from") && !names_attribute {
            return Err(self.expected("a projection", Some(after)));
        }
        let function = match (self.peek(), self.tokens.get(self.at + 1)) {
            (Token::Word(word), Some((Token::Open, _))) => Aggregate::from_name(word),
            _ => None,
        };
        match function {
            Some(function) => {
                self.advance();
                self.advance();
                let path = self.path(
                    "an attribute path",
                    Some(format!("'{}('", function.as_str())),
                )?;
                self.expect_close(&format!("'{}('", function.as_str()))?;
                Ok(Projection::Aggregate { function, path })
            }
            None => Ok(Projection::Path(self.path("a projection", Some(after))?)),
        }
    }

    /// `group by`, `order by`, `offset` and `limit`, in any order, each once.
    fn clauses(&mut self, query: &mut Query) -> Result<(), ParseError> {
        loop {
            let span = self.peek_span();
            let repeated = |clause| ParseError::new(span, ParseErrorKind::Repeated(clause));
            if self.eat_keyword("group") {
                self.expect_keyword("by", "group")?;
                if !query.group_by.is_empty() {
                    return Err(repeated("group by"));
                }
                query.group_by = self.list(|p, after| p.path("a path to group by", after))?;
            } else if self.eat_keyword("order") {
                self.expect_keyword("by", "order")?;
                if !query.order_by.is_empty() {
                    return Err(repeated("order by"));
                }
                query.order_by = self.list(Parser::ordering)?;
            } else if self.eat_keyword("offset") {
                if query.offset.is_some() {
                    return Err(repeated("offset"));
                }
                query.offset = Some(self.count("offset")?);
            } else if self.eat_keyword("limit") {
                if query.limit.is_some() {
                    return Err(repeated("limit"));
                }
                query.limit = Some(self.count("limit")?);
            } else {
                return Ok(());
            }
        }
    }

    /// Items separated by commas.
    fn list<T>(
        &mut self,
        mut item: impl FnMut(&mut Parser, Option<String>) -> Result<T, ParseError>,
    ) -> Result<Vec<T>, ParseError> {
        let mut items = vec![item(self, Some("'by'".to_owned()))?];
        while matches!(self.peek(), Token::Comma) {
            self.advance();
            items.push(item(self, Some("','".to_owned()))?);
        }
        Ok(items)
    }

    fn ordering(&mut self, after: Option<String>) -> Result<Ordering, ParseError> {
        let path = self.path("a path to order by", after)?;
        let direction = if self.eat_keyword("ascending") || self.eat_keyword("asc") {
            Direction::Ascending
        } else if self.eat_keyword("descending") || self.eat_keyword("desc") {
            Direction::Descending
        } else {
            Direction::Ascending
        };
        Ok(Ordering { path, direction })
    }

    fn count(&mut self, clause: &str) -> Result<u64, ParseError> {
        match self.peek() {
            Token::Integer(n) if *n >= 0 => {
                let n = n.unsigned_abs();
                self.advance();
                Ok(n)
            }
            Token::Unsigned(n) => {
                let n = *n;
                self.advance();
                Ok(n)
            }
            _ => Err(self.expected("a whole number of 0 or more", Some(format!("'{clause}'")))),
        }
    }

    /// `conj {or conj}`: `and` binds tighter than `or`.
    fn criteria(&mut self, depth: usize) -> Result<Criteria, ParseError> {
        self.check_depth(depth)?;
        let mut items = vec![self.conjunction(depth)?];
        while self.eat_keyword("or") {
            items.push(self.conjunction(depth)?);
        }
        Ok(chain(items, Criteria::Or))
    }

    fn conjunction(&mut self, depth: usize) -> Result<Criteria, ParseError> {
        let mut items = vec![self.unary(depth)?];
        while self.eat_keyword("and") {
            items.push(self.unary(depth)?);
        }
        Ok(chain(items, Criteria::And))
    }

    fn unary(&mut self, depth: usize) -> Result<Criteria, ParseError> {
        self.check_depth(depth)?;
        if self.eat_keyword("not") {
            return Ok(Criteria::not(self.unary(depth + 1)?));
        }
        if matches!(self.peek(), Token::Open) {
            self.advance();
            let inner = self.criteria(depth + 1)?;
            self.expect_close("the group")?;
            return Ok(inner);
        }
        self.condition(depth)
    }

    /// `path OP value`, `path in (...)`, `path has (...)`, `path any (...)`.
    fn condition(&mut self, depth: usize) -> Result<Criteria, ParseError> {
        let path = self.path("an attribute path", None)?;

        if self.eat_keyword("has") {
            self.expect_open("has")?;
            let criteria = Box::new(self.criteria(depth + 1)?);
            self.expect_close("'has ('")?;
            return Ok(Criteria::Has { path, criteria });
        }
        if self.eat_keyword("any") {
            self.expect_open("any")?;
            let criteria = match self.peek() {
                Token::Close => None,
                _ => Some(Box::new(self.criteria(depth + 1)?)),
            };
            self.expect_close("'any ('")?;
            return Ok(Criteria::Any { path, criteria });
        }
        let negated = if self.eat_keyword("in") {
            Some(false)
        } else if self.eat_keyword("not_in") {
            Some(true)
        } else {
            None
        };
        if let Some(negated) = negated {
            let keyword = if negated { "not_in" } else { "in" };
            self.expect_open(keyword)?;
            let set = self.in_set(depth, keyword)?;
            return Ok(Criteria::In { path, negated, set });
        }

        let operator = match self.peek() {
            Token::Word(word) => Operator::from_spelling(word),
            Token::Symbol(symbol) => Operator::from_spelling(symbol),
            _ => None,
        };
        let Some(operator) = operator else {
            return Err(self.expected("an operator", Some(format!("'{path}'"))));
        };
        self.advance();
        let value = self.expect_value(|| format!("'{path} {operator}'"))?;
        Ok(Criteria::Compare {
            path,
            operator,
            value,
        })
    }

    /// After `in (`: values or a sub-query, then `)`.
    fn in_set(&mut self, depth: usize, keyword: &str) -> Result<InSet, ParseError> {
        let context = format!("'{keyword} ('");
        if self.peek().is_keyword("select") {
            let query = self.query(depth + 1)?;
            self.expect_close(&context)?;
            return Ok(InSet::Query(Box::new(query)));
        }
        let mut values = Vec::new();
        if !matches!(self.peek(), Token::Close) {
            values.push(self.expect_value(|| context.clone())?);
            while matches!(self.peek(), Token::Comma) {
                self.advance();
                values.push(self.expect_value(|| "','".to_owned())?);
            }
        }
        self.expect_close(&context)?;
        Ok(InSet::Values(values))
    }

    /// A value; `after` says what came before, for the message when the
    /// next token is not a value.
    fn expect_value(&mut self, after: impl FnOnce() -> String) -> Result<Value, ParseError> {
        if let Token::Unsigned(n) = self.peek() {
            return Err(ParseError::new(
                self.peek_span(),
                ParseErrorKind::NumberOutOfRange(n.to_string()),
            ));
        }
        match self.value() {
            Some(value) => Ok(value),
            None => Err(self.expected("a value", Some(after()))),
        }
    }

    /// A value, or `None` when the next token is not one.
    fn value(&mut self) -> Option<Value> {
        let value = match self.peek() {
            Token::String(_) => match self.advance() {
                (Token::String(text), _) => return Some(Value::String(text)),
                _ => unreachable!("BUG: the string just peeked"),
            },
            Token::Integer(n) => Value::Integer(*n),
            Token::Float(n) => Value::Float(*n),
            Token::Placeholder(name) => Value::Placeholder(name.clone()),
            Token::Word(word) => match word.to_ascii_lowercase().as_str() {
                "true" => Value::Bool(true),
                "false" => Value::Bool(false),
                "none" | "null" => Value::Null,
                _ => Value::String(self.take_word().name),
            },
            _ => return None,
        };
        if !matches!(value, Value::String(_)) {
            self.advance();
        }
        Some(value)
    }
}

/// One item as it is, several joined. A parenthesised group inside the
/// chain stays a group of its own (`(a and b) and c` keeps its shape), so
/// that printing a tree and parsing it back gives the same tree.
fn chain(mut items: Vec<Criteria>, join: fn(Vec<Criteria>) -> Criteria) -> Criteria {
    if items.len() == 1 {
        items.pop().expect("BUG: one item was just counted")
    } else {
        join(items)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_example_of_the_docs() {
        let query =
            parse("select name, parent.name from Shot where parent.name is sq010").expect("parses");
        assert_eq!(query.entity_type.name, "Shot");
        assert_eq!(query.projections.len(), 2);
        assert_eq!(
            query.criteria,
            Some(Criteria::compare(
                Path::parse_dotted("parent.name"),
                Operator::Is,
                "sq010"
            ))
        );
    }

    #[test]
    fn names_keep_their_spans() {
        let query = parse("select name from Shot where parent.nmae is x").expect("parses");
        let Some(Criteria::Compare { path, .. }) = &query.criteria else {
            panic!("expected a comparison");
        };
        assert_eq!(path.segments[1].span.start, 35);
        assert_eq!(path.segments[1].span.end, 39);
        assert_eq!(query.entity_type.span.start, 17);
    }
}
