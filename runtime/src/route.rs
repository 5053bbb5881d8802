//! Which operation a request is, from a request as people and clients write it: a
//! request line copied from Graph Explorer or a log
//! (`GET https://graph.microsoft.com/v1.0/users/8a…/messages?$top=5`), a URL, or a path.
//!
//! [`find`] matches against the operations' request forms
//! ([`crate::PathTemplate::match_request`]: literal text ASCII case-insensitive, arguments
//! percent-decoded, and a form's fixed query options present in the request's query).
//! Among matches, a form with more fixed query options wins (`GET /sites?search=x` is
//! `site::ListSitesBySearch`, `GET /sites?$top=5` is `site::ListSites`), then the form with the
//! most literal text (`/users/delta` beats `/users/{id}`). When nothing matches as
//! written, these forms of the path are tried, in order, each keeping what the ones
//! before found:
//!
//! 1. percent-encoded literal characters decoded (`/users/1/%24value` is `…/$value`;
//!    `%2F` stays, it is inside an argument);
//! 2. OData key syntax as segments (`/users('8a…')/messages` is `/users/8a…/messages`,
//!    `/users(id='8a…')` too); a function call such as `range(address='A1')` is left
//!    alone when a template names it;
//! 3. a tenant segment before the resource, as some clients write it
//!    (`/contoso.onmicrosoft.com/users`, `/{tenant-guid}/users`);
//! 4. `/me/…` as `/users/me/…`: the signed-in user's resources are the users' resources;
//! 5. a final cast to a derived type dropped (`/users/1/memberOf/microsoft.graph.group`
//!    is `/users/1/memberOf`, its items filtered to groups) when no operation names it.
//!
//! Last, a path ending in `/$count` is the number of items of the collection the rest of
//! the path addresses ([`RequestMatch::count`]): `GET /users/$count` is `user::ListUsers`'s
//! count, with its permissions.
//!
//! The emulator, `graphspec show` and `graphspec audit` route with this one rule.

use crate::base::ApiVersion;
use crate::endpoint::{OperationInfo, ResponseKind};
use graphspec_spec::Method;

/// A request matched to an operation.
#[derive(Debug, Clone)]
pub struct RequestMatch {
    /// The operation.
    pub operation: &'static OperationInfo,
    /// Index of the matched form in [`OperationInfo::paths`].
    pub form: usize,
    /// The path arguments, percent-decoded, in the form's parameter order.
    pub args: Vec<String>,
    /// The forms of the request tried before this one matched (empty when it matched as
    /// written): `percent-decoded`, `key-syntax`, `tenant-dropped`, `me-is-users`,
    /// `cast-dropped`, and `count` for a `/$count` request ([`RequestMatch::count`]).
    pub rewrites: Vec<&'static str>,
    /// Whether the request asks for the number of items of the operation's collection
    /// (`GET /users/$count`): the answer is a bare number (`text/plain`), and the
    /// operation's permissions apply.
    pub count: bool,
}

/// A request line, URL or path taken apart ([`parse_request`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParsedRequest {
    /// The method, when the line names one.
    pub method: Option<Method>,
    /// The API version, when the URL names one (`v1.0`, `beta`).
    pub version: Option<ApiVersion>,
    /// The path from the resource on (`/users/8a…/messages`), without the query.
    pub path: String,
    /// The query string, without `?`.
    pub query: Option<String>,
}

/// Takes apart `GET https://graph.microsoft.com/v1.0/users/1?$top=5`, a URL without a
/// method, or a path (`/users/1`, `users/1`, `v1.0/users/1`). Any host is accepted (national
/// clouds, the emulator, a proxy); the method is matched case-insensitively; an HTTP
/// version after the URL (`HTTP/1.1`) is ignored.
pub fn parse_request(line: &str) -> Result<ParsedRequest, RouteError> {
    let mut words = line.split_whitespace();
    let first = words.next().ok_or(RouteError::Empty)?;
    let (method, target) = match Method::parse(&first.to_ascii_uppercase()) {
        Some(method) => (Some(method), words.next().ok_or(RouteError::NoTarget)?),
        None => (None, first),
    };
    if let Some(extra) = words.find(|w| !w.starts_with("HTTP/")) {
        return Err(RouteError::Unexpected(extra.to_owned()));
    }
    // Quotes around the target are the log's or the prose's; a closing `'` that pairs
    // with one inside is the URL's own (`$filter=id eq '1'`).
    let target = graphspec_spec::path::strip_quotes(
        target.trim_matches(|c| matches!(c, '"' | '`' | '<' | '>')),
    );
    let without_fragment = target.split('#').next().unwrap_or(target);
    let (before_query, query) = match without_fragment.split_once('?') {
        Some((p, q)) => (p, Some(q.to_owned())),
        None => (without_fragment, None),
    };
    let mut path = match before_query.split_once("://") {
        Some((_, rest)) => match rest.find('/') {
            Some(slash) => &rest[slash..],
            None => "/",
        },
        None => before_query,
    }
    .to_owned();
    if !path.starts_with('/') {
        path.insert(0, '/');
    }
    let mut version = None;
    let first_segment = path[1..].split('/').next().unwrap_or_default().to_owned();
    for candidate in [ApiVersion::V1, ApiVersion::Beta] {
        if first_segment.eq_ignore_ascii_case(candidate.as_str()) {
            version = Some(candidate);
            path = path[1 + first_segment.len()..].to_owned();
            if path.is_empty() {
                path.push('/');
            }
        }
    }
    Ok(ParsedRequest {
        method,
        version,
        path,
        query,
    })
}

/// Why a request line could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RouteError {
    /// Nothing was given.
    #[error("the request is empty")]
    Empty,
    /// A method without a URL or path.
    #[error("a method but no URL or path after it")]
    NoTarget,
    /// More words than `METHOD URL [HTTP/x]`.
    #[error("unexpected `{0}` after the URL (write `METHOD URL`)")]
    Unexpected(String),
}

/// The operation among `operations` that serves `method path?query` (see [the
/// module](self)); `query` is the query string without `?`. `version`, when known, keeps
/// operations of the other version out.
pub fn find(
    operations: &[&'static OperationInfo],
    method: Method,
    version: Option<ApiVersion>,
    path: &str,
    query: Option<&str>,
) -> Option<RequestMatch> {
    let candidate = |op: &&'static OperationInfo| {
        (op.method == method && version.is_none_or(|v| op.version == v)).then_some(*op)
    };
    find_among(operations, candidate, path, query).map(|(_, found)| found)
}

/// The most specific match of `path` and `query` (without `?`) among `candidates`, each
/// of which is an operation when `operation` says so (`None` leaves it out: another
/// method, say): as written, or else in the first of [`forms`] that matches. The form
/// with the most fixed query options wins, then the one with the most literal text; on
/// a tie, the first candidate. Returns the candidate and the match.
///
/// A path that ends in `/$count` (`/users/$count`) and matches nothing as written is the
/// count of the collection the rest of the path addresses: it is matched, the same way,
/// among the `GET` operations that answer a collection, and the match says
/// [`count`](RequestMatch::count).
pub fn find_among<'c, C>(
    candidates: &'c [C],
    operation: impl Fn(&C) -> Option<&'static OperationInfo>,
    path: &str,
    query: Option<&str>,
) -> Option<(&'c C, RequestMatch)> {
    if let Some(found) = find_written(candidates, &operation, path, query) {
        return Some(found);
    }
    let collection = |c: &C| {
        operation(c).filter(|op| {
            op.method == Method::Get && matches!(op.response.kind, ResponseKind::Collection(_))
        })
    };
    let counted = count_of(path)?;
    let (candidate, mut found) = find_written(candidates, &collection, counted, query)?;
    found.rewrites.insert(0, "count");
    found.count = true;
    Some((candidate, found))
}

/// `path` without a final `/$count` segment (any case, `$` percent-encoded or not);
/// `None` when it does not end so.
fn count_of(path: &str) -> Option<&str> {
    let path = path.strip_suffix('/').unwrap_or(path);
    let (rest, last) = path.rsplit_once('/')?;
    let counts = last.eq_ignore_ascii_case("$count") || last.eq_ignore_ascii_case("%24count");
    (counts && !rest.is_empty()).then_some(rest)
}

/// [`find_among`] without the `/$count` reading: as written, then the rewrites.
fn find_written<'c, C>(
    candidates: &'c [C],
    operation: &impl Fn(&C) -> Option<&'static OperationInfo>,
    path: &str,
    query: Option<&str>,
) -> Option<(&'c C, RequestMatch)> {
    if let Some(found) = best(candidates, operation, path, query) {
        return Some(found);
    }
    // The rewrites are computed only when the path as written matches nothing.
    for (path, rewrites) in forms(path).into_iter().skip(1) {
        if let Some((candidate, mut found)) = best(candidates, operation, &path, query) {
            found.rewrites = rewrites;
            return Some((candidate, found));
        }
    }
    None
}

/// The forms of `path` to try, in order: as written, then after each rewrite of [the
/// module](self) that changes it (cumulative), with the rewrites applied. A router takes
/// the first form that matches.
pub fn forms(path: &str) -> Vec<(String, Vec<&'static str>)> {
    type Rewrite = (&'static str, fn(&str) -> Option<String>);
    const REWRITES: [Rewrite; 5] = [
        ("percent-decoded", decode_literals),
        ("key-syntax", key_segments),
        ("tenant-dropped", drop_tenant),
        ("me-is-users", me_is_users),
        ("cast-dropped", drop_cast),
    ];
    let mut out = vec![(path.to_owned(), Vec::new())];
    let mut current = path.to_owned();
    let mut applied: Vec<&'static str> = Vec::new();
    for (name, rewrite) in REWRITES {
        if let Some(next) = rewrite(&current) {
            current = next;
            applied.push(name);
            out.push((current.clone(), applied.clone()));
        }
    }
    out
}

/// The most specific matching form of `candidates`: most fixed query options, then most
/// literal text.
fn best<'c, C>(
    candidates: &'c [C],
    operation: &impl Fn(&C) -> Option<&'static OperationInfo>,
    path: &str,
    query: Option<&str>,
) -> Option<(&'c C, RequestMatch)> {
    let mut best: Option<((usize, usize), &'c C, RequestMatch)> = None;
    for candidate in candidates {
        let Some(op) = operation(candidate) else {
            continue;
        };
        for (form, template) in op.paths.iter().enumerate() {
            if let Some(args) = template.match_request(path, query) {
                let score = (template.query.len(), template.literal_len());
                if best.as_ref().is_none_or(|(s, _, _)| score > *s) {
                    let found = RequestMatch {
                        operation: op,
                        form,
                        args,
                        rewrites: Vec::new(),
                        count: false,
                    };
                    best = Some((score, candidate, found));
                }
            }
        }
    }
    best.map(|(_, candidate, found)| (candidate, found))
}

/// Decodes `%XX` escapes of characters that cannot be part of an argument's delimiters
/// (everything but `/`, `?`, `#`, `%`), so `%24value` reads `$value`.
fn decode_literals(path: &str) -> Option<String> {
    if !path.contains('%') {
        return None;
    }
    let bytes = path.as_bytes();
    let mut out: Vec<u8> = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%'
            && i + 2 < bytes.len()
            && let (Some(h), Some(l)) = (hex(bytes[i + 1]), hex(bytes[i + 2]))
        {
            let byte = h * 16 + l;
            if byte.is_ascii()
                && !byte.is_ascii_control()
                && !matches!(byte, b'/' | b'?' | b'#' | b'%')
            {
                out.push(byte);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    let decoded = String::from_utf8(out).ok()?;
    (decoded != path).then_some(decoded)
}

fn hex(b: u8) -> Option<u8> {
    (b as char).to_digit(16).map(|d| d as u8)
}

/// `/users('1')/x` → `/users/1/x`; `/users(id='1')` → `/users/1`.
fn key_segments(path: &str) -> Option<String> {
    let mut changed = false;
    let segments: Vec<String> = path
        .split('/')
        .map(|segment| {
            if let Some(open) = segment.find('(')
                && open > 0
                && segment.ends_with(')')
            {
                let inner = &segment[open + 1..segment.len() - 1];
                let value = inner.split_once('=').map_or(inner, |(_, v)| v);
                let plain = !inner.contains(',') && !inner.is_empty();
                if plain {
                    let value = value.trim_matches('\'');
                    changed = true;
                    return format!("{}/{}", &segment[..open], value);
                }
            }
            segment.to_owned()
        })
        .collect();
    changed.then(|| segments.join("/"))
}

/// `/contoso.onmicrosoft.com/users` or `/{guid}/users` → `/users`.
fn drop_tenant(path: &str) -> Option<String> {
    let rest = path.strip_prefix('/')?;
    let (first, after) = rest.split_once('/')?;
    let guid = first.len() == 36
        && first.chars().enumerate().all(|(i, c)| {
            if matches!(i, 8 | 13 | 18 | 23) {
                c == '-'
            } else {
                c.is_ascii_hexdigit()
            }
        });
    let domain = first.contains('.') && !first.contains('(');
    (guid || domain).then(|| format!("/{after}"))
}

/// `/users/1/memberOf/microsoft.graph.group` → `/users/1/memberOf`: a collection cast to
/// a derived type (OData's type segment, last) is the collection's request, its items
/// filtered to that type.
fn drop_cast(path: &str) -> Option<String> {
    let (rest, last) = path.trim_end_matches('/').rsplit_once('/')?;
    let name = last
        .get(..16)
        .filter(|p| p.eq_ignore_ascii_case("microsoft.graph."))
        .map(|_| &last[16..])?;
    let plain = !name.is_empty() && name.chars().all(|c| c.is_ascii_alphanumeric());
    (plain && !rest.is_empty()).then(|| rest.to_owned())
}

/// `/me/x` → `/users/me/x`.
fn me_is_users(path: &str) -> Option<String> {
    let lower = path.to_ascii_lowercase();
    (lower == "/me" || lower.starts_with("/me/")).then(|| format!("/users/me{}", &path[3..]))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn request_lines_urls_and_paths() {
        let r =
            parse_request("get https://graph.microsoft.com/v1.0/users/8a/messages?$top=5 HTTP/1.1")
                .unwrap();
        assert_eq!(r.method, Some(Method::Get));
        assert_eq!(r.version, Some(ApiVersion::V1));
        assert_eq!(r.path, "/users/8a/messages");
        assert_eq!(r.query.as_deref(), Some("$top=5"));
        let r = parse_request("https://graph.microsoft.us/beta/me").unwrap();
        assert_eq!(
            (r.method, r.version, r.path.as_str()),
            (None, Some(ApiVersion::Beta), "/me")
        );
        assert_eq!(parse_request("users/1").unwrap().path, "/users/1");
        assert_eq!(parse_request("V1.0/users").unwrap().path, "/users");
        // A closing `'` of an OData string literal is the URL's; quotes around the target
        // are not.
        let query = |line: &str| parse_request(line).unwrap().query;
        assert_eq!(
            query("GET /me/onlineMeetings?$filter=JoinWebUrl%20eq%20'a'").as_deref(),
            Some("$filter=JoinWebUrl%20eq%20'a'")
        );
        assert_eq!(
            query("'/users?$filter=id%20eq%20'1''").as_deref(),
            Some("$filter=id%20eq%20'1'")
        );
        assert_eq!(query("\"/users?$top=1\"").as_deref(), Some("$top=1"));
        assert_eq!(query("/users?$top=1'").as_deref(), Some("$top=1"));
        assert_eq!(parse_request(" "), Err(RouteError::Empty));
        assert_eq!(parse_request("GET"), Err(RouteError::NoTarget));
        assert!(matches!(
            parse_request("GET /a b"),
            Err(RouteError::Unexpected(_))
        ));
    }

    #[test]
    fn rewrites() {
        assert_eq!(
            decode_literals("/users/1/%24value").as_deref(),
            Some("/users/1/$value")
        );
        assert_eq!(decode_literals("/users/a%2Fb"), None);
        assert_eq!(decode_literals("/users/%"), None);
        assert_eq!(decode_literals("/users/%e"), None);
        assert_eq!(
            key_segments("/users('8a')/messages").as_deref(),
            Some("/users/8a/messages")
        );
        assert_eq!(
            key_segments("/users(id='8a')").as_deref(),
            Some("/users/8a")
        );
        assert_eq!(key_segments("/users/8a"), None);
        assert_eq!(
            drop_tenant("/contoso.onmicrosoft.com/users").as_deref(),
            Some("/users")
        );
        assert_eq!(
            drop_tenant("/72f988bf-86f1-41af-91ab-2d7cd011db47/users").as_deref(),
            Some("/users")
        );
        assert_eq!(drop_tenant("/users/1"), None);
        assert_eq!(
            me_is_users("/me/messages").as_deref(),
            Some("/users/me/messages")
        );
        assert_eq!(me_is_users("/messages"), None);
        assert_eq!(
            drop_cast("/users/1/memberOf/microsoft.graph.group").as_deref(),
            Some("/users/1/memberOf")
        );
        assert_eq!(drop_cast("/users/1/memberOf/microsoft.graph."), None);
        assert_eq!(drop_cast("/microsoft.graph.group"), None);
        assert_eq!(count_of("/users/$count"), Some("/users"));
        assert_eq!(count_of("/me/messages/%24COUNT/"), Some("/me/messages"));
        assert_eq!(count_of("/$count"), None);
        assert_eq!(count_of("/users/$counts"), None);
    }
}
