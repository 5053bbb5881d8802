//! graphspec's importer: a folder of Microsoft Graph reference pages (any language) and
//! Microsoft's `permissions.json` in; the definitions of the `graphspec` crate
//! (`api-defs/`) and an import report out. `docs/importer.md` describes the rules for
//! users; `graphspec import` and `graphspec inspect` are its front ends.
//!
//! Data flows one way through modules named for their stage:
//!
//! 1. [`read`]: pages in, in file-name order ([`read::read_dir`], the one folder
//!    reader); Markdown → sections by anchor → the parts of a definition, with findings
//!    ([`diagnostic`]);
//! 2. [`page`]: the page model, what reading one page gives ([`page::PageResult`]) and
//!    a serializable view of its operation; with the CSDL, [`example_forms`] roots the
//!    forms written from below the service root and adds the forms the examples show,
//!    and [`function_calls`] gives bare function calls their parameters; [`routing`]
//!    measures it by routing every example request to an operation;
//! 3. [`permissions_json`] reads Microsoft's permissions data; [`cross_check`] compares
//!    each operation's permissions with it, and [`repair`] fixes scope names that
//!    translation broke;
//! 4. [`definitions`]: the operations as `api-defs` holds them ([`import`]): Rust types
//!    mapped, resource modules named and grouped into cargo features; [`identity`] gives
//!    each endpoint (method and path) one operation, after [`content`] gave the reads of
//!    raw content their own operations (and the writes of it raw bodies) and [`split`]
//!    gave the forms of a page with per-resource permissions each their row's table, and
//!    [`naming`] names it from its request;
//! 5. [`print`](mod@print) renders a definition in the definition language, [`write`](mod@write) renders and
//!    writes the files of `api-defs` (the only module that knows where they go), and
//!    [`report`] renders `IMPORT-REPORT.md`.
//!
//! [`csdl`] reads Microsoft's CSDL (`v1.0-metadata.xml`), the source of truth for types:
//! entity, complex and enum types with their base types, and action and function parameters.
//!
//! Everything but [`read::read_dir`], [`read::read_files`] and [`write::Target`] is pure.
//! The importer builds on `graphspec-codegen` (the definition model, validation and
//! expansion) and `graphspec-spec` (the shared vocabulary). It runs on maintainers'
//! machines (the `graphspec` command), never in users' builds: the proc macros do not
//! depend on it.

#![forbid(unsafe_code)]
#![warn(missing_docs)]

pub mod content;
pub mod cross_check;
pub mod csdl;
pub mod definitions;
pub mod diagnostic;
pub mod example_forms;
pub mod function_calls;
pub mod identity;
pub mod models;
pub mod naming;
pub mod page;
pub mod permissions_json;
pub mod print;
pub mod read;
pub mod repair;
pub mod report;
pub mod routing;
pub mod split;
pub mod write;

pub use definitions::{Import, import};

use proc_macro2::TokenStream;

/// Renders generated code for people to read (expansion snapshots, `graphspec inspect`),
/// with prettyplease (which reads syn 2's syntax trees: the tokens are parsed with syn 2).
pub fn pretty(tokens: TokenStream) -> String {
    match syn2::parse2::<syn2::File>(tokens.clone()) {
        Ok(file) => prettyplease::unparse(&file),
        Err(_) => tokens.to_string(),
    }
}
