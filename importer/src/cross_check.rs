//! Stage 3, the cross-check with `permissions.json`: each operation's permissions rows
//! compared with what Microsoft's permissions data lists for the operation's
//! (method, path) forms ([`Agreement`], per scheme), and scope names that translation
//! broke repaired from the same data ([`repair`](crate::repair)).
//!
//! Every form is looked up by method and [normalized path](crate::permissions_json::normalize_path);
//! the scopes listed for each scheme are merged over the forms and compared with the docs
//! row as sets (order is not compared).

use std::collections::BTreeSet;

use graphspec_codegen::model::{Operation, RowValue, Spanned};
use graphspec_spec::catalogue;

use crate::permissions_json::{PathPermissions, PermissionsData};
use crate::repair::{Repair, repair};

/// How one permissions row compares with `permissions.json`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Agreement {
    /// No form's (method, path) is in `permissions.json`.
    NoData,
    /// Same set of scopes (or: unsupported here, no scopes there).
    Same,
    /// The docs list a subset of what `permissions.json` lists.
    DocsFewer,
    /// The docs list a superset.
    DocsMore,
    /// Both list scopes the other does not.
    Differ,
    /// The docs say unsupported; `permissions.json` lists scopes.
    DocsUnsupported,
    /// The docs list scopes; `permissions.json` lists none for the scheme.
    JsonNone,
    /// The docs row is `none` or `unknown`: nothing to compare.
    NotCompared,
}

impl Agreement {
    /// Every value, in report order.
    pub const ALL: [Agreement; 8] = [
        Agreement::Same,
        Agreement::DocsFewer,
        Agreement::DocsMore,
        Agreement::Differ,
        Agreement::DocsUnsupported,
        Agreement::JsonNone,
        Agreement::NotCompared,
        Agreement::NoData,
    ];

    /// The report's name for it.
    pub fn as_str(self) -> &'static str {
        match self {
            Agreement::NoData => "no-data",
            Agreement::Same => "same",
            Agreement::DocsFewer => "docs-fewer",
            Agreement::DocsMore => "docs-more",
            Agreement::Differ => "differ",
            Agreement::DocsUnsupported => "docs-unsupported",
            Agreement::JsonNone => "json-none",
            Agreement::NotCompared => "not-compared",
        }
    }
}

/// Compares each row with `permissions.json` and repairs broken scope names.
pub(crate) fn cross_check(
    op: &mut Operation,
    page: &str,
    data: &PermissionsData,
    repairs: &mut Vec<Repair>,
) -> [Agreement; 3] {
    let Some(entry) = path_entry(op, data) else {
        return [Agreement::NoData; 3];
    };
    let mut out = [Agreement::NotCompared; 3];
    for row in &mut op.permissions.rows {
        let scheme = row.scheme.value;
        let json = entry.scopes(scheme);
        if let RowValue::Scopes(alternatives) = &mut row.value {
            let written: BTreeSet<String> = alternatives
                .iter()
                .flatten()
                .map(|s| s.value.clone())
                .collect();
            for scope in alternatives.iter_mut().flatten() {
                if catalogue::lookup(&scope.value).is_some() {
                    continue;
                }
                if let Some((to, rule)) = repair(&scope.value, json, &written) {
                    repairs.push(Repair {
                        page: page.to_owned(),
                        scheme: scheme.as_str(),
                        from: scope.value.clone(),
                        to: to.clone(),
                        rule,
                        by: "importer",
                        confirmed: Some(true),
                    });
                    *scope = Spanned::unspanned(to);
                }
            }
        }
        out[scheme.index()] = compare(&row.value, json);
    }
    out
}

/// What `permissions.json` says about the operation, merged over its forms.
pub(crate) fn path_entry(op: &Operation, data: &PermissionsData) -> Option<PathPermissions> {
    let mut entry: Option<PathPermissions> = None;
    for form in &op.forms {
        if let Some(found) = data.lookup(&form.method.value, &form.path.value) {
            entry.get_or_insert_with(Default::default).merge(found);
        }
    }
    entry
}

fn compare(row: &RowValue, json: &BTreeSet<String>) -> Agreement {
    match row {
        RowValue::Scopes(alternatives) => {
            let docs: BTreeSet<&str> = alternatives
                .iter()
                .flatten()
                .map(|s| s.value.as_str())
                .collect();
            let json: BTreeSet<&str> = json.iter().map(String::as_str).collect();
            if json.is_empty() {
                Agreement::JsonNone
            } else if docs == json {
                Agreement::Same
            } else if docs.is_subset(&json) {
                Agreement::DocsFewer
            } else if docs.is_superset(&json) {
                Agreement::DocsMore
            } else {
                Agreement::Differ
            }
        }
        RowValue::NotSupported(_) if json.is_empty() => Agreement::Same,
        RowValue::NotSupported(_) => Agreement::DocsUnsupported,
        RowValue::NoneRequired(_) | RowValue::Unknown(_) => Agreement::NotCompared,
    }
}
