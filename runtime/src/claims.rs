//! Access-token claims: what a token grants (`scp` or `roles`), for whom and until when.
//!
//! Microsoft identity platform access tokens for Graph are JWTs, `header.payload.signature`
//! with base64url-encoded JSON. The client reads the claims of the token it was given to
//! refuse, before sending, a request the token cannot make, without verifying the
//! signature: it trusts the token source it was configured with, and Graph verifies
//! signatures itself (as the emulator does for the tokens it signs).

use base64::Engine as _;
use base64::engine::DecodePaddingMode;
use base64::engine::general_purpose::{GeneralPurpose, GeneralPurposeConfig};
use serde::{Deserialize, Serialize};

use crate::json_object::{self, json, take};

use crate::Scheme;

/// The Microsoft account (personal account) tenant id: delegated tokens with this `tid`
/// were issued to a personal Microsoft account.
pub const PERSONAL_ACCOUNT_TENANT: &str = "9188040d-6c67-4c5b-b112-36a304b66dad";

/// The claims of an access token that matter for permissions.
#[derive(Clone, Default, PartialEq)]
pub struct TokenClaims {
    /// Application permissions (`roles`), for app-only tokens.
    pub roles: Option<Vec<String>>,
    /// Delegated permissions (`scp`), space-separated, for tokens with a signed-in user.
    pub scp: Option<String>,
    /// Expiry, seconds since the Unix epoch. Read as RFC 7519's NumericDate: a fraction
    /// is dropped, a date before the epoch reads as 0 and one past `u64::MAX` as
    /// `u64::MAX`.
    pub exp: Option<u64>,
    /// Tenant id.
    pub tid: Option<String>,
    /// The application (client) id.
    pub appid: Option<String>,
    /// The signed-in user's object id, for delegated tokens.
    pub oid: Option<String>,
    /// Other claims, as received.
    pub additional: serde_json::Map<String, serde_json::Value>,
}

impl<'de> Deserialize<'de> for TokenClaims {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        use serde::de::Error as _;
        let mut object = json_object::object(deserializer)?;
        let exp = match object.remove("exp") {
            None => None,
            Some(value) => numeric_date(value).map_err(D::Error::custom)?,
        };
        Ok(TokenClaims {
            roles: take(&mut object, "roles")?,
            scp: take(&mut object, "scp")?,
            exp,
            tid: take(&mut object, "tid")?,
            appid: take(&mut object, "appid")?,
            oid: take(&mut object, "oid")?,
            additional: object,
        })
    }
}

impl Serialize for TokenClaims {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        json_object::write(
            serializer,
            &[
                ("roles", json(self.roles.as_ref())?),
                ("scp", json(self.scp.as_ref())?),
                ("exp", json(self.exp.as_ref())?),
                ("tid", json(self.tid.as_ref())?),
                ("appid", json(self.appid.as_ref())?),
                ("oid", json(self.oid.as_ref())?),
            ],
            &self.additional,
        )
    }
}

impl core::fmt::Debug for TokenClaims {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        // Claims are not secret, but `additional` might hold anything; show what matters.
        f.debug_struct("TokenClaims")
            .field("roles", &self.roles)
            .field("scp", &self.scp)
            .field("exp", &self.exp)
            .field("tid", &self.tid)
            .field("appid", &self.appid)
            .finish_non_exhaustive()
    }
}

/// Why a token's claims could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ClaimsError {
    /// The token is not `header.payload.signature` (opaque tokens, such as those issued to
    /// personal Microsoft accounts, are not JWTs).
    #[error("the access token is not a JWT (header.payload.signature)")]
    NotJwt,
    /// The payload is not base64url.
    #[error("the access token's payload is not base64url")]
    Base64,
    /// The payload is not a JSON object of claims.
    #[error("the access token's payload is not a JSON claims object: {0}")]
    Json(String),
}

impl TokenClaims {
    /// Reads the claims of a JWT-shaped token, without verifying its signature.
    pub fn decode(token: &str) -> Result<TokenClaims, ClaimsError> {
        let mut parts = token.split('.');
        let (Some(_header), Some(payload), Some(_signature), None) =
            (parts.next(), parts.next(), parts.next(), parts.next())
        else {
            return Err(ClaimsError::NotJwt);
        };
        let bytes = base64url_decode(payload).ok_or(ClaimsError::Base64)?;
        serde_json::from_slice(&bytes).map_err(|e| ClaimsError::Json(e.to_string()))
    }

    /// The scheme the token was issued for: application when it carries `roles` and no
    /// `scp`; delegated otherwise, personal when its tenant is the personal-account tenant.
    pub fn scheme(&self) -> Scheme {
        if self.scp.is_none() && self.roles.is_some() {
            Scheme::Application
        } else if self.tid.as_deref() == Some(PERSONAL_ACCOUNT_TENANT) {
            Scheme::DelegatedPersonal
        } else {
            Scheme::DelegatedWork
        }
    }

    /// The scheme the token states it was issued for: delegated when it carries `scp`
    /// (personal when its tenant is the personal-account tenant), application when it
    /// carries `roles` and no `scp`, and `None` when it carries neither (an app-only token
    /// granted no application permission has no `roles`). The client checks a token under
    /// this scheme, and refuses one whose scheme is not its credential's.
    pub fn token_scheme(&self) -> Option<Scheme> {
        if self.scp.is_some() {
            Some(if self.tid.as_deref() == Some(PERSONAL_ACCOUNT_TENANT) {
                Scheme::DelegatedPersonal
            } else {
                Scheme::DelegatedWork
            })
        } else if self.roles.is_some() {
            Some(Scheme::Application)
        } else {
            None
        }
    }

    /// The permission names the token grants under `scheme`: `roles` for application,
    /// the words of `scp` for delegated schemes.
    pub fn granted(&self, scheme: Scheme) -> Vec<String> {
        if scheme.is_delegated() {
            self.scp
                .as_deref()
                .unwrap_or("")
                .split_ascii_whitespace()
                .map(str::to_owned)
                .collect()
        } else {
            self.roles.clone().unwrap_or_default()
        }
    }

    /// Whether the token has expired at `now` (seconds since the Unix epoch). A token
    /// without `exp` never expires.
    pub fn is_expired_at(&self, now: u64) -> bool {
        self.exp.is_some_and(|exp| exp <= now)
    }
}

/// Reads an RFC 7519 NumericDate (seconds since the epoch, possibly with a fraction) as
/// whole seconds, saturating at 0 and `u64::MAX`.
fn numeric_date<'de, D>(deserializer: D) -> Result<Option<u64>, D::Error>
where
    D: serde::Deserializer<'de>,
{
    let number: Option<serde_json::Number> = Option::deserialize(deserializer)?;
    Ok(number.map(|n| match (n.as_u64(), n.as_f64()) {
        (Some(secs), _) => secs,
        // `as` saturates, and JSON has no NaN or infinity.
        (None, Some(secs)) if secs > 0.0 => secs as u64,
        _ => 0,
    }))
}

/// base64url as JWTs use it (RFC 7515): the URL-safe alphabet; padding, which JWTs omit,
/// is accepted when present.
const BASE64URL: GeneralPurpose = GeneralPurpose::new(
    &base64::alphabet::URL_SAFE,
    GeneralPurposeConfig::new().with_decode_padding_mode(DecodePaddingMode::Indifferent),
);

/// Decodes base64url, with or without padding; `None` when `text` is not base64url.
fn base64url_decode(text: &str) -> Option<Vec<u8>> {
    BASE64URL.decode(text).ok()
}

/// An unsigned JWT-shaped token carrying `claims`, for the runtime's own tests (the
/// emulator issues its tokens itself).
#[cfg(test)]
pub(crate) fn test_token(claims: &TokenClaims) -> String {
    let encode = |bytes: &[u8]| base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes);
    let header = encode(br#"{"alg":"none","typ":"JWT"}"#);
    let payload = encode(&serde_json::to_vec(claims).unwrap_or_default());
    format!("{header}.{payload}.unsigned")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64url_decodes() {
        assert_eq!(
            base64url_decode("YW55IGNhcm5hbCBwbGVhcw").unwrap(),
            b"any carnal pleas"
        );
        assert_eq!(
            base64url_decode("YW55IGNhcm5hbCBwbGVhcw==").unwrap(),
            b"any carnal pleas"
        );
        assert_eq!(base64url_decode("-_8").unwrap(), [0xfb, 0xff]);
        assert_eq!(base64url_decode("").unwrap(), b"");
        assert_eq!(base64url_decode("a"), None);
        assert_eq!(base64url_decode("a*b"), None);
    }

    #[test]
    fn claims_round_trip_and_schemes() {
        let app = TokenClaims {
            roles: Some(vec!["User.ReadWrite.All".into()]),
            exp: Some(100),
            tid: Some("t".into()),
            ..TokenClaims::default()
        };
        let token = test_token(&app);
        assert_eq!(token.split('.').count(), 3);
        let back = TokenClaims::decode(&token).unwrap();
        assert_eq!(back, app);
        assert_eq!(back.scheme(), Scheme::Application);
        assert_eq!(back.granted(Scheme::Application), ["User.ReadWrite.All"]);
        assert!(back.is_expired_at(100) && !back.is_expired_at(99));

        let personal = TokenClaims {
            scp: Some("User.Read  Mail.Send".into()),
            tid: Some(PERSONAL_ACCOUNT_TENANT.into()),
            ..TokenClaims::default()
        };
        assert_eq!(personal.scheme(), Scheme::DelegatedPersonal);
        assert_eq!(
            personal.granted(Scheme::DelegatedPersonal),
            ["User.Read", "Mail.Send"]
        );
        let work = TokenClaims {
            tid: Some("contoso".into()),
            ..personal
        };
        assert_eq!(work.scheme(), Scheme::DelegatedWork);
        assert!(!work.is_expired_at(u64::MAX));
    }

    #[test]
    fn exp_is_a_numeric_date() {
        let exp = |json: &str| {
            serde_json::from_str::<TokenClaims>(json)
                .map(|c| c.exp)
                .map_err(|e| e.to_string())
        };
        assert_eq!(exp(r#"{"exp":1700000000}"#), Ok(Some(1_700_000_000)));
        assert_eq!(exp(r#"{"exp":1700000000.75}"#), Ok(Some(1_700_000_000)));
        assert_eq!(exp(r#"{"exp":1.7e9}"#), Ok(Some(1_700_000_000)));
        assert_eq!(exp(r#"{"exp":-5}"#), Ok(Some(0)));
        assert_eq!(exp(r#"{"exp":-0.5}"#), Ok(Some(0)));
        assert_eq!(exp(r#"{"exp":1e300}"#), Ok(Some(u64::MAX)));
        assert_eq!(exp(r#"{"exp":18446744073709551615}"#), Ok(Some(u64::MAX)));
        assert_eq!(exp(r#"{"exp":null}"#), Ok(None));
        assert_eq!(exp(r#"{}"#), Ok(None));
        assert!(exp(r#"{"exp":"soon"}"#).is_err());
    }

    #[test]
    fn the_scheme_a_token_states() {
        let with = |roles: Option<&[&str]>, scp: Option<&str>, tid: Option<&str>| TokenClaims {
            roles: roles.map(|r| r.iter().map(|s| (*s).to_owned()).collect()),
            scp: scp.map(str::to_owned),
            tid: tid.map(str::to_owned),
            ..TokenClaims::default()
        };
        let personal = Some(PERSONAL_ACCOUNT_TENANT);
        assert_eq!(
            with(Some(&["A"]), None, Some("t")).token_scheme(),
            Some(Scheme::Application)
        );
        assert_eq!(
            with(Some(&[]), None, personal).token_scheme(),
            Some(Scheme::Application)
        );
        assert_eq!(
            with(None, Some("A"), Some("t")).token_scheme(),
            Some(Scheme::DelegatedWork)
        );
        assert_eq!(
            with(Some(&["AppRole"]), Some("A"), personal).token_scheme(),
            Some(Scheme::DelegatedPersonal)
        );
        assert_eq!(with(None, None, Some("t")).token_scheme(), None);
    }

    #[test]
    fn opaque_tokens_are_not_jwts() {
        assert_eq!(TokenClaims::decode("EwBwA8l6"), Err(ClaimsError::NotJwt));
        assert_eq!(TokenClaims::decode("a.b.c.d"), Err(ClaimsError::NotJwt));
        assert_eq!(TokenClaims::decode("a.!!.c"), Err(ClaimsError::Base64));
        assert!(matches!(
            TokenClaims::decode("a.YQ.c"),
            Err(ClaimsError::Json(_))
        ));
    }
}
