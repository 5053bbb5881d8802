// Rule 3: `authorize` accepts only operations listed in the credential's `calls`, since
// only those were checked against its grants. Deleting a group was not declared.
use graphspec::{group, user};

graphspec::credential! {
    pub struct LicenseBot {
        scheme: Application,
        grants: ["User.ReadWrite.All"],
        calls: [user::ReprocessLicenseAssignment],
    }
}

fn main() {
    let _ = LicenseBot.authorize(group::DeleteGroup::new("02bd9fd6-8f93-4758-87c3-1fb73740a315"));
}
