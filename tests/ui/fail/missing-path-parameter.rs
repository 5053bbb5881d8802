// Required path parameters are constructor arguments: a request without the user's id
// does not compile.
use graphspec::user::ReprocessLicenseAssignment;

fn main() {
    let _ = ReprocessLicenseAssignment::users();
}
