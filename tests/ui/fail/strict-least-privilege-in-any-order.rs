// Rule 6: the least-privileged set of a `strict` credential is the exact minimum for its
// declared calls, whatever their order. `User.ReadWrite.All` alone allows listing,
// reprocessing and reading users, so granting `User.Read.All` besides it is
// over-privilege, even with `user::ListUsers` (which `User.Read.All` allows) listed first.
use graphspec::user;

graphspec::credential! {
    pub struct LicenseBot {
        scheme: Application,
        grants: ["User.Read.All", "User.ReadWrite.All"],
        calls: [user::ListUsers, user::ReprocessLicenseAssignment, user::GetUser],
        strict: true,
    }
}

fn main() {}
