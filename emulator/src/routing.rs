//! Which operation a request is: its method and path matched against the served
//! operations' path templates ([`graphspec::PathTemplate::match_path`]), the most specific
//! template winning; a path that does not match as written is tried in the forms
//! [`graphspec::route::forms`] gives (OData key syntax, a tenant segment, percent-encoded
//! literals, `/me`), the rule `graphspec show` and `graphspec audit` use too.

use graphspec::{Method, OperationInfo};

use crate::handlers::{self, Handler};

/// A served operation and, when the emulator implements it, its handler.
#[derive(Clone, Copy)]
pub(crate) struct Route {
    /// The operation.
    pub(crate) info: &'static OperationInfo,
    /// What answers it; `None` for operations answered with 501.
    pub(crate) handler: Option<Handler>,
}

/// The routes of `operations`, implemented ones first (otherwise in their order): several
/// definitions can share a method and path (the docs document some endpoints on more than
/// one page, and a test may define its own), and a request then goes to the one the
/// tenant can answer.
pub(crate) fn routes(operations: &[&'static OperationInfo]) -> Vec<Route> {
    let mut routes: Vec<Route> = operations
        .iter()
        .map(|&info| Route {
            info,
            handler: handlers::handler_for(info),
        })
        .collect();
    routes.sort_by_key(|route| route.handler.is_none());
    routes
}

/// An operation matched by [`find_operation`]: which one, which path form, and the
/// decoded path arguments.
#[derive(Clone)]
pub(crate) struct PathMatch {
    /// The operation.
    pub(crate) info: &'static OperationInfo,
    /// What answers it, if the emulator implements it.
    pub(crate) handler: Option<Handler>,
    /// Index of the matched form in [`OperationInfo::paths`].
    pub(crate) form: usize,
    /// The path arguments, percent-decoded, in the form's parameter order.
    pub(crate) args: Vec<String>,
    /// Whether the request asks for the number of the operation's items (`…/$count`).
    pub(crate) count: bool,
}

/// Finds the route among `routes` whose method is `method` and one of whose request
/// forms matches `path` (from `/`, after the API version) and `query` (without `?`), by
/// [`graphspec::route::find_among`]: a form whose fixed query the request carries wins
/// (`/sites?search=x`), then the one with the most literal text (`/users/delta`
/// beats `/users/{id}`), on a tie the first; a path that matches nothing as written is
/// tried as clients' rewrites.
pub(crate) fn find_operation(
    routes: &[Route],
    method: Method,
    path: &str,
    query: Option<&str>,
) -> Option<PathMatch> {
    let served = |route: &Route| (route.info.method == method).then_some(route.info);
    graphspec::route::find_among(routes, served, path, query).map(|(route, found)| PathMatch {
        info: found.operation,
        handler: route.handler,
        form: found.form,
        args: found.args,
        count: found.count,
    })
}

/// Why a request that [`find_operation`] did not match is still known: a form of
/// `method` whose path matches but whose fixed query the request lacks (Graph answers
/// 400), or a form of another method (405).
pub(crate) enum Known {
    /// A form of this method with a fixed query the request does not carry.
    MissingQuery(&'static OperationInfo, &'static graphspec::PathTemplate),
    /// Forms of other methods only.
    OtherMethod,
}

/// Whether some route has a form whose path matches `path` (see [`Known`]).
pub(crate) fn path_known(routes: &[Route], method: Method, path: &str) -> Option<Known> {
    let mut other = false;
    for route in routes {
        for template in route.info.paths {
            if template.match_path(path).is_none() {
                continue;
            }
            if route.info.method == method {
                return Some(Known::MissingQuery(route.info, template));
            }
            other = true;
        }
    }
    other.then_some(Known::OtherMethod)
}

#[cfg(test)]
mod tests {
    use super::*;
    use graphspec::prelude::*;
    use graphspec::{
        ApiVersion, BaseUrl, PathTemplate, PermissionTable, Piece, RequestParts, ResponseKind,
        ResponseSpec, SchemePermissions,
    };

    const USER_ID: PathTemplate = PathTemplate {
        template: "/users/{id}/reprocessLicenseAssignment",
        pieces: &[
            Piece::Literal("/users/"),
            Piece::Segment(0),
            Piece::Literal("/reprocessLicenseAssignment"),
        ],
        query: &[],
        params: &["id"],
        constructor: "new",
    };
    const USER: PathTemplate = PathTemplate {
        template: "/users/{id}",
        pieces: &[Piece::Literal("/users/"), Piece::Segment(0)],
        query: &[],
        params: &["id"],
        constructor: "new",
    };
    const DELTA: PathTemplate = PathTemplate {
        template: "/users/delta",
        pieces: &[Piece::Literal("/users/delta")],
        query: &[],
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
        query: &[],
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
        query: &[],
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

    fn match_path(template: &PathTemplate, path: &str) -> Option<Vec<String>> {
        template.match_path(path)
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
        // The one matching rule (graphspec-spec, since issue 7) lets a drive item path
        // after `:/` span `/`, as Graph does; the emulator's former router did not.
        assert_eq!(
            match_path(&ITEM, "/drive/root:/a/b.txt:/content"),
            Some(vec!["a/b.txt".to_string()])
        );
        assert_eq!(match_path(&ITEM, "/drive/root:/a:b:/content"), None);
    }

    #[test]
    fn round_trips_rendered_hostile_values() {
        let op = info("Get", Method::Get, &[USER]);
        let base = BaseUrl::new("http://localhost", ApiVersion::V1);
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
            let request = graphspec::build(op, &parts, None, &base).unwrap();
            let path = request.uri().path().strip_prefix("/v1.0").unwrap();
            assert_eq!(
                match_path(&USER, path),
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
        let ops = routes(&[get, delta, reprocess]);
        let m = find_operation(&ops, Method::Get, "/users/delta", None).unwrap();
        assert_eq!(m.info.name, "Delta");
        let m = find_operation(&ops, Method::Get, "/users/ada", None).unwrap();
        assert_eq!(
            (m.info.name, m.form, m.args),
            ("Get", 0, vec!["ada".to_string()])
        );
        assert!(
            find_operation(
                &ops,
                Method::Get,
                "/users/47/reprocessLicenseAssignment",
                None
            )
            .is_none()
        );
        assert!(matches!(
            path_known(&ops, Method::Get, "/users/47/reprocessLicenseAssignment"),
            Some(Known::OtherMethod)
        ));
        assert!(path_known(&ops, Method::Get, "/groups/1").is_none());
        assert_eq!(Method::parse("DELETE"), Some(Method::Delete));
        assert_eq!(Method::parse("HEAD"), None);
    }

    #[test]
    fn implemented_operations_win_path_ties() {
        // Defined after the crate's own `user::GetUser`, same method and paths: a test's copy.
        let copy = info("GetCopy", Method::Get, graphspec::user::GetUser::INFO.paths);
        let ops = routes(&[copy, graphspec::user::GetUser::INFO]);
        let m = find_operation(&ops, Method::Get, "/users/ada", None).unwrap();
        assert_eq!(m.info, graphspec::user::GetUser::INFO);
        assert!(m.handler.is_some());
        let alone = routes(&[copy]);
        let m = find_operation(&alone, Method::Get, "/users/ada", None).unwrap();
        assert_eq!(m.info.name, "GetCopy");
        assert!(m.handler.is_none(), "answered with 501");
    }

    /// The emulator applies the same permission table to a request as the client's
    /// pre-send check and `credential!`, which both take the table of the operation the
    /// caller built: every form of every operation of the surface routes back to that very
    /// operation (one operation per method and path, `graphspec_importer::identity`).
    #[cfg(feature = "full")]
    #[test]
    fn every_form_of_every_operation_routes_to_itself() {
        let operations = graphspec::operations();
        let routes = routes(&operations);
        let mut forms = 0;
        let mut wrong = Vec::new();
        for op in &operations {
            for template in op.paths {
                forms += 1;
                let path: String = template
                    .pieces
                    .iter()
                    .map(|piece| match piece {
                        Piece::Literal(text) => *text,
                        Piece::Segment(_) | Piece::Embedded(_) => "x1",
                    })
                    .collect();
                // The fixed query, each parameter filled in the same way.
                let query: Vec<String> = template
                    .query
                    .iter()
                    .map(|option| {
                        let value: String = option
                            .value
                            .iter()
                            .map(|piece| piece.literal().unwrap_or("x1"))
                            .collect();
                        format!("{}={value}", option.name)
                    })
                    .collect();
                let query = (!query.is_empty()).then(|| query.join("&"));
                match find_operation(&routes, op.method, &path, query.as_deref()) {
                    Some(found) if std::ptr::eq(found.info, *op) => {}
                    Some(found) => wrong.push(format!(
                        "{} {} {path}: routed to {} ({})",
                        op.rust_path(),
                        op.method,
                        found.info.rust_path(),
                        if found.info.permissions == op.permissions {
                            "same table"
                        } else {
                            "another table"
                        }
                    )),
                    None => wrong.push(format!(
                        "{} {} {path}: not routed",
                        op.rust_path(),
                        op.method
                    )),
                }
            }
        }
        assert!(
            operations.len() > 2000,
            "the full surface: {}",
            operations.len()
        );
        assert!(
            wrong.is_empty(),
            "{} of {forms} forms route to another operation:\n{}",
            wrong.len(),
            wrong.join("\n")
        );
    }
}
