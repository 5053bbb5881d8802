//! The operation's forms: the page's example requests, and the request lines chosen as
//! the operation's (method, path) forms.
//!
//! # Request lines whose meaning is in their query string
//!
//! A request line's query string is part of the request it documents, but a form is a
//! method and a path: the definition language has no fixed query (a GET builder adds
//! OData options the caller chooses). So a line becomes a form only when its path alone
//! still identifies the request; a line whose meaning is in its query string is dropped
//! (`request.query-form`, naming what sends that path), because its form would send
//! another request than the page documents (`ListManager::me()` sending `GET /me`). A
//! line's meaning is in its query string when
//!
//! 1. **its path is another page's request**: a page of the same folder documents the
//!    same method and path (up to parameter names, ASCII case) without a query string
//!    (`GET /me?$expand=manager` on user-list-manager: `GET /me` is user-get's)
//!    ([`RequestIndex`]);
//! 2. **the page's own requests are elsewhere**: the page has request lines without a
//!    query string and this path is none of them (onlinemeeting-get:
//!    `GET /me/onlineMeetings?$filter=JoinWebUrl eq '…'` beside
//!    `GET /me/onlineMeetings/{meetingId}`);
//! 3. **it expands a relationship** (`$expand=…`): the page is about what is expanded,
//!    and the path alone reads its parent (`GET /agreements/{id}?$expand=files`).
//!
//! A line whose path the page also documents without a query string is an option of the
//! page's own request, whatever its query. When every line of a page is such a line
//! (singlevaluelegacyextendedproperty-get: each is a read of a message, event, … with
//! `$expand` or `$filter`), the page has no request of its own: the lines stay forms,
//! which send their paths without the query, and the page is imported partly with
//! `request.query-forms-only`, until the definitions can carry a fixed query (the
//! operation is not removed: code and tests name every operation). Every other line
//! keeps its path and loses its query (`request.query-stripped`, kept in
//! [`PageResult::form_queries`](crate::page::PageResult::form_queries)): OData options
//! the caller adds through the builder (`$filter=principalId eq '…'` on a list), or
//! parameters of the path's own request (`startDateTime`, `format`) that the definitions
//! cannot carry yet.
//!
//! # Choosing the forms
//!
//! When the request lines use several methods, the operation's method is the one the
//! examples use most (ties: the first line's); lines with another method are dropped
//! (`request.mixed-methods`). Forms equal up to parameter names are dropped
//! (`request.duplicate-form`). Names (of the operation and its constructors) are given
//! in stage 4 ([`crate::naming`]).

use std::collections::{BTreeSet, HashMap};

use graphspec_codegen::model::{RequestForm, Spanned};

use super::markdown::Doc;
use super::request::{self, RequestLine};
use crate::diagnostic::{Code, Diagnostic};
use crate::page::{ExampleRequest, QueryLine};

/// The requests the operation pages of a folder document without a query string:
/// (method, path shape) → the pages. The first of the query-string rules
/// (`docs/importer.md`, *Request lines with a query string*) asks it whether a line's
/// path is another page's request. A page is read with the index of its folder
/// ([`read_files`](super::read_files)); an empty index ([`RequestIndex::new`]) knows no
/// other page.
#[derive(Debug, Clone, Default)]
pub struct RequestIndex {
    pages: HashMap<(String, String), BTreeSet<String>>,
}

impl RequestIndex {
    /// An index that knows no page.
    pub fn new() -> RequestIndex {
        RequestIndex::default()
    }

    /// Builds the index from `(file name, page text)` pairs of operation pages.
    pub fn from_pages<I, N, T>(pages: I) -> RequestIndex
    where
        I: IntoIterator<Item = (N, T)>,
        N: AsRef<str>,
        T: AsRef<str>,
    {
        let mut index = RequestIndex::new();
        for (name, text) in pages {
            index.insert_page(name.as_ref(), text.as_ref());
        }
        index
    }

    /// Adds the request lines without a query string of one operation page (its file
    /// name or path, and its text).
    pub fn insert_page(&mut self, file_name: &str, text: &str) {
        let page = super::page_stem(file_name);
        let doc = Doc::parse(text);
        for line in request::read(&doc, &mut Vec::new()) {
            if line.query.is_none() {
                self.insert(&page, &line.method, &line.path);
            }
        }
    }

    /// Records that `page` (a file stem) documents `method path` without a query string.
    pub fn insert(&mut self, page: &str, method: &str, path: &str) {
        self.pages
            .entry((method.to_ascii_uppercase(), shape_of(path)))
            .or_default()
            .insert(page.to_owned());
    }

    /// The pages other than `page` that document `method path` (up to parameter names
    /// and ASCII case) without a query string, sorted.
    pub fn documented_elsewhere(&self, page: &str, method: &str, path: &str) -> Vec<&str> {
        self.pages
            .get(&(method.to_ascii_uppercase(), shape_of(path)))
            .into_iter()
            .flatten()
            .filter(|p| p.as_str() != page)
            .map(String::as_str)
            .collect()
    }

    /// Whether the index knows no request.
    pub fn is_empty(&self) -> bool {
        self.pages.is_empty()
    }
}

/// Drops the request lines whose meaning is in their query string (module docs, rules
/// 1–3), unless that would leave the page without a line; `page` is the page's file
/// stem. Returns the lines kept and the lines dropped.
pub(crate) fn drop_query_lines(
    page: &str,
    mut lines: Vec<RequestLine>,
    requests: &RequestIndex,
    diags: &mut Vec<Diagnostic>,
) -> (Vec<RequestLine>, Vec<QueryLine>) {
    for line in &mut lines {
        keep_parameters(line, diags);
    }
    let own: Vec<(String, String)> = lines
        .iter()
        .filter(|l| l.query.is_none())
        .map(|l| (l.method.clone(), shape_of(&l.path)))
        .collect();
    let judged: Vec<(RequestLine, Option<String>)> = lines
        .into_iter()
        .map(|line| {
            let why = line
                .query
                .as_deref()
                .and_then(|query| query_meaning(page, &line, query, &own, requests));
            (line, why)
        })
        .collect();
    if !judged.is_empty() && judged.iter().all(|(_, why)| why.is_some()) {
        // Nothing of the page's own would be left: the lines stay forms (which send
        // their paths without the query), and the page says so.
        let reasons: Vec<String> = judged
            .iter()
            .filter_map(|(line, why)| {
                Some(format!(
                    "`{} {}?{}` ({})",
                    line.method,
                    line.path,
                    line.query.as_deref()?,
                    why.as_deref()?
                ))
            })
            .take(3)
            .collect();
        let more = match judged.len() {
            0..=3 => String::new(),
            n => format!(" and {} more", n - 3),
        };
        diags.push(Diagnostic::new(
            Code::RequestQueryFormsOnly,
            format!(
                "every request line's meaning is in its query string: {}{more}; kept as forms, which send the paths without their queries",
                reasons.join(", ")
            ),
        ));
        for (line, _) in &judged {
            if let Some(query) = &line.query {
                diags.push(Diagnostic::new(
                    Code::RequestQueryStripped,
                    format!("query string `?{query}` removed from the template"),
                ));
            }
        }
        return (
            judged.into_iter().map(|(line, _)| line).collect(),
            Vec::new(),
        );
    }
    let mut kept = Vec::with_capacity(judged.len());
    let mut dropped = Vec::new();
    for (line, why) in judged {
        let Some(query) = line.query.clone() else {
            kept.push(line);
            continue;
        };
        match why {
            Some(why) => {
                diags.push(Diagnostic::new(
                    Code::RequestQueryForm,
                    format!(
                        "`{} {}?{query}`: the meaning is in the query string ({why}); not a form, as it would send the path without its query",
                        line.method, line.path
                    ),
                ));
                dropped.push(QueryLine {
                    method: line.method,
                    path: line.path,
                    query,
                });
            }
            None => {
                diags.push(Diagnostic::new(
                    Code::RequestQueryStripped,
                    format!("query string `?{query}` removed from the template"),
                ));
                kept.push(line);
            }
        }
    }
    (kept, dropped)
}

/// OData's system query options, which the caller chooses (builder methods), with or
/// without their `$` ([`graphspec_spec::path::option_key`]); `$id` is not among them: it
/// names the reference a `$ref` request removes. `format` and `search` are not either:
/// without `$` they are Graph's own parameters (`…/content?format=pdf`,
/// `/sites?search=…`).
const CALLER_OPTIONS: [&str; 9] = [
    "select",
    "expand",
    "filter",
    "orderby",
    "top",
    "skip",
    "count",
    "skiptoken",
    "deltatoken",
];

/// Moves the options of `line`'s query that are the request's own parameters into its
/// path as a fixed query (module docs): options written without `$` that are not OData's
/// (`startDateTime`, `format`, `search`), and `$id`. A value written with placeholders
/// keeps them (renamed after the option when the name cannot be an argument or repeats
/// one); `true` or `false` is a switch the form sends as written
/// (`?includeHiddenFolders=true`); any other literal value is the example's, and becomes
/// the placeholder `{option}`. The caller's options stay in `line.query`.
pub(crate) fn keep_parameters(line: &mut RequestLine, diags: &mut Vec<Diagnostic>) {
    let Some(query) = line.query.take() else {
        return;
    };
    let mut taken: Vec<String> = graphspec_spec::path::parse(&line.path)
        .0
        .params
        .iter()
        .filter_map(|raw| graphspec_codegen::naming::param_name(raw))
        .collect();
    let mut fixed: Vec<String> = Vec::new();
    let mut caller: Vec<&str> = Vec::new();
    for option in query.split('&').filter(|o| !o.trim().is_empty()) {
        let (name, value) = option.split_once('=').unwrap_or((option, ""));
        let name = name.trim();
        let key = graphspec_spec::path::option_key(name);
        let parameter =
            (!name.starts_with('$') && !CALLER_OPTIONS.contains(&key.as_str())) || key == "id";
        let named = graphspec_codegen::naming::param_name(name.trim_start_matches('$'));
        let (true, Some(own_name), false) = (parameter, named, value.trim().is_empty()) else {
            caller.push(option);
            continue;
        };
        let bare = name.trim_start_matches('$');
        let value = graphspec_spec::path::decode_query_component(value.trim())
            .unwrap_or_else(|| value.trim().to_owned());
        let (parsed, errors) = graphspec_spec::path::parse(&format!("/?x={value}"));
        let placeholders: Option<Vec<String>> =
            (errors.is_empty() && !parsed.params.is_empty() && !value.contains(['&', '#', '?']))
                .then(|| {
                    parsed
                        .params
                        .iter()
                        .map(|raw| graphspec_codegen::naming::param_name(raw).unwrap_or_default())
                        .collect()
                });
        let value = match placeholders {
            // `includeHiddenFolders=true`: a switch, which the form sends as written.
            None if value.eq_ignore_ascii_case("true") || value.eq_ignore_ascii_case("false") => {
                value.to_ascii_lowercase()
            }
            // Placeholders the form can take as arguments, under their own names.
            Some(names)
                if names.iter().all(|n| !n.is_empty() && !taken.contains(n))
                    && names.iter().collect::<BTreeSet<_>>().len() == names.len() =>
            {
                taken.extend(names);
                value
            }
            // The example's value (`format=pdf`), or placeholders that cannot be
            // arguments: the parameter is the option itself.
            _ if !taken.contains(&own_name) => {
                taken.push(own_name);
                format!("{{{bare}}}")
            }
            _ => {
                caller.push(option);
                continue;
            }
        };
        fixed.push(format!("{name}={value}"));
    }
    let caller = (!caller.is_empty()).then(|| caller.join("&"));
    if !fixed.is_empty() {
        let fixed = fixed.join("&");
        let path = format!("{}?{fixed}", line.path);
        if graphspec_spec::path::parse(&path).1.is_empty() {
            diags.push(Diagnostic::new(
                Code::RequestQueryParameters,
                format!(
                    "`?{fixed}`: the request's own parameters, kept in the form `{}`",
                    path
                ),
            ));
            line.path = path;
            line.query = caller;
            return;
        }
    }
    line.query = Some(query);
}

/// Why the meaning of `line` (written with `query`) is in its query string (module
/// docs, rules 1–3), or `None` when its path is its page's own request. `own` holds the
/// (method, shape) of the page's lines without a query.
pub(crate) fn query_meaning(
    page: &str,
    line: &RequestLine,
    query: &str,
    own: &[(String, String)],
    requests: &RequestIndex,
) -> Option<String> {
    if own.contains(&(line.method.clone(), shape_of(&line.path))) {
        // The page documents the path without a query too: an option of its own request.
        return None;
    }
    let elsewhere = requests.documented_elsewhere(page, &line.method, &line.path);
    if !elsewhere.is_empty() {
        let more = match elsewhere.len() {
            0..=3 => String::new(),
            n => format!(" and {} more", n - 3),
        };
        return Some(format!(
            "`{} {}` is the request of {}{more}",
            line.method,
            line.path,
            elsewhere[..elsewhere.len().min(3)].join(", ")
        ));
    }
    if !own.is_empty() {
        return Some("the page's own requests have other paths".to_owned());
    }
    if expands(query) {
        return Some("its query expands a relationship of what the path reads".to_owned());
    }
    None
}

/// Whether a query string has a `$expand` option (any case, `$` optional as OData
/// allows).
fn expands(query: &str) -> bool {
    query.split('&').any(|option| {
        let name = option.split('=').next().unwrap_or("").trim();
        name.trim_start_matches('$').eq_ignore_ascii_case("expand")
    })
}

/// The `"blockType": "request"` examples of a page.
pub(crate) fn example_requests(doc: &Doc<'_>) -> Vec<ExampleRequest> {
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
        // `Name: value` lines right after the request line, up to a blank line or a body.
        let headers = lines[first + 1..]
            .iter()
            .map(|l| l.trim())
            .take_while(|l| !l.is_empty() && !l.starts_with(['{', '[']))
            .filter_map(|l| {
                let (name, _) = l.split_once(':')?;
                let name = name.trim();
                let token = !name.is_empty()
                    && name
                        .bytes()
                        .all(|b| b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b));
                token.then(|| name.to_owned())
            })
            .collect();
        out.push(ExampleRequest {
            method,
            url: target.trim().to_owned(),
            has_body,
            headers,
        });
    }
    out
}

/// Picks the operation's method and forms from the request lines (see the module docs of
/// `request`): the method the examples use most among the lines' methods (ties: the first
/// line's), duplicates dropped, colliding constructor names made explicit.
pub(crate) fn choose_forms(
    lines: &[RequestLine],
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

            Code::RequestMixedMethods,format!(
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
        if let Some(seen) = shapes.iter().position(|s| *s == shape) {
            // The form is the request without a query when the page writes it so too.
            if line.query.is_none() {
                queries[seen] = None;
            }
            if !forms.iter().any(|f| f.path.value == line.path) {
                diags.push(Diagnostic::new(
                    Code::RequestDuplicateForm,
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
