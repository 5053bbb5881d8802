//! `graphspec call`'s embedded emulator serves every operation the command knows (the
//! emulator's `full` feature): a non-default operation is checked, then answered 501 by the
//! emulator, never 404.
#![cfg(feature = "emulator")]

use std::process::{Command, Output};

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

fn stderr(out: &Output) -> String {
    String::from_utf8(out.stderr.clone()).unwrap()
}

#[test]
fn intune_and_outlook_operations_reach_the_emulator_and_get_501() {
    for args in [
        &["intune.listManagedDevices"][..],
        &[
            "outlookcategory.getMasterCategory",
            "--arg",
            "user_id=u1",
            "--arg",
            "master_category_id=c1",
        ],
    ] {
        // The app holds the operation's least-privileged application permission.
        let out = call(args);
        assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
        let err = stderr(&out);
        assert!(err.contains("501 NotImplemented"), "{err}");
        assert!(err.contains("checked its permissions"), "{err}");
        // Not "404" anywhere: the emulator's port may contain it (`127.0.0.1:34043`).
        assert!(
            !err.lines()
                .any(|l| l.starts_with("404 ") || l.contains("returned 404")),
            "{err}"
        );
    }
    // Without the permission the call is refused (before sending, by the client).
    let out = call(&["intune.listManagedDevices", "--roles", "User.Read.All"]);
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(err.contains("refused before sending"), "{err}");
    assert!(
        err.contains("DeviceManagementManagedDevices.Read.All"),
        "{err}"
    );
}
