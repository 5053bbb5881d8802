//! Resource module and operation type names derived from a page (rules in the
//! [module docs](super)).

use std::collections::{BTreeMap, HashMap};

use crate::diagnostic::{Code, Diagnostic};
use crate::page::PageResult;
use graphspec_codegen::model::Spanned;
use graphspec_codegen::naming;
use graphspec_codegen::naming::singular;

/// The resource module of a page stem: the text before the first `-`, lower-cased, as
/// an identifier (keywords get `_`).
pub(crate) fn resource_module(stem: &str) -> String {
    let head = stem.split('-').next().unwrap_or(stem).to_lowercase();
    let mut ident: String = head
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
        .collect();
    if ident.is_empty() || ident.starts_with(|c: char| c.is_ascii_digit()) {
        ident.insert(0, '_');
    }
    naming::unkeyword(ident)
}

/// The operation type name of a page stem, with the case of each word taken from the
/// words of the operation's paths.
pub(crate) fn operation_name(stem: &str, paths: &[&str]) -> String {
    let mut case: HashMap<String, String> = HashMap::new();
    for path in paths {
        for word in path.split(|c: char| !c.is_ascii_alphanumeric()) {
            if word.is_empty() {
                continue;
            }
            case.entry(word.to_ascii_lowercase())
                .or_insert_with(|| word.to_owned());
            let single = singular(word);
            case.entry(single.to_ascii_lowercase()).or_insert(single);
        }
    }
    let parts: Vec<&str> = stem.split('-').skip(1).filter(|p| !p.is_empty()).collect();
    let parts = if parts.is_empty() { vec![stem] } else { parts };
    let mut name = String::new();
    for part in parts {
        let part: String = part.chars().filter(|c| c.is_ascii_alphanumeric()).collect();
        if part.is_empty() {
            continue;
        }
        let cased = case
            .get(&part.to_ascii_lowercase())
            .cloned()
            .unwrap_or(part);
        let mut chars = cased.chars();
        if let Some(first) = chars.next() {
            name.push(first.to_ascii_uppercase());
            name.push_str(chars.as_str());
        }
    }
    if name.is_empty() {
        name.push_str("Operation");
    }
    if name.starts_with(|c: char| c.is_ascii_digit()) {
        name.insert_str(0, "Op");
    }
    if name == "Self" {
        name.push_str("Op");
    }
    name
}

/// Names `as` the forms of `op` whose constructors would collide
/// ([`naming::constructor_overrides`]).
pub(crate) fn name_constructors(op: &mut graphspec_codegen::model::Operation) {
    let paths: Vec<&str> = op.forms.iter().map(|f| f.path.value.as_str()).collect();
    let overrides = naming::constructor_overrides(&op.name.value, &paths);
    for (form, name) in op.forms.iter_mut().zip(overrides) {
        form.constructor = name.map(Spanned::unspanned);
    }
}

/// Makes operation names unique within each resource module, over all `pages`, and
/// names `as` the forms whose constructors would collide. These names identify a page's
/// operation until stage 4 names it from its request ([`crate::naming`]).
///
/// Pages are taken in file-name order; the first page with a name keeps it. A later page
/// whose name is taken gets the module name, PascalCased, prepended (`Get` → `UserGet`)
/// and, if that is taken too, the smallest number from 2 up appended. Renaming is
/// recorded as a `naming.renamed` note on the page; both [`PageResult::name`] and the
/// operation's name change.
pub fn assign_names(pages: &mut [PageResult]) {
    let mut order: Vec<usize> = (0..pages.len()).collect();
    order.sort_by(|&a, &b| pages[a].page.cmp(&pages[b].page));
    let mut taken: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for index in order {
        let page = &mut pages[index];
        let names = taken.entry(page.resource.clone()).or_default();
        let original = page.name.clone();
        let mut name = original.clone();
        if names.contains(&name) {
            let prefixed = format!(
                "{}{}",
                super::response::pascal(&page.resource.replace('_', "")),
                original
            );
            name = prefixed.clone();
            let mut n = 2;
            while names.contains(&name) {
                name = format!("{prefixed}{n}");
                n += 1;
            }
            page.diagnostics.push(Diagnostic::new(
                Code::NamingRenamed,
                format!(
                    "`{}::{}` is taken by another page; this operation is `{}`",
                    page.resource, original, name
                ),
            ));
        }
        names.push(name.clone());
        page.name = name.clone();
        if let Some(op) = &mut page.operation {
            op.name = Spanned::unspanned(name);
            name_constructors(op);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_from_stems_and_paths() {
        assert_eq!(
            operation_name(
                "user-reprocesslicenseassignment",
                &["/users/{id}/reprocessLicenseAssignment"]
            ),
            "ReprocessLicenseAssignment"
        );
        assert_eq!(operation_name("user-get", &["/users/{id}"]), "Get");
        assert_eq!(
            operation_name("user-list-licensedetails", &["/users/{id}/licenseDetails"]),
            "ListLicenseDetails"
        );
        assert_eq!(
            operation_name("user-assignlicense", &["/users/{id}/assignLicense"]),
            "AssignLicense"
        );
        assert_eq!(
            operation_name("subscribedsku-list", &["/subscribedSkus"]),
            "List"
        );
        assert_eq!(
            operation_name(
                "callrecords-callrecord-get",
                &["/communications/callRecords/{id}"]
            ),
            "CallRecordGet"
        );
        assert_eq!(resource_module("subscribedsku-list"), "subscribedsku");
        assert_eq!(resource_module("type-get"), "type_");
    }
}
