//! Stage 1, reading pages: Microsoft Graph reference pages (Markdown, as in
//! `graph-docs/<lang>/v1.0/api/`) in; for each, the parts of a
//! [definition](graphspec_codegen::model::Operation) and the findings, as a
//! [`PageResult`] (the [page model](crate::page)).
//!
//! The pages are machine-translated. Headings and table labels are in the page's
//! language; anchors (`<a name="permissions">`), code blocks and `<!-- { "blockType": … }
//! -->` annotations are not. So the reader finds everything by anchor and structure and
//! never by heading text, and the few words it must recognise are kept in small
//! multilingual lists ([`words`](self) module: en, ru, pt, de, zh, ja, and fr/es/it where
//! known). An English page, which has no explicit anchors, works too: a heading's anchor
//! is then its slug, as the docs site derives it (`## HTTP request` → `http-request`).
//!
//! # Modules, in reading order
//!
//! | module | what it does |
//! |---|---|
//! | `folder` | the file I/O: which pages a folder holds, reading them, resource indexes ([`read_dir`], [`read_files`]) |
//! | `markdown` | Markdown → sections by anchor, tables, code blocks, annotations, front matter |
//! | `words` | the multilingual word lists |
//! | `resources` | resource pages → which Graph type a link names ([`ResourceIndex`]) |
//! | `request` | the `http-request` section → request lines, templates normalized |
//! | `forms` | request lines and example requests → the operation's forms |
//! | `sections` | requests documented in later sections → more forms, or operations of their own ([`PageResult::sections`]) |
//! | `permissions` | the `permissions` (or Intune's `prerequisites`) section → the permissions table |
//! | `headers` | `request-headers`, `optional-request-headers` → headers; `request-body` → the body |
//! | `response` | the highest-level `response` section → status and body type |
//! | `names` | resource module and operation type names, unique over the corpus ([`assign_names`]) |
//!
//! [`read_page`] (here) runs them over one page, validates the definition as the macro
//! would (`definition.invalid`) and sets the page's [`ImportStatus`](crate::page::ImportStatus). Each module
//! documents its rules.
//!
//! Examples: code blocks annotated `"blockType": "request"` are the page's example
//! requests ([`PageResult::examples`]), used to measure routing
//! ([`Router`](crate::routing::Router)); blocks annotated `"blockType": "response"` (or,
//! on pages without annotations, blocks that start with a status line) are the example
//! responses.
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
//! # API version
//!
//! A page is `beta` when the folder that holds it (or, when that folder is `api`, the
//! folder above it) is named `beta`: `graph-docs/ru-RU/beta/api/user-get.md`. Any other
//! page is `v1.0` ([`api_version_of`]).
//!
//! # Findings
//!
//! Every finding is a [`Diagnostic`] with a [`Code`], whose
//! severity is fixed: an error means the page is not imported ([`PageResult::operation`]
//! is `None`); a warning means it is imported but something is approximate ("partly");
//! a note records a normalization.
//!
//! # Doc lines
//!
//! The definition's doc line is a fact, not prose: the first request form
//! (`` `POST /users/{id}/reprocessLicenseAssignment` ``). The page's text is never
//! copied (it is translated, and licensed as documentation).

mod folder;
mod forms;
mod headers;
mod markdown;
pub(crate) mod names;
mod permissions;
pub(crate) mod request;
mod resources;
mod response;
mod sections;
mod words;

use graphspec_codegen::model::{HeaderDef, Operation, Spanned};
use graphspec_codegen::valid;
use graphspec_spec::{ApiVersion, Method};

use crate::diagnostic::{Code, Diagnostic, Severity};
use crate::page::{ExampleRequest, PageResult};

pub use folder::{ReadError, page_files, read_dir, read_files};
pub use forms::RequestIndex;
pub(crate) use forms::shape_of;
pub use headers::{REQUEST_HEADERS, RequestHeader, mentions_header, request_header};
pub use markdown::front_matter;
pub use names::assign_names;
pub use resources::{ResourceIndex, ResourcePage, resource_page};

/// Reads one operation page. `file_name` is the page's file name or path: its stem is the
/// page name, and its folders give the API version ([`api_version_of`]); `text` is its
/// content; `resources` resolves links to resource pages; `requests` holds the requests
/// the other pages of its folder document, to tell whose request a line with a query
/// string is ([`RequestIndex`]). Pure: no I/O, never panics.
pub fn read_page(
    file_name: &str,
    text: &str,
    resources: &ResourceIndex,
    requests: &RequestIndex,
) -> PageResult {
    let page = page_stem(file_name);
    let version = api_version_of(file_name);
    let doc = markdown::Doc::parse(text);
    let mut diags: Vec<Diagnostic> = Vec::new();

    let examples = forms::example_requests(&doc);
    let blocks = request::form_blocks(&doc, &mut diags);
    let used: Vec<usize> = blocks.iter().map(|b| b.start).collect();
    let lines = request::lines_of(&doc, &blocks, &mut diags);
    let (lines, mut not_forms) = forms::drop_query_lines(&page, lines, requests, &mut diags);
    let (forms, mut form_queries) = forms::choose_forms(&lines, &examples, &mut diags);
    let section_requests = sections::read(&doc, &used);
    if forms.is_empty() {
        diags.push(Diagnostic::new(
            Code::RequestNoForms,
            "no request line (`METHOD /path`) found",
        ));
    }
    let method = forms
        .first()
        .and_then(|f| Method::parse(&f.method.value))
        .unwrap_or(Method::Get);

    let permissions = permissions::read(&doc, &mut diags);
    let own_examples: Vec<&ExampleRequest> = examples
        .iter()
        .filter(|e| e.method == method.as_str())
        .collect();
    let example_has_body = own_examples.first().is_some_and(|e| e.has_body);
    let body = headers::read_body(&doc, method, example_has_body, resources, &mut diags);
    let headers: Vec<HeaderDef> =
        headers::read_headers(&doc, body.body.is_some(), &own_examples, &mut diags);
    let response = response::read(&doc, resources, &mut diags);

    let paths: Vec<&str> = forms.iter().map(|f| f.path.value.as_str()).collect();
    let name = names::operation_name(&page, &paths);
    let resource = names::resource_module(&page);

    let mut operation = None;
    let mut section_operations = Vec::new();
    let mut unanswered = Vec::new();
    let has_error = diags.iter().any(|d| d.severity == Severity::Error);
    let (permissions, resource_tables) = match permissions {
        Some((mut table, per_resource)) => {
            permissions::drop_repeated_scopes(&mut table, &mut diags);
            permissions::note_unknown_scopes(&table, &mut diags);
            (Some(table), per_resource)
        }
        None => (None, Vec::new()),
    };
    if let (false, Some(permissions)) = (has_error, permissions) {
        // Facts only: the page's prose is not copied into definitions.
        let doc_line = format!(
            "`{} {}`",
            method.as_str(),
            paths.first().copied().unwrap_or("")
        );
        let mut op = Operation {
            doc: vec![doc_line],
            name: Spanned::unspanned(name.clone()),
            docs_page: Some(Spanned::unspanned(page.clone())),
            version: Spanned::unspanned(version),
            forms,
            permissions,
            headers,
            body: body.body,
            response: response.def.clone(),
        };
        let own = sections::Own {
            page: &page,
            response_type: response.graph_type.as_deref(),
            requests,
        };
        // Lines whose meaning is a `$filter` lookup: operations of their own.
        let mut section_requests = section_requests;
        let mut lookups = Vec::new();
        let mut converted: Vec<String> = Vec::new();
        not_forms.retain(|line| match sections::lookup(line, &own, &response) {
            Some(found) => {
                lookups.push(found);
                converted.push(format!("`{} {}?{}`", line.method, line.path, line.query));
                false
            }
            None => true,
        });
        // A line that became a lookup is no longer "not a form".
        diags.retain(|d| {
            d.code != Code::RequestQueryForm
                || !converted.iter().any(|c| d.message.starts_with(c.as_str()))
        });
        section_requests.splice(0..0, lookups);
        let found = sections::resolve(
            &own,
            section_requests,
            &mut op,
            &mut form_queries,
            &mut diags,
            &mut unanswered,
        );
        names::name_constructors(&mut op);
        let mut errors = graphspec_codegen::Errors::default();
        let _ = valid::validate(&op, &mut errors);
        if errors.is_empty() {
            operation = Some(op);
            for mut section in found {
                names::name_constructors(&mut section.operation);
                let mut errors = graphspec_codegen::Errors::default();
                let _ = valid::validate(&section.operation, &mut errors);
                if errors.is_empty() {
                    section_operations.push(section);
                } else {
                    for e in errors.errors() {
                        diags.push(Diagnostic::new(
                            Code::RequestSectionSkipped,
                            format!("{}: {e}; skipped", section.operation.doc.join(" ")),
                        ));
                    }
                }
            }
        } else {
            for e in errors.errors() {
                diags.push(Diagnostic::new(Code::DefinitionInvalid, e.to_string()));
            }
        }
    }
    let has_operation = operation.is_some();
    let status = PageResult::status_of(operation.as_ref(), &diags);
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
        product: markdown::front_matter(text, "ms.prod"),
        form_queries: if has_operation {
            form_queries
        } else {
            Vec::new()
        },
        not_forms,
        resource_tables,
        sections: section_operations,
        unanswered,
    }
}

/// The page name: the file stem of a file name or path (`api/user-get.md` → `user-get`).
pub(crate) fn page_stem(file_name: &str) -> String {
    let base = file_name.rsplit(['/', '\\']).next().unwrap_or(file_name);
    base.strip_suffix(".md").unwrap_or(base).to_owned()
}

/// The API version of the page at `path` (a file name or path, `/` or `\\` separated):
/// `beta` when the folder holding the page, or the folder above it when that one is
/// `api`, is named `beta`; else `v1.0`.
///
/// ```
/// use graphspec_spec::ApiVersion;
/// use graphspec_importer::read::api_version_of;
/// assert_eq!(api_version_of("graph-docs/ru-RU/beta/api/user-get.md"), ApiVersion::Beta);
/// assert_eq!(api_version_of("beta/user-get.md"), ApiVersion::Beta);
/// assert_eq!(api_version_of("/home/beta/graph-docs/ru-RU/v1.0/api/user-get.md"), ApiVersion::V1);
/// assert_eq!(api_version_of("user-get.md"), ApiVersion::V1);
/// ```
pub fn api_version_of(path: &str) -> ApiVersion {
    let mut folders: Vec<&str> = path.split(['/', '\\']).collect();
    folders.pop();
    if folders.last() == Some(&"api") {
        folders.pop();
    }
    folders
        .last()
        .and_then(|folder| ApiVersion::parse(folder))
        .unwrap_or(ApiVersion::V1)
}
