//! Routing request URLs to the operations of read pages: which operation a concrete
//! request (`GET https://graph.microsoft.com/v1.0/users/123/messages/abc`) calls, with the
//! path parameters it carries. This measures the page model: every example request of a
//! page should reach its own page's operation ([`route_examples`]).
//!
//! # Matching
//!
//! Templates are parsed and matched by graphspec's one rule,
//! [`graphspec_spec::path::match_path`]: literal text matches ASCII case-insensitively,
//! as Graph treats paths; every parameter matches a non-empty run without `/` (a
//! parameter right after `:/`, a drive item path, may contain `/` but not `:`); a
//! parameter that is a whole path segment never captures an OData function call
//! (`getPstnCalls(…)`), so a function is not mistaken for an id; the shortest capture
//! that lets the rest match is taken. Before matching, scheme, host and version (`v1.0`,
//! `beta`, `v1`) are removed, then the query string; whitespace outside quotes and stray
//! trailing punctuation are dropped.
//!
//! # Choosing among matches
//!
//! 1. The most literal characters win (`/me/messages/delta` beats `/me/messages/{id}`).
//! 2. Then the best agreement between the request's query and the query the form was
//!    documented with: +1 for each documented option the request has (same name, and
//!    same first word of the value when both have one), −2 for each it lacks or has
//!    with another word. (A request line whose meaning is in its query string is not a
//!    form, see `read::forms`, so this rarely decides: forms keep a query only on a path
//!    that is their page's own.)
//! 3. When the remaining templates are the same endpoint documented on several pages
//!    (same method and template up to parameter names), the page that owns it by the
//!    importer's rule ([`crate::identity`]: a form written without a query string, then
//!    the page whose resource names the literal segment nearest the end —
//!    `/me/calendar/events` belongs to `calendar-…`, not `user-…` — then the page whose
//!    first form it is, fewer forms, file name order); the import generates only the
//!    owner's form. The others are listed in [`RouteMatch::shared_with`].
//! 4. Different templates that still tie are [`Routed::Ambiguous`].
//!
//! # Equivalent paths
//!
//! When nothing matches, Graph's documented path equivalences are tried, in this order
//! and combined: `/me/…` is `/users/{id}/…`; `/drive/…` is `/me/drive/…`; an item
//! addressed by path (`…/root:/a/b.txt:/…`, `…/items/{id}:/b.txt:/…`) is one item id
//! (`…/items/root:%2Fa%2Fb.txt:/…`); `…/drive/root…` and `…/drives/{id}/root…` are
//! `…/items/root…`; a trailing OData type cast
//! (`/microsoft.graph.group`) or `/$count` narrows the same collection; a function
//! called with arguments (`rowsAbove(count=2)`) is the function the template names
//! without them, and a function template with arguments (`rowsAbove(count={count})`)
//! also matches a call without them. Last, one or two leading namespace segments are
//! dropped (`/solutions/bookingBusinesses/…` is `/bookingBusinesses/…`,
//! `/identityGovernance/termsOfUse/agreements/…` is `/agreements/…`: entity sets Graph
//! moved under a namespace keep their old path). The equivalences used are in
//! [`RouteMatch::equivalences`].

use std::collections::HashMap;

use graphspec_spec::path::{self, Piece, QueryOption, literal_len, match_path, placeholder_name};

use crate::identity::{Candidate, owner_rank};
use crate::page::PageResult;
use crate::read::request::{split_query, strip_base};
use crate::read::shape_of;

#[derive(Debug, Clone)]
struct Route {
    page: usize,
    form: usize,
    method: String,
    pieces: Vec<Piece<String>>,
    /// The form's fixed query options (`format={format}`).
    fixed: Vec<QueryOption<String, Vec<Piece<String>>>>,
    /// Each parameter's name (the placeholder's text before `|`), in order: the path's,
    /// then the fixed query's.
    params: Vec<String>,
    /// Specificity: the number of fixed query options, then of literal characters.
    literal_len: (usize, usize),
    shape: String,
    /// The form's path template as written.
    template: String,
    /// Whether the form was written with a query string.
    with_query: bool,
    query: Vec<(String, Option<String>)>,
    /// A function template with its arguments left out (tried after the exact ones).
    relaxed: bool,
}

#[derive(Debug, Clone)]
struct PageFacts {
    resource: String,
    stem: String,
    forms: usize,
}

/// Routes request URLs to the operations of a set of pages.
#[derive(Debug, Clone, Default)]
pub struct Router {
    routes: Vec<Route>,
    pages: Vec<PageFacts>,
    by_first: HashMap<String, Vec<usize>>,
    wildcard: Vec<usize>,
}

/// The template a request matched.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct RouteMatch {
    /// Index of the page (in the slice the router was built from).
    pub page: usize,
    /// Index of the request form among the page's forms ([`PageResult::forms`]: its
    /// operation's, then its sections' operations').
    pub form: usize,
    /// Path parameters: placeholder name (text before `|`) and the value in the request.
    pub params: Vec<(String, String)>,
    /// Other pages that document the same endpoint (same method and template); the
    /// request went to [`RouteMatch::page`] by the ownership rule.
    pub shared_with: Vec<usize>,
    /// The path equivalences applied to find the match (empty for a direct match).
    pub equivalences: Vec<&'static str>,
}

/// The outcome of routing one request.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[serde(tag = "outcome", rename_all = "kebab-case")]
pub enum Routed {
    /// One operation matches best.
    Matched(RouteMatch),
    /// Different templates match equally well.
    Ambiguous {
        /// The best matches.
        candidates: Vec<RouteMatch>,
    },
    /// No template matches.
    NoMatch,
    /// The URL is not a Microsoft Graph URL (an upload URL, a download URL).
    NotGraph {
        /// The host.
        host: String,
    },
}

impl Router {
    /// Compiles the request forms of every page's operation.
    pub fn new(pages: &[PageResult]) -> Router {
        let mut router = Router::default();
        for (page_index, page) in pages.iter().enumerate() {
            router.pages.push(PageFacts {
                resource: page.resource.trim_end_matches('_').to_ascii_lowercase(),
                stem: page.page.clone(),
                forms: page.operations().map(|op| op.forms.len()).sum(),
            });
            for (form_index, (form, written)) in page.forms().into_iter().enumerate() {
                let query = written.map(query_tokens).unwrap_or_default();
                let template = form.path.value.as_str();
                let mut templates = vec![(template.to_owned(), false)];
                let fixed_query = &template[path::path_part(template).len()..];
                if let Some((head, last)) = path::path_part(template).rsplit_once('/')
                    && let Some(open) = last.find('(')
                    && open > 0
                    && last.ends_with(')')
                {
                    templates.push((format!("{head}/{}{fixed_query}", &last[..open]), true));
                }
                for (template, relaxed) in templates {
                    let (parsed, _) = path::parse(&template);
                    let literal_len = (parsed.query.len(), literal_len(&parsed.pieces));
                    let key = first_segment_of_pieces(&parsed.pieces);
                    let index = router.routes.len();
                    router.routes.push(Route {
                        page: page_index,
                        form: form_index,
                        method: form.method.value.to_ascii_uppercase(),
                        params: parsed
                            .params
                            .iter()
                            .map(|raw| placeholder_name(raw).to_owned())
                            .collect(),
                        pieces: parsed.pieces,
                        fixed: parsed.query,
                        literal_len,
                        shape: shape_of(&form.path.value),
                        template: form.path.value.clone(),
                        with_query: written.is_some(),
                        query: query.clone(),
                        relaxed,
                    });
                    match key {
                        Some(k) => router.by_first.entry(k).or_default().push(index),
                        None => router.wildcard.push(index),
                    }
                }
            }
        }
        router
    }

    /// Number of compiled templates.
    pub fn len(&self) -> usize {
        self.routes.len()
    }

    /// Whether no template was compiled.
    pub fn is_empty(&self) -> bool {
        self.routes.is_empty()
    }

    /// Routes `method url`; `url` may be a full URL (`https://graph.microsoft.com/v1.0/…`)
    /// or a path, with or without a query string.
    pub fn route(&self, method: &str, url: &str) -> Routed {
        // A closing `'` belongs to the URL when it closes an OData string literal
        // (`$filter=id eq '123'`); an unpaired one is the prose's quote.
        let url = path::strip_quotes(url.trim().trim_end_matches(['`', '"', ',', ';']));
        let (path, host, _) = strip_base(url);
        if let Some(host) = host
            && !host.contains("graph.microsoft")
        {
            return Routed::NotGraph { host };
        }
        let path = strip_short_version(&path);
        let (path, raw_query) = split_query(&path);
        let path = clean_path(path);
        let query = raw_query.map(query_tokens).unwrap_or_default();
        let method = method.to_ascii_uppercase();
        // Last resort: the entity set written under a namespace it has moved to
        // (`/solutions/bookingBusinesses/…` for `/bookingBusinesses/…`).
        let mut tries: Vec<(String, Option<&'static str>)> = vec![(path.clone(), None)];
        let segments: Vec<&str> = path.split('/').filter(|s| !s.is_empty()).collect();
        for k in 1..=2 {
            if segments.len() > k + 1
                && segments[..k]
                    .iter()
                    .all(|s| s.chars().all(|c| c.is_ascii_alphanumeric()))
            {
                tries.push((
                    format!("/{}", segments[k..].join("/")),
                    Some("namespace-dropped"),
                ));
            }
        }
        for (base, namespace) in tries {
            for (variant, equivalences) in variants(&base) {
                for relaxed in [false, true] {
                    match self.route_path(&method, &variant, (raw_query, &query), relaxed) {
                        Routed::NoMatch => continue,
                        Routed::Matched(mut m) => {
                            m.equivalences.extend(namespace);
                            m.equivalences.extend(equivalences);
                            if relaxed {
                                m.equivalences.push("function-arguments-omitted");
                            }
                            return Routed::Matched(m);
                        }
                        other => return other,
                    }
                }
            }
        }
        Routed::NoMatch
    }

    fn route_path(
        &self,
        method: &str,
        path: &str,
        (raw_query, query): (Option<&str>, &[(String, Option<String>)]),
        relaxed: bool,
    ) -> Routed {
        let lower = path.to_ascii_lowercase();
        let key = first_segment(&lower);
        let candidates = self
            .by_first
            .get(key)
            .into_iter()
            .flatten()
            .chain(self.wildcard.iter());
        // (literal length, query score, route index, captures)
        let mut found: Vec<Found> = Vec::new();
        for &index in candidates {
            let route = &self.routes[index];
            if route.method != method || route.relaxed != relaxed {
                continue;
            }
            if let Some(values) = match_path(&route.pieces, path)
                && let Some(fixed) = path::match_query(&route.fixed, raw_query)
            {
                let mut captures: Vec<(String, String)> = route
                    .params
                    .iter()
                    .zip(values)
                    .map(|(name, value)| (name.clone(), value.to_owned()))
                    .collect();
                captures.extend(
                    fixed.into_iter().map(|(n, value)| {
                        (route.params.get(n).cloned().unwrap_or_default(), value)
                    }),
                );
                let score = query_score(query, &route.query);
                found.push((route.literal_len, score, index, captures));
            }
        }
        let Some(best_len) = found.iter().map(|f| f.0).max() else {
            return Routed::NoMatch;
        };
        found.retain(|f| f.0 == best_len);
        let best_score = found.iter().map(|f| f.1).max().unwrap_or(0);
        found.retain(|f| f.1 == best_score);
        let to_match = |(_, _, index, params): Found| {
            let route = &self.routes[index];
            RouteMatch {
                page: route.page,
                form: route.form,
                params,
                shared_with: Vec::new(),
                equivalences: Vec::new(),
            }
        };
        let first_shape = found
            .first()
            .map(|f| self.routes[f.2].shape.clone())
            .unwrap_or_default();
        let same_endpoint = found.iter().all(|f| self.routes[f.2].shape == first_shape);
        let pages: Vec<usize> = {
            let mut p: Vec<usize> = found.iter().map(|f| self.routes[f.2].page).collect();
            p.sort_unstable();
            p.dedup();
            p
        };
        if pages.len() <= 1 {
            return match found.into_iter().next() {
                Some(f) => Routed::Matched(to_match(f)),
                None => Routed::NoMatch,
            };
        }
        if !same_endpoint {
            return Routed::Ambiguous {
                candidates: found.into_iter().map(to_match).collect(),
            };
        }
        // One endpoint on several pages: the owner rule, the importer's (`identity`).
        let owner_key = |f: &Found| {
            let route = &self.routes[f.2];
            let page = &self.pages[route.page];
            owner_rank(
                &route.template,
                &Candidate {
                    resource: &page.resource,
                    stem: &page.stem,
                    form: route.form,
                    forms: page.forms,
                    with_query: route.with_query,
                },
            )
        };
        let owner_index = found
            .iter()
            .enumerate()
            .min_by_key(|(_, f)| owner_key(f))
            .map(|(i, _)| i)
            .unwrap_or(0);
        let owner = found.swap_remove(owner_index);
        let owner_page = self.routes[owner.2].page;
        let mut m = to_match(owner);
        m.shared_with = pages.into_iter().filter(|&p| p != owner_page).collect();
        Routed::Matched(m)
    }
}

/// A matching route: literal length, query score, route index, captures.
type Found = ((usize, usize), i64, usize, Vec<(String, String)>);

/// `https://graph.microsoft.com/v1/…` (a typo of `v1.0`) leaves `/v1/…`: drop it.
fn strip_short_version(path: &str) -> String {
    let lower = path.to_ascii_lowercase();
    if lower.starts_with("/v1/") || lower == "/v1" {
        path[3..].to_owned()
    } else {
        path.to_owned()
    }
}

/// Whitespace outside quotes removed, trailing `/` removed.
fn clean_path(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    let mut quote = false;
    for c in path.chars() {
        if c == '\'' {
            quote = !quote;
        }
        if c.is_whitespace() && !quote {
            continue;
        }
        out.push(c);
    }
    while out.len() > 1 && out.ends_with('/') {
        out.pop();
    }
    if out.is_empty() {
        out.push('/');
    }
    out
}

/// The paths to try for `path`: itself, then with equivalences applied (module docs).
fn variants(path: &str) -> Vec<(String, Vec<&'static str>)> {
    type Rule = (&'static str, fn(&str) -> Option<String>);
    const RULES: [Rule; 7] = [
        ("me-is-users", |p| {
            let lower = p.to_ascii_lowercase();
            (lower == "/me" || lower.starts_with("/me/")).then(|| format!("/users/me{}", &p[3..]))
        }),
        ("drive-is-me-drive", |p| {
            let lower = p.to_ascii_lowercase();
            (lower == "/drive" || lower.starts_with("/drive/")).then(|| format!("/me{p}"))
        }),
        ("item-by-path", item_by_path),
        ("drive-root-is-item", drive_root_is_item),
        ("type-cast", |p| {
            let (head, last) = p.rsplit_once('/')?;
            last.to_ascii_lowercase()
                .starts_with("microsoft.graph.")
                .then(|| head.to_owned())
        }),
        ("count", |p| {
            let (head, last) = p.rsplit_once('/')?;
            last.eq_ignore_ascii_case("$count").then(|| head.to_owned())
        }),
        ("function-arguments", |p| {
            let (head, last) = p.rsplit_once('/')?;
            let open = last.find('(')?;
            (last.ends_with(')') && open > 0).then(|| format!("{head}/{}", &last[..open]))
        }),
    ];
    let mut out: Vec<(String, Vec<&'static str>)> = vec![(path.to_owned(), Vec::new())];
    for (name, rule) in RULES {
        let mut added = Vec::new();
        for (p, used) in &out {
            if let Some(q) = rule(p)
                && !out.iter().any(|(x, _)| *x == q)
            {
                let mut used = used.clone();
                used.push(name);
                added.push((q, used));
            }
        }
        out.extend(added);
        if out.len() > 64 {
            break;
        }
    }
    // Fewer equivalences first (stable for equal counts).
    out.sort_by_key(|(_, used)| used.len());
    out
}

/// `…/root:/a/b.txt:/…` (an item addressed by its path) → `…/items/root:%2Fa%2Fb.txt:/…`:
/// the path-addressed item as one item id.
fn item_by_path(p: &str) -> Option<String> {
    let segments: Vec<&str> = p.split('/').collect();
    let start = segments
        .iter()
        .position(|s| s.len() > 1 && s.ends_with(':') && !s.contains('('))?;
    if start == 0 || start + 1 >= segments.len() {
        return None;
    }
    // The item path runs to the segment that ends with `:` (or to the end).
    let end = (start + 1..segments.len())
        .find(|&i| segments[i].ends_with(':'))
        .unwrap_or(segments.len() - 1);
    let head = segments[..start].join("/");
    let item = segments[start..=end].join("%2F");
    let after_items = segments[start - 1].eq_ignore_ascii_case("items");
    let mut out = if after_items {
        format!("{head}/{item}")
    } else if segments[start].eq_ignore_ascii_case("root:") {
        format!("{head}/items/{item}")
    } else {
        return None;
    };
    for t in &segments[end + 1..] {
        out.push('/');
        out.push_str(t);
    }
    Some(out)
}

/// `…/drive/root…` and `…/drives/{id}/root…` → `…/items/root…`.
fn drive_root_is_item(p: &str) -> Option<String> {
    let segments: Vec<&str> = p.split('/').collect();
    let at = segments.iter().enumerate().position(|(i, s)| {
        let word = s.split(':').next().unwrap_or("");
        word.eq_ignore_ascii_case("root")
            && ((i >= 1 && segments[i - 1].eq_ignore_ascii_case("drive"))
                || (i >= 2 && segments[i - 2].eq_ignore_ascii_case("drives")))
    })?;
    let mut out: Vec<&str> = segments[..at].to_vec();
    out.push("items");
    out.extend_from_slice(&segments[at..]);
    Some(out.join("/"))
}

/// Query options as `(name, first word of the value)`, lower-cased.
fn query_tokens(query: &str) -> Vec<(String, Option<String>)> {
    let mut out = Vec::new();
    for part in query.split('&') {
        let (name, value) = part.split_once('=').unwrap_or((part, ""));
        let name = name.trim().to_ascii_lowercase();
        if name.is_empty() {
            continue;
        }
        let word: String = value
            .trim()
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '.' || *c == '$')
            .collect::<String>()
            .to_ascii_lowercase();
        let word = (!word.is_empty() && word.starts_with(|c: char| c.is_ascii_alphabetic()))
            .then_some(word);
        out.push((name, word));
    }
    out
}

/// Agreement of a request's query options with the ones a form was documented with:
/// each documented option the request has (with the same first word, when both have
/// one) counts +1; one it lacks, or has with another first word, counts −2.
fn query_score(request: &[(String, Option<String>)], form: &[(String, Option<String>)]) -> i64 {
    form.iter()
        .map(
            |(name, word)| match request.iter().find(|(n, _)| n == name) {
                Some((_, w)) => match (word, w) {
                    (Some(a), Some(b)) if a != b => -2,
                    _ => 1,
                },
                None => -2,
            },
        )
        .sum()
}

/// The first path segment (lower-cased input), up to `/`, `(` or `:`.
fn first_segment(lower: &str) -> &str {
    let rest = lower.trim_start_matches('/');
    let end = rest.find(['/', '(', ':']).unwrap_or(rest.len());
    &rest[..end]
}

/// The first path segment of a template's leading literal, ASCII lower-cased (the key
/// routes are indexed by); `None` when the template starts with a parameter.
fn first_segment_of_pieces(pieces: &[Piece<String>]) -> Option<String> {
    let first = pieces.first()?.literal()?;
    let rest = first.trim_start_matches('/');
    match rest.find(['/', '(', ':']) {
        Some(end) if end > 0 => Some(rest[..end].to_ascii_lowercase()),
        Some(_) => None,
        None if pieces.len() == 1 => Some(rest.to_ascii_lowercase()),
        None => None,
    }
}

/// How one example request routes over a corpus.
#[derive(Debug, Clone, serde::Serialize)]
pub struct ExampleRouting {
    /// Index of the page the example is on.
    pub page: usize,
    /// Index of the example in [`PageResult::examples`].
    pub example: usize,
    /// The outcome.
    pub routed: Routed,
    /// Whether it routed to exactly the operation of its own page.
    pub ok: bool,
    /// Whether it routed to another page that documents the same endpoint as its own
    /// page (same method and template; see [`RouteMatch::shared_with`]).
    pub shared: bool,
}

/// Routes every example request of `pages` over all their operations.
pub fn route_examples(pages: &[PageResult]) -> Vec<ExampleRouting> {
    let router = Router::new(pages);
    let mut out = Vec::new();
    for (page_index, page) in pages.iter().enumerate() {
        for (example_index, example) in page.examples.iter().enumerate() {
            let routed = router.route(&example.method, &example.url);
            let ok = matches!(&routed, Routed::Matched(m) if m.page == page_index);
            let shared =
                matches!(&routed, Routed::Matched(m) if m.shared_with.contains(&page_index));
            out.push(ExampleRouting {
                page: page_index,
                example: example_index,
                routed,
                ok,
                shared,
            });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn first_match(templates: &[&str], url: &str) -> Option<(usize, Vec<(String, String)>)> {
        let (path, _, _) = strip_base(url);
        let (path, _) = split_query(&path);
        let path = clean_path(path);
        let mut best: Option<Found> = None;
        for (i, t) in templates.iter().enumerate() {
            let (parsed, _) = path::parse(t);
            if let Some(values) = match_path(&parsed.pieces, &path) {
                let caps = parsed
                    .params
                    .iter()
                    .zip(values)
                    .map(|(raw, value)| (placeholder_name(raw).to_owned(), value.to_owned()))
                    .collect();
                let score = (0, literal_len(&parsed.pieces));
                if best.as_ref().is_none_or(|(s, _, _, _)| score > *s) {
                    best = Some((score, 0, i, caps));
                }
            }
        }
        best.map(|(_, _, i, c)| (i, c))
    }

    #[test]
    fn specific_templates_win_and_params_are_extracted() {
        let templates = [
            "/me/messages/{id}",
            "/me/messages/delta",
            "/users/{id | userPrincipalName}/messages/{message-id}",
            "/me/drive/root:/{item-path}:/content",
            "/me/drive/items/{item-id}/workbook/worksheets/{worksheet-id|name}/range(address='{address}')",
        ];
        assert_eq!(
            first_match(&templates, "/me/messages/delta").map(|r| r.0),
            Some(1)
        );
        assert_eq!(
            first_match(
                &templates,
                "https://graph.microsoft.com/v1.0/users/a%40b.com/messages/AAMk=?$select=id"
            ),
            Some((
                2,
                vec![
                    ("id".into(), "a%40b.com".into()),
                    ("message-id".into(), "AAMk=".into())
                ]
            ))
        );
        assert_eq!(
            first_match(&templates, "/me/drive/root:/FolderA/File.txt:/content"),
            Some((3, vec![("item-path".into(), "FolderA/File.txt".into())]))
        );
        assert_eq!(
            first_match(
                &templates,
                "/me/drive/items/01/workbook/worksheets/Sheet1/range(address='A1:B2')"
            ),
            Some((
                4,
                vec![
                    ("item-id".into(), "01".into()),
                    ("worksheet-id".into(), "Sheet1".into()),
                    ("address".into(), "A1:B2".into())
                ]
            ))
        );
        assert_eq!(first_match(&templates, "/me/messages"), None);
    }

    #[test]
    fn equivalences() {
        let v: Vec<String> = variants("/me/drive/root/children")
            .into_iter()
            .map(|(p, _)| p)
            .collect();
        assert!(v.contains(&"/users/me/drive/root/children".to_owned()));
        assert!(v.contains(&"/me/drive/items/root/children".to_owned()));
        assert!(v.contains(&"/users/me/drive/items/root/children".to_owned()));
        let v: Vec<String> = variants("/drives/d/root:/a/b.txt:/children")
            .into_iter()
            .map(|(p, _)| p)
            .collect();
        assert!(
            v.contains(&"/drives/d/items/root:%2Fa%2Fb.txt:/children".to_owned()),
            "{v:?}"
        );
        let v: Vec<String> = variants("/groups/1/members/microsoft.graph.user")
            .into_iter()
            .map(|(p, _)| p)
            .collect();
        assert_eq!(
            v,
            vec![
                "/groups/1/members/microsoft.graph.user",
                "/groups/1/members"
            ]
        );
    }

    #[test]
    fn query_agreement() {
        let form = query_tokens("$expand=singleValueExtendedProperties($filter=id eq '{id}')");
        let request = query_tokens("$expand=singleValueExtendedProperties($filter=id eq 'x')");
        assert_eq!(query_score(&request, &form), 1);
        assert_eq!(query_score(&[], &form), -2);
        assert_eq!(query_score(&request, &[]), 0);
        let other = query_tokens("$expand=microsoft.graph.eventMessage/event");
        assert_eq!(query_score(&other, &form), -2);
    }
}
