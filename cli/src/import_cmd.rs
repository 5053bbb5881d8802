//! `graphspec import`: read the docs folder (with a progress bar on a terminal), import,
//! write the files, print a summary. The work is `graphspec-importer`'s.

use std::io::IsTerminal;
use std::path::Path;

use graphspec_importer::cross_check::Agreement;
use graphspec_importer::csdl::Metadata;
use graphspec_importer::page::ImportStatus;
use graphspec_importer::permissions_json::PermissionsData;
use graphspec_importer::{import, read, write};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

/// A label for the docs folder: its last three components (`graph-docs/ru-RU/v1.0`), so
/// generated headers do not depend on where the checkout is.
fn source_label(dir: &Path) -> String {
    let parts: Vec<String> = dir
        .components()
        .filter_map(|c| match c {
            std::path::Component::Normal(s) => Some(s.to_string_lossy().into_owned()),
            _ => None,
        })
        .collect();
    parts[parts.len().saturating_sub(3)..].join("/")
}

pub fn run(
    docs_dir: &Path,
    permissions: Option<&Path>,
    metadata: Option<&Path>,
    out: &Path,
) -> Result<(), String> {
    let target = write::Target::open(out)?;
    let data = match permissions {
        Some(p) => {
            let text = std::fs::read_to_string(p)
                .map_err(|e| format!("cannot read {}: {e}", p.display()))?;
            Some(
                PermissionsData::from_json(&text)
                    .map_err(|e| format!("{} is not a permissions.json: {e}", p.display()))?,
            )
        }
        None => None,
    };
    let csdl = match metadata {
        Some(p) => {
            let text = std::fs::read_to_string(p)
                .map_err(|e| format!("cannot read {}: {e}", p.display()))?;
            Some(
                Metadata::parse(&text)
                    .map_err(|e| format!("{} is not a CSDL document: {e}", p.display()))?,
            )
        }
        None => None,
    };
    let bar = ProgressBar::new(0);
    if !std::io::stderr().is_terminal() {
        bar.set_draw_target(ProgressDrawTarget::hidden());
    }
    bar.set_style(
        ProgressStyle::with_template("reading pages {bar:40} {pos}/{len} {elapsed}")
            .unwrap_or_else(|_| ProgressStyle::default_bar()),
    );
    let pages = read::read_dir(docs_dir, &mut |done, total| {
        bar.set_length(total as u64);
        bar.set_position(done as u64);
    })
    .map_err(|e| format!("cannot read the docs folder {}: {e}", docs_dir.display()))?;
    bar.finish_and_clear();
    if pages.is_empty() {
        return Err(format!("no pages in {}/api", docs_dir.display()));
    }
    let result = import(pages, data.as_ref(), csdl.as_ref(), &source_label(docs_dir));
    let written = target.write(&result)?;
    let total = result.pages.len();
    let not = result.count(ImportStatus::Not);
    eprintln!(
        "{total} pages: {} imported fully, {} partly, {not} not ({:.1}% imported)",
        result.count(ImportStatus::Full),
        result.count(ImportStatus::Partly),
        (total - not) as f64 * 100.0 / total as f64,
    );
    eprintln!(
        "{} operations in {} resource modules, {} features",
        result.operation_count(),
        result.modules.len(),
        result.features().len()
    );
    if result.cross_checked {
        for (scheme, counts) in result.agreement() {
            let same = counts.get(&Agreement::Same).copied().unwrap_or(0);
            let compared: usize = counts
                .iter()
                .filter(|(a, _)| !matches!(a, Agreement::NoData | Agreement::NotCompared))
                .map(|(_, n)| n)
                .sum();
            eprintln!("permissions.json agreement, {scheme}: {same} of {compared} rows the same");
        }
        eprintln!(
            "{} scopes repaired from permissions.json",
            result.repairs.len()
        );
    }
    eprintln!(
        "{} files written, {} unchanged, {} removed; report: {}",
        written.written,
        written.unchanged,
        written.removed,
        out.join("IMPORT-REPORT.md").display()
    );
    Ok(())
}
