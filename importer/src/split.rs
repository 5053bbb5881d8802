//! Stage 4, per-resource tables: a page whose permissions table has one row per resource
//! (`| [event](…) | Calendars.Read | … |`, `| [group](…) | Group.Read.All | … |`) gives
//! each request form the table of the row its path addresses, so that no operation
//! accepts a scope that only works for another resource.
//!
//! A form's path is read segment by segment into the types it addresses, through the
//! CSDL ([`Metadata::path_segments`]: `/me/todo/lists/{id}/tasks` → `user`, `todo`,
//! `todoTaskList`, `todoTask`), each segment also by its singular (`/groups` → `group`).
//! The row whose resources name the type nearest the end of the path is the form's row;
//! at one segment, a row naming the segment as written beats one naming only its type
//! (`me` beats `user` on `/me/…`). Rows that tie give their union.
//!
//! Row labels in prose ("the user's calendar", "the group's calendar", translated) name
//! nothing; then the rows' scopes do: a Graph scope starts with what it grants access to
//! (`Calendars.Read`, `Group.Read.All`), so a form takes the row whose scopes' resources
//! its path addresses, a row that fits only some forms (`Group.…` on `/groups/…`) before
//! one that fits all (`Calendars.…`), when every form gets one row and every row a form.
//! Forms left without a row, when exactly one table is left that no form takes, take it.
//! A form still without a row keeps the page's merged table (counted in
//! `IMPORT-REPORT.md`).
//!
//! The same holds for a page with several tables under sub-headings whose anchors name
//! what each is for (`permissions-for-channel`, `permissions-acting-on-self`: see
//! `read::permissions`).
//!
//! Forms with the same row make one operation: one when every form has the same row
//! (it gets that row's table, not the merged one), several otherwise. The operations of
//! one page are named by [`crate::naming`] like any other.

use std::collections::{BTreeMap, BTreeSet};

use graphspec_codegen::model::{Operation, PermissionRow, PermissionsTable, RowValue, Spanned};
use graphspec_codegen::naming::singular;
use graphspec_spec::Scheme;

use crate::csdl::{Metadata, local_name};
use crate::page::ResourceTable;

/// What [`split`] made of one page's operation.
#[derive(Debug, Clone)]
pub struct Split {
    /// The operations, the first with the page's name.
    pub operations: Vec<Operation>,
    /// Forms no row of the table names (they keep the merged table).
    pub unassigned: usize,
    /// Those forms' `METHOD path`s.
    pub unassigned_forms: Vec<String>,
}

/// Gives each form of `op` the table of its row in `tables` (see [the module](self)).
pub fn split(op: Operation, tables: &[ResourceTable], metadata: Option<&Metadata>) -> Split {
    if tables.is_empty() {
        return Split {
            operations: vec![op],
            unassigned: 0,
            unassigned_forms: Vec::new(),
        };
    }
    let mut groups: BTreeMap<Option<Vec<usize>>, Vec<usize>> = BTreeMap::new();
    let chains: Vec<Vec<SegmentNames>> = op
        .forms
        .iter()
        .map(|f| path_types(&f.path.value, metadata))
        .collect();
    let mut rows: Vec<Option<Vec<usize>>> =
        chains.iter().map(|chain| rows_of(chain, tables)).collect();
    // Forms no row names: the rows their scopes' resources fit, when that gives every
    // such form one row and every row a form (else they keep the merged table).
    let by_scopes: Vec<(usize, Option<Vec<usize>>)> = (0..rows.len())
        .filter(|&f| rows[f].is_none())
        .map(|f| (f, rows_by_scopes(f, &chains, tables)))
        .collect();
    let covered = |t: usize| {
        rows.iter()
            .flatten()
            .chain(by_scopes.iter().filter_map(|(_, r)| r.as_ref()))
            .any(|r| r.contains(&t))
    };
    if !by_scopes.is_empty()
        && by_scopes.iter().all(|(_, r)| r.is_some())
        && (0..tables.len()).all(covered)
    {
        for (f, r) in by_scopes {
            rows[f] = r;
        }
    }
    // Each table is for some of the page's forms: when the forms left without one are
    // left with exactly one table no form takes, it is theirs (group-list-settings: the
    // group table names `/groups/{id}/settings`, the tenant-wide one is `/groupSettings`').
    let unused: Vec<usize> = (0..tables.len())
        .filter(|t| !rows.iter().flatten().any(|r| r.contains(t)))
        .collect();
    if let [table] = unused[..]
        && rows.iter().any(Option::is_none)
        && rows.iter().any(Option::is_some)
    {
        for r in rows.iter_mut().filter(|r| r.is_none()) {
            *r = Some(vec![table]);
        }
    }
    for (f, rows) in rows.into_iter().enumerate() {
        groups.entry(rows).or_default().push(f);
    }
    let unassigned = groups.get(&None).map_or(0, Vec::len);
    let unassigned_forms: Vec<String> = groups
        .get(&None)
        .into_iter()
        .flatten()
        .map(|&f| format!("{} {}", op.forms[f].method.value, op.forms[f].path.value))
        .collect();
    if groups.len() == 1 && unassigned > 0 {
        return Split {
            operations: vec![op],
            unassigned,
            unassigned_forms,
        };
    }
    // Parts in the order of their first form.
    let mut parts: Vec<(Option<Vec<usize>>, Vec<usize>)> = groups.into_iter().collect();
    parts.sort_by_key(|(_, forms)| forms[0]);
    let operations = parts
        .into_iter()
        .enumerate()
        .map(|(n, (rows, forms))| {
            let mut part = op.clone();
            part.forms = forms.iter().map(|&f| op.forms[f].clone()).collect();
            if n > 0 {
                // A provisional name, unique in the module until naming.
                part.name = Spanned::unspanned(format!("{}Part{}", op.name.value, n + 1));
            }
            if let Some(first) = part.forms.first()
                && let Some(line) = part.doc.first_mut()
            {
                *line = format!("`{} {}`", first.method.value, first.path.value);
            }
            if let Some(rows) = rows {
                let chosen: Vec<&ResourceTable> = rows.iter().map(|&r| &tables[r]).collect();
                part.permissions = union(&chosen, &op.permissions);
                let mut names: Vec<String> = Vec::new();
                for name in chosen.iter().flat_map(|t| t.resources.first()) {
                    let name = format!("`{name}`");
                    if !names.contains(&name) {
                        names.push(name);
                    }
                }
                part.doc.push(String::new());
                part.doc.push(if names.is_empty() {
                    // Rows labelled in prose, told apart by their scopes.
                    "The reference gives permissions per resource; these are the ones of the row whose scopes name what these paths address.".to_owned()
                } else {
                    format!(
                        "The reference gives permissions per resource; these are the ones for {}.",
                        names.join(", ")
                    )
                });
            }
            part
        })
        .collect();
    Split {
        operations,
        unassigned,
        unassigned_forms,
    }
}

/// The rows whose resources name the type nearest the end of a path (its `chain`,
/// [`path_types`]); at one segment, a row naming the segment as written (`me`) beats one
/// naming only its type (`user`).
fn rows_of(chain: &[SegmentNames], tables: &[ResourceTable]) -> Option<Vec<usize>> {
    let mut best: Option<((usize, bool), Vec<usize>)> = None;
    for (r, table) in tables.iter().enumerate() {
        let names = |res: &String| table.resources.contains(res);
        let Some(pos) = chain
            .iter()
            .rposition(|segment| segment.names.iter().any(names))
        else {
            continue;
        };
        let score = (pos, names(&chain[pos].literal));
        match &mut best {
            Some((at, rows)) if *at == score => rows.push(r),
            Some((at, _)) if *at > score => {}
            _ => best = Some((score, vec![r])),
        }
    }
    best.map(|(_, rows)| rows)
}

/// When no row's label names anything a form addresses (labels in prose: "the user's
/// calendar", "the group's calendar", translated): the rows whose scopes name a resource
/// the form's path addresses. A Graph scope starts with what it grants access to
/// (`Calendars.Read`, `Group.Read.All`), so a row whose scopes' resources appear in no
/// segment of the path is not that path's. Among the rows that fit, those that do not
/// fit every form of the page (`Group.…`, only on `/groups/…`) are the specific ones and
/// win over those that fit all (`Calendars.…`). `None` unless exactly one row is left.
/// [`split`] takes these rows only when every such form gets one and every row some form
/// (a table per deleted object's type on one `/directory/deletedItems/{id}` form stays
/// merged: `Directory.…` fits the path, and the `user` and `group` rows no form).
fn rows_by_scopes(
    form: usize,
    chains: &[Vec<SegmentNames>],
    tables: &[ResourceTable],
) -> Option<Vec<usize>> {
    // Per table, the resources its scopes name (`calendars` → `calendar`).
    let resources: Vec<BTreeSet<String>> = tables
        .iter()
        .map(|t| {
            t.table
                .rows
                .iter()
                .flat_map(|r| match &r.value {
                    RowValue::Scopes(alternatives) => alternatives.iter().flatten().collect(),
                    _ => Vec::new(),
                })
                .filter_map(|scope| scope.value.split('.').next())
                .map(|word| singular(word).to_ascii_lowercase())
                .collect()
        })
        .collect();
    let fits = |t: usize, chain: &[SegmentNames]| {
        chain
            .iter()
            .any(|segment| segment.names.iter().any(|n| resources[t].contains(n)))
    };
    let fitting: Vec<usize> = (0..tables.len())
        .filter(|&t| fits(t, &chains[form]))
        .collect();
    let specific: Vec<usize> = fitting
        .iter()
        .copied()
        .filter(|&t| !chains.iter().all(|chain| fits(t, chain)))
        .collect();
    let chosen = if specific.is_empty() {
        fitting
    } else {
        specific
    };
    (chosen.len() == 1).then_some(chosen)
}

/// What one literal segment of a path addresses, lower-case.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SegmentNames {
    /// The segment as written, singular (`users` → `user`, `me`).
    pub literal: String,
    /// The literal and the local name of its type (`me` is a `user` without the CSDL
    /// too).
    pub names: BTreeSet<String>,
}

/// Per literal segment of `path`, what it addresses ([`SegmentNames`], through
/// [`Metadata::path_segments`]).
pub fn path_types(path: &str, metadata: Option<&Metadata>) -> Vec<SegmentNames> {
    let segments = match metadata {
        Some(m) => m.path_segments(path),
        None => Metadata::default().path_segments(path),
    };
    segments
        .iter()
        .enumerate()
        .map(|(i, segment)| {
            let literal = singular(local_name(&segment.word)).to_ascii_lowercase();
            let mut names = BTreeSet::from([literal.clone()]);
            if i == 0 && segment.word.eq_ignore_ascii_case("me") {
                names.insert("user".to_owned());
            }
            if let Some(ty) = &segment.ty {
                names.insert(local_name(ty).to_ascii_lowercase());
            }
            SegmentNames { literal, names }
        })
        .collect()
}

/// Per scheme, the alternatives of every table, in order; a scheme no table lists
/// scopes for is `none` if one says so, else not supported if one says so, else
/// unknown. `fallback` gives the span.
fn union(tables: &[&ResourceTable], fallback: &PermissionsTable) -> PermissionsTable {
    let mut rows = Vec::new();
    for scheme in Scheme::ALL {
        let values: Vec<&RowValue> = tables
            .iter()
            .flat_map(|t| t.table.rows.iter())
            .filter(|r| r.scheme.value == scheme)
            .map(|r| &r.value)
            .collect();
        let mut alternatives: Vec<Vec<Spanned<String>>> = Vec::new();
        for value in &values {
            if let RowValue::Scopes(alts) = value {
                for alt in alts {
                    // Spans are ignored: equal scopes are one alternative.
                    if !alternatives.contains(alt) {
                        alternatives.push(alt.clone());
                    }
                }
            }
        }
        let value = if !alternatives.is_empty() {
            RowValue::Scopes(alternatives)
        } else if let Some(v) = values
            .iter()
            .find(|v| matches!(v, RowValue::NoneRequired(_)))
            .or_else(|| {
                values
                    .iter()
                    .find(|v| matches!(v, RowValue::NotSupported(_)))
            })
        {
            (*v).clone()
        } else {
            // A row that says nothing readable: unknown (fails closed), never the merged
            // table's scopes.
            RowValue::Unknown(fallback.span)
        };
        rows.push(PermissionRow {
            scheme: Spanned::unspanned(scheme),
            value,
        });
    }
    PermissionsTable {
        span: fallback.span,
        rows,
    }
}
