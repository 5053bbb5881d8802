//! The emulator routes URLs as real clients write them (`graphspec::route::forms`): OData
//! key syntax, a tenant segment before the resource, literal segments in any case and
//! percent-encoded literals reach the same operation as the canonical path. Over raw TCP,
//! so each URL arrives exactly as written.

mod common;

use std::io::{Read, Write};
use std::net::TcpStream;

use graphspec_emulator::Emulator;

fn raw_get(emu: &Emulator, target: &str, token: &str) -> (u16, serde_json::Value) {
    let response = raw_request(emu, target, token, "");
    parse(&response)
}

/// The raw HTTP response to `GET target` with `extra` header lines.
fn raw_request(emu: &Emulator, target: &str, token: &str, extra: &str) -> String {
    let mut stream = TcpStream::connect(emu.addr()).unwrap();
    write!(
        stream,
        "GET {target} HTTP/1.1\r\nHost: {}\r\nAuthorization: Bearer {token}\r\n{extra}Connection: close\r\n\r\n",
        emu.addr()
    )
    .unwrap();
    let mut response = Vec::new();
    stream.read_to_end(&mut response).unwrap();
    String::from_utf8_lossy(&response).into_owned()
}

/// The status and JSON body of a raw response.
fn parse(response: &str) -> (u16, serde_json::Value) {
    let status = response
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    let body = response
        .split_once("\r\n\r\n")
        .map(|(_, b)| b)
        .unwrap_or("");
    // The body may be chunked: take the JSON between the first `{` and the last `}`.
    let json = match (body.find('{'), body.rfind('}')) {
        (Some(a), Some(b)) if a < b => serde_json::from_str(&body[a..=b]).unwrap_or_default(),
        _ => serde_json::Value::Null,
    };
    (status, json)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn urls_as_clients_write_them_reach_the_same_operation() {
    let emu = common::start(3).await;
    let token = emu.app_token(&["User.Read.All", "Directory.Read.All"]);
    let tenant = emu.tenant_id();
    let (status, list) = raw_get(&emu, "/v1.0/users", &token);
    assert_eq!(status, 200, "{list}");
    let id = list["value"][0]["id"].as_str().unwrap().to_owned();
    let upn = list["value"][0]["userPrincipalName"]
        .as_str()
        .unwrap()
        .to_owned();
    let canonical = raw_get(&emu, &format!("/v1.0/users/{id}"), &token);
    assert_eq!(canonical.0, 200, "{}", canonical.1);
    for target in [
        format!("/v1.0/users('{id}')"),
        format!("/v1.0/users(id='{id}')"),
        format!("/v1.0/USERS/{id}"),
        format!("/v1.0/{tenant}/users/{id}"),
        format!("/v1.0/users/{upn}"),
    ] {
        let (status, user) = raw_get(&emu, &target, &token);
        assert_eq!(status, 200, "{target}: {user}");
        assert_eq!(user["id"], canonical.1["id"], "{target}");
    }
    let members = raw_get(&emu, &format!("/v1.0/users/{id}/memberOf"), &token);
    assert_eq!(members.0, 200, "{}", members.1);
    for target in [
        format!("/v1.0/users('{id}')/memberOf"),
        format!("/v1.0/users/{id}/%6DemberOf"),
    ] {
        let (status, body) = raw_get(&emu, &target, &token);
        assert_eq!(status, 200, "{target}: {body}");
        assert_eq!(body["value"], members.1["value"], "{target}");
    }
    // Still nothing for what no operation serves (Graph's 400 for an unknown segment).
    let (status, body) = raw_get(&emu, "/v1.0/users('a','b')/nothing", &token);
    assert!(matches!(status, 400 | 404), "{status}: {body}");
}

/// `…/$count` is the number of the collection's items, as Graph answers it: a bare number
/// (`text/plain`), with the list's permissions, and for directory objects only with
/// `ConsistencyLevel: eventual`.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_count_request_answers_the_number_of_items() {
    let emu = common::start(3).await;
    let token = emu.app_token(&["User.Read.All"]);
    let eventual = "ConsistencyLevel: eventual\r\n";
    let (status, list) = parse(&raw_request(
        &emu,
        "/v1.0/users?$count=true",
        &token,
        eventual,
    ));
    assert_eq!(status, 200, "{list}");
    let users = list["@odata.count"].as_u64().unwrap();
    assert!(users > 0);
    let response = raw_request(&emu, "/v1.0/users/$count", &token, eventual);
    let (head, body) = response.split_once("\r\n\r\n").unwrap();
    let head = head.to_ascii_lowercase();
    assert!(head.starts_with("http/1.1 200"), "{response}");
    assert!(head.contains("content-type: text/plain"), "{head}");
    let text = if head.contains("transfer-encoding: chunked") {
        body.lines().nth(1).unwrap_or_default()
    } else {
        body
    };
    assert_eq!(text.trim().parse::<u64>().unwrap(), users, "{body}");
    // Without the header, as Graph: 400.
    let (status, body) = raw_get(&emu, "/v1.0/users/%24count", &token);
    assert_eq!(status, 400, "{body}");
    // The list's permissions apply.
    let none = emu.app_token(&[]);
    let response = raw_request(&emu, "/v1.0/users/$count", &none, eventual);
    assert!(response.starts_with("HTTP/1.1 403"), "{response}");
}
