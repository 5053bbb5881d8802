//! Examples of the real ja-JP edition (`../shared/graph-docs/ja-JP/v1.0`, 2019) routed to
//! their own page's operation, before and after the stages `import` runs with the CSDL
//! (`example_forms::root`, `example_forms::adopt`, `function_calls::complete`), in the
//! same run. The 2019 Excel pages write their requests from the workbook
//! (`/workbook/worksheets/…`), and their examples from the root
//! (`/me/drive/items/{id}/workbook/worksheets/…`): before rooting, those examples route to
//! no operation; after, to their own page's. Printed with `--nocapture`.

use std::path::Path;

use graphspec_importer::csdl::Metadata;
use graphspec_importer::example_forms;
use graphspec_importer::function_calls;
use graphspec_importer::page::PageResult;
use graphspec_importer::read;
use graphspec_importer::routing::{self, Routed};

/// (examples to Graph, routed to their own page's operation or to another page
/// documenting the same endpoint).
fn own_page(pages: &[PageResult]) -> (usize, usize) {
    let routed = routing::route_examples(pages);
    let graph = routed
        .iter()
        .filter(|r| !matches!(r.routed, Routed::NotGraph { .. }))
        .count();
    let own = routed.iter().filter(|r| r.ok || r.shared).count();
    (graph, own)
}

#[test]
fn ja_jp_examples_route_to_their_own_page_once_their_forms_are_rooted() {
    let shared = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared");
    let mut pages = read::read_dir(&shared.join("graph-docs/ja-JP/v1.0"), &mut |_, _| {})
        .expect("the ja-JP docs corpus in ../shared");
    let csdl = std::fs::read_to_string(shared.join("graph-metadata/v1.0-metadata.xml"))
        .expect("the v1.0 CSDL in ../shared");
    let metadata = Metadata::parse(&csdl).expect("the CSDL parses");
    let (graph, before) = own_page(&pages);
    let rooted = example_forms::root(&mut pages, &metadata);
    let (_, rooted_only) = own_page(&pages);
    example_forms::adopt(&mut pages, &metadata);
    function_calls::complete(&mut pages, &metadata);
    let (_, after) = own_page(&pages);
    let percent = |n: usize| 100.0 * n as f64 / graph.max(1) as f64;
    println!(
        "ja-JP examples to Graph: {graph}; routed to their own page's operation (or another page's documenting the same endpoint): read only {before} ({:.2}%), after rooting {rooted_only} ({:.2}%), after all CSDL stages {after} ({:.2}%)",
        percent(before),
        percent(rooted_only),
        percent(after)
    );
    let unrooted = rooted.iter().filter(|r| r.rooted.is_empty()).count();
    println!(
        "forms written from below the root: {}, rooted {}, left as written {unrooted}",
        rooted.len(),
        rooted.len() - unrooted
    );
    assert!(rooted_only > before, "rooting routes more examples home");
    assert!(after >= rooted_only);
    assert_eq!(unrooted, 0, "every ja-JP form below the root is rooted");
}
