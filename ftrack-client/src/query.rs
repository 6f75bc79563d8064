//! Queries: `all`, `first`, `one`, and a stream that pages.

use std::collections::VecDeque;
use std::pin::Pin;

use futures_util::Stream;

use crate::entity::Entity;
use crate::error::Error;
use crate::expression::Paged;
use crate::operation::{Action, Operation};
use crate::session::Session;

/// The page size when none is set, as in the Python client.
pub const DEFAULT_PAGE_SIZE: u64 = 500;

/// How many pages [`Query::all`] asks for in one request, after the first,
/// when not set.
pub const DEFAULT_PAGES_PER_REQUEST: usize = 5;

/// A stream of the entities of a query, page by page.
pub type EntityStream = Pin<Box<dyn Stream<Item = Result<Entity, Error>> + Send>>;

/// A query expression and how to page through it; made by
/// [`Session::query`].
///
/// The expression may carry its own `offset` and `limit` (in either order,
/// at its end); paging starts at that offset and stops at that limit.
/// Page only over a stable ordering (`order by`), as the server advises.
#[derive(Debug, Clone)]
pub struct Query {
    session: Session,
    expression: String,
    page_size: u64,
    pages_per_request: Option<usize>,
}

impl Query {
    pub(crate) fn new(session: Session, expression: String) -> Query {
        Query {
            session,
            expression,
            page_size: DEFAULT_PAGE_SIZE,
            pages_per_request: None,
        }
    }

    /// How many entities one page holds (at least 1); default 500.
    pub fn page_size(mut self, page_size: u64) -> Self {
        self.page_size = page_size.max(1);
        self
    }

    /// How many pages one request asks for, as query operations with
    /// consecutive offsets (at least 1). Default: 5 for [`Query::all`]
    /// after a first request of one page, so a small answer takes one
    /// round trip and a 5,000-row answer three instead of ten; 1 for
    /// [`Query::stream`], whose memory stays within one request's pages.
    pub fn pages_per_request(mut self, pages: usize) -> Self {
        self.pages_per_request = Some(pages.max(1));
        self
    }

    /// The expression as given.
    pub fn expression(&self) -> &str {
        &self.expression
    }

    fn paged(&self) -> Result<Paged, Error> {
        Paged::parse(&self.expression).map_err(|reason| Error::InvalidQuery {
            expression: self.expression.clone(),
            reason,
        })
    }

    /// Every entity the query matches, fetching several pages per request.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidQuery`] when the expression's `offset`/`limit` cannot
    /// be read; any error of [`Session::call`].
    pub async fn all(self) -> Result<Vec<Entity>, Error> {
        let paged = self.paged()?;
        let pages = self.pages_per_request.unwrap_or(DEFAULT_PAGES_PER_REQUEST);
        let mut cursor = Cursor::new(&paged);
        // Each request's answer has an identity map of its own, so the same
        // entity fetched by two requests is two handles; the server sends it
        // in full in each answer, so both are complete. Merging across
        // requests would need a session-wide cache like the Python client's.
        let mut entities = Vec::new();
        // The first request asks for one page: most answers fit in it.
        let mut pages_now = 1;
        while let Some(offset) = cursor.next_offset {
            let fetched = self
                .fetch(&paged, offset, cursor.remaining, pages_now)
                .await?;
            cursor.advance(offset, &fetched);
            entities.extend(fetched.entities);
            pages_now = pages;
        }
        Ok(entities)
    }

    /// The first entity (`limit 1`), or `None`. A `limit` in the
    /// expression is replaced (a `limit 0` gives `None`); its `offset` is
    /// kept.
    ///
    /// # Errors
    ///
    /// As [`Query::all`].
    pub async fn first(self) -> Result<Option<Entity>, Error> {
        let paged = self.paged()?;
        if paged.limit == Some(0) {
            return Ok(None);
        }
        let fetched = self
            .fetch(&paged, paged.offset.unwrap_or(0), Some(1), 1)
            .await?;
        Ok(fetched.entities.into_iter().next())
    }

    /// The one entity the query matches (asks for `limit 2` to tell).
    ///
    /// # Errors
    ///
    /// [`Error::NoResult`] when none matches, [`Error::MultipleResults`]
    /// when more than one does, [`Error::InvalidQuery`] when the expression
    /// has its own `limit` (as in the Python client); any error of
    /// [`Session::call`].
    pub async fn one(self) -> Result<Entity, Error> {
        let paged = self.paged()?;
        if paged.limit.is_some() {
            return Err(Error::InvalidQuery {
                expression: self.expression.clone(),
                reason: "one() adds its own limit; remove the expression's limit".to_owned(),
            });
        }
        let fetched = self
            .fetch(&paged, paged.offset.unwrap_or(0), Some(2), 1)
            .await?;
        let mut entities = fetched.entities.into_iter();
        match (entities.next(), entities.next()) {
            (Some(entity), None) => Ok(entity),
            (None, _) => Err(Error::NoResult {
                expression: self.expression,
            }),
            (Some(_), Some(_)) => Err(Error::MultipleResults {
                expression: self.expression,
            }),
        }
    }

    /// The entities as a stream, one request at a time (see
    /// [`Query::pages_per_request`]), following `metadata.next.offset`.
    /// It holds at most one request's pages: the next request goes out when
    /// the entities of the last one have been taken.
    ///
    /// An error ends the stream after it is yielded.
    pub fn stream(self) -> EntityStream {
        let state = StreamState {
            paged: self.paged(),
            pages: self.pages_per_request.unwrap_or(1),
            query: self,
            cursor: None,
            buffer: VecDeque::new(),
        };
        Box::pin(futures_util::stream::unfold(
            state,
            |mut state| async move {
                let item = state.next().await?;
                Some((item, state))
            },
        ))
    }

    /// Asks for up to `pages` pages from `offset` in one request, stopping
    /// at `remaining` entities.
    async fn fetch(
        &self,
        paged: &Paged,
        offset: u64,
        remaining: Option<u64>,
        pages: usize,
    ) -> Result<Fetched, Error> {
        // One query operation per page, with consecutive offsets.
        let mut operations = Vec::with_capacity(pages);
        let mut ends = Vec::with_capacity(pages);
        let (mut at, mut left) = (offset, remaining);
        for _ in 0..pages {
            let size = left.map_or(self.page_size, |left| left.min(self.page_size));
            if size == 0 {
                break;
            }
            operations.push(Operation::query(paged.with(at, Some(size))));
            at = at.saturating_add(size);
            left = left.map(|left| left - size);
            ends.push(at);
        }
        if operations.is_empty() {
            return Ok(Fetched {
                entities: Vec::new(),
                next_offset: None,
            });
        }

        // Take pages in order while each one says the next follows it.
        let mut entities = Vec::new();
        let mut next_offset = None;
        for (outcome, end) in self.session.call(operations).await?.into_iter().zip(ends) {
            let page = outcome
                .into_page()
                .ok_or_else(|| self.session.shape_error(Action::Query))?;
            entities.extend(page.entities);
            next_offset = page.next_offset;
            if next_offset != Some(end) {
                break;
            }
        }
        if let Some(remaining) = remaining {
            entities.truncate(usize::try_from(remaining).unwrap_or(usize::MAX));
        }
        Ok(Fetched {
            entities,
            next_offset,
        })
    }
}

/// What one request brought.
struct Fetched {
    entities: Vec<Entity>,
    next_offset: Option<u64>,
}

/// Where paging stands.
struct Cursor {
    next_offset: Option<u64>,
    remaining: Option<u64>,
}

impl Cursor {
    fn new(paged: &Paged) -> Cursor {
        Cursor {
            next_offset: Some(paged.offset.unwrap_or(0)),
            remaining: paged.limit,
        }
    }

    fn advance(&mut self, offset: u64, fetched: &Fetched) {
        let count = fetched.entities.len() as u64;
        self.remaining = self.remaining.map(|left| left.saturating_sub(count));
        self.next_offset = match fetched.next_offset {
            // A server that does not move forward would page forever.
            Some(next) if next <= offset => {
                tracing::warn!(
                    offset,
                    next,
                    "the server's next offset does not advance; stopping"
                );
                None
            }
            _ if self.remaining == Some(0) => None,
            next => next,
        };
    }
}

struct StreamState {
    query: Query,
    paged: Result<Paged, Error>,
    pages: usize,
    cursor: Option<Cursor>,
    buffer: VecDeque<Entity>,
}

impl StreamState {
    async fn next(&mut self) -> Option<Result<Entity, Error>> {
        loop {
            if let Some(entity) = self.buffer.pop_front() {
                return Some(Ok(entity));
            }
            let paged = match &self.paged {
                Ok(paged) => paged,
                Err(_) => {
                    // Yield the error once, then end.
                    let error = std::mem::replace(&mut self.paged, Ok(Paged::ended()));
                    self.cursor = Some(Cursor {
                        next_offset: None,
                        remaining: None,
                    });
                    return error.err().map(Err);
                }
            };
            let cursor = self.cursor.get_or_insert_with(|| Cursor::new(paged));
            let offset = cursor.next_offset?;
            match self
                .query
                .fetch(paged, offset, cursor.remaining, self.pages)
                .await
            {
                Ok(fetched) => {
                    cursor.advance(offset, &fetched);
                    self.buffer.extend(fetched.entities);
                }
                Err(error) => {
                    cursor.next_offset = None;
                    return Some(Err(error));
                }
            }
        }
    }
}
