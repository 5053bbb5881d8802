//! Sustained load: the emulator and the client in one process, many requests at a fixed
//! number in flight, faults injected, every request accounted for exactly once.
//!
//! [`run`] sends `reprocessLicenseAssignment` `requests` times (request `i` for user
//! `i % users`) through [`Client::bulk_stream`], `concurrency` HTTP requests in flight,
//! with the emulator refusing or slowing [`LoadOptions::fault_rate`] of the HTTP requests
//! it gets (a third each: 429 with `Retry-After`, 503, a slow answer) and the client
//! retrying within [`LoadOptions::max_attempts`].
//!
//! [`Client::bulk_stream`]: graphspec::client::Client::bulk_stream
//!
//! Memory is bounded by design, not by luck:
//! - requests are made lazily, as `bulk_stream` asks for them (at most `concurrency`
//!   groups exist at once), never collected first;
//! - results are tallied as they arrive ([`Tally`]: one byte per request for the exactly-once
//!   check, counters for the rest) and dropped, never collected;
//! - the emulator's state per request is a counter per user, not per request.
//!
//! The `load-test` binary runs it and prints the report; `scripts/load-test.sh` runs that
//! binary several times and prints medians.

use std::time::{Duration, Instant};

use futures::StreamExt as _;
use graphspec::client::{BulkOptions, BulkResult, RetryPolicy, RetryTransport, Stats};
use graphspec::user;
use graphspec_emulator::{Config, EmulatorStats, Faults};

use crate::LicenseBot;
use crate::bench::emulator_and_client_with;

/// What [`run`] does.
#[derive(Debug, Clone, Copy)]
pub struct LoadOptions {
    /// Requests to send (each one `reprocessLicenseAssignment`).
    pub requests: usize,
    /// HTTP requests in flight at once.
    pub concurrency: usize,
    /// Requests per `$batch`; 1 sends each on its own.
    pub batch_size: usize,
    /// Users in the emulated tenant; request `i` is for user `i % users`.
    pub users: usize,
    /// Share of the emulator's HTTP answers that are faults: a third 429 (with
    /// `Retry-After: retry_after_secs`), a third 503, a third delayed by `slow_delay`.
    /// With `batch_size` above 1 the 429s strike batch items instead (each item with
    /// this third's probability), whole batches getting only 503s and slow answers.
    pub fault_rate: f64,
    /// Seed of the emulator's faults (and of its `$batch` answer order).
    pub seed: u64,
    /// Attempts per request, the first included; a request still refused after them is a
    /// failure.
    pub max_attempts: u32,
    /// The `Retry-After` the emulator sends with 429 and 503, in seconds (0: retry at
    /// once).
    pub retry_after_secs: u64,
    /// How long a slow answer is delayed.
    pub slow_delay: Duration,
}

impl Default for LoadOptions {
    fn default() -> LoadOptions {
        LoadOptions {
            requests: 100_000,
            concurrency: 64,
            batch_size: 1,
            users: 1_000,
            fault_rate: 0.10,
            seed: 1,
            max_attempts: 4,
            retry_after_secs: 0,
            slow_delay: Duration::from_millis(20),
        }
    }
}

impl LoadOptions {
    /// The emulator's fault rates: `fault_rate` split in three equal parts. The emulator
    /// draws 429 first, then 503 for what was not throttled, then a slow answer for what
    /// was not refused; the rates are set so that each kind strikes `fault_rate / 3` of
    /// all HTTP requests.
    pub fn faults(&self) -> Faults {
        let third = self.fault_rate.clamp(0.0, 1.0) / 3.0;
        let throttle_rate = third;
        let unavailable_rate = third / (1.0 - throttle_rate);
        let slow_rate = third / ((1.0 - throttle_rate) * (1.0 - unavailable_rate));
        Faults {
            throttle_rate,
            batch_throttle_rate: 0.0,
            unavailable_rate,
            drop_rate: 0.0,
            slow_rate,
            slow_delay: self.slow_delay,
            retry_after_secs: self.retry_after_secs,
        }
    }

    /// The client's retry policy: `max_attempts`, with the emulator's `Retry-After`
    /// honoured (and a short backoff otherwise).
    pub fn retry_policy(&self) -> RetryPolicy {
        RetryPolicy {
            max_attempts: self.max_attempts.max(1),
            max_total_delay: Duration::from_secs(60),
            base_delay: Duration::from_millis(1),
            max_delay: Duration::from_secs(self.retry_after_secs.max(1)),
            // No connection is dropped here; reprocessing is safe to repeat anyway.
            transport: RetryTransport::Always,
        }
    }
}

/// Exactly-once accounting of results that are dropped as they arrive: one byte per
/// request (how many results it got, saturating), counters for the rest. The same
/// rules as [`graphspec::client::BulkLedger`], which keeps every result instead.
#[derive(Debug)]
pub struct Tally {
    seen: Vec<u8>,
    /// Results that were a success (first result of a request).
    pub successes: usize,
    /// Results that were a failure (first result of a request).
    pub failures: usize,
    /// Failures that came back before the retry policy's last attempt.
    pub failures_before_last_attempt: usize,
    /// Second (or later) results for a request.
    pub duplicates: usize,
    /// Results for no request (an index past the end).
    pub strays: usize,
    /// Attempts of every request, added up (first results only).
    pub attempts: u64,
    /// Requests sent more than once.
    pub retried: usize,
    /// The first few failures' messages, for the report.
    pub failure_samples: Vec<String>,
    max_attempts: u32,
}

impl Tally {
    /// A tally for `requests` requests, each allowed `max_attempts` attempts.
    pub fn new(requests: usize, max_attempts: u32) -> Tally {
        Tally {
            seen: vec![0; requests],
            successes: 0,
            failures: 0,
            failures_before_last_attempt: 0,
            duplicates: 0,
            strays: 0,
            attempts: 0,
            retried: 0,
            failure_samples: Vec::new(),
            max_attempts,
        }
    }

    /// Counts one result.
    pub fn record<T>(&mut self, result: BulkResult<T>) {
        let Some(seen) = self.seen.get_mut(result.index) else {
            self.strays += 1;
            return;
        };
        *seen = seen.saturating_add(1);
        if *seen > 1 {
            self.duplicates += 1;
            return;
        }
        self.attempts += u64::from(result.attempts);
        if result.attempts > 1 {
            self.retried += 1;
        }
        match result.result {
            Ok(_) => self.successes += 1,
            Err(error) => {
                self.failures += 1;
                if result.attempts < self.max_attempts {
                    self.failures_before_last_attempt += 1;
                }
                if self.failure_samples.len() < 5 {
                    self.failure_samples.push(format!(
                        "#{} after {} attempts: {error}",
                        result.index, result.attempts
                    ));
                }
            }
        }
    }

    /// Requests that got no result.
    pub fn missing(&self) -> usize {
        self.seen.iter().filter(|s| **s == 0).count()
    }

    /// Requests that got exactly one result.
    pub fn accounted_once(&self) -> usize {
        self.seen.iter().filter(|s| **s == 1).count()
    }

    /// Whether every request got exactly one result and no result was for no request.
    pub fn is_exact(&self) -> bool {
        self.accounted_once() == self.seen.len()
            && self.duplicates == 0
            && self.strays == 0
            && self.successes + self.failures == self.seen.len()
    }
}

/// What a load run measured.
#[derive(Debug)]
pub struct LoadReport {
    /// What was run.
    pub options: LoadOptions,
    /// The accounting.
    pub tally: Tally,
    /// The client's counters for the load (listing the users excluded).
    pub client: Stats,
    /// The emulator's counters for the load (listing excluded).
    pub emulator: EmulatorStats,
    /// `reprocessLicenseAssignment` requests (and batch items) that reached the emulator,
    /// injected faults included: with single requests, one per attempt.
    pub arrivals: u64,
    /// Wall-clock time of sending and accounting.
    pub elapsed: Duration,
    /// The process's resident memory before the load (emulator seeded, users listed),
    /// in KiB (`VmRSS`); `None` where `/proc/self/status` cannot be read.
    pub rss_before_kib: Option<u64>,
    /// The process's peak resident memory at the end (`VmHWM`), in KiB.
    pub peak_rss_kib: Option<u64>,
}

impl LoadReport {
    /// Requests completed per second (each counted once, retries or not).
    pub fn requests_per_second(&self) -> f64 {
        self.options.requests as f64 / self.elapsed.as_secs_f64().max(1e-9)
    }

    /// HTTP round trips per second, retries included.
    pub fn round_trips_per_second(&self) -> f64 {
        self.client.round_trips as f64 / self.elapsed.as_secs_f64().max(1e-9)
    }

    /// Share of the emulator's HTTP answers that were injected faults (with batches, the
    /// items' 429s are not HTTP answers and are left out).
    pub fn injected_fault_share(&self) -> f64 {
        let e = &self.emulator;
        let faults = e.throttled.saturating_sub(self.item_throttles()) + e.unavailable + e.slowed;
        faults as f64 / e.requests.max(1) as f64
    }

    /// 429s of batch items (the emulator counts them with the HTTP ones). With batches,
    /// every 429 is an item's: whole batches are never throttled here.
    fn item_throttles(&self) -> u64 {
        if self.options.batch_size > 1 {
            self.emulator.throttled
        } else {
            0
        }
    }

    /// The report as printed by `load-test`, ending in one `RESULT key=value …` line for
    /// scripts.
    pub fn render(&self) -> String {
        let o = &self.options;
        let t = &self.tally;
        let c = &self.client;
        let e = &self.emulator;
        let kib = |v: Option<u64>| {
            v.map_or("n/a".to_owned(), |k| {
                format!("{:.1} MiB", k as f64 / 1024.0)
            })
        };
        let mut out = format!(
            "load: {} requests, {} in flight, batch size {}, {} users, fault rate {:.3} (seed {})\n\
             accounting: {} exact; {} once, {} missing, {} duplicates, {} strays; \
             {} succeeded + {} failed = {}; {} failures before the last of {} attempts\n\
             retries: {} requests retried, {} attempts in all ({} retries: {} throttled, {} unavailable, {} transport errors)\n\
             emulator: {} HTTP requests, {} batch items, {} reprocess arrivals; injected {} x 429, {} x 503, {} slow ({:.2}% of HTTP requests)\n\
             time: {:.2} s; {:.0} requests/s; {} round trips, {:.0} round trips/s\n\
             memory: {} resident before the load, {} peak (VmHWM)",
            o.requests,
            o.concurrency,
            o.batch_size,
            o.users,
            o.fault_rate,
            o.seed,
            if t.is_exact() { "EXACT" } else { "NOT EXACT" },
            t.accounted_once(),
            t.missing(),
            t.duplicates,
            t.strays,
            t.successes,
            t.failures,
            t.successes + t.failures,
            t.failures_before_last_attempt,
            o.max_attempts,
            t.retried,
            t.attempts,
            c.retries,
            c.throttled,
            c.unavailable,
            c.transport_errors,
            e.requests,
            e.batch_items,
            self.arrivals,
            e.throttled,
            e.unavailable,
            e.slowed,
            100.0 * self.injected_fault_share(),
            self.elapsed.as_secs_f64(),
            self.requests_per_second(),
            c.round_trips,
            self.round_trips_per_second(),
            kib(self.rss_before_kib),
            kib(self.peak_rss_kib),
        );
        for sample in &t.failure_samples {
            out.push_str(&format!("\n  failure {sample}"));
        }
        out.push_str(&format!(
            "\nRESULT requests={} concurrency={} batch_size={} fault_rate={} seed={} exact={} \
             successes={} failures={} round_trips={} elapsed_s={:.3} requests_per_s={:.0} \
             round_trips_per_s={:.0} rss_before_kib={} peak_rss_kib={}",
            o.requests,
            o.concurrency,
            o.batch_size,
            o.fault_rate,
            o.seed,
            t.is_exact(),
            t.successes,
            t.failures,
            c.round_trips,
            self.elapsed.as_secs_f64(),
            self.requests_per_second(),
            self.round_trips_per_second(),
            self.rss_before_kib.unwrap_or(0),
            self.peak_rss_kib.unwrap_or(0),
        ));
        out
    }
}

/// A field of `/proc/self/status` (`VmRSS`, `VmHWM`, …) in KiB.
pub fn proc_status_kib(field: &str) -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    status.lines().find_map(|line| {
        let rest = line.strip_prefix(field)?.strip_prefix(':')?;
        rest.trim().strip_suffix("kB")?.trim().parse().ok()
    })
}

/// How many `reprocessLicenseAssignment` requests have reached `emulator`, over every user.
fn total_arrivals(emulator: &graphspec_emulator::Emulator) -> u64 {
    emulator
        .reprocess_arrivals()
        .values()
        .map(|&n| u64::from(n))
        .sum()
}

/// Starts an emulator with `options`' users and faults, lists its users, then sends
/// `options.requests` requests and accounts for each (see the module docs).
pub async fn run(options: LoadOptions) -> LoadReport {
    let users = options.users.max(1);
    let (emulator, client) = emulator_and_client_with(
        Config {
            users,
            faults: options.faults(),
            seed: options.seed,
            ..Config::default()
        },
        options.retry_policy(),
    )
    .await;
    // Listing goes through the faults too; the retry policy gets it through.
    let ids = crate::list_user_ids(&client, 999)
        .await
        .expect("listing users");
    assert_eq!(ids.len(), users, "every seeded user listed");
    let client_before = client.stats();
    let emulator_before = emulator.stats();
    let arrivals_before = total_arrivals(&emulator);
    let rss_before_kib = proc_status_kib("VmRSS");

    let requests = (0..options.requests)
        .map(|i| LicenseBot.authorize(user::ReprocessLicenseAssignment::users(&ids[i % users])));
    let bulk = BulkOptions {
        concurrency: options.concurrency.max(1),
        batch_size: options.batch_size,
    };
    let started = Instant::now();
    let mut tally = Tally::new(options.requests, options.max_attempts.max(1));
    let mut results = client.bulk_stream(requests, bulk);
    while let Some(result) = results.next().await {
        tally.record(result);
    }
    drop(results);
    let elapsed = started.elapsed();

    let client_after = client.stats();
    let emulator_after = emulator.stats();
    let arrivals = total_arrivals(&emulator);
    let peak_rss_kib = proc_status_kib("VmHWM");
    if let Err(e) = emulator.shutdown().await {
        eprintln!("load-test: {e}");
    }
    LoadReport {
        options,
        tally,
        client: stats_delta(client_before, client_after),
        emulator: emulator_delta(emulator_before, emulator_after),
        arrivals: arrivals - arrivals_before,
        elapsed,
        rss_before_kib,
        peak_rss_kib,
    }
}

fn stats_delta(before: Stats, after: Stats) -> Stats {
    Stats {
        round_trips: after.round_trips - before.round_trips,
        retries: after.retries - before.retries,
        throttled: after.throttled - before.throttled,
        unavailable: after.unavailable - before.unavailable,
        transport_errors: after.transport_errors - before.transport_errors,
        refused: after.refused - before.refused,
    }
}

fn emulator_delta(before: EmulatorStats, after: EmulatorStats) -> EmulatorStats {
    EmulatorStats {
        requests: after.requests - before.requests,
        batch_items: after.batch_items - before.batch_items,
        token_requests: after.token_requests - before.token_requests,
        throttled: after.throttled - before.throttled,
        unavailable: after.unavailable - before.unavailable,
        dropped: after.dropped - before.dropped,
        slowed: after.slowed - before.slowed,
        unauthorized: after.unauthorized - before.unauthorized,
        forbidden: after.forbidden - before.forbidden,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use graphspec::Error;

    #[test]
    fn fault_rates_split_the_total_in_three_equal_shares() {
        let faults = LoadOptions::default().faults();
        let throttled = faults.throttle_rate;
        let unavailable = (1.0 - throttled) * faults.unavailable_rate;
        let slow = (1.0 - throttled) * (1.0 - faults.unavailable_rate) * faults.slow_rate;
        for share in [throttled, unavailable, slow] {
            assert!((share - 0.1 / 3.0).abs() < 1e-12, "{share}");
        }
    }

    #[test]
    fn the_tally_counts_each_request_once() {
        let mut tally = Tally::new(3, 4);
        let result = |index, ok: bool, attempts| BulkResult {
            index,
            result: if ok {
                Ok(())
            } else {
                Err(Error::Batch {
                    message: "lost".into(),
                })
            },
            attempts,
        };
        tally.record(result(0, true, 1));
        tally.record(result(1, false, 4));
        assert!(!tally.is_exact(), "request 2 has no result yet");
        tally.record(result(2, false, 2));
        assert!(tally.is_exact());
        assert_eq!(tally.failures_before_last_attempt, 1);
        tally.record(result(2, true, 1));
        tally.record(result(7, true, 1));
        assert_eq!((tally.duplicates, tally.strays), (1, 1));
        assert!(!tally.is_exact());
        assert_eq!((tally.successes, tally.failures, tally.attempts), (1, 2, 7));
    }

    #[test]
    fn proc_status_is_read_in_kib() {
        if std::path::Path::new("/proc/self/status").exists() {
            assert!(proc_status_kib("VmHWM").is_some_and(|k| k > 0));
        }
        assert_eq!(proc_status_kib("NoSuchField"), None);
    }
}
