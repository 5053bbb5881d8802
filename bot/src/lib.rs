//! The license bot: reprocesses group-based license assignments for every user of a
//! tenant, against Microsoft Graph or the local emulator.
//!
//! It lists all users (paging), sends `reprocessLicenseAssignment` for each through
//! `$batch` with bounded concurrency, and accounts for every user exactly once: reprocessed,
//! or failed with the error after retries.
//!
//! Feature `emulator` (on by default): the `license-bot` binary runs against the
//! embedded Graph emulator when given no credentials, [`bench`](mod@bench) measures against it,
//! and [`load`](mod@load) puts it and the client under sustained, faulty load.
//! Without it, the bot needs real-Graph credentials.

#![forbid(unsafe_code)]
#![warn(missing_docs)]
// `graphspec::Error` keeps Graph's error body inline; see the runtime's client module.

#[cfg(feature = "emulator")]
pub mod bench;
#[cfg(feature = "emulator")]
pub mod load;

use std::time::{Duration, Instant};

use futures::StreamExt as _;
use graphspec::client::{BulkLedger, BulkOptions, BulkResult, Client, Stats};
use graphspec::prelude::*;
use graphspec::{Error, Scope, user};

graphspec::credential! {
    /// The license bot's app registration: application permission `User.ReadWrite.All`,
    /// which allows both listing users and reprocessing their licenses.
    pub struct LicenseBot {
        scheme: Application,
        grants: ["User.ReadWrite.All"],
        calls: [user::ReprocessLicenseAssignment, user::ListUsers],
    }
}

/// The least-privileged application permissions the bot needs.
pub fn least_privileged_scopes() -> Vec<Scope> {
    LicenseBot::least_privileged_scopes().unwrap_or_default()
}

/// The app registration's `requiredResourceAccess` fragment for the bot.
pub fn manifest() -> serde_json::Value {
    graphspec::required_resource_access(graphspec::Scheme::Application, &least_privileged_scopes())
        .unwrap_or_default()
}

/// How the bot sends.
#[derive(Debug, Clone, Copy)]
pub struct RunOptions {
    /// Users per page when listing (`$top`).
    pub page_size: u32,
    /// Bulk sending: concurrency and batch size.
    pub bulk: BulkOptions,
}

impl Default for RunOptions {
    fn default() -> RunOptions {
        RunOptions {
            page_size: 999,
            bulk: BulkOptions {
                concurrency: 8,
                batch_size: 20,
            },
        }
    }
}

/// One user's outcome.
#[derive(Debug)]
pub struct UserOutcome {
    /// The user's id.
    pub id: String,
    /// `Ok` when reprocessed; the error after retries otherwise.
    pub result: Result<(), Error>,
    /// How many times the request was sent.
    pub attempts: u32,
}

/// What a run did.
#[derive(Debug)]
pub struct Report {
    /// One outcome per listed user, in listing order.
    pub outcomes: Vec<UserOutcome>,
    /// Results the run could not account to exactly one user ([`Error::BulkAccounting`]):
    /// empty unless the client misbehaved. A user with two results is also a failure in
    /// `outcomes`.
    pub accounting: Vec<Error>,
    /// The client's counters for the run (listing included).
    pub stats: Stats,
    /// Wall-clock time of the run.
    pub elapsed: Duration,
}

impl Report {
    /// Users reprocessed.
    pub fn done(&self) -> usize {
        self.outcomes.iter().filter(|o| o.result.is_ok()).count()
    }

    /// Users that failed after retries.
    pub fn failed(&self) -> usize {
        self.outcomes.len() - self.done()
    }

    /// Users whose request was sent more than once.
    pub fn retried_users(&self) -> usize {
        self.outcomes.iter().filter(|o| o.attempts > 1).count()
    }

    /// Users per second.
    pub fn users_per_second(&self) -> f64 {
        self.outcomes.len() as f64 / self.elapsed.as_secs_f64().max(1e-9)
    }

    /// HTTP requests per second.
    pub fn requests_per_second(&self) -> f64 {
        self.stats.round_trips as f64 / self.elapsed.as_secs_f64().max(1e-9)
    }

    /// The summary lines printed at the end of a run.
    pub fn summary(&self) -> String {
        let mut summary = self.counts();
        if !self.accounting.is_empty() {
            summary.push_str(&format!("\naccounting errors: {}", self.accounting.len()));
            for error in &self.accounting {
                summary.push_str(&format!("\n  {error}"));
            }
        }
        summary
    }

    fn counts(&self) -> String {
        format!(
            "users: {}\ndone: {}\nfailed: {}\nretried: {} users ({} retries; {} throttled, {} unavailable, {} transport errors)\n\
             elapsed: {:.2} s\nround trips: {}\nthroughput: {:.1} users/s, {:.1} requests/s",
            self.outcomes.len(),
            self.done(),
            self.failed(),
            self.retried_users(),
            self.stats.retries,
            self.stats.throttled,
            self.stats.unavailable,
            self.stats.transport_errors,
            self.elapsed.as_secs_f64(),
            self.stats.round_trips,
            self.users_per_second(),
            self.requests_per_second(),
        )
    }
}

/// Lists every user's id, following `@odata.nextLink`.
pub async fn list_user_ids(client: &Client, page_size: u32) -> Result<Vec<String>, Error> {
    let request = LicenseBot.authorize(user::ListUsers::new().top(page_size).select(["id"]));
    let mut users = client.items(request);
    let mut ids = Vec::new();
    while let Some(user) = users.next().await {
        if let Some(id) = user?.id.into_value() {
            ids.push(id);
        }
    }
    Ok(ids)
}

/// Runs the bot: lists users, reprocesses each one's license assignment in bulk, and
/// reports. `on_progress(done, total)` is called as results arrive.
pub async fn run(
    client: &Client,
    options: RunOptions,
    mut on_progress: impl FnMut(usize, usize),
) -> Result<Report, Error> {
    let started = Instant::now();
    let ids = list_user_ids(client, options.page_size).await?;
    let total = ids.len();
    on_progress(0, total);
    let requests: Vec<_> = ids
        .iter()
        .map(|id| LicenseBot.authorize(user::ReprocessLicenseAssignment::users(id)))
        .collect();
    let mut results = client.bulk_stream(requests, options.bulk);
    let (outcomes, accounting) = account(&ids, &mut results, &mut on_progress).await;
    drop(results);
    Ok(Report {
        outcomes,
        accounting,
        stats: client.stats(),
        elapsed: started.elapsed(),
    })
}

/// Accounts the bulk results of reprocessing `ids` (through a [`BulkLedger`]): one
/// outcome per user in `ids` order, and every accounting error (a second result for a
/// user, which becomes that user's failure; a result for no user). `on_progress(users
/// with a result, total)` is called per result.
pub async fn account<T, S>(
    ids: &[String],
    results: &mut S,
    on_progress: &mut impl FnMut(usize, usize),
) -> (Vec<UserOutcome>, Vec<Error>)
where
    S: futures::Stream<Item = BulkResult<T>> + Unpin,
{
    let total = ids.len();
    let mut ledger = BulkLedger::new(total);
    let mut accounting = Vec::new();
    while let Some(result) = results.next().await {
        if let Err(error) = ledger.record(result) {
            accounting.push(error);
        }
        on_progress(ledger.recorded(), total);
    }
    let outcomes = ledger
        .finish()
        .into_iter()
        .zip(ids)
        .map(|(result, id)| UserOutcome {
            id: id.clone(),
            result: result.result.map(|_| ()),
            attempts: result.attempts,
        })
        .collect();
    (outcomes, accounting)
}

/// The requests a run would send, for `--dry-run`: the listing request and the
/// reprocess request of a placeholder user, as `METHOD URL` lines, nothing sent.
pub fn dry_run_plan(client: &Client, options: RunOptions) -> Result<Vec<String>, Error> {
    let list = client.prepare(
        &LicenseBot.authorize(user::ListUsers::new().top(options.page_size).select(["id"])),
    )?;
    let reprocess =
        client.prepare(&LicenseBot.authorize(user::ReprocessLicenseAssignment::users("{id}")))?;
    Ok(vec![
        format!(
            "{} {}   (then every @odata.nextLink)",
            list.method(),
            list.uri()
        ),
        format!(
            "{} {}   (once per listed user, as POST {}/$batch of up to {}, {} at a time)",
            reprocess.method(),
            reprocess.uri(),
            client.base_url(),
            options.bulk.batch_size,
            options.bulk.concurrency
        ),
    ])
}

#[cfg(test)]
mod tests {
    use super::*;

    fn result(index: usize, ok: bool) -> BulkResult<()> {
        BulkResult {
            index,
            result: if ok {
                Ok(())
            } else {
                Err(Error::Batch {
                    message: "lost".into(),
                })
            },
            attempts: 1,
        }
    }

    #[tokio::test]
    async fn every_user_is_accounted_once_even_when_results_misbehave() {
        let ids: Vec<String> = ["a", "b", "c"].map(String::from).to_vec();
        // Input 1 answered twice (a failure, then a success), a result for no input, and
        // none for input 2.
        let mut results = futures::stream::iter([
            result(0, true),
            result(1, false),
            result(1, true),
            result(9, true),
        ]);
        let mut progress = Vec::new();
        let (outcomes, accounting) = account(&ids, &mut results, &mut |done, total| {
            progress.push((done, total))
        })
        .await;
        assert_eq!(
            outcomes.iter().map(|o| o.id.as_str()).collect::<Vec<_>>(),
            ["a", "b", "c"]
        );
        assert!(outcomes[0].result.is_ok());
        // The second result did not overwrite the first: the user is a failure that
        // names both.
        assert!(
            matches!(&outcomes[1].result, Err(Error::BulkAccounting { index: 1, problem })
                if problem.contains("first error") && problem.contains("then success")),
            "{:?}",
            outcomes[1].result
        );
        assert_eq!(outcomes[1].attempts, 2);
        assert!(matches!(
            outcomes[2].result,
            Err(Error::BulkAccounting { index: 2, .. })
        ));
        assert_eq!(accounting.len(), 2, "{accounting:?}");
        assert_eq!(progress, [(1, 3), (2, 3), (2, 3), (2, 3)]);

        let report = Report {
            outcomes,
            accounting,
            stats: Stats::default(),
            elapsed: Duration::from_secs(1),
        };
        assert_eq!((report.done(), report.failed()), (1, 2));
        assert!(
            report.summary().contains("accounting errors: 2"),
            "{}",
            report.summary()
        );
    }
}
