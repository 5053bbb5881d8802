//! The emulator's tokens: JWTs signed with a per-instance ES256 key (`jsonwebtoken` over
//! pure-Rust P-256), published as a JWKS the way Entra ID publishes its keys, and checked
//! on every request as Graph checks tokens: signature, algorithm, lifetime (`exp`, `nbf`),
//! issuer and tenant, audience.

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use graphspec::claims::{PERSONAL_ACCOUNT_TENANT, TokenClaims};
use jsonwebtoken::errors::ErrorKind;
use jsonwebtoken::jwk::{Jwk, JwkSet, KeyAlgorithm, PublicKeyUse};
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation};
use p256::elliptic_curve::Generate as _;
use p256::pkcs8::EncodePrivateKey as _;

/// The one algorithm the emulator signs with and accepts.
pub(crate) const ALGORITHM: Algorithm = Algorithm::ES256;

/// [`ALGORITHM`]'s JOSE name.
pub(crate) const ALGORITHM_NAME: &str = "ES256";

/// Microsoft Graph's application id, one of the audiences Graph accepts.
pub(crate) const GRAPH_APP_ID: &str = "00000003-0000-0000-c000-000000000000";

/// The audience of the tokens the emulator issues.
pub(crate) const AUDIENCE: &str = "https://graph.microsoft.com";

/// The audiences the emulator accepts: Graph's application id and Graph's root in every
/// national cloud (the emulator stands in for any of them).
pub(crate) fn audiences() -> Vec<String> {
    let mut audiences = vec![GRAPH_APP_ID.to_owned()];
    for cloud in [
        graphspec::Cloud::Global,
        graphspec::Cloud::UsGovL4,
        graphspec::Cloud::UsGovL5,
        graphspec::Cloud::China,
    ] {
        audiences.push(cloud.root().to_owned());
    }
    audiences
}

/// The issuer of `tenant`'s tokens at an emulator served at `root`, as Entra ID's v2.0
/// endpoint names it (`{authority}/{tenant id}/v2.0`).
pub(crate) fn issuer(root: &str, tenant: &str) -> String {
    format!("{root}/{tenant}/v2.0")
}

/// Why a token was refused: the message of the 401.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Rejection(pub(crate) &'static str);

/// A per-instance signing key and its public half.
pub(crate) struct Signer {
    encoding: EncodingKey,
    decoding: DecodingKey,
    jwk: Jwk,
}

impl Signer {
    /// A fresh P-256 key from the system's random source, with key id `kid`.
    pub(crate) fn generate() -> std::io::Result<Signer> {
        let secret = p256::SecretKey::try_generate()
            .map_err(|e| std::io::Error::other(format!("cannot generate a signing key: {e}")))?;
        let der = secret
            .to_pkcs8_der()
            .map_err(|e| std::io::Error::other(format!("cannot encode the signing key: {e}")))?;
        let encoding = EncodingKey::from_ec_der(der.as_bytes());
        let mut jwk = Jwk::from_encoding_key(&encoding, ALGORITHM)
            .map_err(|e| std::io::Error::other(format!("cannot publish the signing key: {e}")))?;
        let decoding = DecodingKey::from_jwk(&jwk)
            .map_err(|e| std::io::Error::other(format!("cannot read the signing key: {e}")))?;
        // The key id: the RFC 7638 thumbprint, as stable as the key.
        let kid = jwk
            .thumbprint(jsonwebtoken::jwk::ThumbprintHash::SHA256)
            .map_err(|e| std::io::Error::other(format!("cannot name the signing key: {e}")))?;
        jwk.common.key_id = Some(kid);
        jwk.common.public_key_use = Some(PublicKeyUse::Signature);
        jwk.common.key_algorithm = Some(KeyAlgorithm::ES256);
        Ok(Signer {
            encoding,
            decoding,
            jwk,
        })
    }

    /// The key id (`kid`) of the tokens this key signs.
    pub(crate) fn key_id(&self) -> &str {
        self.jwk.common.key_id.as_deref().unwrap_or_default()
    }

    /// The published keys, `{"keys": [...]}` (a JWKS).
    pub(crate) fn jwks(&self) -> JwkSet {
        JwkSet {
            keys: vec![self.jwk.clone()],
        }
    }

    /// `claims`, exactly as given, signed.
    pub(crate) fn sign(&self, claims: &TokenClaims) -> String {
        let mut header = Header::new(ALGORITHM);
        header.kid = Some(self.key_id().to_owned());
        // Serializing `TokenClaims` and signing with a key of our own making cannot fail.
        jsonwebtoken::encode(&header, claims, &self.encoding).unwrap_or_default()
    }

    /// The claims of `token` when it was signed with this key and is valid now for an
    /// emulator at `root` serving tenant `tenant`: algorithm ES256, a good signature,
    /// `exp` in the future and `nbf` (if any) in the past, `iss` of the token's own
    /// tenant, which is `tenant` or the personal-account tenant, and a Graph audience.
    pub(crate) fn verify(
        &self,
        token: &str,
        root: &str,
        tenant: &str,
    ) -> Result<TokenClaims, Rejection> {
        if header_alg(token).as_deref() == Some("none") {
            return Err(Rejection(
                "Access token validation failure: the token is not signed.",
            ));
        }
        let mut validation = Validation::new(ALGORITHM);
        // The emulator and its clients share a clock.
        validation.leeway = 0;
        validation.validate_nbf = true;
        validation.set_required_spec_claims(&["exp", "iss", "aud"]);
        validation.set_issuer(&[issuer(root, tenant), issuer(root, PERSONAL_ACCOUNT_TENANT)]);
        validation.set_audience(&audiences());
        let data = jsonwebtoken::decode::<TokenClaims>(token, &self.decoding, &validation)
            .map_err(|e| rejection(e.kind()))?;
        let claims = data.claims;
        let stated_issuer = claims
            .additional
            .get("iss")
            .and_then(serde_json::Value::as_str)
            .unwrap_or_default();
        let tid = claims.tid.as_deref().unwrap_or_default();
        if stated_issuer != issuer(root, tid) {
            return Err(Rejection(
                "Access token validation failure: the token's tenant is not its issuer's.",
            ));
        }
        Ok(claims)
    }
}

/// The `alg` of a JWT-shaped token's header, when it can be read.
fn header_alg(token: &str) -> Option<String> {
    let header = token.split('.').next()?;
    let bytes = URL_SAFE_NO_PAD.decode(header.trim_end_matches('=')).ok()?;
    let value: serde_json::Value = serde_json::from_slice(&bytes).ok()?;
    value.get("alg")?.as_str().map(str::to_owned)
}

/// The 401 message for a token `jsonwebtoken` refused.
fn rejection(kind: &ErrorKind) -> Rejection {
    Rejection(match kind {
        ErrorKind::ExpiredSignature => "Lifetime validation failed, the token is expired.",
        ErrorKind::ImmatureSignature => "Lifetime validation failed, the token is not yet valid.",
        ErrorKind::InvalidSignature => {
            "Access token validation failure: the signature is not this service's."
        }
        ErrorKind::InvalidAlgorithm | ErrorKind::InvalidAlgorithmName => {
            "Access token validation failure: the token is not signed with ES256."
        }
        ErrorKind::InvalidIssuer => "Access token validation failure. Invalid issuer.",
        ErrorKind::InvalidAudience => "Access token validation failure. Invalid audience.",
        ErrorKind::MissingRequiredClaim(_) => {
            "Access token validation failure: a required claim (exp, iss, aud) is missing."
        }
        _ => "IDX14100: JWT is not well formed.",
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use graphspec::Scheme;

    const ROOT: &str = "http://127.0.0.1:1";

    fn valid(tid: &str) -> TokenClaims {
        let mut claims = TokenClaims {
            roles: Some(vec!["User.ReadWrite.All".into()]),
            exp: Some(crate::now_secs() + 600),
            tid: Some(tid.into()),
            ..TokenClaims::default()
        };
        claims
            .additional
            .insert("iss".into(), issuer(ROOT, tid).into());
        claims.additional.insert("aud".into(), AUDIENCE.into());
        claims
    }

    #[test]
    fn tokens_round_trip_and_the_runtime_reads_them() {
        let signer = Signer::generate().unwrap();
        let claims = valid("t");
        let token = signer.sign(&claims);
        assert_eq!(token.split('.').count(), 3);
        let back = signer.verify(&token, ROOT, "t").unwrap();
        assert_eq!(back, claims);
        // The client reads the same claims without the key.
        let read = TokenClaims::decode(&token).unwrap();
        assert_eq!(read, claims);
        assert_eq!(read.scheme(), Scheme::Application);
        assert_eq!(header_alg(&token).as_deref(), Some("ES256"));
        let jwks = serde_json::to_value(signer.jwks()).unwrap();
        assert_eq!(jwks["keys"][0]["kty"], "EC");
        assert_eq!(jwks["keys"][0]["crv"], "P-256");
        assert_eq!(jwks["keys"][0]["kid"], signer.key_id());
        assert!(
            jwks["keys"][0].get("d").is_none(),
            "no private part: {jwks}"
        );
    }

    #[test]
    fn what_is_refused() {
        let signer = Signer::generate().unwrap();
        let other = Signer::generate().unwrap();
        assert_ne!(signer.key_id(), other.key_id(), "a key per instance");
        let refused = |token: &str| signer.verify(token, ROOT, "t").unwrap_err().0;
        assert!(refused(&other.sign(&valid("t"))).contains("signature"));
        let mut expired = valid("t");
        expired.exp = Some(crate::now_secs() - 1);
        assert!(refused(&signer.sign(&expired)).contains("expired"));
        let mut early = valid("t");
        early
            .additional
            .insert("nbf".into(), (crate::now_secs() + 600).into());
        assert!(refused(&signer.sign(&early)).contains("not yet valid"));
        let mut audience = valid("t");
        audience
            .additional
            .insert("aud".into(), "api://elsewhere".into());
        assert!(refused(&signer.sign(&audience)).contains("audience"));
        assert!(refused(&signer.sign(&valid("other-tenant"))).contains("issuer"));
        let mut mixed = valid("t");
        mixed.tid = Some(PERSONAL_ACCOUNT_TENANT.into());
        assert!(refused(&signer.sign(&mixed)).contains("tenant"));
        let mut endless = valid("t");
        endless.exp = None;
        assert!(refused(&signer.sign(&endless)).contains("required claim"));
        assert!(refused("not-a-jwt").contains("not well formed"));
        let token = signer.sign(&valid("t"));
        let unsigned = format!(
            "{}.{}.",
            URL_SAFE_NO_PAD.encode(br#"{"alg":"none","typ":"JWT"}"#),
            token.split('.').nth(1).unwrap()
        );
        assert!(refused(&unsigned).contains("not signed"));
    }
}
