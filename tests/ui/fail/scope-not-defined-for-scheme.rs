// Rule 4: a granted scope must exist for the credential's scheme. `User.Read` is a
// delegated permission; there is no application permission of that name.
use graphspec::user;

graphspec::credential! {
    pub struct Daemon {
        scheme: Application,
        grants: ["User.Read"],
        calls: [user::GetUser],
    }
}

fn main() {}
