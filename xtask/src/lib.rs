//! Repository maintenance tasks for graphspec, run as `cargo run -p xtask -- <task>`.
//!
//! `scopes` regenerates `runtime/src/generated/scopes.rs` (a `Scope` constant per Microsoft
//! Graph permission) and `spec/src/generated/catalogue.rs` (the permission catalogue the
//! proc macros check names against) from `../shared/graph-permissions`. The generator is a library so that the test
//! `tests/generated_up_to_date.rs` can run it in memory and compare with the committed files.

pub mod naming;
pub mod permissions;
mod render;

use std::path::{Path, PathBuf};

pub use permissions::Summary;
pub use render::GENERATED_HEADER;

/// Where the generated runtime constants go, relative to the workspace root.
pub const SCOPES_FILE: &str = "runtime/src/generated/scopes.rs";
/// Where the generated permission catalogue goes, relative to the workspace root.
pub const CATALOG_FILE: &str = "spec/src/generated/catalogue.rs";

/// The output of [`generate_scopes`].
#[derive(Debug, Clone)]
pub struct Generated {
    /// Contents for [`SCOPES_FILE`].
    pub scopes_rs: String,
    /// Contents for [`CATALOG_FILE`].
    pub catalog_rs: String,
    /// What the generator read, for printing.
    pub summary: Summary,
}

impl Generated {
    /// Each output file's path relative to the workspace root, with its contents.
    pub fn files(&self) -> [(&'static str, &str); 2] {
        [
            (SCOPES_FILE, self.scopes_rs.as_str()),
            (CATALOG_FILE, self.catalog_rs.as_str()),
        ]
    }
}

/// Reads `shared/graph-permissions/{permissions,permissions-descriptions}.json` and renders
/// both generated files. Fails with a message on unreadable or inconsistent data, including
/// two permission names that map to the same constant name.
pub fn generate_scopes(shared: &Path) -> Result<Generated, String> {
    let catalog = permissions::load(shared)?;
    Ok(Generated {
        scopes_rs: render::scopes_rs(&catalog),
        catalog_rs: render::catalog_rs(&catalog),
        summary: catalog.summary,
    })
}

/// The workspace root (the parent of this crate's folder).
pub fn workspace_root() -> PathBuf {
    let manifest_dir = Path::new(env!("CARGO_MANIFEST_DIR"));
    manifest_dir.parent().unwrap_or(manifest_dir).to_path_buf()
}

/// The default shared data folder: `../shared` relative to the workspace root.
pub fn default_shared_dir() -> PathBuf {
    let root = workspace_root();
    match root.parent() {
        Some(parent) => parent.join("shared"),
        None => root.join("..").join("shared"),
    }
}
