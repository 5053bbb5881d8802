//! The client's permission check before sending never fails open silently, over real HTTP
//! against the emulator: tokens whose claims cannot be read are refused for application
//! and work or school credentials and sent with a warning for personal-account ones; a
//! token is checked under its own scheme; tokens fetched after a 401 and for `$batch`
//! posts are checked too.

use std::io::Write;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use futures::future::BoxFuture;
use graphspec::client::{
    AccessToken, Batch, Client, ClientCredentials, ClientSecret, RetryPolicy, StaticToken,
    TokenSource,
};
use graphspec::{ApiVersion, Error, Scheme, user};
use graphspec_emulator::{Account, Config, Emulator};

graphspec::credential! {
    /// An application that reads and reprocesses users.
    pub struct UserAdmin {
        scheme: Application,
        grants: ["User.ReadWrite.All"],
        calls: [user::GetUser, user::ReprocessLicenseAssignment],
    }
}

graphspec::credential! {
    /// A work-account app that reads users.
    pub struct WorkReader {
        scheme: DelegatedWork,
        grants: ["User.Read.All"],
        calls: [user::GetUser],
    }
}

graphspec::credential! {
    /// A personal-account app reading its own profile.
    pub struct Profile {
        scheme: DelegatedPersonal,
        grants: ["User.Read"],
        calls: [user::GetUser],
    }
}

async fn emulator() -> (Emulator, String) {
    let emu = Emulator::start(Config {
        users: 3,
        ..Config::default()
    })
    .await
    .expect("emulator starts on 127.0.0.1");
    let id = emu.with_tenant(|t| t.user_ids()[0].clone());
    (emu, id)
}

fn client(emu: &Emulator, tokens: impl TokenSource + 'static) -> Client {
    Client::builder(tokens)
        .base_url(emu.base_url(ApiVersion::V1))
        .retry(RetryPolicy::none())
        .build()
        .unwrap()
}

fn static_client(emu: &Emulator, token: impl Into<String>) -> Client {
    client(emu, StaticToken::new(token))
}

/// A JWT-shaped token whose payload is `claims` as written (unsigned: the client reads
/// claims without verifying them).
fn hand_made_jwt(claims: &str) -> String {
    format!(
        "{}.{}.c2ln",
        URL_SAFE_NO_PAD.encode(br#"{"alg":"RS256","typ":"JWT"}"#),
        URL_SAFE_NO_PAD.encode(claims.as_bytes())
    )
}

#[tokio::test]
async fn opaque_tokens_are_refused_for_application_and_work_credentials() {
    let (emu, id) = emulator().await;
    let opaque = "EwB4A8l6BAAUkj1Yopaque";
    let app = static_client(&emu, opaque);
    let err = app
        .send(UserAdmin.authorize(user::GetUser::new(&id)))
        .await
        .unwrap_err();
    match &err {
        Error::UncheckableToken {
            operation, scheme, ..
        } => {
            assert_eq!(operation, "user::GetUser");
            assert_eq!(*scheme, Scheme::Application);
        }
        other => panic!("expected UncheckableToken, got {other:?}"),
    }
    assert!(err.to_string().contains("not a JWT"), "{err}");
    assert!(
        !err.to_string().contains(opaque),
        "the token is never shown"
    );
    assert_eq!(app.stats().refused, 1);

    let work = static_client(&emu, opaque);
    let err = work
        .send(WorkReader.authorize(user::GetUser::new(&id)))
        .await
        .unwrap_err();
    assert!(
        matches!(
            &err,
            Error::UncheckableToken {
                scheme: Scheme::DelegatedWork,
                ..
            }
        ),
        "{err:?}"
    );
    assert_eq!(emu.stats().requests, 0, "nothing was sent");
}

#[tokio::test]
async fn jwts_whose_claims_do_not_decode_are_refused() {
    let (emu, id) = emulator().await;
    let tid = emu.tenant_id();
    // `roles` must be an array of names.
    let token = hand_made_jwt(&format!(
        r#"{{"roles":"User.ReadWrite.All","tid":"{tid}","exp":4102444800}}"#
    ));
    let err = static_client(&emu, token)
        .send(UserAdmin.authorize(user::ReprocessLicenseAssignment::users(&id)))
        .await
        .unwrap_err();
    assert!(matches!(err, Error::UncheckableToken { .. }), "{err:?}");
    assert!(err.to_string().contains("JSON claims"), "{err}");
    // A payload that is not base64url.
    let err = static_client(&emu, "eyJhbGciOiJSUzI1NiJ9.!!!.c2ln")
        .send(UserAdmin.authorize(user::GetUser::new(&id)))
        .await
        .unwrap_err();
    assert!(matches!(err, Error::UncheckableToken { .. }), "{err:?}");
    assert_eq!(emu.stats().requests, 0, "nothing was sent");
    assert!(emu.reprocess_arrivals().is_empty());
}

#[tokio::test]
async fn a_fractional_exp_is_a_numeric_date_and_the_token_is_checked() {
    // RFC 7519 NumericDate may have a fraction: the claims decode, and the roles are
    // checked (they do not allow the call), instead of the request going out unchecked.
    let (emu, id) = emulator().await;
    let tid = emu.tenant_id();
    let token = hand_made_jwt(&format!(
        r#"{{"roles":["User.Read.All"],"tid":"{tid}","exp":4102444800.25}}"#
    ));
    let weak = static_client(&emu, token);
    let access = weak.token().await.unwrap();
    assert_eq!(access.claims().and_then(|c| c.exp), Some(4_102_444_800));
    let err = weak
        .send(UserAdmin.authorize(user::ReprocessLicenseAssignment::users(&id)))
        .await
        .unwrap_err();
    assert!(matches!(err, Error::PermissionDenied { .. }), "{err:?}");
    assert_eq!(emu.stats().requests, 0, "nothing was sent");
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

#[tokio::test]
async fn opaque_personal_account_tokens_are_sent_with_a_warning() {
    let captured = Captured::default();
    let writer = captured.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::WARN)
        .with_writer(move || writer.clone())
        .with_ansi(false)
        .finish();
    let _guard = tracing::subscriber::set_default(subscriber);

    let (emu, _) = emulator().await;
    let opaque = "EwB4A8l6BAAUpersonal";
    let personal = static_client(&emu, opaque);
    let err = personal
        .send(Profile.authorize(user::GetUser::me()))
        .await
        .unwrap_err();
    // It was sent; the emulator, like Graph for a token it cannot read, answers 401 (and
    // the client sends once more after a 401, with the same static token).
    assert_eq!(err.status(), Some(401), "{err:?}");
    assert_eq!(emu.stats().requests, 2);
    assert_eq!(personal.stats().refused, 0);
    let logs = String::from_utf8(captured.0.lock().unwrap().clone()).unwrap();
    assert!(logs.contains("WARN"), "{logs}");
    assert!(logs.contains("without a permission check"), "{logs}");
    assert!(logs.contains("user::GetUser"), "{logs}");
    assert!(!logs.contains(opaque), "the token is never logged: {logs}");
}

#[tokio::test]
async fn a_token_is_checked_under_its_own_scheme() {
    let (emu, id) = emulator().await;
    // A work-account token for a personal-account credential: `scp` allows the call, but
    // the token is not what the credential was checked for at compile time.
    let work_token = emu.delegated_token(&["User.Read"], Account::Work);
    let err = static_client(&emu, work_token)
        .send(Profile.authorize(user::GetUser::me()))
        .await
        .unwrap_err();
    match &err {
        Error::TokenSchemeMismatch {
            operation,
            credential,
            token,
        } => {
            assert_eq!(operation, "user::GetUser");
            assert_eq!(*credential, Scheme::DelegatedPersonal);
            assert_eq!(*token, Scheme::DelegatedWork);
        }
        other => panic!("expected TokenSchemeMismatch, got {other:?}"),
    }
    // A personal-account token for a work credential.
    let personal_token = emu.delegated_token(&["User.Read.All"], Account::Personal);
    let err = static_client(&emu, personal_token)
        .send(WorkReader.authorize(user::GetUser::new(&id)))
        .await
        .unwrap_err();
    assert!(
        matches!(
            &err,
            Error::TokenSchemeMismatch {
                credential: Scheme::DelegatedWork,
                token: Scheme::DelegatedPersonal,
                ..
            }
        ),
        "{err:?}"
    );
    // A delegated token for an application credential, and an application token for a
    // delegated one.
    let delegated = emu.delegated_token(&["User.ReadWrite.All"], Account::Work);
    let err = static_client(&emu, delegated)
        .send(UserAdmin.authorize(user::GetUser::new(&id)))
        .await
        .unwrap_err();
    assert!(
        matches!(
            &err,
            Error::TokenSchemeMismatch {
                credential: Scheme::Application,
                token: Scheme::DelegatedWork,
                ..
            }
        ),
        "{err:?}"
    );
    let app_token = emu.app_token(&["User.Read.All"]);
    let err = static_client(&emu, app_token)
        .send(WorkReader.authorize(user::GetUser::new(&id)))
        .await
        .unwrap_err();
    assert!(
        matches!(
            &err,
            Error::TokenSchemeMismatch {
                credential: Scheme::DelegatedWork,
                token: Scheme::Application,
                ..
            }
        ),
        "{err:?}"
    );
    assert!(
        err.to_string().contains("application token"),
        "the message names both schemes: {err}"
    );
    assert_eq!(emu.stats().requests, 0, "nothing was sent");
}

/// An emulator whose app `bot` got a token with `User.ReadWrite.All`, then lost that role
/// while its tokens were revoked: the next token it gets only has `User.Read.All`.
async fn demoted_after_revocation() -> (Emulator, String, Client) {
    let (emu, id) = emulator().await;
    emu.register_app("bot", "s3cret", &["User.ReadWrite.All"]);
    let tokens = ClientCredentials::new(emu.tenant_id(), "bot", ClientSecret::new("s3cret"))
        .authority(emu.authority());
    let client = client(&emu, tokens);
    client
        .send(UserAdmin.authorize(user::ReprocessLicenseAssignment::users(&id)))
        .await
        .unwrap();
    emu.revoke_tokens();
    emu.register_app("bot", "s3cret", &["User.Read.All"]);
    (emu, id, client)
}

#[tokio::test]
async fn a_token_fetched_after_a_401_is_checked_before_the_request_goes_again() {
    let (emu, id, client) = demoted_after_revocation().await;
    let err = client
        .send(UserAdmin.authorize(user::ReprocessLicenseAssignment::users(&id)))
        .await
        .unwrap_err();
    assert!(matches!(err, Error::PermissionDenied { .. }), "{err:?}");
    let stats = emu.stats();
    assert_eq!(stats.unauthorized, 1, "the revoked token's request got 401");
    assert_eq!(stats.token_requests, 2, "a new token was fetched");
    assert_eq!(stats.forbidden, 0, "the new token's request was never sent");
    assert_eq!(stats.requests, 2, "the first call and the 401");
    assert_eq!(
        emu.reprocess_arrivals()[&id],
        1,
        "the first call; the 401 stops before the operation"
    );
    assert_eq!(client.stats().refused, 1);
}

#[tokio::test]
async fn a_batch_post_re_authenticated_after_a_401_is_checked_too() {
    let (emu, id, client) = demoted_after_revocation().await;
    let mut batch = Batch::new();
    let reprocess = batch.add(UserAdmin.authorize(user::ReprocessLicenseAssignment::users(&id)));
    let get = batch.add(UserAdmin.authorize(user::GetUser::new(&id)));
    let mut results = client.send_batch(batch).await;
    let err = results.take(reprocess).unwrap_err();
    assert!(matches!(err, Error::PermissionDenied { .. }), "{err:?}");
    // What the new token allows goes again.
    let user = results.take(get).unwrap();
    assert_eq!(user.id.as_deref(), Some(id.as_str()));
    let stats = emu.stats();
    assert_eq!(stats.unauthorized, 1);
    assert_eq!(stats.token_requests, 2);
    assert_eq!(stats.forbidden, 0, "the refused item was never sent");
    assert_eq!(
        stats.batch_items, 1,
        "the 401'd batch ran no item; then the allowed item alone"
    );
    assert_eq!(
        stats.requests,
        1 + 2,
        "the first call, the 401'd batch, the resent one"
    );
    assert_eq!(emu.reprocess_arrivals()[&id], 1, "the first call only");
    assert_eq!(client.stats().refused, 1);
}

/// Hands out `tokens` in turn, the last one for ever after.
#[derive(Debug)]
struct Rotating {
    tokens: Vec<String>,
    next: AtomicUsize,
}

impl TokenSource for Rotating {
    fn token(&self) -> BoxFuture<'_, Result<AccessToken, Error>> {
        let i = self.next.fetch_add(1, Ordering::SeqCst);
        let token = self.tokens[i.min(self.tokens.len() - 1)].clone();
        Box::pin(async move { Ok(AccessToken::new(token, None)) })
    }
}

#[tokio::test]
async fn a_batch_post_is_checked_against_the_token_it_goes_out_with() {
    // The items are checked against the first token, and the post would go out with the
    // next one, which does not allow them.
    let (emu, id) = emulator().await;
    let rotating = Rotating {
        tokens: vec![
            emu.app_token(&["User.ReadWrite.All"]),
            emu.app_token(&["User.Read.All"]),
        ],
        next: AtomicUsize::new(0),
    };
    let client = client(&emu, rotating);
    let mut batch = Batch::new();
    let reprocess = batch.add(UserAdmin.authorize(user::ReprocessLicenseAssignment::users(&id)));
    let get = batch.add(UserAdmin.authorize(user::GetUser::new(&id)));
    let mut results = client.send_batch(batch).await;
    let err = results.take(reprocess).unwrap_err();
    assert!(matches!(err, Error::PermissionDenied { .. }), "{err:?}");
    results.take(get).unwrap();
    assert_eq!(emu.stats().forbidden, 0, "the refused item was never sent");
    assert!(emu.reprocess_arrivals().is_empty());
}
