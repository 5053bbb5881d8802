//! The printer and the definition-language parser agree: for every operation imported
//! from the docs corpus, printing it and parsing the print gives the same model, and
//! the print is a valid definition. And `graphspec_codegen::expand_operation` expands the
//! operation exactly as `endpoint!` expands its print, so tools need no text round trip.

use std::path::Path;

use graphspec_codegen::model::Operation;
use graphspec_codegen::{Errors, dsl, valid};
use graphspec_importer::{print, read};

/// The operations of a printed `endpoint!` call.
fn parse_printed(text: &str) -> Vec<Operation> {
    let file: syn::File = syn::parse_str(text).unwrap_or_else(|e| panic!("{e}:\n{text}"));
    let mut ops = Vec::new();
    for item in file.items {
        let syn::Item::Macro(item) = item else {
            panic!("not a macro item:\n{text}");
        };
        assert!(item.mac.path.is_ident("endpoint") || item.mac.path.segments.len() == 2);
        let mut errors = Errors::default();
        let items = dsl::parse_items(item.mac.tokens.clone(), &mut errors);
        assert!(
            errors.is_empty(),
            "parse errors {:?} in:\n{text}",
            errors
                .errors()
                .iter()
                .map(|e| e.to_string())
                .collect::<Vec<_>>()
        );
        ops.extend(items.into_iter().map(|i| i.operation));
    }
    ops
}

#[test]
fn every_imported_operation_prints_and_parses_back() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/graph-docs/ru-RU/v1.0");
    let pages = read::read_dir(&dir, &mut |_, _| {})
        .unwrap_or_else(|e| panic!("the docs corpus must exist at {}: {e}", dir.display()));
    assert!(pages.len() > 2000);
    let mut checked = 0;
    for page in &pages {
        let Some(op) = &page.operation else { continue };
        let text = print::print_operation(op);
        let parsed = parse_printed(&text);
        assert_eq!(parsed.len(), 1, "{}", page.page);
        assert_eq!(&parsed[0], op, "{} does not round-trip:\n{text}", page.page);
        let mut errors = Errors::default();
        let _ = valid::validate(&parsed[0], &mut errors);
        assert!(
            errors.is_empty(),
            "{} prints an invalid definition",
            page.page
        );
        let (direct, errors) = graphspec_codegen::expand_operation(op);
        assert!(errors.is_empty(), "{}", page.page);
        let macro_input = text
            .strip_prefix("graphspec::endpoint! {\n")
            .and_then(|rest| rest.trim_end().strip_suffix('}'))
            .expect("an endpoint! call");
        let (through_text, _) = graphspec_codegen::endpoint(macro_input.parse().unwrap());
        assert_eq!(
            direct.to_string(),
            through_text.to_string(),
            "{}: expand_operation differs from endpoint!",
            page.page
        );
        checked += 1;
    }
    println!("{checked} operations round-trip");

    // A whole module file, as the importer writes it.
    let users: Vec<Operation> = pages
        .iter()
        .filter(|p| p.resource == "user")
        .filter_map(|p| p.operation.clone())
        .collect();
    let text = print::print_file(&users, "Operations on users.\n\nImported from Graph docs.");
    assert_eq!(parse_printed(&text), users);
    // Deterministic.
    assert_eq!(
        text,
        print::print_file(&users, "Operations on users.\n\nImported from Graph docs.")
    );
}
