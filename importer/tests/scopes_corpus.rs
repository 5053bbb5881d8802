//! Scope names over every page of two real editions, `../shared/graph-docs/ru-RU/v1.0`
//! and `../shared/graph-docs/ja-JP/v1.0`, checked against Microsoft's permissions
//! (`graphspec_spec::catalogue`, generated from `permissions.json`):
//!
//! - every scope the reader gives is a known permission, or the page notes it
//!   (`permissions.unknown-scope`);
//! - every place a permissions table has a scope name damaged by translation (spaces
//!   around a dot, an ideographic full stop, full-width letters), found here by a scan of
//!   the page's own text, is rejoined (`permissions.scope-repaired`), reported
//!   (`permissions.broken-scope`), or separates two whole permissions;
//! - after the import with `permissions.json`, every scope of every definition is a
//!   known permission, or is listed in `Import::unknown_scopes` and its page is imported
//!   partly with `permissions.unrepaired-scope`.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use graphspec_codegen::model::RowValue;
use graphspec_importer::permissions_json::PermissionsData;
use graphspec_importer::{import, read};
use graphspec_spec::catalogue;

fn shared() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared")
}

fn edition(lang: &str) -> PathBuf {
    shared().join("graph-docs").join(lang).join("v1.0")
}

fn known(name: &str) -> bool {
    catalogue::lookup_ignoring_case(name).is_some()
}

/// The table lines (`|…`) of a page's permissions sections.
fn permission_lines(text: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut inside = false;
    let mut fenced = false;
    for line in text.lines() {
        if line.trim_start().starts_with("```") {
            fenced = !fenced;
        }
        if !fenced && line.starts_with('#') {
            inside = line.contains("<a name=\"permissions")
                || line.contains("<a name=\"prerequisites\"");
        }
        if inside && !fenced && line.trim_start().starts_with('|') {
            out.push(line);
        }
    }
    out
}

fn part_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_')
}

/// Damaged places of a line: (the word before, the gap, the word after), where the gap
/// is a dot with spaces around it or an ideographic full stop, between ASCII words, or a
/// word has full-width letters.
fn damage(line: &str) -> Vec<(String, String, String)> {
    let chars: Vec<char> = line.chars().collect();
    let mut out = Vec::new();
    for (i, &c) in chars.iter().enumerate() {
        if ('\u{FF21}'..='\u{FF5A}').contains(&c) {
            out.push((String::new(), c.to_string(), String::new()));
            continue;
        }
        if !matches!(c, '.' | '。' | '｡' | '．') {
            continue;
        }
        let mut l = i;
        while l > 0 && chars[l - 1] == ' ' {
            l -= 1;
        }
        let mut r = i + 1;
        while r < chars.len() && chars[r] == ' ' {
            r += 1;
        }
        let spaced = l < i || r > i + 1;
        if !(spaced || c != '.') || l == 0 || r >= chars.len() {
            continue;
        }
        if !chars[l - 1].is_ascii_alphanumeric() || !chars[r].is_ascii_alphabetic() {
            continue;
        }
        let mut a = l;
        while a > 0 && part_char(chars[a - 1]) {
            a -= 1;
        }
        let mut b = r;
        while b < chars.len() && part_char(chars[b]) {
            b += 1;
        }
        let before: String = chars[a..l].iter().collect();
        let after: String = chars[r..b].iter().collect();
        let gap: String = chars[l..r].iter().collect();
        out.push((
            before.trim_matches('.').to_owned(),
            gap,
            after.trim_matches('.').to_owned(),
        ));
    }
    out
}

#[test]
fn every_scope_is_known_or_noted_and_every_damage_is_handled() {
    for lang in ["ru-RU", "ja-JP"] {
        let dir = edition(lang);
        let pages = read::read_dir(&dir, &mut |_, _| {}).expect("the docs corpus in ../shared");
        let mut scopes = 0;
        let mut unknown: BTreeMap<String, Vec<String>> = BTreeMap::new();
        let mut places = 0;
        let mut repaired = 0;
        let mut broken = 0;
        let mut separators = 0;
        for page in &pages {
            let messages = |code: &str| -> Vec<&str> {
                page.diagnostics
                    .iter()
                    .filter(|d| d.code.as_str() == code)
                    .map(|d| d.message.as_str())
                    .collect()
            };
            let noted = messages("permissions.unknown-scope");
            for row in page.operation.iter().flat_map(|op| &op.permissions.rows) {
                let RowValue::Scopes(alternatives) = &row.value else {
                    continue;
                };
                for scope in alternatives.iter().flatten() {
                    scopes += 1;
                    if catalogue::lookup(&scope.value).is_some() {
                        continue;
                    }
                    assert!(
                        noted
                            .iter()
                            .any(|m| m.contains(&format!("`{}`", scope.value))),
                        "{lang} {}: `{}` is not a known permission and not noted",
                        page.page,
                        scope.value
                    );
                    unknown
                        .entry(scope.value.clone())
                        .or_default()
                        .push(page.page.clone());
                }
            }
            let text =
                std::fs::read_to_string(dir.join("api").join(format!("{}.md", page.page))).unwrap();
            let handled: Vec<(bool, &str)> = messages("permissions.scope-repaired")
                .into_iter()
                .map(|m| (true, m))
                .chain(
                    messages("permissions.broken-scope")
                        .into_iter()
                        .map(|m| (false, m)),
                )
                .collect();
            for line in permission_lines(&text) {
                for (before, gap, after) in damage(line) {
                    places += 1;
                    if known(&before) && known(&after) {
                        // A sentence end between two whole permissions.
                        separators += 1;
                        continue;
                    }
                    let last = before.rsplit('.').next().unwrap_or("");
                    let first = after.split('.').next().unwrap_or("");
                    let found = handled.iter().find(|(_, m)| {
                        let m = m.to_lowercase();
                        m.contains(&last.to_lowercase()) && m.contains(&first.to_lowercase())
                    });
                    match found {
                        Some((true, _)) => repaired += 1,
                        Some((false, _)) => broken += 1,
                        None => panic!(
                            "{lang} {}: `{before}{gap}{after}` is neither rejoined nor reported: {handled:?}",
                            page.page
                        ),
                    }
                }
            }
        }
        println!(
            "{lang}: {scopes} scopes read; not known permissions: {unknown:?}; {places} damaged places in permissions tables: {repaired} rejoined, {broken} reported as broken, {separators} between two whole permissions"
        );
        assert!(
            places > 0,
            "{lang}: the scan finds the damage the corpus has"
        );
    }
}

#[test]
fn real_damage_reads_as_the_page_means() {
    let read = |lang: &str, page: &str| {
        let file = edition(lang).join("api").join(format!("{page}.md"));
        read::read_files(&[file], &mut |_, _| {}).unwrap().remove(0)
    };
    let row = |r: &graphspec_importer::page::PageResult, scheme: &str| -> Option<Vec<String>> {
        let op = r.operation.as_ref()?;
        let row = op
            .permissions
            .rows
            .iter()
            .find(|row| row.scheme.value.as_str() == scheme)?;
        match &row.value {
            RowValue::Scopes(alternatives) => Some(
                alternatives
                    .iter()
                    .map(|a| {
                        a.iter()
                            .map(|s| s.value.clone())
                            .collect::<Vec<_>>()
                            .join("+")
                    })
                    .collect(),
            ),
            _ => None,
        }
    };
    let codes = |r: &graphspec_importer::page::PageResult, code: &str| {
        r.diagnostics
            .iter()
            .filter(|d| d.code.as_str() == code)
            .count()
    };
    // ru-RU: `Bookings. ReadWrite.All, Bookings. Manage.All`.
    let r = read("ru-RU", "bookingservice-delete");
    assert_eq!(
        row(&r, "DelegatedWork"),
        Some(vec![
            "Bookings.ReadWrite.All".to_owned(),
            "Bookings.Manage.All".to_owned()
        ])
    );
    assert_eq!(codes(&r, "permissions.scope-repaired"), 2);
    // ja-JP: `Group.Read.All、Directory.Read.All。 Directory.ReadWrite.All`.
    let r = read("ja-JP", "group-checkmembergroups");
    assert_eq!(
        row(&r, "Application"),
        Some(vec![
            "Group.Read.All".to_owned(),
            "Directory.Read.All".to_owned(),
            "Directory.ReadWrite.All".to_owned()
        ])
    );
    assert_eq!(codes(&r, "permissions.text-between-scopes"), 0);
    // ja-JP: `SecurityEvents。 All、SecurityEvents.。` (two permissions lost their action):
    // no scope is made up, the rows are unknown, and the page says why.
    for page in [
        "security-list-securescores",
        "security-list-securescorecontrolprofiles",
    ] {
        let r = read("ja-JP", page);
        assert_eq!(row(&r, "DelegatedWork"), None, "{page}");
        assert_eq!(row(&r, "Application"), None, "{page}");
        assert_eq!(codes(&r, "permissions.broken-scope"), 2, "{page}");
        // ru-RU has the names whole.
        let r = read("ru-RU", page);
        assert_eq!(
            row(&r, "Application"),
            Some(vec![
                "SecurityEvents.Read.All".to_owned(),
                "SecurityEvents.ReadWrite.All".to_owned()
            ]),
            "{page}"
        );
    }
    // ja-JP: `Directory.accessasuser.all。 all、user. all、…`: the one permission it
    // spells, in its case; the rest reported.
    let r = read("ja-JP", "group-list-transitivemembers");
    assert_eq!(
        row(&r, "DelegatedWork"),
        Some(vec!["Directory.AccessAsUser.All".to_owned()])
    );
    assert!(codes(&r, "permissions.broken-scope") >= 2);
}

#[test]
fn imported_definitions_name_only_known_permissions_or_say_so() {
    let text = std::fs::read_to_string(shared().join("graph-permissions/permissions.json"))
        .expect("permissions.json in ../shared");
    let data = PermissionsData::from_json(&text).expect("permissions.json");
    for lang in ["ru-RU", "ja-JP"] {
        let pages = read::read_dir(&edition(lang), &mut |_, _| {}).unwrap();
        let imported = import(pages, Some(&data), None, lang);
        let mut listed = 0;
        for module in imported.modules.values() {
            for op in &module.operations {
                let page = op.docs_page.as_ref().map(|p| p.value.clone()).unwrap();
                for row in &op.permissions.rows {
                    let RowValue::Scopes(alternatives) = &row.value else {
                        continue;
                    };
                    for scope in alternatives.iter().flatten() {
                        if catalogue::lookup(&scope.value).is_some() {
                            continue;
                        }
                        listed += 1;
                        assert!(
                            imported.unknown_scopes.contains(&(
                                page.clone(),
                                row.scheme.value.as_str(),
                                scope.value.clone()
                            )),
                            "{lang} {page}: `{}` is not listed",
                            scope.value
                        );
                        let entry = imported.pages.iter().find(|p| p.page == page).unwrap();
                        assert!(
                            entry
                                .reasons
                                .iter()
                                .any(|c| c.as_str() == "permissions.unrepaired-scope"),
                            "{lang} {page}"
                        );
                    }
                }
            }
        }
        assert_eq!(listed, imported.unknown_scopes.len(), "{lang}");
        let repaired: Vec<String> = imported
            .repairs
            .iter()
            .map(|r| format!("{}: {} → {} ({}, {})", r.page, r.from, r.to, r.rule, r.by))
            .collect();
        println!(
            "{lang}: {} repairs; left as written: {:?}",
            repaired.len(),
            imported.unknown_scopes
        );
    }
}
