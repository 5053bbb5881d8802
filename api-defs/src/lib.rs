//! Microsoft Graph endpoints as Rust types, with their permission tables checked by the
//! compiler.
//!
//! Every operation is a type in a module named for its resource
//! ([`user::ReprocessLicenseAssignment`], [`group::DeleteGroup`], …). Its constructors take the
//! required path parameters; builder methods add OData query options and headers;
//! [`Endpoint::to_http_request`] builds an [`http::Request`] and
//! [`Endpoint::parse_response`] parses the answer — neither touches the network.
//!
//! An application declares its credential with [`credential!`]: the scheme, the scopes it
//! was granted and the operations it calls. A declared call that the grants do not allow
//! does not compile, and says why.
//!
//! ```
//! use graphspec::prelude::*;
//! use graphspec::user::{self, ReprocessLicenseAssignment};
//!
//! graphspec::credential! {
//!     /// The license bot's app registration.
//!     pub struct LicenseBot {
//!         scheme: Application,
//!         grants: ["User.ReadWrite.All"],
//!         calls: [user::ReprocessLicenseAssignment],
//!     }
//! }
//!
//! let req = ReprocessLicenseAssignment::users("047dd774-f1c4-40f2-82f0-278de79f9b83");
//! let http = req.to_http_request(&graphspec::Cloud::Global.v1())?;
//! assert_eq!(http.method(), "POST");
//! assert_eq!(
//!     http.uri(),
//!     "https://graph.microsoft.com/v1.0/users/047dd774-f1c4-40f2-82f0-278de79f9b83/reprocessLicenseAssignment"
//! );
//! assert_eq!(
//!     ReprocessLicenseAssignment::PERMISSIONS.application.least_privileged(),
//!     Some(graphspec::scopes::USER_READWRITE_ALL)
//! );
//!
//! let authorized = LicenseBot.authorize(req); // what a client accepts
//! # let _ = authorized;
//! # Ok::<(), graphspec::Error>(())
//! ```
//!
//! # Features
//!
//! The operations are imported from the Graph reference pages (`graphspec import`; see
//! `docs/importer.md` in the repository). Each resource module sits behind one cargo
//! feature:
//!
//! - `default-resources` (on by default): [`user`], [`group`], [`subscribedsku`];
//! - one feature per Graph product area, from the pages' `ms.prod` (`intune`, `outlook`,
//!   `microsoft-teams`, `identity-and-sign-in`, …; `api-defs/Cargo.toml` lists each
//!   group's modules);
//! - `full`: every operation (`IMPORT-REPORT.md` counts them: a request several pages
//!   document is one operation, a page with permissions per resource one per resource). [`operations()`] lists the enabled ones;
//! - `all-models`: the [models](model) no operation answers or sends (derived types and
//!   navigation targets; each other model comes with the features whose operations reach
//!   it). Those types use the types of every group, so `all-models` turns `full` on;
//! - `by-name`: `model::round_trip` and the models' schema as data, for tools that meet
//!   types at run time (`graphspec audit`);
//! - `client`: the async HTTP client, `graphspec::client`.
//!
//! # Typed responses
//!
//! Every entity, complex and enum type of Graph v1.0 is a type in [`model`], generated
//! from Microsoft's CSDL, and every operation whose reference page names a type answers
//! it: [`user::GetUser`] answers [`model::User`]. Every property is an [`edm::Field`] (absent,
//! `null` or a value: also what a PATCH body needs), and what a model does not declare is
//! kept in its `additional` map, so nothing Graph sends is lost.

#![forbid(unsafe_code)]
#![warn(missing_docs)]
#![cfg_attr(docsrs, feature(doc_cfg))]

// Generated code names this crate `::graphspec`, also from inside it.
extern crate self as graphspec;

pub use graphspec_runtime::{
    Alternative, ApiVersion, Authorized, BaseUrl, Calls, Cloud, Collection, Count, Credential,
    Endpoint, Error, GraphError, HeaderSpec, InnerError, Method, OperationInfo, PathTemplate,
    PermissionTable, Piece, Query, QueryOption, QueryOptions, RequestParts, ResponseKind,
    ResponseSpec, Scheme, SchemeDetails, SchemePermissions, Scope, ScopeInfo, build, check,
    count_request, least_privileged_scopes, scopes,
};

/// The async HTTP client (feature `client`): see [`graphspec_runtime::client`].
#[cfg(feature = "client")]
pub use graphspec_runtime::client;
pub use graphspec_runtime::{
    GRAPH_RESOURCE_APP_ID, claims, edm, graph_enum, required_resource_access, route, structured,
    structured_impls,
};

pub mod model;

/// The traits whose methods every operation and model has: `use graphspec::prelude::*;`.
///
/// - [`Endpoint`]: `to_http_request`, `parse_response`, and the
///   constants `INFO`, `PERMISSIONS`, `METHOD` and `PATHS` of every operation;
/// - [`Query`]: the OData query options of `GET` operations (`select`,
///   `filter`, `top`, …), and `into_count` on a list (its [`Count`] request, `…/$count`);
/// - [`Cast`](crate::model::Cast): a model value as the derived type it is.
///
/// They are traits rather than methods of each operation type so that they are compiled
/// once, not once for each of the thousands of operations.
pub mod prelude {
    pub use crate::model::Cast;
    pub use crate::{Endpoint, Query};
}

// Everything under `src/generated/` is written by `graphspec import` (see docs/importer.md);
// everything else is written by hand. The resource modules (each behind its cargo feature,
// in a folder named for the feature) are re-exported here, so users write
// `graphspec::user::…` whatever the folder.
mod generated {
    pub mod models;
    pub mod operations;
}
pub use generated::operations::*;

/// Every operation this build of the crate defines (the resources of the enabled
/// features: `default` has `user`, `group` and `subscribedsku`; `full` has all).
pub fn operations() -> Vec<&'static OperationInfo> {
    ENABLED_OPERATIONS
        .iter()
        .flat_map(|ops| ops.iter().copied())
        .collect()
}

/// The operation of this build that serves a request as copied from Graph Explorer or a
/// log (`GET https://graph.microsoft.com/v1.0/users/8a…/messages?$top=5`), a URL (taken as
/// `GET`) or a path, with its path arguments; [`route`] describes the forms accepted
/// (percent-encoding, OData key syntax, a tenant segment, `/me`). `Ok(None)` when no
/// operation of the enabled features sends that request.
///
/// ```
/// let found = graphspec::find_request(
///     "GET https://graph.microsoft.com/v1.0/users('8a2f')/reprocessLicenseAssignment",
/// );
/// # let _ = found;
/// let found = graphspec::find_request("POST /users/8a2f/reprocessLicenseAssignment")
///     .unwrap()
///     .expect("a default-feature operation");
/// assert_eq!(found.operation.rust_path(), "user::ReprocessLicenseAssignment");
/// assert_eq!(found.args, ["8a2f"]);
/// ```
pub fn find_request(line: &str) -> Result<Option<route::RequestMatch>, route::RouteError> {
    let request = route::parse_request(line)?;
    let method = request.method.unwrap_or(Method::Get);
    Ok(route::find(
        &operations(),
        method,
        request.version,
        &request.path,
        request.query.as_deref(),
    ))
}

/// The README's examples, compiled and run as doctests.
#[doc = include_str!("../../README.md")]
#[cfg(doctest)]
pub struct ReadmeDoctests;

/// Defines Microsoft Graph operations, in the definition language of
/// `docs/definition-language.md`: per operation its request forms, permissions table,
/// headers, body and response. A bad definition is a compile error at the token that is
/// wrong, every error at once.
///
/// The generated code names graphspec through `$crate`, so it works whatever the calling
/// crate calls graphspec (`gs = { package = "graphspec" }`).
#[macro_export]
macro_rules! endpoint {
    ($($definition:tt)*) => {
        $crate::__private::endpoint! { $crate; $($definition)* }
    };
}

/// Declares an application's credential: its scheme, the scopes it is granted and the
/// operations it calls. Each call is checked against the grants at compile time (the
/// rules are in the README and `tests/ui`), and the struct implements [`Credential`] and
/// `Calls<E>` for exactly the declared operations.
#[macro_export]
macro_rules! credential {
    ($($declaration:tt)*) => {
        $crate::__private::credential! { $crate; $($declaration)* }
    };
}

/// Re-exports for generated code. Not public API.
#[doc(hidden)]
pub mod __private {
    pub use graphspec_macros::{credential, endpoint};
    pub use graphspec_runtime as rt;
}
