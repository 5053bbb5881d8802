//! Stage 2, the page model: what reading one page gives ([`PageResult`]: the operation,
//! its status, the findings, the examples), and a serializable view of an operation
//! ([`OperationView`]: the definition model keeps spans and `syn` types), which
//! `graphspec inspect --json` prints and the corpus tests compare.

use graphspec_codegen::model::{
    Operation, PermissionsTable, RequestForm, ResponseBody, RowValue, TypeRef,
};

use crate::diagnostic::{Diagnostic, Severity};

/// How far a page was imported.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ImportStatus {
    /// Imported; no warnings.
    Full,
    /// Imported with warnings.
    Partly,
    /// Not imported (errors).
    Not,
}

/// One example request of a page (a `"blockType": "request"` code block).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct ExampleRequest {
    /// The method, upper-cased.
    pub method: String,
    /// The URL or path as written (query string included).
    pub url: String,
    /// Whether the example carries a JSON body.
    pub has_body: bool,
    /// The names of the headers it sends, as written (`Content-type`, `If-Match`).
    pub headers: Vec<String>,
}

/// A request line the page documents that is not a form of its operation, because its
/// meaning is in its query string (`GET /me?$expand=manager`; the rules are in
/// `read::forms`): no operation sends it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct QueryLine {
    /// The method, upper-cased.
    pub method: String,
    /// The path template, normalized as forms are.
    pub path: String,
    /// The query string, without `?`.
    pub query: String,
}

/// What reading one page gives.
#[derive(Debug, Clone, serde::Serialize)]
pub struct PageResult {
    /// The page file stem (`user-reprocesslicenseassignment`).
    pub page: String,
    /// The resource module name (`user`).
    pub resource: String,
    /// The operation type name (`ReprocessLicenseAssignment`); unique per module after
    /// [`assign_names`](crate::read::assign_names).
    pub name: String,
    /// The operation, or `None` when the page cannot be imported. Serialized as an
    /// [`OperationView`].
    #[serde(serialize_with = "serialize_operation")]
    pub operation: Option<Operation>,
    /// How far the page was imported.
    pub status: ImportStatus,
    /// Findings, in the order found.
    pub diagnostics: Vec<Diagnostic>,
    /// The Graph type of the request body (`microsoft.graph.user`), when known.
    pub body_type: Option<String>,
    /// The Graph type of the response body, when known.
    pub response_type: Option<String>,
    /// The example requests of the page.
    pub examples: Vec<ExampleRequest>,
    /// The query string each request form was written with (removed from the template),
    /// parallel to the operation's forms: options the caller adds through the builder
    /// (`$filter=…` on a list Graph serves only filtered) or parameters of the path's own
    /// request (`startDateTime=…`); the router scores requests' queries against it.
    pub form_queries: Vec<Option<String>>,
    /// The request lines whose meaning is in their query string, which are not forms.
    pub not_forms: Vec<QueryLine>,
    /// The page's `ms.prod` front-matter value (the product it documents), which groups
    /// resource modules into cargo features. Not serialized.
    #[serde(skip)]
    pub product: Option<String>,
    /// When the permissions table has one row per resource (`| [event](…) | Calendars.Read
    /// | … |`): each row's table with the resources its label links to or names. Stage 4
    /// gives each form the table of the row its path addresses ([`crate::split`]).
    /// Empty otherwise. Not serialized.
    #[serde(skip)]
    pub resource_tables: Vec<ResourceTable>,
    /// The operations later sections of the page document, each with a request and a
    /// response of its own ([`crate::read`]'s `sections` module): empty on most pages.
    pub sections: Vec<SectionOperation>,
    /// `GET` requests later sections document without an example response to type them
    /// by (`request.section-skipped`); the CSDL may read them as raw content
    /// ([`crate::example_forms::content_requests`]).
    pub unanswered: Vec<UnansweredRequest>,
}

/// A `GET` a later section of a page documents as a template, with no example response
/// after it (page-get's `GET /me/onenote/pages/{id}/content[?includeIDs=true]`).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct UnansweredRequest {
    /// The anchor of the section's heading.
    pub anchor: Option<String>,
    /// The path template, without its query.
    pub path: String,
    /// The request as the skip diagnostic writes it (`` `GET /…` ``).
    pub written: String,
}

/// An operation a later section of a page documents: a request the page writes as a
/// template under a heading of its own, with a response other than the page's operation's
/// (drive-get-specialfolder's `GET /me/drive/special/{special-folder-name}/children`).
#[derive(Debug, Clone, serde::Serialize)]
pub struct SectionOperation {
    /// The anchor of the section's heading (`get-children-of-a-special-folder`).
    pub anchor: Option<String>,
    /// The operation: the page's permissions and headers, the section's request and
    /// response. Serialized as an [`OperationView`].
    #[serde(serialize_with = "serialize_section_operation")]
    pub operation: Operation,
    /// The query string each form was written with, as [`PageResult::form_queries`].
    pub form_queries: Vec<Option<String>>,
    /// The Graph type of the response body, when known.
    pub response_type: Option<String>,
}

/// The permissions of one row of a per-resource permissions table.
#[derive(Debug, Clone)]
pub struct ResourceTable {
    /// The resources the row's label names, lower-case (`event`, `todotask`): the file
    /// stems of the resource pages it links to, and the identifiers it writes as code.
    pub resources: Vec<String>,
    /// The row read as a table of its own.
    pub table: PermissionsTable,
}

impl PageResult {
    /// The status its operation and findings give: not imported without an operation,
    /// partly with a warning, fully otherwise.
    pub fn status_of(operation: Option<&Operation>, diagnostics: &[Diagnostic]) -> ImportStatus {
        if operation.is_none() {
            ImportStatus::Not
        } else if diagnostics.iter().any(|d| d.severity == Severity::Warning) {
            ImportStatus::Partly
        } else {
            ImportStatus::Full
        }
    }

    /// The page's operations: its own (if imported), then those of its later sections.
    pub fn operations(&self) -> impl Iterator<Item = &Operation> {
        self.operation
            .iter()
            .chain(self.sections.iter().map(|s| &s.operation))
    }

    /// Each form of [`PageResult::operations`], in order, with the query string it was
    /// written with: the numbering [`crate::routing::RouteMatch::form`] uses.
    pub fn forms(&self) -> Vec<(&RequestForm, Option<&str>)> {
        let own = self.operation.iter().flat_map(|op| {
            op.forms
                .iter()
                .enumerate()
                .map(|(i, f)| (f, self.form_queries.get(i).and_then(|q| q.as_deref())))
        });
        let sections = self.sections.iter().flat_map(|s| {
            s.operation
                .forms
                .iter()
                .enumerate()
                .map(|(i, f)| (f, s.form_queries.get(i).and_then(|q| q.as_deref())))
        });
        own.chain(sections).collect()
    }

    /// Whether the page has an operation with a method, a path, all three permission
    /// rows known (scopes, unsupported or none) and a response status.
    pub fn is_complete(&self) -> bool {
        self.operation.as_ref().is_some_and(|op| {
            !op.forms.is_empty()
                && op.response.status.value != 0
                && op.permissions.rows.len() == 3
                && op
                    .permissions
                    .rows
                    .iter()
                    .all(|r| !matches!(r.value, RowValue::Unknown(_)))
        })
    }

    /// The diagnostics of at least `severity`.
    pub fn diagnostics_at_least(&self, severity: Severity) -> impl Iterator<Item = &Diagnostic> {
        self.diagnostics
            .iter()
            .filter(move |d| d.severity >= severity)
    }
}

/// A serializable view of an [`Operation`] (the model keeps spans and `syn` types).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct OperationView {
    /// Doc lines.
    pub doc: Vec<String>,
    /// Type name.
    pub name: String,
    /// Docs page stem.
    pub docs_page: Option<String>,
    /// `v1.0` or `beta`.
    pub version: &'static str,
    /// Request forms.
    pub forms: Vec<FormView>,
    /// Permission rows in table order.
    pub permissions: Vec<RowView>,
    /// Headers.
    pub headers: Vec<HeaderView>,
    /// Body type, rendered as Rust.
    pub body: Option<String>,
    /// Response.
    pub response: ResponseView,
}

/// A request form of an [`OperationView`].
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct FormView {
    /// Method.
    pub method: String,
    /// Path template.
    pub path: String,
    /// Explicit constructor name.
    pub constructor: Option<String>,
}

/// A permissions row of an [`OperationView`].
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct RowView {
    /// `DelegatedWork`, `DelegatedPersonal` or `Application`.
    pub scheme: &'static str,
    /// `scopes`, `unsupported`, `none` or `unknown`.
    pub kind: &'static str,
    /// The alternatives (each a list of scopes all required) when `kind` is `scopes`.
    pub scopes: Vec<Vec<String>>,
}

/// A header of an [`OperationView`].
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct HeaderView {
    /// Name.
    pub name: String,
    /// Whether required.
    pub required: bool,
}

/// The response of an [`OperationView`].
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct ResponseView {
    /// Status code.
    pub status: u16,
    /// `none`, `one` or `collection`.
    pub kind: &'static str,
    /// The type, rendered as Rust.
    pub ty: Option<String>,
}

impl From<&Operation> for OperationView {
    fn from(op: &Operation) -> OperationView {
        let type_string = |t: &TypeRef| crate::print::type_string(&t.ty);
        OperationView {
            doc: op.doc.clone(),
            name: op.name.value.clone(),
            docs_page: op.docs_page.as_ref().map(|d| d.value.clone()),
            version: op.version.value.as_str(),
            forms: op
                .forms
                .iter()
                .map(|f| FormView {
                    method: f.method.value.clone(),
                    path: f.path.value.clone(),
                    constructor: f.constructor.as_ref().map(|c| c.value.clone()),
                })
                .collect(),
            permissions: op
                .permissions
                .rows
                .iter()
                .map(|r| {
                    let (kind, scopes) = match &r.value {
                        RowValue::Scopes(alts) => (
                            "scopes",
                            alts.iter()
                                .map(|a| a.iter().map(|s| s.value.clone()).collect())
                                .collect(),
                        ),
                        RowValue::NotSupported(_) => ("unsupported", Vec::new()),
                        RowValue::NoneRequired(_) => ("none", Vec::new()),
                        RowValue::Unknown(_) => ("unknown", Vec::new()),
                    };
                    RowView {
                        scheme: r.scheme.value.as_str(),
                        kind,
                        scopes,
                    }
                })
                .collect(),
            headers: op
                .headers
                .iter()
                .map(|h| HeaderView {
                    name: h.name.value.clone(),
                    required: h.required,
                })
                .collect(),
            body: op.body.as_ref().map(type_string),
            response: ResponseView {
                status: op.response.status.value,
                kind: match op.response.body {
                    ResponseBody::None => "none",
                    ResponseBody::One(_) => "one",
                    ResponseBody::Collection(_) => "collection",
                },
                ty: match &op.response.body {
                    ResponseBody::None => None,
                    ResponseBody::One(t) | ResponseBody::Collection(t) => Some(type_string(t)),
                },
            },
        }
    }
}

fn serialize_section_operation<S: serde::Serializer>(
    op: &Operation,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    use serde::Serialize;
    OperationView::from(op).serialize(serializer)
}

fn serialize_operation<S: serde::Serializer>(
    op: &Option<Operation>,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    use serde::Serialize;
    op.as_ref().map(OperationView::from).serialize(serializer)
}
