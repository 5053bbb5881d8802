// Rule 6: a `strict` credential may grant only scopes in the least-privileged set of its
// declared calls. Reprocessing license assignments needs `User.ReadWrite.All`;
// `Directory.ReadWrite.All` and `Group.ReadWrite.All` are over-privilege.
use graphspec::user;

graphspec::credential! {
    pub struct LicenseBot {
        scheme: Application,
        grants: ["User.ReadWrite.All", "Directory.ReadWrite.All", "Group.ReadWrite.All"],
        calls: [user::ReprocessLicenseAssignment],
        strict: true,
    }
}

fn main() {}
