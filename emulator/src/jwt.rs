//! The tokens the emulator issues: JWT-shaped but unsigned (`header.payload.unsigned`).
//! Real services reject them; the client and the emulator read their claims with
//! [`TokenClaims::decode`].

use graphspec::claims::TokenClaims;

/// Encodes `claims` as an unsigned JWT-shaped token: header `{"alg":"none"}`, the claims,
/// and the literal signature `unsigned`.
pub(crate) fn unsigned_jwt(claims: &TokenClaims) -> String {
    let header = base64url_encode(br#"{"alg":"none","typ":"JWT"}"#);
    let payload = base64url_encode(&serde_json::to_vec(claims).unwrap_or_default());
    format!("{header}.{payload}.unsigned")
}

const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

/// Encodes `bytes` as base64url without padding.
fn base64url_encode(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let b = [
            chunk[0],
            *chunk.get(1).unwrap_or(&0),
            *chunk.get(2).unwrap_or(&0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        let chars = chunk.len() + 1;
        for i in 0..chars {
            out.push(ALPHABET[((n >> (18 - 6 * i)) & 63) as usize] as char);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use graphspec::Scheme;

    #[test]
    fn base64url_round_trips() {
        for len in 0..40 {
            let bytes: Vec<u8> = (0..len).map(|i| (i * 37 + 11) as u8).collect();
            let encoded = base64url_encode(&bytes);
            assert!(!encoded.contains(['=', '+', '/']));
            // The runtime decodes: a payload of these bytes as a JSON string survives.
            let text: String = bytes.iter().map(|&b| char::from(b)).collect();
            let claims = TokenClaims {
                scp: Some(text.clone()),
                ..TokenClaims::default()
            };
            let back = TokenClaims::decode(&unsigned_jwt(&claims)).unwrap();
            assert_eq!(back.scp.as_deref(), Some(text.as_str()));
        }
        assert_eq!(
            base64url_encode(b"any carnal pleas"),
            "YW55IGNhcm5hbCBwbGVhcw"
        );
    }

    #[test]
    fn claims_round_trip() {
        let app = TokenClaims {
            roles: Some(vec!["User.ReadWrite.All".into()]),
            exp: Some(100),
            tid: Some("t".into()),
            ..TokenClaims::default()
        };
        let token = unsigned_jwt(&app);
        assert_eq!(token.split('.').count(), 3);
        assert!(token.ends_with(".unsigned"));
        let back = TokenClaims::decode(&token).unwrap();
        assert_eq!(back, app);
        assert_eq!(back.scheme(), Scheme::Application);
    }
}
