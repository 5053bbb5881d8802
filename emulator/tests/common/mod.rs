//! Setup shared by the emulator's real-HTTP tests (each test file uses part of it).
#![allow(dead_code)]

use graphspec::ApiVersion;
use graphspec::client::{Client, RetryPolicy, StaticToken};
use graphspec_emulator::{Config, Emulator};

/// An emulator on 127.0.0.1 with `users` seeded users and the default (fault-free) config.
pub async fn start(users: usize) -> Emulator {
    Emulator::start(Config {
        users,
        ..Config::default()
    })
    .await
    .expect("emulator starts on 127.0.0.1")
}

/// A client that sends `token` as given — no check before sending, no retries — so the
/// emulator alone decides.
pub fn unchecked_client(emu: &Emulator, token: String) -> Client {
    Client::builder(StaticToken::new(token))
        .base_url(emu.base_url(ApiVersion::V1))
        .retry(RetryPolicy::none())
        .check_permissions(false)
        .build()
        .unwrap()
}
