//! The emulator authenticates like Entra ID and Graph, over real HTTP: it signs its tokens
//! with a key of its own, publishes that key (JWKS and OpenID configuration), and answers
//! 401 `InvalidAuthenticationToken`, with Graph's error body, to forged tokens.

mod common;

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use graphspec::claims::{PERSONAL_ACCOUNT_TENANT, TokenClaims};
use graphspec::client::{Batch, Client, RawBody};
use graphspec::{ApiVersion, user};
use graphspec_emulator::Emulator;
use serde_json::Value;

graphspec::credential! {
    /// Reprocesses license assignments.
    pub struct Bot {
        scheme: Application,
        grants: ["User.ReadWrite.All"],
        calls: [user::ReprocessLicenseAssignment],
    }
}

async fn emulator() -> Emulator {
    common::start(3).await
}

/// A client that sends whatever token it is given (no check before sending).
fn raw_client(emu: &Emulator, token: String) -> Client {
    common::unchecked_client(emu, token)
}

async fn get_json(emu: &Emulator, url: &str) -> (u16, Value) {
    let client = raw_client(emu, String::new());
    let answer = client
        .send_raw(
            http::Request::get(url)
                .body(RawBody::bytes(Vec::new()))
                .unwrap(),
        )
        .await
        .unwrap();
    (
        answer.status().as_u16(),
        serde_json::from_slice(answer.body()).unwrap(),
    )
}

/// POSTs `reprocessLicenseAssignment` for the first user with `token`: the status and
/// body of the answer.
async fn reprocess_with(emu: &Emulator, token: String) -> (u16, Value) {
    let id = emu.with_tenant(|t| t.user_ids()[0].clone());
    let url = format!(
        "{}/users/{id}/reprocessLicenseAssignment",
        emu.base_url(ApiVersion::V1)
    );
    let answer = raw_client(emu, token)
        .send_raw(
            http::Request::post(url)
                .body(RawBody::bytes(Vec::new()))
                .unwrap(),
        )
        .await
        .unwrap();
    let body = serde_json::from_slice(answer.body()).unwrap_or(Value::Null);
    (answer.status().as_u16(), body)
}

fn now() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs()
}

/// The claims of a valid application token of `emu` with `User.ReadWrite.All`.
fn valid_claims(emu: &Emulator) -> TokenClaims {
    TokenClaims::decode(&emu.app_token(&["User.ReadWrite.All"])).unwrap()
}

/// Asserts Graph's 401 body: `{"error":{"code":"InvalidAuthenticationToken","message",
/// "innerError":{"date","request-id","client-request-id"}}}`.
fn assert_graph_401(case: &str, status: u16, body: &Value) -> String {
    assert_eq!(status, 401, "{case}: {body}");
    let error = &body["error"];
    assert_eq!(
        error["code"], "InvalidAuthenticationToken",
        "{case}: {body}"
    );
    let inner = &error["innerError"];
    for field in ["date", "request-id", "client-request-id"] {
        assert!(
            inner[field].is_string(),
            "{case}: innerError.{field}: {body}"
        );
    }
    error["message"].as_str().unwrap().to_owned()
}

#[tokio::test]
async fn the_signing_key_is_published_as_entra_id_publishes_its_keys() {
    let emu = emulator().await;
    let tenant = emu.tenant_id();
    let (status, config) = get_json(&emu, &emu.openid_configuration_url()).await;
    assert_eq!(status, 200, "{config}");
    assert_eq!(config["issuer"], emu.issuer());
    assert_eq!(emu.issuer(), format!("{}/{tenant}/v2.0", emu.root()));
    assert_eq!(config["jwks_uri"], emu.jwks_uri());
    assert_eq!(
        config["token_endpoint"],
        format!("{}/{tenant}/oauth2/v2.0/token", emu.authority())
    );
    let (_, same) = get_json(
        &emu,
        &format!("{}/.well-known/openid-configuration", emu.root()),
    )
    .await;
    assert_eq!(same, config);
    let (status, _) = get_json(
        &emu,
        &format!(
            "{}/nobody/v2.0/.well-known/openid-configuration",
            emu.root()
        ),
    )
    .await;
    assert_eq!(status, 400, "an unknown tenant");

    let (status, jwks) = get_json(&emu, &emu.jwks_uri()).await;
    assert_eq!(status, 200, "{jwks}");
    let keys = jwks["keys"].as_array().unwrap();
    assert_eq!(keys.len(), 1);
    assert_eq!(keys[0]["kty"], "EC");
    assert_eq!(keys[0]["use"], "sig");
    assert!(keys[0].get("d").is_none(), "no private part");

    // A relying party verifies the emulator's tokens with the published key alone.
    let token = emu.app_token(&["User.Read.All"]);
    let header = jsonwebtoken::decode_header(&token).unwrap();
    assert_eq!(header.alg, jsonwebtoken::Algorithm::ES256);
    assert_eq!(header.kid.as_deref(), keys[0]["kid"].as_str());
    let set: jsonwebtoken::jwk::JwkSet = serde_json::from_value(jwks.clone()).unwrap();
    let key =
        jsonwebtoken::DecodingKey::from_jwk(set.find(header.kid.as_deref().unwrap()).unwrap())
            .unwrap();
    let mut validation = jsonwebtoken::Validation::new(jsonwebtoken::Algorithm::ES256);
    validation.set_issuer(&[emu.issuer()]);
    validation.set_audience(&["https://graph.microsoft.com"]);
    let data = jsonwebtoken::decode::<TokenClaims>(&token, &key, &validation).unwrap();
    assert_eq!(data.claims.roles.unwrap(), ["User.Read.All"]);

    // Another emulator has another key.
    let other = emulator().await;
    let (_, other_jwks) = get_json(&other, &other.jwks_uri()).await;
    assert_ne!(other_jwks["keys"][0]["kid"], keys[0]["kid"]);
}

#[tokio::test]
async fn forged_tokens_get_graphs_401() {
    let emu = emulator().await;
    let other = emulator().await;
    let tenant = emu.tenant_id();
    let valid = valid_claims(&emu);
    let valid_token = emu.sign(&valid);
    let [header, payload, _] =
        <[&str; 3]>::try_from(valid_token.split('.').collect::<Vec<_>>()).unwrap();

    let with = |change: &dyn Fn(&mut TokenClaims)| {
        let mut claims = valid.clone();
        change(&mut claims);
        claims
    };
    let encode = |json: &Value| URL_SAFE_NO_PAD.encode(serde_json::to_vec(json).unwrap());
    let mut more_roles = serde_json::to_value(&valid).unwrap();
    more_roles["roles"] = serde_json::json!(["Directory.ReadWrite.All", "User.ReadWrite.All"]);

    let cases: Vec<(&str, String, &str)> = vec![
        (
            "unsigned (alg none), the emulator's own claims",
            format!(
                "{}.{payload}.",
                encode(&serde_json::json!({"alg": "none", "typ": "JWT"}))
            ),
            "not signed",
        ),
        (
            "unsigned and hand-made: any roles, any tenant, no exp",
            format!(
                "{}.{}.unsigned",
                encode(&serde_json::json!({"alg": "none", "typ": "JWT"})),
                encode(&serde_json::json!({
                    "roles": ["Directory.ReadWrite.All"], "tid": "any-tenant"
                }))
            ),
            "not signed",
        ),
        (
            "claims changed under a good signature",
            format!("{header}.{}.{}", encode(&more_roles), {
                valid_token.rsplit('.').next().unwrap()
            }),
            "signature",
        ),
        (
            "re-signed with another emulator's key",
            other.sign(&valid),
            "signature",
        ),
        (
            "expired",
            emu.expired_token(&["User.ReadWrite.All"]),
            "expired",
        ),
        (
            "not yet valid (nbf in an hour)",
            emu.sign(&with(&|c| {
                c.additional.insert("nbf".into(), (now() + 3600).into());
            })),
            "not yet valid",
        ),
        (
            "without exp",
            emu.sign(&with(&|c| c.exp = None)),
            "required claim",
        ),
        (
            "another issuer (Entra ID's, for the same tenant)",
            emu.sign(&with(&|c| {
                c.additional.insert(
                    "iss".into(),
                    format!("https://login.microsoftonline.com/{tenant}/v2.0").into(),
                );
            })),
            "issuer",
        ),
        (
            "another tenant, with that tenant's issuer",
            emu.sign(&with(&|c| {
                c.tid = Some("72f988bf-86f1-41af-91ab-2d7cd011db47".into());
                c.additional.insert(
                    "iss".into(),
                    format!("{}/72f988bf-86f1-41af-91ab-2d7cd011db47/v2.0", emu.root()).into(),
                );
            })),
            "issuer",
        ),
        (
            "a tenant that is not its issuer's",
            emu.sign(&with(&|c| c.tid = Some(PERSONAL_ACCOUNT_TENANT.into()))),
            "tenant",
        ),
        (
            "another audience",
            emu.sign(&with(&|c| {
                c.additional
                    .insert("aud".into(), "api://another-service".into());
            })),
            "audience",
        ),
        ("not a JWT", "not-a-jwt".into(), "not well formed"),
    ];
    for (case, token, says) in cases {
        let (status, body) = reprocess_with(&emu, token).await;
        let message = assert_graph_401(case, status, &body);
        assert!(message.contains(says), "{case}: {message}");
    }
    assert!(
        emu.reprocess_arrivals().is_empty(),
        "no refused request ran"
    );
    assert_eq!(emu.with_tenant(|t| t.reprocessed().len()), 0);
    assert_eq!(emu.stats().forbidden, 0);

    // The same claims, signed by this emulator, get in.
    let (status, body) = reprocess_with(&emu, valid_token).await;
    assert_eq!(status, 200, "{body}");
}

#[tokio::test]
async fn a_forged_token_is_refused_for_batch_posts_too() {
    let emu = emulator().await;
    let other = emulator().await;
    let id = emu.with_tenant(|t| t.user_ids()[0].clone());
    let forged = other.sign(&valid_claims(&emu));
    let mut batch = Batch::new();
    let handle = batch.add(Bot.authorize(user::ReprocessLicenseAssignment::users(&id)));
    let mut results = raw_client(&emu, forged).send_batch(batch).await;
    let err = results.take(handle).unwrap_err();
    assert_eq!(err.status(), Some(401), "{err:?}");
    assert_eq!(err.graph_code(), Some("InvalidAuthenticationToken"));
    assert_eq!(emu.stats().batch_items, 0, "no item ran");
    assert!(emu.reprocess_arrivals().is_empty());
}
