//! graphspec
