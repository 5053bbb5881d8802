//! `load-test`: the in-process Graph emulator and the graphspec client under sustained,
//! faulty load, in one process, over real HTTP on loopback.
//!
//! Sends `reprocessLicenseAssignment` `--requests` times with `--concurrency` HTTP
//! requests in flight while the emulator injects `--fault-rate` faults, then prints the
//! accounting (every request exactly once: succeeded or failed after the retry policy's
//! attempts), throughput (requests/s and round trips/s, retries included) and the
//! process's peak resident memory (`VmHWM`). It exits with status 1 when the accounting is
//! not exact. `scripts/load-test.sh` runs it several times in release mode and prints
//! medians.

use std::process::ExitCode;
use std::time::Duration;

use clap::Parser;
use graphspec_license_bot::load::{LoadOptions, run};

/// Load-tests the graphspec client against the in-process Graph emulator: many
/// `reprocessLicenseAssignment` requests, a fixed number in flight, injected 429s, 503s
/// and slow answers; checks that every request is accounted for exactly once and prints
/// throughput and peak memory.
#[derive(Debug, Parser)]
#[command(name = "load-test", version)]
struct Args {
    /// How many requests to send (request i is for user i % --users).
    #[arg(long, default_value_t = 100_000)]
    requests: usize,
    /// How many HTTP requests are in flight at once.
    #[arg(long, default_value_t = 64)]
    concurrency: usize,
    /// Share of the emulator's HTTP answers that are injected faults, 0 to 1: a third
    /// 429 Too Many Requests, a third 503 Service Unavailable (both with Retry-After),
    /// a third delayed by --slow-ms.
    #[arg(long, default_value_t = 0.10)]
    fault_rate: f64,
    /// Seed of the injected faults: the same seed draws the same sequence of faults
    /// (which request meets which depends on timing when more than one is in flight).
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// Requests per $batch; 1 (the default) sends each request on its own.
    #[arg(long, default_value_t = 1)]
    batch_size: usize,
    /// Users in the emulated tenant.
    #[arg(long, default_value_t = 1_000)]
    users: usize,
    /// Attempts per request, the first included; a request refused that many times is
    /// counted as failed.
    #[arg(long, default_value_t = 4)]
    max_attempts: u32,
    /// Retry-After seconds the emulator sends with 429 and 503 (0: the client retries
    /// at once).
    #[arg(long, default_value_t = 0)]
    retry_after: u64,
    /// How long a slow answer is delayed, in milliseconds.
    #[arg(long, default_value_t = 20)]
    slow_ms: u64,
}

#[tokio::main]
async fn main() -> ExitCode {
    let args = Args::parse();
    if !(0.0..=1.0).contains(&args.fault_rate) {
        eprintln!(
            "load-test: --fault-rate must be between 0 and 1, not {}",
            args.fault_rate
        );
        return ExitCode::from(2);
    }
    if !(1..=20).contains(&args.batch_size) {
        eprintln!(
            "load-test: --batch-size must be between 1 and 20, not {}",
            args.batch_size
        );
        return ExitCode::from(2);
    }
    let report = run(LoadOptions {
        requests: args.requests,
        concurrency: args.concurrency,
        batch_size: args.batch_size,
        users: args.users,
        fault_rate: args.fault_rate,
        seed: args.seed,
        max_attempts: args.max_attempts,
        retry_after_secs: args.retry_after,
        slow_delay: Duration::from_millis(args.slow_ms),
    })
    .await;
    println!("{}", report.render());
    if report.tally.is_exact() {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}
