//! Reading Microsoft's real CSDL for v1.0 (`../shared/graph-metadata/v1.0-metadata.xml`):
//! what the file declares, as its README counts it and as a reader of the XML can check.

use std::path::Path;

use graphspec_importer::csdl::{CallableKind, Metadata, StructuredKind, TypeRef};

fn metadata() -> Metadata {
    let path =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/graph-metadata/v1.0-metadata.xml");
    let xml = std::fs::read_to_string(&path).unwrap_or_else(|e| {
        panic!(
            "{} (../shared must sit beside the checkout): {e}",
            path.display()
        )
    });
    Metadata::parse(&xml).expect("the published CSDL reads")
}

#[test]
fn counts_match_the_published_document() {
    let m = metadata();
    assert_eq!(m.namespaces.len(), 11);
    let count = |kind| m.structured.values().filter(|t| t.kind == kind).count();
    assert_eq!(count(StructuredKind::Entity), 1_182);
    assert_eq!(count(StructuredKind::Complex), 1_780);
    assert_eq!(m.enums.len(), 861);
    assert_eq!(m.enums.values().filter(|e| e.is_flags).count(), 64);
    let callables = |kind| m.callables.iter().filter(|c| c.kind == kind).count();
    assert_eq!(callables(CallableKind::Action), 857);
    assert_eq!(callables(CallableKind::Function), 324);
    assert_eq!(m.structured.values().filter(|t| t.is_open).count(), 535);
    let named_type = m
        .structured
        .values()
        .flat_map(|t| &t.properties)
        .filter(|p| p.name == "type")
        .count();
    assert_eq!(named_type, 63);
}

#[test]
fn every_reference_resolves_to_a_declared_type() {
    let m = metadata();
    let known = |ty: &TypeRef| match ty.element() {
        TypeRef::Named(name) => m.structured.contains_key(name) || m.enums.contains_key(name),
        TypeRef::Primitive(_) => true,
        TypeRef::Collection(_) => false,
    };
    let mut unknown = Vec::new();
    for t in m.structured.values() {
        if let Some(base) = &t.base_type
            && !m.structured.contains_key(base)
        {
            unknown.push(format!("base of {}: {base}", t.name));
        }
        for p in t
            .properties
            .iter()
            .chain(t.navigation.iter().map(|n| &n.property))
        {
            if !known(&p.ty) {
                unknown.push(format!("{}.{}: {}", t.name, p.name, p.ty));
            }
        }
    }
    for c in &m.callables {
        for p in &c.parameters {
            if !known(&p.ty) {
                unknown.push(format!("{}({}): {}", c.name, p.name, p.ty));
            }
        }
    }
    assert!(
        unknown.is_empty(),
        "{} unresolved: {:?}",
        unknown.len(),
        &unknown[..unknown.len().min(10)]
    );
}

#[test]
fn inheritance_and_actions_of_user() {
    let m = metadata();
    let ancestry: Vec<&str> = m
        .ancestry("microsoft.graph.user")
        .iter()
        .map(|t| t.name.as_str())
        .collect();
    assert_eq!(
        ancestry,
        [
            "microsoft.graph.user",
            "microsoft.graph.directoryObject",
            "microsoft.graph.entity"
        ]
    );
    let properties = m.all_properties("microsoft.graph.user");
    assert_eq!(properties[0].name, "id");
    assert!(properties.iter().any(|p| p.name == "displayName"));
    assert!(properties.iter().any(|p| p.name == "deletedDateTime"));
    // directoryObject values come back as users, groups, devices, …
    let derived: Vec<&str> = m
        .derived("microsoft.graph.directoryObject")
        .iter()
        .map(|t| t.local_name())
        .collect();
    for name in ["user", "group", "device"] {
        assert!(derived.contains(&name), "{derived:?}");
    }
    let assign = m
        .bound_to("microsoft.graph.user")
        .find(|c| c.name == "microsoft.graph.assignLicense")
        .expect("assignLicense is bound to user");
    let arguments: Vec<(&str, String)> = assign
        .arguments()
        .iter()
        .map(|p| (p.name.as_str(), p.ty.to_string()))
        .collect();
    assert_eq!(
        arguments,
        [
            (
                "addLicenses",
                "Collection(microsoft.graph.assignedLicense)".to_owned()
            ),
            ("removeLicenses", "Collection(Edm.Guid)".to_owned()),
        ]
    );
    // `entity` is the root of most of the model: the generator must not pull all of it in.
    assert_eq!(m.descendants("microsoft.graph.entity").len(), 1_145);
}

#[test]
fn request_paths_resolve_to_types_and_collections() {
    let metadata = metadata();
    let read = |path: &str| -> Vec<(String, Option<String>, Option<bool>)> {
        metadata
            .path_segments(path)
            .into_iter()
            .map(|s| (s.word, s.ty, s.collection))
            .collect()
    };
    let seg = |word: &str, ty: &str, collection: bool| {
        (word.to_owned(), Some(ty.to_owned()), Some(collection))
    };
    assert_eq!(
        read("/me/messages"),
        [
            seg("me", "microsoft.graph.user", false),
            seg("messages", "microsoft.graph.message", true)
        ]
    );
    assert_eq!(
        read("/users/{id}/memberOf/microsoft.graph.group"),
        [
            seg("users", "microsoft.graph.user", true),
            seg("memberOf", "microsoft.graph.directoryObject", true),
            seg("microsoft.graph.group", "microsoft.graph.group", true)
        ]
    );
    assert_eq!(
        read("/users/{id | userPrincipalName}/manager/$ref"),
        [
            seg("users", "microsoft.graph.user", true),
            seg("manager", "microsoft.graph.directoryObject", false)
        ]
    );
    assert_eq!(
        read("/organization"),
        [seg("organization", "microsoft.graph.organization", true)]
    );
    // Through base types (a todoTaskList's tasks), and nothing past what the CSDL knows.
    assert_eq!(
        read("/me/todo/lists/{id}/tasks")[3],
        seg("tasks", "microsoft.graph.todoTask", true)
    );
    assert_eq!(
        read("/nothing/{id}/here"),
        [
            ("nothing".to_owned(), None, None),
            ("here".to_owned(), None, None)
        ]
    );
}
