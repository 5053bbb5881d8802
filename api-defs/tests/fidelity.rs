//! Fidelity of the generated models against the real reference pages: every example
//! response that is valid JSON is read as its operation's response type and written back,
//! and every resource page's JSON representation as the type it documents. The result
//! must be the same JSON value (the equivalence rule: `serde_json::Value` equality, so
//! the order of an object's keys does not matter; numbers compare by their JSON value
//! kind and value; nothing else is normalised).
//!
//! The measured rates and every failure with its reason are written to
//! `api-defs/FIDELITY-REPORT.md`; the test fails when the report changes (run it with
//! `GRAPHSPEC_BLESS=1` to rewrite it after a change, and review the diff) or when fewer
//! than 99% of the valid example responses of the ru-RU edition round-trip.
//!
//! ```text
//! cargo test -p graphspec --features full,all-models,by-name --test fidelity
//! ```

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use graphspec::{OperationInfo, ResponseKind};
use serde_json::Value;

fn shared() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/graph-docs")
}

/// The JSON bodies of a page's fenced blocks that follow a `"blockType": "<kind>"`
/// annotation: for `http` blocks, what follows the first blank line.
/// The offsets of the `"blockType": "<kind>"` annotations of `text`, in order.
fn annotations(text: &str, kind: &str) -> Vec<usize> {
    let marker = format!("\"blockType\": \"{kind}\"");
    text.match_indices(&marker).map(|(at, _)| at).collect()
}

/// The request line (`GET https://…`) of the code block after each `request` or `ignored`
/// annotation that holds one (pages mark some examples, `…/$count` ones among them,
/// `ignored`), with the annotation's offset, in order.
fn request_lines(text: &str) -> Vec<(usize, String)> {
    let mut out = Vec::new();
    for kind in ["request", "ignored"] {
        for at in annotations(text, kind) {
            let rest = &text[at..];
            let Some(open) = rest.find("```") else {
                continue;
            };
            let block = &rest[open + 3..];
            let close = block.find("\n```").unwrap_or(block.len());
            let line = block[..close]
                .lines()
                .skip(1)
                .map(str::trim)
                .find(|l| !l.is_empty())
                .unwrap_or_default();
            let method = line.split_whitespace().next().unwrap_or_default();
            if ["GET", "POST", "PUT", "PATCH", "DELETE"].contains(&method) {
                out.push((at, line.to_owned()));
            }
        }
    }
    out.sort();
    out
}

fn blocks(text: &str, kind: &str) -> Vec<String> {
    let marker = format!("\"blockType\": \"{kind}\"");
    let mut out = Vec::new();
    let mut rest = text;
    while let Some(at) = rest.find(&marker) {
        rest = &rest[at + marker.len()..];
        let Some(open) = rest.find("```") else { break };
        let block = &rest[open + 3..];
        let Some(close) = block.find("\n```") else {
            break;
        };
        let (info, body) = block[..close].split_once('\n').unwrap_or(("", ""));
        let body = if info.trim().eq_ignore_ascii_case("http") {
            // Status line and headers, a blank line, then the body.
            let mut lines = body.lines();
            let mut seen_blank = false;
            let mut out = String::new();
            for line in lines.by_ref() {
                if seen_blank {
                    out.push_str(line);
                    out.push('\n');
                } else if line.trim().is_empty() {
                    seen_blank = true;
                }
            }
            out
        } else {
            body.to_owned()
        };
        out.push(body);
        rest = &block[close..];
    }
    out
}

#[derive(Default)]
struct Tally {
    /// Blocks with a typed operation or a known type.
    candidates: usize,
    /// Of those, strict JSON.
    valid: usize,
    /// Of those, read and written back unchanged.
    same: usize,
    /// (page, reason) of the others.
    failures: Vec<(String, String)>,
    /// Of those read back unchanged, bare numbers answering `/$count` requests.
    counts: usize,
}

impl Tally {
    fn percent(&self) -> f64 {
        if self.valid == 0 {
            return 100.0;
        }
        self.same as f64 * 100.0 / self.valid as f64
    }
}

/// The first difference between two JSON values, as a JSON path and what differs.
fn first_difference(path: &str, a: &Value, b: &Value) -> Option<String> {
    match (a, b) {
        (Value::Object(x), Value::Object(y)) => {
            for (k, v) in x {
                match y.get(k) {
                    None => return Some(format!("{path}.{k} lost")),
                    Some(w) => {
                        if let Some(d) = first_difference(&format!("{path}.{k}"), v, w) {
                            return Some(d);
                        }
                    }
                }
            }
            y.keys()
                .find(|k| !x.contains_key(*k))
                .map(|k| format!("{path}.{k} added"))
        }
        (Value::Array(x), Value::Array(y)) if x.len() == y.len() => x
            .iter()
            .zip(y)
            .enumerate()
            .find_map(|(i, (v, w))| first_difference(&format!("{path}[{i}]"), v, w)),
        _ if a == b => None,
        _ => Some(format!("{path}: {a} became {b}")),
    }
}

/// Reads `value` as `ty` and checks it comes back the same; the reason when not.
fn check(ty: &str, value: &Value) -> Result<(), String> {
    match graphspec::model::round_trip(ty, value) {
        None => Err(format!("{ty} is not compiled")),
        Some(Err(e)) => Err(format!("does not read as {ty}: {e}")),
        Some(Ok(back)) if &back == value => Ok(()),
        Some(Ok(back)) => {
            Err(first_difference("$", value, &back).unwrap_or_else(|| "differs".to_owned()))
        }
    }
}

/// A response example against its operation: a collection's items one by one.
fn check_response(op: &OperationInfo, value: &Value) -> Option<Result<(), String>> {
    let (ty, collection) = match op.response.kind {
        ResponseKind::One(ty) => (ty, false),
        ResponseKind::Collection(ty) => (ty, true),
        ResponseKind::None | ResponseKind::Content => return None,
    };
    if !ty.starts_with("model::") || ty == "model::Object" {
        return None;
    }
    if collection && let Some(items) = value.get("value").and_then(Value::as_array) {
        let failed = items
            .iter()
            .enumerate()
            .find_map(|(i, item)| check(ty, item).err().map(|e| format!("value[{i}]: {e}")));
        return Some(failed.map_or(Ok(()), Err));
    }
    Some(check(ty, value))
}

fn operation_examples(edition: &str, ops: &BTreeMap<&str, Vec<&OperationInfo>>) -> Tally {
    let mut tally = Tally::default();
    let dir = shared().join(edition).join("v1.0/api");
    let mut pages: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .filter_map(|e| e.ok().map(|e| e.path()))
        .collect();
    pages.sort();
    for path in pages {
        let stem = path.file_stem().unwrap().to_string_lossy().into_owned();
        let Some(page_ops) = ops.get(stem.as_str()) else {
            continue;
        };
        let Ok(text) = std::fs::read_to_string(&path) else {
            continue;
        };
        let requests = request_lines(&text);
        let responses = blocks(&text, "response");
        let offsets = annotations(&text, "response");
        for (index, body) in responses.iter().enumerate() {
            if body.trim().is_empty() {
                continue;
            }
            let parsed = serde_json::from_str::<Value>(body);
            // A bare number answers a `/$count` request: it reads when the example's request
            // routes as one (the count of a list operation's collection).
            if let Ok(Value::Number(n)) = &parsed {
                tally.candidates += 1;
                tally.valid += 1;
                // The example's request: the last request line before this response.
                let at = offsets.get(index).copied().unwrap_or(0);
                let request = requests
                    .iter()
                    .rev()
                    .find(|(offset, _)| *offset < at)
                    .map(|(_, line)| line);
                let routed = request.and_then(|line| graphspec::find_request(line).ok().flatten());
                match routed {
                    Some(found) if found.count && n.is_u64() => {
                        tally.same += 1;
                        tally.counts += 1;
                    }
                    _ => tally.failures.push((
                        stem.clone(),
                        format!(
                            "a bare number answers no `/$count` request (the example's request: {})",
                            request.map_or("none found", String::as_str)
                        ),
                    )),
                }
                continue;
            }
            // The operation the example's request routes to, when it is one of the page's
            // (a page may have several: per resource, later sections, raw content);
            // else the page's first operation with a typed response.
            let at = offsets.get(index).copied().unwrap_or(0);
            let routed = requests
                .iter()
                .rev()
                .find(|(offset, _)| *offset < at)
                .and_then(|(_, line)| graphspec::find_request(line).ok().flatten())
                .map(|found| found.operation)
                .filter(|found| page_ops.iter().any(|op| std::ptr::eq(*op, *found)));
            let Some(op) = routed.or_else(|| {
                page_ops
                    .iter()
                    .copied()
                    .find(|op| check_response(op, &Value::Null).is_some())
                    .or(page_ops.first().copied())
            }) else {
                continue;
            };
            let Some(result) = (match &parsed {
                Ok(value) => check_response(op, value),
                // Counted as a candidate only when the operation has a typed response.
                Err(_) => check_response(op, &Value::Null).map(|_| Ok(())),
            }) else {
                continue;
            };
            tally.candidates += 1;
            if parsed.is_err() {
                continue;
            }
            tally.valid += 1;
            match result {
                Ok(()) => tally.same += 1,
                Err(reason) => tally.failures.push((stem.clone(), reason)),
            }
        }
    }
    tally
}

fn resource_examples(edition: &str) -> Tally {
    let mut tally = Tally::default();
    let dir = shared().join(edition).join("v1.0/resources");
    let mut pages: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .filter_map(|e| e.ok().map(|e| e.path()))
        .collect();
    pages.sort();
    for path in pages {
        let stem = path.file_stem().unwrap().to_string_lossy().into_owned();
        let Ok(text) = std::fs::read_to_string(&path) else {
            continue;
        };
        // The annotation names the documented type: `"@odata.type": "microsoft.graph.user"`.
        let marker = "\"blockType\": \"resource\"";
        let Some(at) = text.find(marker) else {
            continue;
        };
        let annotation = &text[at..text[at..].find("-->").map_or(text.len(), |e| at + e)];
        let Some(ty) = annotation
            .split("\"@odata.type\"")
            .nth(1)
            .and_then(|r| r.split('"').nth(1))
            .map(|t| t.trim_start_matches('#').to_owned())
        else {
            continue;
        };
        for body in blocks(&text, "resource").into_iter().take(1) {
            tally.candidates += 1;
            let Ok(value) = serde_json::from_str::<Value>(&body) else {
                continue;
            };
            tally.valid += 1;
            match check(&ty, &value) {
                Ok(()) => tally.same += 1,
                Err(reason) => tally.failures.push((stem.clone(), reason)),
            }
        }
    }
    tally
}

fn section(out: &mut String, title: &str, tally: &Tally) {
    let _ = writeln!(
        out,
        "## {title}\n\n{} blocks, {} strict JSON, {} read and written back unchanged: **{:.1}%** of the valid ones.\n",
        tally.candidates,
        tally.valid,
        tally.same,
        tally.percent()
    );
    if tally.counts > 0 {
        let _ = writeln!(
            out,
            "Of those, {} are bare numbers answering a `/$count` request: the example's request\n\
             routes as the count of a list operation's collection (`graphspec::route`).\n",
            tally.counts
        );
    }
    if !tally.failures.is_empty() {
        out.push_str("| page | reason |\n|---|---|\n");
        for (page, reason) in &tally.failures {
            let reason: String = reason.replace('|', "\\|").replace('\n', " ");
            let reason: String = reason.chars().take(200).collect();
            let _ = writeln!(out, "| {page} | {reason} |");
        }
        out.push('\n');
    }
}

#[test]
fn examples_round_trip_through_the_models() {
    let all = graphspec::operations();
    let mut ops: BTreeMap<&str, Vec<&OperationInfo>> = BTreeMap::new();
    for op in all.iter() {
        if let Some(page) = op.docs_page {
            // A section's operation links its page with `#anchor`.
            let page = page.split('#').next().unwrap_or(page);
            ops.entry(page).or_default().push(*op);
        }
    }
    let mut report = String::from(
        "# Model fidelity over the reference pages\n\n\
         Written by `cargo test -p graphspec --features full,all-models,by-name --test fidelity`\n\
         (`GRAPHSPEC_BLESS=1` rewrites it). Each JSON block is read as its Rust type and written\n\
         back; it counts when the result is the same JSON value (key order aside). Blocks that are\n\
         not strict JSON (comments, `...`, placeholders) are counted but not tried.\n\n",
    );
    let mut rates = Vec::new();
    for edition in ["ru-RU", "ja-JP"] {
        let responses = operation_examples(edition, &ops);
        section(
            &mut report,
            &format!("{edition}: example responses of operations with a typed response"),
            &responses,
        );
        let resources = resource_examples(edition);
        section(
            &mut report,
            &format!("{edition}: JSON representations on resource pages"),
            &resources,
        );
        rates.push((edition, responses.percent(), resources.percent()));
    }
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("FIDELITY-REPORT.md");
    if std::env::var_os("GRAPHSPEC_BLESS").is_some() {
        std::fs::write(&path, &report).unwrap();
    }
    eprintln!("{rates:?}");
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        committed == report,
        "FIDELITY-REPORT.md differs from this run; re-run with GRAPHSPEC_BLESS=1 and review"
    );
    assert!(
        rates[0].1 >= 99.0,
        "ru-RU example responses: {:.1}%",
        rates[0].1
    );
}

/// JSON values of every shape, with keys Graph types declare, so that typed fields
/// (strings, numbers, enums, nested types, collections) meet values of the wrong shape.
fn any_json() -> impl proptest::strategy::Strategy<Value = Value> {
    use proptest::prelude::*;
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        any::<f64>()
            .prop_map(|f| serde_json::Number::from_f64(f).map_or(Value::Null, Value::Number)),
        ".{0,12}".prop_map(Value::String),
        Just(Value::String("NaN".into())),
        Just(Value::String("#microsoft.graph.group".into())),
    ];
    let keys = prop_oneof![
        Just("id".to_owned()),
        Just("displayName".to_owned()),
        Just("@odata.type".to_owned()),
        Just("value".to_owned()),
        Just("createdDateTime".to_owned()),
        Just("type".to_owned()),
        Just("status".to_owned()),
        Just("assignedLicenses".to_owned()),
        Just("skuId".to_owned()),
        Just("importance".to_owned()),
        ".{0,6}",
    ];
    leaf.prop_recursive(4, 48, 6, move |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
            prop::collection::vec((keys.clone(), inner), 0..6)
                .prop_map(|kv| Value::Object(kv.into_iter().collect())),
        ]
    })
}

proptest::proptest! {
    #![proptest_config(proptest::test_runner::Config {
        cases: 48,
        rng_algorithm: proptest::test_runner::RngAlgorithm::ChaCha,
        ..proptest::test_runner::Config::default()
    })]

    /// Arbitrary JSON read as every model type: an error or a value, never a panic, and a
    /// value always writes back to the JSON it was read from.
    #[test]
    fn arbitrary_json_reads_as_every_type_or_fails_cleanly(value in any_json()) {
        for (path, _) in graphspec::model::TYPE_PATHS {
            if let Some(Ok(back)) = graphspec::model::round_trip(path, &value) {
                proptest::prop_assert_eq!(&back, &value, "{}", path);
            }
            let _ = graphspec::model::unknowns(path, &value);
        }
    }
}
