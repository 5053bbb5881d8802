//! The vocabulary every part of graphspec agrees on, defined once: the proc-macro
//! backend (`graphspec-codegen`) and the importer on the build host, the runtime in the
//! user's program, the emulator and the maintenance tasks.
//!
//! - [`Scheme`]: the three ways Graph grants permissions;
//! - [`Method`] and [`ApiVersion`]: what an operation's request line names;
//! - [`path`]: path templates (`/users/{id}/messages`), parsed into [`Piece`]s, and the
//!   one rule that matches a concrete request path against a template;
//! - [`catalogue`]: every permission in Microsoft's permissions data, and the rule that
//!   names each permission's Rust constant.
//!
//! This crate has no dependencies, so the proc macros can use it without pulling the
//! runtime into the build host, and the runtime can use it without pulling in `syn`.

#![forbid(unsafe_code)]
#![warn(missing_docs)]
#![no_std]

extern crate alloc;

pub mod catalogue;
/// Written by `cargo run -p xtask -- scopes`; nothing below `src/generated/` is edited by hand.
mod generated {
    pub(crate) mod catalogue;
}
mod method;
pub mod path;
mod scheme;
mod version;

pub use method::Method;
pub use path::{ParsedTemplate, Piece, QueryOption, TemplateError};
pub use scheme::Scheme;
pub use version::ApiVersion;
