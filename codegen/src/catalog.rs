//! Generated permission catalog (placeholder; filled by `cargo run -p xtask -- scopes`).
