//! The macros' output works when `graphspec` is a dependency under another name.

use graphspec_renamed_dependency::{Mailer, SendMail, SendMailBody};
use gs::Endpoint;

#[test]
fn a_custom_endpoint_builds_its_request() {
    let body = SendMailBody {
        message: serde_json::json!({"subject": "hi"}),
    };
    let request = SendMail::users("ada@contoso.com", body)
        .prefer("outlook.timezone=\"UTC\"")
        .to_http_request(&gs::Cloud::Global.v1())
        .unwrap();
    assert_eq!(
        request.uri(),
        "https://graph.microsoft.com/v1.0/users/ada@contoso.com/sendMail"
    );
    assert_eq!(<SendMail as Endpoint>::INFO.name, "SendMail");
}

#[test]
fn a_credential_authorizes_its_declared_calls() {
    let _ = Mailer.authorize(gs::user::ReprocessLicenseAssignment::users("1"));
    let scopes = Mailer::least_privileged_scopes().unwrap();
    assert!(
        scopes.contains(&gs::scopes::USER_READWRITE_ALL),
        "{scopes:?}"
    );
}
