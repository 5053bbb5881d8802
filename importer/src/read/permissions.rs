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
//!   per object type) are merged the same way.
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
//! dropped. A word split from its scope by a stray space (`Bookings. ReadWrite.All`) is
//! rejoined when the catalog knows the joined name.
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
pub(crate) fn read(doc: &Doc<'_>, diags: &mut Vec<Diagnostic>) -> Option<PermissionsTable> {
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
    for table in tables {
        match read_table(table, diags) {
            Some(reading) => readings.push(reading),
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
    Some(merge(&readings, diags))
}

/// One table read: `(scheme, cell)` pairs in table order.
struct Reading {
    cells: Vec<(Scheme, Cell)>,
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
            for row in data {
                for (k, scheme) in schemes.iter().enumerate() {
                    if let Some(scheme) = scheme {
                        let text = row.get(k + 1).map(String::as_str).unwrap_or("");
                        let cell = read_cell(text, diags);
                        if cell != Cell::Empty || row.len() > k + 1 {
                            cells.push((*scheme, cell));
                        }
                    }
                }
            }
            diags.push(Diagnostic::new(

                Code::PermissionsPerResourceTable,format!(
                    "a table with one row per resource ({} rows) was merged: each scheme lists the alternatives of every row",
                    data.len()
                ),
            ));
            finish(&mut cells, descending, positional, diags);
            return Some(Reading { cells });
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
    Some(Reading { cells })
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
    let cleaned = clean(text);
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
            ',' | ';' | '、' | '，' | '；' | '\n' | '•' => {
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
    repair_split_scopes(&mut toks, diags);
    toks
}

/// Rejoins `Bookings. ReadWrite.All` when the catalog knows `Bookings.ReadWrite.All`.
fn repair_split_scopes(toks: &mut Vec<Tok>, diags: &mut Vec<Diagnostic>) {
    let mut i = 0;
    while i + 1 < toks.len() {
        if let (Tok::Text(head), Tok::Scope(tail)) = (&toks[i], &toks[i + 1])
            && head.chars().all(|c| c.is_ascii_alphanumeric())
        {
            let joined = format!("{head}.{tail}");
            if catalogue::lookup(&joined).is_some() {
                diags.push(Diagnostic::new(
                    Code::PermissionsScopeRepaired,
                    format!("`{head}. {tail}` read as `{joined}`"),
                ));
                toks[i] = Tok::Scope(joined);
                toks.remove(i + 1);
            }
        }
        i += 1;
    }
}

/// The scope a word is, if it is scope-shaped (case fixed through the catalog when the
/// catalog knows exactly one name that differs only in case).
pub(crate) fn scope_token(word: &str) -> Option<String> {
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

fn case_insensitive(word: &str) -> Option<&'static str> {
    static MAP: OnceLock<HashMap<String, Option<&'static str>>> = OnceLock::new();
    let map = MAP.get_or_init(|| {
        let mut map: HashMap<String, Option<&'static str>> = HashMap::new();
        for entry in catalogue::PERMISSIONS {
            map.entry(entry.name.to_ascii_lowercase())
                .and_modify(|v| *v = None)
                .or_insert(Some(entry.name));
        }
        map
    });
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
