//! The definition model: one Microsoft Graph operation as its reference page states it.
//!
//! Every parser produces this model — the Rust DSL of [`crate::dsl`] and the docs-page
//! reader — and [`crate::valid`] checks it before [`crate::expand`] emits code. Values that
//! came from source tokens carry their [`Span`], so diagnostics underline the exact token;
//! values from other sources use [`Span::call_site`].

use proc_macro2::Span;

/// A value and where it was written.
#[derive(Debug, Clone)]
pub struct Spanned<T> {
    /// The value.
    pub value: T,
    /// Where it was written ([`Span::call_site`] when it did not come from tokens).
    pub span: Span,
}

impl<T> Spanned<T> {
    /// A value with a span.
    pub fn new(value: T, span: Span) -> Self {
        Spanned { value, span }
    }

    /// A value that did not come from tokens.
    pub fn unspanned(value: T) -> Self {
        Spanned {
            value,
            span: Span::call_site(),
        }
    }
}

impl<T: PartialEq> PartialEq for Spanned<T> {
    /// Spans are ignored: two values are equal when they say the same thing.
    fn eq(&self, other: &Self) -> bool {
        self.value == other.value
    }
}

/// One operation (one reference page).
#[derive(Debug, Clone, PartialEq)]
pub struct Operation {
    /// Doc comment lines, without the leading `///`.
    pub doc: Vec<String>,
    /// The Rust type name of the operation, e.g. `ReprocessLicenseAssignment`.
    pub name: Spanned<String>,
    /// The docs page this came from, without extension (`user-reprocesslicenseassignment`).
    pub docs_page: Option<Spanned<String>>,
    /// Graph API version.
    pub version: Spanned<ApiVersion>,
    /// The request forms: one or more (method, path template) pairs.
    pub forms: Vec<RequestForm>,
    /// The permissions table.
    pub permissions: PermissionsTable,
    /// Request headers other than `Authorization` and `Content-Type`.
    pub headers: Vec<HeaderDef>,
    /// The request body, if the operation takes one.
    pub body: Option<TypeRef>,
    /// The success response.
    pub response: ResponseDef,
}

pub use graphspec_spec::{ApiVersion, Method, Scheme};

/// One (method, path template) form of an operation.
#[derive(Debug, Clone, PartialEq)]
pub struct RequestForm {
    /// The HTTP method as written (validated against [`Method`]).
    pub method: Spanned<String>,
    /// The path template as written, e.g. `/users/{id | userPrincipalName}`.
    pub path: Spanned<String>,
    /// An explicit constructor name (`as me`), overriding the naming rule.
    pub constructor: Option<Spanned<String>>,
}

/// The permissions table: one row per scheme.
#[derive(Debug, Clone)]
pub struct PermissionsTable {
    /// Where the table was written (for "row missing" errors).
    pub span: Span,
    /// The rows as written (validation checks there is exactly one per scheme).
    pub rows: Vec<PermissionRow>,
}

impl PartialEq for PermissionsTable {
    /// Spans are ignored.
    fn eq(&self, other: &Self) -> bool {
        self.rows == other.rows
    }
}

impl PermissionsTable {
    /// The first row for `scheme`, if any.
    pub fn row(&self, scheme: Scheme) -> Option<&PermissionRow> {
        self.rows.iter().find(|r| r.scheme.value == scheme)
    }

    /// Whether `other` says the same for every scheme (first rows compared; spans and row
    /// order ignored).
    pub fn same_as(&self, other: &PermissionsTable) -> bool {
        Scheme::ALL
            .iter()
            .all(|&s| self.row(s).map(|r| &r.value) == other.row(s).map(|r| &r.value))
    }
}

/// One row of the permissions table.
#[derive(Debug, Clone, PartialEq)]
pub struct PermissionRow {
    /// The scheme this row is for.
    pub scheme: Spanned<Scheme>,
    /// What the row says.
    pub value: RowValue,
}

/// What a permissions row says.
#[derive(Debug, Clone)]
pub enum RowValue {
    /// Alternatives ordered least → most privileged; any one suffices. Each alternative
    /// is a list of scopes that are all required (usually one).
    Scopes(Vec<Vec<Spanned<String>>>),
    /// The scheme is not supported (`unsupported`; docs: "Not supported").
    NotSupported(Span),
    /// No permission is required beyond a valid token (`none`; docs: "None").
    NoneRequired(Span),
    /// The source gives no data for this scheme (`unknown`).
    Unknown(Span),
}

impl PartialEq for RowValue {
    /// Spans are ignored.
    fn eq(&self, other: &Self) -> bool {
        match (self, other) {
            (RowValue::Scopes(a), RowValue::Scopes(b)) => a == b,
            (RowValue::NotSupported(_), RowValue::NotSupported(_))
            | (RowValue::NoneRequired(_), RowValue::NoneRequired(_))
            | (RowValue::Unknown(_), RowValue::Unknown(_)) => true,
            _ => false,
        }
    }
}

/// A request header the operation documents.
#[derive(Debug, Clone, PartialEq)]
pub struct HeaderDef {
    /// The header name as documented, e.g. `ConsistencyLevel`.
    pub name: Spanned<String>,
    /// Whether the operation requires it.
    pub required: bool,
}

/// A Rust type used for a body or response, e.g. `User` or `crate::model::User`.
#[derive(Clone)]
pub struct TypeRef {
    /// The type.
    pub ty: syn::Type,
}

/// Compared and shown as Rust source, so the proc macros need not compile syn's
/// `extra-traits` (its `Debug` and `PartialEq` for every syntax tree type).
impl PartialEq for TypeRef {
    fn eq(&self, other: &Self) -> bool {
        tokens(&self.ty) == tokens(&other.ty)
    }
}

impl std::fmt::Debug for TypeRef {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TypeRef")
            .field("ty", &tokens(&self.ty))
            .finish()
    }
}

/// A syntax tree as Rust source text (`crate :: model :: User`), for `Debug` and
/// comparisons.
pub(crate) fn tokens(node: &impl quote::ToTokens) -> String {
    node.to_token_stream().to_string()
}

/// The success response.
#[derive(Debug, Clone, PartialEq)]
pub struct ResponseDef {
    /// The success status code.
    pub status: Spanned<u16>,
    /// The response body.
    pub body: ResponseBody,
}

/// What a success response carries.
#[derive(Debug, Clone, PartialEq)]
pub enum ResponseBody {
    /// No content.
    None,
    /// One object of this type.
    One(TypeRef),
    /// A collection (`{"value": [...], "@odata.nextLink": ...}`) of this type.
    Collection(TypeRef),
}
