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
    names_follow_the_rule(&result);
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

/// The naming rule's promises (`docs/naming.md`), over every generated operation: a
/// verb never contradicts the method (a name may start like another method's verb only
/// when it is the action or function the request calls: `GetByIds` is `POST
/// …/getByIds`); constructors follow the constructor rule unless named `as` to break a
/// tie; and numbering, the rule's last resort, stays rare.
fn names_follow_the_rule(result: &graphspec_importer::Import) {
    const VERBS: [(&str, &str); 6] = [
        ("List", "GET"),
        ("Get", "GET"),
        ("Create", "POST"),
        ("Update", "PATCH"),
        ("Set", "PUT"),
        ("Delete", "DELETE"),
    ];
    let mut contradictions = Vec::new();
    let mut constructors_off_rule = Vec::new();
    let mut numbered_constructors = Vec::new();
    let mut tie_broken = 0;
    let mut operations = 0;
    for (module, m) in &result.modules {
        for op in &m.operations {
            operations += 1;
            let name = &op.name.value;
            let method = op.forms[0].method.value.to_ascii_uppercase();
            let verb = VERBS.iter().find(|(v, _)| {
                name.strip_prefix(v).is_some_and(|rest| {
                    rest.is_empty() || rest.starts_with(|c: char| c.is_ascii_uppercase())
                })
            });
            if let Some((verb, verb_method)) = verb
                && *verb_method != method
            {
                // Allowed only as the name of the action or function the request calls.
                let called = op.forms.iter().any(|f| {
                    f.path.value.split('/').any(|segment| {
                        let segment = segment.split('(').next().unwrap_or("");
                        let local = segment.rsplit('.').next().unwrap_or(segment);
                        !local.is_empty()
                            && (name.starts_with(&graphspec_codegen::naming::pascal_case(local))
                                || name.eq_ignore_ascii_case(local))
                    })
                });
                if !called {
                    contradictions.push(format!("{module}::{name} ({verb}) is {method}"));
                }
            }
            for form in &op.forms {
                let Some(explicit) = &form.constructor else {
                    continue;
                };
                // The documented tie-breaks: the argument words, the full path words, those
                // with `_by_` and the last parameter's name, then a number.
                let full = graphspec_codegen::naming::full_path_words(&form.path.value).join("_");
                let with_arguments = graphspec_codegen::naming::constructor_name_with_arguments(
                    name,
                    &form.path.value,
                );
                let by_key = graphspec_spec::path::parse(&form.path.value)
                    .0
                    .params
                    .last()
                    .and_then(|raw| graphspec_codegen::naming::param_name(raw))
                    .map(|last| format!("{full}_by_{last}"));
                let base = explicit
                    .value
                    .trim_end_matches(|c: char| c.is_ascii_digit());
                if explicit.value == full
                    || explicit.value == with_arguments
                    || by_key.as_deref() == Some(explicit.value.as_str())
                {
                    tie_broken += 1;
                } else if base.strip_suffix('_') == Some(full.as_str()) {
                    numbered_constructors.push(format!("{module}::{name}::{}", explicit.value));
                } else {
                    constructors_off_rule.push(format!("{module}::{name}::{}", explicit.value));
                }
            }
        }
    }
    assert!(
        contradictions.is_empty(),
        "names that contradict their method: {contradictions:#?}"
    );
    assert!(
        constructors_off_rule.is_empty(),
        "constructors named neither by the rule nor by its tie-break: {constructors_off_rule:?}"
    );
    eprintln!(
        "{operations} operations; {tie_broken} constructors named by their full path words to \
         break a tie, {} numbered ({numbered_constructors:?}); {} operation names numbered",
        numbered_constructors.len(),
        result.numbered.len()
    );
    // Numbers are the last resort: forms whose every path word is the same.
    assert!(
        numbered_constructors.len() * 200 <= operations,
        "{numbered_constructors:?}"
    );
    assert!(
        result.numbered.len() * 1000 <= operations,
        "numbered names: {:?}",
        result.numbered
    );
}
