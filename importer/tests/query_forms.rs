//! Request lines whose meaning is in their query string (`read::forms`, rules 1–3), over
//! the real pages of two editions: `../shared/graph-docs/ru-RU/v1.0` and
//! `../shared/graph-docs/ja-JP/v1.0`.
//!
//! - a line whose path is another page's request (`GET /me?$expand=manager`), a line
//!   beside the page's own requests with another path, and a line that expands a
//!   relationship are not forms, with a `request.query-form` warning;
//! - a page that would be left with no line keeps its lines as forms and says so
//!   (`request.query-forms-only`, imported partly);
//! - every other line keeps its path with the request's own parameters as its fixed query
//!   (`request.query-parameters`: `startDateTime`, `search`), and its OData options are
//!   noted (`request.query-stripped`);
//! - over every page of both editions, no form of another page sends a path a page
//!   documents without a query, and no form was written with `$expand` (both except on
//!   the pages with `request.query-forms-only`, which are listed).

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use graphspec_importer::page::{ImportStatus, OperationView, PageResult};
use graphspec_importer::read;

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
    status: ImportStatus,
    view: Option<OperationView>,
    codes: Vec<&'static str>,
    form_queries: Vec<Option<String>>,
}

impl Page {
    fn of(r: &PageResult) -> Page {
        Page {
            page: r.page.clone(),
            status: r.status,
            view: r.operation.as_ref().map(OperationView::from),
            codes: r.diagnostics.iter().map(|d| d.code.as_str()).collect(),
            form_queries: r.form_queries.clone(),
        }
    }

    fn forms(&self) -> Vec<(String, String)> {
        self.view
            .iter()
            .flat_map(|v| &v.forms)
            .map(|f| (f.method.clone(), f.path.clone()))
            .collect()
    }

    fn count(&self, code: &str) -> usize {
        self.codes.iter().filter(|c| **c == code).count()
    }
}

/// Every page of an edition, read as `graphspec import` reads it.
fn whole(lang: &str) -> &'static [Page] {
    static RU: OnceLock<Vec<Page>> = OnceLock::new();
    static JA: OnceLock<Vec<Page>> = OnceLock::new();
    let cell = if lang == "ru-RU" { &RU } else { &JA };
    cell.get_or_init(|| {
        let pages = read::read_dir(&edition(lang), &mut |_, _| {})
            .unwrap_or_else(|e| panic!("the {lang} docs corpus in ../shared: {e}"));
        assert!(pages.len() > 1000, "{lang}: {} pages", pages.len());
        pages.iter().map(Page::of).collect()
    })
}

/// One page read alone (with its folder's requests, as `graphspec inspect` reads it).
fn alone(lang: &str, page: &str) -> Page {
    let file = edition(lang).join("api").join(format!("{page}.md"));
    let results = read::read_files(&[file], &mut |_, _| {}).unwrap();
    Page::of(&results[0])
}

fn pair(method: &str, path: &str) -> (String, String) {
    (method.to_owned(), path.to_owned())
}

#[test]
fn list_manager_keeps_only_its_own_requests_in_both_editions() {
    for lang in ["ru-RU", "ja-JP"] {
        let p = alone(lang, "user-list-manager");
        assert_eq!(
            p.forms(),
            vec![
                pair("GET", "/me/manager"),
                pair("GET", "/users/{id | userPrincipalName}/manager"),
            ],
            "{lang}"
        );
        let constructors: Vec<Option<String>> = p
            .view
            .iter()
            .flat_map(|v| &v.forms)
            .map(|f| f.constructor.clone())
            .collect();
        assert_eq!(constructors, vec![None, None], "{lang}: derived names");
        assert_eq!(p.form_queries, vec![None, None], "{lang}");
    }
    // ru-RU documents the chain of managers as `GET /me?$expand=manager` (user-get's
    // path), `GET /users?$expand=…` and `GET /users/{id}?$expand=…`; ja-JP (2019) does
    // not: a real difference of the sources, with the same definition as the result.
    let ru = alone("ru-RU", "user-list-manager");
    assert_eq!(ru.count("request.query-form"), 3);
    assert_eq!(ru.status, ImportStatus::Partly);
    assert_eq!(
        alone("ja-JP", "user-list-manager").count("request.query-form"),
        0
    );
}

#[test]
fn a_page_read_alone_reads_as_in_its_folder() {
    let whole = whole("ru-RU");
    for page in [
        "user-list-manager",
        "onlinemeeting-get",
        "singlevaluelegacyextendedproperty-get",
        "calendar-list-calendarview",
    ] {
        let in_folder = whole.iter().find(|p| p.page == page).unwrap();
        let read_alone = alone("ru-RU", page);
        assert_eq!(read_alone.view, in_folder.view, "{page}");
        assert_eq!(read_alone.codes, in_folder.codes, "{page}");
    }
}

#[test]
fn lines_beside_the_pages_own_requests_are_not_forms() {
    // onlinemeeting-get: `GET /me/onlineMeetings?$filter=JoinWebUrl eq '{joinWebUrl}'`
    // beside `GET /me/onlineMeetings/{meetingId}` (a collection filtered to one meeting)
    // is not a form of the page's operation: it is a lookup, an operation of its own with
    // its `$filter` fixed (`section_requests.rs`).
    let p = alone("ru-RU", "onlinemeeting-get");
    assert_eq!(p.count("request.query-form"), 0);
    assert_eq!(p.count("request.lookup-operation"), 2);
    assert!(
        p.forms()
            .iter()
            .all(|(_, path)| !path.ends_with("/onlineMeetings")),
        "{:?}",
        p.forms()
    );
    assert!(
        p.forms()
            .contains(&pair("GET", "/me/onlineMeetings/{meetingId}"))
    );
    // todotask-delta: a follow-up call with a literal list id and a `$deltatoken`.
    let p = alone("ru-RU", "todotask-delta");
    assert_eq!(p.count("request.query-form"), 1);
    assert!(p.forms().iter().all(|(_, path)| !path.contains("gDbc8U7")));
}

#[test]
fn pages_whose_requests_are_all_other_pages_requests_say_so() {
    for lang in ["ru-RU", "ja-JP"] {
        for page in [
            "singlevaluelegacyextendedproperty-get",
            "multivaluelegacyextendedproperty-get",
        ] {
            let p = alone(lang, page);
            assert_eq!(p.status, ImportStatus::Partly, "{lang} {page}");
            assert_eq!(p.count("request.query-forms-only"), 1, "{lang} {page}");
            assert_eq!(p.count("request.query-form"), 0, "{lang} {page}");
            assert!(p.forms().len() >= 18, "{lang} {page}");
            assert!(
                p.form_queries.iter().all(Option::is_some),
                "{lang} {page}: every form was written with a query"
            );
        }
        // The extension is read at its own path; the `$expand`/`$filter` reads of its
        // parents are not forms.
        let p = alone(lang, "opentypeextension-get");
        assert!(p.count("request.query-form") >= 14, "{lang}");
        assert_eq!(p.count("request.query-forms-only"), 0, "{lang}");
        assert!(
            p.forms()
                .iter()
                .all(|(_, path)| path.to_ascii_lowercase().contains("/extensions/")),
            "{lang}: {:?}",
            p.forms()
        );
    }
    // ru-RU only: the federation "get" is the list's path with a `$filter`; the
    // agreement's files are the agreement read with `$expand=files` (rule 3: no other
    // page has that path).
    for page in [
        "samlorwsfedexternaldomainfederation-get",
        "agreement-list-files",
    ] {
        let p = alone("ru-RU", page);
        assert_eq!(p.status, ImportStatus::Partly, "{page}");
        assert_eq!(p.count("request.query-forms-only"), 1, "{page}");
    }
    // The site search is `GET /sites` with `search=`, a parameter of Graph's own (not
    // OData's `$search`): a request of its own, in both editions, whether or not the
    // edition has site-list's `GET /sites` (ja-JP has not).
    for lang in ["ru-RU", "ja-JP"] {
        let p = alone(lang, "site-search");
        assert_eq!(
            p.forms(),
            vec![pair("GET", "/sites?search={query}")],
            "{lang}"
        );
        assert_eq!(p.form_queries, vec![None], "{lang}");
        assert_eq!(p.count("request.query-parameters"), 1, "{lang}");
        assert_eq!(p.count("request.query-forms-only"), 0, "{lang}");
        assert_eq!(p.status, ImportStatus::Full, "{lang}");
    }
}

#[test]
fn a_query_on_the_pages_own_path_is_the_callers() {
    for lang in ["ru-RU", "ja-JP"] {
        // The parameters of the path's own request: the form's fixed query, noted.
        let p = alone(lang, "calendar-list-calendarview");
        assert!(!p.forms().is_empty(), "{lang}");
        assert_eq!(p.count("request.query-form"), 0, "{lang}");
        assert_eq!(p.count("request.query-stripped"), 0, "{lang}");
        assert!(
            p.count("request.query-parameters") >= p.forms().len(),
            "{lang}"
        );
        assert!(
            p.forms().iter().all(|(_, path)| path
                .ends_with("?startDateTime={start_datetime}&endDateTime={end_datetime}")),
            "{lang}: {:?}",
            p.forms()
        );
        assert!(p.form_queries.iter().all(Option::is_none), "{lang}");
    }
    // A list that Graph only serves filtered: the filter is the caller's (`.filter(…)`).
    let p = alone("ru-RU", "policyroot-list-rolemanagementpolicies");
    assert_eq!(
        p.forms(),
        vec![pair("GET", "/policies/roleManagementPolicies")]
    );
    assert_eq!(p.count("request.query-form"), 0);
}

/// (method, path shape): placeholders emptied, ASCII lower case (as the importer
/// compares forms).
fn shape(method: &str, path: &str) -> (String, String) {
    let mut out = String::new();
    let mut depth = 0;
    for c in path.chars() {
        match c {
            '{' => {
                depth += 1;
                out.push('{');
            }
            '}' => {
                depth -= 1;
                out.push('}');
            }
            _ if depth > 0 => {}
            _ => out.push(c.to_ascii_lowercase()),
        }
    }
    (method.to_owned(), out)
}

#[test]
fn no_form_sends_another_pages_request_in_either_edition() {
    for lang in ["ru-RU", "ja-JP"] {
        let pages = whole(lang);
        // Requests each page's operation sends without a query.
        let mut owners: BTreeMap<(String, String), BTreeSet<&str>> = BTreeMap::new();
        for p in pages {
            for ((method, path), query) in p.forms().iter().zip(&p.form_queries) {
                if query.is_none() {
                    owners
                        .entry(shape(method, path))
                        .or_default()
                        .insert(&p.page);
                }
            }
        }
        let mut with_query = 0;
        let mut dropped = 0;
        let mut only_query = Vec::new();
        for p in pages {
            dropped += p.count("request.query-form");
            if p.count("request.query-forms-only") > 0 {
                only_query.push(p.page.as_str());
                continue;
            }
            assert_eq!(
                p.form_queries.len(),
                p.forms().len(),
                "{lang} {}: a query per form",
                p.page
            );
            for ((method, path), query) in p.forms().iter().zip(&p.form_queries) {
                let Some(query) = query else { continue };
                with_query += 1;
                let others: Vec<&&str> = owners
                    .get(&shape(method, path))
                    .into_iter()
                    .flatten()
                    .filter(|o| **o != p.page)
                    .collect();
                assert!(
                    others.is_empty(),
                    "{lang} {}: `{method} {path}?{query}` is the request of {others:?}",
                    p.page
                );
                assert!(
                    !query.to_ascii_lowercase().contains("expand="),
                    "{lang} {}: `{method} {path}?{query}`",
                    p.page
                );
            }
        }
        println!(
            "{lang}: {} pages; {dropped} request lines whose meaning is in their query are not forms; {with_query} forms keep their own path with the query noted; {} pages have no request of their own (request.query-forms-only): {only_query:?}",
            pages.len(),
            only_query.len()
        );
    }
}
