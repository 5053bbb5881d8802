//! `license-bench`: the license bot's numbers in one run, as ratios of medians.
//!
//! 1. Bulk reprocessing of every user of the in-process emulator (over real HTTP on
//!    loopback) in four shapes: `single@1`, `single@8` (each request on its own, one or
//!    eight in flight) and `batch20@1`, `batch20@8` (`$batch`es of 20). Each shape runs
//!    `--runs` times, the shapes taking turns; the report gives each shape's median time
//!    and the round trips the client counted, then ratios between like pairs: batched
//!    against single at the same concurrency, and the effect of concurrency alone. This
//!    is done for each `--latency-ms`: the emulator adds it to every answer, and to every
//!    item of a `$batch` (up to `--batch-parallelism` items at a time), so a batch is not
//!    answered faster than its items could be run.
//! 2. Building a request with graphspec against a hand-written `format!` +
//!    `http::Request::builder()` baseline (median of `--runs`).
//!
//! Run it in release mode: `scripts/license-bench.sh`, or
//! `cargo run --release -p graphspec-license-bot --bin license-bench -- --help`.

use std::time::Duration;

use clap::Parser;
use graphspec_license_bot::bench::{
    Comparison, LIKE_FOR_LIKE, SHAPES, compare_shapes, median, time_request_building,
};

/// Measures the license bot's bulk reprocessing against the in-process Graph emulator:
/// requests sent one by one against `$batch`es of 20, at the same number in flight, as
/// ratios of medians from one run of this program.
#[derive(Debug, Parser)]
#[command(name = "license-bench", version)]
struct Args {
    /// Users in the emulated tenant; each run reprocesses all of them once.
    #[arg(long, default_value_t = 2000)]
    users: usize,
    /// Measured runs per shape (after one warm-up run each); medians are taken over them.
    #[arg(long, default_value_t = 5)]
    runs: usize,
    /// Latency the emulator adds to each answer and to each `$batch` item, in
    /// milliseconds. Repeat or comma-separate to measure several (0 is bare loopback).
    #[arg(long = "latency-ms", value_delimiter = ',', default_values_t = [0, 1])]
    latency_ms: Vec<u64>,
    /// How many items of one `$batch` the emulator runs at once when adding latency
    /// (Microsoft says Graph dispatches up to 4).
    #[arg(long, default_value_t = 4)]
    batch_parallelism: usize,
    /// Requests built per timing of the request-building comparison.
    #[arg(long, default_value_t = 200_000)]
    build_iterations: u32,
}

fn report(comparison: &Comparison, runs: usize, batch_parallelism: usize) {
    println!(
        "bulk reprocess of {} users, in-process emulator, {} ms added latency (per answer and \
         per $batch item, {batch_parallelism} items at a time); medians of {runs} runs",
        comparison.users,
        comparison.latency.as_millis()
    );
    for shape in SHAPES {
        let elapsed = comparison.median_elapsed(shape.name);
        let round_trips = comparison.median_round_trips(shape.name);
        let users_per_second = comparison.users as f64 / elapsed.as_secs_f64().max(1e-9);
        println!(
            "  {:<10} batch {:>2}, {} in flight  {:>8.3} s  {:>6} round trips  {:>8.0} users/s",
            shape.name,
            shape.options.batch_size,
            shape.options.concurrency,
            elapsed.as_secs_f64(),
            round_trips,
            users_per_second,
        );
    }
    for (base, other) in LIKE_FOR_LIKE {
        let time = comparison.median_elapsed(base.name).as_secs_f64()
            / comparison
                .median_elapsed(other.name)
                .as_secs_f64()
                .max(1e-9);
        let (base_trips, other_trips) = (
            comparison.median_round_trips(base.name),
            comparison.median_round_trips(other.name),
        );
        println!(
            "  {:>10} vs {:<10} {:>6.2}x faster, round trips {} vs {} ({:.1}x fewer)",
            other.name,
            base.name,
            time,
            other_trips,
            base_trips,
            base_trips as f64 / other_trips.max(1) as f64
        );
    }
}

#[tokio::main]
async fn main() {
    let args = Args::parse();
    let runs = args.runs.max(1);
    for latency in &args.latency_ms {
        let comparison = compare_shapes(
            args.users,
            Duration::from_millis(*latency),
            args.batch_parallelism,
            runs,
        )
        .await;
        report(&comparison, runs, args.batch_parallelism);
    }

    let timings: Vec<(f64, f64)> = (0..runs)
        .map(|_| time_request_building(args.build_iterations))
        .collect();
    // Nanoseconds as integers of picoseconds, so the median needs only `Ord`.
    let ps = |ns: f64| (ns * 1000.0).round() as u64;
    let ours = median(timings.iter().map(|t| ps(t.0)).collect()) as f64 / 1000.0;
    let hand = median(timings.iter().map(|t| ps(t.1)).collect()) as f64 / 1000.0;
    let ratio = median(timings.iter().map(|t| ps(t.0 / t.1)).collect()) as f64 / 1000.0;
    println!("request building (reprocessLicenseAssignment, global cloud); medians of {runs} runs");
    println!("  graphspec to_http_request            {ours:>8.1} ns");
    println!("  format! + http::Request::builder()   {hand:>8.1} ns");
    println!("  ratio: {ratio:.2}x the hand-written baseline (median of per-run ratios)");
}
