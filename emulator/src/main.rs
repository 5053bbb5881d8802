//! `graphspec-emulator`: a local Microsoft Graph-compatible server for tests and demos.

use std::time::Duration;

use clap::Parser;
use graphspec_emulator::{Config, Emulator, Faults};

/// A local Microsoft Graph emulator that enforces graphspec's permission tables.
///
/// It serves an in-memory tenant (seeded deterministically) on 127.0.0.1, issues JWTs
/// signed with a key made at start (ES256) by client credentials at
/// `POST /{tenant}/oauth2/v2.0/token` for the registered test apps, publishes that key at
/// `GET /{tenant}/discovery/v2.0/keys` (named by `/.well-known/openid-configuration`), and
/// answers 401 to a token it did not sign or that is expired, not yet valid, or for
/// another tenant or audience, and 403 (`Authorization_RequestDenied`) when the token's
/// `roles`/`scp` do not allow the operation. It is a test double: never point real
/// software at it in production.
#[derive(Debug, Parser)]
#[command(name = "graphspec-emulator", version)]
struct Args {
    /// Port on 127.0.0.1 (0 picks a free port, printed on start).
    #[arg(long, default_value_t = 0)]
    port: u16,
    /// Users to seed the tenant with.
    #[arg(long, default_value_t = 1000)]
    users: usize,
    /// Probability of a 429 with Retry-After, per request (and per `$batch` item).
    #[arg(long, default_value_t = 0.0, value_name = "RATE")]
    fault_rate: f64,
    /// Probability of a 429 with Retry-After for a whole `$batch` request.
    #[arg(long, default_value_t = 0.0, value_name = "RATE")]
    batch_fault_rate: f64,
    /// Probability of a 503, per request.
    #[arg(long, default_value_t = 0.0, value_name = "RATE")]
    unavailable_rate: f64,
    /// Probability of dropping the connection mid-response, per request.
    #[arg(long, default_value_t = 0.0, value_name = "RATE")]
    drop_rate: f64,
    /// Probability of a slow answer, per request.
    #[arg(long, default_value_t = 0.0, value_name = "RATE")]
    slow_rate: f64,
    /// Delay of slow answers, in milliseconds.
    #[arg(long, default_value_t = 200, value_name = "MS")]
    slow_ms: u64,
    /// Retry-After seconds sent with 429 and 503.
    #[arg(long, default_value_t = 1, value_name = "SECS")]
    retry_after: u64,
    /// Latency added to every Graph answer, in milliseconds. A `$batch` pays it per item,
    /// up to --batch-parallelism independent items at a time, as Graph runs items.
    #[arg(long, default_value_t = 0, value_name = "MS")]
    latency_ms: u64,
    /// How many independent items of a `$batch` run at once (Graph: up to 4); items with
    /// `dependsOn` wait for the items they name.
    #[arg(long, default_value_t = 4, value_name = "N", value_parser = clap::value_parser!(u16).range(1..))]
    batch_parallelism: u16,
    /// Seed of the fault generator.
    #[arg(long, default_value_t = 0x5eed)]
    seed: u64,
    /// Register a test app: CLIENT_ID:SECRET:Role1,Role2 (repeatable). Without any, one
    /// app `license-bot` with secret `emulator-secret` and `User.ReadWrite.All` is registered.
    #[arg(long = "app", value_name = "ID:SECRET:ROLES")]
    apps: Vec<String>,
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args = Args::parse();
    for (name, rate) in [
        ("--fault-rate", args.fault_rate),
        ("--batch-fault-rate", args.batch_fault_rate),
        ("--unavailable-rate", args.unavailable_rate),
        ("--drop-rate", args.drop_rate),
        ("--slow-rate", args.slow_rate),
    ] {
        if !(0.0..=1.0).contains(&rate) {
            return Err(format!("{name} must be between 0 and 1, not {rate}").into());
        }
    }
    let config = Config {
        port: args.port,
        users: args.users,
        faults: Faults {
            throttle_rate: args.fault_rate,
            batch_throttle_rate: args.batch_fault_rate,
            unavailable_rate: args.unavailable_rate,
            drop_rate: args.drop_rate,
            slow_rate: args.slow_rate,
            slow_delay: Duration::from_millis(args.slow_ms),
            retry_after_secs: args.retry_after,
        },
        seed: args.seed,
        latency: Duration::from_millis(args.latency_ms),
        batch_parallelism: usize::from(args.batch_parallelism),
        ..Config::default()
    };
    let emulator = Emulator::start(config).await?;
    let apps = if args.apps.is_empty() {
        vec!["license-bot:emulator-secret:User.ReadWrite.All".to_owned()]
    } else {
        args.apps
    };
    println!("graphspec-emulator listening on {}", emulator.root());
    println!("  Graph:  {}", emulator.base_url(graphspec::ApiVersion::V1));
    println!(
        "  tokens: POST {}/{}/oauth2/v2.0/token (client credentials; ES256-signed)",
        emulator.authority(),
        emulator.tenant_id()
    );
    println!("  keys:   GET {}", emulator.jwks_uri());
    for app in &apps {
        let mut parts = app.splitn(3, ':');
        let (Some(id), Some(secret), roles) = (parts.next(), parts.next(), parts.next()) else {
            return Err(format!("--app wants CLIENT_ID:SECRET:ROLES, not `{app}`").into());
        };
        let roles: Vec<&str> = roles
            .unwrap_or("")
            .split(',')
            .filter(|r| !r.is_empty())
            .collect();
        emulator.register_app(id, secret, &roles);
        println!("  app:    client id `{id}`, roles [{}]", roles.join(", "));
    }
    println!("  tenant: {} users; Ctrl-C stops", args.users);
    tokio::signal::ctrl_c().await?;
    emulator.shutdown().await?;
    Ok(())
}
