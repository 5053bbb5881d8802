//! The load test's code path (`graphspec_license_bot::load::run`, as the `load-test`
//! binary runs it) at a size CI can afford: a few thousand requests, 64 in flight, 10%
//! injected faults. It asserts the accounting, never timing: every request once,
//! successes + failures = requests, failures only after the retry policy's last attempt,
//! and every attempt the client counted is one the emulator received.

use graphspec_license_bot::load::{LoadOptions, run};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn single_requests_under_faults_are_each_accounted_for_exactly_once() {
    let options = LoadOptions {
        requests: 3_000,
        concurrency: 64,
        users: 200,
        seed: 7,
        ..LoadOptions::default()
    };
    let report = run(options).await;
    let t = &report.tally;
    assert!(t.is_exact(), "{}", report.render());
    assert_eq!(t.accounted_once(), 3_000);
    assert_eq!((t.missing(), t.duplicates, t.strays), (0, 0, 0));
    assert_eq!(t.successes + t.failures, 3_000);
    assert_eq!(
        t.failures_before_last_attempt, 0,
        "a request fails only after all {} attempts: {:?}",
        options.max_attempts, t.failure_samples
    );
    // Faults were injected and retried (about 6.7% of round trips are refused: far more
    // than zero at this size whatever the interleaving).
    assert!(
        t.retried > 0 && report.client.retries > 0,
        "{}",
        report.render()
    );
    assert!(report.emulator.throttled > 0 && report.emulator.unavailable > 0);
    assert!(report.emulator.slowed > 0);
    // Each attempt is one round trip, and reached the emulator once: nothing sent twice
    // behind the ledger's back, nothing counted that was not sent.
    assert_eq!(report.client.round_trips, t.attempts, "{}", report.render());
    assert_eq!(report.emulator.requests, t.attempts);
    assert_eq!(report.arrivals, t.attempts);
    assert_eq!(
        report.client.retries,
        t.attempts - 3_000,
        "every attempt after the first is a retry"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn batched_requests_under_faults_are_each_accounted_for_exactly_once() {
    let options = LoadOptions {
        requests: 2_000,
        concurrency: 8,
        batch_size: 20,
        users: 200,
        seed: 11,
        ..LoadOptions::default()
    };
    let report = run(options).await;
    let t = &report.tally;
    assert!(t.is_exact(), "{}", report.render());
    assert_eq!(t.successes + t.failures, 2_000);
    assert_eq!(t.failures_before_last_attempt, 0, "{:?}", t.failure_samples);
    assert!(t.retried > 0, "{}", report.render());
    // Items answered 429 are sent again in a later batch; every item attempt reaches the
    // emulator except those of batches refused whole (503).
    assert!(report.emulator.batch_items <= t.attempts);
    assert_eq!(report.arrivals, report.emulator.batch_items);
    assert_eq!(report.client.round_trips, report.emulator.requests);
}
