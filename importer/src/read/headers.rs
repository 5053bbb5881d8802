//! Request headers and the request body.
//!
//! # Headers
//!
//! Every row of the first table of each section anchored `request-headers` or
//! `optional-request-headers` (header row skipped) is mapped to one header of the
//! catalogue of Graph request headers, [`REQUEST_HEADERS`], in this order:
//!
//! 1. **by name**: the first cell, markup dropped and cut at a colon
//!    (`Prefer: outlook.timezone` → `Prefer`), equals a catalogued name in any ASCII case
//!    (`if-match` is `If-Match`);
//! 2. **by translation**: it equals a translation of a catalogued name found in real
//!    translated pages ([`RequestHeader::translations`]: `Авторизация`, `承諾`, `優先`, …;
//!    note `headers.translated-name`);
//! 3. **by the value's shape** (the last cell; note `headers.identified-by-value`): a
//!    bearer token (`Bearer {token}`, `Носитель {токен}`, `ベアラー {code}`) is
//!    `Authorization`; `application/json` is `Content-Type` when the operation takes a
//!    body and `Accept` when it does not; `return=…`, `outlook.…`, `odata.…` are
//!    `Prefer`; `eventual` is `ConsistencyLevel`.
//!
//! A row none of these identifies is a warning (`headers.unidentified`) and is never
//! emitted. A row whose header the client sets itself (`Authorization`, `Content-Type`,
//! `Accept`, `Content-Length`: [`RequestHeader::emitted`] is false) is identified and not
//! emitted. An emitted header is written with its catalogued name, once.
//!
//! **Required** does not depend on the page's language (the prose is not read): a header
//! is required when the catalogue says it can be ([`RequestHeader::may_be_required`]:
//! `If-Match`, `Workbook-Session-Id`, `User-Agent`) and every example request of the
//! page with the operation's method sends it (examples are code, never translated;
//! planner updates send `If-Match`, `workbook-closesession` sends `workbook-session-id`).
//! Every other emitted header is optional: `ConsistencyLevel`, `Prefer` and the like are
//! needed only for what the caller chooses to ask. The section a row is in is not used
//! either: pages list required headers under `optional-request-headers` too.
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
use crate::page::ExampleRequest;

/// A Graph request header the importer knows: an entry of [`REQUEST_HEADERS`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RequestHeader {
    /// The name as Graph documents it (the emitted spelling).
    pub name: &'static str,
    /// What it is for.
    pub purpose: &'static str,
    /// Whether definitions carry it (a builder method or constructor argument); `false`
    /// for the headers the client sets itself.
    pub emitted: bool,
    /// Whether it can be required: it is, on a page whose every example request sends it.
    pub may_be_required: bool,
    /// Its name as translated pages write it, each found in a real page: ru-RU and ja-JP
    /// (`../shared/graph-docs`), and pt-BR and zh-CN as reported in issue 9.
    pub translations: &'static [&'static str],
}

/// The catalogue of Graph request headers: every header the docs pages' header tables
/// name (ru-RU and ja-JP v1.0), with what the importer does with it.
pub const REQUEST_HEADERS: &[RequestHeader] = &[
    RequestHeader {
        name: "Authorization",
        purpose: "the access token (`Bearer {token}`); the client sets it from the credential",
        emitted: false,
        may_be_required: false,
        translations: &["Авторизация", "Autorização"],
    },
    RequestHeader {
        name: "Content-Type",
        purpose: "the media type of the body; the request builder sets `application/json` for a JSON body",
        emitted: false,
        may_be_required: false,
        translations: &[],
    },
    RequestHeader {
        name: "Accept",
        purpose: "the media types accepted in the response; Graph answers JSON, which the response parser reads",
        emitted: false,
        may_be_required: false,
        translations: &["承諾", "Aceitar", "接受"],
    },
    RequestHeader {
        name: "Content-Length",
        purpose: "the length of the body; the HTTP layer sets it",
        emitted: false,
        may_be_required: false,
        translations: &["コンテンツの長さ"],
    },
    RequestHeader {
        name: "Accept-Language",
        purpose: "the language of localized content in the response (`en-US`)",
        emitted: true,
        may_be_required: false,
        translations: &["Принять-Язык"],
    },
    RequestHeader {
        name: "ConsistencyLevel",
        purpose: "`eventual`: needed for advanced directory queries (`$count`, `$search`, some `$filter` and `$orderby`)",
        emitted: true,
        may_be_required: false,
        translations: &[],
    },
    RequestHeader {
        name: "Prefer",
        purpose: "preferences: `return=representation`, `outlook.timezone=…`, `outlook.body-content-type=…`, `odata.maxpagesize=…`",
        emitted: true,
        may_be_required: false,
        translations: &["優先", "Preferir", "Prefira"],
    },
    RequestHeader {
        name: "If-Match",
        purpose: "an ETag the resource must still have (optimistic concurrency); Planner requires it on updates and deletes",
        emitted: true,
        may_be_required: true,
        translations: &[],
    },
    RequestHeader {
        name: "If-None-Match",
        purpose: "an ETag the resource must no longer have (`304 Not Modified` otherwise)",
        emitted: true,
        may_be_required: false,
        translations: &[],
    },
    RequestHeader {
        name: "Workbook-Session-Id",
        purpose: "the Excel workbook session the request belongs to",
        emitted: true,
        may_be_required: true,
        translations: &[],
    },
    RequestHeader {
        name: "User-Agent",
        purpose: "the calling application and its version (BitLocker recovery keys, call quality reports)",
        emitted: true,
        may_be_required: true,
        translations: &[],
    },
    RequestHeader {
        name: "ocp-client-name",
        purpose: "the calling application's name, for debugging (BitLocker recovery keys)",
        emitted: true,
        may_be_required: false,
        translations: &[],
    },
    RequestHeader {
        name: "ocp-client-version",
        purpose: "the calling application's version, for debugging (BitLocker recovery keys)",
        emitted: true,
        may_be_required: false,
        translations: &[],
    },
];

/// Whether `text` names the catalogued request header `header` (`ConsistencyLevel`):
/// by its name or by a translation found in real pages, in any case.
pub fn mentions_header(text: &str, header: &str) -> bool {
    let lower = text.to_lowercase();
    REQUEST_HEADERS
        .iter()
        .filter(|h| h.name == header)
        .flat_map(|h| std::iter::once(h.name).chain(h.translations.iter().copied()))
        .any(|name| lower.contains(&name.to_lowercase()))
}

/// The catalogued header named `name` (any ASCII case).
pub fn request_header(name: &str) -> Option<&'static RequestHeader> {
    REQUEST_HEADERS
        .iter()
        .find(|h| h.name.eq_ignore_ascii_case(name.trim()))
}

/// How a header row was identified.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Identified {
    Name,
    Translation,
    Value,
}

/// Reads the documented headers. `has_body`: whether the operation takes a body;
/// `examples`: the page's example requests with the operation's method.
pub(crate) fn read_headers(
    doc: &Doc<'_>,
    has_body: bool,
    examples: &[&ExampleRequest],
    diags: &mut Vec<Diagnostic>,
) -> Vec<HeaderDef> {
    let mut out: Vec<HeaderDef> = Vec::new();
    for (_, range) in doc.sections(|a| a == "request-headers" || a == "optional-request-headers") {
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
            if name.is_empty() && value.trim().is_empty() {
                continue;
            }
            let Some((header, how)) = identify(&name, value, has_body) else {
                diags.push(Diagnostic::new(
                    Code::HeadersUnidentified,
                    format!(
                        "header row {name:?} ({:?}) names no Graph request header the importer knows, by name, translation or value; not emitted",
                        short(value)
                    ),
                ));
                continue;
            };
            match how {
                Identified::Name => {}
                Identified::Translation => diags.push(Diagnostic::new(
                    Code::HeadersTranslatedName,
                    format!("header row {name:?} read as `{}`", header.name),
                )),
                Identified::Value => diags.push(Diagnostic::new(
                    Code::HeadersIdentifiedByValue,
                    format!(
                        "header row {name:?} read as `{}` by its value {:?}",
                        header.name,
                        short(value)
                    ),
                )),
            }
            if !header.emitted || out.iter().any(|h| h.name.value == header.name) {
                continue;
            }
            let required = header.may_be_required
                && !examples.is_empty()
                && examples.iter().all(|e| {
                    e.headers
                        .iter()
                        .any(|sent| sent.eq_ignore_ascii_case(header.name))
                });
            out.push(HeaderDef {
                name: Spanned::unspanned(header.name.to_owned()),
                required,
            });
        }
    }
    out
}

/// The catalogued header a row names (module docs: by name, by translation, by value).
fn identify(
    name: &str,
    value: &str,
    has_body: bool,
) -> Option<(&'static RequestHeader, Identified)> {
    if let Some(header) = request_header(name) {
        return Some((header, Identified::Name));
    }
    let folded = fold(name);
    if !folded.is_empty()
        && let Some(header) = REQUEST_HEADERS
            .iter()
            .find(|h| h.translations.iter().any(|t| fold(t) == folded))
    {
        return Some((header, Identified::Translation));
    }
    let by_value = match value_shape(value) {
        Some(Shape::Bearer) => "Authorization",
        Some(Shape::Json) if has_body => "Content-Type",
        Some(Shape::Json) => "Accept",
        Some(Shape::Preference) => "Prefer",
        Some(Shape::Eventual) => "ConsistencyLevel",
        None => return None,
    };
    request_header(by_value).map(|h| (h, Identified::Value))
}

/// A name compared with translations: lower-cased, spaces, markup and punctuation but
/// `-` dropped.
fn fold(name: &str) -> String {
    name.chars()
        .filter(|c| c.is_alphanumeric() || *c == '-')
        .flat_map(char::to_lowercase)
        .collect()
}

/// What a header value looks like.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Shape {
    /// An access token.
    Bearer,
    /// `application/json`.
    Json,
    /// A `Prefer` preference.
    Preference,
    /// `eventual`.
    Eventual,
}

/// The shape of a header value (the last cell), if it has a known one.
fn value_shape(value: &str) -> Option<Shape> {
    let plain = strip_tags(&decode_entities(value)).replace(['\\', '`', '*'], "");
    let lower = plain.trim().to_lowercase();
    let norm = words::normalize(&plain);
    let head: String = norm.split(' ').take(3).collect::<Vec<_>>().join(" ");
    if words::contains_any(&head, words::BEARER)
        || ["{token}", "<token>", "{токен}", "{code}"]
            .iter()
            .any(|t| lower.contains(t))
    {
        return Some(Shape::Bearer);
    }
    if lower.starts_with("application/json") {
        return Some(Shape::Json);
    }
    if ["return=", "outlook.", "odata.", "respond-async"]
        .iter()
        .any(|p| lower.starts_with(p))
    {
        return Some(Shape::Preference);
    }
    if lower.trim_end_matches(['.', ' ']) == "eventual" {
        return Some(Shape::Eventual);
    }
    None
}

/// At most 40 characters of a cell, for messages.
fn short(value: &str) -> String {
    let plain = strip_tags(&decode_entities(value));
    let trimmed = plain.trim();
    match trimmed.char_indices().nth(40) {
        Some((i, _)) => format!("{}…", &trimmed[..i]),
        None => trimmed.to_owned(),
    }
}

/// The header name in a cell: markup dropped, `Name: value` cut at the colon (ASCII or
/// full-width).
fn header_name(cell: &str) -> String {
    let plain = strip_tags(&decode_entities(cell));
    let plain = plain.replace(['*', '`', '\\'], "");
    let plain = plain.trim().trim_matches('_').trim();
    let name = plain.split([':', '：']).next().unwrap_or("").trim();
    name.to_owned()
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

#[cfg(test)]
mod tests {
    use super::*;

    /// Header values as real pages write them (ru-RU, ja-JP): each identifies its header
    /// when the name cell does not.
    #[test]
    fn values_identify_their_headers() {
        let cases = [
            (
                "Носитель \\{токен\\}. Обязательный.",
                false,
                Some("Authorization"),
            ),
            ("ベアラー {code}。 必須です。", false, Some("Authorization")),
            ("Bearer {token}. Required.", true, Some("Authorization")),
            ("application/json", false, Some("Accept")),
            (
                "application/json. Обязательный.",
                true,
                Some("Content-Type"),
            ),
            (
                "return=representation. Необязательный параметр.",
                false,
                Some("Prefer"),
            ),
            ("eventual", false, Some("ConsistencyLevel")),
            ("Язык. Необязательное.", false, None),
            ("戻り値 = 表現", false, None),
        ];
        for (value, has_body, expected) in cases {
            let found = identify("?", value, has_body).map(|(h, how)| {
                assert_eq!(how, Identified::Value, "{value}");
                h.name
            });
            assert_eq!(found, expected, "{value}");
        }
    }

    #[test]
    fn names_and_translations() {
        for (cell, expected, how) in [
            ("Authorization", "Authorization", Identified::Name),
            ("if-match", "If-Match", Identified::Name),
            ("Авторизация", "Authorization", Identified::Translation),
            ("承諾", "Accept", Identified::Translation),
            ("Принять-Язык", "Accept-Language", Identified::Translation),
            (
                "コンテンツの長さ",
                "Content-Length",
                Identified::Translation,
            ),
        ] {
            let (header, by) = identify(&header_name(cell), "", false).unwrap();
            assert_eq!((header.name, by), (expected, how), "{cell}");
        }
        assert_eq!(header_name("優先: outlook.timezone"), "優先");
        assert_eq!(header_name("`Prefer: outlook.body-content-type`"), "Prefer");
    }

    #[test]
    fn the_catalogue_is_consistent() {
        for (i, h) in REQUEST_HEADERS.iter().enumerate() {
            assert!(
                REQUEST_HEADERS[..i]
                    .iter()
                    .all(|o| !o.name.eq_ignore_ascii_case(h.name)),
                "{}",
                h.name
            );
            assert!(!h.may_be_required || h.emitted, "{}", h.name);
            assert_eq!(request_header(&h.name.to_ascii_lowercase()), Some(h));
            for t in h.translations {
                assert!(request_header(t).is_none(), "{t}");
            }
        }
    }
}
