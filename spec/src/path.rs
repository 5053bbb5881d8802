//! Path templates: how definitions write an operation's path, and the one rule that
//! matches a concrete request path against them.
//!
//! # Templates
//!
//! A template is a path from `/` with placeholders in braces:
//! `/users/{id | userPrincipalName}/messages/{message-id}`. The text before `|` names the
//! parameter; what follows is documentation. A placeholder that is a whole path segment
//! is a [`Piece::Segment`]; one inside a segment (`…/getOffice365ActiveUserDetail(period='{period_value}')`)
//! is a [`Piece::Embedded`]. [`parse`] splits a template into pieces and reports every
//! malformation it finds.
//!
//! # Matching
//!
//! [`match_path`] is the only matching rule in graphspec; the emulator, the client's
//! checks and the importer's router all use it. A request path (from `/`, after the API
//! version, without the query) matches a template when:
//!
//! 1. literal text matches ignoring ASCII case (Graph's paths are case-insensitive), and
//!    one trailing `/` of the request path is ignored;
//! 2. every parameter captures at least one character and never a `/` — except a
//!    parameter right after a `:/` (a drive item addressed by path,
//!    `…/root:/{item-path}:/content`), which may contain `/` but not `:`;
//! 3. a whole-segment parameter is never `.` or `..`, and never captures an OData
//!    function call (`getPstnCalls(fromDateTime=…)` is not an id);
//! 4. when a parameter could end at several places, the shortest capture that lets the
//!    rest of the template match is taken.
//!
//! Captures are returned as written in the request (still percent-encoded); decoding is
//! the caller's business. When several templates match one path, the one with the most
//! literal text ([`literal_len`]) is the most specific (`/users/delta` beats
//! `/users/{id}`).

use alloc::string::String;
use alloc::vec::Vec;
use core::fmt;

/// One piece of a parsed path template. `S` is `&'static str` in generated code (pieces
/// are constants) and `String` where templates are parsed at run or build time.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Piece<S = &'static str> {
    /// Literal text, copied as is.
    Literal(S),
    /// Parameter `n` filling a whole path segment (`/users/{id}/…`).
    Segment(usize),
    /// Parameter `n` inside a segment (`…(period='{period_value}')`).
    Embedded(usize),
}

impl<S: AsRef<str>> Piece<S> {
    /// The literal text, if this piece is literal.
    pub fn literal(&self) -> Option<&str> {
        match self {
            Piece::Literal(text) => Some(text.as_ref()),
            _ => None,
        }
    }

    /// The parameter index, if this piece is a parameter.
    pub fn param(&self) -> Option<usize> {
        match *self {
            Piece::Segment(n) | Piece::Embedded(n) => Some(n),
            Piece::Literal(_) => None,
        }
    }
}

/// A template split by [`parse`].
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ParsedTemplate {
    /// Literal pieces and parameters, in order.
    pub pieces: Vec<Piece<String>>,
    /// Each parameter's placeholder text as written between the braces
    /// (`id | userPrincipalName`), in order; [`Piece::Segment`]`(n)` refers to `params[n]`.
    pub params: Vec<String>,
}

/// A malformation [`parse`] found in a template.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TemplateError {
    /// The template does not start with `/`.
    NotAbsolute,
    /// Whitespace outside a placeholder.
    Whitespace(char),
    /// A `?` or `#`: query options are not part of a path template.
    QueryOrFragment(char),
    /// A `}` with no `{` before it.
    UnbalancedClose,
    /// A `{` never closed.
    UnbalancedOpen,
    /// A `{` inside a placeholder.
    Nested,
    /// `{}` or a placeholder of only whitespace.
    EmptyPlaceholder,
}

impl TemplateError {
    /// The message for this error in `template`, as diagnostics show it.
    pub fn message(&self, template: &str) -> String {
        use alloc::format;
        match self {
            TemplateError::NotAbsolute => format!("path template `{template}` must start with `/`"),
            TemplateError::Whitespace(c) => format!(
                "path template `{template}` contains whitespace ({c:?}) outside a placeholder"
            ),
            TemplateError::QueryOrFragment(c) => format!(
                "path template `{template}` contains `{c}`: query options are builder methods, not part of the path"
            ),
            TemplateError::UnbalancedClose => {
                format!("unbalanced `}}` in path template `{template}`")
            }
            TemplateError::UnbalancedOpen => {
                format!("unbalanced `{{` in path template `{template}`")
            }
            TemplateError::Nested => format!("nested `{{` in path template `{template}`"),
            TemplateError::EmptyPlaceholder => {
                format!("empty `{{}}` placeholder in path template `{template}`")
            }
        }
    }
}

impl fmt::Display for TemplateError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            TemplateError::NotAbsolute => "the template does not start with `/`",
            TemplateError::Whitespace(_) => "whitespace outside a placeholder",
            TemplateError::QueryOrFragment(_) => "a query or fragment in a path template",
            TemplateError::UnbalancedClose => "unbalanced `}`",
            TemplateError::UnbalancedOpen => "unbalanced `{`",
            TemplateError::Nested => "nested `{`",
            TemplateError::EmptyPlaceholder => "empty `{}` placeholder",
        })
    }
}

/// Splits `template` into pieces and parameters. Every malformation is reported, in the
/// order found; the pieces are a best effort even then (a malformed placeholder is left
/// out), so callers can go on and report more.
pub fn parse(template: &str) -> (ParsedTemplate, Vec<TemplateError>) {
    let mut errors = Vec::new();
    if !template.starts_with('/') {
        errors.push(TemplateError::NotAbsolute);
    }
    // Whitespace is allowed only inside a placeholder (`{id | userPrincipalName}`).
    let mut depth = 0usize;
    let outside_ws = template.chars().find(|&c| {
        match c {
            '{' => depth += 1,
            '}' => depth = depth.saturating_sub(1),
            _ => {}
        }
        depth == 0 && c.is_whitespace()
    });
    if let Some(c) = outside_ws {
        errors.push(TemplateError::Whitespace(c));
    }
    for forbidden in ['?', '#'] {
        if template.contains(forbidden) {
            errors.push(TemplateError::QueryOrFragment(forbidden));
        }
    }
    let mut parsed = ParsedTemplate::default();
    let mut literal = String::new();
    let mut rest = template;
    while let Some(open) = rest.find(['{', '}']) {
        let (before, after) = rest.split_at(open);
        literal.push_str(before);
        if let Some(after_close) = after.strip_prefix('}') {
            errors.push(TemplateError::UnbalancedClose);
            rest = after_close;
            continue;
        }
        let inner_and_rest = &after[1..];
        let Some(close) = inner_and_rest.find(['{', '}']) else {
            errors.push(TemplateError::UnbalancedOpen);
            rest = "";
            break;
        };
        if inner_and_rest[close..].starts_with('{') {
            errors.push(TemplateError::Nested);
            rest = &inner_and_rest[close..];
            continue;
        }
        let raw = &inner_and_rest[..close];
        rest = &inner_and_rest[close + 1..];
        if raw.trim().is_empty() {
            errors.push(TemplateError::EmptyPlaceholder);
            continue;
        }
        let at_segment_start =
            literal.ends_with('/') || (literal.is_empty() && parsed.pieces.is_empty());
        let at_segment_end = rest.is_empty() || rest.starts_with('/');
        if !literal.is_empty() {
            parsed
                .pieces
                .push(Piece::Literal(core::mem::take(&mut literal)));
        }
        let index = parsed.params.len();
        parsed.params.push(raw.into());
        parsed.pieces.push(if at_segment_start && at_segment_end {
            Piece::Segment(index)
        } else {
            Piece::Embedded(index)
        });
    }
    literal.push_str(rest);
    if !literal.is_empty() {
        parsed.pieces.push(Piece::Literal(literal));
    }
    (parsed, errors)
}

/// One `/`-separated segment of a template with its placeholders taken out.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BareSegment {
    /// The segment's text without its placeholders (`{id}` → ``,
    /// `getX(period='{p}')` → `getX(period='')`, `{item-path}:` → `:`).
    pub text: String,
    /// Whether the segment had a placeholder.
    pub keyed: bool,
}

/// The segments of `template` (its query string and fragment left out), each with its
/// placeholders taken out, in order; the empty segment before the leading `/` included.
/// What naming rules read of a path: its literal words and where keys go.
pub fn bare_segments(template: &str) -> Vec<BareSegment> {
    let path = template.split(['?', '#']).next().unwrap_or("");
    path.split('/')
        .map(|raw| {
            let mut text = String::with_capacity(raw.len());
            let mut depth = 0usize;
            let mut keyed = false;
            for c in raw.chars() {
                match c {
                    '{' => {
                        depth += 1;
                        keyed = true;
                    }
                    '}' => depth = depth.saturating_sub(1),
                    _ if depth == 0 => text.push(c),
                    _ => {}
                }
            }
            BareSegment { text, keyed }
        })
        .collect()
}

/// The name a placeholder's text gives its parameter: the text before `|`, trimmed
/// (`id | userPrincipalName` → `id`).
pub fn placeholder_name(raw: &str) -> &str {
    raw.split('|').next().unwrap_or("").trim()
}

/// The number of literal characters of a template: among templates that match one path,
/// the one with the most literal text is the most specific.
pub fn literal_len<S: AsRef<str>>(pieces: &[Piece<S>]) -> usize {
    pieces
        .iter()
        .filter_map(|p| p.literal())
        .map(str::len)
        .sum()
}

/// Matches a request `path` (from `/`, after the API version, without the query)
/// against a template's `pieces`, by the rule in the [module docs](self). Returns each
/// parameter's text as written in `path` (not percent-decoded), in parameter order, or
/// `None` when the path does not fit.
pub fn match_path<'p, S: AsRef<str>>(pieces: &[Piece<S>], path: &'p str) -> Option<Vec<&'p str>> {
    let path = match path.strip_suffix('/') {
        Some(trimmed) if !trimmed.is_empty() => trimmed,
        _ => path,
    };
    let params = pieces
        .iter()
        .filter_map(Piece::param)
        .max()
        .map_or(0, |n| n + 1);
    let mut captures: Vec<Option<&'p str>> = alloc::vec![None; params];
    if match_from(pieces, 0, path, 0, &mut captures) {
        captures.into_iter().collect()
    } else {
        None
    }
}

/// Backtracking match of `pieces[i..]` against `path[pos..]`.
fn match_from<'p, S: AsRef<str>>(
    pieces: &[Piece<S>],
    i: usize,
    path: &'p str,
    pos: usize,
    captures: &mut [Option<&'p str>],
) -> bool {
    let Some(piece) = pieces.get(i) else {
        return pos == path.len();
    };
    let (n, whole_segment) = match piece {
        Piece::Literal(text) => {
            let text = text.as_ref();
            let end = pos + text.len();
            return path
                .get(pos..end)
                .is_some_and(|head| head.eq_ignore_ascii_case(text))
                && match_from(pieces, i + 1, path, end, captures);
        }
        Piece::Segment(n) => (*n, true),
        Piece::Embedded(n) => (*n, false),
    };
    let rest = &path[pos..];
    // A parameter right after `:/` is a drive item path: it may span `/`, not `:`.
    let item_path = i > 0 && pieces[i - 1].literal().is_some_and(|l| l.ends_with(":/"));
    if whole_segment && is_call(rest) {
        return false;
    }
    for (offset, c) in rest.char_indices() {
        if (c == '/' && !item_path) || (c == ':' && item_path) {
            break;
        }
        let end = pos + offset + c.len_utf8();
        let value = &path[pos..end];
        let next_fits = match pieces.get(i + 1) {
            None => end == path.len(),
            Some(Piece::Literal(next)) => {
                let next = next.as_ref();
                path.get(end..end + next.len())
                    .is_some_and(|head| head.eq_ignore_ascii_case(next))
            }
            Some(_) => true,
        };
        if !next_fits {
            continue;
        }
        if whole_segment && end < path.len() && !path[end..].starts_with('/') {
            continue;
        }
        if whole_segment && (value == "." || value == "..") {
            continue;
        }
        if let Some(slot) = captures.get_mut(n) {
            *slot = Some(value);
        }
        if match_from(pieces, i + 1, path, end, captures) {
            return true;
        }
    }
    false
}

/// Whether `segment` starts with an OData function call: `name(` with `name` an
/// identifier (dots and `_` allowed, starting with a letter).
fn is_call(segment: &str) -> bool {
    let name_len = segment
        .find(|c: char| !(c.is_ascii_alphanumeric() || c == '.' || c == '_'))
        .unwrap_or(segment.len());
    segment.starts_with(|c: char| c.is_ascii_alphabetic()) && segment[name_len..].starts_with('(')
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::vec;

    #[test]
    fn bare_segments_take_placeholders_out() {
        let bare = |t: &str| -> Vec<(String, bool)> {
            bare_segments(t)
                .into_iter()
                .map(|s| (s.text, s.keyed))
                .collect()
        };
        let seg = |t: &str, k: bool| (String::from(t), k);
        assert_eq!(
            bare("/users/{id | upn}/drive/root:/{item-path}:?$x=1"),
            vec![
                seg("", false),
                seg("users", false),
                seg("", true),
                seg("drive", false),
                seg("root:", false),
                seg(":", true)
            ]
        );
        assert_eq!(
            bare("/reports/getX(period='{p}')"),
            vec![
                seg("", false),
                seg("reports", false),
                seg("getX(period='')", true)
            ]
        );
    }

    fn pieces(template: &str) -> Vec<Piece<String>> {
        let (parsed, errors) = parse(template);
        assert!(errors.is_empty(), "{template}: {errors:?}");
        parsed.pieces
    }

    fn m<'p>(template: &str, path: &'p str) -> Option<Vec<&'p str>> {
        match_path(&pieces(template), path)
    }

    #[test]
    fn parses_segments_and_embedded_parameters() {
        let (parsed, errors) = parse("/users/{id | userPrincipalName}/x(period='{p}')");
        assert!(errors.is_empty());
        assert_eq!(
            parsed.pieces,
            vec![
                Piece::Literal("/users/".into()),
                Piece::Segment(0),
                Piece::Literal("/x(period='".into()),
                Piece::Embedded(1),
                Piece::Literal("')".into()),
            ]
        );
        assert_eq!(parsed.params, vec!["id | userPrincipalName", "p"]);
        assert_eq!(placeholder_name(&parsed.params[0]), "id");
    }

    #[test]
    fn reports_every_malformation() {
        assert_eq!(parse("/a b/{c d}").1, vec![TemplateError::Whitespace(' ')]);
        let (_, errors) = parse("users/{a}}/{ }/{b{c}/x?z#");
        assert_eq!(
            errors,
            vec![
                TemplateError::NotAbsolute,
                TemplateError::QueryOrFragment('?'),
                TemplateError::QueryOrFragment('#'),
                TemplateError::UnbalancedClose,
                TemplateError::EmptyPlaceholder,
                TemplateError::Nested,
            ]
        );
        assert_eq!(parse("/a/{b").1, vec![TemplateError::UnbalancedOpen]);
    }

    #[test]
    fn matches_literals_ignoring_case_and_a_trailing_slash() {
        assert_eq!(
            m("/users/{id}/messages", "/Users/abc/MESSAGES/"),
            Some(vec!["abc"])
        );
        assert_eq!(m("/users/{id}", "/users/abc/messages"), None);
        assert_eq!(m("/me", "/me/"), Some(vec![]));
        assert_eq!(m("/", "/"), Some(vec![]));
    }

    #[test]
    fn segment_parameters_are_never_empty_dots_or_function_calls() {
        assert_eq!(m("/users/{id}", "/users/"), None);
        assert_eq!(m("/users/{id}/x", "/users//x"), None);
        assert_eq!(m("/users/{id}", "/users/.."), None);
        assert_eq!(m("/users/{id}", "/users/."), None);
        assert_eq!(m("/users/{id}", "/users/%2E%2E"), Some(vec!["%2E%2E"]));
        assert_eq!(
            m("/calls/{id}", "/calls/getPstnCalls(fromDateTime=1)"),
            None
        );
        assert_eq!(m("/calls/{id}", "/calls/(x)"), Some(vec!["(x)"]));
    }

    #[test]
    fn embedded_parameters_stop_at_the_next_literal() {
        let t = "/reports/getX(period='{period}')";
        assert_eq!(m(t, "/reports/getX(period='D7')"), Some(vec!["D7"]));
        assert_eq!(m(t, "/reports/getx(PERIOD='a')b')"), Some(vec!["a')b"]));
        assert_eq!(m(t, "/reports/getX(period='')"), None);
        assert_eq!(m(t, "/reports/getX(period='a/b')"), None);
    }

    #[test]
    fn an_item_path_after_colon_slash_spans_slashes() {
        let t = "/me/drive/root:/{item-path}:/content";
        assert_eq!(
            m(t, "/me/drive/root:/a/b.txt:/content"),
            Some(vec!["a/b.txt"])
        );
        assert_eq!(m(t, "/me/drive/root:/a:b:/content"), None);
        assert_eq!(m("/users/{id}", "/users/a/b"), None);
    }

    #[test]
    fn literal_len_ranks_specific_templates_first() {
        assert!(literal_len(&pieces("/users/delta")) > literal_len(&pieces("/users/{id}")));
    }

    #[test]
    fn non_ascii_paths_do_not_break_matching() {
        assert_eq!(m("/users/{id}", "/users/é"), Some(vec!["é"]));
        assert_eq!(m("/users/{id}/x", "/users/é/X"), Some(vec!["é"]));
        assert_eq!(m("/usérs/{id}", "/USÉRS/a"), None);
    }
}
