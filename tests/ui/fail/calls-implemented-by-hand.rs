// Rule 3: only `graphspec::credential!` implements `Calls`, after checking each declared
// call's permissions against the grants. A hand-written `impl Calls<…>` is rejected, so
// it cannot let `authorize` accept a call nobody checked: deleting a group needs
// `Group.ReadWrite.All`, which this credential does not grant.
use graphspec::{Calls, group, user};

graphspec::credential! {
    pub struct LicenseBot {
        scheme: Application,
        grants: ["User.ReadWrite.All"],
        calls: [user::ReprocessLicenseAssignment],
    }
}

impl Calls<group::DeleteGroup> for LicenseBot {}

fn main() {
    let _ = LicenseBot.authorize(group::DeleteGroup::new("02bd9fd6-8f93-4758-87c3-1fb73740a315"));
}
