//! graphspec's importer: a folder of Microsoft Graph reference pages (any language) and
//! Microsoft's `permissions.json` in; the definitions of the `graphspec` crate
//! (`api-defs/`) and an import report out. `docs/importer.md` describes the rules.
//!
//! The importer builds on `graphspec-codegen`'s definition model, validation and
//! expansion, and on `graphspec-spec`'s vocabulary. It runs on the maintainer's machine
//! (the `graphspec` command), never in users' builds: the proc macros do not depend on it.

#![forbid(unsafe_code)]
#![warn(missing_docs)]

pub mod docs;
pub mod import;
pub mod permissions_json;
pub mod print;

use proc_macro2::TokenStream;

/// Renders generated code for people to read (expansion snapshots, `graphspec inspect`).
pub fn pretty(tokens: TokenStream) -> String {
    match syn::parse2::<syn::File>(tokens.clone()) {
        Ok(file) => prettyplease::unparse(&file),
        Err(_) => tokens.to_string(),
    }
}
