//! Parser of the definition language (`graphspec::endpoint! { … }`) into the
//! [`crate::model`], keeping the span of every token.
//!
//! The syntax is documented in `docs/definition-language.md`. Parsing is resilient: an
//! entry that does not parse is recorded in the [`Errors`] and skipped up to the next
//! comma, so one mistake does not hide the others.

use proc_macro2::{Span, TokenStream, TokenTree};
use syn::parse::{ParseStream, Parser};
use syn::{Attribute, Ident, LitInt, LitStr, Token, Visibility, braced, bracketed};

use crate::Errors;
use crate::model::{
    ApiVersion, HeaderDef, Operation, PermissionRow, PermissionsTable, RequestForm, ResponseBody,
    ResponseDef, RowValue, Scheme, Spanned, TypeRef,
};

/// One `endpoint!` item: the operation plus what only Rust source has (visibility,
/// attributes other than doc comments).
#[derive(Clone)]
pub struct EndpointItem {
    /// Attributes other than `#[doc]`, passed through to the generated struct.
    pub attrs: Vec<Attribute>,
    /// Visibility of the generated struct.
    pub vis: Visibility,
    /// The operation.
    pub operation: Operation,
}

impl std::fmt::Debug for EndpointItem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        use crate::model::tokens;
        f.debug_struct("EndpointItem")
            .field("attrs", &self.attrs.iter().map(tokens).collect::<Vec<_>>())
            .field("vis", &tokens(&self.vis))
            .field("operation", &self.operation)
            .finish()
    }
}

/// Parses the body of an `endpoint!` call: one or more items. Syntax errors that cannot be
/// skipped end parsing; entry-level errors are collected in `errors`.
pub fn parse_items(tokens: TokenStream, errors: &mut Errors) -> Vec<EndpointItem> {
    let parser = |input: ParseStream| -> syn::Result<Vec<EndpointItem>> {
        let mut items = Vec::new();
        while !input.is_empty() {
            items.push(parse_item(input, errors)?);
        }
        Ok(items)
    };
    match parser.parse2(tokens) {
        Ok(items) => items,
        Err(e) => {
            errors.push(e);
            Vec::new()
        }
    }
}

fn parse_item(input: ParseStream, errors: &mut Errors) -> syn::Result<EndpointItem> {
    let all_attrs = input.call(Attribute::parse_outer)?;
    let mut doc = Vec::new();
    let mut attrs = Vec::new();
    for attr in all_attrs {
        match doc_line(&attr) {
            Some(line) => doc.push(line),
            None => attrs.push(attr),
        }
    }
    let vis: Visibility = input.parse()?;
    input.parse::<Token![struct]>()?;
    let name: Ident = input.parse()?;
    let content;
    let brace = braced!(content in input);

    let mut operation = Operation {
        doc,
        name: Spanned::new(name.to_string(), name.span()),
        docs_page: None,
        version: Spanned::new(ApiVersion::V1, Span::call_site()),
        forms: Vec::new(),
        permissions: PermissionsTable {
            span: name.span(),
            rows: Vec::new(),
        },
        headers: Vec::new(),
        body: None,
        response: ResponseDef {
            status: Spanned::new(0, name.span()),
            body: ResponseBody::None,
        },
    };
    let mut seen = Seen::default();
    while !content.is_empty() {
        if let Err(e) = parse_entry(&content, &mut operation, &mut seen, errors) {
            errors.push(e);
            skip_to_comma(&content);
        }
        if !content.is_empty()
            && let Err(e) = content.parse::<Token![,]>()
        {
            errors.push(e);
            skip_to_comma(&content);
            let _ = content.parse::<Option<Token![,]>>();
        }
    }
    if operation.forms.is_empty() {
        errors.push(syn::Error::new(
            brace.span.join(),
            format!(
                "`{}` has no request form: add at least one, e.g. `GET \"/users/{{id}}\"`",
                operation.name.value
            ),
        ));
    }
    if seen.response.is_none() {
        errors.push(syn::Error::new(
            brace.span.join(),
            format!(
                "`{}` has no `response`: add e.g. `response: 200 User` or `response: 204`",
                operation.name.value
            ),
        ));
    }
    Ok(EndpointItem {
        attrs,
        vis,
        operation,
    })
}

/// Where each single-valued entry was first written, to report repeats.
#[derive(Default)]
struct Seen {
    version: Option<Span>,
    permissions: Option<Span>,
    headers: Option<Span>,
    body: Option<Span>,
    response: Option<Span>,
    docs: Option<Span>,
}

fn once(slot: &mut Option<Span>, key: &Ident, errors: &mut Errors) {
    match slot {
        Some(first) => {
            let mut e = syn::Error::new(key.span(), format!("`{key}` is given twice"));
            e.combine(syn::Error::new(*first, "first given here"));
            errors.push(e);
        }
        None => *slot = Some(key.span()),
    }
}

fn parse_entry(
    input: ParseStream,
    op: &mut Operation,
    seen: &mut Seen,
    errors: &mut Errors,
) -> syn::Result<()> {
    let key: Ident = input.call(syn::ext::IdentExt::parse_any)?;
    if input.peek(LitStr) {
        // A request form: METHOD "path" [as ctor]
        let path: LitStr = input.parse()?;
        let constructor = if input.peek(Token![as]) {
            input.parse::<Token![as]>()?;
            let ctor: Ident = input.call(syn::ext::IdentExt::parse_any)?;
            Some(Spanned::new(ctor.to_string(), ctor.span()))
        } else {
            None
        };
        op.forms.push(RequestForm {
            method: Spanned::new(key.to_string(), key.span()),
            path: Spanned::new(path.value(), path.span()),
            constructor,
        });
        return Ok(());
    }
    input.parse::<Token![:]>().map_err(|_| {
        syn::Error::new(
            key.span(),
            format!(
                "expected a request form (`{key} \"/path\"`) or an entry `{key}: …`; entries are `version`, `permissions`, `headers`, `body`, `response`, `docs`"
            ),
        )
    })?;
    match key.to_string().as_str() {
        "version" => {
            once(&mut seen.version, &key, errors);
            let lit: LitStr = input.parse()?;
            match ApiVersion::parse(&lit.value()) {
                Some(v) => op.version = Spanned::new(v, lit.span()),
                None => errors.push(syn::Error::new(
                    lit.span(),
                    format!(
                        "unknown API version `{}`: expected \"v1.0\" or \"beta\"",
                        lit.value()
                    ),
                )),
            }
        }
        "permissions" => {
            once(&mut seen.permissions, &key, errors);
            op.permissions = parse_permissions(input, key.span(), errors)?;
        }
        "headers" => {
            once(&mut seen.headers, &key, errors);
            let content;
            braced!(content in input);
            while !content.is_empty() {
                let name: LitStr = content.parse()?;
                content.parse::<Token![:]>()?;
                let kind: Ident = content.parse()?;
                let required = match kind.to_string().as_str() {
                    "required" => true,
                    "optional" => false,
                    other => {
                        errors.push(syn::Error::new(
                            kind.span(),
                            format!("expected `required` or `optional`, found `{other}`"),
                        ));
                        false
                    }
                };
                op.headers.push(HeaderDef {
                    name: Spanned::new(name.value(), name.span()),
                    required,
                });
                if content.is_empty() {
                    break;
                }
                content.parse::<Token![,]>()?;
            }
        }
        "body" => {
            once(&mut seen.body, &key, errors);
            op.body = Some(TypeRef { ty: input.parse()? });
        }
        "response" => {
            once(&mut seen.response, &key, errors);
            let status: LitInt = input.parse()?;
            let code = status.base10_parse::<u16>()?;
            let body = if input.is_empty() || input.peek(Token![,]) {
                ResponseBody::None
            } else {
                match input.parse::<syn::Type>()? {
                    syn::Type::Slice(slice) => {
                        ResponseBody::Collection(TypeRef { ty: *slice.elem })
                    }
                    ty => ResponseBody::One(TypeRef { ty }),
                }
            };
            op.response = ResponseDef {
                status: Spanned::new(code, status.span()),
                body,
            };
        }
        "docs" => {
            once(&mut seen.docs, &key, errors);
            let lit: LitStr = input.parse()?;
            op.docs_page = Some(Spanned::new(lit.value(), lit.span()));
        }
        other => {
            return Err(syn::Error::new(
                key.span(),
                format!(
                    "unknown entry `{other}`: expected `version`, `permissions`, `headers`, `body`, `response` or `docs`"
                ),
            ));
        }
    }
    Ok(())
}

fn parse_permissions(
    input: ParseStream,
    key_span: Span,
    errors: &mut Errors,
) -> syn::Result<PermissionsTable> {
    let content;
    let brace = braced!(content in input);
    let mut rows = Vec::new();
    while !content.is_empty() {
        let scheme_ident: Ident = content.parse()?;
        content.parse::<Token![:]>()?;
        let value = parse_row(&content, errors)?;
        match Scheme::from_identifier(&scheme_ident.to_string()) {
            Some(scheme) => rows.push(PermissionRow {
                scheme: Spanned::new(scheme, scheme_ident.span()),
                value,
            }),
            None => errors.push(syn::Error::new(
                scheme_ident.span(),
                format!(
                    "unknown scheme `{scheme_ident}`: expected `DelegatedWork`, `DelegatedPersonal` or `Application`"
                ),
            )),
        }
        if content.is_empty() {
            break;
        }
        content.parse::<Token![,]>()?;
    }
    let span = key_span.join(brace.span.join()).unwrap_or(key_span);
    Ok(PermissionsTable { span, rows })
}

fn parse_row(input: ParseStream, errors: &mut Errors) -> syn::Result<RowValue> {
    if input.peek(syn::token::Bracket) {
        let content;
        bracketed!(content in input);
        let mut alternatives = Vec::new();
        while !content.is_empty() {
            let mut alternative = Vec::new();
            loop {
                let lit: LitStr = content.parse()?;
                alternative.push(Spanned::new(lit.value(), lit.span()));
                if content.peek(Token![+]) {
                    content.parse::<Token![+]>()?;
                } else {
                    break;
                }
            }
            alternatives.push(alternative);
            if content.is_empty() {
                break;
            }
            content.parse::<Token![,]>()?;
        }
        return Ok(RowValue::Scopes(alternatives));
    }
    let word: Ident = input.parse().map_err(|e| {
        syn::Error::new(
            e.span(),
            "expected a list of scopes `[\"User.Read\", …]`, `unsupported`, `none` or `unknown`",
        )
    })?;
    Ok(match word.to_string().as_str() {
        "unsupported" => RowValue::NotSupported(word.span()),
        "none" => RowValue::NoneRequired(word.span()),
        "unknown" => RowValue::Unknown(word.span()),
        other => {
            errors.push(syn::Error::new(
                word.span(),
                format!(
                    "expected a list of scopes, `unsupported`, `none` or `unknown`, found `{other}`"
                ),
            ));
            RowValue::Unknown(word.span())
        }
    })
}

fn skip_to_comma(input: ParseStream) {
    while !input.is_empty() && !input.peek(Token![,]) {
        if input.parse::<TokenTree>().is_err() {
            break;
        }
    }
}

/// The text of a `///` doc comment attribute, without the single leading space.
pub fn doc_line(attr: &Attribute) -> Option<String> {
    if !attr.path().is_ident("doc") {
        return None;
    }
    let syn::Meta::NameValue(nv) = &attr.meta else {
        return None;
    };
    let syn::Expr::Lit(syn::ExprLit {
        lit: syn::Lit::Str(s),
        ..
    }) = &nv.value
    else {
        return None;
    };
    let text = s.value();
    Some(text.strip_prefix(' ').map(str::to_owned).unwrap_or(text))
}
