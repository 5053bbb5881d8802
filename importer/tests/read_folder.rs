//! The one folder reader (`read::read_dir`, `read::read_files`), over pages copied from
//! `../shared/graph-docs/ru-RU/v1.0` into a scratch folder: a page's API version follows
//! the folder it is in, so a `…/beta/api/` folder is imported as `beta`; resource pages
//! beside the folder resolve types; a single file reads as it does in its folder.

use std::path::{Path, PathBuf};

use graphspec_codegen::model::ApiVersion;
use graphspec_importer::{import, print, read};

const PAGES: &[&str] = &["user-get.md", "group-delete.md"];
const RESOURCES: &[&str] = &["user.md", "group.md"];

fn corpus() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/graph-docs/ru-RU/v1.0")
}

/// A docs folder at `dir` holding [`PAGES`] and [`RESOURCES`], copied from the corpus.
fn docs_folder(dir: &Path) {
    for (sub, names) in [("api", PAGES), ("resources", RESOURCES)] {
        std::fs::create_dir_all(dir.join(sub)).unwrap();
        for name in names {
            std::fs::copy(corpus().join(sub).join(name), dir.join(sub).join(name))
                .unwrap_or_else(|e| panic!("{name} in the docs corpus: {e}"));
        }
    }
}

#[test]
fn a_folder_gives_its_api_version_and_resources() {
    let scratch =
        std::env::temp_dir().join(format!("graphspec-importer-read-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&scratch);
    let beta = scratch.join("graph-docs/ru-RU/beta");
    let v1 = scratch.join("graph-docs/ru-RU/v1.0");
    docs_folder(&beta);
    docs_folder(&v1);

    let mut progress = Vec::new();
    let pages = read::read_dir(&beta, &mut |done, total| progress.push((done, total))).unwrap();
    assert_eq!(progress, [(1, 2), (2, 2)]);
    assert_eq!(pages.len(), 2);
    for page in &pages {
        let op = page.operation.as_ref().expect("imported");
        assert_eq!(op.version.value, ApiVersion::Beta, "{}", page.page);
        assert!(
            print::print_operation(op).contains("        version: \"beta\",\n"),
            "{}",
            page.page
        );
    }
    let get = pages.iter().find(|p| p.page == "user-get").unwrap();
    assert_eq!(get.response_type.as_deref(), Some("microsoft.graph.user"));
    assert_eq!(get.product.as_deref(), Some("users"));
    let imported = import(pages, None, None, "graph-docs/ru-RU/beta");
    let user = imported.module_file(&imported.modules["user"]);
    assert!(user.contains("        version: \"beta\",\n"), "{user}");

    let pages = read::read_dir(&v1, &mut |_, _| {}).unwrap();
    for page in &pages {
        let op = page.operation.as_ref().expect("imported");
        assert_eq!(op.version.value, ApiVersion::V1, "{}", page.page);
        assert!(!print::print_operation(op).contains("version:"));
    }

    // One file reads as it does in its folder, resources and version included.
    let files = read::page_files(&beta.join("api/user-get.md")).unwrap();
    let alone = read::read_files(&files, &mut |_, _| {}).unwrap();
    assert_eq!(alone.len(), 1);
    assert_eq!(
        alone[0].response_type.as_deref(),
        Some("microsoft.graph.user")
    );
    assert_eq!(
        alone[0].operation.as_ref().unwrap().version.value,
        ApiVersion::Beta
    );
    // A folder names its `api/` pages.
    assert_eq!(read::page_files(&beta).unwrap().len(), 2);
    assert_eq!(read::page_files(&beta.join("api")).unwrap().len(), 2);
    let missing = read::read_dir(&scratch.join("nowhere"), &mut |_, _| {}).unwrap_err();
    assert!(missing.to_string().starts_with("cannot read "), "{missing}");

    let _ = std::fs::remove_dir_all(&scratch);
}
