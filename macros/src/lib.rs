//! Procedural macros of graphspec. This crate is a thin shell: all parsing, validation
//! and emission live in `graphspec-codegen`. Use them through the `graphspec` crate.

use proc_macro::TokenStream;

/// Defines Microsoft Graph operations. See `docs/definition-language.md`.
#[proc_macro]
pub fn endpoint(input: TokenStream) -> TokenStream {
    let (mut out, errors) = graphspec_codegen::endpoint(input.into());
    out.extend(errors.to_compile_errors());
    out.into()
}

/// Declares an application's credential: scheme, granted scopes and the operations it
/// calls; the calls are checked against the grants at compile time.
#[proc_macro]
pub fn credential(input: TokenStream) -> TokenStream {
    let (mut out, errors) = graphspec_codegen::credential(input.into());
    out.extend(errors.to_compile_errors());
    out.into()
}
