//! The HTTP layer: routes, authentication, permission enforcement, faults, `$batch`.

use std::sync::Arc;

use axum::Router;
use axum::body::{Body, Bytes};
use axum::extract::{Path, State};
use axum::response::Response;
use axum::routing::post;
use graphspec::claims::TokenClaims;
use graphspec::{Method, OperationInfo, find_operation, path_known};
use http::{HeaderMap, Uri};
use serde_json::{Map, Value, json};

use crate::query::{DEFAULT_PAGE, Query};
use crate::tenant::Failure;
use crate::{Shared, bump, now_secs};

pub(crate) fn router(shared: Arc<Shared>) -> Router {
    Router::new()
        .route("/{tenant}/oauth2/v2.0/token", post(token))
        .route("/v1.0/$batch", post(batch))
        .route("/beta/$batch", post(batch))
        .fallback(graph)
        .layer(axum::middleware::from_fn_with_state(
            shared.clone(),
            correlate,
        ))
        .with_state(shared)
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

/// An answer before it becomes HTTP (or a `$batch` item).
pub(crate) struct Reply {
    status: u16,
    headers: Vec<(&'static str, String)>,
    body: Option<Value>,
}

impl Reply {
    fn json(status: u16, body: Value) -> Reply {
        Reply {
            status,
            headers: vec![("content-type", "application/json".into())],
            body: Some(body),
        }
    }

    fn empty(status: u16) -> Reply {
        Reply {
            status,
            headers: Vec::new(),
            body: None,
        }
    }

    fn error(status: u16, code: &str, message: impl Into<String>) -> Reply {
        let request_id = crate::guid(9, fastrand::u64(..));
        Reply::json(
            status,
            json!({ "error": {
                "code": code,
                "message": message.into(),
                "innerError": { "request-id": request_id, "client-request-id": request_id,
                                "date": httpdate::fmt_http_date(std::time::SystemTime::now()) },
            }}),
        )
    }

    fn failure(f: Failure) -> Reply {
        Reply::error(f.status, f.code, f.message)
    }

    fn throttled(retry_after: u64) -> Reply {
        let mut reply = Reply::error(
            429,
            "TooManyRequests",
            "Too many requests. Please retry after the time given in Retry-After.",
        );
        reply.headers.push(("retry-after", retry_after.to_string()));
        reply
    }

    fn unavailable(retry_after: u64) -> Reply {
        let mut reply = Reply::error(
            503,
            "serviceNotAvailable",
            "The service is temporarily unavailable. Please retry later.",
        );
        reply.headers.push(("retry-after", retry_after.to_string()));
        reply
    }

    fn into_response(self, drop_midway: bool) -> Response {
        let mut builder = http::Response::builder().status(self.status);
        for (name, value) in &self.headers {
            builder = builder.header(*name, value);
        }
        let bytes = self
            .body
            .map(|b| serde_json::to_vec(&b).unwrap_or_default())
            .unwrap_or_default();
        let body = if drop_midway {
            // Promise the whole body, send half of it, then fail the stream: the server
            // aborts the connection mid-response.
            builder = builder.header(http::header::CONTENT_LENGTH, bytes.len().max(2));
            let half = Bytes::copy_from_slice(&bytes[..bytes.len() / 2]);
            let chunks: Vec<Result<Bytes, std::io::Error>> = vec![
                Ok(half),
                Err(std::io::Error::new(
                    std::io::ErrorKind::ConnectionAborted,
                    "emulator: injected connection drop",
                )),
            ];
            Body::from_stream(futures::stream::iter(chunks))
        } else {
            Body::from(bytes)
        };
        builder
            .body(body)
            .unwrap_or_else(|_| Response::new(Body::empty()))
    }

    fn to_batch_item(&self, id: &str) -> Value {
        let headers: Map<String, Value> = self
            .headers
            .iter()
            .map(|(n, v)| ((*n).to_owned(), Value::String(v.clone())))
            .collect();
        let mut item = json!({ "id": id, "status": self.status, "headers": headers });
        if let Some(body) = &self.body {
            item["body"] = body.clone();
        }
        item
    }
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
    let claims = TokenClaims::decode(token.trim())
        .map_err(|_| denied("IDX14100: JWT is not well formed."))?;
    if claims.is_expired_at(now_secs()) {
        return Err(denied("Lifetime validation failed, the token is expired."));
    }
    if shared.is_revoked(&claims) {
        return Err(denied("The token has been revoked."));
    }
    Ok(claims)
}

/// Splits `/v1.0/rest` into the version-relative path.
fn graph_path(path: &str) -> Option<&str> {
    path.strip_prefix("/v1.0")
        .or_else(|| path.strip_prefix("/beta"))
        .filter(|rest| rest.starts_with('/'))
}

/// Finds the operation of a request and checks the token against its permission table.
fn resolve<'a>(
    shared: &'a Shared,
    claims: &TokenClaims,
    method: &http::Method,
    path: &str,
) -> Result<graphspec::PathMatch<'a>, Reply> {
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
    let Some(found) = find_operation(&shared.operations, method, path) else {
        if path_known(&shared.operations, path) {
            return Err(Reply::error(
                405,
                "Request_BadRequest",
                format!("The method {method} is not allowed on '{path}'."),
            ));
        }
        return Err(not_found());
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
    Ok(found)
}

/// The operations the in-memory tenant implements, as (resource, type name). Several
/// definitions can share a method and path (the docs document some endpoints on more than
/// one page, and a test may define its own); these win such ties.
const IMPLEMENTED: &[(&str, &str)] = &[
    ("user", "List"),
    ("user", "Get"),
    ("user", "Create"),
    ("user", "PostUsers"),
    ("user", "AssignLicense"),
    ("user", "ReprocessLicenseAssignment"),
    ("user", "ListLicenseDetails"),
    ("subscribedsku", "List"),
    ("group", "List"),
    ("group", "Get"),
    ("group", "Delete"),
];

/// `operations` with the implemented ones first (otherwise in their order), so that
/// matching a request prefers an operation the tenant can answer.
pub(crate) fn implemented_first(
    operations: &[&'static OperationInfo],
) -> Vec<&'static OperationInfo> {
    let mut sorted = operations.to_vec();
    sorted.sort_by_key(|info| !IMPLEMENTED.contains(&(info.resource(), info.name)));
    sorted
}

/// Runs an operation against the tenant.
#[allow(clippy::too_many_arguments)] // one call site per transport (HTTP, batch item)
fn execute(
    shared: &Shared,
    claims: &TokenClaims,
    info: &OperationInfo,
    form: usize,
    args: &[String],
    raw_query: &str,
    body: &[u8],
    eventual: bool,
) -> Reply {
    let query = match Query::parse(raw_query) {
        Ok(q) => q,
        Err(f) => return Reply::failure(f),
    };
    if query.count && !eventual {
        // As Graph: counting directory objects is an advanced query.
        return Reply::error(
            400,
            "Request_BadRequest",
            "$count on directory objects requires the ConsistencyLevel: eventual header.",
        );
    }
    let json_body = || -> Result<Value, Reply> {
        serde_json::from_slice(body)
            .map_err(|e| Reply::error(400, "BadRequest", format!("Invalid JSON body: {e}")))
    };
    // `/me` forms take the signed-in user.
    let subject = || -> Result<String, Reply> {
        match args.first() {
            Some(id) => Ok(id.clone()),
            None => claims.oid.clone().ok_or_else(|| {
                Reply::error(
                    400,
                    "BadRequest",
                    "/me request is only valid with delegated authentication flow.",
                )
            }),
        }
    };
    let mut tenant = shared.tenant.lock().unwrap_or_else(|e| e.into_inner());
    let _ = form;
    let one = |result: Result<Map<String, Value>, Failure>, status: u16| match result {
        Ok(object) => Reply::json(status, Value::Object(query.project(&object))),
        Err(f) => Reply::failure(f),
    };
    match (info.resource(), info.name) {
        ("user", "List") => {
            let items: Vec<&Map<String, Value>> =
                tenant.users().iter().filter(|u| query.matches(u)).collect();
            page(shared, "/users", &query, &items)
        }
        ("user", "Get") => match subject() {
            Ok(key) => one(tenant.user(&key).cloned(), 200),
            Err(reply) => reply,
        },
        ("user", "Create" | "PostUsers") => match json_body() {
            Ok(body) => one(tenant.create_user(&body), 201),
            Err(reply) => reply,
        },
        ("user", "AssignLicense") => match json_body() {
            Ok(body) => one(tenant.assign_license(&args[0], &body), 200),
            Err(reply) => reply,
        },
        ("user", "ReprocessLicenseAssignment") => one(tenant.reprocess(&args[0]), 200),
        ("user", "ListLicenseDetails") => match subject() {
            Ok(key) => match tenant.license_details(&key) {
                Ok(details) => {
                    let refs: Vec<&Map<String, Value>> = details.iter().collect();
                    let path = format!("/users/{key}/licenseDetails");
                    page(shared, &path, &query, &refs)
                }
                Err(f) => Reply::failure(f),
            },
            Err(reply) => reply,
        },
        ("subscribedsku", "List") => {
            let items: Vec<&Map<String, Value>> =
                tenant.skus().iter().filter(|s| query.matches(s)).collect();
            page(shared, "/subscribedSkus", &query, &items)
        }
        ("group", "List") => {
            let items: Vec<&Map<String, Value>> = tenant
                .groups()
                .iter()
                .filter(|g| query.matches(g))
                .collect();
            page(shared, "/groups", &query, &items)
        }
        ("group", "Get") => one(tenant.group(&args[0]).cloned(), 200),
        ("group", "Delete") => match tenant.delete_group(&args[0]) {
            Ok(()) => Reply::empty(204),
            Err(f) => Reply::failure(f),
        },
        _ => Reply::error(
            501,
            "NotImplemented",
            format!(
                "The emulator knows `{}` ({} {}) and checked its permissions, but does not implement it.",
                info.rust_path(),
                info.method,
                info.paths.first().map_or("", |p| p.template)
            ),
        ),
    }
}

/// One page of a collection, with `@odata.nextLink` when more remain.
fn page(shared: &Shared, path: &str, query: &Query, items: &[&Map<String, Value>]) -> Reply {
    let size = query.top.unwrap_or(DEFAULT_PAGE);
    let start = query.skip.min(items.len());
    let end = (start + size).min(items.len());
    let value: Vec<Value> = items[start..end]
        .iter()
        .map(|o| Value::Object(query.project(o)))
        .collect();
    let mut body = json!({
        "@odata.context": format!("{}/v1.0/$metadata#{}", shared.root, path.trim_start_matches('/')),
        "value": value,
    });
    if query.count {
        body["@odata.count"] = items.len().into();
    }
    if end < items.len() {
        body["@odata.nextLink"] = format!(
            "{}/v1.0{}?{}",
            shared.root,
            path,
            query.next_page(size, end)
        )
        .into();
    }
    Reply::json(200, body)
}

fn count_arrival(shared: &Shared, info: &OperationInfo, args: &[String]) {
    if info.name == "ReprocessLicenseAssignment"
        && let Some(id) = args.first()
        && let Ok(mut arrivals) = shared.arrivals.lock()
    {
        *arrivals.entry(id.to_ascii_lowercase()).or_default() += 1;
    }
}

async fn latency(shared: &Shared) {
    if !shared.config.latency.is_zero() {
        tokio::time::sleep(shared.config.latency).await;
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
    latency(&shared).await;
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
    let found = match resolve(&shared, &claims, &method, path) {
        Ok(found) => found,
        Err(reply) => return reply.into_response(false),
    };
    count_arrival(&shared, found.info, &found.args);
    let faults = shared.config.faults;
    if shared.chance(faults.throttle_rate) {
        bump(&shared.counters.throttled);
        return Reply::throttled(faults.retry_after_secs).into_response(false);
    }
    if shared.chance(faults.unavailable_rate) {
        bump(&shared.counters.unavailable);
        return Reply::unavailable(faults.retry_after_secs).into_response(false);
    }
    if shared.chance(faults.slow_rate) {
        bump(&shared.counters.slowed);
        tokio::time::sleep(faults.slow_delay).await;
    }
    let eventual = headers
        .get("consistencylevel")
        .is_some_and(|v| v.as_bytes().eq_ignore_ascii_case(b"eventual"));
    let reply = execute(
        &shared,
        &claims,
        found.info,
        found.form,
        &found.args,
        uri.query().unwrap_or(""),
        &body,
        eventual,
    );
    let drop_midway = shared.chance(faults.drop_rate);
    if drop_midway {
        bump(&shared.counters.dropped);
    }
    reply.into_response(drop_midway)
}

/// `POST /v1.0/$batch`.
async fn batch(State(shared): State<Arc<Shared>>, headers: HeaderMap, body: Bytes) -> Response {
    bump(&shared.counters.requests);
    latency(&shared).await;
    let claims = match authenticate(&shared, &headers) {
        Ok(c) => c,
        Err(reply) => return reply.into_response(false),
    };
    let faults = shared.config.faults;
    if shared.chance(faults.batch_throttle_rate) {
        bump(&shared.counters.throttled);
        return Reply::throttled(faults.retry_after_secs).into_response(false);
    }
    if shared.chance(faults.unavailable_rate) {
        bump(&shared.counters.unavailable);
        return Reply::unavailable(faults.retry_after_secs).into_response(false);
    }
    if shared.chance(faults.slow_rate) {
        bump(&shared.counters.slowed);
        tokio::time::sleep(faults.slow_delay).await;
    }
    let reply = run_batch(&shared, &claims, &body);
    let drop_midway = reply.status == 200 && shared.chance(faults.drop_rate);
    if drop_midway {
        bump(&shared.counters.dropped);
    }
    reply.into_response(drop_midway)
}

fn run_batch(shared: &Shared, claims: &TokenClaims, body: &[u8]) -> Reply {
    let Ok(envelope) = serde_json::from_slice::<Value>(body) else {
        return Reply::error(400, "BadRequest", "Invalid batch payload format.");
    };
    let Some(requests) = envelope["requests"].as_array() else {
        return Reply::error(400, "BadRequest", "Invalid batch payload format.");
    };
    if requests.len() > 20 {
        return Reply::error(
            400,
            "BadRequest",
            "The number of requests in the batch exceeds the limit of 20.",
        );
    }
    let mut statuses: std::collections::HashMap<String, u16> = Default::default();
    let mut answers: Vec<Value> = Vec::with_capacity(requests.len());
    for request in requests {
        bump(&shared.counters.batch_items);
        let id = request["id"].as_str().unwrap_or_default().to_owned();
        if id.is_empty() || statuses.contains_key(&id) {
            return Reply::error(
                400,
                "BadRequest",
                "Batch request ids must be unique and non-empty.",
            );
        }
        let depends: Vec<&str> = request["dependsOn"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(Value::as_str)
            .collect();
        let reply = if let Some(missing) = depends.iter().find(|d| !statuses.contains_key(**d)) {
            return Reply::error(
                400,
                "BadRequest",
                format!(
                    "Request {id} depends on {missing}, which is not an earlier request of this batch."
                ),
            );
        } else if depends.iter().any(|d| !(200..300).contains(&statuses[*d])) {
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
    Reply::json(200, json!({ "responses": answers }))
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
    let found = match resolve(shared, claims, &method, path) {
        Ok(found) => found,
        Err(reply) => return reply,
    };
    count_arrival(shared, found.info, &found.args);
    let faults = shared.config.faults;
    if shared.chance(faults.throttle_rate) {
        bump(&shared.counters.throttled);
        return Reply::throttled(faults.retry_after_secs);
    }
    let body = match request.get("body") {
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
    execute(
        shared,
        claims,
        found.info,
        found.form,
        &found.args,
        query,
        &body,
        eventual,
    )
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
    let tenant_id = shared
        .tenant
        .lock()
        .map(|t| t.id.clone())
        .unwrap_or_default();
    if tenant != tenant_id && tenant != "organizations" && !tenant.contains('.') {
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
}
