//! Stage 5, the import report (`IMPORT-REPORT.md`): how many pages were imported fully,
//! partly or not and why, the agreement with `permissions.json` per scheme, every
//! repair, the features, and one line per page.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use crate::cross_check::Agreement;
use crate::definitions::Import;
use crate::example_forms::RootedBy;
use crate::page::ImportStatus;
use crate::write::generated_line;

impl Import {
    /// The import report (Markdown).
    pub fn report(&self) -> String {
        let mut out = String::from("# Import report\n\n");
        let _ = writeln!(out, "<!-- {} -->\n", generated_line(&self.source));
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
                *reasons.entry(r.as_str()).or_default() += 1;
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
                 reader repairs rejoin a scope name translation damaged (spaces around a \
                 dot, an ideographic full stop, full-width letters) into the permission it \
                 spells, and are checked here against the path.\n\n",
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
        let _ = writeln!(
            out,
            "\n## Scopes that are not known permissions ({})\n",
            self.unknown_scopes.len()
        );
        if !self.unknown_scopes.is_empty() {
            out.push_str(
                "Kept as written (`permissions.unrepaired-scope`): no rule repairs them from \
                 `permissions.json` for the path. A credential cannot grant them.\n\n\
                 | page | scheme | docs wrote |\n|---|---|---|\n",
            );
            for (page, scheme, name) in &self.unknown_scopes {
                let _ = writeln!(out, "| {page} | {scheme} | `{name}` |");
            }
        }
        let differed = self
            .identity
            .shared
            .iter()
            .filter(|s| s.tables_differed)
            .count();
        let _ = writeln!(
            out,
            "\n## Endpoints documented on several pages ({}, {differed} with different tables)\n",
            self.identity.shared.len()
        );
        out.push_str(
            "Each method and path is one operation's (the owner rule of `graphspec_importer::identity`); \
             the others documented it too and do not send it. Pages whose every request is another \
             operation's are not generated: they are listed under the operations that serve them.\n\n",
        );
        if !self.identity.shared.is_empty() {
            out.push_str("| request | served by | also documented by | tables differed |\n|---|---|---|---|\n");
            for s in &self.identity.shared {
                let _ = writeln!(
                    out,
                    "| `{}` | `{}` | {} | {} |",
                    s.key,
                    s.owner,
                    s.others
                        .iter()
                        .map(|o| format!("`{o}`"))
                        .collect::<Vec<_>>()
                        .join(", "),
                    if s.tables_differed { "yes" } else { "no" }
                );
            }
        }
        let _ = writeln!(
            out,
            "\n### Pages merged into other operations ({})\n",
            self.identity.merges.len()
        );
        if !self.identity.merges.is_empty() {
            out.push_str("| page | served by | tables merged |\n|---|---|---|\n");
            for m in &self.identity.merges {
                let _ = writeln!(
                    out,
                    "| {} | {} | {} |",
                    m.page,
                    m.into
                        .iter()
                        .map(|o| format!("`{o}`"))
                        .collect::<Vec<_>>()
                        .join(", "),
                    if m.table_merged { "yes" } else { "no" }
                );
            }
        }
        let _ = writeln!(
            out,
            "\n## Names the rule could not make unique ({})\n\nOperations are named from their requests (`docs/naming.md`); these share a name with \
             another operation of their module even with every qualifier, and were numbered in page order.\n",
            self.numbered.len()
        );
        for name in &self.numbered {
            let _ = writeln!(out, "- `{name}`");
        }
        let _ = writeln!(
            out,
            "\n## Pages with permissions per resource ({} split, {} forms no row names)\n\n\
             A page whose permissions table has one row per resource gives each request form its \
             row's table (`graphspec_importer::split`); forms no row names keep the page's merged table. \
             These pages became several operations:\n",
            self.per_resource.split.len(),
            self.per_resource.unassigned_forms
        );
        for (page, names) in &self.per_resource.split {
            let names: Vec<String> = names.iter().map(|n| format!("`{n}`")).collect();
            let names = if names.is_empty() {
                "every part merged into the operations that own its requests".to_owned()
            } else {
                names.join(", ")
            };
            let _ = writeln!(out, "- {page}: {names}");
        }
        let _ = writeln!(
            out,
            "\n### Tables still merged ({} pages)\n\n\
             What each table is for, as its row label or heading names it, and the forms no table \
             names: nothing in these forms' paths tells which table applies (the setting object, \
             the deleted object's type, the subscribed resource are data, not paths), so they keep \
             the union of the tables:\n",
            self.per_resource.still_merged.len()
        );
        for merged in &self.per_resource.still_merged {
            let tables: Vec<String> = merged
                .tables
                .iter()
                .map(|t| {
                    if t.is_empty() {
                        "(names nothing)".to_owned()
                    } else {
                        t.iter()
                            .map(|r| format!("`{r}`"))
                            .collect::<Vec<_>>()
                            .join(" ")
                    }
                })
                .collect();
            let forms: Vec<String> = merged.forms.iter().map(|f| format!("`{f}`")).collect();
            let tables = if tables.is_empty() {
                "headings that name nothing a path addresses".to_owned()
            } else {
                tables.join(" / ")
            };
            let _ = writeln!(
                out,
                "- {}: tables for {tables}; forms {}",
                merged.page,
                forms.join(", ")
            );
        }
        let unrooted = self
            .rooted_forms
            .iter()
            .filter(|r| r.rooted.is_empty())
            .count();
        let _ = writeln!(
            out,
            "\n## Forms rooted by their examples ({}, {unrooted} left as written)\n\n\
             A form written from below the service root (`/workbook/…`) stands under the paths \
             examples show it under: its own, its page's other forms', or other pages' \
             (`graphspec_importer::example_forms::root`):\n",
            self.rooted_forms.len()
        );
        for form in &self.rooted_forms {
            let rooted = if form.rooted.is_empty() {
                "left as written: no example roots it".to_owned()
            } else {
                let by = match form.by {
                    Some(RootedBy::Examples) => "its examples",
                    Some(RootedBy::PageExamples) => "the page's other forms' examples",
                    _ => "other pages' examples",
                };
                format!(
                    "{} (by {by})",
                    form.rooted
                        .iter()
                        .map(|r| format!("`{r}`"))
                        .collect::<Vec<_>>()
                        .join(", ")
                )
            };
            let _ = writeln!(
                out,
                "- {}: `{} {}` → {rooted}",
                form.page, form.method, form.written
            );
        }
        let _ = writeln!(
            out,
            "\n## Forms adopted from examples ({})\n\n\
             An example request no operation serves, whose path the CSDL reads as addressing what \
             its page's operation addresses, is one more form of that operation \
             (`graphspec_importer::example_forms`):\n",
            self.example_forms.len()
        );
        for form in &self.example_forms {
            let _ = writeln!(
                out,
                "- {}: `{} {}` (example `{}`)",
                form.page,
                form.method,
                form.template,
                form.example.replace('`', "'")
            );
        }
        let _ = writeln!(
            out,
            "\n## Reads and writes of raw content the examples show ({})\n\n\
             An example no operation serves that reads (`GET`) or replaces (`PUT`) the raw \
             content (`$value`, an `Edm.Stream` property) of what its page reads or updates is an \
             operation of its own, with the page's permissions \
             (`graphspec_importer::example_forms::content_requests`):\n",
            self.content_requests.len()
        );
        for request in &self.content_requests {
            let source = match &request.section {
                Some(anchor) => {
                    format!("the request of section `{anchor}`, without an example response")
                }
                None => format!("example `{}`", request.example.replace('`', "'")),
            };
            let _ = writeln!(
                out,
                "- {}: `{m} {}` ({source})",
                request.page,
                request.templates.join(&format!("`, `{} ", request.method)),
                m = request.method
            );
        }
        let _ = writeln!(
            out,
            "\n## Function calls completed from the CSDL ({})\n\n\
             A form that calls a bound function by its bare name gets the parameters of the \
             function's CSDL overload: in place of the bare call when the CSDL has no overload \
             without parameters, as one more form otherwise \
             (`graphspec_importer::function_calls`):\n",
            self.function_calls.len()
        );
        for call in &self.function_calls {
            let _ = writeln!(
                out,
                "- {}: `GET {}` {} `GET {}`",
                call.page,
                call.written,
                if call.added { "and" } else { "→" },
                call.completed
            );
        }
        let _ = writeln!(
            out,
            "\n## Reads of raw content ({})\n\n\
             The forms of a read that address raw content (`…/$value`, an `Edm.Stream` property) \
             answer its bytes (`Vec<u8>`), in an operation of their own when the page's other \
             forms answer JSON (`graphspec_importer::content`):\n",
            self.content.len()
        );
        for c in &self.content {
            let _ = writeln!(
                out,
                "- {}: {}",
                c.page,
                if c.split {
                    "its content forms are an operation of their own"
                } else {
                    "every form reads content; the operation answers `Vec<u8>`"
                }
            );
        }
        let _ = writeln!(
            out,
            "\n## Writes of raw content ({})\n\n\
             A `PUT` whose every form addresses raw content sends the bytes as they are \
             (`body: Vec<u8>`, with the caller's `Content-Type`; `graphspec_importer::content`):\n",
            self.content_bodies.len()
        );
        for (page, _) in &self.content_bodies {
            let _ = writeln!(out, "- {page}");
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
            } else if !p.merged_into.is_empty() {
                format!(
                    "merged into {}",
                    p.merged_into
                        .iter()
                        .map(|o| format!("`{o}`"))
                        .collect::<Vec<_>>()
                        .join(", ")
                )
            } else {
                format!("`{}::{}`", p.resource, p.name)
            };
            let mut why = p
                .reasons
                .iter()
                .map(|r| r.as_str())
                .collect::<Vec<_>>()
                .join(", ");
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
    use crate::definitions::tests::sample;

    #[test]
    fn the_report_counts_pages_and_agreement() {
        let import = sample();
        let report = import.report();
        assert!(report.contains("| imported fully | 1 | 100.0% |"));
        assert!(report.contains("| DelegatedWork | 1 | 0 |"));
        assert!(
            report.contains("| group-delete | `group::Delete` | full |  | same / same / same |")
        );
    }
}
