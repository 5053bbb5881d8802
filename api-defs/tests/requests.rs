//! Behaviour of the generated operations: the requests they build, the responses they
//! parse, and what no path argument can do. The seed's expectations come from its real
//! docs page in `../shared/graph-docs`.

use graphspec::model::{AssignLicenseBody, AssignedLicense, User};
use graphspec::{ApiVersion, BaseUrl, Cloud, Endpoint, Error, Query, Scheme, group, scopes, user};
use percent_encoding::percent_decode_str;
use proptest::prelude::*;

const DOCS: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../shared/graph-docs/ru-RU/v1.0/api"
);

fn docs_page(stem: &str) -> String {
    let path = format!("{DOCS}/{stem}.md");
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("cannot read {path}: {e}"))
}

/// The code block that follows the `"blockType": "<kind>"` annotation.
fn example_block(page: &str, kind: &str) -> String {
    let marker = format!("\"blockType\": \"{kind}\"");
    let at = page.find(&marker).expect("annotation present");
    let rest = &page[at..];
    let start = rest.find("```").expect("code block") + 3;
    let rest = &rest[start..];
    let rest = &rest[rest.find('\n').unwrap() + 1..];
    rest[..rest.find("```").expect("end of block")].to_owned()
}

#[test]
fn seed_request_equals_the_docs_example() {
    let page = docs_page("user-reprocesslicenseassignment");
    let block = example_block(&page, "request");
    let line = block.lines().next().unwrap().trim();
    let (method, url) = line.split_once(' ').unwrap();

    let request = user::ReprocessLicenseAssignment::users("047dd774-f1c4-40f2-82f0-278de79f9b83")
        .to_http_request(&Cloud::Global.v1())
        .unwrap();
    assert_eq!(request.method().as_str(), method);
    assert_eq!(request.uri().to_string(), url);
    assert!(request.body().is_empty());
    assert!(request.headers().get("content-type").is_none());
}

#[test]
fn seed_response_from_the_docs_parses_into_user() {
    let page = docs_page("user-reprocesslicenseassignment");
    let block = example_block(&page, "response");
    let status_line = block.lines().next().unwrap();
    assert!(status_line.starts_with("HTTP/1.1 200"));
    let json = &block[block.find('{').unwrap()..];
    let response = http::Response::builder()
        .status(200)
        .header("content-type", "application/json")
        .body(json.as_bytes().to_vec())
        .unwrap();
    let user: User = user::ReprocessLicenseAssignment::parse_response(response).unwrap();
    assert_eq!(user.city.as_deref(), Some("city-value"));
    assert_eq!(user.account_enabled.value(), Some(&true));
    let licenses = user.assigned_licenses.as_deref().unwrap();
    assert_eq!(licenses[0].sku_id.as_deref(), Some("skuId-value"));
    // Nothing is lost on the way back.
    let original: serde_json::Value = serde_json::from_str(json).unwrap();
    assert_eq!(serde_json::to_value(&user).unwrap(), original);
}

#[test]
fn graph_error_bodies_become_typed_errors() {
    let body = br#"{"error":{"code":"Request_ResourceNotFound","message":"Resource '47' does not exist.","innerError":{"request-id":"2b1e7a1c-0001","date":"2023-02-03T10:00:00","client-request-id":"2b1e7a1c-0002"},"details":[{"code":"x"}]}}"#;
    let response = http::Response::builder()
        .status(404)
        .body(&body[..])
        .unwrap();
    let err = user::ReprocessLicenseAssignment::parse_response(response).unwrap_err();
    assert_eq!(err.graph_code(), Some("Request_ResourceNotFound"));
    assert_eq!(err.status(), Some(404));
    let Error::Graph(graph) = err else {
        panic!("expected a Graph error")
    };
    assert_eq!(graph.message, "Resource '47' does not exist.");
    let inner = graph.inner_error.as_ref().unwrap();
    assert_eq!(inner.request_id.as_deref(), Some("2b1e7a1c-0001"));
    assert_eq!(inner.date.as_deref(), Some("2023-02-03T10:00:00"));
    assert_eq!(inner.client_request_id.as_deref(), Some("2b1e7a1c-0002"));
    assert!(graph.additional.contains_key("details"), "nothing is lost");
    assert_eq!(
        graph.to_body(),
        serde_json::from_slice::<serde_json::Value>(body).unwrap()
    );
}

#[test]
fn bodies_that_are_not_graph_errors_are_kept() {
    let response = http::Response::builder()
        .status(502)
        .body(b"<html>bad gateway</html>".to_vec())
        .unwrap();
    match group::DeleteGroup::parse_response(response) {
        Err(Error::UnexpectedStatus { status, body, .. }) => {
            assert_eq!(status, 502);
            assert_eq!(body, b"<html>bad gateway</html>");
        }
        other => panic!("unexpected {other:?}"),
    }
    let response = http::Response::builder()
        .status(200)
        .body(b"{not json".to_vec())
        .unwrap();
    match user::GetUser::parse_response(response) {
        Err(Error::Decode { body, status, .. }) => {
            assert_eq!(status, 200);
            assert_eq!(body, b"{not json");
        }
        other => panic!("unexpected {other:?}"),
    }
    let response = http::Response::builder()
        .status(204)
        .body(Vec::new())
        .unwrap();
    group::DeleteGroup::parse_response(response).unwrap();
}

#[test]
fn constructors_are_named_by_their_form_and_the_operation() {
    let base = Cloud::Global.v1();
    assert_eq!(
        user::GetUser::me().to_http_request(&base).unwrap().uri(),
        "https://graph.microsoft.com/v1.0/me"
    );
    assert_eq!(
        user::GetUser::new("ada@contoso.com")
            .to_http_request(&base)
            .unwrap()
            .uri(),
        "https://graph.microsoft.com/v1.0/users/ada@contoso.com"
    );
    assert_eq!(
        user::ListLicenseDetails::users("47")
            .to_http_request(&base)
            .unwrap()
            .uri(),
        "https://graph.microsoft.com/v1.0/users/47/licenseDetails"
    );
    assert_eq!(user::GetUser::PATHS.len(), 2);
    assert_eq!(
        user::GetUser::PATHS[1].template,
        "/users/{id | userPrincipalName}"
    );
    assert_eq!(user::GetUser::PATHS[1].params, ["id"]);
    assert_eq!(user::GetUser::PATHS[1].constructor, "new");
}

#[test]
fn odata_query_options_and_headers() {
    let request = user::ListUsers::new()
        .select(["id", "displayName"])
        .filter("startswith(displayName,'a&b')")
        .orderby(["displayName desc"])
        .top(5)
        .count(true)
        .consistency_level("eventual")
        .to_http_request(&Cloud::Global.v1())
        .unwrap();
    assert_eq!(
        request.uri(),
        "https://graph.microsoft.com/v1.0/users?$select=id,displayName&$filter=startswith(displayName,'a%26b')&$orderby=displayName%20desc&$top=5&$count=true"
    );
    assert_eq!(request.headers()["consistencylevel"], "eventual");

    let bad = user::ListUsers::new().consistency_level("eventual\r\nX-Evil: 1");
    assert!(matches!(
        bad.to_http_request(&Cloud::Global.v1()),
        Err(Error::InvalidHeaderValue {
            header: "ConsistencyLevel",
            ..
        })
    ));
}

#[test]
fn bodies_are_json() {
    let body = AssignLicenseBody::new(vec![AssignedLicense::new("sku")], vec![]);
    let request = user::AssignLicense::users("47", body)
        .to_http_request(&Cloud::Global.v1())
        .unwrap();
    assert_eq!(request.method(), "POST");
    assert_eq!(request.headers()["content-type"], "application/json");
    let json: serde_json::Value = serde_json::from_slice(request.body()).unwrap();
    assert_eq!(
        json,
        serde_json::json!({"addLicenses": [{"disabledPlans": [], "skuId": "sku"}], "removeLicenses": []})
    );
}

#[test]
fn clouds_and_versions() {
    let req = group::DeleteGroup::new("g");
    for (cloud, root) in [
        (Cloud::Global, "https://graph.microsoft.com"),
        (Cloud::UsGovL4, "https://graph.microsoft.us"),
        (Cloud::UsGovL5, "https://dod-graph.microsoft.us"),
        (Cloud::China, "https://microsoftgraph.chinacloudapi.cn"),
    ] {
        assert_eq!(
            req.to_http_request(&cloud.beta())
                .unwrap()
                .uri()
                .to_string(),
            format!("{root}/beta/groups/g")
        );
    }
    let local = BaseUrl::new("http://127.0.0.1:8080/", ApiVersion::V1);
    assert_eq!(
        req.to_http_request(&local).unwrap().uri(),
        "http://127.0.0.1:8080/v1.0/groups/g"
    );
}

#[test]
fn permission_tables_and_least_privilege() {
    let table = user::ReprocessLicenseAssignment::PERMISSIONS;
    assert_eq!(
        table.application.least_privileged(),
        Some(scopes::USER_READWRITE_ALL)
    );
    assert_eq!(
        table.delegated_work.scopes(),
        [scopes::USER_READWRITE_ALL, scopes::DIRECTORY_READWRITE_ALL]
    );
    assert!(!table.delegated_personal.is_supported());
    assert!(table.application.allows(&[scopes::DIRECTORY_READWRITE_ALL]));
    assert!(!table.application.allows(&[scopes::USER_READ_ALL]));
    assert!(table.application.allows_names(&["user.readwrite.all"]));

    let ops = [
        user::ListUsers::INFO,
        user::ReprocessLicenseAssignment::INFO,
        user::GetUser::INFO,
    ];
    let set = graphspec::least_privileged_scopes(&ops, Scheme::Application).unwrap();
    // Reprocessing needs User.ReadWrite.All (level 4), which also allows List and Get: one
    // scope, not User.Read.All besides it (what a greedy pass in call order answered).
    assert_eq!(set, [scopes::USER_READWRITE_ALL]);
    for order in [
        [ops[1], ops[0], ops[2]],
        [ops[2], ops[1], ops[0]],
        [ops[0], ops[2], ops[1]],
    ] {
        assert_eq!(
            graphspec::least_privileged_scopes(&order, Scheme::Application).unwrap(),
            set
        );
    }
    let err = graphspec::least_privileged_scopes(&ops, Scheme::DelegatedPersonal).unwrap_err();
    assert!(
        matches!(err, Error::SchemeNotSupported { ref operation, .. } if operation == "user::ListUsers")
    );

    let info = user::ReprocessLicenseAssignment::INFO;
    assert_eq!(info.resource(), "user");
    assert_eq!(info.graph_name(), "user.reprocessLicenseAssignment");
    assert_eq!(info.docs_page, Some("user-reprocesslicenseassignment"));
    // The default features enable the `user`, `group` and `subscribedsku` modules (the
    // `default-resources` group of the import report); `full` enables every imported
    // operation, as many as the import report counts.
    let expected = user::OPERATIONS.len()
        + graphspec::group::OPERATIONS.len()
        + graphspec::subscribedsku::OPERATIONS.len();
    assert_eq!(expected, default_operations());
    if cfg!(feature = "full") {
        assert_eq!(graphspec::operations().len(), imported_operations());
    } else {
        assert_eq!(graphspec::operations().len(), expected);
    }
    assert!(graphspec::operations().contains(&info));
}

#[test]
fn scope_constants_carry_the_permissions_data() {
    let scope = scopes::USER_READWRITE_ALL;
    assert_eq!(scope.name(), "User.ReadWrite.All");
    assert_eq!(
        scope.id(Scheme::Application),
        Some("741f803b-c850-494e-b5df-cde7c675a1ca")
    );
    assert_eq!(
        scope.id(Scheme::DelegatedWork),
        Some("204e0828-b5ca-4ad8-b9f3-f32a958e7cc4")
    );
    assert!(
        scope
            .details(Scheme::Application)
            .unwrap()
            .requires_admin_consent
    );
    assert!(!scope.is_defined_for(Scheme::DelegatedPersonal));
    assert_eq!(scopes::lookup("user.readwrite.all"), Some(scope));
    assert_eq!(scopes::ALL.len(), 917);
}

/// Values that must stay inside their path segment.
const HOSTILE: &[&str] = &[
    "a/b", "../x", "x?y#z", "%2F", "é", "a b", "'", "a'b", "x%y", "\\", ". .", "...", "a\u{0}b",
];

fn single_segment(value: &str) {
    let request = user::ReprocessLicenseAssignment::users(value)
        .to_http_request(&Cloud::Global.v1())
        .unwrap();
    let uri = request.uri();
    assert_eq!(uri.query(), None, "{value:?} added a query");
    let segments: Vec<&str> = uri.path().split('/').collect();
    assert_eq!(
        segments.len(),
        5,
        "{value:?} changed the path: {}",
        uri.path()
    );
    assert_eq!(segments[1], "v1.0");
    assert_eq!(segments[2], "users");
    assert_eq!(segments[4], "reprocessLicenseAssignment");
    let decoded = percent_decode_str(segments[3]).decode_utf8().unwrap();
    assert_eq!(decoded, value, "the segment decodes back to the value");
}

#[test]
fn hostile_path_values_stay_inside_their_segment() {
    for value in HOSTILE {
        single_segment(value);
    }
}

#[test]
fn empty_dot_and_odata_segments_are_typed_errors() {
    // `/users/$count` would read the number of users, not the user `$count`.
    for value in ["", ".", "..", "$count", "$VALUE", "$ref"] {
        let err = user::ReprocessLicenseAssignment::users(value)
            .to_http_request(&Cloud::Global.v1())
            .unwrap_err();
        assert!(
            matches!(
                err,
                Error::InvalidPathArgument {
                    parameter: "id",
                    ..
                }
            ),
            "{value:?}: {err}"
        );
    }
}

proptest! {
    #[test]
    fn no_value_changes_the_path(value in any::<String>().prop_filter("dot segments, OData's segments and empty are rejected", |v| !matches!(v.to_ascii_lowercase().as_str(), "" | "." | ".." | "$count" | "$value" | "$ref"))) {
        single_segment(&value);
    }

    #[test]
    fn no_value_leaves_its_query_option(value in any::<String>()) {
        let request = user::ListUsers::new().filter(value.clone()).to_http_request(&Cloud::Global.v1()).unwrap();
        let query = request.uri().query().unwrap();
        let options: Vec<&str> = query.split('&').collect();
        prop_assert_eq!(options.len(), 1);
        let encoded = options[0].strip_prefix("$filter=").unwrap();
        prop_assert_eq!(percent_decode_str(encoded).decode_utf8().unwrap(), value);
    }
}

#[test]
fn operations_list_matches_the_endpoint_trait() {
    fn info<E: Endpoint>() -> &'static graphspec::OperationInfo {
        E::INFO
    }
    assert_eq!(
        info::<group::DeleteGroup>().method,
        graphspec::Method::Delete
    );
    assert_eq!(info::<group::DeleteGroup>().response.status, 204);
}

/// The number of operations `IMPORT-REPORT.md` says the import generated ("… → N
/// operations in …").
/// The operations of the `default-resources` feature, from the import report's table.
fn default_operations() -> usize {
    let report = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/IMPORT-REPORT.md"))
        .expect("api-defs/IMPORT-REPORT.md");
    let line = report
        .lines()
        .find(|l| l.starts_with("| `default-resources` |"))
        .expect("the default-resources row");
    line.split('|').nth(2).unwrap().trim().parse().unwrap()
}

fn imported_operations() -> usize {
    let report = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/IMPORT-REPORT.md"))
        .expect("api-defs/IMPORT-REPORT.md");
    let line = report
        .lines()
        .find(|l| l.starts_with("Source:"))
        .expect("the Source line");
    let (_, after) = line.split_once('→').expect("→ N operations");
    after.split_whitespace().next().unwrap().parse().unwrap()
}

graphspec::endpoint! {
    /// A read whose meaning is in its query string: the user with their manager.
    pub struct GetManagerOfUser {
        GET "/me?$expand=manager",
        GET "/users/{id}?$expand=manager",
        permissions: { DelegatedWork: ["User.Read"], DelegatedPersonal: unsupported, Application: ["User.Read.All"] },
        response: 200,
    }

    /// The plain read of the same paths.
    pub struct GetPlainUser {
        GET "/me",
        GET "/users/{id}",
        permissions: { DelegatedWork: ["User.Read"], DelegatedPersonal: unsupported, Application: ["User.Read.All"] },
        response: 200,
    }

    /// A fixed filter with a parameter inside an OData string literal.
    pub struct ListOnlineMeetings {
        GET "/me/onlineMeetings?$filter=JoinWebUrl eq '{join-web-url}'",
        permissions: { DelegatedWork: ["OnlineMeetings.Read"], DelegatedPersonal: unsupported, Application: ["OnlineMeetings.Read.All"] },
        response: 200,
    }

    /// A fixed page size.
    pub struct FirstUser {
        GET "/users?$top=1",
        permissions: { DelegatedWork: ["User.Read.All"], DelegatedPersonal: unsupported, Application: ["User.Read.All"] },
        response: 200,
    }
}

#[test]
fn fixed_query_options_are_sent_merged_and_routed_back() {
    let base = Cloud::Global.v1();
    let uri = |r: Result<http::Request<Vec<u8>>, Error>| r.unwrap().uri().to_string();
    let root = "https://graph.microsoft.com/v1.0";
    assert_eq!(
        uri(GetManagerOfUser::me().to_http_request(&base)),
        format!("{root}/me?$expand=manager")
    );
    // The caller's options of the same name are merged into the fixed one.
    assert_eq!(
        uri(GetManagerOfUser::new("ada")
            .select(["id"])
            .expand(["memberOf"])
            .to_http_request(&base)),
        format!("{root}/users/ada?$expand=manager,memberOf&$select=id")
    );
    let url = "https://teams.microsoft.com/l/meetup-join/a b?c='d'&e=f";
    let built = uri(ListOnlineMeetings::me(url).top(2).to_http_request(&base));
    assert_eq!(
        built,
        format!(
            "{root}/me/onlineMeetings?$filter=JoinWebUrl%20eq%20'https://teams.microsoft.com/l/meetup-join/a%20b%3Fc%3D''d''%26e%3Df'&$top=2"
        )
    );
    // A fixed option set again is a typed error, not a silently dropped option.
    assert!(matches!(
        FirstUser::new().top(5).to_http_request(&base),
        Err(Error::InvalidRequest { .. })
    ));
    assert!(matches!(
        ListOnlineMeetings::me(url)
            .filter("a eq 1")
            .to_http_request(&base),
        Err(Error::InvalidRequest { .. })
    ));
    assert!(matches!(
        ListOnlineMeetings::me("").to_http_request(&base),
        Err(Error::InvalidPathArgument { .. })
    ));

    // Routing: a request carrying the fixed options is that form's; one without is not.
    let ops: [&graphspec::OperationInfo; 3] = [
        GetPlainUser::INFO,
        GetManagerOfUser::INFO,
        ListOnlineMeetings::INFO,
    ];
    let find = |path: &str, query: Option<&str>| {
        graphspec::route::find(&ops, graphspec::Method::Get, None, path, query)
            .map(|m| (m.operation.name, m.form, m.args))
    };
    assert_eq!(
        find("/users/ada", Some("$select=id&%24Expand=Manager")),
        Some(("GetManagerOfUser", 1, vec!["ada".to_owned()]))
    );
    assert_eq!(
        find("/me", Some("$expand=memberOf")),
        Some(("GetPlainUser", 0, vec![]))
    );
    assert_eq!(find("/me", None), Some(("GetPlainUser", 0, vec![])));
    assert_eq!(
        find("/me", Some("$expand=memberOf,manager")),
        Some(("GetManagerOfUser", 0, vec![]))
    );
    // A built request routes back to its form with the argument it was built from.
    let (path, query) = built.strip_prefix(root).unwrap().split_once('?').unwrap();
    assert_eq!(
        find(path, Some(query)),
        Some(("ListOnlineMeetings", 0, vec![url.to_owned()]))
    );
}

#[test]
fn a_count_request_is_its_collections_count() {
    // `/$count` addresses the number of a collection's items: the list operation's count,
    // with its permissions, never an item whose key is `$count`.
    let found = graphspec::find_request(
        "GET https://graph.microsoft.com/v1.0/users/$count?$filter=accountEnabled%20eq%20true",
    )
    .unwrap()
    .expect("the list's count");
    assert_eq!(found.operation.rust_path(), "user::ListUsers");
    assert!(found.count);
    assert_eq!(found.rewrites, ["count"]);
    let found = graphspec::find_request("GET /users/8a2f/messages/%24count")
        .unwrap()
        .expect("the list's count");
    assert_eq!(found.operation.rust_path(), "user::ListMessages");
    assert_eq!(
        (found.args.as_slice(), found.count),
        (&["8a2f".to_owned()][..], true)
    );
    // Not a collection: no count.
    assert!(
        graphspec::find_request("GET /users/8a2f/$count")
            .unwrap()
            .is_none()
    );
    assert!(
        !graphspec::find_request("GET /users")
            .unwrap()
            .unwrap()
            .count
    );
}

#[test]
fn a_count_request_is_built_from_a_list_and_routes_back_as_its_count() {
    let base = Cloud::Global.v1();
    let count = user::ListMessages::users("8a 2f")
        .filter("isRead eq false")
        .into_count();
    let request = count.to_http_request(&base).unwrap();
    assert_eq!(request.method(), http::Method::GET);
    assert_eq!(request.uri().path(), "/v1.0/users/8a%202f/messages/$count");
    assert_eq!(request.headers()["consistencylevel"], "eventual");
    // A `ConsistencyLevel` the caller set is kept.
    let mut list = user::ListUsers::new();
    list.parts_mut()
        .set_header("ConsistencyLevel", "session".to_owned());
    let own = list.into_count().to_http_request(&base).unwrap();
    assert_eq!(own.headers().get_all("consistencylevel").iter().count(), 1);
    assert_eq!(own.headers()["consistencylevel"], "session");
    // What it sends routes back to the list operation's count, with its argument.
    let found = graphspec::find_request(&format!("GET {}", request.uri()))
        .unwrap()
        .expect("routes");
    assert_eq!(found.operation.rust_path(), "user::ListMessages");
    assert!(found.count);
    assert_eq!(found.args, ["8a 2f"]);
    // The count's permissions are the list's.
    assert_eq!(
        <graphspec::Count<user::ListUsers> as Endpoint>::INFO.name,
        <user::ListUsers as Endpoint>::INFO.name
    );
}

#[test]
fn a_count_response_is_a_number_or_a_typed_error() {
    type Count = graphspec::Count<user::ListUsers>;
    let ok = |body: &[u8]| {
        Count::parse_response(
            http::Response::builder()
                .status(200)
                .header("content-type", "text/plain")
                .body(body.to_vec())
                .unwrap(),
        )
    };
    assert_eq!(ok(b"42").unwrap(), 42);
    assert_eq!(ok(b"\xEF\xBB\xBF7\r\n").unwrap(), 7);
    for bad in [&b"{\"value\": 3}"[..], b"-1", b"", b"3.5", b"\xff"] {
        let err = ok(bad).unwrap_err();
        assert!(matches!(err, Error::Decode { status: 200, .. }), "{err:?}");
    }
    let denied = Count::parse_response(
        http::Response::builder()
            .status(403)
            .body(br#"{"error":{"code":"Authorization_RequestDenied","message":"no"}}"#.to_vec())
            .unwrap(),
    )
    .unwrap_err();
    assert_eq!(denied.status(), Some(403));
    assert!(matches!(denied, Error::Graph(_)), "{denied:?}");
}

/// A lookup by a property (onlinemeeting-get's `$filter=JoinWebUrl eq '{joinWebUrl}'`) is an
/// operation of its own with the `$filter` fixed: the value goes inside the OData string
/// literal, its `'` doubled, and the request routes back to it with the value.
#[cfg(feature = "cloud-communications")]
#[test]
fn a_lookup_by_a_property_sends_its_filter_and_routes_back() {
    use graphspec::onlinemeeting;
    let url =
        "https://teams.microsoft.com/l/meetup-join/19:meeting_x@thread.v2/0?context={'Tid':'a'}";
    let request = onlinemeeting::ListUserOnlineMeetings::me(url)
        .to_http_request(&Cloud::Global.v1())
        .unwrap();
    let uri = request.uri().to_string();
    assert!(
        uri.starts_with("https://graph.microsoft.com/v1.0/me/onlineMeetings?$filter="),
        "{uri}"
    );
    let filter = percent_decode_str(uri.split_once("$filter=").unwrap().1)
        .decode_utf8()
        .unwrap()
        .into_owned();
    assert_eq!(
        filter,
        format!("JoinWebUrl eq '{}'", url.replace('\'', "''"))
    );
    // The caller adds options; a second `$filter` would change the lookup.
    let err = onlinemeeting::ListUserOnlineMeetings::me(url)
        .filter("subject eq 'x'")
        .to_http_request(&Cloud::Global.v1())
        .unwrap_err();
    assert!(matches!(err, Error::InvalidRequest { .. }), "{err:?}");
    let found = graphspec::find_request(&format!("GET {uri}"))
        .unwrap()
        .unwrap_or_else(|| panic!("routes: {uri}"));
    assert_eq!(
        found.operation.rust_path(),
        "onlinemeeting::ListUserOnlineMeetings"
    );
    assert_eq!(found.args, [url]);
    // Without the `$filter`, `/me/onlineMeetings` is no lookup.
    assert!(
        graphspec::find_request("GET /me/onlineMeetings")
            .unwrap()
            .is_none_or(|f| f.operation.rust_path() != "onlinemeeting::ListUserOnlineMeetings")
    );
}

/// A function the page calls by its bare name and whose parameters it lists apart is
/// called with the parameters the CSDL gives it (`graphspec_importer::function_calls`):
/// in place of the bare call when the CSDL has no overload without them
/// (`getApplicableContentTypesForList` needs `listId`), as one more form otherwise
/// (`usedRange(valuesOnly=…)`, `delta(token='…')`); a string goes inside the OData
/// literal with its `'` doubled, a Boolean bare; each routes back with its values.
#[cfg(all(feature = "sharepoint", feature = "excel"))]
#[test]
fn function_calls_carry_the_parameters_the_csdl_gives_them() {
    use graphspec::{driveitem, site, worksheet};
    let v1 = Cloud::Global.v1();
    let decoded = |uri: String| percent_decode_str(&uri).decode_utf8().unwrap().into_owned();
    let request = site::GetApplicableContentTypesForList::sites("contoso", "Bob's list")
        .to_http_request(&v1)
        .unwrap();
    let uri = request.uri().to_string();
    assert_eq!(
        decoded(uri.clone()),
        "https://graph.microsoft.com/v1.0/sites/contoso/getApplicableContentTypesForList(listId='Bob''s list')"
    );
    let found = graphspec::find_request(&format!("GET {uri}"))
        .unwrap()
        .unwrap();
    assert_eq!(
        found.operation.rust_path(),
        "site::GetApplicableContentTypesForList"
    );
    assert_eq!(found.args, ["contoso", "Bob's list"]);

    // The bare call keeps its constructor; the call with arguments is one more form.
    let bare = worksheet::UsedRange::me_drive_items_workbook_worksheets("item", "Sheet1")
        .to_http_request(&v1)
        .unwrap();
    assert!(
        bare.uri()
            .to_string()
            .ends_with("/worksheets/Sheet1/usedRange"),
        "{}",
        bare.uri()
    );
    let values = worksheet::UsedRange::me_drive_items_workbook_worksheets_values_only(
        "item", "Sheet1", "true",
    )
    .to_http_request(&v1)
    .unwrap();
    assert!(
        values
            .uri()
            .to_string()
            .ends_with("/worksheets/Sheet1/usedRange(valuesOnly=true)"),
        "{}",
        values.uri()
    );
    let delta = driveitem::Delta::me_drive_root_token("abc")
        .to_http_request(&v1)
        .unwrap();
    let uri = delta.uri().to_string();
    assert_eq!(
        decoded(uri.clone()),
        "https://graph.microsoft.com/v1.0/me/drive/root/delta(token='abc')"
    );
    let found = graphspec::find_request(&format!("GET {uri}"))
        .unwrap()
        .unwrap();
    assert_eq!(found.operation.rust_path(), "driveitem::Delta");
    assert_eq!(found.args, ["abc"]);
}

/// An operation that answers raw content (`Edm.Stream`, `$value`: a file's bytes) reads
/// the body's bytes as they are, not as JSON; an error answer is Graph's typed error.
#[cfg(feature = "sharepoint")]
#[test]
fn raw_content_is_read_as_its_bytes() {
    use graphspec::driveitem;
    assert_eq!(
        driveitem::GetContent::INFO.response.kind,
        graphspec::ResponseKind::Content
    );
    let bytes: Vec<u8> = (0..=255u8).chain(*b"{not json").collect();
    let response = http::Response::builder()
        .status(200)
        .header("content-type", "application/octet-stream")
        .body(bytes.clone())
        .unwrap();
    assert_eq!(
        driveitem::GetContent::parse_response(response).unwrap(),
        bytes
    );
    let empty = http::Response::builder()
        .status(200)
        .body(Vec::new())
        .unwrap();
    assert_eq!(
        driveitem::GetContent::parse_response(empty).unwrap(),
        Vec::<u8>::new()
    );
    let denied = http::Response::builder()
        .status(403)
        .body(br#"{"error":{"code":"accessDenied","message":"no"}}"#.to_vec())
        .unwrap();
    let err = driveitem::GetContent::parse_response(denied).unwrap_err();
    assert!(matches!(err, Error::Graph(_)), "{err:?}");
}

/// A write of raw content (`body: Vec<u8>`: a file, a photo) sends the bytes as they are,
/// with the `Content-Type` the request sets, `application/octet-stream` when it sets none;
/// a JSON body is still JSON.
#[cfg(all(feature = "sharepoint", feature = "people"))]
#[test]
fn raw_content_is_sent_as_its_bytes() {
    use graphspec::{driveitem, profilephoto};
    let v1 = Cloud::Global.v1();
    assert!(driveitem::SetContent::INFO.takes_content());
    assert!(!user::UpdateUser::INFO.takes_content());
    let bytes: Vec<u8> = (0..=255u8).collect();
    let request = driveitem::SetContent::me_drive_items_content("01AB", bytes.clone())
        .to_http_request(&v1)
        .unwrap();
    assert_eq!(request.method(), http::Method::PUT);
    assert_eq!(
        request.uri(),
        "https://graph.microsoft.com/v1.0/me/drive/items/01AB/content"
    );
    assert_eq!(request.body(), &bytes);
    let types: Vec<_> = request.headers().get_all("content-type").iter().collect();
    assert_eq!(types, ["application/octet-stream"]);

    let photo = profilephoto::SetUserPhotoValue::me(b"\x89PNG".to_vec())
        .content_type("image/png")
        .to_http_request(&v1)
        .unwrap();
    assert_eq!(photo.body(), b"\x89PNG");
    let types: Vec<_> = photo.headers().get_all("content-type").iter().collect();
    assert_eq!(types, ["image/png"]);
}
