//! Stage 4, per-resource tables: a page whose permissions table has one row per resource
//! (`| [event](…) | Calendars.Read | … |`, `| [group](…) | Group.Read.All | … |`) gives
//! each request form the table of the row its path addresses, so that no operation
//! accepts a scope that only works for another resource.
//!
//! A form's path is read segment by segment into the types it addresses: `/me` is a
//! `user`; a first segment is the type its singular names (`/groups` → `group`); a later
//! one is the navigation property of the type before it, through the CSDL
//! (`/me/todo/lists/{id}/tasks` → `user`, `todo`, `todoTaskList`, `todoTask`), or else
//! its singular; a cast (`microsoft.graph.group`) is its type. The row whose resources
//! name the type nearest the end of the path is the form's row. Rows that tie give
//! their union; a form no row names keeps the page's merged table (counted in
//! `IMPORT-REPORT.md`).
//!
//! Forms with the same row make one operation: one when every form has the same row
//! (it gets that row's table, not the merged one), several otherwise. The operations of
//! one page are named by [`crate::naming`] like any other.

use std::collections::{BTreeMap, BTreeSet};

use graphspec_codegen::model::{Operation, PermissionRow, PermissionsTable, RowValue, Spanned};
use graphspec_codegen::naming::singular;
use graphspec_spec::Scheme;

use crate::csdl::{Metadata, TypeRef, local_name};
use crate::page::ResourceTable;

/// What [`split`] made of one page's operation.
#[derive(Debug, Clone)]
pub struct Split {
    /// The operations, the first with the page's name.
    pub operations: Vec<Operation>,
    /// Forms no row of the table names (they keep the merged table).
    pub unassigned: usize,
}

/// Gives each form of `op` the table of its row in `tables` (see [the module](self)).
pub fn split(op: Operation, tables: &[ResourceTable], metadata: Option<&Metadata>) -> Split {
    if tables.is_empty() {
        return Split {
            operations: vec![op],
            unassigned: 0,
        };
    }
    let mut groups: BTreeMap<Option<Vec<usize>>, Vec<usize>> = BTreeMap::new();
    for (f, form) in op.forms.iter().enumerate() {
        groups
            .entry(rows_of(&form.path.value, tables, metadata))
            .or_default()
            .push(f);
    }
    let unassigned = groups.get(&None).map_or(0, Vec::len);
    if groups.len() == 1 && unassigned > 0 {
        return Split {
            operations: vec![op],
            unassigned,
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
                part.doc.push(format!(
                    "The reference gives permissions per resource; these are the ones for {}.",
                    names.join(", ")
                ));
            }
            part
        })
        .collect();
    Split {
        operations,
        unassigned,
    }
}

/// The rows whose resources name the type nearest the end of `path`.
fn rows_of(
    path: &str,
    tables: &[ResourceTable],
    metadata: Option<&Metadata>,
) -> Option<Vec<usize>> {
    let chain = path_types(path, metadata);
    let mut best: Option<(usize, Vec<usize>)> = None;
    for (r, table) in tables.iter().enumerate() {
        let Some(pos) = chain
            .iter()
            .rposition(|names| table.resources.iter().any(|res| names.contains(res)))
        else {
            continue;
        };
        match &mut best {
            Some((at, rows)) if *at == pos => rows.push(r),
            Some((at, _)) if *at > pos => {}
            _ => best = Some((pos, vec![r])),
        }
    }
    best.map(|(_, rows)| rows)
}

/// Per literal segment of `path`, the lower-case names of the type it addresses.
pub fn path_types(path: &str, metadata: Option<&Metadata>) -> Vec<BTreeSet<String>> {
    let path = path.split(['?', '#']).next().unwrap_or("");
    let mut out = Vec::new();
    let mut current: Option<String> = None;
    let mut first = true;
    for raw in path.split('/') {
        let mut bare = String::new();
        let mut depth = 0usize;
        for c in raw.chars() {
            match c {
                '{' => depth += 1,
                '}' => depth = depth.saturating_sub(1),
                _ if depth == 0 => bare.push(c),
                _ => {}
            }
        }
        let name = bare.split('(').next().unwrap_or("").trim_matches(':');
        if name.is_empty() || name.starts_with('$') {
            continue;
        }
        let mut names = BTreeSet::new();
        let next: Option<String> = if name.contains('.') {
            // A cast (or a namespaced call): the type it names, if any.
            let local = local_name(name);
            names.insert(local.to_ascii_lowercase());
            metadata.and_then(|m| type_named(m, local))
        } else {
            names.insert(singular(name).to_ascii_lowercase());
            if first && name.eq_ignore_ascii_case("me") {
                names.insert("user".to_owned());
                metadata.and_then(|m| type_named(m, "user"))
            } else if let Some(m) = metadata {
                let by_navigation = current.as_deref().and_then(|t| navigation(m, t, name));
                if first {
                    by_navigation.or_else(|| type_named(m, &singular(name)))
                } else {
                    by_navigation
                }
            } else {
                None
            }
        };
        if let Some(t) = &next {
            names.insert(local_name(t).to_ascii_lowercase());
        }
        current = next;
        first = false;
        out.push(names);
    }
    out
}

/// The qualified name of the entity or complex type whose local name is `local`
/// (case-insensitive), preferring `microsoft.graph`.
fn type_named(metadata: &Metadata, local: &str) -> Option<String> {
    let wanted = format!("microsoft.graph.{local}");
    metadata
        .structured
        .keys()
        .find(|k| k.eq_ignore_ascii_case(&wanted))
        .or_else(|| {
            metadata
                .structured
                .keys()
                .find(|k| local_name(k).eq_ignore_ascii_case(local))
        })
        .cloned()
}

/// The type a (navigation) property `name` of `type_name` or its bases leads to.
fn navigation(metadata: &Metadata, type_name: &str, name: &str) -> Option<String> {
    metadata.ancestry(type_name).into_iter().find_map(|t| {
        t.navigation
            .iter()
            .map(|n| &n.property)
            .chain(t.properties.iter())
            .find(|p| p.name.eq_ignore_ascii_case(name))
            .and_then(|p| match p.ty.element() {
                TypeRef::Named(n) => Some(n.clone()),
                _ => None,
            })
    })
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
                    let text: Vec<&str> = alt.iter().map(|s| s.value.as_str()).collect();
                    if !alternatives
                        .iter()
                        .any(|a| a.iter().map(|s| s.value.as_str()).eq(text.iter().copied()))
                    {
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
