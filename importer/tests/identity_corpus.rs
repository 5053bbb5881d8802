//! Operation identity over the real ru-RU and ja-JP pages: after the import, every
//! method and path (up to parameter names and case) belongs to exactly one operation
//! (`graphspec_importer::identity`), however many pages document it.

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::OnceLock;

use graphspec_importer::identity::key;
use graphspec_importer::permissions_json::PermissionsData;
use graphspec_importer::{import, read};

/// Per page whose operation is generated: its Rust name and its forms as endpoint keys.
type Names = BTreeMap<String, (String, Vec<String>)>;

/// Imports `language` once (for every test that needs it) and checks its identity.
fn edition(language: &'static str) -> &'static Names {
    static RU: OnceLock<Names> = OnceLock::new();
    static JA: OnceLock<Names> = OnceLock::new();
    let cell = if language == "ru-RU" { &RU } else { &JA };
    cell.get_or_init(|| check(language))
}

fn check(language: &str) -> Names {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let xml = std::fs::read_to_string(root.join("../shared/graph-metadata/v1.0-metadata.xml"))
        .expect("the CSDL in ../shared");
    let metadata = graphspec_importer::csdl::Metadata::parse(&xml).unwrap();
    let perms = std::fs::read_to_string(root.join("../shared/graph-permissions/permissions.json"))
        .expect("permissions.json in ../shared");
    let perms = PermissionsData::from_json(&perms).unwrap();
    let docs = root.join(format!("../shared/graph-docs/{language}/v1.0"));
    let pages = read::read_dir(&docs, &mut |_, _| {}).expect("the docs corpus in ../shared");
    let result = import(pages, Some(&perms), Some(&metadata), language);
    let mut owners: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for module in result.modules.values() {
        for op in &module.operations {
            let name = format!("{}::{}", module.name, op.name.value);
            for form in &op.forms {
                let holders = owners
                    .entry(key(&form.method.value, &form.path.value))
                    .or_default();
                if !holders.contains(&name) {
                    holders.push(name.clone());
                }
            }
        }
    }
    let shared: Vec<String> = owners
        .iter()
        .filter(|(_, ops)| ops.len() > 1)
        .map(|(k, ops)| format!("{k}: {}", ops.join(", ")))
        .collect();
    let identity = &result.identity;
    let differed = identity.shared.iter().filter(|s| s.tables_differed).count();
    let tables_merged = identity.merges.iter().filter(|m| m.table_merged).count();
    println!(
        "{language}: {} endpoints, {} documented on several pages ({differed} with different tables); {} pages merged into other operations ({tables_merged} tables merged); {} operations",
        owners.len(),
        identity.shared.len(),
        identity.merges.len(),
        result.operation_count()
    );
    assert!(
        shared.is_empty(),
        "{language}: {} endpoints with more than one operation:\n{}",
        shared.len(),
        shared.join("\n")
    );
    // Every merged page names operations that exist and send one of its requests.
    for merge in &identity.merges {
        assert!(!merge.into.is_empty(), "{merge:?}");
        let entry = result.pages.iter().find(|p| p.page == merge.page).unwrap();
        if entry.merged_into.is_empty() {
            // A page split per resource whose other parts are kept.
            assert!(
                result
                    .per_resource
                    .split
                    .iter()
                    .any(|(p, _)| *p == merge.page),
                "{merge:?}"
            );
        } else {
            // Every part of a page merged: the page names every operation serving them.
            assert!(
                merge.into.iter().all(|o| entry.merged_into.contains(o)),
                "{merge:?}: {:?}",
                entry.merged_into
            );
        }
        for owner in &merge.into {
            let (module, name) = owner.split_once("::").unwrap();
            assert!(
                result.modules[module]
                    .operations
                    .iter()
                    .any(|op| op.name.value == name),
                "{owner} of {} is not generated",
                merge.page
            );
        }
    }
    assert!(
        !identity.shared.is_empty(),
        "{language}: the corpus documents shared endpoints"
    );
    names(&result)
}

#[test]
fn ru_ru_every_endpoint_has_one_operation() {
    edition("ru-RU");
}

#[test]
fn ja_jp_every_endpoint_has_one_operation() {
    edition("ja-JP");
}

/// The Rust name of every page's (first) operation, with its forms as endpoint keys, for
/// pages whose operation is generated.
fn names(result: &graphspec_importer::Import) -> Names {
    let mut out = BTreeMap::new();
    for entry in result.pages.iter().filter(|p| p.merged_into.is_empty()) {
        let Some(module) = result.modules.get(&entry.resource) else {
            continue;
        };
        let Some(op) = module
            .operations
            .iter()
            .find(|o| o.name.value == entry.name)
        else {
            continue;
        };
        let mut keys: Vec<String> = op
            .forms
            .iter()
            .map(|f| key(&f.method.value, &f.path.value))
            .collect();
        keys.sort();
        out.insert(
            entry.page.clone(),
            (format!("{}::{}", entry.resource, entry.name), keys),
        );
    }
    out
}

/// Names come from requests (`docs/naming.md`), not from a page's language: a page whose
/// operation sends the same requests in both editions has the same Rust name in both,
/// unless the two editions' other pages make a name ambiguous in one of them (the rule
/// then qualifies it there).
#[test]
fn a_request_has_the_same_name_in_both_editions() {
    let ru = edition("ru-RU");
    let ja = edition("ja-JP");
    let mut compared = 0;
    let mut differ = Vec::new();
    for (page, (ru_name, ru_keys)) in ru {
        let Some((ja_name, ja_keys)) = ja.get(page) else {
            continue;
        };
        if ru_keys != ja_keys {
            continue;
        }
        compared += 1;
        if ru_name != ja_name {
            differ.push(format!("{page}: {ru_name} / {ja_name}"));
        }
    }
    println!(
        "pages whose operation sends the same requests in both editions: {compared}; named differently: {} {differ:#?}",
        differ.len()
    );
    assert!(compared > 500, "{compared}");
    assert!(differ.len() * 100 <= compared, "{differ:#?}");
}
