//! `license-bench`: the license bot's numbers in one run, as ratios.
//!
//! 1. Bulk reprocessing of N users (default 10,000) against the in-process emulator:
//!    batched (`$batch` of 20, 8 in flight) vs one request at a time — round trips and
//!    throughput, on bare loopback and with 1 ms of latency added per answer (loopback
//!    has none, which hides what round trips cost).
//! 2. Building a request with graphspec vs a hand-written `format!` +
//!    `http::Request::builder()` baseline.
//!
//! Run it in release mode:
//! `cargo run --release -p graphspec-license-bot --bin license-bench [USERS]`.

use std::time::Duration;

use graphspec_license_bot::bench::{
    BATCHED, BulkRun, ONE_AT_A_TIME, bulk_reprocess, emulator_and_client, time_request_building,
};
use graphspec_license_bot::list_user_ids;

fn throughput(run: &BulkRun) -> f64 {
    run.done as f64 / run.elapsed.as_secs_f64()
}

async fn compare(users: usize, latency: Duration) {
    let (emulator, client) = emulator_and_client(users, latency).await;
    let ids = list_user_ids(&client, 999).await.expect("listing users");
    assert_eq!(ids.len(), users);
    let batched = bulk_reprocess(&client, &ids, BATCHED).await;
    let single = bulk_reprocess(&client, &ids, ONE_AT_A_TIME).await;
    assert_eq!(batched.done, users);
    assert_eq!(single.done, users);
    println!(
        "bulk reprocess of {users} users, in-process emulator, {} ms added latency",
        latency.as_millis()
    );
    for (name, run) in [
        ("batched ($batch of 20, 8 in flight)", &batched),
        ("one request at a time", &single),
    ] {
        println!(
            "  {name:<37} {:>6} round trips, {:>8.3} s, {:>9.0} users/s",
            run.round_trips,
            run.elapsed.as_secs_f64(),
            throughput(run)
        );
    }
    println!(
        "  ratio: {:.1}x fewer round trips, {:.2}x throughput",
        single.round_trips as f64 / batched.round_trips as f64,
        throughput(&batched) / throughput(&single)
    );
    if let Err(e) = emulator.shutdown().await {
        eprintln!("license-bench: {e}");
    }
}

#[tokio::main]
async fn main() {
    let users: usize = std::env::args()
        .nth(1)
        .and_then(|n| n.parse().ok())
        .unwrap_or(10_000);
    compare(users, Duration::ZERO).await;
    compare(users, Duration::from_millis(1)).await;

    let (ours, hand) = time_request_building(200_000);
    println!("request building (reprocessLicenseAssignment, global cloud)");
    println!("  graphspec to_http_request            {ours:>8.1} ns");
    println!("  format! + http::Request::builder()   {hand:>8.1} ns");
    println!("  ratio: {:.2}x the hand-written baseline", ours / hand);
}
