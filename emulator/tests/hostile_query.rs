//! Hostile query strings over real HTTP on 127.0.0.1: a `$filter` the emulator cannot
//! parse is a 400 with Graph's error body, on its own and as a `$batch` item, and never
//! a panic (which would reset the connection).

mod common;

use std::io::{Read as _, Write as _};
use std::net::TcpStream;

use graphspec::client::{Batch, Client, RetryPolicy, StaticToken};
use graphspec::prelude::*;
use graphspec::{ApiVersion, user};
use graphspec_emulator::Emulator;
use serde_json::Value;

graphspec::credential! {
    /// Lists and reads users.
    pub struct Reader {
        scheme: Application,
        grants: ["User.Read.All"],
        calls: [user::ListUsers, user::GetUser],
    }
}

/// Filters with non-ASCII characters outside quotes (each once panicked the parser),
/// and inside quotes (which must keep working).
const NON_ASCII_FILTERS: &[&str] = &[
    "é",
    "displayName eq 'x' é and",
    "é and displayName eq 'x'",
    "displayName eq 'Zoë' and€ department eq 'Sales'",
    "日本 eq '語'",
    "a\u{301} eq 1",
];

async fn emulator() -> Emulator {
    common::start(5).await
}

/// Sends `GET {target}` with `token` over a plain TCP connection and returns the status
/// and the body, so the query reaches the emulator exactly as written.
fn raw_get(emu: &Emulator, target: &str, token: &str) -> std::io::Result<(u16, String)> {
    let mut stream = TcpStream::connect(emu.addr())?;
    write!(
        stream,
        "GET {target} HTTP/1.1\r\nHost: {}\r\nAuthorization: Bearer {token}\r\nConnection: close\r\n\r\n",
        emu.addr()
    )?;
    let mut response = Vec::new();
    stream.read_to_end(&mut response)?;
    let response = String::from_utf8_lossy(&response).into_owned();
    let status = response
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    let body = response
        .split_once("\r\n\r\n")
        .map(|(_, b)| b.to_owned())
        .unwrap_or_default();
    Ok((status, body))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_non_ascii_filter_is_a_400_with_graphs_error_body_over_raw_http() {
    let emu = emulator().await;
    let token = emu.app_token(&["User.Read.All"]);
    for target in [
        "/v1.0/users?$filter=%C3%A9",
        "/v1.0/users?$filter=displayName%20eq%20'x'%20%C3%A9%20and",
        "/v1.0/users?$filter=%E6%97%A5%20and%20id%20eq%201",
        // Not UTF-8 once decoded: read lossily, still a 400.
        "/v1.0/users?$filter=%FF%FE",
    ] {
        let (status, body) = {
            let (emu, token, target) = (&emu, token.clone(), target.to_owned());
            tokio::task::block_in_place(|| raw_get(emu, &target, &token))
        }
        .unwrap_or_else(|e| panic!("{target}: the connection failed: {e}"));
        assert_eq!(status, 400, "{target}: {body}");
        let body: Value = serde_json::from_str(&body).unwrap_or_else(|e| panic!("{e}: {body}"));
        assert_eq!(
            body["error"]["code"], "Request_BadRequest",
            "{target}: {body}"
        );
        assert!(
            body["error"]["message"]
                .as_str()
                .is_some_and(|m| m.contains("$filter")),
            "{target}: {body}"
        );
    }
    // The server is still up and answering.
    let (status, _) = tokio::task::block_in_place(|| raw_get(&emu, "/v1.0/users", &token)).unwrap();
    assert_eq!(status, 200);
}

fn client(emu: &Emulator) -> Client {
    Client::builder(StaticToken::new(emu.app_token(&["User.Read.All"])))
        .base_url(emu.base_url(ApiVersion::V1))
        .retry(RetryPolicy::none())
        .build()
        .unwrap()
}

#[tokio::test]
async fn a_non_ascii_filter_is_a_400_through_the_client() {
    let emu = emulator().await;
    let client = client(&emu);
    for filter in NON_ASCII_FILTERS {
        let err = client
            .send(Reader.authorize(user::ListUsers::new().filter(*filter)))
            .await
            .unwrap_err();
        assert_eq!(err.status(), Some(400), "{filter}: {err:?}");
        assert_eq!(
            err.graph_code(),
            Some("Request_BadRequest"),
            "{filter}: {err}"
        );
    }
}

#[tokio::test]
async fn a_non_ascii_filter_is_a_400_as_a_batch_item_and_the_other_items_answer() {
    let emu = emulator().await;
    let client = client(&emu);
    let id = emu.with_tenant(|t| t.user_ids()[0].clone());
    let mut batch = Batch::new();
    let before = batch.add(Reader.authorize(user::GetUser::new(&id)));
    let bad: Vec<_> = NON_ASCII_FILTERS
        .iter()
        .map(|filter| batch.add(Reader.authorize(user::ListUsers::new().filter(*filter))))
        .collect();
    let quoted = batch.add(Reader.authorize(user::ListUsers::new().filter("displayName eq 'Zoë'")));
    let after = batch.add(Reader.authorize(user::GetUser::new(&id)));
    let mut results = client.send_batch(batch).await;
    assert_eq!(results.len(), NON_ASCII_FILTERS.len() + 3);
    assert_eq!(
        results.take(before).unwrap().id.as_deref(),
        Some(id.as_str())
    );
    for (handle, filter) in bad.into_iter().zip(NON_ASCII_FILTERS) {
        let err = results.take(handle).unwrap_err();
        assert_eq!(err.status(), Some(400), "{filter}: {err:?}");
        assert_eq!(
            err.graph_code(),
            Some("Request_BadRequest"),
            "{filter}: {err}"
        );
    }
    // Non-ASCII inside quotes is a value like any other: no user has that name.
    assert!(results.take(quoted).unwrap().value.is_empty());
    assert_eq!(
        results.take(after).unwrap().id.as_deref(),
        Some(id.as_str())
    );
}
