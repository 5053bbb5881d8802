//! With its `full` feature (which the `graphspec` command's embedded emulator uses), the
//! emulator serves every operation `graphspec` defines, not only those of its default
//! features: a request for any of them is matched, checked against its permission table
//! (403 without the permission) and answered 501 when the emulator does not implement it —
//! never 404. Run with `cargo test -p graphspec-emulator --features full` (a workspace
//! test run has it through the CLI's dependency).
#![cfg(feature = "full")]

mod common;

use graphspec::client::{Client, RawBody};
use graphspec::{Error, Method, OperationInfo, intune, outlookcategory};
use graphspec_emulator::Emulator;

graphspec::credential! {
    /// Reads Intune's managed devices.
    pub struct DeviceReader {
        scheme: Application,
        grants: ["DeviceManagementManagedDevices.Read.All"],
        calls: [intune::ListManagedDevices],
    }
}

graphspec::credential! {
    /// Reads a user's Outlook categories.
    pub struct CategoryReader {
        scheme: Application,
        grants: ["MailboxSettings.Read"],
        calls: [outlookcategory::GetMasterCategory],
    }
}

async fn emulator() -> Emulator {
    common::start(2).await
}

/// A client that sends `token` without checking it first, so the emulator decides.
fn unchecked(emu: &Emulator, token: String) -> Client {
    common::unchecked_client(emu, token)
}

fn status(result: Result<impl std::fmt::Debug, Error>) -> Option<u16> {
    match result {
        Ok(answer) => panic!("the emulator does not implement this: {answer:?}"),
        Err(e) => e.status(),
    }
}

#[tokio::test]
async fn intune_and_outlook_operations_are_checked_then_answered_501() {
    let emu = emulator().await;
    let without = unchecked(&emu, emu.app_token(&["User.Read.All"]));
    let devices = || DeviceReader.authorize(intune::ListManagedDevices::device_management());
    let categories = || {
        CategoryReader.authorize(outlookcategory::GetMasterCategory::users_outlook(
            "u1", "c1",
        ))
    };
    assert_eq!(status(without.send(devices()).await), Some(403));
    assert_eq!(status(without.send(categories()).await), Some(403));
    assert_eq!(emu.stats().forbidden, 2);

    let with = unchecked(
        &emu,
        emu.app_token(&[
            "DeviceManagementManagedDevices.Read.All",
            "MailboxSettings.Read",
        ]),
    );
    let err = with.send(devices()).await.unwrap_err();
    assert_eq!(err.status(), Some(501), "{err:?}");
    assert_eq!(err.graph_code(), Some("NotImplemented"));
    assert!(err.to_string().contains("checked its permissions"), "{err}");
    assert_eq!(status(with.send(categories()).await), Some(501));
}

/// `template` with each `{parameter}` replaced by a value, and the spaces of a fixed
/// query (`$filter=JoinWebUrl eq '{joinWebUrl}'`) percent-encoded.
fn fill(template: &str) -> String {
    let mut path = String::new();
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        path.push_str(&rest[..open]);
        let Some(close) = rest[open..].find('}') else {
            break;
        };
        path.push_str("x1");
        rest = &rest[open + close + 1..];
    }
    path.push_str(rest);
    path.replace(' ', "%20")
}

#[tokio::test]
async fn every_operation_is_routed_and_checked_never_404() {
    let emu = emulator().await;
    // A token that grants nothing: every operation that needs a permission is a 403.
    let nothing = unchecked(&emu, emu.app_token(&[]));
    let operations: Vec<&OperationInfo> = graphspec::operations();
    assert!(
        operations
            .iter()
            .any(|op| op.module_path.ends_with("::intune")),
        "the full surface is served"
    );
    let mut unrouted = Vec::new();
    let mut forbidden = 0;
    for op in &operations {
        let Some(form) = op.paths.first() else {
            continue;
        };
        let path = fill(form.template);
        let url = format!("{}{}", emu.base_url(op.version), path);
        let method = match op.method {
            Method::Get => http::Method::GET,
            Method::Post => http::Method::POST,
            Method::Put => http::Method::PUT,
            Method::Patch => http::Method::PATCH,
            Method::Delete => http::Method::DELETE,
        };
        let request = http::Request::builder()
            .method(method)
            .uri(&url)
            .header("content-type", "application/json")
            .body(RawBody::bytes(&b"{}"[..]))
            .unwrap();
        let answer = nothing.send_raw(request).await.unwrap();
        match answer.status().as_u16() {
            403 => forbidden += 1,
            404 | 405 => unrouted.push(format!(
                "{} {} {}: {}",
                op.rust_path(),
                op.method,
                path,
                answer.status()
            )),
            400 if String::from_utf8_lossy(answer.body()).contains("Resource not found") => {
                unrouted.push(format!("{} {} {}: 400", op.rust_path(), op.method, path))
            }
            _ => {}
        }
    }
    assert!(
        unrouted.is_empty(),
        "{} of {} operations were not routed:\n{}",
        unrouted.len(),
        operations.len(),
        unrouted.join("\n")
    );
    assert!(
        forbidden * 10 > operations.len() * 9,
        "{forbidden} of {} refused",
        operations.len()
    );
}

/// A request carrying a form's fixed query (the request's own parameters) is that form's
/// operation; without them it is the plain path's, or none when no operation sends the
/// path bare: a 400 naming the missing options (Graph refuses a `calendarView` without its
/// time window too).
#[tokio::test]
async fn a_fixed_query_routes_to_its_own_operation() {
    let emu = emulator().await;
    let client = unchecked(
        &emu,
        emu.app_token(&["Sites.Read.All", "Calendars.Read", "User.Read.All"]),
    );
    let get = |target: &str| {
        http::Request::builder()
            .method(http::Method::GET)
            .uri(format!(
                "{}{target}",
                emu.base_url(graphspec::ApiVersion::V1)
            ))
            .body(RawBody::bytes(&b""[..]))
            .unwrap()
    };
    let answered_by = |body: &[u8]| {
        let text = String::from_utf8_lossy(body).into_owned();
        text.split('`').nth(1).unwrap_or_default().to_owned()
    };
    for (target, operation) in [
        ("/sites?search=contoso&$top=5", "site::ListSitesBySearch"),
        ("/sites?$top=5", "site::ListSites"),
        (
            "/me/calendar/calendarView?endDateTime=2024-01-02&startDateTime=2024-01-01",
            "calendar::ListCalendarView",
        ),
    ] {
        let answer = client.send_raw(get(target)).await.unwrap();
        assert_eq!(answer.status().as_u16(), 501, "{target}");
        assert_eq!(answered_by(answer.body()), operation, "{target}");
    }
    let answer = client
        .send_raw(get("/me/calendar/calendarView?$top=5"))
        .await
        .unwrap();
    assert_eq!(answer.status().as_u16(), 400);
    let body = String::from_utf8_lossy(answer.body()).into_owned();
    assert!(
        body.contains("requires the query options startDateTime, endDateTime"),
        "{body}"
    );
}
