//! `graphspec inspect`: what the docs reader makes of pages, and what the macro makes of
//! that.

use std::path::{Path, PathBuf};

use graphspec_importer::docs::{self, PageResult, ResourceIndex};

/// The pages named by `path`: the file itself, or a folder's `*.md` (its `api/` when it
/// has one), sorted.
fn pages_of(path: &Path) -> Result<Vec<PathBuf>, String> {
    if path.is_file() {
        return Ok(vec![path.to_owned()]);
    }
    let dir = if path.join("api").is_dir() {
        path.join("api")
    } else {
        path.to_owned()
    };
    let entries =
        std::fs::read_dir(&dir).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    let mut files: Vec<PathBuf> = entries
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "md"))
        .collect();
    files.sort();
    Ok(files)
}

/// The resource pages beside a page's folder (`../resources/*.md`), for type links.
fn resources_for(page: &Path) -> ResourceIndex {
    let dir = page
        .parent()
        .and_then(Path::parent)
        .map(|p| p.join("resources"));
    let mut pages = Vec::new();
    if let Some(dir) = dir.filter(|d| d.is_dir())
        && let Ok(entries) = std::fs::read_dir(&dir)
    {
        let mut files: Vec<PathBuf> = entries.filter_map(Result::ok).map(|e| e.path()).collect();
        files.sort();
        for f in files {
            if let Ok(text) = std::fs::read_to_string(&f) {
                let name = f
                    .file_name()
                    .map(|n| n.to_string_lossy().into_owned())
                    .unwrap_or_default();
                pages.push((name, text));
            }
        }
    }
    ResourceIndex::from_pages(pages)
}

/// The Rust `endpoint!` generates for a page's operation, rendered with prettyplease.
fn generated(result: &PageResult) -> Option<String> {
    let op = result.operation.as_ref()?;
    let printed = graphspec_importer::print::print_operation(op);
    let inner = printed
        .strip_prefix("graphspec::endpoint! {\n")?
        .trim_end()
        .strip_suffix('}')?;
    let tokens: proc_macro2::TokenStream = inner.parse().ok()?;
    let (out, _errors) = graphspec_codegen::endpoint(tokens);
    Some(graphspec_importer::pretty(out))
}

pub fn run(paths: &[PathBuf], json: bool) -> Result<(), String> {
    let mut files = Vec::new();
    for path in paths {
        if !path.exists() {
            return Err(format!("no such file or folder: {}", path.display()));
        }
        files.extend(pages_of(path)?);
    }
    if files.is_empty() {
        return Err("no .md pages found".to_owned());
    }
    let mut results = Vec::new();
    let mut resources: Option<(PathBuf, ResourceIndex)> = None;
    for file in &files {
        let text = std::fs::read_to_string(file)
            .map_err(|e| format!("cannot read {}: {e}", file.display()))?;
        let parent = file.parent().map(Path::to_owned).unwrap_or_default();
        if resources.as_ref().is_none_or(|(p, _)| *p != parent) {
            resources = Some((parent.clone(), resources_for(file)));
        }
        let index = &resources.as_ref().expect("set above").1;
        results.push(docs::read_page(&file.to_string_lossy(), &text, index));
    }
    docs::assign_names(&mut results);
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
                docs::ImportStatus::Full => "imported fully",
                docs::ImportStatus::Partly => "imported partly",
                docs::ImportStatus::Not => "not imported",
            }
        );
        for d in &result.diagnostics {
            let severity = match d.severity {
                docs::Severity::Note => "note",
                docs::Severity::Warning => "warning",
                docs::Severity::Error => "error",
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
        println!();
    }
    Ok(())
}
