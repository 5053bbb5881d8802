//! `graphspec audit <traffic.har>`: recorded Graph traffic against the definitions and the
//! models. Each exchange is routed to its operation; its JSON response body is read as the
//! operation's typed response and written back (`model::round_trip`), and what it carries
//! that the models do not know is listed (`model::unknowns`). For the whole file: the
//! least-privileged scopes per scheme that allow every observed call, and the manifest
//! fragment.
//!
//! # `--json` schema
//!
//! One JSON object per line. First one per exchange:
//!
//! ```text
//! {"kind": "exchange", "index": 0, "method": "GET", "url": "…", "status": 200,
//!  "operation": "user.getUser" | null, "outcome": "ok" | "lossy" | "failed" | "untyped"
//!  | "no-body" | "error-status" | "unrouted" | "beta" | "not-graph" | "malformed",
//!  "findings": ["$.futureProperty: unknown property", …], "reason": "…" | null}
//! ```
//!
//! then one summary:
//!
//! ```text
//! {"kind": "summary", "exchanges": 12, "outcomes": {"ok": 10, …},
//!  "operations": ["user.getUser", …],
//!  "scopes": {"Application": ["User.Read.All"] | {"error": "…"}, …},
//!  "manifest": {"Application": {"requiredResourceAccess": …}, …}}
//! ```
//!
//! Outcomes: `ok` (read and written back unchanged, nothing unknown; for a `…/$count`
//! request, the list operation's count, a bare number), `lossy` (read, but with
//! properties or enum values the models do not know: `findings`), `failed` (does not read
//! as the response type, or a count that is no number: `reason`), `untyped` (the operation answers untyped JSON or
//! bytes), `no-body` (the HAR did not record the body), `error-status` (not a 2xx),
//! `unrouted` (a v1.0 request no operation matches), `beta` (the beta API, not covered),
//! `not-graph` (another host), `malformed` (the entry lacks a method, URL or status).
//!
//! The exit code is 0 whenever the file was read: drift is a finding, not an error. An
//! unreadable file, or one that is not a HAR, is a one-line error and exit code 1.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::Path;

use base64::Engine as _;
use graphspec::{Cloud, Method, OperationInfo, ResponseKind, Scheme};
use serde_json::{Value, json};

/// What became of one exchange.
struct Exchange {
    index: usize,
    method: String,
    url: String,
    status: Option<u16>,
    operation: Option<&'static OperationInfo>,
    outcome: &'static str,
    findings: Vec<String>,
    reason: Option<String>,
}

/// `graphspec audit`.
pub fn run(file: &Path, as_json: bool) -> Result<(), String> {
    let bytes = std::fs::read(file).map_err(|e| format!("cannot read {}: {e}", file.display()))?;
    let har: Value = serde_json::from_slice(&bytes)
        .map_err(|e| format!("{} is not a HAR file (not JSON: {e})", file.display()))?;
    let entries = har
        .get("log")
        .and_then(|l| l.get("entries"))
        .and_then(Value::as_array)
        .ok_or_else(|| format!("{} is not a HAR file (no log.entries)", file.display()))?;
    let operations = graphspec::operations();
    let exchanges: Vec<Exchange> = entries
        .iter()
        .enumerate()
        .map(|(index, entry)| audit_entry(index, entry, &operations))
        .collect();
    let summary = summarize(&exchanges);
    if as_json {
        for e in &exchanges {
            let line = json!({
                "kind": "exchange",
                "index": e.index,
                "method": e.method,
                "url": e.url,
                "status": e.status,
                "operation": e.operation.map(|op| op.graph_name()),
                "outcome": e.outcome,
                "findings": e.findings,
                "reason": e.reason,
            });
            println!("{line}");
        }
        println!("{summary}");
    } else {
        print!("{}", text_report(&exchanges, &summary));
    }
    Ok(())
}

fn audit_entry(index: usize, entry: &Value, operations: &[&'static OperationInfo]) -> Exchange {
    let method = entry
        .pointer("/request/method")
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_owned();
    let url = entry
        .pointer("/request/url")
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_owned();
    let status = entry
        .pointer("/response/status")
        .and_then(Value::as_u64)
        .and_then(|s| u16::try_from(s).ok());
    let mut out = Exchange {
        index,
        method: method.clone(),
        url: url.clone(),
        status,
        operation: None,
        outcome: "malformed",
        findings: Vec::new(),
        reason: None,
    };
    let (Some(status), false, false) = (status, method.is_empty(), url.is_empty()) else {
        out.reason = Some("the entry has no request method, URL or response status".into());
        return out;
    };
    let Some(rest) = graph_path(&url) else {
        out.outcome = "not-graph";
        return out;
    };
    let (version, path) = match rest.trim_start_matches('/').split_once('/') {
        Some((v, p)) => (v, format!("/{p}")),
        None => (rest.trim_start_matches('/'), "/".to_owned()),
    };
    if version.eq_ignore_ascii_case("beta") {
        out.outcome = "beta";
        return out;
    }
    let path = path.split('#').next().unwrap_or_default();
    let (path, query) = match path.split_once('?') {
        Some((p, q)) => (p.to_owned(), Some(q)),
        None => (path.to_owned(), None),
    };
    let Some(found) = Method::parse(&method)
        .filter(|_| version == "v1.0")
        .and_then(|m| route(operations, m, &path, query))
    else {
        out.outcome = "unrouted";
        return out;
    };
    let op = found.operation;
    out.operation = Some(op);
    if !(200..300).contains(&status) {
        out.outcome = "error-status";
        return out;
    }
    if found.count {
        // `…/$count` answers the number of items, not the collection.
        match body_text(entry) {
            Ok(Some(body)) if body.trim().parse::<u64>().is_ok() => out.outcome = "ok",
            Ok(_) => {
                out.outcome = "failed";
                out.reason = Some("a `/$count` request answers a bare number".into());
            }
            Err(reason) => {
                out.outcome = "failed";
                out.reason = Some(reason);
            }
        }
        return out;
    }
    let (ty, collection) = match op.response.kind {
        ResponseKind::None | ResponseKind::Content => {
            out.outcome = "ok";
            return out;
        }
        ResponseKind::One(ty) => (ty, false),
        ResponseKind::Collection(ty) => (ty, true),
    };
    if !ty.starts_with("model::") || ty == "model::Object" {
        out.outcome = "untyped";
        return out;
    }
    let body = match body_text(entry) {
        Ok(Some(body)) if !body.trim().is_empty() => body,
        Ok(_) => {
            out.outcome = "no-body";
            return out;
        }
        Err(reason) => {
            out.outcome = "failed";
            out.reason = Some(reason);
            return out;
        }
    };
    let value: Value = match serde_json::from_str(&body) {
        Ok(v) => v,
        Err(e) => {
            out.outcome = "failed";
            out.reason = Some(format!("$: the body is not JSON: {e}"));
            return out;
        }
    };
    let items: Vec<(String, &Value)> = if collection {
        match value.get("value").and_then(Value::as_array) {
            Some(items) => items
                .iter()
                .enumerate()
                .map(|(i, v)| (format!("$.value[{i}]"), v))
                .collect(),
            None => {
                out.outcome = "failed";
                out.reason = Some("$: a collection response without a `value` array".into());
                return out;
            }
        }
    } else {
        vec![("$".to_owned(), &value)]
    };
    for (path, item) in items {
        match graphspec::model::round_trip(ty, item) {
            None => {
                out.outcome = "untyped";
                return out;
            }
            Some(Err(e)) => {
                out.outcome = "failed";
                out.reason = Some(format!("{path}: does not read as {ty}: {e}"));
                return out;
            }
            Some(Ok(back)) if &back != item => {
                out.outcome = "failed";
                out.reason = Some(format!(
                    "{path}: reads as {ty} but does not write back the same"
                ));
                return out;
            }
            Some(Ok(_)) => {}
        }
        out.findings.extend(
            graphspec::model::unknowns(ty, item)
                .into_iter()
                .map(|u| u.to_string().replacen('$', &path, 1)),
        );
    }
    out.outcome = if out.findings.is_empty() {
        "ok"
    } else {
        "lossy"
    };
    out
}

/// The part of `url` after a Graph host (`/v1.0/users/1`), or `None` for another host.
fn graph_path(url: &str) -> Option<&str> {
    let rest = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"))?;
    let (host, path) = rest.split_at(rest.find('/').unwrap_or(rest.len()));
    let host = host.rsplit('@').next().unwrap_or(host);
    let host = host.split(':').next().unwrap_or(host);
    let known = [Cloud::Global, Cloud::UsGovL4, Cloud::UsGovL5, Cloud::China]
        .iter()
        .any(|c| {
            c.root()
                .trim_start_matches("https://")
                .eq_ignore_ascii_case(host)
        });
    (known || host.eq_ignore_ascii_case("localhost") || host == "127.0.0.1").then_some(path)
}

/// The operation that serves `method path?query`: graphspec's one routing rule
/// ([`graphspec::route::find`]), which the emulator and `graphspec show` use too.
fn route(
    operations: &[&'static OperationInfo],
    method: Method,
    path: &str,
    query: Option<&str>,
) -> Option<graphspec::route::RequestMatch> {
    graphspec::route::find(
        operations,
        method,
        Some(graphspec::ApiVersion::V1),
        path,
        query,
    )
}

/// The response body of a HAR entry: `content.text`, base64-decoded when
/// `content.encoding` says so.
fn body_text(entry: &Value) -> Result<Option<String>, String> {
    let Some(text) = entry
        .pointer("/response/content/text")
        .and_then(Value::as_str)
    else {
        return Ok(None);
    };
    let encoding = entry
        .pointer("/response/content/encoding")
        .and_then(Value::as_str)
        .unwrap_or_default();
    if encoding.eq_ignore_ascii_case("base64") {
        let bytes = base64::engine::general_purpose::STANDARD
            .decode(text.trim())
            .map_err(|e| format!("$: the base64 body does not decode: {e}"))?;
        return String::from_utf8(bytes)
            .map(Some)
            .map_err(|_| "$: the body is not UTF-8 text".to_owned());
    }
    Ok(Some(text.to_owned()))
}

fn summarize(exchanges: &[Exchange]) -> Value {
    let mut outcomes: BTreeMap<&str, usize> = BTreeMap::new();
    for e in exchanges {
        *outcomes.entry(e.outcome).or_default() += 1;
    }
    let mut observed: Vec<&'static OperationInfo> = Vec::new();
    for op in exchanges.iter().filter_map(|e| e.operation) {
        if !observed.iter().any(|o| std::ptr::eq(*o, op)) {
            observed.push(op);
        }
    }
    observed.sort_by_key(|op| op.graph_name());
    let mut scopes = serde_json::Map::new();
    let mut manifest = serde_json::Map::new();
    for scheme in Scheme::ALL {
        match graphspec::least_privileged_scopes(&observed, scheme) {
            Ok(set) => {
                scopes.insert(
                    scheme.as_str().to_owned(),
                    json!(set.iter().map(|s| s.to_string()).collect::<Vec<_>>()),
                );
                if let Ok(fragment) = graphspec::required_resource_access(scheme, &set) {
                    manifest.insert(
                        scheme.as_str().to_owned(),
                        json!({ "requiredResourceAccess": fragment }),
                    );
                }
            }
            Err(e) => {
                scopes.insert(
                    scheme.as_str().to_owned(),
                    json!({ "error": e.to_string() }),
                );
            }
        }
    }
    json!({
        "kind": "summary",
        "exchanges": exchanges.len(),
        "outcomes": outcomes,
        "operations": observed.iter().map(|op| op.graph_name()).collect::<Vec<_>>(),
        "scopes": scopes,
        "manifest": manifest,
    })
}

fn text_report(exchanges: &[Exchange], summary: &Value) -> String {
    let mut out = String::new();
    for e in exchanges {
        let op = e.operation.map_or("-".to_owned(), |op| op.graph_name());
        let status = e.status.map_or("-".to_owned(), |s| s.to_string());
        let _ = writeln!(
            out,
            "#{:<4} {:<7} {status:<4} {:<14} {op}  {}",
            e.index, e.method, e.outcome, e.url
        );
        if let Some(reason) = &e.reason {
            let _ = writeln!(out, "        {reason}");
        }
        for f in &e.findings {
            let _ = writeln!(out, "        {f}");
        }
    }
    let _ = writeln!(out, "\n{} exchanges", summary["exchanges"]);
    if let Some(outcomes) = summary["outcomes"].as_object() {
        for (k, v) in outcomes {
            let _ = writeln!(out, "  {k}: {v}");
        }
    }
    let _ = writeln!(out, "\nLeast-privileged scopes for every observed call:");
    if let Some(scopes) = summary["scopes"].as_object() {
        for (scheme, set) in scopes {
            let text = match set {
                Value::Array(items) if items.is_empty() => "(none needed)".to_owned(),
                Value::Array(items) => items
                    .iter()
                    .filter_map(Value::as_str)
                    .collect::<Vec<_>>()
                    .join(", "),
                other => other["error"].as_str().unwrap_or("?").to_owned(),
            };
            let _ = writeln!(out, "  {scheme}: {text}");
        }
    }
    if let Some(fragment) = summary["manifest"].get("Application") {
        let _ = writeln!(
            out,
            "\nManifest fragment (application):\n{}",
            serde_json::to_string_pretty(fragment).unwrap_or_default()
        );
    }
    out
}
