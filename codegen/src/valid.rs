//! Validation: checks an [`Operation`] and computes what emission needs (parsed path
//! templates, parameter and constructor names). Every problem is recorded with the span
//! of the token that causes it; all are reported together.

use std::collections::HashMap;

use proc_macro2::Span;

use crate::Errors;
use crate::model::{Method, Operation, ResponseBody, RowValue, Scheme, Spanned};
use crate::naming;

/// A piece of a parsed path template (the vocabulary crate's, with owned literals).
pub type Piece = graphspec_spec::Piece<String>;

/// A path parameter.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Param {
    /// As written between the braces (`id | userPrincipalName`).
    pub raw: String,
    /// The Rust argument name (`id`).
    pub rust_name: String,
}

/// A validated request form.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidForm {
    /// The template as written.
    pub template: String,
    /// Literal pieces and parameters of the path.
    pub pieces: Vec<Piece>,
    /// The fixed query options (`$expand=manager`, `format={format}`).
    pub query: Vec<graphspec_spec::QueryOption<String, Vec<Piece>>>,
    /// Parameters in order: the path's, then the fixed query's.
    pub params: Vec<Param>,
    /// The constructor name.
    pub constructor: String,
}

/// An operation that passed validation, with everything emission needs.
#[derive(Debug, Clone)]
pub struct ValidOperation<'a> {
    /// The operation as defined.
    pub operation: &'a Operation,
    /// The method shared by all forms.
    pub method: Method,
    /// The forms, parsed.
    pub forms: Vec<ValidForm>,
}

impl ValidOperation<'_> {
    /// The row for `scheme` (`None` only when validation reported it missing).
    pub fn row(&self, scheme: Scheme) -> Option<&RowValue> {
        self.operation.permissions.row(scheme).map(|row| &row.value)
    }
}

/// Checks `op`; records every problem in `errors`. Returns the validated form even when
/// there were errors (with best-effort values), so emission can still produce the item
/// and one mistake does not cascade.
pub fn validate<'a>(op: &'a Operation, errors: &mut Errors) -> ValidOperation<'a> {
    let method = check_methods(op, errors);
    let mut forms = Vec::new();
    for form in &op.forms {
        let (pieces, query, params) = parse_template(&form.path, errors);
        forms.push(ValidForm {
            template: form.path.value.clone(),
            pieces,
            query,
            params,
            constructor: String::new(),
        });
    }
    assign_constructors(op, &mut forms, errors);
    check_permissions(op, errors);
    check_headers(op, errors);
    check_body_and_response(op, method, errors);
    ValidOperation {
        operation: op,
        method,
        forms,
    }
}

fn check_methods(op: &Operation, errors: &mut Errors) -> Method {
    let mut method: Option<(Method, Span)> = None;
    for form in &op.forms {
        match Method::parse(&form.method.value) {
            None => errors.push(syn::Error::new(
                form.method.span,
                format!(
                    "unknown HTTP method `{}`: expected GET, POST, PUT, PATCH or DELETE",
                    form.method.value
                ),
            )),
            Some(m) => match method {
                None => method = Some((m, form.method.span)),
                Some((first, first_span)) if first != m => {
                    let mut e = syn::Error::new(
                        form.method.span,
                        format!(
                            "all request forms of `{}` must use one method; this one is {}",
                            op.name.value,
                            m.as_str()
                        ),
                    );
                    e.combine(syn::Error::new(
                        first_span,
                        format!("the first form uses {}", first.as_str()),
                    ));
                    errors.push(e);
                }
                Some(_) => {}
            },
        }
    }
    method.map(|(m, _)| m).unwrap_or(Method::Get)
}

/// A fixed query option with owned pieces.
pub type QueryOption = graphspec_spec::QueryOption<String, Vec<Piece>>;

/// Parses a path template into path pieces, fixed query options and parameters,
/// recording malformations: the template's own (by [`graphspec_spec::path::parse`]),
/// then each placeholder that cannot become a Rust argument name or repeats one. A
/// placeholder in error is left out of the pieces, so emission can go on.
pub fn parse_template(
    path: &Spanned<String>,
    errors: &mut Errors,
) -> (Vec<Piece>, Vec<QueryOption>, Vec<Param>) {
    let text = path.value.as_str();
    let mut err = |message: String| errors.push(syn::Error::new(path.span, message));
    let (parsed, template_errors) = graphspec_spec::path::parse(text);
    for error in &template_errors {
        err(error.message(text));
    }
    // Indices of the spec's parameters → indices of the accepted ones.
    let mut params: Vec<Param> = Vec::new();
    let mut renumbered: Vec<Option<usize>> = Vec::with_capacity(parsed.params.len());
    for raw in &parsed.params {
        let Some(rust_name) = naming::param_name(raw) else {
            err(format!(
                "placeholder `{{{raw}}}` cannot become a Rust argument name (the text before `|` must be letters, digits, `-` or `_`)"
            ));
            renumbered.push(None);
            continue;
        };
        if params.iter().any(|p| p.rust_name == rust_name) {
            err(format!(
                "placeholder `{{{raw}}}` repeats argument `{rust_name}` in path template `{text}`; name each placeholder differently (e.g. `{{user-id}}`, `{{message-id}}`)"
            ));
            renumbered.push(None);
            continue;
        }
        renumbered.push(Some(params.len()));
        params.push(Param {
            raw: raw.clone(),
            rust_name,
        });
    }
    // Literals either side of a dropped placeholder join up, as if it were not there.
    let renumber = |parsed: Vec<Piece>| {
        let mut pieces: Vec<Piece> = Vec::with_capacity(parsed.len());
        for piece in parsed {
            let piece = match piece {
                Piece::Segment(n) => renumbered[n].map(Piece::Segment),
                Piece::Embedded(n) => renumbered[n].map(Piece::Embedded),
                literal => Some(literal),
            };
            match (piece, pieces.last_mut()) {
                (Some(Piece::Literal(text)), Some(Piece::Literal(previous))) => {
                    previous.push_str(&text)
                }
                (Some(piece), _) => pieces.push(piece),
                (None, _) => {}
            }
        }
        pieces
    };
    let pieces = renumber(parsed.pieces);
    let query = parsed
        .query
        .into_iter()
        .map(|option| QueryOption {
            name: option.name,
            value: renumber(option.value),
        })
        .collect();
    (pieces, query, params)
}

fn assign_constructors(op: &Operation, forms: &mut [ValidForm], errors: &mut Errors) {
    for (form, def) in forms.iter_mut().zip(&op.forms) {
        form.constructor = match &def.constructor {
            Some(explicit) => explicit.value.clone(),
            None => naming::constructor_name(&op.name.value, &def.path.value),
        };
    }
    let mut first: HashMap<&str, Span> = HashMap::new();
    for (form, def) in forms.iter().zip(&op.forms) {
        let span = def
            .constructor
            .as_ref()
            .map(|c| c.span)
            .unwrap_or(def.path.span);
        if !naming::is_identifier(&form.constructor) {
            errors.push(syn::Error::new(
                span,
                format!("`{}` is not a valid constructor name", form.constructor),
            ));
            continue;
        }
        if let Some(previous) = first.get(form.constructor.as_str()) {
            let mut e = syn::Error::new(
                span,
                format!(
                    "two request forms of `{}` get the constructor name `{}`; name one with `as other_name`",
                    op.name.value, form.constructor
                ),
            );
            e.combine(syn::Error::new(*previous, "the other form is here"));
            errors.push(e);
        } else {
            first.insert(&form.constructor, span);
        }
    }
}

/// Whether `name` has the shape of a Graph permission: `Name.Action[.Qualifier…]`, each
/// part a letter followed by letters, digits or `-`.
pub fn is_scope_shaped(name: &str) -> bool {
    let mut parts = 0;
    for part in name.split('.') {
        let mut chars = part.chars();
        match chars.next() {
            Some(c) if c.is_ascii_alphabetic() => {}
            _ => return false,
        }
        if !chars.all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_') {
            return false;
        }
        parts += 1;
    }
    parts >= 2
}

fn check_permissions(op: &Operation, errors: &mut Errors) {
    let table = &op.permissions;
    let mut first: HashMap<Scheme, Span> = HashMap::new();
    for row in &table.rows {
        if let Some(previous) = first.get(&row.scheme.value) {
            let mut e = syn::Error::new(
                row.scheme.span,
                format!(
                    "the permissions table lists `{}` twice; give one row per scheme (a scheme is either a list of scopes or `unsupported`)",
                    row.scheme.value.as_str()
                ),
            );
            e.combine(syn::Error::new(*previous, "first listed here"));
            errors.push(e);
            continue;
        }
        first.insert(row.scheme.value, row.scheme.span);
        if let RowValue::Scopes(alternatives) = &row.value {
            if alternatives.is_empty() {
                errors.push(syn::Error::new(
                    row.scheme.span,
                    format!(
                        "the `{}` row is empty: list its scopes, or say `unsupported`, `none` or `unknown`",
                        row.scheme.value.as_str()
                    ),
                ));
            }
            for scope in alternatives.iter().flatten() {
                if !is_scope_shaped(&scope.value) {
                    errors.push(syn::Error::new(
                        scope.span,
                        format!(
                            "`{}` is not a permission name: expected `Name.Action[.Qualifier…]`, e.g. `User.ReadWrite.All`",
                            scope.value
                        ),
                    ));
                }
            }
            // A scope may appear in several alternatives (`"A" + "C", "B" + "C"`), but not
            // twice within one, and an alternative may not be repeated.
            let scheme = row.scheme.value.as_str();
            let mut seen_alternatives: Vec<(Vec<&str>, Span)> = Vec::new();
            for alternative in alternatives {
                let mut seen: HashMap<&str, Span> = HashMap::new();
                for scope in alternative {
                    if let Some(previous) = seen.get(scope.value.as_str()) {
                        let mut e = syn::Error::new(
                            scope.span,
                            format!(
                                "`{}` is listed twice in one alternative of the `{scheme}` row",
                                scope.value
                            ),
                        );
                        e.combine(syn::Error::new(*previous, "first listed here"));
                        errors.push(e);
                    } else {
                        seen.insert(&scope.value, scope.span);
                    }
                }
                let mut key: Vec<&str> = alternative.iter().map(|s| s.value.as_str()).collect();
                key.sort_unstable();
                key.dedup();
                let span = alternative.first().map_or(row.scheme.span, |s| s.span);
                if let Some((_, previous)) = seen_alternatives.iter().find(|(k, _)| *k == key) {
                    let mut e = syn::Error::new(
                        span,
                        format!(
                            "`{}` is listed twice in the `{scheme}` row",
                            key.join("` + `")
                        ),
                    );
                    e.combine(syn::Error::new(*previous, "first listed here"));
                    errors.push(e);
                } else {
                    seen_alternatives.push((key, span));
                }
            }
        }
    }
    let missing: Vec<&str> = Scheme::ALL
        .iter()
        .filter(|s| !first.contains_key(s))
        .map(|s| s.as_str())
        .collect();
    if !missing.is_empty() {
        errors.push(syn::Error::new(
            table.span,
            format!(
                "the permissions table of `{}` has no row for {}: every scheme needs a row (`unsupported` or `unknown` if it has no scopes)",
                op.name.value,
                missing.join(", ")
            ),
        ));
    }
}

fn check_headers(op: &Operation, errors: &mut Errors) {
    let mut seen: HashMap<String, Span> = HashMap::new();
    for header in &op.headers {
        let name = &header.name.value;
        let lower = name.to_ascii_lowercase();
        if name.is_empty()
            || !name
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b))
        {
            errors.push(syn::Error::new(
                header.name.span,
                format!("`{name}` is not a valid HTTP header name"),
            ));
            continue;
        }
        if lower == "authorization" || lower == "content-type" {
            errors.push(syn::Error::new(
                header.name.span,
                format!("`{name}` is set by graphspec itself; do not list it"),
            ));
            continue;
        }
        if let Some(previous) = seen.get(&lower) {
            let mut e =
                syn::Error::new(header.name.span, format!("header `{name}` is listed twice"));
            e.combine(syn::Error::new(*previous, "first listed here"));
            errors.push(e);
        } else {
            seen.insert(lower, header.name.span);
        }
    }
}

fn check_body_and_response(op: &Operation, method: Method, errors: &mut Errors) {
    if let Some(body) = &op.body
        && matches!(method, Method::Get | Method::Delete)
    {
        errors.push(syn::Error::new_spanned(
            &body.ty,
            format!(
                "a {} request has no body; remove `body` or change the method",
                method.as_str()
            ),
        ));
    }
    let status = &op.response.status;
    if status.value != 0 && !(200..400).contains(&status.value) {
        errors.push(syn::Error::new(
            status.span,
            format!(
                "response status {} is not a success: expected a 2xx or 3xx status",
                status.value
            ),
        ));
    }
    if status.value == 204 && !matches!(op.response.body, ResponseBody::None) {
        errors.push(syn::Error::new(
            status.span,
            "204 No Content has no body: write `response: 204`",
        ));
    }
}
