//! Generated scope constants (placeholder; filled by `cargo run -p xtask -- scopes`).
