//! Re-running the import over `../shared/graph-docs/ru-RU/v1.0` with
//! `../shared/graph-permissions/permissions.json` reproduces the committed files of
//! `api-defs/` byte for byte.
//!
//! After a change to the reader or the importer, regenerate with
//! `cargo run -p graphspec-cli -- import ../shared/graph-docs/ru-RU/v1.0 --permissions
//! ../shared/graph-permissions/permissions.json --metadata
//! ../shared/graph-metadata/v1.0-metadata.xml` (or run this test
//! with `GRAPHSPEC_BLESS=1`) and review the diff.

use std::path::{Path, PathBuf};

use graphspec_importer::csdl::Metadata;
use graphspec_importer::page::ImportStatus;
use graphspec_importer::permissions_json::PermissionsData;
use graphspec_importer::write::Target;
use graphspec_importer::{import, read};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

#[test]
fn import_reproduces_the_committed_files() {
    let root = root();
    let docs = root.join("../shared/graph-docs/ru-RU/v1.0");
    let perms = std::fs::read_to_string(root.join("../shared/graph-permissions/permissions.json"))
        .expect("permissions.json in ../shared");
    let perms = PermissionsData::from_json(&perms).unwrap();
    let pages = read::read_dir(&docs, &mut |_, _| {}).expect("the docs corpus in ../shared");
    let csdl = std::fs::read_to_string(root.join("../shared/graph-metadata/v1.0-metadata.xml"))
        .expect("the CSDL in ../shared");
    let csdl = Metadata::parse(&csdl).unwrap();
    let result = import(pages, Some(&perms), Some(&csdl), "graph-docs/ru-RU/v1.0");
    let total = result.pages.len();
    let imported = total - result.count(ImportStatus::Not);
    eprintln!(
        "{total} pages, {imported} imported ({} fully), {} operations, {} repairs",
        result.count(ImportStatus::Full),
        result.operation_count(),
        result.repairs.len()
    );
    assert!(imported * 100 >= total * 99, "at least 99% imported");
    let api = root.join("api-defs");
    let cargo = std::fs::read_to_string(api.join("Cargo.toml")).unwrap();
    let bless = std::env::var_os("GRAPHSPEC_BLESS").is_some();
    let target = Target::open(&api).unwrap();
    if bless {
        let written = target.write(&result).unwrap();
        eprintln!("blessed: {written:?}");
        return;
    }
    let mut differ = Vec::new();
    for (path, text) in result.files(&cargo).unwrap() {
        let file = api.join(&path);
        if std::fs::read_to_string(&file).ok().as_deref() != Some(text.as_str()) {
            differ.push(path);
        }
    }
    assert!(
        differ.is_empty(),
        "{} generated files differ from a fresh import (first: {:?}); re-run the import",
        differ.len(),
        differ.first()
    );
    let stale = target.stale(&result).unwrap();
    assert!(
        stale.is_empty(),
        "generated files a fresh import no longer produces: {stale:?}; re-run the import"
    );
}
