//! A hostile-input campaign against the emulator over real HTTP on 127.0.0.1: random
//! methods, paths (Graph segments mixed with garbage, percent-encoding, dot segments,
//! huge), query strings (OData options, garbage, invalid percent-encoding, non-UTF-8
//! bytes, huge), headers and bodies (JSON, broken JSON, binary, huge), sent on their own
//! over raw TCP (so that what no client would send really reaches the server) and as items
//! of `$batch` posts (valid envelopes with hostile items, and hostile envelopes).
//!
//! Invariants, for every request:
//! - the server answers with a status line (it never panics, which would reset the
//!   connection) and keeps serving;
//! - no 5xx (faults are off) but 501 `NotImplemented`, the documented answer for an
//!   operation the emulator knows but does not implement (counted);
//! - a refused request (4xx, or a `$batch` whose items were all refused) writes nothing:
//!   the tenant compares equal before and after;
//! - a `$batch` answered 200 answers each item exactly once.
//!
//! Budget: fixed seeds, [`SINGLE_CASES`] requests and [`BATCH_CASES`] batches in CI;
//! `HOSTILE_CASES=N` runs `N` of each instead (a longer campaign), and prints what was
//! sent and answered (`--nocapture`).

mod common;

use std::collections::BTreeMap;
use std::fmt;
use std::io::{Read as _, Write as _};
use std::net::{SocketAddr, TcpStream};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use graphspec_emulator::{Emulator, Tenant};
use percent_encoding::{AsciiSet, CONTROLS, NON_ALPHANUMERIC, percent_encode};
use proptest::prelude::*;
use proptest::sample::select;
use proptest::test_runner::{Config, RngAlgorithm, TestCaseError, TestError, TestRng, TestRunner};
use serde_json::{Map, Value, json};

/// Requests sent on their own in CI.
const SINGLE_CASES: u32 = 300;
/// `$batch` posts sent in CI.
const BATCH_CASES: u32 = 120;

/// `HOSTILE_CASES`, or `default`.
fn cases(default: u32) -> u32 {
    std::env::var("HOSTILE_CASES")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(default)
}

/// A runner with a fixed seed: the same cases on every run, whatever `PROPTEST_*` says.
fn runner(cases: u32, seed: u8) -> TestRunner {
    let config = Config {
        cases,
        failure_persistence: None,
        max_shrink_iters: 256,
        max_shrink_time: 60_000,
        ..Config::default()
    };
    TestRunner::new_with_rng(
        config,
        TestRng::from_seed(RngAlgorithm::ChaCha, &[seed; 32]),
    )
}

/// Users seeded in each campaign's emulator.
const USERS: usize = 5;

/// Roles that allow every operation the emulator implements.
const ALL_ROLES: &[&str] = &[
    "User.ReadWrite.All",
    "Directory.ReadWrite.All",
    "Group.ReadWrite.All",
    "GroupMember.ReadWrite.All",
    "LicenseAssignment.ReadWrite.All",
    "Organization.ReadWrite.All",
    "User.Read.All",
    "Directory.Read.All",
];

// ---------------------------------------------------------------------------------------
// Raw HTTP/1.1 on loopback.

/// A request as bytes on the wire: nothing in it need be valid.
#[derive(Clone)]
struct RawRequest {
    method: Vec<u8>,
    target: Vec<u8>,
    headers: Vec<(Vec<u8>, Vec<u8>)>,
    body: Vec<u8>,
    chunked: bool,
}

/// At most `max` bytes of `bytes`, lossily, for failure messages.
fn shown(bytes: &[u8], max: usize) -> String {
    let head = String::from_utf8_lossy(&bytes[..bytes.len().min(max)]).into_owned();
    if bytes.len() > max {
        format!("{head:?}… ({} bytes)", bytes.len())
    } else {
        format!("{head:?}")
    }
}

impl fmt::Debug for RawRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "{} {}{}",
            shown(&self.method, 40),
            shown(&self.target, 300),
            if self.chunked { " (chunked)" } else { "" }
        )?;
        for (name, value) in &self.headers {
            writeln!(f, "  {}: {}", shown(name, 60), shown(value, 120))?;
        }
        write!(f, "  body {}", shown(&self.body, 300))
    }
}

impl RawRequest {
    fn to_bytes(&self, addr: SocketAddr) -> Vec<u8> {
        let mut out = Vec::with_capacity(self.target.len() + self.body.len() + 512);
        out.extend_from_slice(&self.method);
        out.push(b' ');
        out.extend_from_slice(&self.target);
        out.extend_from_slice(b" HTTP/1.1\r\n");
        out.extend_from_slice(format!("Host: {addr}\r\nConnection: close\r\n").as_bytes());
        for (name, value) in &self.headers {
            out.extend_from_slice(name);
            out.extend_from_slice(b": ");
            out.extend_from_slice(value);
            out.extend_from_slice(b"\r\n");
        }
        if self.chunked {
            out.extend_from_slice(b"Transfer-Encoding: chunked\r\n\r\n");
            for chunk in self.body.chunks(4096) {
                out.extend_from_slice(format!("{:x}\r\n", chunk.len()).as_bytes());
                out.extend_from_slice(chunk);
                out.extend_from_slice(b"\r\n");
            }
            out.extend_from_slice(b"0\r\n\r\n");
        } else {
            out.extend_from_slice(
                format!("Content-Length: {}\r\n\r\n", self.body.len()).as_bytes(),
            );
            out.extend_from_slice(&self.body);
        }
        out
    }
}

/// What came back.
struct Answer {
    status: u16,
    body: Vec<u8>,
}

impl Answer {
    fn json(&self) -> Option<Value> {
        serde_json::from_slice(&self.body).ok()
    }
}

/// Sends `request` on a new connection (writing and reading at once, so a server that
/// answers before reading a large body is heard) and reads the answer to the end.
fn exchange(addr: SocketAddr, request: &RawRequest) -> Result<Answer, String> {
    let bytes = request.to_bytes(addr);
    let mut stream = TcpStream::connect(addr).map_err(|e| format!("connect: {e}"))?;
    stream
        .set_read_timeout(Some(Duration::from_secs(30)))
        .map_err(|e| e.to_string())?;
    let mut writer = stream.try_clone().map_err(|e| e.to_string())?;
    let sender = std::thread::spawn(move || {
        // The server may answer and close before reading everything (a body over its
        // limit, a request line it cannot parse): a failed write is not the failure. The
        // write side stays open, as real clients keep it (hyper drops a request whose
        // client half-closed before the answer); `Connection: close` ends the exchange.
        let _ = writer.write_all(&bytes);
    });
    let mut response = Vec::new();
    let read = stream.read_to_end(&mut response);
    let _ = sender.join();
    if let Err(e) = read
        && response.is_empty()
    {
        return Err(format!("no answer, the connection failed: {e}"));
    }
    parse_response(&response, request.method.eq_ignore_ascii_case(b"HEAD"))
}

fn parse_response(mut response: &[u8], head: bool) -> Result<Answer, String> {
    // Interim answers (`100 Continue` to `Expect: 100-continue`) come first.
    while response.starts_with(b"HTTP/1.1 1") {
        let end = response
            .windows(4)
            .position(|w| w == b"\r\n\r\n")
            .ok_or_else(|| format!("an interim answer cut short: {}", shown(response, 200)))?;
        response = &response[end + 4..];
    }
    let end = response
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .ok_or_else(|| format!("no complete response head: {}", shown(response, 200)))?;
    let head_text = String::from_utf8_lossy(&response[..end]);
    let mut lines = head_text.split("\r\n");
    let status_line = lines.next().unwrap_or_default();
    let status: u16 = status_line
        .strip_prefix("HTTP/1.1 ")
        .and_then(|rest| rest.get(..3))
        .and_then(|code| code.parse().ok())
        .ok_or_else(|| format!("bad status line {status_line:?}"))?;
    let mut length = None;
    let mut chunked = false;
    for line in lines {
        let (name, value) = line.split_once(':').unwrap_or((line, ""));
        if name.eq_ignore_ascii_case("content-length") {
            length = value.trim().parse::<usize>().ok();
        } else if name.eq_ignore_ascii_case("transfer-encoding") {
            chunked = value.trim().eq_ignore_ascii_case("chunked");
        }
    }
    let rest = &response[end + 4..];
    let body = if head {
        Vec::new()
    } else if chunked {
        dechunk(rest).ok_or_else(|| format!("{status}: a chunked body cut short"))?
    } else if let Some(length) = length {
        rest.get(..length)
            .ok_or_else(|| format!("{status}: {} of {length} body bytes", rest.len()))?
            .to_vec()
    } else {
        rest.to_vec()
    };
    Ok(Answer { status, body })
}

fn dechunk(mut rest: &[u8]) -> Option<Vec<u8>> {
    let mut body = Vec::new();
    loop {
        let line_end = rest.windows(2).position(|w| w == b"\r\n")?;
        let size_text = std::str::from_utf8(&rest[..line_end]).ok()?;
        let size = usize::from_str_radix(size_text.split(';').next()?.trim(), 16).ok()?;
        rest = &rest[line_end + 2..];
        if size == 0 {
            return Some(body);
        }
        body.extend_from_slice(rest.get(..size)?);
        rest = rest.get(size + 2..)?;
    }
}

// ---------------------------------------------------------------------------------------
// What is sent.

/// Segments of real Graph paths.
const REAL_SEGMENTS: &[&str] = &[
    "users",
    "groups",
    "me",
    "subscribedSkus",
    "memberOf",
    "licenseDetails",
    "assignLicense",
    "reprocessLicenseAssignment",
    "delta",
    "$count",
    "$ref",
    "$value",
    "$batch",
    "$metadata",
    "members",
    "owners",
    "manager",
    "directReports",
    "photo",
    "drive",
    "root:",
    "messages",
    "mailboxSettings",
    "microsoft.graph.group",
    "getByIds",
    "checkMemberGroups",
    "USERS",
    "Users",
];

/// Odd segments: dot segments, stray and invalid escapes, OData calls and keys.
const ODD_SEGMENTS: &[&str] = &[
    "",
    ".",
    "..",
    "%2e",
    "%2E%2e",
    "%2F",
    "a%2Fb",
    "%",
    "%%",
    "%zz",
    "%4",
    "%C3%A9",
    "%FF%FE",
    "%C3",
    "%ED%A0%80",
    "%00",
    "%0D%0A",
    "%20",
    "users('x')",
    "users(id='1')",
    "delta()",
    "getUsage(period='D7')",
    "reports",
    "(",
    ")",
    "'",
    ":",
    "::",
    "root:%2Fa:",
    "%3F",
    "%23",
    ";",
    "a;b=c",
    "~",
    "*",
    "@",
];

/// Percent-encodes everything but unreserved characters (and sometimes a few
/// sub-delimiters Graph paths carry).
const LOOSE: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~')
    .remove(b'\'')
    .remove(b'(')
    .remove(b')')
    .remove(b',')
    .remove(b'$')
    .remove(b'@')
    .remove(b':');

/// Path and query bytes a request target can carry without breaking the request line.
const TARGET: &AsciiSet = &CONTROLS.add(b' ').add(b'#').add(b'"').add(b'<').add(b'>');

fn encoded(bytes: &[u8]) -> Vec<u8> {
    percent_encode(bytes, LOOSE).to_string().into_bytes()
}

fn target_safe(bytes: &[u8]) -> Vec<u8> {
    percent_encode(bytes, TARGET).to_string().into_bytes()
}

/// The ids a request may name: known users (by id and by user principal name), known
/// groups, and unknown ones.
fn ids(emu: &Emulator) -> Vec<String> {
    let mut ids = emu.with_tenant(|t| {
        let mut ids = t.user_ids();
        ids.extend(
            t.users()
                .iter()
                .filter_map(|u| u["userPrincipalName"].as_str().map(str::to_owned)),
        );
        ids.extend(
            t.groups()
                .iter()
                .filter_map(|g| g["id"].as_str().map(str::to_owned)),
        );
        ids
    });
    ids.push("00000000-0000-0000-0000-000000000000".into());
    ids.push("nobody@contoso.example".into());
    ids
}

fn huge(max: usize) -> impl Strategy<Value = Vec<u8>> {
    (1usize..max, select(vec![b'a', b'%', b'/', b'.', b'\''])).prop_map(|(n, c)| vec![c; n])
}

/// One path segment, as sent.
fn segment(ids: Vec<String>) -> BoxedStrategy<Vec<u8>> {
    prop_oneof![
        6 => select(REAL_SEGMENTS).prop_map(|s| s.as_bytes().to_vec()),
        4 => select(ids).prop_map(|s| encoded(s.as_bytes())),
        3 => select(ODD_SEGMENTS).prop_map(|s| s.as_bytes().to_vec()),
        1 => "\\PC{0,12}".prop_map(|s| encoded(s.as_bytes())),
        // Unencoded text: non-ASCII bytes in a request target (the server refuses them).
        1 => "\\PC{0,8}".prop_map(|s| target_safe(s.as_bytes())),
        // Any bytes, escaped: decodes to text that need not be UTF-8.
        1 => prop::collection::vec(any::<u8>(), 0..12).prop_map(|b| encoded(&b)),
        // Raw bytes, unescaped: a request line no server should accept.
        1 => prop::collection::vec(any::<u8>(), 0..6),
        1 => huge(70_000),
    ]
    .boxed()
}

/// Paths of operations the emulator serves (`{}` is an id), some implemented, some not
/// (501), some under another method (405).
const PLAUSIBLE_PATHS: &[&str] = &[
    "/users",
    "/users/{}",
    "/users/{}/memberOf",
    "/users/{}/licenseDetails",
    "/users/{}/assignLicense",
    "/users/{}/reprocessLicenseAssignment",
    "/users/{}/manager",
    "/users/{}/directReports",
    "/users/{}/photo/$value",
    "/users/{}/mailboxSettings",
    "/users/delta",
    "/users/$count",
    "/me",
    "/me/memberOf",
    "/me/licenseDetails",
    "/groups",
    "/groups/{}",
    "/groups/{}/members",
    "/groups/{}/members/$ref",
    "/groups/{}/owners",
    "/groups/delta",
    "/subscribedSkus",
    "/subscribedSkus/{}",
];

/// A plausible path: an operation's path with a known or unknown id.
fn plausible_path(ids: Vec<String>) -> BoxedStrategy<Vec<u8>> {
    (
        select(vec!["/v1.0", "/v1.0", "/v1.0", "/beta"]),
        select(PLAUSIBLE_PATHS),
        prop_oneof![4 => select(ids.clone()).prop_map(|id| encoded(id.as_bytes())), 1 => segment(ids)],
    )
        .prop_map(|(version, path, id)| {
            let mut out = version.as_bytes().to_vec();
            let (before, after) = path.split_once("{}").unwrap_or((path, ""));
            out.extend_from_slice(before.as_bytes());
            if path.contains("{}") {
                out.extend_from_slice(&id);
            }
            out.extend_from_slice(after.as_bytes());
            out
        })
        .boxed()
}

fn path(ids: Vec<String>) -> BoxedStrategy<Vec<u8>> {
    prop_oneof![
        3 => plausible_path(ids.clone()),
        2 => garbled_path(ids),
    ]
    .boxed()
}

/// Graph-like segments and garbage, under any prefix.
fn garbled_path(ids: Vec<String>) -> BoxedStrategy<Vec<u8>> {
    let prefix = select(vec![
        "/v1.0", "/v1.0", "/v1.0", "/v1.0", "/beta", "/beta", "/V1.0", "", "/v2.0", "//v1.0",
        "/v1.0/..", "/v1.0/.", "/./v1.0", "/v1.0%2F", "/%761.0",
    ]);
    (
        prefix,
        prop::collection::vec(
            (
                segment(ids),
                select(vec!["/", "/", "/", "//", "/./", "/../"]),
            ),
            0..6,
        ),
        prop::bool::weighted(0.1),
    )
        .prop_map(|(prefix, segments, trailing)| {
            let mut out = prefix.as_bytes().to_vec();
            for (segment, separator) in segments {
                out.extend_from_slice(separator.as_bytes());
                out.extend_from_slice(&segment);
            }
            if trailing {
                out.push(b'/');
            }
            if out.first() != Some(&b'/') {
                out.insert(0, b'/');
            }
            out
        })
        .boxed()
}

/// OData-like values of query options.
const ODATA_VALUES: &[&str] = &[
    "displayName eq 'Ada'",
    "displayName eq 'Zoë' and department eq 'Sales'",
    "userPrincipalName eq 'user00001@contoso.example'",
    "accountEnabled eq true",
    "accountEnabled eq null",
    "startswith(displayName,'a')",
    "id in ('a','b')",
    "a eq 'unterminated",
    "''''",
    "'",
    "eq",
    " and ",
    "x eq 1 and",
    "assignedLicenses/any(x:x/skuId eq 1)",
    "id,displayName",
    "id,,",
    ",,,",
    "*",
    "memberOf($select=id)",
    "manager($levels=max)",
    "displayName desc",
    "\"displayName:ada\"",
    "0",
    "1",
    "-1",
    "2",
    "999",
    "1000",
    "18446744073709551616",
    "1e3",
    " 5",
    "true",
    "TRUE",
    "false",
    "emu-0",
    "emu-3",
    "emu-18446744073709551615",
    "emu-99999999999999999999",
    "emu--1",
    "json",
    "",
];

/// Query option names.
const OPTION_NAMES: &[&str] = &[
    "$filter",
    "$select",
    "$top",
    "$skip",
    "$skiptoken",
    "$expand",
    "$orderby",
    "$count",
    "$search",
    "$format",
    "$levels",
    "filter",
    "top",
    "$FILTER",
    "$Top",
    "%24filter",
    "%24top",
    "$",
    "$$top",
    "",
];

fn query_value() -> BoxedStrategy<Vec<u8>> {
    prop_oneof![
        6 => select(ODATA_VALUES).prop_map(|s| encoded(s.as_bytes())),
        // Unencoded quotes, commas and parentheses, as people type them.
        2 => select(ODATA_VALUES).prop_map(|s| target_safe(s.as_bytes())),
        2 => "\\PC{0,20}".prop_map(|s| encoded(s.as_bytes())),
        1 => prop::collection::vec(any::<u8>(), 0..16).prop_map(|b| encoded(&b)),
        1 => select(vec!["%", "%G1", "%F", "%FF%FE", "%C3", "%ED%A0%80", "%C0%AF", "%00", "%%32%30", "+", "%2B", "&", "="])
            .prop_map(|s| s.as_bytes().to_vec()),
        1 => prop::collection::vec(128u8..=255, 1..8),
        1 => huge(70_000),
    ]
    .boxed()
}

fn query() -> BoxedStrategy<Vec<u8>> {
    let option = (
        select(OPTION_NAMES),
        query_value(),
        prop::bool::weighted(0.9),
    )
        .prop_map(|(name, value, with_equals)| {
            let mut out = name.as_bytes().to_vec();
            if with_equals {
                out.push(b'=');
            }
            out.extend_from_slice(&value);
            out
        });
    prop_oneof![
        6 => Just(Vec::new()),
        6 => (prop::collection::vec(option, 1..5), select(vec!["&", "&", "&", "&&", ";"])).prop_map(
            |(options, separator)| {
                let mut out = b"?".to_vec();
                out.extend_from_slice(&options.join(separator.as_bytes()));
                out
            }
        ),
        1 => query_value().prop_map(|v| [b"?".as_slice(), &v].concat()),
        1 => Just(b"?".to_vec()),
        1 => Just(b"??&&==".to_vec()),
    ]
    .boxed()
}

/// Any JSON value, nested a little.
fn json_value() -> BoxedStrategy<Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::from),
        any::<i64>().prop_map(Value::from),
        any::<f64>()
            .prop_map(|f| serde_json::Number::from_f64(f).map_or(Value::Null, Value::Number)),
        "\\PC{0,16}".prop_map(Value::from),
        select(vec![
            "displayName",
            "id",
            "department",
            "@odata.type",
            "accountEnabled",
            "skuId"
        ])
        .prop_map(Value::from),
    ];
    leaf.prop_recursive(3, 24, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
            prop::collection::vec(
                (
                    prop_oneof![
                        select(vec![
                            "displayName",
                            "department",
                            "accountEnabled",
                            "id",
                            "userPrincipalName",
                            "mailNickname",
                            "passwordProfile",
                            "assignedLicenses",
                            "addLicenses",
                            "removeLicenses",
                            "skuId",
                            "disabledPlans",
                            "@odata.type",
                            "jobTitle",
                            "businessPhones",
                            "usageLocation",
                            "",
                        ])
                        .prop_map(str::to_owned),
                        "\\PC{0,10}",
                    ],
                    inner
                ),
                0..6
            )
            .prop_map(|fields| Value::Object(fields.into_iter().collect())),
        ]
    })
    .boxed()
}

/// Bodies an operation of the emulator would accept, to reach its handlers.
fn plausible_body(ids: Vec<String>) -> BoxedStrategy<Value> {
    prop_oneof![
        ("\\PC{0,12}", "[a-z]{1,10}", any::<bool>()).prop_map(|(name, nick, enabled)| json!({
            "accountEnabled": enabled,
            "displayName": name,
            "mailNickname": nick,
            "userPrincipalName": format!("{nick}@contoso.example"),
            "passwordProfile": { "forceChangePasswordNextSignIn": true, "password": "x" },
        })),
        (select(vec!["department", "jobTitle", "displayName", "usageLocation", "id", "mail", "businessPhones"]), json_value())
            .prop_map(|(k, v)| json!({ k: v })),
        (select(ids), any::<bool>()).prop_map(|(sku, add)| {
            let license = json!([{ "skuId": sku, "disabledPlans": [] }]);
            if add {
                json!({ "addLicenses": license, "removeLicenses": [] })
            } else {
                json!({ "addLicenses": [], "removeLicenses": [sku] })
            }
        }),
        Just(json!({ "addLicenses": [{ "skuId": "c7df2760-2c81-4ef7-b578-5b5392b571df", "disabledPlans": [] }], "removeLicenses": [] })),
    ]
    .boxed()
}

fn body(ids: Vec<String>) -> BoxedStrategy<Vec<u8>> {
    prop_oneof![
        4 => Just(Vec::new()),
        3 => plausible_body(ids.clone()).prop_map(|v| v.to_string().into_bytes()),
        3 => json_value().prop_map(|v| v.to_string().into_bytes()),
        // Broken JSON: valid JSON cut short, or with a byte dropped in.
        2 => (plausible_body(ids), any::<prop::sample::Index>(), any::<u8>(), any::<bool>()).prop_map(
            |(v, at, byte, cut)| {
                let mut text = v.to_string().into_bytes();
                let i = at.index(text.len() + 1);
                if cut {
                    text.truncate(i);
                } else {
                    text.insert(i, byte);
                }
                text
            }
        ),
        1 => prop::collection::vec(any::<u8>(), 0..256),
        1 => (1usize..2000).prop_map(|depth| ["[".repeat(depth), "]".repeat(depth)].concat().into_bytes()),
        1 => select(vec!["null", "\"\"", "[]", "{}", "   ", "0", "\u{feff}{}", "{\"a\":\"\\ud800\"}"])
            .prop_map(|s| s.as_bytes().to_vec()),
        // Over axum's 2 MB body limit, rarely.
        1 => prop::sample::select(vec![64 * 1024, 300 * 1024, 2 * 1024 * 1024 + 17])
            .prop_map(|n| vec![b' '; n]),
    ]
    .boxed()
}

/// The `Authorization` header: valid tokens of several kinds, none, and garbage.
#[derive(Debug, Clone, Copy)]
enum Auth {
    AllRoles,
    ReadOnly,
    Delegated,
    Expired,
    Missing,
    Garbage,
    NotUtf8,
    Basic,
}

fn auth() -> impl Strategy<Value = Auth> {
    prop_oneof![
        10 => Just(Auth::AllRoles),
        2 => Just(Auth::ReadOnly),
        2 => Just(Auth::Delegated),
        1 => Just(Auth::Expired),
        1 => Just(Auth::Missing),
        1 => Just(Auth::Garbage),
        1 => Just(Auth::NotUtf8),
        1 => Just(Auth::Basic),
    ]
}

/// The tokens of each [`Auth`] kind.
struct Tokens {
    all: String,
    read_only: String,
    delegated: String,
    expired: String,
}

impl Tokens {
    fn new(emu: &Emulator) -> Tokens {
        Tokens {
            all: emu.app_token(ALL_ROLES),
            read_only: emu.app_token(&["User.Read.All"]),
            delegated: emu.delegated_token(
                &[
                    "User.ReadWrite.All",
                    "Directory.ReadWrite.All",
                    "Group.ReadWrite.All",
                ],
                graphspec_emulator::Account::Work,
            ),
            expired: emu.expired_token(ALL_ROLES),
        }
    }

    fn header(&self, auth: Auth) -> Option<Vec<u8>> {
        let bearer = |t: &str| Some(format!("Bearer {t}").into_bytes());
        match auth {
            Auth::AllRoles => bearer(&self.all),
            Auth::ReadOnly => bearer(&self.read_only),
            Auth::Delegated => bearer(&self.delegated),
            Auth::Expired => bearer(&self.expired),
            Auth::Missing => None,
            Auth::Garbage => bearer("eyJ.garbage.x"),
            Auth::NotUtf8 => Some(b"Bearer \xff\xfe\x80".to_vec()),
            Auth::Basic => Some(b"Basic dXNlcjpwYXNz".to_vec()),
        }
    }
}

fn header() -> BoxedStrategy<(Vec<u8>, Vec<u8>)> {
    let value = prop_oneof![
        4 => "[ -~]{0,30}".prop_map(String::into_bytes),
        // obs-text: bytes a header value may carry that are not UTF-8.
        2 => prop::collection::vec(prop_oneof![32u8..=126, 128u8..=255], 0..30),
        // Control bytes: an invalid header the server refuses.
        1 => prop::collection::vec(prop_oneof![1u8..=8, 11u8..=12, 14u8..=31, 127u8..=127], 1..4),
        1 => (1usize..100_000).prop_map(|n| vec![b'x'; n]),
    ];
    let name = prop_oneof![
        4 => select(vec![
            "ConsistencyLevel", "consistencylevel", "Content-Type", "client-request-id", "Prefer",
            "Accept", "User-Agent", "If-Match", "Accept-Encoding", "Expect", "X-HTTP-Method-Override",
            "Content-Encoding",
        ])
        .prop_map(|s| s.as_bytes().to_vec()),
        1 => "[A-Za-z0-9-]{1,20}".prop_map(String::into_bytes),
        1 => prop::collection::vec(any::<u8>(), 1..6).prop_map(|b| b.into_iter().filter(|c| *c != b'\r' && *c != b'\n' && *c != b':').collect::<Vec<u8>>()),
    ];
    let known = select(vec![
        ("ConsistencyLevel", "eventual"),
        ("ConsistencyLevel", "EVENTUAL"),
        ("Content-Type", "application/json"),
        ("Content-Type", "text/plain"),
        ("Content-Type", "application/json; charset=utf-16"),
        ("Expect", "100-continue"),
        ("Content-Encoding", "gzip"),
        ("X-HTTP-Method-Override", "DELETE"),
    ])
    .prop_map(|(n, v)| (n.as_bytes().to_vec(), v.as_bytes().to_vec()));
    prop_oneof![
        6 => known,
        2 => (name, value),
    ]
    .boxed()
}

fn headers() -> BoxedStrategy<Vec<(Vec<u8>, Vec<u8>)>> {
    prop_oneof![
        40 => prop::collection::vec(header(), 0..3),
        // More headers than the server takes.
        1 => (90usize..130).prop_map(|n| (0..n).map(|i| (format!("X-H{i}").into_bytes(), b"1".to_vec())).collect()),
    ]
    .boxed()
}

fn method() -> BoxedStrategy<Vec<u8>> {
    prop_oneof![
        14 => select(vec!["GET", "GET", "GET", "GET", "GET", "GET", "POST", "POST", "POST", "PATCH", "PATCH", "PATCH", "DELETE", "DELETE", "PUT"])
            .prop_map(|s| s.as_bytes().to_vec()),
        2 => select(vec!["HEAD", "OPTIONS", "TRACE", "get", "Post", "PROPFIND", "M-SEARCH", "QUERY"])
            .prop_map(|s| s.as_bytes().to_vec()),
        1 => "[A-Z]{1,12}".prop_map(String::into_bytes),
        1 => prop::collection::vec(any::<u8>(), 1..8)
            .prop_map(|b| b.into_iter().filter(|c| !c.is_ascii_whitespace()).collect::<Vec<u8>>()),
    ]
    .boxed()
}

fn single_request(ids: Vec<String>) -> impl Strategy<Value = (RawRequest, Auth)> {
    (
        method(),
        path(ids.clone()),
        query(),
        headers(),
        body(ids),
        prop::bool::weighted(0.1),
        auth(),
    )
        .prop_map(|(method, path, query, headers, body, chunked, auth)| {
            let request = RawRequest {
                method,
                target: [path, query].concat(),
                headers,
                body,
                chunked,
            };
            (request, auth)
        })
}

// ---------------------------------------------------------------------------------------
// `$batch` items and envelopes.

/// How an item's id is written.
#[derive(Debug, Clone, Copy)]
enum ItemId {
    Own,
    Duplicate,
    Empty,
    Number,
    Missing,
}

/// Whom an item depends on.
#[derive(Debug, Clone, Copy)]
enum Depends {
    Nobody,
    Earlier,
    Later,
    Unknown,
    NotAnArray,
    Numbers,
}

#[derive(Debug, Clone)]
struct Item {
    id: ItemId,
    method: Value,
    url: Value,
    headers: Option<Value>,
    body: Option<Value>,
    depends: Depends,
}

fn batch_url(ids: Vec<String>) -> BoxedStrategy<Value> {
    prop_oneof![
        8 => (path(ids.clone()), query(), any::<bool>()).prop_map(|(path, query, strip)| {
            let text = String::from_utf8_lossy(&[path, query].concat()).into_owned();
            // Batch urls are relative to the version; some callers keep it.
            let text = if strip {
                text.strip_prefix("/v1.0").map(str::to_owned).unwrap_or(text)
            } else {
                text
            };
            Value::String(text)
        }),
        2 => (select(ids), select(vec!["", "/memberOf", "/licenseDetails", "/assignLicense", "/reprocessLicenseAssignment"]))
            .prop_map(|(id, tail)| Value::String(format!("/users/{id}{tail}"))),
        1 => select(vec![
            "users", "https://graph.microsoft.com/v1.0/users", "//users", "", "?$top=1", "/users?$top=1#x",
            "/users/%", "/users/%FF", "/$batch", "/v1.0/$batch",
        ])
        .prop_map(Value::from),
        1 => json_value(),
    ]
    .boxed()
}

fn item(ids: Vec<String>) -> BoxedStrategy<Item> {
    let id = prop_oneof![
        200 => Just(ItemId::Own),
        1 => Just(ItemId::Duplicate),
        1 => Just(ItemId::Empty),
        1 => Just(ItemId::Number),
        1 => Just(ItemId::Missing),
    ];
    let item_method = prop_oneof![
        12 => select(vec!["GET", "POST", "PATCH", "DELETE", "PUT"]).prop_map(Value::from),
        2 => select(vec!["get", "HEAD", "", "G E T", "FOO", "\u{0}", "GET\r\nX: 1"]).prop_map(Value::from),
        1 => json_value(),
    ];
    let headers = prop_oneof![
        3 => Just(None),
        2 => Just(Some(json!({ "Content-Type": "application/json" }))),
        1 => Just(Some(json!({ "ConsistencyLevel": "eventual" }))),
        1 => json_value().prop_map(Some),
    ];
    let item_body = prop_oneof![
        3 => Just(None),
        3 => plausible_body(ids.clone()).prop_map(Some),
        2 => json_value().prop_map(Some),
    ];
    let depends = prop_oneof![
        120 => Just(Depends::Nobody),
        30 => Just(Depends::Earlier),
        1 => Just(Depends::Later),
        1 => Just(Depends::Unknown),
        1 => Just(Depends::NotAnArray),
        1 => Just(Depends::Numbers),
    ];
    (id, item_method, batch_url(ids), headers, item_body, depends)
        .prop_map(|(id, method, url, headers, body, depends)| Item {
            id,
            method,
            url,
            headers,
            body,
            depends,
        })
        .boxed()
}

/// The JSON of a valid envelope holding `items`.
fn envelope(items: &[Item]) -> Value {
    let requests: Vec<Value> = items
        .iter()
        .enumerate()
        .map(|(i, item)| {
            let mut out = Map::new();
            match item.id {
                ItemId::Own => {
                    out.insert("id".into(), (i + 1).to_string().into());
                }
                ItemId::Duplicate => {
                    out.insert("id".into(), i.max(1).to_string().into());
                }
                ItemId::Empty => {
                    out.insert("id".into(), "".into());
                }
                ItemId::Number => {
                    out.insert("id".into(), (i + 1).into());
                }
                ItemId::Missing => {}
            }
            out.insert("method".into(), item.method.clone());
            out.insert("url".into(), item.url.clone());
            if let Some(headers) = &item.headers {
                out.insert("headers".into(), headers.clone());
            }
            if let Some(body) = &item.body {
                out.insert("body".into(), body.clone());
            }
            let depends = match item.depends {
                Depends::Nobody => None,
                Depends::Earlier => (i > 0).then(|| json!([i.to_string()])),
                Depends::Later => Some(json!([(i + 2).to_string()])),
                Depends::Unknown => Some(json!(["nope"])),
                Depends::NotAnArray => Some(json!("1")),
                Depends::Numbers => Some(json!([1, null])),
            };
            if let Some(depends) = depends {
                out.insert("dependsOn".into(), depends);
            }
            Value::Object(out)
        })
        .collect();
    json!({ "requests": requests })
}

/// A `$batch` post's body and how many items (with unique ids) it holds, if it is a
/// valid envelope.
#[derive(Clone)]
struct BatchBody {
    bytes: Vec<u8>,
    items: Option<Vec<Item>>,
}

impl fmt::Debug for BatchBody {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.items {
            Some(items) => {
                let value = envelope(items);
                write!(f, "{}", shown(value.to_string().as_bytes(), 4000))
            }
            None => write!(f, "{}", shown(&self.bytes, 600)),
        }
    }
}

fn batch_body(ids: Vec<String>) -> BoxedStrategy<BatchBody> {
    let valid = prop::collection::vec(item(ids.clone()), 0..23).prop_map(|items| BatchBody {
        bytes: envelope(&items).to_string().into_bytes(),
        items: Some(items),
    });
    let hostile = prop_oneof![
        // A valid envelope cut short or with a byte dropped in.
        (prop::collection::vec(item(ids), 1..4), any::<prop::sample::Index>(), any::<u8>(), any::<bool>())
            .prop_map(|(items, at, byte, cut)| {
                let mut text = envelope(&items).to_string().into_bytes();
                let i = at.index(text.len());
                if cut {
                    text.truncate(i);
                } else {
                    text.insert(i, byte);
                }
                text
            }),
        json_value().prop_map(|v| v.to_string().into_bytes()),
        json_value().prop_map(|v| json!({ "requests": v }).to_string().into_bytes()),
        prop::collection::vec(json_value(), 0..4)
            .prop_map(|v| json!({ "requests": v }).to_string().into_bytes()),
        prop::collection::vec(any::<u8>(), 0..200),
        (1usize..3000).prop_map(|depth| format!("{{\"requests\":{}{}}}", "[".repeat(depth), "]".repeat(depth)).into_bytes()),
        select(vec![
            "", "{}", "[]", "null", "{\"requests\":null}", "{\"requests\":{}}", "{\"requests\":\"x\"}",
            "{\"requests\":[{\"id\":\"1\",\"method\":\"GET\",\"url\":\"/users\"}], \"requests\":[]}",
            "{\"requests\":[{\"id\":\"1\",\"method\":\"GET\",\"url\":\"/users\\u0000\"}]}",
            "{\"requests\":[{\"id\":\"\\ud800\",\"method\":\"GET\",\"url\":\"/users\"}]}",
        ])
        .prop_map(|s| s.as_bytes().to_vec()),
        Just(b"{\"requests\":[{\"id\":\"1\",\"method\":\"GET\",\"url\":\"/users/\xff\xfe\"}]}".to_vec()),
    ]
    .prop_map(|bytes| BatchBody { bytes, items: None });
    prop_oneof![4 => valid, 1 => hostile].boxed()
}

// ---------------------------------------------------------------------------------------
// The campaigns.

/// What a campaign saw, by answer.
#[derive(Default)]
struct Tally {
    statuses: BTreeMap<u16, u64>,
    item_statuses: BTreeMap<u16, u64>,
    /// Per status and Graph error code (or `-` without one): how many.
    codes: BTreeMap<(u16, String), u64>,
    not_implemented: u64,
    refused_unchanged: u64,
    changed: u64,
}

impl Tally {
    /// Checks that a refused exchange left the tenant as it was (`before`, `after`), and
    /// counts it; counts an accepted one that changed the tenant.
    fn writes(
        &mut self,
        before: &Tenant,
        after: &Tenant,
        refused: bool,
        what: &str,
        answer: &Answer,
        shown_bytes: usize,
    ) -> Result<(), TestCaseError> {
        if refused {
            prop_assert!(
                before == after,
                "a refused {what} ({}) changed the tenant: {}",
                answer.status,
                shown(&answer.body, shown_bytes)
            );
            self.refused_unchanged += 1;
        } else if before != after {
            self.changed += 1;
        }
        Ok(())
    }
}

/// Prints what a campaign of `cases` hostile `what` did, and fails on its first failure.
fn report(
    what: &str,
    cases: u32,
    started: Instant,
    tally: Mutex<Tally>,
    result: Result<(), TestError<impl fmt::Debug>>,
) {
    let tally = tally.into_inner().unwrap();
    eprintln!(
        "hostile {what}: {cases} cases in {:.1} s; {tally}",
        started.elapsed().as_secs_f64()
    );
    if let Err(e) = result {
        panic!("{e}");
    }
}

impl fmt::Display for Tally {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "statuses {:?}; batch item statuses {:?}; by error code {:?}; 501 NotImplemented \
             {}; refused and checked unchanged {}; requests that changed the tenant {}",
            self.statuses,
            self.item_statuses,
            self.codes,
            self.not_implemented,
            self.refused_unchanged,
            self.changed
        )
    }
}

impl Tally {
    fn code(&mut self, status: u16, body: &Value) {
        if status >= 400 {
            let code = body["error"]["code"].as_str().unwrap_or("-").to_owned();
            *self.codes.entry((status, code)).or_default() += 1;
        }
    }
}

/// Whether `answer` is 501 `NotImplemented`, the emulator's answer for an operation it
/// knows but does not implement.
fn is_not_implemented(status: u16, body: &Value) -> bool {
    status == 501 && body["error"]["code"] == "NotImplemented"
}

/// An emulator on its own runtime (the campaign's test thread blocks on sockets).
fn emulator() -> (tokio::runtime::Runtime, Emulator) {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    let emu = runtime.block_on(common::start(USERS));
    (runtime, emu)
}

fn snapshot(emu: &Emulator) -> Tenant {
    emu.with_tenant(Tenant::clone)
}

#[test]
fn hostile_requests_get_an_answer_no_5xx_and_refusals_write_nothing() {
    let (_runtime, emu) = emulator();
    let tokens = Tokens::new(&emu);
    let addr = emu.addr();
    let tally = Mutex::new(Tally::default());
    let cases = cases(SINGLE_CASES);
    let started = Instant::now();
    let strategy = single_request(ids(&emu));
    let result = runner(cases, 0x11).run(&strategy, |(mut request, auth)| {
        if let Some(value) = tokens.header(auth) {
            request
                .headers
                .insert(0, (b"Authorization".to_vec(), value));
        }
        let before = snapshot(&emu);
        let answer = exchange(addr, &request).map_err(TestCaseError::fail)?;
        prop_assert!(emu.is_running(), "the server stopped");
        let body = answer.json().unwrap_or(Value::Null);
        let mut tally = tally.lock().unwrap();
        *tally.statuses.entry(answer.status).or_default() += 1;
        tally.code(answer.status, &body);
        if is_not_implemented(answer.status, &body) {
            tally.not_implemented += 1;
        } else {
            prop_assert!(
                answer.status < 500,
                "{}: {}",
                answer.status,
                shown(&answer.body, 600)
            );
        }
        let refused = answer.status >= 400;
        tally.writes(&before, &snapshot(&emu), refused, "request", &answer, 600)
    });
    report("requests", cases, started, tally, result);
}

#[test]
fn hostile_batches_get_an_answer_per_item_no_5xx_and_refusals_write_nothing() {
    let (_runtime, emu) = emulator();
    let tokens = Tokens::new(&emu);
    let addr = emu.addr();
    let tally = Mutex::new(Tally::default());
    let cases = cases(BATCH_CASES);
    let started = Instant::now();
    let strategy = (
        batch_body(ids(&emu)),
        select(vec![
            "/v1.0/$batch",
            "/beta/$batch",
            "/v1.0/$batch",
            "/v1.0/$batch?$top=1",
        ]),
        prop_oneof![8 => Just(Auth::AllRoles), 1 => Just(Auth::ReadOnly), 1 => auth()],
        prop::bool::weighted(0.9),
    );
    let result = runner(cases, 0x22).run(&strategy, |(batch, target, auth, json_type)| {
        let mut headers = Vec::new();
        if let Some(value) = tokens.header(auth) {
            headers.push((b"Authorization".to_vec(), value));
        }
        if json_type {
            headers.push((b"Content-Type".to_vec(), b"application/json".to_vec()));
        }
        let request = RawRequest {
            method: b"POST".to_vec(),
            target: target.as_bytes().to_vec(),
            headers,
            body: batch.bytes.clone(),
            chunked: false,
        };
        let before = snapshot(&emu);
        let answer = exchange(addr, &request).map_err(TestCaseError::fail)?;
        prop_assert!(emu.is_running(), "the server stopped");
        let body = answer.json().unwrap_or(Value::Null);
        let mut tally = tally.lock().unwrap();
        *tally.statuses.entry(answer.status).or_default() += 1;
        tally.code(answer.status, &body);
        prop_assert!(
            answer.status < 500,
            "{}: {}",
            answer.status,
            shown(&answer.body, 600)
        );
        let mut all_refused = answer.status >= 400;
        if answer.status == 200 {
            let responses = body["responses"]
                .as_array()
                .ok_or_else(|| TestCaseError::fail(format!("no responses: {body}")))?;
            if let Some(items) = &batch.items {
                prop_assert_eq!(
                    responses.len(),
                    items.len(),
                    "one answer per item: {}",
                    body
                );
                let mut ids: Vec<String> = responses
                    .iter()
                    .map(|r| r["id"].as_str().unwrap_or_default().to_owned())
                    .collect();
                ids.sort_by_key(|id| id.parse::<usize>().unwrap_or(usize::MAX));
                let expected: Vec<String> = (1..=items.len()).map(|i| i.to_string()).collect();
                prop_assert_eq!(ids, expected);
            }
            all_refused = true;
            for response in responses {
                let status = response["status"].as_u64().unwrap_or(0) as u16;
                *tally.item_statuses.entry(status).or_default() += 1;
                tally.code(status, &response["body"]);
                if is_not_implemented(status, &response["body"]) {
                    tally.not_implemented += 1;
                } else {
                    prop_assert!(
                        (100..500).contains(&status),
                        "item answered {}: {}",
                        status,
                        response
                    );
                }
                all_refused &= status >= 400;
            }
        }
        tally.writes(
            &before,
            &snapshot(&emu),
            all_refused,
            "batch",
            &answer,
            1000,
        )
    });
    report("batches", cases, started, tally, result);
}

/// Graph checks a batch's envelope before it runs any item: a batch refused for an item's
/// id (empty or repeated) or for a `dependsOn` naming no earlier item runs none of its
/// items. The emulator once checked each item when it reached it, so the items before
/// the bad one had already run (here `reprocessLicenseAssignment`, a write) when the
/// batch was answered 400; it now checks every id and `dependsOn` first.
#[test]
fn a_batch_refused_for_its_ids_or_dependencies_runs_none_of_its_items() {
    let (_runtime, emu) = emulator();
    let token = emu.app_token(ALL_ROLES);
    let id = emu.with_tenant(|t| t.user_ids()[0].clone());
    for second in [
        json!({ "id": "2", "method": "GET", "url": "/users", "dependsOn": ["3"] }),
        json!({ "id": "1", "method": "GET", "url": "/users" }),
        json!({ "id": "", "method": "GET", "url": "/users" }),
    ] {
        let batch = json!({ "requests": [
            { "id": "1", "method": "POST", "url": format!("/users/{id}/reprocessLicenseAssignment") },
            second,
        ]});
        let before = snapshot(&emu);
        let answer = exchange(
            emu.addr(),
            &RawRequest {
                method: b"POST".to_vec(),
                target: b"/v1.0/$batch".to_vec(),
                headers: vec![
                    (
                        b"Authorization".to_vec(),
                        format!("Bearer {token}").into_bytes(),
                    ),
                    (b"Content-Type".to_vec(), b"application/json".to_vec()),
                ],
                body: batch.to_string().into_bytes(),
                chunked: false,
            },
        )
        .unwrap();
        assert_eq!(answer.status, 400, "{batch}");
        assert!(snapshot(&emu) == before, "the refused batch wrote: {batch}");
    }
}
