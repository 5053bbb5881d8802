//! Procedural macros of graphspec. This crate is a thin shell: all parsing, validation
//! and emission live in `graphspec-codegen`. Use them through the `graphspec` crate.
//!
//! Generated code reaches the runtime through the name the calling crate's `Cargo.toml`
//! gives `graphspec` (found with `proc-macro-crate`), so `gs = { package = "graphspec" }`
//! works as well as `graphspec = …`.

use proc_macro::TokenStream;
use proc_macro_crate::{FoundCrate, crate_name};

/// Defines Microsoft Graph operations. See `docs/definition-language.md`.
#[proc_macro]
pub fn endpoint(input: TokenStream) -> TokenStream {
    let (mut out, errors) = graphspec_codegen::endpoint_in(input.into(), &runtime_path());
    out.extend(errors.to_compile_errors());
    out.into()
}

/// Declares an application's credential: scheme, granted scopes and the operations it
/// calls; the calls are checked against the grants at compile time.
#[proc_macro]
pub fn credential(input: TokenStream) -> TokenStream {
    let (mut out, errors) = graphspec_codegen::credential_in(input.into(), &runtime_path());
    out.extend(errors.to_compile_errors());
    out.into()
}

/// The path of the runtime as the calling crate can name it: `::<name>::__private::rt`
/// with `<name>` the calling crate's name for `graphspec`. Inside `graphspec` itself (its
/// library, tests, examples and doctests) that is `graphspec`, which the library declares
/// for itself with `extern crate self as graphspec`. When the manifest cannot be read, or
/// does not name `graphspec`, the plain name is used, and a missing dependency is
/// reported by rustc at the use.
fn runtime_path() -> proc_macro2::TokenStream {
    match crate_name("graphspec") {
        Ok(FoundCrate::Name(name)) => graphspec_codegen::expand::runtime_path_in(&name),
        Ok(FoundCrate::Itself) | Err(_) => graphspec_codegen::expand::default_runtime_path(),
    }
}
