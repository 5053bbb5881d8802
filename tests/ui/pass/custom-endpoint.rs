// Allowed: an application may define its own operations with `graphspec::endpoint!`,
// including a typed body, headers, several path forms and an AND-combination of scopes.
use graphspec::prelude::*;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Serialize)]
pub struct SendMailBody {
    pub message: serde_json::Value,
}

#[derive(Debug, Clone, Deserialize)]
pub struct Nothing {}

graphspec::endpoint! {
    /// Send a message.
    pub struct SendMail {
        POST "/me/sendMail",
        POST "/users/{id | userPrincipalName}/sendMail",
        permissions: {
            DelegatedWork: ["Mail.Send"],
            DelegatedPersonal: ["Mail.Send"],
            Application: ["Mail.Send" + "User.Read.All", "Mail.ReadWrite"],
        },
        headers: { "Prefer": optional, "If-Match": required },
        body: SendMailBody,
        response: 202,
    }
}

fn main() {
    let body = SendMailBody { message: serde_json::json!({"subject": "hi"}) };
    let request = SendMail::users("ada@contoso.com", "W/\"1\"", body)
        .prefer("outlook.timezone=\"UTC\"")
        .to_http_request(&graphspec::Cloud::Global.v1())
        .unwrap();
    assert_eq!(request.uri(), "https://graph.microsoft.com/v1.0/users/ada@contoso.com/sendMail");
    assert_eq!(request.headers()["if-match"], "W/\"1\"");
    assert_eq!(request.headers()["content-type"], "application/json");
    assert!(!SendMail::PERMISSIONS.application.allows(&[graphspec::scopes::MAIL_SEND]));
}
