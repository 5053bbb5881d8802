// Rule 3, for counts: a list's count (`…/$count`) is the list operation's request, with
// its permissions, so a credential may send it only when it declares the list. Listing
// users was not declared; reading one user was.
use graphspec::prelude::*;
use graphspec::user;

graphspec::credential! {
    pub struct Directory {
        scheme: Application,
        grants: ["User.Read.All"],
        calls: [user::GetUser],
    }
}

fn main() {
    let _ = Directory.authorize(user::ListUsers::new().into_count());
}
