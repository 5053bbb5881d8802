//! Static descriptions of operations and the [`Endpoint`] trait generated code implements.

use crate::{ApiVersion, BaseUrl, Error, PermissionTable, QueryOptions, RequestParts};

pub use graphspec_spec::{Method, Piece, QueryOption};

/// A path template such as `/users/{id}/reprocessLicenseAssignment`, pre-parsed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PathTemplate {
    /// The template as written in the definition.
    pub template: &'static str,
    /// Literal pieces and parameters of the path, in order.
    pub pieces: &'static [Piece],
    /// The fixed query options this form sends and is routed by (`$expand=manager`,
    /// `format={format}`); empty for most forms. Their parameters are numbered after the
    /// path's.
    pub query: &'static [QueryOption],
    /// Rust names of the parameters, in order (`id`, `user_id`, …): the path's, then the
    /// fixed query's.
    pub params: &'static [&'static str],
    /// The constructor that selects this form (`new`, `me`, `users`, …).
    pub constructor: &'static str,
}

impl PathTemplate {
    /// Matches `path` (from `/`, after the API version, without query) against this
    /// template and returns the percent-decoded arguments, in parameter order, or `None`
    /// when the path does not fit; an argument inside an OData string literal
    /// (`(listId='{listId}')`) has its doubled `''` read as one `'`.
    ///
    /// The rule is [`graphspec_spec::path::match_path`]'s, the one every part of
    /// graphspec uses; in addition, a whole-segment argument that decodes to `.`, `..` or
    /// one of OData's own segments (`%2E%2E`, `%24count`) does not match, as no request
    /// built from it could name that segment.
    pub fn match_path(&self, path: &str) -> Option<Vec<String>> {
        let raw = graphspec_spec::path::match_path(self.pieces, path)?;
        let mut args = Vec::with_capacity(raw.len());
        for (index, value) in raw.into_iter().enumerate() {
            let decoded = percent_encoding::percent_decode_str(value)
                .decode_utf8()
                .ok()?
                .into_owned();
            let whole_segment = self.pieces.contains(&Piece::Segment(index));
            if whole_segment && graphspec_spec::path::is_reserved_segment(&decoded) {
                return None;
            }
            // Inside an OData string literal a `'` is written `''`.
            let in_literal = self
                .pieces
                .iter()
                .position(|p| *p == Piece::Embedded(index))
                .is_some_and(|at| graphspec_spec::path::in_string_literal(self.pieces, at));
            args.push(if in_literal {
                decoded.replace("''", "'")
            } else {
                decoded
            });
        }
        Some(args)
    }

    /// Matches a request's `path` and `query` (without `?`) against this form: the path by
    /// [`PathTemplate::match_path`], the query by
    /// [`graphspec_spec::path::match_query`] (every fixed option present with a value
    /// that fits; other options are the caller's). Returns the decoded arguments in
    /// parameter order, or `None`.
    pub fn match_request(&self, path: &str, query: Option<&str>) -> Option<Vec<String>> {
        let mut args = self.match_path(path)?;
        for (index, value) in graphspec_spec::path::match_query(self.query, query)? {
            if args.len() <= index {
                args.resize(index + 1, String::new());
            }
            args[index] = value;
        }
        Some(args)
    }

    /// The number of literal characters: among templates that match one path, the one
    /// with the most literal text is the most specific (`/users/delta` beats
    /// `/users/{id}`).
    pub fn literal_len(&self) -> usize {
        graphspec_spec::path::literal_len(self.pieces)
    }
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
    /// Raw content, not JSON: a file's bytes, a photo, a MIME message (`Edm.Stream`,
    /// `$value`). The response is the body's bytes (`Vec<u8>`).
    Content,
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
    /// The module the operation was defined in (`module_path!()`), e.g.
    /// `graphspec::generated::operations::user`; its last segment is the resource.
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
    /// Whether the operation's request body is raw content (`Vec<u8>`: a file's bytes,
    /// a photo) rather than JSON ([`Endpoint::body_content`]). Generated code writes
    /// [`OperationInfo::body`] without spaces.
    pub fn takes_content(&self) -> bool {
        self.body == Some("Vec<u8>")
    }

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

    /// What a successful call returns (read from JSON; `()` for no content; the body's
    /// bytes for [`ResponseKind::Content`]).
    type Response: serde::de::DeserializeOwned;

    /// The path form, path arguments, query options and headers of this request.
    fn parts(&self) -> &RequestParts;

    /// The JSON body, if the operation takes one.
    fn body_json(&self) -> Result<Option<Vec<u8>>, Error> {
        Ok(None)
    }

    /// The raw content body, if the operation takes one (`body: Vec<u8>`: a file's bytes,
    /// a photo): sent as it is, with the `Content-Type` the request sets
    /// (`application/octet-stream` when it sets none).
    fn body_content(&self) -> Option<&[u8]> {
        None
    }

    /// Builds the HTTP request against `base` (e.g. `Cloud::Global.v1()`), without an
    /// `Authorization` header (the client adds it).
    fn to_http_request(&self, base: &BaseUrl) -> Result<http::Request<Vec<u8>>, Error> {
        let body = match self.body_content() {
            Some(bytes) => Some(bytes.to_vec()),
            None => self.body_json()?,
        };
        crate::request::build(Self::INFO, self.parts(), body, base)
    }

    /// Parses an HTTP response: the typed response on success, a typed [`Error`]
    /// (Graph's error body when there is one) otherwise.
    fn parse_response<B: AsRef<[u8]>>(
        response: http::Response<B>,
    ) -> Result<Self::Response, Error> {
        crate::response::parse(Self::INFO, response)
    }

    /// The permissions table, per scheme, least → most privileged
    /// (`Self::INFO.permissions`).
    const PERMISSIONS: PermissionTable = Self::INFO.permissions;

    /// The HTTP method (`Self::INFO.method`).
    const METHOD: Method = Self::INFO.method;

    /// The path templates, one per constructor (`Self::INFO.paths`).
    const PATHS: &'static [PathTemplate] = Self::INFO.paths;
}

/// The OData query options of a `GET` operation (`$select`, `$filter`, `$top`, …), as
/// builder methods: implemented by every generated `GET` operation.
///
/// The methods live here once, not on each of the thousands of operation types, which
/// keeps the generated crate cheap to compile; bring them into scope with
/// `use graphspec::prelude::*` (or `use graphspec::Query`).
///
/// ```
/// use graphspec_runtime::Query;
/// # fn list<Q: Query>(op: Q) -> Q {
/// op.select(["id", "displayName"]).filter("accountEnabled eq true").top(50)
/// # }
/// ```
pub trait Query: Endpoint {
    /// The path form, path arguments, query options and headers, to change.
    fn parts_mut(&mut self) -> &mut RequestParts;

    /// `$select`: the properties to return.
    fn select<I, S>(mut self, properties: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        let query = self.parts_mut().query_mut();
        query.select.extend(properties.into_iter().map(Into::into));
        self
    }

    /// `$expand`: the relationships to expand.
    fn expand<I, S>(mut self, relationships: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        let query = self.parts_mut().query_mut();
        query
            .expand
            .extend(relationships.into_iter().map(Into::into));
        self
    }

    /// `$filter`: an OData filter expression, e.g. `startswith(displayName,'a')`.
    fn filter(mut self, expression: impl Into<String>) -> Self {
        self.parts_mut().query_mut().filter = Some(expression.into());
        self
    }

    /// `$orderby`: sort expressions, e.g. `displayName desc`.
    fn orderby<I, S>(mut self, expressions: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        let query = self.parts_mut().query_mut();
        query
            .orderby
            .extend(expressions.into_iter().map(Into::into));
        self
    }

    /// `$top`: the page size.
    fn top(mut self, n: u32) -> Self {
        self.parts_mut().query_mut().top = Some(n);
        self
    }

    /// `$skip`: the number of items to skip.
    fn skip(mut self, n: u32) -> Self {
        self.parts_mut().query_mut().skip = Some(n);
        self
    }

    /// `$search`: a search expression, e.g. `"displayName:ada"` (with the quotes).
    fn search(mut self, expression: impl Into<String>) -> Self {
        self.parts_mut().query_mut().search = Some(expression.into());
        self
    }

    /// `$count`: whether to include `@odata.count`.
    fn count(mut self, count: bool) -> Self {
        self.parts_mut().query_mut().count = Some(count);
        self
    }

    /// The count request of this list request: `…/$count`, which Graph answers with the
    /// number of items the list reads (after its `$filter` or `$search`) as a `u64`,
    /// under the list operation's permissions ([`crate::Count`]). Only for operations that
    /// answer a collection. Graph rejects `$top`, `$skip`, `$orderby`, `$select` and
    /// `$expand` on a count.
    fn into_count<T>(self) -> crate::Count<Self>
    where
        Self: Endpoint<Response = crate::Collection<T>>,
    {
        crate::count::count(self)
    }

    /// All OData query options at once.
    fn query(&self) -> &QueryOptions {
        self.parts().query()
    }
}
