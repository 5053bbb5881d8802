//! Graph API versions.

use core::fmt;

/// A Microsoft Graph API version: the first path segment after the host.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum ApiVersion {
    /// `v1.0`: the generally available API.
    V1,
    /// `beta`: preview APIs, which may change.
    Beta,
}

impl ApiVersion {
    /// The path segment: `v1.0` or `beta`.
    pub const fn as_str(self) -> &'static str {
        match self {
            ApiVersion::V1 => "v1.0",
            ApiVersion::Beta => "beta",
        }
    }

    /// Parses the path segment `v1.0` or `beta`.
    pub fn parse(text: &str) -> Option<ApiVersion> {
        match text {
            "v1.0" => Some(ApiVersion::V1),
            "beta" => Some(ApiVersion::Beta),
            _ => None,
        }
    }
}

impl fmt::Display for ApiVersion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}
