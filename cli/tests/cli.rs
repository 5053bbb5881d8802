//! The `graphspec` command end to end: the built binary, its output and exit codes.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn graphspec(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_graphspec"))
        .args(args)
        .output()
        .expect("the graphspec binary runs")
}

fn stdout(out: &Output) -> String {
    String::from_utf8(out.stdout.clone()).unwrap()
}

fn stderr(out: &Output) -> String {
    String::from_utf8(out.stderr.clone()).unwrap()
}

fn docs_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/graph-docs/ru-RU/v1.0")
}

#[test]
fn show_renders_paths_permissions_response_and_a_snippet() {
    let out = graphspec(&["show", "user.reprocessLicenseAssignment"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let text = stdout(&out);
    assert!(text.contains("POST /users/{id}/reprocessLicenseAssignment"));
    assert!(text.contains(
        "| Delegated (work or school account) | User.ReadWrite.All, Directory.ReadWrite.All |"
    ));
    assert!(text.contains("| Delegated (personal Microsoft account) | Not supported. |"));
    assert!(
        text.contains("Response: 200 graphspec::model::User"),
        "{text}"
    );
    assert!(text.contains("let req = ReprocessLicenseAssignment::users(\"<id>\");"));
}

#[test]
fn show_accepts_rust_paths_and_prints_json() {
    let out = graphspec(&["show", "user::GetUser", "--json"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let value: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(value["name"], "user.getUser");
    assert_eq!(value["paths"][0]["constructor"], "me");
    assert_eq!(value["paths"][1]["params"][0], "id");
    assert_eq!(value["permissions"][1]["scheme"], "DelegatedPersonal");
    assert_eq!(value["permissions"][1]["scopes"][0][0], "User.Read");
}

#[test]
fn show_finds_the_operation_of_a_request_as_clients_write_it() {
    // (request, operation, path arguments)
    let cases: [(&str, &str, &[&str]); 9] = [
        (
            "GET https://graph.microsoft.com/v1.0/users/8a2f/messages?$top=5",
            "user::ListMessages",
            &["8a2f"],
        ),
        ("GET /users/{id}/messages", "user::ListMessages", &["{id}"]),
        // OData key syntax, a lower-case method, HTTP version.
        (
            "get https://graph.microsoft.com/v1.0/users('8a2f')/memberOf HTTP/1.1",
            "user::ListMemberOf",
            &["8a2f"],
        ),
        // A URL alone is a GET; a tenant segment; an encoded `$`.
        (
            "https://graph.microsoft.com/v1.0/contoso.onmicrosoft.com/users/8a2f/photo/%24value",
            "profilephoto::GetUserPhotoValue",
            &["8a2f"],
        ),
        // Case of literal segments; an encoded argument stays one argument.
        (
            "POST https://graph.microsoft.com/V1.0/USERS/a%2Fb/reprocessLicenseAssignment",
            "user::ReprocessLicenseAssignment",
            &["a/b"],
        ),
        // An endpoint several pages document is one operation's.
        (
            "GET https://graph.microsoft.com/v1.0/me/messages/AAMk=",
            "message::GetMessage",
            &["AAMk="],
        ),
        // The request's own parameters in the query pick the form that fixes them, and
        // are arguments; OData options beside them are the caller's.
        (
            "GET https://graph.microsoft.com/v1.0/drive/items/01AB/content?format=pdf",
            "driveitem::GetContentByFormat",
            &["01AB", "pdf"],
        ),
        (
            "GET https://graph.microsoft.com/v1.0/me/drive/items/01AB/content?$select=id",
            "driveitem::GetContent",
            &["01AB"],
        ),
        (
            "GET /me/calendar/calendarView?$top=5&endDateTime=2024-01-02&StartDateTime=2024-01-01T00%3A00%3A00Z",
            "calendar::ListCalendarView",
            &["2024-01-01T00:00:00Z", "2024-01-02"],
        ),
    ];
    // `/$count`: the list's count, with its permissions.
    let out = graphspec(&[
        "show",
        "GET https://graph.microsoft.com/v1.0/users/$count",
        "--json",
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    let value: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(value["rust_path"], "user::ListUsers");
    assert_eq!(value["count"], true);
    for (request, operation, args) in cases {
        let out = graphspec(&["show", request, "--json"]);
        assert!(out.status.success(), "{request}: {}", stderr(&out));
        let value: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
        assert_eq!(value["rust_path"], operation, "{request}");
        let values: Vec<&str> = value["arguments"]
            .as_array()
            .unwrap()
            .iter()
            .map(|a| a["value"].as_str().unwrap())
            .collect();
        assert_eq!(values, args, "{request}");
    }
    let out = graphspec(&["show", "GET https://graph.microsoft.com/v1.0/nothing/here"]);
    assert!(!out.status.success());
    assert!(
        stderr(&out).starts_with("error: no operation sends"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn unknown_operations_get_suggestions_and_a_failure() {
    let out = graphspec(&["show", "user.reprocesLicenseAssignment"]);
    assert!(!out.status.success());
    let err = stderr(&out);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(err.starts_with("error: no operation `user.reprocesLicenseAssignment`; did you mean `user.reprocessLicenseAssignment`"), "{err}");
}

#[test]
fn scopes_are_the_least_privileged_set() {
    let out = graphspec(&[
        "scopes",
        "user.getUser",
        "group.deleteGroup",
        "--scheme",
        "application",
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(stdout(&out), "User.Read.All\nGroup.ReadWrite.All\n");

    let out = graphspec(&[
        "scopes",
        "user.reprocessLicenseAssignment",
        "--scheme",
        "delegated-personal",
    ]);
    assert!(!out.status.success());
    assert!(
        stderr(&out).contains("does not support"),
        "{}",
        stderr(&out)
    );

    let out = graphspec(&["scopes", "user.getUser", "--scheme", "robot"]);
    assert!(!out.status.success());
    assert!(stderr(&out).contains("unknown scheme `robot`"));
}

#[test]
fn scopes_are_the_exact_minimum_in_any_order_of_operations() {
    // User.ReadWrite.All allows all three; a greedy pass in this order also picked
    // User.Read.All for user.listUsers.
    for names in [
        [
            "user.listUsers",
            "user.reprocessLicenseAssignment",
            "user.getUser",
        ],
        [
            "user.reprocessLicenseAssignment",
            "user.getUser",
            "user.listUsers",
        ],
        [
            "user.getUser",
            "user.listUsers",
            "user.reprocessLicenseAssignment",
        ],
    ] {
        let mut args = vec!["scopes"];
        args.extend(names);
        args.extend(["--scheme", "application"]);
        let out = graphspec(&args);
        assert!(out.status.success(), "{}", stderr(&out));
        assert_eq!(stdout(&out), "User.ReadWrite.All\n", "{names:?}");
    }
}

#[test]
fn manifest_has_the_guids_of_the_scheme() {
    let out = graphspec(&[
        "manifest",
        "user.reprocessLicenseAssignment",
        "--scheme",
        "application",
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    let value: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    let expected = serde_json::json!({"requiredResourceAccess": [{
        "resourceAppId": "00000003-0000-0000-c000-000000000000",
        "resourceAccess": [{"id": "741f803b-c850-494e-b5df-cde7c675a1ca", "type": "Role"}]
    }]});
    assert_eq!(value, expected);

    let out = graphspec(&["manifest", "user.getUser", "--scheme", "delegated-work"]);
    let value: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(
        value["requiredResourceAccess"][0]["resourceAccess"][0],
        serde_json::json!({"id": "e1fe6dd8-ba31-4d61-89e7-88639da4683d", "type": "Scope"})
    );
}

#[test]
fn inspect_prints_the_definition_and_the_generated_rust() {
    let page = docs_dir().join("api/user-reprocesslicenseassignment.md");
    let out = graphspec(&["inspect", page.to_str().unwrap()]);
    assert!(out.status.success(), "{}", stderr(&out));
    let text = stdout(&out);
    assert!(
        text.contains("user::ReprocessLicenseAssignment (imported fully)"),
        "{text}"
    );
    assert!(text.contains("POST \"/users/{id}/reprocessLicenseAssignment\","));
    assert!(text.contains("-- generated Rust"));
    assert!(text.contains("pub struct ReprocessLicenseAssignment"));

    let out = graphspec(&[
        "inspect",
        "--json",
        page.to_str().unwrap(),
        docs_dir().join("api/group-delete.md").to_str().unwrap(),
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    let lines: Vec<serde_json::Value> = stdout(&out)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 2);
    assert_eq!(lines[0]["file"], "user-reprocesslicenseassignment.md");
    assert_eq!(lines[0]["status"], "full");
    assert_eq!(lines[0]["operation"]["name"], "ReprocessLicenseAssignment");
    assert_eq!(lines[0]["operation"]["forms"][0]["method"], "POST");
    assert!(lines[1]["diagnostics"].is_array());

    // A request a later section of the page documents is shown as its own definition.
    let page = docs_dir().join("api/drive-get-specialfolder.md");
    let out = graphspec(&["inspect", page.to_str().unwrap()]);
    assert!(out.status.success(), "{}", stderr(&out));
    let text = stdout(&out);
    assert!(
        text.contains(
            "-- definition of a request a later section documents (get-children-of-a-special-folder)"
        ),
        "{text}"
    );
    assert!(
        text.contains("GET \"/me/drive/special/{special-folder-name}/children\""),
        "{text}"
    );
    let out = graphspec(&["inspect", "--json", page.to_str().unwrap()]);
    let value: serde_json::Value = serde_json::from_str(stdout(&out).trim()).unwrap();
    assert_eq!(
        value["sections"][0]["operation"]["docs_page"],
        "drive-get-specialfolder#get-children-of-a-special-folder"
    );
}

#[test]
fn import_writes_files_and_a_report() {
    let scratch = std::env::temp_dir().join(format!("graphspec-cli-import-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&scratch);
    std::fs::create_dir_all(scratch.join("src")).unwrap();
    let cargo = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../api-defs/Cargo.toml"),
    )
    .unwrap();
    std::fs::write(scratch.join("Cargo.toml"), cargo).unwrap();
    // A stale generated module is removed; a hand-written file is left alone.
    std::fs::write(
        scratch.join("src/stale.rs"),
        "// @generated by `graphspec import` from x; do not edit\n",
    )
    .unwrap();
    std::fs::write(scratch.join("src/model.rs"), "// hand-written\n").unwrap();
    let perms = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../shared/graph-permissions/permissions.json");
    let metadata =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/graph-metadata/v1.0-metadata.xml");
    let out = graphspec(&[
        "import",
        docs_dir().to_str().unwrap(),
        "--permissions",
        perms.to_str().unwrap(),
        "--metadata",
        metadata.to_str().unwrap(),
        "--out",
        scratch.to_str().unwrap(),
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    let err = stderr(&out);
    assert!(err.contains("2424 pages"), "{err}");
    assert!(err.contains("1 removed"), "{err}");
    assert!(
        !err.contains("reading pages"),
        "no progress bar when stderr is not a terminal"
    );
    assert!(!scratch.join("src/stale.rs").exists());
    assert!(scratch.join("src/model.rs").exists());
    let committed = Path::new(env!("CARGO_MANIFEST_DIR")).join("../api-defs");
    for file in [
        "src/generated/operations/default-resources/user.rs",
        "src/generated/operations/mod.rs",
        "src/generated/models/mod.rs",
        "src/generated/models/security.rs",
        "IMPORT-REPORT.md",
        "Cargo.toml",
    ] {
        assert_eq!(
            std::fs::read_to_string(scratch.join(file)).unwrap(),
            std::fs::read_to_string(committed.join(file)).unwrap(),
            "{file} differs from the committed one"
        );
    }
    let _ = std::fs::remove_dir_all(&scratch);

    let out = graphspec(&[
        "import",
        "/nonexistent/docs",
        "--out",
        committed.to_str().unwrap(),
    ]);
    assert!(!out.status.success());
    assert_eq!(stderr(&out).lines().count(), 1);
}

#[test]
fn every_operation_has_a_unique_name_in_both_spellings() {
    let ops = graphspec::operations();
    let report = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../api-defs/IMPORT-REPORT.md"
    ))
    .unwrap();
    let line = report.lines().find(|l| l.starts_with("Source:")).unwrap();
    let imported: usize = line
        .split_once('→')
        .unwrap()
        .1
        .split_whitespace()
        .next()
        .unwrap()
        .parse()
        .unwrap();
    assert_eq!(
        ops.len(),
        imported,
        "the command knows every operation the import report counts"
    );
    let mut rust = std::collections::BTreeSet::new();
    let mut graph = std::collections::BTreeSet::new();
    for op in &ops {
        assert!(rust.insert(op.rust_path()), "{} twice", op.rust_path());
        assert!(graph.insert(op.graph_name()), "{} twice", op.graph_name());
    }
}

/// `graphspec call …` without credentials (those in the environment are removed, so
/// nothing leaves the machine): against the embedded emulator (feature `emulator`).
fn call(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_graphspec"))
        .arg("call")
        .args(args)
        .env_remove("GRAPHSPEC_TENANT_ID")
        .env_remove("GRAPHSPEC_CLIENT_ID")
        .env_remove("GRAPHSPEC_CLIENT_SECRET")
        .output()
        .expect("the graphspec binary runs")
}

#[cfg(feature = "emulator")]
#[test]
fn call_lists_users_and_reprocesses_one_against_the_emulator() {
    let out = call(&[
        "user.listUsers",
        "--query",
        "top=2",
        "--query",
        "select=id,displayName",
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    let page: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    let users = page["value"].as_array().unwrap();
    assert_eq!(users.len(), 2);
    assert!(page["@odata.nextLink"].as_str().unwrap().contains("$top=2"));
    assert!(stderr(&out).contains("$select=id,displayName&$top=2"));

    // The emulator is seeded deterministically: the same user exists in the next run.
    let id = users[0]["id"].as_str().unwrap();
    let out = call(&[
        "user.reprocessLicenseAssignment",
        "--arg",
        &format!("id={id}"),
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    let user: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(user["id"], id);
    assert!(stderr(&out).contains("POST http://127.0.0.1:"));
    assert!(stderr(&out).contains("200 OK"));
}

#[cfg(feature = "emulator")]
#[test]
fn call_refuses_before_sending_what_the_token_does_not_allow() {
    let out = call(&[
        "subscribedsku.listSubscribedSkus",
        "--roles",
        "User.Read.All",
    ]);
    assert!(!out.status.success());
    let err = stderr(&out);
    assert!(err.contains("refused before sending"), "{err}");
    assert!(err.contains("Organization.Read.All"), "{err}");
    assert!(!err.contains("GET http"), "nothing was sent: {err}");
}

#[cfg(feature = "emulator")]
#[test]
fn call_reports_graph_errors_and_bad_arguments() {
    let out = call(&["user.getUser", "--arg", "id=no-such-user"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("404 Request_ResourceNotFound"),
        "{}",
        stderr(&out)
    );

    let out = call(&["user.reprocessLicenseAssignment"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("users(id) for POST /users/{id}/reprocessLicenseAssignment"));

    let out = call(&["user.assignLicense", "--arg", "id=x"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("needs a JSON body"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn call_dry_run_prints_the_request_and_sends_nothing() {
    let out = call(&[
        "user.reprocessLicenseAssignment",
        "--arg",
        "id=a/b",
        "--dry-run",
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(
        stdout(&out).trim(),
        "POST https://graph.microsoft.com/v1.0/users/a%2Fb/reprocessLicenseAssignment"
    );
    assert!(!stderr(&out).contains("emulator"));
    let out = call(&[
        "user.getUser",
        "--form",
        "me",
        "--dry-run",
        "--cloud",
        "china",
        "--beta",
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(
        stdout(&out).trim(),
        "GET https://microsoftgraph.chinacloudapi.cn/beta/me"
    );
}

#[cfg(not(feature = "emulator"))]
#[test]
fn call_without_the_emulator_needs_credentials_and_says_so() {
    let out = call(&["user.listUsers"]);
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(err.contains("without the embedded emulator"), "{err}");
    assert!(err.contains("GRAPHSPEC_TENANT_ID"), "{err}");
    let help = graphspec(&["call", "--help"]);
    assert!(stdout(&help).contains("no embedded emulator"));
    assert!(!stdout(&help).contains("--roles"));
}

#[cfg(feature = "emulator")]
#[test]
fn call_count_prints_the_number_of_a_lists_items() {
    let out = call(&["user.listUsers", "--count"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("/v1.0/users/$count"),
        "{}",
        stderr(&out)
    );
    let all: u64 = stdout(&out).trim().parse().expect("a bare number");
    assert!(all > 0);
    // The list's `$filter` counts too.
    let out = call(&[
        "user.listUsers",
        "--count",
        "--query",
        "filter=department eq 'Sales'",
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    let sales: u64 = stdout(&out).trim().parse().expect("a bare number");
    assert!(sales > 0 && sales < all, "{sales} of {all}");
}

#[test]
fn call_count_is_for_lists_and_adds_the_segment_and_header() {
    let out = call(&["user.listUsers", "--count", "--query", "top=5", "--dry-run"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let text = stdout(&out);
    assert!(
        text.starts_with("GET https://graph.microsoft.com/v1.0/users/$count?$top=5"),
        "{text}"
    );
    assert!(text.contains("consistencylevel: eventual"), "{text}");
    let out = call(&["user.getUser", "--form", "me", "--count", "--dry-run"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("has no count"), "{}", stderr(&out));
}

/// An operation whose body is raw content (a file, a photo) sends the file's bytes as
/// they are, with the `Content-Type` given (`application/octet-stream` without one);
/// without a body it says how to give one.
#[test]
fn call_sends_a_files_bytes_as_raw_content() {
    let dir = std::env::temp_dir().join(format!("graphspec-cli-content-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("notes.txt");
    std::fs::write(&file, b"line one\nline two\n\xff").unwrap();
    let body = format!("@{}", file.display());
    let out = call(&[
        "driveitem.setContent",
        "--form",
        "me_drive_items_content",
        "--arg",
        "item_id=01AB",
        "--body",
        &body,
        "--header",
        "Content-Type: text/plain",
        "--dry-run",
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    let text = stdout(&out);
    assert!(
        text.starts_with("PUT https://graph.microsoft.com/v1.0/me/drive/items/01AB/content"),
        "{text}"
    );
    assert!(text.contains("content-type: text/plain"), "{text}");
    assert!(!text.contains("application/json"), "{text}");
    assert!(text.contains("<19 bytes of content>"), "{text}");
    let out = call(&[
        "driveitem.setContent",
        "--form",
        "me_drive_items_content",
        "--arg",
        "item_id=01AB",
        "--dry-run",
    ]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("--body @file"), "{}", stderr(&out));
    std::fs::remove_dir_all(&dir).ok();
}
