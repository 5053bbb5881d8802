//! Request lines: finds them in the HTTP request section, and turns what the pages write
//! into path templates the definition language accepts.
//!
//! # Which lines
//!
//! Code blocks in sections anchored `http-request…` (`http-request`, `http-requests`,
//! `http-request-to-…`). A page without such a section uses the code blocks before its
//! first example. In a block, a request line is `METHOD target` (method in any case);
//! a line that starts with `/` under request lines inherits their method; anything else
//! (JSON, headers, comments, C#) is skipped.
//!
//! # Template normalization (in this order)
//!
//! 1. A full URL loses scheme, host and version (`https://graph.microsoft.com/v1.0`);
//!    a target without a leading `/` gets one; a trailing ` HTTP/1.1` goes.
//! 2. The query string and fragment are cut off (kept beside the template, for
//!    [`forms`](super::forms) to judge): the first `?` or `#` outside braces,
//!    parentheses and quotes.
//! 3. `&lt;x&gt;` and `<x>` become `{x}`; a segment written `(x)` becomes `{x}`;
//!    `{a} | b` (a bar outside the braces) becomes `{a | b}`.
//! 4. Whitespace outside braces is removed; inside braces it is trimmed at both ends.
//! 5. OData function arguments `name(k=v, …)`: a value that is a placeholder in any
//!    spelling becomes `{x}` (quotes kept); any other value (`on='allowedRequestor'`,
//!    `width=640`, `count=n`, `x=x-value`) becomes the parameter `{k}`: the page shows
//!    one value, the function takes others. A missing `)` is added at the end of the
//!    segment.
//! 6. A placeholder whose name cannot become a Rust argument (translated, empty) is
//!    renamed after the segment before it (`{message-id}`); placeholders that share an
//!    argument name are renamed the same way (`/users/{id}/messages/{id}` →
//!    `/users/{user-id}/messages/{message-id}`; the text after `|` is kept), a function
//!    argument after its key; a name still taken gets a number.
//! 7. Empty segments (`//`) and a trailing `/` are removed; a placeholder glued to the
//!    word before it (`requests{id}`) starts its own segment; a literal GUID segment
//!    (an example id left in a template) becomes a placeholder named after the segment
//!    before it, a literal host name (`contoso.sharepoint.com`) becomes `{hostname}`.

use graphspec_spec::{ApiVersion, Method};

use super::markdown::{Doc, decode_entities};
use crate::diagnostic::{Code, Diagnostic};
use graphspec_codegen::naming;

/// A request line as found.
#[derive(Debug, Clone)]
pub(crate) struct RequestLine {
    /// Upper-case method.
    pub method: String,
    /// The normalized template.
    pub path: String,
    /// The query string cut off, if any.
    pub query: Option<String>,
}

/// Splits `METHOD rest` (a [`Method`] in any case); `None` for other lines.
pub(crate) fn split_method(line: &str) -> Option<(String, &str)> {
    let trimmed = line.trim();
    let end = trimmed.find(char::is_whitespace)?;
    let word = &trimmed[..end];
    let method = Method::parse(&word.to_ascii_uppercase())?;
    Some((method.as_str().to_owned(), trimmed[end..].trim()))
}

/// The request lines of a page, normalized.
pub(crate) fn read(doc: &Doc<'_>, diags: &mut Vec<Diagnostic>) -> Vec<RequestLine> {
    let blocks = form_blocks(doc, diags);
    lines_of(doc, &blocks, diags)
}

/// The code blocks that hold the page's request lines (module docs, *Which lines*).
pub(crate) fn form_blocks<'d>(
    doc: &'d Doc<'_>,
    diags: &mut Vec<Diagnostic>,
) -> Vec<&'d super::markdown::CodeBlock> {
    let sections = doc.sections(|a| a.starts_with("http-request"));
    let blocks: Vec<_> = if sections.is_empty() {
        // Before the first example: the first heading anchored `example…` or the first
        // annotated request, whichever comes first.
        let first_example = doc
            .headings
            .iter()
            .filter(|h| !h.tab && h.anchor.starts_with("example"))
            .map(|h| h.line)
            .chain(
                doc.blocks
                    .iter()
                    .filter(|b| doc.is_block(b, "request"))
                    .map(|b| b.start),
            )
            .min()
            .unwrap_or(doc.lines.len());
        let blocks: Vec<_> = doc
            .blocks
            .iter()
            .filter(|b| b.start < first_example)
            .filter(|b| {
                !doc.annotation(b)
                    .is_some_and(|a| a.block_type == "request" || a.block_type == "response")
            })
            .collect();
        if !blocks.is_empty() {
            diags.push(Diagnostic::new(

                Code::RequestSectionNotFound,"no section anchored `http-request`; request lines taken from the code blocks before the first example",
            ));
        }
        blocks
    } else {
        let in_sections: Vec<_> = doc
            .blocks
            .iter()
            .filter(|b| sections.iter().any(|(_, r)| r.contains(&b.start)))
            .filter(|b| !doc.is_block(b, "response"))
            .collect();
        let plain: Vec<_> = in_sections
            .iter()
            .copied()
            .filter(|b| !doc.is_block(b, "request"))
            .filter(|b| doc.block_lines(b).iter().any(|l| split_method(l).is_some()))
            .collect();
        if plain.is_empty() {
            // Some pages (OneDrive) write each form as an annotated request block, one
            // per `##` section, before the examples: take all of those.
            let first_example = doc
                .headings
                .iter()
                .filter(|h| !h.tab && h.anchor.starts_with("example"))
                .map(|h| h.line)
                .min()
                .unwrap_or(doc.lines.len());
            let first_section = sections.iter().map(|(_, r)| r.start).min().unwrap_or(0);
            doc.blocks
                .iter()
                .filter(|b| b.start >= first_section && b.start < first_example)
                .filter(|b| doc.is_block(b, "request"))
                .collect()
        } else {
            plain
        }
    };
    blocks
}

/// The request lines of `blocks`, normalized.
pub(crate) fn lines_of(
    doc: &Doc<'_>,
    blocks: &[&super::markdown::CodeBlock],
    diags: &mut Vec<Diagnostic>,
) -> Vec<RequestLine> {
    let mut out = Vec::new();
    let mut skipped = 0usize;
    for block in blocks.iter().copied() {
        let mut last_method: Option<String> = None;
        for line in doc.block_lines(block) {
            let trimmed = line.trim();
            if trimmed.is_empty() {
                continue;
            }
            let (method, target) = match split_method(trimmed) {
                Some((m, t)) => (m, t),
                None => match (&last_method, trimmed.starts_with('/')) {
                    (Some(m), true) => {
                        diags.push(Diagnostic::new(
                            Code::RequestLineWithoutMethod,
                            format!("`{trimmed}` has no method; it takes {m} from the line before"),
                        ));
                        (m.clone(), trimmed)
                    }
                    _ => {
                        skipped += 1;
                        continue;
                    }
                },
            };
            last_method = Some(method.clone());
            match normalize_target(target, diags) {
                Some((path, query)) => out.push(RequestLine {
                    method,
                    path,
                    query,
                }),
                None => diags.push(Diagnostic::new(
                    Code::RequestBadTemplate,
                    format!("`{trimmed}` could not be read as a path template; skipped"),
                )),
            }
        }
    }
    if skipped > 0 {
        diags.push(Diagnostic::new(

            Code::RequestOtherLines,format!("{skipped} line(s) in the request blocks are not request lines (JSON, headers, comments); skipped"),
        ));
    }
    out
}

/// Strips scheme, host and a version segment. Returns the rest (starting with `/`),
/// the host (if there was one) and the version (if there was one).
pub(crate) fn strip_base(target: &str) -> (String, Option<String>, Option<String>) {
    let mut rest = target.trim();
    if let Some(last) = rest.rsplit_once(char::is_whitespace)
        && last.1.starts_with("HTTP/")
    {
        rest = last.0.trim_end();
    }
    let mut host = None;
    for scheme in ["https://", "http://"] {
        if rest
            .get(..scheme.len())
            .is_some_and(|head| head.eq_ignore_ascii_case(scheme))
        {
            let after = &rest[scheme.len()..];
            let end = after.find('/').unwrap_or(after.len());
            host = Some(after[..end].to_ascii_lowercase());
            rest = &after[end..];
            break;
        }
    }
    let mut version = None;
    let trimmed = rest.trim_start_matches('/');
    let first_end = trimmed.find(['/', '?']).unwrap_or(trimmed.len());
    let first = &trimmed[..first_end];
    if let Some(v) = ApiVersion::parse(&first.to_ascii_lowercase()) {
        version = Some(v.as_str().to_owned());
        rest = &trimmed[first_end..];
    }
    let mut path = rest.to_owned();
    if !path.starts_with('/') {
        path.insert(0, '/');
    }
    (path, host, version)
}

/// Splits off the query string (and fragment): the first `?` or `#` outside braces,
/// parentheses and quotes.
pub(crate) fn split_query(path: &str) -> (&str, Option<&str>) {
    let mut depth = 0i32;
    let mut quote = false;
    for (i, c) in path.char_indices() {
        match c {
            '\'' => quote = !quote,
            '{' | '(' if !quote => depth += 1,
            '}' | ')' if !quote => depth -= 1,
            '?' | '#' if !quote && depth <= 0 => return (&path[..i], Some(&path[i + 1..])),
            _ => {}
        }
    }
    (path, None)
}

/// Normalizes one request target into a template (see the module docs). `None` when
/// nothing usable is left.
pub(crate) fn normalize_target(
    target: &str,
    diags: &mut Vec<Diagnostic>,
) -> Option<(String, Option<String>)> {
    let decoded = decode_entities(target);
    // `…/content[?includeIDs=true]`: an optional query, written in brackets.
    let decoded = match decoded.split_once("[?") {
        Some((head, tail)) => format!("{head}?{}", tail.trim_end().trim_end_matches(']')),
        None => decoded,
    };
    let (path, _, _) = strip_base(&decoded);
    let (path, query) = split_query(&path);
    // The query is kept beside the template; `forms` decides what it means.
    let query = query.map(|q| q.trim().to_owned()).filter(|q| !q.is_empty());
    let path = repair_parens(path, diags);
    let path = repair_braces(&path, diags);
    let path = merge_outside_bar(&path);
    let path = angle_to_brace(&path);
    let path = strip_whitespace(&path);
    let mut segments: Vec<String> = Vec::new();
    for segment in split_segments(&path).into_iter().filter(|s| !s.is_empty()) {
        // `requests{id}`: a placeholder glued to the word before it is its own segment.
        let word_len = segment
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric())
            .count();
        if word_len > 0 && segment[word_len..].starts_with('{') {
            diags.push(Diagnostic::new(
                Code::RequestRepairedSlash,
                format!("`{segment}`: the placeholder is glued to the word before it; split"),
            ));
            segments.push(segment[..word_len].to_owned());
            segments.push(segment[word_len..].to_owned());
        } else if is_host_name(&segment) {
            diags.push(Diagnostic::new(
                Code::RequestLiteralId,
                format!("literal host name `{segment}` in a template read as `{{hostname}}`"),
            ));
            segments.push("{hostname}".to_owned());
        } else if is_guid(&segment) {
            // A literal id in a template is the example's value of a parameter.
            let name = segments
                .last()
                .filter(|p| p.chars().all(|c| c.is_ascii_alphanumeric()))
                .map(|p| format!("{}-id", singular(p)))
                .unwrap_or_else(|| "id".to_owned());
            diags.push(Diagnostic::new(
                Code::RequestLiteralId,
                format!("literal id `{segment}` in a template read as `{{{name}}}`"),
            ));
            segments.push(format!("{{{name}}}"));
        } else {
            segments.push(segment);
        }
    }
    for segment in &mut segments {
        if segment.starts_with('(') && segment.ends_with(')') && !segment.contains('=') {
            let inner = &segment[1..segment.len() - 1];
            if !inner.contains(['{', '}', '(', ')']) && !inner.is_empty() {
                *segment = format!("{{{inner}}}");
                continue;
            }
        }
        if segment.contains('(') {
            *segment = normalize_function(segment, diags);
        }
    }
    if segments.is_empty() {
        return None;
    }
    let mut path = String::new();
    for s in &segments {
        path.push('/');
        path.push_str(s);
    }
    let path = rename_placeholders(&path, diags);
    if path.contains('?') || path.contains('#') || !balanced(&path) {
        return None;
    }
    Some((path, query))
}

/// Whether `text` is a DNS host name ending in a common top-level domain
/// (`contoso.sharepoint.com`), not a type cast (`microsoft.graph.user`).
fn is_host_name(text: &str) -> bool {
    let labels: Vec<&str> = text.split('.').collect();
    labels.len() >= 3
        && labels
            .iter()
            .all(|l| !l.is_empty() && l.chars().all(|c| c.is_ascii_alphanumeric() || c == '-'))
        && labels.last().is_some_and(|tld| {
            ["com", "net", "org", "io"].contains(&tld.to_ascii_lowercase().as_str())
        })
}

/// Whether `text` is a GUID (`8-4-4-4-12` hex digits).
fn is_guid(text: &str) -> bool {
    let parts: Vec<&str> = text.split('-').collect();
    parts.len() == 5
        && parts
            .iter()
            .zip([8, 4, 4, 4, 12])
            .all(|(p, n)| p.len() == n && p.chars().all(|c| c.is_ascii_hexdigit()))
}

/// Closes a `(` left open at the end of its segment (`range(address='x'/entireRow`).
fn repair_parens(path: &str, diags: &mut Vec<Diagnostic>) -> String {
    let mut out = String::with_capacity(path.len() + 2);
    let mut depth = 0usize;
    let mut quote = false;
    let mut repaired = false;
    for c in path.chars() {
        match c {
            '\'' => quote = !quote,
            '(' if !quote => depth += 1,
            ')' if !quote && depth > 0 => depth -= 1,
            '/' if !quote && depth > 0 => {
                out.extend(std::iter::repeat_n(')', depth));
                depth = 0;
                repaired = true;
            }
            _ => {}
        }
        out.push(c);
    }
    if depth > 0 && !quote {
        out.extend(std::iter::repeat_n(')', depth));
        repaired = true;
    }
    if repaired {
        diags.push(Diagnostic::new(
            Code::RequestRepairedParenthesis,
            format!("`{path}` has an unclosed `(`; closed at the end of its segment"),
        ));
    }
    out
}

/// Drops a `}` that closes nothing and closes a `{` left open at the end of its segment.
fn repair_braces(path: &str, diags: &mut Vec<Diagnostic>) -> String {
    let mut out = String::with_capacity(path.len() + 1);
    let mut open = false;
    let mut repaired = false;
    for c in path.chars() {
        match c {
            '{' if open => {
                repaired = true;
                out.push('}');
                out.push('{');
            }
            '{' => {
                open = true;
                out.push(c);
            }
            '}' if !open => repaired = true,
            '}' => {
                open = false;
                out.push(c);
            }
            '/' if open => {
                repaired = true;
                open = false;
                out.push('}');
                out.push('/');
            }
            _ => out.push(c),
        }
    }
    if open {
        repaired = true;
        out.push('}');
    }
    if repaired {
        diags.push(Diagnostic::new(
            Code::RequestRepairedBrace,
            format!("unbalanced braces in `{path}` repaired"),
        ));
    }
    out
}

/// `{a} | b/…` → `{a | b}/…`.
fn merge_outside_bar(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    let mut rest = path;
    while let Some(close) = rest.find('}') {
        let after = &rest[close + 1..];
        let trimmed = after.trim_start();
        if let Some(alt) = trimmed.strip_prefix('|') {
            let end = alt.find('/').unwrap_or(alt.len());
            out.push_str(&rest[..close]);
            out.push_str(" | ");
            out.push_str(alt[..end].trim());
            out.push('}');
            rest = &alt[end..];
        } else {
            out.push_str(&rest[..=close]);
            rest = after;
        }
    }
    out.push_str(rest);
    out
}

/// `<x>` → `{x}` where `x` is a plain name.
fn angle_to_brace(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    let mut rest = path;
    while let Some(open) = rest.find('<') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        match after.find('>') {
            Some(close) if !after[..close].contains(['<', '/', '{', '}']) => {
                out.push('{');
                out.push_str(after[..close].trim());
                out.push('}');
                rest = &after[close + 1..];
            }
            _ => {
                out.push('<');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

/// Removes whitespace outside braces and trims it inside.
fn strip_whitespace(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    let mut inside = String::new();
    let mut depth = 0;
    for c in path.chars() {
        match c {
            '{' => {
                depth += 1;
                if depth == 1 {
                    inside.clear();
                    continue;
                }
                inside.push(c);
            }
            '}' if depth > 0 => {
                depth -= 1;
                if depth == 0 {
                    out.push('{');
                    out.push_str(inside.trim());
                    out.push('}');
                    continue;
                }
                inside.push(c);
            }
            _ if depth > 0 => inside.push(c),
            c if c.is_whitespace() => {}
            _ => out.push(c),
        }
    }
    if depth > 0 {
        out.push('{');
        out.push_str(&inside);
    }
    out
}

/// Splits at `/` outside braces, parentheses and quotes.
pub(crate) fn split_segments(path: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut depth = 0i32;
    let mut quote = false;
    for c in path.chars() {
        match c {
            '\'' => quote = !quote,
            '{' | '(' if !quote => depth += 1,
            '}' | ')' if !quote => depth -= 1,
            '/' if !quote && depth <= 0 => {
                out.push(std::mem::take(&mut cur));
                continue;
            }
            _ => {}
        }
        cur.push(c);
    }
    out.push(cur);
    out
}

fn balanced(path: &str) -> bool {
    let mut depth = 0i32;
    for c in path.chars() {
        match c {
            '{' => {
                if depth > 0 {
                    return false;
                }
                depth += 1;
            }
            '}' => {
                depth -= 1;
                if depth < 0 {
                    return false;
                }
            }
            _ => {}
        }
    }
    depth == 0
}

/// Normalizes the arguments of OData function calls in one segment.
fn normalize_function(segment: &str, diags: &mut Vec<Diagnostic>) -> String {
    let mut seg = segment.to_owned();
    let opens = seg.matches('(').count();
    let closes = seg.matches(')').count();
    if opens > closes {
        for _ in closes..opens {
            seg.push(')');
        }
        diags.push(Diagnostic::new(
            Code::RequestRepairedParenthesis,
            format!("`{segment}` has an unclosed `(`; closed at the end of the segment"),
        ));
    }
    let mut out = String::new();
    let mut rest = seg.as_str();
    while let Some(open) = rest.find('(') {
        out.push_str(&rest[..=open]);
        let after = &rest[open + 1..];
        let Some(close) = find_close(after) else {
            out.push_str(after);
            return out;
        };
        let args = &after[..close];
        out.push_str(&normalize_args(args, diags));
        out.push(')');
        rest = &after[close + 1..];
    }
    out.push_str(rest);
    out
}

/// The index of the `)` closing an argument list that starts at `text`.
fn find_close(text: &str) -> Option<usize> {
    let mut depth = 0i32;
    let mut quote = false;
    for (i, c) in text.char_indices() {
        match c {
            '\'' => quote = !quote,
            '(' | '{' if !quote => depth += 1,
            '}' if !quote => depth -= 1,
            ')' if !quote && depth == 0 => return Some(i),
            ')' if !quote => depth -= 1,
            _ => {}
        }
    }
    None
}

fn normalize_args(args: &str, diags: &mut Vec<Diagnostic>) -> String {
    if args.trim().is_empty() {
        return String::new();
    }
    let mut parts = Vec::new();
    let mut cur = String::new();
    let mut depth = 0i32;
    let mut quote = false;
    for c in args.chars() {
        match c {
            '\'' => quote = !quote,
            '{' | '(' if !quote => depth += 1,
            '}' | ')' if !quote => depth -= 1,
            ',' if !quote && depth == 0 => {
                parts.push(std::mem::take(&mut cur));
                continue;
            }
            _ => {}
        }
        cur.push(c);
    }
    parts.push(cur);
    let mut out = Vec::new();
    for part in parts {
        let part = part.trim();
        let (key, value) = match part.split_once('=') {
            Some((k, v)) if !k.contains(['{', '\'']) => (Some(k.trim()), v.trim()),
            _ => (None, part),
        };
        let (quoted, inner) = match value.strip_prefix('\'').and_then(|v| v.strip_suffix('\'')) {
            Some(inner) => (true, inner),
            None => (false, value),
        };
        let placeholder =
            if let Some(name) = inner.strip_prefix('{').and_then(|v| v.strip_suffix('}')) {
                Some(name.trim().to_owned())
            } else {
                let name = key
                    .map(str::to_owned)
                    .unwrap_or_else(|| inner.trim_end_matches("-value").to_owned());
                diags.push(Diagnostic::new(
                    Code::RequestFunctionArgument,
                    format!("function argument `{part}` read as the parameter `{{{name}}}`"),
                ));
                Some(name)
            };
        let value = match placeholder {
            Some(name) if quoted => format!("'{{{name}}}'"),
            Some(name) => format!("{{{name}}}"),
            None => value.to_owned(),
        };
        out.push(match key {
            Some(k) => format!("{k}={value}"),
            None => value,
        });
    }
    out.join(",")
}

/// One placeholder occurrence: byte range of the braces' content and context.
struct Occurrence {
    /// Byte range of the text between the braces.
    inner: std::ops::Range<usize>,
    /// The literal segment before (for renaming), if any.
    before: Option<String>,
    /// The function argument key, if the placeholder is a function argument value.
    key: Option<String>,
}

fn occurrences(path: &str) -> Vec<Occurrence> {
    let mut out = Vec::new();
    let bytes = path.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'{'
            && let Some(close) = path[i + 1..].find('}')
        {
            let start = i + 1;
            let end = start + close;
            let prefix = &path[..i];
            let key = {
                let p = prefix.trim_end_matches('\'');
                p.strip_suffix('=')
                    .map(|k| k.rsplit(['(', ',']).next().unwrap_or("").trim().to_owned())
            };
            let before = {
                let p = prefix.trim_end_matches('/');
                let seg_start = p.rfind('/').map(|x| x + 1).unwrap_or(0);
                let seg = &p[seg_start..];
                // The literal word that ends right before (segment or `name(`).
                let word: String = seg
                    .trim_end_matches([':', '(', '\''])
                    .chars()
                    .rev()
                    .take_while(|c| c.is_ascii_alphanumeric())
                    .collect::<Vec<_>>()
                    .into_iter()
                    .rev()
                    .collect();
                if word.is_empty() || seg.contains('{') && !prefix.ends_with('/') {
                    None
                } else {
                    Some(word)
                }
            };
            out.push(Occurrence {
                inner: start..end,
                before,
                key,
            });
            i = end + 1;
        } else {
            i += 1;
        }
    }
    out
}

pub(crate) use graphspec_codegen::naming::singular;

/// Renames placeholders that cannot become argument names or share one (module docs,
/// step 6).
fn rename_placeholders(path: &str, diags: &mut Vec<Diagnostic>) -> String {
    let occs = occurrences(path);
    let names: Vec<Option<String>> = occs
        .iter()
        .map(|o| naming::param_name(&path[o.inner.clone()]))
        .collect();
    let mut rename = vec![false; occs.len()];
    for (i, name) in names.iter().enumerate() {
        match name {
            None => rename[i] = true,
            Some(n) => {
                if names
                    .iter()
                    .enumerate()
                    .any(|(j, m)| j != i && m.as_deref() == Some(n.as_str()))
                {
                    rename[i] = true;
                }
            }
        }
    }
    if !rename.contains(&true) {
        return path.to_owned();
    }
    let mut taken: Vec<String> = names
        .iter()
        .zip(&rename)
        .filter(|(_, r)| !**r)
        .filter_map(|(n, _)| n.clone())
        .collect();
    let mut out = String::new();
    let mut last = 0;
    for (i, occ) in occs.iter().enumerate() {
        out.push_str(&path[last..occ.inner.start]);
        let raw = &path[occ.inner.clone()];
        last = occ.inner.end;
        if !rename[i] {
            out.push_str(raw);
            continue;
        }
        let (head, alt) = match raw.find('|') {
            Some(bar) => (raw[..bar].trim(), Some(&raw[bar..])),
            None => (raw.trim(), None),
        };
        let head_ok = naming::param_name(head).is_some();
        let base = if let Some(key) = occ
            .key
            .as_deref()
            .filter(|k| naming::param_name(k).is_some())
        {
            key.to_owned()
        } else if let Some(before) = &occ.before {
            let s = singular(before);
            if head_ok {
                format!("{s}-{head}")
            } else {
                format!("{s}-id")
            }
        } else if head_ok {
            head.to_owned()
        } else {
            "param".to_owned()
        };
        let mut candidate = base.clone();
        let mut n = 2;
        while naming::param_name(&candidate).is_none_or(|rust| taken.contains(&rust)) {
            candidate = format!("{base}{n}");
            n += 1;
            if n > 99 {
                break;
            }
        }
        if let Some(rust) = naming::param_name(&candidate) {
            taken.push(rust);
        }
        let replaced = match alt {
            Some(alt) => {
                let sep = if raw[..raw.find('|').unwrap_or(0)].ends_with(' ') {
                    " "
                } else {
                    ""
                };
                format!("{candidate}{sep}{alt}")
            }
            None => candidate.clone(),
        };
        diags.push(Diagnostic::new(

            Code::RequestRenamedPlaceholder,format!("placeholder `{{{raw}}}` renamed `{{{replaced}}}` (names must be distinct identifiers)"),
        ));
        out.push_str(&replaced);
    }
    out.push_str(&path[last..]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn norm(target: &str) -> String {
        normalize_target(target, &mut Vec::new())
            .map(|(p, _)| p)
            .unwrap_or_default()
    }

    #[test]
    fn templates() {
        assert_eq!(
            norm("https://graph.microsoft.com/v1.0/users/{id}/reprocessLicenseAssignment"),
            "/users/{id}/reprocessLicenseAssignment"
        );
        assert_eq!(
            norm("policies/activityBasedTimeoutPolicies"),
            "/policies/activityBasedTimeoutPolicies"
        );
        assert_eq!(
            norm("/security/alerts?$filter={property} eq '{property-value}'"),
            "/security/alerts"
        );
        assert_eq!(
            norm("/users/{id | userPrincipalName}/calendar"),
            "/users/{id | userPrincipalName}/calendar"
        );
        assert_eq!(
            norm("/users/{id}/messages/{id}"),
            "/users/{user-id}/messages/{message-id}"
        );
        assert_eq!(
            norm("/me/drive/items/{id}/workbook/worksheets/{id|name}/range(address='<address>')"),
            "/me/drive/items/{item-id}/workbook/worksheets/{worksheet-id|name}/range(address='{address}')"
        );
        assert_eq!(
            norm("/reports/getOffice365ActiveUserDetail(period='{period_value}')"),
            "/reports/getOffice365ActiveUserDetail(period='{period_value}')"
        );
        assert_eq!(
            norm("/me/drive/root:/{item-path}:/content"),
            "/me/drive/root:/{item-path}:/content"
        );
        assert_eq!(
            norm("/teams/(team-id)/channels/{channel-id}"),
            "/teams/{team-id}/channels/{channel-id}"
        );
        assert_eq!(
            norm("/workbook/worksheets/{id}/range/columnsAfter(count=n)"),
            "/workbook/worksheets/{id}/range/columnsAfter(count={count})"
        );
        assert_eq!(
            norm("/x/resizedRange(deltaRows={n}, deltaColumns={n})"),
            "/x/resizedRange(deltaRows={deltaRows},deltaColumns={deltaColumns})"
        );
        assert_eq!(
            norm("/a/filterByCurrentUser(on='allowedRequestor')"),
            "/a/filterByCurrentUser(on='{on}')"
        );
        assert_eq!(
            norm("/users/{user-id} | user-principal-name/chats/{chat-id}"),
            "/users/{user-id | user-principal-name}/chats/{chat-id}"
        );
        assert_eq!(
            norm("/w/range(address='<address>'/entireRow"),
            "/w/range(address='{address}')/entireRow"
        );
        assert_eq!(
            norm("/users/{id}/messages/$value"),
            "/users/{id}/messages/$value"
        );
    }

    #[test]
    fn base_and_query() {
        assert_eq!(
            strip_base("https://graph.microsoft.com/beta/me HTTP/1.1"),
            (
                "/me".to_owned(),
                Some("graph.microsoft.com".to_owned()),
                Some("beta".to_owned())
            )
        );
        assert_eq!(
            split_query("/me/drive/root/search(q='a?b')?$top=1"),
            ("/me/drive/root/search(q='a?b')", Some("$top=1"))
        );
    }
}
