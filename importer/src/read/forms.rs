//! The operation's forms: the page's example requests, and the request lines chosen as
//! the operation's (method, path) forms.
//!
//! When the request lines use several methods, the operation's method is the one the
//! examples use most (ties: the first line's); lines with another method are dropped
//! (`request.mixed-methods`). Forms equal up to parameter names are dropped
//! (`request.duplicate-form`), and forms whose derived constructor names collide get
//! explicit ones (`request.constructor-named`).

use graphspec_codegen::model::{RequestForm, Spanned};
use graphspec_codegen::{naming, valid};

use super::markdown::Doc;
use super::request::{self, RequestLine};
use crate::diagnostic::{Code, Diagnostic};
use crate::page::ExampleRequest;

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
        if shapes.contains(&shape) {
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
            Code::RequestConstructorNamed,
            "forms whose constructor names would collide got explicit names (`as name_2`)",
        ));
    }
}
