//! Static descriptions of operations and the [`Endpoint`] trait generated code implements.

use crate::{ApiVersion, BaseUrl, Error, PermissionTable, RequestParts};

/// HTTP methods of Graph operations (a `Copy`, `const`-friendly mirror of [`http::Method`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Method {
    /// `GET`
    Get,
    /// `POST`
    Post,
    /// `PUT`
    Put,
    /// `PATCH`
    Patch,
    /// `DELETE`
    Delete,
}

impl Method {
    /// The upper-case name.
    pub const fn as_str(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Post => "POST",
            Method::Put => "PUT",
            Method::Patch => "PATCH",
            Method::Delete => "DELETE",
        }
    }

    /// The [`http::Method`] equivalent.
    pub fn to_http(self) -> http::Method {
        match self {
            Method::Get => http::Method::GET,
            Method::Post => http::Method::POST,
            Method::Put => http::Method::PUT,
            Method::Patch => http::Method::PATCH,
            Method::Delete => http::Method::DELETE,
        }
    }
}

impl core::fmt::Display for Method {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One piece of a parsed path template.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Piece {
    /// Literal text, copied as is.
    Literal(&'static str),
    /// Parameter `n` filling a whole path segment (`/users/{id}/…`): must not be empty,
    /// `.` or `..`.
    Segment(usize),
    /// Parameter `n` inside a segment (`…(period='{period_value}')`).
    Embedded(usize),
}

/// A path template such as `/users/{id}/reprocessLicenseAssignment`, pre-parsed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PathTemplate {
    /// The template as written in the definition.
    pub template: &'static str,
    /// Literal pieces and parameters, in order.
    pub pieces: &'static [Piece],
    /// Rust names of the parameters, in order (`id`, `user_id`, …).
    pub params: &'static [&'static str],
    /// The constructor that selects this form (`new`, `me`, `users`, …).
    pub constructor: &'static str,
}

/// A request header an operation documents.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct HeaderSpec {
    /// The header name as documented (`ConsistencyLevel`).
    pub name: &'static str,
    /// Whether the operation requires it (then it is a constructor argument).
    pub required: bool,
}

/// What a success response carries.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ResponseKind {
    /// No content.
    None,
    /// One object; the Rust type's name.
    One(&'static str),
    /// A collection (`value` + `@odata.nextLink`); the item type's name.
    Collection(&'static str),
}

/// The documented success response.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ResponseSpec {
    /// Documented success status, e.g. `200` or `204`.
    pub status: u16,
    /// The body.
    pub kind: ResponseKind,
}

/// Everything static about an operation: generated once per operation as
/// [`Endpoint::INFO`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OperationInfo {
    /// The Rust type name, e.g. `ReprocessLicenseAssignment`.
    pub name: &'static str,
    /// The module the operation was defined in (`module_path!()`), e.g. `graphspec::user`.
    pub module_path: &'static str,
    /// The Graph reference page this definition came from, e.g.
    /// `user-reprocesslicenseassignment`.
    pub docs_page: Option<&'static str>,
    /// The first line of the operation's doc comment.
    pub summary: &'static str,
    /// Graph API version the operation is defined for.
    pub version: ApiVersion,
    /// HTTP method.
    pub method: Method,
    /// The path forms (at least one).
    pub paths: &'static [PathTemplate],
    /// The permissions table.
    pub permissions: PermissionTable,
    /// Documented request headers (besides `Authorization` and `Content-Type`).
    pub headers: &'static [HeaderSpec],
    /// The request body's Rust type name, if the operation takes a body.
    pub body: Option<&'static str>,
    /// The success response.
    pub response: ResponseSpec,
}

impl OperationInfo {
    /// The resource (last segment of [`OperationInfo::module_path`]), e.g. `user`.
    pub const fn resource(&self) -> &'static str {
        crate::check::last_path_segment(self.module_path)
    }

    /// `resource::Name`, as users write it in Rust (`user::ReprocessLicenseAssignment`).
    pub fn rust_path(&self) -> String {
        format!("{}::{}", self.resource(), self.name)
    }

    /// `resource.actionName`, as Graph's reference names it
    /// (`user.reprocessLicenseAssignment`).
    pub fn graph_name(&self) -> String {
        let mut chars = self.name.chars();
        let lowered: String = match chars.next() {
            Some(first) => first.to_lowercase().chain(chars).collect(),
            None => String::new(),
        };
        format!("{}.{}", self.resource(), lowered)
    }
}

/// A Microsoft Graph operation: implemented by every generated operation type.
///
/// Building ([`Endpoint::to_http_request`]) and parsing ([`Endpoint::parse_response`])
/// never touch the network; a client sends the request and hands back the response.
pub trait Endpoint: Sized {
    /// Static facts: method, paths, permissions, headers, body, response.
    const INFO: &'static OperationInfo;

    /// What a successful call returns.
    type Response;

    /// The path form, path arguments, query options and headers of this request.
    fn parts(&self) -> &RequestParts;

    /// The JSON body, if the operation takes one.
    fn body_json(&self) -> Result<Option<Vec<u8>>, Error> {
        Ok(None)
    }

    /// Builds the HTTP request against `base` (e.g. `Cloud::Global.v1()`), without an
    /// `Authorization` header (the client adds it).
    fn to_http_request(&self, base: &BaseUrl) -> Result<http::Request<Vec<u8>>, Error> {
        crate::request::build(Self::INFO, self.parts(), self.body_json()?, base)
    }

    /// Parses an HTTP response: the typed response on success, a typed [`Error`]
    /// (Graph's error body when there is one) otherwise.
    fn parse_response<B: AsRef<[u8]>>(response: http::Response<B>)
    -> Result<Self::Response, Error>;
}
