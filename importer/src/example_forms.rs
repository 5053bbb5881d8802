//! Stage 2, forms the examples show: a page's example request that no operation of the
//! corpus serves, but that the CSDL reads as the same thing the page's operation
//! addresses, is one more form of that operation.
//!
//! Pages' HTTP request sections do not always list every path Graph serves their
//! request at: presence-get lists `/me/presence` and `/users/{id}/presence`, and its
//! example reads `/communications/presences/{id}`; swapshiftschangerequest-get's example
//! addresses the request under `/teams/{teamId}/schedule/…`. A careful reader takes the
//! example as the page's word that the path works. The reader is careful the other way
//! too: examples contradict their pages (a `DELETE` of `…/members/{id}` without the
//! `/$ref` the page documents would delete the user), so an example adds a form only when
//! all of these hold:
//!
//! 1. it uses the operation's method, and targets v1.0 (not `beta`, not another host);
//! 2. no operation of the corpus serves it ([`Router`]): an example that routes
//!    elsewhere shows another operation's request;
//! 3. the CSDL accounts for every segment of its path ([`Metadata::resolve_request`]:
//!    entity sets, navigation, keys, casts, bound actions and functions, `$value`,
//!    `$ref`), so the path exists in Graph's own model;
//! 4. what it addresses (the type and whether a collection, or the same `$ref`,
//!    `$value`, call or property) is what one of the operation's forms addresses, read the
//!    same way: the example reads or changes the same kind of thing; or, for a `GET`,
//!    what the operation answers (its response type, one or a collection), since a read
//!    answers what it addresses (swapshiftschangerequest-get's form lists the requests,
//!    and its response and example are one request).
//!
//! The form is the path the CSDL reads, its literal keys made placeholders named after
//! their collection (`/communications/presences/{presence-id}`), its names spelled as the
//! CSDL spells them. Each adopted form is a `request.example-form` note on its page.
//!
//! Examples also root forms written from below the service root ([`root`]): the 2019
//! Excel pages' `/workbook/worksheets/…` stands where their examples show it,
//! `/me/drive/items/{item-id}/workbook/worksheets/…`.
//! [`adopt`] runs over the whole corpus, after reading and before
//! [`import`](crate::definitions::import), which calls it when it has the CSDL.

use graphspec_codegen::Errors;
use graphspec_codegen::model::{Operation, RequestForm, ResponseBody, Spanned};
use graphspec_codegen::valid;

use crate::csdl::Metadata;
use crate::diagnostic::{Code, Diagnostic};
use crate::page::PageResult;
use crate::read::request;
use crate::read::shape_of;
use crate::routing::{Routed, Router};

/// A form adopted from an example.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AdoptedForm {
    /// The page's file stem.
    pub page: String,
    /// The method.
    pub method: String,
    /// The form's path template.
    pub template: String,
    /// The example's target, as written.
    pub example: String,
}

/// The non-empty segments of a path.
fn segments(path: &str) -> Vec<String> {
    request::split_segments(path)
        .into_iter()
        .filter(|s| !s.is_empty())
        .collect()
}

/// The path segments of an example request to Graph v1.0 (`graph.microsoft.com`, or a
/// path alone); `None` for `beta`, another host (an upload URL), or a target that does
/// not read as a path.
fn v1_segments(url: &str) -> Option<Vec<String>> {
    let (_, host, version) = request::strip_base(url);
    let graph_host = host
        .as_deref()
        .is_none_or(|h| h.eq_ignore_ascii_case("graph.microsoft.com"));
    if !graph_host || version.as_deref().is_some_and(|v| v != "v1.0") {
        return None;
    }
    let mut scratch = Vec::new();
    let (path, _) = request::normalize_target(url, &mut scratch)?;
    Some(segments(&path))
}

/// What `path` (a template) addresses, read through the CSDL; `None` when the CSDL does
/// not account for it.
fn addressed(metadata: &Metadata, path: &str) -> Option<String> {
    let bare = graphspec_spec::path::path_part(path);
    let segments = segments(bare);
    metadata
        .resolve_request(&segments)
        .map(|resolved| resolved.addressed)
}

/// Adds to the pages' operations the forms their examples show (module docs), and
/// returns them in page order.
pub fn adopt(pages: &mut [PageResult], metadata: &Metadata) -> Vec<AdoptedForm> {
    let router = Router::new(pages);
    let mut found: Vec<(usize, AdoptedForm)> = Vec::new();
    for (index, page) in pages.iter().enumerate() {
        let Some(op) = &page.operation else { continue };
        let Some(method) = op.forms.first().map(|f| f.method.value.clone()) else {
            continue;
        };
        let mut own: Vec<String> = op
            .forms
            .iter()
            .filter_map(|f| addressed(metadata, &f.path.value))
            .collect();
        // A read answers what it addresses: its response, by the page's word.
        if method == "GET"
            && let Some(graph) = &page.response_type
            && let Some(ty) = metadata
                .structured
                .keys()
                .find(|k| k.eq_ignore_ascii_case(graph))
        {
            match &op.response.body {
                ResponseBody::One(_) => own.push(ty.clone()),
                ResponseBody::Collection(_) => own.push(format!("{ty}[]")),
                ResponseBody::None => {}
            }
        }
        if own.is_empty() {
            continue;
        }
        for example in &page.examples {
            if example.method != method
                || !matches!(router.route(&example.method, &example.url), Routed::NoMatch)
            {
                continue;
            }
            let Some(example_segments) = v1_segments(&example.url) else {
                continue;
            };
            let Some(resolved) = metadata.resolve_request(&example_segments) else {
                continue;
            };
            if !own.contains(&resolved.addressed) {
                continue;
            }
            found.push((
                index,
                AdoptedForm {
                    page: page.page.clone(),
                    method: method.clone(),
                    template: resolved.template,
                    example: example.url.clone(),
                },
            ));
        }
    }
    let mut adopted = Vec::new();
    for (index, form) in found {
        let page = &mut pages[index];
        let Some(op) = page.operation.as_mut() else {
            continue;
        };
        let shape = shape_of(&form.template);
        if op.forms.iter().any(|f| shape_of(&f.path.value) == shape) {
            continue;
        }
        op.forms.push(RequestForm {
            method: Spanned::unspanned(form.method.clone()),
            path: Spanned::unspanned(form.template.clone()),
            constructor: None,
        });
        let before: Vec<Option<Spanned<String>>> =
            op.forms.iter().map(|f| f.constructor.clone()).collect();
        crate::read::names::name_constructors(op);
        let mut errors = Errors::default();
        let _ = valid::validate(op, &mut errors);
        if !errors.is_empty() {
            op.forms.pop();
            for (f, c) in op.forms.iter_mut().zip(before) {
                f.constructor = c;
            }
            continue;
        }
        page.form_queries.resize(op.forms.len() - 1, None);
        page.form_queries.push(None);
        page.diagnostics.push(Diagnostic::new(
            Code::RequestExampleForm,
            format!(
                "`{} {}`: the example `{}` addresses what the operation's forms do, through a path they do not list; one more form",
                form.method, form.template, form.example
            ),
        ));
        adopted.push(form);
    }
    adopted
}

/// Where the paths a form was rooted at come from ([`root`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RootedBy {
    /// The page's examples of this form.
    Examples,
    /// The page's examples of its other forms that start with the same segment (the
    /// page writes its paths from one place: chartaxis-get's `…/axes/seriesAxis` stands
    /// where its example of `…/axes/valueAxis` does).
    PageExamples,
    /// Other pages' examples of forms that start with the same segment: every path the
    /// corpus's examples show that segment under.
    CorpusExamples,
}

/// A form written from below the service root, and the rooted forms the examples show
/// ([`root`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RootedForm {
    /// The page's file stem.
    pub page: String,
    /// The method.
    pub method: String,
    /// The form as the page wrote it (`/workbook/worksheets/{id|name}/usedRange`).
    pub written: String,
    /// The forms it became, one per path the examples show; empty when no example does
    /// (the form is left as written, with a `request.unrooted` warning).
    pub rooted: Vec<String>,
    /// Whose examples showed the paths (`None` when none did).
    pub by: Option<RootedBy>,
}

/// Whether a form's path starts at the service root: its first segment is an entity set
/// or singleton of the CSDL, or `drive` (Graph's alias of `/me/drive`).
fn is_rooted(metadata: &Metadata, segments: &[String]) -> bool {
    let Some(first) = segments.first() else {
        return true;
    };
    let word = first.split('(').next().unwrap_or("");
    word.eq_ignore_ascii_case("drive")
        || metadata
            .container
            .keys()
            .any(|name| name.eq_ignore_ascii_case(word))
}

/// The paths (templates, from the root) that `form` (a path written from below the root)
/// stands under in the examples of `page` with `method`: for each example whose last
/// segments are the form's (matched as a template; a bare call of the form matches the
/// call with arguments), the segments before them, read through the CSDL, with the
/// form's first segment accounted for after them.
fn prefixes(metadata: &Metadata, page: &PageResult, method: &str, form: &str) -> Vec<String> {
    let form_segments = segments(graphspec_spec::path::path_part(form));
    let pieces = graphspec_spec::path::parse(form).0.pieces;
    let mut found: Vec<String> = Vec::new();
    for example in page.examples.iter().filter(|e| e.method == method) {
        let Some(example_segments) = v1_segments(&example.url) else {
            continue;
        };
        let Some(split) = example_segments
            .len()
            .checked_sub(form_segments.len())
            .filter(|s| *s > 0)
        else {
            continue;
        };
        // A bare call of the form is the example's call with arguments
        // (`…/range/cell` and `…/range/cell(row=5,column=6)`).
        let tail: Vec<&str> = example_segments[split..]
            .iter()
            .zip(&form_segments)
            .map(|(e, f)| match e.split_once('(') {
                Some((word, _)) if !f.contains('(') => word,
                _ => e.as_str(),
            })
            .collect();
        let tail = format!("/{}", tail.join("/"));
        if graphspec_spec::path::match_path(&pieces, &tail).is_none()
            || metadata
                .resolve_request(&example_segments[..=split])
                .is_none()
        {
            continue;
        }
        // Keys named after their collection (`{item-id}`), however the example wrote them.
        let literal_keys: Vec<String> = example_segments[..split]
            .iter()
            .map(|s| {
                if s.starts_with('{') && s.ends_with('}') {
                    "key".to_owned()
                } else {
                    s.clone()
                }
            })
            .collect();
        let Some(prefix) = metadata.resolve_request(&literal_keys) else {
            continue;
        };
        let shape = shape_of(&prefix.template);
        if !found.iter().any(|f| shape_of(f) == shape) {
            found.push(prefix.template);
        }
    }
    found
}

/// The first segment of a path, lower-cased, without a call's parameters.
fn first_word(path: &str) -> String {
    segments(graphspec_spec::path::path_part(path))
        .first()
        .map(|s| s.split('(').next().unwrap_or("").to_ascii_lowercase())
        .unwrap_or_default()
}

/// Roots the forms pages write from below the service root (the 2019 Excel pages'
/// `/workbook/worksheets/…`, bookingbusiness-delete's `/bookingBusinesses/{id}`) at the
/// paths examples show them under (`/me/drive/items/{item-id}/workbook/…`,
/// `/solutions/bookingBusinesses/{id}`), and returns them in page order. Graph serves no
/// path that does not start at the root. The evidence, the nearest first ([`RootedBy`]):
/// the page's examples of the form; those of the page's other forms that start with the
/// same segment; those of the corpus. A form none roots is left as written, with a
/// `request.unrooted` warning. Runs before [`adopt`].
pub fn root(pages: &mut [PageResult], metadata: &Metadata) -> Vec<RootedForm> {
    // Each form written from below the root: (page, form, its first segment, the paths
    // its own examples show it under).
    let mut found: Vec<(usize, usize, String, Vec<String>)> = Vec::new();
    for (index, page) in pages.iter().enumerate() {
        let Some(op) = &page.operation else { continue };
        for (f, form) in op.forms.iter().enumerate() {
            let path = graphspec_spec::path::path_part(&form.path.value);
            if is_rooted(metadata, &segments(path)) {
                continue;
            }
            let own = prefixes(metadata, page, &form.method.value, &form.path.value);
            found.push((index, f, first_word(path), own));
        }
    }
    // The paths examples show each first segment under, over the page and the corpus.
    let mut on_page: Vec<((usize, String), Vec<String>)> = Vec::new();
    let mut in_corpus: Vec<(String, Vec<String>)> = Vec::new();
    for (index, _, word, own) in &found {
        for list in [
            slot(&mut on_page, (*index, word.clone())),
            slot(&mut in_corpus, word.clone()),
        ] {
            for p in own {
                let shape = shape_of(p);
                if !list.iter().any(|l| shape_of(l) == shape) {
                    list.push(p.clone());
                }
            }
        }
    }
    let mut out = Vec::new();
    let mut at = 0;
    while at < found.len() {
        let index = found[at].0;
        let end = at + found[at..].iter().take_while(|f| f.0 == index).count();
        out.extend(root_page(
            &mut pages[index],
            &found[at..end],
            &on_page,
            &in_corpus,
        ));
        at = end;
    }
    out
}

/// The list of `key` in `slots`, added empty when missing.
fn slot<K: PartialEq>(slots: &mut Vec<(K, Vec<String>)>, key: K) -> &mut Vec<String> {
    let at = match slots.iter().position(|(k, _)| *k == key) {
        Some(at) => at,
        None => {
            slots.push((key, Vec::new()));
            slots.len() - 1
        }
    };
    &mut slots[at].1
}

/// Roots the forms of one page ([`root`]); `found` are its forms written from below the
/// root.
fn root_page(
    page: &mut PageResult,
    found: &[(usize, usize, String, Vec<String>)],
    on_page: &[((usize, String), Vec<String>)],
    in_corpus: &[(String, Vec<String>)],
) -> Vec<RootedForm> {
    let Some(op) = page.operation.as_mut() else {
        return Vec::new();
    };
    let mut changes: Vec<(usize, RootedForm)> = Vec::new();
    for (index, f, word, own) in found {
        let page_level = on_page
            .iter()
            .find(|(k, _)| k.0 == *index && k.1 == *word)
            .map(|(_, v)| v.as_slice())
            .unwrap_or_default();
        let corpus = in_corpus
            .iter()
            .find(|(w, _)| w == word)
            .map(|(_, v)| v.as_slice())
            .unwrap_or_default();
        let (prefixes, by) = if !own.is_empty() {
            (own.as_slice(), Some(RootedBy::Examples))
        } else if !page_level.is_empty() {
            (page_level, Some(RootedBy::PageExamples))
        } else if !corpus.is_empty() {
            (corpus, Some(RootedBy::CorpusExamples))
        } else {
            (&[][..], None)
        };
        let form = &op.forms[*f];
        let rooted = prefixes
            .iter()
            .filter_map(|prefix| {
                let mut scratch = Vec::new();
                let joined = format!("{prefix}{}", form.path.value);
                request::normalize_target(&joined, &mut scratch).map(|(path, query)| match query {
                    Some(q) => format!("{path}?{q}"),
                    None => path,
                })
            })
            .collect();
        changes.push((
            *f,
            RootedForm {
                page: page.page.clone(),
                method: form.method.value.clone(),
                written: form.path.value.clone(),
                rooted,
                by,
            },
        ));
    }
    let saved = (op.clone(), page.form_queries.clone());
    page.form_queries.resize(op.forms.len(), None);
    // Each form becomes its first rooted path; the others follow the forms.
    for (f, change) in &changes {
        let Some((first, rest)) = change.rooted.split_first() else {
            continue;
        };
        op.forms[*f].path = Spanned::unspanned(first.clone());
        for other in rest {
            op.forms.push(RequestForm {
                method: op.forms[*f].method.clone(),
                path: Spanned::unspanned(other.clone()),
                constructor: None,
            });
            page.form_queries.push(page.form_queries[*f].clone());
        }
    }
    // Forms rooted at the path of another are one form.
    let mut seen: Vec<(String, String)> = Vec::new();
    let mut keep = Vec::new();
    for form in &op.forms {
        let key = (form.method.value.clone(), shape_of(&form.path.value));
        keep.push(!seen.contains(&key));
        seen.push(key);
    }
    let mut k = keep.iter();
    op.forms.retain(|_| *k.next().unwrap_or(&true));
    let mut k = keep.iter();
    page.form_queries.retain(|_| *k.next().unwrap_or(&true));
    crate::read::names::name_constructors(op);
    let mut errors = Errors::default();
    let _ = valid::validate(op, &mut errors);
    if !errors.is_empty() {
        (*op, page.form_queries) = saved;
        for (_, change) in &mut changes {
            change.rooted.clear();
            change.by = None;
        }
    }
    let mut out = Vec::new();
    for (_, change) in changes {
        page.diagnostics.push(if change.rooted.is_empty() {
            Diagnostic::new(
                Code::RequestUnrooted,
                format!(
                    "`{} {}` starts below the service root, and no example shows the path it stands under; left as written",
                    change.method, change.written
                ),
            )
        } else {
            Diagnostic::new(
                Code::RequestRooted,
                format!(
                    "`{} {}` starts below the service root; {} show it under {}",
                    change.method,
                    change.written,
                    match change.by {
                        Some(RootedBy::Examples) => "its examples",
                        Some(RootedBy::PageExamples) => "the page's examples of its other forms",
                        _ => "other pages' examples",
                    },
                    change
                        .rooted
                        .iter()
                        .map(|r| format!("`{r}`"))
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            )
        });
        out.push(change);
    }
    out
}

/// A read or write of raw content an example shows, made an operation of its own
/// ([`content_requests`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ContentRequest {
    /// The page's file stem.
    pub page: String,
    /// `GET` (a read) or `PUT` (a write).
    pub method: String,
    /// The operation's forms (`GET …/bannerLogo` at each path the page reads the object
    /// at).
    pub templates: Vec<String>,
    /// The example's target, as written; for a later section's request, the request as
    /// written (`GET /me/onenote/pages/{id}/content`).
    pub example: String,
    /// The anchor of the later section whose request it is (`None`: an example's).
    pub section: Option<String>,
}

/// Reads and writes of raw content the examples show: a page that reads an object (a
/// `GET` answering JSON) sometimes shows, in an example only, reading its content too
/// (organizationalbrandinglocalization-get's `…/localizations/fr-FR/bannerLogo`, an
/// `Edm.Stream` property; chatmessagehostedcontent-get's `…/hostedContents/{id}/$value`),
/// and a page that updates one (`PATCH` or `PUT`), replacing its content
/// (organizationalbrandinglocalization-update's `PUT …/bannerLogo`). Such an example,
/// when no operation of the corpus serves it and the CSDL reads it as raw content
/// (`Edm.Stream` or `$value`) of what one of the page's forms addresses (the form's path,
/// then the property or `$value`), is an operation of its own: at every form of the page
/// that addresses the same, the content after it; the page's permissions and headers; a
/// read answering `Vec<u8>`, a write (`PUT`, as OData replaces content: a `PATCH` of
/// content is not read) sending `Vec<u8>` and answering `204`. Reading or replacing an
/// object's content needs the permissions reading or updating the object does. Each is a
/// `request.example-content` note.
///
/// A later section's `GET` written as a template with no example response after it, which
/// the reader skipped for want of a type (page-get's
/// `GET /me/onenote/pages/{id}/content[?includeIDs=true]`), is such an operation too when
/// the CSDL reads its path as raw content (a OneNote page's `content` is an `Edm.Stream`):
/// its skip warning becomes a `request.example-content` note, and its docs link names
/// the section. Runs after [`adopt`].
pub fn content_requests(pages: &mut [PageResult], metadata: &Metadata) -> Vec<ContentRequest> {
    let router = Router::new(pages);
    let mut found: Vec<(usize, ContentRequest)> = Vec::new();
    for (index, page) in pages.iter().enumerate() {
        let Some(op) = &page.operation else { continue };
        let reads_json = op.forms.iter().all(|f| f.method.value == "GET")
            && matches!(&op.response.body, ResponseBody::One(t) if !graphspec_codegen::expand::is_bytes(&t.ty));
        let updates = op
            .forms
            .iter()
            .all(|f| matches!(f.method.value.as_str(), "PATCH" | "PUT"))
            && !op.forms.is_empty();
        let method = match (reads_json, updates) {
            (true, _) => "GET",
            (_, true) => "PUT",
            _ => continue,
        };
        for example in page.examples.iter().filter(|e| e.method == method) {
            if !matches!(router.route(&example.method, &example.url), Routed::NoMatch) {
                continue;
            }
            let Some(example_segments) = v1_segments(&example.url) else {
                continue;
            };
            let Some(templates) = content_at_forms(metadata, op, &example_segments) else {
                continue;
            };
            if found
                .iter()
                .any(|(i, c)| *i == index && c.templates == templates)
            {
                continue;
            }
            found.push((
                index,
                ContentRequest {
                    page: page.page.clone(),
                    method: method.to_owned(),
                    templates,
                    example: example.url.clone(),
                    section: None,
                },
            ));
        }
        if page.operation.is_none() {
            continue;
        }
        for request in &page.unanswered {
            let Some(op) = &page.operation else { break };
            if let Some(templates) = content_at_forms(metadata, op, &segments(&request.path)) {
                found.push((
                    index,
                    ContentRequest {
                        page: page.page.clone(),
                        method: "GET".to_owned(),
                        templates,
                        example: request.written.trim_matches('`').to_owned(),
                        section: Some(request.anchor.clone().unwrap_or_default()),
                    },
                ));
            }
        }
    }
    let mut out = Vec::new();
    for (index, read) in found {
        let page = &mut pages[index];
        let Some(op) = page.operation.as_ref() else {
            continue;
        };
        let bytes = graphspec_codegen::model::TypeRef {
            ty: syn::parse_quote!(Vec<u8>),
        };
        let mut content = op.clone();
        content.name = Spanned::unspanned(format!("{}Content", op.name.value));
        content.doc = vec![format!("`{} {}`", read.method, read.templates[0])];
        content.forms = read
            .templates
            .iter()
            .map(|t| RequestForm {
                method: Spanned::unspanned(read.method.clone()),
                path: Spanned::unspanned(t.clone()),
                constructor: None,
            })
            .collect();
        content
            .headers
            .retain(|h| !h.name.value.eq_ignore_ascii_case("content-type"));
        if read.method == "GET" {
            content.body = None;
            content.response.body = ResponseBody::One(bytes);
        } else {
            content.body = Some(bytes);
            content.response.status = Spanned::unspanned(204);
            content.response.body = ResponseBody::None;
        }
        crate::read::names::name_constructors(&mut content);
        let mut errors = Errors::default();
        let _ = valid::validate(&content, &mut errors);
        if !errors.is_empty() {
            continue;
        }
        if let Some(anchor) = &read.section {
            // No longer skipped: the CSDL says what it answers.
            let written = format!("`{}`", read.example);
            page.diagnostics.retain(|d| {
                d.code != Code::RequestSectionSkipped || !d.message.starts_with(&written)
            });
            if !anchor.is_empty() {
                content.docs_page = Some(Spanned::unspanned(format!("{}#{anchor}", page.page)));
            }
            page.diagnostics.push(Diagnostic::new(
                Code::RequestExampleContent,
                format!(
                    "{written} (section `{anchor}`): no example response, but the CSDL reads it as raw content; an operation of its own answering the bytes"
                ),
            ));
            page.status = PageResult::status_of(page.operation.as_ref(), &page.diagnostics);
        } else {
            page.diagnostics.push(Diagnostic::new(
                Code::RequestExampleContent,
                format!(
                    "the example `{m} {}` {} the raw content of what the page {}; an operation of its own: `{m} {}`",
                    read.example,
                    if read.method == "GET" { "reads" } else { "replaces" },
                    if read.method == "GET" { "reads" } else { "updates" },
                    read.templates.join(&format!("`, `{} ", read.method)),
                    m = read.method
                ),
            ));
        }
        let forms = content.forms.len();
        page.sections.push(crate::page::SectionOperation {
            anchor: read.section.clone().filter(|a| !a.is_empty()),
            operation: content,
            form_queries: vec![None; forms],
            response_type: None,
        });
        out.push(read);
    }
    out
}

/// The forms of `op` at which `segments` (a request's path, read through the CSDL as raw
/// content: an `Edm.Stream` property or `$value`) reads or writes the content of what the
/// form addresses: each form that addresses the same as the one the request's path
/// starts with, the content's segments after it. `None` when the path is no content of
/// what a form addresses.
fn content_at_forms(
    metadata: &Metadata,
    op: &Operation,
    segments_of_request: &[String],
) -> Option<Vec<String>> {
    let resolved = metadata.resolve_request(segments_of_request)?;
    if !resolved.content {
        return None;
    }
    // The content's segments as the CSDL spells them: the property, `$value`, or both.
    let written = segments(&resolved.template);
    let tail = if written.len() >= 2
        && written[written.len() - 1] == "$value"
        && metadata
            .resolve_request(&segments_of_request[..segments_of_request.len() - 1])
            .is_some_and(|r| r.content)
    {
        2
    } else {
        1
    };
    let base_len = segments_of_request.len().checked_sub(tail)?;
    let suffix = written[written.len() - tail..].join("/");
    let base = format!("/{}", segments_of_request[..base_len].join("/"));
    // The form the request reads the content of, and what it addresses.
    let addressed = op.forms.iter().find_map(|f| {
        let pieces = graphspec_spec::path::parse(&f.path.value).0.pieces;
        graphspec_spec::path::match_path(&pieces, &base)?;
        addressed(metadata, &f.path.value)
    })?;
    let templates: Vec<String> = op
        .forms
        .iter()
        .filter(|f| addressed_is(metadata, &f.path.value, &addressed))
        .map(|f| {
            format!(
                "{}/{suffix}",
                graphspec_spec::path::path_part(&f.path.value).trim_end_matches('/')
            )
        })
        .collect();
    (!templates.is_empty()).then_some(templates)
}

/// Whether the CSDL reads `path` as addressing `what`.
fn addressed_is(metadata: &Metadata, path: &str, what: &str) -> bool {
    addressed(metadata, path).as_deref() == Some(what)
}
