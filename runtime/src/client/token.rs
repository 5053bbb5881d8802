//! Access tokens and where they come from.

use std::fmt;
use std::sync::Arc;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use futures::future::BoxFuture;

use crate::claims::{ClaimsError, TokenClaims};
use crate::{Cloud, Error};

/// An access token. Its `Debug` output never shows the token.
#[derive(Clone)]
pub struct AccessToken {
    secret: Arc<str>,
    expires_at: Option<SystemTime>,
    claims: Result<TokenClaims, ClaimsError>,
}

impl AccessToken {
    /// Wraps a bearer token. Its claims are read when it is JWT-shaped; its expiry comes
    /// from `expires_at`, else from the `exp` claim. An `exp` later than
    /// [`MAX_EXPIRY_SECS`] saturates to it (it never overflows).
    pub fn new(token: impl Into<String>, expires_at: Option<SystemTime>) -> AccessToken {
        let token: String = token.into();
        let claims = TokenClaims::decode(&token);
        let expires_at =
            expires_at.or_else(|| claims.as_ref().ok().and_then(|c| c.exp).map(expiry_at_unix));
        AccessToken {
            secret: token.into(),
            expires_at,
            claims,
        }
    }

    /// The token, for the `Authorization: Bearer` header. Handle with care.
    pub fn secret(&self) -> &str {
        &self.secret
    }

    /// When the token expires, if known.
    pub fn expires_at(&self) -> Option<SystemTime> {
        self.expires_at
    }

    /// The token's claims, when it is a JWT whose claims can be read (tokens for personal
    /// Microsoft accounts are opaque; see [`check_token`](super::check_token) for what the
    /// client does with tokens it cannot read).
    pub fn claims(&self) -> Option<&TokenClaims> {
        self.claims.as_ref().ok()
    }

    /// Why the token's claims cannot be read, when they cannot.
    pub fn claims_error(&self) -> Option<&ClaimsError> {
        self.claims.as_ref().err()
    }

    /// Whether `other` is the same token.
    pub(crate) fn is_same(&self, other: &AccessToken) -> bool {
        Arc::ptr_eq(&self.secret, &other.secret) || self.secret == other.secret
    }

    /// Whether the token expires within `margin` of now. A token without a known expiry
    /// never does; a margin too long to add to the clock covers every known expiry.
    pub fn expires_within(&self, margin: Duration) -> bool {
        match self.expires_at {
            Some(at) => SystemTime::now()
                .checked_add(margin)
                .is_none_or(|limit| at <= limit),
            None => false,
        }
    }
}

impl fmt::Debug for AccessToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AccessToken")
            .field("secret", &"<redacted>")
            .field("expires_at", &self.expires_at)
            .field("claims", &self.claims)
            .finish()
    }
}

/// The latest expiry a token can have, in seconds since the Unix epoch
/// (9999-12-31T23:59:59Z). Lifetimes that would end later — an `exp` claim or a token
/// endpoint's `expires_in` of up to `u64::MAX` — saturate to it instead of overflowing the
/// clock: such a token is treated as valid until then (and is still dropped after a 401).
pub const MAX_EXPIRY_SECS: u64 = 253_402_300_799;

/// [`MAX_EXPIRY_SECS`] as a time.
fn latest_expiry() -> SystemTime {
    UNIX_EPOCH + Duration::from_secs(MAX_EXPIRY_SECS)
}

/// The time `exp` (seconds since the Unix epoch) names, saturated at [`MAX_EXPIRY_SECS`].
fn expiry_at_unix(exp: u64) -> SystemTime {
    UNIX_EPOCH + Duration::from_secs(exp.min(MAX_EXPIRY_SECS))
}

/// When a token that lives `secs` seconds from `now` expires, saturated at
/// [`MAX_EXPIRY_SECS`].
fn expiry_after(now: SystemTime, secs: u64) -> SystemTime {
    now.checked_add(Duration::from_secs(secs))
        .map_or_else(latest_expiry, |at| at.min(latest_expiry()))
}

/// Where a client gets access tokens from.
pub trait TokenSource: Send + Sync + fmt::Debug {
    /// A token valid for at least a little while (sources that cache refresh before
    /// expiry).
    fn token(&self) -> BoxFuture<'_, Result<AccessToken, Error>>;

    /// Forgets a cached token (the service answered 401 with it). The default does nothing.
    fn invalidate(&self) {}
}

/// A fixed bearer token (from a developer tool, a managed identity sidecar, a test).
#[derive(Debug, Clone)]
pub struct StaticToken {
    token: AccessToken,
}

impl StaticToken {
    /// A source that always hands out `token`.
    pub fn new(token: impl Into<String>) -> StaticToken {
        StaticToken {
            token: AccessToken::new(token, None),
        }
    }
}

impl TokenSource for StaticToken {
    fn token(&self) -> BoxFuture<'_, Result<AccessToken, Error>> {
        Box::pin(async move { Ok(self.token.clone()) })
    }
}

/// A client secret. Its `Debug` output never shows it.
#[derive(Clone)]
pub struct ClientSecret(Arc<str>);

impl ClientSecret {
    /// Wraps a secret.
    pub fn new(secret: impl Into<String>) -> ClientSecret {
        ClientSecret(secret.into().into())
    }

    /// The secret. Handle with care.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for ClientSecret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("ClientSecret(<redacted>)")
    }
}

/// The OAuth 2.0 client-credentials flow with a client secret, against a Microsoft
/// identity platform authority (or the emulator): tokens are cached and refreshed
/// `refresh_margin` before they expire.
pub struct ClientCredentials {
    authority: String,
    tenant: String,
    client_id: String,
    secret: ClientSecret,
    scope: String,
    refresh_margin: Duration,
    http: reqwest::Client,
    cache: tokio::sync::Mutex<Option<AccessToken>>,
}

impl fmt::Debug for ClientCredentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientCredentials")
            .field("authority", &self.authority)
            .field("tenant", &self.tenant)
            .field("client_id", &self.client_id)
            .field("secret", &self.secret)
            .field("scope", &self.scope)
            .field("refresh_margin", &self.refresh_margin)
            .finish_non_exhaustive()
    }
}

/// The token endpoint's success answer.
#[derive(serde::Deserialize)]
struct TokenResponse {
    access_token: String,
    #[serde(default)]
    expires_in: Option<u64>,
}

impl ClientCredentials {
    /// Client credentials for `tenant` (id or domain) and application `client_id`, against
    /// the global cloud's authority, asking for Graph's `.default` scope.
    pub fn new(
        tenant: impl Into<String>,
        client_id: impl Into<String>,
        secret: ClientSecret,
    ) -> ClientCredentials {
        ClientCredentials {
            authority: Cloud::Global.authority().to_owned(),
            tenant: tenant.into(),
            client_id: client_id.into(),
            secret,
            scope: format!("{}/.default", Cloud::Global.root()),
            refresh_margin: Duration::from_secs(300),
            http: reqwest::Client::new(),
            cache: tokio::sync::Mutex::new(None),
        }
    }

    /// Uses `cloud`'s authority and Graph root (for the `.default` scope).
    pub fn cloud(mut self, cloud: Cloud) -> ClientCredentials {
        self.authority = cloud.authority().to_owned();
        self.scope = format!("{}/.default", cloud.root());
        self
    }

    /// Uses a custom authority, such as the emulator's `http://127.0.0.1:PORT`.
    pub fn authority(mut self, authority: impl Into<String>) -> ClientCredentials {
        let mut authority = authority.into();
        while authority.ends_with('/') {
            authority.pop();
        }
        self.authority = authority;
        self
    }

    /// The scope to ask for (default: `https://graph.microsoft.com/.default`).
    pub fn scope(mut self, scope: impl Into<String>) -> ClientCredentials {
        self.scope = scope.into();
        self
    }

    /// How long before expiry a cached token is replaced (default 5 minutes).
    pub fn refresh_margin(mut self, margin: Duration) -> ClientCredentials {
        self.refresh_margin = margin;
        self
    }

    /// The token endpoint, `{authority}/{tenant}/oauth2/v2.0/token`.
    pub fn token_endpoint(&self) -> String {
        format!("{}/{}/oauth2/v2.0/token", self.authority, self.tenant)
    }

    async fn fetch(&self) -> Result<AccessToken, Error> {
        let enc = |s: &str| {
            percent_encoding::utf8_percent_encode(s, percent_encoding::NON_ALPHANUMERIC).to_string()
        };
        let form = format!(
            "grant_type=client_credentials&client_id={}&client_secret={}&scope={}",
            enc(&self.client_id),
            enc(self.secret.expose()),
            enc(&self.scope)
        );
        let span = tracing::debug_span!("graph.token", endpoint = %self.token_endpoint());
        let _guard = span.enter();
        let response = self
            .http
            .post(self.token_endpoint())
            .header(
                http::header::CONTENT_TYPE,
                "application/x-www-form-urlencoded",
            )
            .body(form)
            .send()
            .await
            .map_err(|e| Error::Token {
                message: super::transport_message(&e),
            })?;
        let status = response.status();
        let body = response.bytes().await.map_err(|e| Error::Token {
            message: super::transport_message(&e),
        })?;
        if !status.is_success() {
            let detail = serde_json::from_slice::<serde_json::Value>(&body)
                .ok()
                .and_then(|v| {
                    v.get("error_description")
                        .or_else(|| v.get("error"))
                        .and_then(|d| d.as_str().map(str::to_owned))
                })
                .unwrap_or_default();
            return Err(Error::Token {
                message: format!("the token endpoint answered {status}: {detail}"),
            });
        }
        let parsed: TokenResponse = serde_json::from_slice(&body).map_err(|e| Error::Token {
            message: format!("the token endpoint's answer is not a token response: {e}"),
        })?;
        let expires_at = parsed
            .expires_in
            .map(|secs| expiry_after(SystemTime::now(), secs));
        tracing::debug!(expires_in = parsed.expires_in, "obtained an access token");
        Ok(AccessToken::new(parsed.access_token, expires_at))
    }
}

impl TokenSource for ClientCredentials {
    fn token(&self) -> BoxFuture<'_, Result<AccessToken, Error>> {
        Box::pin(async move {
            let mut cache = self.cache.lock().await;
            if let Some(token) = cache.as_ref()
                && !token.expires_within(self.refresh_margin)
            {
                return Ok(token.clone());
            }
            let token = self.fetch().await?;
            *cache = Some(token.clone());
            Ok(token)
        })
    }

    fn invalidate(&self) {
        if let Ok(mut cache) = self.cache.try_lock() {
            *cache = None;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_output_hides_tokens_and_secrets() {
        let token = AccessToken::new("eyJhbGciOi.secret-payload.sig", None);
        assert!(!format!("{token:?}").contains("secret-payload"));
        let source = StaticToken::new("top-secret-token");
        assert!(!format!("{source:?}").contains("top-secret-token"));
        let cc = ClientCredentials::new("t", "c", ClientSecret::new("hunter2"));
        let debug = format!("{cc:?}");
        assert!(!debug.contains("hunter2"), "{debug}");
        assert!(debug.contains("login.microsoftonline.com"));
    }

    #[test]
    fn expiry_comes_from_the_exp_claim() {
        let claims = TokenClaims {
            roles: Some(vec!["User.Read.All".into()]),
            exp: Some(1),
            ..TokenClaims::default()
        };
        let token = AccessToken::new(crate::claims::test_token(&claims), None);
        assert!(token.expires_within(Duration::ZERO));
        assert_eq!(
            token.claims().unwrap().roles.as_deref().unwrap(),
            ["User.Read.All"]
        );
        assert!(!AccessToken::new("opaque", None).expires_within(Duration::from_secs(1 << 30)));
    }

    #[test]
    fn huge_lifetimes_saturate_instead_of_overflowing() {
        for exp in [u64::MAX, u64::MAX / 2, i64::MAX as u64, MAX_EXPIRY_SECS + 1] {
            let claims = TokenClaims {
                roles: Some(vec![]),
                exp: Some(exp),
                ..TokenClaims::default()
            };
            let token = AccessToken::new(crate::claims::test_token(&claims), None);
            assert_eq!(token.expires_at(), Some(latest_expiry()), "exp {exp}");
            assert!(!token.expires_within(Duration::from_secs(1 << 30)));
            // A margin too long to add to now covers every expiry.
            assert!(token.expires_within(Duration::MAX));
        }
        let now = SystemTime::now();
        for secs in [u64::MAX, u64::MAX / 2, i64::MAX as u64] {
            assert_eq!(
                expiry_after(now, secs),
                latest_expiry(),
                "expires_in {secs}"
            );
        }
        assert_eq!(
            expiry_after(now, 3600),
            now + Duration::from_secs(3600),
            "ordinary lifetimes are exact"
        );
        assert!(!AccessToken::new("opaque", None).expires_within(Duration::MAX));
    }

    #[test]
    fn clouds_and_authorities() {
        let cc = ClientCredentials::new("contoso", "c", ClientSecret::new("s")).cloud(Cloud::China);
        assert_eq!(
            cc.token_endpoint(),
            "https://login.chinacloudapi.cn/contoso/oauth2/v2.0/token"
        );
        assert_eq!(cc.scope, "https://microsoftgraph.chinacloudapi.cn/.default");
        let cc = cc.authority("http://127.0.0.1:1/");
        assert_eq!(
            cc.token_endpoint(),
            "http://127.0.0.1:1/contoso/oauth2/v2.0/token"
        );
    }
}
