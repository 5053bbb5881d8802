//! Authentication schemes: how an application holds its permissions.
//!
//! [`Scheme`] is defined once, in the vocabulary crate `graphspec-spec`, and shared with the
//! proc macros and the importer.

pub use graphspec_spec::Scheme;
