//! OData query options the emulator understands: `$top`, `$skiptoken`, `$select`,
//! `$filter` (equality, joined by `and`), `$count`.

use percent_encoding::percent_decode_str;
use serde_json::{Map, Value};

use crate::tenant::Failure;

/// The largest page Graph serves for directory objects.
pub const MAX_PAGE: usize = 999;
/// The page size when `$top` is not given.
pub const DEFAULT_PAGE: usize = 100;

/// Parsed query options.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Query {
    /// `$top`.
    pub top: Option<usize>,
    /// `$skiptoken` (the emulator's: an offset).
    pub skip: usize,
    /// `$select`.
    pub select: Vec<String>,
    /// `$filter`: `(property, value)` equalities, all of which must hold.
    pub filter: Vec<(String, Value)>,
    /// The `$filter` text as given, to carry into next links.
    pub filter_text: Option<String>,
    /// `$count=true`.
    pub count: bool,
}

/// Decodes a query-string component (`+` is a space).
fn decode(text: &str) -> String {
    percent_decode_str(&text.replace('+', " "))
        .decode_utf8_lossy()
        .into_owned()
}

impl Query {
    /// Parses a raw query string (without `?`).
    pub fn parse(raw: &str) -> Result<Query, Failure> {
        let mut query = Query::default();
        for pair in raw.split('&').filter(|p| !p.is_empty()) {
            let (name, value) = pair.split_once('=').unwrap_or((pair, ""));
            let (name, value) = (decode(name), decode(value));
            match name.to_ascii_lowercase().trim_start_matches('$') {
                "top" => {
                    let top: usize = value.parse().map_err(|_| {
                        Failure::bad_request(format!("Invalid value '{value}' for $top."))
                    })?;
                    if top == 0 || top > MAX_PAGE {
                        return Err(Failure::bad_request(format!(
                            "Invalid page size specified: '{top}'. Must be between 1 and {MAX_PAGE} inclusive."
                        )));
                    }
                    query.top = Some(top);
                }
                "skiptoken" => {
                    query.skip = value
                        .strip_prefix("emu-")
                        .and_then(|n| n.parse().ok())
                        .ok_or_else(|| Failure::bad_request("Invalid $skiptoken."))?;
                }
                "select" => {
                    query.select = value
                        .split(',')
                        .map(|s| s.trim().to_owned())
                        .filter(|s| !s.is_empty())
                        .collect();
                }
                "filter" => {
                    query.filter = parse_filter(&value)?;
                    query.filter_text = Some(value);
                }
                "count" => query.count = value.eq_ignore_ascii_case("true"),
                _ => {}
            }
        }
        Ok(query)
    }

    /// Whether `object` passes the filter. Strings compare case-insensitively, as
    /// directory properties do.
    pub fn matches(&self, object: &Map<String, Value>) -> bool {
        self.filter
            .iter()
            .all(|(property, wanted)| match (object.get(property), wanted) {
                (Some(Value::String(have)), Value::String(want)) => have.eq_ignore_ascii_case(want),
                (Some(have), want) => have == want,
                (None, Value::Null) => true,
                (None, _) => false,
            })
    }

    /// `object` with only the selected properties (all of them without `$select`).
    pub fn project(&self, object: &Map<String, Value>) -> Map<String, Value> {
        if self.select.is_empty() {
            return object.clone();
        }
        self.select
            .iter()
            .filter_map(|name| {
                object
                    .iter()
                    .find(|(k, _)| k.eq_ignore_ascii_case(name))
                    .map(|(k, v)| (k.clone(), v.clone()))
            })
            .collect()
    }

    /// The query string of the next page after `next` items.
    pub fn next_page(&self, page: usize, next: usize) -> String {
        let enc = |s: &str| {
            percent_encoding::utf8_percent_encode(s, graphspec_runtime::QUERY_VALUE).to_string()
        };
        let mut out = format!("$top={page}&$skiptoken=emu-{next}");
        if !self.select.is_empty() {
            out.push_str("&$select=");
            out.push_str(&enc(&self.select.join(",")));
        }
        if let Some(filter) = &self.filter_text {
            out.push_str("&$filter=");
            out.push_str(&enc(filter));
        }
        if self.count {
            out.push_str("&$count=true");
        }
        out
    }
}

/// Parses `a eq 'x' and b eq true and c eq 3`.
fn parse_filter(text: &str) -> Result<Vec<(String, Value)>, Failure> {
    let unsupported = || {
        Failure::bad_request(format!(
            "Unsupported query: the emulator's $filter understands `property eq value` joined by `and`, not '{text}'."
        ))
    };
    let mut out = Vec::new();
    for clause in split_and(text) {
        let clause = clause.trim();
        let mut words = clause.splitn(3, ' ');
        let (Some(property), Some(op), Some(value)) = (words.next(), words.next(), words.next())
        else {
            return Err(unsupported());
        };
        if !op.eq_ignore_ascii_case("eq")
            || !property
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '_')
        {
            return Err(unsupported());
        }
        let value = value.trim();
        let value = if let Some(inner) = value.strip_prefix('\'').and_then(|v| v.strip_suffix('\''))
        {
            // Inside a literal a quote is written twice; a lone one ends the literal
            // early, so what follows it is not part of this clause's value.
            if inner.replace("''", "").contains('\'') {
                return Err(unsupported());
            }
            Value::String(inner.replace("''", "'"))
        } else if value == "true" || value == "false" {
            Value::Bool(value == "true")
        } else if value == "null" {
            Value::Null
        } else if let Ok(n) = value.parse::<i64>() {
            Value::from(n)
        } else {
            return Err(unsupported());
        };
        out.push((property.to_owned(), value));
    }
    Ok(out)
}

/// Splits on ` and ` (any case) outside string literals.
///
/// Scans bytes and compares the ASCII separator byte for byte: a separator starts and
/// ends on a space, so every cut falls on a character boundary whatever the text holds
/// (slicing `&text[i..]` at an arbitrary byte once panicked on non-ASCII input).
fn split_and(text: &str) -> Vec<&str> {
    const SEPARATOR: &[u8] = b" and ";
    let mut parts = Vec::new();
    let mut in_string = false;
    let mut start = 0;
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'\'' {
            in_string = !in_string;
        } else if !in_string
            && bytes[i..]
                .get(..SEPARATOR.len())
                .is_some_and(|b| b.eq_ignore_ascii_case(SEPARATOR))
        {
            parts.push(&text[start..i]);
            start = i + SEPARATOR.len();
            i = start;
            continue;
        }
        i += 1;
    }
    parts.push(&text[start..]);
    parts
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn parses_options_and_filters() {
        let q = Query::parse(
            "$top=5&$select=id,displayName&$filter=department%20eq%20'Sales'%20and%20accountEnabled%20eq%20true&$skiptoken=emu-10",
        )
        .unwrap();
        assert_eq!(q.top, Some(5));
        assert_eq!(q.skip, 10);
        assert_eq!(q.select, ["id", "displayName"]);
        assert_eq!(
            q.filter,
            [
                ("department".into(), json!("Sales")),
                ("accountEnabled".into(), json!(true))
            ]
        );
        let user =
            json!({"id": "1", "displayName": "A", "department": "sales", "accountEnabled": true});
        let user = user.as_object().unwrap();
        assert!(q.matches(user));
        assert_eq!(q.project(user).len(), 2);
        let next = q.next_page(5, 15);
        assert_eq!(Query::parse(&next).unwrap().skip, 15);
        assert_eq!(Query::parse(&next).unwrap().filter, q.filter);
    }

    #[test]
    fn rejects_what_it_does_not_understand() {
        assert_eq!(Query::parse("$top=0").unwrap_err().status, 400);
        assert_eq!(Query::parse("$top=1000").unwrap_err().status, 400);
        assert!(Query::parse("$filter=startswith(displayName,'a')").is_err());
        assert!(Query::parse("$filter=a gt 3").is_err());
        assert_eq!(
            Query::parse("$filter=displayName eq 'O''Brien and co'")
                .unwrap()
                .filter,
            [("displayName".into(), json!("O'Brien and co"))]
        );
    }

    #[test]
    fn non_ascii_outside_quotes_is_a_400_not_a_panic() {
        for filter in [
            "é",
            "%C3%A9",
            "a\u{301} eq 1",
            "x eq 'y' é and",
            "x eq 'Zoë' and€ y eq 1",
        ] {
            let failure = Query::parse(&format!("$filter={filter}")).unwrap_err();
            assert_eq!(failure.status, 400, "{filter}");
            assert_eq!(failure.code, "Request_BadRequest", "{filter}");
        }
        assert_eq!(
            Query::parse("$filter=displayName eq 'Zoë and 日本' AND city eq 'Zürich'")
                .unwrap()
                .filter,
            [
                ("displayName".into(), json!("Zoë and 日本")),
                ("city".into(), json!("Zürich"))
            ]
        );
    }

    mod prop {
        use proptest::prelude::*;

        use super::super::{Query, parse_filter, split_and};

        /// Fragments that make filters interesting: separators in any case, quotes,
        /// operators, literals, multi-byte characters and percent-escapes.
        fn filter_text() -> impl Strategy<Value = String> {
            let fragment = prop_oneof![
                Just(" and ".to_owned()),
                Just(" AnD ".to_owned()),
                Just("'".to_owned()),
                Just("''".to_owned()),
                Just(" eq ".to_owned()),
                Just(" ".to_owned()),
                Just("true".to_owned()),
                Just("null".to_owned()),
                Just("displayName".to_owned()),
                Just("%C3%A9".to_owned()),
                Just("%FF".to_owned()),
                Just("&".to_owned()),
                Just("=".to_owned()),
                any::<char>().prop_map(String::from),
                "[a-z0-9]{1,4}",
                "\\PC{1,3}",
            ];
            prop::collection::vec(fragment, 0..16).prop_map(|parts| parts.concat())
        }

        proptest! {
            #![proptest_config(ProptestConfig { cases: 2048, ..ProptestConfig::default() })]

            /// Any Unicode text: the filter parser answers (a value or a 400) and never
            /// panics, and the pieces it splits into are the text less its separators.
            #[test]
            fn the_filter_parser_never_panics_on_unicode(text in any::<String>()) {
                let parsed = parse_filter(&text);
                if let Err(failure) = parsed {
                    prop_assert_eq!(failure.status, 400);
                }
                let parts = split_and(&text);
                prop_assert!(parts.len() <= text.len() / 5 + 1);
            }

            /// Filter-like text rich in separators, quotes and multi-byte characters,
            /// also as a whole query string: never a panic; an error is a 400.
            #[test]
            fn filter_like_text_never_panics(text in filter_text()) {
                if let Err(failure) = parse_filter(&text) {
                    prop_assert_eq!(failure.status, 400);
                    prop_assert_eq!(failure.code, "Request_BadRequest");
                }
                if let Err(failure) = Query::parse(&format!("$filter={text}")) {
                    prop_assert_eq!(failure.status, 400);
                }
                let parts = split_and(&text);
                let rejoined: usize = parts.iter().map(|p| p.len()).sum::<usize>() + 5 * (parts.len() - 1);
                prop_assert_eq!(rejoined, text.len());
            }

            /// Unquoted non-ASCII text cannot be a property, an operator or a literal.
            #[test]
            fn unquoted_non_ascii_is_rejected(
                before in "[a-z ]{0,6}",
                c in any::<char>().prop_filter("non-ASCII", |c| !c.is_ascii()),
                after in "[a-z ]{0,6}",
            ) {
                let text = format!("{before}{c}{after}");
                let failure = parse_filter(&text).unwrap_err();
                prop_assert_eq!(failure.status, 400);
            }
        }
    }
}
