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
//! [`adopt`] runs over the whole corpus, after reading and before
//! [`import`](crate::definitions::import), which calls it when it has the CSDL.

use graphspec_codegen::Errors;
use graphspec_codegen::model::{RequestForm, ResponseBody, Spanned};
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
            let (_, host, version) = request::strip_base(&example.url);
            let graph_host = host
                .as_deref()
                .is_none_or(|h| h.eq_ignore_ascii_case("graph.microsoft.com"));
            if !graph_host || version.as_deref().is_some_and(|v| v != "v1.0") {
                continue;
            }
            let mut scratch = Vec::new();
            let Some((path, _)) = request::normalize_target(&example.url, &mut scratch) else {
                continue;
            };
            let Some(resolved) = metadata.resolve_request(&segments(&path)) else {
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
