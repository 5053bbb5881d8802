//! Where requests go: national clouds and API versions.

use core::fmt;

pub use graphspec_spec::ApiVersion;

/// A Microsoft Graph deployment (national cloud).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Cloud {
    /// The global service, `https://graph.microsoft.com`.
    Global,
    /// US Government L4, `https://graph.microsoft.us`.
    UsGovL4,
    /// US Government L5 (DOD), `https://dod-graph.microsoft.us`.
    UsGovL5,
    /// Microsoft Graph China operated by 21Vianet, `https://microsoftgraph.chinacloudapi.cn`.
    China,
}

impl Cloud {
    /// The service root, without a trailing slash.
    pub const fn root(self) -> &'static str {
        match self {
            Cloud::Global => "https://graph.microsoft.com",
            Cloud::UsGovL4 => "https://graph.microsoft.us",
            Cloud::UsGovL5 => "https://dod-graph.microsoft.us",
            Cloud::China => "https://microsoftgraph.chinacloudapi.cn",
        }
    }

    /// The Microsoft identity platform authority that issues tokens for this cloud.
    pub const fn authority(self) -> &'static str {
        match self {
            Cloud::Global => "https://login.microsoftonline.com",
            Cloud::UsGovL4 | Cloud::UsGovL5 => "https://login.microsoftonline.us",
            Cloud::China => "https://login.chinacloudapi.cn",
        }
    }

    /// Parses a cloud's command-line name, ignoring ASCII case: `global` (or `public`),
    /// `usgov-l4` (`usgov`, `l4`), `usgov-l5` (`dod`, `l5`), `china` (`21vianet`).
    pub fn parse(text: &str) -> Result<Cloud, String> {
        match text.to_ascii_lowercase().as_str() {
            "global" | "public" => Ok(Cloud::Global),
            "usgov-l4" | "usgov" | "l4" => Ok(Cloud::UsGovL4),
            "usgov-l5" | "dod" | "l5" => Ok(Cloud::UsGovL5),
            "china" | "21vianet" => Ok(Cloud::China),
            _ => Err(format!(
                "unknown cloud `{text}` (global, usgov-l4, usgov-l5, china)"
            )),
        }
    }

    /// This cloud's `v1.0` endpoint.
    pub fn v1(self) -> BaseUrl {
        BaseUrl::new(self.root(), ApiVersion::V1)
    }

    /// This cloud's `beta` endpoint.
    pub fn beta(self) -> BaseUrl {
        BaseUrl::new(self.root(), ApiVersion::Beta)
    }
}

/// A service root plus an API version: what requests are built against, e.g.
/// `https://graph.microsoft.com/v1.0`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct BaseUrl {
    root: String,
    version: ApiVersion,
}

impl BaseUrl {
    /// A custom service root (a proxy, or a local emulator such as `http://127.0.0.1:8080`).
    /// A trailing `/` is removed.
    pub fn new(root: impl Into<String>, version: ApiVersion) -> BaseUrl {
        let mut root = root.into();
        while root.ends_with('/') {
            root.pop();
        }
        BaseUrl { root, version }
    }

    /// The service root, without a trailing slash.
    pub fn root(&self) -> &str {
        &self.root
    }

    /// The API version.
    pub fn version(&self) -> ApiVersion {
        self.version
    }
}

impl fmt::Display for BaseUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.root, self.version)
    }
}
