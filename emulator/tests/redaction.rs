//! Tokens and secrets never appear in `Debug` output or in `tracing` logs.

use std::io::Write;
use std::sync::{Arc, Mutex};

use graphspec::client::{Batch, Client, ClientCredentials, ClientSecret, RetryPolicy};
use graphspec::{ApiVersion, user};
use graphspec_emulator::{Config, Emulator, Faults};

graphspec::credential! {
    pub struct Bot {
        scheme: Application,
        grants: ["User.ReadWrite.All"],
        calls: [user::ListUsers, user::ReprocessLicenseAssignment, user::GetUser],
    }
}

#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl Write for Captured {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

const SECRET: &str = "hunter2-never-print-me";

#[tokio::test]
async fn secrets_and_tokens_stay_out_of_debug_output_and_logs() {
    let captured = Captured::default();
    let writer = captured.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_writer(move || writer.clone())
        .with_ansi(false)
        .finish();
    let _guard = tracing::subscriber::set_default(subscriber);

    let emu = Emulator::start(Config {
        users: 30,
        faults: Faults {
            throttle_rate: 0.3,
            unavailable_rate: 0.2,
            retry_after_secs: 0,
            ..Faults::default()
        },
        ..Config::default()
    })
    .await
    .unwrap();
    emu.register_app("bot", SECRET, &["User.ReadWrite.All"]);
    let tokens = ClientCredentials::new(emu.tenant_id(), "bot", ClientSecret::new(SECRET))
        .authority(emu.authority());
    let client = Client::builder(tokens)
        .base_url(emu.base_url(ApiVersion::V1))
        .retry(RetryPolicy {
            max_attempts: 6,
            base_delay: std::time::Duration::from_millis(1),
            ..RetryPolicy::default()
        })
        .build()
        .unwrap();
    let token = client.token().await.unwrap();
    let ids = emu.with_tenant(|t| t.user_ids());

    // Exercise single requests (with retries), batches and a refused request.
    let _ = client
        .send(Bot.authorize(user::GetUser::new(&ids[0])))
        .await;
    let mut batch = Batch::new();
    for id in &ids[..10] {
        batch.add(Bot.authorize(user::ReprocessLicenseAssignment::users(id)));
    }
    let results = client.send_batch(batch).await;
    let weak = Client::builder(graphspec::client::StaticToken::new(
        emu.app_token(&["User.Read.All"]),
    ))
    .base_url(emu.base_url(ApiVersion::V1))
    .build()
    .unwrap();
    let refused = weak
        .send(Bot.authorize(user::ReprocessLicenseAssignment::users(&ids[0])))
        .await
        .unwrap_err();

    let debug = format!("{client:?} {token:?} {weak:?} {results:?} {refused:?} {emu:?}");
    let logs = String::from_utf8(captured.0.lock().unwrap().clone()).unwrap();
    assert!(
        logs.contains("graph.request"),
        "requests are traced: {logs}"
    );
    assert!(logs.contains("refused before sending"));
    for (what, text) in [("Debug output", &debug), ("logs", &logs)] {
        assert!(
            !text.contains(SECRET),
            "the client secret leaked into {what}"
        );
        assert!(
            !text.contains(token.secret()),
            "the access token leaked into {what}"
        );
        let payload = token.secret().split('.').nth(1).unwrap();
        assert!(
            !text.contains(payload),
            "the token's payload leaked into {what}"
        );
        assert!(
            !text.contains("Bearer "),
            "an Authorization header leaked into {what}"
        );
    }
}
