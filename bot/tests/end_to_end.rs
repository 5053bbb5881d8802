//! The license bot end to end over real HTTP against the in-process emulator.

use std::collections::HashSet;
use std::time::Duration;

use graphspec::ApiVersion;
use graphspec::client::{
    BulkOptions, Client, ClientCredentials, ClientSecret, RetryPolicy, RetryTransport,
};
use graphspec_emulator::{Config, Emulator, Faults};
use graphspec_license_bot::{RunOptions, dry_run_plan, least_privileged_scopes, manifest, run};

const MAX_ATTEMPTS: u32 = 6;

async fn setup(users: usize, faults: Faults) -> (Emulator, Client) {
    let emulator = Emulator::start(Config {
        users,
        faults,
        ..Config::default()
    })
    .await
    .unwrap();
    let roles: Vec<&str> = least_privileged_scopes().iter().map(|s| s.name()).collect();
    emulator.register_app("license-bot", "e2e-secret", &roles);
    let tokens = ClientCredentials::new(
        emulator.tenant_id(),
        "license-bot",
        ClientSecret::new("e2e-secret"),
    )
    .authority(emulator.authority());
    let client = Client::builder(tokens)
        .base_url(emulator.base_url(ApiVersion::V1))
        .retry(RetryPolicy {
            max_attempts: MAX_ATTEMPTS,
            base_delay: Duration::from_millis(1),
            max_delay: Duration::from_millis(10),
            max_total_delay: Duration::from_secs(10),
            transport: RetryTransport::Always,
        })
        .build()
        .unwrap();
    (emulator, client)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_thousand_users_with_faults_are_each_accounted_for_exactly_once() {
    let (emulator, client) = setup(
        2000,
        Faults {
            throttle_rate: 0.10,
            unavailable_rate: 0.03,
            drop_rate: 0.03,
            retry_after_secs: 0,
            ..Faults::default()
        },
    )
    .await;
    let options = RunOptions {
        page_size: 500,
        bulk: BulkOptions {
            concurrency: 8,
            batch_size: 20,
        },
    };
    let mut progress_calls = 0;
    let report = run(&client, options, |done, total| {
        assert!(done <= total);
        progress_calls += 1;
    })
    .await
    .expect("listing succeeds within the retry bounds");

    // Every user exactly once.
    let expected: HashSet<String> = emulator.with_tenant(|t| t.user_ids()).into_iter().collect();
    assert_eq!(report.outcomes.len(), 2000);
    let seen: HashSet<&str> = report.outcomes.iter().map(|o| o.id.as_str()).collect();
    assert_eq!(seen.len(), 2000, "no user twice");
    assert!(report.outcomes.iter().all(|o| expected.contains(&o.id)));
    assert_eq!(report.done() + report.failed(), 2000);
    assert!(report.accounting.is_empty(), "{:?}", report.accounting);
    assert_eq!(progress_calls, 2001);

    // Nothing retried past its bound, on either side.
    assert!(
        report
            .outcomes
            .iter()
            .all(|o| (1..=MAX_ATTEMPTS).contains(&o.attempts))
    );
    let arrivals = emulator.reprocess_arrivals();
    assert!(
        arrivals.values().all(|&n| n <= MAX_ATTEMPTS),
        "max arrivals {:?}",
        arrivals.values().max()
    );
    // Every user reported done was reprocessed by the tenant; failures carry their error.
    let reprocessed = emulator.with_tenant(|t| t.reprocessed().clone());
    for outcome in &report.outcomes {
        match &outcome.result {
            Ok(()) => assert!(reprocessed.contains_key(&outcome.id), "{}", outcome.id),
            Err(e) => assert!(
                e.is_retryable_status() || matches!(e, graphspec::Error::Transport { .. }),
                "{e}"
            ),
        }
    }
    // How many succeed follows from the fault rates and the retry policy. In each round
    // of a `$batch`, a user's request fails when the whole batch is refused with a 503
    // (3%) or its answer dropped (3%), or when the user's own item is throttled (10%):
    // p = 1 − 0.97 × 0.97 × 0.90 ≈ 0.153. Failed items go again, and a user fails only
    // when all MAX_ATTEMPTS = 6 rounds fail (Retry-After is 0 and backoff at most 10 ms,
    // far inside the 10 s budget, so the attempt bound is what ends the retries):
    // p⁶ ≈ 1.3e-5 per user, about 0.03 users of 2,000 per run. Whole-batch faults strike
    // a batch's 20 users together, so the tail is one batch losing all six rounds to them
    // (about 100 × 0.059⁶ ≈ 4e-6 per run), and more than 20 failures needs two such
    // batches (about 1e-11). Without retries about 306 users would fail (0.153 × 2,000),
    // with one retry about 47: the bound catches a broken retry path, and "every failure
    // used all six attempts" catches one cut short (with three attempts, about 7 users
    // would fail after 3).
    let failures: Vec<_> = report
        .outcomes
        .iter()
        .filter(|o| o.result.is_err())
        .collect();
    assert_eq!(failures.len(), report.failed());
    assert!(
        report.done() >= 2000 - 20,
        "{} of 2000 users failed: {:?}",
        report.failed(),
        failures.iter().map(|o| &o.result).collect::<Vec<_>>()
    );
    for outcome in &failures {
        assert_eq!(
            outcome.attempts, MAX_ATTEMPTS,
            "{} failed before its retries ran out: {:?}",
            outcome.id, outcome.result
        );
    }
    // The faults happened, and were retried.
    let stats = emulator.stats();
    assert!(stats.throttled > 0);
    assert!(report.stats.retries > 0);
    assert!(report.retried_users() > 0);
    // Batching: far fewer round trips than users.
    assert!(
        report.stats.round_trips < 400,
        "{}",
        report.stats.round_trips
    );
    assert!(report.summary().contains("done: "));
    emulator
        .shutdown()
        .await
        .expect("the emulator served without failing");
}

#[tokio::test]
async fn without_faults_every_user_is_reprocessed_once_in_a_hundred_round_trips() {
    let (emulator, client) = setup(300, Faults::default()).await;
    let report = run(&client, RunOptions::default(), |_, _| {})
        .await
        .unwrap();
    assert_eq!(report.done(), 300);
    assert_eq!(
        report.stats.round_trips,
        1 + 15,
        "one page, 300 / 20 batches"
    );
    let reprocessed = emulator.with_tenant(|t| t.reprocessed().clone());
    assert_eq!(reprocessed.len(), 300);
    assert!(reprocessed.values().all(|&n| n == 1));
}

#[tokio::test]
async fn a_dry_run_sends_nothing() {
    let (emulator, client) = setup(10, Faults::default()).await;
    let plan = dry_run_plan(&client, RunOptions::default()).unwrap();
    assert!(plan[0].starts_with("GET http://127.0.0.1:"), "{plan:?}");
    assert!(
        plan[0].contains("/v1.0/users?$select=id&$top=999"),
        "{plan:?}"
    );
    assert!(
        plan[1].contains("/users/%7Bid%7D/reprocessLicenseAssignment"),
        "{plan:?}"
    );
    assert_eq!(emulator.stats().requests, 0);
    assert_eq!(emulator.stats().token_requests, 0);
}

#[test]
fn least_privileged_scopes_and_manifest() {
    let names: Vec<&str> = least_privileged_scopes().iter().map(|s| s.name()).collect();
    assert_eq!(names, ["User.ReadWrite.All"]);
    let manifest = manifest();
    assert_eq!(
        manifest[0]["resourceAppId"],
        "00000003-0000-0000-c000-000000000000"
    );
    assert_eq!(
        manifest[0]["resourceAccess"],
        serde_json::json!([{ "id": "741f803b-c850-494e-b5df-cde7c675a1ca", "type": "Role" }])
    );
}
