//! Reader of Microsoft Graph reference pages: one operation page (Markdown, as in
//! `graph-docs/<lang>/v1.0/api/`) in, the [definition model](graphspec_codegen::model) and
//! diagnostics out.
//!
//! The pages are machine-translated. Headings and table labels are in the page's
//! language; anchors (`<a name="permissions">`), code blocks and `<!-- { "blockType": … }
//! -->` annotations are not. So the reader finds everything by anchor and structure and
//! never by heading text, and the few words it must recognise are kept in small
//! multilingual lists ([`words`](self) module: en, ru, pt, de, zh, ja, and fr/es/it where
//! known). An English page, which has no explicit anchors, works too: a heading's anchor
//! is then its slug, as the docs site derives it (`## HTTP request` → `http-request`).
//!
//! # Sections
//!
//! | anchor | what is read | module |
//! |---|---|---|
//! | `permissions`, or `prerequisites` (Intune pages) | the permissions table(s) | `permissions` |
//! | `http-request`, `http-requests`, `http-request-…` | request lines → forms | `request` |
//! | `request-headers`, `optional-request-headers` | documented headers | `headers` |
//! | `request-body` | whether a body is taken, and its type | `headers` |
//! | `response` (the highest-level one) | status and body type | `response` |
//!
//! Examples: code blocks annotated `"blockType": "request"` are the page's example
//! requests ([`PageResult::examples`]), used to measure routing ([`Router`]); blocks
//! annotated `"blockType": "response"` (or, on pages without annotations, blocks that
//! start with a status line) are the example responses.
//!
//! Each stage documents its rules: table shapes and scheme mapping in `permissions`,
//! template normalization in `request`, the status and type rules in `response`, header
//! and body rules in `headers`.
//!
//! # Names
//!
//! - **Resource module**: the page file name before the first `-`, lower-cased
//!   (`user-reprocesslicenseassignment` → `user`; `subscribedsku-list` →
//!   `subscribedsku`); a Rust keyword gets a trailing `_`.
//! - **Operation type**: the rest of the file name, split at `-`, each part PascalCased
//!   with the case it has in the operation's paths when a path word (or its singular)
//!   matches it case-insensitively, else with just the first letter upper-cased:
//!   `user-reprocesslicenseassignment` with `/users/{id}/reprocessLicenseAssignment` →
//!   `ReprocessLicenseAssignment`; `user-list-licensedetails` with
//!   `/users/{id}/licenseDetails` → `ListLicenseDetails`; `user-get` → `Get`;
//!   `callrecords-callrecord-get` → `CallRecordGet`. A name starting with a digit gets
//!   `Op` in front.
//! - **Collisions** inside one module are resolved over the whole corpus by
//!   [`assign_names`] (file-name order; the module name is prepended, then a number).
//!
//! # Diagnostics
//!
//! Every finding has a [`Severity`] and a stable [`Diagnostic::code`]. An error means
//! the page is not imported ([`PageResult::operation`] is `None`); a warning means it is
//! imported but something is approximate ("partly"); a note records a normalization.
//! [`DIAGNOSTIC_CODES`] lists every code.
//!
//! # Doc lines
//!
//! The definition's doc line is a fact, not prose: the first request form
//! (`` `POST /users/{id}/reprocessLicenseAssignment` ``). The page's text is never
//! copied (it is translated, and licensed as documentation).
//!
//! # Reading a folder
//!
//! [`read_dir`] does the file I/O: it indexes `<dir>/resources/*.md` into a
//! [`ResourceIndex`], reads `<dir>/api/*.md` in file-name order and assigns unique
//! names. [`read_page`] is pure.

mod headers;
mod markdown;
mod names;
mod permissions;
mod request;
mod resources;
mod response;
mod routing;
mod words;

use std::path::Path;

use graphspec_codegen::model::{
    ApiVersion, HeaderDef, Method, Operation, RequestForm, ResponseBody, RowValue, Spanned,
};
use graphspec_codegen::naming;
use graphspec_codegen::valid;

pub use names::assign_names;
pub use resources::ResourceIndex;
pub use routing::{RouteMatch, Routed, Router};

/// How serious a finding is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// A normalization worth knowing (a query string removed, a placeholder renamed).
    Note,
    /// The page is imported, but part of it is approximate or missing.
    Warning,
    /// The page cannot be imported.
    Error,
}

/// One finding about a page.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Diagnostic {
    /// How serious it is.
    pub severity: Severity,
    /// A stable machine-readable code, `area.what` (see [`DIAGNOSTIC_CODES`]).
    pub code: &'static str,
    /// What was found, for people.
    pub message: String,
}

impl Diagnostic {
    /// A finding.
    pub fn new(severity: Severity, code: &'static str, message: impl Into<String>) -> Diagnostic {
        Diagnostic {
            severity,
            code,
            message: message.into(),
        }
    }
}

/// Every diagnostic code the reader emits, with its severity and meaning.
pub const DIAGNOSTIC_CODES: &[(&str, Severity, &str)] = &[
    (
        "permissions.missing-section",
        Severity::Error,
        "no section anchored `permissions` or `prerequisites`",
    ),
    (
        "permissions.no-table",
        Severity::Error,
        "the permissions section has no permissions table",
    ),
    (
        "permissions.missing-row",
        Severity::Warning,
        "a scheme has no row (recorded as unknown)",
    ),
    (
        "permissions.unrecognised-cell",
        Severity::Warning,
        "a cell without scopes that says none of not supported / not applicable / none (unknown)",
    ),
    (
        "permissions.empty-cell",
        Severity::Warning,
        "an empty cell (unknown)",
    ),
    (
        "permissions.merged-tables",
        Severity::Warning,
        "several tables (per form or object type) were merged",
    ),
    (
        "permissions.per-resource-table",
        Severity::Warning,
        "a table with one row per resource was merged",
    ),
    (
        "permissions.conditional",
        Severity::Warning,
        "rows disagree (scopes here, not supported there); scopes kept",
    ),
    (
        "permissions.qualified-cell",
        Severity::Warning,
        "a cell lists scopes under conditions; all kept",
    ),
    (
        "permissions.duplicate-row",
        Severity::Warning,
        "a scheme has two rows in one table; merged",
    ),
    (
        "permissions.duplicate-scope",
        Severity::Note,
        "a scope listed twice in one row (merged tables); the repetition dropped",
    ),
    (
        "permissions.scheme-by-position",
        Severity::Warning,
        "scheme labels not recognised; the original row order assumed",
    ),
    (
        "permissions.not-applicable",
        Severity::Note,
        "\"not applicable\" read as not supported",
    ),
    (
        "permissions.order-reversed",
        Severity::Note,
        "the header says most → least privileged and the scopes agree; order reversed",
    ),
    (
        "permissions.order-claim-ignored",
        Severity::Note,
        "the header says most → least privileged but the scopes are least → most; kept",
    ),
    (
        "permissions.ignored-table",
        Severity::Note,
        "a table in the section is not a permissions table",
    ),
    (
        "permissions.ignored-row",
        Severity::Note,
        "a row whose label is not a scheme",
    ),
    (
        "permissions.scope-repaired",
        Severity::Note,
        "a scope split by a stray space was rejoined",
    ),
    (
        "permissions.text-between-scopes",
        Severity::Note,
        "text other than and/or between scopes; read as alternatives",
    ),
    ("request.no-forms", Severity::Error, "no request line found"),
    (
        "request.bad-template",
        Severity::Warning,
        "a request line could not be read as a template; skipped",
    ),
    (
        "request.mixed-methods",
        Severity::Warning,
        "request lines with another method than the operation's; dropped",
    ),
    (
        "request.section-not-found",
        Severity::Note,
        "no `http-request` section; code blocks before the first example used",
    ),
    (
        "request.line-without-method",
        Severity::Note,
        "a path line without a method took the method of the line before",
    ),
    (
        "request.other-lines",
        Severity::Note,
        "lines in request blocks that are not request lines were skipped",
    ),
    (
        "request.query-stripped",
        Severity::Note,
        "a query string was removed from a template",
    ),
    (
        "request.function-argument",
        Severity::Note,
        "a literal OData function argument became a parameter",
    ),
    (
        "request.repaired-parenthesis",
        Severity::Note,
        "an unclosed `(` was closed",
    ),
    (
        "request.repaired-slash",
        Severity::Note,
        "a placeholder glued to the word before it was split off",
    ),
    (
        "request.literal-id",
        Severity::Note,
        "a literal GUID or host name in a template became a placeholder",
    ),
    (
        "request.repaired-brace",
        Severity::Note,
        "an unbalanced `{` or `}` was repaired",
    ),
    (
        "request.renamed-placeholder",
        Severity::Note,
        "a placeholder was renamed (duplicate or not an identifier)",
    ),
    (
        "request.duplicate-form",
        Severity::Note,
        "a form equal to another up to parameter names was dropped",
    ),
    (
        "request.constructor-named",
        Severity::Note,
        "forms whose derived constructor names collide got explicit names",
    ),
    (
        "headers.unrecognised-name",
        Severity::Note,
        "a header row whose name is not an HTTP header name (translated) was skipped",
    ),
    (
        "body.ignored-for-method",
        Severity::Note,
        "a GET/DELETE example shows a body; not modelled",
    ),
    (
        "response.missing-section",
        Severity::Warning,
        "no section anchored `response`",
    ),
    (
        "response.status-disagreement",
        Severity::Warning,
        "the prose and the example response give different status codes; prose taken",
    ),
    (
        "response.status-assumed",
        Severity::Warning,
        "no status code anywhere; 200 assumed",
    ),
    (
        "response.type-unknown",
        Severity::Warning,
        "an example body without a type; serde_json::Value used",
    ),
    (
        "response.type-unmapped",
        Severity::Warning,
        "a Graph type without a Rust name; serde_json::Value used",
    ),
    (
        "response.type-disagreement",
        Severity::Note,
        "the annotation and the prose links name different types; annotation taken",
    ),
    (
        "definition.invalid",
        Severity::Error,
        "the imported definition fails validation (what the macro would reject)",
    ),
    (
        "naming.renamed",
        Severity::Note,
        "the operation name was taken in its module; renamed",
    ),
];

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
}

/// What reading one page gives.
#[derive(Debug, Clone, serde::Serialize)]
pub struct PageResult {
    /// The page file stem (`user-reprocesslicenseassignment`).
    pub page: String,
    /// The resource module name (`user`).
    pub resource: String,
    /// The operation type name (`ReprocessLicenseAssignment`); unique per module after
    /// [`assign_names`].
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
    /// parallel to the operation's forms; the router uses it to tell apart operations
    /// that differ only in their query (`$expand=singleValueExtendedProperties…`).
    pub form_queries: Vec<Option<String>>,
}

impl PageResult {
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
        let type_string = |t: &graphspec_codegen::model::TypeRef| crate::print::type_string(&t.ty);
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

fn serialize_operation<S: serde::Serializer>(
    op: &Option<Operation>,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    use serde::Serialize;
    op.as_ref().map(OperationView::from).serialize(serializer)
}

/// Reads one operation page. `file_name` is the page's file name or path (its stem is the
/// page name; a path with a `beta` component makes the operation `beta`, else `v1.0`);
/// `text` its content; `resources` resolves links to resource pages. Pure: no I/O, never
/// panics.
pub fn read_page(file_name: &str, text: &str, resources: &ResourceIndex) -> PageResult {
    let page = {
        let base = file_name.rsplit(['/', '\\']).next().unwrap_or(file_name);
        base.strip_suffix(".md").unwrap_or(base).to_owned()
    };
    let version = if file_name.split(['/', '\\']).any(|c| c == "beta") {
        ApiVersion::Beta
    } else {
        ApiVersion::V1
    };
    let doc = markdown::Doc::parse(text);
    let mut diags: Vec<Diagnostic> = Vec::new();

    let examples = example_requests(&doc);
    let lines = request::read(&doc, &mut diags);
    let (forms, form_queries) = choose_forms(&lines, &examples, &mut diags);
    if forms.is_empty() {
        diags.push(Diagnostic::new(
            Severity::Error,
            "request.no-forms",
            "no request line (`METHOD /path`) found",
        ));
    }
    let method = forms
        .first()
        .and_then(|f| Method::parse(&f.method.value))
        .unwrap_or(Method::Get);

    let permissions = permissions::read(&doc, &mut diags);
    let headers: Vec<HeaderDef> = headers::read_headers(&doc, &mut diags);
    let example_has_body = examples
        .iter()
        .find(|e| e.method == method.as_str())
        .is_some_and(|e| e.has_body);
    let body = headers::read_body(&doc, method, example_has_body, resources, &mut diags);
    let response = response::read(&doc, resources, &mut diags);

    let paths: Vec<&str> = forms.iter().map(|f| f.path.value.as_str()).collect();
    let name = names::operation_name(&page, &paths);
    let resource = names::resource_module(&page);

    let mut operation = None;
    let has_error = diags.iter().any(|d| d.severity == Severity::Error);
    let permissions = permissions.map(|mut table| {
        drop_repeated_scopes(&mut table, &mut diags);
        table
    });
    if let (false, Some(permissions)) = (has_error, permissions) {
        // Facts only: the page's prose is not copied into definitions.
        let doc_line = format!(
            "`{} {}`",
            method.as_str(),
            paths.first().copied().unwrap_or("")
        );
        let op = Operation {
            doc: vec![doc_line],
            name: Spanned::unspanned(name.clone()),
            docs_page: Some(Spanned::unspanned(page.clone())),
            version: Spanned::unspanned(version),
            forms,
            permissions,
            headers,
            body: body.body,
            response: response.def,
        };
        let mut errors = graphspec_codegen::Errors::default();
        let _ = valid::validate(&op, &mut errors);
        if errors.is_empty() {
            operation = Some(op);
        } else {
            for e in errors.errors() {
                diags.push(Diagnostic::new(
                    Severity::Error,
                    "definition.invalid",
                    e.to_string(),
                ));
            }
        }
    }
    let has_operation = operation.is_some();
    let status = if operation.is_none() {
        ImportStatus::Not
    } else if diags.iter().any(|d| d.severity == Severity::Warning) {
        ImportStatus::Partly
    } else {
        ImportStatus::Full
    };
    PageResult {
        page,
        resource,
        name,
        operation,
        status,
        diagnostics: diags,
        body_type: body.graph_type,
        response_type: response.graph_type,
        examples,
        form_queries: if has_operation {
            form_queries
        } else {
            Vec::new()
        },
    }
}

/// Drops repeated alternatives (and repeated scopes inside one alternative) from every
/// row, keeping the first: merged tables list a scope once per table, and a definition
/// may list it only once.
fn drop_repeated_scopes(
    table: &mut graphspec_codegen::model::PermissionsTable,
    diags: &mut Vec<Diagnostic>,
) {
    for row in &mut table.rows {
        let RowValue::Scopes(alternatives) = &mut row.value else {
            continue;
        };
        let mut seen: Vec<Vec<String>> = Vec::new();
        let mut dropped: Vec<String> = Vec::new();
        alternatives.retain_mut(|alt| {
            let mut names: Vec<String> = Vec::new();
            alt.retain(|s| {
                let new = !names.contains(&s.value);
                if new {
                    names.push(s.value.clone());
                } else {
                    dropped.push(s.value.clone());
                }
                new
            });
            let mut key = names.clone();
            key.sort();
            if seen.contains(&key) {
                dropped.push(names.join(" + "));
                false
            } else {
                seen.push(key);
                true
            }
        });
        if !dropped.is_empty() {
            diags.push(Diagnostic::new(
                Severity::Note,
                "permissions.duplicate-scope",
                format!(
                    "{} listed twice in the {} row; the repetition dropped",
                    dropped.join(", "),
                    row.scheme.value.as_str()
                ),
            ));
        }
    }
}

/// The `"blockType": "request"` examples of a page.
fn example_requests(doc: &markdown::Doc<'_>) -> Vec<ExampleRequest> {
    let mut out = Vec::new();
    for block in &doc.blocks {
        if !doc.is_block(block, "request") {
            continue;
        }
        let lines = doc.block_lines(block);
        let Some(first) = lines.iter().position(|l| !l.trim().is_empty()) else {
            continue;
        };
        let Some((method, target)) = request::split_method(lines[first]) else {
            continue;
        };
        let has_body = lines[first + 1..]
            .iter()
            .any(|l| l.trim_start().starts_with(['{', '[']));
        out.push(ExampleRequest {
            method,
            url: target.trim().to_owned(),
            has_body,
        });
    }
    out
}

/// Picks the operation's method and forms from the request lines (see the module docs of
/// `request`): the method the examples use most among the lines' methods (ties: the first
/// line's), duplicates dropped, colliding constructor names made explicit.
fn choose_forms(
    lines: &[request::RequestLine],
    examples: &[ExampleRequest],
    diags: &mut Vec<Diagnostic>,
) -> (Vec<RequestForm>, Vec<Option<String>>) {
    let Some(first) = lines.first() else {
        return (Vec::new(), Vec::new());
    };
    let mut method = first.method.clone();
    let methods: Vec<&str> = {
        let mut m: Vec<&str> = Vec::new();
        for l in lines {
            if !m.contains(&l.method.as_str()) {
                m.push(&l.method);
            }
        }
        m
    };
    if methods.len() > 1 {
        let count = |m: &str| examples.iter().filter(|e| e.method == m).count();
        let best = methods
            .iter()
            .max_by_key(|m| count(m))
            .copied()
            .unwrap_or("");
        if count(best) > count(&method) {
            method = best.to_owned();
        }
        let dropped = lines.iter().filter(|l| l.method != method).count();
        diags.push(Diagnostic::new(
            Severity::Warning,
            "request.mixed-methods",
            format!(
                "the request lines use {}; the operation is {method}, {dropped} line(s) with another method dropped",
                methods.join(", ")
            ),
        ));
    }
    let mut forms: Vec<RequestForm> = Vec::new();
    let mut queries: Vec<Option<String>> = Vec::new();
    let mut shapes: Vec<String> = Vec::new();
    for line in lines.iter().filter(|l| l.method == method) {
        let shape = shape_of(&line.path);
        if shapes.contains(&shape) {
            if !forms.iter().any(|f| f.path.value == line.path) {
                diags.push(Diagnostic::new(
                    Severity::Note,
                    "request.duplicate-form",
                    format!(
                        "`{}` equals another form up to parameter names; dropped",
                        line.path
                    ),
                ));
            }
            continue;
        }
        shapes.push(shape);
        queries.push(line.query.clone());
        forms.push(RequestForm {
            method: Spanned::unspanned(method.clone()),
            path: Spanned::unspanned(line.path.clone()),
            constructor: None,
        });
    }
    name_constructors(&mut forms, diags);
    (forms, queries)
}

/// A template with every placeholder emptied and ASCII lower-cased: two forms with the
/// same shape route the same requests.
pub(crate) fn shape_of(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    let mut depth = 0;
    for c in path.chars() {
        match c {
            '{' => {
                depth += 1;
                out.push('{');
            }
            '}' => {
                depth -= 1;
                out.push('}');
            }
            _ if depth > 0 => {}
            _ => out.push(c.to_ascii_lowercase()),
        }
    }
    out
}

/// Gives forms whose derived constructor names collide (or are not identifiers) explicit
/// names: the derived name with `_2`, `_3`… for the second and later.
fn name_constructors(forms: &mut [RequestForm], diags: &mut Vec<Diagnostic>) {
    if forms.len() < 2 {
        return;
    }
    let pieces: Vec<Vec<valid::Piece>> = forms
        .iter()
        .map(|f| valid::parse_template(&f.path, &mut graphspec_codegen::Errors::default()).0)
        .collect();
    let refs: Vec<&[valid::Piece]> = pieces.iter().map(Vec::as_slice).collect();
    let derived = naming::constructor_names(&refs);
    let mut used: Vec<String> = Vec::new();
    let mut renamed = false;
    for (i, name) in derived.iter().enumerate() {
        let clash = used.contains(name) || !naming::is_identifier(name);
        if clash {
            let base = if naming::is_identifier(name) {
                name.clone()
            } else {
                "form".to_owned()
            };
            let mut n = 2;
            let mut candidate = format!("{base}_{n}");
            while used.contains(&candidate) || derived.contains(&candidate) {
                n += 1;
                candidate = format!("{base}_{n}");
            }
            forms[i].constructor = Some(Spanned::unspanned(candidate.clone()));
            used.push(candidate);
            renamed = true;
        } else {
            used.push(name.clone());
        }
    }
    if renamed {
        diags.push(Diagnostic::new(
            Severity::Note,
            "request.constructor-named",
            "forms whose constructor names would collide got explicit names (`as name_2`)",
        ));
    }
}

/// Reads a docs folder (`<dir>/api/*.md`, `<dir>/resources/*.md`; `<dir>` is e.g.
/// `graph-docs/ru-RU/v1.0`): indexes the resource pages, reads every operation page in
/// file-name order and makes names unique ([`assign_names`]).
pub fn read_dir(dir: &Path) -> std::io::Result<Vec<PageResult>> {
    let mut resource_pages = Vec::new();
    let resources_dir = dir.join("resources");
    if resources_dir.is_dir() {
        for path in md_files(&resources_dir)? {
            let text = std::fs::read_to_string(&path)?;
            let name = path
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            resource_pages.push((name, text));
        }
    }
    let resources = ResourceIndex::from_pages(resource_pages);
    let mut out = Vec::new();
    for path in md_files(&dir.join("api"))? {
        let text = std::fs::read_to_string(&path)?;
        out.push(read_page(&path.to_string_lossy(), &text, &resources));
    }
    assign_names(&mut out);
    Ok(out)
}

/// The `*.md` files of a folder, sorted by name.
fn md_files(dir: &Path) -> std::io::Result<Vec<std::path::PathBuf>> {
    let mut files: Vec<_> = std::fs::read_dir(dir)?
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "md"))
        .collect();
    files.sort();
    Ok(files)
}

/// How one example request routes over a corpus.
#[derive(Debug, Clone, serde::Serialize)]
pub struct ExampleRouting {
    /// Index of the page the example is on.
    pub page: usize,
    /// Index of the example in [`PageResult::examples`].
    pub example: usize,
    /// The outcome.
    pub routed: Routed,
    /// Whether it routed to exactly the operation of its own page.
    pub ok: bool,
    /// Whether it routed to another page that documents the same endpoint as its own
    /// page (same method and template; see [`RouteMatch::shared_with`]).
    pub shared: bool,
}

/// Routes every example request of `pages` over all their operations.
pub fn route_examples(pages: &[PageResult]) -> Vec<ExampleRouting> {
    let router = Router::new(pages);
    let mut out = Vec::new();
    for (page_index, page) in pages.iter().enumerate() {
        for (example_index, example) in page.examples.iter().enumerate() {
            let routed = router.route(&example.method, &example.url);
            let ok = matches!(&routed, Routed::Matched(m) if m.page == page_index);
            let shared =
                matches!(&routed, Routed::Matched(m) if m.shared_with.contains(&page_index));
            out.push(ExampleRouting {
                page: page_index,
                example: example_index,
                routed,
                ok,
                shared,
            });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every code passed to `Diagnostic::new` in the reader's sources is listed in
    /// [`DIAGNOSTIC_CODES`] with the severity it is emitted with, and none twice.
    #[test]
    fn diagnostic_codes_are_listed() {
        let sources = [
            include_str!("mod.rs"),
            include_str!("permissions.rs"),
            include_str!("request.rs"),
            include_str!("response.rs"),
            include_str!("headers.rs"),
            include_str!("names.rs"),
        ];
        let mut found = 0;
        for source in sources {
            let mut rest = source;
            while let Some(pos) = rest.find("Diagnostic::new(") {
                rest = &rest[pos + "Diagnostic::new(".len()..];
                let after = rest.trim_start();
                let Some(sev_end) = after.find(',') else {
                    break;
                };
                let severity = after[..sev_end].trim();
                let after = after[sev_end + 1..].trim_start();
                let Some(literal) = after.strip_prefix('"') else {
                    continue;
                };
                let Some(end) = literal.find('"') else { break };
                let code = &literal[..end];
                let listed = DIAGNOSTIC_CODES
                    .iter()
                    .find(|(c, _, _)| *c == code)
                    .unwrap_or_else(|| panic!("{code} is not in DIAGNOSTIC_CODES"));
                assert_eq!(
                    format!("Severity::{:?}", listed.1),
                    severity,
                    "{code} is listed with another severity"
                );
                found += 1;
            }
        }
        assert!(found > 30);
        let mut codes: Vec<&str> = DIAGNOSTIC_CODES.iter().map(|(c, _, _)| *c).collect();
        codes.sort_unstable();
        let before = codes.len();
        codes.dedup();
        assert_eq!(codes.len(), before, "a code is listed twice");
    }
}
