//! Measurements shared by the criterion benches and the `license-bench` binary.

use std::hint::black_box;
use std::time::{Duration, Instant};

use graphspec::client::{BulkOptions, Client, ClientCredentials, ClientSecret, RetryPolicy};
use graphspec::prelude::*;
use graphspec::{ApiVersion, BaseUrl, Cloud, user};
use graphspec_emulator::{Config, Emulator};

use crate::{LicenseBot, RunOptions, least_privileged_scopes};

/// An emulator with `users` users, no faults and `latency` per answer, and a client for
/// the bot against it.
pub async fn emulator_and_client(users: usize, latency: Duration) -> (Emulator, Client) {
    let emulator = Emulator::start(Config {
        users,
        latency,
        ..Config::default()
    })
    .await
    .expect("emulator starts");
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
        .retry(RetryPolicy::none())
        .build()
        .expect("client builds");
    (emulator, client)
}

/// What one bulk run measured.
#[derive(Debug, Clone, Copy)]
pub struct BulkRun {
    /// Users reprocessed.
    pub done: usize,
    /// HTTP round trips for the reprocessing (listing excluded).
    pub round_trips: u64,
    /// Wall-clock time of the reprocessing.
    pub elapsed: Duration,
}

/// Reprocesses every user of the emulator with `bulk` options; listing is not measured.
pub async fn bulk_reprocess(client: &Client, ids: &[String], bulk: BulkOptions) -> BulkRun {
    let before = client.stats().round_trips;
    let requests: Vec<_> = ids
        .iter()
        .map(|id| LicenseBot.authorize(user::ReprocessLicenseAssignment::new(id)))
        .collect();
    let started = Instant::now();
    let results = client.bulk(requests, bulk).await;
    let elapsed = started.elapsed();
    BulkRun {
        done: results.iter().filter(|r| r.result.is_ok()).count(),
        round_trips: client.stats().round_trips - before,
        elapsed,
    }
}

/// Batched and concurrent (20 per `$batch`, 8 in flight).
pub const BATCHED: BulkOptions = BulkOptions {
    concurrency: 8,
    batch_size: 20,
};

/// One request at a time.
pub const ONE_AT_A_TIME: BulkOptions = BulkOptions {
    concurrency: 1,
    batch_size: 1,
};

/// The bot's default options.
pub fn run_options() -> RunOptions {
    RunOptions::default()
}

/// Builds the `reprocessLicenseAssignment` request with graphspec.
pub fn build_with_graphspec(base: &BaseUrl, id: &str) -> http::Request<Vec<u8>> {
    user::ReprocessLicenseAssignment::new(id)
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

/// Nanoseconds per request of each builder over `iterations`: (graphspec, by hand).
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
