//! Fault injection: one layer every Graph answer goes through (see [`Faults`] for the
//! rates).
//!
//! Where a fault can strike ([`Target`]) decides which rates apply:
//!
//! | target                    | 429 before running        | 503 | slow | dropped after |
//! |---------------------------|---------------------------|-----|------|---------------|
//! | one operation             | `throttle_rate`           | yes | yes  | any answer    |
//! | a whole `$batch`          | `batch_throttle_rate`     | yes | yes  | a 200 only    |
//! | an item inside a `$batch` | `throttle_rate` (its own) | no  | no   | never         |
//!
//! Faults strike requests that were authenticated (and, for one operation, matched and
//! allowed): 401, 403, 404 and 405 answers are never faulted.

use axum::response::Response;

use crate::reply::Reply;
use crate::{Faults, Shared, bump};

/// Where a fault can strike.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Target {
    /// One operation sent on its own.
    Operation,
    /// A whole `$batch` request, before any item runs.
    Batch,
    /// One item inside a `$batch`.
    BatchItem,
}

impl Target {
    /// The probability of a 429 before running.
    fn throttle_rate(self, faults: &Faults) -> f64 {
        match self {
            Target::Operation | Target::BatchItem => faults.throttle_rate,
            Target::Batch => faults.batch_throttle_rate,
        }
    }

    /// Whether 503s and slow answers apply (to HTTP requests, not to batch items).
    fn is_http(self) -> bool {
        !matches!(self, Target::BatchItem)
    }

    /// Whether a connection carrying an answer with `status` may be dropped.
    fn may_drop(self, status: u16) -> bool {
        match self {
            Target::Operation => true,
            // A `$batch` that failed as a whole (a malformed envelope) is not dropped.
            Target::Batch => status == 200,
            // An item has no connection of its own.
            Target::BatchItem => false,
        }
    }
}

/// The fault to answer with before running `target`, if one strikes: 429 or 503. Slow
/// answers are [`delay`]'s.
pub(crate) fn refuse(shared: &Shared, target: Target) -> Option<Reply> {
    let faults = &shared.config.faults;
    if shared.chance(target.throttle_rate(faults)) {
        bump(&shared.counters.throttled);
        return Some(Reply::throttled(faults.retry_after_secs));
    }
    if target.is_http() && shared.chance(faults.unavailable_rate) {
        bump(&shared.counters.unavailable);
        return Some(Reply::unavailable(faults.retry_after_secs));
    }
    None
}

/// Sleeps `slow_delay` when a slow answer strikes `target`.
async fn delay(shared: &Shared, target: Target) {
    let faults = &shared.config.faults;
    if target.is_http() && shared.chance(faults.slow_rate) {
        bump(&shared.counters.slowed);
        tokio::time::sleep(faults.slow_delay).await;
    }
}

/// Runs an HTTP request (`target` is [`Target::Operation`] or [`Target::Batch`]) through
/// the faults: maybe a 429 or 503 instead of running it, maybe a delay before, maybe a
/// connection dropped half-way through its answer.
pub(crate) async fn guard(
    shared: &Shared,
    target: Target,
    run: impl FnOnce() -> Reply,
) -> Response {
    if let Some(reply) = refuse(shared, target) {
        return reply.into_response(false);
    }
    delay(shared, target).await;
    let reply = run();
    let drop_midway =
        target.may_drop(reply.status) && shared.chance(shared.config.faults.drop_rate);
    if drop_midway {
        bump(&shared.counters.dropped);
    }
    reply.into_response(drop_midway)
}
