// Rule 4: every granted scope must be a known Microsoft Graph permission; a misspelled
// one is rejected with the closest known name.
use graphspec::user;

graphspec::credential! {
    pub struct LicenseBot {
        scheme: Application,
        grants: ["User.ReadWrite.Al"],
        calls: [user::ReprocessLicenseAssignment],
    }
}

fn main() {}
