//! Stage 4, operation identity: one operation per endpoint. The docs document some
//! endpoints on more than one page — Intune repeats `GET /deviceManagement` on a page per
//! feature area, `eventMessage` repeats `message`'s requests, `group-get-event` and
//! `event-get` both document `GET /groups/{id}/events/{id}`, the extended-property pages
//! show `$expand` queries of other resources' requests. Left alone, that gives one
//! request several operations with different permission tables, and the client's check,
//! `credential!` and the emulator could each apply another one.
//!
//! [`resolve`] gives every endpoint key — method and path template with its fixed query
//! (the request's own parameters, `?format={format}`), up to parameter names and ASCII
//! case ([`normalize_path`]) — exactly one operation, its **owner**, chosen by
//! [`owner_rank`] (the same rule [`crate::routing`] uses for docs examples):
//!
//! 1. a form written without OData options beats one written with them (a request whose
//!    meaning is in its OData options is the plain request's operation plus those
//!    options);
//! 2. the page whose resource names the literal path segment nearest the end
//!    (`/me/messages/{id}` is `message-get`'s, not `eventmessage-get`'s), then the page
//!    a word of whose file name does (`/deviceAppManagement/mobileApps/{id}` is
//!    `intune-apps-mobileapp-get`'s, not `intune-apps-ioslobapp-get`'s); words and
//!    segments are compared singular and case-insensitive;
//! 3. the page whose first form the key is;
//! 4. the page with fewer forms;
//! 5. file name order.
//!
//! The other operations lose that form. An operation left with no form is not generated:
//! its page is [merged](Merge) into the owners of its forms, which name the page in their
//! docs. When such a page documented exactly the owner's requests (every form of the owner
//! is one of the page's), it was a second page about the same operation, and its
//! permission alternatives are added to the owner's table (the owner's first, then the
//! page's in its order; a scheme the owner does not support takes the page's row): both
//! pages say those permissions allow those requests. Otherwise the owner's table stands.

use std::collections::{BTreeMap, BTreeSet};

use graphspec_codegen::model::{Operation, ResponseBody, RowValue};

use crate::print;

use crate::permissions_json::normalize_path;
use crate::read::request::singular;

/// What the owner rule knows about one candidate form.
#[derive(Debug, Clone, Copy)]
pub struct Candidate<'a> {
    /// The page's resource (`message`).
    pub resource: &'a str,
    /// The page's file stem.
    pub stem: &'a str,
    /// The form's index in its operation.
    pub form: usize,
    /// How many forms the operation has.
    pub forms: usize,
    /// Whether the form was written with a query string.
    pub with_query: bool,
}

/// The owner rule's sort key for `candidate` on a path template (lower wins); see [the
/// module](self).
pub fn owner_rank(
    template: &str,
    candidate: &Candidate<'_>,
) -> (bool, usize, usize, usize, usize, String) {
    let resource = candidate
        .resource
        .trim_end_matches('_')
        .to_ascii_lowercase();
    let words: Vec<String> = candidate
        .stem
        .split('-')
        .map(|w| singular(w).to_ascii_lowercase())
        .collect();
    let segments = literal_segments(template);
    let nearest = |names: &dyn Fn(&String) -> bool| {
        segments.iter().rev().position(names).unwrap_or(usize::MAX)
    };
    let affinity = nearest(&|s| *s == resource);
    let word_affinity = nearest(&|s| words.contains(s));
    (
        candidate.with_query,
        affinity,
        word_affinity,
        candidate.form,
        candidate.forms,
        candidate.stem.to_owned(),
    )
}

/// The literal segments of a path template or path, each its leading ASCII word made
/// singular and lower-case; parameters are left out.
pub(crate) fn literal_segments(path: &str) -> Vec<String> {
    path.split('/')
        .filter(|s| !s.is_empty() && !s.starts_with('{'))
        .map(|s| {
            let word: String = s
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric())
                .collect();
            singular(&word).to_ascii_lowercase()
        })
        .filter(|s| !s.is_empty())
        .collect()
}

/// One operation before identity is resolved, with what the owner rule needs.
#[derive(Debug, Clone)]
pub struct Unresolved {
    /// The resource module it goes to.
    pub module: String,
    /// The page's resource (before module renames).
    pub resource: String,
    /// The page's file stem.
    pub page: String,
    /// The operation.
    pub operation: Operation,
    /// Per form, whether it was written with a query string.
    pub with_query: Vec<bool>,
}

/// A page whose operation is not generated: every request it documents is another
/// operation's.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Merge {
    /// The page.
    pub page: String,
    /// The operations that own its requests (`message::GetMessage`).
    pub into: Vec<String>,
    /// Whether its permission alternatives were added to the owner's table.
    pub table_merged: bool,
}

/// One endpoint key documented by more than one page.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct SharedEndpoint {
    /// Method and normalized path (`GET /me/messages/{}`).
    pub key: String,
    /// The operation that serves it.
    pub owner: String,
    /// The other operations that documented it, which no longer send it.
    pub others: Vec<String>,
    /// Whether the pages' permission tables differed.
    pub tables_differed: bool,
}

/// What [`resolve`] decided.
#[derive(Debug, Clone, Default)]
pub struct Identity {
    /// Endpoints documented by several pages, by key.
    pub shared: Vec<SharedEndpoint>,
    /// Pages whose operation is not generated.
    pub merges: Vec<Merge>,
}

/// Gives every endpoint key one operation (see [the module](self)); returns the
/// operations kept and what was decided. `common_base` names the nearest base type two
/// or more model types share (the CSDL's hierarchy), if any but the root.
pub fn resolve(
    mut ops: Vec<Unresolved>,
    common_base: &dyn Fn(&[&syn::Type]) -> Option<syn::Type>,
) -> (Vec<Unresolved>, Identity) {
    let rust = |u: &Unresolved| format!("{}::{}", u.module, u.operation.name.value);
    // key → [(op, form)]
    let mut keys: BTreeMap<String, Vec<(usize, usize)>> = BTreeMap::new();
    for (i, u) in ops.iter().enumerate() {
        for (f, form) in u.operation.forms.iter().enumerate() {
            keys.entry(key(&form.method.value, &form.path.value))
                .or_default()
                .push((i, f));
        }
    }
    let mut identity = Identity::default();
    let mut lose: BTreeSet<(usize, usize)> = BTreeSet::new();
    // op → the owners of the forms it loses
    let mut owners_of: BTreeMap<usize, BTreeSet<usize>> = BTreeMap::new();
    for (key, holders) in &keys {
        let mut ops_here: Vec<usize> = holders.iter().map(|&(i, _)| i).collect();
        ops_here.dedup();
        if ops_here.len() < 2 {
            continue;
        }
        let rank = |&(i, f): &(usize, usize)| {
            let u = &ops[i];
            owner_rank(
                &u.operation.forms[f].path.value,
                &Candidate {
                    resource: &u.resource,
                    stem: &u.page,
                    form: f,
                    forms: u.operation.forms.len(),
                    with_query: u.with_query.get(f).copied().unwrap_or(false),
                },
            )
        };
        let owner = *holders.iter().min_by_key(|h| rank(h)).expect("two holders");
        let table = &ops[owner.0].operation.permissions;
        let mut others = Vec::new();
        let mut tables_differed = false;
        for &(i, f) in holders {
            if i == owner.0 {
                if f != owner.1 {
                    // The same operation documents the key twice: keep the first.
                    lose.insert((i, f));
                }
                continue;
            }
            lose.insert((i, f));
            owners_of.entry(i).or_default().insert(owner.0);
            tables_differed |= !ops[i].operation.permissions.same_as(table);
            let name = rust(&ops[i]);
            if !others.contains(&name) {
                others.push(name);
            }
        }
        if !others.is_empty() {
            identity.shared.push(SharedEndpoint {
                key: key.clone(),
                owner: rust(&ops[owner.0]),
                others,
                tables_differed,
            });
        }
    }
    // Merge pages left without a form; add their tables where they documented exactly
    // their owner's requests.
    let mut removed = vec![false; ops.len()];
    let mut also: BTreeMap<usize, Vec<String>> = BTreeMap::new();
    for (&i, owners) in &owners_of {
        let all_lost = (0..ops[i].operation.forms.len()).all(|f| lose.contains(&(i, f)));
        if !all_lost {
            continue;
        }
        removed[i] = true;
        let page_keys: BTreeSet<String> = ops[i]
            .operation
            .forms
            .iter()
            .map(|f| key(&f.method.value, &f.path.value))
            .collect();
        let mut table_merged = false;
        if let [owner] = owners.iter().copied().collect::<Vec<_>>()[..] {
            let covers = ops[owner]
                .operation
                .forms
                .iter()
                .all(|f| page_keys.contains(&key(&f.method.value, &f.path.value)));
            if covers {
                let from = ops[i].operation.clone();
                table_merged = merge_table(&mut ops[owner].operation, &from);
            }
        }
        for &owner in owners {
            also.entry(owner).or_default().push(ops[i].page.clone());
        }
        if !ops[i].with_query.iter().any(|q| *q) {
            for &owner in owners {
                let from = ops[i].operation.clone();
                widen_types(&mut ops[owner].operation, &from, common_base);
            }
        }
        identity.merges.push(Merge {
            page: ops[i].page.clone(),
            into: owners.iter().map(|&o| rust(&ops[o])).collect(),
            table_merged,
        });
    }
    for (owner, pages) in also {
        let pages: Vec<String> = pages.iter().map(|p| format!("`{p}`")).collect();
        let doc = &mut ops[owner].operation.doc;
        doc.push(String::new());
        doc.push(format!(
            "Also documented on {}: {}.",
            if pages.len() == 1 {
                "the page"
            } else {
                "the pages"
            },
            pages.join(", ")
        ));
    }
    for (i, u) in ops.iter_mut().enumerate() {
        if removed[i] {
            continue;
        }
        let mut f = 0;
        u.operation.forms.retain(|_| {
            let keep = !lose.contains(&(i, f));
            f += 1;
            keep
        });
        let mut f = 0;
        u.with_query.retain(|_| {
            let keep = !lose.contains(&(i, f));
            f += 1;
            keep
        });
        // The first doc line names the first request form; it may have gone.
        if let (Some(line), Some(form)) = (u.operation.doc.first_mut(), u.operation.forms.first())
            && line.starts_with('`')
        {
            *line = format!(
                "`{} {}`",
                form.method.value.to_ascii_uppercase(),
                form.path.value
            );
        }
    }
    let kept = ops
        .into_iter()
        .zip(removed)
        .filter(|(_, r)| !r)
        .map(|(u, _)| u)
        .collect();
    (kept, identity)
}

/// Widens `into`'s response and body types to the nearest base type they share with
/// `from`'s, when they differ: the request answers (or takes) either page's type, which
/// a value of the base type carries with its `@odata.type` (`model::Cast` gets the
/// derived type back).
fn widen_types(
    into: &mut Operation,
    from: &Operation,
    common_base: &dyn Fn(&[&syn::Type]) -> Option<syn::Type>,
) {
    let same = |a: &syn::Type, b: &syn::Type| print::type_string(a) == print::type_string(b);
    match (&mut into.response.body, &from.response.body) {
        (ResponseBody::One(ours), ResponseBody::One(theirs))
        | (ResponseBody::Collection(ours), ResponseBody::Collection(theirs))
            if !same(&ours.ty, &theirs.ty) =>
        {
            if let Some(base) = common_base(&[&ours.ty, &theirs.ty]) {
                ours.ty = base;
            }
        }
        _ => {}
    }
    if let (Some(ours), Some(theirs)) = (&mut into.body, &from.body)
        && !same(&ours.ty, &theirs.ty)
        && let Some(base) = common_base(&[&ours.ty, &theirs.ty])
    {
        ours.ty = base;
    }
}

/// The endpoint key of a form: upper-case method and [`normalize_path`].
pub fn key(method: &str, path: &str) -> String {
    format!("{} {}", method.to_ascii_uppercase(), normalize_path(path))
}

/// Adds `from`'s permission alternatives to `into`'s table, scheme by scheme: the
/// alternatives `into` lacks are appended; a row `into` does not support or does not know
/// takes `from`'s scopes. Returns whether anything changed.
fn merge_table(into: &mut Operation, from: &Operation) -> bool {
    let mut changed = false;
    for row in &mut into.permissions.rows {
        let Some(other) = from
            .permissions
            .rows
            .iter()
            .find(|r| r.scheme.value == row.scheme.value)
        else {
            continue;
        };
        let RowValue::Scopes(theirs) = &other.value else {
            continue;
        };
        match &mut row.value {
            RowValue::Scopes(ours) => {
                for alternative in theirs {
                    let names = |a: &Vec<graphspec_codegen::model::Spanned<String>>| {
                        a.iter().map(|s| s.value.clone()).collect::<Vec<_>>()
                    };
                    if !ours.iter().any(|a| names(a) == names(alternative)) {
                        ours.push(alternative.clone());
                        changed = true;
                    }
                }
            }
            RowValue::NotSupported(_) | RowValue::Unknown(_) => {
                row.value = RowValue::Scopes(theirs.clone());
                changed = true;
            }
            RowValue::NoneRequired(_) => {}
        }
    }
    changed
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::definitions::tests::operation;

    /// A permissions table as text, for assertions.
    fn table_text(op: &Operation) -> String {
        let mut rows: Vec<String> = op
            .permissions
            .rows
            .iter()
            .map(|r| {
                let value = match &r.value {
                    RowValue::Scopes(alternatives) => alternatives
                        .iter()
                        .map(|a| {
                            a.iter()
                                .map(|s| s.value.as_str())
                                .collect::<Vec<_>>()
                                .join("+")
                        })
                        .collect::<Vec<_>>()
                        .join(","),
                    RowValue::NotSupported(_) => "unsupported".to_owned(),
                    RowValue::NoneRequired(_) => "none".to_owned(),
                    RowValue::Unknown(_) => "unknown".to_owned(),
                };
                format!("{:?}: {value}", r.scheme.value)
            })
            .collect();
        rows.sort();
        rows.join("; ")
    }

    fn no_base(_: &[&syn::Type]) -> Option<syn::Type> {
        None
    }

    fn unresolved(module: &str, page: &str, text: &str) -> Unresolved {
        let operation = operation(text);
        Unresolved {
            module: module.to_owned(),
            resource: module.to_owned(),
            page: page.to_owned(),
            with_query: vec![false; operation.forms.len()],
            operation,
        }
    }

    #[test]
    fn the_resource_named_nearest_the_end_owns_a_shared_endpoint() {
        let message = unresolved(
            "message",
            "message-get",
            r#"pub struct Get {
                GET "/me/messages/{id}",
                GET "/users/{id}/messages/{id}",
                GET "/me/mailFolders/{id}/messages/{id}",
                permissions: { DelegatedWork: ["Mail.Read"], DelegatedPersonal: ["Mail.Read"], Application: ["Mail.Read"] },
                response: 200 crate::model::Message,
            }"#,
        );
        let event_message = unresolved(
            "eventmessage",
            "eventmessage-get",
            r#"pub struct Get {
                GET "/me/messages/{message-id}",
                GET "/users/{id}/Messages/{id}",
                permissions: { DelegatedWork: ["Mail.ReadBasic"], DelegatedPersonal: ["Mail.Read"], Application: ["Mail.Read"] },
                response: 200 crate::model::EventMessage,
            }"#,
        );
        let (kept, identity) = resolve(vec![event_message, message], &no_base);
        assert_eq!(kept.len(), 1);
        assert_eq!(kept[0].operation.forms.len(), 3);
        assert_eq!(identity.shared.len(), 2);
        assert!(identity.shared.iter().all(|s| s.owner == "message::Get"
            && s.others == ["eventmessage::Get"]
            && s.tables_differed));
        assert_eq!(
            identity.merges,
            [Merge {
                page: "eventmessage-get".to_owned(),
                into: vec!["message::Get".to_owned()],
                // The page documents fewer requests than message::Get sends.
                table_merged: false,
            }]
        );
        assert!(
            kept[0]
                .operation
                .doc
                .iter()
                .any(|l| l.contains("eventmessage-get"))
        );
    }

    #[test]
    fn pages_about_the_same_single_request_merge_their_tables() {
        let a = unresolved(
            "intune",
            "intune-apps-devicemanagement-get",
            r#"pub struct AppsGet {
                GET "/deviceManagement",
                permissions: { DelegatedWork: ["DeviceManagementApps.Read.All"], DelegatedPersonal: unsupported, Application: unsupported },
                response: 200 crate::model::DeviceManagement,
            }"#,
        );
        let b = unresolved(
            "intune",
            "intune-devices-devicemanagement-get",
            r#"pub struct DevicesGet {
                GET "/devicemanagement",
                permissions: { DelegatedWork: ["DeviceManagementManagedDevices.Read.All"], DelegatedPersonal: unsupported, Application: ["DeviceManagementManagedDevices.Read.All"] },
                response: 200 crate::model::DeviceManagement,
            }"#,
        );
        let (kept, identity) = resolve(vec![b, a], &no_base);
        assert_eq!(kept.len(), 1);
        assert_eq!(kept[0].operation.name.value, "AppsGet");
        assert!(identity.merges[0].table_merged);
        let table = table_text(&kept[0].operation);
        assert!(
            table.contains("DeviceManagementApps.Read.All,DeviceManagementManagedDevices.Read.All"),
            "{table}"
        );
        assert!(
            table.contains("Application: DeviceManagementManagedDevices.Read.All"),
            "{table}"
        );
    }

    #[test]
    fn a_form_written_with_a_query_loses_and_other_forms_stay() {
        let user = unresolved(
            "user",
            "user-list-calendars",
            r#"pub struct ListCalendars {
                GET "/me/calendars",
                permissions: { DelegatedWork: ["Calendars.Read"], DelegatedPersonal: ["Calendars.Read"], Application: ["Calendars.Read"] },
                response: 200 [crate::model::Calendar],
            }"#,
        );
        let mut property = unresolved(
            "singlevaluelegacyextendedproperty",
            "singlevaluelegacyextendedproperty-get",
            r#"pub struct Get {
                GET "/me/calendars",
                GET "/me/messages/{id}/extra",
                permissions: { DelegatedWork: ["Mail.Read"], DelegatedPersonal: ["Mail.Read"], Application: ["Mail.Read"] },
                response: 200 crate::model::Calendar,
            }"#,
        );
        property.with_query = vec![true, false];
        let (kept, identity) = resolve(vec![property, user], &no_base);
        assert_eq!(kept.len(), 2);
        assert_eq!(kept[0].operation.forms.len(), 1);
        assert_eq!(
            kept[0].operation.forms[0].path.value,
            "/me/messages/{id}/extra"
        );
        assert_eq!(kept[0].with_query, [false]);
        assert_eq!(identity.shared[0].owner, "user::ListCalendars");
        assert!(identity.merges.is_empty());
    }
}
