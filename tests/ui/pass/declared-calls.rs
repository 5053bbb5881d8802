// Allowed: an application credential whose grants allow every declared call; requests
// for declared operations are authorized and build.
use graphspec::prelude::*;
use graphspec::{Cloud, group, subscribedsku, user};

graphspec::credential! {
    /// The license bot's app registration.
    pub struct LicenseBot {
        scheme: Application,
        grants: ["User.ReadWrite.All", "Group.ReadWrite.All", "Organization.Read.All"],
        calls: [user::ReprocessLicenseAssignment, user::ListUsers, group::DeleteGroup, subscribedsku::ListSubscribedSkus],
    }
}

fn main() {
    let authorized = LicenseBot.authorize(user::ReprocessLicenseAssignment::users("47"));
    let request = authorized.to_http_request(&Cloud::Global.v1()).unwrap();
    assert_eq!(request.method(), "POST");
    let _ = LicenseBot.authorize(user::ListUsers::new().top(5));
    // A declared list's count is the list's request: authorized too.
    let count = LicenseBot.authorize(user::ListUsers::new().filter("accountEnabled eq true").into_count());
    let request = count.to_http_request(&Cloud::Global.v1()).unwrap();
    assert_eq!(request.uri().path(), "/v1.0/users/$count");
    let _ = LicenseBot.authorize(group::DeleteGroup::new("g"));
    let _ = LicenseBot.authorize(subscribedsku::ListSubscribedSkus::new());
}
