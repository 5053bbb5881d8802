//! Stage 3, repairs: a scope name of a docs table that is not a Graph permission,
//! replaced by the `permissions.json` permission for the same (method, path) and scheme
//! that it evidently is ([`repair`], called by the [cross-check](crate::cross_check)), and
//! the reader's own repairs (scope names translation damaged, rejoined while reading),
//! checked against the same data ([`reader_repairs`]). Every repair is listed in the
//! report; a name no repair makes a known permission is listed too
//! ([`Import::unknown_scopes`](crate::Import::unknown_scopes)).

use std::collections::BTreeSet;

use graphspec_codegen::model::Operation;

use crate::cross_check::path_entry;
use crate::diagnostic::Code;
use crate::page::PageResult;
use crate::permissions_json::PermissionsData;

/// A scope of a docs table replaced by the `permissions.json` permission it evidently is.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Repair {
    /// The page.
    pub page: String,
    /// The row.
    pub scheme: &'static str,
    /// What the docs wrote.
    pub from: String,
    /// The permission from `permissions.json` for the same (method, path) and scheme.
    pub to: String,
    /// Which rule matched: `spacing` (same name once spaces are removed, any case),
    /// `case` (the reader's: the same name but for ASCII case, in a damaged run), `width`
    /// (the reader's: the same name once full-width letters are narrowed and an
    /// ideographic full stop is a dot), `truncated` (the only permission the written name
    /// is a prefix of), `misspelt` (the only permission within two edits, any case) or
    /// `translated` (the only permission whose ASCII parts match, part for part).
    pub rule: &'static str,
    /// Who repaired it: `importer` (from `permissions.json` for this path), or `reader`
    /// (the docs reader rejoined a scope name translation damaged into the known
    /// permission it spells; `permissions.scope-repaired`).
    pub by: &'static str,
    /// Whether `permissions.json` lists the repaired permission for the operation's
    /// (method, path) under any scheme; `None` when the path is not in the file.
    pub confirmed: Option<bool>,
}

/// The reader's rejoined scopes of a page (`permissions.scope-repaired` notes, whose
/// message is "`written` read as `permission`"), checked against `permissions.json`.
pub fn reader_repairs(
    result: &PageResult,
    op: &Operation,
    data: Option<&PermissionsData>,
) -> Vec<Repair> {
    let entry = data.and_then(|d| path_entry(op, d));
    result
        .diagnostics
        .iter()
        .filter(|d| d.code == Code::PermissionsScopeRepaired)
        .filter_map(|d| {
            let quoted: Vec<&str> = d.message.split('`').skip(1).step_by(2).collect();
            let [from, to] = quoted[..] else {
                return None;
            };
            let confirmed = entry
                .as_ref()
                .map(|e| e.scopes.iter().any(|set| set.contains(to)));
            let squeezed: String = from.chars().filter(|c| !c.is_whitespace()).collect();
            let rule = if squeezed == *to {
                "spacing"
            } else if squeezed.eq_ignore_ascii_case(to) {
                "case"
            } else {
                "width"
            };
            Some(Repair {
                page: result.page.clone(),
                scheme: "",
                from: from.to_owned(),
                to: to.to_owned(),
                rule,
                by: "reader",
                confirmed,
            })
        })
        .collect()
}

/// The permission of `candidates` that the unknown name `written` evidently is, and the
/// rule that says so; never a name outside `candidates`, and only when exactly one fits.
pub fn repair(
    written: &str,
    candidates: &BTreeSet<String>,
    already: &BTreeSet<String>,
) -> Option<(String, &'static str)> {
    let squeezed: String = written.chars().filter(|c| !c.is_whitespace()).collect();
    let unique = |found: Vec<&String>| (found.len() == 1).then(|| found[0].clone());
    if let Some(to) = unique(
        candidates
            .iter()
            .filter(|c| c.eq_ignore_ascii_case(&squeezed))
            .collect(),
    ) {
        return Some((to, "spacing"));
    }
    let open: Vec<&String> = candidates
        .iter()
        .filter(|c| !already.contains(*c))
        .collect();
    let stem = squeezed.trim_end_matches(['.', '…']);
    if stem.len() >= 4
        && let Some(to) = unique(
            open.iter()
                .copied()
                .filter(|c| {
                    c.len() > stem.len()
                        && c.get(..stem.len())
                            .is_some_and(|h| h.eq_ignore_ascii_case(stem))
                })
                .collect(),
        )
    {
        return Some((to, "truncated"));
    }
    if squeezed.is_ascii() {
        // Misspelt: the only open permission within two edits (any case), e.g.
        // `Calls.JoinGroupCalls.All` → `Calls.JoinGroupCall.All`.
        let lower = squeezed.to_ascii_lowercase();
        let near: Vec<&String> = open
            .iter()
            .copied()
            .filter(|c| strsim::damerau_levenshtein(&lower, &c.to_ascii_lowercase()) <= 2)
            .collect();
        if let Some(to) = unique(near) {
            return Some((to, "misspelt"));
        }
    }
    if !squeezed.is_ascii() {
        let parts: Vec<&str> = squeezed.split('.').collect();
        let ascii_parts = parts
            .iter()
            .filter(|p| p.is_ascii() && !p.is_empty())
            .count();
        if ascii_parts > 0
            && let Some(to) = unique(
                open.iter()
                    .copied()
                    .filter(|c| {
                        let theirs: Vec<&str> = c.split('.').collect();
                        theirs.len() == parts.len()
                            && parts.iter().zip(&theirs).all(|(mine, theirs)| {
                                !mine.is_ascii() || mine.eq_ignore_ascii_case(theirs)
                            })
                    })
                    .collect(),
            )
        {
            return Some((to, "translated"));
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn set(names: &[&str]) -> BTreeSet<String> {
        names.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn repairs_only_evident_breakage() {
        let json = set(&[
            "GroupMember.Read.All",
            "Group.Read.All",
            "Directory.Read.All",
        ]);
        let none = BTreeSet::new();
        assert_eq!(
            repair("GroupMember. Read. All", &json, &none),
            Some(("GroupMember.Read.All".to_owned(), "spacing"))
        );
        assert_eq!(
            repair("GroupMember.Read.", &json, &none),
            Some(("GroupMember.Read.All".to_owned(), "truncated"))
        );
        assert_eq!(
            repair("Группа.Read.All", &json, &set(&["Directory.Read.All"])),
            None,
            "two candidates (GroupMember, Group) fit"
        );
        assert_eq!(
            repair("Группа.Read.All", &set(&["Group.Read.All"]), &none),
            Some(("Group.Read.All".to_owned(), "translated"))
        );
        assert_eq!(repair("Mail.Send", &json, &none), None, "never invented");
        let calls = set(&["Calls.JoinGroupCall.All", "Calls.JoinGroupCallAsGuest.All"]);
        assert_eq!(
            repair("Calls.JoinGroupCalls.All", &calls, &none),
            Some(("Calls.JoinGroupCall.All".to_owned(), "misspelt"))
        );
        assert_eq!(
            repair("Calls.JoinGroupCallsasGuest.All", &calls, &none),
            Some(("Calls.JoinGroupCallAsGuest.All".to_owned(), "misspelt"))
        );
        assert_eq!(
            repair(
                "Group.Read.Al",
                &set(&["Group.Read.All", "Group.ReadWrite.All"]),
                &none
            ),
            Some(("Group.Read.All".to_owned(), "truncated"))
        );
        assert_eq!(
            repair(
                "Subscription.Read.All",
                &set(&["Directory.Read.All"]),
                &none
            ),
            None
        );
    }
}
