//! The docs reader over the real corpus: `../shared/graph-docs/ru-RU/v1.0` (2,424
//! operation pages, 1,492 resource pages).
//!
//! - every page is read without a panic; at least 99% import with method, path,
//!   permissions and response, the rest are reported with their reasons;
//! - at least 98% of the example requests (`"blockType": "request"`) route to exactly
//!   their page's operation, with path parameters extracted;
//! - names are unique per resource module;
//! - the same pages with their prose and labels in other languages give the same
//!   definitions;
//! - each permissions table shape of the corpus is read as the page means it.
//!
//! Run with `--nocapture` to see the numbers. The corpus is required: without it the
//! tests fail.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

use graphspec_codegen::docs::{
    self, Diagnostic, ExampleRequest, ExampleRouting, ImportStatus, OperationView, PageResult,
    ResourceIndex, Routed, Severity,
};

fn corpus_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/graph-docs/ru-RU/v1.0")
}

/// What the tests need of a [`PageResult`] (which is not `Sync`: the model keeps
/// `proc_macro2` spans and `syn` types).
struct Summary {
    page: String,
    resource: String,
    name: String,
    status: ImportStatus,
    complete: bool,
    view: Option<OperationView>,
    diagnostics: Vec<Diagnostic>,
    examples: Vec<ExampleRequest>,
}

impl Summary {
    fn of(r: &PageResult) -> Summary {
        Summary {
            page: r.page.clone(),
            resource: r.resource.clone(),
            name: r.name.clone(),
            status: r.status,
            complete: r.is_complete(),
            view: r.operation.as_ref().map(OperationView::from),
            diagnostics: r.diagnostics.clone(),
            examples: r.examples.clone(),
        }
    }
}

struct Corpus {
    resources: ResourceIndex,
    /// (file name, text) of every operation page, sorted.
    pages: Vec<(String, String)>,
    results: Vec<Summary>,
    routing: Vec<ExampleRouting>,
    panics: Vec<String>,
    elapsed: Duration,
}

fn read_md(dir: &Path) -> Vec<(String, String)> {
    let entries = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("the docs corpus must exist at {}: {e}", dir.display()));
    let mut out: Vec<(String, String)> = entries
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "md"))
        .map(|p| {
            let name = p.file_name().unwrap().to_string_lossy().into_owned();
            let text = std::fs::read_to_string(&p).unwrap();
            (name, text)
        })
        .collect();
    out.sort();
    out
}

fn corpus() -> &'static Corpus {
    static CORPUS: OnceLock<Corpus> = OnceLock::new();
    CORPUS.get_or_init(|| {
        let dir = corpus_dir();
        let resource_pages = read_md(&dir.join("resources"));
        let pages = read_md(&dir.join("api"));
        assert!(
            pages.len() > 2000,
            "expected the full corpus, found {} pages",
            pages.len()
        );
        let start = Instant::now();
        let resources = ResourceIndex::from_pages(resource_pages.iter().map(|(n, t)| (n, t)));
        let mut results = Vec::new();
        let mut panics = Vec::new();
        for (name, text) in &pages {
            match std::panic::catch_unwind(|| docs::read_page(name, text, &resources)) {
                Ok(result) => results.push(result),
                Err(_) => panics.push(name.clone()),
            }
        }
        docs::assign_names(&mut results);
        let elapsed = start.elapsed();
        let routing = docs::route_examples(&results);
        Corpus {
            resources,
            pages,
            results: results.iter().map(Summary::of).collect(),
            routing,
            panics,
            elapsed,
        }
    })
}

fn result(page: &str) -> &'static Summary {
    corpus()
        .results
        .iter()
        .find(|r| r.page == page)
        .unwrap_or_else(|| panic!("no page {page}"))
}

fn view(page: &str) -> OperationView {
    let r = result(page);
    r.view
        .clone()
        .unwrap_or_else(|| panic!("{page} not imported: {:#?}", r.diagnostics))
}

fn row(v: &OperationView, scheme: &str) -> (String, Vec<Vec<String>>) {
    let r = v.permissions.iter().find(|r| r.scheme == scheme).unwrap();
    (r.kind.to_owned(), r.scopes.clone())
}

fn scopes(list: &[&[&str]]) -> Vec<Vec<String>> {
    list.iter()
        .map(|a| a.iter().map(|s| s.to_string()).collect())
        .collect()
}

#[test]
fn corpus_imports_and_routes() {
    let c = corpus();
    assert!(c.panics.is_empty(), "panics on: {:?}", c.panics);
    let total = c.results.len();
    let mut by_status: BTreeMap<&str, usize> = BTreeMap::new();
    let mut complete = 0;
    let mut codes: BTreeMap<&str, usize> = BTreeMap::new();
    let mut not_imported = Vec::new();
    for r in &c.results {
        *by_status
            .entry(match r.status {
                ImportStatus::Full => "full",
                ImportStatus::Partly => "partly",
                ImportStatus::Not => "not",
            })
            .or_default() += 1;
        if r.complete {
            complete += 1;
        }
        for d in &r.diagnostics {
            *codes.entry(d.code).or_default() += 1;
        }
        if r.view.is_none() {
            let reasons: Vec<String> = r
                .diagnostics
                .iter()
                .filter(|d| d.severity == Severity::Error)
                .map(|d| format!("{}: {}", d.code, d.message))
                .collect();
            not_imported.push(format!("{}: {}", r.page, reasons.join("; ")));
        }
    }
    let routing = &c.routing;
    let routed = routing.iter().filter(|r| r.ok).count();
    let mut failures: Vec<String> = Vec::new();
    let mut failure_kinds: BTreeMap<&str, usize> = BTreeMap::new();
    for r in routing.iter().filter(|r| !r.ok) {
        let page = &c.results[r.page];
        let example = &page.examples[r.example];
        let (kind, detail) = match &r.routed {
            Routed::Matched(m) if r.shared => (
                "same-endpoint-owned-elsewhere",
                c.results[m.page].page.clone(),
            ),
            Routed::Matched(m) => ("routed-elsewhere", c.results[m.page].page.clone()),
            Routed::Ambiguous { candidates } => (
                "ambiguous",
                candidates
                    .iter()
                    .map(|m| c.results[m.page].page.clone())
                    .collect::<Vec<_>>()
                    .join(","),
            ),
            Routed::NoMatch => ("no-match", String::new()),
            Routed::NotGraph { host } => ("not-graph", host.clone()),
        };
        *failure_kinds.entry(kind).or_default() += 1;
        failures.push(format!(
            "{}: {} {} → {kind} {detail}",
            page.page, example.method, example.url
        ));
    }
    let shared = routing.iter().filter(|r| r.shared).count();
    let via_equivalence = routing
        .iter()
        .filter(|r| r.ok && matches!(&r.routed, Routed::Matched(m) if !m.equivalences.is_empty()))
        .count();
    let with_params = routing
        .iter()
        .filter(|r| matches!(&r.routed, Routed::Matched(m) if !m.params.is_empty()))
        .count();

    println!("pages: {total}, read in {:.2?}", c.elapsed);
    println!("status: {by_status:?}");
    println!(
        "imported with method, path, all permission rows and response: {complete} ({:.2}%)",
        100.0 * complete as f64 / total as f64
    );
    println!(
        "example requests: {}, routed to their own operation: {routed} ({:.2}%), with path parameters: {with_params}",
        routing.len(),
        100.0 * routed as f64 / routing.len().max(1) as f64
    );
    println!(
        "  of which through a path equivalence: {via_equivalence}; routed to another page documenting the same endpoint: {shared}"
    );
    println!("routing failures by kind: {failure_kinds:?}");
    println!("diagnostic codes: {codes:#?}");
    println!("not imported ({}):", not_imported.len());
    for line in &not_imported {
        println!("  {line}");
    }
    println!("not routed ({}):", failures.len());
    for line in &failures {
        println!("  {line}");
    }

    assert!(
        complete as f64 >= 0.99 * total as f64,
        "only {complete} of {total} pages imported completely"
    );
    assert!(
        routed as f64 >= 0.98 * routing.len() as f64,
        "only {routed} of {} examples routed",
        routing.len()
    );
    if !cfg!(debug_assertions) {
        assert!(c.elapsed < Duration::from_secs(5), "took {:?}", c.elapsed);
    }
}

#[test]
fn names_are_unique_per_module() {
    let c = corpus();
    let mut seen: HashMap<(&str, &str), &str> = HashMap::new();
    for r in &c.results {
        if let Some(other) = seen.insert((&r.resource, &r.name), &r.page) {
            panic!(
                "{}::{} is both {} and {}",
                r.resource, r.name, other, r.page
            );
        }
        assert!(
            r.view.as_ref().is_none_or(|op| op.name == r.name),
            "{}: operation name differs",
            r.page
        );
    }
}

#[test]
fn seed_page() {
    let v = view("user-reprocesslicenseassignment");
    assert_eq!(v.name, "ReprocessLicenseAssignment");
    assert_eq!(result("user-reprocesslicenseassignment").resource, "user");
    assert_eq!(v.forms.len(), 1);
    assert_eq!(v.forms[0].method, "POST");
    assert_eq!(v.forms[0].path, "/users/{id}/reprocessLicenseAssignment");
    assert_eq!(
        row(&v, "DelegatedWork"),
        (
            "scopes".into(),
            scopes(&[&["User.ReadWrite.All"], &["Directory.ReadWrite.All"]])
        )
    );
    assert_eq!(row(&v, "DelegatedPersonal").0, "unsupported");
    assert_eq!(row(&v, "Application").1, row(&v, "DelegatedWork").1);
    assert_eq!(v.response.status, 200);
    assert_eq!(v.response.kind, "one");
    assert_eq!(v.response.ty.as_deref(), Some("crate::model::User"));
    assert_eq!(v.body, None);
    assert!(v.headers.is_empty());
    assert_eq!(
        result("user-reprocesslicenseassignment").status,
        ImportStatus::Full
    );
}
