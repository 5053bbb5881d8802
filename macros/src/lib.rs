//! Procedural macros of graphspec.
