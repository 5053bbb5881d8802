//! The path builder with values drawn from an alphabet of delimiters: `/ ? # % . \`,
//! spaces, quotes, parentheses, `$`, `&`, `=`, `+`, `,`, `:`, NUL, line breaks,
//! combining marks, right-to-left controls and characters outside the Basic Multilingual
//! Plane (`any::<String>()` almost never draws a delimiter). Each value stays inside its
//! path segment, OData string literal, drive item path or query option, decodes back to
//! itself from there, and the built path matches its template with the values back (as
//! the emulator routes requests).
//!
//! The templates are real ones (`user::GetUser`'s `/users/{id | userPrincipalName}`, a
//! group member `$ref`, a report function, a drive item path, a fixed query with a
//! parameter inside an OData string literal), written out here so the
//! tests do not depend on the generated crate. Fixed seeds; `HOSTILE_CASES` cases per
//! property (default [`CASES`]).

use graphspec_runtime::{
    ApiVersion, BaseUrl, Cloud, Error, Method, OperationInfo, PathTemplate, PermissionTable, Piece,
    QueryOption, QueryOptions, RequestParts, ResponseKind, ResponseSpec, SchemePermissions, build,
};
use graphspec_spec::path::in_string_literal;
use percent_encoding::percent_decode_str;
use proptest::prelude::*;
use proptest::sample::select;
use proptest::test_runner::{Config, RngAlgorithm, TestCaseError, TestRng, TestRunner};

/// Cases per property in CI.
const CASES: u32 = 512;

/// The alphabet: delimiters of paths, queries and OData, and hostile Unicode.
const ALPHABET: &[&str] = &[
    "/", "?", "#", "%", ".", "\\", " ", "'", "(", ")", "$", "&", "=", "+", ",", ":", ";", "@",
    "\"", "*", "!", "~", "[", "]", "{", "}", "|", "<", ">", "^", "`", "\0", "\r", "\n", "\t",
    "\u{0301}", "\u{200f}", "\u{202e}", "\u{feff}", "é", "日", "😀", "a", "Z", "0", "-", "_", "..",
    "%2F", "%25", "%2e", "%%", "''", "%FF", "$filter=", "&$top=1", "#x", "?a=b",
];

fn hostile() -> impl Strategy<Value = String> {
    prop::collection::vec(select(ALPHABET), 0..12).prop_map(|parts| parts.concat())
}

/// A whole-segment value: anything but the empty string and the dot segments, which are
/// typed errors ([`empty_and_dot_values_are_typed_errors_in_any_segment`]).
fn segment_value() -> impl Strategy<Value = String> {
    hostile().prop_filter("not empty or a dot segment", |v| {
        !matches!(v.as_str(), "" | "." | "..")
    })
}

/// A value inside a segment (a function argument, an item path): anything but the empty
/// string, a typed error ([`found_values_stay_in_place`]).
fn embedded_value() -> impl Strategy<Value = String> {
    hostile().prop_filter("not empty", |v| !v.is_empty())
}

fn run<S: Strategy>(seed: u8, strategy: S, test: impl Fn(S::Value) -> Result<(), TestCaseError>) {
    let cases = std::env::var("HOSTILE_CASES")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(CASES);
    let config = Config {
        cases,
        failure_persistence: None,
        ..Config::default()
    };
    let mut runner = TestRunner::new_with_rng(
        config,
        TestRng::from_seed(RngAlgorithm::ChaCha, &[seed; 32]),
    );
    if let Err(e) = runner.run(&strategy, test) {
        panic!("{e}");
    }
}

fn operation(paths: &'static [PathTemplate]) -> &'static OperationInfo {
    Box::leak(Box::new(OperationInfo {
        name: "Hostile",
        module_path: "graphspec::user",
        docs_page: None,
        summary: "",
        version: ApiVersion::V1,
        method: Method::Get,
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

/// `user::GetUser`'s second form.
const USER: PathTemplate = PathTemplate {
    template: "/users/{id | userPrincipalName}",
    pieces: &[Piece::Literal("/users/"), Piece::Segment(0)],
    query: &[],
    params: &["id"],
    constructor: "users",
};
/// Two whole-segment parameters.
const MEMBER_REF: PathTemplate = PathTemplate {
    template: "/groups/{group-id}/members/{directory-object-id}/$ref",
    pieces: &[
        Piece::Literal("/groups/"),
        Piece::Segment(0),
        Piece::Literal("/members/"),
        Piece::Segment(1),
        Piece::Literal("/$ref"),
    ],
    query: &[],
    params: &["group_id", "directory_object_id"],
    constructor: "new",
};
/// A parameter inside an OData string literal.
const FUNCTION: PathTemplate = PathTemplate {
    template: "/reports/getEmailActivityUserDetail(period='{period_value}')",
    pieces: &[
        Piece::Literal("/reports/getEmailActivityUserDetail(period='"),
        Piece::Embedded(0),
        Piece::Literal("')"),
    ],
    query: &[],
    params: &["period_value"],
    constructor: "new",
};
/// A fixed query: a parameter as an option's value and one inside an OData string
/// literal.
const FIXED_QUERY: PathTemplate = PathTemplate {
    template: "/users/{id}/content?format={format}&$filter=JoinWebUrl eq '{url}'",
    pieces: &[
        Piece::Literal("/users/"),
        Piece::Segment(0),
        Piece::Literal("/content"),
    ],
    query: &[
        QueryOption {
            name: "format",
            value: &[Piece::Embedded(1)],
        },
        QueryOption {
            name: "$filter",
            value: &[
                Piece::Literal("JoinWebUrl eq '"),
                Piece::Embedded(2),
                Piece::Literal("'"),
            ],
        },
    ],
    params: &["id", "format", "url"],
    constructor: "new",
};
/// A drive item path, between `:/` and `:`.
const ITEM_PATH: PathTemplate = PathTemplate {
    template: "/me/drive/root:/{item-path}:/content",
    pieces: &[
        Piece::Literal("/me/drive/root:/"),
        Piece::Embedded(0),
        Piece::Literal(":/content"),
    ],
    query: &[],
    params: &["item_path"],
    constructor: "new",
};

fn decode(text: &str) -> String {
    percent_decode_str(text)
        .decode_utf8()
        .expect("what the builder encodes decodes as UTF-8")
        .into_owned()
}

fn request(template: &'static PathTemplate, args: &[String]) -> http::Request<Vec<u8>> {
    let parts = RequestParts::new(0, args.to_vec());
    build(
        operation(std::slice::from_ref(template)),
        &parts,
        None,
        &Cloud::Global.v1(),
    )
    .unwrap_or_else(|e| panic!("{args:?}: {e}"))
}

/// Builds `template` with `args` and checks that no query or fragment appeared, that the
/// path is the template's literals in order with each argument between them (no `/` in a
/// segment's argument, no `'` that could close a literal, raw or once decoded: inside a
/// literal every `'` is doubled, as OData escapes it), that each argument decodes back
/// from its place, and that matching the path against the template gives the
/// arguments back.
fn round_trip(template: &'static PathTemplate, args: &[String]) -> Result<(), TestCaseError> {
    let request = request(template, args);
    prop_assert_eq!(request.uri().query(), None, "{:?} added a query", args);
    let path = request
        .uri()
        .path()
        .strip_prefix("/v1.0")
        .unwrap()
        .to_owned();
    let mut rest = path.as_str();
    let mut decoded = Vec::new();
    for (i, piece) in template.pieces.iter().enumerate() {
        match piece {
            Piece::Literal(text) => {
                prop_assert!(
                    rest.starts_with(text),
                    "{:?}: {} lost {:?}",
                    args,
                    path,
                    text
                );
                rest = &rest[text.len()..];
            }
            Piece::Segment(_) | Piece::Embedded(_) => {
                let end = match template.pieces.get(i + 1) {
                    Some(Piece::Literal(next)) => rest.find(next).unwrap_or(rest.len()),
                    _ => rest.len(),
                };
                let encoded = &rest[..end];
                prop_assert!(
                    !encoded.contains('/'),
                    "{:?}: {} splits a segment",
                    args,
                    path
                );
                prop_assert!(
                    !encoded.contains('\''),
                    "{:?}: {} can close a literal",
                    args,
                    path
                );
                let text = decode(encoded);
                if in_string_literal(template.pieces, i) {
                    // OData reads `%27` as `'`: decoded, every quote is doubled.
                    prop_assert!(
                        !text.replace("''", "").contains('\''),
                        "{:?}: {} can close a literal once decoded",
                        args,
                        path
                    );
                    decoded.push(text.replace("''", "'"));
                } else {
                    decoded.push(text);
                }
                rest = &rest[end..];
            }
        }
    }
    prop_assert_eq!(rest, "", "{}", path);
    prop_assert_eq!(
        &decoded,
        args,
        "each argument decodes back from its place: {}",
        path
    );
    prop_assert_eq!(
        template.match_path(&path),
        Some(args.to_vec()),
        "the path matches its template with the arguments: {}",
        path
    );
    Ok(())
}

#[test]
fn a_delimiter_value_stays_in_its_segment_and_decodes_back() {
    run(0x41, segment_value(), |value| round_trip(&USER, &[value]));
}

#[test]
fn delimiter_values_stay_in_their_own_segments() {
    run(0x42, (segment_value(), segment_value()), |(a, b)| {
        round_trip(&MEMBER_REF, &[a, b])
    });
}

#[test]
fn a_delimiter_value_stays_inside_an_odata_string_literal() {
    run(0x43, embedded_value(), |value| {
        round_trip(&FUNCTION, &[value])
    });
}

#[test]
fn a_delimiter_value_stays_inside_a_drive_item_path() {
    run(0x44, embedded_value(), |value| {
        round_trip(&ITEM_PATH, &[value])
    });
}

#[test]
fn delimiter_values_stay_inside_their_fixed_query_options_and_route_back() {
    run(
        0x45,
        (segment_value(), embedded_value(), embedded_value()),
        |(id, format, url)| {
            let args = [id, format, url];
            let request = request(&FIXED_QUERY, &args);
            let uri = request.uri();
            let path = uri.path().strip_prefix("/v1.0").unwrap();
            let query = uri.query().unwrap_or_default();
            let names: Vec<String> = options(query).into_iter().map(|(n, _)| n).collect();
            prop_assert_eq!(names, ["format", "$filter"], "{:?}: {}", args, uri);
            prop_assert_eq!(
                FIXED_QUERY.match_request(path, Some(query)),
                Some(args.to_vec()),
                "the request routes back to its form with the arguments: {}",
                uri
            );
            Ok(())
        },
    );
}

/// The options of a query string, each split at its first `=`.
fn options(query: &str) -> Vec<(String, String)> {
    query
        .split('&')
        .map(|o| {
            let (name, value) = o.split_once('=').unwrap_or((o, ""));
            (name.to_owned(), value.to_owned())
        })
        .collect()
}

fn with_query(query: QueryOptions) -> http::Request<Vec<u8>> {
    let mut parts = RequestParts::new(0, vec!["ada".into()]);
    *parts.query_mut() = query;
    build(operation(&[USER]), &parts, None, &Cloud::Global.v1()).unwrap()
}

#[test]
fn delimiter_values_stay_in_their_query_options_and_decode_back() {
    let values = (hostile(), hostile(), hostile(), hostile(), hostile());
    run(0x45, values, |(select, expand, filter, orderby, search)| {
        let request = with_query(QueryOptions {
            select: vec![select.clone()],
            expand: vec![expand.clone()],
            filter: Some(filter.clone()),
            orderby: vec![orderby.clone()],
            search: Some(search.clone()),
            top: Some(3),
            ..QueryOptions::default()
        });
        prop_assert_eq!(request.uri().path(), "/v1.0/users/ada");
        let options = options(request.uri().query().unwrap());
        let names: Vec<&str> = options.iter().map(|(n, _)| n.as_str()).collect();
        prop_assert_eq!(
            names,
            [
                "$select", "$expand", "$filter", "$orderby", "$search", "$top"
            ],
            "{}",
            request.uri()
        );
        let values: Vec<String> = options.iter().map(|(_, v)| decode(v)).collect();
        prop_assert_eq!(
            values,
            [select, expand, filter, orderby, search, "3".to_owned()],
            "{}",
            request.uri()
        );
        Ok(())
    });
}

/// `$select` items are joined by `,`: an item holding `,` reads back as several (Graph
/// percent-decodes a value before it splits it, so no escape keeps them apart), but no
/// item leaves the option.
#[test]
fn list_values_stay_in_their_option() {
    run(0x46, prop::collection::vec(hostile(), 1..4), |items| {
        let request = with_query(QueryOptions {
            select: items.clone(),
            ..QueryOptions::default()
        });
        let options = options(request.uri().query().unwrap());
        prop_assert_eq!(options.len(), 1, "{}", request.uri());
        prop_assert_eq!(&options[0].0, "$select");
        prop_assert_eq!(decode(&options[0].1), items.join(","));
        Ok(())
    });
}

#[test]
fn empty_and_dot_values_are_typed_errors_in_any_segment() {
    for value in ["", ".", ".."] {
        for args in [[value, "x"], ["x", value]] {
            let parts = RequestParts::new(0, args.map(str::to_owned).to_vec());
            let err = build(
                operation(std::slice::from_ref(&MEMBER_REF)),
                &parts,
                None,
                &BaseUrl::new("https://graph.microsoft.com", ApiVersion::V1),
            )
            .unwrap_err();
            assert!(
                matches!(err, Error::InvalidPathArgument { .. }),
                "{args:?}: {err}"
            );
        }
    }
}

/// Regressions the properties above found, each a value that left its place or did not
/// route back: `:` ended a drive item path, `a(` read as an OData call in a whole
/// segment, and an empty function argument (`period=''`) matched no template.
#[test]
fn found_values_stay_in_place() {
    round_trip(&ITEM_PATH, &[":".into()]).unwrap();
    round_trip(&ITEM_PATH, &["a:b/c".into()]).unwrap();
    round_trip(&MEMBER_REF, &["/".into(), "a(".into()]).unwrap();
    round_trip(&USER, &["getByIds()".into()]).unwrap();
    round_trip(&FUNCTION, &["D7')/x('".into()]).unwrap();
    let uri = request(&ITEM_PATH, &["Report (1): draft.docx".into()])
        .uri()
        .to_string();
    assert_eq!(
        uri,
        "https://graph.microsoft.com/v1.0/me/drive/root:/Report%20%281%29%3A%20draft.docx:/content"
    );
    for template in [&FUNCTION, &ITEM_PATH] {
        let err = build(
            operation(std::slice::from_ref(template)),
            &RequestParts::new(0, vec![String::new()]),
            None,
            &Cloud::Global.v1(),
        )
        .unwrap_err();
        assert!(
            matches!(
                err,
                Error::InvalidPathArgument {
                    problem: "is empty",
                    ..
                }
            ),
            "{}: {err}",
            template.template
        );
    }
}
