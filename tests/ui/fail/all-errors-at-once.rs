// Definitions: every problem of a definition is reported at once, each at its token,
// not one per compile.
graphspec::endpoint! {
    pub struct Broken {
        FETCH "users/{id}/{id}",
        version: "v2.0",
        permissions: {
            DelegatedWork: ["User Read"],
            Application: ["User.Read.All", "User.Read.All"],
        },
        response: 500,
    }
}

fn main() {}
