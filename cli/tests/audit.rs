//! `graphspec audit` on a HAR file recorded from the emulator's real HTTP traffic, plus
//! entries a real capture contains: a response with properties newer than the models, a
//! base64 body, a beta request, another host, an error answer, a
//! malformed entry. And files that are not HAR at all.

use std::path::PathBuf;
use std::process::{Command, Output};

use base64::Engine as _;
use graphspec_emulator::{Config, Emulator};
use serde_json::{Value, json};

fn graphspec(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_graphspec"))
        .args(args)
        .output()
        .expect("the graphspec binary runs")
}

fn scratch(name: &str) -> PathBuf {
    std::env::temp_dir().join(format!("graphspec-audit-{}-{name}", std::process::id()))
}

/// One HAR entry.
fn entry(method: &str, url: &str, status: u16, body: Option<&str>) -> Value {
    json!({
        "startedDateTime": "2026-12-01T00:00:00.000Z",
        "time": 1,
        "request": {"method": method, "url": url, "httpVersion": "HTTP/1.1", "headers": [],
                    "queryString": [], "cookies": [], "headersSize": -1, "bodySize": 0},
        "response": {"status": status, "statusText": "", "httpVersion": "HTTP/1.1",
                     "headers": [], "cookies": [], "redirectURL": "", "headersSize": -1,
                     "bodySize": -1,
                     "content": match body {
                         Some(text) => json!({"size": text.len(), "mimeType": "application/json", "text": text}),
                         None => json!({"size": 0, "mimeType": "application/json"}),
                     }},
        "cache": {}, "timings": {"send": 0, "wait": 1, "receive": 0}
    })
}

/// Records `(method, path)` requests against the emulator.
async fn record(emu: &Emulator, token: &str, requests: &[(&str, String)]) -> Vec<Value> {
    let http = reqwest::Client::new();
    let mut out = Vec::new();
    for (method, path) in requests {
        let url = format!("{}/v1.0{path}", emu.root());
        let request = match *method {
            "POST" => http
                .post(&url)
                .header("content-type", "application/json")
                .body("{}"),
            _ => http.get(&url),
        };
        let response = request.bearer_auth(token).send().await.unwrap();
        let status = response.status().as_u16();
        let body = response.text().await.unwrap();
        out.push(entry(method, &url, status, Some(&body)));
    }
    out
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn audits_emulator_traffic() {
    let emu = Emulator::start(Config {
        users: 4,
        ..Config::default()
    })
    .await
    .unwrap();
    let token = emu.app_token(&[
        "User.ReadWrite.All",
        "Group.Read.All",
        "Organization.Read.All",
    ]);
    let id = emu.with_tenant(|t| t.user_ids()[0].clone());
    let mut entries = record(
        &emu,
        &token,
        &[
            ("GET", "/users".to_owned()),
            ("GET", format!("/users/{id}")),
            ("GET", "/groups".to_owned()),
            ("GET", "/subscribedSkus".to_owned()),
            ("GET", format!("/users/{id}/licenseDetails")),
            ("POST", format!("/users/{id}/reprocessLicenseAssignment")),
            ("GET", "/users/no-such-user".to_owned()),
        ],
    )
    .await;
    emu.shutdown().await.unwrap();

    // A user as a newer service would send it: a property the models do not know, at the
    // top and inside a complex value, beside properties they do know.
    let mut user: Value =
        serde_json::from_str(entries[1]["response"]["content"]["text"].as_str().unwrap()).unwrap();
    user["futureProperty"] = json!({"x": 1});
    user["passwordPolicies"] = json!("DisablePasswordExpiration");
    user["assignedPlans"] = json!([{"capabilityStatus": "Enabled", "service": "exchange",
                                    "servicePlanId": "9aaf7827-d63c-4b61-89c3-182f06f82e5c"}]);
    user["provisionedPlans"] = json!([]);
    user["signInActivity"] = json!({"lastSignInDateTime": "2026-11-30T10:00:00Z"});
    user["employeeOrgData"] = json!({"division": "Sales", "newSubfield": true});
    let url = entries[1]["request"]["url"].as_str().unwrap().to_owned();
    entries.push(entry("GET", &url, 200, Some(&user.to_string())));
    // The same body, base64-encoded as browsers record binary-looking bodies.
    let mut encoded = entries[1].clone();
    encoded["response"]["content"]["text"] = json!(
        base64::engine::general_purpose::STANDARD
            .encode(entries[1]["response"]["content"]["text"].as_str().unwrap())
    );
    encoded["response"]["content"]["encoding"] = json!("base64");
    entries.push(encoded);
    // A body that does not read as the response type.
    entries.push(entry(
        "GET",
        &url,
        200,
        Some(r#"{"accountEnabled": "yes"}"#),
    ));
    entries.push(entry(
        "GET",
        "https://graph.microsoft.com/beta/users",
        200,
        Some("{}"),
    ));
    entries.push(entry(
        "GET",
        "https://example.com/v1.0/users",
        200,
        Some("{}"),
    ));
    entries.push(entry(
        "GET",
        "https://graph.microsoft.com/v1.0/nothingHere/42",
        200,
        Some("{}"),
    ));
    entries.push(json!({"request": {"url": 42}}));
    entries.push(entry(
        "GET",
        "https://graph.microsoft.com/v1.0/users",
        200,
        None,
    ));

    // `/$count`: the list's count answers a bare number.
    entries.push(entry(
        "GET",
        "https://graph.microsoft.com/v1.0/users/$count",
        200,
        Some("4"),
    ));
    entries.push(entry(
        "GET",
        "https://graph.microsoft.com/v1.0/users/%24count",
        200,
        Some("{\"value\": []}"),
    ));

    let file = scratch("traffic.har");
    let har = json!({"log": {"version": "1.2", "creator": {"name": "test", "version": "1"}, "entries": entries}});
    std::fs::write(&file, har.to_string()).unwrap();

    let out = graphspec(&["audit", file.to_str().unwrap(), "--json"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let lines: Vec<Value> = String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let outcome = |i: usize| lines[i]["outcome"].as_str().unwrap().to_owned();
    let names: Vec<String> = (0..7)
        .map(|i| lines[i]["operation"].as_str().unwrap_or("-").to_owned())
        .collect();
    assert_eq!(
        names,
        [
            "user.listUsers",
            "user.getUser",
            "group.listGroups",
            "subscribedsku.listSubscribedSkus",
            "user.listLicenseDetails",
            "user.reprocessLicenseAssignment",
            "user.getUser"
        ]
        .map(str::to_owned)
    );
    for (i, line) in lines.iter().enumerate().take(6) {
        assert_eq!(outcome(i), "ok", "{line}");
    }
    assert_eq!(outcome(6), "error-status");
    assert_eq!(lines[6]["status"], 404);
    assert_eq!(outcome(7), "lossy", "{}", lines[7]);
    let findings: Vec<&str> = lines[7]["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f.as_str().unwrap())
        .collect();
    assert!(
        findings.contains(&"$.futureProperty: unknown property"),
        "{findings:?}"
    );
    assert!(
        findings.contains(&"$.employeeOrgData.newSubfield: unknown property"),
        "{findings:?}"
    );
    assert!(
        findings
            .iter()
            .all(|f| !f.contains("assignedPlans") && !f.contains("signInActivity")),
        "known properties are not findings: {findings:?}"
    );
    assert_eq!(outcome(8), "ok", "a base64 body: {}", lines[8]);
    assert_eq!(outcome(9), "failed");
    assert!(
        lines[9]["reason"]
            .as_str()
            .unwrap()
            .contains("does not read as model::User")
    );
    assert_eq!(outcome(10), "beta");
    assert_eq!(outcome(11), "not-graph");
    assert_eq!(outcome(12), "unrouted");
    assert_eq!(outcome(13), "malformed");
    assert_eq!(outcome(14), "no-body");
    assert_eq!(outcome(15), "ok", "{}", lines[15]);
    assert_eq!(lines[15]["operation"], "user.listUsers");
    assert_eq!(outcome(16), "failed", "{}", lines[16]);
    assert!(
        lines[16]["reason"]
            .as_str()
            .unwrap()
            .contains("bare number")
    );
    let summary = lines.last().unwrap();
    assert_eq!(summary["kind"], "summary");
    assert_eq!(summary["exchanges"], 17);
    let application: Vec<&str> = summary["scopes"]["Application"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s.as_str().unwrap())
        .collect();
    // The same answer as `graphspec scopes` for the observed operations.
    let observed: Vec<&str> = summary["operations"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s.as_str().unwrap())
        .collect();
    let mut args = vec!["scopes"];
    args.extend(&observed);
    args.extend(["--scheme", "application"]);
    let scopes = graphspec(&args);
    assert!(
        scopes.status.success(),
        "{}",
        String::from_utf8_lossy(&scopes.stderr)
    );
    let expected: Vec<String> = String::from_utf8(scopes.stdout)
        .unwrap()
        .lines()
        .map(str::to_owned)
        .collect();
    assert!(!application.is_empty());
    assert_eq!(application, expected);
    assert!(summary["manifest"]["Application"]["requiredResourceAccess"].is_array());

    // Text by default.
    let out = graphspec(&["audit", file.to_str().unwrap()]);
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.contains("$.futureProperty: unknown property"),
        "{text}"
    );
    assert!(text.contains("Least-privileged scopes"), "{text}");

    // A truncated file, a file that is not JSON, one without entries, a missing file:
    // one line on stderr and exit code 1, never a panic.
    let full = har.to_string();
    let cases = [
        ("truncated", full[..full.len() / 2].to_owned()),
        (
            "binary",
            String::from_utf8_lossy(&[0xff, 0xfe, 0, 1, 2]).into_owned(),
        ),
        ("not-har", "{\"log\": {}}".to_owned()),
    ];
    for (name, text) in cases {
        let path = scratch(name);
        std::fs::write(&path, text).unwrap();
        let out = graphspec(&["audit", path.to_str().unwrap()]);
        assert_eq!(out.status.code(), Some(1), "{name}");
        let err = String::from_utf8(out.stderr).unwrap();
        assert_eq!(err.trim().lines().count(), 1, "{name}: {err}");
        assert!(!err.contains("panicked"), "{name}: {err}");
        let _ = std::fs::remove_file(path);
    }
    let out = graphspec(&["audit", "/nonexistent/traffic.har"]);
    assert_eq!(out.status.code(), Some(1));
    let _ = std::fs::remove_file(file);
}
