//! Real pages, mutated: operation and resource pages of `../shared/graph-docs/ru-RU` and
//! `ja-JP`, truncated at any byte or character, with sections shuffled, duplicated or
//! dropped, table rows broken (cells removed or added, rows dropped or repeated), random
//! bytes and characters inserted (NUL, right-to-left marks, combining marks, Markdown and
//! HTML delimiters), huge lines, and code fences and annotations left open. Reading and
//! importing them gives findings and errors, never a panic:
//!
//! - [`read::read_page`] answers every mutated page, and a page without an operation
//!   says why (an error finding); an operation it gives prints
//!   ([`print::print_operation`]);
//! - [`read::resource_page`] and the request and resource indexes take any text;
//! - [`import`] takes the pages of a case together, with the real `permissions.json`;
//! - [`read::read_files`] on a folder of mutated files that are not UTF-8 is a
//!   [`read::ReadError`] naming the file.
//!
//! Budget: fixed seeds and [`CASES`] cases per harness in CI; `HOSTILE_CASES=N` runs `N`.

use std::path::{Path, PathBuf};
use std::sync::OnceLock;
use std::time::Instant;

use graphspec_importer::diagnostic::Severity;
use graphspec_importer::page::ImportStatus;
use graphspec_importer::permissions_json::PermissionsData;
use graphspec_importer::{import, print, read};
use proptest::prelude::*;
use proptest::sample::{Index, select};
use proptest::test_runner::{Config, RngAlgorithm, TestCaseError, TestRng, TestRunner};

/// Cases per harness in CI.
const CASES: u32 = 160;

fn cases() -> u32 {
    std::env::var("HOSTILE_CASES")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(CASES)
}

/// A runner with a fixed seed: the same cases on every run, whatever `PROPTEST_*` says.
fn runner(seed: u8, cases: u32) -> TestRunner {
    let config = Config {
        cases,
        failure_persistence: None,
        max_shrink_iters: 512,
        ..Config::default()
    };
    TestRunner::new_with_rng(
        config,
        TestRng::from_seed(RngAlgorithm::ChaCha, &[seed; 32]),
    )
}

fn docs() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/graph-docs")
}

/// The `.md` files of `<lang>/v1.0/<kind>` for both languages, sorted.
fn files(kind: &str) -> Vec<PathBuf> {
    let mut files = Vec::new();
    for lang in ["ru-RU", "ja-JP"] {
        let dir = docs().join(lang).join("v1.0").join(kind);
        let mut here: Vec<PathBuf> = std::fs::read_dir(&dir)
            .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
            .map(|e| e.unwrap().path())
            .filter(|p| p.extension().is_some_and(|e| e == "md"))
            .collect();
        here.sort();
        files.extend(here);
    }
    assert!(files.len() > 1000, "{kind}: {} pages", files.len());
    files
}

fn api_pages() -> &'static [PathBuf] {
    static PAGES: OnceLock<Vec<PathBuf>> = OnceLock::new();
    PAGES.get_or_init(|| files("api"))
}

fn resource_pages() -> &'static [PathBuf] {
    static PAGES: OnceLock<Vec<PathBuf>> = OnceLock::new();
    PAGES.get_or_init(|| files("resources"))
}

/// The resource index of each language's `resources/` folder, as the folder reader
/// builds it.
fn resources(lang: &str) -> &'static read::ResourceIndex {
    static INDEXES: OnceLock<Vec<(String, read::ResourceIndex)>> = OnceLock::new();
    let indexes = INDEXES.get_or_init(|| {
        ["ru-RU", "ja-JP"]
            .iter()
            .map(|lang| {
                let pages = resource_pages()
                    .iter()
                    .filter(|p| p.to_string_lossy().contains(lang))
                    .map(|p| {
                        let name = p.file_name().unwrap().to_string_lossy().into_owned();
                        (name, std::fs::read_to_string(p).unwrap())
                    });
                ((*lang).to_owned(), read::ResourceIndex::from_pages(pages))
            })
            .collect()
    });
    &indexes.iter().find(|(l, _)| l == lang).unwrap().1
}

fn permissions() -> &'static PermissionsData {
    static DATA: OnceLock<PermissionsData> = OnceLock::new();
    DATA.get_or_init(|| {
        let path = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../../shared/graph-permissions/permissions.json");
        PermissionsData::from_json(&std::fs::read_to_string(path).unwrap()).unwrap()
    })
}

// ---------------------------------------------------------------------------------------
// Mutations.

/// One change to a page's bytes.
#[derive(Debug, Clone)]
enum Mutation {
    /// Cut at a byte (the rest read lossily, so a cut inside a character is kept).
    TruncateByte(Index),
    /// Cut at a character.
    TruncateChar(Index),
    /// Sections (from one heading to the next) shuffled by swapping two.
    SwapSections(Index, Index),
    /// A section repeated right after itself.
    DuplicateSection(Index),
    /// A section removed.
    DropSection(Index),
    /// A table row changed.
    BreakRow(Index, RowChange),
    /// Bytes inserted at a byte offset (read lossily).
    InsertBytes(Index, Vec<u8>),
    /// Text inserted at a character.
    InsertText(Index, String),
    /// A huge line inserted before a line.
    HugeLine(Index, char, usize),
    /// A code fence line removed, or one added.
    Fence(Index, FenceChange),
    /// Two lines swapped.
    SwapLines(Index, Index),
    /// A line removed.
    DropLine(Index),
    /// A line repeated many times.
    RepeatLine(Index, usize),
    /// The end of an HTML comment (`-->`, closing an annotation) removed.
    OpenComment(Index),
}

#[derive(Debug, Clone, Copy)]
enum RowChange {
    DropCell(usize),
    AddCells(usize),
    NoPipes,
    Drop,
    Repeat,
    EmptyCells,
}

#[derive(Debug, Clone, Copy)]
enum FenceChange {
    Remove,
    Add,
    Tilde,
    Longer,
}

/// Text that makes readers stumble: delimiters, NUL, bidirectional controls, combining
/// marks, entities and annotation fragments.
const NASTY: &[&str] = &[
    "|",
    "||",
    "\\|",
    "`",
    "```",
    "~~~",
    "<",
    ">",
    "<a name=\"permissions\"></a>",
    "<a name=\"http-request\">",
    "<!--",
    "-->",
    "<!-- { \"blockType\": \"request\", \"name\": \"x\" } -->",
    "<!-- { \"blockType\": \"response\", \"@odata.type\": \"",
    "{",
    "}",
    "\"",
    "'",
    "\0",
    "\u{200f}",
    "\u{202e}",
    "\u{2066}",
    "\u{0301}\u{0301}\u{0301}",
    "\u{feff}",
    "\u{fffd}",
    "&amp;",
    "&#x0;",
    "&#99999999;",
    "&",
    "\r",
    "\r\n",
    "\n",
    "\t",
    "# ",
    "## ",
    "---\n",
    "GET ",
    "POST /users/{id",
    "PATCH /me/}{",
    "/{",
    "{id | userPrincipalName",
    "HTTP/1.1 ",
    "HTTP/1.1 99999999999999999999 OK",
    "Content-Type: ",
    "[link](",
    "](../resources/user.md)",
    "%",
    "%FF",
    "$filter=",
    "?",
    ":",
    "日本語",
    "Разрешения",
    "アクセス許可",
];

fn mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        3 => any::<Index>().prop_map(Mutation::TruncateByte),
        2 => any::<Index>().prop_map(Mutation::TruncateChar),
        2 => (any::<Index>(), any::<Index>()).prop_map(|(a, b)| Mutation::SwapSections(a, b)),
        2 => any::<Index>().prop_map(Mutation::DuplicateSection),
        2 => any::<Index>().prop_map(Mutation::DropSection),
        4 => (
            any::<Index>(),
            prop_oneof![
                (0usize..8).prop_map(RowChange::DropCell),
                (1usize..40).prop_map(RowChange::AddCells),
                Just(RowChange::NoPipes),
                Just(RowChange::Drop),
                Just(RowChange::Repeat),
                Just(RowChange::EmptyCells),
            ]
        )
            .prop_map(|(i, change)| Mutation::BreakRow(i, change)),
        3 => (any::<Index>(), prop::collection::vec(any::<u8>(), 1..16))
            .prop_map(|(i, bytes)| Mutation::InsertBytes(i, bytes)),
        4 => (
            any::<Index>(),
            prop_oneof![
                3 => select(NASTY).prop_map(str::to_owned),
                1 => prop::collection::vec(select(NASTY), 1..6).prop_map(|v| v.concat()),
                1 => "\\PC{1,12}",
                1 => any::<char>().prop_map(String::from),
            ]
        )
            .prop_map(|(i, text)| Mutation::InsertText(i, text)),
        1 => (
            any::<Index>(),
            select(vec!['a', '|', '`', '#', ' ', '{', '<', '-', 'é', '日']),
            1usize..200_000
        )
            .prop_map(|(i, c, n)| Mutation::HugeLine(i, c, n)),
        3 => (
            any::<Index>(),
            prop_oneof![
                Just(FenceChange::Remove),
                Just(FenceChange::Add),
                Just(FenceChange::Tilde),
                Just(FenceChange::Longer),
            ]
        )
            .prop_map(|(i, change)| Mutation::Fence(i, change)),
        1 => (any::<Index>(), any::<Index>()).prop_map(|(a, b)| Mutation::SwapLines(a, b)),
        2 => any::<Index>().prop_map(Mutation::DropLine),
        1 => (any::<Index>(), 2usize..2000).prop_map(|(i, n)| Mutation::RepeatLine(i, n)),
        1 => any::<Index>().prop_map(Mutation::OpenComment),
    ]
}

/// The largest character boundary at or below `at`.
fn floor_boundary(text: &str, mut at: usize) -> usize {
    at = at.min(text.len());
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    at
}

/// The lines of `text` with their endings.
fn lines(text: &str) -> Vec<&str> {
    text.split_inclusive('\n').collect()
}

/// Byte ranges of the sections of `text`: the part before the first heading, then each
/// heading with what follows it up to the next.
fn sections(text: &str) -> Vec<(usize, usize)> {
    let mut starts = vec![0];
    let mut at = 0;
    for line in lines(text) {
        if line.starts_with('#') && at > 0 {
            starts.push(at);
        }
        at += line.len();
    }
    starts.push(text.len());
    starts.windows(2).map(|w| (w[0], w[1])).collect()
}

/// `lines` indices matching `pred`, or every index when none does.
fn indices(lines: &[&str], pred: impl Fn(&str) -> bool) -> Vec<usize> {
    let found: Vec<usize> = (0..lines.len()).filter(|&i| pred(lines[i])).collect();
    if found.is_empty() {
        (0..lines.len()).collect()
    } else {
        found
    }
}

fn apply(text: &str, mutation: &Mutation) -> String {
    if text.is_empty() {
        return text.to_owned();
    }
    match mutation {
        Mutation::TruncateByte(i) => {
            String::from_utf8_lossy(&text.as_bytes()[..i.index(text.len() + 1)]).into_owned()
        }
        Mutation::TruncateChar(i) => {
            let count = text.chars().count();
            text.chars().take(i.index(count + 1)).collect()
        }
        Mutation::SwapSections(a, b) => {
            let sections = sections(text);
            let (a, b) = (a.index(sections.len()), b.index(sections.len()));
            let mut parts: Vec<&str> = sections.iter().map(|&(s, e)| &text[s..e]).collect();
            parts.swap(a, b);
            parts.concat()
        }
        Mutation::DuplicateSection(i) => {
            let sections = sections(text);
            let (s, e) = sections[i.index(sections.len())];
            [&text[..e], &text[s..e], &text[e..]].concat()
        }
        Mutation::DropSection(i) => {
            let sections = sections(text);
            let (s, e) = sections[i.index(sections.len())];
            [&text[..s], &text[e..]].concat()
        }
        Mutation::BreakRow(i, change) => {
            let mut lines: Vec<String> = lines(text).into_iter().map(str::to_owned).collect();
            let rows = indices(&lines.iter().map(String::as_str).collect::<Vec<_>>(), |l| {
                l.trim_start().starts_with('|')
            });
            let row = rows[i.index(rows.len())];
            let line = lines[row].clone();
            match *change {
                RowChange::DropCell(n) => {
                    let mut cells: Vec<&str> = line.split('|').collect();
                    if cells.len() > 1 {
                        cells.remove(n % cells.len());
                    }
                    lines[row] = cells.join("|");
                }
                RowChange::AddCells(n) => {
                    lines[row] = format!("{}{}", "| x ".repeat(n), line);
                }
                RowChange::NoPipes => lines[row] = line.replace('|', " "),
                RowChange::Drop => {
                    lines.remove(row);
                }
                RowChange::Repeat => lines.insert(row, line),
                RowChange::EmptyCells => {
                    let cells = line.matches('|').count();
                    lines[row] = format!("{}\n", "|".repeat(cells.max(1)));
                }
            }
            lines.concat()
        }
        Mutation::InsertBytes(i, bytes) => {
            let at = i.index(text.len() + 1);
            let mut out = text.as_bytes()[..at].to_vec();
            out.extend_from_slice(bytes);
            out.extend_from_slice(&text.as_bytes()[at..]);
            String::from_utf8_lossy(&out).into_owned()
        }
        Mutation::InsertText(i, inserted) => {
            let at = floor_boundary(text, i.index(text.len() + 1));
            [&text[..at], inserted, &text[at..]].concat()
        }
        Mutation::HugeLine(i, c, n) => {
            let lines = lines(text);
            let at = i.index(lines.len() + 1);
            let huge: String = std::iter::repeat_n(*c, *n).chain(['\n']).collect();
            let mut out: Vec<&str> = lines[..at].to_vec();
            out.push(&huge);
            out.extend_from_slice(&lines[at..]);
            out.concat()
        }
        Mutation::Fence(i, change) => {
            let mut lines: Vec<String> = lines(text).into_iter().map(str::to_owned).collect();
            let fences = indices(&lines.iter().map(String::as_str).collect::<Vec<_>>(), |l| {
                l.trim_start().starts_with("```")
            });
            let at = fences[i.index(fences.len())];
            match change {
                FenceChange::Remove => {
                    lines.remove(at);
                }
                FenceChange::Add => lines.insert(at, "```\n".to_owned()),
                FenceChange::Tilde => lines[at] = lines[at].replace("```", "~~~"),
                FenceChange::Longer => lines[at] = lines[at].replace("```", "`````"),
            }
            lines.concat()
        }
        Mutation::SwapLines(a, b) => {
            let mut lines = lines(text);
            let (a, b) = (a.index(lines.len()), b.index(lines.len()));
            lines.swap(a, b);
            lines.concat()
        }
        Mutation::DropLine(i) => {
            let mut lines = lines(text);
            lines.remove(i.index(lines.len()));
            lines.concat()
        }
        Mutation::RepeatLine(i, n) => {
            let lines = lines(text);
            let at = i.index(lines.len());
            let mut out: Vec<&str> = lines[..at].to_vec();
            out.extend(std::iter::repeat_n(lines[at], *n));
            out.extend_from_slice(&lines[at..]);
            out.concat()
        }
        Mutation::OpenComment(i) => {
            let ends: Vec<usize> = text.match_indices("-->").map(|(at, _)| at).collect();
            if ends.is_empty() {
                return text.to_owned();
            }
            let at = ends[i.index(ends.len())];
            [&text[..at], &text[at + 3..]].concat()
        }
    }
}

/// A page chosen from the corpus and the mutations applied to it, in order.
#[derive(Debug, Clone)]
struct Mutated {
    page: PathBuf,
    mutations: Vec<Mutation>,
}

impl Mutated {
    fn lang(&self) -> &'static str {
        if self.page.to_string_lossy().contains("ja-JP") {
            "ja-JP"
        } else {
            "ru-RU"
        }
    }

    fn text(&self) -> String {
        let original = std::fs::read_to_string(&self.page).unwrap();
        self.mutations
            .iter()
            .fold(original, |text, mutation| apply(&text, mutation))
    }
}

fn mutated(pages: &'static [PathBuf]) -> impl Strategy<Value = Mutated> {
    (select(pages), prop::collection::vec(mutation(), 1..10))
        .prop_map(|(page, mutations)| Mutated { page, mutations })
}

// ---------------------------------------------------------------------------------------
// Harnesses.

/// Reads a mutated page as the folder reader would (with its language's resources and
/// the requests of the page itself), and checks what comes out.
fn read_checked(
    case: &Mutated,
    requests: &read::RequestIndex,
) -> Result<graphspec_importer::page::PageResult, TestCaseError> {
    let text = case.text();
    let page = read::read_page(
        &case.page.to_string_lossy(),
        &text,
        resources(case.lang()),
        requests,
    );
    let has_error = page
        .diagnostics
        .iter()
        .any(|d| d.severity == Severity::Error);
    match &page.operation {
        Some(op) => {
            prop_assert!(page.status != ImportStatus::Not);
            let printed = print::print_operation(op);
            prop_assert!(!printed.is_empty());
        }
        None => {
            prop_assert_eq!(page.status, ImportStatus::Not);
            prop_assert!(
                has_error || !page.diagnostics.is_empty(),
                "a page without an operation says why"
            );
        }
    }
    Ok(page)
}

#[test]
fn mutated_operation_pages_read_to_findings_never_a_panic() {
    let started = Instant::now();
    let mut imported = [0u32; 3];
    let counts = std::cell::RefCell::new(&mut imported);
    let result = runner(0x31, cases()).run(&mutated(api_pages()), |case| {
        let mut requests = read::RequestIndex::new();
        requests.insert_page(&case.page.to_string_lossy(), &case.text());
        let page = read_checked(&case, &requests)?;
        let slot = match page.status {
            ImportStatus::Full => 0,
            ImportStatus::Partly => 1,
            ImportStatus::Not => 2,
        };
        counts.borrow_mut()[slot] += 1;
        Ok(())
    });
    eprintln!(
        "mutated operation pages: {} cases in {:.1} s; imported fully {}, partly {}, not {}",
        cases(),
        started.elapsed().as_secs_f64(),
        imported[0],
        imported[1],
        imported[2]
    );
    if let Err(e) = result {
        panic!("{e}");
    }
}

#[test]
fn mutated_resource_pages_index_without_a_panic() {
    let started = Instant::now();
    let result = runner(0x32, cases()).run(&mutated(resource_pages()), |case| {
        let text = case.text();
        let _ = read::resource_page(&text);
        let mut index = read::ResourceIndex::new();
        let name = case
            .page
            .file_name()
            .unwrap()
            .to_string_lossy()
            .into_owned();
        let _ = index.insert_page(&name, &text);
        let _ = index.resolve_link("../resources/user.md");
        let _ = read::front_matter(&text, "ms.prod");
        let _ = read::front_matter(&text, "title");
        Ok(())
    });
    eprintln!(
        "mutated resource pages: {} cases in {:.1} s",
        cases(),
        started.elapsed().as_secs_f64()
    );
    if let Err(e) = result {
        panic!("{e}");
    }
}

/// Several mutated pages read together (names made unique over them) and imported with
/// the real permissions data.
#[test]
fn mutated_page_sets_import_without_a_panic() {
    let started = Instant::now();
    let strategy = prop::collection::vec(mutated(api_pages()), 1..6);
    let cases = (cases() / 4).max(1);
    let result = runner(0x33, cases).run(&strategy, |set| {
        let mut requests = read::RequestIndex::new();
        let texts: Vec<String> = set.iter().map(Mutated::text).collect();
        for (case, text) in set.iter().zip(&texts) {
            requests.insert_page(&case.page.to_string_lossy(), text);
        }
        let mut pages = Vec::new();
        for case in &set {
            pages.push(read_checked(case, &requests)?);
        }
        read::assign_names(&mut pages);
        let imported = import(pages, Some(permissions()), None, "graph-docs (mutated)");
        for module in imported.modules.values() {
            let _ = imported.module_file(module);
        }
        Ok(())
    });
    eprintln!(
        "mutated page sets: {cases} cases in {:.1} s",
        started.elapsed().as_secs_f64()
    );
    if let Err(e) = result {
        panic!("{e}");
    }
}

/// A docs folder whose pages are not UTF-8 (bytes inserted, not read lossily): the folder
/// reader says which file it cannot read; the UTF-8 pages beside them read as usual.
#[test]
fn pages_that_are_not_utf8_are_a_read_error_naming_the_file() {
    let scratch =
        std::env::temp_dir().join(format!("graphspec-importer-mutated-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&scratch);
    for lang in ["ru-RU", "ja-JP"] {
        let api = scratch.join(lang).join("v1.0/api");
        std::fs::create_dir_all(&api).unwrap();
        let source = docs().join(lang).join("v1.0/api/user-get.md");
        let mut bytes = std::fs::read(&source).unwrap();
        std::fs::write(api.join("a-good.md"), &bytes).unwrap();
        // A lone continuation byte, a truncated sequence and an overlong `/`.
        for (at, bad) in [(10, &b"\x80"[..]), (200, b"\xE6\x97"), (400, b"\xC0\xAF")] {
            let at = at.min(bytes.len());
            bytes.splice(at..at, bad.iter().copied());
        }
        std::fs::write(api.join("user-get.md"), &bytes).unwrap();
        let files = read::page_files(&scratch.join(lang).join("v1.0")).unwrap();
        let error = read::read_files(&files, &mut |_, _| {}).unwrap_err();
        assert!(
            error.path.ends_with("user-get.md") || error.path.ends_with("api"),
            "{error}"
        );
        assert_eq!(
            error.source.kind(),
            std::io::ErrorKind::InvalidData,
            "{error}"
        );
        assert!(error.to_string().contains("cannot read"), "{error}");
        // Without the bad page the folder reads.
        std::fs::remove_file(api.join("user-get.md")).unwrap();
        let files = read::page_files(&scratch.join(lang).join("v1.0")).unwrap();
        let pages = read::read_files(&files, &mut |_, _| {}).unwrap();
        assert_eq!(pages.len(), 1);
        assert!(pages[0].operation.is_some(), "{:?}", pages[0].diagnostics);
    }
    let _ = std::fs::remove_dir_all(&scratch);
}
