//! The seed operation end to end: builds the request of
//! `POST /users/{id}/reprocessLicenseAssignment`, prints it, its permissions table and the
//! least-privileged scope per scheme, then parses a response.
//!
//! Run with `cargo run -p graphspec --example seed`.

use graphspec::prelude::*;
use graphspec::user::{self, ReprocessLicenseAssignment};
use graphspec::{Cloud, Scheme, SchemePermissions};

graphspec::credential! {
    /// The license bot's app registration.
    pub struct LicenseBot {
        scheme: Application,
        grants: ["User.ReadWrite.All"],
        calls: [user::ReprocessLicenseAssignment],
    }
}

fn main() -> Result<(), graphspec::Error> {
    let request = ReprocessLicenseAssignment::users("047dd774-f1c4-40f2-82f0-278de79f9b83");
    let authorized = LicenseBot.authorize(request);
    let http = authorized.to_http_request(&Cloud::Global.v1())?;

    let info = ReprocessLicenseAssignment::INFO;
    println!("operation   {} ({})", info.rust_path(), info.graph_name());
    println!("request     {} {}", http.method(), http.uri());
    for (name, value) in http.headers() {
        println!(
            "            {name}: {}",
            value.to_str().unwrap_or("<binary>")
        );
    }
    println!(
        "body        {}",
        if http.body().is_empty() {
            "(none)"
        } else {
            "json"
        }
    );
    println!();
    println!("permissions (least → most privileged)");
    for scheme in Scheme::ALL {
        let row = ReprocessLicenseAssignment::PERMISSIONS.for_scheme(scheme);
        let text = match row {
            SchemePermissions::Scopes(_) => row
                .scopes()
                .iter()
                .map(|s| s.name())
                .collect::<Vec<_>>()
                .join(", "),
            SchemePermissions::NotSupported => "not supported".into(),
            SchemePermissions::NoneRequired => "none required".into(),
            SchemePermissions::Unknown => "no data".into(),
        };
        println!("  {:<18} {text}", scheme.as_str());
    }
    println!();
    println!("least-privileged scope per scheme");
    for scheme in Scheme::ALL {
        let row = ReprocessLicenseAssignment::PERMISSIONS.for_scheme(scheme);
        match row.least_privileged() {
            Some(scope) => {
                let details = scope.details(scheme);
                println!(
                    "  {:<18} {scope} (privilege level {}, admin consent: {}, id {})",
                    scheme.as_str(),
                    details
                        .and_then(|d| d.privilege_level)
                        .map_or("?".to_owned(), |l| l.to_string()),
                    details.is_some_and(|d| d.requires_admin_consent),
                    scope.id(scheme).unwrap_or("?"),
                );
            }
            None => println!("  {:<18} -", scheme.as_str()),
        }
    }
    println!();
    println!(
        "LicenseBot needs: {}",
        LicenseBot::least_privileged_scopes()?
            .iter()
            .map(|s| s.name())
            .collect::<Vec<_>>()
            .join(", ")
    );

    let response = http::Response::builder()
        .status(200)
        .body(br#"{"id":"047dd774-f1c4-40f2-82f0-278de79f9b83","displayName":"Ada"}"#.to_vec())
        .expect("static response");
    let user = ReprocessLicenseAssignment::parse_response(response)?;
    println!(
        "parsed      User {{ id: {:?}, displayName: {:?} }}",
        user.id, user.display_name
    );
    Ok(())
}
