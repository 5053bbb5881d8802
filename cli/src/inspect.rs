//! `graphspec inspect`: what the docs reader makes of pages, and what the macro makes of
//! that.

use std::path::PathBuf;

use graphspec_importer::diagnostic::Severity;
use graphspec_importer::page::{ImportStatus, PageResult};
use graphspec_importer::read;

/// The Rust `endpoint!` generates for a page's operation, rendered with prettyplease.
fn generated(result: &PageResult) -> Option<String> {
    let (out, _errors) = graphspec_codegen::expand_operation(result.operation.as_ref()?);
    Some(graphspec_importer::pretty(out))
}

pub fn run(paths: &[PathBuf], json: bool) -> Result<(), String> {
    let mut files = Vec::new();
    for path in paths {
        if !path.exists() {
            return Err(format!("no such file or folder: {}", path.display()));
        }
        files.extend(read::page_files(path).map_err(|e| e.to_string())?);
    }
    if files.is_empty() {
        return Err("no .md pages found".to_owned());
    }
    let results = read::read_files(&files, &mut |_, _| {}).map_err(|e| e.to_string())?;
    for (file, result) in files.iter().zip(&results) {
        let name = file
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        if json {
            let mut value = serde_json::to_value(result).map_err(|e| e.to_string())?;
            if let Some(map) = value.as_object_mut() {
                map.insert("file".to_owned(), serde_json::Value::String(name));
            }
            println!("{value}");
            continue;
        }
        println!(
            "== {name}: {}::{} ({})",
            result.resource,
            result.name,
            match result.status {
                ImportStatus::Full => "imported fully",
                ImportStatus::Partly => "imported partly",
                ImportStatus::Not => "not imported",
            }
        );
        for d in &result.diagnostics {
            let severity = match d.severity {
                Severity::Note => "note",
                Severity::Warning => "warning",
                Severity::Error => "error",
            };
            println!("{severity} [{}]: {}", d.code, d.message);
        }
        if let Some(op) = &result.operation {
            println!("\n-- definition\n");
            print!("{}", graphspec_importer::print::print_operation(op));
            if let Some(rust) = generated(result) {
                println!("\n-- generated Rust\n");
                print!("{rust}");
            }
        }
        for section in &result.sections {
            println!(
                "\n-- definition of a request a later section documents ({})\n",
                section.anchor.as_deref().unwrap_or("a lookup")
            );
            print!(
                "{}",
                graphspec_importer::print::print_operation(&section.operation)
            );
        }
        println!();
    }
    Ok(())
}
