//! The client against the emulator, over real HTTP on 127.0.0.1: tokens, permission
//! checks on both sides, errors, paging, `$batch`, retries.

use std::collections::HashSet;
use std::time::Duration;

use futures::StreamExt as _;
use graphspec::client::{
    Batch, Client, ClientCredentials, ClientSecret, RawBody, RetryPolicy, StaticToken,
};
use graphspec::prelude::*;
use graphspec::{ApiVersion, Error, driveitem, group, profilephoto, subscribedsku, user};
use graphspec_emulator::{Account, Config, Emulator, Faults};

graphspec::credential! {
    /// Reads and writes users.
    pub struct UserAdmin {
        scheme: Application,
        grants: ["User.ReadWrite.All", "Group.ReadWrite.All", "Organization.Read.All"],
        calls: [user::ListUsers, user::GetUser, user::ReprocessLicenseAssignment, user::AssignLicense,
                user::ListLicenseDetails, group::DeleteGroup, subscribedsku::ListSubscribedSkus],
    }
}

graphspec::credential! {
    /// A personal-account app reading its own profile.
    pub struct Profile {
        scheme: DelegatedPersonal,
        grants: ["User.Read"],
        calls: [user::GetUser, user::ListLicenseDetails],
    }
}

graphspec::credential! {
    /// A work-account app that lists users.
    pub struct WorkReader {
        scheme: DelegatedWork,
        grants: ["User.Read.All"],
        calls: [user::ListUsers, user::GetUser],
    }
}

fn fast_retries(max_attempts: u32) -> RetryPolicy {
    RetryPolicy {
        max_attempts,
        base_delay: Duration::from_millis(1),
        max_delay: Duration::from_millis(20),
        max_total_delay: Duration::from_secs(5),
        ..RetryPolicy::default()
    }
}

async fn emulator(users: usize, faults: Faults) -> Emulator {
    Emulator::start(Config {
        users,
        faults,
        ..Config::default()
    })
    .await
    .expect("emulator starts on 127.0.0.1")
}

fn client(emulator: &Emulator, token: String, retry: RetryPolicy) -> Client {
    Client::builder(StaticToken::new(token))
        .base_url(emulator.base_url(ApiVersion::V1))
        .retry(retry)
        .build()
        .unwrap()
}

#[tokio::test]
async fn client_credentials_tokens_are_issued_cached_and_refreshed() {
    let emu = emulator(30, Faults::default()).await;
    emu.register_app("bot", "s3cret", &["User.ReadWrite.All"]);
    let tokens = ClientCredentials::new(emu.tenant_id(), "bot", ClientSecret::new("s3cret"))
        .authority(emu.authority());
    let client = Client::builder(tokens)
        .base_url(emu.base_url(ApiVersion::V1))
        .build()
        .unwrap();
    let id = emu.with_tenant(|t| t.user_ids()[0].clone());
    let user = client
        .send(UserAdmin.authorize(user::GetUser::new(&id)))
        .await
        .unwrap();
    assert_eq!(user.id.as_deref(), Some(id.as_str()));
    client
        .send(UserAdmin.authorize(user::GetUser::new(&id)))
        .await
        .unwrap();
    assert_eq!(emu.stats().token_requests, 1, "the token is cached");

    // A margin longer than the token's lifetime refreshes before every request.
    let tokens = ClientCredentials::new(emu.tenant_id(), "bot", ClientSecret::new("s3cret"))
        .authority(emu.authority())
        .refresh_margin(Duration::from_secs(7200));
    let client = Client::builder(tokens)
        .base_url(emu.base_url(ApiVersion::V1))
        .build()
        .unwrap();
    client
        .send(UserAdmin.authorize(user::GetUser::new(&id)))
        .await
        .unwrap();
    client
        .send(UserAdmin.authorize(user::GetUser::new(&id)))
        .await
        .unwrap();
    assert_eq!(emu.stats().token_requests, 3);

    // A wrong secret is a typed token error that does not repeat the secret.
    let tokens = ClientCredentials::new(emu.tenant_id(), "bot", ClientSecret::new("wrong-secret"))
        .authority(emu.authority());
    let client = Client::builder(tokens)
        .base_url(emu.base_url(ApiVersion::V1))
        .build()
        .unwrap();
    let err = client
        .send(UserAdmin.authorize(user::GetUser::new(&id)))
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Token { .. }), "{err:?}");
    assert!(err.to_string().contains("AADSTS7000215"));
    assert!(!err.to_string().contains("wrong-secret"));
}

#[tokio::test]
async fn an_endless_token_lifetime_saturates_instead_of_overflowing() {
    // The token endpoint answers `expires_in: u64::MAX` and the token's `exp` is as far
    // out: neither the emulator nor the client may overflow the clock.
    let emu = Emulator::start(Config {
        users: 2,
        token_lifetime: Duration::from_secs(u64::MAX),
        ..Config::default()
    })
    .await
    .unwrap();
    emu.register_app("bot", "s3cret", &["User.Read.All"]);
    let tokens = ClientCredentials::new(emu.tenant_id(), "bot", ClientSecret::new("s3cret"))
        .authority(emu.authority());
    let client = Client::builder(tokens)
        .base_url(emu.base_url(ApiVersion::V1))
        .build()
        .unwrap();
    let id = emu.with_tenant(|t| t.user_ids()[0].clone());
    for _ in 0..2 {
        client
            .send(UserAdmin.authorize(user::GetUser::new(&id)))
            .await
            .unwrap();
    }
    assert_eq!(emu.stats().token_requests, 1, "cached: it does not expire");
    let token = client.token().await.unwrap();
    assert_eq!(
        token.expires_at(),
        Some(std::time::UNIX_EPOCH + Duration::from_secs(graphspec::client::MAX_EXPIRY_SECS))
    );
    assert!(!token.expires_within(Duration::from_secs(3600)));
}

#[tokio::test]
async fn a_request_the_token_does_not_allow_is_refused_before_sending() {
    let emu = emulator(5, Faults::default()).await;
    let id = emu.with_tenant(|t| t.user_ids()[0].clone());
    // The credential declares User.ReadWrite.All, but the token only carries User.Read.All.
    let client = client(&emu, emu.app_token(&["User.Read.All"]), RetryPolicy::none());
    let err = client
        .send(UserAdmin.authorize(user::ReprocessLicenseAssignment::users(&id)))
        .await
        .unwrap_err();
    match &err {
        Error::PermissionDenied {
            operation,
            needs,
            granted,
            ..
        } => {
            assert_eq!(operation, "user::ReprocessLicenseAssignment");
            assert_eq!(needs, &["User.ReadWrite.All", "Directory.ReadWrite.All"]);
            assert_eq!(granted, &["User.Read.All"]);
        }
        other => panic!("expected PermissionDenied, got {other:?}"),
    }
    assert!(
        err.to_string()
            .contains("User.ReadWrite.All, Directory.ReadWrite.All")
    );
    assert_eq!(emu.stats().requests, 0, "nothing was sent");
    assert_eq!(client.stats().refused, 1);
    assert_eq!(emu.reprocess_arrivals().len(), 0);
    // What the token allows still goes through.
    client
        .send(UserAdmin.authorize(user::GetUser::new(&id)))
        .await
        .unwrap();
}

#[tokio::test]
async fn the_emulator_refuses_what_the_token_does_not_allow_when_sent_anyway() {
    let emu = emulator(5, Faults::default()).await;
    let id = emu.with_tenant(|t| t.user_ids()[0].clone());
    let client = Client::builder(StaticToken::new(emu.app_token(&["User.Read.All"])))
        .base_url(emu.base_url(ApiVersion::V1))
        .check_permissions(false)
        .build()
        .unwrap();
    let err = client
        .send(UserAdmin.authorize(user::ReprocessLicenseAssignment::users(&id)))
        .await
        .unwrap_err();
    assert_eq!(err.status(), Some(403));
    assert_eq!(err.graph_code(), Some("Authorization_RequestDenied"));
    assert_eq!(emu.stats().forbidden, 1);
    assert_eq!(emu.with_tenant(|t| t.reprocessed().len()), 0, "nothing ran");
}

#[tokio::test]
async fn missing_and_expired_tokens_get_401() {
    let emu = emulator(5, Faults::default()).await;
    let id = emu.with_tenant(|t| t.user_ids()[0].clone());
    for token in [
        String::new(),
        "not-a-jwt".into(),
        emu.expired_token(&["User.Read.All"]),
    ] {
        // The client would refuse the first two before sending (they cannot be checked):
        // send them anyway to watch the emulator.
        let client = Client::builder(StaticToken::new(token))
            .base_url(emu.base_url(ApiVersion::V1))
            .retry(RetryPolicy::none())
            .check_permissions(false)
            .build()
            .unwrap();
        let err = client
            .send(UserAdmin.authorize(user::GetUser::new(&id)))
            .await
            .unwrap_err();
        assert_eq!(err.status(), Some(401), "{err:?}");
        assert_eq!(err.graph_code(), Some("InvalidAuthenticationToken"));
    }
}

#[tokio::test]
async fn unknown_ids_are_404_and_unimplemented_operations_501() {
    graphspec::endpoint! {
        /// Get a message (defined here, not implemented by the emulator).
        pub struct GetMessage {
            GET "/users/{id}/messages/{message_id}",
            permissions: {
                DelegatedWork: ["Mail.Read"],
                DelegatedPersonal: ["Mail.Read"],
                Application: ["Mail.Read"],
            },
            response: 200,
        }
    }
    graphspec::credential! {
        pub struct Mailer {
            scheme: Application,
            grants: ["Mail.Read", "User.Read.All"],
            calls: [GetMessage, user::GetUser],
        }
    }
    let mut operations = graphspec::operations();
    operations.push(GetMessage::INFO);
    let emu = Emulator::start(Config {
        users: 3,
        operations,
        ..Config::default()
    })
    .await
    .unwrap();
    let client = client(
        &emu,
        emu.app_token(&["Mail.Read", "User.Read.All"]),
        RetryPolicy::none(),
    );
    let err = client
        .send(Mailer.authorize(user::GetUser::new("no-such-user")))
        .await
        .unwrap_err();
    assert_eq!(err.status(), Some(404));
    assert_eq!(err.graph_code(), Some("Request_ResourceNotFound"));
    let err = client
        .send(Mailer.authorize(GetMessage::users("u", "m")))
        .await
        .unwrap_err();
    assert_eq!(err.status(), Some(501));
    assert_eq!(err.graph_code(), Some("NotImplemented"));
    // The message names the matched definition: `GetMessage`, or with the `full` feature
    // set an imported operation with the same method and path.
    assert!(err.to_string().contains("does not implement"), "{err}");
    assert!(
        err.to_string().contains("GET /me/messages/{id}") || err.to_string().contains("GetMessage"),
        "{err}"
    );
}

#[tokio::test]
async fn paging_follows_next_links_with_top_select_and_filter() {
    let emu = emulator(53, Faults::default()).await;
    let client = client(&emu, emu.app_token(&["User.Read.All"]), RetryPolicy::none());
    let users: Vec<_> = client
        .items(UserAdmin.authorize(user::ListUsers::new().top(10)))
        .collect()
        .await;
    let ids: HashSet<String> = users
        .into_iter()
        .map(|u| u.unwrap().id.into_value().unwrap())
        .collect();
    assert_eq!(ids.len(), 53);
    assert_eq!(emu.stats().requests, 6, "10 + 10 + 10 + 10 + 10 + 3");

    let pages: Vec<_> = client
        .pages(
            UserAdmin.authorize(
                user::ListUsers::new()
                    .top(4)
                    .select(["id", "department"])
                    .filter("department eq 'Sales' and accountEnabled eq true"),
            ),
        )
        .collect()
        .await;
    let mut sales = 0;
    for page in &pages {
        let page = page.as_ref().unwrap();
        for u in &page.value {
            assert_eq!(u.department.as_deref(), Some("Sales"));
            assert!(
                u.display_name.value().is_none(),
                "$select leaves other properties out"
            );
            sales += 1;
        }
    }
    let expected = emu.with_tenant(|t| {
        t.users()
            .iter()
            .filter(|u| u["department"] == "Sales" && u["accountEnabled"] == true)
            .count()
    });
    assert_eq!(sales, expected);
    assert!(pages.len() > 1);

    let bad = client
        .send(UserAdmin.authorize(user::ListUsers::new().filter("startswith(displayName,'A')")))
        .await
        .unwrap_err();
    assert_eq!(bad.status(), Some(400));
}

#[tokio::test]
async fn delegated_tokens_for_work_and_personal_accounts() {
    let emu = emulator(5, Faults::default()).await;
    let personal = client(
        &emu,
        emu.delegated_token(&["User.Read"], Account::Personal),
        RetryPolicy::none(),
    );
    // `/me` for a personal account is not in the tenant; the permission check passed.
    let err = personal
        .send(Profile.authorize(user::GetUser::me()))
        .await
        .unwrap_err();
    assert_eq!(err.status(), Some(400));
    let work = client(
        &emu,
        emu.delegated_token(&["User.Read.All"], Account::Work),
        RetryPolicy::none(),
    );
    let me = work
        .send(WorkReader.authorize(user::GetUser::me()))
        .await
        .unwrap();
    assert_eq!(
        me.id.into_value(),
        emu.with_tenant(|t| t.user_ids().first().cloned())
    );
    // A delegated token with the wrong scope is refused on both sides.
    let weak = client(
        &emu,
        emu.delegated_token(&["Mail.Read"], Account::Work),
        RetryPolicy::none(),
    );
    let err = weak
        .send(WorkReader.authorize(user::ListUsers::new()))
        .await
        .unwrap_err();
    assert!(matches!(err, Error::PermissionDenied { .. }), "{err:?}");
}

#[tokio::test]
async fn batches_answer_in_input_order_with_depends_on() {
    let emu = emulator(40, Faults::default()).await;
    let client = client(
        &emu,
        emu.app_token(&[
            "User.ReadWrite.All",
            "Group.ReadWrite.All",
            "Organization.Read.All",
        ]),
        RetryPolicy::none(),
    );
    let ids = emu.with_tenant(|t| t.user_ids());
    let group_id = emu.with_tenant(|t| t.groups()[0]["id"].as_str().unwrap().to_owned());
    let mut batch = Batch::new();
    let gets: Vec<_> = ids[..25]
        .iter()
        .map(|id| batch.add(UserAdmin.authorize(user::GetUser::new(id))))
        .collect();
    let missing = batch.add(UserAdmin.authorize(user::GetUser::new("missing")));
    let skus = batch.add(UserAdmin.authorize(subscribedsku::ListSubscribedSkus::new()));
    let delete = batch.add(UserAdmin.authorize(group::DeleteGroup::new(&group_id)));
    let delete_again = batch
        .add_after(
            UserAdmin.authorize(group::DeleteGroup::new(&group_id)),
            &[delete.index()],
        )
        .unwrap();
    let after_missing = batch
        .add_after(
            UserAdmin.authorize(user::GetUser::new(&ids[0])),
            &[missing.index()],
        )
        .unwrap();
    let mut results = client.send_batch(batch).await;
    assert_eq!(results.len(), 30);
    for (handle, id) in gets.into_iter().zip(&ids) {
        assert_eq!(
            results.take(handle).unwrap().id.as_deref(),
            Some(id.as_str())
        );
    }
    assert_eq!(results.take(missing).unwrap_err().status(), Some(404));
    assert_eq!(results.take(skus).unwrap().value.len(), 3);
    results.take(delete).unwrap();
    assert_eq!(results.take(delete_again).unwrap_err().status(), Some(404));
    assert_eq!(results.take(after_missing).unwrap_err().status(), Some(424));
    assert_eq!(emu.stats().requests, 2, "30 requests in 2 round trips");
}

/// An emulator that throttles every request with `Retry-After: retry_after_secs`, its
/// first user's id, and a client allowed `attempts` attempts.
async fn always_throttled(retry_after_secs: u64, attempts: u32) -> (Emulator, String, Client) {
    let emu = emulator(
        3,
        Faults {
            throttle_rate: 1.0,
            retry_after_secs,
            ..Faults::default()
        },
    )
    .await;
    let id = emu.with_tenant(|t| t.user_ids()[0].clone());
    let client = client(
        &emu,
        emu.app_token(&["User.ReadWrite.All"]),
        fast_retries(attempts),
    );
    (emu, id, client)
}

#[tokio::test]
async fn retry_after_is_honoured_and_attempts_are_bounded() {
    let (emu, id, client) = always_throttled(0, 3).await;
    let err = client
        .send(UserAdmin.authorize(user::ReprocessLicenseAssignment::users(&id)))
        .await
        .unwrap_err();
    assert_eq!(err.status(), Some(429));
    assert_eq!(err.graph_code(), Some("TooManyRequests"));
    assert_eq!(emu.reprocess_arrivals()[&id], 3);
    assert_eq!(client.stats().retries, 2);
    assert_eq!(client.stats().throttled, 3);

    // Batch items are throttled on their own and retried within the same bound.
    let mut batch = Batch::new();
    let h = batch.add(UserAdmin.authorize(user::ReprocessLicenseAssignment::users(&id)));
    let mut results = client.send_batch(batch).await;
    assert_eq!(results.attempts(h.index()), 3);
    assert_eq!(results.take(h).unwrap_err().status(), Some(429));
    assert_eq!(emu.reprocess_arrivals()[&id], 6);
}

#[tokio::test]
async fn a_streamed_body_is_not_retried() {
    let emu = emulator(
        3,
        Faults {
            unavailable_rate: 1.0,
            retry_after_secs: 0,
            ..Faults::default()
        },
    )
    .await;
    let id = emu.with_tenant(|t| t.user_ids()[0].clone());
    let client = client(
        &emu,
        emu.app_token(&["User.ReadWrite.All"]),
        fast_retries(4),
    );
    let url = format!("{}/users/{id}/assignLicense", emu.base_url(ApiVersion::V1));
    let chunks: Vec<Result<bytes::Bytes, std::io::Error>> = vec![Ok(bytes::Bytes::from_static(
        br#"{"addLicenses":[],"removeLicenses":[]}"#,
    ))];
    let request = http::Request::post(&url)
        .header("content-type", "application/json")
        .body(RawBody::stream(futures::stream::iter(chunks)))
        .unwrap();
    let answer = client.send_raw(request).await.unwrap();
    assert_eq!(answer.status(), 503);
    assert_eq!(emu.stats().requests, 1, "sent once");

    let request = http::Request::post(&url)
        .header("content-type", "application/json")
        .body(RawBody::bytes(
            &br#"{"addLicenses":[],"removeLicenses":[]}"#[..],
        ))
        .unwrap();
    let answer = client.send_raw(request).await.unwrap();
    assert_eq!(answer.status(), 503);
    assert_eq!(emu.stats().requests, 1 + 4, "an in-memory body is retried");
}

#[tokio::test]
async fn dropped_connections_are_transport_errors_and_retried_for_idempotent_requests() {
    let emu = emulator(
        3,
        Faults {
            drop_rate: 1.0,
            ..Faults::default()
        },
    )
    .await;
    let id = emu.with_tenant(|t| t.user_ids()[0].clone());
    let client = client(
        &emu,
        emu.app_token(&["User.ReadWrite.All"]),
        fast_retries(3),
    );
    let err = client
        .send(UserAdmin.authorize(user::GetUser::new(&id)))
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Transport { .. }), "{err:?}");
    assert_eq!(emu.stats().requests, 3, "GET is retried");
    let err = client
        .send(UserAdmin.authorize(user::ReprocessLicenseAssignment::users(&id)))
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Transport { .. }), "{err:?}");
    assert_eq!(
        emu.reprocess_arrivals()[&id],
        1,
        "POST is not retried by default"
    );
}

#[tokio::test]
async fn throttled_batch_items_are_retried_with_their_dependents() {
    let emu = emulator(
        10,
        Faults {
            throttle_rate: 0.4,
            retry_after_secs: 0,
            ..Faults::default()
        },
    )
    .await;
    let client = client(
        &emu,
        emu.app_token(&["User.ReadWrite.All"]),
        fast_retries(15),
    );
    let ids = emu.with_tenant(|t| t.user_ids());
    let sku = emu.with_tenant(|t| t.skus()[2]["skuId"].as_str().unwrap().to_owned());
    let mut batch = Batch::new();
    let mut chains = Vec::new();
    for id in &ids[..6] {
        let body = graphspec::model::AssignLicenseBody::new(
            vec![graphspec::model::AssignedLicense::new(&sku)],
            Vec::new(),
        );
        let assign = batch.add(UserAdmin.authorize(user::AssignLicense::users(id, body)));
        let reprocess = batch
            .add_after(
                UserAdmin.authorize(user::ReprocessLicenseAssignment::users(id)),
                &[assign.index()],
            )
            .unwrap();
        let details = batch
            .add_after(
                UserAdmin.authorize(user::ListLicenseDetails::users(id)),
                &[reprocess.index()],
            )
            .unwrap();
        chains.push((assign, reprocess, details));
    }
    let mut results = client.send_batch(batch).await;
    for (assign, reprocess, details) in chains {
        results.take(assign).unwrap();
        results.take(reprocess).unwrap();
        let details = results.take(details).unwrap();
        assert!(
            details
                .value
                .iter()
                .any(|d| d.sku_id.as_deref() == Some(sku.as_str()))
        );
        assert!(results.attempts(reprocess.index()) <= 15);
    }
    assert!(emu.stats().throttled > 0);
    assert!(emu.stats().requests > 1, "throttled items went again");
}

#[test]
fn clouds_and_versions_choose_the_service_root() {
    for (cloud, root) in [
        (graphspec::Cloud::Global, "https://graph.microsoft.com"),
        (graphspec::Cloud::UsGovL4, "https://graph.microsoft.us"),
        (graphspec::Cloud::UsGovL5, "https://dod-graph.microsoft.us"),
        (
            graphspec::Cloud::China,
            "https://microsoftgraph.chinacloudapi.cn",
        ),
    ] {
        let client = Client::builder(StaticToken::new("t"))
            .cloud(cloud)
            .version(ApiVersion::Beta)
            .build()
            .unwrap();
        assert_eq!(client.base_url().to_string(), format!("{root}/beta"));
        let request = client
            .prepare(&UserAdmin.authorize(user::ReprocessLicenseAssignment::users("a/b")))
            .unwrap();
        assert_eq!(
            request.uri().to_string(),
            format!("{root}/beta/users/a%2Fb/reprocessLicenseAssignment")
        );
    }
    let custom = Client::builder(StaticToken::new("t"))
        .base_url(graphspec::BaseUrl::new(
            "http://127.0.0.1:9/",
            ApiVersion::V1,
        ))
        .build()
        .unwrap();
    assert_eq!(custom.base_url().to_string(), "http://127.0.0.1:9/v1.0");
}

/// Operations defined here, as an application might define its own: the emulator
/// implements `graphspec`'s (`user::CreateUser`, `group::GetGroup`) with the same method and
/// path, and those win the tie, so requests built from these are answered.
mod extra {
    pub mod user {
        use graphspec::model::User;
        graphspec::endpoint! {
            /// Create a user.
            pub struct CreateUser {
                POST "/users",
                permissions: {
                    DelegatedWork: ["User.ReadWrite.All", "Directory.ReadWrite.All"],
                    DelegatedPersonal: unsupported,
                    Application: ["User.ReadWrite.All", "Directory.ReadWrite.All"],
                },
                body: User,
                response: 201 User,
            }
        }
    }
    pub mod group {
        use graphspec::model::Group;
        graphspec::endpoint! {
            /// Get a group.
            pub struct GetGroup {
                GET "/groups/{id}",
                permissions: {
                    DelegatedWork: ["GroupMember.Read.All", "Group.Read.All"],
                    DelegatedPersonal: unsupported,
                    Application: ["GroupMember.Read.All", "Group.Read.All"],
                },
                response: 200 Group,
            }
        }
    }
}

graphspec::credential! {
    pub struct Provisioner {
        scheme: Application,
        grants: ["User.ReadWrite.All", "Group.Read.All"],
        calls: [extra::user::CreateUser, extra::group::GetGroup, user::GetUser],
    }
}

#[tokio::test]
async fn create_users_and_get_groups_when_the_operations_are_defined() {
    let mut operations = graphspec::operations();
    operations.extend([extra::user::CreateUser::INFO, extra::group::GetGroup::INFO]);
    let emu = Emulator::start(Config {
        users: 4,
        operations,
        ..Config::default()
    })
    .await
    .unwrap();
    let client = client(
        &emu,
        emu.app_token(&["User.ReadWrite.All", "Group.Read.All"]),
        RetryPolicy::none(),
    );
    let new_user = graphspec::model::User {
        display_name: graphspec::model::Field::Value("Ada Lovelace".into()),
        mail_nickname: graphspec::model::Field::Value("ada".into()),
        user_principal_name: graphspec::model::Field::Value("ada@contoso.example".into()),
        account_enabled: graphspec::model::Field::Value(true),
        ..Default::default()
    };
    let created = client
        .send(Provisioner.authorize(extra::user::CreateUser::new(new_user.clone())))
        .await
        .unwrap();
    let id = created.id.clone().into_value().unwrap();
    let fetched = client
        .send(Provisioner.authorize(user::GetUser::new("ADA@contoso.example")))
        .await
        .unwrap();
    assert_eq!(fetched.id.as_deref(), Some(id.as_str()));
    let duplicate = client
        .send(Provisioner.authorize(extra::user::CreateUser::new(new_user)))
        .await
        .unwrap_err();
    assert_eq!(duplicate.status(), Some(400));

    let group_id = emu.with_tenant(|t| t.groups()[1]["id"].as_str().unwrap().to_owned());
    let group = client
        .send(Provisioner.authorize(extra::group::GetGroup::new(&group_id)))
        .await
        .unwrap();
    assert_eq!(group.id.as_deref(), Some(group_id.as_str()));
    let missing = client
        .send(Provisioner.authorize(extra::group::GetGroup::new("nope")))
        .await
        .unwrap_err();
    assert_eq!(missing.graph_code(), Some("Request_ResourceNotFound"));
}

#[tokio::test]
async fn requests_carry_a_user_agent_and_a_client_request_id() {
    let emu = emulator(3, Faults::default()).await;
    let client = client(&emu, emu.app_token(&["User.Read.All"]), RetryPolicy::none());
    let url = format!("{}/users?$top=1", emu.base_url(ApiVersion::V1));
    let request = http::Request::get(&url)
        .body(RawBody::bytes(Vec::new()))
        .unwrap();
    let answer = client.send_raw(request).await.unwrap();
    assert_eq!(answer.status(), 200);
    let id = answer.headers()["client-request-id"].to_str().unwrap();
    assert_eq!(id.len(), 36, "the client's GUID-shaped id, echoed: {id}");
    assert_eq!(id.split('-').count(), 5);
    assert!(answer.headers().contains_key("request-id"));
    assert_eq!(emu.user_agents(), [graphspec::client::DEFAULT_USER_AGENT]);
}

#[tokio::test]
async fn the_first_requests_headers_apply_to_every_page() {
    let emu = emulator(12, Faults::default()).await;
    let client = client(&emu, emu.app_token(&["User.Read.All"]), RetryPolicy::none());
    let pages: Vec<_> = client
        .pages(
            UserAdmin.authorize(
                user::ListUsers::new()
                    .top(5)
                    .count(true)
                    .consistency_level("eventual"),
            ),
        )
        .collect()
        .await;
    assert_eq!(pages.len(), 3);
    for page in pages {
        assert_eq!(
            page.unwrap().count,
            Some(12),
            "every page was asked with ConsistencyLevel"
        );
    }
    let err = client
        .send(UserAdmin.authorize(user::ListUsers::new().count(true)))
        .await
        .unwrap_err();
    assert_eq!(err.status(), Some(400));
}

#[tokio::test]
async fn a_retry_after_longer_than_the_policy_allows_is_not_waited_for() {
    let (emu, id, client) = always_throttled(3600, 5).await;
    let err = client
        .send(UserAdmin.authorize(user::ReprocessLicenseAssignment::users(&id)))
        .await
        .unwrap_err();
    assert_eq!(err.status(), Some(429));
    assert_eq!(
        emu.reprocess_arrivals()[&id],
        1,
        "not retried before the service allows it"
    );
    assert_eq!(client.stats().retries, 0);
}

#[tokio::test]
async fn bulk_returns_exactly_one_result_per_input_whatever_happens_to_it() {
    let emu = emulator(
        50,
        Faults {
            throttle_rate: 0.2,
            retry_after_secs: 0,
            ..Faults::default()
        },
    )
    .await;
    let client = client(
        &emu,
        emu.app_token(&["User.ReadWrite.All"]),
        fast_retries(8),
    );
    let mut ids = emu.with_tenant(|t| t.user_ids());
    ids.insert(7, "..".into()); // cannot be built: refused locally
    ids.insert(30, "no-such-user".into()); // 404 from the service
    ids.push(String::new()); // cannot be built
    let requests: Vec<_> = ids
        .iter()
        .map(|id| UserAdmin.authorize(user::ReprocessLicenseAssignment::users(id)))
        .collect();
    for options in [
        graphspec::client::BulkOptions {
            concurrency: 3,
            batch_size: 20,
        },
        graphspec::client::BulkOptions {
            concurrency: 4,
            batch_size: 1,
        },
    ] {
        let results = client.bulk(requests.clone(), options).await;
        assert_eq!(results.len(), ids.len());
        for (i, result) in results.iter().enumerate() {
            assert_eq!(result.index, i);
            match ids[i].as_str() {
                ".." | "" => {
                    assert!(matches!(
                        result.result,
                        Err(Error::InvalidPathArgument { .. })
                    ));
                    assert_eq!(result.attempts, 0);
                }
                "no-such-user" => {
                    assert_eq!(result.result.as_ref().unwrap_err().status(), Some(404))
                }
                id => assert_eq!(result.result.as_ref().unwrap().id.as_deref(), Some(id)),
            }
            assert!(result.attempts <= 8);
        }
    }
}

#[tokio::test]
async fn slow_answers_past_the_client_timeout_are_transport_errors() {
    let emu = emulator(
        3,
        Faults {
            slow_rate: 1.0,
            slow_delay: Duration::from_secs(30),
            ..Faults::default()
        },
    )
    .await;
    let id = emu.with_tenant(|t| t.user_ids()[0].clone());
    let client = Client::builder(StaticToken::new(emu.app_token(&["User.Read.All"])))
        .base_url(emu.base_url(ApiVersion::V1))
        .timeout(Duration::from_millis(100))
        .retry(fast_retries(2))
        .build()
        .unwrap();
    let err = client
        .send(UserAdmin.authorize(user::GetUser::new(&id)))
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Transport { .. }), "{err:?}");
    assert_eq!(
        client.stats().transport_errors,
        2,
        "a GET that timed out is retried"
    );
    assert_eq!(emu.stats().slowed, 2);
}

#[tokio::test]
async fn a_401_drops_the_cached_token_and_retries_once_with_a_new_one() {
    let emu = emulator(5, Faults::default()).await;
    emu.register_app("bot", "s3cret", &["User.ReadWrite.All"]);
    let tokens = ClientCredentials::new(emu.tenant_id(), "bot", ClientSecret::new("s3cret"))
        .authority(emu.authority());
    let renewing = Client::builder(tokens)
        .base_url(emu.base_url(ApiVersion::V1))
        .retry(RetryPolicy::none())
        .build()
        .unwrap();
    let id = emu.with_tenant(|t| t.user_ids()[0].clone());
    renewing
        .send(UserAdmin.authorize(user::GetUser::new(&id)))
        .await
        .unwrap();
    assert_eq!(emu.stats().token_requests, 1);

    // The cached token is revoked: the service answers 401, the client forgets the
    // token, fetches a new one and sends again — once, even with retries turned off.
    emu.revoke_tokens();
    let user = renewing
        .send(UserAdmin.authorize(user::GetUser::new(&id)))
        .await
        .unwrap();
    assert_eq!(user.id.as_deref(), Some(id.as_str()));
    let stats = emu.stats();
    assert_eq!(stats.unauthorized, 1);
    assert_eq!(stats.token_requests, 2);
    assert_eq!(stats.requests, 3, "one first call, one 401, one resend");

    // A static token cannot be renewed: the 401 comes back as a typed error.
    let stale = emu.app_token(&["User.Read.All"]);
    emu.revoke_tokens();
    let err = client(&emu, stale, RetryPolicy::none())
        .send(UserAdmin.authorize(user::GetUser::new(&id)))
        .await
        .unwrap_err();
    assert_eq!(err.status(), Some(401));
    assert_eq!(err.graph_code(), Some("InvalidAuthenticationToken"));
}

#[tokio::test]
async fn a_throttled_batch_is_sent_again_whole_and_no_item_runs_twice() {
    let emu = emulator(
        45,
        Faults {
            batch_throttle_rate: 0.5,
            retry_after_secs: 0,
            ..Faults::default()
        },
    )
    .await;
    let client = client(
        &emu,
        emu.app_token(&["User.ReadWrite.All"]),
        fast_retries(20),
    );
    let ids = emu.with_tenant(|t| t.user_ids());
    let mut batch = Batch::new();
    let handles: Vec<_> = ids
        .iter()
        .map(|id| batch.add(UserAdmin.authorize(user::ReprocessLicenseAssignment::users(id))))
        .collect();
    let mut results = client.send_batch(batch).await;
    for (handle, id) in handles.into_iter().zip(&ids) {
        let user = results.take(handle).unwrap();
        assert_eq!(user.id.as_deref(), Some(id.as_str()));
    }
    let stats = emu.stats();
    assert!(stats.throttled > 0, "some whole batches were throttled");
    assert!(
        stats.requests > 3,
        "45 items are 3 batches, sent again when throttled"
    );
    // A whole-batch 429 runs no item, so every user was reprocessed exactly once.
    let arrivals = emu.reprocess_arrivals();
    assert_eq!(arrivals.len(), ids.len());
    assert!(arrivals.values().all(|&n| n == 1), "{arrivals:?}");
}

#[tokio::test]
async fn a_list_requests_count_is_sent_and_read_as_a_number() {
    let emu = emulator(30, Faults::default()).await;
    let admin = client(
        &emu,
        emu.app_token(&["User.ReadWrite.All"]),
        RetryPolicy::none(),
    );
    // The request: the list's path and query with `/$count`, and the header Graph needs to
    // count directory objects.
    let request = user::ListUsers::new()
        .filter("department eq 'Sales'")
        .into_count()
        .to_http_request(&emu.base_url(ApiVersion::V1))
        .unwrap();
    assert_eq!(request.uri().path(), "/v1.0/users/$count");
    assert!(request.uri().query().unwrap().starts_with("$filter="));
    assert_eq!(request.headers()["consistencylevel"], "eventual");

    let all = admin
        .send(UserAdmin.authorize(user::ListUsers::new().into_count()))
        .await
        .unwrap();
    assert_eq!(all, emu.with_tenant(|t| t.users().len()) as u64);
    let sales = admin
        .send(
            UserAdmin.authorize(
                user::ListUsers::new()
                    .filter("department eq 'Sales'")
                    .into_count(),
            ),
        )
        .await
        .unwrap();
    let expected = emu.with_tenant(|t| {
        t.users()
            .iter()
            .filter(|u| u["department"] == "Sales")
            .count()
    }) as u64;
    assert_eq!(sales, expected);
    assert!(sales > 0 && sales < all, "{sales} of {all}");

    // The list's permissions apply: refused before sending without them.
    let weak = client(&emu, emu.app_token(&["Mail.Read"]), RetryPolicy::none());
    let err = weak
        .send(UserAdmin.authorize(user::ListUsers::new().into_count()))
        .await
        .unwrap_err();
    assert!(matches!(err, Error::PermissionDenied { .. }), "{err:?}");
}

graphspec::credential! {
    /// Keeps users' photos.
    pub struct PhotoKeeper {
        scheme: Application,
        grants: ["User.ReadWrite.All"],
        calls: [profilephoto::SetUserPhotoValue, profilephoto::GetUserPhotoValue],
    }
}

/// Raw content over real HTTP: a photo goes up as its bytes with its content type
/// (`Vec<u8>` body) and comes back as its bytes (`Vec<u8>` response, not JSON), on its own
/// and inside a `$batch` (base64-encoded both ways, as Graph does); the emulator checks
/// the content type, and a user without a photo is a typed 404.
#[tokio::test]
async fn photos_go_up_and_come_back_as_their_bytes() {
    let emu = emulator(10, Faults::default()).await;
    let client = client(
        &emu,
        emu.app_token(&["User.ReadWrite.All"]),
        RetryPolicy::none(),
    );
    let ids = emu.with_tenant(|t| t.user_ids());
    let png: Vec<u8> = b"\x89PNG\r\n\x1a\n"
        .iter()
        .copied()
        .chain((0..=255u8).cycle().take(70_000))
        .collect();
    client
        .send(PhotoKeeper.authorize(
            profilephoto::SetUserPhotoValue::new(&ids[0], png.clone()).content_type("image/png"),
        ))
        .await
        .unwrap();
    let back = client
        .send(PhotoKeeper.authorize(profilephoto::GetUserPhotoValue::new(&ids[0])))
        .await
        .unwrap();
    assert_eq!(back, png);
    // Not an image: refused by the service, as a typed error.
    let err = client
        .send(PhotoKeeper.authorize(profilephoto::SetUserPhotoValue::new(
            &ids[1],
            b"hello".to_vec(),
        )))
        .await
        .unwrap_err();
    assert_eq!(err.status(), Some(400), "{err:?}");
    let err = client
        .send(PhotoKeeper.authorize(profilephoto::GetUserPhotoValue::new(&ids[1])))
        .await
        .unwrap_err();
    assert_eq!(err.status(), Some(404), "{err:?}");

    // The same in one `$batch`: the upload, then the download that depends on it.
    let jpeg: Vec<u8> = vec![0xff, 0xd8, 0xff, 0xe0, 0, 0x10, b'"', b'{', 0xff, 0xd9];
    let mut batch = Batch::new();
    let up = batch.add(PhotoKeeper.authorize(
        profilephoto::SetUserPhotoValue::new(&ids[2], jpeg.clone()).content_type("image/jpeg"),
    ));
    let down = batch
        .add_after(
            PhotoKeeper.authorize(profilephoto::GetUserPhotoValue::new(&ids[2])),
            &[up.index()],
        )
        .unwrap();
    let mut results = client.send_batch(batch).await;
    results.take(up).unwrap();
    assert_eq!(results.take(down).unwrap(), jpeg);
}

graphspec::credential! {
    /// Keeps files in users' drives.
    pub struct FileKeeper {
        scheme: Application,
        grants: ["Files.ReadWrite.All"],
        calls: [driveitem::SetContent, driveitem::GetContent],
    }
}

/// A file over real HTTP, as Graph serves files: uploaded as its bytes (created by parent
/// and name, `201`; replaced by id, `200`), and downloaded by following the `302` to a
/// pre-authenticated URL, whose bytes are the response (`Vec<u8>`); an unknown item is a
/// typed 404.
#[tokio::test]
async fn files_go_up_as_bytes_and_come_back_through_a_redirect() {
    let emu = emulator(5, Faults::default()).await;
    let client = client(
        &emu,
        emu.app_token(&["Files.ReadWrite.All"]),
        RetryPolicy::none(),
    );
    let user = emu.with_tenant(|t| t.user_ids()[0].clone());
    let text: Vec<u8> = b"first line\nsecond line\n\xff\x00".to_vec();
    let created = client
        .send(
            FileKeeper.authorize(
                driveitem::SetContent::users_drive_items_path_content(
                    &user,
                    "root",
                    "notes.txt",
                    text.clone(),
                )
                .content_type("text/plain"),
            ),
        )
        .await
        .unwrap();
    let id = created.id.as_deref().expect("the new item's id").to_owned();
    assert_eq!(created.name.as_deref(), Some("notes.txt"));
    let back = client
        .send(FileKeeper.authorize(driveitem::GetContent::users_drive_items(&user, &id)))
        .await
        .unwrap();
    assert_eq!(back, text);
    // Replaced by id; the download follows the new content.
    let replaced = client
        .send(
            FileKeeper.authorize(driveitem::SetContent::users_drive_items_content(
                &user,
                &id,
                b"replaced".to_vec(),
            )),
        )
        .await
        .unwrap();
    assert_eq!(replaced.id.as_deref(), Some(id.as_str()));
    let back = client
        .send(FileKeeper.authorize(driveitem::GetContent::users_drive_items(&user, &id)))
        .await
        .unwrap();
    assert_eq!(back, b"replaced");
    let err = client
        .send(FileKeeper.authorize(driveitem::GetContent::users_drive_items(&user, "missing")))
        .await
        .unwrap_err();
    assert_eq!(err.status(), Some(404), "{err:?}");
}
