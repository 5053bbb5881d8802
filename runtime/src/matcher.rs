//! Matching a request path against operations' path templates: how a server (the
//! emulator) finds the operation, and so the permission table, of an incoming request.

use percent_encoding::percent_decode_str;

use crate::{Method, OperationInfo, PathTemplate, Piece};

/// An operation matched by [`find_operation`]: which one, which path form, and the
/// decoded path arguments.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PathMatch<'a> {
    /// The operation.
    pub info: &'a OperationInfo,
    /// Index of the matched form in [`OperationInfo::paths`].
    pub form: usize,
    /// The path arguments, percent-decoded, in the form's parameter order.
    pub args: Vec<String>,
}

/// Matches `path` (from `/`, after the API version, without query) against `template`.
/// Literal text compares ASCII-case-insensitively (Graph's paths are case-insensitive);
/// a parameter never spans a `/` and a whole-segment parameter is never empty. Returns
/// the percent-decoded arguments, or `None` when the path does not fit.
pub fn match_path(template: &PathTemplate, path: &str) -> Option<Vec<String>> {
    let path = path
        .strip_suffix('/')
        .filter(|p| !p.is_empty())
        .unwrap_or(path);
    let mut rest = path;
    let mut args = Vec::with_capacity(template.params.len());
    let pieces = template.pieces;
    for (i, piece) in pieces.iter().enumerate() {
        match *piece {
            Piece::Literal(text) => {
                let head = rest.get(..text.len())?;
                if !head.eq_ignore_ascii_case(text) {
                    return None;
                }
                rest = &rest[text.len()..];
            }
            Piece::Segment(_) | Piece::Embedded(_) => {
                // The value runs to the next literal within this segment, or to the end
                // of the segment when nothing follows.
                let segment_end = rest.find('/').unwrap_or(rest.len());
                let end = match pieces.get(i + 1) {
                    Some(Piece::Literal(next)) => {
                        find_ignore_case(rest, next).filter(|at| *at <= segment_end)?
                    }
                    Some(_) => return None,
                    None => {
                        if segment_end != rest.len() {
                            return None;
                        }
                        rest.len()
                    }
                };
                let raw = &rest[..end];
                if matches!(piece, Piece::Segment(_)) && raw.is_empty() {
                    return None;
                }
                let value = percent_decode_str(raw).decode_utf8().ok()?.into_owned();
                if matches!(piece, Piece::Segment(_)) && (value == "." || value == "..") {
                    return None;
                }
                args.push(value);
                rest = &rest[end..];
            }
        }
    }
    rest.is_empty().then_some(args)
}

fn find_ignore_case(haystack: &str, needle: &str) -> Option<usize> {
    if needle.is_empty() {
        return Some(0);
    }
    let (h, n) = (haystack.as_bytes(), needle.as_bytes());
    (0..=h.len().checked_sub(n.len())?).find(|&at| h[at..at + n.len()].eq_ignore_ascii_case(n))
}

/// The number of literal characters of a template: a match with more literal text is
/// more specific (`/users/delta` beats `/users/{id}`).
fn specificity(template: &PathTemplate) -> usize {
    template
        .pieces
        .iter()
        .map(|p| match p {
            Piece::Literal(text) => text.len(),
            _ => 0,
        })
        .sum()
}

/// Finds the operation among `operations` whose method is `method` and one of whose path
/// forms matches `path` (from `/`, after the API version). When several match, the one
/// with the most literal text wins.
pub fn find_operation<'a>(
    operations: &[&'a OperationInfo],
    method: Method,
    path: &str,
) -> Option<PathMatch<'a>> {
    let mut best: Option<(usize, PathMatch<'a>)> = None;
    for info in operations.iter().filter(|i| i.method == method) {
        for (form, template) in info.paths.iter().enumerate() {
            if let Some(args) = match_path(template, path) {
                let score = specificity(template);
                if best.as_ref().is_none_or(|(s, _)| score > *s) {
                    best = Some((score, PathMatch { info, form, args }));
                }
            }
        }
    }
    best.map(|(_, m)| m)
}

/// Whether some operation has a path form matching `path` under another method (so a
/// server answers 405 rather than 404).
pub fn path_known(operations: &[&OperationInfo], path: &str) -> bool {
    operations
        .iter()
        .any(|info| info.paths.iter().any(|t| match_path(t, path).is_some()))
}

impl Method {
    /// Parses an upper-case HTTP method name (`GET`, …) into one Graph uses.
    pub fn parse(text: &str) -> Option<Method> {
        match text {
            "GET" => Some(Method::Get),
            "POST" => Some(Method::Post),
            "PUT" => Some(Method::Put),
            "PATCH" => Some(Method::Patch),
            "DELETE" => Some(Method::Delete),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{
        ApiVersion, PermissionTable, RequestParts, ResponseKind, ResponseSpec, SchemePermissions,
    };

    const USER_ID: PathTemplate = PathTemplate {
        template: "/users/{id}/reprocessLicenseAssignment",
        pieces: &[
            Piece::Literal("/users/"),
            Piece::Segment(0),
            Piece::Literal("/reprocessLicenseAssignment"),
        ],
        params: &["id"],
        constructor: "new",
    };
    const USER: PathTemplate = PathTemplate {
        template: "/users/{id}",
        pieces: &[Piece::Literal("/users/"), Piece::Segment(0)],
        params: &["id"],
        constructor: "new",
    };
    const DELTA: PathTemplate = PathTemplate {
        template: "/users/delta",
        pieces: &[Piece::Literal("/users/delta")],
        params: &[],
        constructor: "new",
    };
    const REPORT: PathTemplate = PathTemplate {
        template: "/reports/getUsage(period='{period_value}')",
        pieces: &[
            Piece::Literal("/reports/getUsage(period='"),
            Piece::Embedded(0),
            Piece::Literal("')"),
        ],
        params: &["period_value"],
        constructor: "new",
    };
    const ITEM: PathTemplate = PathTemplate {
        template: "/drive/root:/{item-path}:/content",
        pieces: &[
            Piece::Literal("/drive/root:/"),
            Piece::Embedded(0),
            Piece::Literal(":/content"),
        ],
        params: &["item_path"],
        constructor: "new",
    };

    fn info(
        name: &'static str,
        method: Method,
        paths: &'static [PathTemplate],
    ) -> &'static OperationInfo {
        Box::leak(Box::new(OperationInfo {
            name,
            module_path: "graphspec::user",
            docs_page: None,
            summary: "",
            version: ApiVersion::V1,
            method,
            paths,
            permissions: PermissionTable {
                delegated_work: SchemePermissions::NoneRequired,
                delegated_personal: SchemePermissions::NoneRequired,
                application: SchemePermissions::NoneRequired,
            },
            headers: &[],
            body: None,
            response: ResponseSpec {
                status: 200,
                kind: ResponseKind::None,
            },
        }))
    }

    #[test]
    fn segments_literals_and_case() {
        assert_eq!(
            match_path(&USER_ID, "/users/47/reprocessLicenseAssignment"),
            Some(vec!["47".to_string()])
        );
        assert_eq!(
            match_path(&USER_ID, "/USERS/47/reprocesslicenseassignment"),
            Some(vec!["47".to_string()])
        );
        assert_eq!(
            match_path(&USER_ID, "/users//reprocessLicenseAssignment"),
            None
        );
        assert_eq!(
            match_path(&USER_ID, "/users/47/reprocessLicenseAssignmentX"),
            None
        );
        assert_eq!(match_path(&USER_ID, "/users/47"), None);
        assert_eq!(
            match_path(&USER, "/users/47/"),
            Some(vec!["47".to_string()])
        );
        assert_eq!(match_path(&USER, "/users/47/x"), None);
        assert_eq!(match_path(&USER, "/users/.."), None);
    }

    #[test]
    fn embedded_parameters() {
        assert_eq!(
            match_path(&REPORT, "/reports/getUsage(period='D7')"),
            Some(vec!["D7".to_string()])
        );
        assert_eq!(
            match_path(&ITEM, "/drive/root:/a%2Fb.txt:/content"),
            Some(vec!["a/b.txt".to_string()])
        );
        assert_eq!(match_path(&ITEM, "/drive/root:/a/b.txt:/content"), None);
    }

    #[test]
    fn round_trips_rendered_hostile_values() {
        let op = info("Get", Method::Get, &[USER]);
        for value in [
            "/",
            "?",
            "#",
            "%",
            " ",
            "é",
            "a/../b",
            "'",
            "ada@contoso.com",
        ] {
            let parts = RequestParts::new(0, vec![value.to_string()]);
            let mut path = String::new();
            parts.render_path(op, &mut path).unwrap();
            assert_eq!(
                match_path(&USER, &path),
                Some(vec![value.to_string()]),
                "{path}"
            );
        }
    }

    #[test]
    fn finds_the_most_specific_operation_by_method_and_path() {
        let get = info("Get", Method::Get, &[USER]);
        let delta = info("Delta", Method::Get, &[DELTA]);
        let reprocess = info("Reprocess", Method::Post, &[USER_ID]);
        let ops = [get, delta, reprocess];
        let m = find_operation(&ops, Method::Get, "/users/delta").unwrap();
        assert_eq!(m.info.name, "Delta");
        let m = find_operation(&ops, Method::Get, "/users/ada").unwrap();
        assert_eq!(
            (m.info.name, m.form, m.args),
            ("Get", 0, vec!["ada".to_string()])
        );
        assert!(
            find_operation(&ops, Method::Get, "/users/47/reprocessLicenseAssignment").is_none()
        );
        assert!(path_known(&ops, "/users/47/reprocessLicenseAssignment"));
        assert!(!path_known(&ops, "/groups/1"));
        assert_eq!(Method::parse("DELETE"), Some(Method::Delete));
        assert_eq!(Method::parse("HEAD"), None);
    }
}
