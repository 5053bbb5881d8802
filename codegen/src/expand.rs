//! Emission: a validated operation → Rust items for the `graphspec` runtime.
//!
//! Generated code names everything through one path to the runtime, given by the caller:
//! by default `::graphspec::__private::rt` (the runtime re-exported by the `graphspec`
//! crate); the proc macros pass the name the user's `Cargo.toml` gives the `graphspec`
//! crate (see [`runtime_path_in`]), so generated code compiles wherever `graphspec` is a
//! dependency, under any name, whatever else is in scope.

use proc_macro2::{Span, TokenStream};
use quote::{ToTokens, format_ident, quote, quote_spanned};

use crate::catalog;
use crate::dsl::EndpointItem;
use crate::model::{ApiVersion, Method, ResponseBody, RowValue, Scheme, Spanned};
use crate::naming;
use crate::valid::{Piece, ValidForm, ValidOperation};

/// The path of the runtime in generated code when the `graphspec` crate has its own name:
/// `::graphspec::__private::rt`.
pub fn default_runtime_path() -> TokenStream {
    runtime_path_in("graphspec")
}

/// The path of the runtime in generated code when the user's `Cargo.toml` names the
/// `graphspec` crate `krate` (`graphspec = …` or `gs = { package = "graphspec", … }`):
/// `::krate::__private::rt`.
pub fn runtime_path_in(krate: &str) -> TokenStream {
    let krate = syn::Ident::new(krate, Span::call_site());
    quote!(::#krate::__private::rt)
}

/// Emits the items for one operation, naming the runtime `::graphspec::__private::rt`.
pub fn expand_endpoint(item: &EndpointItem, valid: &ValidOperation<'_>) -> TokenStream {
    expand_endpoint_in(item, valid, &default_runtime_path())
}

/// Emits the items for one operation, naming the runtime `rt` (see [`runtime_path_in`]).
pub fn expand_endpoint_in(
    item: &EndpointItem,
    valid: &ValidOperation<'_>,
    rt: &TokenStream,
) -> TokenStream {
    let op = valid.operation;
    let name = syn::Ident::new(&op.name.value, op.name.span);
    let vis = &item.vis;
    let attrs = &item.attrs;
    let docs = struct_docs(valid);
    let body_field = op.body.as_ref().map(|b| {
        let ty = &b.ty;
        quote!(body: #ty,)
    });

    let constructors = valid
        .forms
        .iter()
        .enumerate()
        .map(|(index, form)| constructor(valid, index, form, rt));
    let query_impl = (valid.method == Method::Get).then(|| {
        quote! {
            impl #rt::Query for #name {
                fn parts_mut(&mut self) -> &mut #rt::RequestParts {
                    &mut self.parts
                }
            }
        }
    });
    let header_builders = op.headers.iter().filter(|h| !h.required).map(|h| {
        let method = format_ident!("{}", naming::header_method(&h.name.value), span = h.name.span);
        let header = &h.name.value;
        let doc = format!("Sets the `{header}` request header.");
        quote! {
            #[doc = #doc]
            pub fn #method(mut self, value: impl ::core::convert::Into<::std::string::String>) -> Self {
                self.parts.set_header(#header, value.into());
                self
            }
        }
    });

    let info = operation_info(valid, rt);
    let response_ty = response(valid, rt);
    let content_body = op.body.as_ref().is_some_and(|b| is_bytes(&b.ty));
    let body_json = op.body.as_ref().map(|body| {
        if content_body {
            // Raw content (a file, a photo): sent as it is.
            return quote! {
                fn body_content(&self) -> ::core::option::Option<&[u8]> {
                    ::core::option::Option::Some(&self.body)
                }
            };
        }
        // Located at the body type, so that a type without `Serialize` is reported there;
        // resolved where `&self` is declared (the macro's call site), so `self` is the
        // same binding when the definition reaches the macro through `macro_rules!`.
        let span = first_span(&body.ty).resolved_at(Span::call_site());
        let field = quote_spanned!(span=> &self.body);
        quote! {
            fn body_json(&self) -> ::core::result::Result<::core::option::Option<::std::vec::Vec<u8>>, #rt::Error> {
                #rt::json_body(Self::INFO, #field)
            }
        }
    });

    let declares_content_type = op
        .headers
        .iter()
        .any(|h| h.name.value.eq_ignore_ascii_case("content-type"));
    let content_type = (content_body && !declares_content_type).then(|| {
        quote! {
            /// Sets the `Content-Type` of the content sent (`application/octet-stream` when
            /// not set): `text/plain`, `image/jpeg`, ….
            pub fn content_type(mut self, value: impl ::core::convert::Into<::std::string::String>) -> Self {
                self.parts.set_header("Content-Type", value.into());
                self
            }
        }
    });
    quote! {
        #(#docs)*
        #(#attrs)*
        #[derive(Debug, Clone)]
        #[must_use = "a request does nothing until it is sent"]
        #vis struct #name {
            parts: #rt::RequestParts,
            #body_field
        }

        impl #name {
            #(#constructors)*
            #(#header_builders)*
            #content_type
        }

        impl #rt::Endpoint for #name {
            const INFO: &'static #rt::OperationInfo = &#info;
            type Response = #response_ty;
            fn parts(&self) -> &#rt::RequestParts {
                &self.parts
            }
            #body_json
        }

        #query_impl
    }
}

fn struct_docs(valid: &ValidOperation<'_>) -> Vec<TokenStream> {
    let op = valid.operation;
    let mut lines: Vec<String> = op.doc.iter().map(|l| format!(" {l}")).collect();
    if !lines.is_empty() {
        lines.push(String::new());
    }
    lines.push(" # Request".into());
    lines.push(String::new());
    lines.push(" | constructor | request |".into());
    lines.push(" |---|---|".into());
    for form in &valid.forms {
        let args: Vec<&str> = form.params.iter().map(|p| p.rust_name.as_str()).collect();
        lines.push(format!(
            " | `{}({})` | `{} {}` |",
            form.constructor,
            args.join(", "),
            valid.method.as_str(),
            form.template.replace('|', "\\|")
        ));
    }
    lines.push(String::new());
    lines.push(" # Permissions".into());
    lines.push(String::new());
    lines.push(" | scheme | least → most privileged |".into());
    lines.push(" |---|---|".into());
    for scheme in Scheme::ALL {
        let text = match valid.row(scheme) {
            Some(RowValue::Scopes(alts)) => alts
                .iter()
                .map(|alt| {
                    alt.iter()
                        .map(|s| format!("`{}`", s.value))
                        .collect::<Vec<_>>()
                        .join(" + ")
                })
                .collect::<Vec<_>>()
                .join(", "),
            Some(RowValue::NotSupported(_)) => "not supported".into(),
            Some(RowValue::NoneRequired(_)) => "none required".into(),
            Some(RowValue::Unknown(_)) | None => "no data".into(),
        };
        lines.push(format!(" | {} | {} |", scheme.as_str(), text));
    }
    lines.push(String::new());
    lines.push(" # Response".into());
    lines.push(String::new());
    lines.push(format!(
        " `{}`{}",
        op.response.status.value,
        match &op.response.body {
            ResponseBody::None => " with no content".to_owned(),
            ResponseBody::One(t) => format!(" with one `{}`", type_name(&t.ty)),
            ResponseBody::Collection(t) => format!(" with a collection of `{}`", type_name(&t.ty)),
        }
    ));
    if let Some(page) = &op.docs_page {
        // `page#section`: the fragment goes after the query.
        let (page, section) = match page.value.split_once('#') {
            Some((page, section)) => (page, format!("#{section}")),
            None => (page.value.as_str(), String::new()),
        };
        lines.push(String::new());
        lines.push(format!(
            " Reference: <https://learn.microsoft.com/graph/api/{page}?view=graph-rest-1.0{section}>"
        ));
    }
    lines.into_iter().map(|l| quote!(#[doc = #l])).collect()
}

fn type_name(ty: &syn::Type) -> String {
    ty.to_token_stream().to_string().replace(' ', "")
}

fn constructor(
    valid: &ValidOperation<'_>,
    index: usize,
    form: &ValidForm,
    rt: &TokenStream,
) -> TokenStream {
    let op = valid.operation;
    let ctor_name = if naming::is_identifier(&form.constructor) {
        form.constructor.clone()
    } else {
        format!("form{index}")
    };
    let ctor = format_ident!("{}", ctor_name, span = op.forms[index].path.span);
    let params: Vec<syn::Ident> = form
        .params
        .iter()
        .map(|p| format_ident!("{}", p.rust_name))
        .collect();
    let required_headers: Vec<(syn::Ident, &str)> = op
        .headers
        .iter()
        .filter(|h| h.required)
        .map(|h| {
            (
                format_ident!("{}", naming::header_method(&h.name.value)),
                h.name.value.as_str(),
            )
        })
        .collect();
    let header_idents = required_headers.iter().map(|(i, _)| i);
    let header_idents2 = required_headers.iter().map(|(i, _)| i);
    let header_names = required_headers.iter().map(|(_, n)| *n);
    let (body_arg, body_init) = match &op.body {
        Some(b) => {
            let ty = &b.ty;
            (quote!(body: #ty,), quote!(body,))
        }
        None => (TokenStream::new(), TokenStream::new()),
    };
    let doc = format!(" `{} {}`", valid.method.as_str(), form.template);
    let index_lit = index;
    quote! {
        #[doc = #doc]
        pub fn #ctor(
            #(#params: impl ::core::fmt::Display,)*
            #(#header_idents: impl ::core::fmt::Display,)*
            #body_arg
        ) -> Self {
            #[allow(unused_mut)]
            let mut parts = #rt::RequestParts::new(
                #index_lit,
                ::std::vec![#(::std::string::ToString::to_string(&#params)),*],
            );
            #(parts.set_header(#header_names, ::std::string::ToString::to_string(&#header_idents2));)*
            Self { parts, #body_init }
        }
    }
}

fn operation_info(valid: &ValidOperation<'_>, rt: &TokenStream) -> TokenStream {
    let op = valid.operation;
    let name = &op.name.value;
    let docs_page = match &op.docs_page {
        Some(page) => {
            let page = &page.value;
            quote!(::core::option::Option::Some(#page))
        }
        None => quote!(::core::option::Option::None),
    };
    let summary = op
        .doc
        .first()
        .map(|s| s.trim().to_owned())
        .unwrap_or_default();
    let version = match op.version.value {
        ApiVersion::V1 => quote!(#rt::ApiVersion::V1),
        ApiVersion::Beta => quote!(#rt::ApiVersion::Beta),
    };
    let method = format_ident!(
        "{}",
        match valid.method {
            Method::Get => "Get",
            Method::Post => "Post",
            Method::Put => "Put",
            Method::Patch => "Patch",
            Method::Delete => "Delete",
        }
    );
    let paths = valid.forms.iter().map(|form| {
        let template = &form.template;
        let pieces = form.pieces.iter().map(|p| piece_tokens(p, rt));
        let query = form.query.iter().map(|option| {
            let name = &option.name;
            let value = option.value.iter().map(|p| piece_tokens(p, rt));
            quote!(#rt::QueryOption { name: #name, value: &[#(#value),*] })
        });
        let params = form.params.iter().map(|p| &p.rust_name);
        let ctor = &form.constructor;
        quote! {
            #rt::PathTemplate {
                template: #template,
                pieces: &[#(#pieces),*],
                query: &[#(#query),*],
                params: &[#(#params),*],
                constructor: #ctor,
            }
        }
    });
    let rows = Scheme::ALL.map(|scheme| row_tokens(valid.row(scheme), rt));
    let [work, personal, application] = rows;
    let headers = op.headers.iter().map(|h| {
        let name = &h.name.value;
        let required = h.required;
        quote!(#rt::HeaderSpec { name: #name, required: #required })
    });
    let body = match &op.body {
        Some(b) => {
            // Raw content is named `Vec<u8>` however the definition spells the path
            // (`OperationInfo::takes_content`).
            let n = if is_bytes(&b.ty) {
                "Vec<u8>".to_owned()
            } else {
                type_name(&b.ty)
            };
            quote!(::core::option::Option::Some(#n))
        }
        None => quote!(::core::option::Option::None),
    };
    let status = op.response.status.value;
    let kind = match &op.response.body {
        ResponseBody::None => quote!(#rt::ResponseKind::None),
        ResponseBody::One(t) if is_bytes(&t.ty) => quote!(#rt::ResponseKind::Content),
        ResponseBody::One(t) => {
            let n = type_name(&t.ty);
            quote!(#rt::ResponseKind::One(#n))
        }
        ResponseBody::Collection(t) => {
            let n = type_name(&t.ty);
            quote!(#rt::ResponseKind::Collection(#n))
        }
    };
    quote! {
        #rt::OperationInfo {
            name: #name,
            module_path: ::core::module_path!(),
            docs_page: #docs_page,
            summary: #summary,
            version: #version,
            method: #rt::Method::#method,
            paths: &[#(#paths),*],
            permissions: #rt::PermissionTable {
                delegated_work: #work,
                delegated_personal: #personal,
                application: #application,
            },
            headers: &[#(#headers),*],
            body: #body,
            response: #rt::ResponseSpec { status: #status, kind: #kind },
        }
    }
}

/// A path or query piece as a runtime constant.
fn piece_tokens(piece: &Piece, rt: &TokenStream) -> TokenStream {
    match piece {
        Piece::Literal(text) => quote!(#rt::Piece::Literal(#text)),
        Piece::Segment(n) => quote!(#rt::Piece::Segment(#n)),
        Piece::Embedded(n) => quote!(#rt::Piece::Embedded(#n)),
    }
}

fn row_tokens(row: Option<&RowValue>, rt: &TokenStream) -> TokenStream {
    match row {
        Some(RowValue::Scopes(alternatives)) => {
            let alts = alternatives.iter().map(|alt| {
                let scopes: Vec<TokenStream> =
                    alt.iter().map(|scope| scope_tokens(scope, rt)).collect();
                // One scope (nearly every row): no array to promote.
                match &scopes[..] {
                    [one] => quote!(#rt::Alternative::one(#one)),
                    _ => quote!(#rt::Alternative::new(&[#(#scopes),*])),
                }
            });
            quote!(#rt::SchemePermissions::Scopes(&[#(#alts),*]))
        }
        Some(RowValue::NotSupported(_)) => quote!(#rt::SchemePermissions::NotSupported),
        Some(RowValue::NoneRequired(_)) => quote!(#rt::SchemePermissions::NoneRequired),
        Some(RowValue::Unknown(_)) | None => quote!(#rt::SchemePermissions::Unknown),
    }
}

/// The tokens of a scope: the `scopes::` constant when the permission is known, else an
/// ad-hoc scope carrying only its name (a docs page may list a permission that
/// Microsoft's permissions data no longer has).
pub fn scope_tokens(scope: &Spanned<String>, rt: &TokenStream) -> TokenStream {
    let name = &scope.value;
    if catalog::lookup(name).is_some() {
        let constant = format_ident!("{}", catalog::const_name(name), span = scope.span);
        quote_spanned!(scope.span=> #rt::scopes::#constant)
    } else {
        quote! {
            #rt::Scope::from_info(&#rt::ScopeInfo {
                name: #name,
                delegated_work: ::core::option::Option::None,
                delegated_personal: ::core::option::Option::None,
                application: ::core::option::Option::None,
                delegated_id: ::core::option::Option::None,
                application_id: ::core::option::Option::None,
            })
        }
    }
}

fn response(valid: &ValidOperation<'_>, rt: &TokenStream) -> TokenStream {
    // The response type is spanned at the definition's type, so that a type without
    // `Deserialize` (the `Endpoint::Response` bound) is reported there.
    match &valid.operation.response.body {
        ResponseBody::None => quote!(()),
        ResponseBody::One(t) => {
            let ty = &t.ty;
            quote_spanned!(first_span(ty)=> #ty)
        }
        ResponseBody::Collection(t) => {
            let ty = &t.ty;
            quote_spanned!(first_span(ty)=> #rt::Collection<#ty>)
        }
    }
}

/// Whether `ty` is `Vec<u8>` (any path to `Vec`): raw content (`Edm.Stream`), which a
/// response carries as its body's bytes rather than as JSON.
pub fn is_bytes(ty: &syn::Type) -> bool {
    let syn::Type::Path(path) = ty else {
        return false;
    };
    let Some(last) = path.path.segments.last() else {
        return false;
    };
    let syn::PathArguments::AngleBracketed(args) = &last.arguments else {
        return false;
    };
    last.ident == "Vec"
        && args.args.len() == 1
        && matches!(args.args.first(), Some(syn::GenericArgument::Type(syn::Type::Path(p))) if p.path.is_ident("u8"))
}

/// The span of a type's first token (the whole type's span is not available on stable).
fn first_span(ty: &syn::Type) -> Span {
    ty.to_token_stream()
        .into_iter()
        .next()
        .map_or(Span::call_site(), |t| t.span())
}
