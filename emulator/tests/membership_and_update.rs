//! Group membership (`user::ListMemberOf`, `/users/{id}/memberOf` and `/me/memberOf`) and
//! user updates (`user::UpdateUser`, `PATCH /users/{id}`), over real HTTP on 127.0.0.1.
//!
//! Membership is read with the typed client: the items are `model::DirectoryObject`s that
//! cast to the `model::Group` they are. Updates are sent as raw HTTP with a JSON body
//! written here, so these tests do not depend on `user::UpdateUser`'s body type.

mod common;

use futures::StreamExt as _;
use graphspec::client::{Client, RawBody};
use graphspec::edm::Field;
use graphspec::model::{DirectoryObject, Group, Structured as _, User};
use graphspec::prelude::*;
use graphspec::{ApiVersion, Error, group, user};
use graphspec_emulator::{Account, Emulator};
use serde_json::{Value, json};

graphspec::credential! {
    /// A daemon that reads the directory.
    pub struct DirectoryReader {
        scheme: Application,
        grants: ["Directory.Read.All"],
        calls: [user::ListMemberOf, user::GetUser],
    }
}

graphspec::credential! {
    /// A daemon that deletes groups.
    pub struct GroupAdmin {
        scheme: Application,
        grants: ["Group.ReadWrite.All"],
        calls: [group::DeleteGroup],
    }
}

graphspec::credential! {
    /// A signed-in work account reading its own groups.
    pub struct SignedIn {
        scheme: DelegatedWork,
        grants: ["User.Read"],
        calls: [user::ListMemberOf, user::GetUser],
    }
}

/// A client that checks nothing before sending: the emulator alone decides.
fn client(emu: &Emulator, token: String) -> Client {
    common::unchecked_client(emu, token)
}

/// The ids of the users, in seed order.
fn user_ids(emu: &Emulator) -> Vec<String> {
    emu.with_tenant(|t| t.user_ids())
}

/// `(id, displayName)` of the groups `user` is a member of, as the tenant has them.
fn groups_of(emu: &Emulator, user: &str) -> Vec<(String, String)> {
    emu.with_tenant(|t| {
        t.member_of(user)
            .unwrap()
            .iter()
            .map(|g| {
                (
                    g["id"].as_str().unwrap().to_owned(),
                    g["displayName"].as_str().unwrap().to_owned(),
                )
            })
            .collect()
    })
}

/// Sends `method path` (relative to the v1.0 root) with `token` and, when given, a JSON
/// `body` as raw bytes: the status and the parsed body (`Null` when there is none).
async fn raw(
    emu: &Emulator,
    token: &str,
    method: http::Method,
    path: &str,
    body: Option<&[u8]>,
) -> (u16, Value) {
    let url = format!("{}{path}", emu.base_url(ApiVersion::V1));
    let mut request = http::Request::builder().method(method).uri(url);
    if body.is_some() {
        request = request.header(http::header::CONTENT_TYPE, "application/json");
    }
    let request = request
        .body(RawBody::bytes(body.unwrap_or_default().to_vec()))
        .unwrap();
    let answer = client(emu, token.to_owned())
        .send_raw(request)
        .await
        .unwrap();
    let body = if answer.body().is_empty() {
        Value::Null
    } else {
        serde_json::from_slice(answer.body()).unwrap()
    };
    (answer.status().as_u16(), body)
}

/// `PATCH /users/{key}` with `body`.
async fn patch(emu: &Emulator, token: &str, key: &str, body: &Value) -> (u16, Value) {
    let bytes = serde_json::to_vec(body).unwrap();
    raw(
        emu,
        token,
        http::Method::PATCH,
        &format!("/users/{key}"),
        Some(&bytes),
    )
    .await
}

/// The user as `GET /users/{key}` answers it.
async fn get_user(emu: &Emulator, key: &str) -> Value {
    let token = emu.app_token(&["User.Read.All"]);
    let (status, body) = raw(
        emu,
        &token,
        http::Method::GET,
        &format!("/users/{key}"),
        None,
    )
    .await;
    assert_eq!(status, 200, "{body}");
    body
}

/// Graph's error shape, with `code`.
fn assert_graph_error(body: &Value, code: &str) {
    assert_eq!(body["error"]["code"], code, "{body}");
    assert!(
        body["error"]["message"]
            .as_str()
            .is_some_and(|m| !m.is_empty()),
        "{body}"
    );
    assert!(
        body["error"]["innerError"]["request-id"].is_string(),
        "{body}"
    );
}

#[tokio::test]
async fn member_of_answers_directory_objects_that_cast_to_their_groups() {
    let emu = common::start(10).await;
    let client = client(&emu, emu.app_token(&["Directory.Read.All"]));
    let ids = user_ids(&emu);
    for (n, id) in ids.iter().enumerate() {
        let page = client
            .send(DirectoryReader.authorize(user::ListMemberOf::users(id)))
            .await
            .unwrap();
        assert!(page.next_link.is_none());
        let expected = groups_of(&emu, id);
        assert_eq!(expected.len(), 1, "every seeded user is in one group");
        assert_eq!(page.value.len(), expected.len());
        for (member, (group_id, name)) in page.value.iter().zip(&expected) {
            let member: &DirectoryObject = member;
            assert_eq!(member.odata_type(), Some("microsoft.graph.group"));
            assert_eq!(member.id.as_deref(), Some(group_id.as_str()));
            let group: Group = member.cast().unwrap();
            assert_eq!(group.display_name.as_deref(), Some(name.as_str()));
            assert_eq!(
                group.display_name.as_deref(),
                Some(format!("License group {:03}", n % 3).as_str())
            );
            assert_eq!(group.security_enabled.value(), Some(&true));
            assert!(member.cast::<User>().is_err(), "a group is not a user");
        }
    }

    // By user principal name, and through the pager.
    let by_upn: Vec<DirectoryObject> = client
        .items(DirectoryReader.authorize(user::ListMemberOf::users("USER00004@contoso.example")))
        .map(Result::unwrap)
        .collect()
        .await;
    assert_eq!(by_upn.len(), 1);
    let group: Group = by_upn[0].cast().unwrap();
    assert_eq!(group.display_name.as_deref(), Some("License group 001"));

    // `$select` keeps `@odata.type`, so the items still cast.
    let page = client
        .send(DirectoryReader.authorize(user::ListMemberOf::users(&ids[2]).select(["displayName"])))
        .await
        .unwrap();
    let group: Group = page.value[0].cast().unwrap();
    assert_eq!(group.display_name.as_deref(), Some("License group 002"));
    assert!(group.id.is_absent(), "$select leaves other properties out");

    // Graph's wire shape: a collection of directory objects, each saying its type.
    let token = emu.app_token(&["Directory.Read.All"]);
    let (status, body) = raw(
        &emu,
        &token,
        http::Method::GET,
        &format!("/users/{}/memberOf?$top=1", ids[0]),
        None,
    )
    .await;
    assert_eq!(status, 200);
    assert!(
        body["@odata.context"]
            .as_str()
            .unwrap()
            .ends_with("/v1.0/$metadata#directoryObjects"),
        "{body}"
    );
    assert_eq!(body["value"][0]["@odata.type"], "#microsoft.graph.group");
    assert_eq!(body["value"][0]["displayName"], "License group 000");
    assert_eq!(body["value"][0]["mailEnabled"], false);
}

#[tokio::test]
async fn a_deleted_group_leaves_its_members_groups() {
    let emu = common::start(6).await;
    let ids = user_ids(&emu);
    let reader = client(&emu, emu.app_token(&["Directory.Read.All"]));
    let admin = client(&emu, emu.app_token(&["Group.ReadWrite.All"]));
    let (group_id, _) = groups_of(&emu, &ids[1]).remove(0);
    admin
        .send(GroupAdmin.authorize(group::DeleteGroup::new(&group_id)))
        .await
        .unwrap();
    for (n, id) in ids.iter().enumerate() {
        let page = reader
            .send(DirectoryReader.authorize(user::ListMemberOf::users(id)))
            .await
            .unwrap();
        // Users 1 and 4 were in group 1.
        assert_eq!(page.value.len(), usize::from(n % 3 != 1), "user {n}");
    }
}

#[tokio::test]
async fn me_member_of_answers_the_signed_in_users_groups() {
    let emu = common::start(5).await;
    let me = user_ids(&emu)[0].clone();
    let client = client(&emu, emu.delegated_token(&["User.Read"], Account::Work));
    let page = client
        .send(SignedIn.authorize(user::ListMemberOf::me()))
        .await
        .unwrap();
    let names: Vec<String> = page
        .value
        .iter()
        .map(|m| {
            m.cast::<Group>()
                .unwrap()
                .display_name
                .into_value()
                .unwrap()
        })
        .collect();
    let expected: Vec<String> = groups_of(&emu, &me).into_iter().map(|(_, n)| n).collect();
    assert_eq!(names, expected);
    assert_eq!(names, ["License group 000"]);

    // Personal accounts have no directory membership: the table has no delegated-personal
    // row, so the emulator refuses it.
    let personal =
        common::unchecked_client(&emu, emu.delegated_token(&["User.Read"], Account::Personal));
    let err = personal
        .send(SignedIn.authorize(user::ListMemberOf::me()))
        .await
        .unwrap_err();
    assert_eq!(err.status(), Some(403), "{err:?}");
    // And `/me` means nothing to an application token.
    let app = common::unchecked_client(&emu, emu.app_token(&["Directory.Read.All"]));
    let err = app
        .send(DirectoryReader.authorize(user::ListMemberOf::me()))
        .await
        .unwrap_err();
    assert_eq!(err.status(), Some(400), "{err:?}");
}

#[tokio::test]
async fn a_patch_sets_clears_and_leaves_the_rest_unchanged() {
    let emu = common::start(5).await;
    let id = user_ids(&emu)[2].clone();
    let token = emu.app_token(&["User.ReadWrite.All"]);
    let before = get_user(&emu, &id).await;
    assert_eq!(before["department"], "Sales");

    let (status, body) = patch(
        &emu,
        &token,
        &id,
        &json!({"jobTitle": "Director", "department": null}),
    )
    .await;
    assert_eq!(status, 204, "{body}");
    assert_eq!(body, Value::Null, "204 has no body");

    let after = get_user(&emu, &id).await;
    assert_eq!(after["jobTitle"], "Director");
    assert_eq!(after["department"], Value::Null);
    let (before, after) = (before.as_object().unwrap(), after.as_object().unwrap());
    for (name, value) in before {
        if name != "jobTitle" && name != "department" && name != "@odata.context" {
            assert_eq!(&after[name], value, "{name} is unchanged");
        }
    }
    assert_eq!(before.len(), after.len());

    // The typed client reads the cleared property as null and the set one as a value.
    let reader = client(&emu, emu.app_token(&["Directory.Read.All"]));
    let user = reader
        .send(DirectoryReader.authorize(user::GetUser::new(&id).select([
            "jobTitle",
            "department",
            "surname",
        ])))
        .await
        .unwrap();
    assert_eq!(user.job_title.as_deref(), Some("Director"));
    assert_eq!(user.department, Field::Null);
    assert_eq!(user.surname.as_deref(), before["surname"].as_str());
    assert!(user.display_name.is_absent());

    // By user principal name, and back.
    let (status, _) = patch(
        &emu,
        &token,
        "user00002@contoso.example",
        &json!({"department": "Legal", "businessPhones": ["+1 555 0100"]}),
    )
    .await;
    assert_eq!(status, 204);
    let again = get_user(&emu, &id).await;
    assert_eq!(again["department"], "Legal");
    assert_eq!(again["businessPhones"], json!(["+1 555 0100"]));
    assert_eq!(again["jobTitle"], "Director");

    // Inside a `$batch` too.
    let batch = json!({"requests": [{
        "id": "1", "method": "PATCH", "url": format!("/users/{id}"),
        "headers": {"Content-Type": "application/json"},
        "body": {"officeLocation": "Building 7"},
    }]});
    let (status, body) = raw(
        &emu,
        &token,
        http::Method::POST,
        "/$batch",
        Some(&serde_json::to_vec(&batch).unwrap()),
    )
    .await;
    assert_eq!(status, 200);
    assert_eq!(body["responses"][0]["status"], 204, "{body}");
    assert_eq!(get_user(&emu, &id).await["officeLocation"], "Building 7");
}

#[tokio::test]
async fn bad_update_bodies_are_400_and_change_nothing() {
    let emu = common::start(3).await;
    let id = user_ids(&emu)[1].clone();
    let token = emu.app_token(&["User.ReadWrite.All"]);
    let before = get_user(&emu, &id).await;
    let bodies: [(&[u8], &str); 10] = [
        (b"", "BadRequest"),
        (b"{\"jobTitle\": ", "BadRequest"),
        (b"not json", "BadRequest"),
        (b"[{\"jobTitle\": \"x\"}]", "Request_BadRequest"),
        (b"\"x\"", "Request_BadRequest"),
        (b"null", "Request_BadRequest"),
        (
            b"{\"id\": \"00000000-0000-4000-8000-000000000000\"}",
            "Request_BadRequest",
        ),
        (
            b"{\"jobTitle\": \"x\", \"assignedLicenses\": []}",
            "Request_BadRequest",
        ),
        (
            b"{\"jobTitle\": \"x\", \"shoeSize\": 44}",
            "Request_BadRequest",
        ),
        (b"{\"accountEnabled\": \"yes\"}", "Request_BadRequest"),
    ];
    for (body, code) in bodies {
        let (status, answer) = raw(
            &emu,
            &token,
            http::Method::PATCH,
            &format!("/users/{id}"),
            Some(body),
        )
        .await;
        let shown = String::from_utf8_lossy(body);
        assert_eq!(status, 400, "{shown}: {answer}");
        assert_graph_error(&answer, code);
    }
    let (_, answer) = patch(&emu, &token, &id, &json!({"id": "x"})).await;
    assert!(
        answer["error"]["message"]
            .as_str()
            .unwrap()
            .contains("'id' is read-only"),
        "{answer}"
    );
    let (_, answer) = patch(&emu, &token, &id, &json!({"displayName": null})).await;
    assert_graph_error(&answer, "Request_BadRequest");
    assert_eq!(get_user(&emu, &id).await, before, "nothing changed");
}

#[tokio::test]
async fn unknown_users_are_404() {
    let emu = common::start(3).await;
    let token = emu.app_token(&["User.ReadWrite.All", "Directory.Read.All"]);
    let (status, body) = patch(
        &emu,
        &token,
        "nobody@contoso.example",
        &json!({"jobTitle": "x"}),
    )
    .await;
    assert_eq!(status, 404);
    assert_graph_error(&body, "Request_ResourceNotFound");

    let (status, body) = raw(
        &emu,
        &token,
        http::Method::GET,
        "/users/nobody/memberOf",
        None,
    )
    .await;
    assert_eq!(status, 404);
    assert_graph_error(&body, "Request_ResourceNotFound");
    let err = client(&emu, token)
        .send(DirectoryReader.authorize(user::ListMemberOf::users("nobody")))
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Graph(_)), "{err:?}");
    assert_eq!(err.status(), Some(404));
    assert_eq!(err.graph_code(), Some("Request_ResourceNotFound"));
}

#[tokio::test]
async fn the_permission_tables_are_enforced() {
    let emu = common::start(3).await;
    let id = user_ids(&emu)[0].clone();
    let before = get_user(&emu, &id).await;
    let update = json!({"jobTitle": "Chief"});

    // Reading is not writing: application and delegated tokens without a permission of
    // `user::UpdateUser`'s rows are refused.
    for token in [
        emu.app_token(&["User.Read.All", "Directory.Read.All"]),
        emu.delegated_token(&["User.Read", "User.Read.All"], Account::Work),
    ] {
        let (status, body) = patch(&emu, &token, &id, &update).await;
        assert_eq!(status, 403, "{body}");
        assert_graph_error(&body, "Authorization_RequestDenied");
    }
    assert_eq!(get_user(&emu, &id).await, before, "nothing ran");
    assert_eq!(emu.stats().forbidden, 2);

    // `memberOf` by application needs a directory permission, not a user one.
    let err = client(&emu, emu.app_token(&["User.Read.All"]))
        .send(DirectoryReader.authorize(user::ListMemberOf::users(&id)))
        .await
        .unwrap_err();
    assert_eq!(err.status(), Some(403), "{err:?}");
    assert_eq!(err.graph_code(), Some("Authorization_RequestDenied"));

    // What the rows allow goes through.
    for token in [
        emu.app_token(&["Directory.ReadWrite.All"]),
        emu.delegated_token(&["User.ReadWrite"], Account::Work),
    ] {
        let (status, body) = patch(&emu, &token, &id, &update).await;
        assert_eq!(status, 204, "{body}");
    }
    assert_eq!(get_user(&emu, &id).await["jobTitle"], "Chief");
}
