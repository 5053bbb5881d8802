//! Printer of the definition language (placeholder).
