// Definitions: a scope is listed at most once in a permissions row.
graphspec::endpoint! {
    pub struct List {
        GET "/users",
        permissions: {
            DelegatedWork: ["User.Read.All", "Directory.Read.All", "User.Read.All"],
            DelegatedPersonal: unsupported,
            Application: ["User.Read.All"],
        },
        response: 200,
    }
}

fn main() {}
