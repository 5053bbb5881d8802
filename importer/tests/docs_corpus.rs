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

use graphspec_importer::csdl::Metadata;
use graphspec_importer::diagnostic::{Code, Diagnostic, Severity};
use graphspec_importer::example_forms::{self, AdoptedForm, ContentRequest};
use graphspec_importer::function_calls;
use graphspec_importer::page::{
    ExampleRequest, ImportStatus, OperationView, PageResult, QueryLine,
};
use graphspec_importer::read::{self, RequestIndex, ResourceIndex};
use graphspec_importer::routing::{self, ExampleRouting, Routed};

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
    response_type: Option<String>,
    not_forms: Vec<QueryLine>,
    /// The paths of all the page's operations' forms, numbered as the router numbers them.
    forms: Vec<String>,
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
            response_type: r.response_type.clone(),
            not_forms: r.not_forms.clone(),
            forms: r
                .forms()
                .iter()
                .map(|(f, _)| f.path.value.clone())
                .collect(),
        }
    }
}

struct Corpus {
    resources: ResourceIndex,
    requests: RequestIndex,
    /// (file name, text) of every operation page, sorted.
    pages: Vec<(String, String)>,
    results: Vec<Summary>,
    routing: Vec<ExampleRouting>,
    /// The forms the examples show ([`example_forms::adopt`]).
    adopted: Vec<AdoptedForm>,
    /// The reads and writes of content the examples show
    /// ([`example_forms::content_requests`]).
    content_requests: Vec<ContentRequest>,
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
        let requests = RequestIndex::from_pages(pages.iter().map(|(n, t)| (n, t)));
        let mut results = Vec::new();
        let mut panics = Vec::new();
        for (name, text) in &pages {
            match std::panic::catch_unwind(|| read::read_page(name, text, &resources, &requests)) {
                Ok(result) => results.push(result),
                Err(_) => panics.push(name.clone()),
            }
        }
        read::assign_names(&mut results);
        let elapsed = start.elapsed();
        // The forms the examples root and show, and the function calls the CSDL
        // completes, as `import` does with the CSDL.
        let csdl_path = corpus_dir().join("../../../graph-metadata/v1.0-metadata.xml");
        let csdl = std::fs::read_to_string(&csdl_path)
            .unwrap_or_else(|e| panic!("{}: {e}", csdl_path.display()));
        let metadata = Metadata::parse(&csdl).expect("the v1.0 CSDL parses");
        example_forms::root(&mut results, &metadata);
        let adopted = example_forms::adopt(&mut results, &metadata);
        let content_requests = example_forms::content_requests(&mut results, &metadata);
        function_calls::complete(&mut results, &metadata);
        let routing = routing::route_examples(&results);
        Corpus {
            resources,
            requests,
            pages,
            results: results.iter().map(Summary::of).collect(),
            routing,
            adopted,
            content_requests,
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
            *codes.entry(d.code.as_str()).or_default() += 1;
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
    let strict = routing.iter().filter(|r| r.ok).count();
    let not_graph = routing
        .iter()
        .filter(|r| matches!(r.routed, Routed::NotGraph { .. }))
        .count();
    // Routed: to exactly one imported operation, parameters extracted. Of those: to the
    // page's own operation, to the page that owns the same endpoint when several pages
    // document it (`shared`), or to another operation whose template the request
    // matches (the example calls another documented endpoint).
    let routed = routing
        .iter()
        .filter(|r| matches!(r.routed, Routed::Matched(_)))
        .count();
    // Examples of a request line whose meaning is in its OData options
    // (`request.query-form`): the plain request's operation serves them with the
    // caller's options when one sends the path (`GET /me?$expand=manager` is
    // `user::GetUser`); when none does, they are not routing failures either.
    let of_not_a_form = |r: &ExampleRouting| {
        is_not_a_form(
            &c.results[r.page].not_forms,
            &c.results[r.page].examples[r.example],
        )
    };
    let not_a_form = |r: &ExampleRouting| matches!(r.routed, Routed::NoMatch) && of_not_a_form(r);
    let by_plain_request = |r: &ExampleRouting| {
        !r.ok && !r.shared && matches!(r.routed, Routed::Matched(_)) && of_not_a_form(r)
    };
    let served = |r: &ExampleRouting| r.ok || r.shared || by_plain_request(r);
    let own_or_shared = routing.iter().filter(|r| served(r)).count();
    let plain = routing.iter().filter(|r| by_plain_request(r)).count();
    // The examples that are one of their page's documented requests (its HTTP request
    // section's lines, read here from the page's text without the importer): the docs
    // contradict themselves on the others (`DELETE /me/calendar` on a page documenting
    // `DELETE /me/calendars/{id}`), so no routing can reach the page's operation there.
    let documented: HashMap<usize, Vec<(String, String)>> = routing
        .iter()
        .map(|r| r.page)
        .collect::<std::collections::BTreeSet<_>>()
        .into_iter()
        .map(|page| {
            let name = format!("{}.md", c.results[page].page);
            let text = c
                .pages
                .iter()
                .find(|(n, _)| *n == name)
                .map_or("", |(_, t)| t.as_str());
            (page, documented_requests(text))
        })
        .collect();
    let is_documented = |r: &ExampleRouting| {
        let example = &c.results[r.page].examples[r.example];
        documented[&r.page]
            .iter()
            .any(|(method, template)| fits(method, template, example))
    };
    let not_forms = routing.iter().filter(|r| not_a_form(r)).count();
    let graph_examples = routing.len() - not_graph - not_forms;
    let counted = |r: &ExampleRouting| {
        !matches!(r.routed, Routed::NotGraph { .. }) && !not_a_form(r) && is_documented(r)
    };
    let documented_examples = routing.iter().filter(|r| counted(r)).count();
    let documented_served = routing.iter().filter(|r| counted(r) && served(r)).count();
    // Examples on pages that are not imported cannot route.
    let on_not_imported = routing
        .iter()
        .filter(|r| !r.ok && c.results[r.page].view.is_none())
        .count();
    let mut failures: Vec<String> = Vec::new();
    let mut failure_kinds: BTreeMap<&str, usize> = BTreeMap::new();
    let mut failure_reasons: BTreeMap<&str, usize> = BTreeMap::new();
    // The examples that did not reach the operation serving their page's request.
    for r in routing.iter().filter(|r| !served(r)) {
        let page = &c.results[r.page];
        let example = &page.examples[r.example];
        let (kind, detail) = match &r.routed {
            Routed::Matched(m) => ("routed-elsewhere", c.results[m.page].page.clone()),
            Routed::Ambiguous { candidates } => (
                "ambiguous",
                candidates
                    .iter()
                    .map(|m| c.results[m.page].page.clone())
                    .collect::<Vec<_>>()
                    .join(","),
            ),
            Routed::NoMatch if not_a_form(r) => ("not-a-form", String::new()),
            Routed::NoMatch => ("no-match", String::new()),
            Routed::NotGraph { host } => ("not-graph", host.clone()),
        };
        *failure_kinds.entry(kind).or_default() += 1;
        let why = failure_reason(page.view.as_ref(), &example.method, &example.url, kind);
        *failure_reasons.entry(why).or_default() += 1;
        let source = if is_documented(r) {
            "DOCUMENTED REQUEST"
        } else {
            "not one of the page's documented requests"
        };
        failures.push(format!(
            "{}: {} {} → {kind} {detail} ({why}; {source})",
            page.page, example.method, example.url
        ));
    }
    // Examples routed through a form adopted from an example (its own, or another
    // example of its page): counted, and shown apart.
    let through_adopted = routing
        .iter()
        .filter(|r| served(r))
        .filter(|r| match &r.routed {
            Routed::Matched(m) => {
                let page = &c.results[m.page];
                page.view
                    .as_ref()
                    .and_then(|v| v.forms.get(m.form))
                    .is_some_and(|f| {
                        c.adopted
                            .iter()
                            .any(|a| a.page == page.page && a.template == f.path)
                    })
            }
            _ => false,
        })
        .count();
    // Examples routed to a read or write of content made from an example of their page.
    let through_content = routing
        .iter()
        .filter(|r| served(r))
        .filter(|r| match &r.routed {
            Routed::Matched(m) => {
                let page = &c.results[m.page];
                page.forms.get(m.form).is_some_and(|path| {
                    c.content_requests.iter().any(|read| {
                        read.section.is_none()
                            && read.page == page.page
                            && read.templates.contains(path)
                    })
                })
            }
            _ => false,
        })
        .count();
    let from_examples = through_adopted + through_content;
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
    println!(
        "forms adopted from examples (the CSDL reads the example's path as addressing what the operation's forms do): {}",
        c.adopted.len()
    );
    for a in &c.adopted {
        println!(
            "  {}: {} {}  (example {})",
            a.page, a.method, a.template, a.example
        );
    }
    println!("status: {by_status:?}");
    println!(
        "imported with method, path, all permission rows and response: {complete} ({:.2}%)",
        100.0 * complete as f64 / total as f64
    );
    println!(
        "example requests: {} ({not_graph} not to Graph: upload/download URLs), routed to exactly one operation: {routed} of {graph_examples} ({:.2}%), with path parameters: {with_params}",
        routing.len(),
        100.0 * routed as f64 / graph_examples.max(1) as f64
    );
    println!(
        "  to the operation that serves their page's request: {own_or_shared} ({:.2}%): their own page's {strict}, the owner of the endpoint their page also documents (the import merges the page's form into it) {}, the plain request's operation of a query-form line {plain}",
        100.0 * own_or_shared as f64 / graph_examples.max(1) as f64,
        own_or_shared - strict - plain
    );
    println!(
        "  of the {documented_examples} examples that are one of their page's documented requests: {documented_served} ({:.2}%) reach the operation that serves it",
        100.0 * documented_served as f64 / documented_examples.max(1) as f64
    );
    println!(
        "  routed through a form adopted from an example of their page: {through_adopted}, through a read or write of content made from one: {through_content}; without both: {} ({:.2}%)",
        own_or_shared - from_examples,
        100.0 * (own_or_shared - from_examples) as f64 / graph_examples.max(1) as f64
    );
    println!("  not routed because their page is not imported: {on_not_imported}");
    println!(
        "  not counted: {not_forms} examples of request lines whose meaning is in their query string (no operation sends them)"
    );
    println!(
        "  through a path equivalence: {via_equivalence}; to another page documenting the same endpoint: {shared}"
    );
    println!("routing failures by kind: {failure_kinds:?}");
    println!("routing failures by reason: {failure_reasons:?}");
    println!("diagnostic codes: {codes:#?}");
    println!("not imported ({}):", not_imported.len());
    for line in &not_imported {
        println!("  {line}");
    }
    println!("not routed ({}):", failures.len());
    for line in &failures {
        println!("  {line}");
    }

    for code in codes.keys() {
        assert!(
            Code::parse(code).is_some(),
            "{code} is not a diagnostic Code"
        );
    }
    assert!(
        complete as f64 >= 0.99 * total as f64,
        "only {complete} of {total} pages imported completely"
    );
    // Measured 97.84% (1,861 of 1,902; 1,850 without the 11 examples that route through
    // forms adopted from examples); the failures are listed above with their kind, and
    // whether the example is one of its page's documented requests.
    assert!(
        own_or_shared as f64 >= 0.980 * graph_examples as f64,
        "only {own_or_shared} of {graph_examples} examples routed to the operation that serves their page's request"
    );
    // Measured 99.94% (1,733 of 1,734).
    assert!(
        documented_served as f64 >= 0.999 * documented_examples as f64,
        "only {documented_served} of {documented_examples} examples of documented requests routed to the operation that serves it"
    );
    assert!(
        routed as f64 >= 0.98 * graph_examples as f64,
        "only {routed} of {graph_examples} examples routed to one operation ({on_not_imported} are on pages not imported)"
    );
    // The read time is printed, not asserted: timings flake on shared machines (the
    // reader's speed is measured by `benches/`).
}

/// Why an example did not reach its page's operation, told from the example and the
/// page's forms alone (no word lists): the example is for another host or API version,
/// uses a method none of the page's forms has, names a path another page's operation
/// owns, or addresses something the page's forms do not list.
fn failure_reason(
    view: Option<&OperationView>,
    method: &str,
    url: &str,
    kind: &str,
) -> &'static str {
    let lower = url.to_ascii_lowercase();
    if kind == "not-graph" {
        return "the example is a request to another host (upload or download URL)";
    }
    if kind == "not-a-form" {
        return "a request line whose meaning is in its query string";
    }
    if lower.contains("/beta/") {
        return "the example targets the beta API, the page documents v1.0";
    }
    let Some(view) = view else {
        return "the page is not imported";
    };
    if !view
        .forms
        .iter()
        .any(|f| f.method.eq_ignore_ascii_case(method))
    {
        return "the example's method is none of the page's forms' methods";
    }
    if kind == "routed-elsewhere" {
        if lower.contains('?') {
            return "the example's path is another operation's, with a query string (a query form)";
        }
        return "the example's path is another operation's";
    }
    "the example addresses a path none of the page's forms lists"
}

/// A page's documented requests, read from its text alone: the lines of its code blocks
/// written as `METHOD /path` (the HTTP request section writes paths; examples write
/// URLs), as (method, path template without its query).
fn documented_requests(text: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut in_code = false;
    for line in text.lines() {
        let line = line.trim();
        if line.starts_with("```") {
            in_code = !in_code;
            continue;
        }
        let mut words = line.split_whitespace();
        if let (true, Some(method), Some(target)) = (in_code, words.next(), words.next())
            && matches!(method, "GET" | "POST" | "PUT" | "PATCH" | "DELETE")
            && target.starts_with('/')
        {
            // The rest of the line belongs to the path when a placeholder has spaces
            // (`{id | userPrincipalName}`).
            let rest: Vec<&str> = words.collect();
            let target = if target.contains('{') && !target.contains('}') {
                format!("{target} {}", rest.join(" "))
            } else {
                target.to_owned()
            };
            let path = graphspec_spec::path::path_part(&target).to_owned();
            out.push((method.to_owned(), path));
        }
    }
    out
}

/// Whether `example` is the request of the documented line `method template`: same
/// method, and its path (without scheme, host, version and query) matches the template.
fn fits(method: &str, template: &str, example: &ExampleRequest) -> bool {
    let url = example.url.trim();
    let path = url
        .strip_prefix("https://graph.microsoft.com")
        .unwrap_or(url);
    let path = path
        .strip_prefix("/v1.0")
        .or_else(|| path.strip_prefix("/beta"))
        .unwrap_or(path);
    let path = path.split(['?', '#']).next().unwrap_or(path);
    let (parsed, _) = graphspec_spec::path::parse(template);
    method == example.method && graphspec_spec::path::match_path(&parsed.pieces, path).is_some()
}

/// Whether `example` is the request of one of a page's request lines that are not forms
/// (same method; its path, without scheme, host, version and query, matches the line's
/// template).
fn is_not_a_form(lines: &[QueryLine], example: &ExampleRequest) -> bool {
    lines
        .iter()
        .any(|line| fits(&line.method, &line.path, example))
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

/// Prints the reading of the pages named in `DOCS_SHOW` (comma-separated stems), for
/// looking at a page while working on the reader: `DOCS_SHOW=user-get cargo test -p
/// graphspec-importer --test docs_corpus show -- --nocapture`.
#[test]
fn show() {
    let Ok(list) = std::env::var("DOCS_SHOW") else {
        return;
    };
    for page in list.split(',') {
        let r = result(page.trim());
        println!("== {} ({}::{}) {:?}", r.page, r.resource, r.name, r.status);
        println!("{}", serde_json::to_string_pretty(&r.view).unwrap());
        for d in &r.diagnostics {
            println!("  {:?} {}: {}", d.severity, d.code, d.message);
        }
        for e in &r.examples {
            println!("  example: {} {}", e.method, e.url);
        }
    }
}

// ---------------------------------------------------------------------------------------
// Multilinguality: the same pages with their prose and labels in other languages.
// ---------------------------------------------------------------------------------------

/// The wording of one language for what the reader must recognise, plus filler for the
/// rest of the prose.
struct Lang {
    name: &'static str,
    work: &'static str,
    personal: &'static str,
    application: &'static str,
    not_supported: &'static str,
    not_applicable: &'static str,
    none: &'static str,
    and: &'static str,
    or: &'static str,
    required: &'static str,
    optional: &'static str,
    descending: &'static str,
    filler: &'static str,
    /// The list separator of the language (`、` in Chinese and Japanese).
    comma: &'static str,
    /// English pages have no explicit anchors: headings are written as text.
    english_headings: bool,
}

const LANGS: &[Lang] = &[
    Lang {
        name: "en",
        work: "Delegated (work or school account)",
        personal: "Delegated (personal Microsoft account)",
        application: "Application",
        not_supported: "Not supported.",
        not_applicable: "Not applicable",
        none: "None.",
        and: "and",
        or: "or",
        required: "Required.",
        optional: "Optional.",
        descending: "Permissions (from most to least privileged)",
        filler: "text",
        comma: ", ",
        english_headings: true,
    },
    Lang {
        name: "de",
        work: "Delegiert (Geschäfts-, Schul- oder Unikonto)",
        personal: "Delegiert (persönliches Microsoft-Konto)",
        application: "Anwendung",
        not_supported: "Nicht unterstützt",
        not_applicable: "Nicht zutreffend",
        none: "Keine",
        and: "und",
        or: "oder",
        required: "Erforderlich.",
        optional: "Optional.",
        descending: "Berechtigungen (von der höchsten zu den niedrigsten)",
        filler: "Beispieltext",
        comma: ", ",
        english_headings: false,
    },
    Lang {
        name: "zh",
        work: "委派（工作或学校帐户）",
        personal: "委派（个人 Microsoft 帐户）",
        application: "应用程序",
        not_supported: "不支持。",
        not_applicable: "不适用",
        none: "无",
        and: "和",
        or: "或",
        required: "必需。",
        optional: "可选。",
        descending: "权限（从高到低）",
        filler: "示例文本",
        comma: "、",
        english_headings: false,
    },
    Lang {
        name: "pt",
        work: "Delegado (conta corporativa ou de estudante)",
        personal: "Delegado (conta pessoal da Microsoft)",
        application: "Aplicativo",
        not_supported: "Sem suporte.",
        not_applicable: "Não aplicável",
        none: "Nenhum",
        and: "e",
        or: "ou",
        required: "Obrigatório.",
        optional: "Opcional.",
        descending: "Permissões (da mais para o menos privilegiada)",
        filler: "texto",
        comma: ", ",
        english_headings: false,
    },
    Lang {
        name: "ja",
        work: "委任 (職場または学校のアカウント)",
        personal: "委任 (個人用 Microsoft アカウント)",
        application: "アプリケーション",
        not_supported: "サポートされていません。",
        not_applicable: "該当なし",
        none: "なし",
        and: "および",
        or: "または",
        required: "必須。",
        optional: "省略可能。",
        descending: "アクセス許可 (特権の大きいものから小さいものへ)",
        filler: "サンプル",
        comma: "、",
        english_headings: false,
    },
];

fn is_cyrillic(c: char) -> bool {
    ('\u{0400}'..='\u{04FF}').contains(&c)
}

/// Replaces every run of Cyrillic words (with the spaces between them) by `filler`.
fn replace_cyrillic(text: &str, filler: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut in_run = false;
    let mut pending_space = String::new();
    for c in text.chars() {
        if is_cyrillic(c) {
            if !in_run {
                out.push_str(&pending_space);
                out.push_str(filler);
                in_run = true;
            }
            pending_space.clear();
        } else if c == ' ' && in_run {
            pending_space.push(c);
        } else {
            if in_run && !pending_space.is_empty() {
                out.push_str(&pending_space);
            }
            pending_space.clear();
            in_run = false;
            out.push(c);
        }
    }
    out.push_str(&pending_space);
    out
}

/// One table cell in `lang`: labels and the words the reader recognises are translated
/// (this test knows Russian; the reader does not), the rest becomes filler.
fn translate_cell(cell: &str, lang: &Lang) -> String {
    let lower = cell.to_lowercase();
    let has_scope = cell
        .split(|c: char| !(c.is_ascii_alphanumeric() || c == '.'))
        .any(|w| w.split('.').count() >= 2 && w.starts_with(|c: char| c.is_ascii_uppercase()));
    if !has_scope {
        if lower.contains("делегир") && lower.contains("личн") {
            return lang.personal.to_owned();
        }
        if lower.contains("делегир") && lower.contains("рабоч") {
            return lang.work.to_owned();
        }
        if lower.contains("приложен") && !lower.contains('(') {
            return lang.application.to_owned();
        }
        if lower.contains("убывания привилегий") {
            return lang.descending.to_owned();
        }
        let plain: String = lower
            .chars()
            .filter(|c| c.is_alphanumeric() || *c == ' ' || *c == '/')
            .collect();
        let plain = plain.trim();
        if plain.starts_with("не поддерживается") {
            return lang.not_supported.to_owned();
        }
        if plain == "не применимо" || plain == "неприменимо" || plain == "н/д"
        {
            return lang.not_applicable.to_owned();
        }
        if plain == "нет" {
            return lang.none.to_owned();
        }
    }
    // Words between scopes, and required/optional in header descriptions.
    let mut text = cell.to_owned();
    for (ru, to) in [
        (" и ", format!(" {} ", lang.and)),
        (" плюс ", format!(" {} ", lang.and)),
        (" или ", format!(" {} ", lang.or)),
        (", ", lang.comma.to_owned()),
    ] {
        if has_scope {
            text = text.replace(ru, &to);
        }
    }
    for (ru, to) in [
        ("Задавать не обязательно.", lang.optional),
        ("не обязательно.", lang.optional),
        ("Необязательное свойство.", lang.optional),
        ("Необязательный.", lang.optional),
        ("Необязательное.", lang.optional),
        ("Необязательно.", lang.optional),
        ("необязательный.", lang.optional),
        ("Обязательный элемент.", lang.required),
        ("Обязательный.", lang.required),
        ("Обязательно.", lang.required),
        ("Обязательный", lang.required),
    ] {
        text = text.replace(ru, to);
    }
    replace_cyrillic(&text, lang.filler)
}

/// The page in `lang`. With `reorder`, the rows of every two-column permissions table
/// come in reverse order.
fn translate_page(text: &str, lang: &Lang, reorder: bool) -> String {
    let mut out = Vec::new();
    let mut in_code = false;
    let mut in_comment = false;
    let lines: Vec<&str> = text.lines().collect();
    let mut i = 0;
    while i < lines.len() {
        let line = lines[i];
        let trimmed = line.trim_start();
        if in_comment {
            if line.contains("-->") {
                in_comment = false;
            }
            out.push(line.to_owned());
            i += 1;
            continue;
        }
        if trimmed.starts_with("```") {
            in_code = !in_code;
            out.push(line.to_owned());
            i += 1;
            continue;
        }
        if in_code {
            out.push(line.to_owned());
            i += 1;
            continue;
        }
        if line.contains("<!--") && !line.contains("-->") {
            in_comment = true;
            out.push(line.to_owned());
            i += 1;
            continue;
        }
        if trimmed.starts_with('#') {
            out.push(translate_heading(line, lang));
            i += 1;
            continue;
        }
        if trimmed.starts_with('|') {
            // A whole table.
            let start = i;
            while i < lines.len() && lines[i].trim_start().starts_with('|') {
                i += 1;
            }
            let mut rows: Vec<String> = lines[start..i]
                .iter()
                .map(|row| {
                    let cells: Vec<String> = row
                        .trim()
                        .trim_matches('|')
                        .split('|')
                        .map(|c| translate_cell(c.trim(), lang))
                        .collect();
                    format!("|{}|", cells.join("|"))
                })
                .collect();
            let two_columns = rows.iter().all(|r| r.matches('|').count() == 3);
            if reorder && two_columns && rows.len() == 5 {
                rows[2..].reverse();
            }
            out.extend(rows);
            continue;
        }
        out.push(replace_cyrillic(line, lang.filler));
        i += 1;
    }
    out.join("\n")
}

fn translate_heading(line: &str, lang: &Lang) -> String {
    let hashes: String = line.chars().take_while(|&c| c == '#').collect();
    let Some(start) = line.find("<a name=\"") else {
        return replace_cyrillic(line, lang.filler);
    };
    let rest = &line[start + 9..];
    let Some(end) = rest.find('"') else {
        return replace_cyrillic(line, lang.filler);
    };
    let anchor = &rest[..end];
    let after = line.find("</a>").map(|p| &line[p + 4..]).unwrap_or("");
    if after.contains("](#tab/") {
        return line.to_owned();
    }
    if lang.english_headings {
        // English pages have no anchors; the heading text is what the anchor was made
        // from.
        let words: Vec<String> = anchor
            .split('-')
            .filter(|w| !w.is_empty())
            .enumerate()
            .map(|(k, w)| {
                if k == 0 {
                    let mut c = w.chars();
                    c.next()
                        .map(|f| f.to_uppercase().collect::<String>() + c.as_str())
                        .unwrap_or_default()
                } else {
                    w.to_owned()
                }
            })
            .collect();
        return format!("{hashes} {}", words.join(" "));
    }
    format!(
        "{hashes} <a name=\"{anchor}\"></a>{}",
        replace_cyrillic(after, lang.filler)
    )
}

/// Pages that between them show every table shape and most request, header and
/// response features.
const MULTILINGUAL_PAGES: &[&str] = &[
    "user-reprocesslicenseassignment",
    "user-list",
    "calendar-get",
    "attachment-get",
    "chatmessage-get",
    "authentication-list-methods",
    "conditionalaccesspolicy-delete",
    "call-answer",
    "application-addkey",
    "crosstenantaccesspolicy-get",
    "intune-androidforwork-devicemanagement-get",
    "bitlocker-list-recoverykeys",
    "reportroot-getoffice365activeuserdetail",
    "range-get",
    "driveitem-put-content",
    "opentypeextension-post-opentypeextension",
    "accessreviewinstance-acceptrecommendations",
    "workbook-closesession",
];

#[test]
fn other_languages_give_the_same_definitions() {
    let c = corpus();
    for &page in MULTILINGUAL_PAGES {
        let (file, text) = c
            .pages
            .iter()
            .find(|(n, _)| n.strip_suffix(".md") == Some(page))
            .unwrap_or_else(|| panic!("no page {page}"));
        let original = read::read_page(file, text, &c.resources, &c.requests);
        let original_view = original.operation.as_ref().map(OperationView::from);
        assert!(original_view.is_some(), "{page} is not imported");
        let codes = |r: &PageResult| -> Vec<&'static str> {
            let mut v: Vec<&str> = r
                .diagnostics
                .iter()
                .filter(|d| d.severity >= Severity::Warning)
                .map(|d| d.code.as_str())
                .collect();
            v.sort_unstable();
            v
        };
        for lang in LANGS {
            for reorder in [false, true] {
                let translated = translate_page(text, lang, reorder);
                assert!(
                    !translated.chars().any(is_cyrillic),
                    "{page} ({}) still has Russian text",
                    lang.name
                );
                assert!(
                    translated.contains(lang.work),
                    "{page}: labels not translated"
                );
                if lang.english_headings {
                    assert!(!translated.contains("<a name=\"permissions\">"));
                }
                if std::env::var("DOCS_SHOW_TRANSLATION").as_deref() == Ok(page) {
                    println!("---- {page} in {} ----\n{translated}", lang.name);
                }
                let variant = read::read_page(file, &translated, &c.resources, &c.requests);
                let view = variant.operation.as_ref().map(OperationView::from);
                assert_eq!(
                    view, original_view,
                    "{page} in {} (rows reordered: {reorder}) reads differently",
                    lang.name
                );
                assert_eq!(
                    codes(&variant),
                    codes(&original),
                    "{page} in {} (rows reordered: {reorder}): other warnings",
                    lang.name
                );
            }
        }
    }
}

// ---------------------------------------------------------------------------------------
// Real pages, one per shape the corpus has.
// ---------------------------------------------------------------------------------------

fn has(page: &str, code: &str) -> bool {
    result(page)
        .diagnostics
        .iter()
        .any(|d| d.code.as_str() == code)
}

fn forms(v: &OperationView) -> Vec<(&str, &str)> {
    v.forms
        .iter()
        .map(|f| (f.method.as_str(), f.path.as_str()))
        .collect()
}

#[test]
fn permissions_transposed_table_one_row_per_resource() {
    let v = view("calendar-get");
    assert_eq!(
        row(&v, "DelegatedWork").1,
        scopes(&[
            &["Calendars.Read"],
            &["Calendars.ReadWrite"],
            &["Group.Read.All"],
            &["Group.ReadWrite.All"]
        ])
    );
    assert_eq!(
        row(&v, "DelegatedPersonal").1,
        scopes(&[&["Calendars.Read"], &["Calendars.ReadWrite"]])
    );
    assert!(has("calendar-get", "permissions.per-resource-table"));
    assert!(has("calendar-get", "permissions.conditional"));
}

#[test]
fn permissions_several_tables_under_sub_headings_with_footnote_markers() {
    let v = view("chatmessage-get");
    assert_eq!(
        row(&v, "DelegatedWork").1,
        scopes(&[
            &["ChannelMessage.Read.All"],
            &["Group.Read.All"],
            &["Group.ReadWrite.All"],
            &["Chat.Read"],
            &["Chat.ReadWrite"]
        ])
    );
    assert_eq!(row(&v, "DelegatedPersonal").0, "unsupported");
    assert_eq!(
        row(&v, "Application").1.first(),
        Some(&vec!["ChannelMessage.Read.Group".to_owned()])
    );
    assert!(has("chatmessage-get", "permissions.merged-tables"));
    // Acting on self / on other users.
    let v = view("authentication-list-methods");
    assert_eq!(
        row(&v, "Application").1,
        scopes(&[
            &["UserAuthenticationMethod.Read.All"],
            &["UserAuthenticationMethod.ReadWrite.All"]
        ])
    );
    assert_eq!(row(&v, "DelegatedWork").1.len(), 4);
}

#[test]
fn permissions_tables_in_comments_and_non_permission_tables_are_ignored() {
    // A commented-out row lists AdministrativeUnit.ReadWrite.All.
    let v = view("opentypeextension-post-opentypeextension");
    assert!(
        !v.permissions
            .iter()
            .flat_map(|r| r.scopes.iter().flatten())
            .any(|s| s.starts_with("AdministrativeUnit"))
    );
    // A second table whose cells describe the schemes in prose.
    assert!(has("subscription-list", "permissions.ignored-table"));
    assert!(!has("subscription-list", "permissions.merged-tables"));
}

#[test]
fn permissions_cells_with_breaks_and_conditions() {
    let v = view("conversationmember-update");
    assert_eq!(
        row(&v, "DelegatedWork").1,
        scopes(&[
            &["TeamMember.ReadWrite.All"],
            &["ChannelMember.ReadWrite.All"]
        ])
    );
    assert!(has(
        "conversationmember-update",
        "permissions.qualified-cell"
    ));
}

#[test]
fn permissions_and_or_words() {
    let v = view("conditionalaccesspolicy-delete");
    let both = scopes(&[&["Policy.Read.All", "Policy.ReadWrite.ConditionalAccess"]]);
    assert_eq!(row(&v, "DelegatedWork").1, both);
    assert_eq!(row(&v, "Application").1, both);
    let v = view("call-answer");
    assert_eq!(row(&v, "Application").1.len(), 2);
    assert_eq!(row(&v, "DelegatedWork").0, "unsupported");
}

#[test]
fn permissions_missing_rows_are_unknown() {
    let v = view("accessreviewinstance-acceptrecommendations");
    assert_eq!(row(&v, "Application").0, "unknown");
    assert!(has(
        "accessreviewinstance-acceptrecommendations",
        "permissions.missing-row"
    ));
    let v = view("notebook-getnotebookfromweburl");
    assert_eq!(row(&v, "DelegatedPersonal").0, "unknown");
    assert_eq!(row(&v, "Application").1.len(), 2);
}

#[test]
fn permissions_not_supported_not_applicable_none() {
    assert_eq!(
        row(
            &view("user-reprocesslicenseassignment"),
            "DelegatedPersonal"
        )
        .0,
        "unsupported"
    );
    let v = view("application-addkey");
    for scheme in ["DelegatedWork", "DelegatedPersonal", "Application"] {
        assert_eq!(row(&v, scheme).0, "none", "{scheme}");
    }
    let v = view("crosstenantaccesspolicy-get");
    assert_eq!(row(&v, "DelegatedPersonal").0, "unsupported");
    assert!(has(
        "crosstenantaccesspolicy-get",
        "permissions.not-applicable"
    ));
}

#[test]
fn permissions_order_claims_are_checked() {
    // The header claims most → least; the scopes are least → most.
    let v = view("bitlocker-list-recoverykeys");
    assert_eq!(
        row(&v, "DelegatedWork").1,
        scopes(&[&["BitlockerKey.ReadBasic.All"], &["BitlockerKey.Read.All"]])
    );
    assert!(has(
        "bitlocker-list-recoverykeys",
        "permissions.order-claim-ignored"
    ));
}

#[test]
fn intune_pages_use_prerequisites() {
    let v = view("intune-androidforwork-devicemanagement-get");
    assert_eq!(forms(&v), vec![("GET", "/deviceManagement")]);
    assert_eq!(row(&v, "Application").1.len(), 2);
    assert_eq!(
        v.response.ty.as_deref(),
        Some("crate::model::DeviceManagement")
    );
}

#[test]
fn request_lines() {
    // Several forms, duplicate `{id}` renamed after the segment before it.
    let v = view("calendar-get");
    assert!(forms(&v).contains(&("GET", "/users/{id | userPrincipalName}/calendar")));
    assert!(forms(&v).contains(&(
        "GET",
        "/users/{user-id | userPrincipalName}/calendarGroups/{calendarGroup-id}/calendars/{calendar-id}"
    )));
    // Full URL; no leading slash; spaces and a query in the template.
    assert_eq!(
        forms(&view("emailauthenticationmethodconfiguration-get")),
        vec![(
            "GET",
            "/policies/authenticationMethodsPolicy/authenticationMethodConfigurations/email"
        )]
    );
    assert_eq!(
        forms(&view("activitybasedtimeoutpolicy-list")),
        vec![("GET", "/policies/activityBasedTimeoutPolicies")]
    );
    assert_eq!(
        forms(&view("alert-list")),
        vec![("GET", "/security/alerts")]
    );
    assert!(has("alert-list", "request.query-stripped"));
    // OData function arguments, `<angle>` placeholders, drive colon paths.
    assert_eq!(
        forms(&view("reportroot-getoffice365activeuserdetail"))[0],
        (
            "GET",
            "/reports/getOffice365ActiveUserDetail(period='{period_value}')"
        )
    );
    assert_eq!(
        forms(&view("range-get"))[0],
        (
            "GET",
            "/me/drive/items/{item-id}/workbook/worksheets/{worksheet-id|name}/range(address='{address}')"
        )
    );
    assert!(
        forms(&view("workbook-closesession"))
            .contains(&("POST", "/me/drive/root:/{item-path}:/workbook/closeSession"))
    );
    // `(round)` placeholders.
    assert_eq!(
        forms(&view("chatmessage-update"))[0],
        (
            "PATCH",
            "/teams/{team-id}/channels/{channel-id}/messages/{message-id}"
        )
    );
    // `$value`, JSON lines in the request block.
    assert!(forms(&view("attachment-get")).contains(&(
        "GET",
        "/me/events/{event-id}/attachments/{attachment-id}/$value"
    )));
    assert!(has("workbook-closesession", "request.other-lines"));
    assert!(has("user-list-agreementacceptances", "request.other-lines"));
    // A page without an `http-request` anchor.
    assert_eq!(
        forms(&view("chat-post-members")),
        vec![("POST", "/chats/{chat-id}/members")]
    );
}

#[test]
fn responses() {
    let v = view("user-list");
    assert_eq!((v.response.status, v.response.kind), (200, "collection"));
    assert_eq!(v.response.ty.as_deref(), Some("crate::model::User"));
    let v = view("group-delete");
    assert_eq!((v.response.status, v.response.kind), (204, "none"));
    // Prose and example disagree: the prose wins, the disagreement is reported.
    assert_eq!(view("contactfolder-post-childfolders").response.status, 201);
    assert!(has(
        "contactfolder-post-childfolders",
        "response.status-disagreement"
    ));
    // File name is not the type name.
    assert_eq!(
        view("callrecords-callrecord-get").response.ty.as_deref(),
        Some("crate::model::call_records::CallRecord")
    );
    assert_eq!(
        result("callrecords-callrecord-get")
            .response_type
            .as_deref(),
        Some("microsoft.graph.callRecords.callRecord")
    );
    // Polymorphic examples: the base type linked from the prose.
    assert_eq!(
        view("attachment-get").response.ty.as_deref(),
        Some("crate::model::Attachment")
    );
    // No body: 201 with a Location header only.
    assert_eq!(
        (
            view("chat-post-members").response.status,
            view("chat-post-members").response.kind
        ),
        (201, "none")
    );
}

#[test]
fn headers_and_bodies() {
    let v = view("user-list");
    assert_eq!(v.headers.len(), 1);
    assert_eq!(
        (v.headers[0].name.as_str(), v.headers[0].required),
        ("ConsistencyLevel", false)
    );
    let v = view("bitlocker-list-recoverykeys");
    assert!(
        v.headers
            .iter()
            .any(|h| h.name == "User-Agent" && h.required)
    );
    assert!(
        v.headers
            .iter()
            .any(|h| h.name == "ocp-client-name" && !h.required)
    );
    // Bodies: none; parameters (a table) → Value; a whole resource on POST → its type;
    // a partial update → Value.
    assert_eq!(view("user-reprocesslicenseassignment").body, None);
    assert_eq!(
        view("user-assignlicense").body.as_deref(),
        Some("serde_json::Value")
    );
    assert_eq!(
        view("chat-post-members").body.as_deref(),
        Some("crate::model::ConversationMember")
    );
    assert_eq!(
        view("user-update").body.as_deref(),
        Some("serde_json::Value")
    );
}

#[test]
fn names_follow_the_documented_rule() {
    for (page, resource, name) in [
        (
            "user-reprocesslicenseassignment",
            "user",
            "ReprocessLicenseAssignment",
        ),
        ("user-get", "user", "Get"),
        ("user-list", "user", "List"),
        ("user-list-licensedetails", "user", "ListLicenseDetails"),
        ("group-delete", "group", "Delete"),
        ("user-assignlicense", "user", "AssignLicense"),
        ("subscribedsku-list", "subscribedsku", "List"),
    ] {
        let r = result(page);
        assert_eq!(
            (r.resource.as_str(), r.name.as_str()),
            (resource, name),
            "{page}"
        );
    }
}

#[test]
fn examples_route_with_parameters() {
    let c = corpus();
    let index = c
        .results
        .iter()
        .position(|r| r.page == "user-reprocesslicenseassignment")
        .unwrap();
    let routing = c.routing.iter().find(|r| r.page == index).unwrap();
    match &routing.routed {
        Routed::Matched(m) => {
            assert_eq!(m.page, index);
            assert_eq!(
                m.params,
                vec![(
                    "id".to_owned(),
                    "047dd774-f1c4-40f2-82f0-278de79f9b83".to_owned()
                )]
            );
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn truncated_and_hostile_pages_do_not_panic() {
    let c = corpus();
    let mut inputs: Vec<String> = Vec::new();
    for (_, text) in c.pages.iter().step_by(11) {
        let boundaries: Vec<usize> = text.char_indices().map(|(i, _)| i).collect();
        for k in 1..12 {
            let cut = boundaries[boundaries.len() * k / 12];
            inputs.push(text[..cut].to_owned());
        }
    }
    for hostile in [
        "",
        "|",
        "```",
        "<!--",
        "}}}{{{",
        "## <a name=\"http-request\"></a>\n```\nGET {\nPOST /a/{b\nGET /a(b/'c\nDELETE https://\nPATCH //\n```",
        "## <a name=\"permissions\"></a>\n|a|\n|-|\n|Делегированные (x)|A.B и|\n|(|или C.D|\n",
        "## <a name=\"response\"></a>\n`200`\n```http\nHTTP/1.1 999\n{\"value\": [\n```",
        "# <a name=\"x\">\n<!-- { \"blockType\": \"request\" -->\n```\nGET https://graph.microsoft.com/v1.0\n```",
        "## <a name=\"http-request\"></a>\n```\nGET /a/{x | }/(é)/<ß>/{}/root:/:/(\n```\n## <a name=\"permissions\"></a>\n|委任 (個人用 Microsoft アカウント)|X.Y、Z.W または|\n",
    ] {
        inputs.push(hostile.to_owned());
    }
    let outcome = std::panic::catch_unwind(|| {
        let mut pages = Vec::new();
        for (i, text) in inputs.iter().enumerate() {
            pages.push(read::read_page(
                &format!("p{i}-x.md"),
                text,
                &c.resources,
                &c.requests,
            ));
        }
        read::assign_names(&mut pages);
        for route in routing::route_examples(&pages) {
            let _ = route;
        }
        pages.len()
    });
    assert!(
        outcome.is_ok(),
        "a truncated or hostile page panics the reader"
    );
}

#[test]
fn page_results_serialize_to_json() {
    let c = corpus();
    let (file, text) = c
        .pages
        .iter()
        .find(|(n, _)| n == "user-reprocesslicenseassignment.md")
        .unwrap();
    let page = read::read_page(file, text, &c.resources, &c.requests);
    let json: serde_json::Value = serde_json::to_value(&page).unwrap();
    assert_eq!(json["operation"]["name"], "ReprocessLicenseAssignment");
    assert_eq!(
        json["operation"]["forms"][0]["path"],
        "/users/{id}/reprocessLicenseAssignment"
    );
    assert_eq!(json["operation"]["permissions"][1]["kind"], "unsupported");
    assert_eq!(json["operation"]["response"]["ty"], "crate::model::User");
    assert_eq!(json["status"], "full");
    assert_eq!(json["response_type"], "microsoft.graph.user");
    assert_eq!(json["examples"][0]["method"], "POST");
}
