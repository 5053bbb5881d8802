//! Stage 4, definitions: the pages' operations made into the definitions `api-defs`
//! holds. [`import`] cross-checks each operation with `permissions.json` (stage 3),
//! maps its Graph types to the Rust types `api-defs` has ([`map_types`]), names its
//! resource module ([`RESERVED_MODULES`]) and groups the modules into cargo features
//! ([`Module::feature`]); the result ([`Import`]) is what the last stage
//! [writes](crate::write) and [reports](crate::report).
//!
//! # Types
//!
//! With Microsoft's CSDL ([`crate::csdl`]), a Graph type a page names is resolved to its
//! generated model ([`crate::models::Names::resolve`]): `crate::model::User`,
//! `crate::model::call_records::Session`. A POST to an action with parameters sends the
//! action's body type (`AssignLicenseBody`); a POST or PATCH whose page names a Graph type
//! sends that type. A type the CSDL does not know, and every Graph type when no CSDL is
//! given, responds with [`OBJECT_TYPE`] (lossless) and is sent as `serde_json::Value`.
//! Primitive types (`Edm.String` → `String`, `Edm.Stream` → `Vec<u8>`) are kept.
//!
//! # Features
//!
//! [`DEFAULT_MODULES`] are the `default-resources` feature; every other module belongs to
//! the `ms.prod` value most of its pages carry (ties: alphabetical), or to
//! [`OTHER_FEATURE`].

use std::collections::{BTreeMap, BTreeSet};

use graphspec_codegen::model::{Operation, ResponseBody, RowValue, TypeRef};
use graphspec_spec::{Scheme, catalogue};

use crate::content;
use crate::cross_check::{Agreement, cross_check};
use crate::csdl::Metadata;
use crate::diagnostic::{Code, Severity};
use crate::example_forms::{AdoptedForm, ContentRequest, RootedForm};
use crate::function_calls::CompletedCall;
use crate::identity::{self, Identity, Unresolved};
use crate::models::{self, Models, Names};
use crate::naming;
use crate::page::{ImportStatus, PageResult};
use crate::permissions_json::PermissionsData;
use crate::print;
use crate::repair::{Repair, reader_repairs};
use crate::split;

/// The generic response type for a Graph type the CSDL does not define (lossless).
pub const OBJECT_TYPE: &str = "model::Object";

/// Resource modules in the default feature set (the README and the UI tests use them).
pub const DEFAULT_MODULES: &[&str] = &["user", "group", "subscribedsku"];

/// The feature of resource modules whose pages name no `ms.prod`.
pub const OTHER_FEATURE: &str = "other";

/// Names a resource module may not take: the modules `api-defs/src/lib.rs` declares or
/// re-exports itself, which would shadow a resource module re-exported from
/// `generated::operations` without a word from rustc. Such a module gets `_api` appended.
pub const RESERVED_MODULES: &[&str] = &[
    "model",
    "scopes",
    "check",
    "claims",
    "client",
    "edm",
    "generated",
    "__private",
];

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
    pub reasons: Vec<Code>,
    /// For a page not imported, the message of its first error.
    pub error: Option<String>,
    /// Agreement with `permissions.json`, per scheme in [`Scheme::ALL`] order.
    pub agreement: [Agreement; 3],
    /// When every request of the page is another operation's ([`crate::identity`]): the
    /// operations that serve them (`message::GetMessage`); the page's own is not generated.
    pub merged_into: Vec<String>,
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
    /// The scopes left that are not known permissions, after the repairs: (page,
    /// scheme, name), in page order (`permissions.unrepaired-scope`).
    pub unknown_scopes: Vec<(String, &'static str, String)>,
    /// The CSDL the models are generated from, with their names.
    pub metadata: Option<(Metadata, Names)>,
    /// Endpoints documented on several pages and who serves them ([`crate::identity`]).
    pub identity: Identity,
    /// Operations whose name the naming rule could not make unique in their module
    /// without a number ([`naming`]): `module::Name2 (the rule gives `Name`)`.
    pub numbered: Vec<String>,
    /// Pages whose permissions table has one row per resource ([`split`]).
    pub per_resource: PerResource,
    /// The forms written from below the service root, rooted by their examples
    /// ([`crate::example_forms::root`]; with the CSDL only).
    pub rooted_forms: Vec<RootedForm>,
    /// The forms adopted from examples ([`crate::example_forms`]; with the CSDL only).
    pub example_forms: Vec<AdoptedForm>,
    /// The reads of raw content the examples show, made operations of their own
    /// ([`crate::example_forms::content_requests`]; with the CSDL only).
    pub content_requests: Vec<ContentRequest>,
    /// The function calls the CSDL completed ([`crate::function_calls`]; with the CSDL
    /// only).
    pub function_calls: Vec<CompletedCall>,
    /// The reads whose forms addressing raw content answer bytes ([`crate::content`]).
    pub content: Vec<content::ContentSplit>,
    /// The writes of content whose body is the raw bytes ([`content::content_body`]):
    /// (page, operation before naming).
    pub content_bodies: Vec<(String, String)>,
}

/// What [`split`] did over the import.
#[derive(Debug, Clone, Default)]
pub struct PerResource {
    /// Pages split into several operations, each with its row's table: (page, the
    /// operations as `module::Name`).
    pub split: Vec<(String, Vec<String>)>,
    /// Forms of such pages that no row names (they keep the page's merged table).
    pub unassigned_forms: usize,
    /// The pages with such forms: what each table is for, and the forms.
    pub still_merged: Vec<StillMerged>,
}

/// A page whose tables are for different things, with forms no table names: they keep
/// the page's merged table ([`split`]).
#[derive(Debug, Clone)]
pub struct StillMerged {
    /// The page's file stem.
    pub page: String,
    /// What each table is for, as its row label or heading names it (`callrecord`,
    /// `user`; a table's list is empty when it names nothing; no list when the tables'
    /// headings name nothing a path could address, as groupsetting-update's "for the
    /// consent policy settings object").
    pub tables: Vec<Vec<String>>,
    /// The forms no table names (`PATCH /groupSettings/{groupSettingId}`).
    pub forms: Vec<String>,
}

/// Imports read pages. `source` labels the docs folder in generated headers.
pub fn import(
    mut pages: Vec<PageResult>,
    permissions: Option<&PermissionsData>,
    metadata: Option<&Metadata>,
    source: &str,
) -> Import {
    let rooted_forms = metadata
        .map(|m| crate::example_forms::root(&mut pages, m))
        .unwrap_or_default();
    let example_forms = metadata
        .map(|m| crate::example_forms::adopt(&mut pages, m))
        .unwrap_or_default();
    let content_requests = metadata
        .map(|m| crate::example_forms::content_requests(&mut pages, m))
        .unwrap_or_default();
    let function_calls = metadata
        .map(|m| crate::function_calls::complete(&mut pages, m))
        .unwrap_or_default();
    let names = metadata.map(Names::new);
    let types = metadata.zip(names.as_ref());
    let types_of = types;
    let mut entries = Vec::new();
    let mut repairs = Vec::new();
    let mut unknown_scopes = Vec::new();
    let mut unresolved: Vec<Unresolved> = Vec::new();
    let mut products: BTreeMap<String, BTreeMap<String, usize>> = BTreeMap::new();
    let mut unassigned_forms = 0;
    let mut still_merged: Vec<StillMerged> = Vec::new();
    // Pages split per resource: (page, its operations' provisional `module::Name`s).
    let mut split_pages: Vec<(String, Vec<String>)> = Vec::new();
    // Operations whose reads of raw content answer bytes.
    let mut content_splits: Vec<content::ContentSplit> = Vec::new();
    // Writes of content whose body is the raw bytes: (page, operation).
    let mut content_bodies: Vec<(String, String)> = Vec::new();
    for mut result in pages {
        let module = module_name(&result.resource);
        let mut reasons: BTreeSet<Code> = result
            .diagnostics_at_least(Severity::Warning)
            .map(|d| d.code)
            .collect();
        let error = result
            .diagnostics_at_least(Severity::Error)
            .next()
            .map(|d| d.message.replace(['\n', '|'], " "));
        let mut agreement = [Agreement::NoData; 3];
        // The page's operation, then those of its later sections, each with the query
        // strings its forms were written with.
        let mut page_operations: Vec<(Operation, Vec<Option<String>>)> = Vec::new();
        if let Some(op) = result.operation.take() {
            page_operations.push((op, std::mem::take(&mut result.form_queries)));
            page_operations.extend(
                std::mem::take(&mut result.sections)
                    .into_iter()
                    .map(|s| (s.operation, s.form_queries)),
            );
        }
        // The forms of a read that address raw content answer its bytes ([`content`]).
        let mut with_content = Vec::new();
        for (mut op, form_queries) in page_operations {
            let name = op.name.value.clone();
            if content::content_body(&mut op, metadata) {
                content_bodies.push((result.page.clone(), name.clone()));
            }
            let (ops, changed) = content::split(op, form_queries, metadata);
            if changed {
                content_splits.push(content::ContentSplit {
                    page: result.page.clone(),
                    operation: name,
                    split: ops.len() > 1,
                });
            }
            with_content.extend(ops);
        }
        let page_operations = with_content;
        let mut own_forms: Vec<String> = Vec::new();
        for (index, (mut op, form_queries)) in page_operations.into_iter().enumerate() {
            let own = index == 0;
            if own {
                repairs.extend(reader_repairs(&result, &op, permissions));
                own_forms = op
                    .forms
                    .iter()
                    .map(|f| format!("{} {}", f.method.value, f.path.value))
                    .collect();
            }
            map_types(&mut op, &module, types);
            let with_query: Vec<(String, bool)> = op
                .forms
                .iter()
                .enumerate()
                .map(|(f, form)| {
                    let queried = form_queries.get(f).is_some_and(|q| q.is_some());
                    (form.path.value.clone(), queried)
                })
                .collect();
            let parts = split::split(op, &result.resource_tables, metadata);
            unassigned_forms += parts.unassigned;
            if parts.unassigned > 0 {
                still_merged.push(StillMerged {
                    page: result.page.clone(),
                    tables: result
                        .resource_tables
                        .iter()
                        .map(|t| t.resources.clone())
                        .collect(),
                    forms: parts.unassigned_forms.clone(),
                });
            }
            if own && !result.resource_tables.is_empty() && parts.unassigned == 0 {
                // Every form has its row's table: nothing was merged.
                reasons.remove(&Code::PermissionsPerResourceTable);
                reasons.remove(&Code::PermissionsConditional);
                reasons.remove(&Code::PermissionsMergedTables);
                if reasons.is_empty() && result.status == ImportStatus::Partly {
                    result.status = ImportStatus::Full;
                }
            }
            if parts.operations.len() > 1 {
                let names = parts
                    .operations
                    .iter()
                    .map(|op| format!("{module}::{}", op.name.value))
                    .collect();
                split_pages.push((result.page.clone(), names));
            }
            for (n, mut op) in parts.operations.into_iter().enumerate() {
                if let Some(data) = permissions {
                    let agreed = cross_check(&mut op, &result.page, data, &mut repairs);
                    if own && n == 0 {
                        agreement = agreed;
                    }
                }
                let unknown = unknown_scopes_of(&op);
                if !unknown.is_empty() {
                    // Never a name outside the catalogue without a finding.
                    reasons.insert(Code::PermissionsUnrepairedScope);
                    if result.status == ImportStatus::Full {
                        result.status = ImportStatus::Partly;
                    }
                }
                unknown_scopes.extend(
                    unknown
                        .into_iter()
                        .map(|(scheme, name)| (result.page.clone(), scheme, name)),
                );
                let with_query = op
                    .forms
                    .iter()
                    .map(|form| {
                        with_query
                            .iter()
                            .any(|(path, q)| *q && *path == form.path.value)
                    })
                    .collect();
                unresolved.push(Unresolved {
                    module: module.clone(),
                    resource: result.resource.clone(),
                    page: result.page.clone(),
                    operation: op,
                    with_query,
                });
            }
            if own {
                let counts = products.entry(module.clone()).or_default();
                if let Some(p) = &result.product {
                    *counts.entry(feature_name(p)).or_default() += 1;
                }
            }
        }
        if result.status == ImportStatus::Full {
            reasons.clear();
        }
        // Tables merged that no heading or row label tells apart.
        if reasons.contains(&Code::PermissionsMergedTables)
            && !still_merged.iter().any(|m| m.page == result.page)
        {
            still_merged.push(StillMerged {
                page: result.page.clone(),
                tables: Vec::new(),
                forms: own_forms,
            });
        }
        entries.push(PageEntry {
            page: result.page,
            resource: module,
            name: result.name,
            status: result.status,
            reasons: reasons.into_iter().collect(),
            error,
            agreement,
            merged_into: Vec::new(),
        });
    }
    let common_base = |types: &[&syn::Type]| -> Option<syn::Type> {
        let (metadata, names) = types_of?;
        let qualified: Vec<String> = types
            .iter()
            .map(|ty| {
                let text = print::type_string(ty);
                let path = text.strip_prefix("model::")?;
                names.lookup_path(path).map(|(q, _)| q)
            })
            .collect::<Option<_>>()?;
        let (first, rest) = qualified.split_first()?;
        let base = metadata.ancestry(first).into_iter().find(|t| {
            rest.iter()
                .all(|other| metadata.ancestry(other).iter().any(|a| a.name == t.name))
        })?;
        if base.base_type.is_none() && base.name == "microsoft.graph.entity" {
            return None;
        }
        names
            .of(&base.name)
            .map(|n| parse_type(&model_type_path(n)))
    };
    let (kept, identity) = identity::resolve(unresolved, &common_base);
    let mut numbered_names = Vec::new();
    // A page is merged when none of its operations is kept (a page split per resource
    // may keep some).
    let kept_pages: BTreeSet<&str> = kept.iter().map(|u| u.page.as_str()).collect();
    for merge in &identity.merges {
        if kept_pages.contains(merge.page.as_str()) {
            continue;
        }
        if let Some(entry) = entries.iter_mut().find(|e| e.page == merge.page) {
            for into in &merge.into {
                if !entry.merged_into.contains(into) {
                    entry.merged_into.push(into.clone());
                }
            }
        }
    }
    let mut by_module: BTreeMap<String, (Vec<Operation>, BTreeMap<String, usize>)> =
        BTreeMap::new();
    // Per module, per operation: whether every form was written with a query string
    // (such an operation yields a shared name to one written without).
    let mut queried: BTreeMap<String, Vec<bool>> = BTreeMap::new();
    for u in kept {
        queried
            .entry(u.module.clone())
            .or_default()
            .push(!u.with_query.is_empty() && u.with_query.iter().all(|q| *q));
        by_module.entry(u.module).or_default().0.push(u.operation);
    }
    // Names from requests (stage 4's last step): every reference to an operation by its
    // page-derived name is renamed.
    let naming_context = naming::Context::new(metadata);
    let mut renamed: BTreeMap<String, String> = BTreeMap::new();
    for (module, (operations, _)) in &mut by_module {
        let before: Vec<String> = operations.iter().map(|o| o.name.value.clone()).collect();
        for numbered in naming::name_module(operations, &queried[module.as_str()], &naming_context)
        {
            numbered_names.push(format!(
                "{module}::{} (the rule gives `{}`)",
                operations[numbered.index].name.value, numbered.wanted
            ));
        }
        for (old, op) in before.into_iter().zip(operations.iter()) {
            renamed.insert(
                format!("{module}::{old}"),
                format!("{module}::{}", op.name.value),
            );
        }
    }
    let rename = |name: &mut String| {
        if let Some(new) = renamed.get(name.as_str()) {
            *name = new.clone();
        }
    };
    for entry in &mut entries {
        if entry.merged_into.is_empty()
            && let Some(new) = renamed.get(&format!("{}::{}", entry.resource, entry.name))
            && let Some((_, name)) = new.split_once("::")
        {
            entry.name = name.to_owned();
        }
        entry.merged_into.iter_mut().for_each(rename);
    }
    let mut identity = identity;
    for shared in &mut identity.shared {
        rename(&mut shared.owner);
        shared.others.iter_mut().for_each(rename);
    }
    for merge in &mut identity.merges {
        merge.into.iter_mut().for_each(rename);
    }
    let per_resource = PerResource {
        split: split_pages
            .into_iter()
            .map(|(page, names)| {
                // The parts kept (others were merged into the operations that own
                // their requests).
                let names = names
                    .iter()
                    .filter_map(|n| renamed.get(n).cloned())
                    .collect();
                (page, names)
            })
            .collect(),
        unassigned_forms,
        still_merged,
    };
    for (module, counts) in products {
        if let Some(entry) = by_module.get_mut(&module) {
            entry.1 = counts;
        }
    }
    let modules = by_module
        .into_iter()
        .map(|(name, (mut operations, products))| {
            operations.sort_by(|a, b| a.name.value.cmp(&b.name.value));
            type_updates(&mut operations);
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
        unknown_scopes,
        metadata: metadata.cloned().zip(names),
        identity,
        numbered: numbered_names,
        per_resource,
        rooted_forms,
        example_forms,
        content_requests,
        function_calls,
        content: content_splits,
        content_bodies,
    }
}

/// The scopes of `op` that are not known permissions: (scheme, name), once each.
fn unknown_scopes_of(op: &Operation) -> Vec<(&'static str, String)> {
    let mut out: Vec<(&'static str, String)> = Vec::new();
    for row in &op.permissions.rows {
        let RowValue::Scopes(alternatives) = &row.value else {
            continue;
        };
        for scope in alternatives.iter().flatten() {
            let found = (row.scheme.value.as_str(), scope.value.clone());
            if catalogue::lookup(&scope.value).is_none() && !out.contains(&found) {
                out.push(found);
            }
        }
    }
    out
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

/// Maps body and response types to the generated models (see [the module](self)):
/// `crate::model::X` becomes the model the CSDL names `X`, or [`OBJECT_TYPE`] (responses)
/// and `serde_json::Value` (bodies) when there is none; a POST to an action with
/// parameters sends its body type. Primitives and `serde_json::Value` stay.
pub fn map_types(op: &mut Operation, resource: &str, types: Option<(&Metadata, &Names)>) {
    let model = |ty: &syn::Type| -> Option<String> {
        let text = print::type_string(ty);
        text.starts_with("crate::model::").then_some(text)
    };
    let rust = |text: &str| -> Option<String> {
        let (_, names) = types?;
        names.of(names.resolve(text)?).map(model_type_path)
    };
    if let Some(body) = &mut op.body {
        let action = types.and_then(|(metadata, names)| {
            op.forms
                .iter()
                .filter(|f| f.method.value.eq_ignore_ascii_case("POST"))
                .find_map(|f| models::action_for(metadata, names, &f.path.value, resource))
                .and_then(|i| names.action_body(i))
                .map(model_type_path)
        });
        if let Some(path) = action {
            body.ty = parse_type(&path);
        } else if let Some(text) = model(&body.ty) {
            body.ty = parse_type(&rust(&text).unwrap_or_else(|| "serde_json::Value".to_owned()));
        }
    }
    if let ResponseBody::One(t) | ResponseBody::Collection(t) = &mut op.response.body
        && let Some(text) = model(&t.ty)
    {
        *t = TypeRef {
            ty: parse_type(&rust(&text).unwrap_or_else(|| OBJECT_TYPE.to_owned())),
        };
    }
}

/// Types the bodies of partial updates: a PATCH whose body the page does not type sends
/// the model that a GET of the same path in the same module answers (`PATCH /users/{id}`
/// sends `model::User`, what `GET /users/{id}` answers). The models express a partial
/// update exactly — an absent field is left unchanged, `Field::Null` clears, a value sets —
/// so the typed body loses nothing that `serde_json::Value` could say about the entity's
/// properties (navigation bindings such as `manager@odata.bind` go in `additional`).
pub fn type_updates(operations: &mut [Operation]) {
    let is_value = |ty: &syn::Type| print::type_string(ty) == "serde_json::Value";
    let answers: Vec<(String, syn::Type)> = operations
        .iter()
        .flat_map(|op| {
            let ResponseBody::One(t) = &op.response.body else {
                return Vec::new();
            };
            if !print::type_string(&t.ty).starts_with("model::") {
                return Vec::new();
            }
            op.forms
                .iter()
                .filter(|f| f.method.value.eq_ignore_ascii_case("GET"))
                .map(|f| (f.path.value.clone(), t.ty.clone()))
                .collect()
        })
        .collect();
    for op in operations.iter_mut() {
        let Some(body) = &mut op.body else { continue };
        if !is_value(&body.ty) {
            continue;
        }
        let patch_paths: Vec<&str> = op
            .forms
            .iter()
            .filter(|f| f.method.value.eq_ignore_ascii_case("PATCH"))
            .map(|f| f.path.value.as_str())
            .collect();
        if patch_paths.is_empty() {
            continue;
        }
        // Every PATCH form must name the same model, or the body stays untyped.
        let mut found: Option<&syn::Type> = None;
        let mut agree = true;
        for path in &patch_paths {
            match answers.iter().find(|(p, _)| p == path) {
                Some((_, ty)) => match found {
                    Some(f) if print::type_string(f) != print::type_string(ty) => agree = false,
                    _ => found = Some(ty),
                },
                None => agree = false,
            }
        }
        if agree && let Some(ty) = found {
            body.ty = ty.clone();
        }
    }
}

/// How an operation file names a model: `model::User`, `model::call_records::Session`
/// (the file imports `crate::model`, so no model shadows an operation's name).
fn model_type_path(name: &models::RustName) -> String {
    format!("model::{}", name.model_path())
}

fn parse_type(text: &str) -> syn::Type {
    syn::parse_str(text).unwrap_or_else(|_| syn::parse_quote!(serde_json::Value))
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
            for scheme in Scheme::ALL {
                *out.entry(scheme.as_str())
                    .or_default()
                    .entry(page.agreement[scheme.index()])
                    .or_default() += 1;
            }
        }
        out
    }

    /// The generated models, when the import had a CSDL: every type, and the features
    /// that compile each (those whose operations reach it).
    pub fn models(&self) -> Option<Models<'_>> {
        let (metadata, names) = self.metadata.as_ref()?;
        let mut roots: BTreeMap<String, (BTreeSet<String>, BTreeSet<usize>)> = BTreeMap::new();
        for module in self.modules.values() {
            let (types, bodies) = roots.entry(module.feature.clone()).or_default();
            for op in &module.operations {
                let mut note = |ty: &syn::Type| {
                    let text = print::type_string(ty);
                    let path = text.strip_prefix("model::").unwrap_or(&text);
                    if let Some((q, kind)) = names.lookup_path(path) {
                        match kind {
                            models::Kind::ActionBody(_, i) => {
                                bodies.insert(i);
                            }
                            _ => {
                                types.insert(q);
                            }
                        }
                    }
                };
                if let Some(b) = &op.body {
                    note(&b.ty);
                }
                if let ResponseBody::One(t) | ResponseBody::Collection(t) = &op.response.body {
                    note(&t.ty);
                }
            }
        }
        Some(models::plan(metadata, names, &roots))
    }

    /// Features and their modules (sorted).
    pub fn features(&self) -> BTreeMap<&str, Vec<&str>> {
        let mut out: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
        for m in self.modules.values() {
            out.entry(m.feature.as_str()).or_default().push(&m.name);
        }
        out
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    pub(crate) fn operation(text: &str) -> Operation {
        let mut errors = graphspec_codegen::Errors::default();
        let items = graphspec_codegen::dsl::parse_items(text.parse().unwrap(), &mut errors);
        assert!(errors.is_empty());
        items.into_iter().next().unwrap().operation
    }

    /// An import of one operation, `group::DeleteGroup`, cross-checked.
    pub(crate) fn sample() -> Import {
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
        map_types(&mut op, "group", None);
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
                merged_into: Vec::new(),
            }],
            modules,
            repairs: Vec::new(),
            unknown_scopes: Vec::new(),
            metadata: None,
            identity: Identity::default(),
            numbered: Vec::new(),
            per_resource: PerResource::default(),
            rooted_forms: Vec::new(),
            example_forms: Vec::new(),
            content_requests: Vec::new(),
            function_calls: Vec::new(),
            content: Vec::new(),
            content_bodies: Vec::new(),
        }
    }

    #[test]
    fn feature_names() {
        assert_eq!(feature_name("workbook-and-charts"), "workbooks-and-charts");
    }
}
