//! Procedural macros of graphspec. This crate is a thin shell: all parsing, validation
//! and emission live in `graphspec-codegen`. Use them through the `graphspec` crate,
//! whose `endpoint!` and `credential!` call these with `$crate` first
//! (`$crate; definitions…`), so generated code reaches the runtime as
//! `$crate::__private::rt` whatever the calling crate names graphspec — no manifest is
//! read.

use proc_macro::TokenStream;
use proc_macro2::{TokenStream as TokenStream2, TokenTree};

/// Defines Microsoft Graph operations (`graphspec::endpoint!`). Input: the path of the
/// `graphspec` crate, `;`, then definitions (`docs/definition-language.md`).
#[proc_macro]
pub fn endpoint(input: TokenStream) -> TokenStream {
    let (runtime, input) = split_crate(input.into());
    let (mut out, errors) = graphspec_codegen::endpoint_in(input, &runtime);
    out.extend(errors.to_compile_errors());
    out.into()
}

/// Declares an application's credential (`graphspec::credential!`). Input: the path of
/// the `graphspec` crate, `;`, then the declaration.
#[proc_macro]
pub fn credential(input: TokenStream) -> TokenStream {
    let (runtime, input) = split_crate(input.into());
    let (mut out, errors) = graphspec_codegen::credential_in(input, &runtime);
    out.extend(errors.to_compile_errors());
    out.into()
}

/// Splits `krate ; rest` into the runtime's path, `krate::__private::rt`, and `rest`.
/// Without a `;` (called directly rather than through graphspec's macros) the crate is
/// `::graphspec`.
fn split_crate(input: TokenStream2) -> (TokenStream2, TokenStream2) {
    let tokens: Vec<TokenTree> = input.clone().into_iter().collect();
    let semi = tokens
        .iter()
        .position(|t| matches!(t, TokenTree::Punct(p) if p.as_char() == ';'));
    match semi {
        Some(at) if at > 0 && at <= 2 => {
            let krate: TokenStream2 = tokens[..at].iter().cloned().collect();
            let rest: TokenStream2 = tokens[at + 1..].iter().cloned().collect();
            (quote_runtime(krate), rest)
        }
        _ => (graphspec_codegen::expand::default_runtime_path(), input),
    }
}

fn quote_runtime(krate: TokenStream2) -> TokenStream2 {
    let mut out = krate;
    out.extend("::__private::rt".parse::<TokenStream2>().expect("a path"));
    out
}
