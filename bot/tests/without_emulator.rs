//! The license bot built without the embedded emulator (`--no-default-features`): it
//! needs real-Graph credentials and says so.
#![cfg(not(feature = "emulator"))]

use std::process::Command;

#[test]
fn without_credentials_the_bot_refuses_and_names_what_it_needs() {
    let out = Command::new(env!("CARGO_BIN_EXE_license-bot"))
        .env_remove("GRAPHSPEC_TENANT_ID")
        .env_remove("GRAPHSPEC_CLIENT_ID")
        .env_remove("GRAPHSPEC_CLIENT_SECRET")
        .output()
        .expect("the license-bot binary runs");
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("without the embedded emulator"), "{err}");
    assert!(err.contains("GRAPHSPEC_CLIENT_SECRET"), "{err}");
    let help = Command::new(env!("CARGO_BIN_EXE_license-bot"))
        .arg("--help")
        .output()
        .expect("the license-bot binary runs");
    let help = String::from_utf8_lossy(&help.stdout);
    assert!(help.contains("no embedded emulator"), "{help}");
    assert!(!help.contains("--fault-rate"), "{help}");
}
