//! Files written by `cargo run -p xtask -- scopes`; nothing here is edited by hand.

pub(crate) mod scopes;
