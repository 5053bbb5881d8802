// Allowed: a personal Microsoft account may read its own profile and license details,
// which support the DelegatedPersonal scheme; `strict` passes because `User.Read` is the
// least-privileged scope for both.
use graphspec::prelude::*;
use graphspec::user;

graphspec::credential! {
    pub struct ProfileApp {
        scheme: DelegatedPersonal,
        grants: ["User.Read"],
        calls: [user::GetUser, user::ListLicenseDetails],
        strict: true,
    }
}

fn main() {
    let _ = ProfileApp.authorize(user::GetUser::me().select(["displayName"]));
    assert_eq!(
        ProfileApp::least_privileged_scopes().unwrap(),
        [graphspec::scopes::USER_READ]
    );
}
