//! Forms the examples show (`example_forms`), over the real ru-RU corpus
//! (`../shared/graph-docs/ru-RU/v1.0`) and the v1.0 CSDL
//! (`../shared/graph-metadata/v1.0-metadata.xml`):
//!
//! - an example no operation serves, whose path the CSDL reads as addressing what its
//!   page's operation addresses, is one more form, its literal keys made placeholders;
//! - an example that contradicts its page (a `DELETE` without the `/$ref` the page
//!   documents, a stream property of what the page reads, a path the CSDL does not
//!   know) adds nothing;
//! - every adopted form is one the CSDL accounts for, and the example routes to it.

use std::path::Path;
use std::sync::OnceLock;

use graphspec_importer::csdl::Metadata;
use graphspec_importer::example_forms::{self, AdoptedForm};
use graphspec_importer::page::OperationView;
use graphspec_importer::read;
use graphspec_importer::routing::{Routed, Router};

struct Adopted {
    forms: Vec<AdoptedForm>,
    /// (page, its operation's forms after adoption, each example routed to its own page).
    pages: Vec<(String, Vec<String>, Vec<bool>)>,
}

/// `../shared`, beside the checkout.
fn shared() -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared")
}

/// The v1.0 CSDL, parsed once.
fn metadata() -> &'static Metadata {
    static CELL: OnceLock<Metadata> = OnceLock::new();
    CELL.get_or_init(|| {
        let csdl = std::fs::read_to_string(shared().join("graph-metadata/v1.0-metadata.xml"))
            .expect("the v1.0 CSDL in ../shared");
        Metadata::parse(&csdl).expect("the CSDL parses")
    })
}

fn adopted() -> &'static Adopted {
    static CELL: OnceLock<Adopted> = OnceLock::new();
    CELL.get_or_init(|| {
        let shared = shared();
        let mut pages = read::read_dir(&shared.join("graph-docs/ru-RU/v1.0"), &mut |_, _| {})
            .expect("the ru-RU docs corpus in ../shared");
        let metadata = metadata();
        let forms = example_forms::adopt(&mut pages, metadata);
        let router = Router::new(&pages);
        let pages = pages
            .iter()
            .enumerate()
            .map(|(index, p)| {
                let forms = p
                    .operation
                    .iter()
                    .flat_map(|op| OperationView::from(op).forms)
                    .map(|f| format!("{} {}", f.method, f.path))
                    .collect();
                let routed = p
                    .examples
                    .iter()
                    .map(|e| {
                        matches!(router.route(&e.method, &e.url), Routed::Matched(m) if m.page == index)
                    })
                    .collect();
                (p.page.clone(), forms, routed)
            })
            .collect();
        Adopted { forms, pages }
    })
}

fn page(name: &str) -> &'static (String, Vec<String>, Vec<bool>) {
    adopted()
        .pages
        .iter()
        .find(|(p, _, _)| p == name)
        .unwrap_or_else(|| panic!("{name} is not in the corpus"))
}

#[test]
fn an_example_through_another_path_to_the_same_thing_is_one_more_form() {
    let (_, forms, routed) = page("presence-get");
    assert!(
        forms.contains(&"GET /communications/presences/{presence-id}".to_owned()),
        "{forms:?}"
    );
    assert!(routed.iter().all(|r| *r), "{routed:?}");
    // A read answers what it addresses: the page's form lists the requests, its
    // response and its example are one request.
    let (_, forms, routed) = page("swapshiftschangerequest-get");
    assert!(
        forms.contains(
            &"GET /teams/{teamId}/schedule/swapShiftsChangeRequests/{swapShiftsChangeRequestId}"
                .to_owned()
        ),
        "{forms:?}"
    );
    assert!(routed.iter().all(|r| *r), "{routed:?}");
    // Names as the CSDL spells them.
    let (_, forms, _) = page("security-ediscoveryreviewset-get");
    assert!(
        forms
            .iter()
            .any(|f| f.starts_with("GET /security/cases/ediscoveryCases/{")),
        "{forms:?}"
    );
    // A `$value` and a `$ref` form are taken as they stand.
    assert!(
        page("profilephoto-update")
            .1
            .contains(&"PUT /teams/{team-id}/photo/$value".to_owned())
    );
    assert!(
        page("printershare-post-allowedgroups")
            .1
            .contains(&"POST /print/shares/{printerShareId}/allowedGroups/$ref".to_owned())
    );
}

#[test]
fn an_example_that_contradicts_its_page_adds_nothing() {
    // `DELETE …/members/{id}` would delete the user; the page removes the membership
    // (`/$ref`).
    let (_, forms, _) = page("educationclass-delete-members");
    assert!(forms.iter().all(|f| f.ends_with("/$ref")), "{forms:?}");
    // The banner logo is a stream property of the branding the page reads.
    let (_, forms, _) = page("organizationalbranding-get");
    assert!(!forms.iter().any(|f| f.contains("bannerLogo")), "{forms:?}");
    // `/termStore/{id}`: the CSDL's `termStore` of a site is one store, not a collection.
    let (_, forms, _) = page("termstore-relation-post");
    assert!(
        !forms.iter().any(|f| f.contains("/termStore/{")),
        "{forms:?}"
    );
    // `/worksheets/{id}/tables/{id}/add`: no `add` is bound to one table.
    let (_, forms, _) = page("worksheet-post-tables");
    assert!(!forms.iter().any(|f| f.ends_with("/{id}/add")), "{forms:?}");
}

#[test]
fn every_adopted_form_is_on_its_page_and_serves_its_example() {
    let adopted = adopted();
    assert!(adopted.forms.len() >= 5, "{}", adopted.forms.len());
    for form in &adopted.forms {
        let (_, forms, _) = page(&form.page);
        let written = format!("{} {}", form.method, form.template);
        assert!(forms.contains(&written), "{}: {written}", form.page);
        assert!(!form.template.contains("//"), "{written}");
        assert!(
            !form
                .template
                .split('/')
                .any(|s| s.len() >= 32 && s.chars().filter(|c| *c == '-').count() == 4),
            "a literal GUID left in {written}"
        );
    }
}

/// Forms written from below the service root are rooted where examples show them
/// (`example_forms::root`): by the form's own examples (ru-RU bookingbusiness-delete's
/// `/bookingBusinesses/{id}` under `/solutions`), by the page's examples of its other
/// forms (ja-JP chartaxis-get's `…/axes/seriesAxis`, whose example reads `…/valueAxis`),
/// by other pages' examples (ja-JP workbook-list-comments, whose example is written from
/// the workbook too); a form no example roots stays, with a warning (profilephoto-get's
/// `/team/{id}/photo`).
#[test]
fn forms_below_the_root_are_rooted_where_the_examples_show_them() {
    use graphspec_importer::example_forms::RootedBy;
    let shared = shared();
    let metadata = metadata();
    let read = |edition: &str, stems: &[&str]| {
        let dir = shared.join(format!("graph-docs/{edition}/v1.0/api"));
        let files: Vec<_> = stems.iter().map(|s| dir.join(format!("{s}.md"))).collect();
        let mut pages = read::read_files(&files, &mut |_, _| {}).expect("the pages read");
        let rooted = example_forms::root(&mut pages, metadata);
        (pages, rooted)
    };
    let forms = |pages: &[graphspec_importer::page::PageResult], stem: &str| -> Vec<String> {
        pages
            .iter()
            .find(|p| p.page == stem)
            .and_then(|p| p.operation.as_ref())
            .map(|op| op.forms.iter().map(|f| f.path.value.clone()).collect())
            .unwrap_or_default()
    };

    let (pages, rooted) = read("ru-RU", &["bookingbusiness-delete", "profilephoto-get"]);
    assert_eq!(
        forms(&pages, "bookingbusiness-delete"),
        ["/solutions/bookingBusinesses/{id}"]
    );
    assert!(
        rooted
            .iter()
            .any(|r| r.page == "bookingbusiness-delete" && r.by == Some(RootedBy::Examples))
    );
    let team = rooted
        .iter()
        .find(|r| r.page == "profilephoto-get" && r.written.starts_with("/team/"))
        .expect("the /team/ form is found below the root");
    assert!(team.rooted.is_empty() && team.by.is_none());
    let photo = pages.iter().find(|p| p.page == "profilephoto-get").unwrap();
    assert!(
        photo
            .diagnostics
            .iter()
            .any(|d| d.code.as_str() == "request.unrooted"),
        "{:?}",
        photo.diagnostics
    );

    let stems = [
        "chartaxis-get",
        "range-cell",
        "worksheet-usedrange",
        "workbook-list-comments",
    ];
    let (pages, rooted) = read("ja-JP", &stems);
    for stem in stems {
        let forms = forms(&pages, stem);
        assert!(
            !forms.is_empty()
                && forms
                    .iter()
                    .all(|f| f.starts_with("/me/drive/items/{item-id}/workbook/")),
            "{stem}: {forms:?}"
        );
    }
    let by = |stem: &str, needle: &str| {
        rooted
            .iter()
            .find(|r| r.page == stem && r.written.contains(needle))
            .and_then(|r| r.by)
    };
    assert_eq!(by("chartaxis-get", "valueAxis"), Some(RootedBy::Examples));
    assert_eq!(
        by("chartaxis-get", "seriesAxis"),
        Some(RootedBy::PageExamples)
    );
    // The example calls `cell(row=5,column=6)`: the bare call of the form matches it.
    assert_eq!(by("range-cell", "/names/"), Some(RootedBy::Examples));
    assert_eq!(
        by("range-cell", "/worksheets/"),
        Some(RootedBy::PageExamples)
    );
    assert_eq!(
        by("workbook-list-comments", "/comments"),
        Some(RootedBy::CorpusExamples)
    );
}

/// An example that reads the raw content of what its page reads (an `Edm.Stream`
/// property, `$value`), which no operation serves, is an operation of its own answering
/// `Vec<u8>` at each form of the page that addresses the same; one that replaces it (`PUT`)
/// on a page that updates the object sends `Vec<u8>` (`example_forms::content_requests`);
/// reads of other properties are not.
#[test]
fn reads_of_content_the_examples_show_are_operations_of_their_own() {
    let shared = shared();
    let metadata = metadata();
    let dir = shared.join("graph-docs/ru-RU/v1.0/api");
    let stems = [
        "organizationalbrandinglocalization-get",
        "organizationalbrandinglocalization-update",
        "chatmessagehostedcontent-get",
    ];
    let files: Vec<_> = stems.iter().map(|s| dir.join(format!("{s}.md"))).collect();
    let mut pages = read::read_files(&files, &mut |_, _| {}).expect("the pages read");
    let reads = example_forms::content_requests(&mut pages, metadata);
    let content_forms = |stem: &str| -> Vec<String> {
        let page = pages.iter().find(|p| p.page == stem).unwrap();
        page.sections
            .iter()
            .filter(|s| {
                matches!(&s.operation.response.body,
                    graphspec_codegen::model::ResponseBody::One(t)
                        if graphspec_codegen::expand::is_bytes(&t.ty))
            })
            .flat_map(|s| s.operation.forms.iter().map(|f| f.path.value.clone()))
            .collect()
    };
    // The banner logo, an `Edm.Stream`: read; `signInPageText`, a string, is no content.
    let logo = content_forms("organizationalbrandinglocalization-get");
    assert_eq!(
        logo,
        [
            "/organization/{organizationId}/branding/localizations/{organizationalBrandingLocalizationId}/bannerLogo"
        ]
    );
    // Hosted content's bytes, at every form of the page (chats and channels).
    let hosted = content_forms("chatmessagehostedcontent-get");
    assert!(
        hosted.len() >= 2 && hosted.iter().all(|f| f.ends_with("/$value")),
        "{hosted:?}"
    );
    // The `PUT` of a logo on the page that updates the localization: raw bytes sent.
    let update = pages
        .iter()
        .find(|p| p.page == "organizationalbrandinglocalization-update")
        .unwrap();
    let put: Vec<_> = update
        .sections
        .iter()
        .filter(|s| {
            s.operation.forms.iter().all(|f| f.method.value == "PUT")
                && s.operation
                    .body
                    .as_ref()
                    .is_some_and(|b| graphspec_codegen::expand::is_bytes(&b.ty))
        })
        .collect();
    assert_eq!(put.len(), 1);
    assert!(
        put[0].operation.forms[0]
            .path
            .value
            .ends_with("/bannerLogo")
    );
    assert!(
        reads
            .iter()
            .any(|r| r.page == "organizationalbrandinglocalization-update" && r.method == "PUT")
    );
    // Each example now routes to its page's new operation.
    let router = Router::new(&pages);
    for read in &reads {
        let index = pages.iter().position(|p| p.page == read.page).unwrap();
        assert!(
            matches!(router.route(&read.method, &read.example), Routed::Matched(m) if m.page == index),
            "{}",
            read.example
        );
    }
}

/// A later section's `GET` with no example response to type it by, which the reader skips,
/// is an operation answering `Vec<u8>` when the CSDL reads it as raw content: page-get's
/// `GET /me/onenote/pages/{id}/content[?includeIDs=true]` (a OneNote page's `content` is
/// an `Edm.Stream`), at every form of the page; the skip warning goes.
#[test]
fn a_later_sections_read_of_content_is_an_operation_of_its_own() {
    let shared = shared();
    let metadata = metadata();
    for edition in ["ru-RU", "ja-JP"] {
        let file = shared.join(format!("graph-docs/{edition}/v1.0/api/page-get.md"));
        let mut pages = read::read_files(&[file], &mut |_, _| {}).expect("the page reads");
        let skipped = |p: &graphspec_importer::page::PageResult| {
            p.diagnostics
                .iter()
                .filter(|d| d.code.as_str() == "request.section-skipped")
                .count()
        };
        let before = skipped(&pages[0]);
        assert!(
            before >= 1,
            "{edition}: the reader skips the section's request"
        );
        assert_eq!(pages[0].unanswered.len(), before);
        let made = example_forms::content_requests(&mut pages, metadata);
        assert_eq!(made.len(), 1, "{edition}: {made:?}");
        let anchor = made[0].section.clone().expect("a section's request");
        let page = &pages[0];
        assert_eq!(skipped(page), before - 1);
        let section = page
            .sections
            .iter()
            .find(|s| s.anchor.as_deref() == Some(anchor.as_str()))
            .expect("an operation of its own");
        let forms: Vec<&str> = section
            .operation
            .forms
            .iter()
            .map(|f| f.path.value.as_str())
            .collect();
        assert!(
            forms.len() >= 2 && forms.iter().all(|f| f.ends_with("/content")),
            "{edition}: {forms:?}"
        );
        assert!(matches!(&section.operation.response.body,
            graphspec_codegen::model::ResponseBody::One(t) if graphspec_codegen::expand::is_bytes(&t.ty)));
        assert_eq!(
            section
                .operation
                .docs_page
                .as_ref()
                .map(|d| d.value.clone()),
            Some(format!("page-get#{anchor}"))
        );
    }
}
