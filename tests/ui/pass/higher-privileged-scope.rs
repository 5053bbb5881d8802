// Rule 5: any scope of the operation's list allows the call, not only the least
// privileged one: `Directory.ReadWrite.All` is further down the list of
// `user::ReprocessLicenseAssignment` and is accepted.
use graphspec::user;

graphspec::credential! {
    pub struct DirectoryAdmin {
        scheme: Application,
        grants: ["Directory.ReadWrite.All"],
        calls: [user::ReprocessLicenseAssignment, user::GetUser],
    }
}

fn main() {
    let _ = DirectoryAdmin.authorize(user::ReprocessLicenseAssignment::users("id"));
}
