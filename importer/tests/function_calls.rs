//! Function calls the CSDL completes (`function_calls`), on real pages of both editions
//! (`../shared/graph-docs/{ru-RU,ja-JP}/v1.0`) and the v1.0 CSDL:
//!
//! - a bare call of a function the CSDL has no overload without parameters for takes the
//!   parameters (site-getapplicablecontenttypesforlist, the range pages);
//! - a bare call with an overload without parameters stays, and the call with the other
//!   overload's parameters is one more form (worksheet-usedrange, driveitem-delta); a call
//!   on the way to another (`range` in `…/range/columnsAfter(count={count})`) is not;
//! - the pages' examples, which call the functions with arguments, route to their page's
//!   operation exactly, not by leaving the arguments out.

use std::path::{Path, PathBuf};

use graphspec_importer::csdl::Metadata;
use graphspec_importer::example_forms;
use graphspec_importer::function_calls::{self, CompletedCall};
use graphspec_importer::page::PageResult;
use graphspec_importer::read;
use graphspec_importer::routing::{Routed, Router};

fn shared() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared")
}

/// The pages of `edition` among `stems` (the 2019 ja-JP edition lacks some), read and
/// completed.
fn completed(edition: &str, stems: &[&str]) -> (Vec<PageResult>, Vec<CompletedCall>) {
    let dir = shared().join(format!("graph-docs/{edition}/v1.0/api"));
    let files: Vec<PathBuf> = stems
        .iter()
        .map(|s| dir.join(format!("{s}.md")))
        .filter(|f| f.exists())
        .collect();
    let mut pages = read::read_files(&files, &mut |_, _| {}).expect("the pages read");
    let csdl = std::fs::read_to_string(shared().join("graph-metadata/v1.0-metadata.xml"))
        .expect("the v1.0 CSDL in ../shared");
    let metadata = Metadata::parse(&csdl).expect("the CSDL parses");
    // As `import` runs them: forms rooted first (the 2019 ja-JP Excel pages write their
    // requests from the workbook), then the calls completed.
    example_forms::root(&mut pages, &metadata);
    let calls = function_calls::complete(&mut pages, &metadata);
    (pages, calls)
}

fn forms(pages: &[PageResult], stem: &str) -> Vec<String> {
    pages
        .iter()
        .find(|p| p.page == stem)
        .and_then(|p| p.operation.as_ref())
        .unwrap_or_else(|| panic!("{stem} imports an operation"))
        .forms
        .iter()
        .map(|f| format!("{} {}", f.method.value, f.path.value))
        .collect()
}

/// Both real editions; the 2019 ja-JP Excel pages write their requests from the
/// workbook (`/workbook/worksheets/…`), and are rooted by their examples first.
const EDITIONS: [&str; 2] = ["ru-RU", "ja-JP"];

const PAGES: &[&str] = &[
    "site-getapplicablecontenttypesforlist",
    "worksheet-usedrange",
    "range-cell",
    "driveitem-delta",
    "workbookrange-columnsafter",
];

#[test]
fn a_call_graph_does_not_serve_bare_takes_its_parameters() {
    for edition in EDITIONS {
        let (pages, calls) = completed(edition, PAGES);
        let cell = forms(&pages, "range-cell");
        assert!(
            cell.iter()
                .all(|f| f.ends_with("/cell(row={row},column={column})")),
            "{edition}: {cell:?}"
        );
        assert!(
            calls.iter().any(|c| c.page == "range-cell" && !c.added),
            "{edition}: {calls:?}"
        );
    }
    let (pages, _) = completed("ru-RU", PAGES);
    assert_eq!(
        forms(&pages, "site-getapplicablecontenttypesforlist"),
        ["GET /sites/{siteId}/getApplicableContentTypesForList(listId='{listId}')"]
    );
    let page = pages
        .iter()
        .find(|p| p.page == "site-getapplicablecontenttypesforlist")
        .unwrap();
    assert!(
        page.diagnostics
            .iter()
            .any(|d| d.code.as_str() == "request.function-parameters"),
        "{:?}",
        page.diagnostics
    );
}

#[test]
fn a_call_with_an_overload_without_parameters_gets_one_more_form() {
    for edition in EDITIONS {
        let (pages, _) = completed(edition, PAGES);
        let delta = forms(&pages, "driveitem-delta");
        let bare = delta.iter().filter(|f| f.ends_with("/root/delta")).count();
        let token = delta
            .iter()
            .filter(|f| f.ends_with("/root/delta(token='{token}')"))
            .count();
        assert!(bare > 0 && bare == token, "{edition}: {delta:?}");
    }
    for edition in EDITIONS {
        let (pages, _) = completed(edition, PAGES);
        let used = forms(&pages, "worksheet-usedrange");
        assert!(
            used.iter().any(|f| f.ends_with("/usedRange")),
            "{edition}: the bare call stays: {used:?}"
        );
        assert!(
            used.iter()
                .any(|f| f.ends_with("/usedRange(valuesOnly={valuesOnly})")),
            "{edition}: {used:?}"
        );
        // `range` on the way to `columnsAfter` is the overload without parameters, as
        // written: no form with an address is added.
        let after = forms(&pages, "workbookrange-columnsafter");
        assert!(
            after.iter().all(|f| !f.contains("range(address")),
            "{edition}: {after:?}"
        );
    }
}

#[test]
fn examples_with_arguments_route_to_their_page_exactly() {
    for edition in EDITIONS {
        let (pages, _) = completed(edition, PAGES);
        let router = Router::new(&pages);
        let mut checked = 0;
        for (index, page) in pages.iter().enumerate() {
            for example in page.examples.iter().filter(|e| {
                let path = e.url.split('?').next().unwrap_or("");
                path.ends_with(')') && !path.ends_with("()")
            }) {
                match router.route(&example.method, &example.url) {
                    Routed::Matched(m) => {
                        assert_eq!(m.page, index, "{edition}: {}", example.url);
                        assert!(
                            !m.equivalences.contains(&"function-arguments-omitted"),
                            "{edition}: {} routes only without its arguments",
                            example.url
                        );
                        checked += 1;
                    }
                    other => panic!("{edition}: {} → {other:?}", example.url),
                }
            }
        }
        assert!(checked >= 2, "{edition}: {checked} examples with arguments");
    }
}
