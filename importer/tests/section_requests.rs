//! Requests documented in later sections of a page (`read::sections`), over the real
//! pages of two editions: `../shared/graph-docs/ru-RU/v1.0` and
//! `../shared/graph-docs/ja-JP/v1.0`.
//!
//! - a template request under a heading of its own, with another response than the
//!   page's operation, is an operation of its own with the page's permissions, its
//!   section's response and a reference link to the section;
//! - one with the operation's method and response is one more form of the operation;
//! - an example (a full URL, literal ids), another page's request, and a request one of
//!   the operation's forms already serves add nothing;
//! - a request that cannot be typed (no response follows it) is a warning, not lost
//!   silently;
//! - every page of both editions is read without a panic, and each section operation
//!   has a request no other form of its page has.

use std::path::{Path, PathBuf};

use graphspec_importer::page::{OperationView, PageResult};
use graphspec_importer::read;

fn edition(lang: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../shared/graph-docs")
        .join(lang)
        .join("v1.0")
}

/// The pages of one edition named in `names`, read with the requests of every page of
/// their folder.
fn pages(lang: &str, names: &[&str]) -> Vec<PageResult> {
    let files: Vec<PathBuf> = names
        .iter()
        .map(|n| edition(lang).join("api").join(format!("{n}.md")))
        .collect();
    read::read_files(&files, &mut |_, _| {})
        .unwrap_or_else(|e| panic!("the {lang} docs corpus in ../shared: {e}"))
}

fn forms(view: &OperationView) -> Vec<String> {
    view.forms
        .iter()
        .map(|f| format!("{} {}", f.method, f.path))
        .collect()
}

fn sections(page: &PageResult) -> Vec<(Option<String>, OperationView)> {
    page.sections
        .iter()
        .map(|s| (s.anchor.clone(), OperationView::from(&s.operation)))
        .collect()
}

fn codes(page: &PageResult) -> Vec<&'static str> {
    page.diagnostics.iter().map(|d| d.code.as_str()).collect()
}

#[test]
fn a_section_with_another_response_is_an_operation_of_its_own() {
    for lang in ["ru-RU", "ja-JP"] {
        let read = pages(
            lang,
            &["drive-get-specialfolder", "driveitem-list-thumbnails"],
        );
        let special = &read[0];
        if lang == "ru-RU" {
            let found = sections(special);
            assert_eq!(found.len(), 1, "{lang}: {found:?}");
            let (anchor, op) = &found[0];
            assert_eq!(anchor.as_deref(), Some("get-children-of-a-special-folder"));
            assert_eq!(
                forms(op),
                ["GET /me/drive/special/{special-folder-name}/children"]
            );
            assert_eq!(op.response.status, 200);
            assert_eq!(op.response.kind, "collection");
            assert_eq!(op.response.ty.as_deref(), Some("crate::model::DriveItem"));
            assert_eq!(
                op.docs_page.as_deref(),
                Some("drive-get-specialfolder#get-children-of-a-special-folder")
            );
            // The page's table, row for row.
            let own = OperationView::from(special.operation.as_ref().unwrap());
            assert_eq!(op.permissions, own.permissions);
            assert_eq!(forms(&own), ["GET /me/drive/special/{name}"]);
            assert!(codes(special).contains(&"request.section-operation"));
        }

        let thumbnails = &read[1];
        let found = sections(thumbnails);
        let written: Vec<(Vec<String>, u16, &str, Option<&str>)> = found
            .iter()
            .map(|(_, op)| {
                (
                    forms(op),
                    op.response.status,
                    op.response.kind,
                    op.response.ty.as_deref(),
                )
            })
            .collect();
        assert_eq!(
            written,
            [
                (
                    vec!["GET /me/drive/items/{item-id}/thumbnails/{thumb-id}/{size}".to_owned()],
                    200,
                    "one",
                    Some("crate::model::Thumbnail")
                ),
                (
                    vec![
                        "GET /me/drive/items/{item-id}/thumbnails/{thumb-id}/{size}/content"
                            .to_owned()
                    ],
                    302,
                    "none",
                    None
                ),
            ],
            "{lang}"
        );
        // `children?$expand=thumbnails` is driveitem-list-children's request with an
        // option: that page's, not a section operation of this one.
        let own = OperationView::from(thumbnails.operation.as_ref().unwrap());
        assert!(
            !forms(&own).iter().any(|f| f.contains("children")),
            "{lang}: {:?}",
            forms(&own)
        );
    }
}

#[test]
fn a_section_with_the_operations_response_is_one_more_form() {
    for lang in ["ru-RU", "ja-JP"] {
        let read = pages(lang, &["driveitem-list-children"]);
        let own = OperationView::from(read[0].operation.as_ref().unwrap());
        assert!(
            forms(&own).contains(
                &"GET /drives/{drive-id}/root:/{path-relative-to-root}:/children".to_owned()
            ),
            "{lang}: {:?}",
            forms(&own)
        );
        assert!(read[0].sections.is_empty(), "{lang}");
        assert!(codes(&read[0]).contains(&"request.section-form"), "{lang}");
    }
    // Only the 2023 edition documents the `/me/drive/items/…` form of a format conversion
    // in a later section.
    let read = pages("ru-RU", &["driveitem-get-content-format"]);
    let own = OperationView::from(read[0].operation.as_ref().unwrap());
    assert_eq!(
        forms(&own),
        [
            "GET /drive/items/{item-id}/content?format={format}",
            "GET /drive/root:/{root-id}:/content?format={format}",
            "GET /me/drive/items/{item-id}/content?format={format}",
        ]
    );
}

#[test]
fn examples_other_pages_requests_and_served_requests_add_nothing() {
    for lang in ["ru-RU", "ja-JP"] {
        // drive-recent shows how to read a listed item: driveitem-get's request.
        // driveitemversion-get's `…/versions/current` is its own
        // `…/versions/{version-id}`. user-get's examples are full URLs.
        let names = ["drive-recent", "driveitemversion-get", "user-get"];
        let read = pages(lang, &names);
        for (name, page) in names.iter().zip(&read) {
            assert!(page.operation.is_some(), "{lang} {name}");
            assert!(
                page.sections.is_empty(),
                "{lang} {name}: {:?}",
                sections(page)
            );
            assert!(
                !codes(page).iter().any(|c| c.starts_with("request.section")),
                "{lang} {name}: {:?}",
                page.diagnostics
            );
        }
        let version = OperationView::from(read[1].operation.as_ref().unwrap());
        assert!(
            !forms(&version).iter().any(|f| f.ends_with("/current")),
            "{lang}"
        );
    }
}

#[test]
fn every_section_operation_has_a_request_of_its_own() {
    for lang in ["ru-RU", "ja-JP"] {
        let read = read::read_dir(&edition(lang), &mut |_, _| {})
            .unwrap_or_else(|e| panic!("the {lang} docs corpus in ../shared: {e}"));
        let mut total = 0;
        for page in &read {
            let own: Vec<String> = page
                .operation
                .iter()
                .flat_map(|op| OperationView::from(op).forms)
                .map(|f| format!("{} {}", f.method, f.path.to_ascii_lowercase()))
                .collect();
            for (anchor, op) in sections(page) {
                total += 1;
                // A later section's request names its section; a lookup is the HTTP
                // request section's.
                assert!(
                    anchor.is_some() || forms(&op).iter().all(|f| f.contains("?$filter=")),
                    "{lang} {}",
                    page.page
                );
                for form in forms(&op) {
                    assert!(
                        !own.contains(&form.to_ascii_lowercase()),
                        "{lang} {}: {form}",
                        page.page
                    );
                    assert!(
                        form.starts_with("GET ") || form.starts_with("DELETE "),
                        "{lang} {}: {form}",
                        page.page
                    );
                }
            }
        }
        println!("{lang}: {total} section operations");
        assert!(total >= 3, "{lang}: {total}");
    }
}

#[test]
fn a_section_request_that_cannot_be_typed_is_a_warning() {
    for lang in ["ru-RU", "ja-JP"] {
        // page-get shows `GET /me/onenote/pages/{id}/content[?includeIDs=true]`, which no
        // page of the corpus documents, with no response to type it by.
        let read = pages(lang, &["page-get"]);
        assert!(read[0].sections.is_empty(), "{lang}");
        let skipped: Vec<&str> = read[0]
            .diagnostics
            .iter()
            .filter(|d| d.code.as_str() == "request.section-skipped")
            .map(|d| d.message.as_str())
            .collect();
        assert_eq!(
            skipped,
            [
                "`GET /me/onenote/pages/{id}/content?includeIDs=true`: no example response follows it; skipped"
            ],
            "{lang}"
        );
    }
}

#[test]
fn a_filter_lookup_is_an_operation_of_its_own_with_its_filter_fixed() {
    // onlinemeeting-get documents reading a meeting by id, and finding meetings by their
    // join URL or video teleconference id: `$filter` lookups, answering collections.
    let read = pages("ru-RU", &["onlinemeeting-get"]);
    let page = &read[0];
    assert!(page.not_forms.is_empty(), "{:?}", page.not_forms);
    assert!(
        !codes(page).contains(&"request.query-form"),
        "{:?}",
        page.diagnostics
    );
    let found: Vec<(Vec<String>, &str, Option<String>)> = sections(page)
        .into_iter()
        .map(|(_, op)| (forms(&op), op.response.kind, op.response.ty.clone()))
        .collect();
    let meetings = Some("crate::model::OnlineMeeting".to_owned());
    assert_eq!(
        found,
        [
            (
                vec![
                    "GET /communications/onlineMeetings?$filter=VideoTeleconferenceId eq '{videoTeleconferenceId}'"
                        .to_owned()
                ],
                "collection",
                meetings.clone()
            ),
            (
                vec![
                    "GET /me/onlineMeetings?$filter=JoinWebUrl eq '{joinWebUrl}'".to_owned(),
                    "GET /users/{userId}/onlineMeetings?$filter=JoinWebUrl eq '{joinWebUrl}'"
                        .to_owned()
                ],
                "collection",
                meetings
            ),
        ]
    );
    assert_eq!(
        codes(page)
            .iter()
            .filter(|c| **c == "request.lookup-operation")
            .count(),
        2
    );
    // `$expand` lines are other pages' requests with an option: never lookups.
    let read = pages("ru-RU", &["user-list-manager", "opentypeextension-get"]);
    for page in &read {
        assert!(page.sections.is_empty(), "{}", page.page);
        assert!(!page.not_forms.is_empty(), "{}", page.page);
    }
}
