//! `license-bot`: reprocess license assignments for every user of a tenant.

use std::io::IsTerminal as _;
use std::time::Duration;

use clap::Parser;
use graphspec::client::{
    BulkOptions, Client, ClientCredentials, ClientSecret, RetryPolicy, RetryTransport,
};
use graphspec::{ApiVersion, BaseUrl, Cloud};
#[cfg(feature = "emulator")]
use graphspec_emulator::{Config, Emulator, Faults};
use graphspec_license_bot::{RunOptions, dry_run_plan, least_privileged_scopes, manifest, run};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

/// Reprocess group-based license assignments for every user of a tenant.
///
#[cfg_attr(
    feature = "emulator",
    doc = "Without credentials it starts the local Graph emulator in-process (seeded with"
)]
#[cfg_attr(
    feature = "emulator",
    doc = "`--users` users and injected faults), gets a token from it by client credentials and"
)]
#[cfg_attr(feature = "emulator", doc = "runs against it.")]
#[cfg_attr(
    not(feature = "emulator"),
    doc = "This build has no embedded emulator (cargo feature `emulator`): it needs credentials."
)]
/// With GRAPHSPEC_TENANT_ID, GRAPHSPEC_CLIENT_ID and GRAPHSPEC_CLIENT_SECRET (or the
/// flags) it runs against Microsoft Graph; the app needs the application permission
/// printed at the end.
// No `Debug`: the arguments hold the client secret.
#[derive(Parser)]
#[command(name = "license-bot", version)]
struct Args {
    /// Tenant id or domain (real Graph).
    #[arg(long, env = "GRAPHSPEC_TENANT_ID")]
    tenant: Option<String>,
    /// Application (client) id (real Graph).
    #[arg(long, env = "GRAPHSPEC_CLIENT_ID")]
    client_id: Option<String>,
    /// Client secret (real Graph). Prefer the environment variable.
    #[arg(long, env = "GRAPHSPEC_CLIENT_SECRET", hide_env_values = true)]
    client_secret: Option<String>,
    /// National cloud: global, usgov-l4, usgov-l5, china.
    #[arg(long, default_value = "global", value_parser = Cloud::parse)]
    cloud: Cloud,
    /// A custom Graph service root (e.g. a proxy), instead of the cloud's.
    #[arg(long, value_name = "URL")]
    base_url: Option<String>,
    /// Use Graph's beta endpoint.
    #[arg(long)]
    beta: bool,
    /// Print the requests instead of sending them.
    #[arg(long)]
    dry_run: bool,
    #[cfg(feature = "emulator")]
    #[command(flatten)]
    emulator: EmulatorArgs,
    /// HTTP requests in flight at once.
    #[arg(long, default_value_t = 8)]
    concurrency: usize,
    /// Requests per $batch (1..=20; 1 sends each on its own).
    #[arg(long, default_value_t = 20, value_parser = clap::value_parser!(u16).range(1..=20))]
    batch_size: u16,
    /// Attempts per request, the first included.
    #[arg(long, default_value_t = 5)]
    max_attempts: u32,
    /// Users per page when listing.
    #[arg(long, default_value_t = 999, value_parser = clap::value_parser!(u32).range(1..=999))]
    page_size: u32,
    /// Do not draw a progress bar.
    #[arg(long)]
    no_progress: bool,
}

/// The embedded emulator's options (used without credentials).
#[cfg(feature = "emulator")]
#[derive(clap::Args)]
struct EmulatorArgs {
    /// Users to seed the embedded emulator with.
    #[arg(long, default_value_t = 1000)]
    users: usize,
    /// Embedded emulator: probability of a 429 per request and per batch item.
    #[arg(long, default_value_t = 0.05, value_name = "RATE")]
    fault_rate: f64,
    /// Embedded emulator: probability of a 503 per request.
    #[arg(long, default_value_t = 0.01, value_name = "RATE")]
    unavailable_rate: f64,
    /// Embedded emulator: probability of dropping a connection mid-response.
    #[arg(long, default_value_t = 0.01, value_name = "RATE")]
    drop_rate: f64,
    /// Embedded emulator: Retry-After seconds.
    #[arg(long, default_value_t = 1, value_name = "SECS")]
    retry_after: u64,
}

/// Stands in for the emulator in builds without it (cargo feature `emulator`): never
/// exists.
#[cfg(not(feature = "emulator"))]
enum Emulator {}

#[cfg(not(feature = "emulator"))]
impl Emulator {
    async fn shutdown(self) -> Result<(), std::convert::Infallible> {
        match self {}
    }
}

/// Without the embedded emulator, a run without credentials is refused.
#[cfg(not(feature = "emulator"))]
async fn start_emulator(
    _args: &Args,
    _version: ApiVersion,
    _retry: RetryPolicy,
) -> Result<(Emulator, Client, String), String> {
    Err("no credentials given, and this license-bot was built without the embedded emulator (cargo feature `emulator`): real Graph needs --tenant, --client-id and --client-secret (or GRAPHSPEC_TENANT_ID, GRAPHSPEC_CLIENT_ID, GRAPHSPEC_CLIENT_SECRET)".into())
}

#[tokio::main]
async fn main() {
    if let Err(message) = real_main().await {
        eprintln!("license-bot: {message}");
        std::process::exit(1);
    }
}

async fn real_main() -> Result<(), String> {
    let args = Args::parse();
    let version = if args.beta {
        ApiVersion::Beta
    } else {
        ApiVersion::V1
    };
    let retry = RetryPolicy {
        max_attempts: args.max_attempts.max(1),
        // Reprocessing is safe to repeat, so a dropped connection is retried too.
        transport: RetryTransport::Always,
        ..RetryPolicy::default()
    };
    let options = RunOptions {
        page_size: args.page_size,
        bulk: BulkOptions {
            concurrency: args.concurrency.max(1),
            batch_size: usize::from(args.batch_size),
        },
    };
    // Kept alive until the run is done.
    let mut embedded_emulator = None;
    let (client, target) = match (&args.tenant, &args.client_id, &args.client_secret) {
        (Some(tenant), Some(client_id), Some(secret)) => {
            let base = match &args.base_url {
                Some(root) => BaseUrl::new(root.clone(), version),
                None => BaseUrl::new(args.cloud.root(), version),
            };
            let tokens =
                ClientCredentials::new(tenant, client_id, ClientSecret::new(secret.clone()))
                    .cloud(args.cloud);
            let client = Client::builder(tokens)
                .base_url(base)
                .retry(retry)
                .build()
                .map_err(|e| e.to_string())?;
            (
                client,
                format!("Microsoft Graph ({:?}), tenant {tenant}", args.cloud),
            )
        }
        (None, None, None) => {
            let (emulator, client, target) = start_emulator(&args, version, retry).await?;
            embedded_emulator = Some(emulator);
            (client, target)
        }
        _ => {
            return Err(
                "real Graph needs all of --tenant, --client-id and --client-secret (or GRAPHSPEC_TENANT_ID, GRAPHSPEC_CLIENT_ID, GRAPHSPEC_CLIENT_SECRET)"
                    .into(),
            );
        }
    };
    println!("license-bot: reprocessing license assignments against {target}");

    if args.dry_run {
        println!("dry run: nothing is sent; the requests would be:");
        for line in dry_run_plan(&client, options).map_err(|e| e.to_string())? {
            println!("  {line}");
        }
    } else {
        let bar = ProgressBar::with_draw_target(Some(0), ProgressDrawTarget::stderr());
        if args.no_progress || !std::io::stderr().is_terminal() {
            bar.set_draw_target(ProgressDrawTarget::hidden());
        }
        bar.set_style(
            ProgressStyle::with_template("{bar:40} {pos}/{len} users {per_sec} eta {eta}")
                .unwrap_or_else(|_| ProgressStyle::default_bar()),
        );
        bar.enable_steady_tick(Duration::from_millis(200));
        let report = run(&client, options, |done, total| {
            bar.set_length(total as u64);
            bar.set_position(done as u64);
        })
        .await
        .map_err(|e| format!("listing users failed: {e}"))?;
        bar.finish_and_clear();
        println!("{}", report.summary());
        for failure in report
            .outcomes
            .iter()
            .filter(|o| o.result.is_err())
            .take(10)
        {
            if let Err(e) = &failure.result {
                eprintln!("  failed: {}: {e}", failure.id);
            }
        }
    }
    let scopes: Vec<&str> = least_privileged_scopes().iter().map(|s| s.name()).collect();
    println!(
        "least-privileged application permissions: {}",
        scopes.join(", ")
    );
    println!("manifest fragment (requiredResourceAccess):");
    println!(
        "{}",
        serde_json::to_string_pretty(&manifest()).unwrap_or_default()
    );
    if let Some(emulator) = embedded_emulator {
        emulator.shutdown().await.map_err(|e| e.to_string())?;
    }
    Ok(())
}

/// Starts the embedded emulator with the bot's app registered, and a client for it.
#[cfg(feature = "emulator")]
async fn start_emulator(
    args: &Args,
    version: ApiVersion,
    retry: RetryPolicy,
) -> Result<(Emulator, Client, String), String> {
    let args = &args.emulator;
    let emulator = Emulator::start(Config {
        users: args.users,
        faults: Faults {
            throttle_rate: args.fault_rate,
            unavailable_rate: args.unavailable_rate,
            drop_rate: args.drop_rate,
            retry_after_secs: args.retry_after,
            ..Faults::default()
        },
        ..Config::default()
    })
    .await
    .map_err(|e| format!("cannot start the emulator: {e}"))?;
    let roles: Vec<&str> = least_privileged_scopes().iter().map(|s| s.name()).collect();
    let secret = format!("emulator-{:016x}", std::process::id() as u64 * 0x9e37_79b9);
    emulator.register_app("license-bot", &secret, &roles);
    let tokens = ClientCredentials::new(
        emulator.tenant_id(),
        "license-bot",
        ClientSecret::new(secret),
    )
    .authority(emulator.authority());
    let client = Client::builder(tokens)
        .base_url(emulator.base_url(version))
        .retry(retry)
        .build()
        .map_err(|e| e.to_string())?;
    let target = format!(
        "the embedded emulator at {} ({} users, {:.0}% 429s, {:.0}% 503s, {:.0}% dropped connections)",
        emulator.root(),
        args.users,
        args.fault_rate * 100.0,
        args.unavailable_rate * 100.0,
        args.drop_rate * 100.0
    );
    Ok((emulator, client, target))
}
