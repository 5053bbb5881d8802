//! The property names of every resource page's tables against the CSDL type the page
//! documents, in the ru-RU and ja-JP editions: how many page names the CSDL declares on
//! the type or a base (structural or navigation), and how many of the type's CSDL
//! properties the page lists. Printed by
//! `cargo test -p graphspec-importer --test resource_properties -- --nocapture`.

use std::collections::BTreeSet;
use std::path::Path;

use graphspec_importer::csdl::Metadata;
use graphspec_importer::read::resource_page;

#[test]
fn page_property_tables_agree_with_the_csdl() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared");
    let csdl = std::fs::read_to_string(root.join("graph-metadata/v1.0-metadata.xml")).unwrap();
    let metadata = Metadata::parse(&csdl).unwrap();
    for edition in ["ru-RU", "ja-JP"] {
        let dir = root.join("graph-docs").join(edition).join("v1.0/resources");
        let (mut pages, mut typed, mut names, mut known, mut listed, mut declared) =
            (0, 0, 0, 0, 0, 0);
        let mut unknown_examples = Vec::new();
        let mut entries: Vec<_> = std::fs::read_dir(&dir).unwrap().flatten().collect();
        entries.sort_by_key(|e| e.file_name());
        for entry in entries {
            let Ok(text) = std::fs::read_to_string(entry.path()) else {
                continue;
            };
            pages += 1;
            let Some(page) = resource_page(&text) else {
                continue;
            };
            let ty = metadata
                .structured
                .keys()
                .find(|k| k.eq_ignore_ascii_case(&page.graph_type))
                .cloned();
            let Some(ty) = ty.filter(|_| !page.properties.is_empty()) else {
                continue;
            };
            typed += 1;
            let mut csdl: BTreeSet<&str> = BTreeSet::new();
            for t in metadata.ancestry(&ty) {
                csdl.extend(t.properties.iter().map(|p| p.name.as_str()));
                csdl.extend(t.navigation.iter().map(|n| n.property.name.as_str()));
            }
            let on_page: BTreeSet<&str> = page.properties.iter().map(String::as_str).collect();
            names += on_page.len();
            for name in &on_page {
                if csdl.contains(name) {
                    known += 1;
                } else if unknown_examples.len() < 8 {
                    unknown_examples.push(format!("{ty}.{name}"));
                }
            }
            declared += csdl.len();
            listed += csdl.iter().filter(|n| on_page.contains(*n)).count();
        }
        let pct = |a: usize, b: usize| a as f64 * 100.0 / b.max(1) as f64;
        println!(
            "{edition}: {pages} resource pages, {typed} with a CSDL type and a property table; \
             {known} of {names} page names declared by the CSDL ({:.1}%); \
             {listed} of {declared} CSDL properties listed on the pages ({:.1}%); \
             not in the CSDL, e.g. {unknown_examples:?}",
            pct(known, names),
            pct(listed, declared)
        );
        assert!(typed > 100, "{edition}: property tables are found");
        assert!(
            known * 100 >= names * 90,
            "{edition}: most page names are CSDL properties"
        );
    }
}
