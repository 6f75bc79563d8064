//! When and how long to wait before sending a batch again.

use std::time::{Duration, SystemTime};

use rand::Rng;

/// How a session retries a batch that failed on the way: transport errors,
/// HTTP 502, 503, 504 and 429.
///
/// Only batches that are safe to repeat are retried after the request may
/// have reached the server (see [`crate::Operation::is_safe_to_repeat`]);
/// a connection that was refused is retried for every batch, since nothing
/// was sent. Never retried: other 4xx statuses and the server's `exception`
/// answers.
///
/// The wait before retry `n` (from 1) is a random duration between half and
/// all of `min(initial_delay * 2^(n-1), max_delay)` ("equal jitter"), or the
/// server's `Retry-After` when it sends one and it is at most
/// `max_retry_after`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RetryPolicy {
    /// Retries after the first attempt; 0 turns retries off.
    pub max_retries: u32,
    /// The wait before the first retry, before jitter.
    pub initial_delay: Duration,
    /// The longest wait between attempts, before jitter.
    pub max_delay: Duration,
    /// The longest `Retry-After` honoured; a longer one ends the retries.
    pub max_retry_after: Duration,
}

impl Default for RetryPolicy {
    fn default() -> RetryPolicy {
        RetryPolicy {
            max_retries: 3,
            initial_delay: Duration::from_millis(250),
            max_delay: Duration::from_secs(8),
            max_retry_after: Duration::from_secs(60),
        }
    }
}

impl RetryPolicy {
    /// No retries.
    pub fn none() -> RetryPolicy {
        RetryPolicy {
            max_retries: 0,
            ..RetryPolicy::default()
        }
    }

    /// The wait before retry `retry` (from 1), with jitter.
    pub(crate) fn backoff(&self, retry: u32) -> Duration {
        let factor = 2u32.saturating_pow(retry.saturating_sub(1));
        let ceiling = self
            .initial_delay
            .saturating_mul(factor)
            .min(self.max_delay);
        let half = ceiling / 2;
        let jitter = rand::rng().random_range(0..=half.as_micros().min(u64::MAX as u128) as u64);
        half + Duration::from_micros(jitter)
    }
}

/// Whether an HTTP status means "try again later".
pub(crate) fn is_retryable_status(status: u16) -> bool {
    matches!(status, 429 | 502 | 503 | 504)
}

/// A `Retry-After` header: seconds, or an HTTP date.
pub(crate) fn parse_retry_after(value: &str, now: SystemTime) -> Option<Duration> {
    let value = value.trim();
    if let Ok(seconds) = value.parse::<u64>() {
        return Some(Duration::from_secs(seconds));
    }
    let when = httpdate::parse_http_date(value).ok()?;
    Some(when.duration_since(now).unwrap_or(Duration::ZERO))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_up_to_the_ceiling_with_jitter() {
        let policy = RetryPolicy {
            initial_delay: Duration::from_millis(100),
            max_delay: Duration::from_millis(300),
            ..RetryPolicy::default()
        };

        for _ in 0..50 {
            let first = policy.backoff(1);
            let second = policy.backoff(2);
            let tenth = policy.backoff(10);
            assert!((Duration::from_millis(50)..=Duration::from_millis(100)).contains(&first));
            assert!((Duration::from_millis(100)..=Duration::from_millis(200)).contains(&second));
            assert!((Duration::from_millis(150)..=Duration::from_millis(300)).contains(&tenth));
        }
    }

    #[test]
    fn retry_after_reads_seconds_and_dates() {
        let now = httpdate::parse_http_date("Sun, 06 Nov 1994 08:49:37 GMT").unwrap();

        assert_eq!(parse_retry_after("7", now), Some(Duration::from_secs(7)));
        assert_eq!(
            parse_retry_after("Sun, 06 Nov 1994 08:49:40 GMT", now),
            Some(Duration::from_secs(3))
        );
        assert_eq!(parse_retry_after("soon", now), None);
    }

    #[test]
    fn only_gateway_and_rate_limit_statuses_are_retried() {
        assert!(is_retryable_status(503));
        assert!(is_retryable_status(429));
        assert!(!is_retryable_status(500));
        assert!(!is_retryable_status(401));
    }
}
