//! Request headers over every page of two real editions,
//! `../shared/graph-docs/ru-RU/v1.0` and `../shared/graph-docs/ja-JP/v1.0`:
//!
//! - every emitted header is a catalogued Graph request header (`read::REQUEST_HEADERS`)
//!   that definitions carry, spelled as catalogued; no header row is left unidentified;
//! - translated names (`Авторизация`, `承諾`, `優先`, `Принять-Язык`, `コンテンツの長さ`) are
//!   read as their headers, and the headers the client sets are never emitted;
//! - required is decided by the examples, not the prose: the same in both languages;
//! - the pages present in both editions give the same header set, except where the
//!   sources differ (the header is not mentioned at all in the other edition's page):
//!   the agreement is printed (`--nocapture`).

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use graphspec_importer::page::PageResult;
use graphspec_importer::read::{self, REQUEST_HEADERS};

fn edition(lang: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../shared/graph-docs")
        .join(lang)
        .join("v1.0")
}

/// What the tests need of a page (a [`PageResult`] is not `Sync`).
#[derive(Debug, Clone)]
struct Page {
    page: String,
    imported: bool,
    /// (name, required) of the emitted headers.
    headers: BTreeSet<(String, bool)>,
    codes: Vec<&'static str>,
    messages: Vec<String>,
}

impl Page {
    fn of(r: &PageResult) -> Page {
        Page {
            page: r.page.clone(),
            imported: r.operation.is_some(),
            headers: r
                .operation
                .iter()
                .flat_map(|op| &op.headers)
                .map(|h| (h.name.value.clone(), h.required))
                .collect(),
            codes: r.diagnostics.iter().map(|d| d.code.as_str()).collect(),
            messages: r
                .diagnostics
                .iter()
                .filter(|d| d.code.as_str().starts_with("headers."))
                .map(|d| d.message.clone())
                .collect(),
        }
    }
}

/// Every page of an edition, read as `graphspec import` reads it.
fn whole(lang: &str) -> &'static BTreeMap<String, Page> {
    static RU: OnceLock<BTreeMap<String, Page>> = OnceLock::new();
    static JA: OnceLock<BTreeMap<String, Page>> = OnceLock::new();
    let cell = if lang == "ru-RU" { &RU } else { &JA };
    cell.get_or_init(|| {
        let pages = read::read_dir(&edition(lang), &mut |_, _| {})
            .unwrap_or_else(|e| panic!("the {lang} docs corpus in ../shared: {e}"));
        assert!(pages.len() > 1000, "{lang}: {} pages", pages.len());
        pages
            .iter()
            .map(|r| (r.page.clone(), Page::of(r)))
            .collect()
    })
}

fn page(lang: &str, name: &str) -> &'static Page {
    whole(lang)
        .get(name)
        .unwrap_or_else(|| panic!("{lang}: no page {name}"))
}

fn headers(list: &[(&str, bool)]) -> BTreeSet<(String, bool)> {
    list.iter().map(|(n, r)| (n.to_string(), *r)).collect()
}

#[test]
fn every_emitted_header_is_catalogued_in_both_editions() {
    for lang in ["ru-RU", "ja-JP"] {
        let mut emitted: BTreeMap<&str, usize> = BTreeMap::new();
        let mut unidentified = Vec::new();
        let mut translated = 0;
        for p in whole(lang).values() {
            for (name, _) in &p.headers {
                let entry = REQUEST_HEADERS
                    .iter()
                    .find(|h| h.name == name)
                    .unwrap_or_else(|| panic!("{lang} {}: `{name}` is not catalogued", p.page));
                assert!(
                    entry.emitted,
                    "{lang} {}: `{name}` is set by the client",
                    p.page
                );
                *emitted.entry(entry.name).or_default() += 1;
            }
            translated += p
                .codes
                .iter()
                .filter(|c| **c == "headers.translated-name")
                .count();
            for (code, message) in p.codes.iter().zip(&p.messages) {
                if *code == "headers.unidentified" {
                    unidentified.push(format!("{}: {message}", p.page));
                }
            }
        }
        println!(
            "{lang}: emitted headers {emitted:?}; {translated} rows named in translation; unidentified rows: {}",
            unidentified.len()
        );
        assert!(
            unidentified.is_empty(),
            "{lang}: rows no rule identifies: {unidentified:#?}"
        );
    }
}

#[test]
fn translated_names_are_read_as_their_headers() {
    // ru-RU `Авторизация`, ja-JP `承諾` (Accept): set by the client, not emitted.
    for lang in ["ru-RU", "ja-JP"] {
        assert_eq!(page(lang, "domain-list").headers, headers(&[]), "{lang}");
    }
    assert!(
        page("ja-JP", "domain-list")
            .messages
            .iter()
            .any(|m| m.contains("承諾") && m.contains("`Accept`"))
    );
    assert!(
        page("ru-RU", "domain-list")
            .messages
            .iter()
            .any(|m| m.contains("Авторизация") && m.contains("`Authorization`"))
    );
    // ru-RU `Принять-Язык`: Accept-Language.
    assert!(
        page("ru-RU", "application-post-onlinemeetings")
            .headers
            .contains(&("Accept-Language".to_owned(), false))
    );
    // ja-JP `優先: outlook.timezone`: Prefer, as ru-RU's `Prefer: outlook.timezone`.
    for lang in ["ru-RU", "ja-JP"] {
        assert!(
            page(lang, "calendar-getschedule")
                .headers
                .contains(&("Prefer".to_owned(), false)),
            "{lang}"
        );
    }
    // ja-JP `コンテンツの長さ`, ru-RU `Content-Length`: the HTTP layer's, not emitted (it
    // was a required constructor argument when read from the prose).
    for lang in ["ru-RU", "ja-JP"] {
        assert_eq!(page(lang, "message-send").headers, headers(&[]), "{lang}");
    }
}

#[test]
fn required_follows_the_examples_in_every_language() {
    for lang in ["ru-RU", "ja-JP"] {
        // Planner lists If-Match under `optional-request-headers`; every example sends it.
        assert_eq!(
            page(lang, "plannertask-update").headers,
            headers(&[("If-Match", true)]),
            "{lang}"
        );
        // A drive item's If-Match is optional: the examples do not send it.
        assert!(
            page(lang, "driveitem-delete")
                .headers
                .contains(&("If-Match".to_owned(), false)),
            "{lang}"
        );
        // Closing a workbook session names the session: every example sends it.
        assert_eq!(
            page(lang, "workbook-closesession").headers,
            headers(&[("Workbook-Session-Id", true)]),
            "{lang}"
        );
        assert!(
            page(lang, "chart-delete")
                .headers
                .contains(&("Workbook-Session-Id".to_owned(), false)),
            "{lang}"
        );
    }
    // ConsistencyLevel is never required (the prose says "required with $search").
    assert_eq!(
        page("ru-RU", "user-list").headers,
        headers(&[("ConsistencyLevel", false)])
    );
    // BitLocker recovery keys: User-Agent in every example; ocp-client-name too, but it
    // is only ever optional (debugging).
    assert_eq!(
        page("ru-RU", "bitlocker-list-recoverykeys").headers,
        headers(&[
            ("User-Agent", true),
            ("ocp-client-name", false),
            ("ocp-client-version", false),
        ])
    );
}

#[test]
fn both_editions_give_the_same_headers() {
    let ru = whole("ru-RU");
    let ja = whole("ja-JP");
    let both: Vec<&String> = ru
        .keys()
        .filter(|p| ja.contains_key(*p) && ru[*p].imported && ja[*p].imported)
        .collect();
    let mut same = 0;
    let mut source_differences = Vec::new();
    let mut reading_differences = Vec::new();
    for name in &both {
        let (a, b) = (&ru[*name].headers, &ja[*name].headers);
        if a == b {
            same += 1;
            continue;
        }
        // A header one edition emits and the other does not: a real difference of the
        // sources when the other edition's page does not mention it at all.
        // Checked against the other edition's page: ru-RU's extra headers in ja-JP's text,
        // ja-JP's in ru-RU's.
        let texts = [
            (
                "ja-JP",
                edition("ja-JP").join("api").join(format!("{name}.md")),
            ),
            (
                "ru-RU",
                edition("ru-RU").join("api").join(format!("{name}.md")),
            ),
        ];
        let mut explained = true;
        for ((_, file), (mine, theirs)) in texts.iter().zip([(a, b), (b, a)]) {
            let text = std::fs::read_to_string(file).unwrap();
            for (header, required) in mine.difference(theirs) {
                let only_required_differs = theirs.contains(&(header.clone(), !required));
                if only_required_differs || read::mentions_header(&text, header) {
                    explained = false;
                }
            }
        }
        let line = format!(
            "{name}: ru-RU {:?}, ja-JP {:?}",
            a.iter().collect::<Vec<_>>(),
            b.iter().collect::<Vec<_>>()
        );
        if explained {
            source_differences.push(line);
        } else {
            reading_differences.push(line);
        }
    }
    let agree = 100.0 * same as f64 / both.len() as f64;
    println!(
        "pages imported in both editions: {}; the same headers: {same} ({agree:.1}%); the sources differ on {}, the reading on {}",
        both.len(),
        source_differences.len(),
        reading_differences.len()
    );
    for line in &source_differences {
        println!("  source: {line}");
    }
    assert!(
        reading_differences.is_empty(),
        "the same page reads differently: {reading_differences:#?}"
    );
    assert!(both.len() > 1300, "{} pages in both", both.len());
}
