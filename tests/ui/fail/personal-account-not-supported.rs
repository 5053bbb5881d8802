// Rule 2: a credential may not declare a call that its scheme does not support at all.
// Reprocessing license assignments is not available to personal Microsoft accounts,
// whatever scopes they hold.
use graphspec::user;

graphspec::credential! {
    pub struct PersonalApp {
        scheme: DelegatedPersonal,
        grants: ["User.ReadWrite"],
        calls: [user::ReprocessLicenseAssignment],
    }
}

fn main() {}
