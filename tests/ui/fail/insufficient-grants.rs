// Rule 1: a credential may only declare calls that one of its granted scopes allows for
// its scheme. `User.Read.All` does not allow reprocessing license assignments; the
// application needs `User.ReadWrite.All` or `Directory.ReadWrite.All`.
use graphspec::user;

graphspec::credential! {
    pub struct LicenseBot {
        scheme: Application,
        grants: ["User.Read.All"],
        calls: [user::ReprocessLicenseAssignment],
    }
}

fn main() {}
