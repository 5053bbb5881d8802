//! graphspec-emulator: a local Microsoft Graph-compatible HTTP server built from the same
//! definitions as the `graphspec` crate.
//!
//! - It knows every operation's method, path templates and permission table
//!   ([`graphspec::operations()`]: those of the `graphspec` features it is built with;
//!   the feature `full` turns on all of them) and enforces the table against the access
//!   token of each request: 401 `InvalidAuthenticationToken` without a valid token (see
//!   below), 403 `Authorization_RequestDenied` when its `roles` (application) or `scp`
//!   (delegated) claim allows none of the operation's alternatives.
//! - It issues tokens: `POST /{tenant}/oauth2/v2.0/token` with client credentials of a
//!   registered test app ([`Emulator::register_app`]), whose application permissions go
//!   into `roles`; [`Emulator::delegated_token`] makes delegated (`scp`) tokens for work
//!   and personal accounts. Tokens are JWTs signed (ES256) with a key made for each
//!   emulator, published as Entra ID publishes its keys: a JWKS at
//!   `GET /{tenant}/discovery/v2.0/keys` ([`Emulator::jwks_uri`]) named by the
//!   OpenID configuration at `GET /{tenant}/v2.0/.well-known/openid-configuration` (and
//!   `/.well-known/openid-configuration`). A request whose token is unsigned, signed with
//!   another key, expired, not yet valid (`nbf`), of another issuer or tenant, for another
//!   audience, without `exp`, or revoked gets 401 `InvalidAuthenticationToken`.
//! - It serves an in-memory [`Tenant`] seeded deterministically with users, groups, group
//!   membership (each user is in the group that licenses it), subscribed SKUs and license
//!   assignments: list/get/create/update (`PATCH`, merging) users, `memberOf` (of a user or
//!   `/me`), `assignLicense`, `reprocessLicenseAssignment`, `licenseDetails`,
//!   `subscribedSkus`, list/get/delete groups, users' photos (`PUT`/`GET
//!   …/photo/$value`: raw content, an image `Content-Type` required; base64 in `$batch`, as
//!   Graph), files in one drive (`PUT …/content` by item id or by parent and name, `GET
//!   …/content` answered, as Graph, with `302 Found` to a pre-authenticated
//!   `/download/{item}?token=…` that serves the bytes) (operations not defined in
//!   `graphspec` are unreachable). Each is implemented for its
//!   operation type (`graphspec::user::ListUsers`, …) and wins method-and-path ties with other
//!   served definitions. Unknown ids give 404 `Request_ResourceNotFound`; defined but
//!   unimplemented operations give 501.
//! - Graph behaviour: `$batch` (answers in shuffled order, `dependsOn`, 424 for failed
//!   dependencies), paging with `@odata.nextLink` and `$top`, `$select`, `$filter` on
//!   equality.
//! - Faults ([`Faults`]): 429 with `Retry-After`, 503, slow answers, connections dropped
//!   mid-response, each at a configured rate.
//! - A server that stops on its own (an I/O error, a panic) is logged with `tracing` and
//!   reported by [`Emulator::shutdown`] as a [`ServerError`].
//!
//! ```no_run
//! # async fn run() -> std::io::Result<()> {
//! let emulator = graphspec_emulator::Emulator::start(graphspec_emulator::Config::default()).await?;
//! println!("Graph at {}", emulator.base_url(graphspec::ApiVersion::V1));
//! # Ok(()) }
//! ```

#![forbid(unsafe_code)]
#![warn(missing_docs)]

mod faults;
mod handlers;
mod jwt;
mod query;
mod reply;
mod routing;
mod server;
mod tenant;

use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use graphspec::claims::{PERSONAL_ACCOUNT_TENANT, TokenClaims};
use graphspec::{ApiVersion, BaseUrl};

pub use query::Query;
pub use tenant::{Failure, Tenant, guid};

/// Injected faults, each a probability per request (per item inside `$batch` for 429).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Faults {
    /// Probability of 429 `TooManyRequests` with `Retry-After` (per request, and per item
    /// of a `$batch`).
    pub throttle_rate: f64,
    /// Probability of a 429 with `Retry-After` for a whole `$batch` request (before any
    /// item runs), as Graph answers when the tenant as a whole is throttled.
    pub batch_throttle_rate: f64,
    /// Probability of 503 `serviceNotAvailable` (per request, `$batch` included).
    pub unavailable_rate: f64,
    /// Probability that the connection is dropped half-way through the answer, after the
    /// operation ran (per request, `$batch` included).
    pub drop_rate: f64,
    /// Probability that the answer is delayed by `slow_delay`.
    pub slow_rate: f64,
    /// The delay of slow answers.
    pub slow_delay: Duration,
    /// The `Retry-After` seconds sent with 429 and 503.
    pub retry_after_secs: u64,
}

impl Default for Faults {
    fn default() -> Faults {
        Faults {
            throttle_rate: 0.0,
            batch_throttle_rate: 0.0,
            unavailable_rate: 0.0,
            drop_rate: 0.0,
            slow_rate: 0.0,
            slow_delay: Duration::from_millis(200),
            retry_after_secs: 1,
        }
    }
}

/// How to start an emulator.
#[derive(Debug, Clone)]
pub struct Config {
    /// The port on 127.0.0.1 (0 picks a free one).
    pub port: u16,
    /// Users to seed.
    pub users: usize,
    /// Faults to inject.
    pub faults: Faults,
    /// Seed of the fault generator and of `$batch` answer shuffling.
    pub seed: u64,
    /// Lifetime of issued tokens.
    pub token_lifetime: Duration,
    /// Added to every Graph answer, to model network and service latency; zero by default.
    ///
    /// A request sent on its own pays it once. A `$batch` pays it per item, as Graph runs
    /// each item against its service: up to [`Config::batch_parallelism`] items at a time,
    /// an item with `dependsOn` only after the items it names. So a batch of 20 independent
    /// items answers after `ceil(20 / batch_parallelism)` latencies, one of 20 chained items
    /// after 20, and a one-item batch after one, like the request sent alone. A batch
    /// refused as a whole (a malformed envelope, an injected 429 or 503) pays it once.
    pub latency: Duration,
    /// How many items of one `$batch` run at once when [`Config::latency`] is applied
    /// (at least 1; default 4).
    ///
    /// Graph may execute the independent items of a batch in any order and in parallel,
    /// and `dependsOn` items in sequence
    /// (<https://learn.microsoft.com/graph/json-batching>); Microsoft has said it
    /// dispatches up to four items of a batch to a service at once
    /// (<https://learn.microsoft.com/answers/questions/1660054>), hence 4.
    pub batch_parallelism: usize,
    /// The operations served (default: [`graphspec::operations()`]). Requests are matched
    /// against their path templates and checked against their permission tables; those
    /// the emulator does not implement answer 501.
    pub operations: Vec<&'static graphspec::OperationInfo>,
}

impl Default for Config {
    fn default() -> Config {
        Config {
            port: 0,
            users: 100,
            faults: Faults::default(),
            seed: 0x5eed,
            token_lifetime: Duration::from_secs(3600),
            latency: Duration::ZERO,
            batch_parallelism: 4,
            operations: graphspec::operations(),
        }
    }
}

/// A registered test application: client id, secret and granted application permissions.
#[derive(Clone)]
pub struct TestApp {
    /// The application (client) id.
    pub client_id: String,
    secret: String,
    /// Application permissions granted (they go into the token's `roles`).
    pub roles: Vec<String>,
}

impl std::fmt::Debug for TestApp {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TestApp")
            .field("client_id", &self.client_id)
            .field("secret", &"<redacted>")
            .field("roles", &self.roles)
            .finish()
    }
}

/// The kind of account a delegated token is issued for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Account {
    /// A work or school account of the emulated tenant (`DelegatedWork`).
    Work,
    /// A personal Microsoft account (`DelegatedPersonal`).
    Personal,
}

/// What the emulator saw and did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct EmulatorStats {
    /// HTTP requests to Graph paths (a `$batch` counts once).
    pub requests: u64,
    /// Items inside `$batch` requests.
    pub batch_items: u64,
    /// Token requests.
    pub token_requests: u64,
    /// 429 answers injected (batch items included).
    pub throttled: u64,
    /// 503 answers injected.
    pub unavailable: u64,
    /// Connections dropped mid-answer.
    pub dropped: u64,
    /// Slow answers.
    pub slowed: u64,
    /// 401 answers.
    pub unauthorized: u64,
    /// 403 answers.
    pub forbidden: u64,
}

#[derive(Default)]
struct Counters {
    requests: AtomicU64,
    batch_items: AtomicU64,
    token_requests: AtomicU64,
    throttled: AtomicU64,
    unavailable: AtomicU64,
    dropped: AtomicU64,
    slowed: AtomicU64,
    unauthorized: AtomicU64,
    forbidden: AtomicU64,
}

fn bump(counter: &AtomicU64) {
    counter.fetch_add(1, Ordering::Relaxed);
}

/// State shared by the server's handlers.
pub(crate) struct Shared {
    pub(crate) config: Config,
    pub(crate) tenant: Mutex<Tenant>,
    pub(crate) apps: Mutex<HashMap<String, TestApp>>,
    pub(crate) rng: Mutex<fastrand::Rng>,
    pub(crate) counters: Counters,
    /// Per user id: how many reprocess requests arrived (throttled ones included).
    pub(crate) arrivals: Mutex<HashMap<String, u32>>,
    pub(crate) root: String,
    pub(crate) user_agents: Mutex<std::collections::HashSet<String>>,
    /// The served operations, those the emulator implements first.
    pub(crate) routes: Vec<routing::Route>,
    /// Tokens carry the generation they were issued in (claim `gen`); those of an older
    /// generation than this are revoked ([`Emulator::revoke_tokens`]).
    pub(crate) token_generation: AtomicU64,
    /// The key tokens are signed with.
    pub(crate) signer: jwt::Signer,
    /// Tokens whose signature and claims were verified, and their claims (see
    /// `server::verified`).
    pub(crate) verified_tokens: Mutex<HashMap<String, TokenClaims>>,
    /// The emulated tenant's id.
    pub(crate) tenant_id: String,
}

impl Shared {
    pub(crate) fn chance(&self, rate: f64) -> bool {
        rate > 0.0 && self.rng.lock().map(|mut r| r.f64() < rate).unwrap_or(false)
    }

    /// A signed token carrying `claims` and what every token the emulator issues carries:
    /// its generation (`gen`), the issuer of its tenant (`iss`, from `tid`), Graph's
    /// audience (`aud`), and when it was issued (`iat`, `nbf`).
    pub(crate) fn issue(&self, mut claims: TokenClaims) -> String {
        let generation = self.token_generation.load(Ordering::SeqCst);
        let now = now_secs();
        let tid = claims.tid.clone().unwrap_or_else(|| self.tenant_id.clone());
        let extra = &mut claims.additional;
        extra.insert("gen".into(), generation.into());
        extra.insert("iss".into(), jwt::issuer(&self.root, &tid).into());
        extra.insert("aud".into(), jwt::AUDIENCE.into());
        extra.insert("iat".into(), now.into());
        extra.insert("nbf".into(), now.into());
        claims.tid = Some(tid);
        self.signer.sign(&claims)
    }

    /// The issuer of the emulated tenant's tokens.
    pub(crate) fn issuer(&self) -> String {
        jwt::issuer(&self.root, &self.tenant_id)
    }

    /// Whether a token's claims were issued before the last revocation.
    pub(crate) fn is_revoked(&self, claims: &TokenClaims) -> bool {
        let generation = claims
            .additional
            .get("gen")
            .and_then(serde_json::Value::as_u64)
            .unwrap_or(0);
        generation < self.token_generation.load(Ordering::SeqCst)
    }

    /// The `exp` of a token issued now (saturating: a huge lifetime never overflows).
    pub(crate) fn expiry(&self) -> u64 {
        now_secs().saturating_add(self.config.token_lifetime.as_secs())
    }
}

pub(crate) fn now_secs() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0)
}

/// Why the emulator's server stopped serving on its own.
#[derive(Debug)]
#[non_exhaustive]
pub enum ServerError {
    /// Serving failed with an I/O error.
    Io(std::io::Error),
    /// The server panicked; the panic's message.
    Panicked(String),
}

impl std::fmt::Display for ServerError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ServerError::Io(e) => write!(f, "the emulator's server failed: {e}"),
            ServerError::Panicked(message) => {
                write!(f, "the emulator's server panicked: {message}")
            }
        }
    }
}

impl std::error::Error for ServerError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            ServerError::Io(e) => Some(e),
            ServerError::Panicked(_) => None,
        }
    }
}

/// The serving task: `serve`'s outcome, a panic included, logged when it is a failure and
/// kept for [`Emulator::shutdown`].
fn spawn_server<F>(serve: F) -> tokio::task::JoinHandle<Result<(), ServerError>>
where
    F: std::future::Future<Output = std::io::Result<()>> + Send + 'static,
{
    use futures::FutureExt as _;
    tokio::spawn(async move {
        let outcome = match std::panic::AssertUnwindSafe(serve).catch_unwind().await {
            Ok(Ok(())) => Ok(()),
            Ok(Err(e)) => Err(ServerError::Io(e)),
            Err(panic) => Err(ServerError::Panicked(panic_message(panic.as_ref()))),
        };
        if let Err(error) = &outcome {
            tracing::error!(%error, "the emulator stopped serving");
        }
        outcome
    })
}

fn panic_message(panic: &(dyn std::any::Any + Send)) -> String {
    panic
        .downcast_ref::<&str>()
        .map(|s| (*s).to_owned())
        .or_else(|| panic.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "(no message)".to_owned())
}

/// A running emulator on 127.0.0.1. Dropping it stops the server; [`Emulator::shutdown`]
/// stops it and reports whether it failed.
pub struct Emulator {
    addr: SocketAddr,
    shared: Arc<Shared>,
    shutdown: Option<tokio::sync::oneshot::Sender<()>>,
    task: Option<tokio::task::JoinHandle<Result<(), ServerError>>>,
}

impl std::fmt::Debug for Emulator {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Emulator")
            .field("addr", &self.addr)
            .field("config", &self.shared.config)
            .finish_non_exhaustive()
    }
}

/// What [`Emulator::launch`] hands the server: the bound listener, the routes, and a
/// future that completes when the emulator is asked to stop.
type ServeParts = (
    tokio::net::TcpListener,
    axum::Router,
    futures::future::BoxFuture<'static, ()>,
);

impl Emulator {
    /// Seeds a tenant and starts serving on `127.0.0.1:{config.port}`.
    pub async fn start(config: Config) -> std::io::Result<Emulator> {
        Emulator::launch(config, |(listener, app, stop)| async move {
            axum::serve(listener, app)
                .with_graceful_shutdown(stop)
                .await
        })
        .await
    }

    /// Binds, seeds and spawns `serve` (the real server, or in tests a failing one).
    async fn launch<F, Fut>(config: Config, serve: F) -> std::io::Result<Emulator>
    where
        F: FnOnce(ServeParts) -> Fut,
        Fut: std::future::Future<Output = std::io::Result<()>> + Send + 'static,
    {
        let listener = tokio::net::TcpListener::bind(("127.0.0.1", config.port)).await?;
        let addr = listener.local_addr()?;
        let tenant = Tenant::seed(config.users);
        let shared = Arc::new(Shared {
            tenant_id: tenant.id.clone(),
            signer: jwt::Signer::generate()?,
            verified_tokens: Mutex::new(HashMap::new()),
            tenant: Mutex::new(tenant),
            apps: Mutex::new(HashMap::new()),
            rng: Mutex::new(fastrand::Rng::with_seed(config.seed)),
            counters: Counters::default(),
            arrivals: Mutex::new(HashMap::new()),
            root: format!("http://{addr}"),
            user_agents: Mutex::new(Default::default()),
            routes: routing::routes(&config.operations),
            token_generation: AtomicU64::new(0),
            config,
        });
        let (tx, rx) = tokio::sync::oneshot::channel::<()>();
        let stop: futures::future::BoxFuture<'static, ()> = Box::pin(async {
            let _ = rx.await;
        });
        let app = server::router(shared.clone());
        let task = spawn_server(serve((listener, app, stop)));
        Ok(Emulator {
            addr,
            shared,
            shutdown: Some(tx),
            task: Some(task),
        })
    }

    /// The address served.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// The service root, `http://127.0.0.1:PORT`.
    pub fn root(&self) -> &str {
        &self.shared.root
    }

    /// The Graph endpoint for `version`, e.g. `http://127.0.0.1:PORT/v1.0`.
    pub fn base_url(&self, version: ApiVersion) -> BaseUrl {
        BaseUrl::new(self.root(), version)
    }

    /// The token authority (`{authority}/{tenant}/oauth2/v2.0/token`), the service root.
    pub fn authority(&self) -> &str {
        self.root()
    }

    /// The emulated tenant's id.
    pub fn tenant_id(&self) -> String {
        self.shared.tenant_id.clone()
    }

    /// The issuer (`iss`) of the emulated tenant's tokens, `{root}/{tenant id}/v2.0`, as
    /// Entra ID's v2.0 endpoint names it (personal-account tokens are issued by
    /// `{root}/9188040d-6c67-4c5b-b112-36a304b66dad/v2.0`).
    pub fn issuer(&self) -> String {
        self.shared.issuer()
    }

    /// Where the emulator publishes the public key its tokens are signed with (a JWKS),
    /// `{root}/{tenant id}/discovery/v2.0/keys`.
    pub fn jwks_uri(&self) -> String {
        format!("{}/{}/discovery/v2.0/keys", self.root(), self.tenant_id())
    }

    /// The OpenID Connect discovery document of the emulated tenant,
    /// `{root}/{tenant id}/v2.0/.well-known/openid-configuration`; it names the issuer,
    /// the token endpoint and [`Emulator::jwks_uri`].
    pub fn openid_configuration_url(&self) -> String {
        format!(
            "{}/{}/v2.0/.well-known/openid-configuration",
            self.root(),
            self.tenant_id()
        )
    }

    /// Signs `claims` exactly as given, with this emulator's key: for tests of what the
    /// emulator refuses (another audience, a future `nbf`, another tenant, …). The tokens
    /// of [`Emulator::app_token`], [`Emulator::delegated_token`] and the token endpoint
    /// also carry `iss`, `aud`, `iat`, `nbf` and a revocation generation.
    pub fn sign(&self, claims: &TokenClaims) -> String {
        self.shared.signer.sign(claims)
    }

    /// Registers a test application that may get tokens by client credentials, with
    /// `roles` as its granted application permissions.
    pub fn register_app(&self, client_id: &str, secret: &str, roles: &[&str]) {
        let app = TestApp {
            client_id: client_id.to_owned(),
            secret: secret.to_owned(),
            roles: roles.iter().map(|r| (*r).to_owned()).collect(),
        };
        if let Ok(mut apps) = self.shared.apps.lock() {
            apps.insert(client_id.to_owned(), app);
        }
    }

    /// Revokes every token issued so far (as when an administrator revokes sessions or a
    /// signing key rolls): they get 401 `InvalidAuthenticationToken` from now on, and new
    /// tokens work.
    pub fn revoke_tokens(&self) {
        self.shared.token_generation.fetch_add(1, Ordering::SeqCst);
    }

    /// An application token carrying `roles`, as the token endpoint would issue.
    pub fn app_token(&self, roles: &[&str]) -> String {
        self.shared.issue(TokenClaims {
            roles: Some(roles.iter().map(|r| (*r).to_owned()).collect()),
            exp: Some(self.shared.expiry()),
            tid: Some(self.tenant_id()),
            appid: Some("emulator-app".into()),
            ..TokenClaims::default()
        })
    }

    /// A delegated token for `account` carrying `scopes` in `scp`; the signed-in user is
    /// the tenant's first user (for `/me`).
    pub fn delegated_token(&self, scopes: &[&str], account: Account) -> String {
        let (tid, oid) = match account {
            Account::Work => (
                self.tenant_id(),
                self.with_tenant(|t| t.user_ids().first().cloned()),
            ),
            Account::Personal => (PERSONAL_ACCOUNT_TENANT.to_owned(), None),
        };
        self.shared.issue(TokenClaims {
            scp: Some(scopes.join(" ")),
            exp: Some(self.shared.expiry()),
            tid: Some(tid),
            appid: Some("emulator-public-client".into()),
            oid,
            ..TokenClaims::default()
        })
    }

    /// A token that expired a minute ago.
    pub fn expired_token(&self, roles: &[&str]) -> String {
        self.shared.issue(TokenClaims {
            roles: Some(roles.iter().map(|r| (*r).to_owned()).collect()),
            exp: Some(now_secs().saturating_sub(60)),
            tid: Some(self.tenant_id()),
            ..TokenClaims::default()
        })
    }

    /// Reads the tenant.
    pub fn with_tenant<T>(&self, f: impl FnOnce(&Tenant) -> T) -> T {
        let tenant = self.shared.tenant.lock().unwrap_or_else(|e| e.into_inner());
        f(&tenant)
    }

    /// Counters of what the emulator saw and did.
    pub fn stats(&self) -> EmulatorStats {
        let c = &self.shared.counters;
        let load = |a: &AtomicU64| a.load(Ordering::Relaxed);
        EmulatorStats {
            requests: load(&c.requests),
            batch_items: load(&c.batch_items),
            token_requests: load(&c.token_requests),
            throttled: load(&c.throttled),
            unavailable: load(&c.unavailable),
            dropped: load(&c.dropped),
            slowed: load(&c.slowed),
            unauthorized: load(&c.unauthorized),
            forbidden: load(&c.forbidden),
        }
    }

    /// Per user id, how many `reprocessLicenseAssignment` requests arrived (including
    /// those answered with an injected fault).
    pub fn reprocess_arrivals(&self) -> HashMap<String, u32> {
        self.shared
            .arrivals
            .lock()
            .map(|a| a.clone())
            .unwrap_or_default()
    }

    /// Every `User-Agent` the emulator has seen.
    pub fn user_agents(&self) -> Vec<String> {
        let mut agents: Vec<String> = self
            .shared
            .user_agents
            .lock()
            .map(|a| a.iter().cloned().collect())
            .unwrap_or_default();
        agents.sort();
        agents
    }

    /// Whether the server is still serving: `false` once it stopped, e.g. because it
    /// failed ([`Emulator::shutdown`] then says why).
    pub fn is_running(&self) -> bool {
        self.task.as_ref().is_some_and(|task| !task.is_finished())
    }

    /// Stops the server and waits for it. An error says why the server had stopped
    /// serving before it was asked to (it was also logged, with `tracing`, when it
    /// happened).
    pub async fn shutdown(mut self) -> Result<(), ServerError> {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
        match self.task.take() {
            Some(task) => match task.await {
                Ok(outcome) => outcome,
                Err(join) if join.is_panic() => Err(ServerError::Panicked(panic_message(
                    join.into_panic().as_ref(),
                ))),
                Err(join) => Err(ServerError::Io(std::io::Error::other(join))),
            },
            None => Ok(()),
        }
    }
}

impl Drop for Emulator {
    fn drop(&mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn small() -> Config {
        Config {
            users: 1,
            ..Config::default()
        }
    }

    #[tokio::test]
    async fn a_healthy_server_shuts_down_cleanly() {
        let emulator = Emulator::start(small()).await.unwrap();
        assert!(emulator.is_running());
        emulator.shutdown().await.unwrap();
    }

    #[tokio::test]
    async fn a_failing_server_is_reported_by_shutdown() {
        let emulator = Emulator::launch(small(), |_| async {
            Err(std::io::Error::other("accept failed"))
        })
        .await
        .unwrap();
        while emulator.is_running() {
            tokio::task::yield_now().await;
        }
        let error = emulator.shutdown().await.unwrap_err();
        assert!(matches!(error, ServerError::Io(_)), "{error:?}");
        assert_eq!(
            error.to_string(),
            "the emulator's server failed: accept failed"
        );
        assert!(std::error::Error::source(&error).is_some());
    }

    #[tokio::test]
    async fn a_panicking_server_is_reported_by_shutdown() {
        async fn explode() -> std::io::Result<()> {
            panic!("listener gone")
        }
        let emulator = Emulator::launch(small(), |_| explode()).await.unwrap();
        let error = emulator.shutdown().await.unwrap_err();
        assert!(
            matches!(&error, ServerError::Panicked(m) if m == "listener gone"),
            "{error:?}"
        );
    }
}
