//! Uses `graphspec` under the name `gs` (see this crate's `Cargo.toml`): `endpoint!` and
//! `credential!` must emit code that reaches the runtime through `::gs`, since no crate
//! named `graphspec` is in scope here. If the macros named `::graphspec`, this crate would
//! not compile.

use serde::{Deserialize, Serialize};

/// The body of [`SendMail`].
#[derive(Debug, Clone, Serialize)]
pub struct SendMailBody {
    /// The message.
    pub message: serde_json::Value,
}

/// An empty answer.
#[derive(Debug, Clone, Deserialize)]
pub struct Nothing {}

gs::endpoint! {
    /// Send a message.
    pub struct SendMail {
        POST "/me/sendMail",
        POST "/users/{id | userPrincipalName}/sendMail",
        permissions: {
            DelegatedWork: ["Mail.Send"],
            DelegatedPersonal: ["Mail.Send"],
            Application: ["Mail.Send" + "User.Read.All", "Mail.ReadWrite"],
        },
        headers: { "Prefer": optional },
        body: SendMailBody,
        response: 202,
    }
}

gs::credential! {
    /// A mailer that also reprocesses licenses.
    pub struct Mailer {
        scheme: Application,
        grants: ["Mail.ReadWrite", "User.ReadWrite.All"],
        calls: [SendMail, gs::user::ReprocessLicenseAssignment],
    }
}
