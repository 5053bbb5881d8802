//! graphspec's code generator.
pub mod catalog;
pub mod docs;
pub mod model;
pub mod print;
