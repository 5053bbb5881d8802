//! The response: status code and body type.
//!
//! # Status
//!
//! The first 2xx code (else 3xx) written in the prose of the `response` section (the
//! highest-level section anchored `response`) wins: prose is what the page states as
//! the contract. Without one, the status line of the first example response
//! (`HTTP/1.1 201 Created`) is used; without either, 200 is assumed (warning). When
//! prose and example disagree, the prose wins and a warning reports the example's code.
//!
//! # Body type
//!
//! A 204 has no body. Otherwise, in this order:
//!
//! 1. the `@odata.type` of the example responses' annotations, when they all agree;
//!    when they differ (polymorphic examples), the first linked resource that is not
//!    one of them (the base type), else the first annotation;
//! 2. the resource pages linked from the response prose, resolved through the
//!    [`super::ResourceIndex`] (links to pages without a type annotation are skipped);
//!    the one that matches the example body's `"@odata.type"` if any, else the first;
//! 3. the top-level `"@odata.type"` of the example response body;
//! 4. an example body without a type gives `serde_json::Value` (warning); no example
//!    body gives no body.
//!
//! A collection is `Collection(…)`/`isCollection: true` in the annotation, or a
//! top-level `"value": [` in the example body.

use graphspec_codegen::model::{ResponseBody, ResponseDef, Spanned, TypeRef};

use super::ResourceIndex;
use super::markdown::{Annotation, Doc};
use crate::diagnostic::{Code, Diagnostic};

/// What the response section says.
#[derive(Debug, Clone)]
pub(crate) struct ResponseReading {
    /// The definition.
    pub def: ResponseDef,
    /// The Graph type of the body, if any.
    pub graph_type: Option<String>,
}

/// Reads the response.
pub(crate) fn read(
    doc: &Doc<'_>,
    resources: &ResourceIndex,
    diags: &mut Vec<Diagnostic>,
) -> ResponseReading {
    let sections = doc.sections(|a| a == "response");
    let section = sections
        .iter()
        .find(|(level, _)| *level <= 2)
        .or(sections.first())
        .map(|(_, r)| r.clone());
    let prose = section
        .as_ref()
        .map(|r| doc.prose(r.clone()))
        .unwrap_or_default();
    if section.is_none() {
        diags.push(Diagnostic::new(
            Code::ResponseMissingSection,
            "no section anchored `response`",
        ));
    }
    let prose_status = first_status(&prose);

    // Example responses: annotated blocks, or (pages without annotations) blocks that
    // start with a status line after the response section.
    let mut examples: Vec<(Option<&super::markdown::Annotation>, Vec<&str>)> = Vec::new();
    for block in &doc.blocks {
        let annotation = doc.annotation(block);
        let lines = doc.block_lines(block);
        let first = lines.iter().find(|l| !l.trim().is_empty());
        let status_line = first.is_some_and(|l| l.trim_start().starts_with("HTTP/"));
        match annotation {
            Some(a) if a.block_type == "response" => examples.push((Some(a), lines.to_vec())),
            Some(a) if a.block_type == "request" => {}
            _ if status_line => examples.push((None, lines.to_vec())),
            _ => {}
        }
    }
    let example_status = examples.iter().find_map(|(_, lines)| status_of(lines));
    let status = match (prose_status, example_status) {
        (Some(p), Some(e)) => {
            if p != e {
                diags.push(Diagnostic::new(
                    Code::ResponseStatusDisagreement,
                    format!("the prose says {p}, the example response {e}; {p} taken"),
                ));
            }
            p
        }
        (Some(p), None) => p,
        (None, Some(e)) => e,
        (None, None) => {
            diags.push(Diagnostic::new(
                Code::ResponseStatusAssumed,
                "no status code in the prose or an example; 200 assumed",
            ));
            200
        }
    };

    let example_bodies: Vec<BodyFacts> = examples.iter().map(|(_, l)| body_facts(l)).collect();
    let first_body = example_bodies.iter().find(|b| b.has_body);

    if status == 204 {
        return ResponseReading {
            def: ResponseDef {
                status: Spanned::unspanned(204),
                body: ResponseBody::None,
            },
            graph_type: None,
        };
    }

    let annotated: Vec<(String, bool)> = examples
        .iter()
        .filter_map(|(a, _)| a.and_then(|a| a.odata_type.as_deref().map(|t| (t, a.is_collection))))
        .filter_map(|(t, c)| {
            let (t, coll) = unwrap_collection(t);
            (!t.is_empty()).then_some((t, c || coll))
        })
        .collect();
    let linked: Vec<String> = {
        let mut out: Vec<String> = Vec::new();
        if let Some(r) = &section {
            for (_, url) in doc.links(r.clone()) {
                if let Some(t) = resources.resolve_link(&url)
                    && !out.iter().any(|o| o.eq_ignore_ascii_case(t))
                {
                    out.push(t.to_owned());
                }
            }
        }
        out
    };
    let body_type = first_body.and_then(|b| b.odata_type.clone());
    let body_collection = first_body.is_some_and(|b| b.value_array);

    let same = |a: &str, b: &str| a.eq_ignore_ascii_case(b);
    let chosen: Option<(String, bool)> = if let Some((first, coll)) = annotated.first() {
        let all_agree = annotated.iter().all(|(t, _)| same(t, first));
        if all_agree {
            if !linked.is_empty() && !linked.iter().any(|l| same(l, first)) {
                diags.push(Diagnostic::new(

                    Code::ResponseTypeDisagreement,format!(
                        "the example annotation says {first}, the prose links {}; the annotation is taken",
                        linked.join(", ")
                    ),
                ));
            }
            Some((first.clone(), *coll || body_collection))
        } else {
            let base = linked
                .iter()
                .find(|l| !annotated.iter().any(|(t, _)| same(t, l)));
            match base {
                Some(b) => Some((b.clone(), *coll || body_collection)),
                None => Some((first.clone(), *coll || body_collection)),
            }
        }
    } else if !linked.is_empty() {
        let pick = body_type
            .as_ref()
            .and_then(|bt| linked.iter().find(|l| same(l, bt)))
            .unwrap_or(&linked[0]);
        Some((pick.clone(), body_collection))
    } else {
        body_type.clone().map(|t| (t, body_collection))
    };

    let (body, graph_type) = match chosen {
        Some((graph, collection)) => match rust_type(&graph) {
            Some(ty) => {
                let ty = TypeRef { ty };
                (
                    if collection {
                        ResponseBody::Collection(ty)
                    } else {
                        ResponseBody::One(ty)
                    },
                    Some(graph),
                )
            }
            None => {
                diags.push(Diagnostic::new(
                    Code::ResponseTypeUnmapped,
                    format!("the type `{graph}` has no Rust name; serde_json::Value used"),
                ));
                (ResponseBody::One(value_type()), Some(graph))
            }
        },
        None if first_body.is_some() => {
            diags.push(Diagnostic::new(
                Code::ResponseTypeUnknown,
                "the example response has a body but no type is given; serde_json::Value used",
            ));
            (ResponseBody::One(value_type()), None)
        }
        None => (ResponseBody::None, None),
    };
    ResponseReading {
        def: ResponseDef {
            status: Spanned::unspanned(status),
            body,
        },
        graph_type,
    }
}

/// One example response block read alone (a request a later section documents, with
/// the response that follows it): the status of its status line (`None` without one),
/// the body type of its annotation, else of the body's top-level `"@odata.type"`; a body
/// without a type is `serde_json::Value`; a 204, or a block without a body, has none.
pub(crate) fn read_example(
    lines: &[&str],
    annotation: Option<&Annotation>,
) -> Option<ResponseReading> {
    let status = status_of(lines)?;
    let facts = body_facts(lines);
    let none = |status| ResponseReading {
        def: ResponseDef {
            status: Spanned::unspanned(status),
            body: ResponseBody::None,
        },
        graph_type: None,
    };
    if status == 204 {
        return Some(none(status));
    }
    let annotated = annotation
        .and_then(|a| a.odata_type.as_deref().map(|t| (t, a.is_collection)))
        .map(|(t, c)| {
            let (t, coll) = unwrap_collection(t);
            (t, c || coll)
        })
        .filter(|(t, _)| !t.is_empty());
    let chosen = annotated.or_else(|| facts.odata_type.clone().map(|t| (t, false)));
    let reading = match chosen {
        Some((graph, collection)) => {
            let ty = TypeRef {
                ty: rust_type(&graph).unwrap_or_else(|| value_type().ty),
            };
            let collection = collection || facts.value_array;
            ResponseReading {
                def: ResponseDef {
                    status: Spanned::unspanned(status),
                    body: if collection {
                        ResponseBody::Collection(ty)
                    } else {
                        ResponseBody::One(ty)
                    },
                },
                graph_type: Some(graph),
            }
        }
        None if facts.has_body => ResponseReading {
            def: ResponseDef {
                status: Spanned::unspanned(status),
                body: ResponseBody::One(value_type()),
            },
            graph_type: None,
        },
        None => none(status),
    };
    Some(reading)
}

/// `serde_json::Value` as a type.
pub(crate) fn value_type() -> TypeRef {
    TypeRef {
        ty: syn::parse_quote!(serde_json::Value),
    }
}

/// The first 2xx (else 3xx) status code in prose.
fn first_status(prose: &str) -> Option<u16> {
    let mut found_3xx = None;
    let chars: Vec<char> = prose.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        if chars[i].is_ascii_digit() {
            let start = i;
            while i < chars.len() && chars[i].is_ascii_digit() {
                i += 1;
            }
            let before_ok = start == 0 || !chars[start - 1].is_alphanumeric();
            let after_ok = i >= chars.len() || !chars[i].is_alphanumeric();
            if i - start == 3 && before_ok && after_ok {
                let code: u16 = chars[start..i]
                    .iter()
                    .fold(0u16, |acc, c| acc * 10 + c.to_digit(10).unwrap_or(0) as u16);
                if (200..300).contains(&code) {
                    return Some(code);
                }
                if (300..400).contains(&code) && found_3xx.is_none() {
                    found_3xx = Some(code);
                }
            }
        } else {
            i += 1;
        }
    }
    found_3xx
}

/// The status of `HTTP/1.1 200 OK` (first status line of the lines).
fn status_of(lines: &[&str]) -> Option<u16> {
    let line = lines.iter().find(|l| l.trim_start().starts_with("HTTP/"))?;
    let code = line.split_whitespace().nth(1)?;
    let code: u16 = code.parse().ok()?;
    (100..600).contains(&code).then_some(code)
}

/// What an example response body shows.
#[derive(Debug, Clone, Default)]
struct BodyFacts {
    has_body: bool,
    odata_type: Option<String>,
    value_array: bool,
}

fn body_facts(lines: &[&str]) -> BodyFacts {
    let start = lines
        .iter()
        .position(|l| l.trim_start().starts_with(['{', '[']));
    let Some(start) = start else {
        return BodyFacts::default();
    };
    let text: String = lines[start..].join("\n");
    let mut facts = BodyFacts {
        has_body: true,
        ..BodyFacts::default()
    };
    // Scan top-level keys of the outer object, tolerating invalid JSON.
    let chars: Vec<char> = text.chars().collect();
    let mut depth = 0i32;
    let mut i = 0;
    let mut last_key: Option<String> = None;
    while i < chars.len() {
        let c = chars[i];
        match c {
            '"' => {
                let mut s = String::new();
                i += 1;
                while i < chars.len() && chars[i] != '"' {
                    if chars[i] == '\\' {
                        i += 1;
                    }
                    if let Some(&ch) = chars.get(i) {
                        s.push(ch);
                    }
                    i += 1;
                }
                // Key or value?
                let mut j = i + 1;
                while j < chars.len() && chars[j].is_whitespace() {
                    j += 1;
                }
                if depth == 1 && chars.get(j) == Some(&':') {
                    last_key = Some(s);
                    i = j;
                } else if depth == 1 {
                    if last_key.as_deref() == Some("@odata.type") && facts.odata_type.is_none() {
                        facts.odata_type = Some(s.trim_start_matches('#').to_owned());
                    }
                    last_key = None;
                }
            }
            '{' | '[' => {
                if depth == 1 && c == '[' && last_key.as_deref() == Some("value") {
                    facts.value_array = true;
                }
                depth += 1;
                last_key = None;
            }
            '}' | ']' => depth -= 1,
            _ => {}
        }
        i += 1;
    }
    facts
}

/// `Collection(x)` → (`x`, true); `#x` → (`x`, false).
fn unwrap_collection(t: &str) -> (String, bool) {
    let t = t.trim().trim_start_matches('#');
    if t.len() > 11
        && t.get(..11)
            .is_some_and(|h| h.eq_ignore_ascii_case("collection("))
        && t.ends_with(')')
    {
        let inner = &t[11..t.len() - 1];
        return (inner.trim().trim_start_matches('#').to_owned(), true);
    }
    (t.to_owned(), false)
}

/// The Rust type for a Graph type name: Edm primitives map to Rust primitives
/// (`Edm.Stream` to `Vec<u8>`), `microsoft.graph.user` to `crate::model::User`,
/// `microsoft.graph.callRecords.session` to `crate::model::call_records::Session`.
pub(crate) fn rust_type(graph: &str) -> Option<syn::Type> {
    let (graph, collection) = unwrap_collection(graph);
    if collection {
        return None;
    }
    let lower = graph.to_ascii_lowercase();
    let primitive = match lower.trim_start_matches("edm.") {
        "string" | "guid" | "datetimeoffset" | "date" | "duration" | "timeofday" => Some("String"),
        "boolean" => Some("bool"),
        "int32" | "int16" => Some("i32"),
        "int64" => Some("i64"),
        "double" | "single" | "decimal" => Some("f64"),
        "stream" | "binary" => Some("Vec<u8>"),
        _ => None,
    };
    if let Some(p) = primitive {
        return syn::parse_str(p).ok();
    }
    let rest = if lower.starts_with("microsoft.graph.") {
        &graph["microsoft.graph.".len()..]
    } else {
        graph.rsplit('.').next().unwrap_or("")
    };
    let parts: Vec<&str> = rest.split('.').collect();
    let (name, modules) = parts.split_last()?;
    let mut path = String::from("crate::model::");
    for module in modules {
        let m = graphspec_codegen::naming::snake_case(module);
        if !graphspec_codegen::naming::is_identifier(&m) {
            return None;
        }
        path.push_str(&m);
        path.push_str("::");
    }
    let pascal = pascal(name);
    if !graphspec_codegen::naming::is_identifier(&pascal) {
        return None;
    }
    path.push_str(&pascal);
    syn::parse_str(&path).ok()
}

/// First letter upper-cased (ASCII).
pub(crate) fn pascal(name: &str) -> String {
    let mut chars = name.chars();
    match chars.next() {
        Some(c) => c.to_ascii_uppercase().to_string() + chars.as_str(),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use quote::ToTokens;

    fn ty(s: &str) -> String {
        rust_type(s)
            .map(|t| t.to_token_stream().to_string().replace(' ', ""))
            .unwrap_or_default()
    }

    #[test]
    fn types() {
        assert_eq!(ty("microsoft.graph.user"), "crate::model::User");
        assert_eq!(
            ty("#microsoft.graph.oAuth2PermissionGrant"),
            "crate::model::OAuth2PermissionGrant"
        );
        assert_eq!(
            ty("microsoft.graph.callRecords.session"),
            "crate::model::call_records::Session"
        );
        assert_eq!(ty("Edm.String"), "String");
        assert_eq!(ty("Edm.Stream"), "Vec<u8>");
        assert_eq!(
            unwrap_collection("Collection(microsoft.graph.driveItem)"),
            ("microsoft.graph.driveItem".to_owned(), true)
        );
    }

    #[test]
    fn statuses() {
        assert_eq!(first_status("returns `201 Created` and"), Some(201));
        assert_eq!(first_status("`HTTP 404` or `204 No Content`"), Some(204));
        assert_eq!(first_status("1234 and 2000"), None);
        assert_eq!(status_of(&["HTTP/1.1 204 No Content"]), Some(204));
    }

    #[test]
    fn example_bodies() {
        let facts = body_facts(&[
            "HTTP/1.1 200 OK",
            "",
            "{",
            "  \"value\": [",
            "    {\"@odata.type\": \"#x\"}",
            "  ]",
            "}",
        ]);
        assert!(facts.has_body && facts.value_array);
        assert_eq!(facts.odata_type, None);
        let facts = body_facts(&["{\"@odata.type\": \"#microsoft.graph.user\", \"id\": \"1\"}"]);
        assert_eq!(facts.odata_type.as_deref(), Some("microsoft.graph.user"));
    }
}
