//! The runtime of graphspec: what generated Microsoft Graph endpoint code calls.
//!
//! - [`Scheme`], [`Scope`] and the generated [`scopes`] constants (one per permission in
//!   Microsoft's permissions data);
//! - [`PermissionTable`]: per scheme, the scopes that allow an operation;
//! - [`Endpoint`] and [`OperationInfo`]: the static facts of an operation and its sans-IO
//!   request building ([`Endpoint::to_http_request`]) and response parsing
//!   ([`Endpoint::parse_response`]);
//! - [`Credential`], [`Calls`] and [`Authorized`]: an application's declared permissions,
//!   checked against operations at compile time ([`check`]);
//! - [`edm`]: how models represent OData's primitive types, enums and PATCH updates;
//!   [`structured`]: how generated entity and complex types read and write JSON;
//! - [`claims`]: what an access token grants; [`required_resource_access`]: the
//!   app-registration manifest fragment;
//! - with the `client` feature, `client`: an async client (reqwest, tokio) with tokens,
//!   retries, paging, `$batch` and bulk operations.
//!
//! Users depend on the `graphspec` crate, which re-exports all of this.

#![forbid(unsafe_code)]
#![warn(missing_docs)]

mod base;
pub mod check;
pub mod claims;
#[cfg(feature = "client")]
pub mod client;
mod count;
mod credential;
pub mod edm;
mod endpoint;
mod error;
mod json_object;
/// Written by `cargo run -p xtask -- scopes`; nothing below `src/generated/` is edited by hand.
mod generated {
    pub(crate) mod scopes;
}
mod manifest;
mod permissions;
mod request;
mod response;
pub mod route;
mod scheme;
mod scope;
pub mod scopes;
pub mod structured;

pub use base::{ApiVersion, BaseUrl, Cloud};
pub use count::{Count, count_request};
pub use credential::{Authorized, Calls, Credential, least_privileged_scopes};
pub use endpoint::{
    Endpoint, HeaderSpec, Method, OperationInfo, PathTemplate, Piece, Query, QueryOption,
    ResponseKind, ResponseSpec,
};
pub use error::{Error, GraphError, InnerError};
pub use manifest::{GRAPH_RESOURCE_APP_ID, required_resource_access};
pub use permissions::{Alternative, PermissionTable, SchemePermissions};
pub use request::{PATH_ARGUMENT, QUERY_VALUE, QueryOptions, RequestParts, build, json_body};
pub use response::{Collection, parse, parse_empty, parse_json};
pub use scheme::Scheme;
pub use scope::{SchemeDetails, Scope, ScopeInfo};

/// Re-exports for generated code. Not public API.
#[doc(hidden)]
pub mod __private {
    pub use http;
    pub use serde;
    pub use serde_json;

    pub use crate::credential::{CallChecked, CheckedCall, Unreachable};
}
