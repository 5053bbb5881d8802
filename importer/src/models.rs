//! Stage 4b, models: the Rust types of Graph's entity, complex and enum types, from
//! Microsoft's CSDL ([`crate::csdl`]), and which cargo features compile each.
//!
//! - [`Names`] gives every CSDL type its Rust name: types of `microsoft.graph` are
//!   `crate::model::User`, types of a sub-namespace sit in a module named for it
//!   (`microsoft.graph.callRecords.session` → `crate::model::call_records::Session`). The
//!   definitions stage resolves the types the pages name with it ([`Names::resolve`]), so
//!   an operation answers exactly the generated type.
//! - Action parameters become request bodies ([`Names::action_body`]):
//!   `assignLicense(addLicenses, removeLicenses)` → `AssignLicenseBody`.
//! - [`plan`] computes, per type, the features whose operations reach it: a response or
//!   body type, and transitively the types of its structural properties (inherited ones
//!   included). Navigation properties are not followed — they are read on demand by
//!   accessors compiled only with their target — so `entity`'s 1,145 descendants are not
//!   pulled in by one `$expand`. A type no operation reaches is compiled with
//!   [`UNREACHED_FEATURE`].
//! - The [writer](crate::write) prints the plan ([`Models::files`]).
//!
//! The representation (every property a `graphspec_runtime::edm::Field` and an
//! `additional` map, hand-written `Serialize`/`Deserialize` through
//! `graphspec_runtime::structured`) is described in `docs/models.md`.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::fmt::Write as _;

use graphspec_codegen::naming::{snake_case, unkeyword};

use crate::csdl::{Callable, CallableKind, Metadata, StructuredKind, StructuredType, TypeRef};

/// The root namespace: its types are at `crate::model::` directly.
pub const ROOT_NAMESPACE: &str = "microsoft.graph";

/// The feature that compiles the types no operation reaches (not part of `full`: they
/// are needed only to cast (`graphspec::model::Cast`) to a derived type no operation
/// answers, or to read a navigation property to one).
pub const UNREACHED_FEATURE: &str = "all-models";

/// The feature that compiles `crate::model::round_trip` (models by name, for tools).
pub const BY_NAME_FEATURE: &str = "by-name";

/// Where a generated type lives and what it is called.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RustName {
    /// The module below `crate::model` (`["call_records"]`; empty for the root namespace).
    pub module: Vec<String>,
    /// The type's identifier (`Session`).
    pub ident: String,
}

impl RustName {
    /// The path below `crate::model::` (`call_records::Session`, `User`).
    pub fn model_path(&self) -> String {
        let mut out = String::new();
        for m in &self.module {
            out.push_str(m);
            out.push_str("::");
        }
        out.push_str(&self.ident);
        out
    }
}

/// What a Rust name stands for.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum Kind {
    /// An entity or complex type (qualified name).
    Structured(String),
    /// An enum type (qualified name).
    Enum(String),
    /// The parameters of an action, as a request body: the action's qualified name and
    /// the index of its first overload with these parameters in `Metadata::callables`.
    ActionBody(String, usize),
}

/// Rust names of every CSDL type and action body.
#[derive(Debug, Clone, Default)]
pub struct Names {
    /// By qualified name.
    types: BTreeMap<String, RustName>,
    /// Folded (`callrecords.session`, lower case, no `_`) → qualified names.
    folded: HashMap<String, Vec<String>>,
    /// Action bodies: callable index → (name, kind).
    bodies: BTreeMap<usize, (RustName, Kind)>,
    /// Rust path below `crate::model::` → (qualified name, kind).
    paths: HashMap<String, (String, Kind)>,
}

/// The module path of a namespace: `microsoft.graph.callRecords` → `["call_records"]`.
pub fn namespace_module(namespace: &str) -> Vec<String> {
    let rest = namespace
        .strip_prefix(ROOT_NAMESPACE)
        .unwrap_or(namespace)
        .trim_start_matches('.');
    if rest.is_empty() {
        return Vec::new();
    }
    rest.split('.').map(|p| unkeyword(snake_case(p))).collect()
}

fn namespace_of(qualified: &str) -> &str {
    qualified.rsplit_once('.').map_or("", |(ns, _)| ns)
}

fn local(qualified: &str) -> &str {
    qualified.rsplit_once('.').map_or(qualified, |(_, l)| l)
}

/// `PascalCase` of a CSDL name (first letter upper-cased; `Self` becomes `Self_`).
pub fn pascal(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    for part in name.split('_').filter(|p| !p.is_empty()) {
        let mut chars = part.chars();
        if let Some(c) = chars.next() {
            out.push(c.to_ascii_uppercase());
            out.push_str(chars.as_str());
        }
    }
    if out.starts_with(|c: char| c.is_ascii_digit()) {
        out.insert(0, 'T');
    }
    if out == "Self" { out + "_" } else { out }
}

fn fold(text: &str) -> String {
    text.chars()
        .filter(|c| *c != '_')
        .flat_map(char::to_lowercase)
        .collect()
}

/// The folded key of a qualified CSDL name: the part after `microsoft.graph.`.
fn fold_qualified(qualified: &str) -> String {
    let rest = qualified
        .strip_prefix(ROOT_NAMESPACE)
        .map_or(qualified, |r| r.trim_start_matches('.'));
    fold(rest)
}

impl Names {
    /// Names every structured and enum type of `metadata`, and every action body.
    pub fn new(metadata: &Metadata) -> Names {
        let mut names = Names::default();
        let mut taken: BTreeMap<Vec<String>, BTreeSet<String>> = BTreeMap::new();
        let all: BTreeSet<&String> = metadata
            .structured
            .keys()
            .chain(metadata.enums.keys())
            .collect();
        for qualified in all {
            let module = namespace_module(namespace_of(qualified));
            let used = taken.entry(module.clone()).or_default();
            let ident = unique(pascal(local(qualified)), used);
            names
                .folded
                .entry(fold_qualified(qualified))
                .or_default()
                .push(qualified.clone());
            names
                .types
                .insert(qualified.clone(), RustName { module, ident });
        }
        // Action bodies: one per distinct parameter list of an action name; when the
        // overloads of a name differ, each is named for its binding type too.
        let mut by_action: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
        for (i, c) in metadata.callables.iter().enumerate() {
            if c.kind == CallableKind::Action && !c.arguments().is_empty() {
                by_action.entry(c.name.as_str()).or_default().push(i);
            }
        }
        for (action, indexes) in by_action {
            let mut distinct: Vec<(usize, &Callable)> = Vec::new();
            for &i in &indexes {
                let c = &metadata.callables[i];
                if !distinct.iter().any(|(_, d)| d.arguments() == c.arguments()) {
                    distinct.push((i, c));
                }
            }
            let module = namespace_module(namespace_of(action));
            for &i in &indexes {
                let c = &metadata.callables[i];
                let (first, _) = distinct
                    .iter()
                    .find(|(_, d)| d.arguments() == c.arguments())
                    .copied()
                    .unwrap_or((i, c));
                if first != i {
                    let name = names.bodies[&first].clone();
                    names.bodies.insert(i, name);
                    continue;
                }
                let base = if distinct.len() == 1 {
                    format!("{}Body", pascal(local(action)))
                } else {
                    let binding = c
                        .binding()
                        .map(|b| match b {
                            TypeRef::Collection(inner) => {
                                format!("{}Collection", pascal(local(&inner.to_string())))
                            }
                            other => pascal(local(&other.to_string())),
                        })
                        .unwrap_or_default();
                    format!("{binding}{}Body", pascal(local(action)))
                };
                let used = taken.entry(module.clone()).or_default();
                let ident = unique(base, used);
                names.bodies.insert(
                    i,
                    (
                        RustName {
                            module: module.clone(),
                            ident,
                        },
                        Kind::ActionBody(action.to_owned(), i),
                    ),
                );
            }
        }
        for (q, n) in &names.types {
            let kind = if metadata.enums.contains_key(q) {
                Kind::Enum(q.clone())
            } else {
                Kind::Structured(q.clone())
            };
            names.paths.insert(n.model_path(), (q.clone(), kind));
        }
        for (n, kind) in names.bodies.values() {
            if let Kind::ActionBody(a, _) = kind {
                names
                    .paths
                    .entry(n.model_path())
                    .or_insert((a.clone(), kind.clone()));
            }
        }
        names
    }

    /// The Rust name of a CSDL type (qualified).
    pub fn of(&self, qualified: &str) -> Option<&RustName> {
        self.types.get(qualified)
    }

    /// The qualified CSDL type a page's type names (`crate::model::Directoryobject`,
    /// `crate::model::call_records::Session`, `microsoft.graph.user`): compared without
    /// case and `_`; among several, the one spelled exactly alike.
    pub fn resolve(&self, text: &str) -> Option<&str> {
        let key = if let Some(path) = text.strip_prefix("crate::model::") {
            fold(&path.replace("::", "."))
        } else {
            fold_qualified(text.trim_start_matches('#'))
        };
        let found = self.folded.get(&key)?;
        if found.len() == 1 {
            return Some(&found[0]);
        }
        found
            .iter()
            .find(|q| {
                self.types
                    .get(*q)
                    .is_some_and(|n| text.ends_with(&n.model_path()))
            })
            .map(String::as_str)
    }

    /// What a Rust path below `crate::model::` (`User`, `call_records::Session`,
    /// `AssignLicenseBody`) names: a CSDL type (qualified) or an action body.
    pub fn lookup_path(&self, path: &str) -> Option<(String, Kind)> {
        self.paths.get(path).cloned()
    }

    /// The body type of the action `callables[index]`, if it takes parameters.
    pub fn action_body(&self, index: usize) -> Option<&RustName> {
        self.bodies.get(&index).map(|(n, _)| n)
    }
}

/// `name`, or `name2`, `name3`… when taken; marks the result taken.
fn unique(name: String, taken: &mut BTreeSet<String>) -> String {
    let mut candidate = name.clone();
    let mut n = 2;
    while taken.contains(&candidate) {
        candidate = format!("{name}{n}");
        n += 1;
    }
    taken.insert(candidate.clone());
    candidate
}

/// The action an operation's request calls: the last path segment names an action of
/// `metadata` (with or without its namespace), and among its overloads the one bound to
/// a type named like the operation's resource module, or the only parameter list.
pub fn action_for(metadata: &Metadata, names: &Names, path: &str, resource: &str) -> Option<usize> {
    let path = graphspec_spec::path::path_part(path);
    let last = path.trim_end_matches('/').rsplit('/').next()?;
    let last = last.split('(').next()?;
    let wanted = local(last);
    let candidates: Vec<usize> = metadata
        .callables
        .iter()
        .enumerate()
        .filter(|(_, c)| {
            c.kind == CallableKind::Action
                && c.is_bound
                && local(&c.name).eq_ignore_ascii_case(wanted)
                && (!last.contains('.') || c.name.eq_ignore_ascii_case(last))
        })
        .map(|(i, _)| i)
        .collect();
    let with_body: Vec<usize> = candidates
        .iter()
        .copied()
        .filter(|i| names.action_body(*i).is_some())
        .collect();
    let bodies: BTreeSet<&str> = with_body
        .iter()
        .filter_map(|i| names.action_body(*i).map(|n| n.ident.as_str()))
        .collect();
    if bodies.len() <= 1 {
        return with_body.first().copied();
    }
    let resource = fold(resource);
    with_body.into_iter().find(|&i| {
        metadata.callables[i]
            .binding()
            .is_some_and(|b| fold(local(&b.element().to_string())) == resource)
    })
}

/// One generated type, with what the writer needs.
#[derive(Debug, Clone)]
pub struct ModelType {
    /// Its Rust name.
    pub name: RustName,
    /// What it is.
    pub kind: Kind,
    /// The features that compile it; empty means every build.
    pub features: BTreeSet<String>,
}

/// Every generated type, and what the writer needs to print them.
pub struct Models<'a> {
    /// The document.
    pub metadata: &'a Metadata,
    /// The names.
    pub names: &'a Names,
    /// Every type, by Rust module then identifier.
    pub types: BTreeMap<Vec<String>, BTreeMap<String, ModelType>>,
    /// Structural properties that must be boxed (a type containing itself): (type, property).
    boxed: BTreeSet<(String, String)>,
    /// Every feature.
    all_features: BTreeSet<String>,
}

fn body_key(index: usize) -> String {
    format!("#action{index}")
}

/// Plans the generated models: `roots` lists, per feature, the types its operations name
/// (qualified CSDL names, or action bodies as indexes into `Metadata::callables`).
pub fn plan<'a>(
    metadata: &'a Metadata,
    names: &'a Names,
    roots: &BTreeMap<String, (BTreeSet<String>, BTreeSet<usize>)>,
) -> Models<'a> {
    let all_features: BTreeSet<String> = roots.keys().cloned().collect();
    let mut features_of: HashMap<String, BTreeSet<String>> = HashMap::new();
    for (feature, (types, bodies)) in roots {
        let mut stack: Vec<String> = types.iter().cloned().collect();
        for &i in bodies {
            features_of
                .entry(body_key(i))
                .or_default()
                .insert(feature.clone());
            for p in metadata.callables[i].arguments() {
                if let TypeRef::Named(n) = p.ty.element() {
                    stack.push(n.clone());
                }
            }
        }
        let mut seen: BTreeSet<String> = BTreeSet::new();
        while let Some(t) = stack.pop() {
            if !seen.insert(t.clone()) {
                continue;
            }
            features_of
                .entry(t.clone())
                .or_default()
                .insert(feature.clone());
            if metadata.structured.contains_key(&t) {
                for p in metadata.all_properties(&t) {
                    if let TypeRef::Named(n) = p.ty.element()
                        && !seen.contains(n)
                    {
                        stack.push(n.clone());
                    }
                }
            }
        }
    }
    let boxed = boxed_properties(metadata);
    let mut types: BTreeMap<Vec<String>, BTreeMap<String, ModelType>> = BTreeMap::new();
    let everywhere = |set: Option<&BTreeSet<String>>| -> BTreeSet<String> {
        match set {
            None => BTreeSet::from([UNREACHED_FEATURE.to_owned()]),
            Some(s) if s.is_superset(&all_features) => BTreeSet::new(),
            Some(s) => s.clone(),
        }
    };
    for qualified in metadata.structured.keys() {
        let name = names.types[qualified].clone();
        let features = everywhere(features_of.get(qualified));
        types.entry(name.module.clone()).or_default().insert(
            name.ident.clone(),
            ModelType {
                name,
                kind: Kind::Structured(qualified.clone()),
                features,
            },
        );
    }
    for qualified in metadata.enums.keys() {
        let name = names.types[qualified].clone();
        let features = everywhere(features_of.get(qualified));
        types.entry(name.module.clone()).or_default().insert(
            name.ident.clone(),
            ModelType {
                name,
                kind: Kind::Enum(qualified.clone()),
                features,
            },
        );
    }
    for (i, (name, kind)) in &names.bodies {
        if matches!(kind, Kind::ActionBody(_, first) if first != i) {
            continue;
        }
        // A body shared by overloads is compiled for each of their features.
        let mut union: Option<BTreeSet<String>> = None;
        for (j, (other, _)) in &names.bodies {
            if other == name
                && let Some(f) = features_of.get(&body_key(*j))
            {
                union
                    .get_or_insert_with(BTreeSet::new)
                    .extend(f.iter().cloned());
            }
        }
        // Its parameter types must exist wherever the body does.
        let features = everywhere(union.as_ref());
        types.entry(name.module.clone()).or_default().insert(
            name.ident.clone(),
            ModelType {
                name: name.clone(),
                kind: kind.clone(),
                features,
            },
        );
    }
    // Parameter types of bodies compiled with `full` only, and property types of types
    // compiled with `full` only, need nothing more: `full` compiles everything.
    Models {
        metadata,
        names,
        types,
        boxed,
        all_features,
    }
}

/// Structural properties whose type contains the property's own type again without a
/// collection in between: they are boxed, or the struct would be infinitely large.
fn boxed_properties(metadata: &Metadata) -> BTreeSet<(String, String)> {
    // Edges: type → types of its single-valued structured properties.
    let edges: HashMap<&str, Vec<(&str, &str)>> = metadata
        .structured
        .keys()
        .map(|t| {
            let out = metadata
                .all_properties(t)
                .into_iter()
                .filter_map(|p| match &p.ty {
                    TypeRef::Named(n) if metadata.structured.contains_key(n) => {
                        Some((p.name.as_str(), n.as_str()))
                    }
                    _ => None,
                })
                .collect();
            (t.as_str(), out)
        })
        .collect();
    let reaches = |from: &str, to: &str| -> bool {
        let mut stack = vec![from];
        let mut seen: BTreeSet<&str> = BTreeSet::new();
        while let Some(t) = stack.pop() {
            if t == to {
                return true;
            }
            if !seen.insert(t) {
                continue;
            }
            if let Some(next) = edges.get(t) {
                stack.extend(next.iter().map(|(_, n)| *n));
            }
        }
        false
    };
    let mut out = BTreeSet::new();
    for (t, props) in &edges {
        for (p, n) in props {
            if reaches(n, t) {
                out.insert(((*t).to_owned(), (*p).to_owned()));
            }
        }
    }
    out
}

/// The module holding the types only `feature` compiles (`default-resources` →
/// `default_resources`).
fn feature_module(feature: &str) -> String {
    unkeyword(feature.replace('-', "_"))
}

/// The text of a `#[cfg(…)]` line for a feature set (empty for none).
fn cfg_line(features: &BTreeSet<String>) -> String {
    match features.len() {
        0 => String::new(),
        1 => format!(
            "#[cfg(feature = \"{}\")]\n",
            features.iter().next().unwrap()
        ),
        _ => {
            let list: Vec<String> = features
                .iter()
                .map(|f| format!("feature = \"{f}\""))
                .collect();
            format!("#[cfg(any({}))]\n", list.join(", "))
        }
    }
}

/// Field names of a type's properties: snake_case, keywords with `_`, collisions numbered.
fn field_names<'p>(names: impl Iterator<Item = &'p str>, reserved: &[&str]) -> Vec<String> {
    let mut taken: BTreeSet<String> = reserved.iter().map(|s| (*s).to_owned()).collect();
    names
        .map(|n| {
            let mut base = unkeyword(snake_case(n));
            if base.is_empty() || base.starts_with(|c: char| c.is_ascii_digit()) {
                base = format!("p_{base}");
            }
            unique(base, &mut taken)
        })
        .collect()
}

impl Models<'_> {
    /// The features of a generated type, by qualified name (`None`: not generated).
    fn features(&self, qualified: &str) -> Option<&BTreeSet<String>> {
        let name = self.names.of(qualified)?;
        self.types
            .get(&name.module)?
            .get(&name.ident)
            .map(|t| &t.features)
    }

    /// How many types the plan generates, and how many of them each feature compiles
    /// (with every default build's types counted under `""`).
    pub fn counts(&self) -> BTreeMap<String, usize> {
        let mut out: BTreeMap<String, usize> = BTreeMap::new();
        for t in self.types.values().flat_map(|m| m.values()) {
            *out.entry("total".to_owned()).or_default() += 1;
            if t.features.is_empty() {
                for f in &self.all_features {
                    *out.entry(f.clone()).or_default() += 1;
                }
            } else {
                for f in &t.features {
                    *out.entry(f.clone()).or_default() += 1;
                }
            }
        }
        out
    }

    /// The Rust type of a CSDL type reference, seen from `module`; `None` for a stream.
    fn rust_type(&self, ty: &TypeRef, module: &[String], boxed: bool) -> Option<String> {
        Some(match ty {
            TypeRef::Collection(inner) => format!("Vec<{}>", self.rust_type(inner, module, false)?),
            TypeRef::Primitive(p) => match p.as_str() {
                "String" => "String".to_owned(),
                "Boolean" => "bool".to_owned(),
                "Int32" => "i32".to_owned(),
                "Int16" => "i16".to_owned(),
                "Byte" => "u8".to_owned(),
                "SByte" => "i8".to_owned(),
                "Int64" => "edm::Int64".to_owned(),
                "Double" | "Single" => "edm::Double".to_owned(),
                "Decimal" => "edm::Decimal".to_owned(),
                "DateTimeOffset" => "edm::DateTimeOffset".to_owned(),
                "Date" => "edm::Date".to_owned(),
                "TimeOfDay" => "edm::TimeOfDay".to_owned(),
                "Duration" => "edm::Duration".to_owned(),
                "Guid" => "edm::Guid".to_owned(),
                "Binary" => "edm::Binary".to_owned(),
                "Stream" => return None,
                _ => "serde_json::Value".to_owned(),
            },
            TypeRef::Named(n) => {
                let Some(name) = self.names.of(n) else {
                    return Some("serde_json::Value".to_owned());
                };
                let path = self.path_from(name, module);
                if let Some(e) = self.metadata.enums.get(n)
                    && e.is_flags
                {
                    format!("edm::Flags<{path}>")
                } else if boxed {
                    format!("Box<{path}>")
                } else {
                    path
                }
            }
        })
    }

    /// How code in `module` names `name`.
    fn path_from(&self, name: &RustName, module: &[String]) -> String {
        if name.module == module {
            name.ident.clone()
        } else {
            format!("crate::model::{}", name.model_path())
        }
    }

    /// Every generated file below `src/generated/models/`: (relative path, text).
    pub fn files(&self, header: &str) -> Vec<(String, String)> {
        let mut out = Vec::new();
        let mut mod_rs = format!(
            "{header}//! Graph's entity, complex and enum types, generated from Microsoft's CSDL.\n\
             //!\n\
             //! Re-exported as `crate::model`. Each type is compiled with the features whose\n\
             //! operations reach it (see `docs/models.md`).\n\n"
        );
        // Nested namespaces (`partners.billing`) become nested modules.
        let mut tree: BTreeMap<Vec<String>, ()> = BTreeMap::new();
        for module in self.types.keys() {
            for depth in 1..=module.len() {
                tree.insert(module[..depth].to_vec(), ());
            }
        }
        let push_module =
            |module: &[String], children: &[&Vec<String>], out: &mut Vec<(String, String)>| {
                let base = if module.is_empty() {
                    "root".to_owned()
                } else {
                    module.join("/")
                };
                let (mut text, by_feature) = self.module_file(header, module);
                for child in children {
                    let _ = writeln!(
                        text,
                        "\n#[rustfmt::skip]\npub mod {};",
                        child.last().unwrap()
                    );
                }
                for (feature, part) in by_feature {
                    out.push((format!("{base}/{}.rs", feature_module(&feature)), part));
                }
                out.push((format!("{base}.rs"), text));
            };
        push_module(&[], &[], &mut out);
        mod_rs.push_str("#[rustfmt::skip]\nmod root;\npub use root::*;\n");
        for module in tree.keys().filter(|m| m.len() == 1) {
            let _ = writeln!(mod_rs, "#[rustfmt::skip]\npub mod {};", module[0]);
        }
        for module in tree.keys() {
            let children: Vec<&Vec<String>> = tree
                .keys()
                .filter(|c| c.len() == module.len() + 1 && c.starts_with(module))
                .collect();
            push_module(module, &children, &mut out);
        }
        mod_rs.push_str(&self.hierarchy());
        mod_rs.push_str(&self.by_name());
        mod_rs.push_str(&self.schema());
        out.push(("mod.rs".to_owned(), mod_rs));
        out
    }

    /// `round_trip`: a model read from JSON and written back, chosen by its name as the
    /// operation definitions write it (`model::User`) — for tools that meet types at run
    /// time (`graphspec audit`, the fidelity tests). Behind the feature [`BY_NAME_FEATURE`].
    fn by_name(&self) -> String {
        let mut out = format!(
            "\n/// Reads `value` as the model the definitions name `type_path` (`model::User`,\n\
             /// `model::call_records::Session`) or the CSDL names so (`microsoft.graph.user`),\n\
             /// and writes it back: `None` for a name that is not a model compiled in this build.\n\
             #[cfg(feature = \"{BY_NAME_FEATURE}\")]\n\
             #[rustfmt::skip]\n\
             pub fn round_trip(type_path: &str, value: &serde_json::Value) -> Option<Result<serde_json::Value, serde_json::Error>> {{\n    \
             fn read_write<T: serde::de::DeserializeOwned + serde::Serialize>(value: &serde_json::Value) -> Result<serde_json::Value, serde_json::Error> {{\n        \
             serde_json::to_value(T::deserialize(value)?)\n    }}\n    \
             match type_path {{\n"
        );
        for t in self.types.values().flat_map(|m| m.values()) {
            let cfg = cfg_line(&t.features);
            let path = t.name.model_path();
            let qualified = match &t.kind {
                Kind::Structured(q) | Kind::Enum(q) => format!(" | \"{q}\""),
                Kind::ActionBody(..) => String::new(),
            };
            let _ = writeln!(
                out,
                "        {}\"model::{path}\"{qualified} => Some(read_write::<crate::model::{path}>(value)),",
                cfg.trim_end().to_owned() + if cfg.is_empty() { "" } else { " " }
            );
        }
        out.push_str("        _ => None,\n    }\n}\n");
        out
    }

    /// `SCHEMA`: what the models know, as data (no code per type), for tools that check
    /// JSON against them (`graphspec audit`): per structured type its own properties and
    /// navigation properties with their types, and per enum type its members. Behind
    /// [`BY_NAME_FEATURE`].
    fn schema(&self) -> String {
        let mut out = format!(
            "\n/// Every structured type (its own properties and navigation properties, with their\n\
             /// CSDL types) and every enum type (its members and whether it is a flags type),\n\
             /// sorted by qualified name: the models' knowledge as data.\n\
             #[cfg(feature = \"{BY_NAME_FEATURE}\")]\n\
             #[rustfmt::skip]\n\
             pub static SCHEMA: &[crate::model::TypeSchema] = &[\n"
        );
        let mut all: Vec<(&str, String)> = Vec::new();
        for t in self.metadata.structured.values() {
            let props: Vec<String> = t
                .properties
                .iter()
                .map(|p| format!("(\"{}\", \"{}\")", p.name, p.ty))
                .collect();
            let navs: Vec<String> = t
                .navigation
                .iter()
                .map(|n| format!("(\"{}\", \"{}\")", n.property.name, n.property.ty))
                .collect();
            all.push((
                &t.name,
                format!(
                    "    crate::model::TypeSchema::Structured {{ name: \"{}\", base: \"{}\", properties: &[{}], navigation: &[{}] }},\n",
                    t.name,
                    t.base_type.as_deref().unwrap_or(""),
                    props.join(", "),
                    navs.join(", ")
                ),
            ));
        }
        for e in self.metadata.enums.values() {
            let members: Vec<String> = e
                .members
                .iter()
                .map(|m| format!("\"{}\"", m.name))
                .collect();
            all.push((
                &e.name,
                format!(
                    "    crate::model::TypeSchema::Enum {{ name: \"{}\", flags: {}, members: &[{}] }},\n",
                    e.name,
                    e.is_flags,
                    members.join(", ")
                ),
            ));
        }
        all.sort();
        for (_, line) in all {
            out.push_str(&line);
        }
        out.push_str("];\n");
        // The definitions' names of the types (`model::User`) and the CSDL's.
        let mut paths: Vec<(String, &str)> = self
            .names
            .types
            .iter()
            .map(|(q, n)| (format!("model::{}", n.model_path()), q.as_str()))
            .collect();
        paths.sort();
        let _ = write!(
            out,
            "\n/// `model::User` → `microsoft.graph.user`, for every CSDL type, sorted by the first.\n\
             #[cfg(feature = \"{BY_NAME_FEATURE}\")]\n\
             #[rustfmt::skip]\n\
             pub static TYPE_PATHS: &[(&str, &str)] = &[\n"
        );
        for (path, q) in paths {
            let _ = writeln!(out, "    (\"{path}\", \"{q}\"),");
        }
        out.push_str("];\n");
        out
    }

    /// `TYPE_BASES`: every structured type and its base, sorted, for `cast`.
    fn hierarchy(&self) -> String {
        let mut out = String::from(
            "\n/// Every structured type of the CSDL with its base type (`\"\"` for none), sorted\n\
             /// by name: what `crate::model::is_a` walks.\n\
             #[rustfmt::skip]\n\
             pub(crate) static TYPE_BASES: &[(&str, &str)] = &[\n",
        );
        for t in self.metadata.structured.values() {
            let _ = writeln!(
                out,
                "    (\"{}\", \"{}\"),",
                t.name,
                t.base_type.as_deref().unwrap_or("")
            );
        }
        out.push_str("];\n");
        out
    }

    /// A namespace module's file: the types several features (or every build) compile,
    /// and the declarations of one file per feature holding the types only that feature
    /// compiles — so a build does not even read the files of features it leaves out.
    fn module_file(&self, header: &str, module: &[String]) -> (String, Vec<(String, String)>) {
        let mut out = String::from(header);
        let ns = if module.is_empty() {
            ROOT_NAMESPACE.to_owned()
        } else {
            self.metadata
                .namespaces
                .iter()
                .find(|n| namespace_module(n) == module)
                .cloned()
                .unwrap_or_default()
        };
        let _ = writeln!(out, "//! Types of the `{ns}` namespace.\n");
        out.push_str(
            "#![allow(unused_imports, clippy::all)]\n\n\
             use crate::edm::{self, Field};\n\
             use crate::structured::{self, Additional, Structured};\n",
        );
        let Some(types) = self.types.get(module) else {
            return (out, Vec::new());
        };
        let mut parts: BTreeMap<String, String> = BTreeMap::new();
        for t in types.values() {
            let text = match t.features.iter().collect::<Vec<_>>()[..] {
                [only] => parts.entry(only.clone()).or_insert_with(|| {
                    format!(
                        "{header}//! Types of the `{ns}` namespace that only the feature `{only}` compiles.\n\n\
                         #![allow(unused_imports, clippy::all)]\n\n\
                         use super::*;\n"
                    )
                }),
                _ => &mut out,
            };
            text.push('\n');
            match &t.kind {
                Kind::Structured(q) => {
                    self.structured(text, t, &self.metadata.structured[q], module)
                }
                Kind::Enum(q) => self.enumeration(text, t, q),
                Kind::ActionBody(_, i) => {
                    self.action_body(text, t, &self.metadata.callables[*i], module)
                }
            }
        }
        for feature in parts.keys() {
            let m = feature_module(feature);
            let _ = write!(
                out,
                "\n#[cfg(feature = \"{feature}\")]\n#[rustfmt::skip]\nmod {m};\n#[cfg(feature = \"{feature}\")]\npub use {m}::*;\n"
            );
        }
        (out, parts.into_iter().collect())
    }

    fn enumeration(&self, out: &mut String, t: &ModelType, qualified: &str) {
        let e = &self.metadata.enums[qualified];
        let cfg = cfg_line(&t.features);
        let flags = if e.is_flags {
            " A flags type: a value is [`edm::Flags`] of its members."
        } else {
            ""
        };
        let _ = write!(
            out,
            "{cfg}crate::graph_enum! {{\n    /// `{qualified}`.{flags}\n"
        );
        let _ = writeln!(out, "    pub enum {} {{", t.name.ident);
        let mut taken: BTreeSet<String> = BTreeSet::from(["Unrecognized".to_owned()]);
        for m in &e.members {
            let variant = unique(pascal(&m.name), &mut taken);
            let _ = writeln!(
                out,
                "        /// `{}`\n        {variant} = \"{}\",",
                m.name, m.name
            );
        }
        out.push_str("    }\n}\n");
    }

    /// A struct's fields: (JSON name, Rust field, Rust type, CSDL type, declaring type).
    fn fields<'m>(
        &self,
        owner: &str,
        props: impl Iterator<Item = (&'m str, &'m TypeRef, &'m str)>,
        module: &[String],
    ) -> Vec<(String, String, String, String, String)> {
        let props: Vec<(&str, &TypeRef, &str)> = props
            .filter(|(_, ty, _)| !matches!(ty, TypeRef::Primitive(p) if p == "Stream"))
            .collect();
        let rust_names = field_names(props.iter().map(|(n, _, _)| *n), &["additional"]);
        props
            .iter()
            .zip(rust_names)
            .filter_map(|((json, ty, from), field)| {
                let boxed = self.boxed.contains(&(owner.to_owned(), (*json).to_owned()));
                let rust = self.rust_type(ty, module, boxed)?;
                Some((
                    (*json).to_owned(),
                    field,
                    rust,
                    ty.to_string(),
                    (*from).to_owned(),
                ))
            })
            .collect()
    }

    fn structured(&self, out: &mut String, t: &ModelType, s: &StructuredType, module: &[String]) {
        let ancestry = self.metadata.ancestry(&s.name);
        let props = ancestry.iter().rev().flat_map(|a| {
            a.properties
                .iter()
                .map(move |p| (p.name.as_str(), &p.ty, a.name.as_str()))
        });
        let fields = self.fields(&s.name, props, module);
        let kind = match s.kind {
            StructuredKind::Entity => "entity type",
            StructuredKind::Complex => "complex type",
        };
        let mut facts = vec![kind.to_owned()];
        if s.is_abstract {
            facts.push("abstract".to_owned());
        }
        if let Some(b) = &s.base_type {
            facts.push(format!("base `{b}`"));
        }
        if s.is_open {
            facts.push("open".to_owned());
        }
        let doc = format!("`{}` ({}).", s.name, facts.join(", "));
        self.emit_struct(out, t, &doc, &s.name, &fields, module);
        // Navigation properties, inherited ones included: read on demand.
        let navs: Vec<(&str, &TypeRef)> = ancestry
            .iter()
            .rev()
            .flat_map(|a| {
                a.navigation
                    .iter()
                    .map(|n| (n.property.name.as_str(), &n.property.ty))
            })
            .collect();
        if navs.is_empty() {
            return;
        }
        let methods = field_names(
            navs.iter().map(|(n, _)| *n),
            &[
                "additional",
                "additional_mut",
                "odata_type",
                "cast",
                "with_properties",
                "property_mut",
            ],
        );
        let cfg = cfg_line(&t.features);
        let mut body = String::new();
        for ((json, ty), method) in navs.iter().zip(methods) {
            let TypeRef::Named(target) = ty.element() else {
                continue;
            };
            let Some(target_features) = self.features(target) else {
                continue;
            };
            let Some(rust) = self.rust_type(ty, module, false) else {
                continue;
            };
            // Compiled only where the target type is (besides where `self` is).
            let extra = if target_features.is_empty()
                || target_features.is_superset(&t.features) && !t.features.is_empty()
            {
                String::new()
            } else {
                cfg_line(target_features)
            };
            let _ = write!(
                body,
                "    /// `{json}` (navigation to `{ty}`), when the response expanded it\n    \
                 /// (`$expand={json}`): `None` when absent.\n{}    \
                 pub fn {method}(&self) -> Option<Result<{rust}, serde_json::Error>> {{\n        \
                 structured::expanded(&self.additional, \"{json}\")\n    }}\n\n",
                extra
                    .lines()
                    .map(|l| format!("    {l}\n"))
                    .collect::<String>()
            );
        }
        if !body.is_empty() {
            let _ = write!(
                out,
                "\n{cfg}impl {} {{\n{}}}\n",
                t.name.ident,
                body.trim_end_matches('\n').to_owned() + "\n"
            );
        }
    }

    fn action_body(&self, out: &mut String, t: &ModelType, c: &Callable, module: &[String]) {
        let props = c
            .arguments()
            .iter()
            .map(|p| (p.name.as_str(), &p.ty, c.name.as_str()));
        let fields = self.fields(&c.name, props, module);
        let doc = format!(
            "The parameters of the action `{}`, as its request body.",
            c.name
        );
        self.emit_struct(out, t, &doc, &c.name, &fields, module);
    }

    fn emit_struct(
        &self,
        out: &mut String,
        t: &ModelType,
        doc: &str,
        odata_type: &str,
        fields: &[(String, String, String, String, String)],
        _module: &[String],
    ) {
        let cfg = cfg_line(&t.features);
        let ident = &t.name.ident;
        let _ = write!(
            out,
            "/// {doc}\n{cfg}#[derive(Clone, Default)]\npub struct {ident} {{\n"
        );
        for (json, field, rust, csdl, from) in fields {
            let inherited = if from != odata_type {
                format!(", from `{}`", local(from))
            } else {
                String::new()
            };
            let _ = writeln!(
                out,
                "    /// `{json}`: `{csdl}`{inherited}.\n    pub {field}: Field<{rust}>,"
            );
        }
        out.push_str(
            "    /// Properties without a field, in the order received: annotations\n    \
             /// (`@odata.type`), navigation properties and properties newer than this model.\n    \
             pub additional: Additional,\n}\n",
        );
        // Structured: the table of properties; the trait impls derive from it.
        let _ = write!(
            out,
            "\n{cfg}impl Structured for {ident} {{\n    \
             const ODATA_TYPE: &'static str = \"{odata_type}\";\n\n    \
             fn with_properties(&self, visit: structured::Visit<'_>) {{\n        \
             visit(&["
        );
        for (json, field, ..) in fields {
            let _ = write!(out, "\n            (\"{json}\", &self.{field}),");
        }
        if !fields.is_empty() {
            out.push_str("\n        ");
        }
        out.push_str("], &self.additional)\n    }\n\n");
        if fields.is_empty() {
            out.push_str(
                "    fn property_mut(&mut self, _key: &str) -> Option<&mut dyn structured::Property> {\n        None\n    }\n",
            );
        } else {
            out.push_str(
                "    fn property_mut(&mut self, key: &str) -> Option<&mut dyn structured::Property> {\n        Some(match key {\n",
            );
            for (json, field, ..) in fields {
                let _ = writeln!(out, "            \"{json}\" => &mut self.{field},");
            }
            out.push_str("            _ => return None,\n        })\n    }\n");
        }
        let _ = write!(
            out,
            "\n    fn additional(&self) -> &Additional {{\n        &self.additional\n    }}\n\n    \
             fn additional_mut(&mut self) -> &mut Additional {{\n        &mut self.additional\n    }}\n}}\n\n\
             {cfg}crate::structured_impls!({ident});\n"
        );
    }
}
