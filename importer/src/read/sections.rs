//! Requests documented in later sections of a page.
//!
//! A page documents its operation's requests in its HTTP request section, but some pages
//! document more requests further down, each under a heading of its own with a request
//! and the response it gets: drive-get-specialfolder lists a special folder's children
//! (`GET /me/drive/special/{special-folder-name}/children`, a collection of `driveItem`),
//! driveitem-list-thumbnails gets one thumbnail (`…/thumbnails/{thumb-id}/{size}`, one
//! `thumbnail`) and its content, shares-get reads the shared item itself
//! (`/shares/{shareIdOrUrl}/driveItem`). Reading only the HTTP request section drops
//! those requests, or routes them to an operation whose response they do not get.
//!
//! # Which lines
//!
//! Code blocks outside the ones the HTTP request section's forms come from, whose first
//! line is a request line written as a **template**: a path relative to the service root
//! (no scheme or host) with at least one placeholder (`{name}` or `<name>`). An example,
//! written with a full URL or literal ids, is an example and not a definition: it never
//! adds a request. The response of such a request is the first example response block
//! after it, before the next request block; without one it cannot be typed, and the line
//! is skipped (`request.section-skipped`).
//!
//! The line is normalized as the HTTP request section's are (`request`), and its query is
//! judged as theirs is (`forms`): the request's own parameters stay as its fixed query;
//! a line whose meaning is in its query string (`GET /me/drive/items/{item-id}/children?$expand=thumbnails`,
//! another page's request with an option) is that page's, and is left to it.
//!
//! # What it becomes
//!
//! - A request one of the operation's forms already serves (same method and path shape,
//!   the same path with an option of its own, or a form routes it: `…/versions/current`
//!   is `…/versions/{version-id}`) adds nothing, and so does another page's request.
//! - A request with the operation's method and response (status and body type) is one
//!   more **form** of the operation (`request.section-form`):
//!   driveitem-get-content-format's `GET /me/drive/items/{item-id}/content?format={format}`.
//! - A request with another response is an **operation of its own**
//!   (`request.section-operation`), with the page's permissions and headers, and its
//!   section's response. Its reference link names the section
//!   (`drive-get-specialfolder#get-children-of-a-special-folder`). A section operation
//!   with a body-carrying method (`POST`, `PUT`, `PATCH`) other than the operation's has
//!   a body the page does not describe, and is skipped (`request.section-skipped`).
//!
//! Operations are then named from their requests like any other (`docs/naming.md`), and
//! an endpoint another page owns is merged into its owner (`identity`).
//!
//! # Lookups
//!
//! The same machinery serves one kind of HTTP request section line that is not a form of
//! the page's operation ([`lookup`]): a `GET` whose `$filter` compares a property with a
//! value the caller gives (`GET /me/onlineMeetings?$filter=JoinWebUrl eq '{joinWebUrl}'`).
//! It is an operation of its own, its `$filter` fixed, answering a collection of what the
//! page's operation answers one of (`request.lookup-operation`).

use graphspec_codegen::model::{
    HeaderDef, Operation, RequestForm, ResponseBody, ResponseDef, Spanned,
};
use graphspec_spec::Method;

use super::forms;
use super::markdown::{CodeBlock, Doc, decode_entities};
use super::request::{self, RequestLine};
use super::response::{self, ResponseReading};
use crate::diagnostic::{Code, Diagnostic};
use crate::page::{QueryLine, SectionOperation};

/// A request a later section of a page documents.
#[derive(Debug, Clone)]
pub(crate) struct SectionRequest {
    /// The request line, normalized (its query not judged yet).
    pub line: RequestLine,
    /// The anchor of the section's heading (the nearest one above that is not a generic
    /// `http-request`, `request` or `response` heading).
    pub anchor: Option<String>,
    /// The response that follows the request, if any.
    pub response: Option<ResponseReading>,
    /// A lookup ([`lookup`]) rather than a later section's request.
    pub lookup: bool,
}

/// Anchors of the headings inside a section, which do not name it.
fn is_generic(anchor: &str) -> bool {
    ["http-request", "request", "response"]
        .iter()
        .any(|g| anchor == *g || anchor.starts_with(&format!("{g}-")))
}

/// Whether a block is a request block: annotated `request`, or its first line is a
/// request line.
fn is_request_block(doc: &Doc<'_>, block: &CodeBlock) -> bool {
    doc.is_block(block, "request")
        || first_line(doc, block).is_some_and(|l| request::split_method(l).is_some())
}

/// Whether a block is an example response: annotated `response`, or it starts with a
/// status line.
fn is_response_block(doc: &Doc<'_>, block: &CodeBlock) -> bool {
    doc.is_block(block, "response")
        || first_line(doc, block).is_some_and(|l| l.trim_start().starts_with("HTTP/"))
}

fn first_line<'a>(doc: &Doc<'a>, block: &CodeBlock) -> Option<&'a str> {
    doc.block_lines(block)
        .iter()
        .copied()
        .find(|l| !l.trim().is_empty())
}

/// The template request lines of the blocks not in `used` (block start lines), with their
/// sections' responses (module docs).
pub(crate) fn read(doc: &Doc<'_>, used: &[usize]) -> Vec<SectionRequest> {
    let mut out = Vec::new();
    for (index, block) in doc.blocks.iter().enumerate() {
        if used.contains(&block.start) || is_response_block(doc, block) {
            continue;
        }
        let Some(first) = first_line(doc, block) else {
            continue;
        };
        let Some((method, target)) = request::split_method(first) else {
            continue;
        };
        let target = decode_entities(target);
        let target = target.trim();
        if !target.starts_with('/') || !target.contains(['{', '<']) {
            continue;
        }
        // Repairs are the HTTP request section's findings; a section line that becomes
        // a form or an operation is reported by its own code.
        let mut scratch = Vec::new();
        let Some((path, query)) = request::normalize_target(target, &mut scratch) else {
            continue;
        };
        if !path.contains('{') && !query.as_deref().is_some_and(|q| q.contains('{')) {
            continue;
        }
        let response = doc.blocks[index + 1..]
            .iter()
            .take_while(|b| !is_request_block(doc, b))
            .find(|b| is_response_block(doc, b))
            .and_then(|b| response::read_example(doc.block_lines(b), doc.annotation(b)));
        let anchor = doc
            .headings
            .iter()
            .rfind(|h| !h.tab && h.line < block.start && !is_generic(&h.anchor))
            .map(|h| h.anchor.clone());
        out.push(SectionRequest {
            line: RequestLine {
                method,
                path,
                query,
            },
            anchor,
            response,
            lookup: false,
        });
    }
    out
}

/// A request line of the HTTP request section whose meaning is in its query string, when
/// that meaning is a lookup: a `GET` whose `$filter` compares a property with a value the
/// caller gives (`GET /me/onlineMeetings?$filter=JoinWebUrl eq '{joinWebUrl}'`), on a
/// path no other page documents. Graph answers it with a collection of what the page's
/// operation answers one of, so it becomes an operation of its own with the `$filter`
/// fixed (`request.lookup-operation`); the caller's other options stay the caller's.
/// `None` for any other line.
pub(crate) fn lookup(
    line: &QueryLine,
    own: &Own<'_>,
    response: &ResponseReading,
) -> Option<SectionRequest> {
    if line.method != "GET"
        || !own
            .requests
            .documented_elsewhere(own.page, &line.method, &line.path)
            .is_empty()
    {
        return None;
    }
    let mut filter = None;
    let mut rest: Vec<&str> = Vec::new();
    for option in line.query.split('&').filter(|o| !o.trim().is_empty()) {
        let (name, value) = option.split_once('=').unwrap_or((option, ""));
        if graphspec_spec::path::option_key(name.trim()) == "filter" && filter.is_none() {
            let value = graphspec_spec::path::decode_query_component(value.trim())?;
            if !value.contains('{') {
                return None;
            }
            filter = Some(value);
        } else {
            rest.push(option);
        }
    }
    let filter = filter?;
    let path = format!("{}?$filter={filter}", line.path);
    let (parsed, errors) = graphspec_spec::path::parse(&path);
    if !errors.is_empty() || parsed.query.is_empty() {
        return None;
    }
    let def = match &response.def.body {
        ResponseBody::One(t) | ResponseBody::Collection(t) => ResponseDef {
            status: Spanned::unspanned(200),
            body: ResponseBody::Collection(t.clone()),
        },
        ResponseBody::None => return None,
    };
    Some(SectionRequest {
        line: RequestLine {
            method: line.method.clone(),
            path,
            query: (!rest.is_empty()).then(|| rest.join("&")),
        },
        anchor: None,
        response: Some(ResponseReading {
            def,
            graph_type: response.graph_type.clone(),
        }),
        lookup: true,
    })
}

/// The page's operation as the section requests are compared with it.
pub(crate) struct Own<'a> {
    /// The page's file stem.
    pub page: &'a str,
    /// The Graph type of the operation's response body, when known.
    pub response_type: Option<&'a str>,
    /// The requests the other pages of the folder document.
    pub requests: &'a super::RequestIndex,
}

/// What a response is, to compare two: status, body kind, and body type.
fn response_key(def: &ResponseDef, graph_type: Option<&str>) -> (u16, u8, String) {
    let kind = match &def.body {
        ResponseBody::None => 0,
        ResponseBody::One(_) => 1,
        ResponseBody::Collection(_) => 2,
    };
    let ty = match (&def.body, graph_type) {
        (ResponseBody::None, _) => String::new(),
        (_, Some(t)) => t.to_ascii_lowercase(),
        (ResponseBody::One(t) | ResponseBody::Collection(t), None) => {
            crate::print::type_string(&t.ty)
        }
    };
    (def.status.value, kind, ty)
}

/// Whether one of `op`'s forms with the line's method routes the line's path, its
/// placeholders read as values.
fn routed_by(op: &Operation, line: &RequestLine) -> bool {
    let bare = graphspec_spec::path::path_part(&line.path);
    op.forms
        .iter()
        .filter(|f| f.method.value == line.method)
        .any(|f| {
            let (parsed, errors) = graphspec_spec::path::parse(&f.path.value);
            errors.is_empty() && graphspec_spec::path::match_path(&parsed.pieces, bare).is_some()
        })
}

/// Turns the section requests of a page into more forms of `op` (pushing their queries
/// to `queries`, parallel to its forms) and operations of their own (module docs, *What
/// it becomes*).
pub(crate) fn resolve(
    own: &Own<'_>,
    found: Vec<SectionRequest>,
    op: &mut Operation,
    queries: &mut Vec<Option<String>>,
    diags: &mut Vec<Diagnostic>,
    unanswered: &mut Vec<crate::page::UnansweredRequest>,
) -> Vec<SectionOperation> {
    let mut found: Vec<(SectionRequest, Vec<Diagnostic>)> = found
        .into_iter()
        .map(|mut s| {
            let mut notes = Vec::new();
            forms::keep_parameters(&mut s.line, &mut notes);
            (s, notes)
        })
        .collect();
    // The page's own requests written without a query: the operation's, and the
    // sections'.
    let plain: Vec<(String, String)> = op
        .forms
        .iter()
        .zip(queries.iter())
        .filter(|(_, q)| q.is_none())
        .map(|(f, _)| (f.method.value.clone(), forms::shape_of(&f.path.value)))
        .chain(
            found
                .iter()
                .filter(|(s, _)| s.line.query.is_none())
                .map(|(s, _)| (s.line.method.clone(), forms::shape_of(&s.line.path))),
        )
        .collect();
    let own_key = response_key(&op.response, own.response_type);
    let mut out: Vec<SectionOperation> = Vec::new();
    // (method, shape) of every form so far.
    let mut served: Vec<(String, String)> = op
        .forms
        .iter()
        .map(|f| (f.method.value.clone(), forms::shape_of(&f.path.value)))
        .collect();
    for (section, notes) in found.drain(..) {
        let line = &section.line;
        if let Some(query) = &line.query
            && forms::query_meaning(own.page, line, query, &plain, own.requests).is_some()
        {
            // Another page's request with an option the caller chooses: that page's.
            continue;
        }
        let key = (line.method.clone(), forms::shape_of(&line.path));
        let bare = graphspec_spec::path::path_part(&line.path);
        let bare_key = (line.method.clone(), forms::shape_of(bare));
        if served.contains(&key) || served.contains(&bare_key) || routed_by(op, line) {
            // One of the operation's requests (with an option of its own, or an example
            // value: `…/versions/current` is `…/versions/{version-id}`).
            continue;
        }
        let elsewhere = |path: &str| {
            !own.requests
                .documented_elsewhere(own.page, &line.method, path)
                .is_empty()
        };
        if elsewhere(&line.path)
            || (elsewhere(bare) && (bare == line.path || section.response.is_none()))
        {
            // Another page's request (`drive-recent` shows how to read a listed item),
            // or that request with an option the section explains
            // (`…/content?includeIDs=true` on page-get).
            continue;
        }
        let written = format!("`{} {}`", line.method, line.path);
        let Some(response) = &section.response else {
            if line.method == "GET" {
                unanswered.push(crate::page::UnansweredRequest {
                    anchor: section.anchor.clone(),
                    path: graphspec_spec::path::path_part(&line.path).to_owned(),
                    written: written.clone(),
                });
            }
            diags.push(Diagnostic::new(
                Code::RequestSectionSkipped,
                format!("{written}: no example response follows it; skipped"),
            ));
            continue;
        };
        let form = RequestForm {
            method: Spanned::unspanned(line.method.clone()),
            path: Spanned::unspanned(line.path.clone()),
            constructor: None,
        };
        let section_key = response_key(&response.def, response.graph_type.as_deref());
        if line.method == op.forms.first().map_or("", |f| f.method.value.as_str())
            && section_key == own_key
        {
            diags.extend(notes);
            diags.push(Diagnostic::new(
                Code::RequestSectionForm,
                format!(
                    "{written} (section `{}`): the operation's method and response; one more form",
                    section.anchor.as_deref().unwrap_or("")
                ),
            ));
            op.forms.push(form);
            queries.push(line.query.clone());
            served.push(key);
            continue;
        }
        if Method::parse(&line.method)
            .is_none_or(|m| matches!(m, Method::Post | Method::Put | Method::Patch))
        {
            diags.push(Diagnostic::new(
                Code::RequestSectionSkipped,
                format!(
                    "{written}: another response than the operation's, and a body the page does not describe; skipped"
                ),
            ));
            continue;
        }
        diags.extend(notes);
        served.push(key);
        // Requests of one section with one method, response and fixed query (up to
        // parameter names) are one operation.
        let fixed_query =
            |path: &str| forms::shape_of(&path[graphspec_spec::path::path_part(path).len()..]);
        if let Some(existing) = out.iter_mut().find(|s| {
            s.anchor == section.anchor
                && s.operation.forms[0].method.value == line.method
                && fixed_query(&s.operation.forms[0].path.value) == fixed_query(&line.path)
                && response_key(&s.operation.response, s.response_type.as_deref()) == section_key
        }) {
            existing.operation.forms.push(form);
            existing.form_queries.push(line.query.clone());
            continue;
        }
        diags.push(if section.lookup {
            Diagnostic::new(
                Code::RequestLookupOperation,
                format!(
                    "{written}: a lookup by the `$filter` the line fixes, answering a collection; an operation of its own"
                ),
            )
        } else {
            Diagnostic::new(
                Code::RequestSectionOperation,
                format!(
                    "{written} (section `{}`): another response than the operation's; an operation of its own",
                    section.anchor.as_deref().unwrap_or("")
                ),
            )
        });
        let docs_page = match &section.anchor {
            Some(anchor) => format!("{}#{anchor}", own.page),
            None => own.page.to_owned(),
        };
        let headers: Vec<HeaderDef> = op
            .headers
            .iter()
            .filter(|h| !h.name.value.eq_ignore_ascii_case("content-type"))
            .cloned()
            .collect();
        out.push(SectionOperation {
            anchor: section.anchor.clone(),
            operation: Operation {
                doc: vec![written.clone()],
                name: op.name.clone(),
                docs_page: Some(Spanned::unspanned(docs_page)),
                version: op.version.clone(),
                forms: vec![form],
                permissions: op.permissions.clone(),
                headers,
                body: None,
                response: response.def.clone(),
            },
            form_queries: vec![line.query.clone()],
            response_type: response.graph_type.clone(),
        });
    }
    out
}
