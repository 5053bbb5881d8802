//! The permissions section: finds the tables, maps rows (or columns) to schemes by
//! structure, and reads each cell into scopes, *not supported*, *not applicable*,
//! *none* or nothing.
//!
//! # Table shapes
//!
//! - **Standard**: one row per scheme, the label in the first cell and the scopes in the
//!   others (two columns, or more when the scopes are split into "least" and "higher"
//!   columns — their cells are read left to right). The header row is skipped.
//! - **Transposed**: one row per resource and one column per scheme, the scheme labels
//!   in the header row. Every row is read and the rows are merged (see below).
//! - Several tables (under `###` sub-headings: on self / on other users, channel / chat,
//!   per object type) are merged the same way; when each sub-heading's anchor names what
//!   its table is for, the tables are also kept apart ([`anchored_tables`]), so that stage
//!   4 gives each form the table of what its path addresses.
//! - Tables in HTML comments are not tables (the scanner skips comments); tables without
//!   scheme labels and without scopes are ignored with a note.
//!
//! # Which row is which scheme
//!
//! By structure first: the two delegated labels carry a parenthesis ("Delegated (work or
//! school account)", "Delegated (personal Microsoft account)"), the application label
//! does not. Between the two delegated labels, the one that names the brand
//! (`Microsoft`, in any script) or says "personal" is the personal one
//! ([`super::words::PERSONAL`]); the other is work or school. When one delegated label is
//! decided the other takes the remaining scheme. Only when a table has no label with a
//! parenthesis or a delegated word are rows taken in the original's order (work,
//! personal, application), with a warning.
//!
//! # Cells
//!
//! A scope is a token shaped `Name.Action[.Qualifier…]` (letters, digits, `-`; each part
//! at least two characters; upper-case first letter unless the permission catalog knows
//! the name). Commas (`,`, `、`, `，`), semicolons, line breaks (`<br/>`, list items)
//! separate alternatives. Two scopes joined by an AND word ([`super::words::AND`]) are
//! one alternative that needs both; an OR word separates alternatives; `A or B and C or
//! D` reads as `(A or B) and (C or D)`. Footnote markers (`*`, `**`) and emphasis are
//! dropped.
//!
//! Translation damages scope names: spaces around a dot (`GroupMember. Read. All`,
//! `Bookings. ReadWrite.All`), an ideographic full stop for a dot
//! (`Bookings。ReadWrite.All`), full-width letters (`Ｕｓｅｒ．Ｒｅａｄ`). Such a run of name
//! parts is rejoined into the longest permissions of the catalog it spells, left to
//! right, in any ASCII case (note `permissions.scope-repaired`); an ideographic full stop
//! between two whole permissions separates them, as `、` does. Parts that spell no known
//! permission are never read as a scope (`SecurityEvents。 All`: warning
//! `permissions.broken-scope`). A scope-shaped name the catalog does not know (a
//! misspelling: `Calls.JoinGroupCalls.All`) is kept with a note
//! (`permissions.unknown-scope`): the cross-check with `permissions.json` repairs it when
//! the data for the path says what it is, and the import reports it otherwise.
//!
//! A cell without scopes is *not supported*, *not applicable* (read as not supported,
//! with a note) or *none* ([`super::words`]); anything else is *unknown* with a warning.
//!
//! # Order
//!
//! Alternatives keep the table's order, least → most privileged in the original. A header
//! that says most → least ([`super::words::DESCENDING`]) is checked against the scopes'
//! own shape (`ReadBasic` < `Read` < `ReadWrite`, `.All` above the same action without
//! it): only when the scopes agree is the order reversed. In the Russian corpus the two
//! tables that say so (the BitLocker pages) list `ReadBasic.All, Read.All`: kept.
//!
//! # Merging
//!
//! Per scheme, the alternatives of every table and row are united in order (duplicates
//! dropped): an application holding any listed alternative can call *some* form of the
//! operation. When some rows list scopes and others say not supported, the scopes win
//! and a warning says the permissions depend on the resource or form.

use std::collections::HashMap;
use std::sync::OnceLock;

use graphspec_codegen::model::{PermissionRow, PermissionsTable, RowValue, Spanned};
use graphspec_spec::Scheme;
use graphspec_spec::catalogue;
use proc_macro2::Span;

use super::markdown::{Doc, Table, decode_entities, strip_tags};
use super::words;
use crate::diagnostic::{Code, Diagnostic};
use crate::page::ResourceTable;

/// What one cell says.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Cell {
    /// Alternatives, each a list of scopes that are all required.
    Scopes(Vec<Vec<String>>),
    /// Not supported.
    NotSupported,
    /// Not applicable.
    NotApplicable,
    /// No permission required.
    NoneRequired,
    /// Empty.
    Empty,
    /// Text that is none of the above.
    Unrecognised(String),
}

/// Reads the permissions of a page. `None` (with an error diagnostic) when no
/// permissions table is found.
pub(crate) fn read(
    doc: &Doc<'_>,
    diags: &mut Vec<Diagnostic>,
) -> Option<(PermissionsTable, Vec<ResourceTable>)> {
    let mut sections = doc.sections(|a| a == "permissions" || a == "prerequisites");
    if sections.is_empty() {
        sections = doc.sections(|a| a.starts_with("permissions"));
    }
    let tables: Vec<&Table> = doc
        .tables
        .iter()
        .filter(|t| sections.iter().any(|(_, r)| r.contains(&t.start)))
        .collect();
    if sections.is_empty() {
        diags.push(Diagnostic::new(
            Code::PermissionsMissingSection,
            "no section anchored `permissions` or `prerequisites`",
        ));
        return None;
    }
    let mut readings = Vec::new();
    let mut anchors: Vec<Option<&str>> = Vec::new();
    for table in tables {
        match read_table(table, diags) {
            Some(reading) => {
                readings.push(reading);
                anchors.push(heading_above(doc, table.start));
            }
            None => diags.push(Diagnostic::new(
                Code::PermissionsIgnoredTable,
                format!(
                    "a table at line {} has no scheme labels or scopes and was ignored",
                    table.start + 1
                ),
            )),
        }
    }
    if readings.is_empty() {
        diags.push(Diagnostic::new(
            Code::PermissionsNoTable,
            "the permissions section has no permissions table",
        ));
        return None;
    }
    if readings.len() > 1 {
        diags.push(Diagnostic::new(

            Code::PermissionsMergedTables,format!(
                "{} permissions tables (per form or object type) merged into one: each scheme lists the alternatives of all of them",
                readings.len()
            ),
        ));
    }
    let per_resource = match &readings[..] {
        [only] => resource_tables(only),
        _ => anchored_tables(&readings, &anchors),
    };
    Some((merge(&readings, diags), per_resource))
}

/// The anchor of the nearest heading above line `line` (`permissions-for-channel`), when
/// it is not a tab heading.
fn heading_above<'d>(doc: &'d Doc<'_>, line: usize) -> Option<&'d str> {
    doc.headings
        .iter()
        .rev()
        .find(|h| h.line < line)
        .filter(|h| !h.tab)
        .map(|h| h.anchor.as_str())
}

/// Words of sub-heading anchors that say what a table is for, not whom:
/// `permissions-for-…`, `to-retrieve-the-…-of-a-…`.
const ANCHOR_FILLER: [&str; 24] = [
    "permissions",
    "permission",
    "for",
    "a",
    "an",
    "the",
    "to",
    "of",
    "on",
    "and",
    "or",
    "acting",
    "retrieve",
    "update",
    "delete",
    "list",
    "get",
    "create",
    "add",
    "remove",
    "other",
    "all",
    "each",
    "provider",
];

/// The tables of a page with several permissions tables under sub-headings, each with
/// the resources its heading's anchor names (anchors stay English in every edition:
/// `permissions-for-channel` and `permissions-for-chat`, `permissions-acting-on-self`
/// and `…-on-other-users`, `group-memberships-for-a-user`): the anchor's words between
/// what every table's anchor starts and ends with, singular and lower-case, without
/// filler words, single and
/// joined in runs (`service-principals` → `service`, `principal`, `serviceprincipal`);
/// `self` names `me`, the signed-in user's path. None unless every table has a heading
/// that names something and at least two tables differ.
fn anchored_tables(readings: &[Reading], anchors: &[Option<&str>]) -> Vec<ResourceTable> {
    let Some(anchors) = anchors.iter().copied().collect::<Option<Vec<&str>>>() else {
        return Vec::new();
    };
    let words: Vec<Vec<String>> = anchors
        .iter()
        .map(|a| {
            a.split('-')
                .map(|w| graphspec_codegen::naming::singular(&w.to_ascii_lowercase()))
                .collect()
        })
        .collect();
    // What every anchor starts or ends with says what the tables are for
    // (`group-memberships-for-…`), not whom.
    let shortest = words.iter().map(Vec::len).min().unwrap_or(0);
    let prefix = (0..shortest)
        .take_while(|&i| words.iter().all(|ws| ws[i] == words[0][i]))
        .count();
    let suffix = (0..shortest - prefix)
        .take_while(|&i| {
            let last = |ws: &Vec<String>| ws[ws.len() - 1 - i].clone();
            words.iter().all(|ws| last(ws) == last(&words[0]))
        })
        .count();
    let mut out = Vec::new();
    for (reading, words) in readings.iter().zip(&words) {
        let own: Vec<&String> = words[prefix..words.len() - suffix]
            .iter()
            .filter(|w| !ANCHOR_FILLER.contains(&w.as_str()))
            .collect();
        let mut resources: Vec<String> = Vec::new();
        for start in 0..own.len() {
            for end in start + 1..=own.len().min(start + 3) {
                let joined: String = own[start..end].iter().map(|w| w.as_str()).collect();
                let joined = if joined == "self" {
                    "me".to_owned()
                } else {
                    joined
                };
                if !resources.contains(&joined) {
                    resources.push(joined);
                }
            }
        }
        if resources.is_empty() {
            return Vec::new();
        }
        let mut table = merge(std::slice::from_ref(reading), &mut Vec::new());
        drop_repeated_scopes(&mut table, &mut Vec::new());
        out.push(ResourceTable { resources, table });
    }
    if out.iter().all(|t| t.table.same_as(&out[0].table)) {
        return Vec::new();
    }
    out
}

/// The tables of a per-resource table's rows, when at least two differ; none otherwise.
/// A row whose label names nothing (prose: "the group's calendar") has no resources:
/// [`crate::split`] then reads its scopes.
fn resource_tables(reading: &Reading) -> Vec<ResourceTable> {
    if reading.rows.len() < 2 {
        return Vec::new();
    }
    let tables: Vec<ResourceTable> = reading
        .rows
        .iter()
        .map(|(resources, indices)| {
            let row = Reading {
                cells: indices.iter().map(|&i| reading.cells[i].clone()).collect(),
                rows: Vec::new(),
            };
            // The page's findings are the merged table's: a row's are not repeated.
            let mut table = merge(&[row], &mut Vec::new());
            drop_repeated_scopes(&mut table, &mut Vec::new());
            ResourceTable {
                resources: resources.clone(),
                table,
            }
        })
        .collect();
    if tables.iter().all(|t| t.table.same_as(&tables[0].table)) {
        return Vec::new();
    }
    tables
}

/// The resources a per-resource table's row label names, lower-case: the file stems of
/// the resource pages it links to (`[event](../resources/event.md)` → `event`), and the
/// identifiers it writes as code (`` `todoTask` ``) or as its whole text.
fn label_resources(label: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut push = |word: &str| {
        let word = word.trim().to_ascii_lowercase();
        if !word.is_empty()
            && word.chars().all(|c| c.is_ascii_alphanumeric())
            && word.starts_with(|c: char| c.is_ascii_alphabetic())
            && !out.contains(&word)
        {
            out.push(word);
        }
    };
    let mut rest = label;
    while let Some(at) = rest.find("](") {
        let target = &rest[at + 2..];
        let end = target.find(')').unwrap_or(target.len());
        let link = target[..end].split(['#', '?']).next().unwrap_or("");
        if link.contains("resources/") {
            let file = link.rsplit('/').next().unwrap_or("");
            push(file.strip_suffix(".md").unwrap_or(file));
        }
        rest = &target[end..];
    }
    for (i, span) in label.split('`').enumerate() {
        if i % 2 == 1 {
            push(span);
        }
    }
    push(label);
    out
}

/// One table read: `(scheme, cell)` pairs in table order.
struct Reading {
    cells: Vec<(Scheme, Cell)>,
    /// For a table with one row per resource: per data row, the resources its label
    /// names and the indices of its cells in `cells`.
    rows: Vec<(Vec<String>, Vec<usize>)>,
}

fn merge(readings: &[Reading], diags: &mut Vec<Diagnostic>) -> PermissionsTable {
    let mut rows = Vec::new();
    for scheme in Scheme::ALL {
        let cells: Vec<&Cell> = readings
            .iter()
            .flat_map(|r| r.cells.iter())
            .filter(|(s, _)| *s == scheme)
            .map(|(_, c)| c)
            .collect();
        let mut alternatives: Vec<Vec<String>> = Vec::new();
        for cell in &cells {
            if let Cell::Scopes(alts) = cell {
                for alt in alts {
                    if !alternatives.contains(alt) {
                        alternatives.push(alt.clone());
                    }
                }
            }
        }
        let any = |f: fn(&Cell) -> bool| cells.iter().any(|c| f(c));
        let negative = any(|c| matches!(c, Cell::NotSupported | Cell::NotApplicable));
        let value = if !alternatives.is_empty() {
            if negative || any(|c| matches!(c, Cell::NoneRequired)) {
                diags.push(Diagnostic::new(

                    Code::PermissionsConditional,format!(
                        "{}: some rows list scopes and others say not supported or none (the permissions depend on the resource or form); the scopes are kept",
                        scheme.as_str()
                    ),
                ));
            }
            RowValue::Scopes(
                alternatives
                    .into_iter()
                    .map(|alt| alt.into_iter().map(Spanned::unspanned).collect())
                    .collect(),
            )
        } else if any(|c| matches!(c, Cell::NoneRequired)) {
            if negative {
                diags.push(Diagnostic::new(
                    Code::PermissionsConditional,
                    format!(
                        "{}: some rows say none and others not supported; read as none",
                        scheme.as_str()
                    ),
                ));
            }
            RowValue::NoneRequired(Span::call_site())
        } else if negative {
            if any(|c| matches!(c, Cell::NotApplicable)) {
                diags.push(Diagnostic::new(
                    Code::PermissionsNotApplicable,
                    format!(
                        "{}: \"not applicable\", read as not supported",
                        scheme.as_str()
                    ),
                ));
            }
            RowValue::NotSupported(Span::call_site())
        } else {
            if cells.is_empty() {
                diags.push(Diagnostic::new(
                    Code::PermissionsMissingRow,
                    format!("no row for {}; recorded as unknown", scheme.as_str()),
                ));
            } else {
                for cell in &cells {
                    match cell {
                        Cell::Unrecognised(text) => diags.push(Diagnostic::new(

                            Code::PermissionsUnrecognisedCell,format!(
                                "{}: cell without scopes not recognised ({:?}); recorded as unknown",
                                scheme.as_str(),
                                text
                            ),
                        )),
                        _ => diags.push(Diagnostic::new(

                            Code::PermissionsEmptyCell,format!("{}: empty cell; recorded as unknown", scheme.as_str()),
                        )),
                    }
                }
            }
            RowValue::Unknown(Span::call_site())
        };
        rows.push(PermissionRow {
            scheme: Spanned::unspanned(scheme),
            value,
        });
    }
    PermissionsTable {
        span: Span::call_site(),
        rows,
    }
}

/// Structural features of a scheme label.
#[derive(Debug, Clone, Copy, Default)]
struct Label {
    paren: bool,
    delegated_word: bool,
    app_word: bool,
    personal: bool,
    work: bool,
    has_scopes: bool,
    empty: bool,
}

impl Label {
    fn of(text: &str) -> Label {
        let plain = strip_tags(&decode_entities(text));
        let norm = words::normalize(&plain);
        Label {
            paren: plain.contains('(') || plain.contains('（'),
            delegated_word: words::contains_any(&norm, words::DELEGATED),
            app_word: words::contains_any(&norm, words::APPLICATION),
            personal: words::contains_any(&norm, words::PERSONAL),
            work: words::contains_any(&norm, words::WORK),
            has_scopes: !scopes_in(text).is_empty(),
            empty: norm.is_empty(),
        }
    }

    fn delegated(&self) -> bool {
        self.paren || self.delegated_word
    }

    /// Whether this looks like any scheme label.
    fn scheme_like(&self) -> bool {
        !self.has_scopes && (self.delegated() || self.app_word)
    }
}

/// Maps labels to schemes (see the module docs). `None` for a label that is not a
/// scheme. `positional` is set when the order of the original had to be assumed.
fn resolve(labels: &[Label], positional: &mut bool) -> Vec<Option<Scheme>> {
    let mut out = vec![None; labels.len()];
    let any_delegated = labels.iter().any(|l| !l.has_scopes && l.delegated());
    if !any_delegated {
        if labels.iter().any(|l| l.app_word) && labels.len() < 3 {
            for (i, l) in labels.iter().enumerate() {
                if l.app_word && !l.has_scopes {
                    out[i] = Some(Scheme::Application);
                }
            }
            return out;
        }
        *positional = true;
        for (i, slot) in out.iter_mut().enumerate().take(3) {
            if !labels[i].empty && !labels[i].has_scopes {
                *slot = Some(Scheme::ALL[i]);
            }
        }
        return out;
    }
    let mut delegated = Vec::new();
    for (i, l) in labels.iter().enumerate() {
        if l.has_scopes || l.empty {
            continue;
        }
        if l.delegated() {
            delegated.push(i);
        } else {
            out[i] = Some(Scheme::Application);
        }
    }
    let mut decided: Vec<Option<Scheme>> = delegated
        .iter()
        .map(|&i| {
            let l = labels[i];
            if l.personal && !l.work {
                Some(Scheme::DelegatedPersonal)
            } else if l.work && !l.personal {
                Some(Scheme::DelegatedWork)
            } else {
                None
            }
        })
        .collect();
    // The complement rule for two delegated labels.
    if decided.len() == 2 {
        match (decided[0], decided[1]) {
            (Some(a), None) => decided[1] = Some(other_delegated(a)),
            (None, Some(b)) => decided[0] = Some(other_delegated(b)),
            (None, None) => {
                *positional = true;
                decided = vec![Some(Scheme::DelegatedWork), Some(Scheme::DelegatedPersonal)];
            }
            _ => {}
        }
    }
    for (k, &i) in delegated.iter().enumerate() {
        out[i] = decided[k].or_else(|| {
            *positional = true;
            Some(if k == 0 {
                Scheme::DelegatedWork
            } else {
                Scheme::DelegatedPersonal
            })
        });
    }
    out
}

fn other_delegated(s: Scheme) -> Scheme {
    if s == Scheme::DelegatedWork {
        Scheme::DelegatedPersonal
    } else {
        Scheme::DelegatedWork
    }
}

fn read_table(table: &Table, diags: &mut Vec<Diagnostic>) -> Option<Reading> {
    let header = if table.has_header {
        table.rows.first()
    } else {
        None
    };
    let data: &[Vec<String>] = if table.has_header {
        table.rows.get(1..).unwrap_or(&[])
    } else {
        &table.rows
    };
    let descending = header.is_some_and(|h| {
        h.iter()
            .any(|c| words::contains_any(&words::normalize(c), words::DESCENDING))
    });
    let mut positional = false;
    let mut cells = Vec::new();

    // Transposed: scheme labels across the header.
    if let Some(header) = header
        && header.len() >= 3
    {
        let labels: Vec<Label> = header[1..].iter().map(|c| Label::of(c)).collect();
        let scheme_like = labels.iter().filter(|l| l.scheme_like()).count();
        if scheme_like >= 2 {
            let schemes = resolve(&labels, &mut positional);
            let mut rows = Vec::new();
            for row in data {
                let mut indices = Vec::new();
                for (k, scheme) in schemes.iter().enumerate() {
                    if let Some(scheme) = scheme {
                        let text = row.get(k + 1).map(String::as_str).unwrap_or("");
                        let cell = read_cell(text, diags);
                        if cell != Cell::Empty || row.len() > k + 1 {
                            indices.push(cells.len());
                            cells.push((*scheme, cell));
                        }
                    }
                }
                let label = row.first().map(String::as_str).unwrap_or("");
                rows.push((label_resources(label), indices));
            }
            diags.push(Diagnostic::new(

                Code::PermissionsPerResourceTable,format!(
                    "a table with one row per resource ({} rows) was merged: each scheme lists the alternatives of every row",
                    data.len()
                ),
            ));
            finish(&mut cells, descending, positional, diags);
            return Some(Reading { cells, rows });
        }
    }

    // Standard: scheme labels down the first column.
    let rows: Vec<&Vec<String>> = data.iter().filter(|r| !r.is_empty()).collect();
    let labels: Vec<Label> = rows.iter().map(|r| Label::of(&r[0])).collect();
    let values: Vec<String> = rows
        .iter()
        .map(|r| {
            r.get(1..)
                .unwrap_or(&[])
                .iter()
                .filter(|c| !c.trim().is_empty())
                .cloned()
                .collect::<Vec<_>>()
                .join("<br/>")
        })
        .collect();
    let read_values: Vec<Cell> = values.iter().map(|v| read_cell(v, diags)).collect();
    let labelled = labels.iter().filter(|l| l.scheme_like()).count();
    let valued = read_values
        .iter()
        .filter(|c| !matches!(c, Cell::Empty | Cell::Unrecognised(_)))
        .count();
    if labelled == 0 && valued == 0 {
        return None;
    }
    if labelled == 0 && !rows.len().eq(&3) {
        return None;
    }
    let schemes = resolve(&labels, &mut positional);
    for ((scheme, cell), label) in schemes.into_iter().zip(read_values).zip(&labels) {
        match scheme {
            Some(s) => cells.push((s, cell)),
            None if !label.empty => diags.push(Diagnostic::new(
                Code::PermissionsIgnoredRow,
                "a row whose label is not a scheme was ignored",
            )),
            None => {}
        }
    }
    if cells
        .iter()
        .all(|(_, c)| matches!(c, Cell::Empty | Cell::Unrecognised(_)))
    {
        // Scheme labels with prose beside them: a table about the schemes, not a
        // permissions table.
        return None;
    }
    let mut seen = Vec::new();
    for (s, _) in &cells {
        if seen.contains(s) {
            diags.push(Diagnostic::new(
                Code::PermissionsDuplicateRow,
                format!("{} has more than one row in one table; merged", s.as_str()),
            ));
        } else {
            seen.push(*s);
        }
    }
    finish(&mut cells, descending, positional, diags);
    Some(Reading {
        cells,
        rows: Vec::new(),
    })
}

fn finish(
    cells: &mut [(Scheme, Cell)],
    descending: bool,
    positional: bool,
    diags: &mut Vec<Diagnostic>,
) {
    if positional {
        diags.push(Diagnostic::new(

            Code::PermissionsSchemeByPosition,"scheme labels not recognised by structure; rows taken in the original order (work, personal, application)",
        ));
    }
    if descending {
        // The claim is checked against the scopes' own shape: in the corpus every table
        // that claims most → least actually lists least → most (`ReadBasic.All,
        // Read.All`), a translation artifact.
        let mut rising = 0;
        let mut falling = 0;
        for (_, cell) in cells.iter() {
            if let Cell::Scopes(alts) = cell {
                for pair in alts.windows(2) {
                    let (a, b) = (rank(&pair[0]), rank(&pair[1]));
                    if a < b {
                        rising += 1;
                    } else if a > b {
                        falling += 1;
                    }
                }
            }
        }
        if falling > rising {
            for (_, cell) in cells.iter_mut() {
                if let Cell::Scopes(alts) = cell {
                    alts.reverse();
                }
            }
            diags.push(Diagnostic::new(

                Code::PermissionsOrderReversed,"the table header says most → least privileged and the scopes agree; the order was reversed",
            ));
        } else {
            diags.push(Diagnostic::new(

                Code::PermissionsOrderClaimIgnored,"the table header says most → least privileged, but the scopes are listed least → most; kept as listed",
            ));
        }
    }
}

/// A rough privilege rank of an alternative, from the shape of its first scope:
/// `ReadBasic` < `Read` < other actions < `ReadWrite`/`Write` < `Manage`/`FullControl`,
/// and `.All` above the same action without it.
fn rank(alternative: &[String]) -> u32 {
    let Some(scope) = alternative.first() else {
        return 0;
    };
    let parts: Vec<String> = scope.split('.').map(str::to_ascii_lowercase).collect();
    let action = parts.get(1).map(String::as_str).unwrap_or("");
    let base = match action {
        "readbasic" => 1,
        "read" => 2,
        a if a.contains("write") => 4,
        a if a.starts_with("manage") || a.starts_with("full") => 5,
        _ => 3,
    };
    base * 2 + u32::from(parts.iter().skip(2).any(|p| p == "all"))
}

/// A token of a cell.
#[derive(Debug, Clone, PartialEq)]
enum Tok {
    Scope(String),
    Sep,
    Colon,
    Text(String),
}

/// Reads one permissions cell.
pub(crate) fn read_cell(text: &str, diags: &mut Vec<Diagnostic>) -> Cell {
    let toks = tokenize(text, diags);
    let has_scope = toks.iter().any(|t| matches!(t, Tok::Scope(_)));
    if !has_scope {
        let plain = clean(text);
        let norm = words::normalize(&plain);
        if norm.is_empty() {
            return Cell::Empty;
        }
        if words::contains_any(&norm, words::NOT_APPLICABLE)
            || words::is_one_of(&norm, words::NOT_APPLICABLE_WHOLE)
        {
            return Cell::NotApplicable;
        }
        if words::contains_any(&norm, words::NOT_SUPPORTED) {
            return Cell::NotSupported;
        }
        if words::is_one_of(&norm, words::NONE_WHOLE) {
            return Cell::NoneRequired;
        }
        return Cell::Unrecognised(plain.trim().to_owned());
    }
    // Split into items at separators; inside an item, connectors decide.
    let mut alternatives: Vec<Vec<String>> = Vec::new();
    let mut qualified = false;
    let mut odd_text = false;
    let mut item: Vec<&Tok> = Vec::new();
    let mut items: Vec<Vec<&Tok>> = Vec::new();
    for tok in &toks {
        if *tok == Tok::Sep {
            items.push(std::mem::take(&mut item));
        } else {
            item.push(tok);
        }
    }
    items.push(item);
    for item in items {
        // and_groups: AND of ORs.
        let mut and_groups: Vec<Vec<String>> = Vec::new();
        let mut between = String::new();
        let mut saw_colon = false;
        for tok in item {
            match tok {
                Tok::Scope(s) => {
                    if and_groups.is_empty() {
                        and_groups.push(vec![s.clone()]);
                    } else {
                        let conn = words::normalize(&between);
                        if words::is_one_of(&conn, words::AND) {
                            and_groups.push(vec![s.clone()]);
                        } else if words::is_one_of(&conn, words::OR) {
                            if let Some(last) = and_groups.last_mut() {
                                last.push(s.clone());
                            }
                        } else {
                            if !conn.is_empty() {
                                odd_text = true;
                            }
                            push_product(&mut alternatives, &and_groups);
                            and_groups = vec![vec![s.clone()]];
                        }
                    }
                    if saw_colon {
                        qualified = true;
                    }
                    between.clear();
                    saw_colon = false;
                }
                Tok::Text(t) => {
                    between.push(' ');
                    between.push_str(t);
                }
                Tok::Colon => {
                    saw_colon = true;
                    between.push(':');
                }
                Tok::Sep => {}
            }
        }
        push_product(&mut alternatives, &and_groups);
    }
    if qualified {
        diags.push(Diagnostic::new(

            Code::PermissionsQualifiedCell,"a cell lists scopes under conditions (\"for X: …\"); all its scopes are kept as alternatives",
        ));
    } else if odd_text {
        diags.push(Diagnostic::new(

            Code::PermissionsTextBetweenScopes,"text that is neither a separator nor and/or sits between scopes; read as separate alternatives",
        ));
    }
    let mut unique: Vec<Vec<String>> = Vec::new();
    for alt in alternatives {
        if !unique.contains(&alt) {
            unique.push(alt);
        }
    }
    Cell::Scopes(unique)
}

/// Appends the alternatives of an AND-of-ORs group list.
fn push_product(alternatives: &mut Vec<Vec<String>>, and_groups: &[Vec<String>]) {
    if and_groups.is_empty() {
        return;
    }
    let mut product: Vec<Vec<String>> = vec![Vec::new()];
    for group in and_groups {
        let mut next = Vec::new();
        for prefix in &product {
            for scope in group {
                let mut alt = prefix.clone();
                if !alt.contains(scope) {
                    alt.push(scope.clone());
                }
                next.push(alt);
            }
        }
        product = next;
        if product.len() > 64 {
            break;
        }
    }
    alternatives.extend(product);
}

/// Cell text without links' URLs, HTML tags (as line breaks) and entities.
fn clean(text: &str) -> String {
    let decoded = decode_entities(text);
    let mut out = String::with_capacity(decoded.len());
    let mut chars = decoded.char_indices().peekable();
    let mut in_tag = false;
    let mut skip_url = false;
    let mut depth = 0usize;
    while let Some((_, c)) = chars.next() {
        if skip_url {
            match c {
                '(' => depth += 1,
                ')' if depth == 0 => skip_url = false,
                ')' => depth -= 1,
                _ => {}
            }
            continue;
        }
        if in_tag {
            if c == '>' {
                in_tag = false;
            }
            continue;
        }
        match c {
            '<' => {
                // An HTML tag (`<br/>`, `<li>`) breaks the line; other `<` is text.
                let rest: String = chars.clone().take(4).map(|(_, c)| c).collect();
                let tagish = rest
                    .chars()
                    .next()
                    .is_some_and(|n| n.is_ascii_alphabetic() || n == '/');
                if tagish {
                    in_tag = true;
                    out.push('\n');
                } else {
                    out.push(c);
                }
            }
            ']' if chars.peek().map(|(_, n)| *n) == Some('(') => {
                chars.next();
                skip_url = true;
                depth = 0;
            }
            '[' | ']' => out.push(' '),
            _ => out.push(c),
        }
    }
    out
}

fn tokenize(text: &str, diags: &mut Vec<Diagnostic>) -> Vec<Tok> {
    let cleaned = rejoin_scopes(&clean(text), diags);
    let mut toks: Vec<Tok> = Vec::new();
    let mut word = String::new();
    let mut other = String::new();
    let flush_word = |word: &mut String, toks: &mut Vec<Tok>| {
        if word.is_empty() {
            return;
        }
        let w = word
            .trim_matches(|c| c == '.' || c == '-' || c == '_')
            .to_owned();
        word.clear();
        if w.is_empty() {
            return;
        }
        match scope_token(&w) {
            Some(s) => toks.push(Tok::Scope(s)),
            None => toks.push(Tok::Text(w)),
        }
    };
    let flush_other = |other: &mut String, toks: &mut Vec<Tok>| {
        let t = other.trim();
        if !t.is_empty() {
            toks.push(Tok::Text(t.to_owned()));
        }
        other.clear();
    };
    for c in cleaned.chars() {
        if c.is_ascii_alphanumeric() || c == '.' || c == '-' || c == '_' {
            flush_other(&mut other, &mut toks);
            word.push(c);
            continue;
        }
        flush_word(&mut word, &mut toks);
        match c {
            ',' | ';' | '、' | '，' | '；' | '。' | '｡' | '\n' | '•' => {
                flush_other(&mut other, &mut toks);
                toks.push(Tok::Sep);
            }
            ':' | '：' => {
                flush_other(&mut other, &mut toks);
                toks.push(Tok::Colon);
            }
            '*' | '`' => flush_other(&mut other, &mut toks),
            c if c.is_whitespace() => flush_other(&mut other, &mut toks),
            _ => other.push(c),
        }
    }
    flush_word(&mut word, &mut toks);
    flush_other(&mut other, &mut toks);
    toks
}

/// A full-width form (U+FF01–U+FF5E) as its ASCII character, the ideographic space as a
/// space; any other character as itself.
fn narrow(c: char) -> char {
    match c {
        '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
        '\u{3000}' => ' ',
        _ => c,
    }
}

/// A character of a scope name's part (after [`narrow`]).
fn is_part_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '-' || c == '_'
}

/// A dot between the parts of a scope name as translations write it: `.`, the
/// ideographic full stop `。` and its half-width form `｡` (`．` is narrowed to `.`).
fn is_dot(c: char) -> bool {
    matches!(c, '.' | '。' | '｡')
}

/// The permission `name` is (exact, else the only one that differs in ASCII case).
fn known(name: &str) -> Option<&'static str> {
    catalogue::lookup(name)
        .map(|entry| entry.name)
        .or_else(|| case_insensitive(name))
}

/// Undoes what translation does to scope names in a cell (module docs, *Cells*): a run
/// of name parts separated by dots, where a dot has spaces around it or is an
/// ideographic full stop, or a part has full-width letters (`GroupMember. Read. All`,
/// `Bookings。ReadWrite.All`, `Ｕｓｅｒ．Ｒｅａｄ`), is rejoined into the longest known
/// permissions it spells, left to right (note `permissions.scope-repaired`). A dot
/// between two whole permissions stays (a sentence end between list items,
/// `Directory.Read.All。 Directory.ReadWrite.All`). Parts that spell no known permission
/// are left as written, with a warning (`permissions.broken-scope`) when they look like
/// a scope name: they are never read as one. Full-width forms are narrowed everywhere.
fn rejoin_scopes(text: &str, diags: &mut Vec<Diagnostic>) -> String {
    let chars: Vec<char> = text.chars().collect();
    let part_end = |from: usize| {
        let mut j = from;
        while j < chars.len() && is_part_char(narrow(chars[j])) {
            j += 1;
        }
        j
    };
    let spaces_end = |from: usize| {
        let mut j = from;
        while j < chars.len() && narrow(chars[j]).is_whitespace() {
            j += 1;
        }
        j
    };
    let original = |from: usize, to: usize| chars[from..to].iter().collect::<String>();
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    while i < chars.len() {
        if !is_part_char(narrow(chars[i])) {
            out.push(narrow(chars[i]));
            i += 1;
            continue;
        }
        // A run: part (gap part)*; a gap is optional spaces, one dot, optional spaces.
        let start = i;
        let mut bounds: Vec<(usize, usize)> = vec![(start, part_end(start))];
        loop {
            let dot = spaces_end(bounds[bounds.len() - 1].1);
            if dot >= chars.len() || !is_dot(narrow(chars[dot])) {
                break;
            }
            let next = spaces_end(dot + 1);
            if next >= chars.len() || !is_part_char(narrow(chars[next])) {
                break;
            }
            bounds.push((next, part_end(next)));
        }
        let run_end = bounds[bounds.len() - 1].1;
        let part = |n: usize| {
            chars[bounds[n].0..bounds[n].1]
                .iter()
                .map(|c| narrow(*c))
                .collect::<String>()
        };
        // A gap other than a plain `.`, or a part with full-width letters.
        let damaged_gap = |n: usize| original(bounds[n - 1].1, bounds[n].0) != ".";
        let wide = |n: usize| {
            chars[bounds[n].0..bounds[n].1]
                .iter()
                .any(|c| narrow(*c) != *c)
        };
        let damaged = (1..bounds.len()).any(damaged_gap) || (0..bounds.len()).any(wide);
        if !damaged {
            out.extend(&chars[start..run_end]);
            i = run_end;
            continue;
        }
        // The longest known permissions, left to right.
        let mut absorbed = vec![false; bounds.len()];
        let mut a = 0;
        while a < bounds.len() {
            let found = (a..bounds.len()).rev().find_map(|b| {
                let parts: Vec<String> = (a..=b).map(part).collect();
                known(&parts.join(".")).map(|name| (b, name))
            });
            match found {
                Some((b, name)) => {
                    let written = original(bounds[a].0, bounds[b].1);
                    if written != name {
                        diags.push(Diagnostic::new(
                            Code::PermissionsScopeRepaired,
                            format!("`{written}` read as `{name}`"),
                        ));
                    }
                    out.push_str(name);
                    absorbed[a..=b].iter_mut().for_each(|x| *x = true);
                    a = b + 1;
                }
                None => {
                    out.push_str(&part(a));
                    a += 1;
                }
            }
            if a < bounds.len() {
                out.push_str(&original(bounds[a - 1].1, bounds[a].0));
            }
        }
        // A damaged gap or a wide part outside the known permissions: a broken name.
        let broken = (0..bounds.len()).any(|n| {
            !absorbed[n]
                && (wide(n)
                    || (n > 0 && damaged_gap(n))
                    || (n + 1 < bounds.len() && damaged_gap(n + 1)))
        });
        let parts: Vec<String> = (0..bounds.len()).map(part).collect();
        let shaped = parts.len() >= 2
            && parts
                .iter()
                .all(|p| p.len() >= 2 && p.starts_with(|c: char| c.is_ascii_alphabetic()));
        if broken && shaped {
            diags.push(Diagnostic::new(
                Code::PermissionsBrokenScope,
                format!(
                    "`{}` looks like a scope name broken by translation, but spells no known permission; not read as a scope",
                    original(start, run_end)
                ),
            ));
        }
        i = run_end;
    }
    out
}

/// The scope a word is, if it is scope-shaped (case fixed through the catalog when the
/// catalog knows exactly one name that differs only in case), or a known permission
/// written without its dots (`TeamReadBasicAll` is `Team.ReadBasic.All`: the catalog
/// knows exactly one name that is this word without dots, in any case).
pub(crate) fn scope_token(word: &str) -> Option<String> {
    if !word.contains('.')
        && word.len() > 4
        && word.chars().all(|c| c.is_ascii_alphanumeric())
        && let Some(name) = dotless(word)
    {
        return Some(name.to_owned());
    }
    let mut parts = 0;
    for part in word.split('.') {
        let mut chars = part.chars();
        if !chars.next().is_some_and(|c| c.is_ascii_alphabetic()) {
            return None;
        }
        if part.len() < 2 || !chars.all(|c| c.is_ascii_alphanumeric() || c == '-') {
            return None;
        }
        parts += 1;
    }
    if parts < 2 {
        return None;
    }
    if catalogue::lookup(word).is_some() {
        return Some(word.to_owned());
    }
    if let Some(name) = case_insensitive(word) {
        return Some(name.to_owned());
    }
    if word.starts_with(|c: char| c.is_ascii_uppercase()) {
        return Some(word.to_owned());
    }
    None
}

/// Every permission by `key` of its name; `None` where two names share a key.
type UniqueIndex = HashMap<String, Option<&'static str>>;

fn unique_index(key: fn(&str) -> String) -> UniqueIndex {
    let mut map = UniqueIndex::new();
    for entry in catalogue::PERMISSIONS {
        map.entry(key(entry.name))
            .and_modify(|v| *v = None)
            .or_insert(Some(entry.name));
    }
    map
}

/// The only permission that is `word` once its dots are taken out, in any case.
fn dotless(word: &str) -> Option<&'static str> {
    static MAP: OnceLock<UniqueIndex> = OnceLock::new();
    let map = MAP.get_or_init(|| unique_index(|name| name.replace('.', "").to_ascii_lowercase()));
    map.get(&word.to_ascii_lowercase()).copied().flatten()
}

/// The only permission that is `word` in any ASCII case.
fn case_insensitive(word: &str) -> Option<&'static str> {
    static MAP: OnceLock<UniqueIndex> = OnceLock::new();
    let map = MAP.get_or_init(|| unique_index(str::to_ascii_lowercase));
    map.get(&word.to_ascii_lowercase()).copied().flatten()
}

/// The scope-shaped tokens of `text`.
pub(crate) fn scopes_in(text: &str) -> Vec<String> {
    let mut diags = Vec::new();
    tokenize(text, &mut diags)
        .into_iter()
        .filter_map(|t| match t {
            Tok::Scope(s) => Some(s),
            _ => None,
        })
        .collect()
}

/// Notes every scope of `table` that is not a known permission
/// (`permissions.unknown-scope`), once per name.
pub(crate) fn note_unknown_scopes(table: &PermissionsTable, diags: &mut Vec<Diagnostic>) {
    let mut seen: Vec<&str> = Vec::new();
    for row in &table.rows {
        let RowValue::Scopes(alternatives) = &row.value else {
            continue;
        };
        for scope in alternatives.iter().flatten() {
            let name = scope.value.as_str();
            if catalogue::lookup(name).is_none() && !seen.contains(&name) {
                seen.push(name);
                diags.push(Diagnostic::new(
                    Code::PermissionsUnknownScope,
                    format!("`{name}` is not a known permission"),
                ));
            }
        }
    }
}

/// Drops repeated alternatives (and repeated scopes inside one alternative) from every
/// row, keeping the first: merged tables list a scope once per table, and a definition
/// may list it only once.
pub(crate) fn drop_repeated_scopes(table: &mut PermissionsTable, diags: &mut Vec<Diagnostic>) {
    for row in &mut table.rows {
        let RowValue::Scopes(alternatives) = &mut row.value else {
            continue;
        };
        let mut seen: Vec<Vec<String>> = Vec::new();
        let mut dropped: Vec<String> = Vec::new();
        alternatives.retain_mut(|alt| {
            let mut names: Vec<String> = Vec::new();
            alt.retain(|s| {
                let new = !names.contains(&s.value);
                if new {
                    names.push(s.value.clone());
                } else {
                    dropped.push(s.value.clone());
                }
                new
            });
            let mut key = names.clone();
            key.sort();
            if seen.contains(&key) {
                dropped.push(names.join(" + "));
                false
            } else {
                seen.push(key);
                true
            }
        });
        if !dropped.is_empty() {
            diags.push(Diagnostic::new(
                Code::PermissionsDuplicateScope,
                format!(
                    "{} listed twice in the {} row; the repetition dropped",
                    dropped.join(", "),
                    row.scheme.value.as_str()
                ),
            ));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scopes(text: &str) -> Cell {
        read_cell(text, &mut Vec::new())
    }

    fn alts(list: &[&[&str]]) -> Cell {
        Cell::Scopes(
            list.iter()
                .map(|a| a.iter().map(|s| s.to_string()).collect())
                .collect(),
        )
    }

    #[test]
    fn cells() {
        assert_eq!(
            scopes("User.ReadWrite.All, Directory.ReadWrite.All"),
            alts(&[&["User.ReadWrite.All"], &["Directory.ReadWrite.All"]])
        );
        assert_eq!(
            scopes("User.Read.All、User.ReadWrite.All"),
            alts(&[&["User.Read.All"], &["User.ReadWrite.All"]])
        );
        assert_eq!(
            scopes("Group.Read.All **, Group.ReadWrite.All**"),
            alts(&[&["Group.Read.All"], &["Group.ReadWrite.All"]])
        );
        assert_eq!(
            scopes("Policy.Read.All and Application.ReadWrite.All, Directory.Read.All"),
            alts(&[
                &["Policy.Read.All", "Application.ReadWrite.All"],
                &["Directory.Read.All"]
            ])
        );
        assert_eq!(
            scopes("Ab.Read or Ab.Write plus Bc.Read.All or Cd.Read"),
            alts(&[
                &["Ab.Read", "Bc.Read.All"],
                &["Ab.Read", "Cd.Read"],
                &["Ab.Write", "Bc.Read.All"],
                &["Ab.Write", "Cd.Read"]
            ])
        );
        assert_eq!(
            scopes("Xy.Read.All<br/>Yz.Read.All"),
            alts(&[&["Xy.Read.All"], &["Yz.Read.All"]])
        );
        assert_eq!(
            scopes("Bookings. ReadWrite.All"),
            alts(&[&["Bookings.ReadWrite.All"]])
        );
        assert_eq!(scopes("Not supported."), Cell::NotSupported);
        assert_eq!(scopes("不支持。"), Cell::NotSupported);
    }

    /// Cells as translations damaged them: real cells of ru-RU and ja-JP pages, and the
    /// forms issue 9 reports from other editions.
    #[test]
    fn scope_names_damaged_by_translation() {
        let read = |text: &str| {
            let mut diags = Vec::new();
            let cell = read_cell(text, &mut diags);
            let codes: Vec<&str> = diags.iter().map(|d| d.code.as_str()).collect();
            (cell, codes)
        };
        // ru-RU bookingservice-delete.
        assert_eq!(
            read("Bookings. ReadWrite.All, Bookings. Manage.All"),
            (
                alts(&[&["Bookings.ReadWrite.All"], &["Bookings.Manage.All"]]),
                vec!["permissions.scope-repaired", "permissions.scope-repaired"]
            )
        );
        // ja-JP group-checkmembergroups: `。` ends a list item.
        assert_eq!(
            read("Group.Read.All、Directory.Read.All。 Directory.ReadWrite.All"),
            (
                alts(&[
                    &["Group.Read.All"],
                    &["Directory.Read.All"],
                    &["Directory.ReadWrite.All"]
                ]),
                vec![]
            )
        );
        // ja-JP security-list-securescores: `SecurityEvents.Read.All` lost a part.
        let (cell, codes) = read("SecurityEvents。 All、SecurityEvents.。");
        assert!(matches!(cell, Cell::Unrecognised(_)), "{cell:?}");
        assert_eq!(codes, vec!["permissions.broken-scope"]);
        // Issue 9: spaces, an ideographic full stop, full-width letters.
        assert_eq!(
            read("GroupMember. Read. All").0,
            alts(&[&["GroupMember.Read.All"]])
        );
        assert_eq!(
            read("Bookings。ReadWrite.All").0,
            alts(&[&["Bookings.ReadWrite.All"]])
        );
        assert_eq!(read("Ｕｓｅｒ．Ｒｅａｄ").0, alts(&[&["User.Read"]]));
        assert_eq!(
            read("Group.Read. All、Directory .Read.All").0,
            alts(&[&["Group.Read.All"], &["Directory.Read.All"]])
        );
        assert_eq!(scopes("None."), Cell::NoneRequired);
        assert_eq!(scopes("N/A"), Cell::NotApplicable);
        assert_eq!(scopes("Not applicable"), Cell::NotApplicable);
        assert_eq!(scopes(""), Cell::Empty);
        assert!(matches!(scopes("see below"), Cell::Unrecognised(_)));
        assert_eq!(scopes("[link](../resources/event.md)"), scopes("link"));
    }

    #[test]
    fn labels_by_structure() {
        let labels: Vec<Label> = [
            "Application",
            "Delegated (personal Microsoft account)",
            "Delegated (work or school account)",
        ]
        .iter()
        .map(|l| Label::of(l))
        .collect();
        let mut positional = false;
        assert_eq!(
            resolve(&labels, &mut positional),
            vec![
                Some(Scheme::Application),
                Some(Scheme::DelegatedPersonal),
                Some(Scheme::DelegatedWork)
            ]
        );
        assert!(!positional);
        // An unknown language: parentheses and the brand still decide.
        let labels: Vec<Label> = ["Xyz (abc)", "Xyz (Microsoft qrs)", "Uvw"]
            .iter()
            .map(|l| Label::of(l))
            .collect();
        assert_eq!(
            resolve(&labels, &mut positional),
            vec![
                Some(Scheme::DelegatedWork),
                Some(Scheme::DelegatedPersonal),
                Some(Scheme::Application)
            ]
        );
        assert!(!positional);
    }
}
