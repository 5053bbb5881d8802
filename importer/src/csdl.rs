//! Reading Microsoft's CSDL (`graph-metadata/v1.0-metadata.xml`): the source of truth for
//! types — entity, complex and enum types, their base types, properties and members — and
//! for the parameters of actions and functions.
//!
//! The file is EDMX 4.0: one `Schema` per namespace (`microsoft.graph`,
//! `microsoft.graph.security`, …), each with an optional alias (`graph`, `self`) that type
//! references may use instead of the namespace. [`Metadata::parse`] reads it with a real XML
//! parser (roxmltree) and resolves every alias, so every name in the result is qualified
//! with its namespace (`microsoft.graph.user`). Annotations are skipped.
//!
//! Nothing here knows about Rust: turning types into models is the generator's business.

use std::collections::BTreeMap;
use std::fmt;

/// The EDM namespace of CSDL elements.
const EDM: &str = "http://docs.oasis-open.org/odata/ns/edm";

/// A type reference as a property, parameter or return type writes it, resolved.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum TypeRef {
    /// A primitive type: the name after `Edm.` (`String`, `Int64`, `DateTimeOffset`, …).
    Primitive(String),
    /// A named type, qualified with its namespace (`microsoft.graph.user`).
    Named(String),
    /// `Collection(T)`.
    Collection(Box<TypeRef>),
}

impl TypeRef {
    /// The element type of a collection, or the type itself.
    pub fn element(&self) -> &TypeRef {
        match self {
            TypeRef::Collection(inner) => inner.element(),
            other => other,
        }
    }

    /// Whether this is `Collection(…)`.
    pub fn is_collection(&self) -> bool {
        matches!(self, TypeRef::Collection(_))
    }
}

impl fmt::Display for TypeRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TypeRef::Primitive(name) => write!(f, "Edm.{name}"),
            TypeRef::Named(name) => f.write_str(name),
            TypeRef::Collection(inner) => write!(f, "Collection({inner})"),
        }
    }
}

/// A structural or navigation property.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Property {
    /// The name as Graph's JSON spells it (`displayName`).
    pub name: String,
    /// Its type.
    pub ty: TypeRef,
    /// `Nullable` (CSDL's default is true).
    pub nullable: bool,
}

/// A navigation property: a relationship to other entities.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NavigationProperty {
    /// The property.
    pub property: Property,
    /// `ContainsTarget`: the related entities are contained in this one.
    pub contains_target: bool,
}

/// Whether a structured type is an entity (has identity) or a complex (value) type.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum StructuredKind {
    /// `EntityType`.
    Entity,
    /// `ComplexType`.
    Complex,
}

/// An entity or complex type.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StructuredType {
    /// The qualified name (`microsoft.graph.user`).
    pub name: String,
    /// Entity or complex.
    pub kind: StructuredKind,
    /// The qualified base type, if any.
    pub base_type: Option<String>,
    /// `Abstract`.
    pub is_abstract: bool,
    /// `OpenType`: instances may carry properties the type does not declare.
    pub is_open: bool,
    /// `HasStream`: the entity has a media stream (not a JSON property).
    pub has_stream: bool,
    /// The structural properties this type declares (not inherited ones).
    pub properties: Vec<Property>,
    /// The navigation properties this type declares.
    pub navigation: Vec<NavigationProperty>,
}

impl StructuredType {
    /// The name without its namespace (`user`).
    pub fn local_name(&self) -> &str {
        local_name(&self.name)
    }
}

/// One member of an enum type.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EnumMember {
    /// The name as it appears in JSON.
    pub name: String,
    /// Its value (CSDL members without `Value` are numbered from 0).
    pub value: i64,
}

/// An enum type.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EnumType {
    /// The qualified name.
    pub name: String,
    /// `IsFlags`: a value is a set of members, written comma-separated in JSON.
    pub is_flags: bool,
    /// The members, in the order declared (members after `unknownFutureValue` included).
    pub members: Vec<EnumMember>,
}

/// Action or function.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum CallableKind {
    /// An action (`POST`, may have side effects).
    Action,
    /// A function (`GET`, no side effects).
    Function,
}

/// A parameter of an action or function.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Parameter {
    /// The name as the JSON body (action) or URL (function) spells it.
    pub name: String,
    /// Its type.
    pub ty: TypeRef,
    /// `Nullable`.
    pub nullable: bool,
}

/// An action or function (one overload).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Callable {
    /// The qualified name (`microsoft.graph.assignLicense`).
    pub name: String,
    /// Action or function.
    pub kind: CallableKind,
    /// `IsBound`: the first parameter is the binding parameter (the resource it is called on).
    pub is_bound: bool,
    /// The parameters, the binding parameter first when bound.
    pub parameters: Vec<Parameter>,
    /// The return type, if any.
    pub return_type: Option<TypeRef>,
}

impl Callable {
    /// The type it is bound to (the binding parameter's type), if bound.
    pub fn binding(&self) -> Option<&TypeRef> {
        self.is_bound
            .then(|| self.parameters.first().map(|p| &p.ty))
            .flatten()
    }

    /// The parameters a caller supplies (without the binding parameter).
    pub fn arguments(&self) -> &[Parameter] {
        if self.is_bound && !self.parameters.is_empty() {
            &self.parameters[1..]
        } else {
            &self.parameters
        }
    }
}

/// A problem that makes a CSDL document unreadable.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CsdlError {
    /// What is wrong, with the element it concerns.
    pub message: String,
}

impl fmt::Display for CsdlError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for CsdlError {}

/// Everything a CSDL document declares that models need.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Metadata {
    /// The namespaces, in document order.
    pub namespaces: Vec<String>,
    /// Entity and complex types by qualified name.
    pub structured: BTreeMap<String, StructuredType>,
    /// Enum types by qualified name.
    pub enums: BTreeMap<String, EnumType>,
    /// Actions and functions, in document order (overloads share a name).
    pub callables: Vec<Callable>,
    /// The entity container's entity sets and singletons (the first segments of
    /// requests), by name.
    pub container: BTreeMap<String, ContainerEntry>,
}

/// An entity set (a collection) or a singleton of the entity container.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ContainerEntry {
    /// The qualified type of its entities (`microsoft.graph.user`).
    pub ty: String,
    /// An entity set (`true`) or a singleton (`false`).
    pub collection: bool,
}

/// One literal segment of a request path as [`Metadata::path_segments`] reads it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PathSegment {
    /// The segment as written, without a function's parameters or `:`
    /// (`messages`, `microsoft.graph.group`, `delta`).
    pub word: String,
    /// The qualified type it addresses, when the CSDL says.
    pub ty: Option<String>,
    /// Whether it addresses a collection, when the CSDL says (a placeholder after it
    /// addresses one item of it).
    pub collection: Option<bool>,
}

/// A request path read through the CSDL ([`Metadata::resolve_request`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResolvedRequest {
    /// The path as a template: names as the CSDL spells them, keys as placeholders.
    pub template: String,
    /// What it addresses: a qualified type (`microsoft.graph.presence`, `…[]` for a
    /// collection), `$ref`/`$value`/`$count`, a call without a typed result
    /// (`call:name`), or a primitive property (`property:name`).
    pub addressed: String,
    /// Whether it addresses raw content rather than JSON: `$value`, or a property of
    /// type `Edm.Stream` (a drive item's `content`).
    pub content: bool,
}

/// A collection's name made singular for a key's placeholder (`presences` → `presence`,
/// `policies` → `policy`).
fn singular(name: &str) -> String {
    if let Some(stem) = name.strip_suffix("ies") {
        format!("{stem}y")
    } else if let Some(stem) = name.strip_suffix('s') {
        stem.to_owned()
    } else {
        name.to_owned()
    }
}

/// The segments to resolve a path through the CSDL: a drive item addressed by its path
/// (`root:/{item-path}:`, `{item-id}:/{path}:`) read as the item it names (`root`,
/// `{item-id}`), since the CSDL has no segment for the path itself.
pub fn items_for_paths(segments: &[String]) -> Vec<String> {
    let mut out = Vec::new();
    let mut skipping = false;
    for segment in segments {
        if skipping {
            skipping = !segment.ends_with(':');
            continue;
        }
        match segment.strip_suffix(':') {
            Some(head) if !segment.contains('(') => {
                out.push(head.to_owned());
                skipping = true;
            }
            _ => out.push(segment.clone()),
        }
    }
    out
}

/// The name after the last `.` (`microsoft.graph.user` → `user`).
pub fn local_name(qualified: &str) -> &str {
    qualified.rsplit('.').next().unwrap_or(qualified)
}

impl Metadata {
    /// Reads a CSDL (EDMX 4.0) document. Fails on XML that does not parse, and on
    /// elements without the attributes CSDL requires of them (a `Property` without a
    /// `Type`, say); every such problem is listed.
    pub fn parse(xml: &str) -> Result<Metadata, CsdlError> {
        let document = roxmltree::Document::parse(xml).map_err(|e| CsdlError {
            message: format!("the CSDL document is not well-formed XML: {e}"),
        })?;
        let schemas: Vec<roxmltree::Node<'_, '_>> = document
            .descendants()
            .filter(|n| is_edm(n, "Schema"))
            .collect();
        // Alias → namespace, for every schema, before any type is read.
        let mut aliases: BTreeMap<String, String> = BTreeMap::new();
        let mut metadata = Metadata::default();
        let mut problems = Vec::new();
        for schema in &schemas {
            let Some(namespace) = schema.attribute("Namespace") else {
                problems.push("a Schema has no Namespace".to_owned());
                continue;
            };
            metadata.namespaces.push(namespace.to_owned());
            if let Some(alias) = schema.attribute("Alias") {
                aliases.insert(alias.to_owned(), namespace.to_owned());
            }
        }
        let resolver = Resolver { aliases };
        for schema in &schemas {
            let Some(namespace) = schema.attribute("Namespace") else {
                continue;
            };
            for element in schema.children().filter(|n| n.is_element()) {
                let tag = element.tag_name().name();
                let result = match tag {
                    "EntityType" | "ComplexType" => {
                        let kind = if tag == "EntityType" {
                            StructuredKind::Entity
                        } else {
                            StructuredKind::Complex
                        };
                        read_structured(element, namespace, kind, &resolver).map(|t| {
                            metadata.structured.insert(t.name.clone(), t);
                        })
                    }
                    "EnumType" => read_enum(element, namespace).map(|t| {
                        metadata.enums.insert(t.name.clone(), t);
                    }),
                    "EntityContainer" => {
                        read_container(element, &resolver, &mut metadata.container);
                        Ok(())
                    }
                    "Action" | "Function" => {
                        let kind = if tag == "Action" {
                            CallableKind::Action
                        } else {
                            CallableKind::Function
                        };
                        read_callable(element, namespace, kind, &resolver)
                            .map(|c| metadata.callables.push(c))
                    }
                    _ => Ok(()),
                };
                if let Err(problem) = result {
                    problems.push(problem);
                }
            }
        }
        if problems.is_empty() {
            Ok(metadata)
        } else {
            Err(CsdlError {
                message: problems.join("\n"),
            })
        }
    }

    /// The literal segments of a request path (placeholders, `$`-segments and a
    /// function's parameters left out), each with the type it addresses and whether that
    /// is a collection, read through the CSDL: a first segment is an entity set or a
    /// singleton (`/me` is the `me` singleton, a `user`); a later one a property or
    /// navigation property of the type before it (or of its base types); a dotted one
    /// (`microsoft.graph.group`) a cast. A placeholder after a collection addresses one
    /// item of it. Where the CSDL has no answer the type and the collection are `None`,
    /// and so are every later segment's.
    pub fn path_segments(&self, path: &str) -> Vec<PathSegment> {
        let mut out: Vec<PathSegment> = Vec::new();
        let mut current: Option<(String, bool)> = None;
        let mut first = true;
        for segment in graphspec_spec::path::bare_segments(path) {
            let (bare, keyed) = (segment.text, segment.keyed);
            let word = bare.split('(').next().unwrap_or("").trim_matches(':');
            if word.is_empty() || word.starts_with('$') {
                if keyed && let Some((_, collection)) = &mut current {
                    // `{id}`: one item of the collection before it.
                    *collection = false;
                }
                continue;
            }
            let next: Option<(String, bool)> = if first {
                self.container
                    .iter()
                    .find(|(name, _)| name.eq_ignore_ascii_case(word))
                    .map(|(_, entry)| (entry.ty.clone(), entry.collection))
            } else if word.contains('.') && !bare.contains('(') {
                let cast = self
                    .structured
                    .keys()
                    .find(|k| k.eq_ignore_ascii_case(word))
                    .cloned();
                cast.map(|t| (t, current.as_ref().is_some_and(|(_, c)| *c)))
            } else {
                current
                    .as_ref()
                    .and_then(|(t, _)| self.property_type(t, word))
            };
            first = false;
            out.push(PathSegment {
                word: word.to_owned(),
                ty: next.as_ref().map(|(t, _)| t.clone()),
                collection: next.as_ref().map(|(_, c)| *c),
            });
            current = next;
        }
        out
    }

    /// What a request path addresses, read through the CSDL with every segment accounted
    /// for, and the path as a template: `None` when a segment is not what the CSDL
    /// allows where it stands. `segments` are the path's segments (no empty ones). A first
    /// segment is an entity set or singleton; after a collection comes a key (a
    /// placeholder as written, or a literal, which becomes `{<item>-id}` after the
    /// collection's name made singular), a cast, or an action or function bound to the
    /// collection; after one entity, a (navigation) property, a cast, a bound action or
    /// function, or `$value`; `$ref`, `$value` and `$count` end the path. A function may be
    /// called without `()` where no property has its name, as Graph serves composable
    /// functions (`…/range/usedRange`). Names are written as the CSDL spells them. A
    /// drive-path segment (one that ends with `:`, `root:/…:`) is not read; a key with a `:`
    /// inside (a chat id, `19:…@thread.v2`) is.
    pub fn resolve_request(&self, segments: &[String]) -> Option<ResolvedRequest> {
        let mut template: Vec<String> = Vec::new();
        // The type addressed so far, and whether a collection; `None`: a primitive.
        let mut current: Option<(String, bool)> = None;
        let mut end: Option<String> = None;
        let mut previous = String::new();
        let mut stream_property = false;
        for (index, segment) in segments.iter().enumerate() {
            if end.is_some() || segment.ends_with(':') && !segment.contains('(') {
                return None;
            }
            let word = segment.split('(').next().unwrap_or("");
            let call = segment.contains('(');
            if index == 0 {
                let (name, entry) = self
                    .container
                    .iter()
                    .find(|(name, _)| name.eq_ignore_ascii_case(word))?;
                if call {
                    return None;
                }
                template.push(name.clone());
                current = Some((entry.ty.clone(), entry.collection));
                previous = name.clone();
                continue;
            }
            let lower = segment.to_ascii_lowercase();
            if matches!(lower.as_str(), "$ref" | "$count" | "$value") {
                if lower == "$count" && !current.as_ref().is_some_and(|(_, c)| *c) {
                    return None;
                }
                template.push(lower.clone());
                end = Some(lower);
                continue;
            }
            let (ty, collection) = current.clone()?;
            let cast = (!call && word.contains('.'))
                .then(|| {
                    self.structured
                        .keys()
                        .find(|k| k.eq_ignore_ascii_case(word))
                })
                .flatten();
            if let Some(cast) = cast {
                if !self.ancestry(cast).iter().any(|a| a.name == ty) {
                    return None;
                }
                template.push(cast.clone());
                current = Some((cast.clone(), collection));
                continue;
            }
            let bound = self.callables.iter().find(|c| {
                local_name(&c.name).eq_ignore_ascii_case(word)
                    && c.binding().is_some_and(|b| {
                        b.is_collection() == collection
                            && matches!(b.element(), TypeRef::Named(n)
                                if self.ancestry(&ty).iter().any(|a| a.name == *n))
                    })
                    && match c.kind {
                        CallableKind::Function => {
                            // Graph serves a composable function called without `()`
                            // (`…/range/usedRange`) when no property has its name.
                            call || self.find_property(&ty, word).is_none()
                        }
                        CallableKind::Action => !call,
                    }
            });
            if let Some(callable) = bound {
                let name = local_name(&callable.name);
                template.push(format!("{name}{}", &segment[word.len()..]));
                current = callable
                    .return_type
                    .as_ref()
                    .and_then(|r| match r.element() {
                        TypeRef::Named(n) => Some((n.clone(), r.is_collection())),
                        _ => None,
                    });
                if current.is_none() {
                    // A call without a typed result ends the path.
                    end = Some(format!("call:{name}"));
                }
                previous = name.to_owned();
                continue;
            }
            if call {
                return None;
            }
            if collection {
                // A key.
                let key = if segment.starts_with('{') && segment.ends_with('}') {
                    segment.clone()
                } else {
                    format!("{{{}-id}}", singular(&previous))
                };
                template.push(key);
                current = Some((ty, false));
                continue;
            }
            if segment.starts_with('{') {
                return None;
            }
            let property = self.find_property(&ty, word)?;
            template.push(property.name.clone());
            previous = property.name.clone();
            current = match property.ty.element() {
                TypeRef::Named(n) if self.structured.contains_key(n) => {
                    Some((n.clone(), property.ty.is_collection()))
                }
                other => {
                    stream_property = matches!(other, TypeRef::Primitive(p) if p == "Stream");
                    // A primitive (a stream, a string): only `$value` may follow.
                    if segments
                        .get(index + 1)
                        .is_some_and(|next| !next.eq_ignore_ascii_case("$value"))
                    {
                        return None;
                    }
                    None
                }
            };
        }
        let content = end.as_deref() == Some("$value") || (current.is_none() && stream_property);
        Some(ResolvedRequest {
            content,
            template: format!("/{}", template.join("/")),
            addressed: match (&current, &end) {
                (_, Some(end)) => end.clone(),
                (Some((ty, collection)), None) => {
                    format!("{ty}{}", if *collection { "[]" } else { "" })
                }
                (None, None) => {
                    format!("property:{}", template.last().cloned().unwrap_or_default())
                }
            },
        })
    }

    /// The type (element type, and whether a collection) of the (navigation) property
    /// `name` of `type_name` or of its base types, compared in any ASCII case.
    fn property_type(&self, type_name: &str, name: &str) -> Option<(String, bool)> {
        self.find_property(type_name, name)
            .and_then(|p| match p.ty.element() {
                TypeRef::Named(n) => Some((n.clone(), p.ty.is_collection())),
                _ => None,
            })
    }

    /// The (navigation) property `name` of `type_name` or of its base types, the nearest
    /// first, compared in any ASCII case.
    fn find_property(&self, type_name: &str, name: &str) -> Option<&Property> {
        self.ancestry(type_name).into_iter().find_map(|t| {
            t.navigation
                .iter()
                .map(|n| &n.property)
                .chain(t.properties.iter())
                .find(|p| p.name.eq_ignore_ascii_case(name))
        })
    }

    /// The structured type named `name` (qualified).
    pub fn structured(&self, name: &str) -> Option<&StructuredType> {
        self.structured.get(name)
    }

    /// `name` and its base types, from `name` up to the root. Stops at a base type the
    /// document does not declare, and at a cycle.
    pub fn ancestry<'a>(&'a self, name: &str) -> Vec<&'a StructuredType> {
        let mut chain: Vec<&StructuredType> = Vec::new();
        let mut next = self.structured.get(name);
        while let Some(t) = next {
            if chain.iter().any(|seen| seen.name == t.name) {
                break;
            }
            chain.push(t);
            next = t.base_type.as_deref().and_then(|b| self.structured.get(b));
        }
        chain
    }

    /// Every structural property of `name`, inherited ones first (root type's first), as
    /// an instance carries them.
    pub fn all_properties(&self, name: &str) -> Vec<&Property> {
        self.ancestry(name)
            .iter()
            .rev()
            .flat_map(|t| t.properties.iter())
            .collect()
    }

    /// The types whose base type is `name`, directly.
    pub fn derived(&self, name: &str) -> Vec<&StructuredType> {
        self.structured
            .values()
            .filter(|t| t.base_type.as_deref() == Some(name))
            .collect()
    }

    /// Every type that has `name` among its ancestors (not `name` itself).
    pub fn descendants(&self, name: &str) -> Vec<&StructuredType> {
        self.structured
            .values()
            .filter(|t| t.name != name && self.ancestry(&t.name).iter().any(|a| a.name == name))
            .collect()
    }

    /// The actions and functions bound to `type_name` (qualified), or to a collection of it.
    pub fn bound_to<'a>(&'a self, type_name: &'a str) -> impl Iterator<Item = &'a Callable> + 'a {
        self.callables.iter().filter(move |c| {
            c.binding()
                .is_some_and(|b| matches!(b.element(), TypeRef::Named(n) if n == type_name))
        })
    }
}

/// Resolves schema aliases in type references.
struct Resolver {
    aliases: BTreeMap<String, String>,
}

impl Resolver {
    /// `Collection(graph.user)` → `Collection(microsoft.graph.user)`, `Edm.String` →
    /// primitive `String`.
    fn type_ref(&self, text: &str) -> Result<TypeRef, String> {
        let text = text.trim();
        if let Some(inner) = text
            .strip_prefix("Collection(")
            .and_then(|rest| rest.strip_suffix(')'))
        {
            return Ok(TypeRef::Collection(Box::new(self.type_ref(inner)?)));
        }
        if let Some(primitive) = text.strip_prefix("Edm.") {
            if primitive.is_empty() {
                return Err(format!("type `{text}` names no primitive"));
            }
            return Ok(TypeRef::Primitive(primitive.to_owned()));
        }
        Ok(TypeRef::Named(self.qualify(text)?))
    }

    /// `graph.user` → `microsoft.graph.user`; already qualified names stay.
    fn qualify(&self, text: &str) -> Result<String, String> {
        let Some((prefix, local)) = text.rsplit_once('.') else {
            return Err(format!("type `{text}` is not qualified with a namespace"));
        };
        Ok(match self.aliases.get(prefix) {
            Some(namespace) => format!("{namespace}.{local}"),
            None => text.to_owned(),
        })
    }
}

fn is_edm(node: &roxmltree::Node<'_, '_>, name: &str) -> bool {
    node.is_element() && node.tag_name().name() == name && node.tag_name().namespace() == Some(EDM)
}

fn required<'a>(
    node: roxmltree::Node<'a, '_>,
    attribute: &str,
    what: &str,
) -> Result<&'a str, String> {
    node.attribute(attribute)
        .ok_or_else(|| format!("{what} has no {attribute} attribute"))
}

fn flag(node: roxmltree::Node<'_, '_>, attribute: &str, default: bool) -> bool {
    match node.attribute(attribute) {
        Some(value) => value.eq_ignore_ascii_case("true"),
        None => default,
    }
}

fn read_property(
    node: roxmltree::Node<'_, '_>,
    owner: &str,
    resolver: &Resolver,
) -> Result<Property, String> {
    let name = required(node, "Name", &format!("a property of `{owner}`"))?;
    let ty = required(node, "Type", &format!("property `{owner}.{name}`"))?;
    Ok(Property {
        name: name.to_owned(),
        ty: resolver
            .type_ref(ty)
            .map_err(|e| format!("property `{owner}.{name}`: {e}"))?,
        nullable: flag(node, "Nullable", true),
    })
}

fn read_structured(
    node: roxmltree::Node<'_, '_>,
    namespace: &str,
    kind: StructuredKind,
    resolver: &Resolver,
) -> Result<StructuredType, String> {
    let local = required(node, "Name", &format!("a type in `{namespace}`"))?;
    let name = format!("{namespace}.{local}");
    let base_type = match node.attribute("BaseType") {
        Some(base) => Some(
            resolver
                .qualify(base)
                .map_err(|e| format!("base type of `{name}`: {e}"))?,
        ),
        None => None,
    };
    let mut properties = Vec::new();
    let mut navigation = Vec::new();
    for child in node.children().filter(|n| n.is_element()) {
        match child.tag_name().name() {
            "Property" => properties.push(read_property(child, &name, resolver)?),
            "NavigationProperty" => navigation.push(NavigationProperty {
                property: read_property(child, &name, resolver)?,
                contains_target: flag(child, "ContainsTarget", false),
            }),
            _ => {}
        }
    }
    Ok(StructuredType {
        is_abstract: flag(node, "Abstract", false),
        is_open: flag(node, "OpenType", false),
        has_stream: flag(node, "HasStream", false),
        name,
        kind,
        base_type,
        properties,
        navigation,
    })
}

/// The entity sets and singletons of an `EntityContainer`.
fn read_container(
    node: roxmltree::Node<'_, '_>,
    resolver: &Resolver,
    into: &mut BTreeMap<String, ContainerEntry>,
) {
    for child in node.children().filter(|n| n.is_element()) {
        let (ty, collection) = match child.tag_name().name() {
            "EntitySet" => (child.attribute("EntityType"), true),
            "Singleton" => (child.attribute("Type"), false),
            _ => continue,
        };
        let (Some(name), Some(ty)) = (child.attribute("Name"), ty) else {
            continue;
        };
        if let Ok(TypeRef::Named(ty)) = resolver.type_ref(ty) {
            into.insert(name.to_owned(), ContainerEntry { ty, collection });
        }
    }
}

fn read_enum(node: roxmltree::Node<'_, '_>, namespace: &str) -> Result<EnumType, String> {
    let local = required(node, "Name", &format!("an enum type in `{namespace}`"))?;
    let name = format!("{namespace}.{local}");
    let mut members = Vec::new();
    for (index, member) in node
        .children()
        .filter(|n| n.is_element() && n.tag_name().name() == "Member")
        .enumerate()
    {
        let member_name = required(member, "Name", &format!("a member of `{name}`"))?;
        let value = match member.attribute("Value") {
            Some(text) => text
                .trim()
                .parse::<i64>()
                .map_err(|e| format!("member `{name}.{member_name}` has value `{text}`: {e}"))?,
            None => index as i64,
        };
        members.push(EnumMember {
            name: member_name.to_owned(),
            value,
        });
    }
    Ok(EnumType {
        is_flags: flag(node, "IsFlags", false),
        name,
        members,
    })
}

fn read_callable(
    node: roxmltree::Node<'_, '_>,
    namespace: &str,
    kind: CallableKind,
    resolver: &Resolver,
) -> Result<Callable, String> {
    let local = required(
        node,
        "Name",
        &format!("an action or function in `{namespace}`"),
    )?;
    let name = format!("{namespace}.{local}");
    let mut parameters = Vec::new();
    let mut return_type = None;
    for child in node.children().filter(|n| n.is_element()) {
        match child.tag_name().name() {
            "Parameter" => {
                let p = read_property(child, &name, resolver)?;
                parameters.push(Parameter {
                    name: p.name,
                    ty: p.ty,
                    nullable: p.nullable,
                });
            }
            "ReturnType" => {
                let ty = required(child, "Type", &format!("the return type of `{name}`"))?;
                return_type = Some(
                    resolver
                        .type_ref(ty)
                        .map_err(|e| format!("return type of `{name}`: {e}"))?,
                );
            }
            _ => {}
        }
    }
    Ok(Callable {
        is_bound: flag(node, "IsBound", false),
        name,
        kind,
        parameters,
        return_type,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const SMALL: &str = r#"<?xml version="1.0"?>
<edmx:Edmx Version="4.0" xmlns:edmx="http://docs.oasis-open.org/odata/ns/edmx">
  <edmx:DataServices>
    <Schema Namespace="microsoft.graph" Alias="graph" xmlns="http://docs.oasis-open.org/odata/ns/edm">
      <EnumType Name="color" IsFlags="true">
        <Member Name="red" Value="1" />
        <Member Name="blue" Value="2" />
      </EnumType>
      <EnumType Name="plain"><Member Name="a" /><Member Name="b" /></EnumType>
      <EntityType Name="entity" Abstract="true">
        <Key><PropertyRef Name="id" /></Key>
        <Property Name="id" Type="Edm.String" Nullable="false" />
      </EntityType>
      <EntityType Name="user" BaseType="graph.entity" OpenType="true">
        <Property Name="tags" Type="Collection(Edm.String)" />
        <Property Name="colors" Type="graph.color" />
        <NavigationProperty Name="manager" Type="graph.entity" />
        <NavigationProperty Name="alerts" Type="Collection(self.alert)" ContainsTarget="true" />
      </EntityType>
      <Action Name="assignLicense" IsBound="true">
        <Parameter Name="bindingParameter" Type="graph.user" />
        <Parameter Name="addLicenses" Type="Collection(graph.entity)" Nullable="false" />
        <ReturnType Type="graph.user" />
      </Action>
    </Schema>
    <Schema Namespace="microsoft.graph.security" Alias="self" xmlns="http://docs.oasis-open.org/odata/ns/edm">
      <EntityType Name="alert" BaseType="graph.entity" />
    </Schema>
  </edmx:DataServices>
</edmx:Edmx>"#;

    #[test]
    fn reads_types_and_resolves_aliases() {
        let m = Metadata::parse(SMALL).unwrap();
        assert_eq!(
            m.namespaces,
            ["microsoft.graph", "microsoft.graph.security"]
        );
        let user = m.structured("microsoft.graph.user").unwrap();
        assert_eq!(user.base_type.as_deref(), Some("microsoft.graph.entity"));
        assert!(user.is_open && !user.is_abstract);
        assert_eq!(
            user.navigation[1].property.ty,
            TypeRef::Collection(Box::new(TypeRef::Named(
                "microsoft.graph.security.alert".into()
            )))
        );
        assert!(user.navigation[1].contains_target);
        let names: Vec<&str> = m
            .all_properties("microsoft.graph.user")
            .iter()
            .map(|p| p.name.as_str())
            .collect();
        assert_eq!(names, ["id", "tags", "colors"]);
        assert!(!m.all_properties("microsoft.graph.user")[0].nullable);
        let descendants: Vec<&str> = m
            .descendants("microsoft.graph.entity")
            .iter()
            .map(|t| t.local_name())
            .collect();
        assert_eq!(descendants, ["alert", "user"]); // by qualified name
    }

    #[test]
    fn reads_enums_and_callables() {
        let m = Metadata::parse(SMALL).unwrap();
        let color = &m.enums["microsoft.graph.color"];
        assert!(color.is_flags);
        assert_eq!(color.members[1].value, 2);
        assert_eq!(m.enums["microsoft.graph.plain"].members[1].value, 1);
        let assign = &m.callables[0];
        assert_eq!(assign.kind, CallableKind::Action);
        assert_eq!(
            assign.binding(),
            Some(&TypeRef::Named("microsoft.graph.user".into()))
        );
        assert_eq!(assign.arguments()[0].name, "addLicenses");
        assert_eq!(m.bound_to("microsoft.graph.user").count(), 1);
    }

    #[test]
    fn bad_documents_are_errors_not_panics() {
        assert!(Metadata::parse("<not xml").is_err());
        let missing_type = SMALL.replace(
            r#"<Property Name="tags" Type="Collection(Edm.String)" />"#,
            r#"<Property Name="tags" />"#,
        );
        let err = Metadata::parse(&missing_type).unwrap_err();
        assert!(
            err.message
                .contains("property `microsoft.graph.user.tags` has no Type"),
            "{err}"
        );
        let bad_value = SMALL.replace(r#"Value="2""#, r#"Value="two""#);
        assert!(Metadata::parse(&bad_value).is_err());
        assert_eq!(Metadata::parse("<a/>").unwrap(), Metadata::default());
    }
}
