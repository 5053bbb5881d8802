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
//! A template may end in a **fixed query** when the request's meaning is in its query
//! string: `/users/{id}/calendarView?startDateTime={start}&endDateTime={end}` reads a
//! time window of a calendar, and `/drive/items/{item-id}/content?format={format}`
//! converts a file. Its options are
//! [`QueryOption`]s: a literal name and a value of literal text and parameters. A form
//! sends its fixed options, and a request routes to it only when it carries them
//! ([`match_query`]); options the caller chooses (`$top`, `$select`) are builder methods,
//! not part of a template.
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
//! 3. a whole-segment parameter is never `.` or `..` or one of OData's own segments
//!    (`$count`, `$value`, `$ref`: [`is_reserved_segment`]), and never captures an OData
//!    function call (`getPstnCalls(fromDateTime=…)` is not an id);
//! 4. when a parameter could end at several places, the shortest capture that lets the
//!    rest of the template match is taken.
//!
//! Captures are returned as written in the request (still percent-encoded); decoding is
//! the caller's business. When several templates match one path, a template whose fixed
//! query the request carries beats one without (`GET /sites?search=x` is the site
//! search's, `GET /sites?$top=5` the site list's); then the one with the most literal
//! text ([`literal_len`]) is the most specific (`/users/delta` beats `/users/{id}`).

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

/// One option of a template's fixed query (`$expand=manager`, `format={format}`): a
/// request form whose meaning is in its query string sends these options and routes by
/// them. The name is literal; the value's pieces are literal text and
/// [`Piece::Embedded`] parameters, numbered after the path's. `S` and `V` are
/// `&'static str` and `&'static [Piece]` in generated code, `String` and
/// `Vec<Piece<String>>` where templates are parsed at run or build time.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct QueryOption<S = &'static str, V = &'static [Piece]> {
    /// The option's name as written (`$expand`, `format`).
    pub name: S,
    /// The option's value: literal text and parameters.
    pub value: V,
}

/// A template split by [`parse`].
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ParsedTemplate {
    /// Literal pieces and parameters of the path, in order.
    pub pieces: Vec<Piece<String>>,
    /// The fixed query options, in order (empty when the template has no `?`).
    pub query: Vec<QueryOption<String, Vec<Piece<String>>>>,
    /// Each parameter's placeholder text as written between the braces
    /// (`id | userPrincipalName`), in order, the path's first and then the query's;
    /// [`Piece::Segment`]`(n)` refers to `params[n]`.
    pub params: Vec<String>,
}

/// A malformation [`parse`] found in a template.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TemplateError {
    /// The template does not start with `/`.
    NotAbsolute,
    /// Whitespace outside a placeholder (in the path, or in a query option's name).
    Whitespace(char),
    /// A `#`: a fragment is never sent.
    Fragment,
    /// An empty query option (`?&a=1`, `?a=1&`, a lone `?`).
    EmptyQueryOption,
    /// A query option without `=` or with nothing after it (`?format`, `?format=`).
    QueryOptionWithoutValue(String),
    /// A placeholder in a query option's name (only values have parameters).
    PlaceholderInQueryName(String),
    /// A query option named twice (names compared ASCII case-insensitively, a leading
    /// `$` optional, as OData compares them).
    DuplicateQueryOption(String),
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
            TemplateError::Fragment => format!(
                "path template `{template}` contains `#`: a fragment is never sent to Graph"
            ),
            TemplateError::EmptyQueryOption => format!(
                "path template `{template}` has an empty query option (write `?name=value&name=value`; options the caller chooses are builder methods)"
            ),
            TemplateError::QueryOptionWithoutValue(name) => format!(
                "query option `{name}` of path template `{template}` has no value: a fixed option is `name=value`, where the value may be a `{{placeholder}}`"
            ),
            TemplateError::PlaceholderInQueryName(name) => format!(
                "query option `{name}` of path template `{template}` has a placeholder in its name; only values take parameters"
            ),
            TemplateError::DuplicateQueryOption(name) => {
                format!("query option `{name}` is fixed twice in path template `{template}`")
            }
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
            TemplateError::Fragment => "a fragment in a path template",
            TemplateError::EmptyQueryOption => "an empty query option",
            TemplateError::QueryOptionWithoutValue(_) => "a query option without a value",
            TemplateError::PlaceholderInQueryName(_) => "a placeholder in a query option's name",
            TemplateError::DuplicateQueryOption(_) => "a query option fixed twice",
            TemplateError::UnbalancedClose => "unbalanced `}`",
            TemplateError::UnbalancedOpen => "unbalanced `{`",
            TemplateError::Nested => "nested `{`",
            TemplateError::EmptyPlaceholder => "empty `{}` placeholder",
        })
    }
}

/// The byte index of the first `c` of `text` outside braces.
fn find_outside_braces(text: &str, wanted: &[char]) -> Option<usize> {
    first_outside_braces(text, |c| wanted.contains(&c))
}

/// The byte index of the first character of `text` outside braces that `wanted` accepts.
fn first_outside_braces(text: &str, wanted: impl Fn(char) -> bool) -> Option<usize> {
    // A `{` inside a placeholder is an error of its own (nested); it does not nest here.
    let mut depth = 0usize;
    text.char_indices().find_map(|(i, c)| {
        match c {
            '{' => depth = 1,
            '}' => depth = depth.saturating_sub(1),
            _ if depth == 0 && wanted(c) => return Some(i),
            _ => {}
        }
        None
    })
}

/// Splits `template` into path pieces, fixed query options and parameters. Every
/// malformation is reported, in the order found; the pieces are a best effort even then
/// (a malformed placeholder or option is left out), so callers can go on and report
/// more.
///
/// The query, after the first `?` outside braces, is `name=value` options joined by
/// `&`; names are literal, values may hold placeholders (`?format={format}`,
/// `?$filter=JoinWebUrl eq '{joinWebUrl}'`), and whitespace is allowed in values (it is
/// percent-encoded when sent).
pub fn parse(template: &str) -> (ParsedTemplate, Vec<TemplateError>) {
    let mut errors = Vec::new();
    if !template.starts_with('/') {
        errors.push(TemplateError::NotAbsolute);
    }
    let mut template = template;
    if let Some(hash) = find_outside_braces(template, &['#']) {
        errors.push(TemplateError::Fragment);
        template = &template[..hash];
    }
    let (path, query) = match find_outside_braces(template, &['?']) {
        Some(q) => (&template[..q], Some(&template[q + 1..])),
        None => (template, None),
    };
    // Whitespace is allowed only inside a placeholder (`{id | userPrincipalName}`).
    if let Some(at) = first_outside_braces(path, char::is_whitespace) {
        let c = path[at..].chars().next().unwrap_or(' ');
        errors.push(TemplateError::Whitespace(c));
    }
    let mut parsed = ParsedTemplate::default();
    parsed.pieces = split_pieces(path, false, &mut parsed.params, &mut errors);
    if let Some(query) = query {
        let mut seen: Vec<String> = Vec::new();
        let mut rest = query;
        loop {
            let end = find_outside_braces(rest, &['&']).unwrap_or(rest.len());
            let option = &rest[..end];
            if option.is_empty() {
                errors.push(TemplateError::EmptyQueryOption);
            } else {
                let (name, value) = match find_outside_braces(option, &['=']) {
                    Some(eq) => (&option[..eq], &option[eq + 1..]),
                    None => (option, ""),
                };
                if name.contains(['{', '}']) {
                    errors.push(TemplateError::PlaceholderInQueryName(name.into()));
                } else if let Some(c) = name.chars().find(|c| c.is_whitespace()) {
                    errors.push(TemplateError::Whitespace(c));
                } else if name.is_empty() || value.is_empty() {
                    errors.push(TemplateError::QueryOptionWithoutValue(name.into()));
                } else if seen.contains(&option_key(name)) {
                    errors.push(TemplateError::DuplicateQueryOption(name.into()));
                } else {
                    seen.push(option_key(name));
                    let value = split_pieces(value, true, &mut parsed.params, &mut errors);
                    parsed.query.push(QueryOption {
                        name: name.into(),
                        value,
                    });
                }
            }
            if end == rest.len() {
                break;
            }
            rest = &rest[end + 1..];
        }
    }
    (parsed, errors)
}

/// Splits `text` into literal pieces and placeholders, appending each placeholder's text
/// to `params`. In a path, a placeholder that is a whole segment is a
/// [`Piece::Segment`]; in a query value (`in_query`) every placeholder is
/// [`Piece::Embedded`].
fn split_pieces(
    text: &str,
    in_query: bool,
    params: &mut Vec<String>,
    errors: &mut Vec<TemplateError>,
) -> Vec<Piece<String>> {
    let mut pieces: Vec<Piece<String>> = Vec::new();
    let mut literal = String::new();
    let mut rest = text;
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
        let at_segment_start = literal.ends_with('/') || (literal.is_empty() && pieces.is_empty());
        let at_segment_end = rest.is_empty() || rest.starts_with('/');
        if !literal.is_empty() {
            pieces.push(Piece::Literal(core::mem::take(&mut literal)));
        }
        let index = params.len();
        params.push(raw.into());
        pieces.push(if at_segment_start && at_segment_end && !in_query {
            Piece::Segment(index)
        } else {
            Piece::Embedded(index)
        });
    }
    literal.push_str(rest);
    if !literal.is_empty() {
        pieces.push(Piece::Literal(literal));
    }
    pieces
}

/// The path part of `template`: everything before its fixed query (the first `?` outside
/// braces) and fragment. What permission data, the CSDL and naming read of a form.
pub fn path_part(template: &str) -> &str {
    match find_outside_braces(template, &['?', '#']) {
        Some(at) => &template[..at],
        None => template,
    }
}

/// The key OData compares query option names by: ASCII lowercase, one leading `$`
/// dropped (`$Expand` and `expand` are the same option).
pub fn option_key(name: &str) -> String {
    let name = name.strip_prefix('$').unwrap_or(name);
    name.to_ascii_lowercase()
}

/// Percent-decodes a query string component, `+` read as a space (as form-encoding
/// clients write it). `None` when the bytes are not UTF-8.
pub fn decode_query_component(text: &str) -> Option<String> {
    let bytes = text.as_bytes();
    let mut out: Vec<u8> = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'+' => out.push(b' '),
            b'%' if i + 2 < bytes.len() => {
                let hex = |b: u8| (b as char).to_digit(16);
                match (hex(bytes[i + 1]), hex(bytes[i + 2])) {
                    (Some(h), Some(l)) => {
                        out.push((h * 16 + l) as u8);
                        i += 3;
                        continue;
                    }
                    _ => out.push(b'%'),
                }
            }
            b => out.push(b),
        }
        i += 1;
    }
    String::from_utf8(out).ok()
}

/// The OData options whose value is a comma-separated list ([`option_key`]s): a caller's
/// items are added to a form's fixed ones (`$expand=manager,memberOf`).
pub const LIST_OPTIONS: [&str; 3] = ["select", "expand", "orderby"];

/// The items of a list option's value, split at commas outside parentheses
/// (`manager($select=id,displayName),memberOf` has two), trimmed.
fn list_items(value: &str) -> Vec<&str> {
    let mut items = Vec::new();
    let (mut depth, mut start) = (0usize, 0usize);
    for (i, c) in value.char_indices() {
        match c {
            '(' => depth += 1,
            ')' => depth = depth.saturating_sub(1),
            ',' if depth == 0 => {
                items.push(value[start..i].trim());
                start = i + 1;
            }
            _ => {}
        }
    }
    items.push(value[start..].trim());
    items
}

/// Matches a request's query string (without `?`) against a template's fixed `options`:
/// each fixed option must be in the query (names compared by [`option_key`]) with a
/// value that fits the option's pieces — literal text ASCII case-insensitive, each
/// parameter at least one character of anything. A literal list option
/// ([`LIST_OPTIONS`]) fits when the request's list has each of its items, in any order
/// (`$expand=memberOf,manager` carries `$expand=manager`). Values are percent-decoded first
/// ([`decode_query_component`]). Other options of the query are the caller's (`$top`,
/// `$select`) and do not matter. Returns each captured parameter's index and decoded
/// text (a `''` inside an OData string literal read back as `'`), or `None` when an
/// option is missing or does not fit.
pub fn match_query<S: AsRef<str>, V: AsRef<[Piece<S>]>>(
    options: &[QueryOption<S, V>],
    query: Option<&str>,
) -> Option<Vec<(usize, String)>> {
    if options.is_empty() {
        return Some(Vec::new());
    }
    let given: Vec<(String, String)> = query
        .unwrap_or("")
        .split('&')
        .filter(|o| !o.is_empty())
        .filter_map(|o| {
            let (name, value) = o.split_once('=').unwrap_or((o, ""));
            Some((
                option_key(&decode_query_component(name)?),
                decode_query_component(value)?,
            ))
        })
        .collect();
    let mut captures = Vec::new();
    for option in options {
        let key = option_key(option.name.as_ref());
        let (_, value) = given.iter().find(|(name, _)| *name == key)?;
        let pieces = option.value.as_ref();
        let literal: Option<String> = pieces.iter().map(Piece::literal).collect();
        if let (Some(fixed), true) = (&literal, LIST_OPTIONS.contains(&key.as_str())) {
            // A list option carries the fixed items among the caller's, in any order.
            let items = list_items(value);
            let carried = list_items(fixed)
                .iter()
                .all(|f| items.iter().any(|i| i.eq_ignore_ascii_case(f)));
            if !carried {
                return None;
            }
            continue;
        }
        let mut found: Vec<Option<(usize, usize)>> = alloc::vec![None; pieces.len()];
        if !match_value(pieces, 0, value, 0, &mut found) {
            return None;
        }
        for (i, (piece, span)) in pieces.iter().zip(found).enumerate() {
            if let (Some(n), Some((start, end))) = (piece.param(), span) {
                let text = &value[start..end];
                captures.push((
                    n,
                    if in_string_literal(pieces, i) {
                        text.replace("''", "'")
                    } else {
                        text.into()
                    },
                ));
            }
        }
    }
    Some(captures)
}

/// Whether the parameter at `pieces[i]` sits inside an OData string literal (`'{url}'`),
/// where a `'` of its value is written `''`.
pub fn in_string_literal<S: AsRef<str>>(pieces: &[Piece<S>], i: usize) -> bool {
    i > 0
        && pieces[i - 1].literal().is_some_and(|l| l.ends_with('\''))
        && pieces
            .get(i + 1)
            .and_then(Piece::literal)
            .is_some_and(|l| l.starts_with('\''))
}

/// Backtracking match of a query value's `pieces[i..]` against `value[pos..]`; a
/// parameter captures at least one character, the shortest that lets the rest match.
fn match_value<S: AsRef<str>>(
    pieces: &[Piece<S>],
    i: usize,
    value: &str,
    pos: usize,
    found: &mut [Option<(usize, usize)>],
) -> bool {
    let Some(piece) = pieces.get(i) else {
        return pos == value.len();
    };
    if let Piece::Literal(text) = piece {
        let text = text.as_ref();
        let end = pos + text.len();
        return value
            .get(pos..end)
            .is_some_and(|head| head.eq_ignore_ascii_case(text))
            && match_value(pieces, i + 1, value, end, found);
    }
    for (offset, c) in value[pos..].char_indices() {
        let end = pos + offset + c.len_utf8();
        found[i] = Some((pos, end));
        if match_value(pieces, i + 1, value, end, found) {
            return true;
        }
    }
    false
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
        if whole_segment && is_reserved_segment(value) {
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

/// A request target as a log or prose quotes it, without those `'` quotes: a target
/// wrapped in `'…'` loses both, and a closing `'` that pairs with none inside is the
/// prose's; one that closes an OData string literal (`…?$filter=id eq '1'`) is the
/// target's own and stays.
///
/// ```
/// use graphspec_spec::path::strip_quotes;
/// assert_eq!(strip_quotes("/users?$filter=id eq '1'"), "/users?$filter=id eq '1'");
/// assert_eq!(strip_quotes("'/users?$filter=id eq '1''"), "/users?$filter=id eq '1'");
/// assert_eq!(strip_quotes("/users?$top=1'"), "/users?$top=1");
/// ```
pub fn strip_quotes(target: &str) -> &str {
    if let Some(inner) = target.strip_prefix('\'') {
        return inner.strip_suffix('\'').unwrap_or(inner);
    }
    match target.strip_suffix('\'') {
        Some(head) if target.matches('\'').count() % 2 == 1 => head,
        _ => target,
    }
}

/// Whether a whole path segment can never be a parameter's value: the dot segments `.`
/// and `..`, which would change the path, and OData's own segments `$count`, `$value`
/// and `$ref` (ASCII case-insensitive), which address something else than a key
/// (`/users/$count` is the number of users, not the user `$count`).
pub fn is_reserved_segment(segment: &str) -> bool {
    matches!(segment, "." | "..")
        || ["$count", "$value", "$ref"]
            .iter()
            .any(|s| s.eq_ignore_ascii_case(segment))
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
        assert_eq!(
            parse("/a\u{a0}b").1,
            vec![TemplateError::Whitespace('\u{a0}')]
        );
        let (_, errors) = parse("users/{a}}/{ }/{b{c}/x?z#");
        assert_eq!(
            errors,
            vec![
                TemplateError::NotAbsolute,
                TemplateError::Fragment,
                TemplateError::UnbalancedClose,
                TemplateError::EmptyPlaceholder,
                TemplateError::Nested,
                TemplateError::QueryOptionWithoutValue("z".into()),
            ]
        );
        assert_eq!(parse("/a/{b").1, vec![TemplateError::UnbalancedOpen]);
        assert_eq!(
            parse("/a?&x=&{n}=1&$top=1&$TOP=2&b c=1").1,
            vec![
                TemplateError::EmptyQueryOption,
                TemplateError::QueryOptionWithoutValue("x".into()),
                TemplateError::PlaceholderInQueryName("{n}".into()),
                TemplateError::DuplicateQueryOption("$TOP".into()),
                TemplateError::Whitespace(' '),
            ]
        );
        assert_eq!(parse("/a?").1, vec![TemplateError::EmptyQueryOption]);
    }

    #[test]
    fn parses_a_fixed_query_with_parameters_numbered_after_the_path() {
        let (parsed, errors) =
            parse("/users/{id}/x?format={format}&$filter=Url eq '{url}'&$expand=manager");
        assert!(errors.is_empty(), "{errors:?}");
        assert_eq!(parsed.params, vec!["id", "format", "url"]);
        assert_eq!(
            parsed.pieces,
            vec![
                Piece::Literal("/users/".into()),
                Piece::Segment(0),
                Piece::Literal("/x".into())
            ]
        );
        let option = |name: &str, value: Vec<Piece<String>>| QueryOption {
            name: String::from(name),
            value,
        };
        assert_eq!(
            parsed.query,
            vec![
                option("format", vec![Piece::Embedded(1)]),
                option(
                    "$filter",
                    vec![
                        Piece::Literal("Url eq '".into()),
                        Piece::Embedded(2),
                        Piece::Literal("'".into())
                    ]
                ),
                option("$expand", vec![Piece::Literal("manager".into())]),
            ]
        );
        // What naming reads of the path leaves the query out.
        assert_eq!(bare_segments("/me?$expand=manager").len(), 2);
    }

    #[test]
    fn a_request_carries_a_fixed_query_when_every_option_fits() {
        let (parsed, _) = parse("/x?format={format}&$filter=Url eq '{url}'&$expand=manager");
        let q = |query: &str| match_query(&parsed.query, Some(query));
        assert_eq!(
            q("$top=5&%24expand=Manager&format=pdf&$filter=url+eq+'https%3A%2F%2Fa%2Fb'"),
            Some(vec![(0, "pdf".into()), (1, "https://a/b".into())])
        );
        assert_eq!(
            q("expand=manager&FORMAT=pdf&filter=Url eq 'a''b'"),
            Some(vec![(0, "pdf".into()), (1, "a'b".into())])
        );
        assert_eq!(
            q("$expand=memberOf,Manager($select=id)&format=pdf&$filter=Url eq 'a'"),
            None,
            "an expansion with options is another expansion"
        );
        assert_eq!(
            q("$expand=memberOf( $select=id,x ), manager&format=pdf&$filter=Url eq 'a'"),
            Some(vec![(0, "pdf".into()), (1, "a".into())])
        );
        // A missing option, an empty parameter, another value: not this form.
        assert_eq!(q("$expand=manager&format=pdf"), None);
        assert_eq!(q("$expand=manager&format=&$filter=Url eq 'a'"), None);
        assert_eq!(q("$expand=memberOf&format=pdf&$filter=Url eq 'a'"), None);
        assert_eq!(match_query(&parsed.query, None), None);
        // No fixed options: any query fits.
        assert_eq!(
            match_query::<String, Vec<Piece<String>>>(&[], Some("$top=1")),
            Some(vec![])
        );
        assert_eq!(decode_query_component("%E2%82%AC+%"), Some("€ %".into()));
        assert_eq!(decode_query_component("%FF"), None);
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
        assert_eq!(m("/users/{id}", "/users/$count"), None);
        assert_eq!(m("/users/{id}/photo", "/users/$VALUE/photo"), None);
        assert_eq!(m("/users/{id}", "/users/$counts"), Some(vec!["$counts"]));
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
