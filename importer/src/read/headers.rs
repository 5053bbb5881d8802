//! Request headers and the request body.
//!
//! # Headers
//!
//! The first table of each section anchored `request-headers` or
//! `optional-request-headers`, header row skipped. The name is the first cell (markup
//! dropped, `Prefer: outlook.timezone` → `Prefer`); the description is the last cell.
//! The `Authorization` row is recognised by its name or, where the name is translated,
//! by its value (`Bearer {token}` in any language, [`super::words::BEARER`]);
//! `Content-Type` is dropped (graphspec sets both). A name that is not an HTTP token
//! (a translated header name) is reported and skipped. *Required* and *optional* are
//! read from the description ([`super::words::OPTIONAL`] first, then
//! [`super::words::REQUIRED`]); a header with neither, or in the optional section, is
//! optional.
//!
//! # Body
//!
//! GET and DELETE take none. Otherwise a body is taken when the `request-body` section
//! has a table (of properties or parameters) or links a resource page, or the first
//! example request carries a JSON body. Its type is the linked resource when exactly one
//! resource is linked from the section's prose (outside tables) and the method is POST or
//! PUT (create or replace with a whole object); otherwise `serde_json::Value` (partial
//! updates, action parameters).

use graphspec_codegen::model::{HeaderDef, Spanned, TypeRef};
use graphspec_spec::Method;

use super::markdown::{Doc, decode_entities, strip_tags};
use super::response::{rust_type, value_type};
use super::{ResourceIndex, words};
use crate::diagnostic::{Code, Diagnostic};

/// Reads the documented headers.
pub(crate) fn read_headers(doc: &Doc<'_>, diags: &mut Vec<Diagnostic>) -> Vec<HeaderDef> {
    let mut out: Vec<HeaderDef> = Vec::new();
    for (_, range) in doc.sections(|a| a == "request-headers" || a == "optional-request-headers") {
        let optional_section = doc
            .headings
            .iter()
            .any(|h| h.line + 1 == range.start && h.anchor.starts_with("optional"));
        let Some(table) = doc.tables.iter().find(|t| range.contains(&t.start)) else {
            continue;
        };
        let rows = if table.has_header {
            table.rows.get(1..).unwrap_or(&[])
        } else {
            &table.rows[..]
        };
        for row in rows {
            let Some(first) = row.first() else { continue };
            let value = if row.len() > 1 {
                row.last().map(String::as_str).unwrap_or("")
            } else {
                ""
            };
            let name = header_name(first);
            let value_norm = words::normalize(&strip_tags(&decode_entities(value)));
            let lower = name.to_ascii_lowercase();
            let bearer = {
                let head: String = value_norm.split(' ').take(3).collect::<Vec<_>>().join(" ");
                let raw = value.to_lowercase();
                words::contains_any(&head, words::BEARER)
                    || raw.contains("{token}")
                    || raw.contains("&lt;token&gt;")
                    || raw.contains("<token>")
            };
            if lower == "authorization" || lower == "content-type" || bearer {
                // A bearer-token value is the Authorization row, whatever its name says.
                continue;
            }
            if !is_token(&name) {
                diags.push(Diagnostic::new(
                    Code::HeadersUnrecognisedName,
                    format!(
                        "header row {:?} does not name an HTTP header; skipped",
                        name
                    ),
                ));
                continue;
            }
            let required = !optional_section
                && !words::contains_any(&value_norm, words::OPTIONAL)
                && words::contains_any(&value_norm, words::REQUIRED);
            if out.iter().any(|h| h.name.value.eq_ignore_ascii_case(&name)) {
                continue;
            }
            out.push(HeaderDef {
                name: Spanned::unspanned(name),
                required,
            });
        }
    }
    out
}

/// The header name in a cell: markup dropped, `Name: value` cut at the colon.
fn header_name(cell: &str) -> String {
    let plain = strip_tags(&decode_entities(cell));
    let plain = plain.replace(['*', '`'], "");
    let plain = plain.trim().trim_matches('_').trim();
    let name = plain.split(':').next().unwrap_or("").trim();
    name.to_owned()
}

/// Whether `name` is an HTTP header token.
fn is_token(name: &str) -> bool {
    !name.is_empty()
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b))
}

/// What the request body section says.
#[derive(Debug, Clone)]
pub(crate) struct BodyReading {
    /// The body type, if a body is taken.
    pub body: Option<TypeRef>,
    /// Its Graph type, if known.
    pub graph_type: Option<String>,
}

/// Reads the request body.
pub(crate) fn read_body(
    doc: &Doc<'_>,
    method: Method,
    example_has_body: bool,
    resources: &ResourceIndex,
    diags: &mut Vec<Diagnostic>,
) -> BodyReading {
    let sections = doc.sections(|a| a == "request-body");
    let mut has_table = false;
    let mut linked: Vec<String> = Vec::new();
    for (_, range) in &sections {
        has_table |= doc.tables.iter().any(|t| range.contains(&t.start));
        for (_, url) in doc.links(range.clone()) {
            if let Some(t) = resources.resolve_link(&url)
                && !linked.iter().any(|l| l.eq_ignore_ascii_case(t))
            {
                linked.push(t.to_owned());
            }
        }
    }
    let takes_body = has_table || !linked.is_empty() || example_has_body;
    if matches!(method, Method::Get | Method::Delete) {
        if example_has_body {
            diags.push(Diagnostic::new(
                Code::BodyIgnoredForMethod,
                format!(
                    "the example {} request shows a body; not modelled",
                    method.as_str()
                ),
            ));
        }
        return BodyReading {
            body: None,
            graph_type: None,
        };
    }
    if !takes_body {
        return BodyReading {
            body: None,
            graph_type: None,
        };
    }
    if linked.len() == 1
        && matches!(method, Method::Post | Method::Put)
        && let Some(ty) = rust_type(&linked[0])
    {
        return BodyReading {
            body: Some(TypeRef { ty }),
            graph_type: linked.first().cloned(),
        };
    }
    BodyReading {
        body: Some(value_type()),
        graph_type: None,
    }
}
