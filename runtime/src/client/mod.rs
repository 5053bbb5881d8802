//! An async Microsoft Graph client (feature `client`): reqwest with rustls, on tokio.
//!
//! Requests come from a credential's `authorize` method, so the compile-time permission
//! rules apply; before sending, the client also checks the access token's `roles` (or
//! `scp`) claim against the operation's permission table and refuses — without sending —
//! a request the token does not allow ([`Error::PermissionDenied`]). Every token a request
//! goes out with is checked: the first, one fetched for a retry or after a 401, and the
//! token of each `$batch` post. The policy for tokens that cannot be checked is
//! [`check_token`]'s.
//!
//! ```no_run
//! # async fn run() -> Result<(), graphspec_runtime::Error> {
//! use graphspec_runtime::client::{Client, ClientCredentials, ClientSecret};
//! use graphspec_runtime::Cloud;
//!
//! let tokens = ClientCredentials::new("contoso.onmicrosoft.com", "client-id", ClientSecret::new("…"));
//! let client = Client::builder(tokens).cloud(Cloud::Global).build()?;
//! // let user = client.send(LicenseBot.authorize(user::ReprocessLicenseAssignment::users(id))).await?;
//! # let _ = client; Ok(()) }
//! ```
//!
//! - [`Client::send`]: one request, retried on 429/503/504 per the [`RetryPolicy`];
//! - [`Client::items`] and [`Client::pages`]: a collection as a `Stream`, following
//!   `@odata.nextLink` verbatim;
//! - [`Batch`] and [`Client::send_batch`]: JSON batching (`$batch`), split into batches of
//!   20, results in input order, `dependsOn`, throttled items retried on their own;
//! - [`Client::bulk`] and [`Client::bulk_stream`]: many requests with bounded concurrency,
//!   exactly one result per input.
//!
//! Every request gets a `tracing` span (`graph.request`), a `client-request-id` and a
//! `User-Agent`. Tokens and secrets never appear in `Debug` output or in logs.

// The crate-wide `Error` keeps Graph's error body inline (`GraphError`); boxing it is a
// decision for the whole runtime, not for the client alone.

mod batch;
mod bulk;
mod paging;
mod retry;
mod token;

use std::fmt;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use futures::StreamExt as _;
use tracing::Instrument as _;

pub use batch::{Batch, BatchHandle, BatchResults};
pub use bulk::{BulkLedger, BulkOptions, BulkResult};
pub use retry::{RetryPolicy, RetryTransport, parse_retry_after};
pub use token::{
    AccessToken, ClientCredentials, ClientSecret, MAX_EXPIRY_SECS, StaticToken, TokenSource,
};

use crate::{
    ApiVersion, Authorized, BaseUrl, Cloud, Credential, Endpoint, Error, OperationInfo, Scheme,
};

/// The `User-Agent` sent unless configured otherwise.
pub const DEFAULT_USER_AGENT: &str = concat!("graphspec/", env!("CARGO_PKG_VERSION"), " (rust)");

/// Counters of what a client did, for summaries and tests.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Stats {
    /// HTTP requests sent to Graph (a `$batch` counts once; token requests do not count).
    pub round_trips: u64,
    /// Requests (or batch items) sent again after a retryable answer or failure.
    pub retries: u64,
    /// 429 answers received (batch items included).
    pub throttled: u64,
    /// 503 and 504 answers received (batch items included).
    pub unavailable: u64,
    /// Transport failures (refused or dropped connections, timeouts).
    pub transport_errors: u64,
    /// Requests refused before sending because the token does not allow them.
    pub refused: u64,
}

#[derive(Debug, Default)]
struct Counters {
    round_trips: AtomicU64,
    retries: AtomicU64,
    throttled: AtomicU64,
    unavailable: AtomicU64,
    transport_errors: AtomicU64,
    refused: AtomicU64,
}

impl Counters {
    fn bump(counter: &AtomicU64) {
        counter.fetch_add(1, Ordering::Relaxed);
    }

    fn status(&self, status: u16) {
        match status {
            429 => Counters::bump(&self.throttled),
            503 | 504 => Counters::bump(&self.unavailable),
            _ => {}
        }
    }

    fn snapshot(&self) -> Stats {
        Stats {
            round_trips: self.round_trips.load(Ordering::Relaxed),
            retries: self.retries.load(Ordering::Relaxed),
            throttled: self.throttled.load(Ordering::Relaxed),
            unavailable: self.unavailable.load(Ordering::Relaxed),
            transport_errors: self.transport_errors.load(Ordering::Relaxed),
            refused: self.refused.load(Ordering::Relaxed),
        }
    }
}

/// Configures a [`Client`].
#[derive(Debug)]
pub struct ClientBuilder {
    tokens: Arc<dyn TokenSource>,
    base: BaseUrl,
    retry: RetryPolicy,
    user_agent: String,
    timeout: Duration,
    check_permissions: bool,
}

impl ClientBuilder {
    /// Sends to `cloud`'s service root, keeping the API version.
    pub fn cloud(mut self, cloud: Cloud) -> ClientBuilder {
        self.base = BaseUrl::new(cloud.root(), self.base.version());
        self
    }

    /// Sends to `v1.0` or `beta`.
    pub fn version(mut self, version: ApiVersion) -> ClientBuilder {
        self.base = BaseUrl::new(self.base.root(), version);
        self
    }

    /// Sends to a custom service root and version (a proxy, the emulator).
    pub fn base_url(mut self, base: BaseUrl) -> ClientBuilder {
        self.base = base;
        self
    }

    /// The retry policy (default: [`RetryPolicy::default`]).
    pub fn retry(mut self, policy: RetryPolicy) -> ClientBuilder {
        self.retry = policy;
        self
    }

    /// The `User-Agent` header (default [`DEFAULT_USER_AGENT`]).
    pub fn user_agent(mut self, user_agent: impl Into<String>) -> ClientBuilder {
        self.user_agent = user_agent.into();
        self
    }

    /// The timeout of one HTTP attempt (default 100 seconds, as Graph's SDKs).
    pub fn timeout(mut self, timeout: Duration) -> ClientBuilder {
        self.timeout = timeout;
        self
    }

    /// Whether requests are checked against the token's claims before sending (default
    /// `true`; turning it off lets a test watch the service refuse them).
    pub fn check_permissions(mut self, check: bool) -> ClientBuilder {
        self.check_permissions = check;
        self
    }

    /// Builds the client.
    pub fn build(self) -> Result<Client, Error> {
        let http = reqwest::Client::builder()
            .user_agent(self.user_agent.clone())
            .timeout(self.timeout)
            .build()
            .map_err(|e| Error::Transport {
                operation: "client",
                message: transport_message(&e),
            })?;
        Ok(Client {
            inner: Arc::new(Inner {
                http,
                base: self.base,
                tokens: self.tokens,
                retry: self.retry,
                user_agent: self.user_agent,
                check_permissions: self.check_permissions,
                counters: Counters::default(),
            }),
        })
    }
}

/// An async Microsoft Graph client. Cheap to clone (the clones share connections, tokens
/// and counters).
#[derive(Clone)]
pub struct Client {
    inner: Arc<Inner>,
}

struct Inner {
    http: reqwest::Client,
    base: BaseUrl,
    tokens: Arc<dyn TokenSource>,
    retry: RetryPolicy,
    user_agent: String,
    check_permissions: bool,
    counters: Counters,
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client")
            .field("base", &self.inner.base.to_string())
            .field("tokens", &self.inner.tokens)
            .field("retry", &self.inner.retry)
            .field("user_agent", &self.inner.user_agent)
            .field("check_permissions", &self.inner.check_permissions)
            .finish_non_exhaustive()
    }
}

/// The body of a request sent with [`Client::send_raw`].
pub struct RawBody(RawBodyKind);

enum RawBodyKind {
    Bytes(bytes::Bytes),
    Stream(reqwest::Body),
}

impl RawBody {
    /// An in-memory body: it can be sent again, so the request may be retried.
    pub fn bytes(bytes: impl Into<bytes::Bytes>) -> RawBody {
        RawBody(RawBodyKind::Bytes(bytes.into()))
    }

    /// A streamed body: it can be sent only once, so the request is never retried.
    pub fn stream<S>(stream: S) -> RawBody
    where
        S: futures::Stream<Item = Result<bytes::Bytes, std::io::Error>> + Send + 'static,
    {
        RawBody(RawBodyKind::Stream(reqwest::Body::wrap_stream(stream)))
    }
}

impl fmt::Debug for RawBody {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.0 {
            RawBodyKind::Bytes(b) => write!(f, "RawBody::Bytes({} bytes)", b.len()),
            RawBodyKind::Stream(_) => f.write_str("RawBody::Stream"),
        }
    }
}

/// A request ready to go out, possibly several times.
pub(crate) struct Outgoing {
    pub(crate) operation: &'static str,
    pub(crate) method: http::Method,
    pub(crate) url: String,
    pub(crate) headers: http::HeaderMap,
    pub(crate) body: OutBody,
    /// What every token the request goes out with must allow: [`Client::execute_with`]
    /// checks the tokens it fetches itself (for a retry, after a 401) against these; the
    /// caller checks the token it hands over.
    pub(crate) checks: Vec<Check>,
    /// Whether a 401 makes [`Client::execute_with`] fetch a new token and send once more
    /// (a `$batch` re-authenticates itself, to check each item against the new token).
    pub(crate) reauthenticate: bool,
}

/// An operation a token must allow, for a credential of `scheme`.
#[derive(Clone, Copy)]
pub(crate) struct Check {
    pub(crate) info: &'static OperationInfo,
    pub(crate) scheme: Scheme,
}

pub(crate) enum OutBody {
    Bytes(bytes::Bytes),
    OneShot(Option<reqwest::Body>),
}

impl Outgoing {
    pub(crate) fn from_http(operation: &'static str, request: http::Request<Vec<u8>>) -> Outgoing {
        let (parts, body) = request.into_parts();
        Outgoing {
            operation,
            method: parts.method,
            url: parts.uri.to_string(),
            headers: parts.headers,
            body: OutBody::Bytes(body.into()),
            checks: Vec::new(),
            reauthenticate: true,
        }
    }

    /// Every token this request goes out with must allow `info` for a `scheme` credential.
    pub(crate) fn checked(mut self, info: &'static OperationInfo, scheme: Scheme) -> Outgoing {
        self.checks.push(Check { info, scheme });
        self
    }
}

/// What one attempt produced.
enum Attempt {
    Answer(http::Response<Vec<u8>>),
    Failed(String),
}

/// The words of a transport error and its causes (never a header or a body).
pub(crate) fn transport_message(error: &reqwest::Error) -> String {
    let mut message = error.to_string();
    let mut source = std::error::Error::source(error);
    while let Some(cause) = source {
        message.push_str(": ");
        message.push_str(&cause.to_string());
        source = cause.source();
    }
    message
}

/// The `Authorization` value, marked sensitive so `http`'s `Debug` hides it.
fn bearer(token: &AccessToken) -> Result<http::HeaderValue, Error> {
    let mut value =
        http::HeaderValue::try_from(format!("Bearer {}", token.secret())).map_err(|_| {
            Error::Token {
                message: "the access token is not a valid header value".into(),
            }
        })?;
    value.set_sensitive(true);
    Ok(value)
}

/// A random GUID-shaped id for `client-request-id`.
pub(crate) fn new_request_id() -> String {
    let a = fastrand::u64(..);
    let b = fastrand::u64(..);
    format!(
        "{:08x}-{:04x}-4{:03x}-{:04x}-{:012x}",
        a >> 32,
        (a >> 16) & 0xffff,
        a & 0xfff,
        0x8000 | (b >> 48 & 0x3fff),
        b & 0xffff_ffff_ffff
    )
}

/// Whether `token` allows `info` for a credential of `scheme`, the check the client makes
/// before sending. The claims are read, not verified (the client trusts its token source;
/// Graph verifies signatures).
///
/// - A token whose claims cannot be read — not a JWT, or a payload that is not a claims
///   object (say, a `roles` that is not an array) — is refused with
///   [`Error::UncheckableToken`] for application and work or school credentials
///   ([`Scheme::Application`], [`Scheme::DelegatedWork`]), whose tokens are always JWTs.
///   For personal-account credentials ([`Scheme::DelegatedPersonal`]), whose tokens are
///   opaque by design, it is allowed, and a `tracing` warning says the request goes out
///   unchecked.
/// - A token is checked under the scheme it states ([`TokenClaims::token_scheme`]:
///   `scp` → delegated, `roles` → application): one issued for another scheme than the
///   credential's is [`Error::TokenSchemeMismatch`].
/// - Otherwise its `roles` (application) or the words of its `scp` (delegated) must
///   satisfy one alternative of the operation's row for the scheme:
///   [`Error::SchemeNotSupported`] when the operation does not support the scheme,
///   [`Error::PermissionDenied`] naming the scopes that would allow it when none does.
///
/// [`TokenClaims::token_scheme`]: crate::claims::TokenClaims::token_scheme
pub fn check_token(info: &OperationInfo, scheme: Scheme, token: &AccessToken) -> Result<(), Error> {
    let claims = match (token.claims(), token.claims_error()) {
        (Some(claims), _) => claims,
        (None, reason) => {
            let reason = reason.map_or_else(|| "unknown".to_owned(), ToString::to_string);
            if scheme == Scheme::DelegatedPersonal {
                tracing::warn!(
                    operation = %info.rust_path(),
                    %reason,
                    "sending without a permission check: the personal-account token's claims \
                     cannot be read (such tokens are opaque)"
                );
                return Ok(());
            }
            return Err(Error::UncheckableToken {
                operation: info.rust_path(),
                scheme,
                reason,
            });
        }
    };
    if let Some(stated) = claims.token_scheme()
        && stated != scheme
    {
        return Err(Error::TokenSchemeMismatch {
            operation: info.rust_path(),
            credential: scheme,
            token: stated,
        });
    }
    let granted = claims.granted(scheme);
    let row = info.permissions.for_scheme(scheme);
    if row.allows_names(&granted) {
        return Ok(());
    }
    if !row.is_supported() {
        return Err(Error::SchemeNotSupported {
            operation: info.rust_path(),
            scheme,
        });
    }
    Err(Error::PermissionDenied {
        operation: info.rust_path(),
        scheme,
        needs: row
            .alternatives()
            .iter()
            .map(|alt| {
                alt.scopes()
                    .iter()
                    .map(|s| s.name())
                    .collect::<Vec<_>>()
                    .join(" + ")
            })
            .collect(),
        granted,
    })
}

impl Client {
    /// A builder for a client that takes tokens from `tokens` and sends to the global
    /// cloud's `v1.0` endpoint unless told otherwise.
    pub fn builder(tokens: impl TokenSource + 'static) -> ClientBuilder {
        ClientBuilder {
            tokens: Arc::new(tokens),
            base: Cloud::Global.v1(),
            retry: RetryPolicy::default(),
            user_agent: DEFAULT_USER_AGENT.to_owned(),
            timeout: Duration::from_secs(100),
            check_permissions: true,
        }
    }

    /// Where requests go.
    pub fn base_url(&self) -> &BaseUrl {
        &self.inner.base
    }

    /// The retry policy.
    pub fn retry_policy(&self) -> &RetryPolicy {
        &self.inner.retry
    }

    /// What the client did so far.
    pub fn stats(&self) -> Stats {
        self.inner.counters.snapshot()
    }

    /// The HTTP request `request` would be sent as (without `Authorization`): for dry runs.
    pub fn prepare<C: Credential, E: Endpoint>(
        &self,
        request: &Authorized<C, E>,
    ) -> Result<http::Request<Vec<u8>>, Error> {
        request.to_http_request(&self.inner.base)
    }

    /// A token from the client's source.
    pub async fn token(&self) -> Result<AccessToken, Error> {
        self.inner.tokens.token().await
    }

    fn check<C: Credential>(&self, info: &OperationInfo, token: &AccessToken) -> Result<(), Error> {
        self.check_scheme(info, C::SCHEME, token)
    }

    /// [`check_token`], unless checks are turned off; a refusal is counted and logged.
    pub(crate) fn check_scheme(
        &self,
        info: &OperationInfo,
        scheme: Scheme,
        token: &AccessToken,
    ) -> Result<(), Error> {
        if !self.inner.check_permissions {
            return Ok(());
        }
        check_token(info, scheme, token).inspect_err(|error| {
            Counters::bump(&self.inner.counters.refused);
            tracing::warn!(operation = info.name, %error, "refused before sending");
        })
    }

    /// Every check of `checks` against `token`, the first refusal.
    fn check_all(&self, checks: &[Check], token: &AccessToken) -> Result<(), Error> {
        checks
            .iter()
            .try_for_each(|c| self.check_scheme(c.info, c.scheme, token))
    }

    /// Sends `request` and parses the answer into the operation's typed response, or a
    /// typed error. 429, 503 and 504 answers are retried per the [`RetryPolicy`]; after
    /// the last attempt the last answer's error is returned. A request the token does not
    /// allow is refused without being sent.
    pub async fn send<C: Credential, E: Endpoint>(
        &self,
        request: Authorized<C, E>,
    ) -> Result<E::Response, Error> {
        self.send_counted(&request).await.0
    }

    /// As [`Client::send`], also returning how many attempts were made (0 when refused
    /// before sending).
    pub(crate) async fn send_counted<C: Credential, E: Endpoint>(
        &self,
        request: &Authorized<C, E>,
    ) -> (Result<E::Response, Error>, u32) {
        let prepared = match self.prepare(request) {
            Ok(prepared) => prepared,
            Err(e) => return (Err(e), 0),
        };
        let token = match self.token().await {
            Ok(token) => token,
            Err(e) => return (Err(e), 0),
        };
        if let Err(e) = self.check::<C>(E::INFO, &token) {
            return (Err(e), 0);
        }
        let outgoing = Outgoing::from_http(E::INFO.name, prepared).checked(E::INFO, C::SCHEME);
        let (answer, attempts) = self.execute(outgoing, Some(token)).await;
        (answer.and_then(E::parse_response), attempts)
    }

    /// Sends an arbitrary HTTP request with the client's token, headers and retries,
    /// without a permission check (no operation is known). A [`RawBody::stream`] body
    /// cannot be sent twice, so such a request is never retried.
    pub async fn send_raw(
        &self,
        request: http::Request<RawBody>,
    ) -> Result<http::Response<Vec<u8>>, Error> {
        let (parts, body) = request.into_parts();
        let body = match body.0 {
            RawBodyKind::Bytes(b) => OutBody::Bytes(b),
            RawBodyKind::Stream(s) => OutBody::OneShot(Some(s)),
        };
        let outgoing = Outgoing {
            operation: "raw",
            method: parts.method,
            url: parts.uri.to_string(),
            headers: parts.headers,
            body,
            checks: Vec::new(),
            reauthenticate: true,
        };
        self.execute(outgoing, None).await.0
    }

    /// Sends `out` with retries; returns the last answer (success or not) or the last
    /// transport failure, and the number of attempts. `token`, when given, was checked by
    /// the caller; every token fetched here (for a retry, after a 401) is checked against
    /// `out.checks` before it is used, and a refusal ends the sending.
    pub(crate) async fn execute(
        &self,
        out: Outgoing,
        token: Option<AccessToken>,
    ) -> (Result<http::Response<Vec<u8>>, Error>, u32) {
        self.execute_with(out, self.inner.retry, token).await
    }

    /// As [`Client::execute`], with `policy`.
    pub(crate) async fn execute_with(
        &self,
        mut out: Outgoing,
        policy: RetryPolicy,
        mut token: Option<AccessToken>,
    ) -> (Result<http::Response<Vec<u8>>, Error>, u32) {
        let request_id = new_request_id();
        let mut waited = Duration::ZERO;
        let mut attempt: u32 = 0;
        let mut reauthenticated = false;
        let mut checked: Option<AccessToken> = token.clone();
        loop {
            attempt += 1;
            let resendable = matches!(out.body, OutBody::Bytes(_));
            let result = match token.take() {
                Some(token) => Ok(token),
                None => match self.token().await {
                    Ok(fresh) if checked.as_ref().is_some_and(|c| c.is_same(&fresh)) => Ok(fresh),
                    Ok(fresh) => {
                        if let Err(refused) = self.check_all(&out.checks, &fresh) {
                            return (Err(refused), attempt - 1);
                        }
                        checked = Some(fresh.clone());
                        Ok(fresh)
                    }
                    Err(e) => Err(e),
                },
            };
            let result = match result {
                Ok(token) => self.attempt(&mut out, &token, &request_id, attempt).await,
                Err(e) => Err(e),
            };
            let retry_after = match &result {
                Ok(Attempt::Answer(response)) => {
                    let status = response.status().as_u16();
                    if status == 401 && out.reauthenticate && !reauthenticated && resendable {
                        // The token may have been revoked or expired early: get a new one once.
                        reauthenticated = true;
                        self.inner.tokens.invalidate();
                        Counters::bump(&self.inner.counters.retries);
                        continue;
                    }
                    RetryPolicy::is_retryable_status(status)
                        .then(|| retry::retry_after(response.headers()))
                }
                Ok(Attempt::Failed(_)) => policy.retries_transport(&out.method).then_some(None),
                Err(_) => None,
            };
            let next_wait = retry_after
                .filter(|_| resendable && attempt < policy.max_attempts)
                .and_then(|after| policy.delay(attempt, after))
                .filter(|delay| waited + *delay <= policy.max_total_delay);
            match next_wait {
                Some(delay) => {
                    Counters::bump(&self.inner.counters.retries);
                    tracing::debug!(attempt, delay_ms = delay.as_millis() as u64, "retrying");
                    tokio::time::sleep(delay).await;
                    waited += delay;
                }
                None => {
                    let operation = out.operation;
                    return (
                        match result {
                            Ok(Attempt::Answer(response)) => Ok(response),
                            Ok(Attempt::Failed(message)) => {
                                Err(Error::Transport { operation, message })
                            }
                            Err(e) => Err(e),
                        },
                        attempt,
                    );
                }
            }
        }
    }

    /// One attempt: token, headers, send, read the whole body.
    async fn attempt(
        &self,
        out: &mut Outgoing,
        token: &AccessToken,
        request_id: &str,
        attempt: u32,
    ) -> Result<Attempt, Error> {
        let body = match &mut out.body {
            OutBody::Bytes(bytes) => reqwest::Body::from(bytes.clone()),
            OutBody::OneShot(body) => body.take().ok_or(Error::InvalidRequest {
                operation: out.operation,
                problem: "a streamed body cannot be sent twice",
            })?,
        };
        let path = out
            .url
            .split_once("://")
            .and_then(|(_, rest)| rest.find('/').map(|i| &rest[i..]))
            .unwrap_or(&out.url)
            .split('?')
            .next()
            .unwrap_or("");
        let span = tracing::info_span!(
            "graph.request",
            operation = out.operation,
            method = %out.method,
            path = %path,
            attempt,
            client_request_id = %request_id,
            status = tracing::field::Empty,
        );
        let mut builder = self
            .inner
            .http
            .request(out.method.clone(), &out.url)
            .headers(out.headers.clone())
            .header(http::header::AUTHORIZATION, bearer(token)?)
            .header("client-request-id", request_id)
            .body(body);
        if attempt > 1 {
            builder = builder.header("retry-attempt", (attempt - 1).to_string());
        }
        Counters::bump(&self.inner.counters.round_trips);
        let counters = &self.inner.counters;
        async move {
            let response = match builder.send().await {
                Ok(response) => response,
                Err(e) => {
                    Counters::bump(&counters.transport_errors);
                    let message = transport_message(&e);
                    tracing::warn!(%message, "request failed in transit");
                    return Ok(Attempt::Failed(message));
                }
            };
            let status = response.status();
            tracing::Span::current().record("status", status.as_u16());
            counters.status(status.as_u16());
            let headers = response.headers().clone();
            let version = response.version();
            let body = match response.bytes().await {
                Ok(body) => body,
                Err(e) => {
                    Counters::bump(&counters.transport_errors);
                    let message = transport_message(&e);
                    tracing::warn!(%message, "response body lost in transit");
                    return Ok(Attempt::Failed(message));
                }
            };
            tracing::debug!(status = status.as_u16(), bytes = body.len(), "answered");
            let mut answer = http::Response::new(body.to_vec());
            *answer.status_mut() = status;
            *answer.headers_mut() = headers;
            *answer.version_mut() = version;
            Ok(Attempt::Answer(answer))
        }
        .instrument(span)
        .await
    }

    /// Every page of a collection, following `@odata.nextLink` verbatim (only within the
    /// client's service root, so the token never goes elsewhere).
    pub fn pages<C, E, T>(
        &self,
        request: Authorized<C, E>,
    ) -> futures::stream::BoxStream<'_, Result<crate::Collection<T>, Error>>
    where
        C: Credential,
        E: Endpoint<Response = crate::Collection<T>> + Send + Sync + 'static,
        T: Send + 'static,
    {
        paging::pages(self, request).boxed()
    }

    /// Every item of a collection, page after page (see [`Client::pages`]). Ask for a page
    /// size with the operation's `top(n)`.
    pub fn items<C, E, T>(
        &self,
        request: Authorized<C, E>,
    ) -> futures::stream::BoxStream<'_, Result<T, Error>>
    where
        C: Credential,
        E: Endpoint<Response = crate::Collection<T>> + Send + Sync + 'static,
        T: Send + 'static,
    {
        self.pages(request)
            .flat_map(|page| {
                futures::stream::iter(match page {
                    Ok(page) => page.value.into_iter().map(Ok).collect::<Vec<_>>(),
                    Err(e) => vec![Err(e)],
                })
            })
            .boxed()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::claims::{PERSONAL_ACCOUNT_TENANT, TokenClaims};
    use crate::permissions::Alternative;
    use crate::{Method, PermissionTable, ResponseKind, ResponseSpec, SchemePermissions, scopes};

    const REPROCESS: OperationInfo = OperationInfo {
        name: "ReprocessLicenseAssignment",
        module_path: "graphspec::user",
        docs_page: None,
        summary: "",
        version: ApiVersion::V1,
        method: Method::Post,
        paths: &[],
        permissions: PermissionTable {
            delegated_work: SchemePermissions::Scopes(&[
                Alternative::new(&[scopes::USER_READWRITE_ALL]),
                Alternative::new(&[scopes::DIRECTORY_READWRITE_ALL]),
            ]),
            delegated_personal: SchemePermissions::NotSupported,
            application: SchemePermissions::Scopes(&[
                Alternative::new(&[scopes::USER_READWRITE_ALL]),
                Alternative::new(&[scopes::USER_READ_ALL, scopes::DIRECTORY_READWRITE_ALL]),
            ]),
        },
        headers: &[],
        body: None,
        response: ResponseSpec {
            status: 200,
            kind: ResponseKind::One("User"),
        },
    };

    fn token(claims: TokenClaims) -> AccessToken {
        AccessToken::new(crate::claims::test_token(&claims), None)
    }

    fn app(roles: &[&str]) -> AccessToken {
        token(TokenClaims {
            roles: Some(roles.iter().map(|r| (*r).to_owned()).collect()),
            ..TokenClaims::default()
        })
    }

    #[test]
    fn application_tokens_are_checked_against_roles() {
        assert!(
            check_token(
                &REPROCESS,
                Scheme::Application,
                &app(&["user.readwrite.all"])
            )
            .is_ok()
        );
        assert!(
            check_token(
                &REPROCESS,
                Scheme::Application,
                &app(&["User.Read.All", "Directory.ReadWrite.All"])
            )
            .is_ok()
        );
        let err =
            check_token(&REPROCESS, Scheme::Application, &app(&["User.Read.All"])).unwrap_err();
        let Error::PermissionDenied {
            operation,
            needs,
            granted,
            scheme,
        } = &err
        else {
            panic!("{err:?}")
        };
        assert_eq!(operation, "user::ReprocessLicenseAssignment");
        assert_eq!(*scheme, Scheme::Application);
        assert_eq!(
            needs,
            &[
                "User.ReadWrite.All",
                "User.Read.All + Directory.ReadWrite.All"
            ]
        );
        assert_eq!(granted, &["User.Read.All"]);
        assert_eq!(
            err.to_string(),
            "the access token cannot call `user::ReprocessLicenseAssignment` (Application): it needs one of \
             User.ReadWrite.All, User.Read.All + Directory.ReadWrite.All; the token grants User.Read.All"
        );
    }

    #[test]
    fn delegated_tokens_are_checked_against_scp_and_schemes_must_match() {
        let delegated = token(TokenClaims {
            scp: Some("User.ReadWrite.All openid".into()),
            ..TokenClaims::default()
        });
        assert!(check_token(&REPROCESS, Scheme::DelegatedWork, &delegated).is_ok());
        // An application credential holding a delegated token: refused, and the error says
        // why (it was `PermissionDenied` for the empty `roles` before the token's own
        // scheme was checked).
        assert!(matches!(
            check_token(&REPROCESS, Scheme::Application, &delegated),
            Err(Error::TokenSchemeMismatch {
                credential: Scheme::Application,
                token: Scheme::DelegatedWork,
                ..
            })
        ));
        let personal = token(TokenClaims {
            scp: Some("User.ReadWrite.All".into()),
            tid: Some(PERSONAL_ACCOUNT_TENANT.into()),
            ..TokenClaims::default()
        });
        assert!(matches!(
            check_token(&REPROCESS, Scheme::DelegatedPersonal, &personal),
            Err(Error::SchemeNotSupported { .. })
        ));
    }

    #[test]
    fn tokens_that_cannot_be_read_are_refused_unless_personal() {
        // Opaque tokens passed unchecked for every scheme before; now only personal-account
        // tokens, opaque by design, go out unchecked (with a warning).
        let opaque = AccessToken::new("EwB4A8l6BAAU", None);
        for scheme in [Scheme::Application, Scheme::DelegatedWork] {
            let err = check_token(&REPROCESS, scheme, &opaque).unwrap_err();
            let Error::UncheckableToken {
                operation,
                scheme: refused,
                reason,
            } = &err
            else {
                panic!("{err:?}")
            };
            assert_eq!(operation, "user::ReprocessLicenseAssignment");
            assert_eq!(*refused, scheme);
            assert!(reason.contains("not a JWT"), "{reason}");
        }
        assert!(check_token(&REPROCESS, Scheme::DelegatedPersonal, &opaque).is_ok());
        // JWT-shaped, but `roles` is not an array.
        let payload = "eyJyb2xlcyI6IlVzZXIuUmVhZFdyaXRlLkFsbCJ9"; // {"roles":"User.ReadWrite.All"}
        let bad_roles = AccessToken::new(format!("e30.{payload}.sig"), None);
        assert!(matches!(
            check_token(&REPROCESS, Scheme::Application, &bad_roles),
            Err(Error::UncheckableToken { .. })
        ));
        // A token stating no scheme (an app token granted nothing) grants nothing.
        assert!(matches!(
            check_token(
                &REPROCESS,
                Scheme::Application,
                &token(TokenClaims::default())
            ),
            Err(Error::PermissionDenied { .. })
        ));
    }

    #[test]
    fn a_token_of_another_scheme_is_refused() {
        let work = token(TokenClaims {
            scp: Some("User.ReadWrite.All".into()),
            tid: Some("contoso".into()),
            ..TokenClaims::default()
        });
        let err = check_token(&REPROCESS, Scheme::DelegatedPersonal, &work).unwrap_err();
        assert_eq!(
            err.to_string(),
            "the access token is a delegated work or school account token (scp), but \
             `user::ReprocessLicenseAssignment` was authorized for a DelegatedPersonal \
             credential; the request was not sent"
        );
        let err = check_token(
            &REPROCESS,
            Scheme::DelegatedWork,
            &app(&["User.ReadWrite.All"]),
        )
        .unwrap_err();
        assert!(
            matches!(
                err,
                Error::TokenSchemeMismatch {
                    credential: Scheme::DelegatedWork,
                    token: Scheme::Application,
                    ..
                }
            ),
            "{err:?}"
        );
    }

    #[test]
    fn request_ids_are_guid_shaped() {
        let id = new_request_id();
        let groups: Vec<usize> = id.split('-').map(str::len).collect();
        assert_eq!(groups, [8, 4, 4, 4, 12]);
        assert!(id.chars().all(|c| c == '-' || c.is_ascii_hexdigit()));
        assert_ne!(new_request_id(), id);
    }

    #[test]
    fn the_bearer_header_is_sensitive_and_debug_hides_it() {
        let value = bearer(&AccessToken::new("abc.def.ghi", None)).unwrap();
        assert!(value.is_sensitive());
        assert!(!format!("{value:?}").contains("def"));
        assert!(bearer(&AccessToken::new("bad\ntoken", None)).is_err());
    }
}
