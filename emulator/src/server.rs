//! The HTTP layer: routes, authentication, permission enforcement, `$batch`, tokens and
//! the published signing key.
//! Faults are [`crate::faults`]'s; operations are [`crate::handlers`]'.

use std::sync::Arc;

use axum::Router;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::response::Response;
use axum::routing::{get, post};
use graphspec::claims::TokenClaims;
use graphspec::{Method, user};
use http::{HeaderMap, Uri};
use serde_json::{Value, json};

use crate::faults::{self, Target};
use crate::handlers::{self, Call};
use crate::query::Query;
use crate::reply::Reply;
use crate::routing::{Known, PathMatch, find_operation, path_known};
use crate::{Shared, bump, now_secs};

pub(crate) fn router(shared: Arc<Shared>) -> Router {
    Router::new()
        .route("/{tenant}/oauth2/v2.0/token", post(token))
        .route("/{tenant}/discovery/v2.0/keys", get(keys))
        .route(
            "/{tenant}/v2.0/.well-known/openid-configuration",
            get(openid_configuration),
        )
        .route(
            "/.well-known/openid-configuration",
            get(default_openid_configuration),
        )
        .route("/download/{item}", get(download))
        .route("/v1.0/$batch", post(batch))
        .route("/beta/$batch", post(batch))
        .fallback(graph)
        .layer(axum::middleware::from_fn_with_state(
            shared.clone(),
            correlate,
        ))
        .with_state(shared)
}

/// `GET /download/{item}?token=…`: a file's bytes at its pre-authenticated URL, where a
/// content request redirects (no bearer token, as Graph's download URLs; a wrong token is
/// 401).
async fn download(
    State(shared): State<Arc<Shared>>,
    axum::extract::Path(item): axum::extract::Path<String>,
    axum::extract::Query(query): axum::extract::Query<std::collections::HashMap<String, String>>,
) -> Response {
    let token = query.get("token").map_or("", String::as_str);
    let tenant = shared.tenant.lock().unwrap_or_else(|e| e.into_inner());
    match tenant.file(Some(&item), None) {
        Ok((_, file)) if file.download_token == token => {
            Reply::content(200, &file.content_type, file.bytes.clone()).into_response(false)
        }
        Ok(_) => Reply::error(
            401,
            "unauthenticated",
            "The download URL's token is not this file's.",
        )
        .into_response(false),
        Err(f) => Reply::failure(f).into_response(false),
    }
}

/// Echoes `client-request-id` (or makes one) and adds `request-id` to every answer, as
/// Graph does, and records the caller's `User-Agent`.
async fn correlate(
    State(shared): State<Arc<Shared>>,
    request: axum::extract::Request,
    next: axum::middleware::Next,
) -> Response {
    let headers = request.headers();
    if let Some(agent) = headers
        .get(http::header::USER_AGENT)
        .and_then(|v| v.to_str().ok())
        && let Ok(mut agents) = shared.user_agents.lock()
    {
        agents.insert(agent.to_owned());
    }
    let client_request_id = headers
        .get("client-request-id")
        .cloned()
        .unwrap_or_else(|| {
            http::HeaderValue::from_str(&crate::guid(8, fastrand::u64(..)))
                .unwrap_or(http::HeaderValue::from_static("0"))
        });
    let mut response = next.run(request).await;
    let out = response.headers_mut();
    out.insert("client-request-id", client_request_id);
    if let Ok(id) = http::HeaderValue::from_str(&crate::guid(9, fastrand::u64(..))) {
        out.insert("request-id", id);
    }
    response
}

/// The token's claims, or the 401 to answer.
fn authenticate(shared: &Shared, headers: &HeaderMap) -> Result<TokenClaims, Reply> {
    let denied = |message: &str| {
        bump(&shared.counters.unauthorized);
        Reply::error(401, "InvalidAuthenticationToken", message)
    };
    let Some(value) = headers
        .get(http::header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
    else {
        return Err(denied("Access token is empty."));
    };
    let Some(token) = value
        .strip_prefix("Bearer ")
        .or_else(|| value.strip_prefix("bearer "))
    else {
        return Err(denied("Access token is not a bearer token."));
    };
    let claims = verified(shared, token.trim()).map_err(denied)?;
    if claims.is_expired_at(now_secs()) {
        return Err(denied("Lifetime validation failed, the token is expired."));
    }
    if shared.is_revoked(&claims) {
        return Err(denied("The token has been revoked."));
    }
    Ok(claims)
}

/// The claims of a token whose signature, issuer, tenant and audience check out, or why
/// not. A token that checked out before is not verified again: ES256 verification was
/// most of the emulator's CPU per request under load (`load-test`), and it depends only
/// on the token's text and the emulator's key, issuer and tenant, which never change.
/// Expiry and revocation are checked by the caller on every request. At most
/// [`VERIFIED_TOKENS`] tokens are remembered (all are forgotten when full); a rejected
/// token is never remembered.
fn verified(shared: &Shared, token: &str) -> Result<TokenClaims, &'static str> {
    if let Ok(cache) = shared.verified_tokens.lock()
        && let Some(claims) = cache.get(token)
    {
        return Ok(claims.clone());
    }
    let claims = shared
        .signer
        .verify(token, &shared.root, &shared.tenant_id)
        .map_err(|rejection| rejection.0)?;
    if let Ok(mut cache) = shared.verified_tokens.lock() {
        if cache.len() >= VERIFIED_TOKENS {
            cache.clear();
        }
        cache.insert(token.to_owned(), claims.clone());
    }
    Ok(claims)
}

/// How many verified tokens [`verified`] remembers.
const VERIFIED_TOKENS: usize = 64;

/// Splits `/v1.0/rest` into the version-relative path.
fn graph_path(path: &str) -> Option<&str> {
    path.strip_prefix("/v1.0")
        .or_else(|| path.strip_prefix("/beta"))
        .filter(|rest| rest.starts_with('/'))
}

/// Finds the operation of a request and checks the token against its permission table.
fn resolve(
    shared: &Shared,
    claims: &TokenClaims,
    method: &http::Method,
    path: &str,
    query: Option<&str>,
) -> Result<PathMatch, Reply> {
    let not_found = || {
        Reply::error(
            400,
            "BadRequest",
            format!("Resource not found for the segment '{path}'."),
        )
    };
    let Some(method) = Method::parse(method.as_str()) else {
        return Err(Reply::error(
            405,
            "Request_BadRequest",
            "Method not allowed.",
        ));
    };
    let Some(found) = find_operation(&shared.routes, method, path, query) else {
        return Err(match path_known(&shared.routes, method, path) {
            Some(Known::MissingQuery(info, template)) => {
                let options: Vec<&str> = template.query.iter().map(|o| o.name).collect();
                Reply::error(
                    400,
                    "BadRequest",
                    format!(
                        "This request requires the query options {} (`{}`, `{} {}`).",
                        options.join(", "),
                        info.rust_path(),
                        info.method,
                        template.template
                    ),
                )
            }
            Some(Known::OtherMethod) => Reply::error(
                405,
                "Request_BadRequest",
                format!("The method {method} is not allowed on '{path}'."),
            ),
            None => not_found(),
        });
    };
    let scheme = claims.scheme();
    let granted = claims.granted(scheme);
    if !found
        .info
        .permissions
        .for_scheme(scheme)
        .allows_names(&granted)
    {
        bump(&shared.counters.forbidden);
        return Err(Reply::error(
            403,
            "Authorization_RequestDenied",
            "Insufficient privileges to complete the operation.",
        ));
    }
    tracing::debug!(
        operation = %found.info.rust_path(),
        template = found.info.paths[found.form].template,
        implemented = found.handler.is_some(),
        "{method} {path}"
    );
    Ok(found)
}

/// An operation request as it arrived, on its own or as a `$batch` item.
struct Incoming<'a> {
    claims: &'a TokenClaims,
    /// The raw query string, without `?`.
    query: &'a str,
    body: &'a [u8],
    /// The `Content-Type` sent, if any.
    content_type: Option<&'a str>,
    /// Whether `ConsistencyLevel: eventual` was sent.
    eventual: bool,
}

/// Runs a matched and allowed operation against the tenant: its handler, or 501 when the
/// emulator does not implement it.
fn execute(shared: &Shared, found: &PathMatch, incoming: Incoming<'_>) -> Reply {
    let mut query = match Query::parse(incoming.query) {
        Ok(q) => q,
        Err(f) => return Reply::failure(f),
    };
    // `…/$count`: the collection's `@odata.count`, answered as a bare number.
    query.count |= found.count;
    if query.count && !incoming.eventual {
        // As Graph: counting directory objects is an advanced query.
        return Reply::error(
            400,
            "Request_BadRequest",
            "$count on directory objects requires the ConsistencyLevel: eventual header.",
        );
    }
    let Some(handler) = found.handler else {
        let info = found.info;
        return Reply::error(
            501,
            "NotImplemented",
            format!(
                "The emulator knows `{}` ({} {}) and checked its permissions, but does not implement it.",
                info.rust_path(),
                info.method,
                info.paths.first().map_or("", |p| p.template)
            ),
        );
    };
    let call = Call {
        shared,
        claims: incoming.claims,
        args: &found.args,
        query,
        body: incoming.body,
        content_type: incoming.content_type,
        template: found.info.paths[found.form].template,
    };
    let mut tenant = shared.tenant.lock().unwrap_or_else(|e| e.into_inner());
    let reply = handler(&call, &mut tenant);
    match (found.count, reply.odata_count()) {
        (true, Some(n)) => Reply::count(n),
        _ => reply,
    }
}

/// Counts a `reprocessLicenseAssignment` request that arrived, before any fault.
fn count_arrival(shared: &Shared, found: &PathMatch) {
    if handlers::is::<user::ReprocessLicenseAssignment>(found.info)
        && let Some(id) = found.args.first()
        && let Ok(mut arrivals) = shared.arrivals.lock()
    {
        *arrivals.entry(id.to_ascii_lowercase()).or_default() += 1;
    }
}

/// Waits [`crate::Config::latency`] `times` times over (one sleep each, so a `$batch`'s
/// rounds are timed the way the same number of requests sent one after another would be).
async fn latency(shared: &Shared, times: u32) {
    if !shared.config.latency.is_zero() {
        for _ in 0..times {
            tokio::time::sleep(shared.config.latency).await;
        }
    }
}

/// When the items of a `$batch` run, in rounds of [`crate::Config::latency`]: each item
/// takes one round, at most `parallelism` items run in the same round, and an item starts
/// only after every item it `dependsOn` has finished. Items are placed in request order,
/// each on the slot that frees first (list scheduling; with equal durations every start
/// is a whole round). [`ItemSchedule::rounds`] is the batch's answer time in latencies.
#[derive(Debug)]
struct ItemSchedule {
    /// When each slot is next free, in rounds.
    slots: Vec<u32>,
    /// When each scheduled item finishes, by batch request id.
    finished: std::collections::HashMap<String, u32>,
    rounds: u32,
}

impl ItemSchedule {
    fn new(parallelism: usize) -> ItemSchedule {
        ItemSchedule {
            slots: vec![0; parallelism.max(1)],
            finished: Default::default(),
            rounds: 0,
        }
    }

    /// Schedules item `id` after the items `depends` names (those not scheduled are
    /// ignored: the batch is refused for them anyway).
    fn add(&mut self, id: &str, depends: &[&str]) {
        let ready = depends
            .iter()
            .filter_map(|d| self.finished.get(*d))
            .copied()
            .max()
            .unwrap_or(0);
        let slot = self.slots.iter_mut().min().expect("at least one slot");
        let finish = (*slot).max(ready) + 1;
        *slot = finish;
        self.finished.insert(id.to_owned(), finish);
        self.rounds = self.rounds.max(finish);
    }

    /// Rounds until the last item finishes (1 for an empty batch: the answer itself).
    fn rounds(&self) -> u32 {
        self.rounds.max(1)
    }
}

/// Every Graph path but `$batch`.
async fn graph(
    State(shared): State<Arc<Shared>>,
    method: http::Method,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    bump(&shared.counters.requests);
    latency(&shared, 1).await;
    let Some(path) = graph_path(uri.path()) else {
        return Reply::error(
            404,
            "BadRequest",
            "Unknown API version: paths start with /v1.0 or /beta.",
        )
        .into_response(false);
    };
    let claims = match authenticate(&shared, &headers) {
        Ok(c) => c,
        Err(reply) => return reply.into_response(false),
    };
    let found = match resolve(&shared, &claims, &method, path, uri.query()) {
        Ok(found) => found,
        Err(reply) => return reply.into_response(false),
    };
    count_arrival(&shared, &found);
    let eventual = headers
        .get("consistencylevel")
        .is_some_and(|v| v.as_bytes().eq_ignore_ascii_case(b"eventual"));
    let content_type = headers
        .get(http::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok());
    let incoming = Incoming {
        claims: &claims,
        query: uri.query().unwrap_or(""),
        body: &body,
        content_type,
        eventual,
    };
    faults::guard(&shared, Target::Operation, || {
        execute(&shared, &found, incoming)
    })
    .await
}

/// `POST /v1.0/$batch`. Answers after [`crate::Config::latency`] per item, in the rounds
/// [`ItemSchedule`] gives (once when the batch is refused as a whole).
async fn batch(State(shared): State<Arc<Shared>>, headers: HeaderMap, body: Bytes) -> Response {
    bump(&shared.counters.requests);
    let claims = match authenticate(&shared, &headers) {
        Ok(c) => c,
        Err(reply) => {
            latency(&shared, 1).await;
            return reply.into_response(false);
        }
    };
    let mut rounds = 1;
    let response = faults::guard(&shared, Target::Batch, || {
        let (reply, schedule) = run_batch(&shared, &claims, &body);
        rounds = schedule;
        reply
    })
    .await;
    latency(&shared, rounds).await;
    response
}

/// Runs the items of a `$batch`; the answer, and the rounds of latency it takes
/// ([`ItemSchedule::rounds`]; 1 when the batch is refused as a whole).
fn run_batch(shared: &Shared, claims: &TokenClaims, body: &[u8]) -> (Reply, u32) {
    let mut schedule = ItemSchedule::new(shared.config.batch_parallelism);
    match run_items(shared, claims, body, &mut schedule) {
        Ok(reply) => (reply, schedule.rounds()),
        Err(refused) => (refused, 1),
    }
}

/// The items of a `$batch`, run in request order (the order their effects happen in);
/// `Err` when the batch is refused as a whole.
fn run_items(
    shared: &Shared,
    claims: &TokenClaims,
    body: &[u8],
    schedule: &mut ItemSchedule,
) -> Result<Reply, Reply> {
    let Ok(envelope) = serde_json::from_slice::<Value>(body) else {
        return Err(Reply::error(
            400,
            "BadRequest",
            "Invalid batch payload format.",
        ));
    };
    let Some(requests) = envelope["requests"].as_array() else {
        return Err(Reply::error(
            400,
            "BadRequest",
            "Invalid batch payload format.",
        ));
    };
    if requests.len() > 20 {
        return Err(Reply::error(
            400,
            "BadRequest",
            "The number of requests in the batch exceeds the limit of 20.",
        ));
    }
    let depends_on = |request: &'_ Value| -> Vec<String> {
        request["dependsOn"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(Value::as_str)
            .map(str::to_owned)
            .collect()
    };
    // The whole envelope is checked before any item runs, so a refused batch has changed
    // nothing.
    let mut earlier = std::collections::HashSet::new();
    for request in requests {
        let id = request["id"].as_str().unwrap_or_default();
        if id.is_empty() || earlier.contains(id) {
            return Err(Reply::error(
                400,
                "BadRequest",
                "Batch request ids must be unique and non-empty.",
            ));
        }
        if let Some(missing) = depends_on(request)
            .iter()
            .find(|d| !earlier.contains(d.as_str()))
        {
            return Err(Reply::error(
                400,
                "BadRequest",
                format!(
                    "Request {id} depends on {missing}, which is not an earlier request of this batch."
                ),
            ));
        }
        earlier.insert(id);
    }
    let mut statuses: std::collections::HashMap<String, u16> = Default::default();
    let mut answers: Vec<Value> = Vec::with_capacity(requests.len());
    for request in requests {
        bump(&shared.counters.batch_items);
        let id = request["id"].as_str().unwrap_or_default().to_owned();
        let depends = depends_on(request);
        let depends: Vec<&str> = depends.iter().map(String::as_str).collect();
        schedule.add(&id, &depends);
        let reply = if depends.iter().any(|d| !(200..300).contains(&statuses[*d])) {
            Reply::error(
                424,
                "FailedDependency",
                "A request this request depends on failed.",
            )
        } else {
            run_item(shared, claims, request)
        };
        statuses.insert(id.clone(), reply.status);
        answers.push(reply.to_batch_item(&id));
    }
    // Graph answers in any order; so does the emulator.
    if let Ok(mut rng) = shared.rng.lock() {
        rng.shuffle(&mut answers);
    }
    Ok(Reply::json(200, json!({ "responses": answers })))
}

fn run_item(shared: &Shared, claims: &TokenClaims, request: &Value) -> Reply {
    let method = request["method"].as_str().unwrap_or("GET");
    let Ok(method) = http::Method::from_bytes(method.as_bytes()) else {
        return Reply::error(400, "BadRequest", "Invalid method.");
    };
    let url = request["url"].as_str().unwrap_or_default();
    let url = graph_path(url).unwrap_or(url);
    let (path, query) = url.split_once('?').unwrap_or((url, ""));
    if !path.starts_with('/') {
        return Reply::error(
            400,
            "BadRequest",
            "Batch request urls are relative and start with /.",
        );
    }
    let found = match resolve(shared, claims, &method, path, Some(query)) {
        Ok(found) => found,
        Err(reply) => return reply,
    };
    count_arrival(shared, &found);
    if let Some(reply) = faults::refuse(shared, Target::BatchItem) {
        return reply;
    }
    let content_type = request["headers"].as_object().and_then(|headers| {
        headers
            .iter()
            .find(|(name, _)| name.eq_ignore_ascii_case("content-type"))
            .and_then(|(_, value)| value.as_str())
    });
    let json = content_type.is_none_or(|t| t.to_ascii_lowercase().contains("json"));
    let body = match request.get("body") {
        // As Graph: content that is not JSON travels base64-encoded.
        Some(Value::String(text)) if !json => {
            use base64::Engine as _;
            match base64::engine::general_purpose::STANDARD.decode(text) {
                Ok(bytes) => bytes,
                Err(_) => {
                    return Reply::error(
                        400,
                        "BadRequest",
                        "A batch request body that is not JSON is base64-encoded.",
                    );
                }
            }
        }
        Some(b) if !b.is_null() => serde_json::to_vec(b).unwrap_or_default(),
        _ => Vec::new(),
    };
    let eventual = request["headers"].as_object().is_some_and(|headers| {
        headers.iter().any(|(name, value)| {
            name.eq_ignore_ascii_case("consistencylevel")
                && value
                    .as_str()
                    .is_some_and(|v| v.eq_ignore_ascii_case("eventual"))
        })
    });
    let incoming = Incoming {
        claims,
        query,
        body: &body,
        content_type,
        eventual,
    };
    execute(shared, &found, incoming)
}

/// `POST /{tenant}/oauth2/v2.0/token`: the client-credentials grant for registered apps.
async fn token(
    State(shared): State<Arc<Shared>>,
    Path(tenant): Path<String>,
    body: Bytes,
) -> Response {
    bump(&shared.counters.token_requests);
    let form: std::collections::HashMap<String, String> = String::from_utf8_lossy(&body)
        .split('&')
        .filter_map(|pair| pair.split_once('='))
        .map(|(k, v)| {
            let decode = |s: &str| {
                percent_encoding::percent_decode_str(&s.replace('+', " "))
                    .decode_utf8_lossy()
                    .into_owned()
            };
            (decode(k), decode(v))
        })
        .collect();
    let oauth_error = |status: u16, error: &str, description: &str| {
        Reply::json(
            status,
            json!({ "error": error, "error_description": description, "error_codes": [] }),
        )
        .into_response(false)
    };
    let tenant_id = shared.tenant_id.clone();
    if !tenant_known(&shared, &tenant) {
        return oauth_error(400, "invalid_request", "AADSTS90002: Tenant not found.");
    }
    if form.get("grant_type").map(String::as_str) != Some("client_credentials") {
        return oauth_error(
            400,
            "unsupported_grant_type",
            "AADSTS70003: The emulator supports the client_credentials grant.",
        );
    }
    if !form.get("scope").is_some_and(|s| s.ends_with("/.default")) {
        return oauth_error(
            400,
            "invalid_scope",
            "AADSTS1002012: The scope must be a resource's /.default scope.",
        );
    }
    let client_id = form.get("client_id").cloned().unwrap_or_default();
    let app = shared
        .apps
        .lock()
        .ok()
        .and_then(|apps| apps.get(&client_id).cloned());
    let Some(app) = app else {
        return oauth_error(
            400,
            "unauthorized_client",
            "AADSTS700016: Application not found in the directory.",
        );
    };
    if form.get("client_secret") != Some(&app.secret) {
        return oauth_error(
            401,
            "invalid_client",
            "AADSTS7000215: Invalid client secret provided.",
        );
    }
    let lifetime = shared.config.token_lifetime.as_secs();
    let access_token = shared.issue(TokenClaims {
        roles: Some(app.roles.clone()),
        exp: Some(shared.expiry()),
        tid: Some(tenant_id),
        appid: Some(app.client_id.clone()),
        ..TokenClaims::default()
    });
    Reply::json(
        200,
        json!({
            "token_type": "Bearer",
            "expires_in": lifetime,
            "ext_expires_in": lifetime,
            "access_token": access_token,
        }),
    )
    .into_response(false)
}

/// Whether the authority path names the emulated tenant: its id, a domain, or
/// `organizations`.
fn tenant_known(shared: &Shared, tenant: &str) -> bool {
    tenant == shared.tenant_id || tenant == "organizations" || tenant.contains('.')
}

/// Entra ID's answer for an unknown tenant in a discovery path.
fn unknown_tenant() -> Response {
    Reply::json(
        400,
        json!({ "error": "invalid_tenant", "error_description": "AADSTS90002: Tenant not found." }),
    )
    .into_response(false)
}

/// `GET /{tenant}/discovery/v2.0/keys`: the public keys tokens are signed with (a JWKS).
async fn keys(State(shared): State<Arc<Shared>>, Path(tenant): Path<String>) -> Response {
    if !tenant_known(&shared, &tenant) && tenant != "common" && tenant != "consumers" {
        return unknown_tenant();
    }
    Reply::json(
        200,
        serde_json::to_value(shared.signer.jwks()).unwrap_or_default(),
    )
    .into_response(false)
}

/// The OpenID Connect discovery document, as Entra ID's v2.0 endpoint shapes it.
fn discovery_document(shared: &Shared) -> Response {
    let root = &shared.root;
    let tenant = &shared.tenant_id;
    Reply::json(
        200,
        json!({
            "issuer": shared.issuer(),
            "token_endpoint": format!("{root}/{tenant}/oauth2/v2.0/token"),
            "jwks_uri": format!("{root}/{tenant}/discovery/v2.0/keys"),
            "token_endpoint_auth_methods_supported": ["client_secret_post"],
            "grant_types_supported": ["client_credentials"],
            "response_types_supported": ["token"],
            "subject_types_supported": ["pairwise"],
            "id_token_signing_alg_values_supported": [crate::jwt::ALGORITHM_NAME],
            "claims_supported": ["aud", "iss", "iat", "nbf", "exp", "tid", "roles", "scp", "appid", "oid"],
            "tenant_region_scope": null,
        }),
    )
    .into_response(false)
}

/// `GET /{tenant}/v2.0/.well-known/openid-configuration`.
async fn openid_configuration(
    State(shared): State<Arc<Shared>>,
    Path(tenant): Path<String>,
) -> Response {
    if !tenant_known(&shared, &tenant) {
        return unknown_tenant();
    }
    discovery_document(&shared)
}

/// `GET /.well-known/openid-configuration`: the emulated tenant's.
async fn default_openid_configuration(State(shared): State<Arc<Shared>>) -> Response {
    discovery_document(&shared)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn versions_are_stripped() {
        assert_eq!(graph_path("/v1.0/users"), Some("/users"));
        assert_eq!(graph_path("/beta/users/1"), Some("/users/1"));
        assert_eq!(graph_path("/v2/users"), None);
        assert_eq!(graph_path("/v1.0users"), None);
    }

    fn rounds(parallelism: usize, items: &[(&str, &[&str])]) -> u32 {
        let mut schedule = ItemSchedule::new(parallelism);
        for (id, depends) in items {
            schedule.add(id, depends);
        }
        schedule.rounds()
    }

    #[test]
    fn batch_items_pay_latency_in_parallel_rounds_and_chains_in_sequence() {
        let ids: Vec<String> = (1..=20).map(|i| i.to_string()).collect();
        let independent: Vec<(&str, &[&str])> =
            ids.iter().map(|id| (id.as_str(), &[][..])).collect();
        assert_eq!(rounds(4, &independent), 5, "20 items, 4 at a time");
        assert_eq!(rounds(1, &independent), 20);
        assert_eq!(rounds(20, &independent), 1);
        assert_eq!(rounds(0, &independent), 20, "parallelism 0 counts as 1");
        assert_eq!(
            rounds(4, &independent[..1]),
            1,
            "one item: as a request alone"
        );
        assert_eq!(rounds(4, &[]), 1, "an empty batch still answers once");
        let previous: Vec<[&str; 1]> = ids.iter().map(|id| [id.as_str()]).collect();
        let chain: Vec<(&str, &[&str])> = ids
            .iter()
            .enumerate()
            .map(|(i, id)| {
                (
                    id.as_str(),
                    if i == 0 {
                        &[][..]
                    } else {
                        &previous[i - 1][..]
                    },
                )
            })
            .collect();
        assert_eq!(
            rounds(4, &chain),
            20,
            "dependsOn chains run one after another"
        );
        // b waits for a; c runs beside a.
        assert_eq!(rounds(4, &[("a", &[]), ("b", &["a"]), ("c", &[])]), 2);
    }
}
