//! Measurements shared by the criterion benches, the `license-bench` binary and the
//! `load-test` binary ([`crate::load`]).
//!
//! Bulk reprocessing is measured in four shapes ([`SHAPES`]): requests sent on their own
//! or in `$batch`es of 20, one or eight HTTP requests in flight. Batched and single are
//! compared at the same concurrency ([`LIKE_FOR_LIKE`]), never a batched run with eight in
//! flight against a single run with one. Round trips are counted by the client
//! ([`Client::stats`]), not computed from the shape.

use std::hint::black_box;
use std::time::{Duration, Instant};

use futures::StreamExt as _;
use graphspec::client::{BulkOptions, Client, ClientCredentials, ClientSecret, RetryPolicy};
use graphspec::prelude::*;
use graphspec::{ApiVersion, BaseUrl, Cloud, user};
use graphspec_emulator::{Config, Emulator};

use crate::{LicenseBot, RunOptions, least_privileged_scopes};

/// An emulator with `users` users, no faults and `latency` per answer (per item of a
/// `$batch`, see [`Config::latency`]), and a client for the bot against it that never
/// retries.
pub async fn emulator_and_client(users: usize, latency: Duration) -> (Emulator, Client) {
    emulator_and_client_with(
        Config {
            users,
            latency,
            ..Config::default()
        },
        RetryPolicy::none(),
    )
    .await
}

/// An emulator started with `config`, the bot's app registered on it, and a client for
/// the bot against it with `retry`.
pub async fn emulator_and_client_with(config: Config, retry: RetryPolicy) -> (Emulator, Client) {
    let emulator = Emulator::start(config).await.expect("emulator starts");
    let roles: Vec<&str> = least_privileged_scopes().iter().map(|s| s.name()).collect();
    emulator.register_app("bench", "bench-secret", &roles);
    let tokens = ClientCredentials::new(
        emulator.tenant_id(),
        "bench",
        ClientSecret::new("bench-secret"),
    )
    .authority(emulator.authority());
    let client = Client::builder(tokens)
        .base_url(emulator.base_url(ApiVersion::V1))
        .retry(retry)
        .build()
        .expect("client builds");
    (emulator, client)
}

/// What one bulk run measured.
#[derive(Debug, Clone, Copy)]
pub struct BulkRun {
    /// Users reprocessed.
    pub done: usize,
    /// HTTP round trips of the reprocessing as the client counted them (listing
    /// excluded).
    pub round_trips: u64,
    /// Wall-clock time of the reprocessing.
    pub elapsed: Duration,
}

impl BulkRun {
    /// Users reprocessed per second.
    pub fn users_per_second(&self) -> f64 {
        self.done as f64 / self.elapsed.as_secs_f64().max(1e-9)
    }
}

/// Reprocesses every user in `ids` with `bulk` options; listing is not measured. The
/// requests are made as the client asks for them, not collected first.
pub async fn bulk_reprocess(client: &Client, ids: &[String], bulk: BulkOptions) -> BulkRun {
    let before = client.stats().round_trips;
    let requests = ids
        .iter()
        .map(|id| LicenseBot.authorize(user::ReprocessLicenseAssignment::users(id)));
    let started = Instant::now();
    let done = client
        .bulk_stream(requests, bulk)
        .fold(
            0,
            |done, r| async move { done + usize::from(r.result.is_ok()) },
        )
        .await;
    BulkRun {
        done,
        round_trips: client.stats().round_trips - before,
        elapsed: started.elapsed(),
    }
}

/// A way of sending: a name for reports and the bulk options.
#[derive(Debug, Clone, Copy)]
pub struct Shape {
    /// How reports name it: `single@1`, `batch20@8`, …
    pub name: &'static str,
    /// What it sends with.
    pub options: BulkOptions,
}

/// One request per HTTP request, one in flight.
pub const SINGLE_AT_1: Shape = Shape {
    name: "single@1",
    options: BulkOptions {
        concurrency: 1,
        batch_size: 1,
    },
};

/// One request per HTTP request, eight in flight.
pub const SINGLE_AT_8: Shape = Shape {
    name: "single@8",
    options: BulkOptions {
        concurrency: 8,
        batch_size: 1,
    },
};

/// `$batch`es of 20, one in flight.
pub const BATCH20_AT_1: Shape = Shape {
    name: "batch20@1",
    options: BulkOptions {
        concurrency: 1,
        batch_size: 20,
    },
};

/// `$batch`es of 20, eight in flight (the bot's default, [`RunOptions::default`]).
pub const BATCH20_AT_8: Shape = Shape {
    name: "batch20@8",
    options: BulkOptions {
        concurrency: 8,
        batch_size: 20,
    },
};

/// Every shape measured, in the order reports list them.
pub const SHAPES: [Shape; 4] = [SINGLE_AT_1, SINGLE_AT_8, BATCH20_AT_1, BATCH20_AT_8];

/// The pairs compared, `(baseline, candidate)`: batched against single at the same
/// concurrency, then the effect of concurrency alone.
pub const LIKE_FOR_LIKE: [(Shape, Shape); 4] = [
    (SINGLE_AT_1, BATCH20_AT_1),
    (SINGLE_AT_8, BATCH20_AT_8),
    (SINGLE_AT_1, SINGLE_AT_8),
    (BATCH20_AT_1, BATCH20_AT_8),
];

/// Every run of each of [`SHAPES`], measured against one emulator.
#[derive(Debug, Clone)]
pub struct Comparison {
    /// Users reprocessed per run.
    pub users: usize,
    /// The emulator's added latency.
    pub latency: Duration,
    /// Per shape (in [`SHAPES`] order), its runs.
    pub runs: Vec<(Shape, Vec<BulkRun>)>,
}

impl Comparison {
    /// The runs of the shape named `name`.
    pub fn runs_of(&self, name: &str) -> &[BulkRun] {
        self.runs
            .iter()
            .find(|(shape, _)| shape.name == name)
            .map_or(&[], |(_, runs)| runs.as_slice())
    }

    /// The median wall-clock time of the shape named `name`.
    pub fn median_elapsed(&self, name: &str) -> Duration {
        median(self.runs_of(name).iter().map(|r| r.elapsed).collect())
    }

    /// The median measured round trips of the shape named `name`.
    pub fn median_round_trips(&self, name: &str) -> u64 {
        median(self.runs_of(name).iter().map(|r| r.round_trips).collect())
    }
}

/// The median of `values` (the lower middle of an even count; the default of none).
pub fn median<T: Ord + Copy + Default>(mut values: Vec<T>) -> T {
    values.sort_unstable();
    values
        .get(values.len().saturating_sub(1) / 2)
        .copied()
        .unwrap_or_default()
}

/// Starts an emulator with `users` users, `latency` per answer and `batch_parallelism`
/// items of a `$batch` at a time, lists the users, and reprocesses all of them `runs`
/// times in each of [`SHAPES`], after one unmeasured warm-up run of each. The shapes take
/// turns within each run (in a rotated order each time), so drift in the machine's load
/// reaches all of them alike. Panics when a run does not reprocess every user.
pub async fn compare_shapes(
    users: usize,
    latency: Duration,
    batch_parallelism: usize,
    runs: usize,
) -> Comparison {
    let (emulator, client) = emulator_and_client_with(
        Config {
            users,
            latency,
            batch_parallelism,
            ..Config::default()
        },
        RetryPolicy::none(),
    )
    .await;
    let ids = crate::list_user_ids(&client, 999)
        .await
        .expect("listing users");
    assert_eq!(ids.len(), users, "every seeded user listed");
    let mut measured: Vec<(Shape, Vec<BulkRun>)> =
        SHAPES.iter().map(|s| (*s, Vec::new())).collect();
    for shape in SHAPES {
        bulk_reprocess(&client, &ids, shape.options).await;
    }
    for run in 0..runs {
        for k in 0..SHAPES.len() {
            let (shape, results) = &mut measured[(run + k) % SHAPES.len()];
            let result = bulk_reprocess(&client, &ids, shape.options).await;
            assert_eq!(result.done, users, "{}: every user reprocessed", shape.name);
            results.push(result);
        }
    }
    if let Err(e) = emulator.shutdown().await {
        eprintln!("license-bench: {e}");
    }
    Comparison {
        users,
        latency,
        runs: measured,
    }
}

/// The bot's default options.
pub fn run_options() -> RunOptions {
    RunOptions::default()
}

/// Builds the `reprocessLicenseAssignment` request with graphspec.
pub fn build_with_graphspec(base: &BaseUrl, id: &str) -> http::Request<Vec<u8>> {
    user::ReprocessLicenseAssignment::users(id)
        .to_http_request(base)
        .expect("valid request")
}

/// The hand-written baseline: `format!` and `http::Request::builder()` (without
/// percent-encoding the id or any validation).
pub fn build_by_hand(root: &str, id: &str) -> http::Request<Vec<u8>> {
    http::Request::builder()
        .method(http::Method::POST)
        .uri(format!("{root}/v1.0/users/{id}/reprocessLicenseAssignment"))
        .body(Vec::new())
        .expect("valid request")
}

/// Nanoseconds per request of each builder over `iterations`: (graphspec, by hand),
/// measured one after the other after a warm-up of a tenth as many.
pub fn time_request_building(iterations: u32) -> (f64, f64) {
    let base = Cloud::Global.v1();
    let root = Cloud::Global.root();
    let id = "047dd774-f1c4-40f2-82f0-278de79f9b83";
    let measure = |f: &dyn Fn() -> http::Request<Vec<u8>>| {
        for _ in 0..iterations / 10 {
            black_box(f());
        }
        let started = Instant::now();
        for _ in 0..iterations {
            black_box(f());
        }
        started.elapsed().as_nanos() as f64 / f64::from(iterations)
    };
    let ours = measure(&|| build_with_graphspec(black_box(&base), black_box(id)));
    let hand = measure(&|| build_by_hand(black_box(root), black_box(id)));
    (ours, hand)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn medians_take_the_lower_middle() {
        assert_eq!(median(vec![3, 1, 2]), 2);
        assert_eq!(median(vec![4, 1, 3, 2]), 2);
        assert_eq!(median::<u64>(vec![]), 0);
    }

    #[test]
    fn like_for_like_pairs_share_a_concurrency_or_a_batch_size() {
        for (base, other) in LIKE_FOR_LIKE {
            assert!(
                base.options.concurrency == other.options.concurrency
                    || base.options.batch_size == other.options.batch_size,
                "{} vs {}",
                base.name,
                other.name
            );
        }
    }
}
