//! graphspec's code generator: the library behind the `graphspec-macros` proc macros
//! (the importer, `graphspec-importer`, builds on its model, validation and expansion).
//!
//! Data flows one way through modules named for their stage:
//!
//! 1. [`dsl`] (the Rust definition language) parses definitions into the [`model`];
//! 2. [`valid`] checks a model and computes what emission needs, reporting every problem
//!    with its span;
//! 3. [`expand`] emits Rust for the runtime;
//! 4. [`credential`](mod@credential) parses, checks and expands `credential!`.
//!
//! Nothing here depends on `proc_macro`, so all of it is unit-testable.

#![forbid(unsafe_code)]
#![warn(missing_docs)]

pub mod catalog;
pub mod credential;
pub mod dsl;
pub mod expand;
pub mod model;
pub mod naming;
pub mod valid;

use proc_macro2::TokenStream;

/// Every error found so far; all are reported together.
#[derive(Debug, Default)]
pub struct Errors {
    errors: Vec<syn::Error>,
}

impl Errors {
    /// Records an error.
    pub fn push(&mut self, error: syn::Error) {
        self.errors.push(error);
    }

    /// Whether nothing was recorded.
    pub fn is_empty(&self) -> bool {
        self.errors.is_empty()
    }

    /// The recorded errors.
    pub fn errors(&self) -> &[syn::Error] {
        &self.errors
    }

    /// `compile_error!` invocations for every recorded error.
    pub fn to_compile_errors(&self) -> TokenStream {
        self.errors
            .iter()
            .map(syn::Error::to_compile_error)
            .collect()
    }
}

/// `endpoint! { … }`: parse → validate → expand, naming the runtime
/// `::graphspec::__private::rt`. Returns the items and the `compile_error!`s of every
/// problem found. Items are emitted even when there are errors, so one mistake does not
/// cascade into errors at every use.
pub fn endpoint(input: TokenStream) -> (TokenStream, Errors) {
    endpoint_in(input, &expand::default_runtime_path())
}

/// [`endpoint()`], naming the runtime `rt` (see [`expand::runtime_path_in`]).
pub fn endpoint_in(input: TokenStream, rt: &TokenStream) -> (TokenStream, Errors) {
    let mut errors = Errors::default();
    let items = dsl::parse_items(input, &mut errors);
    let mut out = TokenStream::new();
    for item in &items {
        let valid = valid::validate(&item.operation, &mut errors);
        out.extend(expand::expand_endpoint_in(item, &valid, rt));
    }
    (out, errors)
}

/// Validates and expands one [`model::Operation`] as `endpoint!` expands it when written
/// as a `pub struct` with the operation's doc lines and no other attributes, naming the
/// runtime `::graphspec::__private::rt`: what tools (`graphspec inspect`) show for a
/// definition without printing it as text and parsing it back.
pub fn expand_operation(operation: &model::Operation) -> (TokenStream, Errors) {
    let mut errors = Errors::default();
    let item = dsl::EndpointItem {
        attrs: Vec::new(),
        vis: syn::parse_quote!(pub),
        operation: operation.clone(),
    };
    let valid = valid::validate(&item.operation, &mut errors);
    let out = expand::expand_endpoint(&item, &valid);
    (out, errors)
}

/// `credential! { … }`: parse → check grants → expand, naming the runtime
/// `::graphspec::__private::rt`.
pub fn credential(input: TokenStream) -> (TokenStream, Errors) {
    credential_in(input, &expand::default_runtime_path())
}

/// [`credential()`], naming the runtime `rt` (see [`expand::runtime_path_in`]).
pub fn credential_in(input: TokenStream, rt: &TokenStream) -> (TokenStream, Errors) {
    let mut errors = Errors::default();
    let out = match credential::parse(input, &mut errors) {
        Some(def) => {
            let before = errors.errors().len();
            let grants = credential::validate(&def, &mut errors);
            let grants_ok = errors.errors().len() == before;
            credential::expand(&def, &grants, grants_ok, rt)
        }
        None => TokenStream::new(),
    };
    (out, errors)
}
