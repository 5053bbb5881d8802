//! Retrying throttled and unavailable answers (429, 503, 504), like Kiota's retry handler.

use std::time::{Duration, SystemTime};

/// When a dropped connection or other transport failure may be retried. A request that
/// failed in transit may or may not have reached the service.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RetryTransport {
    /// Never retry transport failures.
    Never,
    /// Retry only idempotent methods (`GET`, `PUT`, `DELETE`).
    Idempotent,
    /// Retry every method (for operations the caller knows are safe to repeat, such as
    /// `reprocessLicenseAssignment`).
    Always,
}

/// How a client retries: bounded attempts and total delay; `Retry-After` honoured (seconds
/// or HTTP date), otherwise exponential backoff with full jitter.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetryPolicy {
    /// Attempts per request, the first included (1 disables retries).
    pub max_attempts: u32,
    /// The most a request may spend waiting between attempts, in total. A wait that
    /// would pass this bound is not started; the last answer is returned.
    pub max_total_delay: Duration,
    /// The first backoff step (doubled per attempt).
    pub base_delay: Duration,
    /// The largest single wait: backoff is capped at it, and a longer `Retry-After` is not
    /// waited for (the throttled answer is returned).
    pub max_delay: Duration,
    /// Whether transport failures are retried.
    pub transport: RetryTransport,
}

impl Default for RetryPolicy {
    fn default() -> RetryPolicy {
        RetryPolicy {
            max_attempts: 4,
            max_total_delay: Duration::from_secs(180),
            base_delay: Duration::from_millis(500),
            max_delay: Duration::from_secs(60),
            transport: RetryTransport::Idempotent,
        }
    }
}

impl RetryPolicy {
    /// A policy that never retries.
    pub fn none() -> RetryPolicy {
        RetryPolicy {
            max_attempts: 1,
            ..RetryPolicy::default()
        }
    }

    /// Whether `status` is one a retry may cure (429, 503, 504).
    pub fn is_retryable_status(status: u16) -> bool {
        matches!(status, 429 | 503 | 504)
    }

    /// Whether a transport failure of a `method` request may be retried.
    pub fn retries_transport(&self, method: &http::Method) -> bool {
        match self.transport {
            RetryTransport::Never => false,
            RetryTransport::Always => true,
            RetryTransport::Idempotent => {
                matches!(
                    *method,
                    http::Method::GET | http::Method::PUT | http::Method::DELETE
                )
            }
        }
    }

    /// The wait before attempt `attempt + 1` (after `attempt` attempts, from 1): the
    /// `Retry-After` value when the service sent one, otherwise
    /// `random(0, min(max_delay, base_delay × 2^(attempt-1)))`. `None` when the service
    /// asks for a longer wait than `max_delay`: a retry sooner than it says would only be
    /// throttled again, so the answer is returned instead.
    pub fn delay(&self, attempt: u32, retry_after: Option<Duration>) -> Option<Duration> {
        match retry_after {
            Some(wait) if wait > self.max_delay => None,
            Some(wait) => Some(wait),
            None => {
                let exp = self
                    .base_delay
                    .saturating_mul(1u32 << attempt.saturating_sub(1).min(20));
                let cap = exp.min(self.max_delay);
                let nanos = u64::try_from(cap.as_nanos()).unwrap_or(u64::MAX);
                Some(Duration::from_nanos(fastrand::u64(0..=nanos)))
            }
        }
    }
}

/// Parses a `Retry-After` value: delay seconds (`120`) or an HTTP date
/// (`Fri, 31 Dec 1999 23:59:59 GMT`, measured from `now`; a past date is zero).
pub fn parse_retry_after(value: &str, now: SystemTime) -> Option<Duration> {
    let value = value.trim();
    if let Ok(secs) = value.parse::<u64>() {
        return Some(Duration::from_secs(secs));
    }
    if let Ok(secs) = value.parse::<f64>()
        && secs.is_finite()
        && secs >= 0.0
    {
        return Some(Duration::from_secs_f64(secs.min(1e9)));
    }
    let at = httpdate::parse_http_date(value).ok()?;
    Some(at.duration_since(now).unwrap_or(Duration::ZERO))
}

/// The `Retry-After` of a header map, if present and readable.
pub(crate) fn retry_after(headers: &http::HeaderMap) -> Option<Duration> {
    let value = headers.get(http::header::RETRY_AFTER)?.to_str().ok()?;
    parse_retry_after(value, SystemTime::now())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retry_after_seconds_and_dates() {
        let now = SystemTime::UNIX_EPOCH + Duration::from_secs(1_000_000);
        assert_eq!(
            parse_retry_after("120", now),
            Some(Duration::from_secs(120))
        );
        assert_eq!(parse_retry_after(" 0 ", now), Some(Duration::ZERO));
        let later = httpdate::fmt_http_date(now + Duration::from_secs(30));
        assert_eq!(
            parse_retry_after(&later, now),
            Some(Duration::from_secs(30))
        );
        let earlier = httpdate::fmt_http_date(now - Duration::from_secs(30));
        assert_eq!(parse_retry_after(&earlier, now), Some(Duration::ZERO));
        assert_eq!(parse_retry_after("soon", now), None);
        assert_eq!(parse_retry_after("-1", now), None);
    }

    #[test]
    fn backoff_is_bounded_and_jittered() {
        let policy = RetryPolicy {
            base_delay: Duration::from_millis(100),
            max_delay: Duration::from_secs(1),
            ..RetryPolicy::default()
        };
        for attempt in 1..40 {
            let cap = Duration::from_millis(100)
                .saturating_mul(1 << (attempt - 1).min(20))
                .min(Duration::from_secs(1));
            for _ in 0..20 {
                assert!(policy.delay(attempt, None).unwrap() <= cap);
            }
        }
        assert_eq!(policy.delay(1, Some(Duration::from_secs(5))), None);
        assert_eq!(
            policy.delay(1, Some(Duration::from_millis(7))),
            Some(Duration::from_millis(7))
        );
    }

    #[test]
    fn transport_retries_follow_the_policy() {
        let mut policy = RetryPolicy::default();
        assert!(policy.retries_transport(&http::Method::GET));
        assert!(!policy.retries_transport(&http::Method::POST));
        policy.transport = RetryTransport::Always;
        assert!(policy.retries_transport(&http::Method::POST));
        policy.transport = RetryTransport::Never;
        assert!(!policy.retries_transport(&http::Method::GET));
        assert!(RetryPolicy::is_retryable_status(429));
        assert!(!RetryPolicy::is_retryable_status(500));
    }
}
