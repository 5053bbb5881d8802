//! The importer behind `graphspec import`: a folder of Graph reference pages (and,
//! optionally, Microsoft's `permissions.json`) in; the files of the `graphspec` crate
//! (`api-defs/`) and an import report out. Pure apart from [`read_docs`], so all of it is
//! unit-testable; `docs/importer.md` describes the rules for users.
//!
//! 1. [`read_docs`] reads every `api/*.md` page with [`crate::docs::read_page`] (in
//!    file-name order, reporting progress), assigns collision-free names over the whole
//!    corpus ([`crate::docs::assign_names`]) and notes each page's `ms.prod`.
//! 2. [`import`] maps Graph types to the Rust types `api-defs` has ([`map_types`]),
//!    cross-checks every operation with `permissions.json` ([`Agreement`]) and repairs
//!    scopes that translation broke ([`Repair`]), groups the resource modules into cargo
//!    features ([`Import::modules`]) and counts everything for the report.
//! 3. [`Import::files`] renders the files: one `src/<resource>.rs` per resource module,
//!    `src/resources.rs` (the feature-gated module list), the `[features]` table of
//!    `Cargo.toml` (between marker comments) and `IMPORT-REPORT.md`. Same input, same
//!    bytes.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write;
use std::path::Path;

use crate::docs::{self, ImportStatus, PageResult, ResourceIndex, Severity};
use crate::permissions_json::PermissionsData;
use crate::print;
use graphspec_codegen::catalog;
use graphspec_codegen::model::{Operation, ResponseBody, RowValue, Scheme, Spanned, TypeRef};

/// Graph types that `api-defs/src/model.rs` defines: responses of these types keep them.
pub const MODEL_TYPES: &[&str] = &["User", "Group", "LicenseDetails", "SubscribedSku"];

/// Pages whose request body has a model type the docs do not name: (page, type).
pub const BODY_TYPES: &[(&str, &str)] = &[("user-assignlicense", "AssignLicenseBody")];

/// The generic response type for every Graph type `model.rs` does not define (lossless).
pub const OBJECT_TYPE: &str = "Object";

/// Resource modules in the default feature set (the README and the UI tests use them).
pub const DEFAULT_MODULES: &[&str] = &["user", "group", "subscribedsku"];

/// The feature of resource modules whose pages name no `ms.prod`.
pub const OTHER_FEATURE: &str = "other";

/// Names a resource module may not take (items of `api-defs/src/lib.rs`); such a module
/// gets `_api` appended.
pub const RESERVED_MODULES: &[&str] = &["model", "scopes", "check", "resources", "__private"];

/// Marker lines around the generated `[features]` table of `api-defs/Cargo.toml`.
pub const FEATURES_BEGIN: &str = "# @generated features: begin (graphspec import; do not edit)";
/// See [`FEATURES_BEGIN`].
pub const FEATURES_END: &str = "# @generated features: end";

/// One page read from the docs folder.
pub struct DocsPage {
    /// What the reader made of it.
    pub result: PageResult,
    /// The page's `ms.prod` front-matter value, if any.
    pub product: Option<String>,
}

/// Reads `<dir>/resources/*.md` and `<dir>/api/*.md` (in file-name order), calling
/// `progress(done, total)` after each operation page, and assigns unique names.
pub fn read_docs(
    dir: &Path,
    progress: &mut dyn FnMut(usize, usize),
) -> std::io::Result<Vec<DocsPage>> {
    let mut resource_pages = Vec::new();
    let resources_dir = dir.join("resources");
    if resources_dir.is_dir() {
        for path in md_files(&resources_dir)? {
            let text = std::fs::read_to_string(&path)?;
            resource_pages.push((file_name(&path), text));
        }
    }
    let resources = ResourceIndex::from_pages(resource_pages);
    let files = md_files(&dir.join("api"))?;
    let total = files.len();
    let mut results = Vec::with_capacity(total);
    let mut products = Vec::with_capacity(total);
    for (i, path) in files.iter().enumerate() {
        let text = std::fs::read_to_string(path)?;
        products.push(front_matter(&text, "ms.prod"));
        results.push(docs::read_page(&file_name(path), &text, &resources));
        progress(i + 1, total);
    }
    docs::assign_names(&mut results);
    Ok(results
        .into_iter()
        .zip(products)
        .map(|(result, product)| DocsPage { result, product })
        .collect())
}

fn file_name(path: &Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default()
}

fn md_files(dir: &Path) -> std::io::Result<Vec<std::path::PathBuf>> {
    let mut files: Vec<_> = std::fs::read_dir(dir)?
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "md"))
        .collect();
    files.sort();
    Ok(files)
}

/// A value of the page's YAML front matter (`key: value` between the leading `---`
/// lines), unquoted.
pub fn front_matter(text: &str, key: &str) -> Option<String> {
    let mut lines = text.lines();
    if lines.next()?.trim() != "---" {
        return None;
    }
    for line in lines {
        if line.trim() == "---" {
            break;
        }
        if let Some(rest) = line.strip_prefix(key).and_then(|r| r.strip_prefix(':')) {
            let value = rest.trim().trim_matches(['\'', '"']).trim();
            return (!value.is_empty()).then(|| value.to_owned());
        }
    }
    None
}

/// How one permissions row compares with `permissions.json`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Agreement {
    /// No form's (method, path) is in `permissions.json`.
    NoData,
    /// Same set of scopes (or: unsupported here, no scopes there).
    Same,
    /// The docs list a subset of what `permissions.json` lists.
    DocsFewer,
    /// The docs list a superset.
    DocsMore,
    /// Both list scopes the other does not.
    Differ,
    /// The docs say unsupported; `permissions.json` lists scopes.
    DocsUnsupported,
    /// The docs list scopes; `permissions.json` lists none for the scheme.
    JsonNone,
    /// The docs row is `none` or `unknown`: nothing to compare.
    NotCompared,
}

impl Agreement {
    /// Every value, in report order.
    pub const ALL: [Agreement; 8] = [
        Agreement::Same,
        Agreement::DocsFewer,
        Agreement::DocsMore,
        Agreement::Differ,
        Agreement::DocsUnsupported,
        Agreement::JsonNone,
        Agreement::NotCompared,
        Agreement::NoData,
    ];

    /// The report's name for it.
    pub fn as_str(self) -> &'static str {
        match self {
            Agreement::NoData => "no-data",
            Agreement::Same => "same",
            Agreement::DocsFewer => "docs-fewer",
            Agreement::DocsMore => "docs-more",
            Agreement::Differ => "differ",
            Agreement::DocsUnsupported => "docs-unsupported",
            Agreement::JsonNone => "json-none",
            Agreement::NotCompared => "not-compared",
        }
    }
}

/// A scope of a docs table replaced by the `permissions.json` permission it evidently is.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Repair {
    /// The page.
    pub page: String,
    /// The row.
    pub scheme: &'static str,
    /// What the docs wrote.
    pub from: String,
    /// The permission from `permissions.json` for the same (method, path) and scheme.
    pub to: String,
    /// Which rule matched: `spacing` (same name once spaces are removed, any case),
    /// `truncated` (the only permission the written name is a prefix of), `misspelt` (the
    /// only permission within two edits, any case) or `translated` (the only permission
    /// whose ASCII parts match, part for part).
    pub rule: &'static str,
    /// Who repaired it: `importer` (from `permissions.json` for this path), or `reader`
    /// (the docs reader rejoined a scope split by a stray space, when the permission
    /// exists; `permissions.scope-repaired`).
    pub by: &'static str,
    /// Whether `permissions.json` lists the repaired permission for the operation's
    /// (method, path) under any scheme; `None` when the path is not in the file.
    pub confirmed: Option<bool>,
}

/// What the import made of one page.
#[derive(Debug, Clone, serde::Serialize)]
pub struct PageEntry {
    /// Page stem.
    pub page: String,
    /// Resource module.
    pub resource: String,
    /// Operation type name.
    pub name: String,
    /// Imported fully, partly or not.
    pub status: ImportStatus,
    /// Why not fully: the codes of warnings and errors (sorted, unique).
    pub reasons: Vec<String>,
    /// For a page not imported, the message of its first error.
    pub error: Option<String>,
    /// Agreement with `permissions.json`, per scheme in [`Scheme::ALL`] order.
    pub agreement: [Agreement; 3],
}

/// One generated resource module.
#[derive(Debug, Clone)]
pub struct Module {
    /// Module name (`user`).
    pub name: String,
    /// The cargo feature that enables it.
    pub feature: String,
    /// Its operations, sorted by type name.
    pub operations: Vec<Operation>,
}

/// The result of an import.
pub struct Import {
    /// Where the pages came from, for headers (`graph-docs/ru-RU/v1.0`).
    pub source: String,
    /// Whether `permissions.json` was used.
    pub cross_checked: bool,
    /// Per page, in file-name order.
    pub pages: Vec<PageEntry>,
    /// Resource modules by name.
    pub modules: BTreeMap<String, Module>,
    /// Every repair.
    pub repairs: Vec<Repair>,
}

/// Imports read pages. `source` labels the docs folder in generated headers.
pub fn import(pages: Vec<DocsPage>, permissions: Option<&PermissionsData>, source: &str) -> Import {
    let mut entries = Vec::new();
    let mut repairs = Vec::new();
    let mut by_module: BTreeMap<String, (Vec<Operation>, BTreeMap<String, usize>)> =
        BTreeMap::new();
    for page in pages {
        let DocsPage {
            mut result,
            product,
        } = page;
        let module = module_name(&result.resource);
        let mut reasons: BTreeSet<String> = result
            .diagnostics_at_least(Severity::Warning)
            .map(|d| d.code.to_owned())
            .collect();
        let error = result
            .diagnostics_at_least(Severity::Error)
            .next()
            .map(|d| d.message.replace(['\n', '|'], " "));
        let mut agreement = [Agreement::NoData; 3];
        if let Some(mut op) = result.operation.take() {
            repairs.extend(reader_repairs(&result, &op, permissions));
            map_types(&mut op, &result.page);
            if let Some(data) = permissions {
                agreement = cross_check(&mut op, &result.page, data, &mut repairs);
            }
            let (ops, products) = by_module.entry(module.clone()).or_default();
            ops.push(op);
            if let Some(p) = &product {
                *products.entry(feature_name(p)).or_default() += 1;
            }
        }
        if result.status == ImportStatus::Full {
            reasons.clear();
        }
        entries.push(PageEntry {
            page: result.page,
            resource: module,
            name: result.name,
            status: result.status,
            reasons: reasons.into_iter().collect(),
            error,
            agreement,
        });
    }
    let modules = by_module
        .into_iter()
        .map(|(name, (mut operations, products))| {
            operations.sort_by(|a, b| a.name.value.cmp(&b.name.value));
            let feature = if DEFAULT_MODULES.contains(&name.as_str()) {
                "default-resources".to_owned()
            } else {
                products
                    .iter()
                    .max_by(|a, b| a.1.cmp(b.1).then_with(|| b.0.cmp(a.0)))
                    .map(|(p, _)| p.clone())
                    .unwrap_or_else(|| OTHER_FEATURE.to_owned())
            };
            (
                name.clone(),
                Module {
                    name,
                    feature,
                    operations,
                },
            )
        })
        .collect();
    Import {
        source: source.to_owned(),
        cross_checked: permissions.is_some(),
        pages: entries,
        modules,
        repairs,
    }
}

/// `1 operation`, `2 operations`.
fn plural(n: usize, noun: &str) -> String {
    if n == 1 {
        format!("{n} {noun}")
    } else {
        format!("{n} {noun}s")
    }
}

/// The module name for a resource: reserved names get `_api`.
fn module_name(resource: &str) -> String {
    if RESERVED_MODULES.contains(&resource) {
        format!("{resource}_api")
    } else {
        resource.to_owned()
    }
}

/// A cargo feature name from an `ms.prod` value: lower-case ASCII letters, digits and `-`.
fn feature_name(product: &str) -> String {
    let name: String = product
        .trim()
        .to_ascii_lowercase()
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
        .collect();
    match name.as_str() {
        // One page spells the group of 12 others differently.
        "workbook-and-charts" => "workbooks-and-charts".to_owned(),
        "" | "default" | "full" | "default-resources" => OTHER_FEATURE.to_owned(),
        _ => name,
    }
}

/// Maps body and response types to what `api-defs` defines: `crate::model::X` responses
/// keep `X` when it is in [`MODEL_TYPES`], other Graph types become [`OBJECT_TYPE`];
/// Graph-typed bodies become `serde_json::Value` unless [`BODY_TYPES`] names one;
/// primitives and `serde_json::Value` stay.
pub fn map_types(op: &mut Operation, page: &str) {
    let model = |ty: &syn::Type| -> Option<String> {
        let text = print::type_string(ty);
        text.strip_prefix("crate::model::").map(str::to_owned)
    };
    if let Some(body) = &mut op.body {
        if let Some((_, ty)) = BODY_TYPES.iter().find(|(p, _)| *p == page) {
            body.ty = parse_type(ty);
        } else if model(&body.ty).is_some() {
            body.ty = parse_type("serde_json::Value");
        }
    }
    if let ResponseBody::One(t) | ResponseBody::Collection(t) = &mut op.response.body
        && let Some(name) = model(&t.ty)
    {
        *t = TypeRef {
            ty: parse_type(if MODEL_TYPES.contains(&name.as_str()) {
                &name
            } else {
                OBJECT_TYPE
            }),
        };
    }
}

fn parse_type(text: &str) -> syn::Type {
    syn::parse_str(text).unwrap_or_else(|_| syn::parse_quote!(serde_json::Value))
}

/// Compares each row with `permissions.json` and repairs broken scope names.
fn cross_check(
    op: &mut Operation,
    page: &str,
    data: &PermissionsData,
    repairs: &mut Vec<Repair>,
) -> [Agreement; 3] {
    let Some(entry) = path_entry(op, data) else {
        return [Agreement::NoData; 3];
    };
    let mut out = [Agreement::NotCompared; 3];
    for row in &mut op.permissions.rows {
        let scheme = row.scheme.value;
        let json = entry.scopes(scheme);
        if let RowValue::Scopes(alternatives) = &mut row.value {
            let written: BTreeSet<String> = alternatives
                .iter()
                .flatten()
                .map(|s| s.value.clone())
                .collect();
            for scope in alternatives.iter_mut().flatten() {
                if catalog::lookup(&scope.value).is_some() {
                    continue;
                }
                if let Some((to, rule)) = repair(&scope.value, json, &written) {
                    repairs.push(Repair {
                        page: page.to_owned(),
                        scheme: scheme.as_str(),
                        from: scope.value.clone(),
                        to: to.clone(),
                        rule,
                        by: "importer",
                        confirmed: Some(true),
                    });
                    *scope = Spanned::unspanned(to);
                }
            }
        }
        let i = crate::permissions_json::scheme_index(scheme);
        out[i] = compare(&row.value, json);
    }
    out
}

/// What `permissions.json` says about the operation, merged over its forms.
fn path_entry(
    op: &Operation,
    data: &PermissionsData,
) -> Option<crate::permissions_json::PathPermissions> {
    let mut entry: Option<crate::permissions_json::PathPermissions> = None;
    for form in &op.forms {
        if let Some(found) = data.lookup(&form.method.value, &form.path.value) {
            entry.get_or_insert_with(Default::default).merge(found);
        }
    }
    entry
}

/// The reader's rejoined scopes of a page (`permissions.scope-repaired` notes, whose
/// message is "`written` read as `permission`"), checked against `permissions.json`.
fn reader_repairs(
    result: &PageResult,
    op: &Operation,
    data: Option<&PermissionsData>,
) -> Vec<Repair> {
    let entry = data.and_then(|d| path_entry(op, d));
    result
        .diagnostics
        .iter()
        .filter(|d| d.code == "permissions.scope-repaired")
        .filter_map(|d| {
            let quoted: Vec<&str> = d.message.split('`').skip(1).step_by(2).collect();
            let [from, to] = quoted[..] else {
                return None;
            };
            let confirmed = entry
                .as_ref()
                .map(|e| e.scopes.iter().any(|set| set.contains(to)));
            Some(Repair {
                page: result.page.clone(),
                scheme: "",
                from: from.to_owned(),
                to: to.to_owned(),
                rule: "spacing",
                by: "reader",
                confirmed,
            })
        })
        .collect()
}

fn compare(row: &RowValue, json: &BTreeSet<String>) -> Agreement {
    match row {
        RowValue::Scopes(alternatives) => {
            let docs: BTreeSet<&str> = alternatives
                .iter()
                .flatten()
                .map(|s| s.value.as_str())
                .collect();
            let json: BTreeSet<&str> = json.iter().map(String::as_str).collect();
            if json.is_empty() {
                Agreement::JsonNone
            } else if docs == json {
                Agreement::Same
            } else if docs.is_subset(&json) {
                Agreement::DocsFewer
            } else if docs.is_superset(&json) {
                Agreement::DocsMore
            } else {
                Agreement::Differ
            }
        }
        RowValue::NotSupported(_) if json.is_empty() => Agreement::Same,
        RowValue::NotSupported(_) => Agreement::DocsUnsupported,
        RowValue::NoneRequired(_) | RowValue::Unknown(_) => Agreement::NotCompared,
    }
}

/// The permission of `candidates` that the unknown name `written` evidently is, and the
/// rule that says so; never a name outside `candidates`, and only when exactly one fits.
fn repair(
    written: &str,
    candidates: &BTreeSet<String>,
    already: &BTreeSet<String>,
) -> Option<(String, &'static str)> {
    let squeezed: String = written.chars().filter(|c| !c.is_whitespace()).collect();
    let unique = |found: Vec<&String>| (found.len() == 1).then(|| found[0].clone());
    if let Some(to) = unique(
        candidates
            .iter()
            .filter(|c| c.eq_ignore_ascii_case(&squeezed))
            .collect(),
    ) {
        return Some((to, "spacing"));
    }
    let open: Vec<&String> = candidates
        .iter()
        .filter(|c| !already.contains(*c))
        .collect();
    let stem = squeezed.trim_end_matches(['.', '…']);
    if stem.len() >= 4
        && let Some(to) = unique(
            open.iter()
                .copied()
                .filter(|c| {
                    c.len() > stem.len()
                        && c.get(..stem.len())
                            .is_some_and(|h| h.eq_ignore_ascii_case(stem))
                })
                .collect(),
        )
    {
        return Some((to, "truncated"));
    }
    if squeezed.is_ascii() {
        // Misspelt: the only open permission within two edits (any case), e.g.
        // `Calls.JoinGroupCalls.All` → `Calls.JoinGroupCall.All`.
        let lower = squeezed.to_ascii_lowercase();
        let near: Vec<&String> = open
            .iter()
            .copied()
            .filter(|c| strsim::damerau_levenshtein(&lower, &c.to_ascii_lowercase()) <= 2)
            .collect();
        if let Some(to) = unique(near) {
            return Some((to, "misspelt"));
        }
    }
    if !squeezed.is_ascii() {
        let parts: Vec<&str> = squeezed.split('.').collect();
        let ascii_parts = parts
            .iter()
            .filter(|p| p.is_ascii() && !p.is_empty())
            .count();
        if ascii_parts > 0
            && let Some(to) = unique(
                open.iter()
                    .copied()
                    .filter(|c| {
                        let theirs: Vec<&str> = c.split('.').collect();
                        theirs.len() == parts.len()
                            && parts.iter().zip(&theirs).all(|(mine, theirs)| {
                                !mine.is_ascii() || mine.eq_ignore_ascii_case(theirs)
                            })
                    })
                    .collect(),
            )
        {
            return Some((to, "translated"));
        }
    }
    None
}

impl Import {
    /// Operations imported.
    pub fn operation_count(&self) -> usize {
        self.modules.values().map(|m| m.operations.len()).sum()
    }

    /// Pages with `status`.
    pub fn count(&self, status: ImportStatus) -> usize {
        self.pages.iter().filter(|p| p.status == status).count()
    }

    /// Per scheme, how many imported pages have each [`Agreement`].
    pub fn agreement(&self) -> BTreeMap<&'static str, BTreeMap<Agreement, usize>> {
        let mut out: BTreeMap<&'static str, BTreeMap<Agreement, usize>> = BTreeMap::new();
        for page in self.pages.iter().filter(|p| p.status != ImportStatus::Not) {
            for (i, scheme) in Scheme::ALL.iter().enumerate() {
                *out.entry(scheme.as_str())
                    .or_default()
                    .entry(page.agreement[i])
                    .or_default() += 1;
            }
        }
        out
    }

    /// Features and their modules (sorted).
    pub fn features(&self) -> BTreeMap<&str, Vec<&str>> {
        let mut out: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
        for m in self.modules.values() {
            out.entry(m.feature.as_str()).or_default().push(&m.name);
        }
        out
    }

    /// Every generated file, as (path relative to `api-defs/`, content). `cargo_toml` is
    /// the current `api-defs/Cargo.toml`, whose marked `[features]` table is replaced.
    pub fn files(&self, cargo_toml: &str) -> Result<Vec<(String, String)>, String> {
        let mut out = Vec::new();
        for module in self.modules.values() {
            out.push((format!("src/{}.rs", module.name), self.module_file(module)));
        }
        out.push(("src/resources.rs".to_owned(), self.resources_file()));
        out.push(("Cargo.toml".to_owned(), self.cargo_toml(cargo_toml)?));
        out.push(("IMPORT-REPORT.md".to_owned(), self.report()));
        Ok(out)
    }

    fn generated_line(&self) -> String {
        format!(
            "@generated by `graphspec import` from {}; do not edit",
            self.source
        )
    }

    /// The text of `src/<module>.rs`.
    pub fn module_file(&self, module: &Module) -> String {
        let mut out = format!("// {}\n", self.generated_line());
        let _ = writeln!(
            out,
            "//! Operations on the `{}` resource ({}; feature `{}`).",
            module.name,
            plural(module.operations.len(), "operation"),
            module.feature
        );
        out.push_str(
            "//!\n//! Imported from the Graph reference pages named in each `docs:` entry.\n\n",
        );
        let mut uses: BTreeSet<String> = BTreeSet::new();
        let mut note = |ty: &syn::Type| {
            let text = print::type_string(ty);
            if MODEL_TYPES.contains(&text.as_str())
                || text == OBJECT_TYPE
                || BODY_TYPES.iter().any(|(_, t)| *t == text)
            {
                uses.insert(text);
            }
        };
        for op in &module.operations {
            if let Some(b) = &op.body {
                note(&b.ty);
            }
            if let ResponseBody::One(t) | ResponseBody::Collection(t) = &op.response.body {
                note(&t.ty);
            }
        }
        out.push_str("use crate::OperationInfo;\n");
        match uses.len() {
            0 => {}
            1 => {
                let _ = writeln!(out, "use crate::model::{};", uses.first().unwrap());
            }
            _ => {
                let list: Vec<&str> = uses.iter().map(String::as_str).collect();
                let _ = writeln!(out, "use crate::model::{{{}}};", list.join(", "));
            }
        }
        out.push_str("\n/// Every operation of this module.\n");
        // Laid out as rustfmt lays it out (100 columns): one line, or the value on the
        // next line, or one item per line.
        let items: Vec<String> = module
            .operations
            .iter()
            .map(|op| format!("{}::INFO", op.name.value))
            .collect();
        let one_line = format!(
            "pub const OPERATIONS: &[&OperationInfo] = &[{}];",
            items.join(", ")
        );
        let wrapped = format!("    &[{}];", items.join(", "));
        if one_line.len() <= 100 {
            out.push_str(&one_line);
            out.push('\n');
        } else if wrapped.len() <= 100 {
            let _ = writeln!(out, "pub const OPERATIONS: &[&OperationInfo] =\n{wrapped}");
        } else {
            out.push_str("pub const OPERATIONS: &[&OperationInfo] = &[\n");
            for item in &items {
                let _ = writeln!(out, "    {item},");
            }
            out.push_str("];\n");
        }
        for op in &module.operations {
            out.push('\n');
            out.push_str(&print::print_operation(op).replacen(
                "graphspec::endpoint!",
                "crate::endpoint!",
                1,
            ));
        }
        out
    }

    /// The text of `src/resources.rs`: the modules behind their features and
    /// `ENABLED_OPERATIONS`.
    pub fn resources_file(&self) -> String {
        let mut out = format!("// {}\n", self.generated_line());
        out.push_str("// Included by lib.rs: each resource module behind its cargo feature.\n\n");
        for m in self.modules.values() {
            let _ = writeln!(
                out,
                "/// Operations on the `{}` resource.\n#[cfg(feature = \"{}\")]\npub mod {};",
                m.name, m.feature, m.name
            );
        }
        out.push_str(
            "\n/// The `OPERATIONS` of every enabled resource module.\nconst ENABLED_OPERATIONS: &[&[&OperationInfo]] = &[\n",
        );
        for m in self.modules.values() {
            let _ = writeln!(
                out,
                "    #[cfg(feature = \"{}\")]\n    {}::OPERATIONS,",
                m.feature, m.name
            );
        }
        out.push_str("];\n");
        out
    }

    /// `cargo_toml` with the text between [`FEATURES_BEGIN`] and [`FEATURES_END`]
    /// replaced by the generated feature entries. The markers sit inside the
    /// `[features]` table, after its hand-written entries (such as `client`).
    pub fn cargo_toml(&self, cargo_toml: &str) -> Result<String, String> {
        let begin = cargo_toml
            .find(FEATURES_BEGIN)
            .ok_or_else(|| format!("Cargo.toml has no line `{FEATURES_BEGIN}`"))?;
        let end = cargo_toml
            .find(FEATURES_END)
            .filter(|&e| e > begin)
            .ok_or_else(|| {
                format!("Cargo.toml has no line `{FEATURES_END}` after the begin marker")
            })?;
        let features = self.features();
        let mut table = format!("{FEATURES_BEGIN}\n");
        table.push_str("default = [\"default-resources\"]\n");
        let all: Vec<String> = features
            .keys()
            .filter(|f| **f != "default-resources")
            .map(|f| format!("\"{f}\""))
            .collect();
        let _ = writeln!(
            table,
            "# Every resource group.\nfull = [\"default-resources\", {}]",
            all.join(", ")
        );
        for (feature, modules) in &features {
            let _ = writeln!(
                table,
                "# {}: {}\n{feature} = []",
                plural(
                    self.modules
                        .values()
                        .filter(|m| m.feature == *feature)
                        .map(|m| m.operations.len())
                        .sum::<usize>(),
                    "operation"
                ),
                modules.join(", ")
            );
        }
        Ok(format!(
            "{}{}{}",
            &cargo_toml[..begin],
            table,
            &cargo_toml[end..]
        ))
    }

    /// The import report (Markdown).
    pub fn report(&self) -> String {
        let mut out = String::from("# Import report\n\n");
        let _ = writeln!(out, "<!-- {} -->\n", self.generated_line());
        let total = self.pages.len();
        let pct = |n: usize| {
            if total == 0 {
                0.0
            } else {
                n as f64 * 100.0 / total as f64
            }
        };
        let _ = writeln!(
            out,
            "Source: `{}`, {} operation pages → {} operations in {} resource modules.\n",
            self.source,
            total,
            self.operation_count(),
            self.modules.len()
        );
        out.push_str("| status | pages | share |\n|---|---:|---:|\n");
        for (label, status) in [
            ("imported fully", ImportStatus::Full),
            ("imported partly", ImportStatus::Partly),
            ("not imported", ImportStatus::Not),
        ] {
            let n = self.count(status);
            let _ = writeln!(out, "| {label} | {n} | {:.1}% |", pct(n));
        }
        out.push_str("\n## Why pages are not imported fully\n\n| reason | pages |\n|---|---:|\n");
        let mut reasons: BTreeMap<&str, usize> = BTreeMap::new();
        for p in &self.pages {
            for r in &p.reasons {
                *reasons.entry(r).or_default() += 1;
            }
        }
        for (r, n) in &reasons {
            let _ = writeln!(out, "| `{r}` | {n} |");
        }
        out.push_str("\n## Agreement with permissions.json\n\n");
        if self.cross_checked {
            out.push_str("Imported operations per scheme (see docs/importer.md for the categories).\n\n| scheme |");
            for a in Agreement::ALL {
                let _ = write!(out, " {} |", a.as_str());
            }
            out.push_str("\n|---|");
            for _ in Agreement::ALL {
                out.push_str("---:|");
            }
            out.push('\n');
            for (scheme, counts) in self.agreement() {
                let _ = write!(out, "| {scheme} |");
                for a in Agreement::ALL {
                    let _ = write!(out, " {} |", counts.get(&a).copied().unwrap_or(0));
                }
                out.push('\n');
            }
        } else {
            out.push_str("Not cross-checked (no `--permissions` file).\n");
        }
        let _ = writeln!(out, "\n## Repairs ({})\n", self.repairs.len());
        if !self.repairs.is_empty() {
            let confirmed = |c: Option<bool>| match c {
                Some(true) => "yes",
                Some(false) => "no",
                None => "path not in file",
            };
            out.push_str(
                "Importer repairs come from `permissions.json` for the same path and scheme; \
                 reader repairs rejoin a scope split by a stray space when the permission \
                 exists, and are checked here against the path.\n\n",
            );
            out.push_str(
                "| page | scheme | docs wrote | read as | rule | by | permissions.json lists it for the path |\n\
                 |---|---|---|---|---|---|---|\n",
            );
            for r in &self.repairs {
                let _ = writeln!(
                    out,
                    "| {} | {} | `{}` | `{}` | {} | {} | {} |",
                    r.page,
                    r.scheme,
                    r.from,
                    r.to,
                    r.rule,
                    r.by,
                    confirmed(r.confirmed)
                );
            }
        }
        out.push_str("\n## Features\n\n| feature | operations | modules |\n|---|---:|---|\n");
        for (feature, modules) in self.features() {
            let n: usize = self
                .modules
                .values()
                .filter(|m| m.feature == feature)
                .map(|m| m.operations.len())
                .sum();
            let _ = writeln!(out, "| `{feature}` | {n} | {} |", modules.join(", "));
        }
        out.push_str("\n## Pages\n\nAgreement: DelegatedWork / DelegatedPersonal / Application.\n\n| page | operation | status | why | agreement |\n|---|---|---|---|---|\n");
        for p in &self.pages {
            let status = match p.status {
                ImportStatus::Full => "full",
                ImportStatus::Partly => "partly",
                ImportStatus::Not => "not",
            };
            let agreement = if p.status == ImportStatus::Not || !self.cross_checked {
                String::new()
            } else {
                p.agreement
                    .iter()
                    .map(|a| a.as_str())
                    .collect::<Vec<_>>()
                    .join(" / ")
            };
            let op = if p.status == ImportStatus::Not {
                String::new()
            } else {
                format!("`{}::{}`", p.resource, p.name)
            };
            let mut why = p.reasons.join(", ");
            if let Some(error) = &p.error {
                let _ = write!(why, ": {error}");
            }
            let _ = writeln!(
                out,
                "| {} | {} | {} | {} | {} |",
                p.page, op, status, why, agreement
            );
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn set(names: &[&str]) -> BTreeSet<String> {
        names.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn repairs_only_evident_breakage() {
        let json = set(&[
            "GroupMember.Read.All",
            "Group.Read.All",
            "Directory.Read.All",
        ]);
        let none = BTreeSet::new();
        assert_eq!(
            repair("GroupMember. Read. All", &json, &none),
            Some(("GroupMember.Read.All".to_owned(), "spacing"))
        );
        assert_eq!(
            repair("GroupMember.Read.", &json, &none),
            Some(("GroupMember.Read.All".to_owned(), "truncated"))
        );
        assert_eq!(
            repair("Группа.Read.All", &json, &set(&["Directory.Read.All"])),
            None,
            "two candidates (GroupMember, Group) fit"
        );
        assert_eq!(
            repair("Группа.Read.All", &set(&["Group.Read.All"]), &none),
            Some(("Group.Read.All".to_owned(), "translated"))
        );
        assert_eq!(repair("Mail.Send", &json, &none), None, "never invented");
        let calls = set(&["Calls.JoinGroupCall.All", "Calls.JoinGroupCallAsGuest.All"]);
        assert_eq!(
            repair("Calls.JoinGroupCalls.All", &calls, &none),
            Some(("Calls.JoinGroupCall.All".to_owned(), "misspelt"))
        );
        assert_eq!(
            repair("Calls.JoinGroupCallsasGuest.All", &calls, &none),
            Some(("Calls.JoinGroupCallAsGuest.All".to_owned(), "misspelt"))
        );
        assert_eq!(
            repair(
                "Group.Read.Al",
                &set(&["Group.Read.All", "Group.ReadWrite.All"]),
                &none
            ),
            Some(("Group.Read.All".to_owned(), "truncated"))
        );
        assert_eq!(
            repair(
                "Subscription.Read.All",
                &set(&["Directory.Read.All"]),
                &none
            ),
            None
        );
    }

    fn operation(text: &str) -> Operation {
        let mut errors = graphspec_codegen::Errors::default();
        let items = graphspec_codegen::dsl::parse_items(text.parse().unwrap(), &mut errors);
        assert!(errors.is_empty());
        items.into_iter().next().unwrap().operation
    }

    fn sample() -> Import {
        let mut op = operation(
            r#"/// Delete group
            pub struct Delete {
                DELETE "/groups/{id}",
                permissions: {
                    DelegatedWork: ["Group.ReadWrite.All"],
                    DelegatedPersonal: unsupported,
                    Application: ["Group.ReadWrite.All"],
                },
                response: 200 crate::model::ConversationThread,
                docs: "group-delete",
            }"#,
        );
        map_types(&mut op, "group-delete");
        let data = PermissionsData::from_json(
            r#"{"permissions": {"Group.ReadWrite.All": {"pathSets": [{"schemeKeys": ["DelegatedWork", "Application"],
            "methods": ["DELETE"], "paths": {"/groups/{id}": "least=DelegatedWork,Application"}}]}}}"#,
        )
        .unwrap();
        let agreement = cross_check(&mut op, "group-delete", &data, &mut Vec::new());
        let mut modules = BTreeMap::new();
        modules.insert(
            "group".to_owned(),
            Module {
                name: "group".to_owned(),
                feature: "default-resources".to_owned(),
                operations: vec![op],
            },
        );
        Import {
            source: "graph-docs/xx/v1.0".to_owned(),
            cross_checked: true,
            pages: vec![PageEntry {
                page: "group-delete".to_owned(),
                resource: "group".to_owned(),
                name: "Delete".to_owned(),
                status: ImportStatus::Full,
                reasons: Vec::new(),
                error: None,
                agreement,
            }],
            modules,
            repairs: Vec::new(),
        }
    }

    #[test]
    fn module_files_are_marked_generated_and_use_model_types() {
        let import = sample();
        assert_eq!(import.pages[0].agreement, [Agreement::Same; 3]);
        let text = import.module_file(&import.modules["group"]);
        let expected = r#"// @generated by `graphspec import` from graph-docs/xx/v1.0; do not edit
//! Operations on the `group` resource (1 operation; feature `default-resources`).
//!
//! Imported from the Graph reference pages named in each `docs:` entry.

use crate::OperationInfo;
use crate::model::Object;

/// Every operation of this module.
pub const OPERATIONS: &[&OperationInfo] = &[Delete::INFO];

crate::endpoint! {
    /// Delete group
    pub struct Delete {
        DELETE "/groups/{id}",
        permissions: {
            DelegatedWork: ["Group.ReadWrite.All"],
            DelegatedPersonal: unsupported,
            Application: ["Group.ReadWrite.All"],
        },
        response: 200 Object,
        docs: "group-delete",
    }
}
"#;
        assert_eq!(text, expected);
        let resources = import.resources_file();
        assert!(resources.contains("#[cfg(feature = \"default-resources\")]\npub mod group;"));
        assert!(
            resources
                .contains("    #[cfg(feature = \"default-resources\")]\n    group::OPERATIONS,")
        );
    }

    #[test]
    fn the_features_table_is_replaced_between_markers() {
        let import = sample();
        let toml = format!(
            "[package]\nname = \"x\"\n\n{FEATURES_BEGIN}\nold = []\n{FEATURES_END}\n\n[dependencies]\n"
        );
        let out = import.cargo_toml(&toml).unwrap();
        assert!(out.starts_with("[package]\nname = \"x\"\n\n"));
        assert!(!out.contains("old = []"));
        assert!(
            out.contains("(graphspec import; do not edit)\ndefault = [\"default-resources\"]\n")
        );
        assert!(out.contains("# 1 operation: group\ndefault-resources = []\n"));
        assert!(out.ends_with(&format!("{FEATURES_END}\n\n[dependencies]\n")));
        assert_eq!(import.cargo_toml(&out).unwrap(), out, "idempotent");
        assert!(import.cargo_toml("[package]\n").is_err());
        let report = import.report();
        assert!(report.contains("| imported fully | 1 | 100.0% |"));
        assert!(report.contains("| DelegatedWork | 1 | 0 |"));
        assert!(
            report.contains("| group-delete | `group::Delete` | full |  | same / same / same |")
        );
    }

    #[test]
    fn front_matter_values() {
        let text = "---\ntitle: 'x'\nms.prod: users\n---\n# x\nms.prod: no\n";
        assert_eq!(front_matter(text, "ms.prod").as_deref(), Some("users"));
        assert_eq!(front_matter("# x", "ms.prod"), None);
        assert_eq!(feature_name("workbook-and-charts"), "workbooks-and-charts");
    }
}
