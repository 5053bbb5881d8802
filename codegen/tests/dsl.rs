//! The definition language without a compiler in the loop: parsing into the model,
//! validation results, and the naming rules, through the library API the proc macro uses.

use graphspec_codegen::model::{ResponseBody, RowValue, Scheme};
use graphspec_codegen::valid::Piece;
use graphspec_codegen::{Errors, dsl, endpoint, valid};
use quote::quote;

fn parse_one(tokens: proc_macro2::TokenStream) -> (dsl::EndpointItem, Errors) {
    let mut errors = Errors::default();
    let mut items = dsl::parse_items(tokens, &mut errors);
    assert_eq!(items.len(), 1, "{:?}", errors.errors());
    (items.remove(0), errors)
}

fn messages(errors: &Errors) -> Vec<String> {
    errors.errors().iter().map(|e| e.to_string()).collect()
}

#[test]
fn every_entry_reaches_the_model() {
    let (item, errors) = parse_one(quote! {
        /// Send a message.
        /// Second line.
        pub struct SendMail {
            POST "/me/sendMail" as mine,
            POST "/users/{id | userPrincipalName}/sendMail",
            version: "beta",
            permissions: {
                DelegatedWork: ["Mail.Send"],
                DelegatedPersonal: none,
                Application: ["Mail.Send" + "User.Read.All", "Mail.ReadWrite"],
            },
            headers: { "Prefer": optional, "If-Match": required },
            body: serde_json::Value,
            response: 202,
            docs: "user-sendmail",
        }
    });
    assert!(errors.is_empty(), "{:?}", messages(&errors));
    let op = &item.operation;
    assert_eq!(op.doc, ["Send a message.", "Second line."]);
    assert_eq!(op.name.value, "SendMail");
    assert_eq!(op.forms.len(), 2);
    assert_eq!(op.forms[0].constructor.as_ref().unwrap().value, "mine");
    assert_eq!(op.version.value.as_str(), "beta");
    assert_eq!(op.headers.len(), 2);
    assert!(op.headers[1].required);
    assert!(op.body.is_some());
    assert_eq!(op.response.status.value, 202);
    assert!(matches!(op.response.body, ResponseBody::None));
    assert_eq!(op.docs_page.as_ref().unwrap().value, "user-sendmail");
    match &op.permissions.row(Scheme::Application).unwrap().value {
        RowValue::Scopes(alternatives) => {
            assert_eq!(alternatives.len(), 2);
            assert_eq!(
                alternatives[0].len(),
                2,
                "`+` joins scopes into one alternative"
            );
        }
        other => panic!("{other:?}"),
    }
    assert!(matches!(
        op.permissions.row(Scheme::DelegatedPersonal).unwrap().value,
        RowValue::NoneRequired(_)
    ));

    let mut errors = Errors::default();
    let v = valid::validate(op, &mut errors);
    assert!(errors.is_empty(), "{:?}", messages(&errors));
    assert_eq!(v.forms[0].constructor, "mine");
    assert_eq!(v.forms[1].constructor, "users");
    assert_eq!(v.forms[1].params[0].rust_name, "id");
    assert_eq!(
        v.forms[1].pieces,
        [
            Piece::Literal("/users/".into()),
            Piece::Segment(0),
            Piece::Literal("/sendMail".into())
        ]
    );
}

#[test]
fn collections_and_embedded_parameters() {
    let (item, _) = parse_one(quote! {
        pub struct GetReport {
            GET "/reports/getOffice365ActiveUserDetail(period='{period_value}')",
            permissions: { DelegatedWork: ["Reports.Read.All"], DelegatedPersonal: unsupported, Application: ["Reports.Read.All"] },
            response: 200 [Row],
        }
    });
    assert!(matches!(
        item.operation.response.body,
        ResponseBody::Collection(_)
    ));
    let mut errors = Errors::default();
    let v = valid::validate(&item.operation, &mut errors);
    assert!(errors.is_empty());
    assert_eq!(v.forms[0].pieces[1], Piece::Embedded(0));
    assert_eq!(v.forms[0].params[0].rust_name, "period_value");
}

#[test]
fn all_errors_are_collected_and_items_still_emitted() {
    let (out, errors) = endpoint(quote! {
        pub struct Broken {
            FETCH "users/{id}/{id}",
            version: "v2.0",
            bogus: 1,
            permissions: { DelegatedWork: ["User Read"], Application: ["A.B", "A.B"] },
            response: 500,
        }
    });
    let messages = messages(&errors);
    for needle in [
        "unknown HTTP method `FETCH`",
        "must start with `/`",
        "repeats argument `id`",
        "unknown API version",
        "unknown entry `bogus`",
        "`User Read` is not a permission name",
        "listed twice in the `Application` row",
        "no row for DelegatedPersonal",
        "status 500 is not a success",
    ] {
        assert!(
            messages.iter().any(|m| m.contains(needle)),
            "missing {needle:?} in {messages:#?}"
        );
    }
    // The struct is still emitted, so uses of it do not cascade into more errors.
    assert!(out.to_string().contains("pub struct Broken"));
}

#[test]
fn missing_entries_are_reported() {
    let (_, errors) = endpoint(quote! {
        pub struct Nothing {}
    });
    let messages = messages(&errors);
    assert!(
        messages.iter().any(|m| m.contains("no request form")),
        "{messages:?}"
    );
    assert!(
        messages.iter().any(|m| m.contains("no `response`")),
        "{messages:?}"
    );
    assert!(
        messages
            .iter()
            .any(|m| m.contains("no row for DelegatedWork, DelegatedPersonal, Application")),
        "{messages:?}"
    );
}

#[test]
fn constructor_collisions_need_as() {
    let (_, errors) = endpoint(quote! {
        pub struct Twice {
            GET "/users/{id}",
            GET "/users/{id}/x" as users,
            permissions: { DelegatedWork: unknown, DelegatedPersonal: unknown, Application: unknown },
            response: 200,
        }
    });
    let messages = messages(&errors);
    assert!(
        messages
            .iter()
            .any(|m| m.contains("get the constructor name `users`")),
        "{messages:?}"
    );
}

#[test]
fn mixed_methods_and_headers_set_by_graphspec_are_rejected() {
    let (_, errors) = endpoint(quote! {
        pub struct Mixed {
            GET "/a",
            POST "/b",
            permissions: { DelegatedWork: unknown, DelegatedPersonal: unknown, Application: unknown },
            headers: { "Authorization": required, "Bad Header": optional, "prefer": optional, "Prefer": optional },
            response: 200,
        }
    });
    let messages = messages(&errors);
    for needle in [
        "must use one method",
        "set by graphspec itself",
        "not a valid HTTP header name",
        "header `Prefer` is listed twice",
    ] {
        assert!(
            messages.iter().any(|m| m.contains(needle)),
            "missing {needle:?} in {messages:#?}"
        );
    }
}

#[test]
fn credential_grants_are_checked_against_the_catalog() {
    let (_, errors) = graphspec_codegen::credential(quote! {
        pub struct Bot {
            scheme: Application,
            grants: ["User.ReadWrite.Al", "User.Read", "Mail.Send", "Mail.Send"],
            calls: [user::GetUser, user::GetUser],
        }
    });
    let messages = messages(&errors);
    for needle in [
        "did you mean `User.ReadWrite.All`?",
        "`User.Read` is not defined for the Application scheme",
        "`Mail.Send` is granted twice",
        "listed twice in `calls`",
    ] {
        assert!(
            messages.iter().any(|m| m.contains(needle)),
            "missing {needle:?} in {messages:#?}"
        );
    }
}
